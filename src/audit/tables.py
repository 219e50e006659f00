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
            frames[t] = _read(p)
    return Tables(frames)


# Tables read ahead of time, by path, with the (mtime, size) of the file they were read from.
_preloaded: dict[Path, tuple[tuple[int, int], pd.DataFrame]] = {}


def preload(client_dir: str | Path) -> int:
    """Read one client's stored tables now and keep them (those of any other client are dropped).

    The runner's kernel server calls this once the ingest is done and before it forks the
    notebooks' kernels: each kernel then starts with the tables in memory instead of reading
    them again. A table whose file has changed since is read afresh. Returns the tables kept."""
    _preloaded.clear()
    for t in schemas.TABLE_NAMES:
        p = table_path(Path(client_dir), t)
        try:
            stamp = _stamp(p)
        except OSError:
            continue
        _preloaded[p.resolve()] = (stamp, pd.read_parquet(p))
    return len(_preloaded)


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def _read(path: Path) -> pd.DataFrame:
    kept = _preloaded.get(path.resolve())
    if kept is not None and kept[0] == _stamp(path):
        return kept[1].copy(deep=False)  # copy-on-write: what one notebook changes stays its own
    return pd.read_parquet(path)
