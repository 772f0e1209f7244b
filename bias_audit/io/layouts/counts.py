"""Counts already aggregated: long (stage + count columns), final outcomes, or wide.

Three shapes are read:

- a long count table, one row per group and stage with the number of people who *reached*
  that stage ("Shortlisted | 40");
- a count table of final outcomes, where each count is the number of people whose
  application *ended* there ("Not shortlisted | 60"): weighted like rows of applications;
- a wide count table, one count column per stage ("Applications | Shortlisted | Appointed").

Numbers reaching each stage are turned into numbers whose furthest stage it is
(:func:`reached_to_furthest`) once the values have been normalised, so that groups merged
by normalisation ("A" and "White British") add up before the subtraction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.io import columns as cols
from bias_audit.io.cells import (
    EXCLUDED_BLANK_COUNT,
    EXCLUDED_BLANK_ROWS,
    EXCLUDED_TOTAL_ROWS,
    EXCLUDED_UNKNOWN_OUTCOME,
    RawCells,
    bincount_cells,
    categories_of,
    group_columns_of,
    special_rows,
)
from bias_audit.io.files import Table
from bias_audit.io.layouts.outcomes import (
    OUTCOME_EXCLUSIONS,
    outcome_reading,
    outcome_warnings,
    unread_texts,
)
from bias_audit.io.stages import (
    WARN_MORE_THAN_BEFORE,
    StagePlan,
    binary_meaning,
    classify_outcome,
    outcome_codes,
    stage_key,
)
from bias_audit.stats import schema

MSG_BAD_COUNT = (
    '{file}: the count column "{column}" holds {value!r} on row {row}; counts must be whole '
    "numbers of 0 or more."
)
MSG_TOO_FEW_COUNT_STAGES = (
    '{file}: the count table names only {found} in its stage column "{column}"; at least '
    "two stages (for example applied and shortlisted) are needed."
)

NOTE_COUNTS_INPUT = (
    "Read as a count table: the count for each stage is the number of people who reached it; "
    "stages found: {stages}. Withdrawals cannot be told apart in a count table."
)
NOTE_OUTCOME_COUNTS = (
    'Read as a count table of final outcomes: each count in "{column}" is the number of '
    "people whose application ended there."
)
NOTE_WIDE_COUNTS = "Read as a wide count table: one count column per stage ({columns})."
WARN_UNKNOWN_STAGE_ROWS = (
    '{count} count rows name a stage the tool does not recognise in column "{column}" and '
    'were left out: {examples}. Stages: {stages}; map others with --stages "Text=stage".'
)

# Headers that hold the number of applications in a wide count table.
_APPLIED_COUNT_HEADERS = frozenset(
    {
        "applied",
        "applications",
        "applicants",
        "number of applications",
        "number of applicants",
        "total applications",
        "total applicants",
        "no of applications",
        "no of applicants",
    }
)


def adopt_wide_counts(choice: cols.ColumnChoice, table: Table, plan: StagePlan) -> bool:
    """Whether the per-stage columns hold counts (a wide count table) rather than flags.

    If so, the applications column (auto-detected as a count, or named like "Applications")
    becomes the first stage's column.
    """
    if cols.ROLE_STAGE in choice.roles or not choice.flags:
        return False
    positions = {h: i for i, h in enumerate(table.headers)}

    def sample(header: str) -> list[str]:
        i = positions[header]
        return [row[i] if i < len(row) else "" for row in table.sample]

    filled = [v for h in choice.flags.values() for v in sample(h) if v.strip()]
    numbers = [float(v.replace(",", "")) for v in filled if cols.looks_integer([v])]
    # Mostly whole numbers (a stray typo is reported later, naming its row), some above 1.
    if not numbers or len(numbers) < 0.8 * len(filled) or max(numbers) <= 1:
        return False
    if 0 not in choice.flags:
        applied = choice.roles.pop(cols.ROLE_COUNT, None)
        if applied is None:
            applied = next(
                (
                    h
                    for h in table.headers
                    if h not in choice.needed
                    and (
                        cols.header_key(h) in _APPLIED_COUNT_HEADERS
                        or cols.header_key(h) == stage_key(plan.stages[0])
                    )
                    and cols.looks_integer(sample(h))
                ),
                None,
            )
            how = cols.HOW_AUTO
        else:
            how = next(h for role, header, h in choice.choices if header == applied)
            choice.choices[:] = [c for c in choice.choices if c[1] != applied]
        if applied is not None:
            choice.flags[0] = applied
            first_stage = next(
                (i for i, c in enumerate(choice.choices) if c[0] in plan.stages),
                len(choice.choices),
            )
            choice.choices.insert(first_stage, (plan.stages[0], applied, how))
    choice.roles.pop(cols.ROLE_COUNT, None)
    return True


def _parse_counts(
    frame: pd.DataFrame, header: str, skip: np.ndarray, file: str, table: Table
) -> np.ndarray:
    """Counts of one column as floats (NaN = blank); refuse anything but whole numbers ≥ 0."""
    as_text = frame[header].astype(str).str.replace(",", "", regex=False).str.strip()
    counts = pd.to_numeric(as_text, errors="coerce").to_numpy(dtype=np.float64)
    missing = np.isnan(counts)
    not_number = missing & ~as_text.isin(["", "nan", "NaN", "None", "<NA>"]).to_numpy()
    bad = ~missing & ((counts < 0) | (counts != np.round(counts)))
    wrong = ~skip & (bad | not_number)
    if wrong.any():
        first = int(np.flatnonzero(wrong)[0])
        raise InputDataError(
            MSG_BAD_COUNT.format(
                file=file,
                column=header,
                value=str(frame[header].iloc[first]),
                row=table.header_row + 2 + first,
            )
        )
    return counts


def from_counts(
    frame: pd.DataFrame, choice: cols.ColumnChoice, plan: StagePlan, file: str, table: Table
) -> RawCells:
    """A long count table: group columns, a stage column, and a count column."""
    count_header = choice.roles[cols.ROLE_COUNT]
    excluded: dict[str, int] = {}
    warnings: list[str] = []
    group_columns = group_columns_of(choice)
    blank, total = special_rows(frame, group_columns)
    counts = _parse_counts(frame, count_header, blank | total, file, table)
    blank_count = np.isnan(counts) & ~blank & ~total
    keep = ~(blank | total | blank_count)
    stage_header = choice.roles.get(cols.ROLE_STAGE)
    if stage_header is None:
        raise InputDataError(
            cols.MSG_NO_STAGE.format(file=file, headers=", ".join(f'"{h}"' for h in table.headers))
        )
    series = frame[stage_header]
    categories = list(series.cat.categories)
    if _names_outcomes(categories, plan):
        return _from_outcome_counts(
            frame,
            group_columns,
            series,
            counts,
            keep,
            plan,
            stage_header,
            excluded,
            {
                EXCLUDED_BLANK_ROWS: blank,
                EXCLUDED_TOTAL_ROWS: total,
                EXCLUDED_BLANK_COUNT: blank_count,
            },
        )
    lookup = np.array([_count_stage_index(c, plan) for c in categories] + [-1], dtype=np.int8)
    stage = lookup[series.cat.codes.to_numpy()]
    unknown_rows = keep & (stage < 0)
    if unknown_rows.any():
        per = np.bincount(series.cat.codes.to_numpy()[unknown_rows], minlength=len(categories))
        texts = [f'"{categories[i]}"' for i in np.flatnonzero(per)]
        warnings.append(
            WARN_UNKNOWN_STAGE_ROWS.format(
                count=int(unknown_rows.sum()),
                column=stage_header,
                examples=", ".join(texts[:10]),
                stages=", ".join(plan.stages),
            )
        )
        excluded[EXCLUDED_UNKNOWN_OUTCOME] = int(unknown_rows.sum())
    keep &= stage >= 0
    for label, mask in (
        (EXCLUDED_BLANK_ROWS, blank),
        (EXCLUDED_TOTAL_ROWS, total),
        (EXCLUDED_BLANK_COUNT, blank_count),
    ):
        if mask.any():
            excluded[label] = int(mask.sum())
    return _count_cells(
        frame, group_columns, stage, counts, keep, plan, file, stage_header, warnings, excluded
    )


_OUTCOME_WORDS = frozenset(
    {
        "not",
        "unsuccessful",
        "rejected",
        "regret",
        "reserve",
        "failed",
        "withdrawn",
        "withdrew",
        "declined",
        "dna",
        "attend",
    }
)


def _names_outcomes(categories: Sequence[object], plan: StagePlan) -> bool:
    """Whether a count table's stage column holds final outcomes ("Not shortlisted",
    "Withdrawn"), so each count is a number of people who *ended* there, not who reached it.
    """
    for category in categories:
        key = stage_key(category)
        if (
            key
            and plan.exact_index(key) is None
            and (set(key.split()) & _OUTCOME_WORDS or binary_meaning(category))
        ):
            return True
    return False


def _from_outcome_counts(
    frame: pd.DataFrame,
    group_columns: Sequence[str],
    series: pd.Series,
    counts: np.ndarray,
    keep: np.ndarray,
    plan: StagePlan,
    stage_header: str,
    excluded: dict[str, int],
    masks: Mapping[str, np.ndarray],
) -> RawCells:
    """A count table of final outcomes: weight each outcome like a row of applications."""
    categories = list(series.cat.categories)
    codes = series.cat.codes.to_numpy()
    outcome = outcome_codes(categories, plan)
    stage = np.append(outcome.stage, -1)[codes]
    left = np.append(outcome.left_by, -1)[codes]
    weights = np.nan_to_num(counts)
    left_out = np.bincount(
        codes[keep & (stage < 0)], weights=weights[keep & (stage < 0)], minlength=len(categories)
    ).astype(np.int64)
    everyone = np.bincount(codes[keep], weights=weights[keep], minlength=len(categories))
    warnings: list[str] = []
    outcome_warnings(
        outcome, categories, left_out, everyone.astype(np.int64), stage_header, plan, warnings
    )
    for reason, label in OUTCOME_EXCLUSIONS:
        number = int(sum(left_out[i] for i, r in enumerate(outcome.reason) if r == reason))
        if number:
            excluded[label] = number
    for label, mask in masks.items():
        if mask.any():
            excluded[label] = int(mask.sum())
    keep = keep & (stage >= 0)
    cells = bincount_cells(
        frame, group_columns, stage, left, keep, n_stages=len(plan.stages), weights=weights
    )
    notes = [
        NOTE_OUTCOME_COUNTS.format(column=stage_header),
        outcome_reading(outcome, categories, everyone, plan, stage_header),
    ]
    return RawCells(
        cells,
        plan.stages,
        warnings,
        excluded,
        notes,
        categories=categories_of(frame, group_columns),
        unread_outcomes=unread_texts(outcome, categories, left_out),
    )


def from_wide_counts(
    frame: pd.DataFrame, choice: cols.ColumnChoice, plan: StagePlan, file: str, table: Table
) -> RawCells:
    """A wide count table: group columns and one count column per stage reached."""
    group_columns = group_columns_of(choice)
    blank, total = special_rows(frame[group_columns], group_columns)
    flags = sorted(choice.flags.items())
    per_stage = [_parse_counts(frame, header, blank | total, file, table) for _, header in flags]
    n = len(frame)
    counts = np.concatenate(per_stage)
    stage = np.repeat(np.array([index for index, _ in flags], dtype=np.int8), n)
    skip = np.tile(blank | total, len(flags))
    keep = ~skip & ~np.isnan(counts)
    long = pd.concat([frame[group_columns]] * len(flags), ignore_index=True)
    excluded: dict[str, int] = {}
    for label, mask in ((EXCLUDED_BLANK_ROWS, blank), (EXCLUDED_TOTAL_ROWS, total)):
        if mask.any():
            excluded[label] = int(mask.sum())
    built = _count_cells(long, group_columns, stage, counts, keep, plan, file, "", [], excluded)
    built.notes.insert(0, NOTE_WIDE_COUNTS.format(columns=", ".join(f'"{h}"' for _, h in flags)))
    return built


def _count_cells(
    frame: pd.DataFrame,
    group_columns: Sequence[str],
    stage: np.ndarray,
    counts: np.ndarray,
    keep: np.ndarray,
    plan: StagePlan,
    file: str,
    stage_header: str,
    warnings: list[str],
    excluded: dict[str, int],
) -> RawCells:
    found = sorted(set(stage[keep].tolist()))
    if len(found) < 2:
        raise InputDataError(
            MSG_TOO_FEW_COUNT_STAGES.format(
                file=file,
                found=", ".join(plan.stages[i] for i in found) or "no known stage",
                column=stage_header or "(stage columns)",
            )
        )
    cells = bincount_cells(
        frame,
        group_columns,
        stage,
        np.zeros(len(frame), dtype=np.int8),
        keep,
        n_stages=len(plan.stages),
        weights=np.nan_to_num(counts),
    )
    cells["_stage"] = cells["_stage"].map({old: new for new, old in enumerate(found)})
    stages = tuple(plan.stages[i] for i in found)
    notes = [NOTE_COUNTS_INPUT.format(stages=", ".join(stages))]
    return RawCells(
        cells,
        stages,
        warnings,
        excluded,
        notes,
        from_counts=True,
        categories=categories_of(frame, group_columns),
    )


def _count_stage_index(value: object, plan: StagePlan) -> int:
    """Stage index for a count table's stage label ("Shortlisted", "Invited to interview")."""
    key = stage_key(value)
    if not key:
        return -1
    index = plan.index_of(key)
    if index is not None:
        return index
    found = classify_outcome(value)
    if found is None or (found[1] != schema.LEFT_BY_NOT_PROGRESSED and found[0] != "appointed"):
        return -1
    canonical = found[0]
    return plan.canonical_index.get(canonical, -1)


def reached_to_furthest(
    table: pd.DataFrame, keys: list[str], stages: tuple[str, ...], warnings: list[str]
) -> pd.DataFrame:
    """Turn "number who reached each stage" into "number whose furthest stage is this one"."""
    n_stages = len(stages)
    wide = (
        table.pivot_table(
            index=keys, columns="_stage", values=schema.COUNT, aggfunc="sum", fill_value=0
        )
        .reindex(columns=range(n_stages), fill_value=0)
        .astype(np.int64)
    )
    reached = wide.to_numpy()
    nxt = np.concatenate([reached[:, 1:], np.zeros((len(reached), 1), dtype=np.int64)], axis=1)
    furthest = reached - nxt
    for row, col in zip(*np.nonzero(furthest < 0), strict=True):
        cell = ", ".join(str(v) for v in np.atleast_1d(wide.index[row]))
        warnings.append(
            WARN_MORE_THAN_BEFORE.format(
                later=stages[col + 1],
                later_n=int(reached[row, col + 1]),
                stage=stages[col],
                stage_n=int(reached[row, col]),
                cell=cell,
            )
        )
    furthest = np.clip(furthest, 0, None)
    out = pd.DataFrame(furthest, index=wide.index, columns=range(n_stages))
    out = out.stack().rename(schema.COUNT).reset_index()
    out.columns = [*keys, "_stage", schema.COUNT]
    last = n_stages - 1
    out["_left"] = np.where(
        out["_stage"] == last,
        schema.LEFT_BY_VALUES.index(schema.LEFT_BY_COMPLETED),
        schema.LEFT_BY_VALUES.index(schema.LEFT_BY_NOT_PROGRESSED),
    )
    return out[out[schema.COUNT] > 0]
