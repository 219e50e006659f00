import datetime as dt

import pytest

import audit
from audit.errors import ConfigError
from conftest import write_config

DATES = "Date,Clicks,Impressions,CTR,Position\n2025-03-15,4,50,8%,3\n2025-01-01,3,40,7.5%,2.1\n"


def test_open_audit_ingests_and_resolves_default_periods(tmp_path):
    write_config(tmp_path)
    (tmp_path / "Dates.csv").write_text(DATES)
    a = audit.open_audit(tmp_path)
    assert a.has("search") and not a.has("posts")
    # Latest data 2025-03-15 → the 12 full months before: Mar 2024 – Feb 2025.
    assert (a.period.start, a.period.end) == (dt.date(2024, 3, 1), dt.date(2025, 2, 28))
    assert (a.comparison.start, a.comparison.end) == (dt.date(2023, 3, 1), dt.date(2024, 2, 29))


def test_period_parameters_win_and_are_validated(tmp_path):
    write_config(tmp_path)
    (tmp_path / "Dates.csv").write_text(DATES)
    a = audit.open_audit(tmp_path, period_start="2025-01-01", period_end="2025-03-31")
    assert a.comparison.start == dt.date(2024, 10, 1)
    with pytest.raises(ConfigError, match="both"):
        audit.open_audit(tmp_path, period_start="2025-01-01")
    with pytest.raises(ConfigError, match="not a date"):
        audit.open_audit(tmp_path, period_start="yesterday", period_end="2025-01-01")
