#!/usr/bin/env python3
"""Refresh the generated parts of docs/formats.md from the format registry and alias tables.

The page is written by hand; the parts between `<!-- generated: NAME -->` and
`<!-- end generated: NAME -->` are rendered here: the table of every format id (`formats`) and
the accepted headers of the toolkit's own layouts (`columns:<alias table>`).

    python tools/gen_formats_doc.py          # rewrite the generated parts
    python tools/gen_formats_doc.py --check  # exit 1 when docs/formats.md is out of date
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "formats.md"
REGION = re.compile(r"(<!-- generated: (?P<name>[\w:.]+) -->\n)(?P<body>.*?)(<!-- end generated: (?P=name) -->)", re.S)

# What the extra (non-schema) names of the alias tables mean.
EXTRA = {
    "time": "time of day, when the date column has none (Brand24 `Hour`)",
    "likes": "likes / reactions; with comments and shares they make `engagement` when the tool gives none",
    "comments": "comments / replies",
    "shares": "shares / reposts",
    "platform": "the network or source category, normalised (x, facebook, instagram, tiktok, youtube, linkedin, "
                "news, blogs, forums, web, reviews, podcasts, other)",
    "project": "the tool's project / search / query: mapped to the brand or a competitor through audit.yml names, "
               "handles and keywords",
    "channel": "where the message came in (Facebook, Messenger, Instagram DM, X, e-mail, chat, web form, phone...): "
               "becomes the row's `platform`, and `kind` when that column is empty",
    "account": "brand, competitor, shop or place the row is about (names and handles of audit.yml)",
}


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def formats_table() -> str:
    from audit.ingest.registry import load_formats
    rows = ["| format id | what it reads | platform | tables |", "| --- | --- | --- | --- |"]
    for f in sorted(load_formats().values(), key=lambda f: f.id):
        tables = ", ".join(f"`{t}`" for t in f.tables) or "(recognised, no rows)"
        rows.append(f"| `{f.id}` | {_cell(f.label)} | `{f.platform}` | {tables} |")
    return "\n".join(rows) + "\n"


def columns_table(which: str) -> str:
    from audit import schemas
    from audit.ingest.formats import customer_care as C, listening as L
    from audit.ingest.values import norm_header
    tables = {"mentions": (L.ALIASES, "mentions"), "inbox": (C.INBOX, "inbox"), "reviews": (C.REVIEWS, "reviews"),
              "surveys": (C.SURVEYS, "surveys")}
    aliases, table = tables[which]
    docs = {c.name: c.doc for c in schemas.columns(table)}
    rows = ["| column | meaning | headers also accepted |", "| --- | --- | --- |"]
    for name, names in aliases.items():
        seen = {norm_header(name)}
        shown = []
        for n in names:  # headers are compared case-insensitively: show each spelling once
            if norm_header(n) not in seen:
                seen.add(norm_header(n))
                shown.append(n)
        other = ", ".join(f"`{_cell(n)}`" for n in shown)
        rows.append(f"| `{name}` | {_cell(docs.get(name) or EXTRA.get(name, ''))} | {other} |")
    return "\n".join(rows) + "\n"


def render(text: str) -> str:
    def body(m: re.Match) -> str:
        name = m.group("name")
        new = formats_table() if name == "formats" else columns_table(name.split(":", 1)[1])
        return f"{m.group(1)}{new}{m.group(4)}"
    return REGION.sub(body, text)


def main(argv: list[str]) -> int:
    current = DOC.read_text(encoding="utf-8")
    text = render(current)
    if "--check" in argv:
        if current != text:
            print(f"{DOC.relative_to(ROOT)} is out of date; run: python tools/gen_formats_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
