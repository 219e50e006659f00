"""One place for the project's paths."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent.parent
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DATA_DIR = PROJECT_ROOT / "data"
DEMO_CLIENT = DATA_DIR / "demo"
REPORTS_DIR = PROJECT_ROOT / "reports"
CONFIG_NAME = "audit.yml"
CACHE_DIR_NAME = ".audit"  # canonical tables and the ingest report, inside the client folder
KERNEL_NAME = "social-audit"


def cache_dir(client_dir: Path) -> Path:
    return Path(client_dir) / CACHE_DIR_NAME
