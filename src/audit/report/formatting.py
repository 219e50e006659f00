"""How figures read in the report and in notebooks: one place, so a rate looks the same everywhere."""
from __future__ import annotations

import math
import numbers
from typing import Any

NOT_ENOUGH = "not enough data"


def format_value(value: Any, unit: str | None = None, currency: str | None = None) -> str:
    """Format a figure for reading: fractions as percentages, money with its currency,
    durations in words, counts with thousands separators. None reads "not enough data"."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return NOT_ENOUGH
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return str(value)
    v = float(value)
    if unit in ("fraction", "rate"):  # a rate is a fraction that may exceed 100 % (engagement rates)
        return f"{v * 100:.1f} %"
    if unit == "currency":
        text = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.2f}"
        return f"{text} {currency}" if currency else text
    if unit == "seconds":
        return format_duration(v)
    if unit == "hours":
        return format_duration(v * 3600)
    if unit == "per_week":
        return f"{v:.1f} per week"
    if unit == "ratio":  # engagement per reach, ROAS...: three significant figures, no unit
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"
    if unit in ("score", "position"):
        return f"{v:.1f}"
    return format_number(v)


def format_number(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:,.1f}"
    return f"{v:.3g}"


def format_duration(seconds: float) -> str:
    s = abs(seconds)
    sign = "-" if seconds < 0 else ""
    if s < 90:
        return f"{sign}{s:.0f} s"
    if s < 90 * 60:
        return f"{sign}{s / 60:.0f} min"
    if s < 48 * 3600:
        h, m = divmod(round(s / 60), 60)
        return f"{sign}{h} h {m:02d} min"
    return f"{sign}{s / 86400:.1f} days"


def format_interval(low: Any, high: Any, unit: str | None = None, currency: str | None = None) -> str:
    """'95 % CI 12.0 % – 15.3 %', or "" when there is no interval."""
    if low is None or high is None:
        return ""
    return f"95 % CI {format_value(low, unit, currency)} – {format_value(high, unit, currency)}"


def format_n(n: Any) -> str:
    return "" if n is None else f"n = {int(n):,}"
