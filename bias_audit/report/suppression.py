"""Disclosure control for recruitment tables (on by default everywhere numbers are shown).

The counts follow NHS Digital's rule for sub-national figures (HES / ECDS since September
2018): a count of 1–7 shows as "≤7", zero stays 0, and every other count is rounded to the
nearest 5. On top of that, because an attacker reads every table at once:

1. *Everything from the published counts.* Rates, ratios, intervals, z, p, mid-P, the
   shortfall, the one-person check, the stratified tests and WRES / WDES are worked out
   from the rounded counts (or withheld), never from the exact ones and then rounded: a
   statistic of the shown counts can tell nothing the shown counts do not. No statistic is
   shown for a comparison that involves a hidden count.
2. *One protection for the whole publication* (:func:`protect`). Every published count is
   a sum of the same unknown atoms; the identities between tables (stages, the three
   ethnicity views, ethnicity × gender, the total) are known to any reader. Each count of
   1–7 is checked by linear programming: given every label, can it still be anything from 1
   to 7? If not, the cheapest count whose bound holds it in is hidden as "*" (a "≤7" turned
   into "*" first, then a total, a not-stated group, a finer view's group, and a headline
   comparison group only when nothing else works), and the check runs again.
3. *True reasons.* A "≤7" is "a count of 1–7"; a "*" names the small count it protects.

A "*" can stand for any count (0 and 1–7 included). Per-group withdrawals are not
published (only their total): with "entered" and "reached" both shown they would need a
partner at every step. The cost in accuracy: each shown count is off by up to 2, so a
ratio from small groups can move visibly (the documentation gives measured figures).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

SMALL_MAX = 7
SMALL_LABEL = "≤7"
SECONDARY_LABEL = "*"
ROUND_TO = 5
SLACK = ROUND_TO // 2  # a shown count c stands for any value in c ± SLACK
RATIO_DECIMALS = 2
P_FIGURES = 2
SUPPRESSION_NOTE = (
    "Disclosure control is on (NHS Digital rule): counts of 1–7 show as ≤7 and other counts "
    "are rounded to the nearest 5. Where tables, stages or views could be added and "
    "subtracted to narrow a ≤7, another count is hidden as * (each hidden row says why). "
    "Every rate, ratio, interval and p-value is worked out from the counts as shown, so it "
    "can differ a little from the exact figure; none is shown for a hidden count. "
    "Withdrawals are given as one total."
)

Label = int | str


def is_small(value: int) -> bool:
    """True for counts that must not be shown (1 to 7 inclusive)."""
    return 1 <= value <= SMALL_MAX


def round_count(value: int) -> int:
    """Round a count to the nearest 5 (integers have no halves at the cut).

    >>> [round_count(v) for v in (0, 8, 12, 13, 1002)]
    [0, 10, 10, 15, 1000]
    """
    return int((int(value) + SLACK) // ROUND_TO * ROUND_TO)


def count_label(value: int) -> Label:
    """What a count shows without secondary suppression: 0, "≤7", or rounded to 5.

    >>> [count_label(v) for v in (0, 3, 9, 298)]
    [0, '≤7', 10, 300]
    """
    return SMALL_LABEL if is_small(value) else round_count(value)


def is_hidden(label: object) -> bool:
    """True when a shown label stands for a hidden count ("≤7" or "*")."""
    return label in (SMALL_LABEL, SECONDARY_LABEL)


def published_rate(numerator: Label, denominator: Label) -> float | None:
    """A rate from rounded counts (NHS Digital), or None when either is hidden or n is 0.

    >>> published_rate(85, 335), published_rate("≤7", 40), published_rate(0, 0)
    (0.2537313432835821, None, None)
    """
    if is_hidden(numerator) or is_hidden(denominator) or int(denominator) == 0:
        return None
    return int(numerator) / int(denominator)


def publish_ratio(value: float | None) -> float | None:
    """A ratio or interval bound as published: 2 decimal places.

    >>> publish_ratio(1.50432), publish_ratio(None)
    (1.5, None)
    """
    if value is None or not math.isfinite(value):
        return value
    return round(float(value), RATIO_DECIMALS)


def publish_p(p: float | None, *, alpha: float = 0.05) -> float | None:
    """A p-value as published: 2 significant figures, never rounded across ``alpha``.

    >>> publish_p(0.21437), publish_p(0.0004567), publish_p(0.04996)
    (0.21, 0.00046, 0.049)
    """
    if p is None or not math.isfinite(p) or p <= 0:
        return p
    digits = P_FIGURES - 1 - math.floor(math.log10(p))
    shown = round(p, digits)
    if (shown < alpha) != (p < alpha):
        shown = math.floor(p * 10**digits) / 10**digits
    return shown


# ------------------------------------------------------------------ whole-publication control
#
# Tables are not published one by one: the same people appear in every stage, every view of
# ethnicity and the ethnicity × gender table, and an attacker who reads everything at once can
# add and subtract across all of them. :func:`protect` therefore treats every published count
# as a linear form over unknown non-negative "atoms" (the finest counts the data are made of),
# ties the atoms together with the equalities that hold between the tables, and checks each
# hidden count by linear programming: the smallest and largest values it can take given every
# shown count (to ±2), every "≤7" (1–7) and every "*" (8 or more). A "≤7" must still be able
# to be anything from 1 to 7, and a "*" anything its rounded value would have allowed; while
# one is not, the cheapest shown count whose bound holds it in is hidden too, as "*".

REASON_SMALL = "a count of 1–7"
REASON_PARTNER = "kept back so that the count of 1–7 for {whom} cannot be worked out by subtraction"
REASON_UNPROTECTED = "could not be fully protected"
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Cell:
    """One published count: a sum of atoms (``terms`` are atom indices) and its exact value.

    ``cost`` orders the cells offered as partners (lowest is hidden first); ``name`` says in
    plain words what the count is (used in the reason given for a partner);
    ``keep_small_label`` keeps a small count's "≤7" (e.g. a not-stated row) unless no
    other "≤7" can be turned into "*" instead.
    """

    key: Hashable
    terms: tuple[int, ...]
    value: int
    cost: float
    name: str
    keep_small_label: bool = False  # a "≤7" to turn into "*" only when nothing else will do


@dataclass(frozen=True)
class Protection:
    """The outcome of :func:`protect`: a label and, for a hidden count, the true reason."""

    labels: dict[Hashable, Label]
    reasons: dict[Hashable, str]
    unprotected: tuple[Hashable, ...] = ()


def label_bounds(label: Label) -> tuple[float, float]:
    """What a reader knows of a count from its label alone.

    A "*" may stand for any count, 0 and 1–7 included (a "≤7" is turned into "*" when the
    two labels together would still give it away).

    >>> label_bounds(10), label_bounds(SMALL_LABEL), label_bounds(SECONDARY_LABEL)
    ((8, 12), (1, 7), (0, inf))
    """
    if label == SMALL_LABEL:
        return 1, SMALL_MAX
    if label == SECONDARY_LABEL:
        return 0, math.inf
    value = int(label)
    if value == 0:
        return 0, 0
    return max(value - SLACK, SMALL_MAX + 1), value + SLACK


class _AttackerProgram:
    """The attacker's linear program, kept in one HiGHS model between solves.

    Rows are the published cells (bounded by what their labels say) and the equalities; the
    columns are the atoms (0 or more). Each solve changes only the objective (or a row's
    bounds when a cell is hidden), so HiGHS starts from the last basis: a few milliseconds
    a solve instead of building the problem again.
    """

    def __init__(self, matrix: Any, low: Any, high: Any, equalities: Any, n_atoms: int):
        from scipy import sparse
        from scipy.optimize._highspy import _core  # HiGHS as shipped inside SciPy

        self._core = _core
        self.n_cells = matrix.shape[0]
        self.n_atoms = n_atoms
        inf = _core.kHighsInf
        rows = sparse.vstack([matrix, equalities]).tocsr()
        lower = np.concatenate([low, np.zeros(equalities.shape[0])])
        upper = np.concatenate([high, np.zeros(equalities.shape[0])])
        upper[~np.isfinite(upper)] = inf
        lp = _core.HighsLp()
        lp.num_col_ = n_atoms
        lp.num_row_ = rows.shape[0]
        lp.col_cost_ = np.zeros(n_atoms)
        lp.col_lower_ = np.zeros(n_atoms)
        lp.col_upper_ = np.full(n_atoms, inf)
        lp.row_lower_ = lower
        lp.row_upper_ = upper
        lp.a_matrix_.format_ = _core.MatrixFormat.kRowwise
        lp.a_matrix_.num_row_ = rows.shape[0]
        lp.a_matrix_.num_col_ = n_atoms
        lp.a_matrix_.start_ = rows.indptr.astype(np.int32)
        lp.a_matrix_.index_ = rows.indices.astype(np.int32)
        lp.a_matrix_.value_ = rows.data.astype(float)
        self.highs = _core._Highs()
        self.highs.setOptionValue("output_flag", False)
        # Only the objective changes between solves, so the last basis stays feasible: the
        # primal simplex without presolve restarts from it (about twice as fast here).
        self.highs.setOptionValue("presolve", "off")
        self.highs.setOptionValue("simplex_strategy", 4)
        self.highs.passModel(lp)
        self.columns = np.arange(n_atoms, dtype=np.int32)

    def hide(self, row: int, low: float, high: float) -> None:
        self.highs.changeRowBounds(row, low, high if math.isfinite(high) else self._core.kHighsInf)

    def minimum(self, objective: Any) -> tuple[float, list[int]]:
        """Smallest value of ``objective``·atoms, and the cell rows whose bounds hold it."""
        self.highs.changeColsCost(self.n_atoms, self.columns, objective.astype(float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == self._core.HighsModelStatus.kUnbounded:
            return -math.inf, []
        if status != self._core.HighsModelStatus.kOptimal:  # pragma: no cover
            raise RuntimeError(f"disclosure check failed: {self.highs.modelStatusToString(status)}")
        duals = np.asarray(self.highs.getSolution().row_dual)[: self.n_cells]
        binding = np.flatnonzero(np.abs(duals) > _TOLERANCE).tolist()
        return float(self.highs.getInfo().objective_function_value), binding


class _LinprogProgram:
    """The same program through the public ``scipy.optimize.linprog`` (slower: the problem
    is built again for every solve). Used if SciPy's bundled HiGHS module is not there."""

    def __init__(self, matrix: Any, low: Any, high: Any, equalities: Any, n_atoms: int):
        self.matrix, self.low, self.high, self.equalities = matrix, low, high, equalities

    def hide(self, row: int, low: float, high: float) -> None:
        self.low[row], self.high[row] = low, high

    def minimum(self, objective: Any) -> tuple[float, list[int]]:
        from scipy import sparse
        from scipy.optimize import linprog

        upper = np.flatnonzero(np.isfinite(self.high))
        rows = np.arange(self.matrix.shape[0])
        a_ub = sparse.vstack([self.matrix[upper], -self.matrix]).tocsr()
        b_ub = np.concatenate([self.high[upper], -self.low])
        has_eq = self.equalities.shape[0] > 0
        result = linprog(
            objective,
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=self.equalities if has_eq else None,
            b_eq=np.zeros(self.equalities.shape[0]) if has_eq else None,
            bounds=(0, None),
            method="highs",
        )
        if result.status == 3:
            return -math.inf, []
        if result.status != 0:  # pragma: no cover
            raise RuntimeError(f"disclosure check failed: {result.message}")
        marginals = np.abs(result.ineqlin.marginals) > _TOLERANCE
        binding = set(upper[marginals[: len(upper)]].tolist())
        binding |= set(rows[marginals[len(upper) :]].tolist())
        return float(result.fun), sorted(binding)


def _small_discount(label: Label, cell: Cell) -> float:
    """Turning a "≤7" into "*" loses no statistic, so it comes before any shown count."""
    if label != SMALL_LABEL:
        return 0.0
    return 50.0 if cell.keep_small_label else 100.0


def _program(matrix: Any, low: Any, high: Any, equalities: Any, n_atoms: int) -> Any:
    try:
        return _AttackerProgram(matrix, low, high, equalities, n_atoms)
    except (ImportError, AttributeError):  # pragma: no cover - depends on the SciPy build
        return _LinprogProgram(matrix, low, high, equalities, n_atoms)


def merge_alike_atoms(matrix: Any, equalities: Any) -> tuple[Any, Any, int]:
    """The same linear program over fewer atoms: atoms that every published count and
    every equality treat alike (identical columns) become one atom, their sum.

    Nothing a reader can narrow changes: any count's bounds over the merged atoms are its
    bounds over the originals (a merged atom of ``k`` people can always be split back
    among them). The workforce audit's atoms are every combination of a dozen
    characteristics, of which many are told apart by no count; merging them makes the
    program several times smaller.

    >>> from scipy import sparse
    >>> a = sparse.csr_matrix([[1, 1, 0], [0, 0, 1]])
    >>> merged, eq, n = merge_alike_atoms(a, sparse.csr_matrix((0, 3)))
    >>> n, merged.toarray().tolist()
    (2, [[1, 0], [0, 1]])
    """
    from scipy import sparse

    n_atoms = matrix.shape[1]
    both = sparse.vstack([matrix, equalities]).tocsc()
    both.sort_indices()
    first: dict[tuple[bytes, bytes], int] = {}
    keep: list[int] = []
    for atom in range(n_atoms):
        lo, hi = both.indptr[atom], both.indptr[atom + 1]
        signature = (both.indices[lo:hi].tobytes(), both.data[lo:hi].tobytes())
        if signature not in first:
            first[signature] = atom
            keep.append(atom)
    if len(keep) == n_atoms:
        return matrix, equalities, n_atoms
    columns = np.asarray(keep)
    return (
        matrix.tocsc()[:, columns].tocsr(),
        equalities.tocsc()[:, columns].tocsr(),
        len(keep),
    )


def protect(
    cells: Sequence[Cell],
    n_atoms: int,
    equalities: Sequence[Sequence[tuple[int, float]]] = (),
    *,
    bounds: Mapping[Hashable, tuple[float, float]] | None = None,
    max_rounds: int | None = None,
    merge_alike: bool = False,
) -> Protection:
    """Labels for every published count so that no hidden count can be narrowed.

    Parameters
    ----------
    cells
        Every count published anywhere (tables, indicators, warnings), each once.
    n_atoms
        Number of atoms (unknown non-negative counts) the cells are sums of.
    equalities
        Linear equalities between atoms known to any reader (as ``(atom, coefficient)``
        terms summing to 0), e.g. a five-group count equals the sum of its detailed groups.
    bounds
        What a reader learns of some shown counts from elsewhere (e.g. the sum of per-stratum
        rounded counts behind a pooled test), as (low, high); held while the count is shown.
    max_rounds
        Bound on the partners added (the check then stops and reports what it could not
        protect); default five per count of 1–7, plus 50.
    merge_alike
        Solve over fewer atoms: those every count and equality treat alike become one
        (:func:`merge_alike_atoms`; the same bounds, a smaller program). The workforce
        audit, whose atoms are many combinations no count tells apart, turns it on.

    Returns
    -------
    Protection
        Labels ("≤7", "*", 0 or a multiple of 5), reasons for hidden counts, and any hidden
        count that could not be protected (none on any data seen so far).

    Examples
    --------
    Three groups and their total (atoms 0–2; the total is a fourth published count). Shown
    as 40, 20 and 55, the total minus the others would pin b to 1 (38 + 1 + 18 = 57), so the
    cheapest other count (the total) is hidden too:

    >>> cells = [Cell("a", (0,), 38, 1, "a"), Cell("b", (1,), 1, 1, "b"),
    ...          Cell("c", (2,), 18, 1, "c"), Cell("total", (0, 1, 2), 57, 0, "all")]
    >>> p = protect(cells, 3)
    >>> p.labels
    {'a': 40, 'b': '≤7', 'c': 20, 'total': '*'}
    >>> p.reasons["total"]
    'kept back so that the count of 1–7 for b cannot be worked out by subtraction'
    """
    from scipy import sparse

    labels: dict[Hashable, Label] = {c.key: count_label(c.value) for c in cells}
    reasons: dict[Hashable, str] = {c.key: REASON_SMALL for c in cells if is_small(c.value)}
    if not reasons:
        return Protection(labels, {})
    index = {c.key: i for i, c in enumerate(cells)}
    data, rows, cols = [], [], []
    for i, cell in enumerate(cells):
        for atom in cell.terms:
            rows.append(i)
            cols.append(atom)
            data.append(1.0)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(cells), n_atoms))
    eq_data, eq_rows, eq_cols = [], [], []
    for r, terms in enumerate(equalities):
        for atom, coefficient in terms:
            eq_rows.append(r)
            eq_cols.append(atom)
            eq_data.append(float(coefficient))
    eq = sparse.csr_matrix((eq_data, (eq_rows, eq_cols)), shape=(len(equalities), n_atoms))
    low = np.array([label_bounds(labels[c.key])[0] for c in cells], dtype=float)
    high = np.array([label_bounds(labels[c.key])[1] for c in cells], dtype=float)
    for key, (extra_low, extra_high) in (bounds or {}).items():
        i = index[key]
        if not is_hidden(labels[key]):
            low[i], high[i] = max(low[i], extra_low), min(high[i], extra_high)
    if merge_alike:
        matrix, eq, n_atoms = merge_alike_atoms(matrix, eq)
    program = _program(matrix, low, high, eq, n_atoms)
    queue = [c.key for c in cells if is_small(c.value)]
    if max_rounds is None:
        max_rounds = 5 * len(queue) + 50
    unprotected: list[Hashable] = []
    rounds = 0
    while queue:
        key = queue.pop(0)
        i = index[key]
        objective = matrix[i].toarray().ravel()
        while True:
            # A count of 1–7 must still be able to be 1 and 7. ("*" counts of 8 or more are
            # checked through the small counts they protect: the program already lets every
            # "*" move.)
            lowest, binding_low = program.minimum(objective)
            short_low = lowest > 1 + _TOLERANCE
            binding_high: list[int] = []
            short_high = False
            if not short_low:
                highest, binding_high = program.minimum(-objective)
                short_high = -highest < SMALL_MAX - _TOLERANCE
            if not (short_low or short_high):
                break
            binding = binding_low if short_low else binding_high
            # Partners: a shown count, or a "≤7" turned into "*" (it loses no statistic: it
            # was hidden already, but "≤7" told the reader it was at least 1).
            spare = [
                j
                for j in binding
                if j != i and cells[j].value > 0 and labels[cells[j].key] != SECONDARY_LABEL
            ]
            if not spare or rounds >= max_rounds:
                unprotected.append(key)
                break
            rounds += 1
            j = min(
                spare,
                key=lambda j: (
                    cells[j].cost - _small_discount(labels[cells[j].key], cells[j]),
                    cells[j].value,
                    j,
                ),
            )
            partner = cells[j].key
            if labels[partner] != SMALL_LABEL:
                reasons[partner] = REASON_PARTNER.format(whom=cells[i].name)
            labels[partner] = SECONDARY_LABEL
            low[j], high[j] = label_bounds(SECONDARY_LABEL)
            program.hide(j, low[j], high[j])
    return Protection(labels, reasons, tuple(dict.fromkeys(unprotected)))
