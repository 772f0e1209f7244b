"""Values and outcomes the tool could not read: how many, what to do, and when to stop.

A few unread rows are reported and left out; above :data:`UNREAD_NOT_COMPUTABLE_SHARE` of
the rows the part they belong to (the outcome, or one equality column) is not computable,
with the reason; above :data:`UNREAD_REFUSE_SHARE` the extract is refused, because any
result would rest on a minority of it. Each part carries the fix (``--stages`` or
``--recode`` mappings) so the app can offer it in place.
"""

from __future__ import annotations

from collections.abc import Mapping

from bias_audit.errors import InputDataError
from bias_audit.io import columns as cols
from bias_audit.io.cells import EXCLUDED_BLANK_ROWS, EXCLUDED_TOTAL_ROWS, RawCells
from bias_audit.stats.funnel import OUTCOME_PART, Unread

UNREAD_NOT_COMPUTABLE_SHARE = 0.05
UNREAD_REFUSE_SHARE = 0.50
MAX_FIX_TEXTS = 3
_UNREAD_WHAT = {True: "an outcome", False: "a value"}
MSG_MOSTLY_UNREAD = (
    '{file}: {share:.0%} of the rows have {what} the tool cannot read in "{column}" '
    "({values}), so any result would rest on a minority of the extract: {fix}."
)
FIX_OUTCOME = (
    'map them with --stages "{mappings}", choosing each stage from {stages} (add '
    '":withdrew" or ":declined_offer" when that is how the application ended)'
)
FIX_ATTRIBUTE = (
    'map them with --recode "{role}:{value}=<category>" (a code or label the tool reads, '
    'or "Not stated"), or, if "{column}" does not hold {label}, name the right column with '
    '--column {role}="<header>"{off}'
)

FIX_SWITCH_OFF = ", leave it out with --column {role}="


def _listed(values: Mapping[str, int]) -> str:
    shown = [f'"{v}"' for v in list(values)[:10]]
    more = len(values) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def unread_parts(
    built: RawCells,
    choice: cols.ColumnChoice,
    unplaced: Mapping[str, Mapping[str, int]],
    analysed: int,
) -> dict[str, Unread]:
    """Rows the tool could not read, per part: the outcome, and each attribute column."""
    found: dict[str, Unread] = {}
    stage_header = choice.roles.get(cols.ROLE_STAGE)
    if built.unread_outcomes and stage_header is not None:
        count = sum(built.unread_outcomes.values())
        left_out = sum(
            n
            for k, n in built.excluded.items()
            if k not in (EXCLUDED_BLANK_ROWS, EXCLUDED_TOTAL_ROWS)
        )
        mappings = ",".join(f"{t}=<stage>" for t in list(built.unread_outcomes)[:MAX_FIX_TEXTS])
        found[OUTCOME_PART] = Unread(
            OUTCOME_PART,
            stage_header,
            count,
            analysed + left_out,
            dict(built.unread_outcomes),
            FIX_OUTCOME.format(
                mappings=mappings, stages=", ".join(built.configured_stages or built.stages)
            ),
        )
    for role, attribute in cols.ATTRIBUTE_ROLES:
        values = unplaced.get(attribute)
        if not values or role not in choice.roles:
            continue
        off = "" if role == cols.ROLE_ETHNICITY else FIX_SWITCH_OFF.format(role=role)
        found[role] = Unread(
            role,
            choice.roles[role],
            sum(values.values()),
            analysed,
            dict(sorted(values.items(), key=lambda item: -item[1])),
            FIX_ATTRIBUTE.format(
                column=choice.roles[role],
                label=cols.ROLE_LABELS.get(role, role),
                role=role,
                off=off,
                value=max(values, key=lambda v: values[v]),
            ),
        )
    return found


def judge_unread(unread: Mapping[str, Unread], *, file: str) -> dict[str, str]:
    """Parts not computable because too much of them is unread, with the reason each.

    Raises
    ------
    InputDataError
        A part is mostly unread (:data:`MSG_MOSTLY_UNREAD`); ``unread`` is attached to the
        error so the app can offer the mappings in place.
    """
    not_computable: dict[str, str] = {}
    for part, found in unread.items():
        if found.share > UNREAD_REFUSE_SHARE:
            refused = InputDataError(
                MSG_MOSTLY_UNREAD.format(
                    file=file,
                    share=found.share,
                    what=_UNREAD_WHAT[part == OUTCOME_PART].format(part=part),
                    column=found.column,
                    values=_listed(found.values),
                    fix=found.fix,
                )
            )
            refused.unread = unread  # so the app can offer the mapping in place
            raise refused
        if found.share > UNREAD_NOT_COMPUTABLE_SHARE:
            not_computable[part] = found.reason()
    return not_computable
