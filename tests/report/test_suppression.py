"""The disclosure-control engine on small hand-made columns (NHS Digital method)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.report import suppression as sdc

L, S = sdc.SMALL_LABEL, sdc.SECONDARY_LABEL


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, 0), (8, 10), (9, 10), (10, 10), (12, 10), (13, 15), (17, 15), (18, 20), (298, 300)],
)
def test_round_to_nearest_five(value, shown):
    assert sdc.round_count(value) == shown


@pytest.mark.parametrize(("value", "small"), [(0, False), (1, True), (7, True), (8, False)])
def test_small_means_one_to_seven(value, small):
    assert sdc.is_small(value) is small


def column(values, costs=None):
    """One table column and its (published) total: cells 0..n-1 are atoms, the last the sum."""
    costs = costs or [1.0] * len(values)
    cells = [
        sdc.Cell(i, (i,), v, c, f"cell {i}")
        for i, (v, c) in enumerate(zip(values, costs, strict=True))
    ]
    cells.append(sdc.Cell("total", tuple(range(len(values))), sum(values), 0.5, "total"))
    return cells, len(values)


@pytest.mark.parametrize(
    ("values", "costs", "expected"),
    [
        # Nothing small: only rounding.
        ([40, 12, 0], None, {0: 40, 1: 10, 2: 0, "total": 50}),
        # 38 + 1 + 18 = 57 shown as 40, ≤7, 20 and 55: 55 − 40 − 20 would pin the 1, so the
        # cheapest partner (the total) is hidden.
        ([38, 1, 18], None, {0: 40, 1: L, 2: 20, "total": S}),
        # ... and without a total to give up, the cheaper of the two groups goes.
        ([38, 1, 18], [5.0, 5.0, 1.0], {0: 40, 1: L, 2: 20, "total": S}),
        # Rounding alone leaves 1..7 open (41 + 4 + 21 = 66 shown 40, 20, 65): nothing more.
        ([41, 4, 21], None, {0: 40, 1: L, 2: 20, "total": 65}),
        # Two cells of 1 and the total 2: "≤7 + ≤7 = ≤7" would say each is at most 6 and
        # the total at least 2 — so the total and one cell are shown as "*" instead (they
        # were hidden already: no statistic is lost).
        ([1, 1], None, {0: S, 1: L, "total": S}),
    ],
)
def test_protect_hand_cases(values, costs, expected):
    cells, n = column(values, costs)
    assert sdc.protect(cells, n).labels == expected


def test_protect_gives_true_reasons():
    cells, n = column([38, 1, 18])
    reasons = sdc.protect(cells, n).reasons
    assert reasons[1] == sdc.REASON_SMALL
    assert reasons["total"] == sdc.REASON_PARTNER.format(whom="cell 1")
    assert set(reasons) == {1, "total"}


def feasible_range(cells, labels, n, target):
    """Brute force over every atom vector (tiny cases only): values the target can take."""
    import itertools

    domains = []
    for i in range(n):
        low, high = sdc.label_bounds(labels[i])
        domains.append(range(int(low), int(min(high, 20)) + 1))
    total_low, total_high = sdc.label_bounds(labels["total"])
    found = set()
    for atoms in itertools.product(*domains):
        if total_low <= sum(atoms) <= total_high:
            found.add(atoms[target])
    return found


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=2, max_size=3))
def test_protected_small_cells_keep_their_whole_range(values):
    cells, n = column(values)
    labels = sdc.protect(cells, n).labels
    for i, value in enumerate(values):
        if sdc.is_small(value):
            assert labels[i] in (L, S)
            assert set(range(1, 8)) <= feasible_range(cells, labels, n, i), (values, labels)
        elif labels[i] != S:
            assert labels[i] == sdc.round_count(value)


def test_label_bounds():
    assert sdc.label_bounds(0) == (0, 0)
    assert sdc.label_bounds(10) == (8, 12)
    assert sdc.label_bounds(15) == (13, 17)
    assert sdc.label_bounds(L) == (1, 7)
    assert sdc.label_bounds(S)[0] == 0


@pytest.mark.parametrize(
    ("k", "n", "rate"), [(85, 335, 85 / 335), (L, 40, None), (10, S, None), (0, 0, None)]
)
def test_published_rate_uses_the_shown_counts(k, n, rate):
    assert sdc.published_rate(k, n) == rate


@pytest.mark.parametrize(
    ("p", "shown"),
    [(0.21437, 0.21), (0.0004567, 0.00046), (0.7349, 0.73), (0.04996, 0.049), (0.0512, 0.051)],
)
def test_publish_p_two_significant_figures_never_across_alpha(p, shown):
    assert sdc.publish_p(p) == pytest.approx(shown, abs=1e-12)


@pytest.mark.parametrize(("x", "shown"), [(1.50432, 1.5), (0.98499, 0.98), (None, None)])
def test_publish_ratio_two_decimals(x, shown):
    assert sdc.publish_ratio(x) == shown


def test_public_linprog_route_agrees_with_the_fast_route():
    # Both programs answer the same question: 40, ≤7, 20 and a total shown as 55 (53..57).
    import numpy as np
    from scipy import sparse

    matrix = sparse.csr_matrix(np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], float))
    equalities = sparse.csr_matrix((0, 3))
    answers = []
    for kind in (sdc._AttackerProgram, sdc._LinprogProgram):
        low = np.array([38.0, 1.0, 18.0, 53.0])
        high = np.array([42.0, 7.0, 22.0, 57.0])
        program = kind(matrix, low, high, equalities, 3)
        largest, binding = program.minimum(np.array([0.0, -1.0, 0.0]))
        program.hide(3, 0.0, float("inf"))  # the total hidden as "*"
        freed, _ = program.minimum(np.array([0.0, -1.0, 0.0]))
        answers.append((-largest, 3 in binding, -freed))
    # b is at most 57 − 38 − 18 = 1 (pinned; the total's bound holds it), and 7 once hidden.
    assert answers[0] == answers[1] == (1.0, True, 7.0)
