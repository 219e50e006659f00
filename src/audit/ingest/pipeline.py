"""`audit ingest`: every file of a client folder → canonical tables + an ingest report.

sniff → recognise → parse → conform (schema) → de-duplicate → store (parquet).
Per-file results are cached under <client>/.audit/files/, keyed by the file's content hash, the
settings that affect parsing and the package version, so a re-run re-parses only what changed.
A corrupt cache entry is rebuilt, never trusted. Raw exports are only ever read.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from tqdm.auto import tqdm

from .. import __version__, schemas
from ..config import AuditConfig, load_config
from ..errors import AuditError, DataError
from ..paths import cache_dir
from .conform import conform
from .registry import ParseContext, best_format, load_formats
from .sniff import ReadWhole, read_blocks
from .state import REPORT_NAME, client_files, settings_key, sha256_of, unchanged_report


@dataclass
class FileResult:
    file: str
    sha256: str
    status: str = "ok"  # ok | problems | unrecognised | error
    formats: list[str] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    dropped: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    encoding: str | None = None
    cached: bool = False


@dataclass
class IngestReport:
    client: str
    generated_at: str
    files: list[FileResult] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    duplicates_removed: dict[str, int] = field(default_factory=dict)
    settings: str = ""  # the settings and code the tables were built with (see state.settings_key)

    @property
    def unrecognised(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "unrecognised"]

    @property
    def problems(self) -> list[FileResult]:
        return [f for f in self.files if f.status in ("error", "unrecognised") or f.errors]

    @property
    def exit_code(self) -> int:
        if not any(self.tables.values()):
            return 2
        return 1 if self.problems else 0

    def to_dict(self) -> dict:
        d = asdict(self)
        d["unrecognised"] = [{"file": f.file, "reason": "; ".join(f.errors)} for f in self.unrecognised]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> IngestReport:
        """The report `to_dict` wrote."""
        return cls(client=d["client"], generated_at=d["generated_at"], files=[FileResult(**f) for f in d["files"]],
                   tables=d["tables"], duplicates_removed=d["duplicates_removed"], settings=d.get("settings", ""))


@functools.cache
def _return_freed_memory() -> None:
    """A large export allocates and frees a few hundred MB of Arrow buffers. pyarrow's default
    allocator (mimalloc) keeps freed pages: the process peaks ~100 MB above what it really holds.
    jemalloc giving pages back after 50 ms peaks ~90 MB lower (bench/bench_ingest.py); giving them
    back at once would save ~20-40 MB more, but two threads then spend a sixth to a third more CPU
    time. Its settings are made when pyarrow loads if audit.ingest was imported first (JEMALLOC_CONF),
    else here (50 ms, for the arenas created from now on). Not when ARROW_DEFAULT_MEMORY_POOL
    chooses the allocator, nor where jemalloc is not built in."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    from . import JEMALLOC_CONFIGURED
    try:
        pool = pa.jemalloc_memory_pool()
        if not JEMALLOC_CONFIGURED:  # pyarrow was loaded first (see audit/ingest/__init__.py)
            pa.jemalloc_set_decay_ms(50)
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return
    pa.set_memory_pool(pool)


def parse_file(path: Path, rel: str, config: AuditConfig | None) -> tuple[FileResult, dict[str, pd.DataFrame]]:
    """Parse one file into canonical tables; never raises for data problems."""
    _return_freed_memory()
    try:
        return _parse_file(path, rel, config, stream=True)
    except ReadWhole:  # a mid-size CSV streaming does not fit: read it whole, from the start
        return _parse_file(path, rel, config, stream=False)


def _parse_file(path: Path, rel: str, config: AuditConfig | None,
                stream: bool) -> tuple[FileResult, dict[str, pd.DataFrame]]:
    res = FileResult(file=rel, sha256="")
    frames: dict[str, list[pd.DataFrame]] = {}
    override = config.source_for(rel) if config else None
    try:
        blocks = read_blocks(path, rel, stream=stream)
    except DataError as e:
        res.status, res.errors = "error", [str(e.at(file=rel))]
        return res, {}
    res.encoding = blocks[0].encoding if blocks else None
    unknown = []
    for block in blocks:
        try:
            fmt, _ = best_format(block, override.format if override else None)
        except DataError as e:
            if block.whole_ok:
                raise ReadWhole(block.source) from None
            res.errors.append(str(e))
            continue
        if block.whole_ok and (fmt is None or not fmt.streams):
            raise ReadWhole(block.source)  # read as it always was, whole
        if fmt is None:
            unknown.append(block)
            continue
        ctx = ParseContext(source=block.source, config=config, override=override)
        try:
            out = fmt.parse(block, ctx)
            for table, df in out.items():
                if df is None or not len(df):
                    continue
                conformed = conform(table, df, block.source)  # may raise: then nothing is kept
                frames.setdefault(table, []).append(conformed)
            if fmt.row_cap and len(block) == fmt.row_cap:
                ctx.warn(f"{len(block)} rows: the platform's export limit is reached, so rows beyond it are missing")
        except DataError as e:
            res.errors.append(str(e.at(file=block.source)))
        except (ValueError, KeyError, TypeError, IndexError, OverflowError) as e:
            # A parser met something it did not foresee: report it as a data problem of this file.
            res.errors.append(f"{block.source}: could not be read as {fmt.label} ({type(e).__name__}: {e})")
        if fmt.id not in res.formats:
            res.formats.append(fmt.id)
        res.warnings += [w if w.startswith(block.source) else f"{block.source}: {w}" for w in ctx.warnings]
        res.dropped += [{**d, "file": block.source} for d in ctx.dropped]
    if unknown and not res.formats:
        b = unknown[0]
        res.status = "unrecognised"
        res.errors.append(f"{rel}: not a known export format (header: {', '.join(b.header[:6])}"
                          f"{', …' if len(b.header) > 6 else ''}); see `audit formats`, or map its columns "
                          "in audit.yml `sources`")
    elif unknown:
        for b in unknown:
            res.warnings.append(f"{b.source}: section at row {b.header_row} ({', '.join(b.header[:4])}) "
                                "was not recognised and is skipped")
    if res.errors and res.status == "ok":
        res.status = "problems"
    tables = {t: fs[0] if len(fs) == 1 else pd.concat(fs, ignore_index=True) for t, fs in frames.items()}
    res.tables = {t: len(df) for t, df in tables.items()}
    return res, tables


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _atomic_parquet(df: pd.DataFrame | Path, path: Path) -> None:
    """The table written to `path` as parquet (a parquet file given instead is copied), all at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    try:
        if isinstance(df, Path):
            shutil.copyfile(df, tmp)
        else:
            import pyarrow.parquet as pq  # not for parsing: ~5 MB less for a process that only parses

            table = pa.Table.from_pandas(df, preserve_index=False)
            pq.write_table(table, tmp, use_dictionary=_dictionary_columns(table))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _dictionary_columns(table: pa.Table) -> list[str]:
    """Columns worth dictionary-encoding in parquet: those whose first 10,000 cells repeat (platform,
    account, sentiment). Texts and ids are not tried: the writer would build their dictionary until it
    grew too big and start again without (a third of the write time of a 100 MB mentions table)."""
    out = []
    for name, column in zip(table.column_names, table.columns):
        head = column.slice(0, 10_000)
        if len(head) < 1000 or pc.count_distinct(head).as_py() <= len(head) // 10:
            out.append(name)
    return out


def _cache_load(entry_dir: Path) -> tuple[FileResult, dict[str, pd.DataFrame]] | None:
    meta = entry_dir / "result.json"
    try:
        res = FileResult(**json.loads(meta.read_text()))
        tables = {t: pd.read_parquet(entry_dir / f"{t}.parquet") for t in res.tables}
        if any(len(tables[t]) != n for t, n in res.tables.items()):
            return None
        res.cached = True
        return res, tables
    except Exception:  # a missing or corrupt cache entry is rebuilt, never trusted
        return None


def _cache_store(entry_dir: Path, res: FileResult, tables: dict[str, pd.DataFrame]) -> None:
    for t, df in tables.items():
        _atomic_parquet(df, entry_dir / f"{t}.parquet")
    _atomic_write_bytes(entry_dir / "result.json", json.dumps(asdict(res), default=str).encode())


def deduplicate(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Overlapping exports: posts keep the newest lifetime totals (never summed); daily series and
    events keep one row per key; aggregate tables drop exact repeats."""
    if df.empty:
        return df
    key = schemas.KEYS.get(table)
    cols = list(key) if key else [c for c in df.columns if c not in ("source_file", "source_row")]
    repeated = df.duplicated(cols, keep="last")
    if key and table != "posts" and repeated.any():
        repeated &= df[cols].notna().all(axis=1)  # rows without a full key are all kept
    if not repeated.any():
        return df  # the usual case (one export per source): no copy of the table
    if table == "posts":
        order = df.sort_values(["exported_at", "source_file", "source_row"], na_position="first", kind="stable")
        # exports of the same day are one snapshot: a metric one of them left empty is taken from another
        tie = order.groupby(list(key) + ["exported_at"], dropna=False, sort=False)
        if tie.ngroups < len(order):
            order = tie.transform("last").assign(**{k: order[k] for k in [*key, "exported_at"]})[order.columns]
        return order.drop_duplicates(list(key), keep="last").sort_index()
    return df[~repeated.to_numpy()]


def ingest(client_dir: str | Path, *, progress: bool = True, config: AuditConfig | None = None) -> IngestReport:
    """Read every export in the client folder into canonical tables under <client>/.audit/."""
    client_dir = Path(client_dir)
    if not client_dir.is_dir():
        raise AuditError(f"{client_dir}: not a folder")
    config = config or load_config(client_dir)
    cdir = cache_dir(client_dir)
    settings = settings_key(config)
    files = client_files(client_dir)
    digests = {path.relative_to(client_dir).as_posix(): sha256_of(path) for path in files}
    unchanged = unchanged_report(client_dir, settings, digests)
    if unchanged is not None:
        return IngestReport.from_dict(unchanged)
    load_formats()
    report = IngestReport(client=config.client, generated_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                          settings=settings)
    collected: dict[str, list[tuple[pd.DataFrame, Path]]] = {}  # table → (part, its parquet in the cache)
    for path in tqdm(files, desc="ingest", unit="file", disable=not progress, leave=False):
        rel = path.relative_to(client_dir).as_posix()
        digest = digests[rel]
        entry = cdir / "files" / f"{digest[:32]}-{settings}"
        cached = _cache_load(entry)
        if cached is not None:
            res, tables = cached
            res.file = rel
        else:
            res, tables = parse_file(path, rel, config)
            res.sha256 = digest
            _cache_store(entry, res, tables)
        report.files.append(res)
        for t, df in tables.items():
            collected.setdefault(t, []).append((df, entry / f"{t}.parquet"))
    for t in schemas.TABLE_NAMES:
        parts = [(df, cached) for df, cached in collected.get(t, []) if len(df)]
        path = cdir / f"{t}.parquet"
        if not parts:
            path.unlink(missing_ok=True)
            report.tables[t] = 0
            continue
        df = pd.concat([p for p, _ in parts], ignore_index=True) if len(parts) > 1 else parts[0][0]
        deduped = deduplicate(t, df)
        if len(deduped) < len(df):
            report.duplicates_removed[t] = len(df) - len(deduped)
        # one file's table, as it is: its parquet in the cache is that table already
        _atomic_parquet(parts[0][1] if deduped is parts[0][0] else deduped.reset_index(drop=True), path)
        report.tables[t] = len(deduped)
    _atomic_write_bytes(cdir / REPORT_NAME, json.dumps(report.to_dict(), indent=2, default=str).encode())
    return report


def load_report(client_dir: str | Path) -> dict | None:
    p = cache_dir(Path(client_dir)) / REPORT_NAME
    try:
        return json.loads(p.read_text())
    except (OSError, ValueError):
        return None
