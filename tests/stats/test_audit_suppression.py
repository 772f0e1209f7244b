"""Disclosure control inside the audit: no hidden small count can be worked out.

The check here is independent of the suppression engine: it rebuilds, from the published
tables alone, the equation behind every shown count (which applications it adds up) and
asks linear algebra whether a hidden small count is a combination of the shown counts of
its table (every transition and stage of one attribute view) and the grand totals —
treating shown counts as exact, which is stricter than the rounded values really shown.
The same people counted in two views must be shown or hidden alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hand_funnels import make_funnel
from hypothesis import Phase, given, settings
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
    # Every combination of the groups present, at every stage slot (empty cells are unknown
    # to a reader unless a shown count says they are empty).
    present = counts[counts[schema.COUNT] > 0]
    combos = present[[*ATTRS, schema.ETHNICITY_X_GENDER]].drop_duplicates()
    slots = pd.DataFrame(
        [
            (s, e)
            for s in range(len(STAGES))
            for e in (False, True)
            if not (e and s == len(STAGES) - 1)
        ],
        columns=["stage", "early"],
    )
    grid = combos.merge(slots, how="cross")
    summed = present.groupby([*ATTRS, "stage", "early"], as_index=False)[schema.COUNT].sum()
    grid = grid.merge(summed, on=[*ATTRS, "stage", "early"], how="left")
    grid[schema.COUNT] = grid[schema.COUNT].fillna(0)
    return grid.reset_index(drop=True)


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
    """(view, equation, shown value) for every count in the transitions and stage tables."""
    out = []
    for row in audit.transitions.to_dict("records"):
        a, b = STAGES.index(row["from"]), STAGES.index(row["to"])
        for kind in ("entered", "progressed", "withdrawn"):
            eq = equation(cells, row["attribute"], row["group"], kind, a, b)
            out.append((row["attribute"], eq, row[kind]))
    for row in audit.stage_counts.to_dict("records"):
        eq = equation(cells, row["attribute"], row["group"], "reached", row["stage_index"], 0)
        out.append((row["attribute"], eq, row["reached"]))
    return out


def grand_totals(audit, cells, counts):
    """Equations of the non-small totals over everyone (derivable from any shown view)."""
    return [eq for eq in grand_totals_all(audit, cells) if not 1 <= int(eq @ counts) <= 7]


def grand_totals_all(audit, cells):
    everyone = cells.assign(everyone="all")
    out = []
    for row in audit.transitions.drop_duplicates(["from", "to"]).to_dict("records"):
        a, b = STAGES.index(row["from"]), STAGES.index(row["to"])
        for kind in ("entered", "progressed", "withdrawn", "not_progressed"):
            out.append(equation(everyone, "everyone", "all", kind, a, b))
    for stage in range(len(STAGES)):
        out.append(equation(everyone, "everyone", "all", "reached", stage, 0))
    return out


def is_total(eq, totals_all) -> bool:
    """A group count that equals a total over everyone is public through the totals."""
    return any(np.array_equal(eq, t) for t in totals_all)


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


@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=rows)
def test_suppressed_counts_are_never_recoverable(data):
    funnel = make_funnel(data, stages=STAGES)
    if int(funnel.counts[schema.COUNT].sum()) == 0:
        return
    audit = audit_recruitment(funnel)
    cells = cell_table(funnel)
    counts = cells[schema.COUNT].to_numpy(dtype=float)
    shown = published(audit, cells)
    totals = grand_totals(audit, cells, counts)
    status: dict[bytes, set[bool]] = {}
    secrets = []
    for view, eq, value in shown:
        exact = int(eq @ counts)
        if eq.any():
            status.setdefault(eq.tobytes(), set()).add(isinstance(value, int))
        if isinstance(value, int):
            assert not 1 <= exact <= 7, "a small count is shown"
            assert value % 5 == 0 and abs(value - exact) <= 2, "visible counts are rounded to 5"
        else:
            assert value in (SMALL_LABEL, SECONDARY_LABEL)
            if 1 <= exact <= 7:
                secrets.append((view, eq))
    assert all(len(seen) == 1 for seen in status.values()), "same people, shown and hidden"
    for row in audit.transitions.to_dict("records"):
        a, b = STAGES.index(row["from"]), STAGES.index(row["to"])
        eq = equation(cells, row["attribute"], row["group"], "not_progressed", a, b)
        if 1 <= int(eq @ counts) <= 7:
            secrets.append((row["attribute"], eq))
        if not (isinstance(row["entered"], int) and isinstance(row["progressed"], int)):
            assert row["rate"] is None and row["relative_likelihood"] is None
    everyone = grand_totals_all(audit, cells)
    for view, secret in secrets:
        if is_total(secret, everyone):
            continue
        visible = [eq for v, eq, value in shown if v == view and isinstance(value, int)]
        known = np.array(visible + totals) if visible or totals else np.zeros((0, len(counts)))
        assert not determined(known, secret), f"a hidden small count in {view} can be worked out"


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
