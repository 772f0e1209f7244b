"""Representation ratios, Wilson intervals and the goodness-of-fit test against the
libraries and hand arithmetic (bias_audit.stats.population)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare
from statsmodels.stats.proportion import proportion_confint

from bias_audit.stats import population as pop


@pytest.mark.parametrize(
    ("counts", "shares", "group", "expected_share", "expected_ratio"),
    [
        # 30 of 100 against a 50% population: share 0.3, ratio 0.6.
        ({"A": 30, "B": 70}, {"A": 0.5, "B": 0.5}, "A", 0.3, 0.6),
        # 19 of 20 against 80%: 0.95 / 0.8 = 1.1875.
        ({"A": 19, "B": 1}, {"A": 0.8, "B": 0.2}, "A", 0.95, 1.1875),
        # shares renormalised over the groups counted: 0.2 / (0.2 + 0.6) = 0.25; 10/40 / 0.25 = 1.
        ({"A": 10, "B": 30}, {"A": 0.2, "B": 0.6, "C": 0.2}, "A", 0.25, 1.0),
    ],
)
def test_ratio_and_wilson_interval_match_statsmodels(
    counts, shares, group, expected_share, expected_ratio
):
    table = pop.representation(counts, shares).set_index("group")
    row = table.loc[group]
    total = sum(counts.values())
    base = sum(shares[g] for g in counts)
    population_share = shares[group] / base
    low, high = proportion_confint(counts[group], total, alpha=0.05, method="wilson")
    assert row["share"] == pytest.approx(expected_share)
    assert row["representation_ratio"] == pytest.approx(expected_ratio)
    assert row["population_share"] == pytest.approx(population_share)
    assert row["ci_low"] == pytest.approx(low / population_share)
    assert row["ci_high"] == pytest.approx(high / population_share)
    assert row["note"] == ""


def test_wilson_interval_by_hand():
    # Wilson (1927): centre (p + z²/2n) / (1 + z²/n), half-width z√(p(1−p)/n + z²/4n²) / (1 + z²/n).
    k, n, z = 30, 100, 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    row = pop.representation({"A": k, "B": n - k}, {"A": 0.4, "B": 0.6}).iloc[0]
    assert row["ci_low"] == pytest.approx((centre - half) / 0.4)
    assert row["ci_high"] == pytest.approx((centre + half) / 0.4)


@pytest.mark.parametrize(
    ("counts", "reasons"),
    [
        ({"A": "≤7", "B": 70}, [pop.REASON_HIDDEN_COUNT, pop.REASON_HIDDEN_TOTAL]),
        ({"A": 30, "B": "*"}, [pop.REASON_HIDDEN_TOTAL, pop.REASON_HIDDEN_COUNT]),
        ({"A": 0, "B": 0}, [pop.REASON_NO_STATED, pop.REASON_NO_STATED]),
    ],
)
def test_hidden_counts_give_no_figures(counts, reasons):
    table = pop.representation(counts, {"A": 0.5, "B": 0.5})
    assert table["note"].tolist() == reasons
    assert table[["share", "representation_ratio", "ci_low", "ci_high"]].isna().all().all()
    assert table["count"].tolist() == list(counts.values())  # the labels stay as published


def test_zero_population_share_is_not_computable():
    table = pop.representation({"A": 5, "B": 5}, {"A": 0.0, "B": 1.0}).set_index("group")
    assert table.loc["A", "note"] == pop.REASON_NO_POPULATION
    assert pd.isna(table.loc["A", "representation_ratio"])
    assert table.loc["B", "representation_ratio"] == pytest.approx(0.5)


def test_goodness_of_fit_matches_scipy_and_hand():
    # observed 30/70 against expected 50/50: (20² + 20²)/50 = 16, one degree of freedom.
    result = pop.goodness_of_fit({"A": 30, "B": 70}, {"A": 0.5, "B": 0.5})
    assert result["statistic"] == pytest.approx(16.0)
    assert result["df"] == 1
    assert result["p_value"] == pytest.approx(chisquare([30, 70], [50, 50]).pvalue)
    three = pop.goodness_of_fit({"A": 10, "B": 20, "C": 30}, {"A": 0.2, "B": 0.3, "C": 0.5})
    assert three["p_value"] == pytest.approx(chisquare([10, 20, 30], [12, 18, 30]).pvalue)
    assert three["df"] == 2


@pytest.mark.parametrize(
    ("counts", "shares", "note"),
    [
        ({"A": "≤7", "B": 70}, {"A": 0.5, "B": 0.5}, pop.REASON_HIDDEN_TOTAL),
        ({"A": 3, "B": 7}, {"A": 1.0, "B": 0.0}, pop.REASON_GOF_FEW),
        ({"A": 0, "B": 0}, {"A": 0.5, "B": 0.5}, pop.REASON_NO_STATED),
    ],
)
def test_goodness_of_fit_not_computable(counts, shares, note):
    result = pop.goodness_of_fit(counts, shares)
    assert result["note"] == note
    assert result["statistic"] is None and result["p_value"] is None


def test_goodness_of_fit_flags_small_expected_counts():
    result = pop.goodness_of_fit({"A": 1, "B": 9}, {"A": 0.1, "B": 0.9})
    assert result["note"] == pop.REASON_GOF_SMALL_EXPECTED
    assert result["statistic"] == pytest.approx(0.0)


def test_weighted_shares_by_hand():
    counts = pd.DataFrame({"A": [10, 30, 5], "B": [90, 10, 5]}, index=["x", "y", "z"])
    # 0.25 × 10/100 + 0.75 × 30/40 = 0.025 + 0.5625
    shares = pop.weighted_shares(counts, pd.Series({"x": 0.25, "y": 0.75}))
    assert shares["A"] == pytest.approx(0.5875)
    assert shares["B"] == pytest.approx(0.4125)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=500), min_size=2, max_size=6).filter(
        lambda c: sum(c) > 0
    ),
    st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=6, max_size=6),
)
def test_ratio_times_population_share_sums_to_one(counts, weights):
    groups = [f"g{i}" for i in range(len(counts))]
    shares = dict(zip(groups, weights, strict=False))
    table = pop.representation(dict(zip(groups, counts, strict=True)), shares)
    total = sum(table["representation_ratio"] * table["population_share"])
    assert total == pytest.approx(1.0)
    assert (table["ci_low"] <= table["representation_ratio"] + 1e-12).all()
    assert (table["representation_ratio"] <= table["ci_high"] + 1e-12).all()
