"""Property-based robustness of the ingest core (issue 2, §5): random bytes, truncated files, empty
and header-only files, wrong delimiters, huge fields and random zip members thrown at
`sniff.read_blocks` and `pipeline.parse_file`.

Allowed outcomes: success, or the project's own DataError (read_blocks); parse_file never raises and
returns a FileResult whose problems are DataErrors (status error/unrecognised/problems). A parser
meeting something it did not foresee is reported by the pipeline as "could not be read as ...":
that is a bug, so it fails here too. The large-file path (pyarrow streaming with its pandas
fallback) is fuzzed as well, by lowering the size threshold. Budget: ≤ 200 examples per test
(~40 s of CPU in all)."""
from __future__ import annotations

import csv
import io
import warnings
import zipfile
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import schemas
from audit.errors import DataError
from audit.ingest import sniff
from audit.ingest.pipeline import FileResult, parse_file
from audit.ingest.registry import load_formats

EXPORTS = Path(__file__).resolve().parent / "fixtures" / "exports"
CORPUS = {str(p.relative_to(EXPORTS)): p.read_bytes() for p in sorted(EXPORTS.rglob("*"))
          if p.is_file() and p.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx", ".xls", ".zip")}
TEXT_FILES = sorted(k for k in CORPUS if k.endswith((".csv", ".tsv", ".txt")))
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])
PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"sep=;\n", b'"sep=,"\r\n', b"PK\x03\x04",
            b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"# comment\n", b"\x00\x00", b"Date,Hour,Content\n"]
load_formats()


@contextmanager
def large_file_path(on: bool):
    """Send small inputs through the streaming reader used for files above SMALL_FILE."""
    if not on:
        yield
        return
    with mock.patch.object(sniff, "SMALL_FILE", 64), mock.patch.object(sniff, "ARROW_BLOCK", 256):
        yield


def check_read_blocks(path: Path) -> None:
    try:
        blocks = sniff.read_blocks(path, path.name)
    except DataError as e:
        assert e.message and isinstance(str(e), str)
        return
    for b in blocks:  # every block must be readable as a frame, or say why
        try:
            df = b.frame()
        except DataError:
            continue
        assert isinstance(df, pd.DataFrame)


def check_parse_file(path: Path) -> FileResult:
    res, tables = parse_file(path, path.name, None)  # must never raise
    assert res.status in ("ok", "problems", "unrecognised", "error")
    assert all(isinstance(e, str) and e for e in res.errors)
    assert (res.status == "ok") == (not res.errors)
    unforeseen = [e for e in res.errors if "could not be read as" in e]
    assert not unforeseen, unforeseen
    for table, df in tables.items():
        assert list(df.columns) == schemas.column_names(table) and res.tables[table] == len(df)
    return res


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --- random bytes ---------------------------------------------------------------------------------------
@FUZZ
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=3000), large=st.booleans())
def test_random_bytes(tmp_path_factory, prefix, body, large):
    path = write(tmp_path_factory.mktemp("rnd"), "export.csv", prefix + body)
    with large_file_path(large):
        check_read_blocks(path)
        check_parse_file(path)


@FUZZ
@given(text=st.text(alphabet=st.sampled_from(list(',;\t|"\'\r\n #:=-.0123456789abcDEF é€%K') + ["\ufeff", "\x00"]),
                    max_size=800),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]), large=st.booleans())
def test_random_delimited_text(tmp_path_factory, text, encoding, large):
    path = write(tmp_path_factory.mktemp("txt"), "export.csv", text.encode(encoding, errors="replace"))
    with large_file_path(large):
        check_read_blocks(path)
        check_parse_file(path)


# --- damaged real-shaped exports (the project's fixtures) --------------------------------------------
def _rows(data: bytes) -> list[list[str]]:
    text, _ = sniff.decode(data, "x")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


JUNK = ["", "-", "--", " --", "N/A", "abc", "-5", "1e999", "Total", "3.апр", "1,2,3", "2025-13-45", "∞", "1.2K",
        "12/31/2019", "99999999999999999999999", "1.22158E+17", '"', "=cmd|' /c calc'!A1", "<script>x</script>"]
damage = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("header_only"), st.booleans()),
    st.tuples(st.just("delimiter"), st.sampled_from([";", "\t", "|", ":", " "])),
    st.tuples(st.just("huge_field"), st.integers(10_000, 400_000)),
    st.tuples(st.just("junk"), st.lists(st.tuples(st.integers(0, 500), st.integers(0, 60), st.sampled_from(JUNK)),
                                        min_size=1, max_size=6)),
    st.tuples(st.just("ragged"), st.integers(0, 500)),
    st.tuples(st.just("empty"), st.sampled_from([b"", b"\n", b"\r\n\r\n", b"   ", b"\xef\xbb\xbf", b"\xff\xfe"])),
)


def damaged(data: bytes, how) -> bytes:
    kind, arg = how
    if kind == "truncate":
        return data[: int(len(data) * arg)]
    if kind == "empty":
        return arg
    rows = _rows(data)
    if not rows:
        return data
    if kind == "header_only":
        return (",".join(rows[0]) + ("\n" if arg else "")).encode()
    if kind == "huge_field":
        r = rows[min(1, len(rows) - 1)]
        if r:
            r[len(r) // 2] = "x" * arg
    elif kind == "junk":
        for i, j, value in arg:
            r = rows[i % len(rows)]
            if r:
                r[j % len(r)] = value
    elif kind == "ragged":
        r = rows[arg % len(rows)]
        del r[len(r) // 2:]
    buf = io.StringIO()
    csv.writer(buf, delimiter=arg if kind == "delimiter" else ",").writerows(rows)
    return buf.getvalue().encode("utf-8")


@FUZZ
@given(name=st.sampled_from(TEXT_FILES), how=damage, large=st.booleans())
def test_damaged_exports(tmp_path_factory, name, how, large):
    path = write(tmp_path_factory.mktemp("dmg"), Path(name).name, damaged(CORPUS[name], how))
    with large_file_path(large):
        check_read_blocks(path)
        check_parse_file(path)


# --- containers -----------------------------------------------------------------------------------------
member_names = st.one_of(st.sampled_from(["Queries.csv", "a/b/Chart data.csv", "../evil.csv", "/abs.csv", "__MACOSX/._x.csv",
                                          ".hidden.csv", "inner.zip", "dir/", "Table data.csv", "x.xlsx"]),
                         st.text(alphabet="abcXYZ._-/ é", min_size=1, max_size=20))
members = st.lists(st.tuples(member_names,
                             st.one_of(st.sampled_from(sorted(CORPUS)).map(CORPUS.get), st.binary(max_size=600)),
                             st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])), max_size=3)


@settings(FUZZ, max_examples=100)  # each example parses up to 3 exports
@given(entries=members, cut=st.one_of(st.none(), st.floats(0.1, 0.99)))
def test_random_zip_members(tmp_path_factory, entries, cut):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate member names are part of the test
        for name, data, method in entries:
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    data = buf.getvalue()
    if cut is not None:
        data = data[: max(4, int(len(data) * cut))]
    path = write(tmp_path_factory.mktemp("zip"), "export.zip", data)
    check_read_blocks(path)
    check_parse_file(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.lists(st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                                          st.text(max_size=20), st.dates(), st.datetimes(), st.times(),
                                          st.booleans()), min_size=1, max_size=6), max_size=8))
def test_random_workbooks(tmp_path_factory, cells):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in cells:
        ws.append([c if not isinstance(c, str) else "".join(ch for ch in c if ch.isprintable()) for c in row])
    path = tmp_path_factory.mktemp("xlsx") / "export.xlsx"
    wb.save(path)
    check_read_blocks(path)
    check_parse_file(path)


def test_one_huge_field_in_a_large_file(tmp_path):
    """A 40 MB single cell goes through the streaming reader without blowing up."""
    head = "Date,Hour,Content,URL,Category,Sentiment\n"
    data = (head + '2024-03-15,10:00,"' + "lumen " * 7_000_000 + '",https://x.com/a/status/1,Twitter,positive\n').encode()
    path = write(tmp_path, "mentions.csv", data)
    assert path.stat().st_size > sniff.SMALL_FILE
    res = check_parse_file(path)
    assert res.status == "ok" and res.tables == {"mentions": 1}
