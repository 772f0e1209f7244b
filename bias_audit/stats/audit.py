"""The recruitment audit: one call from a funnel (or a file) to every table the reports show.

:func:`audit_recruitment` computes, for every transition (each adjacent pair of stages plus
shortlisted → appointed) and every attribute view (WRES ethnicity, five ethnic groups,
detailed ethnicity, gender, disability and WRES ethnicity × gender): entered, progressed,
rate, both ratios with their directions, Fisher p and mid-P, z, the Katz interval, the
one-person check and the shortfall; WRES indicator 2 and WDES metric 2; CMH / Breslow–Day
when the funnel is stratified; and applies disclosure control (on by default) before
anything leaves this module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.report import recruitment_text as text
from bias_audit.report import suppression as sdc
from bias_audit.stats import disparity, indicators, schema
from bias_audit.stats.funnel import Funnel, RowsAre
from bias_audit.stats.rates import (
    Transition,
    guaranteed_interview_table,
    is_not_stated,
    metricframe_rates,
    report_attributes,
    shortlist_index,
    stage_reached,
    transition_counts,
    transitions,
)
from bias_audit.stats.significance import compare, one_person_check, shortfall

EMPTY_FUNNEL = "{source}: there are no applications to audit (every count is zero)"
TOO_FEW_STAGES = "{source}: the audit needs at least two stages; found {stages}"
NO_ATTRIBUTES = (
    "{source}: no ethnicity, gender or disability column was found, so there is nothing to "
    'compare; map one with --column ethnicity="Your column"'
)
WARN_NOT_STATED = (
    '{n} of {total} applications have no stated {label}; they are shown as "Not stated" '
    "and left out of every comparison ({share:.0%} declared)."
)
WARN_NOBODY_PROGRESSED = "Nobody in the {group} group was {to} ({from_stage} → {to})."
WARN_UNPLACED = "{n} {label} value(s) could not be placed and count as Not stated: {values}."
NOTE_WITHDRAWN = (
    "Withdrawals and declined offers ({n} in all) are left out of the step in which they "
    "happened (shown as 'withdrawn'); declined offers are not appointments."
)
REASON_HIDDEN = "numbers hidden by disclosure control"
NO_APPOINTMENT_STEP = "the extract has no shortlisting and appointment stages"
NO_ATTRIBUTE_COLUMN = "the extract has no {label} column"
REASON_NO_REFERENCE = "there is no stated group to compare with"

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
    "suppressed",
    "not_computable",
    "sentence",
)
STAT_FIELDS = (
    "relative_likelihood",
    "p_value",
    "mid_p",
    "z",
    "ci_low",
    "ci_high",
    "shortfall",
)
LABELS = {
    schema.ETHNICITY_WRES: "ethnicity",
    schema.GENDER: "gender",
    schema.DISABILITY: "disability status",
    schema.AGE_BAND: "age band",
    schema.RELIGION: "religion or belief",
    schema.SEXUAL_ORIENTATION: "sexual orientation",
}


@dataclass(frozen=True)
class RecruitmentAudit:
    """Everything the reports, exports and the app show about one recruitment extract.

    Attributes
    ----------
    stages
        Stage names in order.
    transitions
        One row per attribute view × transition × group; columns ``TRANSITION_COLUMNS``.
        With suppression on (see :mod:`bias_audit.report.suppression`), counts are ints
        rounded to 5, "≤7" or "*"; rates come from the rounded counts; ratios, interval
        bounds and z are rounded to 2 dp and p-values to 2 significant figures; anything
        resting on a hidden count is ``None``.
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

    def headline_sentences(self) -> list[str]:
        """The sentences to lead a report with: the two indicators, then clear gaps."""
        sentences = [
            text.indicator_sentence(self.wres_indicator_2),
            text.indicator_sentence(self.wdes_metric_2),
        ]
        frame = self.transitions
        flagged = frame[
            frame["outside_band"].astype(bool)
            & frame["p_value"].map(lambda p: p is not None and p < text.ALPHA)
            & frame["attribute"].isin([schema.ETHNICITY_WRES, schema.GENDER, schema.DISABILITY])
        ]
        sentences.extend(flagged["sentence"].tolist())
        return sentences

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary, exactly the DESIGN.md "Contracts" shape (plus extras)."""
        blocks = []
        for (attribute, _, from_stage, to_stage), block in self.transitions.groupby(
            ["attribute", "step", "from", "to"], sort=False
        ):
            groups = [
                {k: _plain(v) for k, v in row.items() if k not in ("attribute", "from", "to")}
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
        stratified = None
        if self.stratified is not None:
            stratified = [
                {k: _plain(v) for k, v in r.items()} for r in self.stratified.to_dict("records")
            ]
        return {
            "source": self.funnel.source,
            "stages": list(self.stages),
            "suppression": self.suppression,
            "adverse_band": list(self.adverse_band),
            "references": dict(self.references),
            "transitions": blocks,
            "wres_indicator_2": _plain(self.wres_indicator_2),
            "wdes_metric_2": _plain(self.wdes_metric_2),
            "stratified": stratified,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "guaranteed_interview": None
            if self.guaranteed_interview is None
            else [
                {k: _plain(v) for k, v in r.items()}
                for r in self.guaranteed_interview.to_dict("records")
            ],
            # How the file was read, so a JSON consumer sees what the CLI prints on stderr.
            "reading": {
                "columns": [
                    {"role": role, "column": column, "chosen": how}
                    for role, column, how in self.funnel.column_choices
                ],
                "notes": list(self.funnel.notes),
                "rows_are": self.funnel.rows_are,
                "one_step": self.funnel.one_step,
                # Parts not computable and why (counts in them published like all others).
                "not_computable": {
                    part: _part_reason(
                        self.funnel,
                        schema.VIEWS_OF_ROLE.get(part, (schema.ETHNICITY_WRES,))[0],
                        suppression=self.suppression,
                    )
                    for part in self.funnel.not_computable
                },
            },
        }


def _none_for_nan(column: pd.Series) -> pd.Series:
    """An object column with None where a value is missing (never NaN in reports)."""
    values = column.astype(object)
    return values.where(column.notna(), None)


def _objects(values: Sequence[Any], index: pd.Index) -> pd.Series:
    """A column kept as given: ints stay ints and None stays None (no float NaN)."""
    return pd.Series(list(values), index=index, dtype=object)


def _plain(value: Any) -> Any:
    """Numpy scalars and NaN to plain JSON values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# ------------------------------------------------------------------ disclosure control

COUNT_COLUMNS = ("entered", "progressed", "withdrawn")


def _shown_counts(frame: pd.DataFrame, *, by: str, columns: Sequence[str]) -> pd.DataFrame:
    """Counts as published: one table per attribute view and ``by``; not stated given up
    first for secondary suppression."""
    return sdc.suppress_tables(
        frame,
        by=["attribute", by],
        columns=columns,
        prefer=frame["group"].map(is_not_stated).tolist(),
    )


def _publish_statistics(
    frame: pd.DataFrame, *, ratios: Sequence[str], p_values: Sequence[str]
) -> pd.DataFrame:
    """Round complex statistics (ratios 2 dp, p 2 s.f.) so no exact count can be solved
    back from them."""
    frame = frame.copy()
    for column in ratios:
        frame[column] = _none_for_nan(frame[column].map(sdc.publish_ratio, na_action="ignore"))
    for column in p_values:
        frame[column] = _none_for_nan(
            frame[column].map(lambda p: sdc.publish_p(p, alpha=text.ALPHA), na_action="ignore")
        )
    return frame


def _apply_suppression(frame: pd.DataFrame, suppression: bool) -> pd.DataFrame:
    """Replace counts by their shown labels; rates from rounded counts; blank what is hidden."""
    frame = frame.copy()
    frame["progressed_exact"] = frame["progressed"]
    if not suppression:
        frame["suppressed"] = False
        return frame
    labels = _shown_counts(frame, by="step", columns=COUNT_COLUMNS)
    keys = list(zip(frame["attribute"], frame["step"], frame["group"], strict=True))
    pairs = list(zip(labels["entered"], labels["progressed"], strict=True))
    shown = dict(zip(keys, pairs, strict=True))
    hidden = {key: sdc.is_hidden(n) or sdc.is_hidden(k) for key, (n, k) in shown.items()}

    def lookup(column: str) -> np.ndarray:
        return np.array(
            [
                g is not None and hidden.get((a, s, g), False)
                for a, s, g in zip(frame["attribute"], frame["step"], frame[column], strict=True)
            ],
            dtype=bool,
        )

    own = np.array([hidden[key] for key in keys], dtype=bool)
    ref, top = lookup("reference"), lookup("top_group")
    frame["rate"] = _objects([sdc.published_rate(k, n) for n, k in pairs], frame.index)
    frame["shortfall"] = _objects(
        [
            None
            if exact_value is None
            else _rounded_shortfall(shown[(a, s, g)], shown.get((a, s, r)))
            for a, s, g, r, exact_value in zip(
                frame["attribute"],
                frame["step"],
                frame["group"],
                frame["reference"],
                frame["shortfall"],
                strict=True,
            )
        ],
        frame.index,
    )
    frame = _publish_statistics(
        frame,
        ratios=("relative_likelihood", "impact_ratio", "ci_low", "ci_high", "z"),
        p_values=("p_value", "mid_p"),
    )
    for column in COUNT_COLUMNS:
        frame[column] = labels[column]
    frame["suppressed"] = own | ref | top
    for column in STAT_FIELDS:
        frame[column] = _none_for_nan(frame[column].where(~(own | ref)))
    frame["outside_band"] = frame["outside_band"] & ~(own | ref)
    for column in ("impact_ratio", "one_person_check"):
        frame[column] = _none_for_nan(frame[column].where(~(own | top)))
    frame.loc[own | ref, "not_computable"] = np.where(
        frame.loc[own | ref, "group"] == frame.loc[own | ref, "reference"], "", REASON_HIDDEN
    )
    return frame


def _rounded_shortfall(own: tuple[Any, Any], ref: tuple[Any, Any] | None) -> int | None:
    """The shortfall from the shown (rounded) counts: a count of people, so never exact."""
    if ref is None or any(sdc.is_hidden(v) for v in (*own, *ref)):
        return None
    (n, k), (n_ref, k_ref) = own, ref
    return shortfall(int(k), int(n), int(k_ref), int(n_ref))


# ------------------------------------------------------------------ the audit


def _check(funnel: Funnel) -> None:
    source = funnel.source or "the extract"
    if len(funnel.stages) < 2:
        raise InputDataError(TOO_FEW_STAGES.format(source=source, stages=list(funnel.stages)))
    if not report_attributes(funnel):
        raise InputDataError(NO_ATTRIBUTES.format(source=source))
    if funnel.counts.empty or int(funnel.counts[schema.COUNT].sum()) == 0:
        raise InputDataError(EMPTY_FUNNEL.format(source=source))


def _references(
    table: pd.DataFrame, attributes: Sequence[str], chosen: Mapping[str, str]
) -> dict[str, str | None]:
    first = table[table["step"] == 0]
    applied = first.assign(size=first["entered"] + first["withdrawn"])
    refs: dict[str, str | None] = {}
    for attribute in attributes:
        part = applied[applied["attribute"] == attribute]
        sizes = dict(zip(part["group"], part["size"].astype(int), strict=True))
        refs[attribute] = disparity.resolve_reference(attribute, sizes, chosen)
    return refs


def _group_order(table: pd.DataFrame, refs: Mapping[str, str | None]) -> pd.Series:
    """Sort key: reference first, then larger groups, not-stated last."""
    first = table[table["step"] == 0]
    size = dict(
        zip(
            zip(first["attribute"], first["group"], strict=True),
            first["entered"] + first["withdrawn"],
            strict=True,
        )
    )

    def key(attribute: str, group: str) -> tuple[int, int, str]:
        rank = 0 if group == refs.get(attribute) else 2 if is_not_stated(group) else 1
        return rank, -int(size.get((attribute, group), 0)), group

    return pd.Series(
        [key(a, g) for a, g in zip(table["attribute"], table["group"], strict=True)],
        index=table.index,
    )


def _row_statistics(
    block: pd.DataFrame, reference: str | None, band: tuple[float, float]
) -> list[dict[str, Any]]:
    """Exact statistics for every group of one attribute × transition block."""
    by_group = {r["group"]: r for r in block.to_dict("records")}
    ref = by_group.get(reference) if reference is not None else None
    stated = [r for r in by_group.values() if not is_not_stated(r["group"]) and r["entered"] > 0]
    top = max(stated, key=lambda r: (r["progressed"] / r["entered"], r["entered"]), default=None)
    out = []
    for row in block.to_dict("records"):
        rate = None if row["entered"] == 0 else float(row["rate"])
        result: dict[str, Any] = {
            "rate": rate,
            "impact_ratio": None,
            "one_person_check": None,
            "outside_band": False,
            "not_computable": "",
            "top_group": None if top is None else top["group"],
            **dict.fromkeys(STAT_FIELDS),
        }
        if is_not_stated(row["group"]):
            out.append(result)
            continue
        if top is not None and rate is not None:
            result["impact_ratio"] = disparity.impact_ratio(
                rate, top["progressed"] / top["entered"]
            )
            result["one_person_check"] = one_person_check(
                int(row["progressed"]),
                int(row["entered"]),
                int(top["progressed"]),
                int(top["entered"]),
                threshold=band[0],
            )
        if ref is None:
            result["not_computable"] = REASON_NO_REFERENCE
        elif row["group"] == reference:
            result["relative_likelihood"] = 1.0 if rate else None
            if not rate:
                result["not_computable"] = "nobody in the reference group progressed"
        else:
            numbers = (
                int(row["progressed"]),
                int(row["entered"]),
                int(ref["progressed"]),
                int(ref["entered"]),
            )
            stats = compare(*numbers, who=str(row["group"]))
            result.update(stats.fields(), shortfall=shortfall(*numbers))
            if stats.relative_likelihood is None:
                result["not_computable"] = stats.reasons.get("relative_likelihood", "")
            result["outside_band"] = disparity.outside_band(stats.relative_likelihood, band)
        out.append(result)
    return out


def audit_recruitment(
    funnel: Funnel,
    *,
    reference: Mapping[str, str] | Sequence[str] | None = None,
    adverse_band: tuple[float, float] = disparity.DEFAULT_ADVERSE_BAND,
    suppression: bool = True,
) -> RecruitmentAudit:
    """Audit a recruitment funnel: rates, ratios, tests and indicators, suppressed.

    Parameters
    ----------
    funnel
        The validated funnel (from :func:`bias_audit.io.extract.read_funnel`).
    reference
        Reference group per attribute view, as a mapping or as ``"attr=group"`` strings;
        unnamed attributes use the defaults (White, "White - British", Not disabled, the
        largest gender group).
    adverse_band
        Relative likelihoods outside ``(low, high)`` are flagged; default (0.80, 1.25).
    suppression
        Apply disclosure control (default). Switch off only for the analyst's own use.

    Returns
    -------
    RecruitmentAudit
    """
    _check(funnel)
    band = disparity.check_band(adverse_band)
    if reference is None:
        chosen: dict[str, str] = {}
    elif isinstance(reference, Mapping):
        chosen = dict(reference)
    else:
        chosen = disparity.parse_references(list(reference))
    attributes = report_attributes(funnel)
    disparity.check_reference_attributes(chosen, attributes)
    steps = transitions(funnel.stages)

    table = transition_counts(funnel)
    table["rate"] = metricframe_rates(table)
    refs = _references(table, attributes, chosen)
    table["reference"] = table["attribute"].map(refs)
    order = _group_order(table, refs)
    attr_rank = {a: i for i, a in enumerate(attributes)}
    table = table.loc[
        sorted(
            table.index,
            key=lambda i: (attr_rank[table.at[i, "attribute"]], table.at[i, "step"], order[i]),
        )
    ]
    blocks = []
    for _, block in table.groupby(["attribute", "step"], sort=False):
        stats = pd.DataFrame(
            _row_statistics(block, refs[block["attribute"].iloc[0]], band), index=block.index
        )
        blocks.append(pd.concat([block.drop(columns=["rate"]), stats], axis=1))
    exact = pd.concat(blocks).reset_index(drop=True)
    for column in ("rate", "impact_ratio", "one_person_check", *STAT_FIELDS):
        exact[column] = _none_for_nan(exact[column])

    shown = _apply_suppression(exact, suppression)
    shown["reference_progressed"] = _reference_progressed(exact)
    shown["four_fifths"] = band[0]
    shown["sentence"] = [
        text.row_sentence(row, stage_index=steps[int(row["step"])].start)
        for row in shown.to_dict("records")
    ]
    shown = _mark_not_computable(shown, funnel, suppression=suppression)
    frame = shown[list(TRANSITION_COLUMNS)].reset_index(drop=True)

    stages = tuple(funnel.stages)
    wres = _indicator(
        exact,
        shown,
        schema.ETHNICITY_WRES,
        indicators.wres_indicator_2,
        stages,
        suppression=suppression,
    )
    wdes = _indicator(
        exact, shown, schema.DISABILITY, indicators.wdes_metric_2, stages, suppression=suppression
    )
    for indicator, attribute in ((wres, schema.ETHNICITY_WRES), (wdes, schema.DISABILITY)):
        reason = _part_reason(funnel, attribute, suppression=suppression)
        if reason is not None:
            for name in ("value", "ci_low", "ci_high", "p_value", "mid_p"):
                indicator[name] = None
            indicator["reason"] = reason
            # The reason outranks "hidden": no ratio would be shown even without hiding (the
            # counts stay as published labels).
            indicator["suppressed"] = False
            indicator["sentence"] = text.indicator_sentence(indicator)
    stratified = None
    if funnel.stratified_by is not None and schema.STRATUM in funnel.counts:
        from bias_audit.stats.stratified import stratified_tests

        stratified = stratified_tests(funnel, references=refs)
        if suppression:
            stratified = _publish_statistics(
                stratified,
                ratios=(
                    "cmh_statistic",
                    "pooled_relative_likelihood",
                    "pooled_odds_ratio",
                    "breslow_day_statistic",
                ),
                p_values=("cmh_p", "breslow_day_p"),
            )
        stratified = _mark_stratified(stratified, funnel, suppression=suppression)
    return RecruitmentAudit(
        stages=tuple(funnel.stages),
        transitions=frame,
        stage_counts=_blank_shares(_stage_counts(funnel, suppression=suppression), funnel),
        wres_indicator_2=wres,
        wdes_metric_2=wdes,
        stratified=stratified,
        warnings=tuple(funnel.warnings)
        + _warnings(funnel, exact, steps, suppression=suppression)
        + _not_computable_warnings(funnel, suppression=suppression),
        funnel=funnel,
        suppression=suppression,
        references=refs,
        adverse_band=band,
        notes=_notes(exact, steps, suppression),
        guaranteed_interview=_guaranteed_interview(funnel, suppression=suppression),
    )


def _guaranteed_interview(funnel: Funnel, *, suppression: bool) -> pd.DataFrame | None:
    """The guaranteed interview scheme table; published: counts labelled as elsewhere
    (reached and not reached as one column, so one hidden part hides the other) and the
    share from the shown counts."""
    table = guaranteed_interview_table(funnel)
    if table is None or not suppression:
        return table
    table = table.astype(object)
    row = table.iloc[0]
    if row["reached"] is None:
        table.loc[0, "applicants"] = sdc.count_label(int(row["applicants"]))
        return table
    reached, not_reached = sdc.suppress_column([int(row["reached"]), int(row["not_reached"])])
    applicants = sdc.count_label(int(row["applicants"]))
    withdrew = (
        sdc.SECONDARY_LABEL
        if sdc.is_hidden(not_reached) and int(row["withdrew_before"])
        else sdc.count_label(int(row["withdrew_before"]))
    )
    share = None if row["share"] is None else sdc.published_rate(reached, applicants)
    for column, value in (
        ("applicants", applicants),
        ("reached", reached),
        ("not_reached", not_reached),
        ("withdrew_before", withdrew),
        ("share", share),
    ):
        table.at[0, column] = value
    return table


# ------------------------------------------------------------ parts that cannot be read

SENTENCE_PART_NOT_COMPUTABLE = "{group} ({from_stage} → {to}): not computable {reason}."
UNREAD_FIELDS = ("rate", "impact_ratio", "one_person_check", *STAT_FIELDS)


def _part_reason(funnel: Funnel, attribute: str, *, suppression: bool) -> str | None:
    """Why an attribute view is not computable (unread rows, nothing stated), or None.

    Counts in the reason are published like every other count (≤7, rounded to 5)."""
    reason = funnel.reason_not_computable(attribute)
    if reason is None:
        return None
    for part, found in funnel.unread.items():
        if funnel.not_computable.get(part) == reason and suppression:
            return found.reason(
                count=sdc.count_label(found.count), total=sdc.count_label(found.total)
            )
    return reason


def _mark_not_computable(frame: pd.DataFrame, funnel: Funnel, *, suppression: bool) -> pd.DataFrame:
    """Blank every statistic of a view whose column (or the outcome) could not be read,
    so no number that looks like a finding is shown; counts stay, the reason says why."""
    if not funnel.not_computable:
        return frame
    frame = frame.copy()
    reasons = {
        a: _part_reason(funnel, a, suppression=suppression) for a in frame["attribute"].unique()
    }
    affected = frame["attribute"].map(reasons).notna().to_numpy()
    if not affected.any():
        return frame
    for column in UNREAD_FIELDS:
        frame[column] = frame[column].astype(object).where(~affected, None)
    frame["outside_band"] = frame["outside_band"] & ~affected
    frame.loc[affected, "not_computable"] = frame.loc[affected, "attribute"].map(reasons)
    frame.loc[affected, "sentence"] = [
        SENTENCE_PART_NOT_COMPUTABLE.format(
            group=r["group"], from_stage=r["from"], to=r["to"], reason=reasons[r["attribute"]]
        )
        for r in frame.loc[affected].to_dict("records")
    ]
    return frame


def _blank_shares(frame: pd.DataFrame, funnel: Funnel) -> pd.DataFrame:
    """Shares reaching each stage are withheld for a view that is not computable (the
    warnings say why); the counts reached stay."""
    if not funnel.not_computable:
        return frame
    affected = frame["attribute"].map(funnel.reason_not_computable).notna()
    frame = frame.copy()
    frame["share"] = frame["share"].astype(object).where(~affected, None)
    return frame


STRATIFIED_STATISTICS = (
    "cmh_statistic",
    "cmh_p",
    "pooled_relative_likelihood",
    "pooled_odds_ratio",
    "breslow_day_statistic",
    "breslow_day_p",
)


def _mark_stratified(frame: pd.DataFrame, funnel: Funnel, *, suppression: bool) -> pd.DataFrame:
    """The stratified tests of a view that is not computable: statistics blanked, the
    reason in ``note``."""
    if not funnel.not_computable or frame.empty:
        return frame
    reasons = frame["attribute"].map(lambda a: _part_reason(funnel, a, suppression=suppression))
    affected = reasons.notna().to_numpy()
    if not affected.any():
        return frame
    frame = frame.copy()
    for column in STRATIFIED_STATISTICS:
        frame[column] = frame[column].astype(object).where(~affected, None)
    frame.loc[affected, "note"] = "not computable " + reasons[affected]
    return frame


def _reference_progressed(exact: pd.DataFrame) -> list[int | None]:
    """Exact progressions of each row's reference group (for the small-number caution)."""
    lookup = {
        (a, st, g): int(k)
        for a, st, g, k in zip(
            exact["attribute"], exact["step"], exact["group"], exact["progressed"], strict=True
        )
    }
    return [
        None if r is None else lookup.get((a, st, r))
        for a, st, r in zip(exact["attribute"], exact["step"], exact["reference"], strict=True)
    ]


def appointment_step(stages: tuple[str, ...]) -> Transition | None:
    """The shortlisted → last-stage transition (WRES indicator 2 / WDES metric 2).

    >>> appointment_step(("applied", "shortlisted", "appointed")).to_stage
    'appointed'
    """
    first = shortlist_index(stages)
    found = [s for s in transitions(stages) if (s.start, s.end) == (first, len(stages) - 1)]
    return found[0] if found else None


def _indicator(
    exact: pd.DataFrame,
    shown: pd.DataFrame,
    attribute: str,
    build: Any,
    stages: tuple[str, ...],
    *,
    suppression: bool,
) -> dict[str, Any]:
    """WRES indicator 2 / WDES metric 2 from exact counts; suppressed: counts as the table
    shows them, the value (and interval, p) rounded, and hidden if any of those counts is
    hidden ("≤7" or "*")."""
    steps = list(transitions(stages))
    step = appointment_step(stages)
    number = None if step is None else steps.index(step)
    chosen = (exact["attribute"] == attribute) & (exact["step"] == number)
    rows = exact[chosen]
    numbers = {
        str(r["group"]): (int(r["entered"]), int(r["progressed"]), int(r["withdrawn"]))
        for r in rows.to_dict("records")
    }
    result = build(numbers)
    if step is None:
        result["reason"] = NO_APPOINTMENT_STEP
    elif rows.empty:
        result["reason"] = NO_ATTRIBUTE_COLUMN.format(label=LABELS[attribute])
    if suppression:
        labels = {
            str(r["group"]): {"shortlisted": r["entered"], "appointed": r["progressed"]}
            for r in shown[chosen].to_dict("records")
        }
        for name in ("not_stated_excluded", "withdrawn_or_declined_excluded"):
            result[name] = sdc.count_label(int(result[name]))
        pair = (result["reference"], result["focal"])
        for group in pair:
            result[group] = labels.get(str(group), {k: 0 for k in result[group]})
        # Hidden exactly when the table's row is: a count of 1–7 ("≤7") or its partner ("*").
        if any(sdc.is_hidden(label) for group in pair for label in result[group].values()):
            for name in ("value", "ci_low", "ci_high", "p_value", "mid_p"):
                result[name] = None
            result["suppressed"] = True
        else:
            for name in ("value", "ci_low", "ci_high"):
                result[name] = sdc.publish_ratio(result[name])
            for name in ("p_value", "mid_p"):
                result[name] = sdc.publish_p(result[name], alpha=text.ALPHA)
    result.setdefault("suppressed", False)
    result["sentence"] = text.indicator_sentence(result)
    return result


def _stage_counts(funnel: Funnel, *, suppression: bool) -> pd.DataFrame:
    """Stage reached per group; suppressed: each attribute's table labelled column by
    column (one column per stage) and shares from the rounded counts."""
    frame = stage_reached(funnel)
    if not suppression:
        frame["suppressed"] = False
        return frame
    labels = _shown_counts(frame, by="stage_index", columns=["reached"])["reached"]
    first = frame["stage_index"] == 0
    groups = zip(frame.loc[first, "attribute"], frame.loc[first, "group"], strict=True)
    applied = dict(zip(groups, labels[first], strict=True))
    base = [applied[(a, g)] for a, g in zip(frame["attribute"], frame["group"], strict=True)]
    frame["reached"] = labels
    frame["share"] = _objects(
        [sdc.published_rate(k, n) for k, n in zip(labels, base, strict=True)], frame.index
    )
    frame["suppressed"] = [
        sdc.is_hidden(k) or sdc.is_hidden(n) for k, n in zip(labels, base, strict=True)
    ]
    return frame


def _ratio(part: int, whole: int, *, rounded: bool) -> float:
    """part ÷ whole, from counts rounded to 5 when publishing (whole is never 0 here)."""
    if not rounded or sdc.round_count(whole) == 0:
        return part / whole
    return sdc.round_count(part) / sdc.round_count(whole)


def _warnings(
    funnel: Funnel, exact: pd.DataFrame, steps: Sequence[Transition], *, suppression: bool
) -> tuple[str, ...]:
    """Data-quality warnings; with suppression on, the counts in them are shown as counts
    are everywhere else (≤7 or rounded to 5)."""
    shown = sdc.count_label if suppression else int
    found = []
    first = exact[exact["step"] == 0]
    for attribute, label in LABELS.items():
        part = first[first["attribute"] == attribute]
        if part.empty:
            continue
        sizes = part["entered"] + part["withdrawn"]
        total = int(sizes.sum())
        missing = int(sizes[part["group"].map(is_not_stated)].sum())
        if missing and total:
            found.append(
                WARN_NOT_STATED.format(
                    n=shown(missing),
                    total=shown(total),
                    label=label,
                    share=1 - _ratio(missing, total, rounded=suppression),
                )
            )
    for attribute, values in funnel.unplaced.items():
        if values:
            listed = ", ".join(f"{v!r} ({shown(n)})" for v, n in sorted(values.items())[:10])
            found.append(
                WARN_UNPLACED.format(n=shown(sum(values.values())), label=attribute, values=listed)
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


WARN_PART_NOT_COMPUTABLE = "{label}: not computable {reason}."


def _not_computable_warnings(funnel: Funnel, *, suppression: bool) -> tuple[str, ...]:
    """One warning per part that is not computable (the outcome, or an attribute)."""
    found = []
    for part in funnel.not_computable:
        views = schema.VIEWS_OF_ROLE.get(part, (schema.ETHNICITY_WRES,))
        reason = _part_reason(funnel, views[0], suppression=suppression)
        label = "Every statistic" if part == "outcome" else f"The {part} breakdown"
        found.append(WARN_PART_NOT_COMPUTABLE.format(label=label, reason=reason))
    return tuple(found)


def _notes(exact: pd.DataFrame, steps: Sequence[Transition], suppression: bool) -> tuple[str, ...]:
    notes = []
    adjacent = [i for i, s in enumerate(steps) if s.adjacent]
    attribute = exact["attribute"].iloc[0]
    left = exact[(exact["attribute"] == attribute) & exact["step"].isin(adjacent)]
    total = int(left["withdrawn"].sum())
    if total:
        notes.append(NOTE_WITHDRAWN.format(n=sdc.count_label(total) if suppression else total))
    if suppression:
        notes.append(sdc.SUPPRESSION_NOTE)
    return tuple(notes)


def audit_file(
    source: str | Path | Any,
    *,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    stages: Sequence[str] | None = None,
    stratify: str | None = None,
    sheet: str | int | None = None,
    rows_are: RowsAre = "applications",
    recode: Mapping[str, Mapping[str, str]] | None = None,
    max_bytes: int | None = None,
    reference: Mapping[str, str] | Sequence[str] | None = None,
    adverse_band: tuple[float, float] = disparity.DEFAULT_ADVERSE_BAND,
    suppression: bool = True,
) -> RecruitmentAudit:
    """Read an extract and audit it: the one call the app and the CLI make.

    Parameters
    ----------
    source
        Path or file-like object (CSV / XLSX), as accepted by ``read_funnel``.
    name
        Display name for a file-like source.
    columns
        Explicit column mapping (role -> column name), e.g. ``{"ethnicity": "Ethnic Origin"}``.
    stages
        Stage names in order, if not the default five.
    stratify
        Column to stratify by (post, staff group, year) for CMH / Breslow–Day.
    sheet
        Worksheet name (or index) for XLSX files.
    rows_are
        ``"applications"`` (default) or ``"shortlisted"``: what each row of the extract is,
        as for :func:`~bias_audit.io.extract.read_funnel`.
    recode
        Values to read as a given category, ``role -> {value: category}``, as for
        :func:`~bias_audit.io.extract.read_funnel`.
    max_bytes
        Size limit for the file (default ``bias_audit.io.files.DEFAULT_MAX_BYTES``).
    reference
        Reference groups, as for :func:`audit_recruitment`.
    adverse_band
        Non-adverse band for relative likelihoods, as for :func:`audit_recruitment`.
    suppression
        Apply disclosure control (default).
    """
    from bias_audit.io.extract import read_funnel
    from bias_audit.io.files import DEFAULT_MAX_BYTES

    funnel = read_funnel(
        source,
        name=name,
        columns=columns,
        stages=stages,
        stratify=stratify,
        sheet=sheet,
        rows_are=rows_are,
        recode=recode,
        max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes,
    )
    return audit_recruitment(
        funnel, reference=reference, adverse_band=adverse_band, suppression=suppression
    )
