"""Competitor comparisons: within a platform only, z-scores by hand, head to head, weak spots."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from audit import schemas
from audit.config import AuditConfig, Period
from audit.metrics import competitors as K

JAN = Period(start="2024-01-01", end="2024-01-31")


def config(*competitors):
    return AuditConfig.model_validate({"client": "c", "brand": {"name": "Acme"}, "objectives": ["sales"],
                                       "competitors": [{"name": c} for c in competitors]})


def tables(followers: dict[tuple[str, str], float], posts_per_account: int = 12, seed: int = 0):
    rng = np.random.default_rng(seed)
    rows, daily = [], []
    for (platform, account), f in followers.items():
        for i in range(posts_per_account):
            rows.append({"platform": platform, "account": account, "post_id": f"{platform}-{account}-{i}",
                         "published_at": pd.Timestamp("2024-01-01 12:00", tz="UTC") + pd.Timedelta(days=2 * i),
                         "reactions": float(rng.integers(0, 100))})
        daily.append({"platform": platform, "account": account, "date": pd.Timestamp("2023-12-31"),
                      "metric": "followers", "value": f})
    p = schemas.conform("posts", pd.DataFrame(rows).assign(source_file="p"))
    d = schemas.conform("account_daily", pd.DataFrame(daily).assign(source_file="d"))
    return {"posts": p, "account_daily": d}


def test_z_scores_within_each_platform_by_hand():
    t = tables({("facebook", "Acme"): 1000, ("facebook", "Rival"): 2000, ("facebook", "Other"): 3000,
                ("tiktok", "Acme"): 50, ("tiktok", "Rival"): 1_000_000, ("tiktok", "Other"): 10})
    s = K.side_by_side(t, config("Rival", "Other"), JAN)
    fb = s[(s["platform"] == "facebook") & (s["column"] == "followers_end")].set_index("account")
    # mean 2000, sample SD 1000
    assert fb["z"].to_dict() == {"Other": 1.0, "Rival": 0.0, "Acme": -1.0}
    assert fb["rank"].to_dict() == {"Other": 1, "Rival": 2, "Acme": 3}
    assert fb.loc["Acme", "is_brand"] and not fb.loc["Rival", "is_brand"]
    # a huge TikTok account does not move the Facebook z-scores: platforms are never mixed
    for _, g in s.dropna(subset=["z"]).groupby(["platform", "column"]):
        assert g["z"].mean() == pytest.approx(0, abs=1e-9)
    assert set(s["metric"]) <= set(K.SIDE_BY_SIDE.values())


def test_one_competitor_gives_ranks_but_no_z():
    t = tables({("facebook", "Acme"): 1000, ("facebook", "Rival"): 2000})
    s = K.side_by_side(t, config("Rival"), JAN)
    assert s["z"].isna().all() and (s["accounts"] == 2).all()
    fol = s[s["column"] == "followers_end"].set_index("account")
    assert fol.loc["Rival", "rank"] == 1 and fol.loc["Acme", "rank"] == 2
    h = K.head_to_head(t["posts"], config("Rival"), t["account_daily"], JAN)
    assert len(h) == 1 and h.iloc[0]["competitor"] == "Rival" and h.iloc[0]["brand_posts"] == 12


def test_head_to_head_verdicts():
    t = tables({("facebook", "Acme"): 100, ("facebook", "Rival"): 10_000, ("facebook", "Other"): 120}, seed=1)
    h = K.head_to_head(t["posts"], config("Rival", "Other"), t["account_daily"], JAN).set_index("competitor")
    # same engagement distribution, 100x fewer followers: Acme's per-post rate by followers is higher
    assert h.loc["Rival", "verdict"] == "higher" and h.loc["Rival", "diff"] > 0
    assert h.loc["Rival", "brand_median"] == pytest.approx(
        np.median(t["posts"].loc[t["posts"]["account"] == "Acme", "reactions"] / 100))
    few = tables({("facebook", "Acme"): 100, ("facebook", "Rival"): 100}, posts_per_account=4)
    assert K.head_to_head(few["posts"], config("Rival"), few["account_daily"], JAN).iloc[0]["verdict"] == \
        "not enough data"


def test_empty_tables():
    t = {"posts": schemas.empty("posts"), "account_daily": schemas.empty("account_daily")}
    assert K.side_by_side(t, config("Rival"), JAN).empty
    assert K.head_to_head(t["posts"], config("Rival"), t["account_daily"], JAN).empty
    c = K.complaint_topics({"mentions": schemas.empty("mentions")}, config("Rival"), JAN)
    assert len(c) == 1 and c.iloc[0]["complaints"] == 0 and math.isnan(c.iloc[0]["complaint_share"])


def test_competitors_complaint_topics():
    m = schemas.conform("mentions", pd.DataFrame({
        "platform": "listening", "account": ["Rival"] * 5 + ["Other"] * 2 + ["Acme"], "source_file": "m",
        "published_at": pd.to_datetime([f"2024-01-0{i} 10:00" for i in range(1, 9)], utc=True),
        "text": ["Livraison en retard, colis jamais arrivé, je suis déçu", "Great product",
                 "Refund still not received, terrible", "the worst", "love it",
                 "ok", "Le service client ne répond pas, inadmissible", "terrible delivery"]}))
    reviews = schemas.conform("reviews", pd.DataFrame({
        "platform": "google", "account": "Rival", "source_file": "r", "review_id": ["1", "2"],
        "published_at": pd.to_datetime(["2024-01-10", "2024-01-11"], utc=True), "rating": [1.0, 5.0],
        "text": ["Delivery took a month", "great"]}))
    c = K.complaint_topics({"mentions": m, "reviews": reviews}, config("Rival", "Other"), JAN)
    rival = c[c["account"] == "Rival"].set_index("topic")
    # 5 mentions + 2 reviews; complaints: 3 mentions by keyword + the 1-star review
    assert (rival["items"] == 7).all() and (rival["complaints"] == 4).all()
    assert rival["complaint_share"].iloc[0] == pytest.approx(4 / 7)
    assert rival.loc["delivery", "topic_complaints"] == 2 and rival.loc["delivery", "topic_share"] == 0.5
    assert rival.loc["delivery", "example"] == "Delivery took a month"  # the most recent
    # the brand's own complaints are not among the competitors' weak spots
    assert set(c["account"]) == {"Rival", "Other"}
    other = c[c["account"] == "Other"].iloc[0]
    assert other["topic"] == "customer_service" and other["complaints"] == 1
