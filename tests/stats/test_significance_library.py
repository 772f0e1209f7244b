"""The Katz interval and the pooled z come from scipy / statsmodels: same numbers as by hand.

Expected values were worked out by hand (Python ``decimal`` at 40 digits, the formulas of
stats-anchors §2.2 and §2.7) and checked against published values: audit-ai's z for 10/20
against 20/20, scipy's own ``relative_risk`` docstring (10/75 against 12/225), and the
research note's Katz (0.323, 0.775) for 10/20 against 20/20 in the impact-ratio direction.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from bias_audit.stats import significance as sig

# (k, n, k_ref, n_ref) -> relative likelihood rate_ref ÷ rate, Katz 95% low, high
KATZ_BY_HAND = [
    ((21, 50, 48, 80), 1.42857142857, 0.985155242482, 2.07156825496),  # the case
    ((10, 20, 20, 20), 2.0, 1.29031440086, 3.10001965207),
    ((12, 225, 10, 75), 2.5, 1.12615640035, 5.54985080054),  # scipy's docstring example
    ((1, 5, 40, 95), 2.10526315789, 0.359014802376, 12.3452652499),
    ((30, 30, 10, 20), 0.5, 0.322578600214, 0.775004913017),  # research note (0.323, 0.775)
    ((8, 12, 32, 73), 0.657534246575, 0.408113119269, 1.05939080369),
    ((1, 1, 1, 2), 0.5, 0.125048826630, 1.99921907896),  # one group all, other not
]

# (k, n, k_ref, n_ref) -> pooled z of rate − rate_ref
POOLED_Z_BY_HAND = [
    ((10, 20, 20, 20), -3.6514837167011),  # audit-ai's check value
    ((21, 50, 48, 80), -2.0007126314140),
    ((12, 225, 10, 75), -2.3016472617940),
    ((1, 5, 40, 95), -0.97954537876566),
    ((30, 30, 10, 20), 4.3301270189222),
    ((8, 12, 32, 73), 1.4684229141824),
    ((1, 1, 1, 2), 0.86602540378444),
    ((5, 83, 12, 99), -1.4078304151259),  # statsmodels' docstring example (p = 0.159)
]

# Zero cells: "not computable", never nan, inf or a zero-width interval.
KATZ_NOT_COMPUTABLE = [
    (0, 10, 5, 10),  # nobody in the focal group progressed: scipy gives (nan, inf)
    (5, 10, 0, 10),  # nobody in the reference group progressed: scipy gives (0, nan)
    (0, 10, 0, 10),  # nobody at all: scipy gives (nan, nan)
    (10, 10, 20, 20),  # everyone in both groups: scipy gives (1, 1)
]
POOLED_Z_NOT_COMPUTABLE = [(0, 10, 0, 20), (10, 10, 20, 20), (0, 1, 0, 1), (3, 3, 4, 4)]


@pytest.mark.parametrize(("table", "ratio", "low", "high"), KATZ_BY_HAND)
def test_katz_interval_equals_the_hand_computed_values(table, ratio, low, high):
    k, n, k_ref, n_ref = table
    assert (k_ref / n_ref) / (k / n) == pytest.approx(ratio, rel=1e-11)
    assert sig.katz_interval(*table) == pytest.approx((low, high), rel=1e-11)


@pytest.mark.parametrize(("table", "ratio", "low", "high"), KATZ_BY_HAND)
def test_katz_interval_is_the_reciprocal_of_the_impact_ratio_interval(table, ratio, low, high):
    # The WRES ratio (rate_ref ÷ rate) interval is (1/high, 1/low) of rate ÷ rate_ref's.
    k, n, k_ref, n_ref = table
    other_low, other_high = sig.katz_interval(k_ref, n_ref, k, n)
    assert (1 / other_high, 1 / other_low) == pytest.approx((low, high), rel=1e-11)


def test_wider_confidence_gives_a_wider_interval():
    low95, high95 = sig.katz_interval(21, 50, 48, 80)
    low99, high99 = sig.katz_interval(21, 50, 48, 80, confidence_level=0.99)
    assert low99 < low95 and high99 > high95


@pytest.mark.parametrize(("table", "z"), POOLED_Z_BY_HAND)
def test_pooled_z_equals_the_hand_computed_values(table, z):
    assert sig.pooled_z(*table) == pytest.approx(z, rel=1e-12)


@pytest.mark.parametrize(("table", "z"), POOLED_Z_BY_HAND)
def test_pooled_z_squared_is_the_uncorrected_chi_square(table, z):
    k, n, k_ref, n_ref = table
    chi2 = chi2_contingency([[k, n - k], [k_ref, n_ref - k_ref]], correction=False).statistic
    assert sig.pooled_z(*table) ** 2 == pytest.approx(chi2, rel=1e-9)


@pytest.mark.parametrize("table", KATZ_NOT_COMPUTABLE)
def test_katz_zero_cells_are_not_computable_without_warnings(table):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sig.katz_interval(*table) is None
        low, high = sig.katz_interval_many(*(np.array([v]) for v in table))
    assert np.isnan(low).all() and np.isnan(high).all()


@pytest.mark.parametrize("table", POOLED_Z_NOT_COMPUTABLE)
def test_pooled_z_without_spread_is_not_computable_without_warnings(table):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sig.pooled_z(*table) is None
        assert np.isnan(sig.pooled_z_many(*(np.array([v]) for v in table))).all()


@pytest.mark.parametrize(
    ("table", "reason_field", "reason"),
    [
        ((0, 10, 5, 10), "ci", sig.REASON_CI_ZERO),
        ((10, 10, 20, 20), "ci", sig.REASON_NO_SPREAD),
        ((10, 10, 20, 20), "z", sig.REASON_ALL_OR_NONE),
        ((0, 10, 0, 20), "z", sig.REASON_ALL_OR_NONE),
    ],
)
def test_compare_names_the_reason_instead_of_a_number(table, reason_field, reason):
    result = sig.compare(*table)
    assert result.reasons[reason_field] == reason
    number = "z" if reason_field == "z" else "ci_low"
    assert result.fields()[number] is None


tables = st.integers(1, 400).flatmap(
    lambda n: st.tuples(st.integers(0, n), st.just(n), st.integers(1, 400)).flatmap(
        lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.integers(0, t[2]), st.just(t[2]))
    )
)


@settings(max_examples=50, deadline=None)
@given(st.lists(tables, min_size=1, max_size=81))
def test_vectorised_corners_equal_the_library_table_by_table(batch):
    """katz_interval_many and pooled_z_many (the hot loop) give scipy's and statsmodels' numbers."""
    columns = np.array(batch, dtype=np.int64).T
    lows, highs = sig.katz_interval_many(*columns)
    zs = sig.pooled_z_many(*columns)
    for table, low, high, z in zip(batch, lows, highs, zs, strict=True):
        interval = sig.katz_interval(*table)
        if interval is None:
            assert np.isnan(low) and np.isnan(high)
        else:
            assert (low, high) == pytest.approx(interval, rel=1e-13)
        library_z = sig.pooled_z(*table)
        if library_z is None:
            assert np.isnan(z)
        else:
            assert z == pytest.approx(library_z, rel=1e-13, abs=1e-15)


def _allowing_for_rounding_table_by_table(k, n, k_ref, n_ref):
    """The widest interval and the largest p over all corners, one library call per corner."""
    corners = [
        (min(kk, nn), nn, min(kr, nr), nr)
        for nn in sig._corners(n, 2, 8)
        for kk in sig._corners(k, 2, 8)
        for nr in sig._corners(n_ref, 2, 8)
        for kr in sig._corners(k_ref, 2, 8)
    ]
    intervals = [sig.katz_interval(*c) for c in corners]
    intervals = [i for i in intervals if i is not None]
    ci = (None, None)
    if sig.katz_interval(k, n, k_ref, n_ref) is not None and intervals:
        ci = (min(i[0] for i in intervals), max(i[1] for i in intervals))
    worst_p = max(sig.fisher_p(*c)[0] for c in corners)
    return worst_p, ci


@pytest.mark.parametrize(
    "shown",
    [
        (10, 10, 30, 75),
        (0, 20, 10, 40),
        (20, 20, 30, 30),  # everyone progressed: no interval at the shown counts
        (10, 40, 0, 60),
        (35, 100, 60, 100),
        (8, 8, 8, 8),
        (45, 200, 150, 400),  # every cell ≥ 30: only the corners nearest no difference
    ],
)
def test_allowing_for_rounding_equals_the_library_corner_by_corner(shown):
    allowed = sig.allowing_for_rounding(*shown)
    worst_p, (low, high) = _allowing_for_rounding_table_by_table(*shown)
    assert allowed["p_value"] == pytest.approx(worst_p, rel=1e-12)
    if low is None:
        assert (allowed["ci_low"], allowed["ci_high"]) == (None, None)
    else:
        assert (allowed["ci_low"], allowed["ci_high"]) == pytest.approx((low, high), rel=1e-13)
