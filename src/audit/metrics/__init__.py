"""The metrics library: every KPI of the business compass with its written definition
(`registry`), its sample size and honest uncertainty (`stats`), computed on the canonical
tables for a period (`period`). One module per area of the compass."""
from __future__ import annotations

from .period import resolve_periods, within
from .registry import DIRECTIONS, REGISTRY, MetricDef, all_metrics, get, metric
from .stats import MIN_N, Comparison, Estimate

__all__ = ["DIRECTIONS", "MIN_N", "REGISTRY", "Comparison", "Estimate", "MetricDef", "all_metrics",
           "get", "metric", "resolve_periods", "within"]
