"""The `audit` command line. Data problems print as one line each, never a traceback.

Exit codes: 0 all good, 1 some files or notebooks had problems, 2 nothing usable or a usage error."""
from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

import typer

from .errors import AuditError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Social media baseline audits from a client's own platform exports.")


def _fail(e: Exception) -> None:
    typer.secho(f"error: {e}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


@app.command()
def ingest(client_dir: Path = typer.Argument(..., help="client folder holding audit.yml and the exports"),
           quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar")) -> None:
    """Recognise every export in CLIENT_DIR and store canonical tables in CLIENT_DIR/.audit/."""
    from .ingest import ingest as run_ingest
    try:
        report = run_ingest(client_dir, progress=not quiet)
    except AuditError as e:
        _fail(e)
    for f in report.files:
        tables = ", ".join(f"{t} {n}" for t, n in f.tables.items()) or "no rows"
        mark = {"ok": "ok ", "problems": "!! ", "error": "xx ", "unrecognised": "?? "}[f.status]
        typer.echo(f"{mark} {f.file}  [{', '.join(f.formats) or '-'}]  {tables}")
        for e in f.errors:
            typer.secho(f"     error: {e}", fg=typer.colors.RED, err=True)
        for w in f.warnings:
            typer.secho(f"     warning: {w}", fg=typer.colors.YELLOW, err=True)
    totals = ", ".join(f"{t} {n}" for t, n in report.tables.items() if n)
    typer.echo(f"{len(report.files)} files, {len(report.problems)} with problems; tables: {totals or 'none'}")
    raise typer.Exit(report.exit_code)


@app.command()
def export(client_dir: Path = typer.Argument(..., help="client folder (ingested if needed)"),
           out: Path = typer.Option(..., "--out", help="folder to write one CSV per canonical table into"),
           anonymize: bool = typer.Option(False, "--anonymize", help="replace people's names by pseudonyms")) -> None:
    """Write the canonical tables as spreadsheet-safe CSV files (formulas neutralised, UTF-8 with BOM)."""
    from .config import load_config
    from .ingest import ingest as run_ingest
    from .privacy import anonymize_tables, to_spreadsheet_csv
    from .tables import load_tables
    try:
        config = load_config(client_dir)
        run_ingest(client_dir, progress=False, config=config)
    except AuditError as e:
        _fail(e)
    frames = load_tables(client_dir).frames
    if anonymize or config.anonymize:
        frames = anonymize_tables(frames, config)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in frames.items():
        target = out / f"{name}.csv"
        to_spreadsheet_csv(df, target)
        typer.echo(f"{target}  {len(df)} rows")


@app.command()
def formats() -> None:
    """List the export formats the toolkit recognises."""
    from .ingest.registry import load_formats
    for f in sorted(load_formats().values(), key=lambda f: f.id):
        typer.echo(f"{f.id:32} {f.label}  → {', '.join(f.tables) or '(metadata only)'}")


_JOBS = typer.Option(0, "--jobs", "-j", help="notebooks run at once (default: one more than the number of cores)")
_TIMEOUT = typer.Option(600.0, "--timeout", help="seconds one cell may run before its notebook is stopped")
_NOTEBOOKS = typer.Option(None, "--notebooks", help="folder of NN_name.ipynb notebooks (default: the project's)")


@app.command("run")
def run_(client_dir: Path = typer.Argument(..., help="client folder holding audit.yml and the exports"),
         out: Path = typer.Option(Path("reports"), "--out", help="reports folder; the run goes to OUT/<client>/<run_id>/"),
         jobs: int = _JOBS,
         only: list[str] = typer.Option(None, "--only", help="run only these notebooks (e.g. 03 or brand_health; repeat or comma-separate)"),
         period: str = typer.Option(None, "--period", help="START:END in YYYY-MM-DD (default: audit.yml, else the 12 months before the latest data)"),
         timeout: float = _TIMEOUT,
         notebooks: Path = _NOTEBOOKS,
         no_ingest: bool = typer.Option(False, "--no-ingest", help="use the canonical tables already in CLIENT_DIR/.audit/"),
         anonymize: bool = typer.Option(False, "--anonymize", help="replace people's names and handles by stable pseudonyms"),
         quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar")) -> None:
    """Run the audit notebooks on CLIENT_DIR and write the baseline report."""
    from .runner import RunOptions, run

    opts = RunOptions(client_dir=client_dir, out=out, jobs=jobs or None, only=only or None, period=period,
                      cell_timeout=timeout, ingest=not no_ingest, progress=not quiet,
                      parameters={"anonymize": True} if anonymize else {})
    if notebooks is not None:
        opts.notebooks_dir = notebooks
    result = run(opts)
    if result.run_dir is None:
        typer.secho(f"error: {result.message}", fg=typer.colors.RED, err=True)
    else:
        color = typer.colors.GREEN if result.exit_code == 0 else typer.colors.YELLOW
        typer.secho(f"{result.message} in {result.duration_s:.1f} s", fg=color, err=True)
        for name in result.failed:
            typer.secho(f"  failed: {name}", fg=typer.colors.RED, err=True)
        typer.echo(result.run_dir / "baseline.html")
    raise typer.Exit(result.exit_code)


@app.command("batch")
def batch(client_dirs: list[Path] = typer.Argument(..., help="client folders"),
          out: Path = typer.Option(Path("reports"), "--out", help="reports folder"),
          jobs: int = _JOBS,
          timeout: float = _TIMEOUT,
          notebooks: Path = _NOTEBOOKS,
          anonymize: bool = typer.Option(False, "--anonymize", help="replace people's names and handles by stable pseudonyms"),
          quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bars")) -> None:
    """Run the audit for many clients, one after the other; print a summary table."""
    from .runner import RunOptions, batch_exit_code, run_batch, summary_table

    template = RunOptions(client_dir=Path("."), out=out, jobs=jobs or None, cell_timeout=timeout, progress=not quiet,
                          parameters={"anonymize": True} if anonymize else {})
    if notebooks is not None:
        template.notebooks_dir = notebooks
    results = run_batch(client_dirs, template)
    typer.echo(summary_table(results))
    raise typer.Exit(batch_exit_code(results))


@app.command("demo-data")
def demo_data(out: Path = typer.Option(..., "--out", help="folder to write the fictional client into (new or empty)"),
              scale: int = typer.Option(1, "--scale", min=1, help="1 = the shipped demo; 100 ≈ a million mentions"),
              seed: int = typer.Option(None, "--seed", help="random seed (default: the shipped demo's)"),
              quiet: bool = typer.Option(False, "--quiet", "-q", help="no per-source timings")) -> None:
    """Generate the fictional demo client (real export formats, planted findings); deterministic per seed."""
    from .demo import DEFAULT_SEED, generate

    def report(name: str, seconds: float) -> None:
        if not quiet:
            typer.echo(f"{name:<12} {seconds:6.1f} s")
    try:
        generate(out, scale=scale, seed=DEFAULT_SEED if seed is None else seed, progress=report)
    except AuditError as e:
        _fail(e)
    typer.echo(f"demo client written to {out} (scale {scale})")


def main() -> None:
    """The console script. Once the command is done (its files written and closed), the process
    leaves without tearing down the interpreter: with pandas, matplotlib and the Jupyter clients
    loaded, that teardown alone took half a second after every `audit run`. The atexit handlers
    still run."""
    try:
        app()
    except SystemExit as e:
        code = e.code
    else:
        code = 0
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()  # noqa: SLF001 - what a normal exit runs first
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`audit formats | head`)
            pass
    os._exit(code or 0)


if __name__ == "__main__":
    main()
