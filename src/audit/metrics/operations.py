"""Operational efficiency: how much customer care happens on social, what a social contact costs
against a call-centre contact (costs from audit.yml), the savings that would follow, and the
result of social operations when both costs and revenue are known.

Costs come from audit.yml `costs` and are per month; they are scaled to the audit period's
length in months (days / 30.4375). Nothing is assumed: a missing cost gives no figure.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import AuditConfig, Costs, Period
from .marketing import ads_in_scope
from .period import local_day, within
from .registry import metric
from .returns import NON_SOCIAL_AD_PLATFORMS, channel_traffic
from .stats import Estimate, poisson_interval

DIRECTION = "operational_efficiency"
DAYS_PER_MONTH = 365.25 / 12

M_VOLUME = metric(
    "operations.care_volume", "Social care volume", DIRECTION, "count",
    "inbox messages, comments and mentions handled by the team, received in the period",
    aggregation="count per month (exact Poisson interval) and in total", higher_is_better=None)
M_HANDLED = metric(
    "operations.contacts_handled", "Social contacts handled", DIRECTION, "count",
    "inbox items received in the period that got a first response", aggregation="count", higher_is_better=None)
M_CARE_COST = metric(
    "operations.social_care_cost", "Cost of social care", DIRECTION, "currency",
    "team hourly cost × hours on social care per month (or team hours × share of time on social) + tool costs "
    "per month, times the months in the period", aggregation="from audit.yml costs",
    caveats="an estimate from the settings, not from accounts", higher_is_better=False)
M_COST_PER_CONTACT = metric(
    "operations.cost_per_social_contact", "Cost per social contact", DIRECTION, "currency",
    "cost of social care in the period", "contacts handled (answered) in the period", "ratio of sums",
    higher_is_better=False)
M_SAVINGS = metric(
    "operations.estimated_savings", "Estimated savings vs the call centre", DIRECTION, "currency",
    "contacts handled on social × (call-centre cost per contact − social cost per contact)",
    aggregation="over the period",
    caveats="assumes each social contact replaced a call; savings are real only if call-centre labour cost "
            "actually falls (customerking.it)")
M_RESULT = metric(
    "operations.social_result", "Result of social operations", DIRECTION, "currency",
    "revenue from social (web analytics + other_social_revenue from audit.yml) + estimated savings − "
    "(social ad spend + social care cost + tool costs)", aggregation="over the period",
    caveats="only shown when every part is known; revenue is last-click")
M_ROI = metric(
    "operations.social_roi", "Return on social investment", DIRECTION, "ratio",
    "result of social operations", "social ad spend + social care cost + tool costs", "ratio of sums",
    caveats="(revenue − cost) ÷ cost; staff time outside social care (content creation) is not in the costs "
            "unless included in the settings")


def months_in(period: Period) -> float:
    """Length of the period in months (days / 30.4375)."""
    return ((period.end - period.start).days + 1) / DAYS_PER_MONTH


def care_volume(inbox: pd.DataFrame, account: str | None = None, period: Period | None = None,
                tz: str = "UTC", by: str | None = None) -> pd.DataFrame:
    """Per calendar month (and per `by`: 'platform', 'kind'... when given): messages received,
    answered, questions and complaints, with an exact Poisson interval on the count
    (operations.care_volume)."""
    df = inbox if account is None else inbox[inbox["account"] == account]
    df = within(df, "received_at", period, tz)
    d = pd.DataFrame({"month": local_day(df["received_at"], tz).dt.to_period("M").astype("str"),
                      "answered": df["first_response_at"].notna(),
                      "questions": df["is_question"].fillna(False).astype(bool),
                      "complaints": df["is_complaint"].fillna(False).astype(bool)})
    keys = ["month"]
    if by is not None:
        d[by] = df[by].astype("str").fillna("(unknown)")
        keys.append(by)
    out = d.groupby(keys).agg(messages=("answered", "size"), answered=("answered", "sum"),
                              questions=("questions", "sum"), complaints=("complaints", "sum"))
    lo, hi = poisson_interval(out["messages"].to_numpy()) if len(out) else (np.array([]), np.array([]))
    return out.assign(low=lo, high=hi).reset_index()


def care_cost(costs: Costs, period: Period) -> dict:
    """Social care cost over the period from audit.yml costs: {'team', 'tools', 'total', 'months',
    'how'}; a part is None when its settings are missing (total is None when the team part is)."""
    months = months_in(period)
    hours = costs.social_care_hours_per_month
    how = "social_care_hours_per_month"
    if hours is None and costs.team_hours_per_month is not None and costs.social_care_time_share is not None:
        hours = costs.team_hours_per_month * costs.social_care_time_share
        how = "team_hours_per_month × social_care_time_share"
    team = costs.team_hourly_cost * hours * months if costs.team_hourly_cost is not None and hours is not None \
        else None
    tools = costs.tool_costs_per_month * months if costs.tool_costs_per_month is not None else None
    total = None if team is None else team + (tools or 0.0)
    return {"team": team, "tools": tools, "total": total, "months": months,
            "how": how if team is not None else "missing: team_hourly_cost and social care hours"}


def cost_per_contact(inbox: pd.DataFrame, config: AuditConfig, period: Period) -> list[Estimate]:
    """operations.care_volume (all received), operations.contacts_handled (answered),
    operations.social_care_cost, operations.cost_per_social_contact and operations.estimated_savings
    against config.costs.call_centre_cost_per_contact, for the brand's inbox in the period.
    A figure whose inputs are missing has value None."""
    df = within(inbox[inbox["account"] == config.brand.name], "received_at", period, config.timezone)
    received, handled = len(df), int(df["first_response_at"].notna().sum())
    cost = care_cost(config.costs, period)
    per = cost["total"] / handled if cost["total"] is not None and handled > 0 else None
    cc = config.costs.call_centre_cost_per_contact
    savings = handled * (cc - per) if per is not None and cc is not None else None
    return [
        Estimate(float(received), received, *poisson_interval(received), M_VOLUME.id, "received"),
        Estimate(float(handled), handled, *poisson_interval(handled), M_HANDLED.id, "answered"),
        Estimate(cost["total"], handled, metric=M_CARE_COST.id, label=cost["how"]),
        Estimate(per, handled, metric=M_COST_PER_CONTACT.id, label="social"),
        Estimate(cc, 0, metric=M_COST_PER_CONTACT.id, label="call centre (audit.yml)"),
        Estimate(savings, handled, metric=M_SAVINGS.id, label="vs call centre"),
    ]


def social_result(inbox: pd.DataFrame, web_traffic: pd.DataFrame, ads: pd.DataFrame, config: AuditConfig,
                  period: Period) -> pd.DataFrame:
    """The result of social operations over the period, line by line (operations.social_result,
    operations.social_roi): item, amount, known. Revenue = social sessions' revenue in web
    analytics + costs.other_social_revenue; savings from cost_per_contact; costs = social ad spend
    + social care team + tools. The result and ROI are None unless every line is known."""
    ch = channel_traffic(web_traffic, period, config.brand.name)
    web_rev = ch.loc[ch["social"].notna(), "revenue"].sum(min_count=1)
    web_rev = None if pd.isna(web_rev) else float(web_rev)
    other = config.costs.other_social_revenue
    figures = {e.metric + ":" + str(e.label): e.value for e in cost_per_contact(inbox, config, period)}
    savings = figures[f"{M_SAVINGS.id}:vs call centre"]
    if config.costs.call_centre_cost_per_contact is None:
        savings = 0.0  # no call centre to compare with: no savings claimed, the result can still be computed
    ads_df = ads_in_scope(ads, config.brand.name, period, config.currency)  # the result is in that currency
    ads_df = ads_df[~ads_df["platform"].isin(NON_SOCIAL_AD_PLATFORMS).to_numpy()]
    spend = float(ads_df["spend"].sum()) if len(ads_df) else 0.0  # no ads export: no ad spend
    cost = care_cost(config.costs, period)
    revenue = None if web_rev is None and other is None else (web_rev or 0.0) + (other or 0.0)
    lines = [("revenue from social (web analytics)", web_rev), ("other social revenue (audit.yml)", other),
             ("estimated savings vs call centre", savings), ("social ad spend", -spend),
             ("social care team", None if cost["team"] is None else -cost["team"]),
             ("tools", -(cost["tools"] or 0.0))]
    parts = [revenue, savings, spend, cost["team"]]
    known = all(p is not None for p in parts)
    total_cost = spend + (cost["team"] or 0.0) + (cost["tools"] or 0.0)
    result = revenue + savings - total_cost if known else None
    roi = result / total_cost if known and total_cost > 0 else None
    lines += [("result", result), ("ROI (result ÷ cost)", roi)]
    return pd.DataFrame({"item": [n for n, _ in lines], "amount": [v for _, v in lines],
                         "metric": [None, None, M_SAVINGS.id, None, M_CARE_COST.id, None, M_RESULT.id, M_ROI.id],
                         "known": [v is not None for _, v in lines]})
