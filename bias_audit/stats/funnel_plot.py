"""Funnel plots for comparing organisations: each one's relative likelihood against the
pooled value, with 95% and 99.8% control limits (pure functions, no I/O).

Method (Spiegelhalter 2005, "Funnel plots for comparing institutional performance",
Statistics in Medicine 24:1185–1202):

- *Indicator.* For each organisation i, the relative likelihood of the reference group
  being selected compared with the focal group, RL_i = (k_ref/n_ref) ÷ (k/n) (WRES
  indicator 2, WDES metric 2, or any stage's selection-rate ratio). A ratio of proportions
  is compared on the **log scale**: y_i = ln RL_i, with the Katz standard error
  s_i = √(1/k_ref − 1/n_ref + 1/k − 1/n) (Katz et al. 1978), and precision ρ_i = 1 / s_i².
  The standard error is the observed one (no expected counts are needed, and it is the one
  the interval in the audit uses); an organisation where either group had no appointment
  has no finite log ratio and is listed as not plotted, with the reason.
- *Target.* θ0 = ln of the **pooled** relative likelihood (the ratio of the summed counts
  over all organisations: the region's own WRES indicator 2), not an average of the
  organisations' ratios.
- *Limits.* θ0 ± z_p · s at each precision, z = 1.960 (95%) and z = 3.090 (99.8%), shown
  back on the ratio scale, exp(·). An organisation outside the 99.8% limits is unlikely to
  differ by chance alone (about 1 in 500 under the null, each side 1 in 1000).
- *Overdispersion* (Spiegelhalter 2005, "Handling over-dispersion of performance
  indicators", Qual Saf Health Care 14:347–351; Spiegelhalter, Sherlaw-Johnson et al. 2012,
  "Statistical methods for healthcare regulation", JRSS A 175:1–47). z_i = (y_i − θ0)/s_i;
  the z-scores are **winsorised at 10%** (the lowest 10% set to the 10th percentile, the
  highest 10% to the 90th, linear interpolation between order statistics), and
  φ̂ = (1/I) Σ z_w². *Test:* I·φ̂ against χ² on I − 1 degrees of freedom (one parameter,
  θ0, is estimated), overdispersed when p < 0.05. Then the **additive random-effects**
  variant is used (the one the 2005 paper prefers and NHS England's SHMI uses):
  τ̂² = max(0, (I·φ̂ − (I − 1)) / (Σw_i − Σw_i²/Σw_i)), w_i = 1/s_i², and the limits
  become θ0 ± z_p · √(s² + τ̂²). With fewer than :data:`MIN_FOR_OVERDISPERSION`
  organisations the dispersion is not estimated (stated).

No ranking: organisations are listed alphabetically, each with where it lies (inside the
95% limits, between the 95% and 99.8% limits, or outside the 99.8% limits, above or
below).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import special, stats

Z_95 = float(special.ndtri(0.975))  # 1.959963984540054
Z_998 = float(special.ndtri(0.999))  # 3.090232306167813
WINSORISE = 0.10
OVERDISPERSION_ALPHA = 0.05
MIN_FOR_OVERDISPERSION = 3

INSIDE = "inside the 95% limits"
ABOVE_95 = "above the 95% limit"
BELOW_95 = "below the 95% limit"
ABOVE_998 = "above the 99.8% limit"
BELOW_998 = "below the 99.8% limit"
NOT_PLOTTED = "not plotted"

REASON_NO_GROUP = "no {group} applicants"
REASON_NONE_SELECTED = "no {group} applicants were selected, so the ratio has no finite value"
REASON_ALL_SELECTED = "everyone in both groups was selected, so there is no spread"
REASON_TOO_FEW = (
    "fewer than {minimum} organisations could be plotted, so over-dispersion was not estimated"
)


@dataclass(frozen=True)
class Counts:
    """One organisation's (or the pool's) 2×2 table: the reference group selected
    ``k_ref`` of ``n_ref``, the focal group ``k`` of ``n``."""

    k_ref: int
    n_ref: int
    k: int
    n: int


def log_ratio(
    counts: Counts, *, reference: str = "reference", focal: str = "focal"
) -> tuple[float | None, float | None, str]:
    """ln RL (reference rate ÷ focal rate), its Katz standard error, and a reason when
    either is not computable.

    >>> y, s, _ = log_ratio(Counts(k_ref=30, n_ref=100, k=15, n=100))
    >>> round(math.exp(y), 3), round(s, 4)
    (2.0, 0.2828)
    >>> log_ratio(Counts(10, 50, 0, 40), focal="BME")[2]
    'no BME applicants were selected, so the ratio has no finite value'
    """
    for who, k, n in ((reference, counts.k_ref, counts.n_ref), (focal, counts.k, counts.n)):
        if n <= 0:
            return None, None, REASON_NO_GROUP.format(group=who)
        if k <= 0:
            return None, None, REASON_NONE_SELECTED.format(group=who)
    variance = 1 / counts.k_ref - 1 / counts.n_ref + 1 / counts.k - 1 / counts.n
    value = math.log((counts.k_ref / counts.n_ref) / (counts.k / counts.n))
    if variance <= 0:
        return value, None, REASON_ALL_SELECTED
    return value, math.sqrt(variance), ""


def winsorised(z: Sequence[float], share: float = WINSORISE) -> np.ndarray:
    """The z-scores with the lowest and highest ``share`` pulled in to those percentiles.

    >>> winsorised([-3.0, 0.0, 0.5, 1.0, 9.0], 0.2).round(6).tolist()
    [-0.6, 0.0, 0.5, 1.0, 2.6]
    """
    values = np.asarray(z, dtype=float)
    low, high = np.quantile(values, [share, 1 - share])
    return np.clip(values, low, high)


@dataclass(frozen=True)
class Dispersion:
    """The over-dispersion check: φ̂ (winsorised), the χ² test, and τ̂² when used."""

    phi: float | None
    statistic: float | None
    degrees_of_freedom: int
    p_value: float | None
    overdispersed: bool
    tau2: float
    note: str


def dispersion(z: Sequence[float], se: Sequence[float]) -> Dispersion:
    """φ̂ from winsorised z-scores, the χ²(I − 1) test, and τ̂² (additive random effects)
    when the test finds over-dispersion (τ̂² = 0 otherwise).

    >>> d = dispersion([2.0, -2.0, 2.0, -2.0], [0.1, 0.1, 0.1, 0.1])
    >>> round(d.phi, 2), d.degrees_of_freedom, d.overdispersed
    (4.0, 3, True)
    >>> round(float(d.tau2), 4)  # (16 - 3) / (400 - 100)
    0.0433
    """
    count = len(z)
    if count < MIN_FOR_OVERDISPERSION:
        return Dispersion(
            None, None, max(count - 1, 0), None, False, 0.0,
            REASON_TOO_FEW.format(minimum=MIN_FOR_OVERDISPERSION),
        )  # fmt: skip
    zw = winsorised(z)
    phi = float(np.mean(zw**2))
    statistic = count * phi
    df = count - 1
    p = float(stats.chi2.sf(statistic, df))
    overdispersed = p < OVERDISPERSION_ALPHA
    tau2 = 0.0
    if overdispersed:
        w = 1 / np.asarray(se, dtype=float) ** 2
        tau2 = max(0.0, float((statistic - df) / (w.sum() - (w**2).sum() / w.sum())))
    return Dispersion(phi, statistic, df, p, overdispersed, tau2, "")


def limits(
    theta0: float, se: float | np.ndarray, z: float, tau2: float = 0.0
) -> tuple[float | np.ndarray, float | np.ndarray]:
    """Control limits on the ratio scale at standard error ``se``: exp(θ0 ± z·√(se² + τ²)).

    >>> low, high = limits(math.log(1.5), 0.2, Z_95)
    >>> round(low, 3), round(high, 3)
    (1.014, 2.22)
    """
    half = z * np.sqrt(np.asarray(se, dtype=float) ** 2 + tau2)
    low, high = np.exp(theta0 - half), np.exp(theta0 + half)
    if np.ndim(low) == 0:
        return float(low), float(high)
    return low, high


@dataclass(frozen=True)
class Point:
    """One organisation on the funnel plot (``value`` None: not plotted, ``reason`` why)."""

    organisation: str
    counts: Counts
    value: float | None
    se: float | None
    precision: float | None
    z: float | None
    limits_95: tuple[float, float] | None
    limits_998: tuple[float, float] | None
    position: str
    reason: str = ""


@dataclass(frozen=True)
class FunnelPlot:
    """A funnel plot: the pooled target, the points (alphabetical), the dispersion check,
    and curves of the limits for drawing (``curve``: precision -> limits)."""

    target: float | None
    target_reason: str
    points: tuple[Point, ...]
    dispersion: Dispersion
    curve: dict[str, list[float]] = field(default_factory=dict)
    # Outside the 99.8% limits before any over-dispersion adjustment (to say what it changed).
    outside_998_unadjusted: tuple[str, ...] = ()

    @property
    def outside_998(self) -> tuple[str, ...]:
        return tuple(p.organisation for p in self.points if p.position in (ABOVE_998, BELOW_998))

    @property
    def outside_95(self) -> tuple[str, ...]:
        """Outside the 95% limits (including those outside the 99.8% limits)."""
        return tuple(p.organisation for p in self.points if p.position not in (INSIDE, NOT_PLOTTED))


def position(value: float, lim95: tuple[float, float], lim998: tuple[float, float]) -> str:
    """Where a ratio lies against its limits.

    >>> position(3.0, (0.8, 1.2), (0.6, 2.5)), position(0.7, (0.8, 1.2), (0.6, 2.5))
    ('above the 99.8% limit', 'below the 95% limit')
    """
    if value > lim998[1]:
        return ABOVE_998
    if value < lim998[0]:
        return BELOW_998
    if value > lim95[1]:
        return ABOVE_95
    if value < lim95[0]:
        return BELOW_95
    return INSIDE


def funnel_plot(
    organisations: dict[str, Counts],
    pooled: Counts,
    *,
    reference: str = "reference",
    focal: str = "focal",
    curve_points: int = 60,
) -> FunnelPlot:
    """Every organisation's relative likelihood against the pooled value, with limits.

    Parameters
    ----------
    organisations
        Name -> counts (as published: the caller passes shown counts in published mode).
    pooled
        The pooled counts (the target); as published too.
    reference, focal
        Group names for the reasons given.
    curve_points
        Points along each limit curve, for drawing.

    Examples
    --------
    >>> plot = funnel_plot({"B": Counts(40, 100, 20, 100), "A": Counts(30, 100, 30, 100)},
    ...                    Counts(70, 200, 50, 200))
    >>> [p.organisation for p in plot.points], round(math.exp(plot.target), 2)
    (['A', 'B'], 1.4)
    """
    theta0, _, why = log_ratio(pooled, reference=reference, focal=focal)
    raw = []
    for name in sorted(organisations, key=lambda s: (str(s).casefold(), str(s))):
        counts = organisations[name]
        value, se, reason = log_ratio(counts, reference=reference, focal=focal)
        raw.append((name, counts, value, se, reason))
    usable = [r for r in raw if r[2] is not None and r[3] is not None]
    if theta0 is None:
        points = tuple(
            Point(n, c, None if v is None else math.exp(v), s, None, None, None, None,
                  NOT_PLOTTED, f"no pooled value: {why}")
            for n, c, v, s, _ in raw
        )  # fmt: skip
        return FunnelPlot(None, why, points, dispersion([], []))
    z_scores = [(v - theta0) / s for _, _, v, s, _ in usable]
    check = dispersion(z_scores, [s for _, _, _, s, _ in usable])
    points_list = []
    for name, counts, value, se, reason in raw:
        if value is None or se is None:
            points_list.append(
                Point(name, counts, None if value is None else math.exp(value), se, None,
                      None, None, None, NOT_PLOTTED, reason)
            )  # fmt: skip
            continue
        lim95 = limits(theta0, se, Z_95, check.tau2)
        lim998 = limits(theta0, se, Z_998, check.tau2)
        ratio = math.exp(value)
        points_list.append(
            Point(
                name,
                counts,
                ratio,
                se,
                1 / se**2,
                (value - theta0) / math.sqrt(se**2 + check.tau2),
                lim95,  # type: ignore[arg-type]
                lim998,  # type: ignore[arg-type]
                position(ratio, lim95, lim998),  # type: ignore[arg-type]
            )
        )
    curve: dict[str, list[float]] = {}
    precisions = [p.precision for p in points_list if p.precision is not None]
    if precisions:
        top = max(precisions) * 1.1
        bottom = min(precisions) * 0.5
        grid = np.linspace(bottom, top, curve_points)
        se_grid = 1 / np.sqrt(grid)
        curve["precision"] = grid.tolist()
        for label, z in (("95", Z_95), ("998", Z_998)):
            low, high = limits(theta0, se_grid, z, check.tau2)
            curve[f"low_{label}"] = np.asarray(low).tolist()
            curve[f"high_{label}"] = np.asarray(high).tolist()
    unadjusted = tuple(
        p.organisation
        for p in points_list
        if p.value is not None
        and p.se is not None
        and position(p.value, limits(theta0, p.se, Z_95), limits(theta0, p.se, Z_998))  # type: ignore[arg-type]
        in (ABOVE_998, BELOW_998)
    )
    return FunnelPlot(theta0, "", tuple(points_list), check, curve, unadjusted)
