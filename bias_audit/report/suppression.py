"""Disclosure control for recruitment tables (on by default everywhere numbers are shown).

Rules (NHS Digital disclosure control for HES/ECDS, September 2018, as adopted for
sub-national recruitment figures here):

1. *Primary suppression*: a count of 1–7 is shown as "≤7". A shown pair also publishes its
   difference — "entered" − "progressed" is the people not progressed — so when that is
   1–7 one of the pair is hidden too ("*").
2. *Secondary suppression*: every count the report shows is a sum of the same underlying
   cells (group × stage reached × how they left), so a hidden count could be worked out from
   the other groups and the total, or from the adjacent stage. Each shown count is treated
   as a linear equation over those cells; a hidden count is recoverable exactly when its
   equation is a combination of the shown ones (exact linear algebra, treating shown
   counts as exact — stricter than the rounded values really shown). For each attribute
   view, with the totals over everyone (which any other view gives away) as known, further
   counts are hidden ("*") until no small count is recoverable, least important first; the
   caller keeps a count hidden wherever the same people are counted in another view.
3. *Rounding*: counts that stay visible are shown rounded to the nearest 5 (0 stays 0).
4. No rate or ratio is shown whose numerator or denominator is hidden (the audit blanks
   them).

The check covers differencing across the rows of one transition, against totals, and
between adjacent stages at once. Known limit: a reader combining two different views (say
"White × Female" and "White") beyond identical counts is not modelled.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

SMALL_MAX = 7
SMALL_LABEL = "≤7"
SECONDARY_LABEL = "*"
ROUND_TO = 5
SUPPRESSION_NOTE = (
    "Disclosure control is on: counts of 1–7 show as ≤7, counts hidden so that a small "
    "number cannot be worked out from the others show as *, other counts are rounded to the "
    "nearest 5, and no rate or ratio is shown whose count is hidden."
)

Slots = frozenset[tuple[int, int]]
QuantityKey = tuple[str, str, Slots]  # (attribute, group, slots of (stage index, early))


@dataclass(frozen=True)
class SuppressionPlan:
    """Which published counts are hidden.

    Attributes
    ----------
    primary
        Counts hidden because they are 1–7 (shown as "≤7").
    secondary
        Other hidden counts (shown as "*"): a count whose complement is 1–7, and counts
        hidden so that no small count can be recovered from the others.
    """

    primary: frozenset[QuantityKey]
    secondary: frozenset[QuantityKey]

    def hidden(self, key: QuantityKey) -> bool:
        return key in self.primary or key in self.secondary

    def label(self, key: QuantityKey, value: int) -> int | str:
        """What to show for a count: "≤7", "*", or the value rounded to the nearest 5."""
        if key in self.primary:
            return SMALL_LABEL
        if key in self.secondary:
            return SECONDARY_LABEL
        return round_count(value)


def is_small(value: int) -> bool:
    """True for counts that must not be shown (1 to 7 inclusive)."""
    return 1 <= value <= SMALL_MAX


def round_count(value: int) -> int:
    """Round a count to the nearest 5, halves up (there are no halves for integers).

    >>> [round_count(v) for v in (0, 8, 12, 13, 1002)]
    [0, 10, 10, 15, 1000]
    """
    return int((int(value) + ROUND_TO // 2) // ROUND_TO * ROUND_TO)


def _row_space(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Left vectors, singular values and right vectors spanning the row space."""
    if matrix.size == 0:
        return np.zeros((matrix.shape[0], 0)), np.zeros(0), np.zeros((0, matrix.shape[1]))
    u, s, vt = np.linalg.svd(matrix, full_matrices=False)
    tol = max(matrix.shape) * np.finfo(float).eps * (s[0] if s.size else 0.0)
    keep = s > max(tol, 1e-9)
    return u[:, keep], s[keep], vt[keep]


def recoverable(visible: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Which target equations are linear combinations of the visible ones (exact recovery).

    Examples
    --------
    >>> shown = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])  # a + b and a are shown
    >>> recoverable(shown, np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])).tolist()
    [True, False]
    """
    _, _, vt = _row_space(visible)
    residual = targets - (targets @ vt.T) @ vt
    scale = np.maximum(np.linalg.norm(targets, axis=1), 1.0)
    return np.linalg.norm(residual, axis=1) <= 1e-7 * scale


def _indicator_rows(
    fine: pd.DataFrame, attributes: Sequence[str], n_stages: int, quantities: Iterable[Slots]
) -> tuple[list[QuantityKey], np.ndarray, np.ndarray]:
    """Equation (over combo × slot cells) and value of every quantity of every group."""
    combo_codes, combos = pd.factorize(pd.MultiIndex.from_frame(fine[list(attributes)].astype(str)))
    n_slots = n_stages * 2
    slot = fine["stage_index"].to_numpy() * 2 + fine["early"].to_numpy().astype(int)
    values = np.zeros(len(combos) * n_slots)
    np.add.at(values, combo_codes * n_slots + slot, fine["count"].to_numpy(dtype=float))
    masks = []
    for q in quantities:
        mask = np.zeros(n_slots)
        for stage, early in q:
            mask[stage * 2 + early] = 1.0
        masks.append((q, mask))
    keys: list[QuantityKey] = []
    rows = []
    for position, attribute in enumerate(attributes):
        labels = combos.get_level_values(position)
        for group in pd.unique(labels):
            member = (labels == group).astype(float)
            for q, mask in masks:
                keys.append((attribute, str(group), q))
                rows.append(np.outer(member, mask).ravel())
    matrix = np.array(rows) if rows else np.zeros((0, len(values)))
    return keys, matrix, matrix @ values


def plan_suppression(
    fine: pd.DataFrame,
    *,
    attributes: Sequence[str],
    n_stages: int,
    published: Iterable[Slots],
    complements: Iterable[tuple[Slots | tuple[Slots, ...], Slots]] = (),
    cost: Callable[[QuantityKey], float] | None = None,
    forced: Iterable[QuantityKey] = (),
) -> SuppressionPlan:
    """Decide which published counts to hide.

    Parameters
    ----------
    fine
        The underlying cells: one column per attribute view in ``attributes`` (group labels),
        ``stage_index``, ``early`` (0/1: left by withdrawing or declining) and ``count``.
    attributes
        Attribute views whose groups are published (add a constant column to model a
        published total).
    n_stages
        Number of stages.
    published
        Quantities shown for every group, each a set of (stage index, early) cells summed.
    complements
        Pairs (shown counts, complement): the complement is published implicitly (e.g.
        "not progressed" = "entered" − "progressed"), so when it is 1–7 one of the shown
        counts (a set of cells, or a tuple of alternatives: the cheapest is hidden) goes.
    cost
        How much a count matters to readers (lower is hidden first when a further count must
        go, e.g. not-stated groups before White / BME); ties go to the smallest count.
        ``math.inf`` marks a count that cannot be hidden (a total published elsewhere).
    forced
        Counts that must be hidden whatever their size (hidden elsewhere in the report).

    Returns
    -------
    SuppressionPlan
    """
    table = prepare(
        fine,
        attributes=attributes,
        n_stages=n_stages,
        published=published,
        complements=complements,
    )
    return solve(table, cost=cost, forced=forced)


@dataclass(frozen=True)
class Equations:
    """Every count of one table as an equation over the underlying cells (see ``prepare``)."""

    keys: list[QuantityKey]
    matrix: np.ndarray
    values: np.ndarray
    is_published: np.ndarray
    small: np.ndarray
    canon: np.ndarray  # equal numbers for equal equations
    complement_small: list[tuple[int, ...]]  # either of these reveals a complement of 1–7


def prepare(
    fine: pd.DataFrame,
    *,
    attributes: Sequence[str],
    n_stages: int,
    published: Iterable[Slots],
    complements: Iterable[tuple[Slots | tuple[Slots, ...], Slots]] = (),
) -> Equations:
    """Build the equations once; :func:`solve` may then run several times (see
    :func:`plan_suppression` for the parameters)."""
    complements = list(complements)
    published = list(dict.fromkeys(published))
    implicit = list(dict.fromkeys(c for _, c in complements if c not in published))
    keys, matrix, values = _indicator_rows(fine, attributes, n_stages, [*published, *implicit])
    shown_slots = set(published)
    is_published = np.array([k[2] in shown_slots for k in keys], dtype=bool)
    small = (values >= 0.5) & (values <= SMALL_MAX + 0.5)
    index = {k: i for i, k in enumerate(keys)}
    # The same equation may appear under two names (e.g. a group and the total when there
    # is one group): hiding one must hide both, so work on distinct equations.
    _, canon = np.unique(matrix, axis=0, return_inverse=True)
    complement_small = []
    for shown, complement in complements:
        choices = (shown,) if isinstance(shown, frozenset) else tuple(shown)
        for attribute, group, q in keys:
            if q == choices[0] and small[index[(attribute, group, complement)]]:
                complement_small.append(tuple(index[(attribute, group, c)] for c in choices))
    return Equations(keys, matrix, values, is_published, small, canon.ravel(), complement_small)


def solve(
    table: Equations,
    *,
    cost: Callable[[QuantityKey], float] | None = None,
    forced: Iterable[QuantityKey] = (),
) -> SuppressionPlan:
    """Primary and secondary suppression on prepared equations."""
    rank = cost if cost is not None else (lambda key: 0.0)
    keys, canon = table.keys, table.canon
    index = {k: i for i, k in enumerate(keys)}
    # Counts that cannot be hidden (totals published elsewhere) stay known to a reader.
    fixed = np.array([not math.isfinite(rank(k)) for k in keys], dtype=bool)
    primary = table.is_published & table.small & ~fixed
    for choices in table.complement_small:
        # Hide the cheaper of the two counts whose difference is small.
        usable = [i for i in choices if not fixed[i]]
        if usable and not primary[usable].any():
            primary[min(usable, key=lambda i: rank(keys[i]))] = True
    hidden = primary.copy()
    for key in forced:
        if key in index:
            hidden[index[key]] = True
    hidden |= np.isin(canon, canon[hidden])
    hidden &= ~fixed
    sensitive = table.small & (hidden | ~table.is_published)

    from threadpoolctl import threadpool_limits

    # Small dense problems: threads only contend on a shared machine.
    with threadpool_limits(limits=1):
        _secondary(
            table.matrix,
            table.values,
            keys,
            canon,
            table.is_published,
            sensitive,
            hidden,
            rank,
            fixed,
        )
    # Only counts that are themselves 1–7 show as "≤7"; every other hidden count shows "*".
    shown_small = hidden & table.is_published & table.small
    secondary = hidden & table.is_published & ~table.small
    return SuppressionPlan(
        primary=frozenset(k for k, p in zip(keys, shown_small, strict=True) if p),
        secondary=frozenset(k for k, p in zip(keys, secondary, strict=True) if p),
    )


def _secondary(
    matrix: np.ndarray,
    values: np.ndarray,
    keys: list[QuantityKey],
    canon: np.ndarray,
    is_published: np.ndarray,
    sensitive: np.ndarray,
    hidden: np.ndarray,
    rank: Callable[[QuantityKey], float],
    fixed: np.ndarray,
) -> None:
    """Hide further counts (in place) until no sensitive count is recoverable."""
    targets = np.flatnonzero(sensitive)
    while targets.size:
        visible_rows = np.flatnonzero(is_published & ~hidden)
        u, s, vt = _row_space(matrix[visible_rows])
        wanted = matrix[targets]
        residual = wanted - (wanted @ vt.T) @ vt
        scale = np.maximum(np.linalg.norm(wanted, axis=1), 1.0)
        found = targets[np.linalg.norm(residual, axis=1) <= 1e-7 * scale]
        if found.size == 0:
            return
        before = int(hidden.sum())
        for target in found:
            # The target's coefficients over the visible equations; give up the cheapest
            # count it is built from. Skip targets whose route this round already broke.
            alpha = u @ ((vt @ matrix[target]) / s)
            used = visible_rows[np.abs(alpha) > 1e-9]
            if hidden[used].any():
                continue
            used = np.array([i for i in used if math.isfinite(rank(keys[i]))], dtype=int)
            if used.size == 0:
                continue  # only public totals are involved: nothing here can help
            nonzero = used[values[used] > 0]
            pool = nonzero if nonzero.size else used
            choice = min(pool, key=lambda i: (rank(keys[i]), values[i]))
            hidden |= (canon == canon[choice]) & ~fixed
        if int(hidden.sum()) == before:
            return
