"""Audit and comparison periods, and filtering tables to a period.

A period is a range of calendar days in the client's reporting time zone, both ends
included. Event times (`*_at`, UTC) are converted to that time zone before taking the day,
so a post published at 23:30 UTC on 31 Dec counts in January for a client in Paris.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ..config import AuditConfig, Period
from ..errors import DataError

# (table, column) pairs that date the data; the latest of them anchors the default period.
DATE_COLUMNS = (
    ("posts", "published_at"), ("account_daily", "date"), ("mentions", "published_at"),
    ("web_traffic", "date"), ("web_traffic", "period_end"), ("web_pages", "period_end"),
    ("search", "date"), ("search", "period_end"), ("ads", "period_end"),
    ("inbox", "received_at"), ("reviews", "published_at"), ("surveys", "submitted_at"),
)


def local_day(s: pd.Series, tz="UTC") -> pd.Series:
    """Calendar day (naive midnight) of each value; tz-aware times are first converted to `tz`."""
    s = pd.to_datetime(s)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert(tz).dt.tz_localize(None)
    return s.dt.normalize()


def within(df: pd.DataFrame, column: str, period: Period | None, tz="UTC") -> pd.DataFrame:
    """Rows whose `column` falls on a day of `period` (inclusive); all rows when period is None."""
    if period is None:
        return df
    day = local_day(df[column], tz)
    mask = (day >= pd.Timestamp(period.start)) & (day <= pd.Timestamp(period.end))
    return df[mask.fillna(False).to_numpy(dtype=bool)]


def latest_date(tables, tz="UTC") -> dt.date | None:
    """The latest calendar day found in any dated column of the tables (None when there is none)."""
    latest = None
    for table, col in DATE_COLUMNS:
        df = _frame(tables, table)
        if df is None or col not in df.columns or df.empty:
            continue
        m = local_day(df[col], tz).max()
        if pd.notna(m) and (latest is None or m > latest):
            latest = m
    return None if latest is None else latest.date()


def _frame(tables, name: str) -> pd.DataFrame | None:
    if isinstance(tables, dict):
        return tables.get(name)
    return getattr(tables, name, None)


def _month_end(d: dt.date) -> dt.date:
    return (pd.Timestamp(d) + pd.offsets.MonthEnd(0)).date()


def _add_months(d: dt.date, months: int) -> dt.date:
    return (pd.Timestamp(d) + pd.DateOffset(months=months)).date()


def default_period(latest: dt.date, months: int = 12) -> Period:
    """The `months` full calendar months up to `latest` (its month counts only when `latest` is its last day)."""
    end = latest if latest == _month_end(latest) else latest.replace(day=1) - dt.timedelta(days=1)
    start = _add_months(end.replace(day=1), -(months - 1))
    return Period(start=start, end=end)


def previous_period(period: Period) -> Period:
    """The period of the same length just before: whole calendar months when the period is
    made of whole months, else the same number of days."""
    if period.start.day == 1 and period.end == _month_end(period.end):
        months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
        return Period(start=_add_months(period.start, -months), end=period.start - dt.timedelta(days=1))
    days = (period.end - period.start).days + 1
    return Period(start=period.start - dt.timedelta(days=days), end=period.start - dt.timedelta(days=1))


def resolve_periods(tables, config: AuditConfig) -> tuple[Period, Period]:
    """(audit period, comparison period): the configured ones when given; otherwise the 12 full
    calendar months before the latest data date, and the period of the same length before it."""
    period = config.period
    if period is None:
        latest = latest_date(tables, config.timezone)
        if latest is None:
            raise DataError("no dated rows in any table, so the audit period cannot be inferred; "
                            "set `period` in audit.yml or ingest some data", "audit.yml")
        period = default_period(latest)
    comparison = config.comparison_period or previous_period(period)
    return period, comparison
