"""Merging atoms that every count treats alike keeps every count's bounds (the attacker
learns exactly as much), and the workforce protection is the same with it on or off."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog

from bias_audit.report import suppression as sdc
from bias_audit.report.workforce_publish import protect_workforce
from bias_audit.services.workforce import flow_hooks
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


def test_workforce_protection_is_the_same_merged_or_not(monkeypatch):
    staff_csv = make_workforce_extract(600, seed=21).to_csv(index=False).encode()
    from bias_audit.io.workforce import read_staff

    staff = read_staff(staff_csv, name="s.csv")
    flow = flow_hooks()
    measured = flow.measure_flow(staff)
    cells = staff_cells(staff.frame, extract_date=staff.extract_date,
                        extra=flow.flow_dimensions(measured))  # fmt: skip
    flow.add_flow_counts(cells)
    merged = protect_workforce(cells, exclusions=staff.exclusions)
    original = sdc.protect

    def unmerged(*args, **kwargs):
        kwargs["merge_alike"] = False
        return original(*args, **kwargs)

    monkeypatch.setattr(sdc, "protect", unmerged)
    plain = protect_workforce(cells, exclusions=staff.exclusions)
    assert merged.labels == plain.labels
    assert sum(sdc.is_hidden(v) for v in merged.labels.values()) > 0
