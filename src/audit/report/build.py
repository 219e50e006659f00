"""Render the report pages with the one exporter: each notebook's page, and baseline.html,
which is every executed notebook of the run merged (one section each) between a cover, an
executive summary, a table of contents and the appendices."""
from __future__ import annotations

import copy
import re
from typing import Any

import nbformat

from . import context
from .exporter import DROP_CELL_TAGS, exporter

_H1 = re.compile(r"^\s*#\s+(.+?)\s*#*\s*$")


def section_title(nb: Any, name: str) -> str:
    """The notebook's first-level heading, else its file name in words ("03_brand_health" →
    "Brand health")."""
    for cell in _content_cells(nb.cells if nb is not None else []):
        if cell.cell_type == "markdown":
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            m = _H1.match(first)
            if m:
                return m.group(1)
            break
    words = name.split("_", 1)[1] if name[:2].isdigit() and "_" in name else name
    return words.replace("_", " ").capitalize()


def notebook_page(nb: Any, entry: dict, *, config: Any, run: dict, metrics: dict | None = None) -> str:
    """The HTML page of one executed notebook (`nb` is None when it never ran)."""
    metrics = metrics or {}
    title = section_title(nb, entry["name"])
    sec = context.section(0, entry, title)
    ctx = {
        "mode": "notebook",
        "cover": context.cover(config, run, metrics),
        "run": _run_brief(run),
        "sections": [sec],
    }
    merged = _merge([(sec, nb)], f"{title} — {config.client}")
    return _render(merged, ctx, config)


def prepare(config: Any) -> None:
    """Import nbconvert and compile the report's templates now, by rendering an empty page: the
    runner does this while its kernel server is still importing, when a core would idle."""
    notebook_page(nbformat.v4.new_notebook(), {"name": "00_prepare", "status": "ok"}, config=config, run={})


def baseline_page(items: list[tuple[dict, Any]], *, config: Any, run: dict, metrics: dict,
                  ingest: dict | None, registry_get=None) -> str:
    """baseline.html: `items` are (run.json notebook entry, executed notebook or None) in
    reading order."""
    sections = [context.section(i, entry, section_title(nb, entry["name"])) for i, (entry, nb) in enumerate(items)]
    ctx = {
        "mode": "baseline",
        "cover": context.cover(config, run, metrics),
        "run": _run_brief(run),
        "sections": sections,
        "compass": context.compass(metrics, config),
        "findings": context.findings(metrics, config, sections),
        "appendix": {
            "data_quality": context.data_quality(ingest, metrics, sections),
            "definitions": context.definitions(metrics, registry_get),
            "run": context.run_appendix(run),
        },
    }
    merged = _merge([(s, nb) for s, (_, nb) in zip(sections, items)], f"Social media baseline — {config.client}")
    return _render(merged, ctx, config)


def _run_brief(run: dict) -> dict:
    return {"run_id": run.get("run_id", ""), "version": run.get("version", "")}


def _merge(parts: list[tuple[dict, Any]], title: str):
    """One notebook holding every section: a marker cell (rendered as the section's header and
    banner by the template), then the section's cells without its title heading."""
    merged = nbformat.v4.new_notebook()
    merged.metadata["title"] = title
    for sec, nb in parts:
        merged.cells.append(nbformat.v4.new_raw_cell("", metadata={"audit_section": sec["index"]}))
        if nb is None:
            continue
        if not merged.metadata.get("language_info") and nb.metadata.get("language_info"):
            merged.metadata["language_info"] = nb.metadata["language_info"]
        cells = [copy.copy(c) for c in nb.cells]  # what _merge changes: source, id (nbconvert copies the rest)
        _drop_title_heading(cells)
        for i, cell in enumerate(cells):  # ids unique across the merged notebooks
            cell["id"] = f"s{sec['index']}-{i}"
        merged.cells.extend(cells)
    return merged


def _content_cells(cells: list) -> list:
    """The notebook's own cells (not papermill's error markers or the parameter cells)."""
    return [c for c in cells if not set(c.metadata.get("tags", [])) & DROP_CELL_TAGS]


def _drop_title_heading(cells: list) -> None:
    for cell in _content_cells(cells):
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.strip().splitlines()
        if lines and _H1.match(lines[0]):
            rest = "\n".join(lines[1:]).strip()
            if rest:
                cell.source = rest
            else:
                cells.remove(cell)
        return


def _render(nb, ctx: dict, config: Any) -> str:
    e = exporter()
    e.language_code = getattr(config, "language", "en") or "en"
    body, _ = e.from_notebook_node(nb, resources={"audit": ctx})
    return body
