"""Customer experience metrics against values computed by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import schemas
from audit.config import AuditConfig, BusinessHours, Period
from audit.metrics import experience as ex
from audit.metrics.registry import REGISTRY

T0 = pd.Timestamp("2025-03-03 08:00", tz="UTC")  # a Monday
H = pd.Timedelta(hours=1)


def table(name: str, **cols) -> pd.DataFrame:
    n = max(len(v) for v in cols.values() if isinstance(v, list))
    base = {"platform": "facebook", "account": "Brand", "source_file": "f.csv"}
    return schemas.conform(name, pd.DataFrame(base | cols, index=range(n)))


def inbox(received, answered, **extra) -> pd.DataFrame:
    return table("inbox", message_id=[str(i) for i in range(len(received))], received_at=list(received),
                 first_response_at=list(answered), **extra)


def by_metric(ests) -> dict:
    return {(e.metric, e.label): e for e in ests}


# ---------------------------------------------------------------- response rate
def test_response_rates_by_hand():
    df = inbox([T0] * 5, [T0 + H, pd.NaT, T0 + H, pd.NaT, T0 + H],
               is_question=[True, True, False, None, True], is_complaint=[False, True, True, None, False])
    r = {e.label: e for e in ex.response_rates(df)}
    assert r["all"].value == pytest.approx(3 / 5) and r["all"].n == 5
    assert r["questions"].value == pytest.approx(2 / 3) and r["questions"].n == 3
    assert r["complaints"].value == pytest.approx(1 / 2) and r["complaints"].n == 2
    assert r["all"].low < 0.6 < r["all"].high
    assert all(e.metric == "experience.response_rate" for e in r.values())


def test_response_rate_period_and_account_filter():
    df = inbox([T0, T0 + pd.Timedelta(days=40), T0], [pd.NaT, T0, T0 + H])
    df.loc[2, "account"] = "Rival"
    p = Period(start="2025-03-01", end="2025-03-31")
    r = {e.label: e for e in ex.response_rates(df, "Brand", p)}
    assert r["all"].n == 1 and r["all"].value == 0


def test_no_messages():
    ests = ex.response_rates(schemas.empty("inbox"))
    assert all(e.value is None and e.n == 0 for e in ests)
    t = ex.first_response_times(schemas.empty("inbox"))
    assert t.empty


# ---------------------------------------------------------------- Kaplan–Meier
def test_kaplan_meier_by_hand_with_ties_and_censoring():
    # waits (h): 0.5, 2, 2, 5, 30 answered; one unanswered, censored at the export 10 h after arrival.
    # KM: S(0.5)=5/6, S(2)=5/6*3/5=1/2, S(5)=1/2*2/3=1/3, censored at 10 (at risk 2 -> 1), S(30)=0.
    received = [T0] * 6
    answered = [T0 + 0.5 * H, T0 + 2 * H, T0 + 2 * H, T0 + 5 * H, pd.NaT, T0 + 30 * H]
    ests = by_metric(ex.survival_summary(*_dur(received, answered, T0 + 10 * H)))
    assert ests[("experience.first_response_median", None)].value == 2.0
    assert ests[("experience.first_response_p90", None)].value == 30.0
    assert ests[("experience.answered_within_1h", None)].value == pytest.approx(1 / 6)
    assert ests[("experience.answered_within_4h", None)].value == pytest.approx(1 / 2)
    assert ests[("experience.answered_within_24h", None)].value == pytest.approx(2 / 3)
    med = ests[("experience.first_response_median", None)]
    assert med.n == 6 and med.low <= 2.0


def _dur(received, answered, as_of):
    d = ex.response_durations(inbox(received, answered), as_of=as_of)
    return d["hours"].to_numpy(), d["answered"].to_numpy()


def test_censored_messages_are_not_dropped():
    # 4 answered after 1 h, 6 never answered in 100 h: dropping them would say "median 1 h";
    # counting them as waiting gives: median not reached (60 % still waiting).
    received = [T0] * 10
    answered = [T0 + H] * 4 + [pd.NaT] * 6
    t = ex.first_response_times(inbox(received, answered), as_of=T0 + 100 * H).set_index("metric")
    assert pd.isna(t.loc["experience.first_response_median", "value"])
    assert t.loc["experience.answered_within_1h", "value"] == pytest.approx(0.4)
    assert t.loc["experience.answered_within_24h", "value"] == pytest.approx(0.4)
    assert t.loc["experience.first_response_median", "answered"] == 4


def test_all_unanswered():
    df = inbox([T0] * 12, [pd.NaT] * 12)
    t = ex.first_response_times(df, as_of=T0 + 48 * H).set_index("metric")
    assert t["value"].isna()["experience.first_response_median"]
    assert t.loc["experience.answered_within_24h", "value"] == 0
    assert t.loc["experience.answered_within_24h", "high"] > 0  # a Wilson bound, not a certainty
    assert {e.label: e.value for e in ex.response_rates(df)}["all"] == 0


def test_all_answered_matches_plain_quantiles():
    waits = np.arange(1, 21, dtype=float)  # 1..20 h, nothing censored
    df = inbox([T0] * 20, [T0 + w * H for w in waits])
    t = ex.first_response_times(df).set_index("metric")
    # first time with S <= 0.5: 10 h; with S <= 0.1: 18 h
    assert t.loc["experience.first_response_median", "value"] == 10
    assert t.loc["experience.first_response_p90", "value"] == 18
    assert t.loc["experience.answered_within_4h", "value"] == pytest.approx(4 / 20)
    lo, hi = t.loc["experience.first_response_median", ["low", "high"]]
    assert lo <= 10 <= hi


def test_default_censoring_time_is_latest_timestamp():
    df = inbox([T0, T0 + 2 * H], [T0 + 3 * H, pd.NaT])  # latest time in the table: T0 + 3 h
    d = ex.response_durations(df)
    assert d["hours"].tolist() == [3.0, 1.0]
    assert d["answered"].tolist() == [True, False]


def test_answer_before_arrival_is_dropped():
    df = inbox([T0, T0], [T0 - H, T0 + H])
    assert len(ex.response_durations(df)) == 1


def test_by_group():
    df = inbox([T0] * 4, [T0 + H, T0 + 3 * H, T0 + H, pd.NaT], kind=["message", "message", "comment", "comment"])
    t = ex.first_response_times(df, by="kind", as_of=T0 + 10 * H)
    med = t[t["metric"] == "experience.first_response_median"].set_index("label")["value"]
    assert med["message"] == 1.0 and med["comment"] == 1.0
    n = t[t["metric"] == "experience.first_response_median"].set_index("label")["n"]
    assert n.to_dict() == {"comment": 2, "message": 2}


# ---------------------------------------------------------------- business hours
BH = BusinessHours(days=["mon", "tue", "wed", "thu", "fri"], start="09:00", end="18:00")


@pytest.mark.parametrize("start,end,hours", [
    ("2025-03-07 17:00", "2025-03-10 10:00", 2.0),   # Fri 17-18 + Mon 9-10
    ("2025-03-03 07:00", "2025-03-03 08:30", 0.0),   # before opening
    ("2025-03-03 07:00", "2025-03-03 19:00", 9.0),   # the whole day
    ("2025-03-08 10:00", "2025-03-09 15:00", 0.0),   # weekend
    ("2025-03-03 10:00", "2025-03-05 11:30", 19.5),  # Mon 8 h + Tue 9 h + Wed 2.5 h
    ("2025-03-03 12:00", "2025-03-03 11:00", 0.0),   # end before start
])
def test_business_seconds(start, end, hours):
    s = pd.Series([pd.Timestamp(start, tz="UTC")])
    e = pd.Series([pd.Timestamp(end, tz="UTC")])
    assert ex.business_seconds(s, e, BH).iloc[0] / 3600 == pytest.approx(hours)


def test_business_seconds_in_local_time():
    # 08:30 UTC = 09:30 in Paris (winter): half an hour of business time to 10:00 Paris
    s = pd.Series([pd.Timestamp("2025-03-03 08:30", tz="UTC")])
    e = pd.Series([pd.Timestamp("2025-03-03 09:00", tz="UTC")])
    assert ex.business_seconds(s, e, BH, "Europe/Paris").iloc[0] == 1800
    assert ex.business_seconds(s, e, BH, "UTC").iloc[0] == 0


def test_business_hours_clock_in_km():
    # Friday 17:00 message answered Monday 10:00: 65 h on the wall clock, 2 business hours
    fri = pd.Timestamp("2025-03-07 17:00", tz="UTC")
    df = inbox([fri], [fri + 65 * H])
    wall = ex.first_response_times(df).set_index("metric")
    biz = ex.first_response_times(df, business_hours=BH).set_index("metric")
    assert wall.loc["experience.first_response_median", "value"] == 65
    assert biz.loc["experience.first_response_median", "value"] == 2


def test_bad_business_hours():
    with pytest.raises(Exception, match="after start"):
        ex.business_seconds(pd.Series([T0]), pd.Series([T0]), BusinessHours(start="18:00", end="09:00"))


# ---------------------------------------------------------------- weekday vs weekend
def test_weekday_vs_weekend():
    sat = pd.Timestamp("2025-03-08 10:00", tz="UTC")
    received = [T0] * 20 + [sat] * 20
    answered = [T0 + (1 + i % 3) * H for i in range(20)] + [sat + (30 + i) * H for i in range(18)] + [pd.NaT] * 2
    rate, frt = ex.weekday_vs_weekend(inbox(received, answered), as_of=sat + 100 * H)
    assert rate.a.value == 1.0 and rate.b.value == pytest.approx(0.9)
    assert rate.verdict == "no reliable difference"
    assert frt.a.value == 2.0 and frt.b.value == 39.0
    assert frt.diff == -37.0
    assert frt.verdict == "lower"  # weekday messages wait less
    assert "log-rank" in frt.method


def test_weekday_vs_weekend_not_enough():
    rate, frt = ex.weekday_vs_weekend(inbox([T0, T0], [T0 + H, pd.NaT]))
    assert frt.verdict == "not enough data" and rate.verdict == "not enough data"


def test_day_type_uses_local_time():
    # Friday 23:30 UTC is Saturday 00:30 in Paris
    s = pd.Series([pd.Timestamp("2025-03-07 23:30", tz="UTC")])
    assert ex.day_type(s, "UTC").iloc[0] == "weekday"
    assert ex.day_type(s, "Europe/Paris").iloc[0] == "weekend"


# ---------------------------------------------------------------- reviews
def reviews():
    return table("reviews", review_id=list("abcde"),
                 published_at=[T0, T0, T0 + pd.Timedelta(days=31), T0 + pd.Timedelta(days=31), T0],
                 rating=[5.0, 4.0, 4.0, 1.0, 3.0], replied_at=[T0 + H, pd.NaT, pd.NaT, T0, pd.NaT],
                 reply=[None, None, "Thanks!", None, "  "])


def test_review_summary():
    r = by_metric(ex.review_summary(reviews()))
    mean = r[("experience.review_rating", "all")]
    assert mean.value == pytest.approx(3.4) and mean.n == 5 and mean.low <= 3.4 <= mean.high
    assert r[("experience.review_reply_rate", "all")].value == pytest.approx(3 / 5)  # date, text, date
    assert r[("experience.reviews", "all")].value == 5
    shares = {k[1]: e.value for k, e in r.items() if k[0] == "experience.review_rating_share"}
    assert shares == {"1 star": 0.2, "2 stars": 0.0, "3 stars": 0.2, "4 stars": 0.4, "5 stars": 0.2}


def test_review_trend():
    t = ex.review_trend(reviews())
    assert t["month"].tolist() == ["2025-03", "2025-04"]
    assert t["reviews"].tolist() == [3, 2]
    assert t["mean_rating"].tolist() == [4.0, 2.5]
    assert t["reply_rate"].tolist() == [pytest.approx(1 / 3), 1.0]
    assert (t["low"] <= t["reviews"]).all() and (t["high"] >= t["reviews"]).all()


def test_no_reviews():
    r = by_metric(ex.review_summary(schemas.empty("reviews")))
    assert r[("experience.review_rating", "all")].value is None
    assert r[("experience.review_reply_rate", "all")].value is None
    assert ex.review_trend(schemas.empty("reviews")).empty


# ---------------------------------------------------------------- complaints
def complaint_tables():
    ib = inbox([T0] * 4, [pd.NaT] * 4, is_complaint=[True, False, None, None],
               text=["where is my parcel", "thanks", "Très déçu du service client", "hello"],
               topic=["Delivery", None, None, None])
    mn = table("mentions", mention_id=["1", "2", "3"], published_at=[T0] * 3,
               text=["Worst app ever, it doesn't work", "love it", "Arnaque !"])
    rv = table("reviews", review_id=["r1", "r2"], published_at=[T0] * 2, rating=[1.0, 5.0],
               title=["Colis perdu", "Great"], text=["jamais reçu", "super"])
    return {"inbox": ib, "mentions": mn, "reviews": rv}


def test_complaints_and_topics():
    c = ex.complaints(complaint_tables(), "Brand")
    assert sorted(c["source"]) == ["inbox", "inbox", "mentions", "mentions", "reviews"]
    got = dict(zip(c["text"], c["topic"]))
    assert got["where is my parcel"] == "delivery"          # the inbox tag, normalised
    assert got["Très déçu du service client"] == "customer_service"  # keyword: "service client"
    assert got["Worst app ever, it doesn't work"] == "website_app"
    assert got["Arnaque !"] == "other"
    assert got["Colis perdu jamais reçu"] == "delivery"
    assert dict(zip(c["text"], c["how"]))["Très déçu du service client"] == "keyword"
    t = ex.complaint_topics(c)
    assert t.iloc[0]["topic"] == "delivery" and t.iloc[0]["complaints"] == 2
    assert t.iloc[0]["share"] == pytest.approx(2 / 5)
    assert t.iloc[0]["sources"] == "inbox, reviews"


def test_complaint_share():
    s = {e.label: e for e in ex.complaint_share(complaint_tables(), "Brand")}
    assert s["inbox"].value == pytest.approx(2 / 4)
    assert s["mentions"].value == pytest.approx(2 / 3)
    assert s["reviews"].value == pytest.approx(1 / 2)


def test_complaint_keywords_from_config():
    cfg = AuditConfig(client="c", brand={"name": "Brand"}, objectives=["sales"], complaint_keywords=["grr*"])
    mn = table("mentions", mention_id=["1"], published_at=[T0], text=["Grrrr encore"])
    assert len(ex.complaints({"mentions": mn}, "Brand")) == 0
    assert len(ex.complaints({"mentions": mn}, "Brand", config=cfg)) == 1


def test_no_complaint_sources():
    assert ex.complaints({}, "Brand").empty
    assert ex.complaint_topics(ex.complaints({}, "Brand")).empty
    assert ex.complaint_share({}, "Brand") == []


# ---------------------------------------------------------------- surveys
def surveys(nps=None, csat=None):
    n = len(nps or csat)
    return table("surveys", response_id=[str(i) for i in range(n)], submitted_at=[T0] * n,
                 nps=nps or [None] * n, csat=csat or [None] * n)


def test_nps_by_hand():
    # 4 promoters (9, 10, 10, 9), 3 passives (7, 8, 8), 3 detractors (0, 5, 6): NPS = 100 * (4 - 3) / 10 = 10
    e = ex.nps(surveys(nps=[9, 10, 10, 9, 7, 8, 8, 0, 5, 6]))
    assert e.value == pytest.approx(10.0) and e.n == 10
    # adjusted Wald: n' = 13, p = 4.75/13, d = 3.75/13
    p, d = 4.75 / 13, 3.75 / 13
    half = 1.959963984540054 * np.sqrt((p + d - (p - d) ** 2) / 13)
    assert e.low == pytest.approx(100 * (p - d - half))
    assert e.high == pytest.approx(100 * (p - d + half))


def test_nps_bounds_and_empty():
    e = ex.nps(surveys(nps=[10] * 50))
    assert e.value == 100 and e.high == 100 and e.low < 100
    assert ex.nps(schemas.empty("surveys")).value is None


def test_csat():
    e = ex.csat(surveys(csat=[5, 4, 3, 1, 4]))
    assert e.value == pytest.approx(3 / 5) and e.n == 5
    assert ex.csat(schemas.empty("surveys")).value is None


def test_metric_ids_registered():
    for mid in ("experience.response_rate", "experience.first_response_median", "experience.first_response_p90",
                "experience.answered_within_1h", "experience.answered_within_4h", "experience.answered_within_24h",
                "experience.review_rating", "experience.review_reply_rate", "experience.nps", "experience.csat",
                "experience.complaint_share", "experience.complaint_topic_share"):
        assert REGISTRY[mid].direction == "customer_experience"


# ---------------------------------------------------------------- properties
waits = st.lists(st.tuples(st.floats(0, 200, allow_nan=False), st.booleans()), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(waits, st.randoms(use_true_random=False))
def test_km_properties(rows, rnd):
    received = [T0] * len(rows)
    answered = [T0 + pd.Timedelta(hours=w) if a else pd.NaT for w, a in rows]
    df = inbox(received, answered)
    t1 = ex.first_response_times(df, as_of=T0 + 300 * H)
    order = list(range(len(rows)))
    rnd.shuffle(order)
    t2 = ex.first_response_times(df.iloc[order].reset_index(drop=True), as_of=T0 + 300 * H)
    pd.testing.assert_frame_equal(t1, t2)
    v = t1.set_index("metric")
    shares = [v.loc[f"experience.answered_within_{h}h", "value"] for h in (1, 4, 24)]
    assert all(0 <= s <= 1 for s in shares) and shares == sorted(shares)
    for h in (1, 4, 24):
        lo, val, hi = v.loc[f"experience.answered_within_{h}h", ["low", "value", "high"]]
        assert 0 <= lo <= val + 1e-9 and val <= hi + 1e-9 and hi <= 1
    med, p90 = v.loc["experience.first_response_median", "value"], v.loc["experience.first_response_p90", "value"]
    if pd.notna(p90):
        assert pd.notna(med) and med <= p90
    for e in ex.response_rates(df):
        assert e.value is None or 0 <= e.low <= e.value <= e.high <= 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 10), min_size=1, max_size=60))
def test_nps_properties(scores):
    e = ex.nps(surveys(nps=scores))
    assert -100 <= e.low <= e.value <= e.high <= 100


def test_complaint_tags_share_the_rules_vocabulary():
    ib = inbox([T0] * 4, [pd.NaT] * 4, is_complaint=[True] * 4,
               text=["colis jamais arrivé", "bof", "Commande incomplète", "rien"],
               topic=["Livraison", "autre", "Accueil", "Allergènes"])
    c = ex.complaints({"inbox": ib}, "Brand")
    assert c["topic"].tolist() == ["delivery", "other", "store_staff", "food_safety"]
    ib2 = ib.assign(topic=["Emballage", None, None, None])
    c2 = ex.complaints({"inbox": ib2}, "Brand")
    assert c2["topic"].tolist() == ["emballage", "other", "orders", "other"]  # unknown tags kept as written


def test_scope_needs_reply_and_censoring_at_the_export():
    # two questions (answered after 1 h and 3 h), two 'Yum!' comments never answered, and a message
    # after the period that sets the export time (T0 + 50 h)
    late = T0 + 50 * H
    df = inbox([T0, T0, T0, T0, late], [T0 + H, T0 + 3 * H, pd.NaT, pd.NaT, late],
               is_question=[True, True, False, False, False], is_complaint=[False] * 5)
    p = Period(start="2025-03-03", end="2025-03-03")
    need = ex.first_response_times(df, period=p).set_index("metric")
    assert need.loc["experience.first_response_median", "n"] == 2
    assert need.loc["experience.first_response_median", "value"] == 1.0
    every = ex.first_response_times(df, period=p, scope="all").set_index("metric")
    assert every.loc["experience.first_response_median", "n"] == 4
    assert every.loc["experience.first_response_median", "value"] == 3.0  # S(1)=3/4, S(3)=1/2
    # the comments are censored at the export (50 h), not at the period's last event
    d = ex.response_durations(df.iloc[:4], as_of=late)
    assert d["hours"].tolist()[2:] == [50.0, 50.0]
    assert every.loc["experience.answered_within_24h", "value"] == pytest.approx(0.5)
    with pytest.raises(ValueError):
        ex.first_response_times(df, scope="some")
