"""Disclosure control inside the audit: no hidden small count can be worked out.

The check here is independent of the suppression engine: it rebuilds, from the published
tables alone, the equation behind every shown count (which applications it adds up) and
asks linear algebra whether a hidden small count is a combination of the shown ones —
treating shown counts as exact, which is stricter than the rounded values really shown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hand_funnels import make_funnel
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.report.suppression import SECONDARY_LABEL, SMALL_LABEL
from bias_audit.stats import schema
from bias_audit.stats.audit import audit_recruitment

STAGES = ("applied", "shortlisted", "interviewed", "appointed")
ATTRS = (schema.ETHNICITY_WRES, schema.GENDER, schema.DISABILITY)


def cell_table(funnel) -> pd.DataFrame:
    counts = funnel.counts.copy()
    counts["stage"] = [STAGES.index(str(s)) for s in counts[schema.FURTHEST_STAGE]]
    counts["early"] = counts[schema.LEFT_BY].isin(["withdrew", "declined_offer"]) & (
        counts["stage"] < len(STAGES) - 1
    )
    counts[schema.ETHNICITY_X_GENDER] = (
        counts[schema.ETHNICITY_WRES] + " × " + counts[schema.GENDER]
    )
    return counts.reset_index(drop=True)


def equation(cells: pd.DataFrame, attribute: str, group: str, kind: str, a: int, b: int):
    member = cells[attribute] == group
    stage, early = cells["stage"], cells["early"]
    left_between = early & (stage >= a) & (stage < b)
    if kind == "entered":
        chosen = (stage >= a) & ~left_between
    elif kind == "progressed":
        chosen = stage >= b
    elif kind == "withdrawn":
        chosen = left_between
    elif kind == "not_progressed":
        chosen = (stage >= a) & (stage < b) & ~early
    else:  # reached stage a
        chosen = stage >= a
    return (member & chosen).to_numpy(dtype=float)


def published(audit, cells):
    """(equation, shown value) for every count in the transitions and stage tables."""
    out = []
    for row in audit.transitions.to_dict("records"):
        a, b = STAGES.index(row["from"]), STAGES.index(row["to"])
        for kind in ("entered", "progressed", "withdrawn"):
            out.append((equation(cells, row["attribute"], row["group"], kind, a, b), row[kind]))
    for row in audit.stage_counts.to_dict("records"):
        eq = equation(cells, row["attribute"], row["group"], "reached", row["stage_index"], 0)
        out.append((eq, row["reached"]))
    return out


def determined(visible: np.ndarray, target: np.ndarray) -> bool:
    if visible.size == 0:
        return not target.any()
    return np.linalg.matrix_rank(np.vstack([visible, target])) == np.linalg.matrix_rank(visible)


rows = st.lists(
    st.tuples(
        st.sampled_from(["White", "BME", schema.NOT_STATED]),
        st.sampled_from(["Female", "Male"]),
        st.sampled_from(["Disabled", "Not disabled"]),
        st.sampled_from(STAGES),
        st.sampled_from(schema.LEFT_BY_VALUES),
        st.integers(0, 25),
    ),
    min_size=2,
    max_size=10,
)


@settings(max_examples=20, deadline=None)
@given(data=rows)
def test_suppressed_counts_are_never_recoverable(data):
    funnel = make_funnel(data, stages=STAGES)
    if int(funnel.counts[schema.COUNT].sum()) == 0:
        return
    audit = audit_recruitment(funnel)
    cells = cell_table(funnel)
    counts = cells[schema.COUNT].to_numpy(dtype=float)
    shown = published(audit, cells)
    visible = np.array([eq for eq, v in shown if isinstance(v, int)])
    secrets = []
    for eq, value in shown:
        exact = int(eq @ counts)
        if isinstance(value, int):
            assert not 1 <= exact <= 7, "a small count is shown"
            assert value % 5 == 0 and abs(value - exact) <= 2, "visible counts are rounded to 5"
        else:
            assert value in (SMALL_LABEL, SECONDARY_LABEL)
            if 1 <= exact <= 7:
                secrets.append(eq)
    for row in audit.transitions.to_dict("records"):
        a, b = STAGES.index(row["from"]), STAGES.index(row["to"])
        eq = equation(cells, row["attribute"], row["group"], "not_progressed", a, b)
        if 1 <= int(eq @ counts) <= 7:
            secrets.append(eq)
        if not (isinstance(row["entered"], int) and isinstance(row["progressed"], int)):
            assert row["rate"] is None and row["relative_likelihood"] is None
    for secret in secrets:
        assert not determined(visible, secret), "a hidden small count can be worked out"


def test_no_suppression_shows_exact_counts():
    data = [
        ("White", "Female", "Not disabled", "appointed", "completed", 3),
        ("BME", "Male", "Disabled", "applied", "not_progressed", 12),
    ]
    audit = audit_recruitment(make_funnel(data, stages=STAGES), suppression=False)
    t = audit.transitions
    white = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "White")]
    assert white["entered"].tolist() == [3, 3, 3, 3]
    suppressed = audit_recruitment(make_funnel(data, stages=STAGES))
    t = suppressed.transitions
    white = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "White")]
    assert white["entered"].tolist() == [SMALL_LABEL] * 4
    assert suppressed.wres_indicator_2["value"] is None
