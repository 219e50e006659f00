"""The metric registry: complete, well-formed, and docs/metrics.md generated from it."""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import re

import pytest

from audit.metrics import registry
from audit.metrics.registry import DIRECTIONS, METRIC_MODULES, UNITS, all_metrics, get, metric
from conftest import ROOT


def test_every_metrics_module_imports():
    for name in METRIC_MODULES:
        importlib.import_module(f"audit.metrics.{name}")


def test_every_metric_is_well_formed():
    ms = all_metrics()
    assert len(ms) == len(registry.REGISTRY) > 50
    for m in ms:
        assert m.direction in DIRECTIONS and m.unit in UNITS, m.id
        assert re.fullmatch(r"[a-z_]+(\.[a-z0-9_]+)+", m.id), m.id
        assert m.name.strip() and m.numerator.strip(), m.id
        if m.unit == "fraction":
            assert m.denominator.strip(), f"{m.id}: a fraction needs its denominator in words"
        assert m.higher_is_better in (True, False, None)
    order = [DIRECTIONS.index(m.direction) for m in ms]
    assert order == sorted(order)


def test_each_direction_of_the_compass_has_metrics():
    have = {m.direction for m in all_metrics()}
    assert have == set(DIRECTIONS)


def test_register_rejects_duplicates_and_bad_values():
    with pytest.raises(ValueError, match="twice"):
        metric("channels.engagement_rate_reach", "x", "channels", "ratio", "y")
    with pytest.raises(ValueError, match="direction"):
        metric("test.nowhere", "x", "sideways", "ratio", "y")
    with pytest.raises(ValueError, match="unit"):
        metric("test.bad_unit", "x", "channels", "furlongs", "y")
    assert "test.nowhere" not in registry.REGISTRY and "test.bad_unit" not in registry.REGISTRY


def test_get_explains_unknown_ids():
    assert get("brand_health.share_of_voice").unit == "fraction"
    with pytest.raises(KeyError, match="channels.engagement_rate_reach"):
        get("channels.engagement_rate")


def test_my_modules_name_their_metric_ids_in_docstrings():
    """Every metric of channels/brand/competitors/audience is named by a docstring of the module that
    computes it ('channels.median_*_per_post' and 'sentiment_{positive,negative}' forms count)."""
    for name, prefix in (("channels", "channels"), ("brand", "brand_health"), ("competitors", "competitors"),
                         ("audience", "audience")):
        mod = importlib.import_module(f"audit.metrics.{name}")
        docs = " ".join(inspect.getdoc(f) or "" for _, f in inspect.getmembers(mod, inspect.isfunction)
                        if f.__module__ == mod.__name__)
        patterns = [_as_regex(t) for t in re.findall(r"[a-z0-9_.{},*<>]+", docs) if "_" in t or "." in t]
        for m in all_metrics():
            if m.id.startswith(prefix + "."):
                short = m.id.split(".", 1)[1]
                assert any(rx.fullmatch(m.id) or rx.fullmatch(short) for rx in patterns), \
                    f"{m.id} is not named in any docstring of {name}.py"


def _as_regex(token: str) -> re.Pattern:
    rx = re.escape(token.strip(".,"))
    rx = re.sub(r"\\\{([a-z0-9_,]+)\\\}", lambda g: "(" + g.group(1).replace(",", "|") + ")", rx)
    rx = rx.replace(r"\*", "[a-z0-9_]+")
    rx = re.sub(r"<[a-z]+>", "[a-z0-9_]+", rx)
    return re.compile(rx)


def test_docs_metrics_md_is_current():
    spec = importlib.util.spec_from_file_location("gen_metrics_doc", ROOT / "tools" / "gen_metrics_doc.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    current = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert current == gen.render(), "docs/metrics.md is stale: run python tools/gen_metrics_doc.py"
    for m in all_metrics():
        assert f"`{m.id}`" in current
