"""Per-row statistics of a recruitment audit, from whatever counts a table holds.

The exact transition table of a funnel (:func:`transition_table`), the reference group of
each view, and for every group of one attribute × transition block its rate, ratios,
tests, interval, one-person check and shortfall (:func:`row_statistics`); the national
indicators from exact counts (:func:`exact_indicator`). Nothing here hides a count: in
published mode :mod:`bias_audit.report.publish` hands these functions the published
counts, and a row it marks ``hidden`` gets no statistic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.stats import disparity, indicators, schema
from bias_audit.stats.funnel import Funnel
from bias_audit.stats.rates import (
    is_not_stated,
    metricframe_rates,
    report_attributes,
    transition_counts,
)
from bias_audit.stats.results import STAT_FIELDS
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
NO_ATTRIBUTE_COLUMN = "the extract has no {label} column"
REASON_NO_REFERENCE = "there is no stated group to compare with"
REASON_REFERENCE_NOBODY = "nobody in the reference group progressed"
REASON_REFERENCE_HIDDEN = (
    "the comparison group's numbers ({reference}) are hidden by disclosure control, so no "
    "ratio is given"
)
# Plain name of each attribute view in warnings and reasons.
LABELS = {
    schema.ETHNICITY_WRES: "ethnicity",
    schema.GENDER: "gender",
    schema.DISABILITY: "disability status",
    schema.AGE_BAND: "age band",
    schema.RELIGION: "religion or belief",
    schema.SEXUAL_ORIENTATION: "sexual orientation",
}

Indicator = Callable[[Mapping[str, tuple[int, int, int]]], dict[str, Any]]


def none_for_nan(column: pd.Series) -> pd.Series:
    """An object column with None where a value is missing (never NaN in reports).

    >>> none_for_nan(pd.Series([0.5, float("nan")])).tolist()
    [0.5, None]
    """
    values = column.astype(object)
    return values.where(column.notna(), None)


def objects(values: Sequence[Any], index: pd.Index) -> pd.Series:
    """A column kept as given: ints stay ints and None stays None (no float NaN).

    >>> objects([3, None], pd.RangeIndex(2)).tolist()
    [3, None]
    """
    return pd.Series(list(values), index=index, dtype=object)


def check_funnel(funnel: Funnel) -> None:
    """Refuse a funnel with fewer than two stages, no attribute or no applications."""
    source = funnel.source or "the extract"
    if len(funnel.stages) < 2:
        raise InputDataError(TOO_FEW_STAGES.format(source=source, stages=list(funnel.stages)))
    if not report_attributes(funnel):
        raise InputDataError(NO_ATTRIBUTES.format(source=source))
    if funnel.counts.empty or int(funnel.counts[schema.COUNT].sum()) == 0:
        raise InputDataError(EMPTY_FUNNEL.format(source=source))


def chosen_references(
    reference: Mapping[str, str] | Sequence[str] | None, attributes: Sequence[str]
) -> dict[str, str]:
    """Reference groups named by the user (a mapping or ``"attr=group"`` strings), checked
    against the attributes the funnel holds.

    >>> chosen_references(["gender=Female"], ["gender"])
    {'gender': 'Female'}
    """
    if reference is None:
        chosen: dict[str, str] = {}
    elif isinstance(reference, Mapping):
        chosen = dict(reference)
    else:
        chosen = disparity.parse_references(list(reference))
    disparity.check_reference_attributes(chosen, attributes)
    return chosen


def transition_table(
    funnel: Funnel, chosen: Mapping[str, str]
) -> tuple[pd.DataFrame, dict[str, str | None]]:
    """The exact transition table (exact rates, a reference per row, rows in report order:
    attribute, step, reference first, larger groups, not-stated last) and the reference
    group of each attribute view."""
    attributes = report_attributes(funnel)
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
    table["rate"] = none_for_nan(table["rate"])
    return table, refs


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


def row_statistics(
    block: pd.DataFrame,
    reference: str | None,
    band: tuple[float, float],
    *,
    shown_ratio: Callable[[float | None], float | None],
    published: bool = False,
) -> list[dict[str, Any]]:
    """Statistics for every group of one attribute × transition block.

    Parameters
    ----------
    block
        Rows of one attribute × transition: ``group``, ``entered``, ``progressed``,
        ``rate`` (exact for the analyst; the published counts in published mode), and
        ``hidden`` / ``hidden_reason``: a hidden row gets no statistic, and nothing is
        compared with a hidden reference.
    reference
        The reference group of the view (``None``: no stated group to compare with).
    band
        The non-adverse band for relative likelihoods.
    shown_ratio
        How an interval bound is shown: the significance verdict is judged on the interval
        as printed, so "significant" never sits beside an interval that reads "1.00 to …".
    published
        The counts are published (rounded to 5): p and the interval allow for that.

    Examples
    --------
    >>> block = pd.DataFrame({"group": ["White", "BME"], "entered": [100, 100],
    ...                       "progressed": [50, 20], "rate": [0.5, 0.2]})
    >>> rows = row_statistics(block, "White", (0.8, 1.25), shown_ratio=lambda x: x)
    >>> rows[1]["relative_likelihood"], rows[1]["impact_ratio"]
    (2.5, 0.4)
    """
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
            # p (and mid-P, the interval) allow for the rounding of the shown counts: the
            # largest p any counts that round to them give, so a bound ("p ≤ 1").
            "p_allows_for_rounding": False,
            "not_computable": "",
            "top_group": None if top is None else top["group"],
            **dict.fromkeys(STAT_FIELDS),
        }
        if hidden:
            result["not_computable"] = row["hidden_reason"]
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
                result["not_computable"] = REASON_REFERENCE_NOBODY
        else:
            numbers = (progressed, entered, int(ref["progressed"]), int(ref["entered"]))
            stats = compare(*numbers, who=str(row["group"]))
            result.update(stats.fields(), shortfall=shortfall(*numbers))
            if published and stats.p_value is not None:
                # Shown counts are ±2: p and the interval allow for that (see
                # significance.allowing_for_rounding), so rounding never makes a finding.
                result.update(allowing_for_rounding(*numbers), p_allows_for_rounding=True)
                if stats.ci_low is None:
                    result["ci_low"] = result["ci_high"] = None
            result["significance"] = significance_verdict(
                result["p_value"], shown_ratio(result["ci_low"]), shown_ratio(result["ci_high"])
            )
            if stats.relative_likelihood is None:
                result["not_computable"] = stats.reasons.get("relative_likelihood", "")
            result["outside_band"] = disparity.outside_band(stats.relative_likelihood, band)
        out.append(result)
    return out


def reference_progressed(shown: pd.DataFrame) -> list[Any]:
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


def exact_indicator(
    funnel: Funnel, attribute: str, build: Indicator
) -> tuple[dict[str, Any], dict[str, dict[str, int]]]:
    """WRES indicator 2 / WDES metric 2 by NHS England's definition from the exact counts
    (see :mod:`bias_audit.stats.indicators`), with the reason when it is not computable and
    the caveat when declined offers cannot be known; and the per-group numbers it rests on.
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
    return result, by_group


def sensitivity(
    result: Mapping[str, Any],
    by_group: Mapping[str, Mapping[str, int]],
    build: Indicator,
    *,
    shown_ratio: Callable[[float | None], float | None],
) -> dict[str, Any] | None:
    """The indicator with withdrawals also removed, when that changes the value as shown
    (``shown_ratio``); ``None`` otherwise."""
    pair = (str(result["reference"]), str(result["focal"]))
    withdrew = sum(by_group.get(g, {}).get("withdrew", 0) for g in pair)
    if result["value"] is None or withdrew == 0:
        return None
    other = build(indicators.withdrawals_removed(by_group))
    if other["value"] is None or shown_ratio(other["value"]) == shown_ratio(result["value"]):
        return None
    return {
        "value": other["value"],
        "ci_low": other["ci_low"],
        "ci_high": other["ci_high"],
        "p_value": other["p_value"],
        "withdrawals_removed": withdrew,
    }
