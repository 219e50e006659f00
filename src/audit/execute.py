"""Execute one notebook with papermill, in a fresh kernel of its own.

The runner calls `execute_notebook(task)` from a pool of threads (the kernels are separate
processes; the threads only drive them). Each notebook gets a per-cell time limit, one more
try when its kernel does not start, its kernel's own output in a log file, and an outcome
that is returned, never raised. `stop_all()` kills the kernels still running (Ctrl-C).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
import time
from pathlib import Path

ENGINE = "audit"


class _QuietTimeoutTasks(logging.Filter):
    """After a cell times out, nbclient leaves its output-polling task pending; asyncio then
    reports it at exit. The timeout is already in run.json and the report."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Task was destroyed but it is pending")


logging.getLogger("asyncio").addFilter(_QuietTimeoutTasks())
_live: set = set()  # kernel managers of the notebooks running now
_live_lock = threading.Lock()
_registered = False


def execute_notebook(task: dict) -> dict:
    """Run `task["input"]` into `task["output"]` with `task["parameters"]`; return its entry
    for run.json: status, timings, attempts and, on failure, what went wrong and where."""
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    _register_engine()
    params = task["parameters"]
    # record() also finds its file through the environment, should a notebook not configure it.
    env = {**os.environ, "AUDIT_METRICS_PATH": params["metrics_path"], "AUDIT_NOTEBOOK": task["name"],
           "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    started_at, t0 = _now(), time.perf_counter()
    retry_reason = None
    with open(task["log"], "ab") as log:
        for attempt in (1, 2):
            state = {"kernel_ready": False, "cell": None, "first_line": ""}
            # A warm (forked) kernel first; should it not start, a standard one the second time.
            warm = attempt == 1 and task.get("kernel_manager_class") is not None
            try:
                papermill.execute_notebook(
                    task["input"], task["output"], parameters=params, engine_name=ENGINE,
                    kernel_name=task["kernel"], progress_bar=False, log_output=False,
                    start_timeout=task["start_timeout"], execution_timeout=task["cell_timeout"],
                    shutdown_kernel="immediate", kernel_env=env, kernel_cwd=task["cwd"], kernel_log=log,
                    kernel_manager_class=task["kernel_manager_class"] if warm else None,
                    on_notebook_start=lambda **kw: state.update(kernel_ready=True),
                    on_cell_start=lambda cell=None, cell_index=None, **kw: state.update(
                        cell=cell_index, first_line=_first_line(cell)),
                )
                return entry(task, "ok", started_at, t0, attempt, retry_reason, kernel="warm" if warm else "fresh")
            except PapermillExecutionError as e:
                err = {"kind": "exception", "ename": e.ename, "evalue": e.evalue, "cell": e.cell_index,
                       "message": f"{e.ename}: {e.evalue}"}
            except CellTimeoutError:
                err = {"kind": "timeout", "cell": state["cell"],
                       "message": f"the cell beginning `{state['first_line']}` ran longer than the limit of "
                                  f"{task['cell_timeout']:g} s per cell, so the notebook was stopped there"}
            except DeadKernelError as e:
                err = {"kind": "kernel_died", "cell": state["cell"], "message": f"the kernel died ({e})"}
            except Exception as e:  # noqa: BLE001 - every failure becomes the notebook's outcome
                if not state["kernel_ready"] and attempt == 1:
                    retry_reason = f"{type(e).__name__}: {e}"[:300]
                    continue
                kind = "kernel_start" if not state["kernel_ready"] else "internal"
                err = {"kind": kind, "message": f"{type(e).__name__}: {e}"[:1000]}
            return entry(task, "failed", started_at, t0, attempt, retry_reason, err, kernel="warm" if warm else "fresh")
    raise AssertionError("unreachable")


def entry(task: dict, status: str, started_at: str | None = None, t0: float | None = None,
          attempts: int = 1, retry_reason: str | None = None, error: dict | None = None,
          kernel: str | None = None) -> dict:
    return {
        "name": task["name"], "status": status, "started_at": started_at, "ended_at": _now(),
        "duration_s": round(time.perf_counter() - t0, 3) if t0 is not None else None,
        "attempts": attempts, "retry_reason": retry_reason, "kernel": kernel, "error": error,
        "output": f"notebooks/{Path(task['output']).name}",
    }


def stop_all() -> None:
    """Kill every kernel still running (their notebooks then end as failed)."""
    with _live_lock:
        kms = list(_live)
    for km in kms:
        pid = getattr(km.provisioner, "pid", None) if km.provisioner else None
        if pid:
            try:
                os.killpg(pid, signal.SIGKILL) if hasattr(os, "killpg") else os.kill(pid, signal.SIGTERM)
            except OSError:
                pass


def _register_engine() -> None:
    """papermill's nbclient engine, with the kernel's environment, working folder and output
    file set per notebook (papermill can only set these process-wide), and its kernel tracked."""
    global _registered
    if _registered:
        return
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import remove_args

    class AuditEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     kernel_env=None, kernel_cwd=None, kernel_log=None, **kwargs):
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            if kwargs.get("kernel_manager_class") is None:
                kwargs.pop("kernel_manager_class", None)
            client = PapermillNotebookClient(nb_man, timeout=execution_timeout, startup_timeout=start_timeout,
                                             kernel_name=kernel_name, log=logger, log_output=log_output,
                                             stdout_file=stdout_file, stderr_file=stderr_file, **kwargs)
            client.km = client.create_kernel_manager()
            with _live_lock:
                _live.add(client.km)
            # papermill writes (and validates) the whole notebook before and after every cell: most of
            # the runner's own CPU time. Here it is written once, by papermill's notebook_complete,
            # which runs when the notebook ends whichever way (a timeout and a dead kernel included).
            save, nb_man.save = nb_man.save, _no_save
            try:
                return client.execute(env=kernel_env, cwd=kernel_cwd, stdout=kernel_log, stderr=kernel_log)
            finally:
                nb_man.save = save
                with _live_lock:
                    _live.discard(client.km)

    papermill_engines.register(ENGINE, AuditEngine)
    _registered = True


def _no_save(**kwargs) -> None:
    pass


def _first_line(cell) -> str:
    lines = [x for x in (getattr(cell, "source", "") or "").splitlines() if x.strip()]
    return (lines[0].strip()[:60] + ("…" if len(lines[0].strip()) > 60 else "")) if lines else ""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
