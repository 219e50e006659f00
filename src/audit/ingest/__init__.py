"""Ingest: recognise platform exports by content and turn them into canonical tables."""
from .pipeline import IngestReport, ingest, load_report, parse_file

__all__ = ["IngestReport", "ingest", "load_report", "parse_file"]
