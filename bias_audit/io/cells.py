"""The cell table of raw codes: one row per distinct (group values, stage, left_by), counted.

Every extract layout (:mod:`bias_audit.io.layouts.rows`, :mod:`bias_audit.io.layouts.counts`)
ends here: each row's category codes are packed into one integer key (mixed radix, one digit
per column), so counting cells is one ``numpy.bincount`` and no cell is touched twice in
Python. The raw values are normalised afterwards, once per distinct value
(:mod:`bias_audit.io.views`).

Examples
--------
>>> parts = [(np.array([0, 1, 1]), 2), (np.array([2, 0, 2]), 3)]
>>> keys = cell_keys(parts)
>>> keys.tolist()
[2, 3, 5]
>>> [codes.tolist() for codes in split_keys(keys, parts)]
[[0, 1, 1], [2, 0, 2]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bias_audit.io import columns as cols
from bias_audit.io.stages import stage_key
from bias_audit.stats import schema

# Why rows were left out, as the notes and Funnel.excluded name them.
EXCLUDED_BLANK_ROWS = "blank rows"
EXCLUDED_TOTAL_ROWS = "total or subtotal rows"
EXCLUDED_UNKNOWN_OUTCOME = "outcome not recognised"
EXCLUDED_BLANK_OUTCOME = "blank outcome"
EXCLUDED_BEFORE_FIRST = "ended before the first stage"
EXCLUDED_BLANK_COUNT = "blank count"

# Group values that mark a total or subtotal row (compared after stage_key folding).
TOTAL_KEYS = frozenset({"total", "totals", "grand total", "sub total", "subtotal", "all"})


@dataclass
class RawCells:
    """Raw-coded cells before normalisation, and what was learnt while building them."""

    cells: pd.DataFrame  # raw attribute values (+ stratum), stage index, left_by index, count
    stages: tuple[str, ...]
    warnings: list[str]
    excluded: dict[str, int]
    notes: list[str]
    from_counts: bool = False
    categories: dict[str, list[str]] = field(default_factory=dict)
    # Outcome texts the tool could not read -> rows (or people, in a count table).
    unread_outcomes: dict[str, int] = field(default_factory=dict)
    # Parts found not computable while building (rows contradicting --rows-are).
    not_computable: dict[str, str] = field(default_factory=dict)
    # The configured ladder, when stages without evidence were left out of ``stages``
    # (what an unread outcome can still be mapped to).
    configured_stages: tuple[str, ...] = ()


def _category_keys(series: pd.Series) -> list[str]:
    return [stage_key(c) for c in series.cat.categories]


def special_rows(frame: pd.DataFrame, group_columns: Sequence[str]) -> tuple[np.ndarray, ...]:
    """Masks of fully blank rows and of "Total" rows, from category look-ups only."""
    n = len(frame)
    blank = np.ones(n, dtype=bool)
    total = np.zeros(n, dtype=bool)
    # Id and count columns are left out: a row is blank when its text cells all are.
    for name in frame.columns:
        series = frame[name]
        if isinstance(series.dtype, pd.CategoricalDtype):
            keys = _category_keys(series)
            codes = series.cat.codes.to_numpy()
            is_blank = np.array([not k for k in keys] + [True])
            blank &= is_blank[codes]
            if name in group_columns:
                is_total = np.array([k in TOTAL_KEYS for k in keys] + [False])
                total |= is_total[codes]
    return blank, total & ~blank


def group_columns_of(choice: cols.ColumnChoice) -> list[str]:
    return [
        choice.roles[role]
        for role in (
            cols.ROLE_STRATUM,
            *(r for r, _ in cols.ATTRIBUTE_ROLES),
            cols.ROLE_GUARANTEED_INTERVIEW,
        )
        if role in choice.roles
    ]


def cell_keys(parts: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
    """One integer per row from its category codes: mixed radix, each part's size a digit."""
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    for codes, size in parts:
        key = key * max(size, 1) + codes.astype(np.int64)
    return key


def split_keys(keys: np.ndarray, parts: Sequence[tuple[np.ndarray, int]]) -> list[np.ndarray]:
    """The category codes back from :func:`cell_keys` keys, one array per part, in order."""
    decoded: list[np.ndarray] = []
    rest = keys
    for _, size in reversed(parts):
        rest, code = np.divmod(rest, max(size, 1))
        decoded.append(code)
    decoded.reverse()
    return decoded


def bincount_cells(
    frame: pd.DataFrame,
    group_columns: Sequence[str],
    stage: np.ndarray,
    left: np.ndarray,
    keep: np.ndarray,
    *,
    n_stages: int,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Count (or sum ``weights``) per cell of raw category codes, stage and left_by.

    The result holds category *codes* (see ``_categories``), one row per non-empty cell.
    """
    parts: list[tuple[np.ndarray, int]] = []
    for header in group_columns:
        series = frame[header]
        parts.append(
            (series.cat.codes.to_numpy()[keep].astype(np.int64), len(series.cat.categories))
        )
    parts.append((stage[keep].astype(np.int64), n_stages))
    parts.append((left[keep].astype(np.int64), len(schema.LEFT_BY_VALUES)))
    key = cell_keys(parts)
    size_total = int(np.prod([max(size, 1) for _, size in parts], dtype=np.float64))
    w = None if weights is None else weights[keep]
    if size_total <= 1 << 24:
        tally = np.bincount(key, weights=w, minlength=size_total)
        present = np.flatnonzero(tally) if w is None else np.unique(key)
        amounts = tally[present]
    else:
        present, inverse = np.unique(key, return_inverse=True)
        amounts = np.bincount(inverse, weights=w)
    out: dict[str, object] = {}
    decoded = split_keys(present, parts)
    for header, code in zip(group_columns, decoded, strict=False):
        out[header] = code
    out["_stage"] = decoded[-2]
    out["_left"] = decoded[-1]
    out[schema.COUNT] = np.rint(amounts).astype(np.int64)
    return pd.DataFrame(out)


def categories_of(frame: pd.DataFrame, group_columns: Sequence[str]) -> dict[str, list[str]]:
    return {h: [str(c) for c in frame[h].cat.categories] for h in group_columns}
