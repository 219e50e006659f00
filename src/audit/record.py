"""Record the key figures and findings of a notebook, for metrics.json and the report.

Notebooks call `record(...)` for every figure that matters and `record_finding(...)` for every
finding. Each call appends one JSON line to the file the runner named (the `metrics_path`
parameter, passed to `configure` in the notebook's validation cell, or the environment variable
AUDIT_METRICS_PATH). With no file set (an analyst running the notebook by hand) the records
are kept in memory and can be read back with `recorded()`.

The runner merges the per-notebook files into metrics.json; the report's executive summary,
the comparison of two audits and the tests read figures from there, never from HTML.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import os
from pathlib import Path
from typing import Any

ENV_PATH = "AUDIT_METRICS_PATH"
ENV_NOTEBOOK = "AUDIT_NOTEBOOK"
SEVERITIES = ("high", "medium", "low", "info")  # most urgent first, as audit.metrics.findings

_settings: dict[str, str | None] = {"path": None, "notebook": None}
_memory: list[dict] = []


def configure(path: str | Path | None, notebook: str | None = None) -> None:
    """Send records to `path` (one JSON object per line); "" or None keeps them in memory."""
    _settings["path"] = str(path) if path else None
    _settings["notebook"] = notebook or None


def recorded() -> list[dict]:
    """Everything recorded in this process so far (also what was written to a file)."""
    return list(_memory)


def reset() -> None:
    """Forget the in-memory records and the configured destination."""
    _memory.clear()
    configure(None)


def record(metric_id: str, value: Any, *, n: int | None = None, low: float | None = None,
           high: float | None = None, unit: str | None = None, label: str | None = None,
           account: str | None = None, platform: str | None = None, notebook: str | None = None,
           direction: str | None = None, currency: str | None = None) -> dict:
    """Record one key figure.

    `value` is a number, None ("not enough data"), or an Estimate-like object with `value`, `n`,
    `low` and `high` attributes (explicit keyword arguments win over the object's). The metric's
    compass direction and unit come from the metric registry; an id the registry does not know
    needs `direction=` so the figure can be placed in the report. `currency`: the currency of an
    amount of money when it may not be audit.yml's (ad spend in another currency); the report
    shows audit.yml's otherwise."""
    if not isinstance(metric_id, str) or not metric_id.strip():
        raise ValueError("record: metric_id must be a non-empty string")
    if _is_estimate(value):
        est = value
        value = est.value
        n = est.n if n is None else n
        low = getattr(est, "low", None) if low is None else low
        high = getattr(est, "high", None) if high is None else high
        label = label if label is not None else getattr(est, "label", None)
    definition = _definition(metric_id)
    if definition is None and direction is None and _registry_available():
        raise ValueError(f"record: metric {metric_id!r} is not in the metric registry; "
                         "register it in audit.metrics or pass direction=")
    entry = {
        "kind": "metric",
        "metric": metric_id,
        "name": getattr(definition, "name", None),
        "direction": direction or getattr(definition, "direction", None),
        "value": _number(value, "value"),
        "unit": unit or getattr(definition, "unit", None),
        "n": _count(n),
        "low": _number(low, "low"),
        "high": _number(high, "high"),
        "label": _text(label),
        "account": _text(account),
        "platform": _text(platform),
        "currency": _text(currency),
    }
    if entry["low"] is not None and entry["high"] is not None and entry["low"] > entry["high"]:
        raise ValueError(f"record: {metric_id}: interval low {entry['low']} is above high {entry['high']}")
    return _write(entry, notebook)


def record_finding(finding: Any, *, notebook: str | None = None) -> dict:
    """Record one finding: an audit.metrics.findings.Finding or a dict with id, direction,
    severity (high, medium, low or info), title, detail and optionally numbers."""
    get = finding.get if isinstance(finding, dict) else (lambda k, d=None: getattr(finding, k, d))
    entry = {"kind": "finding"}
    for key in ("id", "direction", "severity", "title"):
        v = get(key)
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"record_finding: {key!r} must be a non-empty string (got {v!r})")
        entry[key] = v
    if entry["severity"] not in SEVERITIES:
        raise ValueError(f"record_finding: severity {entry['severity']!r} is not one of {SEVERITIES}")
    entry["detail"] = _text(get("detail")) or ""
    entry["numbers"] = {str(k): _jsonable(v) for k, v in (get("numbers") or {}).items()}
    return _write(entry, notebook)


def record_missing(what: str, *, notebook: str | None = None) -> dict:
    """Note that a section was skipped because its data is missing (for the data-quality appendix)."""
    return _write({"kind": "missing", "what": _text(what)}, notebook)


def record_meta(key: str, value: Any, *, notebook: str | None = None) -> dict:
    """Record a fact about the run that the report shows, e.g. the period actually analysed
    (`record_meta("period_start", "2024-01-01")`)."""
    return _write({"kind": "meta", "key": str(key), "value": _jsonable(value)}, notebook)


# --- internals ---------------------------------------------------------------------------

def _write(entry: dict, notebook: str | None) -> dict:
    entry["notebook"] = notebook or _settings["notebook"] or os.environ.get(ENV_NOTEBOOK) or None
    entry["recorded_at"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    line = json.dumps(entry, ensure_ascii=False, allow_nan=False)
    _memory.append(entry)
    path = _settings["path"] or os.environ.get(ENV_PATH) or None
    if path:
        # One write of one line: the runner reads whole lines only, so a notebook killed
        # mid-way leaves at worst a truncated last line, which the merge reports and skips.
        with open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    return entry


def _is_estimate(x: Any) -> bool:
    return all(hasattr(x, a) for a in ("value", "n")) and not isinstance(x, (numbers.Number, str))


def _registry_available() -> bool:
    try:
        from .metrics import registry  # noqa: F401
    except ImportError:
        return False
    return True


def _definition(metric_id: str):
    try:
        from .metrics import registry
    except ImportError:
        return None
    try:
        return registry.get(metric_id)
    except KeyError:
        return None


def _number(x: Any, what: str) -> float | int | None:
    if x is None:
        return None
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        try:
            x = float(x)  # numpy scalars, Decimal
        except (TypeError, ValueError):
            raise TypeError(f"record: {what} must be a number or None, not {type(x).__name__}") from None
    if isinstance(x, numbers.Integral):
        return int(x)
    x = float(x)
    return x if math.isfinite(x) else None


def _count(n: Any) -> int | None:
    if n is None:
        return None
    if isinstance(n, bool) or not isinstance(n, numbers.Real) or float(n) != int(n) or n < 0:
        raise ValueError(f"record: n must be a non-negative whole number, not {n!r}")
    return int(n)


def _text(x: Any) -> str | None:
    return None if x is None else str(x)


def _jsonable(x: Any) -> Any:
    if x is None or isinstance(x, (str, bool)):
        return x
    if isinstance(x, numbers.Real):
        return _number(x, "number")
    if isinstance(x, (dt.date, dt.datetime)):
        return x.isoformat()
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if hasattr(x, "isoformat"):  # pandas Timestamp
        return x.isoformat()
    return str(x)
