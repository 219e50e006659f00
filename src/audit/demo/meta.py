"""Meta Business Suite exports of the brand's Facebook page and Instagram account: the content
exports (UTF-8 with BOM, one per year, columns drifting between the two), the per-metric daily
series (UTF-16LE, `sep=,` line, title line, every cell quoted; Instagram's land next to
Facebook's with a browser ' (1)' suffix) and the stacked `Audience.csv` files."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import posts as P
from . import world as W
from .writers import CsvWriter

BASE = ["Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time", "Caption type",
        "Permalink", "Is crosspost", "Is share", "Post type", "Languages", "Custom labels", "Funded content status",
        "Data comment", "Date", "Views", "Reach", "Reactions, Comments and Shares", "Reactions", "Comments", "Shares",
        "Total clicks"]
# The column set drifts from one export to the next (32/33/34 columns in the wild).
FB_EXTRA = {
    "comparison": ["Link Clicks", "Other Clicks", "3-second video views", "Seconds viewed", "Average Seconds viewed",
                   "Negative feedback from users: Hide all"],
    "audit": ["Link Clicks", "Other Clicks", "Seconds viewed", "Average Seconds viewed", "Estimated earnings (USD)"],
}
IG_COLS = ["Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)", "Publish time",
           "Permalink", "Post type", "Data comment", "Date", "Views", "Reach", "Likes", "Shares", "Comments", "Saves",
           "Follows"]
META_TIME = "%m/%d/%Y %H:%M"


def _range_name(start, end, ident: str) -> str:
    return f"{pd.Timestamp(start).strftime('%b-%d-%Y')}_{pd.Timestamp(end).strftime('%b-%d-%Y')}_{ident}.csv"


def write(out: Path, seed: int, scale: int) -> None:
    fb, ig = P.Daily(), P.Daily()
    _facebook_posts(out / "meta", seed, scale, fb)
    _instagram_posts(out / "meta", seed, scale, ig)
    insights = out / "meta" / "insights"
    _facebook_series(insights, seed, fb)
    _instagram_series(insights, seed, ig)
    audience(insights / "Audience.csv", FB_AUDIENCE, FB_COUNTRIES, FB_CITIES)
    audience(insights / "Audience (1).csv", IG_AUDIENCE, IG_COUNTRIES, IG_CITIES)


def _facebook_posts(folder: Path, seed: int, scale: int, daily: P.Daily) -> None:
    spec = P.SPECS["facebook"]
    for label, start, end, months in W.month_groups():
        cols = BASE + FB_EXTRA[label]
        with CsvWriter(folder / _range_name(start, end, W.FB_PAGE_ID), bom=True, quoting="space") as w:
            w.row(cols)
            for m in months:
                df = P.month_posts(seed, spec, m, scale)
                if df.empty:
                    continue
                r = W.rng(seed, "fb-rows", m.strftime(P.MONTH_KEY))
                ids = P.ids_from(412000000000000, df, r)
                crosspost = r.random(len(df)) < 0.3
                negative = r.poisson(df["reach"].to_numpy() * 0.0008)
                v3 = np.round(df["reach"].to_numpy() * r.uniform(0.3, 0.6, len(df))).astype(int)
                sec = v3 * df["duration"].to_numpy() * r.uniform(0.2, 0.5, len(df))
                published = W.fmt(df["published"], META_TIME)
                for i, row in enumerate(df.itertuples(index=False)):
                    video = row.type in ("Videos", "Reels")
                    link = f"https://www.facebook.com/{W.FB_PAGE_SLUG}/posts/{ids[i]}"
                    if row.type == "Reels":
                        link = f"https://www.facebook.com/reel/{ids[i]}"
                    elif row.type == "Videos":
                        link = f"https://www.facebook.com/{W.FB_PAGE_SLUG}/videos/{ids[i]}"
                    title, desc = (row.text, "") if row.type in ("Photos", "Links") else (
                        ("", row.text) if row.type == "Reels" else (row.text.split(".")[0][:60], row.text))
                    rcs = row.reactions + row.comments + row.shares
                    values = {
                        "Post ID": ids[i], "Page ID": W.FB_PAGE_ID, "Page name": W.BRAND, "Title": title,
                        "Description": desc, "Duration (sec)": row.duration,
                        "Publish time": published[i], "Caption type": "" if video else "N/A",
                        "Permalink": link, "Is crosspost": int(row.type == "Reels" and crosspost[i]), "Is share": 0,
                        "Post type": row.type, "Date": "Lifetime", "Views": row.impressions, "Reach": row.reach,
                        "Reactions, Comments and Shares": rcs, "Reactions": row.reactions, "Comments": row.comments,
                        "Shares": row.shares, "Total clicks": row.link_clicks + row.other_clicks,
                        "Link Clicks": row.link_clicks if row.has_link else None, "Other Clicks": row.other_clicks,
                        "3-second video views": v3[i] if video else None,
                        "Seconds viewed": int(sec[i]) if video else None,
                        "Average Seconds viewed": round(float(sec[i] / v3[i]), 2) if video and v3[i] else None,
                        "Negative feedback from users: Hide all": int(negative[i]),
                    }
                    w.row(values.get(c) for c in cols)
                d = df["day"].to_numpy()
                daily.add("reach", d, df["reach"])
                daily.add("views", d, df["impressions"])
                daily.add("engagements", d, df["reactions"] + df["comments"] + df["shares"])
                daily.add("link_clicks", d, df["link_clicks"])
                daily.add("follows", d, df["follows"])


def _instagram_posts(folder: Path, seed: int, scale: int, daily: P.Daily) -> None:
    spec = P.SPECS["instagram"]
    for label, start, end, months in W.month_groups():
        # the analyst renamed the audit-year file; the other keeps Meta's default name
        name = "instagram_publications_2025-2026.csv" if label == "audit" else _range_name(start, end, W.IG_ACCOUNT_ID)
        with CsvWriter(folder / name, bom=True, quoting="space") as w:
            w.row(IG_COLS)
            for m in months:
                df = P.month_posts(seed, spec, m, scale)
                if df.empty:
                    continue
                r = W.rng(seed, "ig-rows", m.strftime(P.MONTH_KEY))
                ids = P.ids_from(17900000000000000, df, r)
                codes = P.shortcodes(r, len(df))
                published = W.fmt(df["published"], META_TIME)
                for i, row in enumerate(df.itertuples(index=False)):
                    kind = "reel" if row.type == "IG reel" else "p"
                    w.row([ids[i], W.IG_ACCOUNT_ID, W.IG_USERNAME, W.BRAND, row.text, row.duration,
                           published[i], f"https://www.instagram.com/{kind}/{codes[i]}/",
                           row.type, "", "Lifetime", row.impressions, row.reach, row.reactions, row.shares,
                           row.comments, row.saves, row.follows or None])
                d = df["day"].to_numpy()
                daily.add("reach", d, df["reach"])
                daily.add("views", d, df["impressions"])
                daily.add("engagements", d, df["reactions"] + df["comments"] + df["shares"] + df["saves"])
                daily.add("follows", d, df["follows"])


def _series_stamps() -> list[str]:
    """Meta writes each day at an hour that depends on the page's time zone and DST."""
    noon = (W.DAYS + pd.Timedelta(hours=12)).tz_localize(W.TZ)
    summer = (noon.tz_convert("UTC").hour == 10)
    return [f"{d:%Y-%m-%d}T{'00' if s else '01'}:00:00" for d, s in zip(W.DAYS, summer)]


STAMPS = _series_stamps()


def series(path: Path, title: str | None, values: np.ndarray, *, header: str = "Primary",
           skip_zero: bool = False, eol: str = "\n") -> None:
    """One MBS per-metric file. `title=None` writes the early-2024 layout (metric name in the
    header, no title line, CRLF)."""
    with CsvWriter(path, encoding="utf-16", quoting="all", eol=eol) as w:
        w.line("sep=,")
        if title is not None:
            w.row([title])
        w.row(["Date", header])
        for stamp, v in zip(STAMPS, values):
            if skip_zero and v == 0:
                continue  # Instagram leaves out the days with nothing to report
            w.row([stamp, int(v)])


def _baseline(seed: int, name: str, level: float, yearly: float, noise: float = 0.25) -> np.ndarray:
    r = W.rng(seed, "series", name)
    return level * W.season() * W.growth(W.DAYS, yearly) * r.lognormal(0, noise, W.N_DAYS)


def _facebook_series(folder: Path, seed: int, d: P.Daily) -> None:
    r = W.rng(seed, "series", "facebook")
    reach = np.round(_baseline(seed, "fb-reach", 900, -0.04) + 0.6 * d["reach"])
    series(folder / "Reach.csv", "Facebook reach", reach)
    series(folder / "Views.csv", "Views", np.round(reach * 1.6 + 0.2 * d["views"]))
    follows = r.poisson(_baseline(seed, "fb-follows", 9, -0.1) + d["follows"])
    series(folder / "Follows.csv", "Facebook follows", follows)
    series(folder / "Visits.csv", "Facebook visits", r.poisson(_baseline(seed, "fb-visits", 60, -0.04)))
    series(folder / "Interactions.csv", "Content interactions", np.round(d["engagements"] * 1.05))
    series(folder / "Link clicks.csv", "Facebook link clicks", np.round(d["link_clicks"] + r.poisson(2, W.N_DAYS)))
    unfollows = r.poisson(7.5, W.N_DAYS)
    likes = 18400 + np.cumsum(follows - unfollows)
    series(folder / "Page likes.csv", None, likes, header="Facebook Page likes", eol="\r\n")


def _instagram_series(folder: Path, seed: int, d: P.Daily) -> None:
    r = W.rng(seed, "series", "instagram")
    reach = np.round(_baseline(seed, "ig-reach", 1500, 0.22) + 0.55 * d["reach"])
    series(folder / "Reach (1).csv", "Reach", reach)
    series(folder / "Views (1).csv", "Views", np.round(reach * 2.1 + 0.3 * d["views"]))
    follows = r.poisson(_baseline(seed, "ig-follows", 4, 0.22, 0.6) + 0.5 * d["follows"])
    series(folder / "Follows (1).csv", "Instagram follows", follows, skip_zero=True)
    series(folder / "Visits (1).csv", "Instagram profile visits", r.poisson(_baseline(seed, "ig-visits", 140, 0.22)))
    series(folder / "Interactions (1).csv", "Content interactions", np.round(d["engagements"] * 1.02))
    series(folder / "Link clicks (1).csv", "Instagram link clicks", r.poisson(_baseline(seed, "ig-links", 14, 0.2)))


# --- audience: planted persona gap ---------------------------------------------------------------------
AGES = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
# (women %, men %) per age band; the target is women 25-44. Facebook's audience is older.
FB_AUDIENCE = ((1.4, 0.8), (5.1, 2.6), (8.9, 4.4), (17.2, 7.9), (22.6, 9.8), (13.7, 5.6))
IG_AUDIENCE = ((10.3, 3.1), (28.4, 7.9), (21.6, 5.8), (11.4, 3.2), (5.2, 1.4), (1.3, 0.4))
FB_COUNTRIES = (("France", 88.2), ("Belgium", 3.1), ("Switzerland", 1.6), ("Morocco", 1.2), ("Canada", 0.9),
                ("Algeria", 0.8), ("Spain", 0.6), ("United Kingdom", 0.5), ("Germany", 0.4), ("Italy", 0.4))
IG_COUNTRIES = (("France", 84.6), ("Belgium", 4.2), ("Switzerland", 2.3), ("Canada", 1.7), ("United Kingdom", 1.2),
                ("Spain", 0.9), ("Morocco", 0.8), ("United States", 0.7), ("Germany", 0.6), ("Italy", 0.5))
FB_CITIES = (("Paris, France", 21.4), ("Lyon, France", 9.8), ("Lille, France", 6.1), ("Bordeaux, France", 5.2),
             ("Nantes, France", 4.4), ("Rennes, France", 3.5), ("Toulouse, France", 3.1),
             ("Boulogne-Billancourt, France", 1.9), ("Marseille, France", 1.4), ("Brussels, Belgium", 1.2))
IG_CITIES = (("Paris, France", 27.9), ("Lyon, France", 11.2), ("Lille, France", 6.4), ("Bordeaux, France", 6.0),
             ("Nantes, France", 4.9), ("Toulouse, France", 3.8), ("Rennes, France", 3.6), ("Montreuil, France", 1.7),
             ("Brussels, Belgium", 1.6), ("Marseille, France", 1.5))


def audience(path: Path, age_gender, countries, cities) -> None:
    def pct(v: float) -> str:
        return f"{v:g}"

    with CsvWriter(path, encoding="utf-16", quoting="all") as w:
        w.line("sep=,")
        w.row(["Age & gender"])
        w.row(["", "Women", "Men"])
        for band, (f, m) in zip(AGES, age_gender):
            w.row([band, pct(f), pct(m)])
        for title, pairs in (("Top countries", countries), ("Top cities", cities)):
            w.line("")
            w.row([title])
            w.row([k for k, _ in pairs])
            w.row([pct(v) for _, v in pairs])
        w.line("")
