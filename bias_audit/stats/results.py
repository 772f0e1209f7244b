"""The results record of a recruitment audit, and its JSON shape.

:class:`RecruitmentAudit` holds what :func:`bias_audit.services.audit_recruitment` worked
out, already published when disclosure control was on; :meth:`RecruitmentAudit.to_dict`
only reshapes it (nothing here computes or hides a number).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from bias_audit.stats import disparity
from bias_audit.stats.funnel import Funnel

TRANSITION_COLUMNS: tuple[str, ...] = (
    "attribute",
    "from",
    "to",
    "step",
    "reference",
    "group",
    "entered",
    "progressed",
    "withdrawn",
    "rate",
    "relative_likelihood",
    "impact_ratio",
    "p_value",
    "mid_p",
    "z",
    "ci_low",
    "ci_high",
    "one_person_check",
    "shortfall",
    "outside_band",
    "significance",
    "p_allows_for_rounding",
    "suppressed",
    "not_computable",
    "sentence",
)
# Statistics of one row compared with its reference group.
STAT_FIELDS = (
    "relative_likelihood",
    "p_value",
    "mid_p",
    "z",
    "ci_low",
    "ci_high",
    "shortfall",
)


@dataclass(frozen=True)
class RecruitmentAudit:
    """Everything the reports, exports and the app show about one recruitment extract.

    Attributes
    ----------
    stages
        Stage names in order.
    transitions
        One row per attribute view × transition × group; columns ``TRANSITION_COLUMNS``.
        With suppression on (see :mod:`bias_audit.report.publish`), counts are ints
        rounded to 5, "≤7" or "*" (one protection for every table at once); every
        statistic is worked out from those shown counts (p and the interval allowing for
        their rounding), ratios shown to 2 dp and p to 2 significant figures; anything
        resting on a hidden count is ``None`` and ``not_computable`` says why; per-group
        ``withdrawn`` is ``None`` (published as one total in ``notes``).
    stage_counts
        Attribute × group × stage reached (``reached``, ``share``) for the funnel chart;
        suppressed like the transition tables, one count column per stage.
    wres_indicator_2, wdes_metric_2
        The national indicators (see :mod:`bias_audit.stats.indicators`).
    stratified
        CMH / Breslow–Day table when the funnel is stratified, else ``None``.
    warnings
        Data-quality findings in plain English.
    funnel
        The funnel audited (exact counts: for the analyst, never for publication).
    suppression
        Whether disclosure control was applied.
    references
        Reference group per attribute view.
    adverse_band
        The non-adverse band for relative likelihoods.
    notes
        Neutral facts about the method (withdrawals, suppression).
    guaranteed_interview
        Disability Confident guaranteed interview scheme: one row (see
        :func:`bias_audit.stats.rates.guaranteed_interview_table`), counts published like
        every other table; ``None`` when the extract has no scheme column.
    reading_notes
        The reader's notes on how the file was read, as published (counts labelled like
        the tables' when suppression is on).
    parts_not_computable
        Part of the extract (``outcome`` or a role) -> why it is not computable, counts in
        the reason published like every other count.
    population
        Each stage against the local population (Census 2021), as built by
        :func:`bias_audit.report.population.population_section`; ``None`` when no
        population was chosen.

    Examples
    --------
    >>> from bias_audit.stats.results import TRANSITION_COLUMNS, STAT_FIELDS
    >>> set(STAT_FIELDS) <= set(TRANSITION_COLUMNS)
    True
    """

    stages: tuple[str, ...]
    transitions: pd.DataFrame
    stage_counts: pd.DataFrame
    wres_indicator_2: dict[str, Any]
    wdes_metric_2: dict[str, Any]
    stratified: pd.DataFrame | None
    warnings: tuple[str, ...]
    funnel: Funnel
    suppression: bool
    references: dict[str, str | None] = field(default_factory=dict)
    adverse_band: tuple[float, float] = disparity.DEFAULT_ADVERSE_BAND
    notes: tuple[str, ...] = ()
    guaranteed_interview: pd.DataFrame | None = None
    reading_notes: tuple[str, ...] = ()
    parts_not_computable: dict[str, str | None] = field(default_factory=dict)
    population: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary, exactly the DESIGN.md "Contracts" shape (plus extras)."""
        blocks = []
        for (attribute, _, from_stage, to_stage), block in self.transitions.groupby(
            ["attribute", "step", "from", "to"], sort=False
        ):
            groups = [
                {k: plain(v) for k, v in row.items() if k not in ("attribute", "from", "to")}
                for row in block.drop(columns=["step", "reference"]).to_dict("records")
            ]
            blocks.append(
                {
                    "attribute": attribute,
                    "from": from_stage,
                    "to": to_stage,
                    "reference": block["reference"].iloc[0],
                    "groups": groups,
                }
            )
        return {
            "source": self.funnel.source,
            "stages": list(self.stages),
            "suppression": self.suppression,
            "adverse_band": list(self.adverse_band),
            "references": dict(self.references),
            "transitions": blocks,
            "wres_indicator_2": plain(self.wres_indicator_2),
            "wdes_metric_2": plain(self.wdes_metric_2),
            "stratified": _records(self.stratified),
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "guaranteed_interview": _records(self.guaranteed_interview),
            # How the file was read, so a JSON consumer sees what the CLI prints on stderr.
            "reading": {
                "columns": [
                    {"role": role, "column": column, "chosen": how}
                    for role, column, how in self.funnel.column_choices
                ],
                "notes": list(self.reading_notes),
                "rows_are": self.funnel.rows_are,
                "one_step": self.funnel.one_step,
                # Parts not computable and why (counts in them published like all others).
                "not_computable": dict(self.parts_not_computable),
            },
            "population": plain(self.population) if self.population is not None else None,
        }


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]] | None:
    if frame is None:
        return None
    return [{k: plain(v) for k, v in r.items()} for r in frame.to_dict("records")]


def plain(value: Any) -> Any:
    """Numpy scalars and NaN to plain JSON values.

    >>> import numpy as np
    >>> plain({"n": np.int64(3), "rate": float("nan")})
    {'n': 3, 'rate': None}
    """
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
