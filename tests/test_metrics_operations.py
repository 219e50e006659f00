"""Operational efficiency: care volume, cost per contact, savings, result of social operations."""
from __future__ import annotations

import pandas as pd
import pytest

from audit import schemas
from audit.config import AuditConfig, Costs, Period
from audit.metrics import operations as op

T0 = pd.Timestamp("2025-01-15 10:00", tz="UTC")
H = pd.Timedelta(hours=1)
YEAR = Period(start="2025-01-01", end="2025-12-31")
JAN = Period(start="2025-01-01", end="2025-01-31")


def table(name: str, **cols) -> pd.DataFrame:
    n = max(len(v) for v in cols.values() if isinstance(v, list))
    base = {"platform": "facebook", "account": "Brand", "source_file": "f.csv"}
    return schemas.conform(name, pd.DataFrame(base | cols, index=range(n)))


def inbox():
    feb = T0 + pd.Timedelta(days=31)
    return table("inbox", message_id=[str(i) for i in range(6)],
                 received_at=[T0, T0, T0, T0, feb, feb],
                 first_response_at=[T0 + H, T0 + H, T0 + H, pd.NaT, feb + H, pd.NaT],
                 is_question=[True, False, None, True, False, False],
                 is_complaint=[False, True, None, False, False, True],
                 kind=["message", "comment", "comment", "message", "message", "message"])


def cfg(**costs):
    return AuditConfig(client="c", brand={"name": "Brand"}, objectives=["customer_service"], costs=costs)


def test_months_in():
    assert op.months_in(YEAR) == pytest.approx(365 / 30.4375)
    assert op.months_in(JAN) == pytest.approx(31 / 30.4375)


def test_care_volume():
    v = op.care_volume(inbox())
    assert v["month"].tolist() == ["2025-01", "2025-02"]
    assert v["messages"].tolist() == [4, 2] and v["answered"].tolist() == [3, 1]
    assert v["questions"].tolist() == [2, 0] and v["complaints"].tolist() == [1, 1]
    assert (v["low"] <= v["messages"]).all() and (v["messages"] <= v["high"]).all()
    k = op.care_volume(inbox(), by="kind")
    assert k.set_index(["month", "kind"]).loc[("2025-01", "comment"), "messages"] == 2


def test_care_cost_both_ways():
    c = op.care_cost(Costs(team_hourly_cost=40, social_care_hours_per_month=20, tool_costs_per_month=100), YEAR)
    m = 365 / 30.4375
    assert c["team"] == pytest.approx(40 * 20 * m) and c["tools"] == pytest.approx(100 * m)
    assert c["total"] == pytest.approx(900 * m)
    c = op.care_cost(Costs(team_hourly_cost=40, team_hours_per_month=160, social_care_time_share=0.25), YEAR)
    assert c["team"] == pytest.approx(40 * 40 * m) and c["tools"] is None and c["total"] == c["team"]
    assert "share" in c["how"]
    c = op.care_cost(Costs(tool_costs_per_month=100), YEAR)
    assert c["team"] is None and c["total"] is None


def test_cost_per_contact_by_hand():
    conf = cfg(team_hourly_cost=30, social_care_hours_per_month=10, call_centre_cost_per_contact=8)
    e = {(x.metric, x.label): x for x in op.cost_per_contact(inbox(), conf, JAN)}
    cost = 30 * 10 * 31 / 30.4375
    assert e[("operations.care_volume", "received")].value == 4
    assert e[("operations.contacts_handled", "answered")].value == 3
    assert e[("operations.cost_per_social_contact", "social")].value == pytest.approx(cost / 3)
    assert e[("operations.cost_per_social_contact", "call centre (audit.yml)")].value == 8
    assert e[("operations.estimated_savings", "vs call centre")].value == pytest.approx(3 * (8 - cost / 3))


def test_cost_per_contact_missing_costs_and_no_answers():
    e = {(x.metric, x.label): x for x in op.cost_per_contact(inbox(), cfg(), JAN)}
    assert e[("operations.cost_per_social_contact", "social")].value is None
    assert e[("operations.estimated_savings", "vs call centre")].value is None
    unanswered = inbox().assign(first_response_at=pd.NaT)
    conf = cfg(team_hourly_cost=30, social_care_hours_per_month=10, call_centre_cost_per_contact=8)
    e = {(x.metric, x.label): x for x in op.cost_per_contact(unanswered, conf, JAN)}
    assert e[("operations.contacts_handled", "answered")].value == 0
    assert e[("operations.cost_per_social_contact", "social")].value is None


def web():
    return table("web_traffic", platform="ga4", dimension="channel_group",
                 value=["Organic Social", "Paid Social", "Direct"], revenue=[1000.0, 500, 9000],
                 sessions=[10.0, 10, 10])


def ads():
    return table("ads", platform=["meta_ads", "google_ads"], level="campaign", campaign=["a", "b"],
                 spend=[300.0, 5000])


def test_social_result_by_hand():
    conf = cfg(team_hourly_cost=30, social_care_hours_per_month=10, call_centre_cost_per_contact=8,
               tool_costs_per_month=50, other_social_revenue=200)
    r = op.social_result(inbox(), web(), ads(), conf, JAN).set_index("item")
    m = 31 / 30.4375
    team, tools = 300 * m, 50 * m
    savings = 3 * (8 - (team + tools) / 3)
    assert r.loc["revenue from social (web analytics)", "amount"] == 1500
    assert r.loc["social ad spend", "amount"] == -300  # Google Ads is not social
    assert r.loc["estimated savings vs call centre", "amount"] == pytest.approx(savings)
    cost = 300 + team + tools
    assert r.loc["result", "amount"] == pytest.approx(1500 + 200 + savings - cost)
    assert r.loc["ROI (result ÷ cost)", "amount"] == pytest.approx((1700 + savings - cost) / cost)
    assert r["known"].all()


def test_social_result_counts_ad_spend_in_the_audit_currency_only():
    two = table("ads", platform=["meta_ads", "meta_ads"], level="campaign", campaign=["a", "c"],
                spend=[300.0, 900], currency=["EUR", "GBP"])
    r = op.social_result(inbox(), web(), two, cfg(team_hourly_cost=30), JAN).set_index("item")
    assert r.loc["social ad spend", "amount"] == -300  # the GBP campaign is not added to euros


def test_social_result_unknown_without_team_cost():
    r = op.social_result(inbox(), web(), ads(), cfg(other_social_revenue=200), JAN).set_index("item")
    assert pd.isna(r.loc["result", "amount"]) and not r.loc["result", "known"]
    assert r.loc["revenue from social (web analytics)", "amount"] == 1500


def test_social_result_without_revenue_or_call_centre():
    conf = cfg(team_hourly_cost=30, social_care_hours_per_month=10)
    r = op.social_result(inbox(), schemas.empty("web_traffic"), schemas.empty("ads"), conf, JAN).set_index("item")
    assert pd.isna(r.loc["result", "amount"])  # no revenue known at all
    r = op.social_result(inbox(), web(), schemas.empty("ads"), conf, JAN).set_index("item")
    assert r.loc["estimated savings vs call centre", "amount"] == 0  # no call centre: no savings claimed
    assert r.loc["result", "amount"] == pytest.approx(1500 - 300 * 31 / 30.4375)
