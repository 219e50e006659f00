"""The explorer's HTML: small tables in which every text from the data is escaped and links
open in a new tab without giving the opened page a handle on the notebook."""
from __future__ import annotations

import html
from typing import Any, Iterable, Sequence
from urllib.parse import urlsplit

MAX_CHARS = 180  # longer texts are cut in the lists (the full text is one click away)

STYLE = """<style>
.audit-explore { font-size: 13px; }
.audit-explore .widget-html-content { line-height: 1.45; }
.audit-x-caption { margin: 6px 0 2px; }
.audit-x-caption b { font-size: 14px; }
.audit-x-muted { color: #666; font-size: 12px; }
.audit-x-status { color: #555; min-height: 20px; }
.audit-x-status.busy { color: #0072B2; font-weight: bold; }
.audit-x-status.error { color: #D55E00; }
.audit-x-scroll { max-height: 340px; overflow: auto; border: 1px solid #E6E6E6; border-radius: 3px; }
.audit-x-table { border-collapse: collapse; width: 100%; }
.audit-x-table th { position: sticky; top: 0; background: #F5F5F5; text-align: left; font-weight: 600;
  padding: 4px 8px; border-bottom: 1px solid #DDD; }
.audit-x-table td { padding: 2px 8px; line-height: 1.35; border-bottom: 1px solid #EEE; vertical-align: top; }
.audit-x-table td.num, .audit-x-table th.num { text-align: right; white-space: nowrap; }
.audit-x-table td.date { white-space: nowrap; }
.audit-x-scroll.compact { width: fit-content; max-width: 100%; }
.audit-x-table.compact { width: auto; }
.audit-x-table.compact th, .audit-x-table.compact td { padding-left: 12px; padding-right: 12px; }
.audit-x-table tr.high td { background: #E8F5EF; }
.audit-x-table tr.low td { background: #FBEDE5; }
.audit-x-table td.text { max-width: 520px; }
.audit-x-summary span { margin-right: 18px; }
</style>"""


class Html(str):
    """Markup built here from escaped parts: placed as is."""


def esc(value: Any) -> str:
    return value if isinstance(value, Html) else html.escape("" if value is None else str(value), quote=True)


def cut(text: Any, max_chars: int = MAX_CHARS) -> str:
    t = "" if text is None or (isinstance(text, float) and text != text) else " ".join(str(text).split())
    return t if len(t) <= max_chars else t[: max_chars - 1].rstrip() + "…"


def link(url: Any, text: str = "open") -> Html:
    """A link to a post or mention: only http(s) addresses (never javascript: or data:), escaped,
    opened in a new tab with rel="noopener noreferrer"."""
    u = "" if url is None or (isinstance(url, float) and url != url) else str(url).strip()
    try:
        ok = urlsplit(u).scheme.lower() in ("http", "https") and bool(urlsplit(u).netloc)
    except ValueError:
        ok = False
    if not ok:
        return Html("–")
    return Html(f'<a href="{html.escape(u, quote=True)}" target="_blank" rel="noopener noreferrer">'
                f"{html.escape(text)}</a>")


def table(columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Any]], *, row_classes: Sequence[str] = (),
          more: int = 0, empty: str = "Nothing to show.", compact: bool = False) -> Html:
    """An HTML table: `columns` = (name, 'num', 'date' or 'text'); cells are escaped unless Html.
    `compact`: as wide as its content, not the whole width."""
    rows = list(rows)
    if not rows:
        return Html(f'<p class="audit-x-muted">{esc(empty)}</p>')
    head = "".join(f'<th class="{a}">{esc(n)}</th>' for n, a in columns)
    body = []
    for i, r in enumerate(rows):
        cls = row_classes[i] if i < len(row_classes) and row_classes[i] else ""
        cells = "".join(f'<td class="{a}">{esc(v)}</td>' for (_, a), v in zip(columns, r))
        body.append(f'<tr class="{esc(cls)}">{cells}</tr>' if cls else f"<tr>{cells}</tr>")
    note = f'<p class="audit-x-muted">{more:,} more not shown.</p>' if more > 0 else ""
    more_cls = " compact" if compact else ""
    return Html(f'<div class="audit-x-scroll{more_cls}"><table class="audit-x-table{more_cls}">'
                f'<thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div>{note}')
