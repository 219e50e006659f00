"""Damaged X / YouTube / TikTok exports: cells replaced by junk, rows cut short, files truncated.
The only outcomes allowed are a parse or the project's own data error (never an unforeseen exception,
which the pipeline reports as "could not be read as …")."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.ingest.pipeline import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exports"
FILES = sorted(p for sub in ("x", "youtube", "tiktok") for p in (FIXTURES / sub).rglob("*.csv"))
JUNK = ["", "-", "--", "abc", "-5", "NAN", "undefined", "1e999", "Total", "January 32", "31 February", "1.2.3",
        "99999999999999999999999", "3.апр", "1,2,3", "2025-13-45", "∞", " ", "1.2K", "0x1F", "12/31/2019"]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


edits = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 100), st.one_of(st.sampled_from(JUNK), st.text(max_size=12))),
                 max_size=4)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from([str(p.relative_to(FIXTURES)) for p in FILES]), changes=edits,
       cut=st.one_of(st.none(), st.integers(1, 50)), short=st.booleans())
def test_damaged_exports_parse_or_say_why(tmp_path, name, changes, cut, short):
    rows = _rows(FIXTURES / name)
    for r, c, junk in changes:
        r = 1 + r % max(1, len(rows) - 1)
        if r < len(rows) and rows[r]:
            rows[r][c % len(rows[r])] = junk
    if cut is not None:
        rows = rows[:cut]
    if short and len(rows) > 1:
        rows[-1] = rows[-1][: len(rows[-1]) // 2]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    f = tmp_path / Path(name).name
    f.write_text(buf.getvalue(), encoding="utf-8")
    res, tables = parse_file(f, f.name, None)
    assert res.status in ("ok", "problems", "unrecognised", "error")
    assert not [e for e in res.errors if "could not be read as" in e], res.errors


def test_year_out_of_range_is_a_data_error(tmp_path):
    f = tmp_path / "Totals.csv"
    f.write_text("Date,Views\n2025-02-27,10\n9999-12-31,12\n")
    res, _ = parse_file(f, f.name, None)
    assert res.errors and "not dates" in res.errors[0] and "row 3" in res.errors[0] and "'Date'" in res.errors[0], res.errors
