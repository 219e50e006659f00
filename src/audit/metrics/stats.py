"""Honest uncertainty for every figure: sample sizes, intervals and verdicts.

All functions are deterministic (fixed seeds) and vectorized with numpy. A comparison says
"higher" or "lower" only when its 95 % interval excludes zero, and "not enough data" when
either side has fewer than MIN_N units (posts, messages, days...).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

# The distributions come from scipy.special, imported inside the functions that need them (the runner
# reads the metric registry, and so this module, without importing scipy at all). Not scipy.stats: its
# import takes a second, and every kernel would pay for it. The functions used are the ones
# scipy.stats itself calls (tests check the values are identical).

MIN_N = 10            # below this per group: "not enough data"
N_BOOT = 2000
# Above these sizes the bootstrap does not materialise n x 2000 resampled values: a resample's
# median is drawn from its exact distribution (order statistics), a mean or ratio from the
# bootstrap's normal limit. Below them, plain resampling.
_MEDIAN_DIRECT_MAX = 200
_BOOT_DIRECT_MAX = 1000
_CHUNK = 4_000_000    # resampled values held in memory at once

HIGHER, LOWER, NO_DIFF, NOT_ENOUGH = "higher", "lower", "no reliable difference", "not enough data"


@dataclass
class Estimate:
    """One figure with its sample size and (optional) 95 % interval."""

    value: float | None
    n: int
    low: float | None = None
    high: float | None = None
    metric: str | None = None
    label: str | None = None

    @property
    def enough(self) -> bool:
        return self.n >= MIN_N and self.value is not None

    def as_dict(self) -> dict:
        return asdict(self) | {"enough": self.enough}


@dataclass
class Comparison:
    """a relative to b: diff = a.value - b.value with a 95 % interval on a - b."""

    metric: str
    a_label: str
    b_label: str
    a: Estimate
    b: Estimate
    diff: float | None
    low: float | None
    high: float | None
    verdict: str      # "higher" | "lower" | "no reliable difference" | "not enough data"
    method: str

    def as_dict(self) -> dict:
        d = asdict(self)
        d["a"], d["b"] = self.a.as_dict(), self.b.as_dict()
        return d


def _f(x) -> float | None:
    """Plain float, or None for missing/NaN/inf."""
    if x is None:
        return None
    x = float(x)
    return x if np.isfinite(x) else None


def verdict(low: float | None, high: float | None, n_a: int, n_b: int) -> str:
    if n_a < MIN_N or n_b < MIN_N or low is None or high is None:
        return NOT_ENOUGH
    if low > 0:
        return HIGHER
    if high < 0:
        return LOWER
    return NO_DIFF


def normal_quantile(level: float) -> float:
    """z of a two-sided interval at `level` (1.96 for 0.95): the standard normal's quantile."""
    from scipy.special import ndtri  # scipy.stats' norm.ppf
    return float(ndtri(0.5 + level / 2))


# ---------------------------------------------------------------- proportions
def wilson_interval(k, n, level: float = 0.95):
    """Wilson score interval for k successes out of n (scalars or arrays). NaN where n == 0."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = normal_quantile(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    # exact bounds at the edges (avoid 1e-17 rounding)
    low = np.where(k == 0, 0.0, low)
    high = np.where((k == n) & (n > 0), 1.0, high)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def proportion(k, n, metric: str | None = None, label: str | None = None) -> Estimate:
    """k out of n with its Wilson interval; value None when n == 0."""
    k, n = float(k), int(n)
    if n <= 0:
        return Estimate(None, 0, None, None, metric, label)
    if k < 0 or k > n:
        raise ValueError(f"proportion: {k} successes out of {n} is impossible")
    lo, hi = wilson_interval(k, n)
    return Estimate(k / n, n, lo, hi, metric, label)


def compare_proportions(k_a, n_a, k_b, n_b, metric: str, a_label: str, b_label: str) -> Comparison:
    """Difference of two proportions with Newcombe's hybrid score interval (method 10)."""
    a = proportion(k_a, n_a, metric, a_label)
    b = proportion(k_b, n_b, metric, b_label)
    method = "Wilson/Newcombe hybrid score interval"
    if a.value is None or b.value is None:
        return Comparison(metric, a_label, b_label, a, b, None, None, None, NOT_ENOUGH, method)
    d = a.value - b.value
    low = d - np.sqrt((a.value - a.low) ** 2 + (b.high - b.value) ** 2)
    high = d + np.sqrt((a.high - a.value) ** 2 + (b.value - b.low) ** 2)
    return Comparison(metric, a_label, b_label, a, b, d, float(low), float(high),
                      verdict(low, high, a.n, b.n), method)


# ---------------------------------------------------------------- counts
def poisson_interval(count, level: float = 0.95):
    """Exact (Garwood) interval for a Poisson count (scalar or array)."""
    from scipy.special import gammaincinv  # chi2.ppf(q, 2c) / 2 = gammaincinv(c, q)
    c = np.asarray(count, dtype=float)
    alpha = 1 - level
    with np.errstate(invalid="ignore"):  # c == 0 has no lower quantile: its bound is 0
        low = np.where(c > 0, gammaincinv(c, alpha / 2), 0.0)
    high = gammaincinv(c + 1, 1 - alpha / 2)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def compare_rates(count_a, exposure_a, count_b, exposure_b, metric: str = "", a_label: str = "a",
                  b_label: str = "b", seed: int = 0) -> Comparison:
    """Compare two rates count / exposure, each a ratio of sums.

    Scalars (e.g. mentions per day over two periods): exact Poisson rate-ratio interval
    (Clopper-Pearson on the conditional binomial); the interval on a - b is that ratio
    interval expressed at b's rate, b * (ratio - 1). n is the count; the verdict needs at
    least MIN_N events in total.
    Arrays of per-unit counts and exposures (e.g. engagements and reach per post): bootstrap
    of the ratio of sums over units (posts), which respects over-dispersion. n is the number
    of units with a positive exposure.
    """
    if np.ndim(count_a) == 0 and np.ndim(count_b) == 0:
        return _compare_poisson(float(count_a), float(exposure_a), float(count_b), float(exposure_b),
                                metric, a_label, b_label)
    ya, xa = _pairs(count_a, exposure_a)
    yb, xb = _pairs(count_b, exposure_b)
    a, ra = _ratio(ya, xa, seed, metric, a_label)
    b, rb = _ratio(yb, xb, seed + 1, metric, b_label)
    method = f"bootstrap of the ratio of sums over units ({N_BOOT} resamples, seed {seed})"
    if a.value is None or b.value is None:
        return Comparison(metric, a_label, b_label, a, b, None, None, None, NOT_ENOUGH, method)
    low, high = _percentiles(ra - rb)
    return Comparison(metric, a_label, b_label, a, b, a.value - b.value, low, high,
                      verdict(low, high, a.n, b.n), method)


def _pairs(y, x) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float).ravel()
    x = np.asarray(x, dtype=float).ravel()
    if y.shape != x.shape:
        raise ValueError("counts and exposures must have the same length")
    ok = np.isfinite(y) & np.isfinite(x) & (x > 0)
    return y[ok], x[ok]


def _compare_poisson(ca, ea, cb, eb, metric, a_label, b_label) -> Comparison:
    from scipy.special import betaincinv  # the beta quantile (scipy.stats' beta.ppf)
    method = "exact Poisson rate ratio (conditional binomial), shown as a difference at b's rate"

    def est(c, e, label):
        if e <= 0:
            return Estimate(None, int(c), None, None, metric, label)
        lo, hi = poisson_interval(c)
        return Estimate(c / e, int(c), lo / e, hi / e, metric, label)

    a, b = est(ca, ea, a_label), est(cb, eb, b_label)
    if a.value is None or b.value is None or ca + cb == 0:
        return Comparison(metric, a_label, b_label, a, b, None, None, None, NOT_ENOUGH, method)
    total = ca + cb
    # share of all events that fall in a, Clopper-Pearson
    p_lo = betaincinv(ca, total - ca + 1, 0.025) if ca > 0 else 0.0
    p_hi = betaincinv(ca + 1, total - ca, 0.975) if cb > 0 else 1.0
    with np.errstate(divide="ignore"):
        r_lo = p_lo / (1 - p_lo) * eb / ea
        r_hi = p_hi / (1 - p_hi) * eb / ea if p_hi < 1 else np.inf
    if b.value > 0:   # a - b = b (ratio - 1), holding b at its estimate
        low, high = b.value * (r_lo - 1), b.value * (r_hi - 1)
    else:             # b == 0: a - b = a (1 - 1/ratio), holding a at its estimate
        low, high = a.value * (1 - 1 / r_lo), a.value
    # the information is in the total count: 40 events vs 0 is a clear difference
    v = verdict(low, high, MIN_N, MIN_N) if total >= MIN_N else NOT_ENOUGH
    return Comparison(metric, a_label, b_label, a, b, a.value - b.value, _f(low), _f(high), v, method)


# ---------------------------------------------------------------- bootstrap
def _stat(x: np.ndarray, stat: str) -> float:
    if stat == "median":
        return float(np.median(x))
    if stat == "mean":
        return float(np.mean(x))
    raise ValueError(f"unknown statistic {stat!r} (median or mean)")


def _boot(values: np.ndarray, stat: str, seed: int, weights: np.ndarray | None = None,
          n_boot: int = N_BOOT) -> np.ndarray:
    """n_boot bootstrap replicates of a statistic ('median', 'mean', or 'ratio' = sum(values)/sum(weights))."""
    v = np.asarray(values, dtype=float)
    n = len(v)
    rng = np.random.default_rng(seed)
    # canonical order first, so the result does not depend on the order of the rows
    order = np.lexsort((v, weights)) if weights is not None else np.argsort(v, kind="stable")
    v = v[order]
    if weights is not None:
        weights = np.asarray(weights, dtype=float)[order]
    if n == 0:
        return np.full(n_boot, np.nan)
    if n > (_MEDIAN_DIRECT_MAX if stat == "median" else _BOOT_DIRECT_MAX):
        return _boot_large(v, stat, rng, weights, n_boot)
    out = np.empty(n_boot)
    step = max(1, _CHUNK // n)
    for s in range(0, n_boot, step):  # loop over chunks of resamples, not over data rows
        idx = rng.integers(0, n, size=(min(step, n_boot - s), n))
        if stat == "ratio":
            with np.errstate(invalid="ignore", divide="ignore"):
                out[s:s + len(idx)] = v[idx].sum(axis=1) / weights[idx].sum(axis=1)
        elif stat == "median":
            out[s:s + len(idx)] = np.median(v[idx], axis=1)
        elif stat == "mean":
            out[s:s + len(idx)] = v[idx].mean(axis=1)
        else:
            raise ValueError(f"unknown statistic {stat!r} (median, mean or ratio)")
    return out


def _boot_large(v: np.ndarray, stat: str, rng, weights, n_boot: int) -> np.ndarray:
    """Resampled statistics for large samples without materialising the resamples.

    median: the median of a resample of n values is the order statistic x_(j) where j is the
    first index whose count of resampled values <= x_(j) reaches n/2; that count is
    Binomial(n, j/n), which gives the exact distribution of j, sampled by inverse CDF
    (even n: lower and upper middle order statistics averaged at the same uniform draw).
    mean / ratio: the bootstrap's normal limit (standard error from the data, delta method for a ratio).
    """
    from scipy.special import betainc, ndtri
    n = len(v)
    u = rng.random(n_boot)
    if stat == "median":
        xs = np.sort(v)
        j = np.arange(1, n + 1)

        def draw(m):  # m-th smallest of the resample (1-based)
            # P(resample m-th order stat <= x_(j)) = P(Binomial(n, j/n) >= m) = I_{j/n}(m, n - m + 1)
            cdf = betainc(m, n - m + 1, j / n)
            return xs[np.minimum(np.searchsorted(cdf, u), n - 1)]

        if n % 2:
            return draw((n + 1) // 2)
        return (draw(n // 2) + draw(n // 2 + 1)) / 2
    if stat == "mean":
        se = np.std(v, ddof=1) / np.sqrt(n)
        return np.mean(v) + se * ndtri(u)
    if stat == "ratio":
        w = np.asarray(weights, dtype=float)
        r = v.sum() / w.sum()
        se = np.sqrt(np.sum((v - r * w) ** 2) * n / (n - 1)) / w.sum()
        return r + se * ndtri(u)
    raise ValueError(f"unknown statistic {stat!r} (median, mean or ratio)")


def _percentiles(reps: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    lo, hi = np.nanpercentile(reps, [50 * (1 - level), 50 * (1 + level)])
    return float(lo), float(hi)


def bootstrap_ci(values, stat: str = "median", n_boot: int = N_BOOT, seed: int = 0,
                 level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the median or mean (NaNs dropped; NaN interval when empty)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return float("nan"), float("nan")
    return _percentiles(_boot(v, stat, seed, n_boot=n_boot), level)


def estimate(values, stat: str = "median", metric: str | None = None, label: str | None = None,
             seed: int = 0) -> Estimate:
    """Median (or mean) of the finite values with a bootstrap interval."""
    v = np.asarray(values, dtype=float)
    return _estimate(v[np.isfinite(v)], stat, seed, metric, label)[0]


def _estimate(v: np.ndarray, stat: str, seed: int, metric, label) -> tuple[Estimate, np.ndarray | None]:
    """The Estimate and its bootstrap replicates (reused by comparisons)."""
    if len(v) == 0:
        return Estimate(None, 0, None, None, metric, label), None
    reps = _boot(v, stat, seed)
    lo, hi = _percentiles(reps)
    return Estimate(_stat(v, stat), len(v), lo, hi, metric, label), reps


def ratio_of_sums(counts, exposures, metric: str | None = None, label: str | None = None,
                  seed: int = 0) -> Estimate:
    """sum(counts) / sum(exposures) over units with a positive exposure, bootstrap interval over units."""
    y, x = _pairs(counts, exposures)
    return _ratio(y, x, seed, metric, label)[0]


def _ratio(y: np.ndarray, x: np.ndarray, seed: int, metric, label) -> tuple[Estimate, np.ndarray | None]:
    if len(y) == 0 or x.sum() <= 0:
        return Estimate(None, len(y), None, None, metric, label), None
    reps = _boot(y, "ratio", seed, x)
    lo, hi = _percentiles(reps)
    return Estimate(float(y.sum() / x.sum()), len(y), lo, hi, metric, label), reps


def compare_groups(values_a, values_b, metric: str, a_label: str, b_label: str, stat: str = "median",
                   seed: int = 0) -> Comparison:
    """Difference of medians (or means) with a bootstrap interval of the difference."""
    va = np.asarray(values_a, dtype=float)
    vb = np.asarray(values_b, dtype=float)
    a, ra = _estimate(va[np.isfinite(va)], stat, seed, metric, a_label)
    b, rb = _estimate(vb[np.isfinite(vb)], stat, seed + 1, metric, b_label)
    method = f"bootstrap of {stat}s ({N_BOOT} resamples, seed {seed})"
    if a.value is None or b.value is None:
        return Comparison(metric, a_label, b_label, a, b, None, None, None, NOT_ENOUGH, method)
    low, high = _percentiles(ra - rb)
    return Comparison(metric, a_label, b_label, a, b, a.value - b.value, low, high,
                      verdict(low, high, a.n, b.n), method)


COMPARE_COLUMNS = ["metric", "group", "n", "value", "low", "high", "rest_n", "rest_value",
                   "diff", "diff_low", "diff_high", "verdict", "method"]


def compare_many(df: pd.DataFrame, value_col: str, group_col: str, metric: str,
                 stat: str = "median", seed: int = 0) -> pd.DataFrame:
    """Each group against all the other rows together, with bootstrap intervals and verdicts.

    One row per group (sorted by group): the group's statistic and interval, the rest's
    statistic, the difference group - rest with its interval, and the verdict."""
    d = df[[group_col, value_col]].dropna()
    d = d[np.isfinite(d[value_col].astype(float))]
    rows = []
    values = d[value_col].to_numpy(dtype=float)
    groups = d[group_col].to_numpy()
    for i, g in enumerate(sorted(pd.unique(groups), key=str)):  # a loop over groups, not rows
        mask = groups == g
        c = compare_groups(values[mask], values[~mask], metric, str(g), "rest", stat, seed + 2 * i)
        rows.append([metric, g, c.a.n, c.a.value, c.a.low, c.a.high, c.b.n, c.b.value,
                     c.diff, c.low, c.high, c.verdict, c.method])
    out = pd.DataFrame(rows, columns=COMPARE_COLUMNS)
    return numeric(out, ["n", "value", "low", "high", "rest_n", "rest_value", "diff", "diff_low", "diff_high"])


def numeric(df: pd.DataFrame, columns) -> pd.DataFrame:
    """Columns built from Estimates (None when missing) as float with NaN."""
    columns = list(columns)
    if len(df) and columns:
        df[columns] = df[columns].astype(float)
    else:
        df = df.astype({c: float for c in columns})
    return df
