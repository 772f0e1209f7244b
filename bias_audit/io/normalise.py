"""Normalise the distinct raw values of one equality column into the statistics' views.

>>> normalise_values(["F", "Male", "prefer not to say"], attribute="gender").views["F"]
('Female',)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bias_audit.io.characteristics import (
    place_age_band,
    place_disability,
    place_gender,
    place_guaranteed_interview,
    place_religion,
    place_sexual_orientation,
)
from bias_audit.io.codes import GroupScheme, place_ethnicity
from bias_audit.stats import schema

_PLACERS = {
    schema.GENDER: place_gender,
    schema.DISABILITY: place_disability,
    schema.AGE_BAND: place_age_band,
    schema.RELIGION: place_religion,
    schema.SEXUAL_ORIENTATION: place_sexual_orientation,
    schema.GUARANTEED_INTERVIEW: place_guaranteed_interview,
}


@dataclass(frozen=True, slots=True)
class Normalised:
    """The result of normalising the unique values of one attribute column.

    ``views`` maps each raw value to its tuple of views; ``unplaced`` lists the raw values
    that could not be interpreted; ``schemes`` the ways ethnicity values were written.
    """

    views: dict[str, tuple[str, ...]]
    unplaced: tuple[str, ...]
    schemes: frozenset[str]


def normalise_values(
    values: Iterable[object],
    *,
    attribute: Literal[
        "ethnicity",
        "gender",
        "disability",
        "age_band",
        "religion",
        "sexual_orientation",
        "guaranteed_interview",
    ],
    scheme: GroupScheme = "nhs2001",
) -> Normalised:
    """Normalise distinct raw values of one attribute (never call this row by row).

    Examples
    --------
    >>> result = normalise_values(["A", "N Black or Black British - African", "??"],
    ...                           attribute="ethnicity")
    >>> result.views["A"][2], result.views["N Black or Black British - African"][1]
    ('White', 'Black')
    >>> result.unplaced
    ('??',)
    """
    views: dict[str, tuple[str, ...]] = {}
    unplaced: list[str] = []
    schemes: set[str] = set()
    for raw in dict.fromkeys(values):
        key = "" if raw is None else str(raw)
        if attribute == schema.ETHNICITY_DETAILED:
            placed = place_ethnicity(raw, scheme=scheme)
        else:
            placed = _PLACERS[attribute](raw)
        views[key] = placed.views
        if not placed.placed:
            unplaced.append(key)
        elif placed.scheme and placed.views[0] != schema.NOT_STATED:
            schemes.add(placed.scheme)
    return Normalised(views, tuple(unplaced), frozenset(schemes))
