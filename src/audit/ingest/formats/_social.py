"""Helpers shared by the social-platform formats (X, LinkedIn, YouTube, TikTok).

- `daily_long`: a wide daily table → account_daily rows (one per day and metric, blanks dropped);
- `path_dates` / `path_epoch`: export dates and times written in file or folder names;
- `snowflake_time` / `tiktok_id_time`: publication times hidden in post ids;
- `month_day` / `yearless_days` / `yearless_before`: dates exported without a year (TikTok Studio), with
  the year taken from the file's context and the Dec→Jan rollover handled;
- `series_days`: days of a daily series whose day/month order is settled by the days being consecutive;
- `local_midnight`: publication days without a time of day.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from ...errors import DataError
from .. import values as V
from ..registry import ParseContext


def daily_long(days: pd.Series, metrics: dict[str, pd.Series]) -> pd.DataFrame:
    """Wide daily columns → long rows (date, metric, value), keeping the source row as index.
    Empty cells are left out: a missing value is not a zero."""
    parts = []
    for name, values in metrics.items():
        part = pd.DataFrame({"date": days, "metric": name, "value": values.astype("float64")}, index=days.index)
        parts.append(part[part["value"].notna() & part["date"].notna()])
    if not parts:
        return pd.DataFrame(columns=["date", "metric", "value"])
    return pd.concat(parts)


def numbers(ctx: ParseContext, frame: pd.DataFrame, cols: dict[str, str], names) -> dict[str, pd.Series]:
    """The numeric columns among `names` that the file has (canonical name → float series)."""
    return {n: ctx.numbers(frame, cols[n]) for n in names if n in cols}


def add_sum(parts: list[pd.Series | None]) -> pd.Series | None:
    """Sum of several count columns; empty only where all are empty."""
    present = [p for p in parts if p is not None]
    if not present:
        return None
    return pd.concat(present, axis=1).sum(axis=1, min_count=1)


# --- names of files and folders ---------------------------------------------------------------
_ISO = r"(20\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])"


def path_dates(source: str) -> list[dt.date]:
    """Calendar dates written in the path (file, folder and zip names), in order of appearance:
    `_2024-11-21_2025-02-19`, `_20210801_20210901_`, `Content 2020-01-01_2024-12-31 Channel`."""
    out = []
    for m in re.finditer(rf"(?<!\d){_ISO}(?!\d)", source):
        try:
            out.append(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    return out


def path_epoch(source: str) -> pd.Timestamp | None:
    """An export time written as epoch milliseconds (`<name>_content_1753863379800.xlsx`)."""
    m = re.search(r"(?<!\d)(1[3-9]\d{11})(?!\d)", source)  # 2011-2033 in ms
    return pd.Timestamp(int(m.group(1)), unit="ms", tz="UTC") if m else None


def exported_at(source: str) -> pd.Timestamp | None:
    """When the export was made, as far as the name tells: an epoch, else the range's last day."""
    epoch = path_epoch(source)
    if epoch is not None:
        return epoch
    days = path_dates(source)
    return pd.Timestamp(max(days)).tz_localize("UTC") if days else None


# --- ids that carry their publication time -------------------------------------------------------------
TWITTER_EPOCH_MS = 1288834974657
_PLAUSIBLE = (pd.Timestamp("2006-03-01", tz="UTC"), pd.Timestamp("2100-01-01", tz="UTC"))


def _id_ms(ids: pd.Series, to_ms) -> pd.Series:
    """Apply `to_ms` to each all-digit id (Python ints: 19-digit ids do not fit a float)."""
    ms = [float(to_ms(int(x))) if isinstance(x, str) and re.fullmatch(r"\d{15,20}", x) else np.nan
          for x in ids.astype("str").str.strip()]
    return pd.Series(ms, index=ids.index, dtype="float64")


def _to_time(ms: pd.Series) -> pd.Series:
    out = pd.to_datetime(ms, unit="ms", utc=True)
    plausible = (out >= _PLAUSIBLE[0]) & (out < _PLAUSIBLE[1])
    return out.where(plausible).astype(pd.DatetimeTZDtype(unit="ns", tz="UTC"))


def snowflake_time(ids: pd.Series) -> pd.Series:
    """Tweet/post ids since late 2010 are snowflakes: (id >> 22) + Twitter's epoch = creation time in ms."""
    return _to_time(_id_ms(ids, lambda x: (x >> 22) + TWITTER_EPOCH_MS))


def tiktok_id_time(ids: pd.Series) -> pd.Series:
    """TikTok video ids carry the upload time in their top 32 bits (Unix seconds)."""
    return _to_time(_id_ms(ids, lambda x: (x >> 32) * 1000))


# --- dates without a year --------------------------------------------------------------------------------
MONTHS = {
    # English, French, Spanish, Portuguese, German, Italian, Dutch (full names and usual abbreviations)
    1: "january jan janvier janv enero ene janeiro januar jän gennaio gen januari",
    2: "february feb février fevrier févr fevr febrero fevereiro fev februar febbraio febr februari",
    3: "march mar mars marzo março marco märz maerz mrz maart",
    4: "april apr avril avr abril abr aprile",
    5: "may mai mayo maio maggio mag mei",
    6: "june jun juin junio junho juni giugno giu",
    7: "july jul juillet juil julio julho juli luglio lug",
    8: "august aug août aout agosto ago augustus",
    9: "september sep sept septembre septiembre setiembre setembro set settembre",
    10: "october oct octobre octubre outubro out oktober okt ottobre ott",
    11: "november nov novembre noviembre novembro",
    12: "december dec décembre decembre déc diciembre dic dezembro dez dezember dicembre",
}
_MONTH_WORDS = {w.rstrip("."): m for m, words in MONTHS.items() for w in words.split()}
_RU = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")
_WORD_FIRST = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})(?:er|º|\.)?\s+(?:de\s+)?([^\W\d_]+)\.?$")
_CJK = re.compile(r"^(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?$")
_VI = re.compile(r"^(\d{1,2})\s+tháng\s+(\d{1,2})$")


def _month_word(word: str) -> int | None:
    w = word.casefold().rstrip(".")
    if w in _MONTH_WORDS:
        return _MONTH_WORDS[w]
    for i, stem in enumerate(_RU, start=1):
        if w.startswith(stem) and (stem != "ма" or w in ("мая", "май")) and (stem != "март" or w.startswith("март")):
            return i
    return None


def _one_month_day(text: str) -> tuple[int, int] | None:
    s = re.sub(r"\s+", " ", str(text)).strip().strip('"').strip()
    for rx, order in ((_CJK, "md"), (_VI, "dm")):
        m = rx.match(s)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            month, day = (a, b) if order == "md" else (b, a)
            return (month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None
    m = _WORD_FIRST.match(s)
    if m:
        month, day = _month_word(m.group(1)), int(m.group(2))
    else:
        m = _DAY_FIRST.match(s)
        if not m:
            return None
        day, month = int(m.group(1)), _month_word(m.group(2))
    if month is None or not 1 <= day <= 31:
        return None
    return month, day


def month_day(series: pd.Series) -> pd.DataFrame:
    """'October 1', '1 Oct', '10 de febrero', '18 января', '9月16日' → columns month, day (NaN if unreadable)."""
    pairs = [(_one_month_day(v) if isinstance(v, str) else None) for v in series]
    return pd.DataFrame({"month": [p[0] if p else np.nan for p in pairs],
                         "day": [p[1] if p else np.nan for p in pairs]}, index=series.index)


def is_yearless(series: pd.Series) -> bool:
    """Most of the first cells read as a month and a day without a year (the rest are errors to report)."""
    vals = series[~V.blank(series)].head(20)
    return bool(len(vals)) and month_day(vals)["month"].notna().mean() >= 0.5


def anchor_for(ctx: ParseContext, hints: list[dt.date] = ()) -> tuple[dt.date, str]:
    """The latest day a yearless export can refer to, and where that came from."""
    days = path_dates(ctx.source)
    if days:
        return max(days), "the date in the file name"
    if hints:
        return max(hints), "the other dates in the file"
    if ctx.config is not None and ctx.config.period is not None:
        return ctx.config.period.end, "the audit period's end in audit.yml"
    return dt.datetime.now(dt.timezone.utc).date(), "today's date (no date in the file name, no period in audit.yml)"


def yearless_days(ctx: ParseContext, frame: pd.DataFrame, col: str, hints: list[dt.date] = ()) -> pd.Series:
    """A daily series written without years (one row per day, oldest or newest first).

    Consecutive rows never jump backwards in time, so a step from December to January
    (or back, in newest-first files) changes the year; the latest day is placed on or before the
    anchor (file-name date, other dates in the file, audit period end, or today), within a year."""
    md = month_day(frame[col])
    empty = V.blank(frame[col])
    bad = md["month"].isna() & ~empty
    if bad.any():
        i = bad[bad].index[0]
        raise DataError(f"{int(bad.sum())} value(s) are not dates, e.g. {frame[col].loc[i]!r}", ctx.source, int(i), col)
    ok = md.dropna()
    out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if ok.empty:
        return out
    ordinal = (ok["month"] * 32 + ok["day"]).to_numpy()
    steps = np.diff(ordinal)
    ascending = (steps > 0).sum() >= (steps < 0).sum()
    offsets = np.zeros(len(ordinal), dtype=int)
    for i, s in enumerate(steps, start=1):
        offsets[i] = offsets[i - 1] + ((1 if s < 0 else 0) if ascending else (-1 if s > 0 else 0))
    latest = int(np.argmax(offsets * 1000 + ordinal))
    anchor, basis = anchor_for(ctx, hints)
    lm, ld = int(ok["month"].iloc[latest]), int(ok["day"].iloc[latest])
    latest_year = anchor.year if (lm, ld) <= (anchor.month, anchor.day) else anchor.year - 1
    years = latest_year - offsets[latest] + offsets
    if len(years) and years.min() < anchor.year - 5:
        raise DataError("the days are not in date order, so the years they belong to cannot be told "
                        "(TikTok writes them without a year)", ctx.source, None, col)
    days = []
    for (m, d), y, idx in zip(ok[["month", "day"]].astype(int).itertuples(index=False), years, ok.index):
        try:
            days.append(pd.Timestamp(dt.date(int(y), m, d)))
        except ValueError:
            raise DataError(f"{frame[col].loc[idx]!r} is not a day of {int(y)}", ctx.source, int(idx), col) from None
    out.loc[ok.index] = days
    ctx.warn(f"column {col!r}: dates carry no year; read as {min(days):%Y-%m-%d} to {max(days):%Y-%m-%d}, "
             f"the year taken from {basis}")
    return out


def yearless_before(ctx: ParseContext, frame: pd.DataFrame, col: str, anchor: dt.date, basis: str,
                    after: bool = False) -> pd.Series:
    """Days without a year that each lie within the year before `anchor` (e.g. post days in an export made
    on `anchor`), or with after=True within the year from `anchor` on (an export day after the newest post)."""
    md = month_day(frame[col])
    out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for idx, (m, d) in md.dropna().astype(int).iterrows():
        if after:
            y = anchor.year if (m, d) >= (anchor.month, anchor.day) else anchor.year + 1
        else:
            y = anchor.year if (m, d) <= (anchor.month, anchor.day) else anchor.year - 1
        try:
            out.loc[idx] = pd.Timestamp(dt.date(y, m, d))
        except ValueError:  # 29 February in a common year
            out.loc[idx] = pd.NaT
    if out.notna().any():
        ctx.warn(f"column {col!r}: dates carry no year; each is read as the {'first' if after else 'latest'} such "
                 f"day {'on or after' if after else 'on or before'} {anchor:%Y-%m-%d} ({basis})")
    return out


def local_midnight(ctx: ParseContext, days: pd.Series, col: str) -> pd.Series:
    """Publication *days* (no time of day) as UTC timestamps of local midnight in the audit time zone,
    so the local calendar day is kept; analyses by hour must leave these posts out."""
    if days.notna().any():
        ctx.warn(f"column {col!r} gives the publication day only; times are set to midnight ({ctx.tz}), so the "
                 "posting hour of these posts is unknown")
    return V.to_utc(days.dt.tz_localize(ctx.tz, ambiguous="NaT", nonexistent="shift_forward"))


def slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", V.norm_header(text)).strip("_")


def day_column(ctx: ParseContext, frame: pd.DataFrame, col: str, formats: tuple[str, ...] = ()) -> pd.Series:
    """ctx.days, with years pandas cannot hold (9999, -5) reported as a data error on the column."""
    try:
        return ctx.days(frame, col, formats=formats)
    except (pd.errors.OutOfBoundsDatetime, OverflowError) as e:
        raise DataError(f"dates out of range ({e})", ctx.source, None, col) from None


def time_column(ctx: ParseContext, frame: pd.DataFrame, col: str, formats: tuple[str, ...] = (), naive_tz=None) -> pd.Series:
    """ctx.dates, with years pandas cannot hold reported as a data error on the column."""
    try:
        return ctx.dates(frame, col, formats=formats, naive_tz=naive_tz)
    except (pd.errors.OutOfBoundsDatetime, OverflowError) as e:
        raise DataError(f"dates out of range ({e})", ctx.source, None, col) from None


_NUMERIC_DMY = r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$"


def series_days(ctx: ParseContext, frame: pd.DataFrame, col: str, formats: tuple[str, ...] = ()) -> pd.Series:
    """Calendar days of a daily series. Numeric dates such as 05-06-2025 (an Excel re-save) are read in
    the day/month order that makes the days follow each other; when both orders do, the core decides
    and warns."""
    s = frame[col]
    values = s[~V.blank(s)].astype("str").str.strip()
    settled = ctx.override is not None and ctx.override.day_first is not None
    if settled or not len(values) or not values.str.match(_NUMERIC_DMY).all():
        return day_column(ctx, frame, col, formats)
    regular = {}
    for day_first in (False, True):
        try:
            parsed, _ = V.to_datetime(s, day_first=day_first, strict=False)
        except (ValueError, OverflowError):  # out-of-range years: left to the strict reading below
            continue
        steps = parsed.dropna().drop_duplicates().sort_values().diff().dropna().dt.days
        if parsed[values.index].notna().all() and len(steps) and (steps == 1).all():
            regular[day_first] = parsed
    if len(regular) == 1:
        day_first, parsed = next(iter(regular.items()))
        ctx.warn(f"column {col!r}: dates such as {values.iloc[0]!r} read as "
                 f"{'day/month' if day_first else 'month/day'}/year, the order in which they are consecutive days")
        return V.to_day(parsed)
    return day_column(ctx, frame, col, formats)
