"""Kaplan–Meier curves and the log-rank test, for durations some of which are right-censored
(a message still unanswered at the export waited *at least* that long).

These are scipy.stats' `ecdf` on right-censored data (with its "log-log", exponential Greenwood,
confidence band) and `logrank`, written out over the same formulas with numpy and the
scipy.special functions scipy.stats itself calls. Not scipy.stats: importing it costs every
audit run about 2.5 s of CPU (in the kernel server and again in the customer-care kernel), more
than all of the survival analysis. tests/test_metrics_survival.py checks the results are
scipy.stats' own, on random samples and on edge cases.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Survival:
    """The Kaplan–Meier estimate of the share still waiting, S(t), at each distinct time observed
    (ascending), with the number still waiting just before that time, the events there, and the
    pointwise confidence band (NaN where the formula is undefined: S = 0 or 1)."""

    times: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    probability: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def evaluate(self, x: float, which: str = "probability") -> float:
        """S (or its band's `low`/`high` bound) at time x: a step function, 1 before the first time."""
        k = int(np.searchsorted(self.times, x, side="right")) - 1
        return 1.0 if k < 0 else float(getattr(self, which)[k])


def kaplan_meier(durations, observed, level: float = 0.95) -> Survival:
    """Kaplan–Meier estimate from `durations` and whether each event was `observed` (False:
    right-censored at that duration). S(t) = product over event times t_i <= t of (1 - d_i / n_i),
    d_i events at t_i among the n_i still at risk. Band (log-log): exp(-exp(log(-log S) ± z·se)),
    se² = Σ d_i / (n_i (n_i - d_i)) / log(S)², clipped to [0, 1]."""
    from scipy.special import ndtri

    t = np.asarray(durations, dtype=float)
    died = np.asarray(observed, dtype=bool)
    order = np.argsort(t, kind="stable")
    t, died = t[order], died[order]
    at_risk = np.arange(len(t), 0, -1)
    step = np.diff(t, prepend=-np.inf, append=np.inf) > 0
    first, last = step[:-1], step[1:]  # first and last occurrence of each distinct time
    times, n = t[first], at_risk[first]
    d = np.diff(np.cumsum(died)[last], prepend=0)
    s = np.cumprod((n - d) / n)
    z = ndtri(0.5 + level / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(1 / np.log(s) ** 2 * np.cumsum(d / (n * (n - d))))
        centre = np.log(-np.log(s))
    low = np.clip(np.exp(-np.exp(centre + z * se)), 0, 1)
    high = np.clip(np.exp(-np.exp(centre - z * se)), 0, 1)
    return Survival(times, n, d, s, low, high)


@dataclass(frozen=True)
class LogRank:
    statistic: float  # > 0: group x has more events than expected under equal curves (events come sooner)
    pvalue: float     # two-sided


def logrank(x_durations, x_observed, y_durations, y_observed) -> LogRank:
    """Log-rank test that two right-censored samples come from the same survival curve:
    (observed - expected events of x) / sqrt(variance), summed over the distinct event times of
    both samples together, and its two-sided normal p-value."""
    from scipy.special import ndtr

    both = kaplan_meier(np.concatenate([x_durations, y_durations]), np.concatenate([x_observed, y_observed]))
    happened = both.events > 0
    times, n, d = both.times[happened], both.at_risk[happened], both.events[happened]
    x = kaplan_meier(x_durations, x_observed)
    n_x = np.append(x.at_risk, 0)[np.searchsorted(x.times, times)]  # none at risk after x's last time
    n_y = n - n_x
    several = n > 1
    variance = np.sum((n_x * n_y * d * (n - d))[several] / (n ** 2 * (n - 1))[several])
    expected = np.sum(n_x * d / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = (int(np.sum(np.asarray(x_observed, dtype=bool))) - expected) / np.sqrt(variance)
    return LogRank(float(statistic), float(2 * ndtr(-abs(statistic))))
