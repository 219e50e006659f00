"""Turning exported text cells into numbers, dates and normalised headers.

Platforms write numbers as "1,042", "1.234,56", "1 234,56", "12.5%", "1.2K", "€3.40", " --";
dates as "02/16/2025 05:14", "Mon Feb 17 2025", "2025-01-01T01:00:00", "Jun 7, 2020"... These
helpers are vectorized (whole columns at once) and say what they had to decide."""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError

# Cells that mean "no value" in some export (compared after stripping and casefolding).
PLACEHOLDERS = frozenset({"", "-", "--", "—", "–", "n/a", "na", "nan", "none", "null", "undefined", "#n/a",
                          "(not set)", "not set", "∞"})
_CURRENCY = r"[€$£¥₹]|US\$|USD|EUR|GBP|CHF|CAD|AUD"
_MONTHY = re.compile(r"^\d{1,2}[.\-/ ]?(?:jan|feb|f[ée]v|mar|apr|avr|may|mai|jun|juin|jul|juil|aug|ao[uû]|sep|oct|nov|d[ée]c|"
                     r"янв|фев|мар|апр|май|июн|июл|авг|сен|окт|ноя|дек|яну|юни|юли|сеп|ное)", re.I)  # ru, bg


def norm_header(s: object) -> str:
    """Casefold, strip, collapse spaces, unify dashes and quotes: the key used by alias tables."""
    return _norm_header(str(s))


@functools.lru_cache(maxsize=1 << 16)  # every format compares every header: wide files (2,681 columns) repeat a lot
def _norm_header(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).replace("\u00a0", " ")
    s = s.replace("–", "-").replace("—", "-").replace("’", "'")
    return re.sub(r"\s+", " ", s).strip().strip('"').strip().casefold()


_PLACEHOLDER_LEN = max(map(len, PLACEHOLDERS))


def arrow_strings(series: pd.Series):
    """The pyarrow ChunkedArray behind a pyarrow-backed string column (no copy); None for other columns."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return series.array.__arrow_array__()
    return None


def whole(arr):
    """One pyarrow Array from a ChunkedArray (no copy when it has a single chunk); an Array as is."""
    if not hasattr(arr, "num_chunks"):
        return arr
    return arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()


def cell_bytes(arr) -> tuple[np.ndarray, np.ndarray]:
    """The bytes of a pyarrow string Array's cells, and the cells' end offsets into them (from 0)."""
    import pyarrow as pa
    _, offsets, data = arr.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64 if pa.types.is_large_string(arr.type) else np.int32)
    ends = ends[arr.offset:arr.offset + len(arr) + 1].astype(np.int64)
    text = np.frombuffer(data, dtype=np.uint8)[ends[0]:ends[-1]] if data is not None else np.zeros(0, np.uint8)
    return text, ends - ends[0]


def map_distinct(series: pd.Series, fn) -> pd.Series:
    """fn(cell) as a "str" column, called once per distinct cell in order of first appearance (types,
    categories, hosts repeat a lot); missing cells, and cells fn maps to None, are missing."""
    arr = arrow_strings(series)
    if arr is None:
        return series.map({u: fn(u) for u in series.dropna().unique()}).astype("str")
    return pd.Series(pd.array(map_distinct_arrow(whole(arr), fn), dtype="str"), index=series.index)


def map_distinct_arrow(arr, fn):
    import pyarrow as pa
    import pyarrow.compute as pc
    codes = pc.dictionary_encode(arr)
    return pa.array([fn(u) for u in codes.dictionary.to_pylist()], pa.large_string()).take(codes.indices)


def scatter(arr, rows: np.ndarray, values):
    """A pyarrow Array: `arr` with the cells at `rows` (increasing positions) replaced by `values`, in order."""
    import pyarrow as pa
    import pyarrow.compute as pc
    mask = np.zeros(len(arr), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(arr, pa.array(mask), values)


def blank(series: pd.Series) -> pd.Series:
    """True where the cell is a placeholder for 'no value'."""
    arr = arrow_strings(series)
    if arr is not None:
        return pd.Series(blank_arrow(arr), index=series.index)
    s = series.astype("str").str.strip()
    # Only short cells can be placeholders (long texts are not lower-cased for nothing); the
    # placeholders are ASCII or caseless, so lower() (a pyarrow kernel) does what casefold() would.
    short = (s.str.len() <= _PLACEHOLDER_LEN).to_numpy(dtype=bool, na_value=False)
    out = np.array(series.isna(), dtype=bool)  # a writable copy
    if short.any():
        out[short] |= s[short].str.lower().isin(PLACEHOLDERS).to_numpy(dtype=bool)
    return pd.Series(out, index=series.index)


def blank_arrow(arr) -> np.ndarray:
    """`blank` in pyarrow: strip, then `lower() in PLACEHOLDERS` as pandas runs it on pyarrow strings
    (utf8_lower, is_in). Only cells with a space at an end are stripped (the others are their own
    strip), and only the stripped cells that can be a placeholder are lowered and looked up: empty,
    or short and starting with the bytes a placeholder starts with."""
    import pyarrow.compute as pc
    arr = whole(arr)
    out = arr.is_null().to_numpy(zero_copy_only=False).copy()
    text, ends = cell_bytes(arr)
    size = np.diff(ends)
    out |= size == 0  # "" is a placeholder (a null cell is blank already)
    filled = np.flatnonzero(~out)
    if not filled.size:
        return out
    padded = _SPACE_FIRST[text[ends[filled]]] | _SPACE_LAST[text[ends[filled + 1] - 1]]
    plain, padded = filled[~padded], filled[padded]
    found = [(arr, plain[_may_be_placeholder(text, ends[plain], size[plain])])]
    if padded.size:
        stripped = pc.utf8_trim_whitespace(arr.take(padded))
        s_text, s_ends = cell_bytes(stripped)
        s_size = np.diff(s_ends)
        out[padded[s_size == 0]] = True
        at = np.flatnonzero(s_size)
        found.append((stripped, at[_may_be_placeholder(s_text, s_ends[at], s_size[at])], padded))
    for cells, where, *rows in found:
        if where.size:
            hit = pc.is_in(pc.utf8_lower(cells.take(where)), value_set=_placeholders())
            out[(rows[0] if rows else np.arange(len(out)))[where]] = pc.fill_null(hit, False).to_numpy(
                zero_copy_only=False)
    return out


def _may_be_placeholder(text: np.ndarray, starts: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Which of the (non-empty, stripped) cells starting at `starts` could lower to a placeholder: short
    (at most 4 bytes a character), and starting with a placeholder's first byte (one-byte cells) or
    first two bytes (read in two gathers, cheap)."""
    out = np.zeros(len(size), dtype=bool)
    one = np.flatnonzero(size == 1)
    out[one] = _PLACEHOLDER_ONE[text[starts[one]]]
    more = np.flatnonzero((size > 1) & (size <= 4 * _PLACEHOLDER_LEN))
    out[more] = _PLACEHOLDER_PAIR[text[starts[more]], text[starts[more] + 1]]
    return out


# Python's whitespace (str.isspace, str.strip; also what pyarrow's utf8_trim_whitespace strips): none
# lies above U+3000. Spelled out for RE2, whose \s is ASCII only.
_SPACES = [c for c in map(chr, range(0x3001)) if c.isspace()]
SPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _SPACES) + "]"
# The first and the last byte of each space in UTF-8: a cell with neither at its ends strips to itself.
_SPACE_FIRST, _SPACE_LAST = np.zeros(256, dtype=bool), np.zeros(256, dtype=bool)
for _c in _SPACES:
    _SPACE_FIRST[_c.encode()[0]] = _SPACE_LAST[_c.encode()[-1]] = True
del _c


# The only characters outside ASCII that pyarrow's utf8_lower turns into an ASCII letter.
LOWERS_TO_ASCII = {"i": "\u0130", "k": "\u212a"}  # İ, the Kelvin sign


@functools.cache
def _placeholders():
    import pyarrow as pa
    return pa.array(sorted(PLACEHOLDERS), pa.large_string())


def _cased(c: str) -> set[str]:
    """The characters pyarrow's utf8_lower turns into c.lower()."""
    return {c.lower(), c.upper(), *LOWERS_TO_ASCII.get(c.lower(), "")}


# What a cell lowering to a placeholder can start with: its byte when it is one byte long, else its
# first two bytes (of one character, or of two).
_PLACEHOLDER_ONE = np.zeros(256, dtype=bool)
_PLACEHOLDER_PAIR = np.zeros((256, 256), dtype=bool)
for _p in filter(None, PLACEHOLDERS):
    for _x in map(str.encode, _cased(_p[0])):
        if len(_x) > 1:
            _PLACEHOLDER_PAIR[_x[0], _x[1]] = True
        elif len(_p) == 1:
            _PLACEHOLDER_ONE[_x[0]] = True
        else:
            for _y in map(str.encode, _cased(_p[1])):
                _PLACEHOLDER_PAIR[_x[0], _y[0]] = True
del _p, _x


def nfkc(series: pd.Series) -> pd.Series:
    """NFKC-normalised text (math-bold letters, full-width forms, ligatures → plain). Only cells with
    a character NFKC could change are normalised: the test runs in pyarrow, normalising in Python."""
    import pyarrow as pa
    import pyarrow.compute as pc
    arr = arrow_strings(series)
    if arr is not None:
        out = nfkc_arrow(arr)
        return series if out is arr else pd.Series(pd.array(out, dtype=series.dtype), index=series.index,
                                                      name=series.name)
    todo = np.array(series.str.isascii().eq(False) & series.notna(), dtype=bool)  # a writable copy
    if todo.any():
        where = np.flatnonzero(todo)
        cells = pa.array(series.iloc[where], type=pa.large_string(), from_pandas=True)
        stable = pc.match_substring_regex(cells, _nfkc_stable()).to_numpy(zero_copy_only=False)
        todo[where[stable.astype(bool)]] = False
    if not todo.any():
        return series
    out = series.copy()
    out.iloc[todo] = [unicodedata.normalize("NFKC", x) for x in series.iloc[todo].tolist()]  # 2x faster than .str
    return out


def clean_text(series: pd.Series) -> pd.Series:
    """Placeholders turned into missing values, the rest NFKC-normalised."""
    arr = arrow_strings(series)
    if arr is None:
        return nfkc(series.where(~blank(series)))
    kept = _without(whole(arr), blank_arrow(arr))
    return pd.Series(pd.array(nfkc_arrow(kept), dtype=series.dtype), index=series.index, name=series.name)


def _without(arr, missing: np.ndarray):
    """A pyarrow string Array with the `missing` cells null (the array itself when none is): a new validity
    bitmap over the same offsets and bytes, so the text is not copied."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if not missing.any():
        return arr
    if arr.offset % 8:  # a bitmap must begin at a byte
        return pc.if_else(pa.array(missing), pa.scalar(None, arr.type), arr)
    valid = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    _, offsets, data = arr.buffers()
    if arr.offset:
        size = np.dtype(np.int64 if pa.types.is_large_string(arr.type) else np.int32).itemsize
        offsets = offsets.slice(arr.offset * size)
    return pa.Array.from_buffers(arr.type, len(arr), [valid, offsets, data], null_count=int(missing.sum()))


def nfkc_arrow(arr):
    """`nfkc` on a pyarrow string array; the same array when no cell changes. Cells of ASCII and
    U+00C0-U+00FF only (French, Spanish, German text) are NFKC already, and cheaper to tell (by
    counting bytes) than by the RE2 test, which runs on the others."""
    import pyarrow as pa
    import pyarrow.compute as pc
    one = whole(arr)
    where = np.flatnonzero(_beyond_latin1(one))
    if where.size:
        cells = one.take(where)
        stable = pc.fill_null(pc.match_substring_regex(cells, _nfkc_stable()), True)
        where = where[~stable.to_numpy(zero_copy_only=False)]
    if not where.size:
        return arr
    changed = [unicodedata.normalize("NFKC", x) for x in one.take(where).to_pylist()]
    return scatter(one, where, pa.array(changed, one.type))


def _beyond_latin1(arr) -> np.ndarray:
    """Cells (not null) with a character outside ASCII and U+00C0-U+00FF. Counted in bytes: each of
    those letters is two bytes at or above 0x80, the first 0xC3 (never a continuation byte), and
    any other character beyond ASCII adds bytes at or above 0x80 without a 0xC3."""
    text, ends = cell_bytes(arr)
    high = np.flatnonzero(text >= 0x80)
    if not high.size:
        return np.zeros(len(arr), dtype=bool)
    leads = high[text[high] == 0xC3]
    out = np.diff(np.searchsorted(high, ends)) != 2 * np.diff(np.searchsorted(leads, ends))
    if arr.null_count:
        out &= arr.is_valid().to_numpy(zero_copy_only=False)
    return out


@dataclass
class NumberReport:
    decimal: str  # "." or ","
    percent: bool  # values carried a % sign (divided by 100)
    suffixes: bool  # K/M/B suffixes were expanded
    bad: int  # cells that could not be read as numbers
    first_bad_index: object = None
    first_bad_value: str | None = None


def to_number(series: pd.Series, *, decimal: str | None = None, percent_as_fraction: bool = True,
              column: str | None = None, file: str | None = None, strict: bool = False) -> pd.Series:
    """Parse a text column into float64. Placeholders become NaN.

    decimal=None guesses the decimal mark from the column itself ("1.234,56" and "12,5" → comma;
    "1,234" alone is read as a thousands separator, which is what every platform here means by it).
    Percent strings become fractions when percent_as_fraction. With strict=True a cell that is not
    a number raises DataError naming the row (index) and column; otherwise it becomes NaN and the
    caller can inspect `number_report(...)`."""
    out, rep = _to_number(series, decimal, percent_as_fraction)
    if strict and rep.bad:
        raise DataError(f"{rep.bad} value(s) are not numbers, e.g. {rep.first_bad_value!r}", file,
                        _row(rep.first_bad_index), column)
    return out


def number_report(series: pd.Series, decimal: str | None = None) -> NumberReport:
    return _to_number(series, decimal, True)[1]


def _row(index: object) -> int | None:
    try:
        return int(index)  # loaders keep the source row number as the frame index
    except (TypeError, ValueError):
        return None


def _to_number(series: pd.Series, decimal: str | None, percent_as_fraction: bool) -> tuple[pd.Series, NumberReport]:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64"), NumberReport(".", False, False, 0)
    arr = arrow_strings(series)
    if arr is not None and len(arr) >= 1000:
        import pyarrow.compute as pc
        arr = whole(arr)
        # counts, scores, categories: each distinct cell once (when a sample says they repeat)
        if pc.count_distinct(arr.slice(0, 4096)).as_py() <= 1024:
            codes = pc.dictionary_encode(arr)
            if len(codes.dictionary) <= len(arr) // 4:
                return _to_number_codes(series, codes, decimal, percent_as_fraction)
    return _to_number_cells(series, decimal, percent_as_fraction)


def _to_number_codes(series: pd.Series, codes, decimal: str | None,
                     percent_as_fraction: bool) -> tuple[pd.Series, NumberReport]:
    """`_to_number_cells` on the distinct cells, spread back over the rows. Every step is cell by
    cell except the decimal-mark guess and the all-or-nothing fast path, which see the same
    distinct cells either way; the count and first row of unreadable cells are taken per row."""
    import pyarrow as pa
    distinct = pd.Series(pd.array(codes.dictionary, dtype=series.dtype))
    values, rep = _to_number_cells(distinct, decimal, percent_as_fraction)
    indices = codes.indices
    out = pa.array(values.to_numpy(), pa.float64(), from_pandas=True).take(indices)
    out = pd.Series(out.to_numpy(zero_copy_only=False), index=series.index, dtype="float64")
    if rep.bad:
        bad_value = values.isna() & ~blank(distinct)
        bad = pa.array(bad_value.to_numpy()).take(indices).fill_null(False).to_numpy(zero_copy_only=False)
        rep.bad = int(bad.sum())
        i = series.index[int(np.argmax(bad))]
        rep.first_bad_index, rep.first_bad_value = i, str(series.loc[i])
    return out, rep


def _to_number_cells(series: pd.Series, decimal: str | None,
                      percent_as_fraction: bool) -> tuple[pd.Series, NumberReport]:
    raw = series.astype("str")
    arr = arrow_strings(raw)
    if arr is not None and decimal != ",":
        # Fast paths, all in pyarrow: most columns are plain numbers, or counts ('1,234', '3.5K');
        # the full clean-up below costs ~20 string passes.
        import pyarrow.compute as pc
        arr = whole(arr)
        missing = blank_arrow(arr)
        kept = _without(pc.utf8_trim_whitespace(arr), missing)
        fast = _plain_arrow(kept)  # = _plain_column(arr, missing)
        if fast is not None:
            return pd.Series(fast, index=series.index, dtype="float64"), NumberReport(".", False, False, 0)
        grouped = _grouped_numbers(kept)
        if grouped is not None:
            num, suffixed = grouped
            return pd.Series(num, index=series.index, dtype="float64"), NumberReport(".", False, suffixed, 0)
        empty = pd.Series(missing, index=series.index)
    else:
        empty = blank(series)
    stripped = raw.str.strip()
    if arr is None and decimal != ",":
        fast = _plain_numbers(stripped.where(~empty))
        if fast is not None:
            return fast, NumberReport(".", False, False, 0)
    # Each clean-up runs only if some cell needs it: searching is cheaper than replacing in every cell.
    s = stripped
    if s.str.contains("[\u00a0\u202f]", na=False).any():
        s = s.str.replace("\u00a0", " ", regex=False).str.replace("\u202f", " ", regex=False)
    if s.str.contains(_CURRENCY, na=False).any():
        s = s.str.replace(_CURRENCY, "", regex=True).str.strip()
    paren = s.str.startswith("(", na=False)
    if paren.any():  # accounting negatives; pandas runs back-references in Python, so only where needed
        s = s.where(~paren, s[paren].str.replace(r"^\((.*)\)$", r"-\1", regex=True))
    pct = s.str.endswith("%")
    s = s.str.rstrip("%").str.strip()
    # 1.2K, 3 M. Patterns without \s or \d stay in pyarrow (pandas runs those in Python).
    has_suffix = _ends_with_suffix(s)
    mult = pd.Series(1.0, index=s.index)
    if has_suffix.any():  # on those cells only
        with_suffix = s[has_suffix]
        letter = with_suffix.str[-1].str.lower().to_numpy(dtype=object)
        mult[has_suffix] = np.select([letter == "k", letter == "m", letter == "b"], [1e3, 1e6, 1e9], np.nan)
        s = s.mask(has_suffix, with_suffix.str.replace(r"[ \t]*[kKmMbB]$", "", regex=True))
    if s.str.contains("[ ']", na=False).any():
        s = s.str.replace(" ", "", regex=False).str.replace("'", "", regex=False)
    if decimal is None:
        decimal = _guess_decimal(s[~empty])
    if decimal == ",":
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        s = s.str.replace(",", "", regex=False)
    num = _plain_numbers(s.where(~empty))
    if num is None:
        num = pd.to_numeric(s.where(~empty), errors="coerce")
    bad_mask = num.isna() & ~empty
    num = num * mult
    if percent_as_fraction:
        num = num.where(~pct, (num / 100.0).round(12))  # 0.56% is 0.0056, not 0.005600000000000001
    rep = NumberReport(decimal, bool(pct.any()), bool(has_suffix.any()), int(bad_mask.sum()))
    if rep.bad:
        i = bad_mask.idxmax()
        rep.first_bad_index, rep.first_bad_value = i, str(series.loc[i])
    return num.astype("float64"), rep


# Blocks that exports are full of: Latin, Greek, Cyrillic, punctuation, arrows, symbols, emoji.
_NFKC_BLOCKS = ((0x09, 0x0A), (0x0D, 0x0D), (0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF),
                (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2190, 0x23FF), (0x2460, 0x27BF),
                (0x2900, 0x2BFF), (0x1F000, 0x1FAFF))


@functools.cache
def _nfkc_stable() -> str:
    """An RE2 pattern for texts made only of characters that NFKC leaves alone and that never
    combine with a neighbour (combining class 0): such a text is already NFKC. (Checked for every
    pair of these characters: none composes.)"""
    ranges: list[list[int]] = []
    for lo, hi in _NFKC_BLOCKS:
        for c in range(lo, hi + 1):
            ch = chr(c)
            if unicodedata.combining(ch) == 0 and unicodedata.normalize("NFKC", ch) == ch:
                if ranges and ranges[-1][1] == c - 1:
                    ranges[-1][1] = c
                else:
                    ranges.append([c, c])
    cls = "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges)
    return f"^[{cls}]*$"


def _ends_with_suffix(s: pd.Series) -> pd.Series:
    """Cells ending in a digit and K, M or B. On stripped cells (no line break at the end), RE2's `$`
    means what Python's does, so pyarrow runs it without pandas' check for line breaks first."""
    import pyarrow.compute as pc
    arr = arrow_strings(s)
    if arr is None:
        return s.str.contains(r"[0-9][ \t]*[kKmMbB]$", na=False)
    hit = pc.fill_null(pc.match_substring_regex(whole(arr), r"[0-9][ \t]*[kKmMbB]$"), False)
    return pd.Series(hit.to_numpy(zero_copy_only=False), index=s.index)


# Numbers as listening and social tools write counts: thousands commas, a K/M/B suffix ("1,234", "3.5K").
_GROUPED = r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?[kKmMbB]?$"


def _grouped_numbers(cells) -> tuple[np.ndarray, bool] | None:
    """The clean-up below, in a few pyarrow steps, when every cell of the stripped pyarrow array `cells`
    (placeholders null) is a count as _GROUPED writes it: then no cell tells a decimal comma (its
    commas are followed by three digits, then a dot or the end), so the commas go, the suffix
    multiplies, and the rest is a plain number. The numbers and whether a suffix was met; None otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if not pc.all(pc.match_substring_regex(cells, _GROUPED)).as_py():  # all() skips the empty cells
        return None
    cells = pc.replace_substring(cells, ",", "")
    last = pc.utf8_slice_codeunits(cells, -1)
    mult = np.ones(len(cells))
    for letters, factor in (("kK", 1e3), ("mM", 1e6), ("bB", 1e9)):
        hit = pc.fill_null(pc.is_in(last, pa.array(list(letters), pa.large_string())), False)
        mult[hit.to_numpy(zero_copy_only=False)] = factor
    suffixed = bool((mult != 1.0).any())
    if suffixed:
        cells = pc.utf8_rtrim(cells, characters="kKmMbB")
    num = _plain_arrow(cells)
    return None if num is None else (num * mult, suffixed)


def _plain_column(arr, missing: np.ndarray) -> np.ndarray | None:
    """The fast path of `_to_number_cells` on a pyarrow string array whose placeholders (`missing`, from
    blank_arrow) are known: float64 when every other cell, stripped, is a plain number."""
    import pyarrow.compute as pc
    return _plain_arrow(_without(pc.utf8_trim_whitespace(arr), missing))


def _plain_arrow(cells) -> np.ndarray | None:
    """float64 when every non-null cell of a pyarrow string array is a plain number, else None. A cast
    that fails spends time on every bad cell: the first cells are tried alone first."""
    import pyarrow as pa
    try:
        if len(cells) > 256:
            cells.slice(0, 64).cast(pa.float64())
        return cells.cast(pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None


def _plain_numbers(s: pd.Series) -> pd.Series | None:
    """float64 when every non-missing cell is a plain number ('12', '-3.5', '1e3'), else None.
    pyarrow's cast does this in C; pd.to_numeric goes through Python objects (~15x slower)."""
    import pyarrow as pa
    try:
        values = pa.array(s, type=pa.large_string(), from_pandas=True)
        out = values.cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    return pd.Series(out.to_numpy(zero_copy_only=False), index=s.index, dtype="float64")


def _guess_decimal(s: pd.Series) -> str:
    s = s.dropna()
    if s.empty:
        return "."
    if s.str.contains(r"\d,\d{1,2}$|\d,\d{4,}$|\d\.\d{3},", regex=True).any():
        return ","
    return "."


_COMMA_DECIMAL = re.compile(r"\d,\d{1,2}%?$|\d,\d{4,}%?$|\d\.\d{3},\d|^\d{1,3}(?:\.\d{3}){2,}$")
_DOT_DECIMAL = re.compile(r"\d\.\d{1,2}%?$|\d\.\d{4,}%?$|\d,\d{3}\.\d|^\d{1,3}(?:,\d{3}){2,}$")


def decimal_mark(frame: pd.DataFrame) -> str | None:
    """The decimal mark a whole table uses, from the cells that can be read only one way
    ('99,88%', '1.234,56', '0,3513' → ','; '1.16%', '4,838.80' → '.'); None when no cell tells.

    Deciding per table rather than per column matters for locales such as Dutch or French,
    where a count column holding only '2.546' or '1,500' is ambiguous on its own."""
    cells = pd.Series(frame.to_numpy().ravel(), dtype="str").str.strip() \
        .str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace(_CURRENCY, "", regex=True)
    comma = int(cells.str.contains(_COMMA_DECIMAL, na=False).sum())
    dot = int(cells.str.contains(_DOT_DECIMAL, na=False).sum())
    if comma == dot:
        return None
    return "," if comma > dot else "."


def looks_excel_mangled(series: pd.Series) -> pd.Series:
    """Cells like '3.апр' or '12-May' in a numeric column: Excel turned a number into a date."""
    return series.astype("str").str.strip().str.contains(_MONTHY, na=False)


def scientific_ids(series: pd.Series) -> pd.Series:
    """IDs that Excel turned into scientific notation (1.22158E+17): the digits are lost."""
    return series.astype("str").str.strip().str.fullmatch(r"\d(\.\d+)?[eE]\+\d+", na=False)


def clean_id(series: pd.Series) -> pd.Series:
    """IDs as strings: strip spaces, a leading apostrophe and a trailing '.0' from float round-trips."""
    s = series.astype("str").str.strip().str.lstrip("'").str.replace(r"^(\d+)\.0$", r"\1", regex=True)
    return s.where(~blank(series))


# --- dates ------------------------------------------------------------------------------------------
MIN_YEAR, MAX_YEAR = 1990, 2100


@dataclass
class DateReport:
    format: str | None
    day_first: bool | None
    ambiguous: bool
    bad: int
    first_bad_index: object = None
    first_bad_value: str | None = None
    cells: int = 0  # cells read (not placeholders)
    way: str | None = None  # how they were read: a platform format, "slash" dates or "ISO 8601"
    retried: bool = False  # some cells only by the tolerant parser (format="mixed")


_SLASH_DATE = re.compile(r"^[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{2,4}")  # ASCII only: re and RE2 agree


def to_datetime(series: pd.Series, *, formats: tuple[str, ...] = (), day_first: bool | None = None,
                tz=None, column: str | None = None, file: str | None = None,
                strict: bool = True) -> tuple[pd.Series, DateReport]:
    """Parse a text column of dates/times.

    Tries each explicit `formats` first (the platform's documented formats), then ISO 8601, then a
    tolerant parse. Slash dates whose day/month order cannot be told from the data (every day ≤ 12)
    are reported as ambiguous and read month-first unless day_first says otherwise.
    Naive results are localized to `tz` (a ZoneInfo); aware ones converted to it.
    Returns (datetime series, report). With strict, unreadable non-blank cells raise DataError."""
    empty = blank(series)
    text = series.astype("str").str.strip().where(~empty)
    values = text.dropna()
    result, used, ambiguous, df_used = None, None, False, day_first
    way, retried = None, False
    for fmt in formats:
        parsed = _by_format(values, fmt)
        if len(values) and parsed.notna().all():
            result, used, way = parsed, fmt, fmt
            break
    if result is None:
        if len(values) and _SLASH_DATE.match(values.iloc[0]) and values.str.match(_SLASH_DATE.pattern).all():
            first = _leading_numbers(values)
            if day_first is None:
                if (first[0] > 12).any():
                    df_used = True
                elif (first[1] > 12).any():
                    df_used = False
                else:
                    df_used, ambiguous = False, True
            result = _numeric_dates(values, bool(df_used))
            todo = result.isna()
            if todo.any():  # 12-hour clocks, month names...: the slow, tolerant parser for those cells
                retry = pd.to_datetime(values[todo], dayfirst=bool(df_used), errors="coerce", format="mixed")
                result = result.astype(object).where(~todo, retry)
                result = pd.to_datetime(result, utc=_mixed_tz(result))
                retried = True
            used, way = ("day-first" if df_used else "month-first"), "slash"
        else:
            result = _iso8601(values)
            used = way = "ISO 8601"
            if result.isna().any():
                retry = pd.to_datetime(values[result.isna()], errors="coerce", format="mixed",
                                       dayfirst=bool(day_first))
                result = result.astype(object).where(result.notna(), retry)
                result = pd.to_datetime(result, utc=_mixed_tz(result))
                used, retried = "mixed", True
    # Years outside what any export can hold (a truncated "02/14/2" read as year 2, 9999...) are
    # unreadable dates, not dates: they would overflow nanosecond timestamps downstream.
    bad_mask = result.isna() | ~_years_between(result, MIN_YEAR, MAX_YEAR)
    rep = DateReport(used, df_used, ambiguous, int(bad_mask.sum()), cells=len(values), way=way, retried=retried)
    if rep.bad:
        i = bad_mask[bad_mask].index[0]
        rep.first_bad_index, rep.first_bad_value = i, str(series.loc[i])
        if strict:
            raise DataError(f"{rep.bad} value(s) are not dates, e.g. {rep.first_bad_value!r}", file, _row(i), column)
        result = result.where(~bad_mask)
    if len(result) == len(series) and result.dtype.kind == "M":  # every cell filled: already in place
        full = result
    else:
        full = pd.Series(pd.NaT, index=series.index, dtype=result.dtype if len(result) else "datetime64[ns]")
        full.loc[result.index] = result
        full = pd.to_datetime(full)
    if tz is not None:
        full = full.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward") if full.dt.tz is None \
            else full.dt.tz_convert(tz)
    return full, rep


def _years_between(result: pd.Series, first: int, last: int) -> pd.Series:
    """Whether each time falls in the years first..last, in UTC (naive times taken as UTC)."""
    if not len(result):
        return pd.Series(True, index=result.index)
    if result.dtype.kind == "M":  # compared with the bounds, not year by year
        tz = "UTC" if getattr(result.dtype, "tz", None) is not None else None
        return (result >= pd.Timestamp(first, 1, 1, tz=tz)) & (result < pd.Timestamp(last + 1, 1, 1, tz=tz))
    return pd.to_datetime(result, utc=True).dt.year.between(first, last)


_SLASH_FORMAT = re.compile(r"^%([dm])([/.\-])%([dm])\2%[Yy](?:[ T]%H:%M(?::%S)?)?$")
_SLASH_HEAD = r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]"


def _by_format(values: pd.Series, fmt: str) -> pd.Series:
    """pd.to_datetime(format=fmt), with numeric slash formats ('%m/%d/%Y %H:%M') read the fast way."""
    m = _SLASH_FORMAT.match(fmt)
    if m and m.group(1) != m.group(3):
        parsed = _numeric_dates(values, day_first=m.group(1) == "d")
        if parsed.notna().all():
            return parsed
    return pd.to_datetime(values, format=fmt, errors="coerce")


def _numeric_dates(values: pd.Series, day_first: bool) -> pd.Series:
    """Slash dates ('15/03/2024 14:32', '3.5.24') → timestamps: pyarrow reorders them into ISO form and
    pandas' C parser reads that (strictly: no 30 February), ~30x faster than format='mixed', which
    calls dateutil cell by cell. Cells it cannot read (12-hour clocks, words) come back NaT."""
    import pyarrow as pa
    import pyarrow.compute as pc
    arr = pa.array(values, type=pa.large_string(), from_pandas=True)
    moved = _fixed_width_slash(arr, day_first)
    if moved is not None:
        return _iso8601(pd.Series(pd.array(moved, dtype="str"), index=values.index))
    d, m = (r"\1", r"\2") if day_first else (r"\2", r"\1")
    arr = pc.replace_substring_regex(arr, _SLASH_HEAD + r"([0-9]{4})", rf"\3-{m}-{d}")
    # two-digit years get their century as strptime's %y does: 69-99 → 19xx, 00-68 → 20xx
    arr = pc.replace_substring_regex(arr, _SLASH_HEAD + r"([0-5][0-9]|6[0-8])($|[^0-9])", rf"20\3-{m}-{d}\4")
    arr = pc.replace_substring_regex(arr, _SLASH_HEAD + r"(69|[7-9][0-9])($|[^0-9])", rf"19\3-{m}-{d}\4")
    return _iso8601(pd.Series(pd.array(arr, dtype="str"), index=values.index))


def _fixed_width_slash(arr, day_first: bool):
    """`_numeric_dates`' reordering ('03/15/2024 14:32' → '2024-03-15 14:32') done by moving bytes, when
    every cell has one length and begins with two digits, two digits and four, apart by one separator
    twice (Meta, most tools): three regex replacements cost ~5x more. None otherwise."""
    import pyarrow as pa
    arr = whole(arr)
    text, ends = cell_bytes(arr)
    n = len(arr)
    width = int(ends[1]) if n else 0
    if not n or arr.null_count or width < 10 or len(text) != n * width or (np.diff(ends) != width).any():
        return None
    grid = text.reshape(n, width)
    digits = grid[:, [0, 1, 3, 4, 6, 7, 8, 9]]
    sep = grid[:, 2]
    if not (((digits >= 0x30) & (digits <= 0x39)).all() and (grid[:, 5] == sep).all()
            and np.isin(sep, np.frombuffer(b"/.-", dtype=np.uint8)).all()):
        return None
    out = np.empty_like(grid)
    out[:, 0:4] = grid[:, 6:10]
    out[:, 4] = out[:, 7] = ord("-")
    month, day = (grid[:, 3:5], grid[:, 0:2]) if day_first else (grid[:, 0:2], grid[:, 3:5])
    out[:, 5:7], out[:, 8:10] = month, day
    out[:, 10:] = grid[:, 10:]
    return pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(ends.astype(np.int64)),
                                                        pa.py_buffer(out.tobytes())])


def _leading_numbers(values: pd.Series) -> pd.DataFrame:
    """The first two numbers of slash dates, as integers (columns 0 and 1)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    found = pc.extract_regex(pa.array(values, type=pa.large_string(), from_pandas=True),
                             r"^(?P<a>[0-9]{1,2})[/.\-](?P<b>[0-9]{1,2})")
    return pd.DataFrame({i: pc.struct_field(found, [i]).cast(pa.int64()).to_numpy(zero_copy_only=False)
                         for i in (0, 1)}, index=values.index)


# Dates pyarrow and pandas' ISO 8601 parser read alike (both refuse 30 February, hour 24...);
# the century keeps them far inside what nanosecond timestamps can hold.
_PLAIN_ISO = r"^(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$"


def _iso8601(values: pd.Series) -> pd.Series:
    plain = _plain_iso8601(values)
    if plain is not None:
        return plain
    try:
        return pd.to_datetime(values, errors="coerce", format="ISO8601")
    except ValueError:  # offsets differ between rows (+01:00 in winter, +02:00 in summer): read all in UTC
        return pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True)


def _plain_iso8601(values: pd.Series) -> pd.Series | None:
    """`_iso8601` read by pyarrow when every cell is a plain ISO date or date-time to the second (pandas
    would first make a Python string of every cell); None otherwise, or when a date does not exist."""
    import pyarrow as pa
    import pyarrow.compute as pc
    arr = arrow_strings(values)
    if arr is None or not len(arr) or arr.null_count or not pc.all(pc.match_substring_regex(arr, _PLAIN_ISO)).as_py():
        return None
    try:
        stamps = arr.cast(pa.timestamp("us"))  # the unit pandas gives to-the-second strings
    except pa.ArrowInvalid:
        return None
    return pd.Series(whole(stamps).to_numpy(zero_copy_only=False), index=values.index)


def _mixed_tz(s: pd.Series) -> bool:
    return any(getattr(x, "tzinfo", None) is not None for x in s.dropna().head(50))


def to_utc(series: pd.Series) -> pd.Series:
    return series.dt.tz_convert("UTC").astype(pd.DatetimeTZDtype(unit="ns", tz="UTC"))


def to_day(series: pd.Series) -> pd.Series:
    """A calendar day (naive midnight), keeping the local date of aware timestamps."""
    s = pd.to_datetime(series)
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    return s.dt.normalize().astype("datetime64[ns]")


def duration_seconds(series: pd.Series) -> pd.Series:
    """'H:MM:SS' / 'MM:SS' / plain seconds → float seconds."""
    s = series.astype("str").str.strip()
    parts = s.str.extract(r"^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$")
    hms = parts[0].astype(float).fillna(0) * 3600 + parts[1].astype(float) * 60 + parts[2].astype(float)
    plain = to_number(series)
    return hms.where(parts[1].notna(), plain).astype("float64")


def to_bool(series: pd.Series) -> pd.Series:
    s = series.astype("str").str.strip().str.casefold()
    t = s.isin({"1", "true", "yes", "y", "oui", "vrai", "x", "sí", "si"})
    f = s.isin({"0", "false", "no", "n", "non", "faux"})
    return pd.Series(np.where(t, True, np.where(f, False, None)), index=series.index).astype("boolean")
