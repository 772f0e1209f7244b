"""Short ladders: the stages an extract supports when its outcomes name few steps.

A final-outcome column often says little more than whether each application ended in
appointment ("Appointed" / "Not appointed"), sometimes with a shortlisting decision beside it
("Not shortlisted"). Read against the full five-stage ladder, such a column would put every
applicant who was not appointed at the first stage and every appointee through interview
and offer at 100%. :func:`one_step_plan` reads it as one comparison (considered →
appointed); :func:`sift_plan` as two steps (applied → shortlisted → appointed) when a
shortlisting decision is named too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from bias_audit.io.stages import (
    StagePlan,
    binary_meaning,
    outcome_codes,
    read_status,
    stage_key,
)
from bias_audit.stats import schema

ONE_STEP_FIRST_STAGE = "considered"


def one_step_plan(
    plan: StagePlan,
    values: Sequence[object],
    *,
    flags: Collection[int] = (),
    rows_are: str = "applications",
) -> StagePlan | None:
    """The two-stage ladder (considered → appointed) when the extract only says whether
    each application ended in appointment; ``None`` when it describes a funnel.

    ``values`` are the distinct outcome texts present in the file (empty when there is no
    outcome column); ``flags`` the stage indices that have their own yes/no or date column.
    The extract is one-step when no text or flag names a step between the first and the
    last stage (withdrawals and declined offers do not name a step), and something says
    who was appointed. Binary words ("Not appointed", "Unsuccessful", "No") are then read
    as "considered, not appointed".

    Examples
    --------
    >>> from bias_audit.io.stages import make_stage_plan
    >>> plan = one_step_plan(make_stage_plan(None), ["Appointed", "Not appointed"])
    >>> plan.stages, plan.outcome_map["not appointed"]
    (('considered', 'appointed'), (0, 'not_progressed'))
    >>> one_step_plan(make_stage_plan(None), ["Appointed", "Interviewed"]) is None
    True
    """
    last = len(plan.stages) - 1
    if any(0 < index < last for index in flags):
        return None
    codes = outcome_codes(values, plan)
    meaning = [binary_meaning(v) for v in values]
    appointed = last in flags
    for i, reason in enumerate(codes.reason):
        left = schema.LEFT_BY_VALUES[codes.left_by[i]] if reason == "" else ""
        if 0 < codes.stage[i] < last and left == schema.LEFT_BY_NOT_PROGRESSED:
            return None  # a real intermediate step
        appointed |= (reason == "" and codes.stage[i] == last) or meaning[i] != 0
    if not appointed:
        return None
    if len(plan.stages) == 2:
        names = plan.stages
    else:
        first = plan.stages[0] if rows_are == "shortlisted" else ONE_STEP_FIRST_STAGE
        names = (first, plan.stages[-1])
    return _squeezed(
        plan, values, names, lambda i: -1 if i < 0 else 1 if i == last else 0, appointed=1
    )


def sift_plan(
    plan: StagePlan,
    values: Sequence[object],
    *,
    flags: Collection[int] = (),
    rows_are: str = "applications",
) -> StagePlan | None:
    """The three-stage ladder (applied → shortlisted → appointed) when the outcomes name the
    shortlisting decision ("Not shortlisted", "Rejected at sift"), appointment, and a word
    for not being appointed ("Not appointed", "Unsuccessful"), and no step in between;
    ``None`` otherwise (with no "not appointed" word, nobody stopped after shortlisting and
    the one-step reading loses nothing).

    Someone who was not turned down at shortlisting and was not appointed got through
    shortlisting, so a bare "Not appointed" beside "Not shortlisted" is read as
    "shortlisted, not appointed"; a withdrawal after shortlisting stays a withdrawal from
    the shortlisted stage. WRES indicator 2 and WDES metric 2 (appointment from
    shortlisting) are then computable, which the one-step reading would lose.

    Examples
    --------
    >>> from bias_audit.io.stages import make_stage_plan
    >>> plan = sift_plan(make_stage_plan(None), ["Not shortlisted", "Not appointed", "Appointed"])
    >>> plan.stages, plan.outcome_map["not appointed"]
    (('applied', 'shortlisted', 'appointed'), (1, 'not_progressed'))
    >>> sift_plan(make_stage_plan(None), ["Appointed", "Not appointed"]) is None
    True
    >>> sift_plan(make_stage_plan(None), ["Rejected at sift", "Offer accepted"]) is None
    True
    """
    last = len(plan.stages) - 1
    shortlisted = plan.index_of("shortlisted")
    if rows_are != "applications" or shortlisted != 1 or last < 2:
        return None
    if any(0 < index < last for index in flags):
        return None
    codes = outcome_codes(values, plan)
    not_progressed = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_NOT_PROGRESSED)
    sifted = appointed = not_appointed = False
    for i, raw in enumerate(values):
        sign = binary_meaning(raw)
        not_appointed |= sign < 0
        if codes.reason[i] != "":
            appointed |= sign > 0
            continue
        stage, left = int(codes.stage[i]), int(codes.left_by[i])
        if 0 < stage < last and left == not_progressed:
            return None  # a real step between shortlisting and appointment
        sifted |= stage == 0 and left == not_progressed and sign == 0
        appointed |= stage == last or sign > 0
    if not (sifted and appointed and not_appointed):
        return None
    three = (plan.stages[0], plan.stages[shortlisted], plan.stages[last])

    return _squeezed(
        plan,
        values,
        three,
        lambda i: -1 if i < 0 else 0 if i == 0 else 2 if i == last else 1,
        appointed=2,
    )


def _squeezed(
    plan: StagePlan,
    values: Sequence[object],
    names: Sequence[str],
    squeeze: Callable[[int], int],
    *,
    appointed: int,
) -> StagePlan:
    """``plan`` on a shorter ladder: each configured stage index mapped by ``squeeze``, and
    the bare appointed / not appointed words present in ``values`` (that no rule or mapping
    reads) placed at the ``appointed`` stage or the one before it."""
    canonical_index = {c: squeeze(i) for c, i in plan.canonical_index.items()}
    outcome_map = {key: (squeeze(i), left) for key, (i, left) in plan.outcome_map.items()}
    for raw in values:
        key, sign = stage_key(raw), binary_meaning(raw)
        if sign and key not in outcome_map and read_status(raw) is None:
            outcome_map[key] = (
                (appointed, schema.LEFT_BY_COMPLETED)
                if sign > 0
                else (appointed - 1, schema.LEFT_BY_NOT_PROGRESSED)
            )
    return StagePlan(tuple(names), canonical_index, outcome_map)
