"""What notebooks show besides charts: narrative, tables, findings, key figures and the
one-sentence note for a section whose data is missing.

Everything that can carry text from the data goes through an autoescaping Jinja template
(or is escaped before it is placed in trusted markdown), so a mention that contains
`<script>` is shown, never run. Each helper displays its output at once and returns None.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import numbers
import string
from functools import cache
from typing import Any, Callable

from . import record as _record
from .paths import PACKAGE_DIR
from .report.formatting import format_interval, format_n, format_number, format_value

SNIPPETS = PACKAGE_DIR / "report" / "templates" / "snippets"
_TOKEN = "zqauditvalue{}zq"  # stands in for a value while the trusted markdown is rendered
MAX_CHARS = 280  # longer texts in table cells are cut (the full text stays in the data)


def say(template: str, /, **values: Any) -> None:
    """Narrative written from computed numbers: `text` is trusted markdown written in the
    notebook, with `{name}` / `{name:.1%}` placeholders filled from `values` (data), which are
    escaped. `say("**{n:,}** mentions; the most followed author is {author}.", n=n, author=a)`."""
    html_text, plain = render_say(template, **values)
    _show(html_text, plain)


def table(df: Any, caption: str, *, formats: dict[str, Any] | None = None, max_rows: int = 25,
          index: bool = False, note: str | None = None, max_chars: int = MAX_CHARS) -> None:
    """A DataFrame as an escaped HTML table with a caption.

    `formats` maps a column to a unit of the metric registry ("fraction", "currency", "seconds",
    "count"...), a format spec such as "{:.1%}", or a function. Only the first `max_rows` rows
    are shown, with a note saying how many were left out."""
    html_text, plain = render_table(df, caption, formats=formats, max_rows=max_rows, index=index,
                                    note=note, max_chars=max_chars)
    _show(html_text, plain)


def missing(what: str) -> None:
    """The one sentence a section shows when its data is absent, e.g. missing("ads export")."""
    sentence = f"No {what} in this folder, so this section is skipped."
    _record.record_missing(what)
    _show(_template("missing.html.j2").render(sentence=sentence), sentence)


def finding(f: Any, *, record: bool = True) -> None:
    """Show a finding (an audit.metrics.findings.Finding or a dict with id, direction,
    severity, title, detail) and record it for the report's executive summary."""
    entry = _record.record_finding(f) if record else _finding_dict(f)
    plain = f"[{entry['severity']}] {entry['title']} {entry.get('detail') or ''}".strip()
    _show(_template("finding.html.j2").render(f=entry), plain)


def kpis(*entries: dict, currency: str | None = None) -> None:
    """A row of key-figure cards from what `record(...)` returned:
    `kpis(record("channels.followers", est), record(...))`."""
    cards = [_card(e, currency) for e in entries]
    plain = "; ".join(f"{c['label']}: {c['value']}" for c in cards)
    _show(_template("kpis.html.j2").render(cards=cards), plain)


# --- rendering (separate from display so it can be tested without a kernel) --------------

def render_say(template: str, /, **values: Any) -> tuple[str, str]:
    fmt = string.Formatter()
    parts, subs = [], []
    for literal, field, spec, conversion in fmt.parse(template):
        parts.append(literal)
        if field is None:
            continue
        if not field:
            raise ValueError("say: name every placeholder, e.g. {n}")
        obj, _ = fmt.get_field(field, (), values)
        obj = fmt.convert_field(obj, conversion)
        subs.append(fmt.format_field(obj, spec) if spec else _auto(obj))
        parts.append(_TOKEN.format(len(subs) - 1))
    rendered = _markdown()("".join(parts)).strip()
    plain = "".join(parts)
    for i, s in enumerate(subs):
        rendered = rendered.replace(_TOKEN.format(i), html.escape(s))
        plain = plain.replace(_TOKEN.format(i), s)
    return f'<div class="audit-say">{rendered}</div>', plain


def render_table(df: Any, caption: str, *, formats: dict[str, Any] | None = None, max_rows: int = 25,
                 index: bool = False, note: str | None = None, max_chars: int = MAX_CHARS) -> tuple[str, str]:
    import pandas as pd

    if not caption or not str(caption).strip():
        raise ValueError("table: every table needs a caption")
    frame = df.reset_index() if index else df
    shown = frame.head(max_rows)
    formats = formats or {}
    columns = []
    for name in shown.columns:
        numeric = pd.api.types.is_numeric_dtype(shown[name]) and not pd.api.types.is_bool_dtype(shown[name])
        columns.append({"name": str(name), "align": "num" if numeric else "text"})
    rows = [
        [{"text": _cell(v, formats.get(col), max_chars), "align": c["align"]}
         for col, c, v in zip(shown.columns, columns, values)]
        for values in shown.itertuples(index=False, name=None)
    ]
    more = len(frame) - len(shown)
    out = _template("table.html.j2").render(caption=str(caption), columns=columns, rows=rows,
                                            more=more, note=note)
    plain = f"{caption}\n{shown.to_string(index=False, max_colwidth=60)}"
    return out, plain


# --- internals --------------------------------------------------------------------------

def _show(html_text: str, plain: str) -> None:
    from IPython.display import display

    # The metadata tells the report that this HTML was built escaped (it skips the sanitizer).
    display({"text/html": html_text, "text/plain": plain}, metadata={"audit": {"escaped": True}}, raw=True)


def prepare() -> None:
    """Compile the snippet templates and the markdown parser now, not at a notebook's first table
    (the runner's kernel server calls this once; the kernels it forks inherit them)."""
    for path in sorted(SNIPPETS.glob("*.j2")):
        _template(path.name)
    _markdown()


@cache
def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(SNIPPETS), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _template(name: str):
    return _env().get_template(name)


@cache
def _markdown():
    import mistune

    # escape=True: raw HTML in the markdown is shown as text; no autolinking of bare URLs.
    return mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])


def _auto(obj: Any) -> str:
    if _record._is_estimate(obj):
        obj = obj.value
    if isinstance(obj, numbers.Real) and not isinstance(obj, bool):
        return format_number(float(obj)) if math.isfinite(float(obj)) else "n/a"
    return str(obj)


def _cell(v: Any, how: str | Callable | None, max_chars: int) -> str:
    import pandas as pd

    if v is None or (not isinstance(v, str) and pd.api.types.is_scalar(v) and pd.isna(v)):
        return "–"
    if callable(how):
        text = str(how(v))
    elif isinstance(how, str) and "{" in how:
        text = how.format(v)
    elif isinstance(how, str):
        text = format_value(v, how)
    elif isinstance(v, bool):
        text = "yes" if v else "no"
    elif isinstance(v, numbers.Real):
        text = format_number(float(v))
    elif isinstance(v, pd.Timestamp) or isinstance(v, dt.datetime):
        ts = pd.Timestamp(v)
        text = ts.strftime("%Y-%m-%d") if (ts.hour, ts.minute, ts.second) == (0, 0, 0) else ts.strftime("%Y-%m-%d %H:%M")
    else:
        text = str(v)
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def _finding_dict(f: Any) -> dict:
    get = f.get if isinstance(f, dict) else (lambda k, d=None: getattr(f, k, d))
    return {k: get(k) for k in ("id", "direction", "severity", "title", "detail")}


def _card(e: dict, currency: str | None) -> dict:
    label = e.get("name") or e.get("metric")
    qualifier = " · ".join(str(x) for x in (e.get("account"), e.get("platform"), e.get("label")) if x)
    currency = e.get("currency") or currency  # the figure's own currency, when it was recorded with one
    return {
        "label": label,
        "qualifier": qualifier,
        "value": format_value(e.get("value"), e.get("unit"), currency),
        "n": format_n(e.get("n")),
        "interval": format_interval(e.get("low"), e.get("high"), e.get("unit"), currency),
        "anchor": f"def-{e.get('metric')}",
    }
