"""One-line takeaways for retention and progression, from the numbers as published.

Each function reads the JSON value of the ``retention`` or ``progression`` key (see
:mod:`bias_audit.report.workforce_flow`) and says the main thing in one sentence: it never
re-derives a number, and it says plainly when there is nothing to say.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
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
