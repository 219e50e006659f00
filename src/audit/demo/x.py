"""X (Twitter) analytics exports of the brand's account, 2024+ layout: the per-post content file
(CRLF, newest first, a date with no time of day, snowflake ids that encode the time) and the
per-day overview (quoted 'Tue, Aug 26, 2025' dates, newest first, no final line end)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import posts as P
from . import world as W
from .writers import CsvWriter

CONTENT = ["Post id", "Date", "Post text", "Link", "Impressions", "Likes", "Engagements", "Bookmarks", "Share",
           "New follows", "Replies", "Reposts", "Profile visits", "Detail expands", "Url clicks", "Hashtag clicks",
           "Permalink clicks"]
OVERVIEW = ["Date", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares", "New follows", "Unfollows", "Replies",
            "Reposts", "Profile visits", "Create Post", "Video views", "Media views"]
TWITTER_EPOCH_MS = 1288834974657


def snowflake(utc: pd.Timestamp, worker: int, seq: int) -> str:
    ms = int(utc.value // 1_000_000)
    return str(((ms - TWITTER_EPOCH_MS) << 22) | (worker << 12) | seq)


def write(out: Path, seed: int, scale: int) -> None:
    folder = out / "x"
    daily = P.Daily()
    spec = P.SPECS["x"]
    for label, start, end, months in W.month_groups():
        name = f"account_analytics_content_{start:%Y-%m-%d}_{end:%Y-%m-%d}.csv"
        with CsvWriter(folder / name, eol="\r\n") as w:
            w.row(CONTENT)
            for m in reversed(months):  # newest first
                df = P.month_posts(seed, spec, m, scale)
                if df.empty:
                    continue
                r = W.rng(seed, "x-rows", m.strftime(P.MONTH_KEY))
                n = len(df)
                reach = df["impressions"].to_numpy()
                profile = r.poisson(reach * 0.004)
                expands = r.poisson(reach * 0.009)
                hashtag = np.where([("#" in t) for t in df["text"]], r.poisson(reach * 0.001), 0)
                permalink = r.poisson(reach * 0.0015)
                url = df["link_clicks"].to_numpy()
                utc = pd.DatetimeIndex(df["published"]).tz_localize(W.TZ).tz_convert("UTC")
                ids = [snowflake(t, int(a), int(b)) for t, a, b in zip(utc, r.integers(0, 32, n), r.integers(0, 4096, n))]
                eng = (df["reactions"] + df["saves"] + df["comments"] + df["shares"]).to_numpy() + profile + expands \
                    + hashtag + permalink + url
                d = df["day"].to_numpy()
                dates = W.fmt(utc, "%a %b %d %Y")
                c = {k: df[k].tolist() for k in ("text", "impressions", "reactions", "saves", "follows", "comments",
                                                  "shares")}
                for i in reversed(range(n)):
                    w.row([ids[i], dates[i], c["text"][i], f"https://x.com/{W.X_HANDLE}/status/{ids[i]}",
                           c["impressions"][i], c["reactions"][i], eng[i], c["saves"][i], 0, c["follows"][i],
                           c["comments"][i], c["shares"][i], profile[i], expands[i], url[i], hashtag[i], permalink[i]])
                for metric, values in (("impressions", reach), ("likes", df["reactions"]), ("engagements", eng),
                                       ("bookmarks", df["saves"]), ("replies", df["comments"]),
                                       ("reposts", df["shares"]), ("profile", profile), ("follows", df["follows"])):
                    daily.add(metric, d, values)
                daily.add("posts", d, np.ones(n), spread=(1.0,))
    _overview(folder, seed, daily)


def _overview(folder: Path, seed: int, d: P.Daily) -> None:
    r = W.rng(seed, "x-overview")
    season = W.season() * W.growth(W.DAYS, -0.18)
    base_impr = r.poisson(260 * season)
    follows = r.poisson(2.2 * season + d["follows"])
    unfollows = r.poisson(2.6, W.N_DAYS)
    cols = {
        "Impressions": np.round(d["impressions"]) + base_impr,
        "Likes": np.round(d["likes"]), "Engagements": np.round(d["engagements"]) + r.poisson(3 * season),
        "Bookmarks": np.round(d["bookmarks"]), "Shares": r.poisson(0.2, W.N_DAYS), "New follows": follows,
        "Unfollows": unfollows, "Replies": np.round(d["replies"]), "Reposts": np.round(d["reposts"]),
        "Profile visits": np.round(d["profile"]) + r.poisson(4 * season), "Create Post": np.round(d["posts"]),
        "Video views": r.poisson(12 * season), "Media views": r.poisson(30 * season),
    }
    for label, start, end, _ in W.month_groups():
        name = "account_overview_analytics.csv" if label == "audit" else "account_overview_analytics (1).csv"
        with CsvWriter(folder / name, final_eol=False) as w:
            w.row(OVERVIEW)
            idx = np.flatnonzero((W.DAYS >= pd.Timestamp(start)) & (W.DAYS <= pd.Timestamp(end)))
            for i in idx[::-1]:
                day = W.DAYS[i]
                w.row([f"{day:%a, %b} {day.day}, {day.year}"] + [int(cols[c][i]) for c in OVERVIEW[1:]])
