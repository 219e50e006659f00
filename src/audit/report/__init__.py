"""The report: per-notebook HTML pages and the single self-contained baseline.html.

Built with nbconvert and the project's own template (`templates/audit_report`, inheriting from
nbconvert's `lab` template); data-derived text is autoescaped by the templates and HTML cell
outputs go through a sanitizer. Nothing heavy is imported here: notebooks use `formatting`
and `context` (via audit.display), which must not pull nbformat and nbconvert into every kernel.
"""
from __future__ import annotations

__all__ = ["baseline_page", "notebook_page", "prepare", "section_title"]


def __getattr__(name: str):
    if name in __all__:
        from . import build

        return getattr(build, name)
    raise AttributeError(name)
