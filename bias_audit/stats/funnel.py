"""The validated funnel record that every statistic is computed from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from bias_audit.stats import schema

RowsAre = Literal["applications", "shortlisted"]
ROWS_ARE_CHOICES: tuple[str, ...] = ("applications", "shortlisted")
#: The part of a funnel that unread rows make not computable: the outcome (everything).
OUTCOME_PART = "outcome"


@dataclass(frozen=True)
class Unread:
    """Rows of one part (the outcome, or one attribute column) that the tool could not read.

    ``count`` of ``total`` rows; ``values`` the unread texts with their counts (for the
    analyst only: they may be small); ``fix`` the option that would make them readable.
    "Not stated" values are never unread: they are read, as not stated.
    """

    part: str
    column: str
    count: int
    total: int
    values: dict[str, int]
    fix: str

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0

    def reason(self, *, count: object = None, total: object = None) -> str:
        """The "not computable until …" reason; ``count`` and ``total`` default to the
        exact numbers, a report passes them as it publishes counts ("≤7", rounded).

        >>> Unread("outcome", "Status", 9, 100, {"Huh": 9}, "map them").reason(total="100")
        'until the outcomes the tool cannot read in "Status" (9 of 100 rows) can be read: map them'
        """
        return REASON_UNREAD.format(
            what="outcomes"
            if self.part == OUTCOME_PART
            else f"{self.part.replace('_', ' ')} values",
            column=self.column,
            count=self.count if count is None else count,
            total=self.total if total is None else total,
            fix=self.fix,
        )


REASON_UNREAD = (
    'until the {what} the tool cannot read in "{column}" ({count} of {total} rows) can be '
    "read: {fix}"
)


@dataclass(frozen=True)
class Funnel:
    """Aggregated recruitment counts, validated and ready for the statistics.

    Built only by the extract readers (``bias_audit.io.extract``), never by hand in the UI.

    Attributes
    ----------
    stages
        Ordered stage names, e.g. ``("applied", "shortlisted", "interviewed", "offered",
        "appointed")``.
    counts
        Tidy count table; columns are described in :mod:`bias_audit.stats.schema`.
    attributes
        The attribute views present in ``counts`` (subset of ``schema.ATTRIBUTE_VIEWS``).
    stratified_by
        Source column name used for ``schema.STRATUM``, or ``None``.
    source
        File name (or "example extract") the funnel came from.
    column_choices
        What each role (ethnicity, gender, disability, stage, …) was read from, and how it was
        chosen (``"auto"`` or ``"--column"``), in reading order, for the printed account.
    unplaced
        Per attribute: raw value -> number of applications the tool could not place (counted
        as "Not stated" and listed, never dropped).
    excluded
        Reason -> number of rows left out of every statistic (e.g. blank total rows).
    warnings
        Data-quality findings in plain English (duplicate ids, appointed with no shortlisting
        record, a stage with more people than the one before, …).
    notes
        Neutral facts about reading (encoding, separator, sheet, header row).
    rows_are
        What each row of the extract is: ``"applications"`` (default) or ``"shortlisted"``
        (the user said every row is a shortlisted applicant: WRES indicator 2 / WDES metric
        2 can then come from a one-step appointed / not appointed comparison).
    one_step
        True when the extract only says whether each application ended in appointment (a
        binary outcome such as "Appointed" / "Not appointed"): a one-step comparison
        ``stages[0] → stages[1]``, not a funnel.
    unread
        Per part (``OUTCOME_PART`` or an attribute role such as "ethnicity"): rows the tool
        could not read, with the fix (see :class:`Unread`); only parts with unread rows.
    not_computable
        Per part: why its statistics are not computable ("not computable until …", with
        the count and the fix, or "every … value is not stated"). ``OUTCOME_PART`` makes
        every statistic not computable; an attribute role makes its views not computable.
    """

    stages: tuple[str, ...]
    counts: pd.DataFrame
    attributes: tuple[str, ...]
    stratified_by: str | None = None
    source: str = ""
    column_choices: tuple[tuple[str, str, str], ...] = ()
    unplaced: dict[str, dict[str, int]] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rows_are: RowsAre = "applications"
    one_step: bool = False
    unread: dict[str, Unread] = field(default_factory=dict)
    not_computable: dict[str, str] = field(default_factory=dict)

    def reason_not_computable(self, attribute: str) -> str | None:
        """Why the statistics of an attribute view cannot be computed, or ``None``.

        The outcome's reason covers every view; an attribute's covers each of its views
        (ethnicity: detailed, five groups, WRES and the ethnicity × gender intersection).

        >>> import pandas as pd
        >>> f = Funnel(("a", "b"), pd.DataFrame(), ("gender",), not_computable={"gender": "x"})
        >>> f.reason_not_computable("ethnicity_wres_x_gender"), f.reason_not_computable("age_band")
        ('x', None)
        """
        if OUTCOME_PART in self.not_computable:
            return self.not_computable[OUTCOME_PART]
        for part, views in schema.VIEWS_OF_ROLE.items():
            if attribute in views and part in self.not_computable:
                return self.not_computable[part]
        return None
