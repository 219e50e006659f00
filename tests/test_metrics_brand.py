"""Brand health on tiny mention and search tables worked out by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import schemas
from audit.config import AuditConfig, Period
from audit.metrics import brand as B

CFG = AuditConfig.model_validate({"client": "c", "brand": {"name": "Acme", "keywords": ["acmé shop"]},
                                  "competitors": [{"name": "Rival"}], "objectives": ["sales"]})
JAN = Period(start="2024-01-01", end="2024-01-31")
FEB = Period(start="2024-02-01", end="2024-02-29")


def utc(*s):
    return pd.to_datetime(list(s), utc=True, format="ISO8601")


@pytest.fixture
def mentions():
    return schemas.conform("mentions", pd.DataFrame({
        "platform": "listening", "account": ["Acme", "Acme", "Acme", "Rival", "Rival", "Acme"], "source_file": "m",
        "published_at": utc("2024-01-01 10:00", "2024-01-02 10:00", "2024-02-01 10:00", "2024-01-05 10:00",
                            "2024-02-05 10:00", "2024-02-06 10:00"),
        "author": ["al", "bo", "al", "cy", None, "bo"], "author_followers": [100, 10000, 150, 50, np.nan, np.nan],
        "engagement": [5, 0, 1, 2, 3, 4], "reach": [100, 200, np.nan, 50, 50, 10],
        "source": ["twitter.com", "news", "Facebook", "blog", "x.com", "forum"],
        "url": [None, "https://www.instagram.com/p/1", None, None, None, None],
        "sentiment": ["positive", "Negative", "neutral", "positive", None, "positive"]}))


def test_mention_platform_from_platform_source_or_url(mentions):
    assert B.mention_platform(mentions).tolist() == ["x", "instagram", "facebook", "other web", "x", "other web"]


def test_mention_volume_by_month(mentions):
    v = B.mention_volume(mentions)
    assert v.values.tolist() == [["Acme", pd.Timestamp("2024-01-01"), 2], ["Acme", pd.Timestamp("2024-02-01"), 2],
                                 ["Rival", pd.Timestamp("2024-01-01"), 1], ["Rival", pd.Timestamp("2024-02-01"), 1]]


def test_sentiment_split_and_net(mentions):
    s = B.sentiment(mentions).set_index("account")
    a = s.loc["Acme"]
    assert (a["mentions"], a["positive"], a["neutral"], a["negative"], a["labelled"]) == (4, 2, 1, 1, 4)
    assert a["positive_share"] == 0.5 and a["negative_share"] == 0.25
    # (2 - 1) / (2 + 1); interval = 2 x Wilson(2 of 3) - 1
    assert a["net_sentiment"] == pytest.approx(1 / 3)
    from audit.metrics.stats import wilson_interval
    lo, hi = wilson_interval(2, 3)
    assert a["net_low"] == pytest.approx(2 * lo - 1) and a["net_high"] == pytest.approx(2 * hi - 1)
    # Rival: one labelled mention out of two
    assert s.loc["Rival", "labelled"] == 1 and s.loc["Rival", "positive_share"] == 1.0


def test_share_of_voice_overall_month_platform(mentions):
    o = B.share_of_voice(mentions, CFG).iloc[0]
    assert (o["brand_mentions"], o["mentions"], o["accounts"]) == (4, 6, 2)
    assert o["share_of_voice"] == pytest.approx(4 / 6) and o["low"] < 4 / 6 < o["high"]
    # reach: brand 100 + 200 + 10 (one missing) over all 410
    assert o["share_of_voice_reach"] == pytest.approx(310 / 410)
    m = B.share_of_voice(mentions, "Acme", by="month")
    assert m["brand_mentions"].sum() == 4 and m["mentions"].sum() == 6
    p = B.share_of_voice(mentions, "Acme", by="platform").set_index("group")
    assert p.loc["x", "share_of_voice"] == 0.5 and math.isnan(p.loc["facebook", "share_of_voice_reach"])
    with pytest.raises(ValueError):
        B.share_of_voice(mentions, CFG, by="week")


def test_share_of_voice_with_one_account_only(mentions):
    o = B.share_of_voice(mentions[mentions["account"] == "Acme"], CFG).iloc[0]
    assert o["share_of_voice"] == 1.0 and o["accounts"] == 1


def test_mentions_by_source(mentions):
    s = B.mentions_by_source(mentions, "Acme")
    assert s["mentions"].sum() == 4 and (s["share"] == 0.25).all()
    p = B.mentions_by_source(mentions, "Acme", key="platform").set_index("platform")
    assert p.loc["instagram", "mentions"] == 1


def test_influence_formula(mentions):
    a = B.influencers(mentions, "Acme").set_index("author")
    # bo: followers 10000 (max), 2 mentions (max), engagement 4; al: followers 150, 2 mentions, engagement 6 (max)
    f_al = math.log1p(150) / math.log1p(10000)
    e_bo = math.log1p(4) / math.log1p(6)
    assert a.loc["bo", "influence"] == pytest.approx(100 * (0.5 * 1 + 0.3 * 1 + 0.2 * e_bo))
    assert a.loc["al", "influence"] == pytest.approx(100 * (0.5 * f_al + 0.3 * 1 + 0.2 * 1))
    assert a.loc["bo", "rank"] == 1 and a.loc["al", "rank"] == 2
    assert a.loc["al", "platforms"] == "facebook, x"
    # published weights can be changed: engagement only puts al first
    w = B.influencers(mentions, "Acme", weights={"followers": 0, "mentions": 0, "engagement": 1})
    assert w.iloc[0]["author"] == "al"


def test_volume_change_counts_days_without_mentions(mentions):
    c = B.volume_change(mentions, "Acme", FEB, JAN)
    assert c.a.value == pytest.approx(2 / 29) and c.b.value == pytest.approx(2 / 31)
    assert c.a.n == 29 and c.verdict == "no reliable difference"


def test_spikes_take_weekly_seasonality_into_account():
    days = pd.date_range("2024-01-01", "2024-04-30", freq="D", tz="UTC")
    # weekdays 20 mentions, weekends 2: a plain threshold would call every Monday a spike
    counts = np.where(days.day_of_week < 5, 20, 2)
    counts[days.get_loc(pd.Timestamp("2024-04-10", tz="UTC"))] = 60   # a Wednesday
    counts[days.get_loc(pd.Timestamp("2024-04-13", tz="UTC"))] = 20   # a Saturday at weekday level
    m = pd.DataFrame({"account": "Acme", "published_at": np.repeat(days, counts)})
    s = B.spikes(m, "Acme")
    assert s.loc[s["is_spike"], "day"].dt.strftime("%Y-%m-%d").tolist() == ["2024-04-10", "2024-04-13"]
    # no baseline in the first four weeks, so no verdict there
    assert s["baseline"].iloc[:28].isna().all() and not s["is_spike"].iloc[:28].any()
    row = s.set_index("day").loc[pd.Timestamp("2024-04-13")]
    assert row["baseline"] == 2 and row["threshold"] == pytest.approx(2 + 3 * math.sqrt(2))
    within = B.spikes(m, "Acme", Period(start="2024-04-01", end="2024-04-30"))
    assert len(within) == 30 and within["is_spike"].sum() == 2


def test_spikes_on_no_mentions():
    assert B.spikes(schemas.empty("mentions"), "Acme").empty


def test_branded_search():
    s = schemas.conform("search", pd.DataFrame({
        "platform": "search_console", "account": "Acme", "source_file": "s",
        "dimension": ["query"] * 4 + ["date"] * 2, "value": ["ACME shop", "acme", "shoes", "Acmé Shop paris", None, None],
        "date": pd.to_datetime([None] * 4 + ["2024-01-01", "2024-01-02"]),
        "period_start": pd.to_datetime(["2024-01-01"] * 6), "period_end": pd.to_datetime(["2024-01-31"] * 6),
        "clicks": [10, 5, 20, 1, 30, 10], "impressions": [100, 50, 400, 10, 1000, 200],
        "position": [1, 2, 8, 1.5, np.nan, np.nan]}))
    r = B.branded_search(s, CFG, JAN)
    assert r["keywords"] == ["acme", "acme shop"] and r["branded_queries"] == 3
    assert r["branded"]["clicks"] == 16 and r["branded"]["impressions"] == 160 and r["branded"]["ctr"] == 0.1
    # impression-weighted position: (1 x 100 + 2 x 50 + 1.5 x 10) / 160
    assert r["branded"]["position"] == pytest.approx(215 / 160)
    assert r["branded_share_clicks"] == pytest.approx(16 / 36)
    # daily rows total 40 clicks, queries show 36: 10 % hidden
    assert r["hidden_share"] == pytest.approx(0.1)
    none = B.branded_search(schemas.empty("search"), CFG)
    assert none["query_rows"] == 0 and none["branded_share_clicks"] is None and none["hidden_share"] is None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Acme", "Rival", "Third"]),
                          st.sampled_from(["positive", "neutral", "negative", None]), st.integers(0, 60)),
                min_size=1, max_size=50), st.randoms())
def test_properties(rows, rnd):
    m = schemas.conform("mentions", pd.DataFrame({
        "platform": "listening", "account": [r[0] for r in rows], "source_file": "m",
        "published_at": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta([r[2] for r in rows], unit="D"),
        "sentiment": [r[1] for r in rows]}))
    shuffled = m.sample(frac=1, random_state=rnd.randint(0, 10**6)).reset_index(drop=True)
    sov = B.share_of_voice(m, CFG)
    pd.testing.assert_frame_equal(sov, B.share_of_voice(shuffled, CFG))
    assert sov["share_of_voice"].between(0, 1).all() and (sov["low"] <= sov["high"]).all()
    by_month = B.share_of_voice(m, CFG, by="month")
    assert by_month["mentions"].sum() == len(rows) and by_month["brand_mentions"].sum() == sov["brand_mentions"].sum()
    s = B.sentiment(m)
    shares = s[["positive_share", "neutral_share", "negative_share"]]
    labelled = s["labelled"] > 0
    assert np.allclose(shares[labelled].sum(axis=1), 1)
    assert (s["positive"] + s["neutral"] + s["negative"] == s["labelled"]).all()
    assert s["mentions"].sum() == len(rows)
    assert (s.loc[labelled, "net_sentiment"].dropna().between(-1, 1)).all()
