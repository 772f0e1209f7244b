"""One-line takeaways for retention and progression, and the app's headline cards, from
the numbers as published.

Each function reads the JSON value of the ``retention`` or ``progression`` key (see
:mod:`bias_audit.report.workforce_flow`) and says the main thing in one sentence: it never
re-derives a number, and it says plainly when there is nothing to say.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bias_audit.stats import schema
from bias_audit.stats.rates import is_not_stated

NO_RETENTION = "Retention could not be measured: {reason}"
NO_ESTIMATE = (
    "Too few starters in any group were followed for {months} months to estimate retention "
    "by group (an estimate needs {n} or more still at risk)."
)
NO_PROGRESSION = "Progression could not be measured: {reason}"
NO_COMPARISON = "No group's progression could be compared with its reference group."
VIEW_ORDER = (schema.ETHNICITY_WRES, schema.DISABILITY, schema.GENDER, schema.AGE_BAND)


def _percent(value: float | None) -> str:
    return "not shown" if value is None else f"{100 * value:.0f}%"


def _view(rows: list[Mapping[str, Any]]) -> str | None:
    views = [r["attribute"] for r in rows]
    for preferred in VIEW_ORDER:
        if preferred in views:
            return preferred
    return views[0] if views else None


def _p_words(p: float | None) -> str:
    if p is None:
        return "no test shown"
    verdict = "a significant difference" if p < 0.05 else "not a significant difference"
    return f"log-rank p = {p:.2g}: {verdict}"


def retention_takeaway(payload: Mapping[str, Any], *, attribute: str | None = None) -> str:
    """The main retention finding in one sentence (for ``attribute``; default: ethnicity,
    else the first view there is).

    >>> payload = {"horizons_months": [12], "min_at_risk": 8, "groups": [
    ...     {"attribute": "ethnicity_wres", "group": "White", "reference": "White",
    ...      "at_12_months": {"km": 0.88}},
    ...     {"attribute": "ethnicity_wres", "group": "BME", "reference": "White",
    ...      "at_12_months": {"km": 0.74}}],
    ...     "tests": [{"attribute": "ethnicity_wres", "comparison": "all stated groups",
    ...                "p_value": 0.012}]}
    >>> retention_takeaway(payload)
    'At 12 months, an estimated 88% of White starters and 74% of BME starters were still in...'
    """
    if payload.get("reason"):
        return NO_RETENTION.format(reason=payload["reason"])
    months = payload["horizons_months"][-1]
    rows = payload["groups"]
    view = _view(rows) if attribute is None else attribute
    shown = [
        r
        for r in rows
        if r["attribute"] == view
        and not is_not_stated(r["group"])
        and r[f"at_{months}_months"]["km"] is not None
    ]
    if len(shown) < 1:
        return NO_ESTIMATE.format(months=months, n=payload["min_at_risk"])
    parts = [f"{_percent(r[f'at_{months}_months']['km'])} of {r['group']} starters" for r in shown]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    test = next(
        (
            t
            for t in payload["tests"]
            if t["attribute"] == view and t["comparison"] == "all stated groups"
        ),
        None,
    )
    tail = f" ({_p_words(test['p_value'])})" if test is not None and len(shown) > 1 else ""
    return f"At {months} months, an estimated {listed} were still in post{tail}."


def progression_takeaway(payload: Mapping[str, Any], *, attribute: str | None = None) -> str:
    """The main progression gap in words: significant gaps first, ethnicity (WRES) first,
    then the largest; the more likely group is named first. ``attribute``: that view only.

    >>> rows = [{"move": "Band 2 → Band 3 or above", "attribute": "ethnicity_wres",
    ...          "group": "White", "reference": "White", "rate": 0.5,
    ...          "relative_likelihood": 1.0, "significance": None},
    ...         {"move": "Band 2 → Band 3 or above", "attribute": "ethnicity_wres",
    ...          "group": "BME", "reference": "White", "rate": 0.2,
    ...          "relative_likelihood": 2.5, "significance": "significant"}]
    >>> progression_takeaway({"rows": rows})[:60]
    'White staff were 2.50 times as likely as BME staff to make t'
    """
    if payload.get("reason"):
        return NO_PROGRESSION.format(reason=payload["reason"])
    rows = payload["rows"]
    rates = {(r["move"], r["attribute"], r["group"]): r["rate"] for r in rows}
    candidates = [
        r
        for r in rows
        if r["group"] != r["reference"]
        and r["relative_likelihood"] is not None
        and not is_not_stated(r["group"])
        and (attribute is None or r["attribute"] == attribute)
    ]
    if not candidates:
        return NO_COMPARISON
    preference = {v: i for i, v in enumerate(VIEW_ORDER)}
    row = min(
        candidates,
        key=lambda r: (
            r["significance"] != "significant",
            preference.get(r["attribute"], len(preference)),
            -abs(math.log(r["relative_likelihood"])),
        ),
    )
    ratio = row["relative_likelihood"]
    reference_rate = rates.get((row["move"], row["attribute"], row["reference"]))
    phrase = payload.get("phrases", {}).get(row["move"], f"make the move {row['move']}")
    more, less = (
        (row["reference"], row["group"]) if ratio >= 1 else (row["group"], row["reference"])
    )
    more_rate, less_rate = (
        (reference_rate, row["rate"]) if ratio >= 1 else (row["rate"], reference_rate)
    )
    times = ratio if ratio >= 1 else 1 / ratio
    return (
        f"{more} staff were {times:.2f} times as likely as {less} staff "
        f"to {phrase} ({_percent(more_rate)} vs {_percent(less_rate)}; "
        f"{row['significance'] or 'no test'})."
    )


# ------------------------------------------------------------------ the app's headline cards
@dataclass(frozen=True)
class Card:
    """One headline: the indicator's name, its value as shown, a one-line takeaway and
    the definition with its direction (the card's help)."""

    label: str
    value: str
    takeaway: str
    definition: str


HEADLINE_KEYS = (
    "wres_indicator_3",
    "wres_indicator_4",
    "wdes_metric_3",
    "wres_indicator_9",
    "wdes_metric_10",
    "wres_indicator_1",
)
NOT_COMPUTABLE_CARD = "Not computable: {reason}"
BOARD_HEADLINE_PARTS = ("voting", "all")
BOARD_PART_WORDS = {"voting": "the board's voting members", "all": "the board"}
GROUP_WORDS = {schema.NON_DISABLED: "non-disabled", schema.DISABLED: "Disabled"}


def _who(group: str) -> str:
    return GROUP_WORDS.get(group, group)


def _event(direction: str) -> str:
    _, found, event = direction.partition("more likely to ")
    return event.strip() if found else "be counted"


def _not_computable_card(result: Mapping[str, Any]) -> Card | None:
    """The card of an indicator without a value (its reason in place of a takeaway), or
    None when the indicator has a value."""
    if result.get("value") is not None:
        return None
    name, direction = str(result.get("name", "")), str(result.get("direction") or "")
    reason = result.get("reason") or "no data"
    return Card(name, "–", NOT_COMPUTABLE_CARD.format(reason=reason), direction)


def ratio_card(result: Mapping[str, Any]) -> Card:
    """A relative-likelihood indicator (WRES 3, 4; WDES 3) as a card, the groups' rates
    beside the ratio.

    >>> card = ratio_card({"name": "WRES indicator 3", "value": 1.59, "ratio": "BME ÷ White",
    ...     "direction": "BME rate ÷ White rate: above 1 means BME staff are more likely to "
    ...     "enter the formal disciplinary process", "significance": "significant",
    ...     "BME": {"rate": 0.021}, "White": {"rate": 0.013}})
    >>> card.value, card.takeaway[:58]
    ('1.59', 'BME staff were 1.59 times as likely as White staff to ente')
    """
    if (blank := _not_computable_card(result)) is not None:
        return blank
    name, direction = str(result.get("name", "")), str(result.get("direction") or "")
    value = result["value"]
    top, _, bottom = str(result.get("ratio", "")).partition(" ÷ ")
    rates = [((result.get(g) or {}).get("rate")) for g in (top, bottom)]
    shown = (
        f" ({_percent1(rates[0])} vs {_percent1(rates[1])}"
        + (f"; {result['significance']}" if result.get("significance") else "")
        + ")"
    )
    takeaway = (
        f"{_who(top)} staff were {value:.2f} times as likely as {_who(bottom)} staff to "
        f"{_event(direction)}{shown}."
    )
    if result.get("official") is False:
        takeaway += " One year of data: not the official two-year figure."
    return Card(name, f"{value:.2f}", takeaway, direction)


def _percent1(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def board_card(result: Mapping[str, Any]) -> Card:
    """WRES 9 / WDES 10: the board's share against the workforce's, in points."""
    if (blank := _not_computable_card(result)) is not None:
        return blank
    name, direction = str(result.get("name", "")), str(result.get("direction") or "")
    value = result["value"]
    focal = _who(str(result.get("focal")))
    parts = result.get("parts") or {}
    # The headline is the part whose difference is the value (voting members, NHS
    # England's wording, when the audit gives them).
    part = next(
        (p for p in BOARD_HEADLINE_PARTS if (parts.get(p) or {}).get("difference_pp") == value),
        "all",
    )
    board = (parts.get(part) or {}).get("share")
    who = BOARD_PART_WORDS.get(part, "the board")
    takeaway = (
        f"{focal} people are {_percent1(board)} of {who} against "
        f"{_percent1(result.get('workforce_share'))} of the workforce ({value:+.1f} points)."
    )
    return Card(name, f"{value:+.1f} pp", takeaway, direction)


def profile_card(result: Mapping[str, Any]) -> Card:
    """WRES 1 / WDES 1: the focal share of the workforce and the band furthest from it."""
    if (blank := _not_computable_card(result)) is not None:
        return blank
    name, direction = str(result.get("name", "")), str(result.get("direction") or "")
    value = result["value"]
    focal = _who(str(result.get("focal")))
    bands = [
        b
        for b in result.get("bands") or []
        if b.get("difference_pp") is not None and not str(b.get("band", "")).startswith("All")
    ]
    takeaway = f"{focal} staff are {_percent1(value)} of the workforce."
    if bands:
        far = min(bands, key=lambda b: b["difference_pp"])
        takeaway += (
            f" They are least represented in {str(far['clinical']).lower()} {far['band']} "
            f"({far['difference_pp']:+.1f} points)."
        )
    return Card(name, _percent1(value), takeaway, direction)


def headline_cards(audit: Mapping[str, Any]) -> list[Card]:
    """The app's headline cards from the workforce audit's JSON: WRES 3, 4, WDES 3, the
    boards, WRES 1, then retention and progression (each with a one-line takeaway)."""
    cards = []
    for key in HEADLINE_KEYS:
        result = audit.get(key)
        if not isinstance(result, Mapping):
            continue
        if "parts" in result or key in ("wres_indicator_9", "wdes_metric_10"):
            cards.append(board_card(result))
        elif "bands" in result or key in ("wres_indicator_1", "wdes_metric_1"):
            cards.append(profile_card(result))
        else:
            cards.append(ratio_card(result))
    retention = audit.get("retention") or {}
    progression = audit.get("progression") or {}
    cards.append(
        Card(
            "Retention of new support staff",
            _headline_share(retention),
            retention_takeaway(retention) if retention else NO_RETENTION.format(reason="–"),
            str(retention.get("definition", "")),
        )
    )
    cards.append(
        Card(
            "Progression of support staff",
            _headline_ratio(progression),
            progression_takeaway(progression) if progression else NO_PROGRESSION.format(reason="–"),
            str(progression.get("definition", "")) + " " + str(progression.get("direction", "")),
        )
    )
    return cards


def _headline_share(retention: Mapping[str, Any]) -> str:
    """The whole cohort is not one group: the headline value is the reference group's
    12-month estimate (the takeaway gives the others)."""
    if retention.get("reason") or not retention.get("groups"):
        return "–"
    months = retention["horizons_months"][-1]
    view = _view(retention["groups"])
    for row in retention["groups"]:
        if row["attribute"] == view and row["group"] == row["reference"]:
            km = row[f"at_{months}_months"]["km"]
            return "–" if km is None else f"{_percent(km)} at {months} m"
    return "–"


def _headline_ratio(progression: Mapping[str, Any]) -> str:
    rows = [
        r
        for r in progression.get("rows") or []
        if r["attribute"] == schema.ETHNICITY_WRES
        and r["group"] == schema.BME
        and r["relative_likelihood"] is not None
    ]
    return f"{rows[0]['relative_likelihood']:.2f}" if rows else "–"


# ------------------------------------------------------------------ text report and flat table
def _count(value: object) -> str:
    return "–" if value is None else str(value)


def flow_text_lines(
    retention: Mapping[str, Any] | None, progression: Mapping[str, Any] | None
) -> list[str]:
    """Retention and progression as lines of the plain-text report (the takeaway first,
    then one line per group), from the JSON values as published.

    >>> flow_text_lines({"reason": "no start date"}, None)[0]
    'Retention: not computable: no start date'
    """
    lines: list[str] = []
    retention = retention or {"reason": "not in this audit"}
    if retention.get("reason"):
        lines.append(f"Retention: not computable: {retention['reason']}")
    else:
        cohort = retention["cohort"]
        lines.append(
            f"Retention of starters {cohort['start_from']} to {cohort['start_to']} "
            f"({_count(cohort['people'])} people): {retention['takeaway']}"
        )
        lines.append(f"  {retention['curve_note']}")
        for row in retention["groups"]:
            parts = []
            for months in retention["horizons_months"]:
                h = row[f"at_{months}_months"]
                km = "–" if h["km"] is None else _percent(h["km"])
                parts.append(f"{months} m {km} ({_count(h['stayed'])}/{_count(h['observed'])})")
            lines.append(
                f"  {row['attribute']} {row['group']}: {_count(row['started'])} started; "
                + "; ".join(parts)
            )
    progression = progression or {"reason": "not in this audit"}
    if progression.get("reason"):
        lines.append(f"Progression: not computable: {progression['reason']}")
    else:
        lines.append(
            f"Progression ({_count(progression['people'])} people followed): "
            f"{progression['takeaway']}"
        )
        lines.append(f"  {progression['direction']}")
        for row in progression["rows"]:
            ratio = row["relative_likelihood"]
            shown = (row["not_computable"] or "–") if ratio is None else f"{ratio:.2f}"
            lines.append(
                f"  {row['move']}, {row['attribute']} {row['group']}: "
                f"{_count(row['progressed'])} of {_count(row['entered'])}; ratio {shown}"
            )
    return lines
