"""The runner end to end on the tiny fixture client and the fixture notebooks: recorded figures,
failure banners, exit codes, atomic and never-overwritten runs, time limits, kernel retries."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from audit.cli import app
from audit.errors import UsageError
from audit.runner import (RunOptions, batch_exit_code, parse_period, run, run_batch, start_kernel_server,
                          summary_table)
from fixtures.tiny_client.checks import HOSTILE, assert_anchors_resolve, assert_safe, parse
from fixtures.tiny_client.make_client import make_client

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
ROOT = Path(__file__).resolve().parent.parent


SERVER = {}  # one warm-kernel server for the whole module (each run would otherwise start its own)


def options(client: Path, out: Path, **kw) -> RunOptions:
    kw.setdefault("kernel_server", SERVER.get("server"))
    return RunOptions(client_dir=client, out=out, notebooks_dir=NOTEBOOKS, ingest=False, progress=False, **kw)


@pytest.fixture(scope="module", autouse=True)
def kernel_server():
    SERVER["server"] = start_kernel_server("social-audit", sorted(NOTEBOOKS.glob("*.ipynb")))
    yield
    if SERVER["server"] is not None:
        SERVER.pop("server").stop()


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Path:
    return make_client(tmp_path_factory.mktemp("clients") / "tiny")


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def first(client, out):
    """One run of four notebooks, one of which fails on purpose."""
    return run(options(client, out, only=["01", "02", "03", "04"]))


# --- the full run ------------------------------------------------------------------------

@pytest.mark.slow
def test_a_failing_notebook_gives_exit_code_1_and_the_others_complete(first):
    assert first.exit_code == 1
    status = {n["name"]: n["status"] for n in first.notebooks}
    assert status == {"01_channels": "ok", "02_brand_health": "ok", "03_marketing": "ok", "04_broken": "failed"}
    broken = next(n for n in first.notebooks if n["name"] == "04_broken")
    assert broken["error"]["kind"] == "exception" and broken["error"]["ename"] == "ValueError"


@pytest.mark.slow
def test_run_folder_layout_and_latest_pointer(first, out):
    d = first.run_dir
    assert d.parent == out / "tiny"
    for f in ("baseline.html", "metrics.json", "run.json", "notebooks/01_channels.ipynb",
              "notebooks/01_channels.html", "notebooks/04_broken.ipynb", "notebooks/04_broken.html"):
        assert (d / f).is_file(), f
    assert not (d / ".lock").exists() and not (d / "metrics").exists()
    assert not list(d.parent.glob(".tmp-*"))
    assert (d.parent / "LATEST").read_text().strip() == d.name
    assert (d.parent / "latest").resolve() == d.resolve()
    executed = nbformat.read(d / "notebooks/01_channels.ipynb", as_version=4)
    charts = [o["data"]["image/svg+xml"] for c in executed.cells if c.cell_type == "code" for o in c.outputs
              if "image/svg+xml" in o.get("data", {})]
    assert charts and all(svg.lstrip().startswith("<?xml") and "<text" in svg for svg in charts)  # text as text


@pytest.mark.slow
def test_recorded_figures_reach_metrics_json(first):
    m = json.loads((first.run_dir / "metrics.json").read_text())
    by_id = {(x["metric"], x.get("account")): x for x in m["metrics"]}
    posts = by_id[("channels.posts", "Tiny Bakery")]
    assert posts["value"] == 5 and posts["direction"] == "channels" and posts["unit"] == "count"
    assert posts["notebook"] == "01_channels" and posts["platform"] == "facebook"
    # engagements / reach of the brand's five posts in tables/posts.csv, by hand
    er = by_id[("channels.engagement_rate_reach", "Tiny Bakery")]
    assert er["value"] == pytest.approx((50 + 120 + 20 + 30 + 30) / (1000 + 2000 + 800 + 1200 + 1000))
    assert er["n"] == 5
    neg = by_id[("brand_health.sentiment_negative", "Tiny Bakery")]  # 2 of the brand's 6 mentions
    assert neg["value"] == pytest.approx(2 / 6) and neg["n"] == 6
    assert neg["low"] < 2 / 6 < neg["high"] and neg["direction"] == "brand_health"
    assert {(f["id"], f["severity"]) for f in m["findings"]} == {("channels.irregular_posting", "medium"),
                                                                   ("brand.negative", "high")}
    assert m["missing"] == [{**m["missing"][0], "what": "ads export", "notebook": "03_marketing"}]


@pytest.mark.slow
def test_run_json_says_how_the_run_went(first, client):
    r = json.loads((first.run_dir / "run.json").read_text())
    assert r["run_id"] == first.run_dir.name and r["status"] == "failed" and r["exit_code"] == 1
    assert r["parameters"] == {"period_start": "", "period_end": "", "interactive": False}
    assert r["cell_timeout_s"] == 600 and r["kernel"] == "social-audit"
    assert r["inputs"]["audit.yml"] == hashlib.sha256((client / "audit.yml").read_bytes()).hexdigest()
    assert r["packages"]["papermill"] and r["packages"]["nbconvert"]
    assert {"execute_s", "baseline_s", "total_s"} <= set(r["timings"])
    broken = next(n for n in r["notebooks"] if n["name"] == "04_broken")
    assert broken["error"]["cell"] is not None and broken["attempts"] == 1


@pytest.mark.slow
def test_baseline_escapes_data_and_shows_the_failure_banner(first):
    p = parse((first.run_dir / "baseline.html").read_text(encoding="utf-8"))
    assert_safe(p)
    assert_anchors_resolve(p)
    text = p.all_text
    for hostile in HOSTILE:  # from mentions.csv (table, narrative) and the ingest report
        assert hostile in text
    banners = p.with_class("audit-banner-failed")
    assert len(banners) == 1
    assert "ValueError: planted failure <script>alert('boom')</script>" in text
    assert "Before the failure: 8 posts." in text  # the failed notebook's output up to the error
    assert "a warning nobody should see" not in text  # stderr
    assert "Traceback" not in text and "planted failure" in text
    for page in sorted((first.run_dir / "notebooks").glob("*.html")):
        assert_safe(parse(page.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_an_earlier_run_is_never_overwritten(first, client, out):
    before = tree_digest(first.run_dir)
    second = run(options(client, out, only=["03"]))
    assert second.exit_code == 0 and second.run_dir != first.run_dir
    assert second.run_dir.name > first.run_dir.name  # run ids sort by time
    assert tree_digest(first.run_dir) == before
    assert (out / "tiny" / "LATEST").read_text().strip() == second.run_dir.name
    assert (out / "tiny" / "latest").resolve() == second.run_dir.resolve()


# --- refused before anything runs (exit code 2) -------------------------------------------

def test_unknown_parameters_are_refused(client, tmp_path):
    nb = nbformat.read(NOTEBOOKS / "03_marketing.ipynb", as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = "\n".join(line for line in params.source.splitlines() if not line.startswith("interactive"))
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    nbformat.write(nb, nbs / "03_marketing.ipynb")
    r = run(RunOptions(client_dir=client, out=tmp_path / "out", notebooks_dir=nbs, ingest=False, progress=False))
    assert r.exit_code == 2 and "03_marketing.ipynb does not declare interactive" in r.message
    r = run(options(client, tmp_path / "out", only=["03"], parameters={"anonymise": True}))
    assert r.exit_code == 2 and "does not declare anonymise" in r.message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("kw,message", [
    (dict(period="2024-13-01:2024-12-31"), "not a date"),
    (dict(period="2024-06-01:2024-01-01"), "before start"),
    (dict(period="2024-01-01"), "START:END"),
    (dict(only=["99_nothing"]), "no notebook '99_nothing'"),
    (dict(kernel="no-such-kernel"), "not installed"),
])
def test_usage_errors(client, tmp_path, kw, message):
    r = run(options(client, tmp_path / "out", **kw))
    assert r.exit_code == 2 and message in r.message and r.run_dir is None


def test_the_kernelspec_is_read_as_jupyter_client_reads_it(client, tmp_path):
    """The runner starts the server from the kernelspec read without jupyter_client (slow to
    import): the same command line, and an unknown kernel is still refused, server or not."""
    from jupyter_client.kernelspec import KernelSpecManager

    from audit.kernels import kernelspec_argv

    assert kernelspec_argv("social-audit") == KernelSpecManager().get_kernel_spec("social-audit").argv
    assert kernelspec_argv("no-such-kernel") is None
    r = run(options(client, tmp_path / "out", kernel="no-such-kernel", kernel_server=None))
    assert r.exit_code == 2 and "not installed" in r.message and r.run_dir is None


def test_a_folder_without_audit_yml_is_refused(tmp_path):
    r = run(options(tmp_path, tmp_path / "out"))
    assert r.exit_code == 2 and "audit.yml" in r.message


def test_period_parsing():
    assert parse_period("2024-01-01:2024-12-31") == ("2024-01-01", "2024-12-31")
    with pytest.raises(UsageError, match="start '' is not a date"):
        parse_period(":2024-12-31")  # both or neither, as the notebooks take it
    assert parse_period(None) == ("", "")


def test_cli_run_usage_error_exit_code(client):
    res = CliRunner().invoke(app, ["run", str(client), "--period", "nonsense", "--no-ingest", "-q"])
    assert res.exit_code == 2


# --- faults: time limits, kernels that do not start, a run killed part-way -----------------

@pytest.mark.slow
def test_a_hanging_cell_is_stopped_by_the_time_limit(client, tmp_path):
    t = time.monotonic()
    r = run(options(client, tmp_path / "out", only=["05"], cell_timeout=10))
    assert time.monotonic() - t < 110  # the cell sleeps 120 s
    assert r.exit_code == 1
    [nb] = r.notebooks
    assert nb["error"]["kind"] == "timeout"
    assert nb["error"]["message"].startswith("the cell beginning `import time` ran longer than the limit of 10 s")
    text = parse((r.run_dir / "baseline.html").read_text(encoding="utf-8")).all_text
    assert "took longer than the time limit" in text and "About to hang." in text
    assert json.loads((r.run_dir / "run.json").read_text())["cell_timeout_s"] == 10


@pytest.mark.slow
def test_a_kernel_that_dies_fails_its_notebook_only(client, tmp_path):
    r = run(options(client, tmp_path / "out", only=["03", "06"]))
    assert r.exit_code == 1
    status = {n["name"]: (n["status"], (n["error"] or {}).get("kind")) for n in r.notebooks}
    assert status == {"03_marketing": ("ok", None), "06_crash": ("failed", "kernel_died")}
    text = parse((r.run_dir / "baseline.html").read_text(encoding="utf-8")).all_text
    assert "its Python kernel died" in text


@pytest.mark.slow
def test_a_kernel_that_fails_to_start_is_started_once_more(client, tmp_path, monkeypatch):
    """A real kernel whose first start fails (it exits at once), the second works."""
    spec = tmp_path / "jupyter" / "kernels" / "flaky-once"
    spec.mkdir(parents=True)
    marker = tmp_path / "started-once"
    launcher = tmp_path / "flaky_kernel.py"
    launcher.write_text(textwrap.dedent(f"""
        import os, runpy, sys
        marker = {str(marker)!r}
        if not os.path.exists(marker):
            open(marker, "w").close()
            sys.exit(3)  # the first start fails
        sys.argv[0] = "ipykernel_launcher"
        runpy.run_module("ipykernel_launcher", run_name="__main__")
    """))
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(launcher), "-f", "{connection_file}"],
        "display_name": "flaky", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    r = run(options(client, tmp_path / "out", only=["03"], kernel="flaky-once", start_timeout=30))
    assert r.exit_code == 0, r.notebooks
    [nb] = r.notebooks
    assert nb["attempts"] == 2 and nb["retry_reason"]
    run_json = json.loads((r.run_dir / "run.json").read_text())
    assert run_json["notebooks"][0]["attempts"] == 2
    text = parse((r.run_dir / "baseline.html").read_text(encoding="utf-8")).all_text
    assert "kernel failed to start on the first attempt" in text


@pytest.mark.slow
def test_a_run_killed_part_way_leaves_earlier_runs_intact_and_no_report(first, client, out):
    reports = out / "tiny"
    visible = lambda: {p.name for p in reports.iterdir() if not p.name.startswith(".")}  # noqa: E731
    published = visible()
    before = {k: v for k, v in tree_digest(reports).items() if not k.startswith(".")}
    cmd = [sys.executable, "-m", "audit.cli", "run", str(client), "--out", str(out), "--notebooks", str(NOTEBOOKS),
           "--only", "05", "--no-ingest", "-q"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not any(p.stat().st_size for p in reports.glob(".tmp-*/logs/05_hang.log")):
            assert proc.poll() is None and time.monotonic() < deadline, "the run did not get to its kernel"
            time.sleep(0.2)
        time.sleep(1)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert visible() == published  # no new report, complete-looking or not
    assert {k: v for k, v in tree_digest(reports).items() if not k.startswith(".")} == before
    assert list(reports.glob(".tmp-*"))  # the killed run's scratch folder, not a report
    again = run(options(client, out, only=["03"]))
    assert again.exit_code == 0
    assert not list(reports.glob(".tmp-*"))  # cleaned up by the next run
    assert (reports / "LATEST").read_text().strip() == again.run_dir.name


@pytest.mark.slow
def test_two_runs_of_one_client_at_once_do_not_clobber_each_other(first, client, out):
    import concurrent.futures as cf

    with cf.ThreadPoolExecutor(2) as pool:
        a, b = pool.map(lambda _: run(options(client, out, only=["03"])), range(2))
    assert a.exit_code == b.exit_code == 0 and a.run_dir != b.run_dir
    for r in (a, b):
        assert json.loads((r.run_dir / "metrics.json").read_text())["missing"][0]["what"] == "ads export"
    newest = max(p.name for p in (out / "tiny").iterdir() if p.name[:1].isdigit())
    assert (out / "tiny" / "LATEST").read_text().strip() == newest


@pytest.mark.slow
def test_batch_runs_every_client_and_reports_each(client, tmp_path):
    other = make_client(tmp_path / "other client")
    empty = tmp_path / "no-config"
    empty.mkdir()
    results = run_batch([client, other, empty], options(Path("."), tmp_path / "out", only=["03"]))
    assert [r.exit_code for r in results] == [0, 0, 2]
    assert batch_exit_code(results) == 2
    table = summary_table(results)
    assert "tiny" in table and "other-client" in table and "no-config" in table and "audit.yml" in table
    shutil.rmtree(tmp_path / "out")


@pytest.mark.slow
def test_the_kernel_server_survives_a_bad_request(client, tmp_path):
    import socket

    server = SERVER["server"]
    if server is None:
        pytest.skip("no warm kernels on this platform")
    server.wait_ready()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(server.address)
        s.sendall((5).to_bytes(8, "big") + b"{nope")
        assert b"error" in s.recv(4096)
    r = run(options(client, tmp_path / "out", only=["03"]))
    assert r.exit_code == 0 and r.notebooks[0]["kernel"] == "warm"


@pytest.mark.slow
def test_the_kernel_server_preloads_the_tables_it_is_asked_for(client, tmp_path):
    server = SERVER["server"]
    if server is None:
        pytest.skip("no warm kernels on this platform")
    assert server.preload(str(client)) is True
    assert server.is_ready()  # asking waited for it: the runner's non-blocking check agrees
    assert server._ask({"preload": str(tmp_path / "no-such-client")}, []) == {"tables": 0}
    r = run(options(client, tmp_path / "out", only=["03"]))  # the runner asks for the client's own tables
    assert r.exit_code == 0 and r.notebooks[0]["kernel"] == "warm"


def test_notebooks_start_longest_first_by_the_latest_run_else_by_size(tmp_path):
    from audit.runner import _expected_seconds

    nbs = []
    for name, size in (("01_a", 300), ("02_b", 100), ("03_c", 200)):
        p = tmp_path / f"{name}.ipynb"
        p.write_text("x" * size)
        nbs.append(p)
    reports = tmp_path / "reports"
    reports.mkdir()
    assert _expected_seconds(nbs, reports) == {"01_a": 300.0, "02_b": 100.0, "03_c": 200.0}  # no run yet
    (reports / "r1").mkdir()
    (reports / "LATEST").write_text("r1\n")
    runs = [{"name": "01_a", "duration_s": 1.0}, {"name": "02_b", "duration_s": 5.0}, {"name": "03_c", "duration_s": 2.5}]
    (reports / "r1" / "run.json").write_text(json.dumps({"notebooks": runs}))
    assert _expected_seconds(nbs, reports) == {"01_a": 1.0, "02_b": 5.0, "03_c": 2.5}
    (reports / "r1" / "run.json").write_text(json.dumps({"notebooks": runs[:2]}))  # 03_c is new: sizes again
    assert _expected_seconds(nbs, reports)["03_c"] == 200.0
