"""The validated funnel record that every statistic is computed from."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


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
