"""Every count the retention and progression tables publish, protected together.

The same people appear in every view (ethnicity, gender, disability, age band), in every
horizon (3, 6, 12 months), in the leaving-reason table and in the progression moves. So the
counts are described to :func:`bias_audit.report.suppression.protect` as sums of the same
*atoms*: the people grouped by everything any table says about them (their group in each
view, in the cohort or not, gone / in post / not yet known at each horizon, leaving reason
group, followed or not, each move open and made). Every published count is the sum of the
atoms its table selects, so each identity between tables (groups add up to the total,
stayed + left = observed, reasons add up to the leavers, …) holds for the attacker without
being listed; the linear program then hides partners until no count of 1–7 can be narrowed.

Cells are named by a tuple key: ``("retention", view, group, column)``,
``("reason", view, group, reason_group)``, ``("progression", move, view, group, column)``
and the totals ``("retention", "total")`` / ``("progression", "total")``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bias_audit.report import suppression as sdc
from bias_audit.stats.rates import is_not_stated
from bias_audit.stats.retention import horizon_days

REFERENCE_COST = 10.0
GROUP_COST = 5.0
NOT_STATED_COST = 1.0
DETAIL_COST = 2.0  # reasons, horizons other than the headline
TOTAL_COST = 0.5


@dataclass(frozen=True)
class CellSpec:
    """A count to publish: the atoms where every ``column == value`` of ``where`` holds (a
    tuple value: the column is any of them)."""

    key: Hashable
    where: tuple[tuple[str, object], ...]
    cost: float
    name: str


def person_classes(
    index: pd.Index,
    *,
    cohort: pd.DataFrame | None,
    horizons: Sequence[int],
    followed: pd.DataFrame | None,
    flags: pd.DataFrame | None,
    views: Sequence[str],
) -> pd.DataFrame:
    """One row per person of the staff frame (``index``) with every column a table reads."""
    classes = pd.DataFrame(index=index)
    for source in (cohort, followed):
        if source is None:
            continue
        for view in views:
            if view in source:
                if view not in classes:
                    classes[view] = ""
                classes.loc[source.index, view] = source[view].astype(str)
    classes["cohort"] = False
    if cohort is not None:
        classes.loc[cohort.index, "cohort"] = True
        days = cohort["days"].to_numpy()
        left = cohort["left"].to_numpy(dtype=bool)
        for months in horizons:
            h = horizon_days(months)
            status = np.where(left & (days <= h), "gone", np.where(days >= h, "stayed", "unknown"))
            classes[f"at {months}"] = ""
            classes.loc[cohort.index, f"at {months}"] = status
        classes["left"] = False
        classes.loc[cohort.index, "left"] = left
        classes["reason"] = ""
        classes.loc[cohort.index, "reason"] = cohort["reason_group"].astype(str)
    classes["followed"] = False
    if followed is not None and flags is not None:
        classes.loc[followed.index, "followed"] = True
        for column in flags:
            classes[column] = False
            classes.loc[flags.index, column] = flags[column].to_numpy(dtype=bool)
    return classes


def atoms(classes: pd.DataFrame) -> pd.DataFrame:
    """The distinct classes with their number of people (``count``); people in no table
    (neither in the cohort nor followed) are left out, as no published count holds them."""
    live = classes[classes["cohort"] | classes["followed"]]
    if live.empty:
        return pd.DataFrame(columns=[*classes.columns, "count"])
    keys = list(classes.columns)
    grouped = live.groupby(keys, dropna=False, sort=True, observed=True).size()
    return grouped.rename("count").reset_index()


def protect_cells(atom_table: pd.DataFrame, specs: Sequence[CellSpec]) -> sdc.Protection:
    """Labels for every cell in ``specs`` (``≤7``, ``*``, 0 or a multiple of 5), protected
    together by :func:`bias_audit.report.suppression.protect`."""
    cells = []
    counts = atom_table["count"].to_numpy() if not atom_table.empty else np.array([])
    columns = {c: atom_table[c].to_numpy() for c in atom_table.columns}
    for spec in specs:
        mask = np.ones(len(atom_table), dtype=bool)
        for column, value in spec.where:
            if isinstance(value, tuple):
                mask &= np.isin(columns[column], list(value))
            else:
                mask &= columns[column] == value
        terms = tuple(int(i) for i in np.flatnonzero(mask))
        cells.append(sdc.Cell(spec.key, terms, int(counts[mask].sum()), spec.cost, spec.name))
    return sdc.protect(cells, len(atom_table))


def group_cost(group: str, reference: str | None) -> float:
    """Reference groups are the dearest to hide, not-stated groups the cheapest."""
    if group == reference:
        return REFERENCE_COST
    return NOT_STATED_COST if is_not_stated(group) else GROUP_COST


def retention_specs(
    groups: Sequence[Mapping[str, object]], reasons: pd.DataFrame, horizons: Sequence[int]
) -> list[CellSpec]:
    """The retention cells: per view and group the starters, leavers and, per horizon, the
    people observed and those still in post; leavers by reason; the cohort total."""
    specs = [CellSpec(("retention", "total"), (("cohort", True),), TOTAL_COST, "the cohort")]
    for row in groups:
        view, group = str(row["attribute"]), str(row["group"])
        base = (("cohort", True), (view, group))
        cost = group_cost(group, row["reference"])  # type: ignore[arg-type]
        name = f"{group} starters"
        specs.append(CellSpec(("retention", view, group, "started"), base, cost, name))
        specs.append(
            CellSpec(("retention", view, group, "left"), (*base, ("left", True)), cost - 1, name)
        )
        for i, months in enumerate(horizons):
            column = f"at {months}"
            extra = 0.0 if i == len(horizons) - 1 else DETAIL_COST
            stayed = CellSpec(
                ("retention", view, group, f"stayed {months}"),
                (*base, (column, "stayed")),
                cost - extra,
                f"{group} starters in post at {months} months",
            )
            observed = CellSpec(
                ("retention", view, group, f"observed {months}"),
                (*base, (column, ("stayed", "gone"))),
                cost - extra,
                f"{group} starters observed for {months} months",
            )
            specs += [observed, stayed]
    for view, group, reason in zip(
        reasons["attribute"], reasons["group"], reasons["reason_group"], strict=True
    ):
        specs.append(
            CellSpec(
                ("reason", view, group, reason),
                (("cohort", True), (view, group), ("left", True), ("reason", reason)),
                DETAIL_COST,
                f"{group} leavers ({reason})",
            )
        )
    return specs


def progression_specs(table: pd.DataFrame, move_names: Sequence[str]) -> list[CellSpec]:
    """The progression cells: per move, view and group the people the move was open to
    (``entered``) and those who made it (``progressed``); the total followed."""
    specs = [
        CellSpec(("progression", "total"), (("followed", True),), TOTAL_COST, "staff followed")
    ]
    position = {name: i for i, name in enumerate(move_names)}
    for move, view, group, reference in zip(
        table["move"], table["attribute"], table["group"], table["reference"], strict=True
    ):
        i = position[move]
        base = (("followed", True), (view, str(group)), (f"eligible {i}", True))
        cost = group_cost(str(group), reference)
        specs.append(
            CellSpec(("progression", move, view, group, "entered"), base, cost, f"{group} staff")
        )
        specs.append(
            CellSpec(
                ("progression", move, view, group, "progressed"),
                (*base, (f"made {i}", True)),
                cost,
                f"{group} staff who moved ({move})",
            )
        )
    return specs
