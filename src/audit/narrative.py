"""Sentences written from computed figures, so that notebook narrative follows the data and
says plainly when a difference could be noise. Returns plain text (markdown-safe once passed
to `display.say` as a value, which escapes it)."""
from __future__ import annotations

from .metrics.stats import HIGHER, LOWER, NO_DIFF, NOT_ENOUGH, MIN_N, Comparison, Estimate
from .report.formatting import format_interval, format_value


def figure(e: Estimate, unit: str | None = None, currency: str | None = None) -> str:
    """'4.1 % (95 % interval 3.2 % – 5.0 %, n = 120)', or 'not enough data (n = 3)'."""
    if not e.enough:
        return f"not enough data (n = {e.n:,})"
    text = format_value(e.value, unit, currency)
    if e.low is not None and e.high is not None:
        bounds = format_interval(e.low, e.high, unit, currency).strip("[]").removeprefix("95 % CI ")
        text += f" (95 % interval {bounds}, n = {e.n:,})"
    else:
        text += f" (n = {e.n:,})"
    return text


def comparison(c: Comparison, what: str, unit: str | None = None, currency: str | None = None) -> str:
    """One sentence for a comparison of `what` between c.a_label and c.b_label."""
    a = format_value(c.a.value, unit, currency)
    b = format_value(c.b.value, unit, currency)
    if c.verdict == NOT_ENOUGH:
        small = min(c.a.n, c.b.n)
        return (f"There is not enough data to compare {what} between {c.a_label} and {c.b_label} "
                f"(the smaller group has {small:,} item{'s' if small != 1 else ''}; at least {MIN_N} are needed).")
    figures = f"{a} vs {b}, n = {c.a.n:,} and {c.b.n:,}"
    if c.verdict == NO_DIFF:
        return (f"{_cap(what)} shows no reliable difference between {c.a_label} and {c.b_label} ({figures}); "
                "the gap is within what chance alone produces.")
    word = "higher" if c.verdict == HIGHER else "lower"
    return f"{_cap(what)} is reliably {word} for {c.a_label} than for {c.b_label} ({figures}; {c.method})."


def verdict_label(verdict: str) -> str:
    return {HIGHER: "higher", LOWER: "lower", NO_DIFF: "no reliable difference", NOT_ENOUGH: "not enough data"}.get(
        verdict, verdict)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]
