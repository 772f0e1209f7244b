"""The disclosure-control engine on small hand-made columns (NHS Digital method)."""

from __future__ import annotations

import pandas as pd
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


@pytest.mark.parametrize(
    ("values", "prefer", "expected"),
    [
        # Nothing small: only rounding.
        ([40, 12, 0], None, [40, 10, 0]),
        # One small cell: the next-smallest non-zero cell goes too.
        ([300, 120, 3, 0], None, [300, S, L, 0]),
        # ... but a "Not stated" cell is given up first, even when larger.
        ([300, 120, 3, 40], [False, False, False, True], [300, 120, L, S]),
        # Two small cells with slack in the shown ones: nothing more to hide.
        ([300, 4, 5], None, [300, L, L]),
        # Two cells of 1 beside 13 (shown 15, read as 13..17): with the exact total (15) both
        # would be pinned to 1, so one more cell is hidden.
        ([13, 1, 1], None, [S, L, L]),
        # Nothing left to hide: the single small cell stays "≤7" on its own.
        ([5, 0, 0], None, [L, 0, 0]),
    ],
)
def test_suppress_column_hand_cases(values, prefer, expected):
    assert sdc.suppress_column(values, prefer=prefer) == expected


def test_candidates_by_hand():
    # 30 is 28..32 and the total is 43, so ≤7 + * is 11..15: * is 8..14, ≤7 is 1..7.
    assert sdc.candidates([30, L, S], 43) == [(28, 32), (1, 7), (8, 14)]
    # 13..17 shown as 15, total 15: the two ≤7 cells are 1 each — pinned.
    assert sdc.pinned([15, L, L], 15)
    assert not sdc.pinned([15, L, L], 18)


def test_suppress_tables_works_table_by_table_and_column_by_column():
    table = pd.DataFrame(
        {
            "table": ["a", "b", "a", "a", "b"],
            "entered": [300, 4, 5, 20, 50],
            "progressed": [100, 0, 0, 9, 12],
        }
    )
    shown = sdc.suppress_tables(table, by=["table"], columns=["entered", "progressed"])
    # Table a: 300, 5, 20 -> one ≤7 so 20 goes too. Table b: 4, 50 -> 50 goes too.
    assert shown.to_dict("list") == {
        "entered": [300, L, L, S, S],
        "progressed": [100, 0, 0, 10, 10],
    }


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


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=7))
def test_column_rules_hold(values):
    labels = sdc.suppress_column(values)
    hidden = [i for i, label in enumerate(labels) if sdc.is_hidden(label)]
    for value, label in zip(values, labels, strict=True):
        if label == L:
            assert 1 <= value <= 7
        elif label == S:
            assert value >= 8
        else:
            assert label == sdc.round_count(value) and (label == 0 or label >= 10)
    spare = [i for i, v in enumerate(values) if v > 0 and i not in hidden]
    if spare:  # while a shown non-zero cell is left, a lone hidden cell never stays alone
        assert len(hidden) != 1
