"""Ingest: recognise platform exports by content and turn them into canonical tables.

The names below are imported on first use (PEP 562): `audit.ingest.state` is read by `audit run`
before anything else and must not pull pandas and every parser in with it."""
from __future__ import annotations

__all__ = ["IngestReport", "ingest", "load_report", "parse_file"]


def __getattr__(name: str):
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
