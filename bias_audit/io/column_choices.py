"""Settle and describe the column choices: which column was read for what, and how chosen.

Column detection (:mod:`bias_audit.io.columns`) proposes; once the values can be seen, an
automatically chosen ethnicity column gives way to a rival whose values read better
("Ethnic Group" = "White" beside "Ethnic Origin" = "British"), and every choice is told back
to the user in the notes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bias_audit.io import columns as cols
from bias_audit.io.normalise import normalise_values
from bias_audit.stats import schema

NOTE_ETHNICITY_SWITCHED = (
    'ethnicity: used "{chosen}" rather than "{first}" because more of its values could be '
    "read ({share:.0%} against {first_share:.0%})."
)

NOTE_ALSO_FOUND = '{role}: also found {headers}; used "{chosen}".'


def also_found_notes(choice: cols.ColumnChoice) -> list[str]:
    """One note per role for which other candidate columns were found and not used."""
    return [
        NOTE_ALSO_FOUND.format(
            role=role, headers=", ".join(f'"{h}"' for h in others), chosen=choice.roles[role]
        )
        for role, others in choice.alternatives.items()
        if others
    ]


MAX_ETHNICITY_RIVALS = 3


def ethnicity_rivals(choice: cols.ColumnChoice) -> list[str]:
    if not any(r == cols.ROLE_ETHNICITY and h == cols.HOW_AUTO for r, _, h in choice.choices):
        return []
    return choice.alternatives.get(cols.ROLE_ETHNICITY, [])[:MAX_ETHNICITY_RIVALS]


def _readable_share(series: pd.Series, weights: np.ndarray | None = None) -> float:
    """Share of rows whose ethnicity value is a stated, recognised category (``weights``:
    the rows each row of ``series`` stands for)."""
    categories = [str(c) for c in series.cat.categories]
    result = normalise_values(categories, attribute="ethnicity")
    per_category = np.bincount(
        series.cat.codes.to_numpy() + 1, weights=weights, minlength=len(categories) + 1
    )
    good = np.array(
        [False]
        + [c not in result.unplaced and result.views[c][2] != schema.NOT_STATED for c in categories]
    )
    total = per_category.sum()
    return float(per_category[good].sum() / total) if total else 0.0


def best_ethnicity_column(
    frame: pd.DataFrame,
    choice: cols.ColumnChoice,
    rivals: Sequence[str],
    *,
    weights: np.ndarray | None = None,
) -> str | None:
    """Switch the ethnicity role to the rival whose values read best; say so, or None."""
    first = choice.roles[cols.ROLE_ETHNICITY]
    shares = {h: _readable_share(frame[h], weights) for h in [first, *rivals]}
    best = max(shares, key=lambda h: (shares[h], h == first))
    if best == first:
        return None
    choice.roles[cols.ROLE_ETHNICITY] = best
    choice.choices[:] = [
        (role, best if role == cols.ROLE_ETHNICITY else header, how)
        for role, header, how in choice.choices
    ]
    choice.alternatives[cols.ROLE_ETHNICITY] = [h for h in [first, *rivals] if h != best]
    return NOTE_ETHNICITY_SWITCHED.format(
        chosen=best, first=first, share=shares[best], first_share=shares[first]
    )
