"""The fast paths of the ingest (see bench/bench_ingest.py) against the plain ones they replace:
large files read chunk by chunk and two chunks at a time must give the tables a small file gives;
the pyarrow versions of the cell helpers must agree with the pandas/Python definitions cell for
cell; the schema check without pandera must accept exactly what pandera accepts."""
from __future__ import annotations

import contextlib
import csv
import io
import random
import re
import threading
import unicodedata
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from audit import schemas
from audit.config import AuditConfig
from audit.errors import DataError
from audit.ingest import JEMALLOC_CONF
from audit.ingest import conform as C
from audit.ingest import pipeline, sniff, streaming
from audit.ingest import values as V
from audit.ingest.formats import listening as L
from audit.ingest.formats import meta_business_suite as M
from audit.ingest.pipeline import parse_file
from audit.ingest.registry import repeated

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
CONFIG = AuditConfig.model_validate({
    "client": "Lumen", "objectives": ["image"], "timezone": "Europe/Paris",
    "brand": {"name": "Lumen Cosmetics", "keywords": ["lumen", "lumen cosmetics"],
              "accounts": {"x": ["@lumencosmetics"], "facebook": ["Lumen Cosmetics"]}},
    "competitors": [{"name": "Verdane", "keywords": ["verdane"]}, {"name": "Nordy Skin", "keywords": ["nordy"]}]})


# --- quirky exports, written here -------------------------------------------------------------------
def _csv(rows, delimiter=",", newline="\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buf.getvalue()


def brand24_fr(n: int = 250, seed: int = 1, totals: bool = False) -> bytes:
    """Brand24 in French: BOM, ';', CRLF, decimal commas, K suffixes, placeholders, quotes and line
    breaks inside cells, NFKC-changing characters, Excel midnight dates; a totals row if asked."""
    rng = random.Random(seed)
    rows = [["Date", "Heure", "Titre", "Contenu", "URL", "Hôte", "Catégorie", "Auteur", "Score d'influence",
             "Sentiment", "Portée", "J'aime", "Commentaires", "Partages", "Pays", "Langue"]]
    for _ in range(n):
        rows.append([
            rng.choice([f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/2024", "15/03/2024 00:00"]),
            rng.choice([f"{rng.randrange(24):02d}:{rng.randrange(60):02d}", "", "-"]),
            rng.choice(["", "Titre Lumen", "n/a", " N/A "]),
            rng.choice(['Lumen c\'est "top"\nvraiment', "verdane; pas mal", "  𝐋𝐮𝐦𝐞𝐧 ﬁne  ", "—", "nordy déçue",
                        "ｆｕｌｌ width Lumen", "e\u0301 combining lumen", "", "crème Lumen très douce ✨"]),
            rng.choice(["https://twitter.com/a/status/1", "www.lemonde.fr/x", "", "https://m.facebook.com/p/1",
                        " http://blog.wordpress.com/a", "https://www./x"]),
            rng.choice(["twitter.com", "", "lemonde.fr", "https://foo.com/x"]),
            rng.choice(["Twitter", "Actualités", "", "Vidéos", "Autres réseaux sociaux", "Blogs"]),
            rng.choice(["a", "", "-", "Ｂｏｂ"]), rng.choice(["1", "5,5", "10", ""]),
            rng.choice(["Positif", "négatif", "Neutre", "", "0,4", "-1"]),
            rng.choice(["1 234,5", "12,5", "-", "N/A", " --", "1.234.567", "3,2K", str(rng.randrange(10**6)), "",
                        "€3,40"]),
            rng.choice(["1", "", "2,0", "-"]), rng.choice(["0", "3"]), rng.choice(["", "7"]),
            rng.choice(["France", ""]), rng.choice(["fr", "en", ""]),
        ])
    if totals:
        rows.append(["Total", "", "", "", "", "", "", "", "", "", "123 456", "", "", "", "", ""])
    return b"\xef\xbb\xbf" + _csv(rows, ";", "\r\n").encode()


def mbs_content(n: int = 250, seed: int = 2, delimiter: str = ",") -> bytes:
    """Meta Business Suite Facebook content export with quirks: ids with a leading apostrophe, a '.0'
    or missing, captions in Title and/or Description, multi-line quoted captions, placeholders,
    K suffixes, localized numbers, a date that is not 'Lifetime'."""
    rng = random.Random(seed)
    rows = [["Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time",
             "Permalink", "Post type", "Funded content status", "Date", "Views", "Reach",
             "Reactions, Comments and Shares", "Reactions", "Comments", "Shares", "Total clicks", "Link Clicks"]]
    for i in range(n):
        rows.append([
            rng.choice([f"1000663{i:08d}", "", f"'1000663{i:08d}", f" 1000663{i:08d}.0"]), "100066300057039",
            rng.choice(["Lumen Cosmetics", ""]), rng.choice(["", "Nouveau sérum", "Le titre.", "n/a"]),
            rng.choice(["", "Nouveau sérum disponible", 'Un "vrai"\nmulti-ligne', "Le titre. suite", "  ｆｕｌｌ ", "-"]),
            rng.choice(["", "12"]),
            f"{rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d}/2024 {rng.randrange(24):02d}:"
            f"{rng.randrange(60):02d}",
            rng.choice(["https://www.facebook.com/1/posts/2", ""]),
            rng.choice(["Photos", "Reels", "Liens", "", "Weird", "-"]),
            rng.choice(["", "", "Boosted"]), rng.choice(["Lifetime", "Lifetime", "Lifetime", "Daily"]),
            rng.choice(["1 234", "12", "", "-", "3,5K"] if delimiter == ";" else ["1,234", "12", "", "-", "3.5K"]),
            rng.choice(["1.234", "7,5", ""] if delimiter == ";" else ["1,234", "7", "", "0"]),
            str(rng.randrange(100)), rng.choice(["1", "", "N/A"]), "2", "3", "4", "5",
        ])
    return b"\xef\xbb\xbf" + _csv(rows, delimiter).encode()


QUIRKY = {
    "brand24_fr.csv": brand24_fr,
    "Jan-01-2024_Mar-31-2024_100066300057039.csv": mbs_content,
    "Apr-01-2024_Jun-30-2024_100066300057039.csv": lambda: mbs_content(delimiter=";"),
}


def _parse(path: Path, *, large: bool, workers: int = 1):
    """parse_file, as a small file (all rows at once) or as a large one (pyarrow, chunks of 7 rows)."""
    patches = [mock.patch.object(streaming, "WORKERS", workers)]
    if large:
        patches += [mock.patch.object(sniff, "SMALL_FILE", 64), mock.patch.object(sniff, "ARROW_BLOCK", 4096),
                    mock.patch.object(L, "CHUNK_ROWS", 7), mock.patch.object(M._Content, "CHUNK_ROWS", 7)]
    return _parse_patched(path, patches)[:2]


def _parse_patched(path: Path, patches: list):
    """parse_file with the patches in force, and what each of them stands for (the mocks)."""
    with contextlib.ExitStack() as stack:
        mocks = [stack.enter_context(p) for p in patches]
        return (*parse_file(path, path.name, CONFIG), mocks)


@pytest.mark.parametrize("name", sorted(QUIRKY))
def test_chunked_and_parallel_reading_gives_the_small_file_tables(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(QUIRKY[name]())
    small_res, small = _parse(path, large=False)
    assert small_res.status == "ok", small_res.errors
    assert sum(small_res.tables.values()) > 180
    for workers in (1, 2):
        res, big = _parse(path, large=True, workers=workers)
        assert (res.status, res.formats, res.tables, res.dropped) == \
            (small_res.status, small_res.formats, small_res.tables, small_res.dropped)
        assert res.warnings == small_res.warnings
        for table in small:
            pd.testing.assert_frame_equal(big[table], small[table], check_exact=True)


def _parse_mid_size(path: Path, *, stream: bool, head: int | None = None):
    """parse_file with the file above STREAM_FILE (streamed when its format reads chunks) or not."""
    spy = mock.patch.object(pipeline, "_parse_file", wraps=pipeline._parse_file)
    patches = [mock.patch.object(sniff, "STREAM_FILE", 64 if stream else 1 << 40), spy]
    if head:
        patches.append(mock.patch.object(sniff, "HEAD_BYTES", head))
    res, tables, mocks = _parse_patched(path, patches)
    return res, tables, [c.kwargs["stream"] for c in mocks[1].call_args_list]


@pytest.mark.parametrize("name", sorted(QUIRKY))
def test_mid_size_files_streamed_give_the_tables_read_whole_gives(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(QUIRKY[name]())
    with mock.patch.object(sniff, "STREAM_FILE", 64):
        assert sniff.read_blocks(path, name)[0].whole_ok  # the streamed kind of block
    (whole_res, whole, _), (res, streamed, tries) = _parse_mid_size(path, stream=False), _parse_mid_size(path, stream=True)
    assert tries == [True]  # streamed to the end
    assert (res.status, res.formats, res.tables, res.warnings, res.errors) == \
        (whole_res.status, whole_res.formats, whole_res.tables, whole_res.warnings, whole_res.errors)
    for table in whole:
        pd.testing.assert_frame_equal(streamed[table], whole[table], check_exact=True)


def _same_both_ways(path: Path) -> list[bool]:
    """The file parsed as streamed (from 64 bytes up) and read whole give the same result; the tries."""
    (whole_res, whole, _), (res, streamed, tries) = _parse_mid_size(path, stream=False), _parse_mid_size(path, stream=True)
    assert (res.status, res.formats, res.tables, res.warnings, res.errors, res.dropped) == \
        (whole_res.status, whole_res.formats, whole_res.tables, whole_res.warnings, whole_res.errors, whole_res.dropped)
    assert streamed.keys() == whole.keys()
    for table in whole:
        pd.testing.assert_frame_equal(streamed[table], whole[table], check_exact=True)
    return tries


CSV_FIXTURES = sorted(p for p in EXPORTS.rglob("*") if p.suffix in (".csv", ".tsv"))


@pytest.mark.parametrize("path", CSV_FIXTURES, ids=lambda p: p.relative_to(EXPORTS).as_posix())
def test_every_csv_fixture_streamed_gives_what_it_gives_read_whole(path):
    _same_both_ways(path)


def test_every_real_csv_streamed_gives_what_it_gives_read_whole(realdata):
    tries = {p.name: _same_both_ways(p) for p in sorted(realdata.rglob("*.csv"))}
    assert sum(t == [True] for t in tries.values()) >= 10  # most were streamed to the end


def test_a_streamed_export_at_the_platforms_row_limit_is_warned_about(tmp_path):
    path = tmp_path / "Queries.csv"
    path.write_text("Top queries,Clicks,Impressions,CTR,Position\n"
                    + "".join(f"query {i},{i % 9},{100 + i},1.5%,{1 + i % 20}\n" for i in range(1000)), "utf-8")
    assert _same_both_ways(path) == [True]
    res = _parse_mid_size(path, stream=True)[0]
    assert any("export limit is reached" in w for w in res.warnings)


@pytest.mark.parametrize("case", ["section further down", "format read whole", "unknown"])
def test_what_streaming_does_not_fit_is_read_whole(tmp_path, case):
    """A second section beyond the head (pyarrow meets rows of another width), a format that does not
    read chunks, an unrecognised file: the same result as the file read whole, as it always was."""
    if case == "section further down":
        path = tmp_path / "brand24_fr.csv"
        path.write_bytes(brand24_fr() + "\r\n\r\n# Résumé\r\nMentions;250\r\n".encode())
    elif case == "format read whole":
        path = tmp_path / "Reach.csv"  # Meta's per-metric daily series: the rows at once
        path.write_bytes((EXPORTS / "meta" / path.name).read_bytes())
    else:
        path = tmp_path / "stock.csv"
        path.write_text("sku,stock,warehouse\n" + "".join(f"A{i},{i % 7},Lyon\n" for i in range(500)), "utf-8")
    whole_res, whole, _ = _parse_mid_size(path, stream=False, head=4096)
    res, streamed, tries = _parse_mid_size(path, stream=True, head=4096)
    assert tries == [True, False]  # streaming given up, the file read whole
    assert (res.status, res.formats, res.tables, res.warnings, res.errors) == \
        (whole_res.status, whole_res.formats, whole_res.tables, whole_res.warnings, whole_res.errors)
    assert whole.keys() == streamed.keys()
    for table in whole:
        pd.testing.assert_frame_equal(streamed[table], whole[table], check_exact=True)
    if case == "section further down":
        assert res.tables == {"mentions": 250} and any("Résumé" in w or "section" in w for w in res.warnings)


def test_a_totals_row_is_the_same_error_in_chunks(tmp_path):
    path = tmp_path / "brand24_fr.csv"
    path.write_bytes(brand24_fr(totals=True))
    last_line = len(path.read_bytes().splitlines())  # captions with line breaks push it below row 402
    small, big = _parse(path, large=False)[0], _parse(path, large=True, workers=2)[0]
    assert small.errors == big.errors == [f"brand24_fr.csv, row {last_line}, column 'Date': 1 value(s) are not "
                                          "dates, e.g. 'Total'"]


def test_errors_are_the_same_in_chunks(tmp_path):
    """A post id Excel turned into scientific notation: the same count, value and row either way."""
    data = mbs_content(60).decode("utf-8-sig").splitlines()
    data[35] = "1.00066E+14" + data[35][data[35].index(","):]
    data[50] = "1.00066E+14" + data[50][data[50].index(","):]
    path = tmp_path / "Jan-01-2024_Mar-31-2024_1.csv"
    path.write_text("\n".join(data) + "\n", encoding="utf-8")
    small, big = _parse(path, large=False)[0], _parse(path, large=True, workers=2)[0]
    assert small.errors == big.errors and "2 post id(s) such as '1.00066E+14'" in small.errors[0]
    assert "row 36" in small.errors[0]


@pytest.mark.parametrize("header", ["Date,Hour,Content,URL,Category,Sentiment\n",
                                    "Post ID,Page ID,Page name,Publish time,Reach\n"])
def test_large_file_with_a_header_only(tmp_path, header):
    path = tmp_path / "export.csv"
    path.write_text(header, encoding="utf-8")
    res, tables = _parse(path, large=True, workers=2)
    assert res.status == "ok" and tables == {} and res.formats


def test_a_delimiter_pandas_refuses_is_a_data_error(tmp_path):
    """Found by fuzzing: a damaged `sep=` line can make a line break the delimiter of a large file."""
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    block = sniff.Block(source="x.csv", header=["a", "b"], delimiter="\r", path=path)
    with pytest.raises(DataError, match="unreadable CSV"):
        list(block.frame(chunksize=10))


def brand24_en(n: int = 120, seed: int = 3, dates: str = "iso", reach: tuple = ()) -> bytes:
    """Brand24 in English whose chunks of 7 rows all read alike (one date layout, dot decimals), with what
    warns: times in the hour repeated when clocks go back in Paris, cells that are not numbers, a date
    column (slash dates, days all ≤ 12) whose day/month order no row tells; `reach` adds wordings."""
    rng = random.Random(seed)
    rows = [["Date", "Hour", "Content", "URL", "Category", "Sentiment", "Reach", "Likes"]]
    for i in range(n):
        day = rng.choice(["2024-10-27", "2024-03-05", "2024-07-14"]) if dates == "iso" else \
            f"{rng.randrange(1, 13):02d}/{rng.randrange(1, 13):02d}/2024"
        day = rng.choice([day, day, day, ""]) if i else day
        rows.append([day, f"02:{rng.randrange(60):02d}" if day else "",
                     rng.choice(["Lumen is great", "verdane meh", "nothing here"]), f"https://x.com/a/status/{i}",
                     "Twitter", rng.choice(["positive", "neutral"]),
                     rng.choice(["12", "1,234", "3.5K", "-", "abc", "7.25", *reach]), rng.choice(["1", "", "2"])])
    return _csv(rows).encode()


def _typed_again_calls():
    calls = []
    real = L.Mentions._typed_again

    def spy(self, *args, **kw):
        calls.append(1)
        return real(self, *args, **kw)
    return calls, mock.patch.object(L.Mentions, "_typed_again", spy)


@pytest.mark.parametrize("kind,again", [("iso", False), ("slash", False), ("comma later", True),
                                        ("excel date", False)])
def test_chunks_typed_alone_or_again_give_the_small_file_table(tmp_path, kind, again):
    """Dates and numbers are read chunk by chunk, then warned about once for the file; a file whose chunks
    would decide the decimal mark otherwise than the whole file (a comma first seen late) is read again."""
    reach = {"comma later": (), "excel date": ("3-May",)}.get(kind, ())
    data = brand24_en(dates="slash" if kind == "slash" else "iso", reach=reach)
    if kind == "comma later":
        data += _csv([["2024-03-05", "10:00", "lumen", "https://x.com/a/status/x", "Twitter", "", "2,5", ""]]).encode()
    path = tmp_path / "mentions.csv"
    path.write_bytes(data)
    small_res, small = _parse(path, large=False)
    calls, spy = _typed_again_calls()
    with spy:
        res, big = _parse(path, large=True, workers=2)
    assert bool(calls) == again
    assert (res.status, res.errors, res.warnings, res.dropped) == \
        (small_res.status, small_res.errors, small_res.warnings, small_res.dropped)
    if kind == "excel date":
        assert "Excel turned into dates" in res.errors[0] and ", row " in res.errors[0]
        return
    assert any("not numbers" in w for w in res.warnings) and res.dropped
    expected = {"iso": "repeated when clocks go back", "slash": "could be day/month", "comma later": "no time zone"}
    assert any(expected[kind] in w for w in res.warnings)
    pd.testing.assert_frame_equal(big["mentions"], small["mentions"], check_exact=True)


# --- the schema check without pandera ------------------------------------------------------------------
def _fixture_tables():
    """The tables of the first two CSV fixtures of every platform."""
    for folder in sorted(p for p in EXPORTS.iterdir() if p.is_dir()):
        for path in sorted(folder.rglob("*.csv"))[:2]:
            res, tables = parse_file(path, path.name, CONFIG)
            yield from tables.items()


def test_ingest_does_not_import_pandera_for_conforming_tables(tmp_path):
    """pandera (~9 MB, 0.3 s) is imported only when a table does not conform as parsed."""
    import subprocess
    import sys
    path = tmp_path / "brand24_fr.csv"
    path.write_bytes(brand24_fr(40))
    code = ("import sys; from pathlib import Path; from audit.ingest.pipeline import parse_file; "
            f"res, t = parse_file(Path({str(path)!r}), 'x.csv', None); "
            "print(res.status, 'pandera' in sys.modules, [m for m in sys.modules if m.startswith('pandera')][:1])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[:2] == ["ok", "False"], out


def test_fast_schema_check_agrees_with_pandera():
    seen = set()
    for table, df in _fixture_tables():
        seen.add(table)
        fast = C._conformant(table, df)
        assert fast is not None, table  # what parsers return needs no coercion
        pd.testing.assert_frame_equal(fast, schemas.conform(table, df), check_exact=True)
    assert {"posts", "mentions", "account_daily"} <= seen


@pytest.mark.parametrize("change", ["negative", "missing_required", "na_required", "wrong_dtype", "rate_above_one",
                                    "extra_column", "microseconds"])
def test_fast_schema_check_refuses_what_pandera_refuses(change):
    df = schemas.empty("posts").reindex(range(3))
    df = df.assign(platform="facebook", account="Lumen", source_file="f.csv", post_id=["1", "2", "3"],
                   source_row=pd.array([2, 3, 4], dtype="Int64"), reach=[1.0, 2.0, np.nan])
    df = schemas.conform("posts", df)
    if change == "negative":
        df.loc[1, "reach"] = -1.0
    elif change == "missing_required":
        df = df.drop(columns=["post_id"])
    elif change == "na_required":
        df.loc[2, "post_id"] = np.nan
    elif change == "wrong_dtype":
        df["reach"] = df["reach"].astype(object)
    elif change == "rate_above_one":
        df = pd.DataFrame({"platform": ["gsc"], "account": ["a"], "source_file": ["f"], "dimension": ["query"],
                           "ctr": [1.5]})
    elif change == "extra_column":
        df["something"] = 1
    elif change == "microseconds":
        df["exported_at"] = pd.Timestamp("2024-01-01", tz="UTC")  # pandas 3 broadcasts it in µs
    table = "search" if change == "rate_above_one" else "posts"
    try:
        want = schemas.conform(table, df, "f.csv")
    except DataError as e:
        with pytest.raises(DataError) as got:
            C.conform(table, df, "f.csv")
        assert str(got.value) == str(e)
        assert C._conformant(table, df) is None
        return
    pd.testing.assert_frame_equal(C.conform(table, df, "f.csv"), want, check_exact=True)


def test_absent_columns_share_one_empty_column_until_one_is_written():
    df = pd.DataFrame({"post_id": pd.array(["1", "2"], dtype="str"), "platform": pd.array(["x", "x"], dtype="str"),
                       "account": pd.array(["a", "a"], dtype="str"), "source_file": pd.array(["f", "f"], dtype="str"),
                       "published_at": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True).as_unit("ns")})
    out = C.conform("posts", df, "f.csv")
    a, b = [c.name for c in schemas.columns("posts") if c.name not in df.columns and c.dtype == "float64"][:2]
    assert np.shares_memory(out[a].to_numpy(), out[b].to_numpy())
    out.loc[0, a] = 3.0
    assert out[a].tolist()[0] == 3.0 and out[b].isna().all()


# --- cell helpers: pyarrow against their definitions --------------------------------------------------
SPACES = [c for c in map(chr, range(0x110000)) if c.isspace()]


def test_whitespace_sets_agree():
    assert "".join(SPACES) == "".join(V._SPACES)
    assert [c for c in SPACES if re.match(r"\s", c)] == SPACES
    arr = pa.array([f"{c}x{c}" for c in map(chr, range(0x3001)) if not 0xD800 <= ord(c) <= 0xDFFF], pa.large_string())
    stripped = {c for c, s in zip(map(chr, range(0x3001)), pc.utf8_trim_whitespace(arr).to_pylist()) if s == "x"}
    assert stripped == set(SPACES)


def test_only_two_characters_lower_to_ascii_in_pyarrow():
    chars = [chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    lowered = pc.utf8_lower(pa.array(chars, pa.large_string())).to_pylist()
    found = {low: c for c, low in zip(chars, lowered) if low.isascii()}
    assert found == {k: v for k, v in V.LOWERS_TO_ASCII.items()}


def _blank_reference(series: pd.Series) -> np.ndarray:
    """`blank` as it was written for pandas."""
    s = series.astype("str").str.strip()
    short = (s.str.len() <= V._PLACEHOLDER_LEN).to_numpy(dtype=bool, na_value=False)
    out = np.array(series.isna(), dtype=bool)
    out[short] |= s[short].str.lower().isin(V.PLACEHOLDERS).to_numpy(dtype=bool)
    return out


def test_blank_agrees_with_its_definition():
    rng = random.Random(3)
    parts = [*V.PLACEHOLDERS, "N/A", "NaN", "NONE", "Undefined", "(Not Set)", "#N/A", "UNDEFİNED", "x", "12", "-1",
             "\u212a", "İ", "ſ", "é", "lorem ipsum dolor sit amet, consectetur adipiscing elit"]
    cells = []
    for _ in range(20_000):
        p = rng.choice(parts)
        if rng.random() < 0.3:
            p = "".join(c.upper() if rng.random() < 0.5 else c for c in p)
        pad = lambda: "".join(rng.choice(SPACES + ["\u200b", "\x00"])  # noqa: E731
                              for _ in range(rng.randrange(3) * rng.choice([1, 20])))
        cells.append(pad() + p + pad() + (rng.choice(parts) if rng.random() < 0.05 else ""))
    s = pd.Series(cells + [None, "", " " * 60 + "n/a"], dtype="str")
    for part in (s, s.iloc[7:], s.iloc[:0]):
        assert np.array_equal(V.blank(part).to_numpy(), _blank_reference(part))


@pytest.mark.parametrize("long_share", [0.2, 0.9])  # the short cells stripped whole, or the few picked out
def test_blank_strips_long_cells_only_with_spaces_at_an_end(long_share):
    rng = random.Random(5)
    texts = ["Lumen serum, love it 😍", "crème très douce é", "x" * 50, "N/A", "-", "nan", "12", "lorem ipsum " * 4]
    cells = []
    for _ in range(5_000):
        t = rng.choice(texts)
        if rng.random() < long_share:
            t = t + " ok" * rng.randrange(15, 30)  # long: never a placeholder unless spaces pad it
        left = "".join(rng.choice(SPACES) for _ in range(rng.choice([0, 0, 1, 40])))
        right = "".join(rng.choice(SPACES + ["\u200b"]) for _ in range(rng.choice([0, 0, 1, 40])))
        cells.append(left + t + right)
    s = pd.Series(cells + [None, " " * 60 + "n/a", "n/a" + "\u3000" * 30, "\u2028" * 30 + "N/A"], dtype="str")
    for part in (s, s.iloc[3:]):
        assert np.array_equal(V.blank(part).to_numpy(), _blank_reference(part))


def test_clean_text_keeps_the_bytes_and_drops_the_placeholders():
    cells = ["a", " n/a ", None, "hello", "-", "𝐋𝐮𝐦𝐞𝐧", "", "  x  "] * 9
    s = pd.Series(cells, dtype="str", index=range(2, 74))
    for part in (s, s.iloc[8:], s.iloc[3:], s.iloc[:0]):
        got = V.clean_text(part)
        want = [None if pd.isna(c) or c.strip().lower() in V.PLACEHOLDERS else unicodedata.normalize("NFKC", c)
                for c in part.astype(object)]
        assert got.dtype == part.dtype and got.index.equals(part.index)
        assert [None if pd.isna(c) else c for c in got.astype(object)] == want
        if len(got):
            V.arrow_strings(got).validate(full=True)


def test_cells_beyond_latin1_counted_in_bytes():
    rng = random.Random(9)
    alphabet = ["a", "Z", " ", "é", "ÿ", "À", "\u00bf", "\u00a0", "ā", "€", "✨", "𝐋", "ﬁ", "\u0301"]
    cells = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(6))) for _ in range(3_000)] + [None, ""]
    arr = pa.array(cells, pa.large_string())
    for part in (arr, arr.slice(5), arr.slice(0, 0)):
        want = [c is not None and any(ord(ch) > 0x7F and not 0xC0 <= ord(ch) <= 0xFF for ch in c)
                for c in part.to_pylist()]
        assert V._beyond_latin1(part).tolist() == want


def test_nfkc_agrees_with_unicodedata():
    rng = random.Random(4)
    alphabet = list("abc XYZ\t\n\x01") + ["é", "à", "ÿ", "Ã", "\u00a0", "ª", "²", "ﬁ", "𝐋", "ｆ", "e\u0301", "\u0301",
                                          "✨", "😍", "İ", "ĳ", "ſ", "Ω", "Ⅻ", "①", "\u3000", "한", "ﾊ"]
    cells = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(12))) for _ in range(20_000)]
    s = pd.Series(cells + [None, ""], dtype="str")
    for part in (s, s.iloc[5:]):
        want = [unicodedata.normalize("NFKC", c) if isinstance(c, str) else None for c in part.tolist()]
        got = V.nfkc(part).tolist()
        assert [g if isinstance(g, str) else None for g in got] == want


def test_host_steps_agree_with_the_pattern():
    rng = random.Random(5)
    pieces = ["https://", "http://", "HTTP://", "ftp+x.y://", "://", " ", "\t", "\n", "\v", "www.", "www1.", "m.",
              "mobile.", "amp.", "www", "twitter.com", "/", ":", "?", "#", "@", "é", "a", "b.c", "", "\u00a0", "."]
    cells = ["".join(rng.choice(pieces) for _ in range(rng.randrange(7))) for _ in range(20_000)]
    arr = pa.array(cells + [None, "", "https://www./x", "www."], pa.large_string())
    for part in (arr, arr.slice(11, 900), arr.slice(0, 0)):
        assert L._host(part).to_pylist() == L._extract(part, L._HOST_RE).to_pylist()


def test_caption_agrees_with_its_definition():
    def one(t, d):  # as written before it ran on whole columns
        if not isinstance(d, str):
            return t
        if not isinstance(t, str) or d.startswith(t.rstrip(".… ")):
            return d
        return f"{t}\n\n{d}"
    rng = random.Random(7)
    words = ["Le", "titre", ".", "…", " ", "é", "😍", "sérum", ""]
    titles = [None if rng.random() < 0.2 else "".join(rng.choice(words) for _ in range(rng.randrange(5)))
              for _ in range(5_000)]
    texts = [t + rng.choice(["", " suite", "."]) if t is not None and rng.random() < 0.5
             else rng.choice([None, "x", ""]) for t in titles]
    t, d = pd.Series(titles, dtype="str", index=range(3, 5_003)), pd.Series(texts, dtype="str", index=range(3, 5_003))
    want = pd.Series([one(a, b) for a, b in zip(t.tolist(), d.tolist())], index=t.index, dtype="str")
    pd.testing.assert_series_equal(M._caption(t, d), want, check_names=False)


def test_post_types_per_distinct_wording():
    from audit.ingest.formats.facebook import POST_TYPES, post_types
    s = pd.Series(["Photos", " photos ", "REELS", "Liens", "", "-", None, "Weird", "IG IMAGE"] * 50, dtype="str")
    want = s.str.strip().str.casefold().map(POST_TYPES).fillna("other").where(~V.blank(s)).astype("str")
    for series in (s, s.astype(object)):
        pd.testing.assert_series_equal(post_types(series), want)


def test_numbers_read_once_per_distinct_cell_are_the_same():
    rng = random.Random(6)
    wordings = ["1", "12", "1,234", "1 234,5", "3.5K", "-", "N/A", "", "12%", "(5)", "abc", "€3,40", "1.2.3"]
    cells = [rng.choice(wordings) for _ in range(5_000)]
    s = pd.Series(cells, dtype="str", index=range(10, 5_010))
    for decimal in (None, ",", "."):
        got, got_rep = V._to_number(s, decimal, True)
        want, want_rep = V._to_number_cells(s, decimal, True)
        pd.testing.assert_series_equal(got, want)
        assert got_rep == want_rep


@pytest.mark.parametrize("extra", [(), ("1,23",), ("1 234",), ("12%",), ("3 K",), ("1.234,5",), ("abc",)])
def test_counts_with_commas_and_suffixes_read_as_by_the_full_clean_up(extra):
    """_grouped_numbers (thousands commas, K/M/B) against the clean-up it skips; any other wording
    (`extra`) sends the column to the clean-up, which then decides as before."""
    rng = random.Random(7)
    wordings = ["12", "-7", "1,234", "12,345,678", "1,234.5", "3.5K", "2M", "1b", "0.25k", "-1,000", "", "-", "N/A",
                " 42 ", "007", *extra]
    s = pd.Series([rng.choice(wordings) for _ in range(3_000)], dtype="str", index=range(5, 3_005))
    got, got_rep = V._to_number_cells(s, None, True)
    with mock.patch.object(V, "_grouped_numbers", lambda *a: None):
        want, want_rep = V._to_number_cells(s, None, True)
    pd.testing.assert_series_equal(got, want, check_exact=True)
    assert got_rep == want_rep
    cells = V._without(V.whole(V.arrow_strings(s.str.strip())), V.blank(s).to_numpy())
    assert (V._grouped_numbers(cells) is None) == bool(extra)


@pytest.mark.parametrize("extra", [(), ("-nan",), ("1,234",), ("abc",)])
def test_plain_number_chunks_read_as_by_the_general_path(extra):
    from audit.ingest.registry import ParseContext
    rng = random.Random(8)
    wordings = ["12", "-7", "0.25", "1e3", "inf", "", "-", "N/A", " 42 ", "nan", *extra]
    s = pd.Series([rng.choice(wordings) for _ in range(2_000)], dtype="str", index=range(3, 2_003))
    ctx = ParseContext(source="x.csv")
    got, got_facts = ctx.read_numbers(s)
    with mock.patch.object(V, "_plain_column", lambda *a: None):
        want, want_facts = ctx.read_numbers(s)
    pd.testing.assert_series_equal(got, want, check_exact=True)
    assert got_facts == want_facts


def test_plain_iso_dates_read_by_pyarrow_as_by_pandas():
    cells = ["2024-01-15 12:34:56", "2024-01-15T12:34:56", "2024-01-15", "2024-01-15 12:34", "1999-12-31 23:59:59"]
    s = pd.Series(cells * 3, dtype="str", index=range(3, 18))
    fast = V._plain_iso8601(s)
    assert fast is not None
    pd.testing.assert_series_equal(fast, pd.to_datetime(s, errors="coerce", format="ISO8601"))
    for bad in ("2023-02-29 00:00:00", "2024-01-01 24:00:00", "2024-1-5", "2024-01-15 12:34:56.5"):
        assert V._plain_iso8601(pd.Series([*cells, bad], dtype="str")) is None  # pandas decides these


@pytest.mark.parametrize("mixed", [False, True])
@pytest.mark.parametrize("day_first", [False, True])
def test_fixed_width_slash_dates_read_as_by_the_regex_reordering(mixed, day_first):
    rng = random.Random(7)
    cells = [f"{rng.randrange(1, 13):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1990, 2031)} "
             f"{rng.randrange(24):02d}:{rng.randrange(60):02d}" for _ in range(400)]
    cells += ["02/30/2024 10:00", "30/02/2024 10:00", "13/13/2024 10:00", "01/01/2024 24:00", "12/12/2024 23:59"]
    if mixed:  # any of these makes the whole column take the regex way
        cells.append(rng.choice(["3/5/2024 10:00", "03-05/2024 10:00", "03/05/24 10:00", "03.05.2024 10:0",
                                 "03/05/2024 1:00", "0x/05/2024 10:00"]))
    s = pd.Series(cells, dtype="str", index=range(10, 10 + len(cells)))
    arr = pa.array(s, type=pa.large_string(), from_pandas=True)
    assert (V._fixed_width_slash(arr, day_first) is None) == mixed
    with mock.patch.object(V, "_fixed_width_slash", return_value=None):
        by_regex = V._numeric_dates(s, day_first)
    got = V._numeric_dates(s, day_first)
    pd.testing.assert_series_equal(got, by_regex)
    assert got.notna().sum() > 300 and got.isna().sum() > 1  # most read, the impossible ones not


def test_year_range_by_bounds_as_year_by_year():
    naive = pd.Series(pd.to_datetime(["1989-12-31 23:59:59", "1990-01-01 00:00:00", "2100-12-31 23:59:00",
                                      "2101-01-01 00:00:00", None]),
                      index=range(3, 8))
    aware = naive.dt.tz_localize("Europe/Paris")  # 1990-01-01 00:00 Paris is still 1989 in UTC
    for s in (naive, aware, aware.dt.tz_convert("UTC"), naive.iloc[:0]):
        want = pd.to_datetime(s, utc=True).dt.year.between(V.MIN_YEAR, V.MAX_YEAR)
        pd.testing.assert_series_equal(V._years_between(s, V.MIN_YEAR, V.MAX_YEAR), want, check_names=False)


def test_repeated_text_column():
    for n in (0, 1, 4096, 10_001):
        col = repeated("Jan-01-2024_Dec-31-2024_100066300057039.csv", n)
        assert col.dtype == pd.api.types.pandas_dtype("str") and len(col) == n
        assert set(col) <= {"Jan-01-2024_Dec-31-2024_100066300057039.csv"}


# --- read-ahead and the ordered parallel map -------------------------------------------------------------
def test_ordered_map_keeps_order_and_raises_the_first_error():
    assert list(streaming.ordered_map(lambda x: x * x, range(50), workers=2)) == [x * x for x in range(50)]

    def boom(x):
        if x in (7, 9):
            raise ValueError(x)
        return x
    with pytest.raises(ValueError, match="7"):
        list(streaming.ordered_map(boom, range(20), workers=2))


def test_read_ahead_passes_items_and_errors_and_stops_when_dropped():
    with mock.patch.object(streaming, "WORKERS", 2):
        assert list(streaming.read_ahead(iter(range(100)))) == list(range(100))

        def failing():
            yield 1
            raise DataError("broken", "f.csv")
        with pytest.raises(DataError, match="broken"):
            list(streaming.read_ahead(failing()))
        before = threading.active_count()
        reader = streaming.read_ahead(iter(range(10**6)))
        assert next(reader) == 0
        reader.close()
        assert threading.active_count() == before


def test_numbers_assembled_in_their_own_memory_equal_the_chunks_joined():
    from audit.ingest.assemble import Numbers
    rng = np.random.default_rng(1)
    chunks = [rng.normal(size=n) for n in (0, 3, 70_000, 12_500, 200_000, 1)]  # beyond the first map: grown
    col = Numbers()
    for c in chunks:
        col.append(c)
    assert np.array_equal(col.array(), np.concatenate(chunks))
    with pytest.raises(ValueError):
        col.append(np.arange(3))
    assert Numbers().array().size == 0


@pytest.mark.parametrize("preset", [None, "dirty_decay_ms:100"])
def test_jemalloc_settings_made_before_pyarrow_loads_unless_set(preset):
    import os
    import subprocess
    import sys
    code = ("import os, sys, audit.ingest as I; import pyarrow as pa; pa.jemalloc_memory_pool(); "
            "print(os.environ.get('JE_ARROW_MALLOC_CONF'), I.JEMALLOC_CONFIGURED)")
    env = {k: v for k, v in os.environ.items() if k not in ("JE_ARROW_MALLOC_CONF", "ARROW_DEFAULT_MEMORY_POOL")}
    if preset:
        env["JE_ARROW_MALLOC_CONF"] = preset
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert "jemalloc" not in out.stderr  # the settings are ones jemalloc knows
    assert out.stdout.split() == ([preset, "False"] if preset else [JEMALLOC_CONF, "True"])
