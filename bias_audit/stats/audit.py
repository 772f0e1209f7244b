"""The recruitment audit: one call from a funnel (or a file) to every table the reports show.

:func:`audit_recruitment` computes, for every transition (each adjacent pair of stages plus
shortlisted → appointed) and every attribute view (WRES ethnicity, five ethnic groups,
detailed ethnicity, gender, disability and WRES ethnicity × gender): entered, progressed,
rate, both ratios with their directions, Fisher p and mid-P, z, the Katz interval, the
one-person check and the shortfall; WRES indicator 2 and WDES metric 2; CMH / Breslow–Day
when the funnel is stratified; and applies disclosure control (on by default) before
anything leaves this module: every count published anywhere is protected at once
(:mod:`bias_audit.stats.publication`, :func:`bias_audit.report.suppression.protect`), and in
published mode every statistic is worked out from the published counts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.report import recruitment_text as text
from bias_audit.report import suppression as sdc
from bias_audit.stats import disparity, indicators, publication, schema
from bias_audit.stats.funnel import Funnel, RowsAre
from bias_audit.stats.rates import (
    Transition,
    guaranteed_interview_table,
    is_not_stated,
    metricframe_rates,
    report_attributes,
    stage_reached,
    transition_counts,
    transitions,
)
from bias_audit.stats.significance import (
    allowing_for_rounding,
    compare,
    one_person_check,
    shortfall,
    significance_verdict,
)

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
REASON_HIDDEN = "numbers hidden by disclosure control"
REASON_REFERENCE_HIDDEN = (
    "the comparison group's numbers ({reference}) are hidden by disclosure control, so no "
    "ratio is given"
)
REASON_OWN_HIDDEN = "hidden by disclosure control: {why}"
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
    "significance",
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
            & (frame["significance"] == "significant")
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
                "notes": [
                    publish_reading_warning(n) if self.suppression else n for n in self.funnel.notes
                ],
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

# How a hidden count is named in the reason given for its partner (other views: their name).
VIEW_NAMES = {
    schema.ETHNICITY_WRES: "White / BME",
    schema.ETHNICITY_GROUP: "five ethnic groups",
    schema.ETHNICITY_DETAILED: "detailed ethnicity",
    schema.GENDER: "gender",
    schema.DISABILITY: "disability",
    schema.ETHNICITY_X_GENDER: "ethnicity × gender",
}


def _protect(
    funnel: Funnel, steps: Sequence[Transition], refs: Mapping[str, str | None]
) -> tuple[publication.Publication, sdc.Protection]:
    """Labels for every count the audit publishes, protected all together.

    With strata, the pooled tests are worked out from per-stratum counts rounded to 5; a
    reader who solves them back learns each pooled count to within the sum of the strata's
    ±2. Those bounds go into a second check, so they cannot narrow a hidden count either
    (and a test touching any count hidden by that check is withheld).
    """
    pub = publication.build(funnel, steps, refs, VIEW_NAMES)
    protection = sdc.protect(pub.cells, pub.n_atoms, pub.equalities)
    if funnel.stratified_by is None or schema.STRATUM not in funnel.counts:
        return pub, protection
    from bias_audit.stats.stratified import stratified_tests

    used: dict[tuple[str, str, str, str], list[tuple[int, int]]] = {}
    stratified_tests(
        funnel, references=refs, hidden=_hidden_keys(pub, protection, steps), used=used
    )
    number = {(s.from_stage, s.to_stage): i for i, s in enumerate(steps)}
    bounds: dict[Any, tuple[float, float]] = {}
    for (attribute, from_stage, to_stage, group), per_stratum in used.items():
        step = number[(from_stage, to_stage)]
        for column, values in zip(
            ("progressed", "entered"), zip(*per_stratum, strict=True), strict=True
        ):
            key = pub.transition_keys[(attribute, step, group, column)]
            ranges = [sdc.label_bounds(sdc.count_label(v)) for v in values]
            bounds[key] = (sum(lo for lo, _ in ranges), sum(hi for _, hi in ranges))
    if bounds:
        protection = sdc.protect(pub.cells, pub.n_atoms, pub.equalities, bounds=bounds)
    return pub, protection


def _hidden_keys(
    pub: publication.Publication, protection: sdc.Protection, steps: Sequence[Transition]
) -> set[tuple[str, str, str, str]]:
    """(attribute, from, to, group) of every transition row with a hidden count."""
    hidden = set()
    for (attribute, step, group, _), key in pub.transition_keys.items():
        if sdc.is_hidden(protection.labels[key]):
            hidden.add((attribute, steps[step].from_stage, steps[step].to_stage, group))
    return hidden


def _published_counts(
    table: pd.DataFrame, pub: publication.Publication, protection: sdc.Protection
) -> pd.DataFrame:
    """The transition table as published: counts replaced by their labels, withdrawals per
    group withheld (published as one total), rates from the shown counts, and each hidden
    row's true reason."""
    frame = table.copy()
    hidden, reasons = [], []
    for column in ("entered", "progressed"):
        keys = [
            pub.transition_keys[(a, int(st), g, column)]
            for a, st, g in zip(frame["attribute"], frame["step"], frame["group"], strict=True)
        ]
        frame[column] = _objects([protection.labels[k] for k in keys], frame.index)
        frame[f"{column}_key"] = keys
    for entered, progressed in zip(frame["entered_key"], frame["progressed_key"], strict=True):
        why = [protection.reasons[k] for k in (entered, progressed) if k in protection.reasons]
        why.sort(key=lambda reason: reason != sdc.REASON_SMALL)  # a primary reason first
        hidden.append(bool(why))
        reasons.append(REASON_OWN_HIDDEN.format(why=why[0]) if why else "")
    frame["withdrawn"] = _objects([None] * len(frame), frame.index)
    frame["hidden"] = hidden
    frame["hidden_reason"] = reasons
    frame["rate"] = [
        None if h else sdc.published_rate(k, n)
        for h, n, k in zip(hidden, frame["entered"], frame["progressed"], strict=True)
    ]
    return frame.drop(columns=["entered_key", "progressed_key"])


def _publish_statistics(
    frame: pd.DataFrame, *, ratios: Sequence[str], p_values: Sequence[str]
) -> pd.DataFrame:
    """Round statistics for display (ratios 2 dp, p 2 s.f.). In published mode they are
    already computed from the published counts; rounding only keeps the figures tidy."""
    frame = frame.copy()
    for column in ratios:
        frame[column] = _none_for_nan(frame[column].map(sdc.publish_ratio, na_action="ignore"))
    for column in p_values:
        frame[column] = _none_for_nan(
            frame[column].map(lambda p: sdc.publish_p(p, alpha=text.ALPHA), na_action="ignore")
        )
    return frame


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
    block: pd.DataFrame,
    reference: str | None,
    band: tuple[float, float],
    *,
    published: bool = False,
) -> list[dict[str, Any]]:
    """Statistics for every group of one attribute × transition block, from the counts the
    block holds (exact for the analyst; the published labels in published mode, where a row
    marked ``hidden`` gets none and nothing is compared with a hidden reference)."""
    records = block.to_dict("records")
    by_group = {r["group"]: r for r in records}
    ref = by_group.get(reference) if reference is not None else None
    ref_hidden = ref is not None and bool(ref.get("hidden"))
    stated = [
        r
        for r in records
        if not is_not_stated(r["group"]) and not r.get("hidden") and int(r["entered"]) > 0
    ]
    top = max(
        stated,
        key=lambda r: (int(r["progressed"]) / int(r["entered"]), int(r["entered"])),
        default=None,
    )
    out = []
    for row in records:
        hidden = bool(row.get("hidden"))
        rate = None if hidden or row["rate"] is None else float(row["rate"])
        result: dict[str, Any] = {
            "rate": rate,
            "impact_ratio": None,
            "one_person_check": None,
            "outside_band": False,
            "significance": None,
            "not_computable": "",
            "top_group": None if top is None else top["group"],
            **dict.fromkeys(STAT_FIELDS),
        }
        if hidden:
            result["not_computable"] = row.get("hidden_reason") or REASON_HIDDEN
            out.append(result)
            continue
        if is_not_stated(row["group"]):
            out.append(result)
            continue
        entered, progressed = int(row["entered"]), int(row["progressed"])
        if top is not None and rate is not None:
            result["impact_ratio"] = disparity.impact_ratio(
                rate, int(top["progressed"]) / int(top["entered"])
            )
            result["one_person_check"] = one_person_check(
                progressed,
                entered,
                int(top["progressed"]),
                int(top["entered"]),
                threshold=band[0],
            )
        if ref is None:
            result["not_computable"] = REASON_NO_REFERENCE
        elif ref_hidden:
            if row["group"] != reference:
                result["not_computable"] = REASON_REFERENCE_HIDDEN.format(reference=reference)
        elif row["group"] == reference:
            result["relative_likelihood"] = 1.0 if rate else None
            if not rate:
                result["not_computable"] = "nobody in the reference group progressed"
        else:
            numbers = (progressed, entered, int(ref["progressed"]), int(ref["entered"]))
            stats = compare(*numbers, who=str(row["group"]))
            result.update(stats.fields(), shortfall=shortfall(*numbers))
            if published and stats.p_value is not None:
                # Shown counts are ±2: p and the interval allow for that (see
                # significance.allowing_for_rounding), so rounding never makes a finding.
                result.update(allowing_for_rounding(*numbers))
                if stats.ci_low is None:
                    result["ci_low"] = result["ci_high"] = None
            # Judged on the interval as shown (2 dp), so "significant" never sits beside an
            # interval that reads "1.00 to …".
            result["significance"] = significance_verdict(
                result["p_value"],
                sdc.publish_ratio(result["ci_low"]),
                sdc.publish_ratio(result["ci_high"]),
            )
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
    table["rate"] = _none_for_nan(table["rate"])
    pub = protection = None
    if suppression:
        pub, protection = _protect(funnel, steps, refs)
        counted = _published_counts(table, pub, protection)
    else:
        counted = table.assign(hidden=False, hidden_reason="")
    blocks = []
    for _, block in counted.groupby(["attribute", "step"], sort=False):
        stats = pd.DataFrame(
            _row_statistics(block, refs[block["attribute"].iloc[0]], band, published=suppression),
            index=block.index,
        )
        blocks.append(pd.concat([block.drop(columns=["rate"]), stats], axis=1))
    shown = pd.concat(blocks).reset_index(drop=True)
    for column in ("rate", "impact_ratio", "one_person_check", *STAT_FIELDS):
        shown[column] = _none_for_nan(shown[column])
    shown["suppressed"] = shown["hidden"].astype(bool)
    if suppression:
        shown = _publish_statistics(
            shown,
            ratios=("relative_likelihood", "impact_ratio", "ci_low", "ci_high", "z"),
            p_values=("p_value", "mid_p"),
        )
    shown["reference_progressed"] = _reference_progressed(shown)
    shown["four_fifths"] = band[0]
    shown["sentence"] = [
        text.row_sentence(row, stage_index=steps[int(row["step"])].start)
        for row in shown.to_dict("records")
    ]
    shown = _mark_not_computable(shown, funnel, suppression=suppression)
    frame = shown[list(TRANSITION_COLUMNS)].reset_index(drop=True)
    exact = table.reset_index(drop=True)

    wres = _indicator(
        funnel,
        shown,
        schema.ETHNICITY_WRES,
        indicators.wres_indicator_2,
        suppression=suppression,
        pub=pub,
        protection=protection,
    )
    wdes = _indicator(
        funnel,
        shown,
        schema.DISABILITY,
        indicators.wdes_metric_2,
        suppression=suppression,
        pub=pub,
        protection=protection,
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

        stratified = stratified_tests(
            funnel,
            references=refs,
            hidden=_hidden_rows(frame) if suppression else None,
        )
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
    stage_counts = _blank_shares(
        _stage_counts(funnel, suppression=suppression, pub=pub, protection=protection), funnel
    )
    total = withdrawn = None
    if pub is not None and protection is not None:
        total = protection.labels[pub.total_key]
        withdrawn = protection.labels.get(pub.withdrawn_key)
    reading = tuple(funnel.warnings)
    if suppression:
        reading = tuple(publish_reading_warning(w) for w in reading)
    return RecruitmentAudit(
        stages=tuple(funnel.stages),
        transitions=frame,
        stage_counts=stage_counts,
        wres_indicator_2=wres,
        wdes_metric_2=wdes,
        stratified=stratified,
        warnings=reading
        + _warnings(
            funnel,
            exact,
            steps,
            suppression=suppression,
            stage_counts=stage_counts,
            total=total,
        )
        + _not_computable_warnings(funnel, suppression=suppression),
        funnel=funnel,
        suppression=suppression,
        references=refs,
        adverse_band=band,
        notes=_notes(
            exact,
            steps,
            suppression,
            withdrawn,
            unprotected=protection is not None and bool(protection.unprotected),
        ),
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
    # Applicants = reached + not reached: protected together, so no part follows from the
    # other two (the flagged applicants are not an exact sum of any other published count).
    protection = sdc.protect(
        [
            sdc.Cell("reached", (0,), int(row["reached"]), 1, "interviewed under the scheme"),
            sdc.Cell("not_reached", (1,), int(row["not_reached"]), 1, "not interviewed"),
            sdc.Cell("applicants", (0, 1), int(row["applicants"]), 2, "scheme applicants"),
        ],
        2,
    )
    reached = protection.labels["reached"]
    not_reached = protection.labels["not_reached"]
    applicants = protection.labels["applicants"]
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
    from bias_audit.stats.stratified import RESULT_FIELDS  # statsmodels: loaded when used

    for column in RESULT_FIELDS:
        frame[column] = frame[column].astype(object).where(~affected, None)
    frame.loc[affected, "note"] = "not computable " + reasons[affected]
    return frame


def _hidden_rows(frame: pd.DataFrame) -> set[tuple[str, str, str, str]]:
    """(attribute, from, to, group) of every row the published table hides."""
    rows = frame[frame["suppressed"].astype(bool)]
    return set(zip(rows["attribute"], rows["from"], rows["to"], rows["group"], strict=True))


def _reference_progressed(shown: pd.DataFrame) -> list[Any]:
    """Progressions of each row's reference group as the row shows them (for the
    small-number caution; a label in published mode)."""
    lookup = {
        (a, st, g): k
        for a, st, g, k in zip(
            shown["attribute"], shown["step"], shown["group"], shown["progressed"], strict=True
        )
    }
    return [
        None if r is None else lookup.get((a, st, r))
        for a, st, r in zip(shown["attribute"], shown["step"], shown["reference"], strict=True)
    ]


def _indicator(
    funnel: Funnel,
    shown: pd.DataFrame,
    attribute: str,
    build: Any,
    *,
    suppression: bool,
    pub: publication.Publication | None = None,
    protection: sdc.Protection | None = None,
) -> dict[str, Any]:
    """WRES indicator 2 / WDES metric 2 by NHS England's definition (see
    :mod:`bias_audit.stats.indicators`).

    Analyst mode: exact, plus a ``sensitivity`` entry (withdrawals also removed) when that
    changes the shown value. Published mode: the counts are cells of the one protected
    publication (the shortlisted count by the national definition is a cell of its own),
    the value, interval and p are worked out from their labels, and all are withheld when
    a count of either group is hidden; no sensitivity figure (a second ratio from nearly
    the same counts would narrow the withdrawals down).
    """
    stages = tuple(funnel.stages)
    rows_are = funnel.rows_are
    start = indicators.shortlisting_stage(stages, rows_are=rows_are)
    present = attribute in funnel.attributes
    by_group = (
        {}
        if start is None or not present
        else indicators.national_numbers(funnel.counts, stages, attribute, start)
    )
    result = build(indicators.as_numbers(by_group))
    # One step (appointed / not appointed): the reader says so; a two-stage ladder is one.
    one_step = funnel.one_step or len(stages) == 2
    if start is None:
        hint = indicators.HINT_ROWS_ARE if one_step else ""
        result["reason"] = indicators.NOT_COMPUTABLE_NO_SHORTLISTING + hint
    elif not present:
        result["reason"] = NO_ATTRIBUTE_COLUMN.format(label=LABELS[attribute])
    counts = funnel.counts
    declined = int(
        counts.loc[counts[schema.LEFT_BY] == schema.LEFT_BY_DECLINED, schema.COUNT].sum()
    )
    if rows_are == indicators.ROWS_SHORTLISTED and one_step and declined == 0:
        result["caveat"] = indicators.CAVEAT_DECLINES_UNKNOWN
    pair = (str(result["reference"]), str(result["focal"]))
    if suppression and pub is not None and protection is not None:
        result = _published_indicator(result, build, attribute, stages, start, pub, protection)
    elif funnel.reason_not_computable(attribute) is None:
        sensitivity = _sensitivity(result, by_group, build, pair)
        if sensitivity is not None:
            result["sensitivity"] = sensitivity
    result.setdefault("suppressed", False)
    result["sentence"] = text.indicator_sentence(result)
    return result


def _sensitivity(
    result: Mapping[str, Any],
    by_group: Mapping[str, Mapping[str, int]],
    build: Any,
    pair: tuple[str, str],
) -> dict[str, Any] | None:
    """The indicator with withdrawals also removed, when that changes the shown value."""
    withdrew = sum(by_group.get(g, {}).get("withdrew", 0) for g in pair)
    if result["value"] is None or withdrew == 0:
        return None
    other = build(indicators.withdrawals_removed(by_group))
    if other["value"] is None or text.format_ratio(other["value"]) == text.format_ratio(
        result["value"]
    ):
        return None
    return {
        "value": other["value"],
        "ci_low": other["ci_low"],
        "ci_high": other["ci_high"],
        "p_value": other["p_value"],
        "withdrawals_removed": withdrew,
    }


def _published_indicator(
    result: dict[str, Any],
    build: Any,
    attribute: str,
    stages: tuple[str, ...],
    start: int | None,
    pub: publication.Publication,
    protection: sdc.Protection,
) -> dict[str, Any]:
    """The indicator as published: see :func:`_indicator`."""
    if start is None:
        return result  # not computable: nothing counted, nothing to publish
    not_stated = pub.stage_keys.get((attribute, start, schema.NOT_STATED))
    result["not_stated_excluded"] = 0 if not_stated is None else protection.labels[not_stated]
    if pub.declined_key is not None:
        result["declined_offers_excluded"] = protection.labels[pub.declined_key]
    elif result["declined_offers_excluded"]:
        result["declined_offers_excluded"] = None  # a total under 8 is not published
    last = len(stages) - 1
    labels: dict[str, dict[str, Any]] = {}
    reasons = []
    for group in (str(result["reference"]), str(result["focal"])):
        keys = (
            ("shortlisted", pub.indicator_keys.get((attribute, group))),
            ("appointed", pub.stage_keys.get((attribute, last, group))),
        )
        labels[group] = {}
        for name, key in keys:
            labels[group][name] = 0 if key is None else protection.labels[key]
            if key is not None and key in protection.reasons:
                reasons.append(protection.reasons[key])
    result = _publish_from_labels(result, labels, build)
    if result.get("suppressed") and reasons:
        result["reason"] = reasons[0]
    return result


def _publish_from_labels(
    result: dict[str, Any], labels: Mapping[str, Mapping[str, Any]], build: Any
) -> dict[str, Any]:
    """Value, interval and p worked out again from the shown counts (never the exact ones),
    rounded for print; all withheld when a shown count is hidden."""
    hidden = any(sdc.is_hidden(v) for counts in labels.values() for v in counts.values())
    if result["value"] is not None and not hidden:
        published = build(
            {g: (int(c["shortlisted"]), int(c["appointed"]), 0) for g, c in labels.items()}
        )
        focal, reference = labels.get(str(result["focal"])), labels.get(str(result["reference"]))
        if published["value"] is not None and focal is not None and reference is not None:
            # Shown counts are ±2: p and the interval allow for that, as in the tables.
            published.update(
                allowing_for_rounding(
                    int(focal["appointed"]),
                    int(focal["shortlisted"]),
                    int(reference["appointed"]),
                    int(reference["shortlisted"]),
                )
            )
        for name in ("value", "ci_low", "ci_high"):
            result[name] = sdc.publish_ratio(published[name])
        for name in ("p_value", "mid_p"):
            result[name] = sdc.publish_p(published[name], alpha=text.ALPHA)
        if published["value"] is None:
            result["reason"] = published["reason"]
    else:
        for name in ("value", "ci_low", "ci_high", "p_value", "mid_p"):
            result[name] = None
        result["suppressed"] = hidden
    result.update({g: dict(c) for g, c in labels.items()})
    return result


def _stage_counts(
    funnel: Funnel,
    *,
    suppression: bool,
    pub: publication.Publication | None = None,
    protection: sdc.Protection | None = None,
) -> pd.DataFrame:
    """Stage reached per group; published: the labels of the one protected publication and
    shares from the shown counts."""
    frame = stage_reached(funnel)
    if not suppression or pub is None or protection is None:
        frame["suppressed"] = False
        return frame
    labels = [
        protection.labels[pub.stage_keys[(a, int(i), str(g))]]
        for a, i, g in zip(frame["attribute"], frame["stage_index"], frame["group"], strict=True)
    ]
    first = dict(
        ((a, g), label)
        for a, i, g, label in zip(
            frame["attribute"], frame["stage_index"], frame["group"], labels, strict=True
        )
        if int(i) == 0
    )
    base = [first[(a, g)] for a, g in zip(frame["attribute"], frame["group"], strict=True)]
    frame["reached"] = _objects(labels, frame.index)
    frame["share"] = _objects(
        [sdc.published_rate(k, n) for k, n in zip(labels, base, strict=True)], frame.index
    )
    frame["suppressed"] = [
        sdc.is_hidden(k) or sdc.is_hidden(n) for k, n in zip(labels, base, strict=True)
    ]
    return frame


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


def _warnings(
    funnel: Funnel,
    exact: pd.DataFrame,
    steps: Sequence[Transition],
    *,
    suppression: bool,
    stage_counts: pd.DataFrame | None = None,
    total: Any = None,
) -> tuple[str, ...]:
    """Data-quality warnings. Published: each count is the label the tables show (≤7 or
    rounded to 5), and a declaration rate is given to the nearest 5% or not at all."""
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


def _notes(
    exact: pd.DataFrame,
    steps: Sequence[Transition],
    suppression: bool,
    withdrawn: Any = None,
    *,
    unprotected: bool = False,
) -> tuple[str, ...]:
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
