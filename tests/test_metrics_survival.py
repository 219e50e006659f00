"""metrics.survival writes out scipy.stats' Kaplan–Meier (`ecdf`, log-log band) and `logrank`
(scipy.stats is too slow to import in every run): the numbers must be scipy's own, and a small
case is checked by hand."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import stats as sps

from audit.metrics.survival import kaplan_meier, logrank


def scipy_km(t, observed):
    res = sps.ecdf(sps.CensoredData(uncensored=t[observed], right=t[~observed]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = res.sf.confidence_interval(0.95, method="log-log")
    return res.sf, ci


def samples():
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 12, 40, 300):
        t = np.round(rng.exponential(6.0, n), 1)  # rounded: tied times, as exports give
        yield t, rng.random(n) < 0.7
    yield np.array([1.0, 1.0, 2.0, 2.0, 3.0]), np.array([True, False, True, True, False])
    yield np.array([0.5, 1.5, 2.5]), np.array([True, True, True])  # everybody answered: S reaches 0
    yield np.array([4.0, 4.0, 4.0]), np.array([False, True, False])


@pytest.mark.parametrize("t,observed", list(samples()))
def test_kaplan_meier_is_scipys_ecdf(t, observed):
    ours = kaplan_meier(t, observed)
    sf, ci = scipy_km(t, observed)
    np.testing.assert_array_equal(ours.times, sf.quantiles)
    np.testing.assert_allclose(ours.probability, sf.probabilities, rtol=1e-15, atol=0)
    np.testing.assert_allclose(ours.low, ci.low.probabilities, rtol=1e-12, atol=0, equal_nan=True)
    np.testing.assert_allclose(ours.high, ci.high.probabilities, rtol=1e-12, atol=0, equal_nan=True)
    for x in (0.0, 0.5, 1.0, 4.0, 24.0, *t[:5]):
        assert ours.evaluate(x) == pytest.approx(float(sf.evaluate(x)), rel=1e-15)
        for which, band in (("low", ci.low), ("high", ci.high)):
            ref = float(band.evaluate(x))
            assert ours.evaluate(x, which) == pytest.approx(ref, rel=1e-12, nan_ok=True)


def test_kaplan_meier_by_hand():
    # times 1, 2 (censored), 3, 3 (one answered, one censored), 5: at risk 5, 4, 3, 1
    km = kaplan_meier([1, 2, 3, 3, 5], [True, False, True, False, True])
    assert km.times.tolist() == [1, 2, 3, 5]
    assert km.at_risk.tolist() == [5, 4, 3, 1] and km.events.tolist() == [1, 0, 1, 1]
    assert km.probability.tolist() == pytest.approx([4 / 5, 4 / 5, 4 / 5 * 2 / 3, 0.0])
    assert km.evaluate(0.9) == 1.0 and km.evaluate(3) == pytest.approx(8 / 15) and km.evaluate(4.9) == pytest.approx(8 / 15)
    # log-log band at t = 1: se² = (1 / (5·4)) / log(0.8)²
    se = np.sqrt(1 / 20) / abs(np.log(0.8))
    z = 1.959963984540054
    assert km.low[0] == pytest.approx(np.exp(-np.exp(np.log(-np.log(0.8)) + z * se)))
    assert km.high[0] == pytest.approx(np.exp(-np.exp(np.log(-np.log(0.8)) - z * se)))
    assert np.isnan(km.low[-1]) or km.low[-1] == 0.0  # undefined where S = 0


@pytest.mark.parametrize("seed", range(6))
def test_logrank_is_scipys(seed):
    rng = np.random.default_rng(seed)
    nx, ny = rng.integers(10, 80, 2)
    tx, ty = np.round(rng.exponential(5, nx), 1), np.round(rng.exponential(5 + seed, ny), 1)
    ox, oy = rng.random(nx) < 0.8, rng.random(ny) < 0.6
    ours = logrank(tx, ox, ty, oy)
    ref = sps.logrank(sps.CensoredData(uncensored=tx[ox], right=tx[~ox]),
                      sps.CensoredData(uncensored=ty[oy], right=ty[~oy]))
    assert ours.statistic == pytest.approx(float(ref.statistic), rel=1e-12)
    assert ours.pvalue == pytest.approx(float(ref.pvalue), rel=1e-9)


def test_logrank_sign_says_which_group_is_answered_sooner():
    fast = np.arange(1.0, 21.0)
    slow = fast * 5
    everyone = np.ones(20, dtype=bool)
    assert logrank(fast, everyone, slow, everyone).statistic > 0
    assert logrank(slow, everyone, fast, everyone).statistic < 0
    same = logrank(fast, everyone, fast, everyone)
    assert same.statistic == pytest.approx(0.0) and same.pvalue == pytest.approx(1.0)


def test_survival_figures_do_not_import_scipy_stats():
    """The point of this module: a kernel computing customer care's figures never imports scipy.stats."""
    import subprocess
    import sys

    code = ("import sys, numpy as np\n"
            "from audit.metrics.experience import survival_summary\n"
            "from audit.metrics.survival import logrank\n"
            "survival_summary(np.arange(1.0, 30.0), np.arange(29) % 3 > 0)\n"
            "logrank(np.arange(1.0, 30.0), np.ones(29, bool), np.arange(2.0, 31.0), np.ones(29, bool))\n"
            "print('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
