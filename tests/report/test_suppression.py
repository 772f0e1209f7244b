"""The disclosure-control engine on small hand-made tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bias_audit.report import suppression as sdc


@pytest.mark.parametrize(
    ("value", "shown"), [(0, 0), (8, 10), (10, 10), (12, 10), (13, 15), (17, 15), (18, 20)]
)
def test_round_to_nearest_five(value, shown):
    assert sdc.round_count(value) == shown


@pytest.mark.parametrize(("value", "small"), [(0, False), (1, True), (7, True), (8, False)])
def test_small_means_one_to_seven(value, small):
    assert sdc.is_small(value) is small


def test_recoverable_by_differencing():
    # Cells a, b, c. Shown: a+b+c (the total) and a+b. So c is recoverable; a is not.
    shown = np.array([[1.0, 1, 1], [1, 1, 0]])
    targets = np.array([[0.0, 0, 1], [1, 0, 0]])
    assert sdc.recoverable(shown, targets).tolist() == [True, False]


REACHED_0 = frozenset({(0, 0), (1, 0)})  # everyone (2 stages, no early exits)
REACHED_1 = frozenset({(1, 0)})


def test_one_small_group_forces_a_second_hidden_count():
    # Three groups; "C" has 3 applications. The total is known from the other view ("all"),
    # so hiding C alone would leave it recoverable as total − A − B.
    fine = pd.DataFrame(
        {
            "group": ["A", "A", "B", "B", "C"],
            "all": ["x"] * 5,
            "stage_index": [0, 1, 0, 1, 0],
            "early": [0, 0, 0, 0, 0],
            "count": [40, 20, 30, 12, 3],
        }
    )
    plan = sdc.plan_suppression(
        fine, attributes=["group", "all"], n_stages=2, published=[REACHED_0, REACHED_1]
    )
    assert ("group", "C", REACHED_0) in plan.primary
    hidden_applied = {k for k in plan.primary | plan.secondary if k[2] == REACHED_0}
    assert len(hidden_applied) >= 2
    assert plan.label(("group", "C", REACHED_0), 3) == sdc.SMALL_LABEL
    assert plan.label(("group", "A", REACHED_1), 20) in (20, sdc.SECONDARY_LABEL)


def test_complement_hides_the_progressed_count():
    # 20 entered, 17 progressed: the 3 not progressed would be published by subtraction.
    fine = pd.DataFrame(
        {"group": ["A", "A"], "stage_index": [0, 1], "early": [0, 0], "count": [3, 17]}
    )
    not_progressed = frozenset({(0, 0)})
    plan = sdc.plan_suppression(
        fine,
        attributes=["group"],
        n_stages=2,
        published=[REACHED_0, REACHED_1],
        complements=[(REACHED_1, not_progressed)],
    )
    assert plan.hidden(("group", "A", REACHED_1))
    assert plan.label(("group", "A", REACHED_0), 20) == 20


def test_nothing_small_nothing_hidden():
    fine = pd.DataFrame(
        {
            "group": ["A", "A", "B", "B"],
            "stage_index": [0, 1, 0, 1],
            "early": [0] * 4,
            "count": [40, 20, 30, 12],
        }
    )
    plan = sdc.plan_suppression(
        fine, attributes=["group"], n_stages=2, published=[REACHED_0, REACHED_1]
    )
    assert not plan.primary and not plan.secondary
