"""The format registry: every export format the toolkit reads, recognised by content.

A format is a small class with `match(block) -> score` (0 means "not me") and
`parse(block, ctx) -> {table: DataFrame}`. Modules in `audit/ingest/formats/` register their
formats with `@register`; the registry imports them all on first use, so adding a format is
adding a module.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from ..config import AuditConfig, Source
from ..errors import DataError
from . import values as V
from .sniff import Block

FORMATS: dict[str, "Format"] = {}
_loaded = False


class Format:
    id: ClassVar[str]  # e.g. "meta.fb_content"
    label: ClassVar[str]  # e.g. "Meta Business Suite, Facebook content export"
    platform: ClassVar[str]  # default platform of the rows
    tables: ClassVar[tuple[str, ...]]  # canonical tables it feeds (empty: recognised, carries no rows)
    row_cap: ClassVar[int | None] = None  # the platform's export limit: warn when reached
    # parse() turns a CSV streamed by pyarrow (Block.frame or Block.chunks) into the tables it makes of
    # the same file read whole (every CSV fixture is checked both ways: tests/test_ingest_fast_paths.py),
    # so files from sniff.STREAM_FILE up are streamed. False for formats that read the rows at once.
    streams: ClassVar[bool] = True

    def match(self, block: Block) -> float:
        raise NotImplementedError

    def parse(self, block: Block, ctx: "ParseContext") -> dict[str, pd.DataFrame]:
        raise NotImplementedError


def register(cls: type[Format]) -> type[Format]:
    if cls.id in FORMATS:
        raise RuntimeError(f"format id {cls.id!r} registered twice")
    FORMATS[cls.id] = cls()
    return cls


def load_formats() -> dict[str, Format]:
    global _loaded
    if not _loaded:
        from . import formats as pkg
        for mod in pkgutil.iter_modules(pkg.__path__):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
        _loaded = True
    return FORMATS


def best_format(block: Block, forced: str | None = None) -> tuple[Format | None, float]:
    fmts = load_formats()
    if forced:
        if forced not in fmts:
            raise DataError(f"audit.yml names format {forced!r}, which does not exist (see `audit formats`)", block.source)
        return fmts[forced], 1.0
    scored = sorted(((f.match(block), f.id) for f in fmts.values()), reverse=True)
    if not scored or scored[0][0] <= 0:
        return None, 0.0
    return fmts[scored[0][1]], scored[0][0]


# --- matching helpers ---------------------------------------------------------------------------------
def header_score(block: Block, required, optional=(), forbidden=()) -> float:
    """Score a block's header: 0 unless every required name is present (an element of `required`
    may be a set of alternatives: any one will do) and no forbidden name is; then 1 + the share of
    optional names present + a little per required name, so the more specific format wins.
    Names are compared after values.norm_header (case, spaces and dashes do not matter)."""
    keys = block.keyset
    if keys & {V.norm_header(f) for f in forbidden}:
        return 0.0
    for r in required:
        alts = {r} if isinstance(r, str) else set(r)
        if not keys & {V.norm_header(a) for a in alts}:
            return 0.0
    opt = {V.norm_header(o) for o in optional}
    bonus = len(keys & opt) / len(opt) if opt else 0.0
    return 1.0 + bonus + 0.01 * len(required)


def columns_for(frame: pd.DataFrame, aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map canonical names to the frame's actual column names, through alias lists of normalised headers.
    The first alias found wins; for duplicated headers the first occurrence is used."""
    by_key: dict[str, str] = {}
    for col in frame.columns:
        by_key.setdefault(V.norm_header(_strip_dup_suffix(col, frame.columns)), col)
    out = {}
    for canon, names in aliases.items():
        for n in names:
            if V.norm_header(n) in by_key:
                out[canon] = by_key[V.norm_header(n)]
                break
    return out


def _strip_dup_suffix(col: str, cols) -> str:
    base, _, k = col.rpartition(".")
    return base if k.isdigit() and base in cols else col


# --- what reading a column decided, chunk by chunk -----------------------------------------------------
@dataclass
class DateFacts:
    """What `ParseContext.read_dates` met in a column, or in one chunk of it."""

    report: V.DateReport
    first: object  # the first cell (for the day/month warning)
    naive: bool  # the times carry no time zone
    dated: bool  # some cell was read
    tz: object  # the time zone naive times were taken in
    twice: int = 0  # times in the hour repeated when clocks go back
    first_twice: str | None = None

    @staticmethod
    def alike(facts: list["DateFacts"]) -> bool:
        """True when the chunks were read as the whole column would have been: the same way of reading
        (platform format, slash dates in the same day/month order, ISO 8601) and all naive or all
        with a time zone. Cells the tolerant parser read are per cell too, but only for naive times
        (with a time zone, whether the column is read in UTC depends on its first 50 values)."""
        read = [f for f in facts if f.report.cells]
        if any(f.report.retried and not f.naive for f in read):
            return False
        return len({(f.report.way, f.report.day_first, f.naive) for f in read}) <= 1


@dataclass
class NumberFacts:
    """What reading a column of numbers met (`number_facts`), in a whole column or one chunk of it."""

    decimal: str | None  # the decimal mark the cells were read with (None: not known)
    filled: bool  # some cell is not a placeholder
    bad: int = 0  # cells that are not numbers
    first_bad: tuple | None = None  # (row, cell)
    mangled: int = 0  # cells Excel turned into dates
    first_mangled: tuple | None = None

    @staticmethod
    def alike(facts: list["NumberFacts"]) -> bool:
        """True when every chunk with a value was read with the same decimal mark. The mark of a
        whole column is a comma when any cell says so (V._guess_decimal), so then every chunk of it
        was read as the whole column would have been."""
        return len({f.decimal for f in facts if f.filled}) <= 1


def number_facts(s: pd.Series, out: pd.Series, decimal: str | None = None) -> NumberFacts:
    """The cells of `s` that `out` (their numbers) left empty though they are not placeholders, and
    those of them Excel made into dates."""
    empty = out.isna().to_numpy()
    facts = NumberFacts(decimal, filled=not empty.all())
    if not empty.any():
        return facts
    # an empty result is bad unless the cell was a placeholder
    arr = V.arrow_strings(s)
    if arr is not None:  # over the whole column: cheaper than picking the empty cells out first
        bad = pd.Series(empty & ~V.blank_arrow(arr), index=s.index)
    else:
        bad = pd.Series(empty, index=s.index)
        bad[empty] = ~V.blank(s[empty]).to_numpy()
    if not bad.any():
        return facts
    facts.filled = True
    mangled = V.looks_excel_mangled(s[bad])
    if mangled.any():
        i = mangled[mangled].index[0]
        facts.mangled, facts.first_mangled = int(mangled.sum()), (i, s.loc[i])
    i = bad[bad].index[0]
    facts.bad, facts.first_bad = int(bad.sum()), (i, s.loc[i])
    return facts


# --- parse context ----------------------------------------------------------------------------------------
@dataclass
class ParseContext:
    """What a parser needs besides the block: settings, and a place to say what it decided."""

    source: str
    config: AuditConfig | None = None
    override: Source | None = None
    warnings: list[str] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)

    @property
    def tz(self):
        from zoneinfo import ZoneInfo
        return self.config.tz if self.config else ZoneInfo("UTC")

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def drop(self, rows: int, reason: str) -> None:
        if rows:
            self.dropped.append({"rows": int(rows), "reason": reason})

    def account(self, handle: str | None = None, platform: str | None = None) -> str:
        """Brand or competitor name for rows of this file: audit.yml `sources` first, then the
        handle found in the export, else the brand (the client's own exports)."""
        if self.override and self.override.account:
            return self.override.account
        if self.config is None:
            return handle or "brand"
        found = self.config.account_for(handle, platform)
        if found:
            return found
        if handle:
            self.warn(f"account {handle!r} is not listed in audit.yml; its rows are counted as the brand's "
                      f"({self.config.brand.name})")
        return self.config.brand.name

    def columns(self, frame: pd.DataFrame, aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
        """`columns_for`, then the file's audit.yml `sources[].columns` (canonical name → header as
        written in the file), which win over the aliases: how a tool's custom layout is mapped."""
        found = columns_for(frame, aliases)
        mapping = self.override.columns if self.override else {}
        if not mapping:
            return found
        by_key: dict[str, str] = {}
        for col in frame.columns:
            by_key.setdefault(V.norm_header(_strip_dup_suffix(col, frame.columns)), col)
        for canon, header in mapping.items():
            if canon not in aliases:
                raise DataError(f"audit.yml `columns` maps {canon!r}, which this format does not read; "
                                f"known names: {', '.join(aliases)}", self.source)
            col = by_key.get(V.norm_header(header))
            if col is None:
                raise DataError(f"audit.yml `columns` maps {canon!r} to a column {header!r} that this file does not "
                                f"have (its columns: {', '.join(map(str, frame.columns[:12]))})", self.source)
            found[canon] = col
        return found

    def numbers(self, frame: pd.DataFrame, col: str, parsed: pd.Series | None = None, **kw) -> pd.Series:
        """A numeric column; cells that are not numbers become empty, with a warning naming row and column.
        `parsed`: V.to_number(frame[col], **kw) when the caller computed it already (in parallel)."""
        s = frame[col]
        out = V.to_number(s, **kw) if parsed is None else parsed
        self.settle_numbers(col, [number_facts(s, out)])
        return out

    def read_numbers(self, series: pd.Series) -> tuple[pd.Series, "NumberFacts"]:
        """`numbers` on one chunk of a column, without its side effects: the values, and what
        `settle_numbers` needs to warn or raise once for the whole column. Safe in worker threads."""
        arr = V.arrow_strings(series)
        if arr is not None:  # plain numbers (most columns): one pass, the placeholders found once
            arr = V.whole(arr)
            missing = V.blank_arrow(arr)
            plain = V._plain_column(arr, missing)
            if plain is not None:
                empty = np.isnan(plain)
                out = pd.Series(plain, index=series.index, dtype="float64")
                if (empty & ~missing).any():  # "-nan" and the like: worded by number_facts
                    return out, number_facts(series, out, ".")
                return out, NumberFacts(".", filled=not empty.all())
        out, rep = V._to_number(series, None, True)
        return out, number_facts(series, out, rep.decimal)

    def settle_numbers(self, col: str, facts: list["NumberFacts"]) -> None:
        """The error or warning `numbers` gives for a column read in one or more chunks (in file order)."""
        mangled = [f for f in facts if f.mangled]
        if mangled:
            i, value = mangled[0].first_mangled
            raise DataError(f"{sum(f.mangled for f in mangled)} value(s) such as {value!r} look like numbers that "
                            "Excel turned into dates; please use the original export, not a re-saved copy",
                            self.source, int(i), col)
        bad = [f for f in facts if f.bad]
        if bad:
            i, value = bad[0].first_bad
            self.warn(f"row {int(i)}, column {col!r}: {sum(f.bad for f in bad)} value(s) that are not numbers "
                      f"(e.g. {str(value)[:40]!r}) were left empty")

    def dates(self, frame: pd.DataFrame, col: str, formats: tuple[str, ...] = (), *, naive_tz=None) -> pd.Series:
        """Event timestamps → UTC. Naive times are taken in `naive_tz` (default: audit.yml time zone)."""
        out, facts = self.read_dates(frame[col], col, formats, naive_tz=naive_tz)
        self.settle_dates(col, [facts])
        return out

    def read_dates(self, series: pd.Series, col: str, formats: tuple[str, ...] = (), *,
                   naive_tz=None) -> tuple[pd.Series, "DateFacts"]:
        """`dates` on one chunk of a column, without its side effects: the UTC timestamps (unreadable
        cells empty), and what `settle_dates` needs to raise or warn once for the whole column. Safe
        in worker threads."""
        tz = naive_tz or self.tz
        day_first = self.override.day_first if self.override else None
        parsed, rep = V.to_datetime(series, formats=formats, day_first=day_first, column=col, file=self.source,
                                    strict=False)
        naive = parsed.dt.tz is None
        facts = DateFacts(report=rep, first=series.iloc[0] if len(series) else None, naive=naive,
                          dated=bool(parsed.notna().any()), tz=tz)
        if naive:
            local = parsed.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
            twice = local.isna() & parsed.notna()
            if twice.any():  # the hour that happens twice when clocks go back: read it as standard time
                facts.twice, facts.first_twice = int(twice.sum()), str(series[twice].iloc[0])
                local = parsed.dt.tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
            parsed = local
        return V.to_utc(parsed), facts

    def settle_dates(self, col: str, facts: list["DateFacts"]) -> None:
        """The error and warnings `dates` gives for a column read in one or more chunks (in file order,
        read alike: see `DateFacts.alike`)."""
        bad = [f for f in facts if f.report.bad]
        if bad:
            rep = bad[0].report
            raise DataError(f"{sum(f.report.bad for f in bad)} value(s) are not dates, e.g. {rep.first_bad_value!r}",
                            self.source, V._row(rep.first_bad_index), col)
        tz = facts[0].tz if facts else self.tz
        read = [f for f in facts if f.report.cells]
        if read and all(f.report.ambiguous for f in read):
            self.warn(f"column {col!r}: dates such as {read[0].first!r} could be day/month or month/day; "
                      "read as month/day (set `day_first: true` for this file in audit.yml to change)")
        if any(f.naive and f.dated for f in facts):
            self.warn(f"column {col!r}: times carry no time zone; taken as {tz}")
        twice = [f for f in facts if f.twice]
        if twice:
            self.warn(f"column {col!r}: {sum(f.twice for f in twice)} time(s) such as {twice[0].first_twice!r} fall "
                      f"in the hour repeated when clocks go back in {tz}; read as standard time")

    def days(self, frame: pd.DataFrame, col: str, formats: tuple[str, ...] = ()) -> pd.Series:
        """Calendar days (naive midnight)."""
        day_first = self.override.day_first if self.override else None
        parsed, rep = V.to_datetime(frame[col], formats=formats, day_first=day_first, column=col, file=self.source)
        if rep.ambiguous:
            self.warn(f"column {col!r}: dates could be day/month or month/day; read as month/day "
                      "(set `day_first: true` for this file in audit.yml to change)")
        return V.to_day(parsed)

    def finish(self, frame: pd.DataFrame, platform: str, account: str | pd.Series) -> pd.DataFrame:
        """Add the columns every canonical row carries, from the frame's index (source rows)."""
        out = frame.copy(deep=False)  # new columns only: the frame's own are not written to
        n = len(frame)
        out["platform"] = repeated(platform, n) if isinstance(platform, str) else platform
        out["account"] = repeated(account, n) if isinstance(account, str) else account
        out["source_file"] = repeated(self.source, n)
        out["source_row"] = pd.array(frame.index, dtype="Int64") if frame.index.dtype.kind in "iu" else pd.NA
        return out.reset_index(drop=True)


_REPEAT_BLOCK = 4096


def repeated(value: str, n: int) -> pd.api.extensions.ExtensionArray:
    """n copies of one string, as a "str" array whose Arrow chunks all share one buffer: a constant
    column (source_file, platform) of 300,000 rows costs a few kilobytes, not 300,000 strings."""
    import pyarrow as pa
    block = pa.array([value] * min(n, _REPEAT_BLOCK), pa.large_string())
    whole, rest = divmod(n, len(block)) if n else (0, 0)
    chunks = [block] * whole + ([block.slice(0, rest)] if rest else [])
    return pd.array(pa.chunked_array(chunks, pa.large_string()), dtype="str")


def text(frame: pd.DataFrame, col: str | None) -> pd.Series:
    """A text column with placeholders turned into missing values (NFKC-normalised)."""
    if col is None:
        return pd.Series(pd.NA, index=frame.index, dtype="str")
    return V.clean_text(frame[col])
