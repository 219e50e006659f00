"""What a client's canonical tables were built from, and whether that is still what the folder holds.

Kept free of pandas and the parsers: `audit run` asks this first, and when nothing changed it goes
on with the stored tables without importing the ingest machinery at all.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..paths import CACHE_DIR_NAME, CONFIG_NAME, cache_dir

SKIP_NAMES = {CONFIG_NAME, "README.md", "README.txt", ".DS_Store", "Thumbs.db", "desktop.ini"}
REPORT_NAME = "ingest_report.json"


def client_files(client_dir: Path) -> list[Path]:
    """Every export in the folder (any names, any sub-folders), in a stable order."""
    out = []
    for root, dirs, files in os.walk(client_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != CACHE_DIR_NAME)
        for f in sorted(files):
            if f in SKIP_NAMES or f.startswith(".") or f.startswith("~$"):
                continue
            out.append(Path(root) / f)
    return out


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_digests(client_dir: Path) -> dict[str, str]:
    """SHA-256 of every export, by its path relative to the client folder."""
    return {path.relative_to(client_dir).as_posix(): sha256_of(path) for path in client_files(client_dir)}


def _code_digest() -> str:
    """The loaders' own source and the table schemas: a change to either invalidates cached results."""
    h = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    for p in [*sorted(here.rglob("*.py")), here.parent / "schemas.py"]:
        h.update(p.read_bytes())
    return h.hexdigest()


def settings_key(config: Any) -> str:
    """The code and the audit.yml settings the tables are built with (an AuditConfig, or None)."""
    blob = config.model_dump_json() if config else ""
    return hashlib.sha256(f"{_code_digest()}|{blob}".encode()).hexdigest()[:16]


def unchanged_report(client_dir: Path, settings: str, digests: dict[str, str]) -> dict | None:
    """The stored ingest report (as written, every file marked as cached) when nothing the tables
    are built from has changed since: the same files with the same content, the same settings and
    code, every table still there. None otherwise."""
    cdir = cache_dir(client_dir)
    try:
        old = json.loads((cdir / REPORT_NAME).read_text())
        if old.get("settings") != settings or [(f["file"], f["sha256"]) for f in old["files"]] != list(digests.items()):
            return None
        if any(n and not _looks_like_parquet(cdir / f"{t}.parquet") for t, n in old["tables"].items()):
            return None
        for f in old["files"]:
            f["cached"] = True
        return old
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _looks_like_parquet(path: Path) -> bool:
    """A parquet file begins and ends with b"PAR1" (a truncated or overwritten one does not)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
            fh.seek(-4, os.SEEK_END)
            return head == b"PAR1" and fh.read(4) == b"PAR1"
    except OSError:
        return False
