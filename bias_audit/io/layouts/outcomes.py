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
NOTE_STAGES_WITHOUT_EVIDENCE = (
    "Nothing in the extract says who reached {stages} (no column for {them} and no outcome "
    "naming {them}), so {they_are} left out and the funnel is {kept}: shown, {they} would "
    "be 100% steps no data supports. If the extract has a column for {them}, name it "
    "(--column {first}=COLUMN)."
)
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


def evidenced_stages(
    outcome: OutcomeCodes, present: np.ndarray, flags: Sequence[int], n_stages: int
) -> set[int]:
    """The stages the extract has evidence for: the first and the last; every stage with its
    own yes/no or date column; every stage an outcome text present says was reached; and
    the step after a stage an outcome text says was not passed ("Not shortlisted" is
    evidence of shortlisting). A bare "Not appointed" names no stage.

    >>> from bias_audit.io.stages import make_stage_plan, outcome_codes
    >>> plan = make_stage_plan(None)
    >>> codes = outcome_codes(["Appointed", "Not shortlisted", "Offer declined"], plan)
    >>> sorted(evidenced_stages(codes, np.array([5, 9, 2]), [], len(plan.stages)))
    [0, 1, 3, 4]
    """
    last = n_stages - 1
    found = {0, last, *flags}
    not_progressed = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_NOT_PROGRESSED)
    for i, stage in enumerate(outcome.stage):
        if stage < 0 or not present[i]:
            continue
        found.add(int(stage))
        if outcome.left_by[i] == not_progressed and stage < last:
            found.add(int(stage) + 1)
    return found


def without_unevidenced(
    stage: np.ndarray, stages: tuple[str, ...], evidenced: set[int]
) -> tuple[np.ndarray, tuple[str, ...], str | None]:
    """Drop the stages between the second and the last that nothing in the extract speaks
    of and that no application stopped at: left in, they would show 100% steps no data
    supports and report a later gap under their name ("Appointed / Not appointed" beside a
    shortlisting column made everyone shortlisted and appointed "interviewed" and
    "offered"). The stage right after the first is kept: reaching any later step implies
    passing the first decision, as WRES reads "shortlisted" as invited to interview.
    Returns the stage codes renumbered, the stages kept and the note saying what was left
    out (``None`` when nothing was).

    >>> codes, kept, note = without_unevidenced(
    ...     np.array([0, 1, 4, 4], dtype=np.int8),
    ...     ("applied", "shortlisted", "interviewed", "offered", "appointed"),
    ...     {0, 1, 4},
    ... )
    >>> codes.tolist(), kept
    ([0, 1, 2, 2], ('applied', 'shortlisted', 'appointed'))
    """
    stopped = set(np.unique(stage[stage >= 0]).tolist())
    dropped = [i for i in range(2, len(stages) - 1) if i not in evidenced | stopped]
    if not dropped:
        return stage, stages, None
    kept = [i for i in range(len(stages)) if i not in dropped]
    renumber = np.full(len(stages), -1, dtype=np.int8)
    renumber[kept] = np.arange(len(kept), dtype=np.int8)
    codes = np.where(stage >= 0, renumber[np.maximum(stage, 0)], stage).astype(np.int8)
    names = [stages[i] for i in dropped]
    listed = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    plural = len(names) > 1
    note = NOTE_STAGES_WITHOUT_EVIDENCE.format(
        stages=listed,
        them="them" if plural else "it",
        they="they" if plural else "it",
        they_are="they are" if plural else "it is",
        kept=" → ".join(stages[i] for i in kept),
        first=names[0],
    )
    return codes, tuple(stages[i] for i in kept), note
