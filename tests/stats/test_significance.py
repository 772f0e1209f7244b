"""Two-group statistics against hand-computed values (research notes, stats-anchors §2)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bias_audit.stats import significance as sig
from bias_audit.stats.disparity import impact_ratio


def hypergeometric(x: int, n: int, k_total: int, total: int) -> float:
    """P(X = x): x selected among n focal, k_total selected out of total (by hand)."""
    return math.comb(k_total, x) * math.comb(total - k_total, n - x) / math.comb(total, n)


def fisher_by_hand(k: int, n: int, k_ref: int, n_ref: int) -> tuple[float, float]:
    """Two-sided Fisher ("sum of tables no more likely") and mid-P, straight from the sums."""
    total, k_total = n + n_ref, k + k_ref
    low, high = max(0, k_total - n_ref), min(n, k_total)
    probs = {x: hypergeometric(x, n, k_total, total) for x in range(low, high + 1)}
    observed = probs[k]
    p = sum(v for v in probs.values() if v <= observed * (1 + 1e-7))
    return p, p - 0.5 * observed


def test_issue_case_48_of_80_against_21_of_50():
    # White 48/80 = 0.60, BME 21/50 = 0.42: impact ratio 0.42 / 0.60 = 0.70.
    assert impact_ratio(21 / 50, 48 / 80) == pytest.approx(0.70)
    p, mid = sig.fisher_p(21, 50, 48, 80)
    assert p == pytest.approx(0.0495, abs=5e-5)
    hand_p, hand_mid = fisher_by_hand(21, 50, 48, 80)
    assert p == pytest.approx(hand_p, rel=1e-9)
    assert mid == pytest.approx(hand_mid, rel=1e-9)
    assert p < 0.05


def test_issue_case_95_and_5_fails_four_fifths_but_not_significant_and_not_robust():
    # 40 of 95 selected (0.421) against 1 of 5 (0.200): impact ratio 0.475 < 0.80.
    ratio = impact_ratio(1 / 5, 40 / 95)
    assert ratio == pytest.approx(0.475)
    assert ratio < 0.8
    p, _ = sig.fisher_p(1, 5, 40, 95)
    hand_p, _ = fisher_by_hand(1, 5, 40, 95)
    assert p == pytest.approx(hand_p, rel=1e-9)
    assert p == pytest.approx(0.6459, abs=1e-4)  # far from significant
    # One person: 2/5 = 0.40 against 39/95 = 0.4105 gives 0.974, no longer below 0.80.
    assert sig.one_person_check(1, 5, 40, 95) == sig.ONE_PERSON_FAIL


def test_pooled_z_matches_audit_ai_check_value():
    assert sig.pooled_z(10, 20, 20, 20) == pytest.approx(-3.6514837167011072, rel=1e-12)


def test_katz_interval_by_hand():
    # ln(0.6 / 0.42) ± 1.96 · sqrt(1/21 − 1/50 + 1/48 − 1/80)
    se = math.sqrt(1 / 21 - 1 / 50 + 1 / 48 - 1 / 80)
    centre = math.log(0.6 / 0.42)
    low, high = sig.katz_interval(21, 50, 48, 80)
    assert low == pytest.approx(math.exp(centre - sig.Z_95 * se))
    assert high == pytest.approx(math.exp(centre + sig.Z_95 * se))
    assert (round(low, 3), round(high, 3)) == (0.985, 2.072)


@pytest.mark.parametrize(
    ("k", "n", "k_ref", "n_ref", "expected"),
    [
        (21, 50, 48, 80, 9),  # 0.6 · 50 = 30 needed, 21 had
        (10, 20, 20, 20, 10),
        (30, 50, 48, 80, 0),  # already at parity
        (40, 50, 48, 80, 0),  # ahead of the reference
        (0, 7, 1, 3, 3),  # 7/3 = 2.33 → 3 people
    ],
)
def test_shortfall_table(k, n, k_ref, n_ref, expected):
    assert sig.shortfall(k, n, k_ref, n_ref) == expected


@pytest.mark.parametrize(
    ("k", "n", "k_top", "n_top", "expected"),
    [
        (1, 5, 40, 95, sig.ONE_PERSON_FAIL),
        (21, 50, 48, 80, sig.ONE_PERSON_PASS),  # 22/50 ÷ 47/80 = 0.749, still flagged
        (45, 50, 48, 80, sig.ONE_PERSON_NOT_APPLICABLE),  # not flagged at all
        (0, 10, 1, 10, sig.ONE_PERSON_FAIL),  # 1/10 vs 0/10 after the move
        (10, 100, 90, 100, sig.ONE_PERSON_PASS),
    ],
)
def test_one_person_table(k, n, k_top, n_top, expected):
    assert sig.one_person_check(k, n, k_top, n_top) == expected


def test_not_computable_gives_reasons_not_numbers():
    nobody = sig.compare(0, 0, 5, 10, who="BME")
    assert nobody.relative_likelihood is None and nobody.p_value is None
    assert nobody.reasons["relative_likelihood"] == sig.REASON_NOBODY_ENTERED.format(who="BME")
    none_progressed = sig.compare(0, 10, 5, 10, who="BME")
    assert none_progressed.relative_likelihood is None
    assert none_progressed.reasons["relative_likelihood"] == sig.REASON_NOBODY_PROGRESSED.format(
        who="BME"
    )
    assert none_progressed.ci_low is None and "ci" in none_progressed.reasons
    assert none_progressed.p_value == pytest.approx(fisher_by_hand(0, 10, 5, 10)[0])
    flat = sig.compare(10, 10, 5, 5)
    assert flat.z is None and flat.reasons["z"] == sig.REASON_ALL_OR_NONE


@given(
    n=st.integers(1, 40),
    n_ref=st.integers(1, 40),
    data=st.data(),
)
def test_fisher_and_mid_p_are_probabilities_and_agree_with_the_sums(n, n_ref, data):
    k = data.draw(st.integers(0, n))
    k_ref = data.draw(st.integers(0, n_ref))
    p, mid = sig.fisher_p(k, n, k_ref, n_ref)
    assert 0 <= mid <= p <= 1 + 1e-9
    hand_p, _ = fisher_by_hand(k, n, k_ref, n_ref)
    assert p == pytest.approx(hand_p, rel=1e-6, abs=1e-12)


@given(n=st.integers(1, 60), n_ref=st.integers(1, 60), data=st.data())
def test_katz_interval_contains_the_estimate(n, n_ref, data):
    k = data.draw(st.integers(1, n))
    k_ref = data.draw(st.integers(1, n_ref))
    if k == n and k_ref == n_ref:  # everyone progressed in both: no interval (issue 7.10)
        assert sig.katz_interval(k, n, k_ref, n_ref) is None
        return
    low, high = sig.katz_interval(k, n, k_ref, n_ref)
    estimate = (k_ref / n_ref) / (k / n)
    assert low <= estimate * (1 + 1e-12) and estimate <= high * (1 + 1e-12)


# ------------------------------------------------------------------ issue 7, item 10


def test_everyone_progressed_in_both_groups_gives_no_interval():
    c = sig.compare(20, 20, 30, 30)
    assert c.relative_likelihood == 1.0
    assert (c.ci_low, c.ci_high) == (None, None)  # never "(95% CI 1.00 to 1.00)"
    assert c.reasons["ci"] == sig.REASON_NO_SPREAD


def test_reference_with_nobody_progressing_is_not_computable():
    c = sig.compare(5, 20, 0, 30)
    assert c.relative_likelihood is None  # never "0.00 times as likely"
    assert c.reasons["relative_likelihood"] == sig.REASON_REFERENCE_NONE
    assert (c.ci_low, c.ci_high) == (None, None)


@pytest.mark.parametrize(
    ("k", "n", "k_ref", "n_ref", "expected"),
    [(0, 0, 48, 80, None), (21, 50, 48, 80, 9), (30, 50, 48, 80, 0), (0, 10, 5, 10, 5)],
)
def test_shortfall_for_a_group_nobody_entered(k, n, k_ref, n_ref, expected):
    assert sig.shortfall(k, n, k_ref, n_ref) == expected


@pytest.mark.parametrize(
    ("p", "low", "high", "verdict"),
    [
        (0.0495, 0.985, 2.072, sig.BORDERLINE),  # the issue's case: p < 0.05, CI holds 1
        (0.049, 1.01, 2.0, sig.SIGNIFICANT),
        (0.051, 0.99, 2.0, sig.NOT_SIGNIFICANT),
        (0.051, 1.01, 2.0, sig.BORDERLINE),  # CI excludes 1, p does not
        (0.2, 0.4, 0.95, sig.BORDERLINE),  # CI wholly below 1
        (0.001, 0.3, 0.8, sig.SIGNIFICANT),
        (0.03, None, None, sig.SIGNIFICANT),
        (None, None, None, None),
    ],
)
def test_one_story_verdicts(p, low, high, verdict):
    assert sig.significance_verdict(p, low, high) == verdict


def test_verdicts_agree_with_interval_on_real_borderline_tables():
    # Scan small tables near the edge: whatever is called significant has an interval that
    # excludes 1, and whatever is called not significant has one that includes it.
    seen = set()
    for k in range(5, 30):
        c = sig.compare(k, 50, 48, 80)
        low, high = round(c.ci_low, 2), round(c.ci_high, 2)
        verdict = sig.significance_verdict(c.p_value, low, high)
        seen.add(verdict)
        if verdict == sig.SIGNIFICANT:
            assert low > 1 or high < 1
        if verdict == sig.NOT_SIGNIFICANT:
            assert low <= 1 <= high
    assert sig.BORDERLINE in seen  # 21 of 50 against 48 of 80 is one


def test_rounding_allowance_never_manufactures_a_finding():
    # Shown 10 of 10 against 30 of 75 could be 8 of 12 against 32 of 73: Fisher p on the
    # shown counts is < 0.001, but allowing for the rounding it is the largest over the box.
    shown_p = sig.compare(10, 10, 30, 75).p_value
    allowed = sig.allowing_for_rounding(10, 10, 30, 75)
    assert shown_p < 0.001
    worst = max(
        sig.fisher_p(min(k, n), n, min(kr, nr), nr)[0]
        for n in (8, 12)
        for k in (8, 12)
        for nr in (73, 77)
        for kr in (28, 32)
    )
    assert allowed["p_value"] == pytest.approx(worst) and worst > 0.05
    # The interval covers every corner's interval.
    low, high = sig.katz_interval(8, 12, 32, 73)
    assert allowed["ci_low"] <= low and allowed["ci_high"] >= high


def test_rounding_allowance_keeps_zero_exact():
    # A shown 0 is exactly 0: only the other counts move.
    allowed = sig.allowing_for_rounding(0, 20, 10, 40)
    assert allowed["ci_low"] is None and allowed["ci_high"] is None
    assert allowed["p_value"] == max(
        sig.fisher_p(0, n, kr, nr)[0] for n in (18, 22) for kr in (8, 12) for nr in (38, 42)
    )


def _every_corner(k, n, k_ref, n_ref, slack=2, floor=8):
    """The largest p and mid-P over all 81 corners, by brute force."""
    from bias_audit.stats.significance import _corners, fisher_p

    worst_p = worst_mid = 0.0
    for nn in _corners(n, slack, floor):
        for kk in _corners(k, slack, floor):
            for nr in _corners(n_ref, slack, floor):
                for kr in _corners(k_ref, slack, floor):
                    p, mid = fisher_p(min(kk, nn), nn, min(kr, nr), nr)
                    worst_p, worst_mid = max(worst_p, p), max(worst_mid, mid)
    return worst_p, worst_mid


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(12, 1200).map(lambda v: v * 5),
    n_ref=st.integers(12, 1200).map(lambda v: v * 5),
    share=st.floats(0.1, 0.9),
    gap=st.sampled_from([0, 5, 10, 20, 50, 200]),
)
def test_large_counts_take_the_same_worst_corner_as_all_81(n, n_ref, share, gap):
    """With every cell at least LARGE_CELL only the corners nearest no difference are tested
    exactly; the worst p and mid-P are those of all 81 corners."""
    from bias_audit.stats.significance import LARGE_CELL, allowing_for_rounding

    k = round(n * share / 5) * 5
    k_ref = round(n_ref * share / 5) * 5 + gap
    assume(min(k, n - k, k_ref, n_ref - k_ref) >= LARGE_CELL)
    fast = allowing_for_rounding(k, n, k_ref, n_ref)
    assert (fast["p_value"], fast["mid_p"]) == pytest.approx(_every_corner(k, n, k_ref, n_ref))
