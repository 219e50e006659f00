"""Checking a parsed table against its canonical schema, without pandera's cost when it is right.

`schemas.conform` (pandera) takes 0.1-0.3 s per table and copies it several times (coercion,
block consolidation), even when every column already has its schema's dtype — which is what a
parser returns. This checks the same things directly: every schema column present with the
schema's dtype (absent optional ones added empty), required columns without empty cells, the
schema's range checks on the non-empty cells. When anything is not so, the table goes to
`schemas.conform`, which coerces what it can and words the error (file, row, column).
"""
from __future__ import annotations

import pandas as pd

from .. import schemas

# pandera checks this module knows how to run (by pandera's name for them); any other check
# sends the table to pandera.
_CHECKS = {
    "greater_than_or_equal_to": lambda s, st: (s >= st["min_value"]).all(),
    "in_range": lambda s, st: ((s >= st["min_value"]) if st.get("include_min", True) else (s > st["min_value"])).all()
    and ((s <= st["max_value"]) if st.get("include_max", True) else (s < st["max_value"])).all(),
}


def conform(table: str, df: pd.DataFrame, source_file: str | None = None) -> pd.DataFrame:
    """The table with the schema's columns, in order, on a fresh 0..n-1 index; DataError when it
    does not conform (as `schemas.conform`, which it defers to whenever a column is not right)."""
    fast = _conformant(table, df)
    return fast if fast is not None else schemas.conform(table, df, source_file)


def _conformant(table: str, df: pd.DataFrame) -> pd.DataFrame | None:
    if table not in schemas.TABLES or df.columns.has_duplicates:
        return None
    index = pd.RangeIndex(len(df))
    out, empty = {}, {}
    for col in schemas.columns(table):
        want = pd.api.types.pandas_dtype(col.dtype)
        if col.name not in df.columns:
            if col.required:
                return None
            # absent columns of one dtype share one empty Series (copy-on-write copies it if one is written)
            out[col.name] = empty.setdefault(col.dtype, pd.Series(index=index, dtype=col.dtype))
            continue
        s = df[col.name]
        if s.dtype != want:
            s = _same_instants(s, want)
            if s is None:
                return None
        notna = s.notna()
        if col.required and not notna.all():
            return None
        if col.checks:
            values = s[notna]  # pandera's checks ignore empty cells
            for check in col.checks:
                run = _CHECKS.get(check.name)
                if run is None or not run(values, check.statistics):
                    return None
        out[col.name] = pd.Series(s.array, index=index, name=col.name, copy=False)
    return pd.DataFrame(out, index=index, copy=False)


def _same_instants(s: pd.Series, want) -> pd.Series | None:
    """A datetime column in another unit (a scalar Timestamp broadcast by pandas 3 is in µs) as `want`,
    when that is exact; None for any other difference of dtype (pandera decides those)."""
    if s.dtype.kind != "M" or want.kind != "M" or str(getattr(s.dtype, "tz", None)) != str(getattr(want, "tz", None)):
        return None
    try:
        out = s.astype(want)
    except (ValueError, OverflowError):  # out of the nanosecond range
        return None
    return out if (out.isna() == s.isna()).all() else None
