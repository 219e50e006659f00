"""The `audit` command line. Data problems print as one line each, never a traceback.

Exit codes: 0 all good, 1 some files or notebooks had problems, 2 nothing usable or a usage error."""
from __future__ import annotations

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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
