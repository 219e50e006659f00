"""Shared fixtures. Tests that read ../shared/realdata skip cleanly when it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REALDATA = Path(os.environ.get("AUDIT_REALDATA", ROOT.parent / "shared" / "realdata"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real export samples not available ({REALDATA})")
    return REALDATA


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


def write_config(folder: Path, **extra: str) -> Path:
    """A minimal valid audit.yml for tests."""
    lines = ["client: Test client", "brand:", "  name: Brand", "objectives: [sales]", "timezone: Europe/Paris"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "audit.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "audit.yml"


def parse_ok(path: Path, rel: str | None = None, config=None):
    """Parse one export with the real pipeline and insist it went through without a problem."""
    from audit.ingest.pipeline import parse_file
    res, tables = parse_file(path, rel or path.name, config)
    assert res.status == "ok", res.errors
    return res, tables


def daily_value(tables, day, metric):
    """The one account_daily value of `metric` on `day`."""
    import pandas as pd
    d = tables["account_daily"]
    hit = d[(d["date"] == pd.Timestamp(day)) & (d["metric"] == metric)]
    assert len(hit) == 1, (day, metric, hit)
    return hit["value"].iloc[0]
