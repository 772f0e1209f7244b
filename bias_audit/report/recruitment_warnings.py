"""The warnings and notes of a recruitment audit, in plain English.

Data-quality warnings (not-stated values, values that could not be placed, groups nobody
of whom progressed, parts not computable) and neutral notes on the method. In published
mode no warning prints a count the tables would not show: each count is the label the
tables show (≤7 or rounded to 5), and a declaration rate is given to the nearest 5% or
not at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from bias_audit.report import suppression as sdc
from bias_audit.report.publish import part_reason
from bias_audit.stats import schema
from bias_audit.stats.comparisons import LABELS
from bias_audit.stats.funnel import Funnel
from bias_audit.stats.rates import Transition, is_not_stated

WARN_NOT_STATED = (
    '{n} of {total} applications have no stated {label}; they are shown as "Not stated" '
    "and left out of every comparison ({share:.0%} declared)."
)
# Published mode: a declaration rate rounded to the nearest 5%, or none when a count is hidden.
WARN_NOT_STATED_PUBLISHED = (
    '{n} of {total} applications have no stated {label}; they are shown as "Not stated" '
    "and left out of every comparison ({share} declared)."
)
WARN_NOT_STATED_HIDDEN = (
    '{n} applications have no stated {label}; they are shown as "Not stated" and left out '
    "of every comparison."
)
WARN_NOT_STATED_PARTNER = (
    'Some applications have no stated {label}; they are shown as "Not stated" and left out '
    "of every comparison (their number is hidden so that a small count elsewhere cannot be "
    "worked out from it)."
)
WARN_NOBODY_PROGRESSED = "Nobody in the {group} group was {to} ({from_stage} → {to})."
WARN_UNPLACED = "{n} {label} value(s) could not be placed and count as Not stated: {values}."
# Published: the values without their counts (a count per value could narrow a hidden
# not-stated count, and several "≤7" would add up to more than 1).
WARN_UNPLACED_PUBLISHED = (
    "Some {label} values could not be placed and count as Not stated: {values}."
)
WARN_PART_NOT_COMPUTABLE = "{label}: not computable {reason}."
NOTE_UNPROTECTED = (
    "Caution before publishing: in this extract some counts of 1–7 could not be fully "
    "protected against working them out from the other tables (too few people in too many "
    "groups). Publish the headline figures only, or merge small groups first."
)
NOTE_WITHDRAWN_PUBLISHED = (
    "Withdrawals and declined offers ({n} in all) are left out of the step in which they "
    "happened; declined offers are not appointments. Published as this total only: per "
    "group they would give small counts away."
)
NOTE_WITHDRAWN_FEW = (
    "Withdrawals and declined offers (fewer than 8 in all) are left out of the step in which "
    "they happened; declined offers are not appointments."
)
NOTE_WITHDRAWN = (
    "Withdrawals and declined offers ({n} in all) are left out of the step in which they "
    "happened (shown as 'withdrawn'); declined offers are not appointments."
)


def declared_share(missing: Any, total: Any) -> str | None:
    """The share of applications with a stated value, from the shown counts, to the nearest
    5% (so it narrows no count further than the counts do); None when a count is hidden.
    A share that rounds to 100% while some are not stated reads "over 95%" (and one that
    rounds to 0% while some are stated, "under 5%"), never a figure that denies the count
    beside it.

    >>> declared_share(75, 5000), declared_share("≤7", 40), declared_share(10, 20)
    ('over 95%', None, 'about 50%')
    >>> declared_share(0, 40), declared_share(40, 40), declared_share(990, 1000)
    ('100%', '0%', 'under 5%')
    """
    if sdc.is_hidden(missing) or sdc.is_hidden(total) or int(total) == 0:
        return None
    missing, total = int(missing), int(total)
    rounded = round((1 - missing / total) * 20) * 5
    if missing == 0 or missing == total:
        return f"{rounded}%"
    if rounded == 100:
        return "over 95%"
    if rounded == 0:
        return "under 5%"
    return f"about {rounded}%"


def data_warnings(
    funnel: Funnel,
    exact: pd.DataFrame,
    steps: Sequence[Transition],
    *,
    suppression: bool,
    stage_counts: pd.DataFrame | None = None,
    total: Any = None,
) -> tuple[str, ...]:
    """Data-quality warnings from the exact transition table ``exact``. Published: each
    count is the label the tables show (``stage_counts``, ``total``), and a declaration
    rate is given to the nearest 5% or not at all."""
    found = []
    first = exact[exact["step"] == 0]
    for attribute, label in LABELS.items():
        part = first[first["attribute"] == attribute]
        if part.empty:
            continue
        sizes = part["entered"] + part["withdrawn"]
        exact_total = int(sizes.sum())
        missing = int(sizes[part["group"].map(is_not_stated)].sum())
        if not missing or not exact_total:
            continue
        if not suppression or stage_counts is None:
            found.append(
                WARN_NOT_STATED.format(
                    n=missing, total=exact_total, label=label, share=1 - missing / exact_total
                )
            )
            continue
        applied = stage_counts[
            (stage_counts["attribute"] == attribute)
            & (stage_counts["stage_index"] == 0)
            & stage_counts["group"].map(is_not_stated)
        ]["reached"].tolist()
        shown_missing = applied[0] if len(applied) == 1 else sdc.count_label(missing)
        share = declared_share(shown_missing, total)
        if shown_missing == sdc.SECONDARY_LABEL:
            found.append(WARN_NOT_STATED_PARTNER.format(label=label))
        elif share is None:
            found.append(WARN_NOT_STATED_HIDDEN.format(n=shown_missing, label=label))
        else:
            found.append(
                WARN_NOT_STATED_PUBLISHED.format(
                    n=shown_missing, total=total, label=label, share=share
                )
            )
    for attribute, values in funnel.unplaced.items():
        if values and suppression:
            listed = ", ".join(f"{v!r}" for v in sorted(values)[:10])
            found.append(WARN_UNPLACED_PUBLISHED.format(label=attribute, values=listed))
        elif values:
            listed = ", ".join(f"{v!r} ({n})" for v, n in sorted(values.items())[:10])
            found.append(
                WARN_UNPLACED.format(n=sum(values.values()), label=attribute, values=listed)
            )
    nobody = exact[
        exact["attribute"].isin(list(LABELS))
        & (exact["entered"] > 0)
        & (exact["progressed"] == 0)
        & ~exact["group"].map(is_not_stated)
    ]
    for row in nobody.to_dict("records"):
        step = steps[int(row["step"])]
        if step.adjacent:
            found.append(
                WARN_NOBODY_PROGRESSED.format(
                    group=row["group"], to=step.to_stage, from_stage=step.from_stage
                )
            )
    return tuple(found)


_COUNT_IN_TEXT = re.compile(r"(?:(?<=^)|(?<=\())(\d+)(?=[ )])")


def publish_reading_warning(warning: str) -> str:
    """A reader's warning as published: a count that opens it or stands in brackets is
    shown as the tables show counts (≤7, or rounded to 5).

    >>> publish_reading_warning('More people reached "appointed" (3) than "offered" (2) for X')
    'More people reached "appointed" (≤7) than "offered" (≤7) for X'
    >>> publish_reading_warning("12 applications have a blank outcome")
    '10 applications have a blank outcome'
    """
    return _COUNT_IN_TEXT.sub(lambda m: str(sdc.count_label(int(m.group(1)))), warning)


def not_computable_warnings(funnel: Funnel, *, suppression: bool) -> tuple[str, ...]:
    """One warning per part that is not computable (the outcome, or an attribute)."""
    found = []
    for part in funnel.not_computable:
        views = schema.VIEWS_OF_ROLE.get(part, (schema.ETHNICITY_WRES,))
        reason = part_reason(funnel, views[0], suppression=suppression)
        label = "Every statistic" if part == "outcome" else f"The {part} breakdown"
        found.append(WARN_PART_NOT_COMPUTABLE.format(label=label, reason=reason))
    return tuple(found)


def method_notes(
    exact: pd.DataFrame,
    steps: Sequence[Transition],
    *,
    suppression: bool,
    withdrawn: Any = None,
    unprotected: bool = False,
) -> tuple[str, ...]:
    """Neutral notes on the method: withdrawals (one total, when published), suppression,
    and a caution when some small counts could not be fully protected."""
    notes = []
    adjacent = [i for i, s in enumerate(steps) if s.adjacent]
    attribute = exact["attribute"].iloc[0]
    left = exact[(exact["attribute"] == attribute) & exact["step"].isin(adjacent)]
    total = int(left["withdrawn"].sum())
    if total and suppression and withdrawn is None:
        notes.append(NOTE_WITHDRAWN_FEW)
    elif total and suppression:
        notes.append(NOTE_WITHDRAWN_PUBLISHED.format(n=withdrawn))
    elif total:
        notes.append(NOTE_WITHDRAWN.format(n=total))
    if suppression:
        notes.append(sdc.SUPPRESSION_NOTE)
    if unprotected:
        notes.append(NOTE_UNPROTECTED)
    return tuple(notes)
