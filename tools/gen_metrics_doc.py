#!/usr/bin/env python3
"""Write docs/metrics.md from the metric registry.

    python tools/gen_metrics_doc.py          # (re)write the file
    python tools/gen_metrics_doc.py --check  # exit 1 when the file is out of date
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "metrics.md"


def render() -> str:
    from audit.metrics.registry import definitions_markdown
    return definitions_markdown()


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC.relative_to(ROOT)} is out of date; run: python tools/gen_metrics_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
