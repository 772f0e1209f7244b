"""Merging atoms that every count treats alike keeps every count's bounds (the attacker
learns exactly as much), and the workforce protection is the same with it on or off."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog

from bias_audit.report import suppression as sdc
from bias_audit.report import workforce_flow as flow
from bias_audit.report.workforce_publish import protect_workforce
from bias_audit.stats.workforce_cells import staff_cells
from bias_audit.synthetic_workforce import make_workforce_extract


def _bounds(matrix, low, high, row):
    a = sparse.vstack([matrix, -matrix]).tocsr()
    b = np.concatenate([high, -low])
    c = matrix[row].toarray().ravel()
    lowest = linprog(c, A_ub=a, b_ub=b, bounds=(0, None), method="highs")
    highest = linprog(-c, A_ub=a, b_ub=b, bounds=(0, None), method="highs")
    return round(lowest.fun, 6), round(-highest.fun, 6)


@settings(max_examples=20, deadline=None)
@given(
    kinds=st.lists(st.integers(0, 4), min_size=2, max_size=12),
    seed=st.integers(0, 10_000),
)
def test_merged_program_has_the_same_bounds(kinds, seed):
    rng = np.random.default_rng(seed)
    patterns = rng.integers(0, 2, size=(5, 5))  # five kinds of atom, five counts
    dense = np.array([patterns[:, k] for k in kinds]).T  # atoms of a kind are alike
    matrix = sparse.csr_matrix(dense.astype(float))
    people = rng.integers(0, 6, size=len(kinds))
    values = dense @ people
    low, high = values - 2.0, values + 2.0
    merged, _, n = sdc.merge_alike_atoms(matrix, sparse.csr_matrix((0, len(kinds))))
    assert n == len({tuple(dense[:, i]) for i in range(len(kinds))})
    for row in range(5):
        assert _bounds(matrix, low, high, row) == _bounds(merged, low, high, row)


def test_workforce_protection_over_merged_atoms_holds_over_all_atoms(monkeypatch):
    """Merged or not, the program has the same bounds, but where several partners would do
    the solver may pick another: so the check is that no count of 1-7 can be narrowed in
    the program over every atom, given the labels chosen over the merged ones."""
    from bias_audit.io.workforce import read_staff

    staff_csv = make_workforce_extract(250, seed=21).to_csv(index=False).encode()
    staff = read_staff(staff_csv, name="s.csv")
    measured = flow.measure_flow(staff)
    cells = staff_cells(staff.frame, extract_date=staff.extract_date,
                        extra=flow.flow_dimensions(measured))  # fmt: skip
    flow.add_flow_counts(cells)
    seen = {}
    original = sdc.protect

    def spy(published, n_atoms, *args, **kwargs):
        assert kwargs.get("merge_alike") is True
        seen["cells"], seen["n"] = published, n_atoms
        seen["protection"] = original(published, n_atoms, *args, **kwargs)
        return seen["protection"]

    monkeypatch.setattr(sdc, "protect", spy)
    protect_workforce(cells, exclusions=staff.exclusions)
    published, labels = seen["cells"], seen["protection"].labels
    assert not seen["protection"].unprotected
    rows, cols = [], []
    for r, cell in enumerate(published):
        rows += [r] * len(cell.terms)
        cols += list(cell.terms)
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), (len(published), seen["n"]))
    low = np.array([sdc.label_bounds(labels[c.key])[0] for c in published], dtype=float)
    high = np.array([sdc.label_bounds(labels[c.key])[1] for c in published], dtype=float)
    high[~np.isfinite(high)] = 1e9
    small = [r for r, c in enumerate(published) if 1 <= c.value <= 7]
    assert small
    for r in small:
        lowest, highest = _bounds(matrix, low, high, r)
        assert lowest <= 1 + 1e-6 and highest >= 7 - 1e-6, published[r].key
