"""Benchmark: the demo audit end to end with `audit run`, against the naive loop on the same
notebooks (the papermill command line, then `jupyter nbconvert`, for each notebook in turn).

    .venv/bin/python bench/bench_runner.py                 # data/demo with notebooks/
    .venv/bin/python bench/bench_runner.py --jobs 4 --client data/demo --notebooks notebooks

Both start from the same state: the client's exports already ingested once (untimed), so each
side's own ingest step finds its cache warm. The runner runs `--repeat` times (default 3; the
machine's speed varies between runs) and its median counts. Prints both wall times and their
ratio (targets on the 2-core reference machine: the runner under 15 s and under 0.4x the naive
loop), and writes the figures to bench/out/bench_runner.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import machine  # bench/machine.py

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--client", type=Path, default=ROOT / "data" / "demo")
    ap.add_argument("--notebooks", type=Path, default=ROOT / "notebooks")
    ap.add_argument("--jobs", type=int, default=0, help="runner jobs (default: as `audit run`, one more than the number of cores)")
    ap.add_argument("--only", action="append", help="only these notebooks (as `audit run --only`)")
    ap.add_argument("--no-ingest", action="store_true", help="a client with prepared canonical tables: no ingest")
    ap.add_argument("--skip-naive", action="store_true", help="time the runner only")
    ap.add_argument("--repeat", type=int, default=3,
                    help="runner runs (default 3): the figure is their median, the host's speed varying between runs")
    args = ap.parse_args()

    from audit.runner import RunOptions, run, select_notebooks

    notebooks = select_notebooks(args.notebooks, args.only)
    speed_before = machine.describe("before")
    scratch = Path(tempfile.mkdtemp(prefix="bench-runner-"))
    try:
        if not args.no_ingest:
            _run([BIN / "audit", "ingest", str(args.client), "-q"], check=False)  # warm the ingest cache (untimed)

        runs = []
        for _ in range(max(1, args.repeat)):
            t = time.perf_counter()
            result = run(RunOptions(client_dir=args.client, out=scratch / "reports", notebooks_dir=args.notebooks,
                                    jobs=args.jobs or None, only=args.only, ingest=not args.no_ingest, progress=False))
            seconds = time.perf_counter() - t
            if result.run_dir is None:
                print(f"runner refused the run: {result.message}", file=sys.stderr)
                return 2
            runs.append((seconds, result, json.loads((result.run_dir / "run.json").read_text())["timings"]))
        runner_s, result, phases = sorted(runs, key=lambda r: r[0])[len(runs) // 2]  # the median run

        naive_s = None
        if not args.skip_naive:
            naive_s = naive_loop(args.client, notebooks, scratch / "naive", ingest=not args.no_ingest)

        figures = {
            "notebooks": len(notebooks), "client": str(args.client), "jobs": json.loads(
                (result.run_dir / "run.json").read_text())["jobs"],
            "runner_s": round(runner_s, 2), "runner_runs_s": [round(r[0], 2) for r in runs],
            "runner_exit_code": result.exit_code, "runner_phases_s": phases,
            "naive_s": None if naive_s is None else round(naive_s, 2),
            "ratio": None if naive_s is None else round(runner_s / naive_s, 3),
            "cores": os.cpu_count(),
        }
        print(f"{len(notebooks)} notebooks on {args.client}")
        print(speed_before)
        print(machine.describe("after"))
        print(f"runner (audit run, jobs={figures['jobs']}): {runner_s:6.1f} s, median of "
              f"{', '.join(f'{r[0]:.1f}' for r in runs)}   exit {result.exit_code}   "
              f"phases (median run): {', '.join(f'{k} {v:.1f}' for k, v in phases.items())}")
        if naive_s is not None:
            print(f"naive (papermill CLI + jupyter nbconvert, one after another): {naive_s:6.1f} s")
            print(f"ratio runner / naive: {runner_s / naive_s:.2f}  (target < 0.40; runner target < 15 s)")
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        (out / "bench_runner.json").write_text(json.dumps(figures, indent=2) + "\n")
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def naive_loop(client: Path, notebooks: list[Path], folder: Path, ingest: bool = True) -> float:
    """What one would type by hand: ingest, then per notebook papermill and nbconvert."""
    folder.mkdir(parents=True)
    t = time.perf_counter()
    if ingest:
        _run([BIN / "audit", "ingest", str(client), "-q"], check=False)
    for nb in notebooks:
        executed = folder / nb.name
        _run([BIN / "papermill", str(nb), str(executed), "-k", "social-audit", "--no-progress-bar",
              "-p", "client_dir", str(client.resolve()), "-p", "interactive", "False",
              "-p", "run_dir", str(folder), "-p", "metrics_path", str(folder / f"{nb.stem}.jsonl")],
             check=False, cwd=nb.parent)
        _run([BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", str(executed)], check=False)
    return time.perf_counter() - t


def _run(cmd: list, check: bool, cwd: Path | None = None) -> None:
    subprocess.run([str(c) for c in cmd], check=check, cwd=cwd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    sys.exit(main())
