"""Read the canonical tables that `audit ingest` stored in <client>/.audit/."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import schemas
from .paths import cache_dir


@dataclass
class Tables:
    """All canonical tables of one client; a table with no data is empty but has its columns."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in schemas.TABLES:
            frame = self.frames.get(name)  # not .get(name, empty(...)): that builds an empty table every time
            return frame if frame is not None else schemas.empty(name)
        raise AttributeError(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def has(self, name: str) -> bool:
        return name in self.frames and len(self.frames[name]) > 0

    def available(self) -> list[str]:
        return [t for t in schemas.TABLES if self.has(t)]


def table_path(client_dir: Path, table: str) -> Path:
    return cache_dir(client_dir) / f"{table}.parquet"


def load_tables(client_dir: str | Path, names: list[str] | None = None) -> Tables:
    """Load stored canonical tables (run `audit ingest` first). Missing tables come back empty."""
    frames = {}
    for t in names or schemas.TABLE_NAMES:
        p = table_path(Path(client_dir), t)
        if p.exists():
            frames[t] = pd.read_parquet(p)
    return Tables(frames)
