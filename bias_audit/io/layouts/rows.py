"""One row per application: the furthest stage of each row, counted into the cell table.

The furthest stage comes from an outcome column ("Interview - unsuccessful"), from per-stage
yes/no or date columns (Shortlisted, Interview Date), or both: a recognised outcome wins over
stage dates (an interview may only have been booked), except a bare "Withdrawn", which does
not say when, so the dates do. Every look-up is made once per distinct value (category) and
applied to the rows as an array index.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.io import columns as cols
from bias_audit.io.cells import (
    EXCLUDED_BLANK_ROWS,
    EXCLUDED_TOTAL_ROWS,
    RawCells,
    bincount_cells,
    categories_of,
    group_columns_of,
    special_rows,
)
from bias_audit.io.layouts.outcomes import (
    OUTCOME_EXCLUSIONS,
    evidenced_stages,
    outcome_reading,
    outcome_warnings,
    unread_texts,
    without_unevidenced,
)
from bias_audit.io.stages import (
    WARN_STAGE_HOLE,
    StagePlan,
    binary_meaning,
    flag_reached,
    outcome_codes,
)
from bias_audit.stats import schema

MSG_NOTHING_LEFT = (
    "{file}: no application could be placed on a stage ({reasons}). Check the stage column "
    'or map the outcomes with --stages "Outcome text=stage".'
)

# Ids are not quoted back: warnings end up in reports that may be shared.
WARN_DUPLICATE_IDS = (
    '{count} rows repeat an id already seen in column "{column}". All rows were counted; if '
    "that column identifies people rather than applications, repeats are expected."
)
WARN_BLANK_ROWS = "{count} blank row(s) (no value in any column read) were skipped."
WARN_TOTAL_ROWS = (
    '{count} total or subtotal row(s) ("Total" in a group column) were left out of every '
    "statistic, so that no application is counted twice."
)

WARN_FLAG_BEYOND_OUTCOME = (
    "{count} applications have an entry in {columns} for a later stage than their outcome in "
    '"{column}" gives (for example "Not shortlisted" with an interview date); the outcome was '
    "used. Check the extract."
)
NOTE_STAGES_FROM_FLAGS = "Furthest stage taken from the per-stage columns: {columns}."
NOTE_NOT_APPOINTED_FROM_FLAGS = (
    '{texts} in "{column}" {say} only that the application did not end in appointment: its furthest'
    " stage was taken from {columns} ({count} applications)."
)


def from_rows(
    frame: pd.DataFrame,
    choice: cols.ColumnChoice,
    plan: StagePlan,
    file: str,
    *,
    weights: np.ndarray | None = None,
    duplicate_ids: int | None = None,
) -> RawCells:
    """The raw cell table of one-row-per-application data.

    ``weights`` (one whole number per row) says how many applications each row stands for:
    the out-of-core engines (:mod:`bias_audit.engine`) pass the distinct combinations of the
    chosen columns with their number of rows, so every count below is the same as on the
    rows themselves. ``duplicate_ids`` is then the engine's count of repeated ids (the id
    column is not among the combinations).
    """
    n = len(frame)

    def rows_in(mask: np.ndarray) -> int:
        if weights is None:
            return int(np.count_nonzero(mask))
        return int(weights[mask].sum())

    def per_code(codes: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
        if weights is None:
            return np.bincount(codes[mask], minlength=size)
        return np.bincount(codes[mask], weights=weights[mask], minlength=size).astype(np.int64)

    last = len(plan.stages) - 1
    warnings: list[str] = []
    excluded: dict[str, int] = {}
    notes: list[str] = []
    group_columns = group_columns_of(choice)
    blank, total = special_rows(frame, group_columns)
    keep = ~(blank | total)
    unread: dict[str, int] = {}

    flag_stage = np.zeros(n, dtype=np.int8)
    reached: dict[int, np.ndarray] = {}
    for index, header in sorted(choice.flags.items()):
        series = frame[header]
        lookup = np.array([flag_reached(c) for c in series.cat.categories] + [False])
        reached[index] = lookup[series.cat.codes.to_numpy()]
        flag_stage = np.where(reached[index], np.maximum(flag_stage, index), flag_stage)
    stage_header = choice.roles.get(cols.ROLE_STAGE)
    completed = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_COMPLETED)
    not_progressed = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_NOT_PROGRESSED)
    default_left = np.where(flag_stage == last, completed, not_progressed).astype(np.int8)
    if stage_header is None:
        stage, left = flag_stage, default_left
        notes.append(
            NOTE_STAGES_FROM_FLAGS.format(
                columns=", ".join(f'"{h}"' for _, h in sorted(choice.flags.items()))
            )
        )
    else:
        series = frame[stage_header]
        categories = list(series.cat.categories)
        codes = series.cat.codes.to_numpy()
        outcome = outcome_codes(categories, plan)
        row_stage = outcome.stage[codes]
        row_left = outcome.left_by[codes]
        # A recognised outcome wins over stage dates (an interview date may only have been
        # booked), except a bare "Withdrawn", which does not say when: the dates do. A
        # "not appointed" word ("Not appointed", "Unsuccessful", "No") does not say at which
        # step either: beside per-stage columns, those give the furthest stage.
        known = row_stage >= 0
        withdrew = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_WITHDREW)
        vague = known & (row_stage == 0) & (row_left == withdrew)
        not_appointed_text = np.array(
            [not choice.flags or binary_meaning(c) >= 0 for c in categories] + [True]
        )
        not_appointed = ~known & ~not_appointed_text[codes]
        from_flags = (~known | vague) & (flag_stage > 0)
        stage = np.where(
            from_flags, flag_stage, np.where(known, row_stage, np.where(not_appointed, 0, -1))
        ).astype(np.int8)
        left = np.where(known, row_left, default_left).astype(np.int8)
        left = np.where((stage == last) & (left == not_progressed), completed, left)
        beyond = rows_in(keep & known & ~vague & (flag_stage > row_stage))
        if beyond:
            warnings.append(
                WARN_FLAG_BEYOND_OUTCOME.format(
                    count=beyond,
                    columns=", ".join(f'"{h}"' for _, h in sorted(choice.flags.items())),
                    column=stage_header,
                )
            )
        if np.any(keep & not_appointed):
            read = sorted({categories[i] for i in np.unique(codes[keep & not_appointed])})
            notes.append(
                NOTE_NOT_APPOINTED_FROM_FLAGS.format(
                    texts=", ".join(f'"{t}"' for t in read),
                    say="say" if len(read) > 1 else "says",
                    column=stage_header,
                    columns=", ".join(f'"{h}"' for _, h in sorted(choice.flags.items())),
                    count=rows_in(keep & not_appointed),
                )
            )
        per_outcome = per_code(codes, keep & (stage < 0), len(categories))
        vacancy = per_code(codes, keep, len(categories))
        outcome_warnings(outcome, categories, per_outcome, vacancy, stage_header, plan, warnings)
        notes.append(outcome_reading(outcome, categories, vacancy, plan, stage_header))
        for reason, label in OUTCOME_EXCLUSIONS:
            total_reason = int(
                sum(per_outcome[i] for i, r in enumerate(outcome.reason) if r == reason)
            )
            if total_reason:
                excluded[label] = total_reason
        unread = unread_texts(outcome, categories, per_outcome)
    keep &= stage >= 0
    for index, header in sorted(choice.flags.items()):
        holes = rows_in(keep & (stage > index) & ~reached[index])
        if holes:
            warnings.append(
                WARN_STAGE_HOLE.format(
                    count=holes,
                    later=plan.stages[int(stage[keep & (stage > index) & ~reached[index]].max())],
                    stage=plan.stages[index],
                    column=header,
                )
            )
    if blank.any():
        excluded[EXCLUDED_BLANK_ROWS] = rows_in(blank)
        warnings.append(WARN_BLANK_ROWS.format(count=rows_in(blank)))
    if total.any():
        excluded[EXCLUDED_TOTAL_ROWS] = rows_in(total)
        warnings.append(WARN_TOTAL_ROWS.format(count=rows_in(total)))
    if duplicate_ids is not None:
        if duplicate_ids:
            warnings.append(
                WARN_DUPLICATE_IDS.format(count=duplicate_ids, column=choice.roles[cols.ROLE_ID])
            )
    elif cols.ROLE_ID in choice.roles:
        _duplicate_id_warning(frame[choice.roles[cols.ROLE_ID]], ~(blank | total), choice, warnings)
    if not keep.any():
        reasons = ", ".join(f"{k}: {v}" for k, v in excluded.items()) or "no rows"
        raise InputDataError(MSG_NOTHING_LEFT.format(file=file, reasons=reasons))
    stages = plan.stages
    if stage_header is not None:
        evidenced = evidenced_stages(outcome, vacancy > 0, list(choice.flags), len(stages))
        stage, stages, dropped_note = without_unevidenced(
            np.where(keep, stage, -1).astype(np.int8), stages, evidenced
        )
        if dropped_note:
            notes.append(dropped_note)
    cells = bincount_cells(
        frame, group_columns, stage, left, keep, n_stages=len(stages), weights=weights
    )
    return RawCells(
        cells,
        stages,
        warnings,
        excluded,
        notes,
        categories=categories_of(frame, group_columns),
        unread_outcomes=unread,
        configured_stages=plan.stages,
    )


def _duplicate_id_warning(
    ids: pd.Series, keep: np.ndarray, choice: cols.ColumnChoice, warnings: list[str]
) -> None:
    values = ids[keep]
    if pd.api.types.is_numeric_dtype(values.dtype):
        values = values.dropna()
    else:  # categorical, object or pandas' string dtype: a blank or all-space id is no id
        values = values.dropna().astype(str)
        values = values[values.str.strip() != ""]
    repeated = values.duplicated()
    count = int(repeated.sum())
    if count:
        warnings.append(WARN_DUPLICATE_IDS.format(count=count, column=choice.roles[cols.ROLE_ID]))
