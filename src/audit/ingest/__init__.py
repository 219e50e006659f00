"""Ingest: recognise platform exports by content and turn them into canonical tables.

The names below are imported on first use (PEP 562): `audit.ingest.state` is read by `audit run`
before anything else and must not pull pandas and every parser in with it."""
from __future__ import annotations

import os
import sys

# Arrow's jemalloc, which ingest uses for Arrow buffers (pipeline._return_freed_memory), reads its
# settings once, when pyarrow loads: freed pages are given back 50 ms after use and at once for
# good (MADV_DONTNEED), not first marked free-when-needed (MADV_FREE), which the kernel leaves in
# the process's resident memory as long as it has room. Ingest benchmark: peak ~12 MB lower for the
# same CPU time. Too late once pyarrow is loaded (then only the 50 ms are set, for new arenas).
JEMALLOC_CONF = "dirty_decay_ms:50,muzzy_decay_ms:0"
JEMALLOC_CONFIGURED = ("pyarrow" not in sys.modules and "JE_ARROW_MALLOC_CONF" not in os.environ
                       and "ARROW_DEFAULT_MEMORY_POOL" not in os.environ)
if JEMALLOC_CONFIGURED:
    os.environ["JE_ARROW_MALLOC_CONF"] = JEMALLOC_CONF

__all__ = ["IngestReport", "ingest", "load_report", "parse_file"]


def __getattr__(name: str):
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
