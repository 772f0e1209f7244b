"""Every WRES / WDES indicator of a staff extract, from its counts, in one call.

:func:`all_indicators` reads each count through ``count(key)`` — the exact counts
(analyst mode) or their published labels (published mode, where a hidden count withholds
what rests on it) — and hands them to :mod:`bias_audit.stats.workforce_indicators`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from bias_audit.stats import schema
from bias_audit.stats import workforce_cells as wcells
from bias_audit.stats.workforce_indicators import (
    BOARD_PARTS,
    RATIO_KINDS,
    REASON_NO_COLUMN,
    WDES_1_DEFINITION,
    WDES_1_DIRECTION,
    WDES_1_NAME,
    WDES_10_NAME,
    WRES_1_DEFINITION,
    WRES_1_DIRECTION,
    WRES_1_NAME,
    WRES_9_NAME,
    band_profile,
    board_difference,
    not_computable,
    relative_likelihood,
    rolling_indicator,
)

# ------------------------------------------------------------------ every indicator at once
INDICATOR_KEYS: tuple[str, ...] = (
    "wres_indicator_1",
    "wres_indicator_3",
    "wres_indicator_4",
    "wres_indicator_9",
    "wdes_metric_1",
    "wdes_metric_3",
    "wdes_metric_10",
)
_PROFILES = {
    "wres_indicator_1": (
        schema.ETHNICITY_WRES,
        schema.BME,
        WRES_1_NAME,
        WRES_1_DIRECTION,
        WRES_1_DEFINITION,
    ),
    "wdes_metric_1": (
        schema.DISABILITY,
        schema.DISABLED,
        WDES_1_NAME,
        WDES_1_DIRECTION,
        WDES_1_DEFINITION,
    ),
}
_BOARDS = {
    "wres_indicator_9": (schema.ETHNICITY_WRES, schema.BME, WRES_9_NAME, "BME"),
    "wdes_metric_10": (schema.DISABILITY, schema.DISABLED, WDES_10_NAME, "Disabled"),
}
_COLUMN_WORDS = {
    schema.ETHNICITY_WRES: "ethnicity",
    schema.DISABILITY: "disability",
    "band": "pay band",
    "board": "board member",
    "disciplinary": "formal disciplinary (date or yes/no)",
    "capability": "formal capability (date or yes/no)",
    "training": "non-mandatory training / CPD (date or yes/no)",
}


def all_indicators(cells: Any, *, count: Any = None) -> dict[str, dict[str, Any]]:
    """Every indicator from a :class:`~bias_audit.stats.workforce_cells.StaffCells`.

    ``count(key)`` gives each count as published (a number, or a label in published mode);
    by default the exact counts. Shares and ratios are worked out from what it gives.
    """
    count = cells.value if count is None else count
    present = cells.present
    results: dict[str, dict[str, Any]] = {}
    for key, (attribute, focal, name, direction, definition) in _PROFILES.items():
        groups = wcells.ATTRIBUTES[attribute][2]
        if reason := _no_column_reason((attribute, "band"), present):
            results[key] = not_computable(name, reason)
            continue
        rows = []
        for spec_key in cells.specs:
            if spec_key[0] != key or spec_key[3] != wcells.ALL or spec_key[1] == wcells.ALL:
                continue
            _, part, band, _ = spec_key
            rows.append(
                (part, band, {g: count((key, part, band, g)) for g in (*groups, wcells.ALL)})
            )
        overall = {g: count((key, wcells.ALL, wcells.ALL_BANDS, g)) for g in (*groups, wcells.ALL)}
        results[key] = band_profile(
            rows,
            overall,
            focal=focal,
            groups=groups,
            name=name,
            direction=direction,
            definition=definition,
        )
    for kind in RATIO_KINDS:
        attribute, column = wcells.RATIOS[kind.key][0], wcells.RATIOS[kind.key][1]
        if reason := _no_column_reason((attribute, column), present):
            results[kind.key] = not_computable(kind.name, reason, direction=kind.direction)
            continue
        years = cells.event_years[kind.key]
        counted = kind.counted
        by_year = {
            year: {
                g: (count((kind.key, year, g, "staff")), count((kind.key, year, g, counted)))
                for g in (kind.reference, kind.focal)
            }
            for year in years
        }
        last = wcells.POOLED if len(years) == 2 else years[-1]
        pooled = {
            g: (count((kind.key, last, g, "staff")), count((kind.key, last, g, counted)))
            for g in (kind.reference, kind.focal)
        }
        not_stated = count((kind.key, last, schema.NOT_STATED, "staff"))
        if kind.rolling:
            result = rolling_indicator(by_year, kind=kind, not_stated=not_stated, pooled=pooled)
        else:
            result = relative_likelihood(pooled, kind=kind, not_stated=not_stated)
            result["years"] = list(years)
        results[kind.key] = result
    for key, (attribute, focal, name, who) in _BOARDS.items():
        groups = wcells.ATTRIBUTES[attribute][2]
        if reason := _no_column_reason((attribute, "board"), present):
            results[key] = not_computable(name, reason)
            continue
        board = {
            part: {g: count((key, part, g)) for g in (*groups, wcells.ALL)} for part in BOARD_PARTS
        }
        profile_key = wcells.ATTRIBUTES[attribute][0]
        overall = {
            g: count((profile_key, wcells.ALL, wcells.ALL_BANDS, g)) for g in (*groups, wcells.ALL)
        }
        results[key] = board_difference(
            board, overall, focal=focal, groups=groups, name=name, who=who
        )
    return {key: results[key] for key in INDICATOR_KEYS}


def _no_column_reason(needed: tuple[str, ...], present: Collection[str]) -> str:
    """Why an indicator is not computable when a column it needs is absent (the first
    missing one named), or "" when every needed column is present."""
    missing = [c for c in needed if c not in present]
    return REASON_NO_COLUMN.format(what=_COLUMN_WORDS[missing[0]]) if missing else ""
