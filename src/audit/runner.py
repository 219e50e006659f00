"""`audit run`: execute a client's notebooks into a new, complete report folder.

    ingest (when the exports changed) → check every notebook's parameters → run the notebooks
    with papermill, in parallel, each in a fresh kernel → per-notebook HTML as each finishes →
    metrics.json → baseline.html → run.json → publish the folder atomically.

A run writes into `reports/<client>/.tmp-<run_id>/` and renames it to `<run_id>` only when
everything is written, so an interrupted run never leaves a report that looks complete and
never touches an earlier one; the `latest` pointer (a symlink and a LATEST file) moves last.
A notebook that fails or hangs (per-cell time limit) gets a banner in the report and the run
carries on; a kernel that fails to start is started once more.

Exit codes: 0 every notebook succeeded, 1 some failed (the report is still written),
2 usage or data errors (nothing was run).
"""
from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import functools
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import secrets
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# jsonschema (which nbformat imports) compiles the IRI grammar of the optional rfc3987-syntax
# package when it is imported: about two seconds per process, for a format check that neither
# nbformat nor the audit uses. The runner's process goes without it.
sys.modules.setdefault("rfc3987_syntax", None)

from . import __version__  # noqa: E402
from .errors import AuditError, UsageError  # noqa: E402
from .paths import KERNEL_NAME, NOTEBOOKS_DIR, cache_dir  # noqa: E402

if TYPE_CHECKING:
    from .config import AuditConfig

# Every notebook declares these in its `parameters` cell; the runner sets them all.
STANDARD_PARAMETERS = ("client_dir", "period_start", "period_end", "run_dir", "metrics_path", "interactive")
DEFAULT_CELL_TIMEOUT = 600  # seconds one cell may run before the notebook is stopped
START_TIMEOUT = 60  # seconds a kernel may take to start (then it is started once more)
NOTEBOOK_PATTERN = re.compile(r"^\d\d_[A-Za-z0-9_]+\.ipynb$")
TMP_PREFIX = ".tmp-"
LATEST = "latest"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass
class RunOptions:
    client_dir: Path
    out: Path = Path("reports")
    notebooks_dir: Path = NOTEBOOKS_DIR
    jobs: int | None = None  # default: one more than the number of cores (see default_jobs)
    only: list[str] | None = None  # notebook names, numbers or names without the number
    period: str | None = None  # "START:END" (ISO dates; either side may be empty)
    cell_timeout: float = DEFAULT_CELL_TIMEOUT
    start_timeout: float = START_TIMEOUT
    kernel: str = KERNEL_NAME
    ingest: bool = True
    progress: bool = True
    warm_kernels: bool = True  # fork kernels from a process that has the libraries imported (POSIX)
    kernel_server: Any = None  # a running audit.kernels.KernelServer to use (and leave running)
    parameters: dict[str, Any] = field(default_factory=dict)  # extra parameters every notebook declares


@dataclass
class RunResult:
    exit_code: int
    client: str
    run_dir: Path | None = None
    notebooks: list[dict] = field(default_factory=list)
    message: str = ""
    duration_s: float = 0.0

    @property
    def failed(self) -> list[str]:
        return [n["name"] for n in self.notebooks if n["status"] != "ok"]


def run(options: RunOptions) -> RunResult:
    """Run one client's audit; never raises for usage or data problems (exit code 2)."""
    t0 = time.perf_counter()
    client = Path(options.client_dir).name or str(options.client_dir)
    try:
        result = _run(options, t0)
    except AuditError as e:
        return RunResult(EXIT_USAGE, client, message=str(e), duration_s=time.perf_counter() - t0)
    except OSError as e:  # a file vanished or a disk filled up: nothing was published
        return RunResult(EXIT_USAGE, client, message=f"{type(e).__name__}: {e}", duration_s=time.perf_counter() - t0)
    return result


# --- preparation: everything that can be refused before anything runs -------------------

def _run(o: RunOptions, t0: float) -> RunResult:
    started_at = _now()
    client_dir = Path(o.client_dir).resolve()
    if not client_dir.is_dir():
        raise UsageError(f"{o.client_dir}: not a folder")
    notebooks = select_notebooks(Path(o.notebooks_dir), o.only)
    own_server = o.kernel_server is None
    # Started first: the server imports the libraries (seconds) while the rest gets ready here.
    given = o.kernel_server if o.warm_kernels and getattr(o.kernel_server, "kernel_name", None) == o.kernel else None
    server = _start_kernel_server(o, notebooks) if own_server else given
    try:
        _check_kernel(o.kernel)
        from .config import load_config  # after the server started: pydantic takes a while to import

        config = load_config(client_dir)
        slug = client_slug(client_dir)
        period_start, period_end = parse_period(o.period)
        jobs = max(1, o.jobs or default_jobs())
        base_params = {"client_dir": str(client_dir), "period_start": period_start, "period_end": period_end,
                       "interactive": False, **o.parameters}
        check_parameters(notebooks, [*base_params, "run_dir", "metrics_path"])
        return _run_prepared(o, t0, started_at, client_dir, config, slug, notebooks, jobs, base_params, server)
    finally:
        if server is not None and own_server:
            server.stop()


def _run_prepared(o: RunOptions, t0: float, started_at: str, client_dir: Path, config: AuditConfig, slug: str,
                  notebooks: list[Path], jobs: int, base_params: dict, server) -> RunResult:
    timings: dict[str, float] = {}
    ingest_report, inputs = _ingest(client_dir, config, o, timings)
    # What the report needs at the end, done now while the server is still importing and a core
    # would idle; once it is ready, the notebooks come first and the rest is done when needed.
    for prepare in (functools.partial(_prepare_report, config), _read_metric_registry):
        if server is None or server.is_ready():
            break
        prepare()
    kernel_mode, manager_class = _use_kernel_server(server, timings, client_dir)

    client_reports = _client_reports_dir(Path(o.out), slug)
    _remove_stale_runs(client_reports)
    run_id = new_run_id()
    tmp = client_reports / f"{TMP_PREFIX}{run_id}"
    tmp.mkdir()
    lock = _hold_lock(tmp / ".lock")
    try:
        (tmp / "notebooks").mkdir()
        (tmp / "metrics").mkdir()
        (tmp / "logs").mkdir()
        run_info = {
            "run_id": run_id, "client": config.client, "client_dir": str(client_dir),
            "report_dir": str(client_reports / run_id), "started_at": started_at,
            "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            "version": __version__, "python": platform.python_version(), "platform": platform.platform(),
            "kernel": o.kernel, "kernels": kernel_mode, "jobs": jobs, "cell_timeout_s": o.cell_timeout, "start_timeout_s": o.start_timeout,
            "kernel_start_attempts": 2,
            "parameters": {k: v for k, v in base_params.items() if k != "client_dir"},
            "notebooks_dir": str(Path(o.notebooks_dir).resolve()),
            "inputs": inputs, "packages": package_versions(), "errors": [],
        }
        entries, executed = _execute_all(notebooks, tmp, base_params, o, jobs, config, run_info, timings,
                                         manager_class)
        run_info["notebooks"] = entries
        t = time.perf_counter()
        metrics = merge_metrics(tmp / "metrics", [n.stem for n in notebooks], run_info)
        shutil.rmtree(tmp / "metrics")
        _write_json(tmp / "metrics.json", metrics)
        failed = [e for e in entries if e["status"] != "ok"]
        run_info["status"] = "failed" if failed else "ok"
        run_info["exit_code"] = EXIT_FAILED if failed else EXIT_OK
        run_info["timings"] = {**timings, "total_s": round(time.perf_counter() - t0, 3)}
        _write_baseline(tmp, entries, executed, config, run_info, metrics, ingest_report)
        timings["baseline_s"] = round(time.perf_counter() - t, 3)
        run_info["ended_at"] = _now()
        run_info["timings"] = {**timings, "total_s": round(time.perf_counter() - t0, 3)}
        _write_json(tmp / "run.json", run_info)
        if not lock.held:
            lock.close()  # no advisory lock here (Windows): an open file would block the rename
        final = _publish(tmp, client_reports, run_id)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # never leave a half-written run behind
        raise
    finally:
        lock.close()
    (final / ".lock").unlink(missing_ok=True)
    _update_latest(client_reports, final.name)
    return RunResult(run_info["exit_code"], slug, final, entries,
                     f"{len(entries) - len(failed)} of {len(entries)} notebooks succeeded",
                     time.perf_counter() - t0)


def default_jobs() -> int:
    """One notebook more than there are cores: a kernel waits between cells (messages, the
    driver's bookkeeping) and while it starts, and the extra one uses those gaps."""
    return (os.cpu_count() or 1) + 1


def client_slug(client_dir: Path) -> str:
    """The client's folder name in reports/: its own folder name, made safe; anything that
    could climb out of the reports folder is refused."""
    name = Path(client_dir).resolve().name
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    if not slug or slug in (".", ".."):
        raise UsageError(f"{client_dir}: cannot name a report folder after this client folder")
    return slug


def parse_period(period: str | None) -> tuple[str, str]:
    """'2024-01-01:2024-12-31' → ('2024-01-01', '2024-12-31'); None or "" → the default period."""
    if not period:
        return "", ""
    if period.count(":") != 1:
        raise UsageError(f"--period {period!r}: expected START:END, e.g. 2024-01-01:2024-12-31")
    start, end = (p.strip() for p in period.split(":"))
    days = []
    for label, value in (("start", start), ("end", end)):
        try:
            days.append(dt.date.fromisoformat(value))
        except ValueError:
            raise UsageError(f"--period: {label} {value!r} is not a date (YYYY-MM-DD)") from None
    if days[1] < days[0]:
        raise UsageError(f"--period: end {end} is before start {start}")
    return start, end


def select_notebooks(notebooks_dir: Path, only: list[str] | None) -> list[Path]:
    """The notebooks `NN_name.ipynb` in reading order, or those named in `only` ("03",
    "03_brand_health" or "brand_health")."""
    if not notebooks_dir.is_dir():
        raise UsageError(f"{notebooks_dir}: no notebooks folder")
    found = sorted(p for p in notebooks_dir.iterdir() if NOTEBOOK_PATTERN.match(p.name))
    if not found:
        raise UsageError(f"{notebooks_dir}: no notebooks named NN_name.ipynb")
    if not only:
        return found
    wanted = [w.strip().removesuffix(".ipynb") for item in only for w in item.split(",") if w.strip()]
    chosen = []
    for w in wanted:
        match = [p for p in found if w in (p.stem, p.stem[:2], p.stem[3:])]
        if not match:
            names = ", ".join(p.stem for p in found)
            raise UsageError(f"--only: no notebook {w!r} (there are: {names})")
        chosen += [p for p in match if p not in chosen]
    return sorted(chosen)


def check_parameters(notebooks: list[Path], names: list[str]) -> None:
    """Refuse a run whose parameters a notebook does not declare (papermill only warns, and the
    notebook would then silently run on its defaults), and a notebook missing a standard one."""
    import papermill

    problems = []
    for nb in notebooks:
        declared = set(papermill.inspect_notebook(str(nb)))
        unknown = [n for n in names if n not in declared]
        if unknown:
            problems.append(f"{nb.name} does not declare {', '.join(unknown)}")
    if problems:
        raise UsageError(
            "unknown notebook parameters: " + "; ".join(problems) + ". Every notebook's cell tagged "
            "`parameters` declares each as `name: type = value  # help` (one `=` per line, none in the help)")


def start_kernel_server(kernel: str, notebooks: list[Path], start_timeout: float = START_TIMEOUT):
    """Start the warm-kernel server (see audit.kernels) for the kernelspec's Python, or return
    None when warm kernels cannot be used here (not POSIX, not an ipykernel kernelspec)."""
    from . import kernels

    argv = kernels.kernelspec_argv(kernel)
    if argv is None:  # not in a kernel.json where Jupyter keeps them: jupyter_client knows where else to look
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        try:
            argv = KernelSpecManager().get_kernel_spec(kernel).argv
        except NoSuchKernel:
            return None  # the runner refuses the run itself
    if not (kernels.available() and "-m" in argv
            and argv[argv.index("-m") + 1:argv.index("-m") + 2] == ["ipykernel_launcher"]):
        return None
    server = kernels.KernelServer(argv[:argv.index("-m")], kernels.notebook_imports(notebooks),
                                  start_timeout=start_timeout)
    server.kernel_name = kernel
    return server


def _start_kernel_server(o: RunOptions, notebooks: list[Path]):
    return start_kernel_server(o.kernel, notebooks, o.start_timeout) if o.warm_kernels else None


def _use_kernel_server(server, timings: dict, client_dir: Path) -> tuple[str, type | None]:
    """Wait for the server to be ready and have it read the client's tables (the ingest is
    done); say which kernels the notebooks get, and give the kernel manager class that forks
    them (None: standard kernels)."""
    if server is None:
        return "fresh: one new kernel process per notebook", None
    t = time.perf_counter()
    try:
        server.wait_ready()
        server.preload(str(client_dir))
    except RuntimeError as e:
        return f"fresh: one new kernel process per notebook ({e})", None
    finally:
        timings["kernel_server_wait_s"] = round(time.perf_counter() - t, 3)
    return ("warm: one new kernel process per notebook, forked from a process with the libraries imported",
            server.kernel_manager_class())


def _check_kernel(name: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise UsageError(f"Jupyter kernel {name!r} is not installed; run `python3 dev.py setup`") from None


def _ingest(client_dir: Path, config: AuditConfig, o: RunOptions, timings: dict) -> tuple[dict | None, dict]:
    """Bring the canonical tables up to date (ingest re-parses only exports whose content
    changed) and return the ingest report and the SHA-256 of every input file."""
    t = time.perf_counter()
    have_ingest = importlib.util.find_spec("audit.ingest.pipeline") is not None
    report = None
    if o.ingest and have_ingest:
        from .ingest import state

        # nothing changed: the stored report, without importing pandas and the parsers here
        report = state.unchanged_report(client_dir, state.settings_key(config), state.file_digests(client_dir))
        if report is None:
            from .ingest import ingest

            report = ingest(client_dir, progress=o.progress, config=config).to_dict()
        if not any(report["tables"].values()):
            raise UsageError(f"{client_dir}: no export could be read; see `audit ingest {client_dir}`")
    elif (cache_dir(client_dir) / "ingest_report.json").exists():
        report = json.loads((cache_dir(client_dir) / "ingest_report.json").read_text(encoding="utf-8"))
    elif not cache_dir(client_dir).is_dir():
        raise UsageError(f"{client_dir}: no canonical tables; run `audit ingest {client_dir}` first")
    timings["ingest_s"] = round(time.perf_counter() - t, 3)
    from .ingest.state import sha256_of

    inputs = {"audit.yml": sha256_of(client_dir / "audit.yml")}
    if o.ingest and report:
        inputs |= {f["file"]: f["sha256"] for f in report.get("files", [])}
    elif have_ingest:
        from .ingest.state import file_digests

        inputs |= file_digests(client_dir)
    return report, inputs


# --- execution -----------------------------------------------------------------------------

def _execute_all(notebooks: list[Path], tmp: Path, base_params: dict, o: RunOptions, jobs: int,
                 config: AuditConfig, run_info: dict, timings: dict, manager_class) -> tuple[list[dict], dict]:
    """Run the notebooks `jobs` at a time, each in its own kernel; as each finishes, convert it
    to HTML here with the one exporter while the others still run."""
    from tqdm.auto import tqdm

    from .execute import entry, execute_notebook, stop_all

    t = time.perf_counter()
    tasks = []
    for nb in notebooks:
        params = {**base_params, "run_dir": str(tmp), "metrics_path": str(tmp / "metrics" / f"{nb.stem}.jsonl")}
        tasks.append({"name": nb.stem, "input": str(nb), "output": str(tmp / "notebooks" / nb.name),
                      "parameters": params, "kernel": o.kernel, "cell_timeout": o.cell_timeout,
                      "start_timeout": o.start_timeout, "cwd": str(nb.parent),
                      "log": str(tmp / "logs" / f"{nb.stem}.log"), "kernel_manager_class": manager_class})
    # The longest first, so that no long notebook starts last while the other workers idle.
    expected = _expected_seconds(notebooks, Path(run_info["report_dir"]).parent)
    queue = sorted(tasks, key=lambda task: -expected[task["name"]])
    entries: dict[str, dict] = {}
    executed: dict[str, Any] = {}
    html_s = 0.0
    bar = tqdm(total=len(tasks), desc=f"audit {Path(base_params['client_dir']).name}", unit="notebook",
               disable=not o.progress)
    pool = cf.ThreadPoolExecutor(max_workers=min(jobs, len(tasks)), thread_name_prefix="notebook")
    futures = {pool.submit(execute_notebook, task): task for task in queue}
    try:
        for fut in cf.as_completed(futures):
            task = futures[fut]
            try:
                result = fut.result()
            except Exception as e:  # noqa: BLE001 - a bug in the driver fails one notebook, not the run
                result = entry(task, "failed", error={"kind": "internal", "message": f"{type(e).__name__}: {e}"})
            h = time.perf_counter()
            nb = _read_notebook(Path(task["output"]))
            result["html"] = _write_notebook_html(nb, result, tmp, config, run_info)
            html_s += time.perf_counter() - h
            entries[task["name"]] = result
            executed[task["name"]] = nb
            bar.update(1)
            if result["status"] != "ok":
                bar.write(f"  {task['name']}: failed: {result['error']['message']}")
    except BaseException:
        for f in futures:
            f.cancel()
        stop_all()  # the running notebooks end at once (their kernels are gone)
        raise
    finally:
        pool.shutdown(wait=True)
        bar.close()
    timings["execute_s"] = round(time.perf_counter() - t, 3)
    timings["notebook_html_s"] = round(html_s, 3)  # overlapped with the execution of the others
    return [entries[task["name"]] for task in tasks], executed


def _expected_seconds(notebooks: list[Path], client_reports: Path) -> dict[str, float]:
    """How long each notebook should take: its time in the client's latest run when every one of
    them ran there, else its size (charts and tables make both the file and the time grow)."""
    try:
        latest = json.loads((client_reports / (client_reports / "LATEST").read_text().strip() / "run.json")
                            .read_text(encoding="utf-8"))
        before = {e["name"]: float(e["duration_s"]) for e in latest["notebooks"] if e.get("duration_s") is not None}
    except (OSError, ValueError, KeyError, TypeError):
        before = {}
    if all(nb.stem in before for nb in notebooks):
        return {nb.stem: before[nb.stem] for nb in notebooks}
    return {nb.stem: float(nb.stat().st_size) for nb in notebooks}


def _prepare_report(config: AuditConfig) -> None:
    from .report import prepare

    try:
        prepare(config)
    except Exception:  # noqa: BLE001 - an optimisation only: the pages are built (and fail) later if at all
        pass


def _read_metric_registry() -> None:
    try:
        from .metrics.registry import all_metrics

        all_metrics()  # imports every metrics module: the definitions appendix reads them
    except Exception:  # noqa: BLE001 - an optimisation only, as above
        pass


def _read_notebook(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None  # never started, or cut short mid-write: the section shows its banner only


def _write_notebook_html(nb, entry: dict, tmp: Path, config: AuditConfig, run_info: dict) -> str:
    from .report import notebook_page

    rel = f"notebooks/{entry['name']}.html"
    _write_text(tmp / rel, notebook_page(nb, entry, config=config, run=run_info))
    return rel


def _write_baseline(tmp: Path, entries: list[dict], executed: dict, config: AuditConfig, run_info: dict,
                    metrics: dict, ingest_report: dict | None) -> None:
    from .report import baseline_page

    try:
        from .metrics.registry import get as registry_get
    except ImportError:
        registry_get = None
    page = baseline_page([(e, executed.get(e["name"])) for e in entries], config=config, run=run_info,
                         metrics=metrics, ingest=ingest_report, registry_get=registry_get)
    _write_text(tmp / "baseline.html", page)


def merge_metrics(folder: Path, order: list[str], run_info: dict) -> dict:
    """The per-notebook JSON lines, in reading order, as one metrics.json. A line that cannot
    be read (a notebook killed mid-write) is reported in run.json and skipped."""
    out = {"run_id": run_info["run_id"], "client": run_info["client"],
           "metrics": [], "findings": [], "missing": [], "meta": []}
    kinds = {"metric": "metrics", "finding": "findings", "missing": "missing", "meta": "meta"}
    for name in order:
        path = folder / f"{name}.jsonl"
        if not path.exists():
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            try:
                rec = json.loads(line)
                bucket = kinds[rec.pop("kind")]
            except (ValueError, KeyError, AttributeError):
                run_info["errors"].append(f"{name}: recorded line {i} could not be read and was skipped")
                continue
            rec["notebook"] = name  # the file says which notebook wrote it, whatever it claimed
            out[bucket].append(rec)
    return out


# --- publishing: atomic, never over an earlier run ----------------------------------------

def new_run_id() -> str:
    """Sortable by time, unique across concurrent runs: 20250101T120000Z-1a2b3c."""
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def _client_reports_dir(out: Path, slug: str) -> Path:
    out = out.resolve()
    target = (out / slug).resolve()
    if target.parent != out:
        raise UsageError(f"report folder {target} would be outside {out}")
    target.mkdir(parents=True, exist_ok=True)
    return target


def _publish(tmp: Path, client_reports: Path, run_id: str) -> Path:
    final = client_reports / run_id
    if final.exists():  # a run id is never reused; refuse rather than overwrite
        raise AuditError(f"{final} already exists; not overwriting an earlier run")
    _fsync_dir(tmp)
    os.rename(tmp, final)
    _fsync_dir(client_reports)
    return final


def _update_latest(client_reports: Path, run_id: str) -> None:
    """Point `latest` (symlink) and LATEST (text file) at the newest run, under a lock so two
    runs finishing together cannot leave them pointing at the older one."""
    with _hold_lock(client_reports / ".latest.lock", blocking=True):
        current = (client_reports / "LATEST").read_text().strip() if (client_reports / "LATEST").exists() else ""
        if current and current > run_id and (client_reports / current).is_dir():
            return
        tmp_file = client_reports / f".LATEST.{run_id}"
        tmp_file.write_text(run_id + "\n")
        os.replace(tmp_file, client_reports / "LATEST")
        link_tmp = client_reports / f".latest.{run_id}"
        try:
            os.symlink(run_id, link_tmp, target_is_directory=True)
            os.replace(link_tmp, client_reports / LATEST)
        except OSError:  # no symlinks here (e.g. Windows without the privilege): LATEST suffices
            link_tmp.unlink(missing_ok=True)


def _remove_stale_runs(client_reports: Path) -> None:
    """Remove the temporary folders of runs that were killed (their lock is free; without
    advisory locks, those a day old)."""
    try:
        import fcntl  # noqa: F401
    except ImportError:
        fcntl = None
    for tmp in client_reports.glob(f"{TMP_PREFIX}*"):
        lock_path = tmp / ".lock"
        age = time.time() - tmp.stat().st_mtime
        if fcntl is None or not lock_path.exists():
            if age > (86400 if fcntl is None else 60):  # not one being created right now
                shutil.rmtree(tmp, ignore_errors=True)
            continue
        try:
            lock = _hold_lock(lock_path, blocking=False)
        except BlockingIOError:
            continue  # a live run owns it
        lock.close()
        shutil.rmtree(tmp, ignore_errors=True)


class _Lock:
    def __init__(self, f, held: bool):
        self.f = f
        self.held = held  # an advisory lock is held (POSIX), not just the file open

    def close(self) -> None:
        self.f.close()  # closing the file releases the lock

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _hold_lock(path: Path, blocking: bool = False) -> _Lock:
    """An exclusive advisory lock, released when the file is closed or the process dies."""
    f = open(path, "a+")
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; stale runs are removed after a day
        return _Lock(f, held=False)
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except BlockingIOError:
        f.close()
        raise
    return _Lock(f, held=True)


# --- small helpers ----------------------------------------------------------------------

def package_versions() -> dict[str, str]:
    """This toolkit and every dependency it declares, as installed."""
    names = ["social-audit"]
    try:
        reqs = importlib.metadata.requires("social-audit") or []
    except importlib.metadata.PackageNotFoundError:
        reqs = []
    names += [re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0] for r in reqs if "extra ==" not in r]
    out = {}
    for n in names:
        try:
            out[n] = importlib.metadata.version(n)
        except importlib.metadata.PackageNotFoundError:
            out[n] = "not installed"
    return out


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def _write_json(path: Path, data: dict) -> None:
    _write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- many clients ---------------------------------------------------------------------------

def run_batch(client_dirs: list[Path], template: RunOptions) -> list[RunResult]:
    """Run each client in turn (each one's notebooks in parallel); a client that fails does
    not stop the others. One warm-kernel server serves every client of the batch."""
    from dataclasses import replace

    server = None
    if template.warm_kernels and template.kernel_server is None:
        try:
            _check_kernel(template.kernel)
            server = start_kernel_server(template.kernel, select_notebooks(Path(template.notebooks_dir),
                                                                          template.only), template.start_timeout)
        except UsageError:
            server = None  # each run then reports the problem itself
    try:
        opts = replace(template, kernel_server=server) if server else template
        return [run(replace(opts, client_dir=Path(d))) for d in client_dirs]
    finally:
        if server is not None:
            server.stop()


def batch_exit_code(results: list[RunResult]) -> int:
    return max((r.exit_code for r in results), default=EXIT_OK)


def summary_table(results: list[RunResult]) -> str:
    """One line per client: status, notebooks that succeeded, time, report or error."""
    rows = [("client", "status", "notebooks", "time", "report")]
    for r in results:
        status = {EXIT_OK: "ok", EXIT_FAILED: "failed", EXIT_USAGE: "error"}.get(r.exit_code, str(r.exit_code))
        done = f"{len(r.notebooks) - len(r.failed)}/{len(r.notebooks)}" if r.notebooks else "-"
        where = str(r.run_dir / "baseline.html") if r.run_dir else r.message
        rows.append((r.client, status, done, f"{r.duration_s:.1f} s", where))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row[:4], widths)) + "  " + row[4] for row in rows)
