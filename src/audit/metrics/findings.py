"""Findings: statements the audit makes about the data, with the numbers behind them.

A finding is what the report's executive summary lists ("sales objective, but 2 % of posts
link to the shop"). It is produced by tested package code, never written in a notebook.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .registry import DIRECTIONS

# Ordered from most to least urgent; "info" = nothing wrong, or the check could not run.
SEVERITIES = ("high", "medium", "low", "info")


@dataclass(frozen=True)
class Finding:
    id: str            # stable, dotted, e.g. "marketing.sales_without_shop_links"
    direction: str     # one of registry.DIRECTIONS
    severity: str      # one of SEVERITIES
    title: str         # one sentence, plain words
    detail: str        # what was checked, how, and what to do about it
    numbers: dict = field(default_factory=dict)  # the figures the verdict rests on

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"finding {self.id!r}: direction {self.direction!r} is not one of {DIRECTIONS}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"finding {self.id!r}: severity {self.severity!r} is not one of {SEVERITIES}")

    def to_dict(self) -> dict:
        return asdict(self)


def by_severity(findings: list[Finding]) -> list[Finding]:
    """Most urgent first; stable within a severity."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: rank[f.severity])
