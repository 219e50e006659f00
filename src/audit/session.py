"""The audit as a notebook sees it: one call that loads the client's settings, its canonical
tables (pseudonymised when asked) and the audit and comparison periods.

    a = audit.open_audit(client_dir, period_start=period_start, period_end=period_end)
    a.tables.posts, a.config.brand.name, a.period, a.comparison
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .config import AuditConfig, Period, load_config
from .errors import ConfigError
from .paths import cache_dir
from .tables import Tables, load_tables


@dataclass
class Audit:
    client_dir: Path
    config: AuditConfig
    tables: Tables
    period: Period
    comparison: Period
    anonymized: bool = False

    @property
    def brand(self) -> str:
        return self.config.brand.name

    @property
    def competitors(self) -> list[str]:
        return self.config.competitor_names

    @property
    def tz(self) -> str:
        return self.config.timezone

    def has(self, *tables: str) -> bool:
        """True when every named table has rows."""
        return all(self.tables.has(t) for t in tables)


def _day(value: str, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"parameter {name}={value!r} is not a date (YYYY-MM-DD)") from None


def open_audit(client_dir: str | Path, *, period_start: str = "", period_end: str = "",
               anonymize: bool | None = None, ingest_if_needed: bool = True) -> Audit:
    """Load one client's audit. Explicit period parameters win over audit.yml, which wins over the
    default (the 12 full months before the latest data, and the 12 before those)."""
    from .metrics.period import previous_period, resolve_periods

    client_dir = Path(client_dir)
    config = load_config(client_dir)
    if ingest_if_needed and not (cache_dir(client_dir) / "ingest_report.json").exists():
        from .ingest import ingest
        ingest(client_dir, progress=False, config=config)
    tables = load_tables(client_dir)
    start, end = _day(period_start, "period_start"), _day(period_end, "period_end")
    if start or end:
        if not (start and end):
            raise ConfigError("give both period_start and period_end, or neither")
        if end < start:
            raise ConfigError(f"period_end {end} is before period_start {start}")
        period = Period(start=start, end=end)
        comparison = config.comparison_period or previous_period(period)
    else:
        period, comparison = resolve_periods(tables, config)
    anonymized = config.anonymize if anonymize is None else bool(anonymize)
    if anonymized:
        from .privacy import anonymize_tables
        tables = Tables(anonymize_tables(tables.frames, config))
    return Audit(client_dir, config, tables, period, comparison, anonymized)
