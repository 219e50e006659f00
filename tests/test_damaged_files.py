"""A corpus of damaged inputs: each gives one clear message naming the file, never a traceback,
and never stops the rest of the ingest."""
import io
import subprocess
import sys
import zipfile

import pytest

from audit.ingest import ingest
from conftest import write_config

GOOD = "Top queries,Clicks,Impressions,CTR,Position\nfournil,3,40,7.5%,2.1\n"
MBS_HEADER = "Post ID,Page ID,Page name,Title,Description,Publish time,Post type,Permalink,Date,Views,Reach,Reactions,Comments,Shares,Total clicks\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def corpus() -> dict[str, bytes]:
    return {
        "empty.csv": b"",
        "only_newlines.csv": b"\r\n\r\n\n",
        "binary_garbage.csv": bytes(range(256)) * 40,
        "truncated.zip": _zip({"Queries.csv": GOOD.encode()})[:40],
        "not_really.xlsx": b"PK\x03\x04" + b"\x00" * 200,
        "fake_old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 300,
        "header_only.csv": MBS_HEADER.encode(),
        "wrong_delimiter.csv": GOOD.replace(",", ":").encode(),
        "mixed_encodings.csv": GOOD.encode() + "café,1,2,3%,4\n".encode("cp1252") + "thé,1,2,3%,4\n".encode(),
        "excel_mangled_percent.csv": 'sep=;\nAge & gender;\n;Women;Men\n18-24;3.апр;5.2\n'.encode("cp1251"),
        "excel_scientific_ids.csv": (MBS_HEADER + '1.22158E+17,2.3E+14,Page,t,d,02/16/2025 05:14,Photos,u,Lifetime,1,1,1,1,1,1\n').encode(),
        "zip_slip.zip": _zip({"../../../../tmp/evil.csv": GOOD.encode()}),
        "zip_of_zip.zip": _zip({"inner.zip": _zip({"Queries.csv": GOOD.encode()})}),
        "formula_cells.csv": ('Top queries,Clicks,Impressions,CTR,Position\n=cmd|"/c calc"!A1,3,40,7.5%,2.1\n').encode(),
        "ragged_rows.csv": b"Top queries,Clicks,Impressions,CTR,Position\nfournil,3\nbaguette,1,2,3%,4,5,6,7\n",
        "unterminated_quote.csv": b'Top queries,Clicks,Impressions,CTR,Position\n"fournil,3,40,7.5%,2.1\n',
        "nul_bytes.csv": GOOD.replace("fournil", "four\x00nil").encode(),
    }


@pytest.fixture(scope="module")
def damaged_client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("damaged")
    write_config(folder)
    for name, data in corpus().items():
        (folder / name).write_bytes(data)
    (folder / "good_queries.csv").write_text(GOOD, encoding="utf-8")
    bomb = _zip({"big.csv": b"0" * (600 * 1024 * 1024)})
    (folder / "zip_bomb.zip").write_bytes(bomb)
    return folder


def test_every_damaged_file_gets_a_message_and_the_rest_goes_on(damaged_client):
    rep = ingest(damaged_client, progress=False)
    by_file = {f.file: f for f in rep.files}
    assert by_file["good_queries.csv"].tables == {"search": 1}
    must_fail = ["empty.csv", "only_newlines.csv", "truncated.zip", "not_really.xlsx", "fake_old_excel.xls",
                 "zip_slip.zip", "zip_bomb.zip", "zip_of_zip.zip", "excel_mangled_percent.csv", "binary_garbage.csv"]
    for name in must_fail:
        f = by_file[name]
        assert f.errors, name
        assert all(name in e for e in f.errors), (name, f.errors)
    assert "climbs out" in by_file["zip_slip.zip"].errors[0]
    assert "zip bomb" in by_file["zip_bomb.zip"].errors[0]
    assert "Excel turned into dates" in " ".join(by_file["excel_mangled_percent.csv"].errors) or \
        by_file["excel_mangled_percent.csv"].status == "unrecognised"
    for name in corpus():
        f = by_file[name]
        # Whatever happened, it is a status with readable text, never an exception escaping ingest.
        assert f.status in ("ok", "problems", "error", "unrecognised"), name
        assert all("Traceback" not in e for e in f.errors)


def test_cli_on_damaged_folder_has_no_traceback(damaged_client):
    run = subprocess.run([sys.executable, "-m", "audit.cli", "ingest", "-q", str(damaged_client)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert "good_queries.csv" in run.stdout


@pytest.mark.slow
def test_single_huge_field(tmp_path):
    write_config(tmp_path)
    with open(tmp_path / "huge.csv", "wb") as fh:
        fh.write(b"Top queries,Clicks,Impressions,CTR,Position\n\"")
        chunk = b"x" * (1 << 20)
        for _ in range(200):
            fh.write(chunk)
        fh.write(b"\",3,40,7.5%,2.1\n")
    rep = ingest(tmp_path, progress=False)
    f = rep.files[0]
    assert f.status in ("ok", "problems", "error", "unrecognised")
