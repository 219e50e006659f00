"""The report: per-notebook HTML pages and the single self-contained baseline.html.

Built with nbconvert and the project's own template (`templates/audit_report`, inheriting from
nbconvert's `lab` template); data-derived text is autoescaped by the templates and HTML cell
outputs go through a sanitizer. Imports stay light here: nbconvert loads on first use."""
from __future__ import annotations

from .build import baseline_page, notebook_page, section_title

__all__ = ["baseline_page", "notebook_page", "section_title"]
