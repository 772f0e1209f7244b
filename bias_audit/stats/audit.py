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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.report import recruitment_text as text
from bias_audit.report import suppression as sdc
from bias_audit.stats import disparity, indicators, schema
from bias_audit.stats.funnel import Funnel
from bias_audit.stats.rates import (
    Transition,
    is_not_stated,
    metricframe_rates,
    report_attributes,
    shortlist_index,
    stage_reached,
    stage_slots,
    transition_counts,
    transitions,
    with_intersection,
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
        With suppression on, counts are ints rounded to 5, "≤7" or "*", and statistics
        whose counts are hidden are ``None``.
    stage_counts
        Attribute × group × stage reached (``reached``, ``share``) for the funnel chart.
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
        }


def _none_for_nan(column: pd.Series) -> pd.Series:
    """An object column with None where a value is missing (never NaN in reports)."""
    values = column.astype(object)
    return values.where(column.notna(), None)


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


def _cells(start: int, end: int, early: int) -> frozenset[tuple[int, int]]:
    return frozenset((j, early) for j in range(start, end))


def _reached(stage: int, n_stages: int) -> frozenset[tuple[int, int]]:
    return _cells(stage, n_stages, 0) | _cells(stage, n_stages - 1, 1)


def _quantities(step: Transition, n_stages: int) -> dict[str, frozenset[tuple[int, int]]]:
    """The cells summed by each count shown for one transition."""
    withdrawn = _cells(step.start, step.end, 1)
    return {
        "entered": _reached(step.start, n_stages) - withdrawn,
        "progressed": _reached(step.end, n_stages),
        "withdrawn": withdrawn,
        "not_progressed": _cells(step.start, step.end, 0),
    }


TOTAL_COLUMN = "_all_applications"


def _plan(funnel: Funnel, attributes: Sequence[str]) -> sdc.SuppressionPlan:
    """Disclosure control view by view, each with its published total, kept consistent.

    Each attribute view is checked with its grand total (derivable from any other view);
    a count hidden in one view is hidden wherever the same people are counted in another
    (e.g. "White" in the WRES and five-group views), and that view is checked again.
    """
    n = len(funnel.stages)
    counts = stage_slots(with_intersection(funnel.counts), funnel.stages)
    fine = (
        counts.groupby([*attributes, "stage_index", "early"], observed=True)[schema.COUNT]
        .sum()
        .reset_index()
        .rename(columns={schema.COUNT: "count"})
    )
    fine = fine[fine["count"] > 0].assign(**{TOTAL_COLUMN: "All"})
    published = [_reached(s, n) for s in range(n)]
    complements = []
    for step in transitions(funnel.stages):
        q = _quantities(step, n)
        published.extend([q["entered"], q["progressed"], q["withdrawn"]])
        complements.append(((q["progressed"], q["entered"]), q["not_progressed"]))
    # The same people under another name: a count's signature is the set of applicant
    # combinations it covers and the stage cells it adds up; equal signatures in two views
    # must be shown or hidden alike.
    combos = fine[list(attributes)].astype(str).apply(tuple, axis=1)
    signature: dict[sdc.QuantityKey, tuple[frozenset, frozenset]] = {}
    for attribute in attributes:
        labels = fine[attribute].astype(str)
        for group in labels.unique():
            members = frozenset(combos[labels == group])
            for q in dict.fromkeys(published):
                signature[(attribute, group, q)] = (members, q)
    by_signature: dict[tuple[frozenset, frozenset], list[sdc.QuantityKey]] = {}
    for key, sig in signature.items():
        by_signature.setdefault(sig, []).append(key)
    forced: dict[str, set[sdc.QuantityKey]] = {a: set() for a in attributes}
    plans: dict[str, sdc.SuppressionPlan] = {}
    pending = list(attributes)
    tables: dict[str, sdc.Equations] = {}
    costs = _hiding_costs(transitions(funnel.stages), n)
    while pending:
        attribute = pending.pop(0)
        if attribute not in tables:
            tables[attribute] = sdc.prepare(
                fine,
                attributes=[attribute, TOTAL_COLUMN],
                n_stages=n,
                published=published,
                complements=complements,
            )
        plans[attribute] = sdc.solve(tables[attribute], cost=costs, forced=forced[attribute])
        for key in plans[attribute].primary | plans[attribute].secondary:
            if key not in signature:
                continue
            for twin in by_signature[signature[key]]:
                if twin[0] != attribute and twin not in forced[twin[0]]:
                    forced[twin[0]].add(twin)
                    if twin[0] in plans and not plans[twin[0]].hidden(twin):
                        pending.append(twin[0])
    primary = frozenset().union(*(p.primary for p in plans.values()))
    secondary = frozenset().union(*(p.secondary for p in plans.values())) - primary
    return sdc.SuppressionPlan(primary=primary, secondary=secondary)


def _hiding_costs(steps: Sequence[Transition], n_stages: int) -> Callable[[sdc.QuantityKey], float]:
    """Which counts to give up first when a further count must be hidden.

    Within one view: the applications total (only in the funnel chart), then not-stated
    groups, then withdrawal counts, then other counts; the WRES / WDES counts (shortlisted
    and appointed) last. Totals over everyone cannot be hidden (any other view gives them).
    """
    withdrawn = {_quantities(step, n_stages)["withdrawn"] for step in steps}
    applications = _reached(0, n_stages)
    national = {_reached(n_stages - 1, n_stages)}
    last = [s for s in steps if not s.adjacent]
    if last:
        national.add(_quantities(last[0], n_stages)["entered"])

    def cost(key: sdc.QuantityKey) -> float:
        attribute, group, cells = key
        if attribute == TOTAL_COLUMN:
            return math.inf
        if cells == applications:
            return -1.0
        if is_not_stated(group):
            return 0.0
        if cells in withdrawn:
            return 0.5
        return 3.0 if cells in national else 1.0

    return cost


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


def _apply_plan(
    frame: pd.DataFrame, plan: sdc.SuppressionPlan | None, steps: Sequence[Transition]
) -> pd.DataFrame:
    """Replace counts by their shown labels and blank statistics that rest on hidden counts."""
    frame = frame.copy()
    frame["progressed_exact"] = frame["progressed"]
    frame["reference_progressed"] = None
    if plan is None:
        frame["suppressed"] = False
        return frame
    n_stages = _n_stages(steps)
    cells = [_quantities(step, n_stages) for step in steps]
    hidden_pair: dict[tuple[str, int, str], bool] = {}
    shown: dict[str, list[Any]] = {"entered": [], "progressed": [], "withdrawn": []}
    for row in frame.to_dict("records"):
        step = cells[int(row["step"])]
        hide = False
        for name in shown:
            key = (row["attribute"], row["group"], step[name])
            shown[name].append(plan.label(key, int(row[name])))
            hide |= plan.hidden(key) and name != "withdrawn"
        hidden_pair[(row["attribute"], row["step"], row["group"])] = hide
    for name, values in shown.items():
        frame[name] = pd.Series(values, index=frame.index, dtype=object)
    own = [
        hidden_pair[(a, s, g)]
        for a, s, g in zip(frame["attribute"], frame["step"], frame["group"], strict=True)
    ]
    ref = [
        r is not None and hidden_pair.get((a, s, r), False)
        for a, s, r in zip(frame["attribute"], frame["step"], frame["reference"], strict=True)
    ]
    top = [
        t is not None and hidden_pair.get((a, s, t), False)
        for a, s, t in zip(frame["attribute"], frame["step"], frame["top_group"], strict=True)
    ]
    own, ref, top = np.array(own), np.array(ref), np.array(top)
    frame["suppressed"] = own | ref | top
    frame["rate"] = _none_for_nan(frame["rate"].where(~own))
    for column in STAT_FIELDS:
        frame[column] = _none_for_nan(frame[column].where(~(own | ref)))
    frame["outside_band"] = frame["outside_band"] & ~(own | ref)
    for column in ("impact_ratio", "one_person_check"):
        frame[column] = _none_for_nan(frame[column].where(~(own | top)))
    frame.loc[own | ref, "not_computable"] = np.where(
        frame.loc[own | ref, "group"] == frame.loc[own | ref, "reference"], "", REASON_HIDDEN
    )
    return frame


def _n_stages(steps: Sequence[Transition]) -> int:
    return max(s.end for s in steps) + 1


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

    plan = _plan(funnel, attributes) if suppression else None
    shown = _apply_plan(exact, plan, steps)
    shown["reference_progressed"] = _reference_progressed(exact)
    shown["four_fifths"] = band[0]
    shown["sentence"] = [
        text.row_sentence(row, stage_index=steps[int(row["step"])].start)
        for row in shown.to_dict("records")
    ]
    frame = shown[list(TRANSITION_COLUMNS)].reset_index(drop=True)

    stages = tuple(funnel.stages)
    wres = _indicator(
        exact, plan, schema.ETHNICITY_WRES, indicators.wres_indicator_2, steps, stages
    )
    wdes = _indicator(exact, plan, schema.DISABILITY, indicators.wdes_metric_2, steps, stages)
    stratified = None
    if funnel.stratified_by is not None and schema.STRATUM in funnel.counts:
        from bias_audit.stats.stratified import stratified_tests

        stratified = stratified_tests(funnel, references=refs)
    return RecruitmentAudit(
        stages=tuple(funnel.stages),
        transitions=frame,
        stage_counts=_stage_counts(funnel, plan),
        wres_indicator_2=wres,
        wdes_metric_2=wdes,
        stratified=stratified,
        warnings=tuple(funnel.warnings) + _warnings(funnel, exact, steps),
        funnel=funnel,
        suppression=suppression,
        references=refs,
        adverse_band=band,
        notes=_notes(exact, steps, suppression),
    )


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
    plan: sdc.SuppressionPlan | None,
    attribute: str,
    build: Any,
    steps: Sequence[Transition],
    stages: tuple[str, ...],
) -> dict[str, Any]:
    steps = list(steps)
    n_stages = len(stages)
    step = appointment_step(stages)
    number = None if step is None else steps.index(step)
    rows = exact[(exact["attribute"] == attribute) & (exact["step"] == number)]
    numbers = {
        str(r["group"]): (int(r["entered"]), int(r["progressed"]), int(r["withdrawn"]))
        for r in rows.to_dict("records")
    }
    result = build(numbers)
    if step is None:
        result["reason"] = NO_APPOINTMENT_STEP
    elif rows.empty:
        result["reason"] = NO_ATTRIBUTE_COLUMN.format(label=LABELS[attribute])
    if plan is not None:
        q = _quantities(step, n_stages) if step is not None else None
        hidden = False
        for group in (result["reference"], result["focal"]):
            counts = result[group]
            for name, key in (("shortlisted", "entered"), ("appointed", "progressed")):
                value = counts[name]
                if q is None:
                    continue
                cell = (attribute, group, q[key])
                hidden |= plan.hidden(cell)
                counts[name] = plan.label(cell, value) if value else 0
            result[group] = counts
        if hidden:
            for name in ("value", "ci_low", "ci_high", "p_value", "mid_p"):
                result[name] = None
            result["suppressed"] = True
    result.setdefault("suppressed", False)
    result["sentence"] = text.indicator_sentence(result)
    return result


def _stage_counts(funnel: Funnel, plan: sdc.SuppressionPlan | None) -> pd.DataFrame:
    frame = stage_reached(funnel)
    if plan is None:
        frame["suppressed"] = False
        return frame
    n = len(funnel.stages)
    keys = [
        (a, g, _reached(int(s), n))
        for a, g, s in zip(frame["attribute"], frame["group"], frame["stage_index"], strict=True)
    ]
    applied = {
        (a, g): k
        for (a, g, _), k, s in zip(keys, keys, frame["stage_index"], strict=True)
        if s == 0
    }
    hidden = [plan.hidden(k) or plan.hidden(applied[(k[0], k[1])]) for k in keys]
    frame["reached"] = pd.Series(
        [plan.label(k, int(v)) for k, v in zip(keys, frame["reached"], strict=True)],
        index=frame.index,
        dtype=object,
    )
    frame["share"] = frame["share"].astype(object).where(~np.array(hidden), None)
    frame["suppressed"] = hidden
    return frame


def _warnings(funnel: Funnel, exact: pd.DataFrame, steps: Sequence[Transition]) -> tuple[str, ...]:
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
                    n=missing, total=total, label=label, share=1 - missing / total
                )
            )
    for attribute, values in funnel.unplaced.items():
        if values:
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


def _notes(exact: pd.DataFrame, steps: Sequence[Transition], suppression: bool) -> tuple[str, ...]:
    notes = []
    adjacent = [i for i, s in enumerate(steps) if s.adjacent]
    attribute = exact["attribute"].iloc[0]
    left = exact[(exact["attribute"] == attribute) & exact["step"].isin(adjacent)]
    total = int(left["withdrawn"].sum())
    if total:
        notes.append(NOTE_WITHDRAWN.format(n="some" if suppression else total))
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
    sheet: str | None = None,
    reference: Mapping[str, str] | Sequence[str] | None = None,
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
        Worksheet name for XLSX files.
    reference
        Reference groups, as for :func:`audit_recruitment`.
    suppression
        Apply disclosure control (default).
    """
    from bias_audit.io.extract import read_funnel

    funnel = read_funnel(
        source, name=name, columns=columns, stages=stages, stratify=stratify, sheet=sheet
    )
    return audit_recruitment(funnel, reference=reference, suppression=suppression)
