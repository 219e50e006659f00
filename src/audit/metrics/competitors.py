"""The brand against its competitors: channel metrics side by side within each platform
(never across platforms), z-scores within a platform, head-to-head post comparisons, and
the competitors' complaint topics (their weak spots).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..config import AuditConfig, Period
from . import channels, stats
from .brand import _fold, _fold_word, _in_period
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

# Complaint detection and topics: transparent keyword rules (English and French), each a
# regular expression matched at the start of a word, on lower-case text without accents.
# A mention can fall under several topics.
COMPLAINT_WORDS = ("complain", "terrible", "awful", "worst", "scam", "disappoint", "never again", "unacceptable",
                   "rip ?off", "useless", "plainte", "decu", "decevant", "arnaque", r"nul(?:le)?s?\b", "honte",
                   "inadmissible", "inacceptable", "scandal", "jamais plus", r"pire\b")
COMPLAINT_TOPICS: dict[str, tuple[str, ...]] = {
    "delivery": ("deliver", "shipping", "shipment", "parcel", "package", "courier", "livr", "colis", "expedi",
                 "transporteur"),
    "price": ("price", "expensive", "overpriced", "pricey", "prix", r"chere?s?\b", "tarif", "couteu"),
    "quality": ("quality", "broken", "defect", "faulty", "damaged", "qualite", "casse", "defectu", "abime"),
    "customer service": ("customer service", "support", "no answer", "no response", "rude", "unhelpful", "agent",
                         "service client", r"sav\b", "repond", "reponse", "injoignable", "conseill"),
    "refunds and returns": ("refund", "return", "money back", "rembours", "retour"),
    "waiting and delays": ("wait", "delay", r"late\b", "slow", "attente", "attendre", "retard", r"lente?s?\b"),
    "availability": ("out of stock", "unavailable", "sold out", "rupture", "indisponible", "epuise"),
    "website and app": ("website", r"apps?\b", "bug", "crash", "login", "log in", r"sites?\b", "appli", "connexion"),
    "billing and payment": ("charged", "payment", "invoice", "billing", "paiement", "facture", "prelevement",
                            "debite"),
}
OTHER_TOPIC = "other"

metric("competitors.z_score", "Z-score within the platform", "competitors", "score",
       "the account's value of a channel metric minus the mean of that metric over the accounts on the same platform",
       "the standard deviation (n - 1) of the metric over those accounts",
       aggregation=f"per platform and metric; only with at least {MIN_ACCOUNTS_FOR_Z} accounts with a value",
       caveats="a few accounts make a crude scale; platforms are never mixed", higher_is_better=None)
metric("competitors.head_to_head", "Brand vs competitor, per post", "competitors", "ratio",
       "median per-post value of the brand's posts on the platform (engagement rate by followers, or the measure named)",
       "the same for the competitor's posts on the same platform",
       aggregation="difference of medians, brand minus competitor, bootstrap interval")
metric("competitors.complaint_share", "Complaints among mentions", "competitors", "fraction",
       "the account's mentions that are complaints: labelled negative, or containing a complaint word "
       "(built-in English/French list plus `complaint_keywords` in audit.yml)", "the account's mentions",
       aggregation="proportion with a Wilson interval", higher_is_better=False)
metric("competitors.complaint_topics", "Complaint topics", "competitors", "fraction",
       "the account's complaints whose text contains a word of the topic's keyword list (delivery, price, quality, "
       "customer service, refunds and returns, waiting and delays, availability, website and app, billing and payment)",
       "the account's complaints", aggregation="proportion with a Wilson interval; a complaint can count in several topics",
       higher_is_better=False, caveats="keyword rules miss paraphrases; read the examples")


def side_by_side(tables, config: AuditConfig, period: Period | None = None,
                 summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every comparable channel metric per platform and account, with z-scores within the platform.

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
    return pd.DataFrame(rows, columns=cols)


# ---------------------------------------------------------------- complaints
def _pattern(rules=(), words=()) -> str:
    """One regex: built-in rules (regex fragments) and user words (literal), at a word start."""
    parts = list(rules) + [re.escape(_fold_word(w).strip()) for w in words if w and w.strip()]
    return r"\b(?:" + "|".join(parts) + ")"


def complaints(mentions: pd.DataFrame, config: AuditConfig | None = None, period: Period | None = None,
               tz="UTC") -> pd.DataFrame:
    """The mentions that are complaints, with one boolean column per topic (and `other`)."""
    m = _in_period(mentions, period, tz)
    text = _fold(m["title"].fillna("") + " " + m["text"].fillna("") + " ")
    extra = list(config.complaint_keywords) if config is not None else []
    neg = (m["sentiment"].astype("str").str.casefold() == "negative").fillna(False)
    is_c = (neg | text.str.contains(_pattern(COMPLAINT_WORDS, extra), regex=True).fillna(False))
    c = m[is_c.to_numpy(dtype=bool)].copy()
    t = text[is_c.to_numpy(dtype=bool)]
    for topic, words in COMPLAINT_TOPICS.items():
        c[topic] = t.str.contains(_pattern(words), regex=True).fillna(False).to_numpy(dtype=bool)
    c[OTHER_TOPIC] = ~c[list(COMPLAINT_TOPICS)].any(axis=1)
    return c


def complaint_topics(mentions: pd.DataFrame, config: AuditConfig | None = None, period: Period | None = None,
                     tz="UTC", accounts: list[str] | None = None) -> pd.DataFrame:
    """Complaint share and complaint topics per account (metrics competitors.complaint_share,
    competitors.complaint_topics). Default accounts: the competitors (their weak spots).

    Columns: account, mentions, complaints, complaint_share, complaint_low, complaint_high,
    topic, topic_complaints, topic_share, topic_low, topic_high, example (the most recent
    complaint on the topic). Topics sorted by frequency within each account."""
    if accounts is None:
        accounts = config.competitor_names if config is not None else sorted(mentions["account"].dropna().unique())
    m = mentions[mentions["account"].isin(accounts)]
    totals = _in_period(m, period, tz).groupby("account").size().reindex(accounts, fill_value=0)
    c = complaints(m, config, period, tz)
    topics = list(COMPLAINT_TOPICS) + [OTHER_TOPIC]
    n_c = c.groupby("account").size().reindex(accounts, fill_value=0)
    per_topic = c.groupby("account")[topics].sum().reindex(accounts, fill_value=0)
    long = per_topic.stack().rename("topic_complaints").rename_axis(["account", "topic"]).reset_index()
    long["mentions"] = long["account"].map(totals)
    long["complaints"] = long["account"].map(n_c)
    lo, hi = stats.wilson_interval(long["complaints"].to_numpy(), long["mentions"].to_numpy())
    long["complaint_share"] = long["complaints"] / long["mentions"].where(long["mentions"] > 0)
    long["complaint_low"], long["complaint_high"] = lo, hi
    lo, hi = stats.wilson_interval(long["topic_complaints"].to_numpy(), long["complaints"].to_numpy())
    long["topic_share"] = long["topic_complaints"] / long["complaints"].where(long["complaints"] > 0)
    long["topic_low"], long["topic_high"] = lo, hi
    # the most recent complaint of each topic, as an example to read
    ex = c.melt(id_vars=["account", "published_at", "text"], value_vars=topics, var_name="topic", value_name="hit")
    ex = ex[ex["hit"]].sort_values("published_at").groupby(["account", "topic"])["text"].last()
    long = long.join(ex.rename("example"), on=["account", "topic"])
    long = long.sort_values(["account", "topic_complaints", "topic"], ascending=[True, False, True])
    cols = ["account", "mentions", "complaints", "complaint_share", "complaint_low", "complaint_high", "topic",
            "topic_complaints", "topic_share", "topic_low", "topic_high", "example"]
    return long[cols].reset_index(drop=True)
