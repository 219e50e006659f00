"""docs/formats.md lists every registered format and the accepted headers of the toolkit's own
layouts; its generated parts must match the code."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from audit.ingest.registry import load_formats

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location("gen_formats_doc", ROOT / "tools" / "gen_formats_doc.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_formats_doc_is_current():
    gen = _tool()
    current = gen.DOC.read_text(encoding="utf-8")
    assert current == gen.render(current), "docs/formats.md is stale: run python tools/gen_formats_doc.py"


def test_formats_doc_names_every_format_and_documents_the_layouts():
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for fid in load_formats():
        assert f"| `{fid}` |" in text, fid
    for region in ("formats", "columns:mentions", "columns:inbox", "columns:reviews", "columns:surveys"):
        start, end = text.index(f"<!-- generated: {region} -->"), text.index(f"<!-- end generated: {region} -->")
        assert text[start:end].count("\n| `") >= 5, region  # the table was rendered, not left empty
