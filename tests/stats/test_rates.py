"""Counting each transition, and the three ways of computing a selection rate agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate
from hand_funnels import make_funnel
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.stats import schema
from bias_audit.stats.rates import (
    metricframe_rates,
    stage_reached,
    transition_counts,
    transitions,
)

# White: 10 applied only, 6 shortlisted then rejected, 2 shortlisted and withdrew,
#        4 interviewed and rejected, 1 offered and declined, 5 appointed.
# BME:   20 applied only, 5 shortlisted then rejected, 3 interviewed and rejected,
#        2 appointed.
HAND_ROWS = [
    ("White", "Female", "Not disabled", "applied", schema.LEFT_BY_NOT_PROGRESSED, 10),
    ("White", "Female", "Not disabled", "shortlisted", schema.LEFT_BY_NOT_PROGRESSED, 6),
    ("White", "Female", "Not disabled", "shortlisted", schema.LEFT_BY_WITHDREW, 2),
    ("White", "Male", "Not disabled", "interviewed", schema.LEFT_BY_NOT_PROGRESSED, 4),
    ("White", "Male", "Disabled", "offered", schema.LEFT_BY_DECLINED, 1),
    ("White", "Male", "Not disabled", "appointed", schema.LEFT_BY_COMPLETED, 5),
    ("BME", "Female", "Disabled", "applied", schema.LEFT_BY_NOT_PROGRESSED, 20),
    ("BME", "Male", "Not disabled", "shortlisted", schema.LEFT_BY_NOT_PROGRESSED, 5),
    ("BME", "Female", "Not disabled", "interviewed", schema.LEFT_BY_NOT_PROGRESSED, 3),
    ("BME", "Female", "Disabled", "appointed", schema.LEFT_BY_COMPLETED, 2),
]
# (from, to) -> group -> (entered, progressed, withdrawn), counted by hand from the rows.
EXPECTED_WRES = {
    ("applied", "shortlisted"): {"White": (28, 18, 0), "BME": (30, 10, 0)},
    ("shortlisted", "interviewed"): {"White": (16, 10, 2), "BME": (10, 5, 0)},
    ("interviewed", "offered"): {"White": (10, 6, 0), "BME": (5, 2, 0)},
    ("offered", "appointed"): {"White": (5, 5, 1), "BME": (2, 2, 0)},
    ("shortlisted", "appointed"): {"White": (15, 5, 3), "BME": (10, 2, 0)},
}


def test_transitions_are_adjacent_pairs_then_shortlisted_to_last():
    names = [(t.from_stage, t.to_stage) for t in transitions(schema.DEFAULT_STAGES)]
    assert names == list(EXPECTED_WRES)
    short = transitions(("applied", "shortlisted", "appointed"))
    assert [(t.from_stage, t.to_stage) for t in short] == [
        ("applied", "shortlisted"),
        ("shortlisted", "appointed"),
    ]


def test_hand_counted_transitions():
    table = transition_counts(make_funnel(HAND_ROWS))
    wres = table[table["attribute"] == schema.ETHNICITY_WRES]
    for (from_stage, to_stage), groups in EXPECTED_WRES.items():
        for group, expected in groups.items():
            row = wres[(wres["from"] == from_stage) & (wres["to"] == to_stage)]
            row = row[row["group"] == group].iloc[0]
            assert (row["entered"], row["progressed"], row["withdrawn"]) == expected


def test_intersection_and_disability_views_are_built():
    table = transition_counts(make_funnel(HAND_ROWS))
    first = table[table["step"] == 0]
    inter = first[first["attribute"] == schema.ETHNICITY_X_GENDER].set_index("group")
    assert inter.loc["White × Male", "entered"] == 10  # 4 + 1 + 5
    assert inter.loc["BME × Female", "entered"] == 25  # 20 + 3 + 2
    dis = first[first["attribute"] == schema.DISABILITY].set_index("group")
    assert dis.loc["Disabled", "progressed"] == 3  # White declined (offered) + BME appointed


def test_stage_reached_shares():
    reached = stage_reached(make_funnel(HAND_ROWS))
    white = reached[(reached["attribute"] == schema.ETHNICITY_WRES) & (reached["group"] == "White")]
    assert white["reached"].tolist() == [28, 18, 10, 6, 5]
    assert white["share"].iloc[-1] == pytest.approx(5 / 28)


def _row_level(table: pd.DataFrame) -> pd.DataFrame:
    """One row per application from a transition table (the slow, obvious way)."""
    keys, outcomes = [], []
    for index, row in table.iterrows():
        keys += [index] * int(row["entered"])
        outcomes += [1] * int(row["progressed"]) + [0] * int(row["entered"] - row["progressed"])
    return pd.DataFrame({"key": keys, "y": outcomes})


def test_weighted_metricframe_equals_groupby_and_row_level_metricframe():
    table = transition_counts(make_funnel(HAND_ROWS))
    weighted = metricframe_rates(table)
    live = table["entered"] > 0
    groupby = table["progressed"][live] / table["entered"][live]
    np.testing.assert_allclose(weighted[live], groupby, rtol=1e-12)
    rows = _row_level(table[live])
    frame = MetricFrame(
        metrics=selection_rate, y_true=rows["y"], y_pred=rows["y"], sensitive_features=rows["key"]
    )
    np.testing.assert_allclose(weighted[live], frame.by_group.loc[table.index[live]], rtol=1e-12)
    assert weighted[~live].isna().all()


cells = st.lists(
    st.tuples(
        st.sampled_from(["White", "BME", schema.NOT_STATED]),
        st.sampled_from(["Female", "Male"]),
        st.sampled_from(["Disabled", "Not disabled"]),
        st.sampled_from(schema.DEFAULT_STAGES),
        st.sampled_from(schema.LEFT_BY_VALUES),
        st.integers(0, 40),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=8, deadline=None)
@given(rows=cells, seed=st.integers(0, 2**16), factor=st.integers(2, 7))
def test_rates_properties(rows, seed, factor):
    table = transition_counts(make_funnel(rows))
    rates = metricframe_rates(table)
    live = rates.dropna()
    assert ((live >= 0) & (live <= 1)).all()
    assert (table["progressed"] <= table["entered"]).all()
    # Row order of the count table changes nothing.
    shuffled = pd.Series(rows).sample(frac=1, random_state=seed).tolist()
    again = transition_counts(make_funnel(shuffled))
    merge_keys = ["attribute", "step", "group"]
    pd.testing.assert_frame_equal(
        table.sort_values(merge_keys).reset_index(drop=True),
        again.sort_values(merge_keys).reset_index(drop=True),
    )
    # Scaling every count changes no rate.
    scaled = [(*r[:-1], r[-1] * factor) for r in rows]
    scaled_rates = metricframe_rates(transition_counts(make_funnel(scaled)))
    np.testing.assert_allclose(scaled_rates.to_numpy(), rates.to_numpy(), rtol=1e-12)
