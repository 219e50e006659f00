"""The brand against its competitors: channel metrics side by side within each platform
(never across platforms), z-scores within a platform, head-to-head post comparisons, and
the competitors' complaint topics (their weak spots, with the same rules as the brand's).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import AuditConfig, Period
from . import channels, experience, stats
from .period import within
from .registry import metric

# Channel metrics compared side by side: column of channels.channel_summary -> metric id.
# Competitor exports usually carry only public data (no reach), so follower-based ER leads.
SIDE_BY_SIDE = {
    "followers_end": "channels.followers_end",
    "net_growth_pct": "channels.net_follower_growth_pct",
    "posts_per_week": "channels.posts_per_week",
    "weeks_with_post_share": "channels.weeks_with_post_share",
    "longest_gap_days": "channels.longest_gap_days",
    "median_engagements": "channels.median_engagements_per_post",
    "er_followers": "channels.engagement_rate_followers",
    "median_er_followers": "channels.median_engagement_rate_followers",
    "er_reach": "channels.engagement_rate_reach",
    "er_impressions": "channels.engagement_rate_impressions",
    "median_views_per_post": "channels.median_views_per_post",
    "median_video_views_per_post": "channels.median_video_views_per_post",
}
MIN_ACCOUNTS_FOR_Z = 3

metric("competitors.z_score", "Z-score within the platform", "competitors", "score",
       "the account's value of a channel metric minus the mean of that metric over the accounts on the same platform",
       "the standard deviation (n - 1) of the metric over those accounts",
       aggregation=f"per platform and metric; only with at least {MIN_ACCOUNTS_FOR_Z} accounts with a value",
       caveats="a few accounts make a crude scale; platforms are never mixed", higher_is_better=None)
metric("competitors.head_to_head", "Brand vs competitor, per post", "competitors", "ratio",
       "median per-post value of the brand's posts on the platform (engagement rate by followers, or the measure named)",
       "the same for the competitor's posts on the same platform",
       aggregation="difference of medians, brand minus competitor, bootstrap interval")

def side_by_side(tables, config: AuditConfig, period: Period | None = None,
                 summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every comparable channel metric per platform and account, with z-scores within the platform
    (metric competitors.z_score; the compared metrics are the channels.* ids in SIDE_BY_SIDE).

    Long format: platform, metric (id), column, account, is_brand, value, posts, accounts
    (accounts with a value on the platform), rank (1 = highest), z (NaN below MIN_ACCOUNTS_FOR_Z).
    Platforms with only one account are kept (rank 1, z NaN)."""
    s = summary if summary is not None else channels.channel_summary(tables, config, period)
    cols = ["platform", "metric", "column", "account", "is_brand", "value", "posts", "accounts", "rank", "z"]
    present = [c for c in SIDE_BY_SIDE if c in s.columns]
    if s.empty or not present:
        return pd.DataFrame(columns=cols)
    long = s.melt(id_vars=["platform", "account", "posts"], value_vars=present, var_name="column", value_name="value")
    long = long[long["value"].notna()].copy()
    long["value"] = long["value"].astype(float)
    long["metric"] = long["column"].map(SIDE_BY_SIDE)
    long["is_brand"] = long["account"] == config.brand.name
    g = long.groupby(["platform", "column"])["value"]
    long["accounts"] = g.transform("size")
    long["rank"] = g.rank(ascending=False, method="min").astype(int)
    sd = g.transform("std")
    z = (long["value"] - g.transform("mean")) / sd.where(sd > 0)
    long["z"] = z.where(long["accounts"] >= MIN_ACCOUNTS_FOR_Z)
    order = {c: i for i, c in enumerate(SIDE_BY_SIDE)}
    long = long.sort_values(["platform", "column", "rank", "account"], key=lambda c: c.map(order) if c.name == "column" else c)
    return long[cols].reset_index(drop=True)


def head_to_head(posts: pd.DataFrame, config: AuditConfig, account_daily: pd.DataFrame | None = None,
                 period: Period | None = None, measure: str = "er_followers",
                 frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The brand's posts against each competitor's posts on the same platform: median per-post
    `measure` (er_followers, er_reach, er_impressions or engagement), difference and verdict.

    Metric competitors.head_to_head. Columns: platform, competitor, measure, brand_posts,
    brand_median, competitor_posts, competitor_median, diff, low, high, verdict, method."""
    p = frame if frame is not None else channels.post_frame(posts, account_daily, period, config.timezone)
    cols = ["platform", "competitor", "measure", "brand_posts", "brand_median", "competitor_posts",
            "competitor_median", "diff", "low", "high", "verdict", "method"]
    rows = []
    brand = config.brand.name
    for platform, g in p.groupby("platform", sort=True):  # few platforms x competitors
        own = g.loc[g["account"] == brand, measure]
        for comp in config.competitor_names:
            other = g.loc[g["account"] == comp, measure]
            if own.notna().sum() == 0 and other.notna().sum() == 0:
                continue
            c = stats.compare_groups(own, other, "competitors.head_to_head", brand, comp)
            rows.append([platform, comp, measure, c.a.n, c.a.value, c.b.n, c.b.value, c.diff, c.low, c.high,
                         c.verdict, c.method])
    return stats.numeric(pd.DataFrame(rows, columns=cols),
                         ["brand_posts", "brand_median", "competitor_posts", "competitor_median", "diff", "low", "high"])


# ---------------------------------------------------------------- complaints
def complaint_topics(tables, config: AuditConfig, period: Period | None = None,
                     accounts: list[str] | None = None, top: int = 10) -> pd.DataFrame:
    """The competitors' weak spots: their complaints by topic, found with the same rules as the
    brand's own (experience.complaints: inbox flags, complaint keywords in mentions, 1-2 star
    reviews; metrics experience.complaint_share and experience.complaint_topic_share).

    Default accounts: the competitors. Columns: account, items (inbox rows, mentions and reviews
    about the account), complaints, complaint_share, complaint_low, complaint_high, topic,
    topic_complaints, topic_share, topic_low, topic_high, sources, example (the most recent
    complaint on the topic)."""
    accounts = config.competitor_names if accounts is None else accounts
    tz = config.timezone
    cols = ["account", "items", "complaints", "complaint_share", "complaint_low", "complaint_high", "topic",
            "topic_complaints", "topic_share", "topic_low", "topic_high", "sources", "example"]
    parts = []
    for acc in accounts:  # a few competitors
        c = experience.complaints(tables, acc, period, tz, config)
        items = sum(len(within(df.loc[(df["account"] == acc).to_numpy(dtype=bool), [col]], col, period, tz))
                    for name, col in (("inbox", "received_at"), ("mentions", "published_at"), ("reviews", "published_at"))
                    if (df := _table(tables, name)) is not None)
        share = stats.proportion(len(c), items)
        t = experience.complaint_topics(c, top=top)
        if t.empty:
            t = pd.DataFrame({"topic": [pd.NA], "complaints": [0], "share": [np.nan], "low": [np.nan],
                              "high": [np.nan], "sources": [pd.NA]})
        ex = c.sort_values("at").groupby("topic")["text"].last()
        parts.append(t.rename(columns={"complaints": "topic_complaints", "share": "topic_share", "low": "topic_low",
                                       "high": "topic_high"})
                     .assign(account=acc, items=items, complaints=len(c), complaint_share=share.value,
                             complaint_low=share.low, complaint_high=share.high, example=t["topic"].map(ex)))
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts)[cols].reset_index(drop=True)
    return stats.numeric(out, ["complaint_share", "complaint_low", "complaint_high"])


def _table(tables, name: str) -> pd.DataFrame | None:
    return tables.get(name) if isinstance(tables, dict) else getattr(tables, name, None)
