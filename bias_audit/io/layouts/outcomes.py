"""What the outcome texts of a column were read as: the note, the warnings, the unread texts.

Shared by the row layout and the count table of final outcomes: in both, each distinct
outcome text ("Interview - unsuccessful", "Withdrawn") has been given a furthest stage, a
way of leaving, or a reason it could not be placed (:func:`bias_audit.io.stages.outcome_codes`),
and ``per_outcome`` says how many rows (or people) each text stands for.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bias_audit.io.cells import (
    EXCLUDED_BEFORE_FIRST,
    EXCLUDED_BLANK_OUTCOME,
    EXCLUDED_UNKNOWN_OUTCOME,
)
from bias_audit.io.stages import (
    WARN_BEFORE_FIRST_STAGE,
    WARN_BLANK_OUTCOMES,
    WARN_UNKNOWN_OUTCOMES,
    WARN_VACANCY_WITHDRAWN,
    OutcomeCodes,
    StagePlan,
)
from bias_audit.stats import schema

NOTE_OUTCOMES_READ = 'Outcomes in "{column}" read as (furthest stage reached): {readings}.'
MAX_OUTCOMES_SHOWN = 30
_LEFT_BY_WORDS = {
    schema.LEFT_BY_WITHDREW: ", withdrew",
    schema.LEFT_BY_DECLINED: ", declined the offer",
}

OUTCOME_EXCLUSIONS = (
    ("unknown", EXCLUDED_UNKNOWN_OUTCOME),
    ("blank", EXCLUDED_BLANK_OUTCOME),
    ("before first stage", EXCLUDED_BEFORE_FIRST),
)


def unread_texts(
    outcome: OutcomeCodes, categories: Sequence[object], left_out: np.ndarray
) -> dict[str, int]:
    """Outcome texts left out as not understood, with their rows, commonest first."""
    found = {
        str(categories[i]): int(left_out[i])
        for i, r in enumerate(outcome.reason)
        if r == "unknown" and left_out[i]
    }
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def outcome_warnings(
    outcome: OutcomeCodes,
    categories: Sequence[object],
    per_outcome: np.ndarray,
    all_counts: np.ndarray,
    header: str,
    plan: StagePlan,
    warnings: list[str],
) -> None:
    """Warn about outcome texts left out (unknown, blank, before the first stage) and about
    withdrawn vacancies; ``per_outcome`` counts left-out rows per distinct text."""
    unknown = [
        (categories[i], int(per_outcome[i]))
        for i, r in enumerate(outcome.reason)
        if r == "unknown" and per_outcome[i]
    ]
    if unknown:
        unknown.sort(key=lambda item: -item[1])
        examples = ", ".join(f'"{text}" ({count})' for text, count in unknown[:10])
        if len(unknown) > 10:
            examples += f" and {len(unknown) - 10} more"
        warnings.append(
            WARN_UNKNOWN_OUTCOMES.format(
                count=sum(c for _, c in unknown),
                column=header,
                examples=examples,
                stages=", ".join(plan.stages),
            )
        )
    blank = sum(int(per_outcome[i]) for i, r in enumerate(outcome.reason) if r == "blank")
    if blank:
        warnings.append(WARN_BLANK_OUTCOMES.format(count=blank, column=header))
    before = [
        (categories[i], int(per_outcome[i]))
        for i, r in enumerate(outcome.reason)
        if r == "before first stage" and per_outcome[i]
    ]
    if before:
        warnings.append(
            WARN_BEFORE_FIRST_STAGE.format(
                count=sum(c for _, c in before),
                first=plan.stages[0],
                examples=", ".join(f'"{t}" ({c})' for t, c in before[:10]),
            )
        )
    vacancy = sum(int(all_counts[i]) for i, r in enumerate(outcome.reason) if r == "vacancy")
    if vacancy:
        warnings.append(WARN_VACANCY_WITHDRAWN.format(count=vacancy))


def outcome_reading(
    outcome: OutcomeCodes,
    categories: Sequence[object],
    present: np.ndarray,
    plan: StagePlan,
    header: str,
) -> str:
    """One note saying what each outcome text in the file was read as, commonest first."""
    shown = []
    for i in np.argsort(-np.asarray(present), kind="stable")[:MAX_OUTCOMES_SHOWN]:
        if present[i] <= 0 or outcome.stage[i] < 0:
            continue
        left = schema.LEFT_BY_VALUES[outcome.left_by[i]]
        how = _LEFT_BY_WORDS.get(left, "")
        shown.append(f'"{categories[i]}" = {plan.stages[outcome.stage[i]]}{how}')
    return NOTE_OUTCOMES_READ.format(column=header, readings="; ".join(shown))
