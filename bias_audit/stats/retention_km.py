"""Kaplan–Meier estimates and the log-rank test for retention (see
:mod:`bias_audit.stats.retention`), each computed by statsmodels.

- ``statsmodels.duration.survfunc.SurvfuncRight``: the product-limit estimate S(t) and
  Greenwood's standard error at each leaving time;
- a pointwise 95% interval on the log(−log) scale (Kalbfleisch & Prentice, *The
  Statistical Analysis of Failure Time Data*, 1980, §1.3), which stays inside 0–1;
- ``statsmodels.duration.survfunc.survdiff``: the log-rank test across groups.

Times are whole days; a month is 365.25 / 12 days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bias_audit.stats.significance import Z_95

DAYS_PER_MONTH = 365.25 / 12
MIN_AT_RISK = 8


def horizon_days(months: int) -> int:
    """A horizon in whole days (a month is 365.25 / 12 days).

    >>> [horizon_days(m) for m in (3, 6, 12)]
    [91, 183, 365]
    """
    return round(months * DAYS_PER_MONTH)


@dataclass(frozen=True)
class KaplanMeier:
    """A Kaplan–Meier fit of one group: event times with S(t), its standard error and the
    number at risk (all from ``SurvfuncRight``), plus the group's times for at-risk counts."""

    times: np.ndarray
    survival: np.ndarray
    standard_error: np.ndarray
    days: np.ndarray

    def at_risk(self, day: float) -> int:
        """People still in post (and observed) just before ``day``: time in post ≥ day."""
        return int((self.days >= day).sum())

    def value(self, day: float) -> tuple[float, float]:
        """S(day) and its Greenwood standard error (1 and 0 before the first leaver)."""
        i = int(np.searchsorted(self.times, day, side="right")) - 1
        if i < 0:
            return 1.0, 0.0
        return float(self.survival[i]), float(self.standard_error[i])

    def last_day_with(self, min_at_risk: int) -> int | None:
        """The last day on which ``min_at_risk`` or more are at risk (None: never)."""
        if len(self.days) < min_at_risk:
            return None
        return int(np.sort(self.days)[-min_at_risk])


def kaplan_meier(days: np.ndarray, left: np.ndarray) -> KaplanMeier:
    """Fit ``SurvfuncRight`` to times in post (days) and leaving flags.

    >>> km = kaplan_meier(np.array([10, 20, 20, 30]), np.array([True, True, False, False]))
    >>> round(km.value(15)[0], 4), round(km.value(25)[0], 4)
    (0.75, 0.5)
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    days = np.asarray(days, dtype=float)
    left = np.asarray(left, dtype=float)
    if not left.any():
        # No leaver: S(t) = 1 throughout (statsmodels needs at least one event).
        return KaplanMeier(np.array([]), np.array([]), np.array([]), days)
    fit = SurvfuncRight(days, left)
    se = np.nan_to_num(np.asarray(fit.surv_prob_se, dtype=float), nan=0.0)
    return KaplanMeier(np.asarray(fit.surv_times), np.asarray(fit.surv_prob), se, days)


def loglog_interval(survival: float, standard_error: float) -> tuple[float, float] | None:
    """Pointwise 95% interval for S on the log(−log) scale; None at S = 0 or 1.

    θ = log(−log S), se(θ) = se(S) / (S·|log S|), interval exp(−exp(θ ± z·se(θ))).

    >>> low, high = loglog_interval(0.75, 0.2165)
    >>> round(low, 3), round(high, 3)
    (0.128, 0.961)
    """
    if not 0 < survival < 1 or standard_error <= 0:
        return None
    spread = Z_95 * standard_error / (survival * abs(np.log(survival)))
    return float(survival ** np.exp(spread)), float(survival ** np.exp(-spread))


def km_curve(km: KaplanMeier, *, min_at_risk: int = MIN_AT_RISK) -> pd.DataFrame:
    """The Kaplan–Meier steps (``days``, ``months``, ``survival``, ``ci_low``, ``ci_high``,
    ``at_risk``) from day 0 to the last day ``min_at_risk`` or more are at risk; empty when
    the group never has that many.

    >>> km = kaplan_meier(np.arange(1, 11) * 30, np.array([True] * 3 + [False] * 7))
    >>> km_curve(km)[["days", "survival", "at_risk"]].round(4).values.tolist()
    [[0.0, 1.0, 10.0], [30.0, 0.9, 10.0], [60.0, 0.8, 9.0], [90.0, 0.7, 8.0]]
    """
    last = km.last_day_with(min_at_risk)
    columns = ["days", "months", "survival", "ci_low", "ci_high", "at_risk"]
    if last is None:
        return pd.DataFrame(columns=columns)
    days = [0.0] + [float(t) for t in km.times if t <= last]
    if days[-1] != last:
        days.append(float(last))
    rows = []
    for day in days:
        survival, se = km.value(day)
        interval = loglog_interval(survival, se) if day > 0 else None
        low, high = interval if interval is not None else (None, None)
        rows.append((day, day / DAYS_PER_MONTH, survival, low, high, km.at_risk(day)))
    return pd.DataFrame(rows, columns=columns)


def km_monthly(km: KaplanMeier, *, min_at_risk: int = MIN_AT_RISK) -> pd.DataFrame:
    """The curve at whole months only (``month``, ``survival``, ``ci_low``, ``ci_high``,
    ``at_risk``, each as it stands on that month's day), while ``min_at_risk`` or more are
    at risk: the published form, in which no single leaving date shows.

    >>> km = kaplan_meier(np.arange(1, 11) * 20, np.array([True] * 3 + [False] * 7))
    >>> km_monthly(km)[["month", "at_risk"]].values.tolist()
    [[0, 10], [1, 9]]
    """
    rows = []
    month = 0
    while True:
        day = horizon_days(month)
        at_risk = km.at_risk(day)
        if at_risk < min_at_risk:
            break
        survival, se = km.value(day)
        interval = loglog_interval(survival, se) if month > 0 else None
        low, high = interval if interval is not None else (None, None)
        rows.append((month, survival, low, high, at_risk))
        month += 1
    return pd.DataFrame(rows, columns=["month", "survival", "ci_low", "ci_high", "at_risk"])


def logrank(days: np.ndarray, left: np.ndarray, groups: np.ndarray) -> tuple[float, int, float]:
    """Log-rank chi-squared, degrees of freedom and p across the groups given (statsmodels
    ``survdiff``).

    >>> chi2, df, p = logrank(np.array([1, 2, 2, 3, 4, 5]), np.array([1, 1, 0, 1, 0, 1]),
    ...                       np.array(["a", "a", "a", "b", "b", "b"]))
    >>> round(chi2, 4), df, round(p, 4)
    (2.4694, 1, 0.1161)
    """
    from statsmodels.duration.survfunc import survdiff

    codes, _ = pd.factorize(groups)
    chi2, p = survdiff(np.asarray(days, float), np.asarray(left, float), codes)
    return float(chi2), int(len(set(codes)) - 1), float(p)
