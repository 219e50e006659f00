"""Audit and comparison periods, and filtering rows to a period in the client's time zone."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from audit import schemas
from audit.config import AuditConfig, Period
from audit.errors import DataError
from audit.metrics.period import default_period, latest_date, previous_period, resolve_periods, within


def cfg(**extra):
    return AuditConfig.model_validate({"client": "c", "brand": {"name": "B"}, "objectives": ["sales"],
                                       "timezone": "Europe/Paris"} | extra)


def test_default_period_is_twelve_full_months():
    assert default_period(dt.date(2025, 6, 15)) == Period(start="2024-06-01", end="2025-05-31")
    # the latest day closes its month: that month counts
    assert default_period(dt.date(2025, 5, 31)) == Period(start="2024-06-01", end="2025-05-31")
    assert default_period(dt.date(2024, 3, 1)) == Period(start="2023-03-01", end="2024-02-29")


def test_previous_period():
    assert previous_period(Period(start="2024-06-01", end="2025-05-31")) == Period(start="2023-06-01", end="2024-05-31")
    assert previous_period(Period(start="2024-03-01", end="2024-03-31")) == Period(start="2024-02-01", end="2024-02-29")
    # not whole months: the same number of days before
    assert previous_period(Period(start="2024-03-10", end="2024-03-19")) == Period(start="2024-02-29", end="2024-03-09")


def test_resolve_periods_from_data_and_from_config():
    posts = schemas.conform("posts", pd.DataFrame({
        "platform": "facebook", "account": "B", "source_file": "p", "post_id": ["1", "2"],
        # 23:30 UTC on 30 April is 1:30 on 1 May in Paris: May is the latest month, and it is not over
        "published_at": pd.to_datetime(["2024-01-01 10:00", "2024-04-30 23:30"], utc=True)}))
    t = {"posts": posts}
    assert latest_date(t, "Europe/Paris") == dt.date(2024, 5, 1)
    period, comparison = resolve_periods(t, cfg())
    assert period == Period(start="2023-05-01", end="2024-04-30")
    assert comparison == Period(start="2022-05-01", end="2023-04-30")
    given = cfg(period={"start": "2024-01-01", "end": "2024-03-31"})
    assert resolve_periods(t, given) == (Period(start="2024-01-01", end="2024-03-31"),
                                         Period(start="2023-10-01", end="2023-12-31"))
    both = cfg(period={"start": "2024-01-01", "end": "2024-03-31"},
               comparison_period={"start": "2023-01-01", "end": "2023-03-31"})
    assert resolve_periods(t, both)[1] == Period(start="2023-01-01", end="2023-03-31")


def test_resolve_periods_without_dated_data_says_what_to_do():
    with pytest.raises(DataError, match="set `period` in audit.yml"):
        resolve_periods({"posts": schemas.empty("posts")}, cfg())


def test_within_uses_local_days_and_includes_both_ends():
    df = pd.DataFrame({"at": pd.to_datetime(["2023-12-31 23:30", "2024-01-31 22:59", "2024-01-31 23:00"], utc=True),
                       "day": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-02-01"])})
    jan = Period(start="2024-01-01", end="2024-01-31")
    # Paris is UTC+1 in winter: the first is 1 Jan 00:30, the last is 1 Feb 00:00
    assert within(df, "at", jan, "Europe/Paris").index.tolist() == [0, 1]
    assert within(df, "at", jan).index.tolist() == [1, 2]
    assert within(df, "day", jan).index.tolist() == [0, 1]
    assert len(within(df, "at", None)) == 3
