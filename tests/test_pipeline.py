"""The ingest pipeline: recognition, report, cache, de-duplication, exit codes, raw files untouched."""
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from audit.ingest import ingest, load_report
from audit.ingest.pipeline import deduplicate
from audit.tables import load_tables
from conftest import write_config

QUERIES = "Top queries,Clicks,Impressions,CTR,Position\nfournil paris,30,400,7.5%,2.1\nbaguette,5,900,0.56%,8.4\n"
DATES = "Date,Clicks,Impressions,CTR,Position\n2025-01-02,4,50,8%,3\n2025-01-01,3,40,7.5%,2.1\n"


def make_client(tmp_path):
    write_config(tmp_path)
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "renamed_queries.csv").write_text(QUERIES, encoding="utf-8")
    (tmp_path / "Dates.csv").write_text(DATES, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("call the client on Monday\nabout the budget\n", encoding="utf-8")
    return tmp_path


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*")
            if p.is_file() and ".audit" not in p.parts}


def test_ingest_recognises_reports_and_stores(tmp_path):
    client = make_client(tmp_path)
    before = digest(client)
    rep = ingest(client, progress=False)
    assert digest(client) == before  # raw exports are never written to
    by_file = {f.file: f for f in rep.files}
    assert by_file["exports/renamed_queries.csv"].formats == ["search_console.performance"]
    assert by_file["exports/renamed_queries.csv"].tables == {"search": 2}
    assert by_file["notes.txt"].status == "unrecognised"
    assert rep.exit_code == 1
    search = load_tables(client).search
    q = search[search.dimension == "query"].set_index("value")
    assert q.loc["fournil paris", "clicks"] == 30 and q.loc["baguette", "ctr"] == 0.0056
    d = search[search.dimension == "date"].sort_values("date")
    assert d["impressions"].tolist() == [40, 50]
    assert d["source_row"].tolist() == [3, 2]
    stored = load_report(client)
    assert stored["unrecognised"][0]["file"] == "notes.txt"


def test_second_run_uses_cache_and_reparses_changed_files(tmp_path):
    client = make_client(tmp_path)
    ingest(client, progress=False)
    rep = ingest(client, progress=False)
    assert all(f.cached for f in rep.files)
    (client / "Dates.csv").write_text(DATES + "2024-12-31,1,10,10%,5\n", encoding="utf-8")
    rep = ingest(client, progress=False)
    cached = {f.file: f.cached for f in rep.files}
    assert cached["Dates.csv"] is False and cached["exports/renamed_queries.csv"] is True
    assert rep.tables["search"] == 5


def test_corrupt_cache_is_rebuilt(tmp_path):
    client = make_client(tmp_path)
    ingest(client, progress=False)
    for p in (client / ".audit").rglob("*.parquet"):  # the per-file cache and the tables
        p.write_bytes(b"not parquet")
    rep = ingest(client, progress=False)
    assert not any(f.cached for f in rep.files if f.tables) and rep.tables["search"] == 4
    assert len(pd.read_parquet(client / ".audit" / "search.parquet")) == 4


def test_unchanged_client_leaves_its_tables_untouched(tmp_path):
    client = make_client(tmp_path)
    first = ingest(client, progress=False)
    tables = sorted((client / ".audit").glob("*.parquet"))
    stamps = [p.stat().st_mtime_ns for p in tables]
    again = ingest(client, progress=False)
    assert [p.stat().st_mtime_ns for p in tables] == stamps  # nothing rewritten
    assert again.tables == first.tables and all(f.cached for f in again.files)
    assert [f.file for f in again.files] == [f.file for f in first.files]
    # a changed setting rebuilds the tables
    cfg = (client / "audit.yml").read_text(encoding="utf-8")
    (client / "audit.yml").write_text(cfg.replace("Europe/Paris", "Europe/Brussels"), encoding="utf-8")
    ingest(client, progress=False)
    assert [p.stat().st_mtime_ns for p in tables] != stamps


def test_unchanged_check_needs_no_parser(tmp_path):
    """`audit run` asks ingest.state first: the stored report while nothing changed, None once an
    export changes; and the check itself imports neither pandas nor a parser."""
    from audit.config import load_config
    from audit.ingest import state

    client = make_client(tmp_path)
    first = ingest(client, progress=False)
    key = state.settings_key(load_config(client))
    stored = state.unchanged_report(client, key, state.file_digests(client))
    assert stored["tables"] == first.tables and all(f["cached"] for f in stored["files"])
    (client / "Dates.csv").write_bytes((client / "Dates.csv").read_bytes() + b"\n")
    assert state.unchanged_report(client, key, state.file_digests(client)) is None
    code = ("import sys; from pathlib import Path; from audit.config import load_config; from audit.ingest import state; "
            f"c = Path({str(client)!r}); state.unchanged_report(c, state.settings_key(load_config(c)), state.file_digests(c)); "
            "print(sorted(m for m in ('pandas', 'pyarrow', 'audit.ingest.pipeline') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_overlapping_post_exports_keep_newest_totals():
    base = dict(platform="facebook", account="B", source_row=2)
    df = pd.DataFrame([
        {**base, "post_id": "1", "reach": 100.0, "exported_at": pd.Timestamp("2025-02-01", tz="UTC"), "source_file": "b.csv"},
        {**base, "post_id": "1", "reach": 150.0, "exported_at": pd.Timestamp("2025-03-01", tz="UTC"), "source_file": "a.csv"},
        {**base, "post_id": "2", "reach": 7.0, "exported_at": pd.NaT, "source_file": "a.csv"},
    ])
    out = deduplicate("posts", df)
    assert sorted(out["reach"].tolist()) == [7.0, 150.0]


def test_overlapping_daily_series_deduplicated():
    rows = [dict(platform="x", account="B", date=pd.Timestamp("2025-01-01"), metric="reach", value=v,
                 source_file=f, source_row=2) for v, f in ((5.0, "a.csv"), (5.0, "b.csv"))]
    assert len(deduplicate("account_daily", pd.DataFrame(rows))) == 1


def test_mentions_deduplicated_by_id_in_order_and_without_id_kept():
    ids = ["a", None, "b", "a", None, "c", "b"]
    df = pd.DataFrame({"account": "B", "mention_id": pd.array(ids, dtype="str"), "n": range(7),
                       "source_file": "m.csv", "source_row": range(2, 9)})
    out = deduplicate("mentions", df)
    assert out["n"].tolist() == [1, 3, 4, 5, 6]  # the last of each id, in file order; no id: every row
    same = df.iloc[[0, 1, 2, 4, 5]]
    assert deduplicate("mentions", same) is same  # nothing repeated: the table itself, not a copy


def test_parquet_dictionaries_only_for_repeating_columns():
    import pyarrow as pa

    from audit.ingest.pipeline import _dictionary_columns
    n = 20_000
    big = pa.table({"platform": ["x", "facebook"] * (n // 2), "mention_id": [f"{i:016x}" for i in range(n)],
                    "reach": [float(i % 7) for i in range(n)]})
    assert _dictionary_columns(big) == ["platform", "reach"]
    assert _dictionary_columns(big.slice(0, 500)) == ["platform", "mention_id", "reach"]  # small: all, as before


def test_one_file_table_is_its_cache_and_overlapping_files_are_merged(tmp_path):
    from audit.paths import cache_dir
    client = make_client(tmp_path)
    mentions = (Path(__file__).parent / "fixtures" / "exports" / "listening" / "brand24_en.csv").read_bytes()
    (client / "mentions_march.csv").write_bytes(mentions)
    rep = ingest(client, progress=False)
    one = cache_dir(client) / "mentions.parquet"
    cached = next((cache_dir(client) / "files").glob("*/mentions.parquet"))
    assert one.read_bytes() == cached.read_bytes() and rep.duplicates_removed == {}  # copied, not re-encoded
    alone = pd.read_parquet(one)
    (client / "mentions_march_again.csv").write_bytes(mentions)  # the same export downloaded twice
    rep = ingest(client, progress=False)
    both = pd.read_parquet(one)
    assert rep.duplicates_removed == {"mentions": len(alone)} and len(both) == len(alone)
    assert both["mention_id"].tolist() == alone["mention_id"].tolist()


def test_cli_prints_one_line_per_problem_and_exit_codes(tmp_path):
    client = make_client(tmp_path)
    (client / "broken.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    run = subprocess.run([sys.executable, "-m", "audit.cli", "ingest", "-q", str(client)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert "broken.zip: damaged zip" in run.stderr
    empty = tmp_path / "nothing"
    write_config(empty)
    run = subprocess.run([sys.executable, "-m", "audit.cli", "ingest", "-q", str(empty)], capture_output=True, text=True)
    assert run.returncode == 2
    run = subprocess.run([sys.executable, "-m", "audit.cli", "ingest", str(tmp_path / "missing")],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_report_is_json_with_tables(tmp_path):
    client = make_client(tmp_path)
    ingest(client, progress=False)
    rep = json.loads((client / ".audit" / "ingest_report.json").read_text())
    assert rep["tables"]["search"] == 4 and rep["client"] == "Test client"
