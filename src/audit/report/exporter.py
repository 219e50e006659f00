"""One nbconvert HTMLExporter, configured once and reused for every page of a run."""
from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from pathlib import Path

from nbconvert.preprocessors import Preprocessor

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "audit_report"

# Cells the client never sees: parameters, papermill's error markers, explicit removals.
DROP_CELL_TAGS = {"parameters", "injected-parameters", "papermill-error-cell-tag", "remove-cell", "remove_cell"}
DROP_OUTPUT_TAGS = {"remove-output", "remove_output"}
# Outputs that would run code or load from elsewhere; nothing of them is shown.
DROP_MIMETYPES = ("application/javascript", "application/vnd.jupyter.widget-view+json",
                  "application/vnd.jupyter.widget-state+json", "text/vnd.mermaid")

# The sanitizer's allow-list: document structure only; no script, style, form, frame or media.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "article", "section", "header",
})
_PLAIN_ATTRS = frozenset({"class", "id", "title", "colspan", "rowspan", "align", "role", "alt", "width", "height",
                          "data-mime-type", "open"})
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in _PLAIN_ATTRS:
        return True
    if tag == "a" and name == "href":
        return value.startswith("#")  # in-page links only: the report makes no request elsewhere
    if tag == "img" and name == "src":
        return value.startswith("data:image/")
    return False


@lru_cache(maxsize=512)  # each output is cleaned for its own page and again for baseline.html
def clean_html(fragment: str) -> str:
    """Keep structure, drop anything that could run or fetch: scripts, styles, event
    handlers, external links and images. Data-derived text is escaped before it gets here;
    this is the second line of defence for HTML a notebook displays directly."""
    import bleach
    from markupsafe import Markup

    fragment = _SCRIPT_OR_STYLE.sub("", str(fragment))
    cleaned = bleach.clean(fragment, tags=ALLOWED_TAGS, attributes=_allowed_attribute,
                           protocols={"data"}, strip=True, strip_comments=True)
    return Markup(cleaned)  # noqa: S704 - sanitized just above


def base64_text(text: str) -> str:
    """A text output (an SVG chart) as base64, for a data URI."""
    import base64

    return base64.b64encode(str(text).encode("utf-8")).decode("ascii")


class ReportPreprocessor(Preprocessor):
    """Prune what the report does not show: parameter cells, error markers, stderr, tracebacks,
    widgets and scripts; code cells left with nothing to show are dropped."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        kept = []
        for cell in nb.cells:
            if "audit_section" in cell.metadata:
                kept.append(cell)
                continue
            tags = set(cell.metadata.get("tags", []))
            if tags & DROP_CELL_TAGS or cell.cell_type == "raw":
                continue
            if cell.cell_type == "code":
                cell.outputs = [] if tags & DROP_OUTPUT_TAGS else [o for o in cell.outputs if _shown(o)]
                if not cell.outputs:
                    continue
            kept.append(cell)
        nb.cells = kept
        return nb, resources


def _shown(output) -> bool:
    if output.output_type == "error":
        return False
    if output.output_type == "stream":
        return output.get("name") == "stdout" and bool(output.get("text", "").strip())
    data = output.get("data", {})
    for mime in DROP_MIMETYPES:
        data.pop(mime, None)
    return bool(data)


def _exporter_class():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        """HTMLExporter without its final BeautifulSoup pass (generic alt texts and tabindex
        attributes for JupyterLab's DOM), which took a third of the conversion time; the
        template gives charts their alt text itself."""

        def from_notebook_node(self, nb, resources=None, **kw):
            lang = nb.metadata.get("language_info", {})
            self.register_filter("highlight_code", Highlight2HTML(
                pygments_lexer=lang.get("pygments_lexer", lang.get("name")), parent=self))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReportExporter


@cache
def exporter():
    """The exporter, created once per process (templates compiled once)."""
    e = _exporter_class()(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
        optimistic_validation=True,  # validate once, not after every preprocessor
    )
    e.register_preprocessor(ReportPreprocessor, enabled=True)
    e.register_filter("audit_clean", clean_html)
    e.register_filter("audit_base64", base64_text)
    e.log.setLevel(logging.ERROR)  # e.g. "alternative text is missing" for every chart
    return e
