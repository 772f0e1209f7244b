"""Tests and intervals for one group against another in a 2×2 selection table.

Notation: the focal group selected ``k`` of ``n``; the comparison (reference) group selected
``k_ref`` of ``n_ref``. Formulas (research notes, stats-anchors §2), each computed by a
library:

- Fisher's exact test, two-sided, scipy's "minlike" definition (``scipy.stats.fisher_exact``);
- Lancaster mid-P, two-sided = Fisher's two-sided p − ½·P(X = k) (the "exact p minus half
  the point probability" convention; Lancaster 1961), P(X = k) from ``scipy.stats.hypergeom``;
- pooled two-proportion z = (rate − rate_ref) / √(P(1 − P)(1/n + 1/n_ref)), P the pooled rate
  (``statsmodels.stats.proportion.proportions_ztest``, variance under the null);
- Katz log interval for the ratio of rates (Katz et al. 1978), here in the WRES direction
  rate_ref ÷ rate: exp(ln RL ± z·√(1/k_ref − 1/n_ref + 1/k − 1/n))
  (``scipy.stats.contingency.relative_risk(...).confidence_interval``);
- the one-person ("flip-flop") rule of the UGESP Questions and Answers: move one selection
  from the comparison group to the focal group; if the four-fifths flag then disappears, the
  difference is too small to be practically significant;
- shortfall: extra selections the focal group needed to match the comparison rate,
  ⌈rate_ref·n − k⌉ (0 when it is not behind).

Anything that would divide by zero is "not computable" with the reason, never a number: the
zero cells are caught here before a library is called (scipy returns nan or inf for them,
statsmodels nan with a warning).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats
from scipy.stats.contingency import relative_risk

CONFIDENCE_LEVEL = 0.95
# The two-sided normal quantile exactly as scipy's Katz interval derives it (1.959963984540054).
Z_95 = float(special.ndtri(1 - (1 - CONFIDENCE_LEVEL) / 2))

REASON_NOBODY_ENTERED = "nobody in {who} reached this stage"
REASON_NOBODY_PROGRESSED = "nobody in {who} progressed, so the ratio has no finite value"
REASON_ALL_OR_NONE = "everyone or no one progressed in both groups, so there is no spread"
REASON_CI_ZERO = "a group with no one, or everyone, progressing leaves the interval undefined"
REASON_NO_SPREAD = "everyone progressed in both groups, so there is no gap to measure"
REASON_REFERENCE_NONE = "nobody in the reference group progressed, so the ratio has no meaning"

# One story per comparison: "significant" only when Fisher's exact test and the interval
# shown agree; when they do not, the sentence says so plainly.
SIGNIFICANT = "significant"
NOT_SIGNIFICANT = "not significant"
BORDERLINE = "borderline"
ALPHA = 0.05

ONE_PERSON_PASS = "pass"  # noqa: S105 (a verdict, not a password)
ONE_PERSON_FAIL = "fail"
ONE_PERSON_NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Comparison:
    """Statistics for a focal group against a comparison group; ``None`` = not computable.

    ``reasons`` maps a field name to why it could not be computed.
    """

    relative_likelihood: float | None
    p_value: float | None
    mid_p: float | None
    z: float | None
    ci_low: float | None
    ci_high: float | None
    reasons: dict[str, str]

    def fields(self) -> dict[str, float | None]:
        """The numbers by name (without the reasons)."""
        return {
            "relative_likelihood": self.relative_likelihood,
            "p_value": self.p_value,
            "mid_p": self.mid_p,
            "z": self.z,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
        }


@functools.lru_cache(maxsize=65536)
def fisher_p(k: int, n: int, k_ref: int, n_ref: int) -> tuple[float, float]:
    """Two-sided Fisher exact p and Lancaster mid-P for ``k``/``n`` against ``k_ref``/``n_ref``.

    Examples
    --------
    >>> p, mid = fisher_p(21, 50, 48, 80)
    >>> round(p, 4), round(mid, 4)
    (0.0495, 0.0396)
    """
    table = [[k, n - k], [k_ref, n_ref - k_ref]]
    p = float(stats.fisher_exact(table, alternative="two-sided").pvalue)
    # Given the margins, the focal group's selections follow a hypergeometric law.
    point = float(stats.hypergeom.pmf(k, n + n_ref, k + k_ref, n))
    return p, max(0.0, p - 0.5 * point)


def pooled_z(k: int, n: int, k_ref: int, n_ref: int) -> float | None:
    """Pooled two-proportion z of the focal rate minus the comparison rate (None: no spread).

    ``statsmodels.stats.proportion.proportions_ztest`` with the variance under the null
    (``prop_var=False`` pools the two rates); ``None`` when everyone or no one progressed
    in both groups, where the variance is 0 and statsmodels would give nan.

    >>> round(pooled_z(10, 20, 20, 20), 6)
    -3.651484
    >>> pooled_z(0, 20, 0, 30) is None, pooled_z(20, 20, 30, 30) is None
    (True, True)
    """
    if k + k_ref in (0, n + n_ref):
        return None
    from statsmodels.stats.proportion import proportions_ztest  # statsmodels: loaded when used

    z, _ = proportions_ztest([k, k_ref], [n, n_ref], value=0, prop_var=False)
    return float(z)


def katz_interval(
    k: int, n: int, k_ref: int, n_ref: int, *, confidence_level: float = CONFIDENCE_LEVEL
) -> tuple[float, float] | None:
    """Katz log interval for rate_ref ÷ rate (WRES direction); None if not computable.

    ``scipy.stats.contingency.relative_risk`` with the comparison group as "exposed", so the
    ratio is rate_ref ÷ rate. Not computable (``None``): when nobody progressed in either
    group (scipy would give nan or inf), and when everyone progressed in both groups (the
    variance is 0: a zero-width "interval" that would read "1.00 to 1.00").

    >>> low, high = katz_interval(21, 50, 48, 80)
    >>> round(low, 3), round(high, 3)
    (0.985, 2.072)
    >>> katz_interval(0, 50, 48, 80) is None, katz_interval(50, 50, 80, 80) is None
    (True, True)
    """
    if min(k, k_ref) == 0 or (k == n and k_ref == n_ref):
        return None
    ci = relative_risk(k_ref, n_ref, k, n).confidence_interval(confidence_level=confidence_level)
    return float(ci.low), float(ci.high)


def katz_interval_many(
    k: np.ndarray, n: np.ndarray, k_ref: np.ndarray, n_ref: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`katz_interval` (95%) for many tables at once; NaN where it is not computable.

    scipy's ``relative_risk`` takes one table a call (about 8 µs each), and
    :func:`allowing_for_rounding` needs the interval of every corner of the rounding box (81
    tables) for every published row; this is scipy's own arithmetic, in scipy's order, on
    arrays. The tests assert it equals :func:`katz_interval` table by table.

    >>> low, high = katz_interval_many(*(np.array([v, v]) for v in (21, 50, 48, 80)))
    >>> np.round(low, 3).tolist(), np.round(high, 3).tolist()
    ([0.985, 0.985], [2.072, 2.072])
    """
    k, n, k_ref, n_ref = (np.asarray(v, dtype=np.float64) for v in (k, n, k_ref, n_ref))
    computable = (k > 0) & (k_ref > 0) & ~((k == n) & (k_ref == n_ref))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (k_ref / n_ref) / (k / n)
        delta = Z_95 * np.sqrt(1 / k_ref - 1 / n_ref + 1 / k - 1 / n)
        low, high = ratio * np.exp(-delta), ratio * np.exp(delta)
    return np.where(computable, low, np.nan), np.where(computable, high, np.nan)


def pooled_z_many(k: np.ndarray, n: np.ndarray, k_ref: np.ndarray, n_ref: np.ndarray) -> np.ndarray:
    """:func:`pooled_z` for many tables at once; NaN where there is no spread.

    statsmodels' ``proportions_ztest`` takes one table a call (about 170 µs each), too slow
    for the 81 corners of :func:`allowing_for_rounding`; this is its arithmetic on arrays,
    and the tests assert it equals :func:`pooled_z` table by table.

    >>> np.round(pooled_z_many(np.array([10]), np.array([20]), np.array([20]), np.array([20])), 6)
    array([-3.651484])
    """
    k, n, k_ref, n_ref = (np.asarray(v, dtype=np.float64) for v in (k, n, k_ref, n_ref))
    spread = (k + k_ref > 0) & (k + k_ref < n + n_ref)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (k + k_ref) / (n + n_ref)
        variance = pooled * (1 - pooled) * (1 / n + 1 / n_ref)
        z = (k / n - k_ref / n_ref) / np.sqrt(variance)
    return np.where(spread, z, np.nan)


def compare(k: int, n: int, k_ref: int, n_ref: int, *, who: str = "this group") -> Comparison:
    """All two-group statistics for a focal group against a comparison group.

    Parameters
    ----------
    k, n
        Focal group: progressed and entered.
    k_ref, n_ref
        Comparison (reference) group: progressed and entered.
    who
        Name of the focal group, for the reasons.

    Examples
    --------
    >>> c = compare(21, 50, 48, 80)
    >>> round(c.relative_likelihood, 4), round(c.p_value, 4)
    (1.4286, 0.0495)
    """
    reasons: dict[str, str] = {}
    if n == 0 or n_ref == 0:
        missing = who if n == 0 else "the reference group"
        reason = REASON_NOBODY_ENTERED.format(who=missing)
        fields = ("relative_likelihood", "p_value", "mid_p", "z", "ci")
        return Comparison(None, None, None, None, None, None, dict.fromkeys(fields, reason))
    ratio = None
    if k == 0:
        reasons["relative_likelihood"] = REASON_NOBODY_PROGRESSED.format(who=who)
    elif k_ref == 0:
        reasons["relative_likelihood"] = REASON_REFERENCE_NONE
    else:
        ratio = (k_ref / n_ref) / (k / n)
    p, mid = fisher_p(k, n, k_ref, n_ref)
    z = pooled_z(k, n, k_ref, n_ref)
    if z is None:
        reasons["z"] = REASON_ALL_OR_NONE
    interval = katz_interval(k, n, k_ref, n_ref) if ratio is not None else None
    if interval is None:
        everyone = k == n and k_ref == n_ref
        reasons["ci"] = REASON_NO_SPREAD if everyone else REASON_CI_ZERO
    low, high = interval if interval is not None else (None, None)
    return Comparison(ratio, p, mid, z, low, high, reasons)


def one_person_check(k: int, n: int, k_top: int, n_top: int, *, threshold: float = 0.8) -> str:
    """UGESP one-person (flip-flop) rule for a group flagged by the four-fifths convention.

    Moves one selection from the highest-rate group to the focal group and recomputes the
    impact ratio. Returns ``"fail"`` when the flag disappears (the gap hangs on one person,
    so it is not practically significant), ``"pass"`` when the flag survives, and
    ``"not applicable"`` when the group is not flagged (impact ratio ≥ ``threshold``) or
    the ratio cannot be computed.

    Examples
    --------
    >>> one_person_check(1, 5, 40, 95)  # 0.20 vs 0.42: flagged, but 2/5 vs 39/95 is not
    'fail'
    >>> one_person_check(21, 50, 48, 80)  # 0.42 vs 0.60: 22/50 vs 47/80 is still flagged
    'pass'
    """
    if n == 0 or n_top == 0 or k_top == 0:
        return ONE_PERSON_NOT_APPLICABLE
    if (k / n) / (k_top / n_top) >= threshold:
        return ONE_PERSON_NOT_APPLICABLE
    moved_top = k_top - 1
    moved = min(k + 1, n)
    if moved_top <= 0:
        return ONE_PERSON_FAIL
    after = (moved / n) / (moved_top / n_top)
    return ONE_PERSON_FAIL if after >= threshold else ONE_PERSON_PASS


def shortfall(k: int, n: int, k_ref: int, n_ref: int) -> int | None:
    """Extra selections the focal group needed to match the comparison rate (None: no ref).

    >>> shortfall(21, 50, 48, 80), shortfall(0, 0, 48, 80)
    (9, None)
    """
    if n_ref == 0 or n == 0:
        return None
    # Round before ceil: 0.6*50 is 30.000000000000004 in floating point.
    needed = round(k_ref * n / n_ref - k, 9)
    return max(0, math.ceil(needed))


def significance_verdict(
    p_value: float | None, ci_low: float | None, ci_high: float | None, *, alpha: float = ALPHA
) -> str | None:
    """Whether a gap is statistically significant, told as one story.

    Fisher's exact p decides, but the Katz interval shown beside it is a different method;
    near the edge the two can disagree (p = 0.049 with an interval that includes 1). Then
    the verdict is ``"borderline"``, never "significant", so the sentence a board reads never
    contradicts its own interval. Without an interval, p decides alone.

    >>> significance_verdict(0.01, 1.2, 2.0), significance_verdict(0.2, 0.8, 1.5)
    ('significant', 'not significant')
    >>> significance_verdict(0.0495, 0.985, 2.07), significance_verdict(0.06, 1.01, 2.0)
    ('borderline', 'borderline')
    >>> significance_verdict(0.01, None, None), significance_verdict(None, None, None) is None
    ('significant', True)
    """
    if p_value is None:
        return None
    by_p = p_value < alpha
    if ci_low is None or ci_high is None:
        return SIGNIFICANT if by_p else NOT_SIGNIFICANT
    by_interval = ci_low > 1 or ci_high < 1
    if by_p and by_interval:
        return SIGNIFICANT
    if not by_p and not by_interval:
        return NOT_SIGNIFICANT
    return BORDERLINE


LARGE_CELL = 30  # every cell at least this: see allowing_for_rounding
LARGE_CELL_CORNERS = 4


def _corners(value: int, slack: int, floor: int) -> tuple[int, ...]:
    """The lowest and highest count a shown (rounded) count can stand for."""
    if value == 0:
        return (0,)
    return (max(value - slack, floor), value + slack)


def allowing_for_rounding(
    k: int, n: int, k_ref: int, n_ref: int, *, slack: int = 2, floor: int = 8
) -> dict[str, float | None]:
    """p, mid-P and the interval for counts published rounded, allowing for the rounding.

    A shown count c (rounded to 5, never below ``floor`` unless 0) stands for any count in
    c ± ``slack``. Tests on the shown counts alone can manufacture certainty (10 of 10 may be
    8 of 12), so the published p and mid-P are the largest, and the interval the widest
    (lowest low, highest high), over the corners of that box — worked out from the shown
    counts only, so they tell nothing more than the counts do.

    Examples
    --------
    >>> r = allowing_for_rounding(10, 10, 30, 75)  # 10 of 10 could be 8 of 12
    >>> r["p_value"] > 0.05, compare(10, 10, 30, 75).p_value < 0.001
    (True, True)
    """
    worst: dict[str, float | None] = {"p_value": None, "mid_p": None}
    corners = [
        (min(kk, nn), nn, min(kr, nr), nr)
        for nn in _corners(n, slack, floor)
        for kk in _corners(k, slack, floor)
        for nr in _corners(n_ref, slack, floor)
        for kr in _corners(k_ref, slack, floor)
        if nn > 0 and nr > 0
    ]
    ci_low = ci_high = None
    if corners:
        # Library arithmetic on all corners at once (see katz_interval_many and pooled_z_many).
        columns = np.array(corners, dtype=np.int64).T
        lows, highs = katz_interval_many(*columns)
        if katz_interval(k, n, k_ref, n_ref) is not None and not np.isnan(lows).all():
            ci_low, ci_high = float(np.nanmin(lows)), float(np.nanmax(highs))
        if min(k, n - k, k_ref, n_ref - k_ref) >= LARGE_CELL:
            # Every cell at least 30, and the box on one side of no difference: Fisher's p
            # orders the corners as the pooled z does, so the exact test runs on the few
            # closest to no difference, not on all 81 (each costs milliseconds with large
            # groups).
            z = np.nan_to_num(pooled_z_many(*columns), nan=0.0)
            if z.min() > 0 or z.max() < 0:
                order = np.argsort(np.abs(z), kind="stable")
                corners = [corners[i] for i in order[:LARGE_CELL_CORNERS]]
    for corner in corners:
        p, mid = fisher_p(*corner)
        for name, value in (("p_value", p), ("mid_p", mid)):
            current = worst[name]
            worst[name] = value if current is None else max(current, value)
    return {**worst, "ci_low": ci_low, "ci_high": ci_high}
