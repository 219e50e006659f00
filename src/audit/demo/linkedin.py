"""LinkedIn company-page content workbooks (one per year, `<vanity>_content_<epoch-ms>.xlsx`):
sheets `Metrics` (per day) and `All posts` (per post, newest first), each with a one-sentence
description in row 1 and the header in row 2; dates are text (MM/DD/YYYY), rates are fractions."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import posts as P
from . import world as W
from .writers import write_xlsx

METRICS_NOTE = ("Aggregated engagement metrics for your organic and sponsored posts over time. Date indicates when "
                "your posts were viewed by LinkedIn members. Data is delayed by up to 2 days. All dates and times "
                "are in UTC.")
POSTS_NOTE = ("Engagement metrics for individual posts. Created date indicates when your post was created. All dates "
              "and times are in UTC.")
KINDS = ("organic", "sponsored", "total")
METRICS = (["Date"] + [f"Impressions ({k})" for k in KINDS] + ["Unique impressions (organic)"]
           + [f"{m} ({k})" for m in ("Clicks", "Reactions", "Comments", "Reposts") for k in KINDS]
           + [f"Engagement rate ({k})" for k in KINDS])
POSTS = ["Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date", "Campaign start date",
         "Campaign end date", "Audience", "Impressions", "Views", "Offsite Views", "Clicks", "Click through rate (CTR)",
         "Likes", "Comments", "Reposts", "Follows", "Engagement rate", "Content Type"]
LINKEDIN_EPOCH_SHIFT = 22  # activity ids carry the creation time in milliseconds in their top bits


def write(out: Path, seed: int, scale: int) -> None:
    spec = P.SPECS["linkedin"]
    for label, start, end, months in W.month_groups():
        frames = [P.month_posts(seed, spec, m, scale) for m in months]
        df = pd.concat([f for f in frames if not f.empty], ignore_index=True)
        r = W.rng(seed, "linkedin", label)
        daily = {k: P.Daily() for k in ("organic", "sponsored")}
        n = len(df)
        clicks = r.poisson(df["reach"].to_numpy() * 0.022)
        for kind in daily:
            sel = (df["type"] == kind.capitalize()).to_numpy()
            d = df["day"].to_numpy()[sel]
            for metric, values in (("impressions", df["impressions"]), ("unique", df["reach"]), ("clicks", clicks),
                                   ("reactions", df["reactions"]), ("comments", df["comments"]),
                                   ("reposts", df["shares"])):
                daily[kind].add(metric, d, np.asarray(values)[sel], spread=(0.6, 0.25, 0.1, 0.05))
        utc = pd.DatetimeIndex(df["published"]).tz_localize(W.TZ).tz_convert("UTC")
        ids = [str((int(t.value // 1_000_000) << LINKEDIN_EPOCH_SHIFT) | int(j))
               for t, j in zip(utc, r.integers(0, 1 << 22, n))]
        post_rows = []
        c = {k: df[k].tolist() for k in ("type", "impressions", "reactions", "comments", "shares", "follows", "text")}
        created = W.fmt(utc, "%m/%d/%Y")
        ends = W.fmt(utc + pd.Timedelta(days=14), "%m/%d/%Y")
        for i in reversed(range(n)):
            sponsored = c["type"][i] == "Sponsored"
            impr = int(c["impressions"][i])
            eng = int(clicks[i] + c["reactions"][i] + c["comments"][i] + c["shares"][i])
            post_rows.append([
                c["text"][i], f"https://www.linkedin.com/feed/update/urn:li:activity:{ids[i]}", c["type"][i],
                "Recrutement apprentis" if sponsored else "", W.BRAND, created[i], created[i] if sponsored else "",
                ends[i] if sponsored else "", "Ciblage personnalisé" if sponsored else "All followers", impr, "", "",
                int(clicks[i]), clicks[i] / impr if impr else 0, int(c["reactions"][i]), int(c["comments"][i]),
                int(c["shares"][i]), int(c["follows"][i]) or "", eng / impr if impr else 0, ""])
        days = np.flatnonzero((W.DAYS >= pd.Timestamp(start)) & (W.DAYS <= pd.Timestamp(end)))
        base = W.rng(seed, "linkedin-base", label).poisson(40 * W.growth(W.DAYS, 0.1))
        metric_rows = []
        for i in days:
            row = {}
            for kind in KINDS:
                parts = list(daily.values()) if kind == "total" else [daily[kind]]
                extra = base[i] if kind != "sponsored" else 0
                row[kind] = {m: int(round(sum(p[m][i] for p in parts))) + (extra if m == "impressions" else 0)
                             for m in ("impressions", "clicks", "reactions", "comments", "reposts")}
            unique = int(round(daily["organic"]["unique"][i] * 0.8)) + int(base[i] * 0.7)
            values = [W.DAYS[i].strftime("%m/%d/%Y")] + [row[k]["impressions"] for k in KINDS] + [unique]
            for m in ("clicks", "reactions", "comments", "reposts"):
                values += [row[k][m] for k in KINDS]
            for k in KINDS:
                e = row[k]
                act = e["clicks"] + e["reactions"] + e["comments"] + e["reposts"]
                values.append(act / e["impressions"] if e["impressions"] else 0)
            metric_rows.append(values)
        exported = pd.Timestamp(W.EXPORTED).tz_localize(W.TZ).tz_convert("UTC") + pd.Timedelta(minutes=len(label))
        ms = exported.value // 1_000_000
        write_xlsx(out / "linkedin" / f"{W.LINKEDIN_VANITY}_content_{ms}.xlsx",
                   [("Metrics", [[METRICS_NOTE], METRICS, *metric_rows]), ("All posts", [[POSTS_NOTE], POSTS, *post_rows])],
                   created=exported.strftime("%Y-%m-%dT%H:%M:%SZ"))
