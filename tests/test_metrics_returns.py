"""Generating returns: social sessions, conversions, revenue, ROAS, cost per lead, UTM hygiene."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import schemas
from audit.config import AuditConfig
from audit.metrics import returns as rt

D = pd.Timestamp
CFG = AuditConfig(client="c", brand={"name": "Brand"}, objectives=["sales"])


def table(name: str, **cols) -> pd.DataFrame:
    n = max(len(v) for v in cols.values() if isinstance(v, list))
    base = {"platform": "ga4", "account": "Brand", "source_file": "f.csv"}
    return schemas.conform(name, pd.DataFrame(base | cols, index=range(n)))


def traffic():
    return table("web_traffic", dimension="channel_group",
                 value=["Organic Social", "PAID SOCIAL", "Direct", "Organic Search"],
                 sessions=[200.0, 100, 500, 200], engaged_sessions=[100.0, 30, 400, 150],
                 key_events=[4.0, 6, 30, 10], transactions=[2.0, 3, 20, 5], revenue=[100.0, 300, 2000, 500])


def by_metric(ests):
    return {e.metric: e for e in ests}


def test_social_traffic_by_hand():
    t = rt.social_traffic(traffic()).set_index("group")
    assert t.loc["organic", "sessions"] == 200 and t.loc["paid", "sessions"] == 100
    assert t.loc["all social", "sessions"] == 300
    assert t.loc["all social", "share"] == pytest.approx(300 / 1000)
    assert t.loc["all social", "engaged_rate"] == pytest.approx(130 / 300)
    assert t.loc["all social", "key_events_per_session"] == pytest.approx(10 / 300)
    assert t.loc["site", "key_events_per_session"] == pytest.approx(50 / 1000)
    assert t.loc["other channels", "sessions"] == 700
    assert t.loc["all social", "revenue"] == 400
    assert t.loc["all social", "transaction_rate"] == pytest.approx(5 / 300)
    lo, hi = t.loc["all social", ["kps_low", "kps_high"]]
    assert lo < 10 / 300 < hi


def test_universal_analytics_social():
    ua = table("web_traffic", platform="ua", dimension="channel_group", value=["Social", "Direct"],
               sessions=[50.0, 50])
    t = rt.social_traffic(ua).set_index("group")
    assert t.loc["social (UA, not split)", "sessions"] == 50 and t.loc["all social", "share"] == 0.5


def test_social_vs_other_channels():
    eng, kev, tx = rt.social_vs_other_channels(traffic())
    assert eng.a.value == pytest.approx(130 / 300) and eng.b.value == pytest.approx(550 / 700)
    assert eng.verdict == "lower"
    assert kev.a.value == pytest.approx(10 / 300) and kev.b.value == pytest.approx(40 / 700)
    assert tx.a.value == pytest.approx(5 / 300) and tx.b.value == pytest.approx(25 / 700)


def ads():
    return table("ads", platform=["meta_ads", "meta_ads", "google_ads", "linkedin"], level="campaign",
                 campaign=["S", "L", "G", "L2"], objective=["sales", "leads", "sales", "leads"],
                 spend=[200.0, 100, 1000, 50], conversions=[4.0, None, 50, None],
                 conversion_value=[800.0, None, 5000, None], results=[4.0, 20, 50, 5],
                 result_type=["purchase", "lead", "purchase", "lead"], link_clicks=[300.0, 200, 900, 20])


def test_returns_summary_by_hand():
    s = by_metric(rt.returns_summary(traffic(), ads(), CFG))
    assert s["returns.social_sessions"].value == 300
    assert s["returns.social_session_share"].value == pytest.approx(0.3)
    assert s["returns.social_engaged_rate"].value == pytest.approx(130 / 300)
    assert s["returns.social_key_event_rate"].value == pytest.approx(10 / 300)
    assert s["returns.site_key_event_rate"].value == pytest.approx(50 / 1000)
    assert s["returns.social_revenue"].value == 400
    # Google Ads is not a social platform: left out of every ad figure
    assert s["returns.roas_platform"].value == pytest.approx(800 / 200)
    assert s["returns.roas_analytics"].value == pytest.approx(300 / 350)
    assert s["returns.cost_per_lead"].value == pytest.approx(150 / 25)
    assert s["returns.cost_per_lead"].label == "lead"
    assert s["returns.cost_per_acquisition"].value == pytest.approx(200 / 4)


def test_ad_figures_count_only_the_audit_currency():
    """A LinkedIn account billed in USD next to Meta in the audit's EUR: its spend and leads stay
    out of every ad figure rather than being added to euros."""
    a = ads().assign(currency=["EUR", "EUR", "EUR", "USD"])
    s = by_metric(rt.returns_summary(traffic(), a, CFG))
    assert CFG.currency == "EUR"
    assert s["returns.cost_per_lead"].value == pytest.approx(100 / 20)  # the USD lead campaign left out
    assert s["returns.roas_analytics"].value == pytest.approx(300 / 300)
    assert s["returns.roas_platform"].value == pytest.approx(800 / 200)


def test_cost_per_lead_refuses_mixed_result_types():
    a = ads().assign(result_type=["purchase", "lead", "purchase", "contact form"])
    assert by_metric(rt.returns_summary(traffic(), a, CFG))["returns.cost_per_lead"].value is None


def test_no_web_no_ads():
    s = by_metric(rt.returns_summary(schemas.empty("web_traffic"), schemas.empty("ads"), CFG))
    assert all(e.value is None for e in s.values())
    assert rt.social_traffic(schemas.empty("web_traffic")).set_index("group").loc["site", "sessions"] == 0


def test_zero_spend():
    a = ads().assign(spend=0.0)
    s = by_metric(rt.returns_summary(traffic(), a, CFG))
    assert s["returns.roas_platform"].value is None and s["returns.roas_analytics"].value is None
    assert s["returns.cost_per_acquisition"].value == 0


def posts(clicks):
    return table("posts", platform="facebook", post_id=[str(i) for i in range(len(clicks))],
                 published_at=[D("2025-01-02", tz="UTC")] * len(clicks), link_clicks=clicks)


def test_reconcile_untagged_links():
    # 1,000 organic + 520 ad link clicks (social platforms), 300 social sessions -> 0.2 per click
    f = rt.reconcile_clicks(posts([600.0, 400]), ads(), traffic(), CFG)
    assert f.id == "returns.utm_hygiene" and f.severity == "high"
    assert f.numbers["link_clicks"] == 1520 and f.numbers["social_sessions"] == 300
    assert f.numbers["sessions_per_click"] == pytest.approx(300 / 1520)


def test_reconcile_paid_not_tagged():
    web = traffic().assign(value=["Organic Social", "Direct", "Direct", "Organic Search"])
    f = rt.reconcile_clicks(posts([10.0]), ads(), web, CFG)
    assert f.severity == "high" and "Paid Social" in f.title and f.numbers["paid_social_sessions"] == 0


def test_reconcile_consistent_and_excess():
    f = rt.reconcile_clicks(posts([100.0]), schemas.empty("ads"), traffic(), CFG)
    assert f.severity == "low" and f.numbers["sessions_per_click"] == 3  # 300 sessions, 100 clicks
    f = rt.reconcile_clicks(posts([350.0]), schemas.empty("ads"), traffic(), CFG)
    assert f.severity == "info" and f.numbers["sessions_per_click"] == pytest.approx(300 / 350)


def test_reconcile_without_data():
    f = rt.reconcile_clicks(posts([None]), schemas.empty("ads"), traffic(), CFG)
    assert f.severity == "info" and "could not" in f.title
    f = rt.reconcile_clicks(posts([100.0]), schemas.empty("ads"), schemas.empty("web_traffic"), CFG)
    assert f.severity == "info" and "web analytics" in f.detail


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Organic Social", "Paid Social", "Direct", "Email"]),
                          st.integers(0, 500), st.integers(0, 500)), min_size=1, max_size=10),
       st.randoms(use_true_random=False))
def test_properties(rows, rnd):
    rows = [(v, s, min(e, s)) for v, s, e in rows]
    df = table("web_traffic", dimension="channel_group", value=[r[0] for r in rows],
               sessions=[float(r[1]) for r in rows], engaged_sessions=[float(r[2]) for r in rows])
    t = rt.social_traffic(df).set_index("group")
    for col in ("share", "engaged_rate"):
        v = t[col].dropna()
        assert ((v >= 0) & (v <= 1)).all()
    assert t.loc["all social", "sessions"] + t.loc["other channels", "sessions"] == t.loc["site", "sessions"]
    order = list(range(len(rows)))
    rnd.shuffle(order)
    t2 = rt.social_traffic(df.iloc[order].reset_index(drop=True)).set_index("group")
    pd.testing.assert_frame_equal(t.sort_index(), t2.sort_index())


@pytest.mark.realdata
def test_ga4_sample_social_traffic(realdata):
    from audit.ingest.pipeline import parse_file
    rel = "google_analytics/seed0x__h2oplumbers__Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group).csv"
    if not (realdata / rel).exists():
        pytest.skip(f"{rel} not available")
    res, tables = parse_file(realdata / rel, rel, CFG)
    assert res.status == "ok", res.errors
    raw = pd.read_csv(realdata / rel, comment="#").set_index("Session primary channel group (Default Channel Group)")
    t = rt.social_traffic(tables["web_traffic"]).set_index("group")
    assert t.loc["all social", "sessions"] == raw.loc["Organic Social", "Sessions"] == 15
    assert t.loc["all social", "share"] == pytest.approx(15 / raw["Sessions"].sum())
    assert t.loc["all social", "engaged_rate"] == pytest.approx(raw.loc["Organic Social", "Engagement rate"])
    assert "paid" not in t.index  # no Paid Social row in this property
