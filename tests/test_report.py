"""The report pages, rendered from executed notebooks built here (no kernel needed): structure,
escaping of everything that comes from data, and nothing that runs or fetches."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from audit import display, load_config
from audit.metrics.registry import get as registry_get
from audit.report import baseline_page, notebook_page, section_title
from audit.report import context
from audit.report.exporter import clean_html
from audit.report.formatting import format_duration, format_interval, format_value
from fixtures.tiny_client.checks import HOSTILE, assert_anchors_resolve, assert_safe, parse

TINY = Path(__file__).parent / "fixtures" / "tiny_client"
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
SCRIPT, IMG = HOSTILE
SVG_CHART = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(2)">'
             '<script>alert(3)</script><text>&lt;script&gt;alert(1)&lt;/script&gt;</text></svg>')


@pytest.fixture(scope="module")
def config():
    return load_config(TINY)


def executed(title: str, failed: bool = False):
    """An executed notebook as papermill leaves it, with every kind of output."""
    mentions = pd.DataFrame({"author": [IMG, "bob"], "text": [f"{SCRIPT} tasty", "fine"], "reach": [10.0, 2.5]})
    table_html, _ = display.render_table(mentions, "Mentions")
    say_html, _ = display.render_say("Top author **{a}** wrote {t}", a=IMG, t=SCRIPT)
    cells = []
    if failed:
        err = new_markdown_cell('<span style="color:red">An Exception was encountered at '
                                '<a href="#papermill-error-cell">In [3]</a>.</span>')
        err.metadata["tags"] = ["papermill-error-cell-tag"]
        cells.append(err)
    cells.append(new_markdown_cell(f"# {title}\n\nWhat people say about the brand."))
    params = new_code_cell('client_dir: str = "x"')
    params.metadata["tags"] = ["parameters"]
    injected = new_code_cell('client_dir = "/secret/path"')
    injected.metadata["tags"] = ["injected-parameters"]
    escaped = {"audit": {"escaped": True}}  # as audit.display marks its output
    shown = new_code_cell("...", outputs=[
        new_output("display_data", data={"text/html": table_html, "text/plain": "t"}, metadata=escaped),
        new_output("display_data", data={"text/html": say_html, "text/plain": "s"}),
        new_output("stream", name="stdout", text="printed <b>value</b>\n"),
        new_output("stream", name="stderr", text="SECRET-STDERR\n"),
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        # a chart whose labels come from data (matplotlib escapes them; a hostile SVG would still be inert)
        new_output("display_data", data={"image/svg+xml": SVG_CHART, "text/plain": "<Figure>"}),
        # notebook-authored HTML with data pasted in unescaped: the sanitizer's job
        new_output("display_data", data={"text/html": f'<p onclick="steal()">Raw {IMG} {SCRIPT}'
                                                      '<a href="http://evil.example/x">link</a></p>'}),
        new_output("display_data", data={"text/markdown": f"{IMG} [click](http://evil.example/) {SCRIPT}"}),
        new_output("execute_result", data={"text/html": mentions.to_html(), "text/plain": "df"}, execution_count=4),
        new_output("display_data", data={"application/javascript": "alert('js')", "text/plain": "js"}),
        new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "1"}}),
    ])
    hidden = new_code_cell("secret", outputs=[new_output("stream", name="stdout", text="SECRET-REMOVED\n")])
    hidden.metadata["tags"] = ["remove-cell"]
    cells += [params, injected, shown, hidden]
    if failed:
        cells.append(new_code_cell("raise", outputs=[new_output(
            "error", ename="ValueError", evalue="boom", traceback=["SECRET-TRACEBACK line"])]))
    nb = new_notebook(cells=cells)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def run_info(entries):
    return {
        "run_id": "20240701T080000Z-abc123", "started_at": "2024-07-01T08:00:00+00:00", "version": "0.1.0",
        "kernel": "social-audit", "jobs": 2, "cell_timeout_s": 600, "timings": {"total_s": 12.5},
        "parameters": {"period_start": "", "period_end": "", "interactive": False},
        "notebooks": entries, "inputs": {f"{IMG}.csv": "0" * 64, "audit.yml": "1" * 64},
        "packages": {"social-audit": "0.1.0", "nbconvert": "7.17.2"}, "command": "audit run x",
    }


OK = {"name": "01_brand_health", "status": "ok", "duration_s": 3.2, "attempts": 1, "error": None,
      "output": "notebooks/01_brand_health.ipynb"}
FAILED = {"name": "02_website", "status": "failed", "duration_s": 1.0, "attempts": 2,
          "retry_reason": "RuntimeError: Kernel died before replying to kernel_info",
          "error": {"kind": "exception", "message": f"ValueError: planted {SCRIPT}"},
          "output": "notebooks/02_website.ipynb"}


def metrics_doc(config):
    m = lambda metric, value, **kw: {"metric": metric, "value": value, "notebook": "01_brand_health",  # noqa: E731
                                     "direction": registry_get(metric).direction, "unit": registry_get(metric).unit,
                                     "name": registry_get(metric).name, **kw}
    return {
        "metrics": [
            m("brand_health.mentions", 6, n=6, account="Tiny Bakery"),
            m("brand_health.sentiment_negative", 1 / 3, n=6, low=0.1, high=0.7, account="Tiny Bakery"),
            m("brand_health.mentions", 2, n=2, account="Crumbs & Co"),
            m("experience.response_rate", None, n=3, account="Tiny Bakery", label=SCRIPT),
        ],
        "findings": [
            {"id": "a", "direction": "customer_experience", "severity": "low", "title": "Low one", "detail": "",
             "notebook": "01_brand_health"},
            {"id": "b", "direction": "brand_health", "severity": "high", "title": f"Negative {SCRIPT}",
             "detail": IMG, "notebook": "01_brand_health"},
            {"id": "c", "direction": "innovation", "severity": "info", "title": "Info only", "detail": "",
             "notebook": "02_website"},
            {"id": "b", "direction": "brand_health", "severity": "high", "title": "shown again by a summary",
             "detail": "", "notebook": "02_website"},
        ],
        "missing": [{"what": "ads export", "notebook": "02_website"}],
        "meta": [],
    }


@pytest.fixture(scope="module")
def baseline(config):
    items = [(OK, executed("Brand health")), (FAILED, executed("Website", failed=True))]
    ingest = json.loads((TINY / "ingest_report.json").read_text())
    html = baseline_page(items, config=config, run=run_info([OK, FAILED]), metrics=metrics_doc(config),
                         ingest=ingest, registry_get=registry_get)
    return html


def test_baseline_is_safe_and_self_contained(baseline):
    p = parse(baseline)
    assert_safe(p)
    assert_anchors_resolve(p)
    # the figures are embedded; an SVG chart as an image (its markup never enters the page)
    assert any(t == "img" and a.get("src", "").startswith("data:image/png;base64,") for t, a in p.elements)
    svg = [a["src"] for t, a in p.elements if t == "img" and a.get("src", "").startswith("data:image/svg+xml;base64,")]
    assert svg and all(base64.b64decode(src.split(",", 1)[1]).decode() == SVG_CHART for src in svg)
    assert not any(t in ("svg", "text") for t, _ in p.elements)


def test_data_derived_text_is_shown_escaped_not_run(baseline):
    p = parse(baseline)
    text = p.all_text
    for s in HOSTILE:
        assert s in text  # shown to the reader as text...
    assert "Tiny Bakery <b>&</b> Co" in text  # the client's name, from audit.yml
    assert "b" not in [t for t, _ in p.elements]  # ...never an element
    # the only images are embedded charts; the raw HTML's <img> lost its source (and handler)
    assert all(a.get("src", "data:").startswith("data:") for t, a in p.elements if t == "img")


def test_what_a_client_must_not_see_is_gone(baseline):
    text = parse(baseline).all_text
    for secret in ("SECRET-STDERR", "SECRET-TRACEBACK", "SECRET-REMOVED", "/secret/path", "alert('js')",
                   "An Exception was encountered"):
        assert secret not in text
    assert "printed <b>value</b>" in text  # stdout stays, escaped


def test_cover_summary_toc_sections_and_appendices(baseline, config):
    p = parse(baseline)
    ids = p.ids()
    for anchor in ("cover", "summary", "contents", "section-01_brand_health", "section-02_website",
                   "appendix-data-quality", "appendix-definitions", "appendix-run",
                   "def-brand_health.mentions", "def-brand_health.sentiment_negative"):
        assert anchor in ids
    text = p.all_text
    assert "1 January 2024 – 30 June 2024" in text  # the period from audit.yml
    assert "Sales" in text and "Engagement" in text  # objectives
    # section titles come from each notebook's heading, shown once (the heading cell is folded in)
    assert text.count("Website") >= 2  # TOC and section header
    toc = [a["href"] for t, a in p.elements if t == "a" and a.get("href", "").startswith("#section-")]
    assert list(dict.fromkeys(toc)) == ["#section-01_brand_health", "#section-02_website"]


def test_failed_section_has_a_banner_and_the_rest_is_intact(baseline):
    p = parse(baseline)
    banners = p.with_class("audit-banner-failed")
    assert len(banners) == 1
    text = p.all_text
    assert f"ValueError: planted {SCRIPT}" in text
    assert "could not be completed" in text
    assert "kernel failed to start on the first attempt" in text  # the retry, stated
    assert "What people say about the brand." in text  # the failed notebook's content before the error


def test_compass_status_and_figures(config):
    cards = {d["id"]: d for d in context.compass(metrics_doc(config), config)}
    assert list(cards) == list(context.COMPASS)
    assert cards["brand_health"]["status"] == "attention"  # a high finding
    assert cards["customer_experience"]["status"] == "ok"  # low finding + a figure
    assert cards["innovation"]["status"] == "ok"  # an info finding: there is data, nothing wrong
    assert cards["operational_efficiency"]["status"] == "nodata"
    figures = cards["brand_health"]["figures"]
    assert [f["label"] for f in figures] == ["Mention volume", "Negative share"]  # the brand's, not the competitor's
    assert figures[0]["value"] == "6" and figures[1]["value"] == "33.3 %"
    assert figures[1]["interval"] == "95 % CI 10.0 % – 70.0 %" and figures[1]["n"] == "n = 6"
    assert cards["customer_experience"]["figures"][0]["value"] == "not enough data"
    assert cards["generating_returns"]["objective"] and cards["customer_experience"]["objective"]
    assert not cards["innovation"]["objective"]


def test_findings_ranked_by_severity_info_left_in_sections(config):
    sections = [context.section(0, OK, "Brand health")]
    fs = context.findings(metrics_doc(config), config, sections)
    assert [f["severity"] for f in fs] == ["high", "low"]
    assert fs[0]["section_anchor"] == "section-01_brand_health"


def test_notebook_page(config):
    html = notebook_page(executed("Website", failed=True), FAILED, config=config, run=run_info([FAILED]))
    p = parse(html)
    assert_safe(p)
    assert len(p.with_class("audit-banner-failed")) == 1
    assert "Executive summary" not in p.all_text


def test_a_notebook_that_never_ran_still_gets_its_section(config):
    entry = {**FAILED, "error": {"kind": "kernel_start", "message": "RuntimeError: no kernel"}}
    p = parse(notebook_page(None, entry, config=config, run=run_info([entry])))
    assert "its Python kernel did not start" in p.all_text


def test_section_title():
    assert section_title(executed("Brand health", failed=True), "01_x") == "Brand health"
    assert section_title(new_notebook(cells=[new_markdown_cell("no heading")]), "03_brand_health") == "Brand health"
    assert section_title(None, "website") == "Website"


def test_sanitizer_keeps_structure_drops_everything_active():
    out = clean_html('<div class="x"><table><tr><td>1</td></tr></table><style>td{}</style>'
                     '<a href="javascript:alert(1)">j</a><a href="#ok">ok</a>'
                     '<img src="https://cdn.example/x.png"><img src="data:image/png;base64,AA==">'
                     '<svg onload="alert(1)"></svg><iframe src="x"></iframe></div>')
    p = parse(str(out))
    assert_safe(p)
    assert ("a", {"href": "#ok"}) in p.elements
    assert any(t == "img" and a.get("src", "").startswith("data:") for t, a in p.elements)
    assert "td{}" not in p.all_text and "table" in [t for t, _ in p.elements]


def test_display_helpers_escape_values_not_the_trusted_template():
    html, plain = display.render_say("**{n:,}** mentions by {who}; rate {r:.1%}", n=1234, who=IMG, r=0.5)
    p = parse(html)
    assert ("strong", {}) in p.elements  # the template's markdown
    assert "img" not in [t for t, _ in p.elements]  # the value's HTML is text
    assert IMG in p.all_text and "1,234" in p.all_text and "50.0%" in p.all_text
    assert plain == f"**1,234** mentions by {IMG}; rate 50.0%"
    html, _ = display.render_table(pd.DataFrame({"a": [SCRIPT] * 30, "n": range(30)}), f"Caption {IMG}",
                                   max_rows=5)
    p = parse(html)
    assert [t for t, _ in p.elements].count("tr") == 6  # header + 5 rows
    assert "25 more rows not shown." in p.all_text and SCRIPT in p.all_text
    assert_safe(p)


@pytest.mark.parametrize("value,unit,expected", [
    (0.1234, "fraction", "12.3 %"), (1234.5, "currency", "1,234 EUR"), (12.5, "currency", "12.50 EUR"),
    (45, "seconds", "45 s"), (5400, "seconds", "1 h 30 min"), (2.5, "hours", "2 h 30 min"),
    (0.04166, "ratio", "0.0417"), (3.21, "ratio", "3.21"), (0.0661, "rate", "6.6 %"), (1.25, "rate", "125.0 %"), (2.25, "per_week", "2.2 per week"),
    (1234, "count", "1,234"), (12.5, "count", "12.5"), (None, "count", "not enough data"),
])
def test_format_value(value, unit, expected):
    assert format_value(value, unit, "EUR") == expected


def test_format_helpers():
    assert format_interval(None, 1) == ""
    assert format_duration(3 * 86400) == "3.0 days"


def test_missing_finding_and_kpis_are_escaped_and_recorded(monkeypatch):
    from audit import record as rec

    shown = []
    monkeypatch.setattr(display, "_show", lambda html, plain: shown.append((html, plain)))
    rec.reset()
    display.missing(f"ads export {IMG}")
    display.finding({"id": "x.y", "direction": "brand_health", "severity": "high", "title": SCRIPT, "detail": IMG})
    display.kpis(rec.record("channels.posts", 12, n=12, account=IMG), rec.record("channels.link_ctr", 0.25, n=40))
    assert [r["kind"] for r in rec.recorded()] == ["missing", "finding", "metric", "metric"]
    rec.reset()
    assert shown[0][1] == f"No ads export {IMG} in this folder, so this section is skipped."
    for html, _ in shown:
        p = parse(html)
        assert_safe(p)
        assert "img" not in [t for t, _ in p.elements] and "script" not in [t for t, _ in p.elements]
    assert SCRIPT in parse(shown[1][0]).all_text
    kpis = parse(shown[2][0]).all_text
    assert "Posts published" in kpis and "25.0 %" in kpis and "n = 40" in kpis and IMG in kpis


def test_prepare_renders_an_empty_page_without_error(config):
    from audit.report import prepare

    prepare(config)  # the runner calls this while its kernel server imports; pages still render after it
    assert "What people say about the brand." in parse(notebook_page(executed("Brand health"), OK, config=config,
                                                                       run=run_info([OK]))).all_text
