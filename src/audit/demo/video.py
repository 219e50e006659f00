"""Video platforms. YouTube Studio: one zip holding a folder with `Table data.csv` (one row per
video, 'Total' as row 2, at most 500 rows), `Chart data.csv` (day x video, long format, for the
top videos) and `Totals.csv` (day). TikTok business account: daily overview (a header with a
trailing space), daily followers (`--` and `NAN` placeholders) and per-video files, UTF-8 with BOM
and no final line end. The brand opened its TikTok account in September 2025."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import posts as P
from . import world as W
from .writers import CsvWriter, csv_bytes, write_zip

YT_TABLE = ["Content", "Video title", "Video publish time", "Duration", "Views", "Watch time (hours)", "Subscribers",
            "Impressions", "Impressions click-through rate (%)", "Average view duration"]
YT_CAP = 500
CHART_TOP = 5
DECAY = 0.93  # share of a video's views still to come, day after day
LIFE = 120  # days over which a video's views are counted


def _views_by_day(total: np.ndarray, first_day: np.ndarray) -> np.ndarray:
    """Daily views per video (rows) over DAYS (columns), decaying after publication, cut at END."""
    w = (1 - DECAY) * DECAY ** np.arange(LIFE)
    out = np.zeros((len(total), W.N_DAYS))
    for lag in range(LIFE):
        d = first_day + lag
        ok = d < W.N_DAYS
        out[np.flatnonzero(ok), d[ok]] = np.round(total[ok] * w[lag])
    return out


def _hms(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def youtube(out: Path, seed: int, scale: int) -> None:
    spec = P.SPECS["youtube"]
    df = pd.concat([f for f in (P.month_posts(seed, spec, m, scale) for m in W.MONTHS) if not f.empty],
                   ignore_index=True)
    r = W.rng(seed, "youtube")
    n = len(df)
    ids = P.shortcodes(r, n)
    duration = r.integers(90, 900, n)
    daily = _views_by_day(df["reach"].to_numpy(float), df["day"].to_numpy())
    views = daily.sum(axis=1).astype(int)
    avg_view = duration * r.uniform(0.25, 0.55, n)
    watch = views * avg_view / 3600
    subs = r.poisson(views * 0.004)
    impressions = np.round(views / r.uniform(0.03, 0.08, n)).astype(int)
    order = np.argsort(-views, kind="stable")
    table = [YT_TABLE, ["Total", "", "", "", int(views.sum()), round(float(watch.sum()), 4), int(subs.sum()),
                        int(impressions.sum()), round(100 * views.sum() / max(impressions.sum(), 1), 2),
                        _hms(float(watch.sum() * 3600 / max(views.sum(), 1)))]]
    published = pd.DatetimeIndex(df["published"])
    titles = df["text"].tolist()
    for i in order[:YT_CAP]:
        table.append([ids[i], titles[i], f"{published[i]:%b} {published[i].day}, {published[i].year}",
                      int(duration[i]), int(views[i]), round(float(watch[i]), 4), int(subs[i]), int(impressions[i]),
                      round(100 * views[i] / impressions[i], 2) if impressions[i] else 0, _hms(avg_view[i])])
    chart = [["Date", "Content", "Video title", "Video publish time", "Duration", "Views"]]
    for i in order[:CHART_TOP]:
        when = f"{published[i]:%b} {published[i].day}, {published[i].year}"
        chart += [[f"{day:%Y-%m-%d}", ids[i], titles[i], when, int(duration[i]), int(v)]
                  for day, v in zip(W.DAYS, daily[i])]
    base = W.rng(seed, "youtube-base").poisson(55 * W.season(), W.N_DAYS)
    totals = [["Date", "Views"]] + [[f"{day:%Y-%m-%d}", int(v)] for day, v in zip(W.DAYS, daily.sum(axis=0) + base)]
    folder = f"Content {W.START:%Y-%m-%d}_{W.END:%Y-%m-%d} {W.YOUTUBE_CHANNEL}"
    write_zip(out / "youtube" / f"{folder}.zip",
              [(f"{folder}/Table data.csv", csv_bytes(table)), (f"{folder}/Chart data.csv", csv_bytes(chart)),
               (f"{folder}/Totals.csv", csv_bytes(totals))])


TT_OVERVIEW = ["Date", "Video views", "Reached audience", "Profile views", "Likes", "Shares", "Comments",
               "Phone number clicks ", "Leads submission", "Net growth", "New followers", "Lost followers"]
TT_FOLLOWERS = ["Date", "New followers", "Total followers", "Reached audience", "Engaged audience"]
TT_VIDEOS = ["Video title", "Video link", "Post time", "Video views", "Likes", "Comments", "Shares", "Add to Favorites"]


def tiktok(out: Path, seed: int, scale: int) -> None:
    spec = P.SPECS["tiktok"]
    folder = out / "tiktok"
    daily = P.Daily()
    rows = []
    with CsvWriter(folder / "Content.csv", bom=True, final_eol=False) as w:
        w.row(TT_VIDEOS)
        for m in reversed(W.MONTHS):
            df = P.month_posts(seed, spec, m, scale)
            if df.empty:
                continue
            r = W.rng(seed, "tiktok-rows", m.strftime(P.MONTH_KEY))
            # Post time is UTC; the video id carries the upload second, a few seconds earlier
            utc = pd.DatetimeIndex(df["published"]).tz_localize(W.TZ).tz_convert("UTC") \
                + pd.to_timedelta(r.integers(0, 60, len(df)), unit="s")
            upload = utc - pd.to_timedelta(r.integers(1, 6, len(df)), unit="s")
            ids = [str(((int(t.value // 1_000_000_000)) << 32) | int(j))
                   for t, j in zip(upload, r.integers(0, 1 << 31, len(df)))]
            when = W.fmt(utc, "%Y/%m/%d %H:%M:%S")
            c = {k: df[k].tolist() for k in ("text", "reach", "reactions", "comments", "shares", "saves")}
            for i in reversed(range(len(df))):
                w.row([c["text"][i], f"https://www.tiktok.com/@{W.TIKTOK_HANDLE}/video/{ids[i]}", when[i],
                       c["reach"][i], c["reactions"][i], c["comments"][i], c["shares"][i], c["saves"][i]])
            d = df["day"].to_numpy()
            for metric in ("reach", "reactions", "comments", "shares", "follows"):
                daily.add(metric, d, df[metric], spread=(0.5, 0.3, 0.12, 0.08))
    r = W.rng(seed, "tiktok-daily")
    first = int(W.day_index(pd.DatetimeIndex([pd.Timestamp(spec.start)]))[0])
    views = np.round(daily["reach"]) + r.poisson(30, W.N_DAYS)
    reached = np.round(views * 0.93)
    new = r.poisson(daily["follows"] * 3 + 2)
    lost = r.poisson(0.6, W.N_DAYS)
    with CsvWriter(folder / "Overview.csv", bom=True, final_eol=False) as w:
        w.row(TT_OVERVIEW)
        for i in range(first, W.N_DAYS):
            rows = [f"{W.DAYS[i]:%Y/%m/%d}", int(views[i]), "NAN" if i == first else int(reached[i]),
                    int(r.poisson(views[i] * 0.02)), int(round(daily["reactions"][i])), int(round(daily["shares"][i])),
                    int(round(daily["comments"][i])), 0, 0, int(new[i] - lost[i]), int(new[i]), int(lost[i])]
            w.row(rows)
    with CsvWriter(folder / "Followers.csv", bom=True, final_eol=False) as w:
        w.row(TT_FOLLOWERS)
        for i in range(first, W.N_DAYS):
            engaged = int(round(daily["reactions"][i] + daily["comments"][i] + daily["shares"][i]))
            w.row([f"{W.DAYS[i]:%Y/%m/%d}", int(new[i]), "--", "NAN" if i == first else int(reached[i]),
                   "NAN" if i == first else engaged])
