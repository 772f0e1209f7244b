"""The workforce audit as plain text and as one flat table (for CSV).

Both read the audit's JSON dictionary (``WorkforceAudit.to_dict()``), so the text, the CSV,
the HTML and the JSON never work anything out differently. Every ratio is printed with its
direction in words and the two rates beside it (one trust printed a WRES 4 that contradicts
its own rates: the rates let a reader check).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from bias_audit.report.workforce_flow_text import flow_text_lines

SUPPRESSION_ON = (
    "Disclosure control is on: counts of 1–7 show as ≤7, other counts are rounded to the "
    "nearest 5, and a count that could be worked out from the others is hidden as *. Every "
    "share, ratio, interval and p is worked out from the counts as shown."
)
SUPPRESSION_OFF = (
    "Disclosure control is OFF: exact counts are shown. Small groups can identify people — "
    "do not share or publish this report."
)
TITLE = "Workforce equality audit (WRES / WDES): {source}"
PERIOD = "Extract date {date}; years: {years}."
NOT_COMPUTABLE = "not computable: {reason}"
NO_WARNINGS = "No data-quality warnings."
RATIO_ORDER = ("wres_indicator_3", "wres_indicator_4", "wdes_metric_3")
PROFILE_ORDER = ("wres_indicator_1", "wdes_metric_1")
BOARD_ORDER = ("wres_indicator_9", "wdes_metric_10")
LINKED_ORDER = ("wres_indicator_2", "wdes_metric_2")
FLOW_ORDER = ("retention", "progression")
PROFILE_GROUPS = {
    "wres_indicator_1": ("White", "BME", "Not stated"),
    "wdes_metric_1": ("Disabled", "Not disabled", "Not stated"),
}


def count_text(value: object) -> str:
    """A count as shown: thousands separated; labels ("≤7", "*") as they are.

    >>> count_text(12345), count_text("≤7"), count_text(None)
    ('12,345', '≤7', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def percent_text(value: float | None, *, digits: int = 1) -> str:
    """A share as a percentage.

    >>> percent_text(0.2444), percent_text(None)
    ('24.4%', '–')
    """
    return "–" if value is None else f"{100 * value:.{digits}f}%"


def pp_text(value: float | None) -> str:
    """A percentage-point difference with its sign.

    >>> pp_text(-5.71), pp_text(0.3), pp_text(None)
    ('-5.7 pp', '+0.3 pp', '–')
    """
    return "–" if value is None else f"{value:+.1f} pp"


P_ROUNDED = "p ≤ {p:.2g}, allowing for rounding"


def ratio_text(result: Mapping[str, Any]) -> str:
    """A ratio with its interval, p and verdict, or "not computable: why".

    A published p allows for the rounding of the shown counts: it is the largest p any
    counts that round to them give, so it is written as a bound ("p ≤ 1"), which says
    the rounded figures cannot rule out chance, not that the groups are the same.

    >>> ratio_text({"value": 1.59, "ci_low": 1.19, "ci_high": 2.12, "p_value": 0.0013,
    ...             "significance": "significant"})
    '1.59 (95% CI 1.19 to 2.12; p = 0.0013; significant)'
    >>> ratio_text({"value": 2.04, "ci_low": 0.8, "ci_high": 5.1, "p_value": 1.0,
    ...             "p_allows_for_rounding": True, "significance": "not significant"})
    '2.04 (95% CI 0.80 to 5.10; p ≤ 1, allowing for rounding; not significant)'
    """
    value = result.get("value")
    if value is None:
        return NOT_COMPUTABLE.format(reason=result.get("reason") or "no data")
    parts = []
    if result.get("ci_low") is not None and result.get("ci_high") is not None:
        parts.append(f"95% CI {result['ci_low']:.2f} to {result['ci_high']:.2f}")
    if result.get("p_value") is not None and result.get("p_allows_for_rounding"):
        parts.append(P_ROUNDED.format(p=result["p_value"]))
    elif result.get("p_value") is not None:
        parts.append(f"p = {result['p_value']:.2g}")
    if result.get("significance"):
        parts.append(str(result["significance"]))
    return f"{value:.2f}" + (f" ({'; '.join(parts)})" if parts else "")


def _counted_name(result: Mapping[str, Any], group: str) -> str:
    counts = result.get(group) or {}
    return next((k for k in counts if k not in ("staff", "rate", "shortlisted")), "counted")


def _rate(counted: object, total: object) -> float | None:
    if isinstance(counted, int) and isinstance(total, int) and total > 0:
        return counted / total
    return None


def rates_text(result: Mapping[str, Any]) -> str:
    """Each group's count of staff and of those counted, and the rate."""
    parts = []
    for group in (result.get("focal"), result.get("reference")):
        counts = (result.get(group) or {}) if group else {}
        if not counts:
            continue
        name = _counted_name(result, group)
        staff = "staff-years" if result.get("official") else "staff"
        if "shortlisted" in counts:
            staff = "shortlisted"
        total = counts.get("staff", counts.get("shortlisted"))
        parts.append(
            f"{group}: {count_text(counts.get(name))} {name} of {count_text(total)}"
            f" {staff} ({percent_text(_rate(counts.get(name), total), digits=2)})"
        )
    if result.get("not_stated_excluded") not in (None, 0):
        parts.append(f"not stated, left out: {count_text(result['not_stated_excluded'])}")
    return "; ".join(parts)


def text_report(audit: Mapping[str, Any]) -> str:
    """The whole audit as plain text."""
    lines = [TITLE.format(source=audit["source"])]
    lines.append(PERIOD.format(date=audit["extract_date"], years=", ".join(audit["years"])))
    lines.append(SUPPRESSION_ON if audit["suppression"] else SUPPRESSION_OFF)
    for key in (*RATIO_ORDER, *LINKED_ORDER):
        result = audit.get(key)
        if not result:
            continue
        lines += ["", f"{result.get('name', key)}: {ratio_text(result)}"]
        if result.get("direction"):
            lines.append(f"  {result['direction']}")
        if result.get("value") is not None or result.get("focal"):
            rates = rates_text(result)
            if rates:
                lines.append(f"  {rates}")
        if result.get("note"):
            lines.append(f"  {result['note']}")
    for key in PROFILE_ORDER:
        result = audit.get(key)
        if not result:
            continue
        lines += ["", f"{result['name']}: {result['focal']} share of the workforce "]
        if result.get("value") is None:
            lines[-1] += NOT_COMPUTABLE.format(reason=result.get("reason"))
            continue
        lines[-1] += percent_text(result["value"])
        lines.append(f"  {result['direction']}")
        groups = PROFILE_GROUPS[key]
        header = f"  {'Staff':<14}{'Band':<38}{'Total':>8}" + "".join(f"{g:>14}" for g in groups)
        lines.append(header + f"{result['focal'] + ' share':>16}{'vs all':>10}")
        for row in result["bands"]:
            cells = "".join(f"{count_text(row.get(g)):>14}" for g in groups)
            lines.append(
                f"  {row['clinical']:<14}{row['band']:<38}{count_text(row['total']):>8}{cells}"
                f"{percent_text(row.get('share_' + result['focal'])):>16}"
                f"{pp_text(row.get('difference_pp')):>10}"
            )
    for key in BOARD_ORDER:
        result = audit.get(key)
        if not result:
            continue
        lines += ["", f"{result['name']}: "]
        if result.get("value") is None:
            lines[-1] += NOT_COMPUTABLE.format(reason=result.get("reason"))
            continue
        lines[-1] += pp_text(result["value"])
        lines.append(f"  {result['direction']}")
        for part, counts in result["parts"].items():
            lines.append(
                f"  {part.replace('_', '-')} members: {count_text(counts['members'])}; "
                f"{result['focal']} "
                f"{count_text(counts.get(result['focal']))} ({percent_text(counts['share'])}); "
                f"difference {pp_text(counts['difference_pp'])}"
            )
    lines += ["", *flow_text_lines(audit.get("retention"), audit.get("progression"))]
    lines += ["", "Warnings:"]
    lines += [f"  - {w}" for w in audit.get("warnings", [])] or [f"  {NO_WARNINGS}"]
    return "\n".join(lines) + "\n"


TABLE_COLUMNS = (
    "indicator",
    "part",
    "band",
    "group",
    "staff",
    "counted",
    "share_or_rate",
    "value",
    "ci_low",
    "ci_high",
    "p_value",
    "direction",
    "reason",
    "takeaway",
)


def workforce_table(audit: Mapping[str, Any]) -> pd.DataFrame:
    """Every published figure as one flat table (one row per indicator, group and band)."""
    rows: list[dict[str, Any]] = []
    for key in (*RATIO_ORDER, *LINKED_ORDER):
        result = audit.get(key) or {}
        base = {
            "indicator": key,
            "value": result.get("value"),
            "ci_low": result.get("ci_low"),
            "ci_high": result.get("ci_high"),
            "p_value": result.get("p_value"),
            "direction": result.get("direction"),
            "reason": result.get("reason"),
        }
        groups = [g for g in (result.get("focal"), result.get("reference")) if g]
        if not groups or not isinstance(result.get(groups[0]), Mapping):
            rows.append(base)
            continue
        for group in groups:
            counts = result[group]
            name = _counted_name(result, group)
            rows.append(
                {
                    **base,
                    "part": "; ".join(result.get("years") or []),
                    "group": group,
                    "staff": counts.get("staff", counts.get("shortlisted")),
                    "counted": counts.get(name),
                    "share_or_rate": counts.get("rate"),
                }
            )
    for key in PROFILE_ORDER:
        result = audit.get(key) or {}
        for row in result.get("bands", []):
            for group in PROFILE_GROUPS[key]:
                rows.append(
                    {
                        "indicator": key,
                        "part": row["clinical"],
                        "band": row["band"],
                        "group": group,
                        "staff": row["total"],
                        "counted": row.get(group),
                        "share_or_rate": row.get(f"share_{group}"),
                        "value": row.get("difference_pp") if group == result["focal"] else None,
                        "direction": result.get("direction"),
                    }
                )
        if not result.get("bands"):
            rows.append({"indicator": key, "reason": result.get("reason")})
    for key in BOARD_ORDER:
        result = audit.get(key) or {}
        for part, counts in (result.get("parts") or {}).items():
            rows.append(
                {
                    "indicator": key,
                    "part": part,
                    "group": result["focal"],
                    "staff": counts["members"],
                    "counted": counts.get(result["focal"]),
                    "share_or_rate": counts["share"],
                    "value": counts["difference_pp"],
                    "direction": result.get("direction"),
                    "reason": result.get("reason"),
                }
            )
        if not result.get("parts"):
            rows.append({"indicator": key, "reason": result.get("reason")})
    rows += retention_rows(audit.get("retention"))
    rows += progression_rows(audit.get("progression"))
    frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return frame.astype(object).where(frame.notna(), None)


def _section_row(key: str, section: Mapping[str, Any] | None, people: object) -> dict[str, Any]:
    section = section or {}
    return {
        "indicator": key,
        "part": "all",
        "staff": people,
        "direction": section.get("direction") or section.get("definition"),
        "reason": section.get("reason") or None,
        "takeaway": section.get("takeaway"),
    }


def retention_rows(retention: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Retention as rows of the flat table: the cohort with the takeaway, then per view
    and group the starters and leavers, each horizon's observed counts and Kaplan–Meier
    estimate, the log-rank tests and the leavers by reason (as published)."""
    if not retention or retention.get("reason"):
        return [_section_row("retention", retention, None)]
    rows = [_section_row("retention", retention, retention["cohort"]["people"])]
    for group in retention["groups"]:
        where = {"part": group["attribute"], "group": group["group"]}
        rows.append(
            {
                "indicator": "retention",
                **where,
                "band": "started (counted: left)",
                "staff": group["started"],
                "counted": group["left"],
                "reason": group.get("reason") or None,
            }
        )
        for months in retention["horizons_months"]:
            h = group[f"at_{months}_months"]
            rows.append(
                {
                    "indicator": "retention",
                    **where,
                    "band": f"in post at {months} months",
                    "staff": h["observed"],
                    "counted": h["stayed"],
                    "share_or_rate": h["observed_share"],
                    "value": h["km"],
                    "ci_low": h["ci_low"],
                    "ci_high": h["ci_high"],
                    "direction": "value: Kaplan–Meier estimate of the share still in post",
                    "reason": h.get("reason") or None,
                }
            )
    for test in retention["tests"]:
        rows.append(
            {
                "indicator": "retention log-rank test",
                "part": test["attribute"],
                "group": test["comparison"],
                "value": test["chi2"],
                "p_value": test["p_value"],
                "direction": "value: chi-squared",
                "reason": test.get("reason") or None,
            }
        )
    for leavers in retention["leaving_reasons"]:
        rows.append(
            {
                "indicator": "retention leaving reasons",
                "part": leavers["attribute"],
                "band": leavers["reason_group"],
                "group": leavers["group"],
                "counted": leavers["leavers"],
            }
        )
    return rows


def progression_rows(progression: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Progression as rows of the flat table: the people followed with the takeaway, then
    one row per move, view and group (could move, moved, rate, relative likelihood)."""
    if not progression or progression.get("reason"):
        return [_section_row("progression", progression, None)]
    rows = [_section_row("progression", progression, progression["people"])]
    for row in progression["rows"]:
        rows.append(
            {
                "indicator": "progression",
                "part": row["attribute"],
                "band": row["move"],
                "group": row["group"],
                "staff": row["entered"],
                "counted": row["progressed"],
                "share_or_rate": row["rate"],
                "value": row["relative_likelihood"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "p_value": row["p_value"],
                "direction": progression["direction"],
                "reason": row["not_computable"] or None,
            }
        )
    return rows
