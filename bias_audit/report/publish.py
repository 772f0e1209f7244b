"""Disclosure control of a recruitment audit: what is published, and every statistic
worked out again from the published counts.

Every count the audit publishes is protected at once (:mod:`bias_audit.report.publication`
describes them, :func:`bias_audit.report.suppression.protect` labels them); the tables then
show those labels, rates come from the shown counts, and each ratio, interval and p is
worked out from the shown counts or withheld with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from bias_audit.report import publication
from bias_audit.report import suppression as sdc
from bias_audit.report.recruitment_text import SENTENCE_PART_NOT_COMPUTABLE
from bias_audit.stats import schema
from bias_audit.stats.comparisons import Indicator, none_for_nan, objects
from bias_audit.stats.funnel import Funnel
from bias_audit.stats.rates import Transition, stage_reached
from bias_audit.stats.results import STAT_FIELDS
from bias_audit.stats.significance import ALPHA, allowing_for_rounding

REASON_OWN_HIDDEN = "hidden by disclosure control: {why}"
UNREAD_FIELDS = ("rate", "impact_ratio", "one_person_check", *STAT_FIELDS)
# How a hidden count is named in the reason given for its partner (other views: their name).
VIEW_NAMES = {
    schema.ETHNICITY_WRES: "White / BME",
    schema.ETHNICITY_GROUP: "five ethnic groups",
    schema.ETHNICITY_DETAILED: "detailed ethnicity",
    schema.GENDER: "gender",
    schema.DISABILITY: "disability",
    schema.ETHNICITY_X_GENDER: "ethnicity × gender",
}
# Statistics rounded for print, per table.
TRANSITION_RATIOS = ("relative_likelihood", "impact_ratio", "ci_low", "ci_high", "z")
TRANSITION_P_VALUES = ("p_value", "mid_p")
STRATIFIED_RATIOS = (
    "cmh_statistic",
    "pooled_relative_likelihood",
    "pooled_odds_ratio",
    "breslow_day_statistic",
)
STRATIFIED_P_VALUES = ("cmh_p", "breslow_day_p")


def protect(
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
        funnel,
        references=refs,
        hidden=_hidden_keys(pub, protection, steps),
        disclosure=sdc,
        used=used,
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


def published_counts(
    table: pd.DataFrame, pub: publication.Publication, protection: sdc.Protection
) -> pd.DataFrame:
    """The transition table as published: counts replaced by their labels, withdrawals per
    group withheld (published as one total), rates from the shown counts, and each hidden
    row's true reason (``hidden``, ``hidden_reason``)."""
    frame = table.copy()
    hidden, reasons = [], []
    for column in ("entered", "progressed"):
        keys = [
            pub.transition_keys[(a, int(st), g, column)]
            for a, st, g in zip(frame["attribute"], frame["step"], frame["group"], strict=True)
        ]
        frame[column] = objects([protection.labels[k] for k in keys], frame.index)
        frame[f"{column}_key"] = keys
    for entered, progressed in zip(frame["entered_key"], frame["progressed_key"], strict=True):
        why = [protection.reasons[k] for k in (entered, progressed) if k in protection.reasons]
        why.sort(key=lambda reason: reason != sdc.REASON_SMALL)  # a primary reason first
        hidden.append(bool(why))
        reasons.append(REASON_OWN_HIDDEN.format(why=why[0]) if why else "")
    frame["withdrawn"] = objects([None] * len(frame), frame.index)
    frame["hidden"] = hidden
    frame["hidden_reason"] = reasons
    frame["rate"] = [
        None if h else sdc.published_rate(k, n)
        for h, n, k in zip(hidden, frame["entered"], frame["progressed"], strict=True)
    ]
    return frame.drop(columns=["entered_key", "progressed_key"])


def publish_statistics(
    frame: pd.DataFrame, *, ratios: Sequence[str], p_values: Sequence[str]
) -> pd.DataFrame:
    """Round statistics for display (ratios 2 dp, p 2 s.f.). In published mode they are
    already computed from the published counts; rounding only keeps the figures tidy.

    >>> publish_statistics(pd.DataFrame({"r": [1.23456], "p": [0.0123]}),
    ...                    ratios=["r"], p_values=["p"]).iloc[0].tolist()
    [1.23, 0.012]
    """
    frame = frame.copy()
    for column in ratios:
        frame[column] = none_for_nan(frame[column].map(sdc.publish_ratio, na_action="ignore"))
    for column in p_values:
        frame[column] = none_for_nan(
            frame[column].map(lambda p: sdc.publish_p(p, alpha=ALPHA), na_action="ignore")
        )
    return frame


def publish_indicator(
    result: dict[str, Any],
    build: Indicator,
    attribute: str,
    stages: tuple[str, ...],
    start: int | None,
    pub: publication.Publication,
    protection: sdc.Protection,
) -> dict[str, Any]:
    """WRES indicator 2 / WDES metric 2 as published: the counts are cells of the one
    protected publication (the shortlisted count by the national definition is a cell of
    its own), the value, interval and p are worked out from their labels, and all are
    withheld when a count of either group is hidden; no sensitivity figure (a second ratio
    from nearly the same counts would narrow the withdrawals down)."""
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
    result: dict[str, Any], labels: Mapping[str, Mapping[str, Any]], build: Indicator
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
            result[name] = sdc.publish_p(published[name], alpha=ALPHA)
        result["p_allows_for_rounding"] = result["p_value"] is not None
        if published["value"] is None:
            result["reason"] = published["reason"]
    else:
        for name in ("value", "ci_low", "ci_high", "p_value", "mid_p"):
            result[name] = None
        result["suppressed"] = hidden
    result.update({g: dict(c) for g, c in labels.items()})
    return result


def stage_counts(
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
    frame["reached"] = objects(labels, frame.index)
    frame["share"] = objects(
        [sdc.published_rate(k, n) for k, n in zip(labels, base, strict=True)], frame.index
    )
    frame["suppressed"] = [
        sdc.is_hidden(k) or sdc.is_hidden(n) for k, n in zip(labels, base, strict=True)
    ]
    return frame


def guaranteed_interview(table: pd.DataFrame | None) -> pd.DataFrame | None:
    """The guaranteed interview scheme table as published: counts labelled as elsewhere
    (reached and not reached as one column, so one hidden part hides the other) and the
    share from the shown counts."""
    if table is None:
        return None
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


def part_reason(funnel: Funnel, attribute: str, *, suppression: bool) -> str | None:
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


def parts_not_computable(funnel: Funnel, *, suppression: bool) -> dict[str, str | None]:
    """Each part of the extract that is not computable (``outcome`` or a role) -> why."""
    return {
        part: part_reason(
            funnel,
            schema.VIEWS_OF_ROLE.get(part, (schema.ETHNICITY_WRES,))[0],
            suppression=suppression,
        )
        for part in funnel.not_computable
    }


def mark_not_computable(frame: pd.DataFrame, funnel: Funnel, *, suppression: bool) -> pd.DataFrame:
    """Blank every statistic of a view whose column (or the outcome) could not be read,
    so no number that looks like a finding is shown; counts stay, the reason says why."""
    if not funnel.not_computable:
        return frame
    frame = frame.copy()
    reasons = {
        a: part_reason(funnel, a, suppression=suppression) for a in frame["attribute"].unique()
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


def blank_shares(frame: pd.DataFrame, funnel: Funnel) -> pd.DataFrame:
    """Shares reaching each stage are withheld for a view that is not computable (the
    warnings say why); the counts reached stay."""
    if not funnel.not_computable:
        return frame
    affected = frame["attribute"].map(funnel.reason_not_computable).notna()
    frame = frame.copy()
    frame["share"] = frame["share"].astype(object).where(~affected, None)
    return frame


def mark_stratified(frame: pd.DataFrame, funnel: Funnel, *, suppression: bool) -> pd.DataFrame:
    """The stratified tests of a view that is not computable: statistics blanked, the
    reason in ``note``."""
    if not funnel.not_computable or frame.empty:
        return frame
    reasons = frame["attribute"].map(lambda a: part_reason(funnel, a, suppression=suppression))
    affected = reasons.notna().to_numpy()
    if not affected.any():
        return frame
    frame = frame.copy()
    from bias_audit.stats.stratified import RESULT_FIELDS  # statsmodels: loaded when used

    for column in RESULT_FIELDS:
        frame[column] = frame[column].astype(object).where(~affected, None)
    frame.loc[affected, "note"] = "not computable " + reasons[affected]
    return frame


def hidden_rows(frame: pd.DataFrame) -> set[tuple[str, str, str, str]]:
    """(attribute, from, to, group) of every row the published table hides."""
    rows = frame[frame["suppressed"].astype(bool)]
    return set(zip(rows["attribute"], rows["from"], rows["to"], rows["group"], strict=True))
