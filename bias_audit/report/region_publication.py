"""Disclosure control for a region: every organisation's counts, every year's and the
pooled counts, protected in one :func:`bias_audit.report.suppression.protect` call.

A reader holding every organisation's table and the pooled value (and the year-by-year
figures) can add and subtract across them: the pooled count is the sum of the
organisations' counts, and of the years'. So every published count is written as a sum of
the same unknown atoms — (organisation, year, view, group, furthest stage, how the
application left) — and checked together:

- an organisation's count sums its atoms over the years; a year's count sums its atoms over
  the organisations; the pooled count sums them all (the identities pooled = Σ
  organisations = Σ years hold by construction);
- when the organisations and the years come from two readings of one extract (the reader
  keeps one splitting column at a time), the two sets of atoms are tied by the identity a
  reader knows: per view, group, stage and exit, Σ over organisations = Σ over years;
- counts of different indicators over the same atoms (WRES indicator 2's shortlisted
  count and the shortlisting step's progressed count, for instance) are linked because
  they share atoms.

Costs (which count is hidden first as a partner): a year's count, then an organisation's,
and the pooled count last.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bias_audit.report import suppression as sdc
from bias_audit.stats import schema
from bias_audit.stats.rates import EARLY_EXITS

ORGANISATION = "organisation"
YEAR = "year"
POOLED = "pooled"
COST = {YEAR: 1.0, ORGANISATION: 2.0, POOLED: 8.0}
COLUMNS = ("n_ref", "k_ref", "n", "k")  # reference entered / selected, focal entered / selected

Atom = tuple[int, str]  # (furthest stage index, left_by)


@dataclass(frozen=True)
class MetricAtoms:
    """Which (stage, exit) atoms make up a metric's "entered" (n) and "selected" (k)."""

    key: str
    view: str
    reference: str
    focal: str
    entered: frozenset[Atom]
    selected: frozenset[Atom]


def national_atoms(universe: Sequence[Atom], *, start: int, last: int) -> tuple[
    frozenset[Atom], frozenset[Atom]
]:  # fmt: skip
    """WRES indicator 2 / WDES metric 2: shortlisted (declined offers left out) and appointed."""
    entered = frozenset(
        a for a in universe
        if a[0] >= start and not (a[1] == schema.LEFT_BY_DECLINED and a[0] < last)
    )  # fmt: skip
    return entered, frozenset(a for a in universe if a[0] == last)


def step_atoms(universe: Sequence[Atom], *, start: int, end: int, last: int) -> tuple[
    frozenset[Atom], frozenset[Atom]
]:  # fmt: skip
    """A funnel step: reached ``start`` minus those who left early inside the step; reached
    ``end`` (as :mod:`bias_audit.stats.rates` counts them).

    >>> u = [(0, "not_progressed"), (0, "withdrew"), (1, "completed")]
    >>> [sorted(s) for s in step_atoms(u, start=0, end=1, last=1)]
    [[(0, 'not_progressed'), (1, 'completed')], [(1, 'completed')]]
    """
    entered = frozenset(
        a for a in universe
        if a[0] >= start and not (start <= a[0] < end and a[1] in EARLY_EXITS and a[0] < last)
    )  # fmt: skip
    return entered, frozenset(a for a in universe if a[0] >= end)


@dataclass(frozen=True)
class RegionPublication:
    """Every published count: ``values[(metric, unit, column)]`` exact, ``labels`` as shown
    (exact ints when not suppressed), ``reasons`` for hidden ones."""

    values: dict[tuple[str, tuple[str, str], str], int]
    labels: dict[tuple[str, tuple[str, str], str], sdc.Label]
    reasons: dict[tuple[str, tuple[str, str], str], str]
    unprotected: tuple[Hashable, ...] = ()


def universe_of(families: Sequence[pd.DataFrame], stages: Sequence[str]) -> list[Atom]:
    found: set[Atom] = set()
    for family in families:
        index = pd.Categorical(family[schema.FURTHEST_STAGE].astype(str), categories=stages).codes
        live = family[schema.COUNT].to_numpy() > 0
        found |= {
            (int(i), str(left))
            for i, left, ok in zip(index, family[schema.LEFT_BY], live, strict=True)
            if ok
        }
    return sorted(found)


def publish_region(
    families: Sequence[pd.DataFrame],
    stages: Sequence[str],
    metrics: Sequence[MetricAtoms],
    units: Sequence[tuple[str, str]],
    *,
    suppression: bool,
) -> RegionPublication:
    """Count and (when ``suppression``) protect every published count.

    Parameters
    ----------
    families
        One or two count tables of the same people with ``organisation`` and ``year``
        columns (see :class:`bias_audit.io.organisations.RegionCounts`).
    stages
        The stage ladder.
    metrics
        The metrics published, with their atoms.
    units
        ``("organisation", name)``, ``("year", label)`` and ``("pooled", "")`` units shown.
    """
    year_family = next((i for i, f in enumerate(families) if f[YEAR].notna().any()), None)
    variables: dict[tuple[int, str | None, str | None, str, str, Atom], int] = {}
    values: dict[int, int] = {}
    views = sorted({m.view for m in metrics})
    for f, family in enumerate(families):
        index = pd.Categorical(family[schema.FURTHEST_STAGE].astype(str), categories=stages).codes
        frame = family.assign(_stage=index)
        org = frame[ORGANISATION].astype(object).where(frame[ORGANISATION].notna(), None)
        year = frame[YEAR].astype(object).where(frame[YEAR].notna(), None)
        frame = frame.assign(_org=org.fillna("∅"), _year=year.fillna("∅"))
        for view in views:
            if view not in frame:
                continue
            summed = frame.groupby(
                ["_org", "_year", view, "_stage", schema.LEFT_BY], observed=True, sort=True
            )[schema.COUNT].sum()
            for (o, y, g, s, left), value in summed.items():
                key = (f, o, y, view, str(g), (int(s), str(left)))
                variables[key] = len(variables)
                values[variables[key]] = int(value)
    n_atoms = len(variables)
    equalities: list[tuple[tuple[int, float], ...]] = []
    if len(families) == 2:
        totals: dict[tuple[str, str, Atom], list[tuple[int, float]]] = {}
        for (f, _o, _y, view, group, atom), var in variables.items():
            totals.setdefault((view, group, atom), []).append((var, 1.0 if f == 0 else -1.0))
        equalities = [tuple(t) for t in totals.values()]

    def terms_for(unit: tuple[str, str], view: str, group: str, atoms: frozenset[Atom]) -> tuple[
        int, ...
    ]:  # fmt: skip
        kind, name = unit
        found = []
        for (f, o, y, v, g, atom), var in variables.items():
            if v != view or g != group or atom not in atoms:
                continue
            if kind == ORGANISATION and (f != 0 or o != name):
                continue
            if kind == YEAR and (f != year_family or y != name):
                continue
            if kind == POOLED and f != 0:
                continue
            found.append(var)
        return tuple(sorted(found))

    cells: dict[tuple[int, ...], sdc.Cell] = {}
    cell_of: dict[tuple[str, tuple[str, str], str], tuple[int, ...]] = {}
    exact: dict[tuple[str, tuple[str, str], str], int] = {}
    for metric in metrics:
        for unit in units:
            for column in COLUMNS:
                group = metric.reference if column.endswith("_ref") else metric.focal
                atoms = metric.entered if column.startswith("n") else metric.selected
                terms = terms_for(unit, metric.view, group, atoms)
                value = sum(values[t] for t in terms)
                key = (metric.key, unit, column)
                exact[key] = value
                cell_of[key] = terms
                if not terms:
                    continue
                cost = COST[unit[0]] + (0.5 if column.endswith("_ref") else 0.0)
                name = f"{group} ({metric.key}, {unit[1] or 'pooled'})"
                if terms in cells:
                    cost = max(cost, cells[terms].cost)
                    name = cells[terms].name
                cells[terms] = sdc.Cell(terms, terms, value, cost, name)
    if not suppression:
        return RegionPublication(exact, dict(exact), {})
    protection = sdc.protect(list(cells.values()), max(n_atoms, 1), equalities)
    labels = {key: (0 if not terms else protection.labels[terms]) for key, terms in cell_of.items()}
    reasons = {
        key: protection.reasons[terms]
        for key, terms in cell_of.items()
        if terms and terms in protection.reasons
    }
    return RegionPublication(exact, labels, reasons, protection.unprotected)


def shown_counts(
    publication: RegionPublication, metric: str, unit: tuple[str, str]
) -> tuple[tuple[int, int, int, int] | None, str]:
    """(k_ref, n_ref, k, n) as shown for one metric and unit, or None with the reason when
    a count is hidden."""
    labels = [publication.labels[(metric, unit, c)] for c in COLUMNS]
    hidden = [c for c, label in zip(COLUMNS, labels, strict=True) if sdc.is_hidden(label)]
    if hidden:
        why = [publication.reasons.get((metric, unit, c), sdc.REASON_SMALL) for c in hidden]
        why.sort(key=lambda r: r != sdc.REASON_SMALL)
        return None, f"hidden by disclosure control: {why[0]}"
    n_ref, k_ref, n, k = (int(v) for v in labels)
    return (k_ref, n_ref, k, n), ""


def as_array(labels: Sequence[sdc.Label]) -> np.ndarray:
    """Shown labels as numbers (hidden ones as NaN), for charts."""
    return np.array([np.nan if sdc.is_hidden(v) else float(v) for v in labels])
