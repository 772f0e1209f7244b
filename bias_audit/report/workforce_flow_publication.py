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
from typing import Any

import numpy as np
import pandas as pd

from bias_audit.report import suppression as sdc
from bias_audit.stats import disparity
from bias_audit.stats.progression import MOVES
from bias_audit.stats.rates import is_not_stated
from bias_audit.stats.retention import RETENTION_VIEWS, horizon_days

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
    prefix: str = "",
) -> pd.DataFrame:
    """One row per person of the staff frame (``index``) with every column a table reads
    (each name preceded by ``prefix``): the group in each view ("" outside both tables),
    ``cohort``, ``at <h>`` (gone / stayed / unknown), ``left``, ``reason``, ``followed``,
    ``eligible <i>`` and ``made <i>``."""
    # Built as arrays over the whole staff frame, the text columns as categoricals with
    # their categories in sorted order (so atoms group and sort as plain text would):
    # a million people cost a few array writes, not a string per person.
    n = len(index)
    columns: dict[str, Any] = {}
    texts: dict[str, list[tuple[np.ndarray, Any]]] = {}
    for source in (cohort, followed):
        if source is None:
            continue
        at = index.get_indexer(source.index)
        for view in views:
            if view in source:
                texts.setdefault(view, []).append((at, source[view]))
    for view, parts in texts.items():
        columns[view] = _text_column(n, parts)
    in_cohort = np.zeros(n, dtype=bool)
    if cohort is not None:
        at = index.get_indexer(cohort.index)
        in_cohort[at] = True
    columns["cohort"] = in_cohort
    if cohort is not None:
        days = cohort["days"].to_numpy()
        left = cohort["left"].to_numpy(dtype=bool)
        for months in horizons:
            h = horizon_days(months)
            status = np.where(left & (days <= h), "gone", np.where(days >= h, "stayed", "unknown"))
            columns[f"at {months}"] = _text_column(n, [(at, status)])
        gone = np.zeros(n, dtype=bool)
        gone[at] = left
        columns["left"] = gone
        columns["reason"] = _text_column(n, [(at, cohort["reason_group"])])
    is_followed = np.zeros(n, dtype=bool)
    flag_columns: dict[str, np.ndarray] = {}
    if followed is not None and flags is not None:
        is_followed[index.get_indexer(followed.index)] = True
        flag_at = index.get_indexer(flags.index)
        for column in flags:
            values = np.zeros(n, dtype=bool)
            values[flag_at] = flags[column].to_numpy(dtype=bool)
            flag_columns[column] = values
    columns["followed"] = is_followed
    columns.update(flag_columns)
    classes = pd.DataFrame(columns, index=index)
    return classes.add_prefix(prefix)


def _text_column(n: int, parts: Sequence[tuple[np.ndarray, Any]]) -> pd.Categorical:
    """``n`` rows of text, "" except at each part's positions (its values, as text; a
    missing value reads "nan", as ``astype(str)`` writes it)."""
    names = [""]
    codes = np.zeros(n, dtype=np.int64)
    for positions, values in parts:
        value_codes, uniques = pd.factorize(pd.Series(values), use_na_sentinel=True)
        found = [str(u) for u in uniques] + ["nan"]
        for name in found:
            if name not in names:
                names.append(name)
        renumber = np.array([names.index(name) for name in found], dtype=np.int64)
        codes[positions] = renumber[value_codes]
    order = sorted(range(len(names)), key=lambda i: names[i])
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    return pd.Categorical.from_codes(rank[codes], categories=[names[i] for i in order])


def atoms(classes: pd.DataFrame) -> pd.DataFrame:
    """The distinct classes with their number of people (``count``); people in no table
    (neither in the cohort nor followed) are left out, as no published count holds them."""
    live = classes[classes["cohort"].astype(bool) | classes["followed"].astype(bool)]
    if live.empty:
        return pd.DataFrame(columns=[*classes.columns, "count"])
    keys = list(classes.columns)
    grouped = live.groupby(keys, dropna=False, sort=True, observed=True).size()
    return grouped.rename("count").reset_index()


def spec_mask(atom_table: pd.DataFrame, spec: CellSpec) -> np.ndarray:
    """Which atoms a cell sums (one bool per atom)."""
    return _mask(_ColumnCache(atom_table), spec)


class _ColumnCache(dict):
    """The atom table's columns as numpy arrays, each converted once (a spec reads a few
    of them; hundreds of specs read the same ones)."""

    def __init__(self, atom_table: pd.DataFrame):
        super().__init__()
        self.table = atom_table

    def __missing__(self, column: str) -> np.ndarray:
        values = self.table[column]
        array = (
            values.astype(object).to_numpy()
            if isinstance(values.dtype, pd.CategoricalDtype)
            else values.to_numpy()
        )
        self[column] = array
        return array


def spec_masks(atom_table: pd.DataFrame, specs: Sequence[CellSpec]) -> list[np.ndarray]:
    """:func:`spec_mask` of every spec, each atom column converted once."""
    cache = _ColumnCache(atom_table)
    return [_mask(cache, spec) for spec in specs]


def _mask(cache: _ColumnCache, spec: CellSpec) -> np.ndarray:
    mask = np.ones(len(cache.table), dtype=bool)
    for column, value in spec.where:
        values = cache[column]
        if isinstance(value, tuple):
            mask &= np.isin(values, list(value))
        else:
            mask &= values == value
    return mask


def protect_cells(atom_table: pd.DataFrame, specs: Sequence[CellSpec]) -> sdc.Protection:
    """Labels for every cell in ``specs`` (``≤7``, ``*``, 0 or a multiple of 5), protected
    together by :func:`bias_audit.report.suppression.protect`."""
    counts = atom_table["count"].to_numpy() if not atom_table.empty else np.array([])
    cells = []
    for spec, mask in zip(specs, spec_masks(atom_table, specs), strict=True):
        terms = tuple(int(i) for i in np.flatnonzero(mask))
        cells.append(sdc.Cell(spec.key, terms, int(counts[mask].sum()), spec.cost, spec.name))
    return sdc.protect(cells, len(atom_table))


def specs_from_atoms(atom_table: pd.DataFrame, *, prefix: str = "") -> list[CellSpec]:
    """Every retention and progression count, named from the atoms alone: the groups,
    leaving reasons and moves present (as :mod:`bias_audit.stats.retention` and
    :mod:`bias_audit.stats.progression` report them), each with its reference group.

    ``prefix`` is the one :func:`person_classes` was given (the workforce audit's atoms
    hold other columns too)."""
    n = atom_table["count"].to_numpy() if len(atom_table) else np.array([], dtype=int)

    def column(name: str) -> np.ndarray:
        return atom_table[prefix + name].to_numpy()

    specs: list[CellSpec] = []
    if prefix + "cohort" not in atom_table or prefix + "followed" not in atom_table:
        return specs
    cohort = column("cohort").astype(bool)
    followed = column("followed").astype(bool)
    views = [v for v in RETENTION_VIEWS if prefix + v in atom_table]
    horizons = sorted(
        int(c.removeprefix(prefix + "at ")) for c in atom_table if c.startswith(prefix + "at ")
    )
    if (n[cohort] > 0).any():
        groups, reason_rows = [], []
        left = column("left").astype(bool)
        for view in views:
            values = column(view).astype(str)
            sizes = _sizes(values[cohort], n[cohort])
            reference = disparity.default_reference(view, sizes)
            groups += [{"attribute": view, "group": g, "reference": reference} for g in sizes]
            leavers = _sizes(
                np.char.add(
                    np.char.add(values[cohort & left], "\x1f"),
                    column("reason").astype(str)[cohort & left],
                ),
                n[cohort & left],
            )
            reason_rows += [(view, *key.split("\x1f", 1)) for key in leavers]
        reasons = pd.DataFrame(reason_rows, columns=["attribute", "group", "reason_group"])
        specs += retention_specs(groups, reasons, horizons, prefix=prefix)
    moves = sorted(
        int(c.removeprefix(prefix + "eligible "))
        for c in atom_table
        if c.startswith(prefix + "eligible ")
    )
    if (n[followed] > 0).any():
        rows = []
        for view in views:
            values = column(view).astype(str)
            sizes = _sizes(values[followed], n[followed])
            reference = disparity.default_reference(view, sizes)
            for i in moves:
                eligible = followed & column(f"eligible {i}").astype(bool)
                if n[eligible].sum() == 0:
                    continue
                rows += [(i, view, g, reference) for g in sizes]
        specs += progression_specs(rows, prefix=prefix)
    return specs


def _sizes(values: np.ndarray, counts: np.ndarray) -> dict[str, int]:
    """People per distinct value (only values someone has)."""
    out: dict[str, int] = {}
    for value, count in zip(values.tolist(), counts.tolist(), strict=True):
        if count > 0:
            out[value] = out.get(value, 0) + int(count)
    return out


def group_cost(group: str, reference: str | None) -> float:
    """Reference groups are the dearest to hide, not-stated groups the cheapest."""
    if group == reference:
        return REFERENCE_COST
    return NOT_STATED_COST if is_not_stated(group) else GROUP_COST


def retention_specs(
    groups: Sequence[Mapping[str, object]],
    reasons: pd.DataFrame,
    horizons: Sequence[int],
    *,
    prefix: str = "",
) -> list[CellSpec]:
    """The retention cells: per view and group the starters, leavers and, per horizon, the
    people observed and those still in post; leavers by reason; the cohort total."""
    p = prefix
    specs = [CellSpec(("retention", "total"), ((p + "cohort", True),), TOTAL_COST, "the cohort")]
    for row in groups:
        view, group = str(row["attribute"]), str(row["group"])
        base = ((p + "cohort", True), (p + view, group))
        cost = group_cost(group, row["reference"])  # type: ignore[arg-type]
        name = f"{group} starters"
        specs.append(CellSpec(("retention", view, group, "started"), base, cost, name))
        specs.append(
            CellSpec(
                ("retention", view, group, "left"), (*base, (p + "left", True)), cost - 1, name
            )
        )
        for i, months in enumerate(horizons):
            column = f"{p}at {months}"
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
                (
                    (p + "cohort", True),
                    (p + view, group),
                    (p + "left", True),
                    (p + "reason", reason),
                ),
                DETAIL_COST,
                f"{group} leavers ({reason})",
            )
        )
    return specs


def progression_specs(
    rows: Sequence[tuple[int, str, str, str | None]], *, prefix: str = ""
) -> list[CellSpec]:
    """The progression cells from (move position, view, group, reference) rows: per move,
    view and group the people the move was open to (``entered``) and those who made it
    (``progressed``); the total followed. Keys name the move by its name in
    :data:`bias_audit.stats.progression.MOVES`."""
    p = prefix
    specs = [
        CellSpec(("progression", "total"), ((p + "followed", True),), TOTAL_COST, "staff followed")
    ]
    for i, view, group, reference in rows:
        move = MOVES[i].name
        base = ((p + "followed", True), (p + view, str(group)), (f"{p}eligible {i}", True))
        cost = group_cost(str(group), reference)
        specs.append(
            CellSpec(("progression", move, view, group, "entered"), base, cost, f"{group} staff")
        )
        specs.append(
            CellSpec(
                ("progression", move, view, group, "progressed"),
                (*base, (f"{p}made {i}", True)),
                cost,
                f"{group} staff who moved ({move})",
            )
        )
    return specs


# ------------------------------------------------------------------ counts and estimates as shown
MISSING_COUNT = "retention / progression count {key!r} was not named in the publication"
REASON_PARTNER_GENERAL = (
    "kept back so that a count of 1–7 elsewhere cannot be worked out by subtraction"
)
REASON_FEW_LEFT = (
    "fewer than 8 people in this group had left by then, so the estimate is not shown "
    "(it would show how many)"
)


def published_survival(
    survival: float | None,
    ci_low: float | None,
    ci_high: float | None,
    started: int,
    started_label: sdc.Label,
) -> tuple[float | None, float | None, float | None, str]:
    """A Kaplan–Meier estimate as published: read as a count, like every other count.

    ``started × (1 − S)`` is the number of the group's starters the estimate says had left
    (for a group with no one censored yet it is exactly that number). A curve step of one
    leaver in a group of 15 would otherwise show a count of 1 as plainly as a table cell.
    So that number is published by the NHS Digital rule: below 8 (and above 0) the estimate
    is withheld; otherwise it is rounded to 5 and the estimate is worked out again from the
    published number of starters, to whole percentage points. The 95% interval (worked out
    from the exact times) is shown to 2 decimals, widened to hold the published estimate.

    >>> published_survival(13 / 15, 0.56, 0.96, 15, 15)[0] is None  # 2 leavers of 15
    True
    >>> published_survival(0.9, 0.85, 0.94, 300, 300)[:3]  # 30 of 300: 30 rounded is 30
    (0.9, 0.85, 0.94)
    >>> published_survival(1.0, None, None, 40, 40)[:3]
    (1.0, None, None)
    """
    if survival is None or sdc.is_hidden(started_label):
        return None, None, None, ""
    gone = started * (1 - survival)
    if 0.5 <= gone < sdc.SMALL_MAX + 0.5:
        return None, None, None, REASON_FEW_LEFT
    whole = int(started_label)
    if whole == 0:
        return None, None, None, ""
    shown = round(max(0.0, 1 - sdc.round_count(round(gone)) / whole), 2)
    low = None if ci_low is None or pd.isna(ci_low) else min(round(float(ci_low), 2), shown)
    high = None if ci_high is None or pd.isna(ci_high) else max(round(float(ci_high), 2), shown)
    return shown, low, high, ""


class Labels(dict):
    """A read-only mapping over a label function (the workforce audit's ``count``)."""

    def __init__(self, label: Any) -> None:
        super().__init__()
        self._label = label

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: Any) -> sdc.Label:
        return self._label(key)


@dataclass(frozen=True)
class Shown:
    labels: Mapping[Any, sdc.Label]
    reasons: Mapping[Any, str]
    published: bool

    def count(self, key: Any, exact: int) -> sdc.Label:
        if not self.published:
            return int(exact)
        if key not in self.labels:
            raise RuntimeError(MISSING_COUNT.format(key=key))
        return self.labels[key]

    def counts(self, exclusions: dict[str, int]) -> dict[str, sdc.Label]:
        """Counts of people left out: a count of 1–7 shows as "≤7" when published (they
        add up to nothing else published, so no partner is needed)."""
        if not self.published:
            return dict(exclusions)
        return {k: sdc.count_label(v) for k, v in exclusions.items()}

    def why(self, key: Any) -> str:
        if not self.published:
            return ""
        given = self.reasons.get(key, "")
        if given:
            return given
        label = self.labels[key]
        if label == sdc.SMALL_LABEL:
            return sdc.REASON_SMALL
        if label == sdc.SECONDARY_LABEL:
            return REASON_PARTNER_GENERAL
        return ""

    def share(self, value: float | None) -> float | None:
        if value is None or not self.published:
            return value
        return round(float(value), 2)
