"""Intervals and verdicts against published or hand-computed values, and their invariants."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.metrics import stats
from audit.metrics.stats import Estimate


# ---------------------------------------------------------------- Wilson / Newcombe
def test_wilson_matches_hand_computation():
    # 3 of 10, z = 1.959964: centre = (0.3 + z^2/20) / (1 + z^2/10), half = z sqrt(0.021 + z^2/400) / (1 + z^2/10)
    z = 1.959963984540054
    centre = (0.3 + z * z / 20) / (1 + z * z / 10)
    half = z * math.sqrt(0.3 * 0.7 / 10 + z * z / 400) / (1 + z * z / 10)
    lo, hi = stats.wilson_interval(3, 10)
    assert lo == pytest.approx(centre - half, abs=1e-12) and hi == pytest.approx(centre + half, abs=1e-12)
    assert (round(lo, 4), round(hi, 4)) == (0.1078, 0.6032)  # the textbook values


def test_wilson_edges():
    assert stats.wilson_interval(0, 10)[0] == 0.0
    assert stats.wilson_interval(10, 10)[1] == 1.0
    lo, hi = stats.wilson_interval(0, 0)
    assert math.isnan(hi)
    lo, hi = stats.wilson_interval(np.array([0, 5]), np.array([10, 10]))
    assert lo.shape == (2,)


def test_proportion_estimate():
    e = stats.proportion(3, 10, "m", "x")
    assert e.value == 0.3 and e.n == 10 and e.enough and e.metric == "m" and e.label == "x"
    assert not stats.proportion(1, 9).enough
    empty = stats.proportion(0, 0)
    assert empty.value is None and not empty.enough
    with pytest.raises(ValueError):
        stats.proportion(11, 10)


def test_newcombe_published_example():
    # Newcombe (1998), Stat Med 17:873, example (a): 56/70 vs 48/80, method 10: 0.0524 to 0.3339
    c = stats.compare_proportions(56, 70, 48, 80, "m", "a", "b")
    assert c.diff == pytest.approx(0.2)
    assert c.low == pytest.approx(0.0524, abs=1e-4) and c.high == pytest.approx(0.3339, abs=1e-4)
    assert c.verdict == "higher" and c.method.startswith("Wilson/Newcombe")


def test_compare_proportions_verdicts():
    assert stats.compare_proportions(10, 100, 30, 100, "m", "a", "b").verdict == "lower"
    assert stats.compare_proportions(20, 100, 22, 100, "m", "a", "b").verdict == "no reliable difference"
    assert stats.compare_proportions(5, 9, 1, 9, "m", "a", "b").verdict == "not enough data"
    c = stats.compare_proportions(0, 0, 1, 20, "m", "a", "b")
    assert c.verdict == "not enough data" and c.diff is None


# ---------------------------------------------------------------- Poisson
def test_poisson_interval_garwood_values():
    assert stats.poisson_interval(0) == (0.0, pytest.approx(3.6889, abs=1e-4))
    lo, hi = stats.poisson_interval(10)
    assert (round(lo, 3), round(hi, 3)) == (4.795, 18.390)


def test_compare_rates_scalars_exact_poisson():
    c = stats.compare_rates(50, 10, 20, 10, "m", "a", "b")
    assert c.a.value == 5.0 and c.b.value == 2.0 and c.diff == 3.0
    assert c.verdict == "higher" and "Poisson" in c.method
    assert c.low < 3.0 < c.high
    # 40 events vs none is a clear difference even though one side has no events
    assert stats.compare_rates(40, 10, 0, 10, "m", "a", "b").verdict == "higher"
    assert stats.compare_rates(3, 10, 2, 10, "m", "a", "b").verdict == "not enough data"
    assert stats.compare_rates(30, 10, 30, 10, "m", "a", "b").verdict == "no reliable difference"


def test_compare_rates_arrays_is_ratio_of_sums():
    ya, xa = np.array([1, 2, 3] * 10, float), np.array([10, 10, 20] * 10, float)
    yb, xb = np.array([5, 5, 5] * 10, float), np.array([10, 10, 10] * 10, float)
    c = stats.compare_rates(ya, xa, yb, xb, "m", "a", "b")
    assert c.a.value == pytest.approx(60 / 400) and c.b.value == pytest.approx(0.5)
    assert c.a.n == 30 and c.verdict == "lower" and "bootstrap" in c.method


def test_ratio_of_sums_skips_zero_exposure():
    e = stats.ratio_of_sums([5, 7, 1], [100, 0, np.nan])
    assert e.value == 0.05 and e.n == 1
    assert stats.ratio_of_sums([], []).value is None


# ---------------------------------------------------------------- bootstrap
def test_bootstrap_is_deterministic_and_brackets_the_median():
    v = np.random.default_rng(1).lognormal(size=200)
    a, b = stats.bootstrap_ci(v), stats.bootstrap_ci(v)
    assert a == b
    assert a[0] < np.median(v) < a[1]
    assert stats.bootstrap_ci(v, seed=1) != a
    assert all(math.isnan(x) for x in stats.bootstrap_ci([]))


@pytest.mark.parametrize("n, stat", [(201, "median"), (202, "median"), (1001, "mean"), (1001, "ratio")])
def test_large_sample_shortcut_agrees_with_resampling(n, stat, monkeypatch):
    # large samples: a resample's median is drawn from its exact distribution, a mean or ratio from
    # the bootstrap's normal limit; plain resampling must give the same interval
    rng = np.random.default_rng(2)
    v = rng.lognormal(size=n)
    w = rng.uniform(50, 150, n) if stat == "ratio" else None
    short = stats._percentiles(stats._boot(v, stat, 0, w, n_boot=8000))
    monkeypatch.setattr(stats, "_MEDIAN_DIRECT_MAX", 10**9)
    monkeypatch.setattr(stats, "_BOOT_DIRECT_MAX", 10**9)
    direct = stats._percentiles(stats._boot(v, stat, 0, w, n_boot=8000))
    width = direct[1] - direct[0]
    assert abs(short[0] - direct[0]) < 0.06 * width and abs(short[1] - direct[1]) < 0.06 * width


def test_compare_groups_verdicts():
    rng = np.random.default_rng(0)
    low, high = rng.normal(10, 1, 40), rng.normal(12, 1, 40)
    c = stats.compare_groups(high, low, "m", "high", "low")
    assert c.verdict == "higher" and c.low > 0 and c.diff == pytest.approx(np.median(high) - np.median(low))
    assert stats.compare_groups(low, high, "m", "a", "b").verdict == "lower"
    same = stats.compare_groups(rng.normal(10, 1, 50), rng.normal(10, 1, 50), "m", "a", "b")
    assert same.verdict == "no reliable difference"
    assert stats.compare_groups(high[:5], low, "m", "a", "b").verdict == "not enough data"
    assert stats.compare_groups([], low, "m", "a", "b").diff is None


def test_compare_many_each_group_vs_rest():
    df = pd.DataFrame({"g": ["a"] * 30 + ["b"] * 30 + ["c"] * 3,
                       "v": [1.0] * 30 + [5.0] * 30 + [3.0] * 3})
    res = stats.compare_many(df, "v", "g", "m").set_index("group")
    assert list(res.index) == ["a", "b", "c"]
    assert res.loc["a", "n"] == 30 and res.loc["a", "rest_n"] == 33
    assert res.loc["a", "value"] == 1.0 and res.loc["b", "value"] == 5.0
    assert res.loc["a", "verdict"] == "lower" and res.loc["b", "verdict"] == "higher"
    assert res.loc["c", "verdict"] == "not enough data"
    assert stats.compare_many(df.iloc[:0], "v", "g", "m").empty


def test_estimate_enough():
    assert Estimate(0.1, 10).enough and not Estimate(0.1, 9).enough and not Estimate(None, 50).enough


# ---------------------------------------------------------------- invariants
@settings(max_examples=200, deadline=None)
@given(st.integers(0, 500), st.integers(1, 500))
def test_wilson_within_unit_interval_and_around_p(k, n):
    k = min(k, n)
    lo, hi = stats.wilson_interval(k, n)
    assert 0 <= lo <= k / n <= hi <= 1


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 60), st.integers(1, 60), st.integers(0, 60), st.integers(1, 60))
def test_newcombe_is_antisymmetric(ka, na, kb, nb):
    ka, kb = min(ka, na), min(kb, nb)
    ab = stats.compare_proportions(ka, na, kb, nb, "m", "a", "b")
    ba = stats.compare_proportions(kb, nb, ka, na, "m", "b", "a")
    assert ab.diff == pytest.approx(-ba.diff, abs=1e-12)
    assert ab.low == pytest.approx(-ba.high, abs=1e-12) and ab.high == pytest.approx(-ba.low, abs=1e-12)
    assert -1 <= ab.low <= ab.diff <= ab.high <= 1


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=60), st.randoms())
def test_bootstrap_ignores_row_order(values, rnd):
    shuffled = values[:]
    rnd.shuffle(shuffled)
    assert stats.bootstrap_ci(values) == stats.bootstrap_ci(shuffled)
    lo, hi = stats.bootstrap_ci(values)
    assert min(values) <= lo <= hi <= max(values)


def test_distributions_are_the_ones_scipy_stats_gives():
    """stats.py computes quantiles with scipy.special (scipy.stats is slow to import): the values
    must be exactly those of the scipy.stats distributions they stand for."""
    from scipy import stats as sps

    counts = np.array([0, 1, 2, 7, 10, 55, 400])
    low, high = stats.poisson_interval(counts)
    alpha = 1 - 0.95  # as poisson_interval computes it (not exactly 0.05)
    np.testing.assert_array_equal(low, np.where(counts > 0, sps.chi2.ppf(alpha / 2, 2 * counts) / 2, 0.0))
    np.testing.assert_array_equal(high, sps.chi2.ppf(1 - alpha / 2, 2 * counts + 2) / 2)
    assert stats.normal_quantile(0.95) == sps.norm.ppf(0.975)
    assert stats.normal_quantile(0.9) == sps.norm.ppf(0.95)
    # the bootstrap's median draw: P(Binomial(n, j/n) >= m) as a regularised incomplete beta
    from scipy.special import betainc, betaincinv
    for n in (201, 500):
        j = np.arange(1, n + 1) / n
        for m in (n // 2, n // 2 + 1):
            np.testing.assert_array_equal(betainc(m, n - m + 1, j), sps.binom.sf(m - 1, n, j))
    for a, b in ((3, 10), (40, 261), (1, 1)):
        assert betaincinv(a, b, 0.025) == sps.beta.ppf(0.025, a, b)
