"""Reading the stored canonical tables, and reading them ahead of time (the kernel server)."""
from __future__ import annotations

import os

import pandas as pd
import pytest

from audit import tables
from audit.paths import cache_dir


@pytest.fixture
def client(tmp_path):
    d = cache_dir(tmp_path)
    d.mkdir(parents=True)
    pd.DataFrame({"platform": ["x", "facebook"], "followers": [10, 20]}).to_parquet(d / "audience.parquet")
    yield tmp_path
    tables._preloaded.clear()


def test_preloaded_tables_are_served_without_reading_again(client, monkeypatch):
    assert tables.preload(client) == 1
    monkeypatch.setattr(pd, "read_parquet", lambda *a, **k: pytest.fail("read again"))
    t = tables.load_tables(client)
    assert t.audience["followers"].tolist() == [10, 20]
    t.audience.loc[0, "followers"] = 999  # one notebook's change...
    assert tables.load_tables(client).audience["followers"].tolist() == [10, 20]  # ...stays its own
    assert tables.load_tables(client).posts.empty  # absent tables still come back empty


def test_a_table_changed_since_the_preload_is_read_afresh(client):
    tables.preload(client)
    path = cache_dir(client) / "audience.parquet"
    pd.DataFrame({"platform": ["x"], "followers": [7]}).to_parquet(path)
    os.utime(path, ns=(1, 1))  # whatever the clock's resolution, the stamp differs
    assert tables.load_tables(client).audience["followers"].tolist() == [7]


def test_preloading_another_client_forgets_the_first(client, tmp_path_factory):
    tables.preload(client)
    other = tmp_path_factory.mktemp("other")
    assert tables.preload(other) == 0
    assert tables._preloaded == {}
