"""From the raw cell table to the Funnel: normalise each distinct value into its views.

Each equality column's distinct raw values (a few dozen, however many rows) are normalised
once (:func:`bias_audit.io.normalise.normalise_values`) into the views the statistics use —
ethnicity detailed, five groups and WRES binary; gender; disability; … — and the cells are
re-aggregated on those views with integer keys (:func:`bias_audit.io.cells.cell_keys`).
Count tables are turned from "reached" into "furthest stage" here, after the merge, so that
raw values that normalise to one group add up first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.io import columns as cols
from bias_audit.io.cells import RawCells, cell_keys, split_keys
from bias_audit.io.codes import GROUP_SCHEME_DESCRIPTIONS, NOTE_MIXED_SCHEMES, clean_text
from bias_audit.io.layouts.counts import reached_to_furthest
from bias_audit.io.normalise import normalise_values
from bias_audit.io.stages import make_stage_plan
from bias_audit.io.unread import judge_unread, unread_parts
from bias_audit.stats import schema
from bias_audit.stats.funnel import Funnel, RowsAre

MSG_ALL_NOT_STATED = (
    '{file}: every {label} value in column "{column}" is "not stated" or could not be '
    "read ({examples}), and no other equality column has stated values, so there is "
    'nothing to compare. Check the column (use --column {role}="<header>") or the export.'
)

NOTE_EXCLUDED = "{count} row(s) left out: {reason}."

_SCHEME_WORDS = {"code": "bare codes", "code and label": "codes with labels", "label": "labels"}

NOTE_RECODED = "{role}: read {pairs}, as you asked (--recode)."

REASON_ALL_NOT_STATED = 'every {label} value in "{column}" is not stated'


def _view_codes(values: Sequence[str], raw_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct labels of a view, and each cell's index into them."""
    labels, per_category = np.unique(np.asarray(values, dtype=object), return_inverse=True)
    return labels, per_category[raw_codes]


def build_funnel(
    built: RawCells,
    choice: cols.ColumnChoice,
    file: str,
    notes: list[str],
    *,
    rows_are: RowsAre = "applications",
    one_step: bool = False,
    recode: Mapping[str, Mapping[str, str]] | None = None,
) -> Funnel:
    """Normalise the distinct raw values, re-aggregate on the views, and build the Funnel."""
    cells = built.cells
    amounts = cells[schema.COUNT].to_numpy()
    warnings = list(built.warnings)
    unplaced: dict[str, dict[str, int]] = {}
    views: list[tuple[str, np.ndarray, np.ndarray]] = []  # (column, labels, code per cell)
    stratum_header = choice.roles.get(cols.ROLE_STRATUM)
    if stratum_header is not None:
        views.append(
            (schema.STRATUM, *_view_codes(built.categories[stratum_header], cells[stratum_header]))
        )
    attributes: list[str] = []
    not_stated_only: dict[str, str] = {}
    seen_values: dict[str, list[str]] = {}
    for role, attribute in cols.ATTRIBUTE_ROLES:
        header = choice.roles.get(role)
        if header is None:
            continue
        categories = built.categories[header]
        raw_codes = cells[header].to_numpy()
        chosen = {clean_text(k): v for k, v in (recode or {}).get(role, {}).items()}
        targets = [chosen.get(clean_text(c), c) for c in categories]
        result = normalise_values(targets, attribute=attribute)  # type: ignore[arg-type]
        recoded = [(c, t) for c, t in zip(categories, targets, strict=True) if t != c]
        if recoded:
            notes.append(
                NOTE_RECODED.format(
                    role=role, pairs="; ".join(f'"{c}" as "{t}"' for c, t in recoded[:10])
                )
            )
        not_read = set(result.unplaced)
        if attribute == schema.ETHNICITY_DETAILED:
            names = (schema.ETHNICITY_DETAILED, schema.ETHNICITY_GROUP, schema.ETHNICITY_WRES)
            if len(result.schemes) > 1:
                notes.append(
                    NOTE_MIXED_SCHEMES.format(
                        attribute="ethnicity",
                        schemes=" and ".join(_SCHEME_WORDS[s] for s in sorted(result.schemes)),
                    )
                )
            notes.append(f"Five ethnic groups follow the {GROUP_SCHEME_DESCRIPTIONS['nhs2001']}.")
        else:
            names = (attribute,)
        attributes.extend(names)
        for i, view_name in enumerate(names):
            per_category = [result.views[t][i] for t in targets]
            views.append((view_name, *_view_codes(per_category, raw_codes)))
        per_value = np.bincount(raw_codes, weights=amounts, minlength=len(categories))
        # Values seen only on rows already left out (a "Total" row) are not listed.
        position = {c: i for i, c in enumerate(categories)}
        seen_unplaced = {
            c: int(per_value[position[c]])
            for c, t in zip(categories, targets, strict=True)
            if t in not_read and per_value[position[c]] > 0
        }
        if seen_unplaced:
            # Listed in Funnel.unplaced; the audit turns them into one warning per attribute.
            unplaced[attribute] = seen_unplaced
        _, labels, codes_per_cell = views[-1]
        if not (amounts[labels[codes_per_cell] != schema.NOT_STATED] > 0).any():
            # Nothing stated: this part is not computable, the others still are; the
            # extract is refused only when no attribute is left (below).
            not_stated_only[role] = REASON_ALL_NOT_STATED.format(
                label=cols.ROLE_LABELS.get(role, role), column=header
            )
            seen_values[role] = [c for c, n in zip(categories, per_value, strict=True) if n > 0]
    flag_header = choice.roles.get(cols.ROLE_GUARANTEED_INTERVIEW)
    if flag_header is not None:
        categories = built.categories[flag_header]
        result = normalise_values(categories, attribute=schema.GUARANTEED_INTERVIEW)
        per_category = [result.views[c][0] for c in categories]
        views.append(
            (schema.GUARANTEED_INTERVIEW, *_view_codes(per_category, cells[flag_header].to_numpy()))
        )
    out = _aggregate_views(views, cells, amounts)
    keys = [name for name, _, _ in views]
    if built.from_counts:
        summed = out.groupby([*keys, "_stage"], sort=False)[schema.COUNT].sum().reset_index()
        reached = reached_to_furthest(summed, keys, built.stages, warnings)
        out = reached.groupby([*keys, "_stage", "_left"], sort=True)[schema.COUNT].sum()
        out = out.reset_index()
        out = out[out[schema.COUNT] > 0]
    stage_type = pd.CategoricalDtype(list(built.stages), ordered=True)
    counts = out[keys].reset_index(drop=True)
    counts[schema.FURTHEST_STAGE] = pd.Categorical.from_codes(
        out["_stage"].to_numpy(dtype=np.int64), dtype=stage_type
    )
    counts[schema.LEFT_BY] = np.asarray(schema.LEFT_BY_VALUES, dtype=object)[
        out["_left"].to_numpy(dtype=np.int64)
    ]
    counts[schema.COUNT] = out[schema.COUNT].to_numpy(dtype=np.int64)
    for reason, number in built.excluded.items():
        notes.append(NOTE_EXCLUDED.format(count=number, reason=reason))
    analysed = int(amounts.sum())
    unread = unread_parts(built, choice, unplaced, analysed)
    not_computable = {
        **not_stated_only,
        **built.not_computable,
        **judge_unread(unread, file=file),
    }
    if not_stated_only and set(not_stated_only) >= set(_present_roles(choice)):
        # Nothing left to compare: every attribute column is "not stated" throughout.
        role = next(r for r, _ in cols.ATTRIBUTE_ROLES if r in not_stated_only)
        examples = ", ".join(f'"{v}"' for v in seen_values[role][:5])
        raise InputDataError(
            MSG_ALL_NOT_STATED.format(
                file=file,
                column=choice.roles[role],
                examples=examples,
                label=cols.ROLE_LABELS.get(role, role),
                role=role,
            )
        )
    return Funnel(
        stages=built.stages,
        counts=counts,
        attributes=tuple(attributes),
        stratified_by=stratum_header,
        source=file,
        column_choices=tuple(choice.choices),
        unplaced=unplaced,
        excluded=dict(built.excluded),
        warnings=tuple(warnings),
        notes=tuple([*notes, *built.notes]),
        rows_are=rows_are,
        one_step=one_step or _is_binary_ladder(built.stages),
        unread=unread,
        not_computable=not_computable,
    )


def _present_roles(choice: cols.ColumnChoice) -> list[str]:
    return [role for role, _ in cols.ATTRIBUTE_ROLES if role in choice.roles]


def _is_binary_ladder(stages: Sequence[str]) -> bool:
    """Two stages, the last one an appointment (a count table of applied and appointed)."""
    return len(stages) == 2 and make_stage_plan(stages).canonical_index["appointed"] == 1


def _aggregate_views(
    views: Sequence[tuple[str, np.ndarray, np.ndarray]], cells: pd.DataFrame, amounts: np.ndarray
) -> pd.DataFrame:
    """Sum counts per cell of the views (plus stage and left_by), on integer codes only."""
    parts = [(codes, len(labels)) for _, labels, codes in views]
    parts.append((cells["_stage"].to_numpy(), int(cells["_stage"].max()) + 1))
    parts.append((cells["_left"].to_numpy(), len(schema.LEFT_BY_VALUES)))
    present, inverse = np.unique(cell_keys(parts), return_inverse=True)
    summed = np.bincount(inverse, weights=amounts)
    decoded = split_keys(present, parts)
    out = {name: labels[code] for (name, labels, _), code in zip(views, decoded, strict=False)}
    out["_stage"] = decoded[-2]
    out["_left"] = decoded[-1]
    out[schema.COUNT] = np.rint(summed).astype(np.int64)
    frame = pd.DataFrame(out)
    return frame[frame[schema.COUNT] > 0]
