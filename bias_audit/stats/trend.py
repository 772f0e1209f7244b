"""An indicator year by year, and a test for a trend in it (pure functions, no I/O).

Each year's relative likelihood RL_t = (k_ref/n_ref) ÷ (k/n) gets its Katz 95% interval,
exp(ln RL_t ± 1.96·s_t), s_t = √(1/k_ref − 1/n_ref + 1/k − 1/n) (Katz et al. 1978).

**Test for trend: inverse-variance weighted least squares of ln RL_t on the year** (a
fixed-effect meta-regression): ln RL_t = a + b·(year_t − first year), weights w_t = 1/s_t²,
the residual scale fixed at 1 because each year's variance is known
(``statsmodels`` ``WLS(...).fit(cov_type="fixed scale")``), so b/SE(b) is a z test. The
slope is shown as exp(b): the factor by which the ratio changes each year.

Why this and not the Cochran–Armitage test: Cochran–Armitage asks whether *one* proportion
changes across ordered years; WRES indicator 2 is a *ratio* of two groups' rates, so the
question is whether the gap between the groups changes (a group × year interaction). The
weighted regression of the log ratio answers exactly that and gives each year the weight
its numbers deserve (a year with few BME appointments counts less).

Caveats, stated with the result: with two years the "trend" is a comparison of the two;
the residual heterogeneity Q = Σ w_t (ln RL_t − fitted)² is given against χ² on (years − 2)
degrees of freedom — when it is large the years scatter more than chance allows and the
slope's interval is too narrow (it is flagged). A year whose ratio is not computable (no
appointments in a group) is left out and named.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

from bias_audit.stats.funnel_plot import Z_95, Counts, log_ratio

MIN_YEARS = 2
ALPHA = 0.05
REASON_TOO_FEW_YEARS = "fewer than {minimum} years have a computable ratio, so no trend is tested"


@dataclass(frozen=True)
class YearPoint:
    """One year's ratio and interval (``value`` None: not computable, ``reason`` why)."""

    year: str
    position: float
    counts: Counts
    value: float | None
    ci_low: float | None
    ci_high: float | None
    reason: str = ""


@dataclass(frozen=True)
class Trend:
    """The year-by-year points and the weighted regression of ln RL on the year."""

    points: tuple[YearPoint, ...]
    slope: float | None  # b, per year, on the log scale
    ratio_per_year: float | None  # exp(b)
    ci_low: float | None  # exp of b's 95% interval
    ci_high: float | None
    p_value: float | None
    heterogeneity_q: float | None
    heterogeneity_p: float | None
    years_used: int
    reason: str = ""

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < ALPHA

    @property
    def heterogeneous(self) -> bool:
        return self.heterogeneity_p is not None and self.heterogeneity_p < ALPHA


def year_position(label: str) -> float | None:
    """The year a label stands for, as a number: "2023" -> 2023, "2023/24" -> 2023.

    >>> [year_position(v) for v in ("2023", "2023/24", "2022-23", "x")]
    [2023.0, 2023.0, 2022.0, None]
    """
    text = str(label).strip()
    if len(text) >= 4 and text[:4].isdigit():
        return float(text[:4])
    return None


def trend(
    years: Mapping[str, Counts],
    *,
    reference: str = "reference",
    focal: str = "focal",
    withheld: Mapping[str, str] | None = None,
) -> Trend:
    """Each year's ratio and interval, and the weighted test for a trend in the ratio.

    Parameters
    ----------
    years
        Year label ("2022", "2022/23") -> counts (shown counts in published mode).
    reference, focal
        Group names for the reasons given.
    withheld
        Years with no counts to use (e.g. hidden by disclosure control) -> why; shown as
        not computable with that reason and left out of the test.

    Examples
    --------
    A ratio that doubles each year, with equal weights: exp(b) = 2.

    >>> t = trend({"2021": Counts(20, 100, 20, 100), "2022": Counts(40, 100, 20, 100),
    ...            "2023": Counts(80, 100, 20, 100)})
    >>> [p.value for p in t.points], round(t.ratio_per_year, 2)
    ([1.0, 2.0, 4.0], 2.0)
    """
    points: list[YearPoint] = []
    withheld = dict(withheld or {})
    every = {**{y: None for y in withheld}, **dict(years)}
    for label in sorted(every, key=lambda y: (year_position(y) or math.inf, y)):
        if label in withheld:
            empty = Counts(0, 0, 0, 0)
            where = year_position(label) or math.nan
            points.append(YearPoint(label, where, empty, None, None, None, withheld[label]))
            continue
        counts = years[label]
        where = year_position(label)
        value, se, reason = log_ratio(counts, reference=reference, focal=focal)
        if where is None:
            reason = reason or f"{label!r} is not a year"
        if value is None or se is None or where is None:
            points.append(
                YearPoint(label, where or math.nan, counts,
                          None if value is None else math.exp(value), None, None, reason)
            )  # fmt: skip
            continue
        points.append(
            YearPoint(
                label,
                where,
                counts,
                math.exp(value),
                math.exp(value - Z_95 * se),
                math.exp(value + Z_95 * se),
            )
        )
    usable = [(p.position, *log_ratio(p.counts)[:2]) for p in points if p.ci_low is not None]
    empty = Trend(tuple(points), None, None, None, None, None, None, None, len(usable))
    if len(usable) < MIN_YEARS:
        return Trend(**{**empty.__dict__, "reason": REASON_TOO_FEW_YEARS.format(minimum=MIN_YEARS)})
    import statsmodels.api as sm

    x = np.array([u[0] for u in usable], dtype=float)
    y = np.array([u[1] for u in usable], dtype=float)
    w = 1 / np.array([u[2] for u in usable], dtype=float) ** 2
    design = sm.add_constant(x - x.min())
    fit = sm.WLS(y, design, weights=w).fit(cov_type="fixed scale")
    slope = float(fit.params[1])
    se = float(fit.bse[1])
    q = float(np.sum(w * fit.resid**2))
    df = len(usable) - 2
    return Trend(
        tuple(points),
        slope,
        math.exp(slope),
        math.exp(slope - Z_95 * se),
        math.exp(slope + Z_95 * se),
        float(2 * stats.norm.sf(abs(slope / se))),
        q if df > 0 else None,
        float(stats.chi2.sf(q, df)) if df > 0 else None,
        len(usable),
    )
