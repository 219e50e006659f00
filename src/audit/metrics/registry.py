"""The single registry of metric definitions.

Every metric the package computes is declared once, at import time of the module that
computes it, with its formula in words. The registry feeds the report's definitions
appendix, the recorded figures (`metrics.json`) and `docs/metrics.md`.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

DIRECTIONS = ("channels", "brand_health", "marketing_optimisation", "generating_returns",
              "operational_efficiency", "customer_experience", "innovation", "audience", "website", "competitors")
UNITS = ("count", "fraction", "currency", "seconds", "hours", "per_week", "score", "position", "ratio", "rate")

# Every module that registers metrics. all_metrics() imports them all.
METRIC_MODULES = ("channels", "brand", "competitors", "audience",
                  "marketing", "returns", "operations", "experience", "innovation", "website")


@dataclass(frozen=True)
class MetricDef:
    id: str            # dotted, e.g. "channels.engagement_rate_reach"
    name: str          # human label, e.g. "Engagement rate by reach"
    direction: str     # one of DIRECTIONS
    unit: str          # one of UNITS
    numerator: str     # words: what is counted, which actions count
    denominator: str = ""   # words ("" when not a ratio)
    aggregation: str = ""   # words: "ratio of sums over posts", "median of per-post ratios", ...
    caveats: str = ""
    higher_is_better: bool | None = True


REGISTRY: dict[str, MetricDef] = {}


def metric(id: str, name: str, direction: str, unit: str, numerator: str, denominator: str = "",
           aggregation: str = "", caveats: str = "", higher_is_better: bool | None = True) -> MetricDef:
    """Register a metric definition (call at module import time) and return it."""
    if id in REGISTRY:
        raise ValueError(f"metric {id!r} is registered twice")
    if direction not in DIRECTIONS:
        raise ValueError(f"metric {id!r}: unknown direction {direction!r} (one of {', '.join(DIRECTIONS)})")
    if unit not in UNITS:
        raise ValueError(f"metric {id!r}: unknown unit {unit!r} (one of {', '.join(UNITS)})")
    if not numerator.strip():
        raise ValueError(f"metric {id!r}: the numerator must be described in words")
    d = MetricDef(id, name, direction, unit, numerator, denominator, aggregation, caveats, higher_is_better)
    REGISTRY[id] = d
    return d


def get(id: str) -> MetricDef:
    """The definition of one metric; KeyError naming close matches when unknown."""
    _import_all()
    try:
        return REGISTRY[id]
    except KeyError:
        prefix = id.split(".")[0]
        near = sorted(k for k in REGISTRY if k.startswith(prefix + ".")) or sorted(REGISTRY)[:10]
        raise KeyError(f"unknown metric {id!r}; known ids include: {', '.join(near[:15])}") from None


def all_metrics() -> list[MetricDef]:
    """Every registered metric, sorted by direction (compass order) then id."""
    _import_all()
    order = {d: i for i, d in enumerate(DIRECTIONS)}
    return sorted(REGISTRY.values(), key=lambda m: (order[m.direction], m.id))


_DIRECTION_TITLES = {
    "channels": "Channels", "brand_health": "Brand health", "marketing_optimisation": "Marketing optimisation",
    "generating_returns": "Generating returns", "operational_efficiency": "Operational efficiency",
    "customer_experience": "Customer experience", "innovation": "Innovation", "audience": "Audience and target group",
    "website": "Website", "competitors": "Competitors",
}


def definitions_markdown() -> str:
    """Every metric's definition as Markdown (docs/metrics.md and the report's appendix)."""
    ms = all_metrics()
    better = {True: "higher", False: "lower", None: "neither (context decides)"}
    out = ["# Metric definitions", "",
           "<!-- Generated from src/audit/metrics/registry.py by tools/gen_metrics_doc.py; do not edit by hand. -->", "",
           f"{len(ms)} metrics. Each figure in a report comes with its sample size (`n`) and, for comparisons, a 95 % "
           "interval and a verdict: *higher*, *lower*, *no reliable difference*, or *not enough data* (fewer than "
           "10 units on a side). Rates are fractions (0.05 = 5 %).", ""]
    for direction in DIRECTIONS:
        group = [m for m in ms if m.direction == direction]
        if not group:
            continue
        out += [f"## {_DIRECTION_TITLES[direction]}", ""]
        for m in group:
            out += [f"### {m.name}", "", f"`{m.id}` · unit: {m.unit} · better: {better[m.higher_is_better]}", ""]
            out.append(f"- **Counts:** {m.numerator}")
            if m.denominator:
                out.append(f"- **Divided by:** {m.denominator}")
            if m.aggregation:
                out.append(f"- **Aggregation:** {m.aggregation}")
            if m.caveats:
                out.append(f"- **Caveats:** {m.caveats}")
            out.append("")
    return "\n".join(out)


def _import_all() -> None:
    for name in METRIC_MODULES:
        importlib.import_module(f"audit.metrics.{name}")
