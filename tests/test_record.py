"""record(): the one way notebooks hand key figures and findings to metrics.json."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import pytest

from audit import record as rec
from audit.metrics.stats import proportion


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    monkeypatch.delenv(rec.ENV_PATH, raising=False)
    monkeypatch.delenv(rec.ENV_NOTEBOOK, raising=False)
    rec.reset()
    yield
    rec.reset()


def lines(path):
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def test_defaults_come_from_the_registry(tmp_path):
    rec.configure(tmp_path / "m.jsonl", notebook="01_channels")
    e = rec.record("channels.posts", 12, account="Brand", platform="facebook")
    assert (e["direction"], e["unit"], e["name"]) == ("channels", "count", "Posts published")
    [written] = lines(tmp_path / "m.jsonl")
    assert written["metric"] == "channels.posts" and written["value"] == 12
    assert written["notebook"] == "01_channels" and written["account"] == "Brand"


def test_an_estimate_gives_value_sample_size_and_interval(tmp_path):
    rec.configure(tmp_path / "m.jsonl")
    est = proportion(3, 12)  # 3 of 12 mentions negative; Wilson interval
    e = rec.record("brand_health.sentiment_negative", est)
    assert e["value"] == pytest.approx(0.25) and e["n"] == 12
    assert e["low"] == pytest.approx(est.low) and e["high"] == pytest.approx(est.high)
    assert e["low"] < 0.25 < e["high"]
    # explicit keywords win over the estimate's own values
    assert rec.record("brand_health.sentiment_negative", est, n=99)["n"] == 99


def test_numpy_numbers_and_missing_values_become_plain_json(tmp_path):
    rec.configure(tmp_path / "m.jsonl")
    rec.record("channels.posts", np.int64(7))
    rec.record("channels.engagement_rate_reach", np.float64("nan"), n=0)
    rec.record("channels.engagement_rate_reach", None)
    values = [x["value"] for x in lines(tmp_path / "m.jsonl")]
    assert values == [7, None, None]
    assert isinstance(values[0], int)


def test_unknown_metric_needs_a_direction():
    with pytest.raises(ValueError, match="not in the metric registry"):
        rec.record("made.up", 1)
    assert rec.record("made.up", 1, direction="innovation", unit="count")["direction"] == "innovation"


@pytest.mark.parametrize("bad", [dict(n=-1), dict(n=2.5), dict(low=2, high=1)])
def test_impossible_figures_are_refused(bad):
    with pytest.raises(ValueError):
        rec.record("channels.posts", 1, **bad)


def test_text_value_is_refused():
    with pytest.raises(TypeError):
        rec.record("channels.posts", "twelve")


def test_without_a_file_records_stay_in_memory(tmp_path):
    rec.record("channels.posts", 3)
    rec.record_finding({"id": "x.y", "direction": "innovation", "severity": "low", "title": "T", "detail": "D"})
    assert [r["kind"] for r in rec.recorded()] == ["metric", "finding"]
    assert not list(tmp_path.iterdir())


def test_the_environment_names_the_file_when_configure_was_not_called(tmp_path, monkeypatch):
    monkeypatch.setenv(rec.ENV_PATH, str(tmp_path / "env.jsonl"))
    monkeypatch.setenv(rec.ENV_NOTEBOOK, "02_brand_health")
    rec.record("brand_health.mentions", 4)
    [written] = lines(tmp_path / "env.jsonl")
    assert written["notebook"] == "02_brand_health"


def test_findings_from_dicts_and_finding_objects(tmp_path):
    from audit.metrics.findings import Finding

    rec.configure(tmp_path / "m.jsonl")
    rec.record_finding(Finding("marketing.no_shop_links", "marketing_optimisation", "high", "No shop links",
                               "0 of 40 posts link to the shop", {"posts": 40, "share": 0.0}))
    rec.record_finding({"id": "a.b", "direction": "brand_health", "severity": "info", "title": "ok"})
    first, second = lines(tmp_path / "m.jsonl")
    assert first["kind"] == "finding" and first["numbers"] == {"posts": 40, "share": 0.0}
    assert second["detail"] == "" and second["severity"] == "info"


@pytest.mark.parametrize("finding", [
    {"id": "a", "direction": "brand_health", "severity": "urgent", "title": "t"},
    {"id": "", "direction": "brand_health", "severity": "high", "title": "t"},
    {"id": "a", "direction": "brand_health", "severity": "high"},
])
def test_malformed_findings_are_refused(finding):
    with pytest.raises(ValueError):
        rec.record_finding(finding)


def test_meta_and_missing(tmp_path):
    rec.configure(tmp_path / "m.jsonl", notebook="03_x")
    rec.record_meta("period_start", __import__("datetime").date(2024, 1, 1))
    rec.record_missing("ads export")
    meta, missing = lines(tmp_path / "m.jsonl")
    assert meta == {**meta, "kind": "meta", "key": "period_start", "value": "2024-01-01"}
    assert missing["kind"] == "missing" and missing["what"] == "ads export"


def test_any_estimate_like_object_is_accepted(tmp_path):
    @dataclass
    class Est:
        value: float
        n: int
        low: float
        high: float

    e = rec.record("channels.engagement_rate_reach", Est(0.05, 40, 0.04, 0.06))
    assert (e["value"], e["n"], e["low"], e["high"]) == (0.05, 40, 0.04, 0.06)
    assert not math.isnan(e["value"])


def test_money_in_another_currency_keeps_it():
    """A figure recorded with its currency is shown in it, on the notebook's cards and the report's
    compass; without one, in audit.yml's currency."""
    from types import SimpleNamespace

    from audit.display import _card
    from audit.report.context import figure

    usd = rec.record("marketing.spend", 1200.0, n=3, currency="USD", label="all ads in USD")
    eur = rec.record("marketing.spend", 80.0, n=2)
    assert usd["currency"] == "USD" and eur["currency"] is None
    config = SimpleNamespace(currency="EUR")
    assert figure(usd, config)["value"] == "1,200 USD" and figure(eur, config)["value"] == "80.00 EUR"
    assert _card(usd, "EUR")["value"] == "1,200 USD" and _card(eur, "EUR")["value"] == "80.00 EUR"
