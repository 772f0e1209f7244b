"""Retention and progression figures: survival step curves by group, progression bars.

Each builder reads the ``retention`` or ``progression`` JSON value of the workforce audit
(as published: never the exact counts in published mode) and returns a
:class:`~bias_audit.report.charts.Chart` with a one-sentence takeaway and the numbers drawn
as a table. Curves stop where fewer than 8 people in the group are still at risk, and the
chart says so; hidden groups are not drawn.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from bias_audit.report.charts import Chart, attribute_label, chart_layout, finite_number
from bias_audit.report.style import OKABE_ITO
from bias_audit.report.workforce_flow_text import progression_takeaway, retention_takeaway
from bias_audit.stats import schema
from bias_audit.stats.rates import is_not_stated
from bias_audit.stats.retention import CURVE_NOTE, MIN_AT_RISK

SURVIVAL_TITLE = "Share of new starters still in post, by {attribute}"
SURVIVAL_NONE = "No group has 8 or more people at risk, so no retention curve is drawn."
PROGRESSION_TITLE = "Share of staff who made each move, by {attribute}"
PROGRESSION_NONE = "No progression rate can be shown for this view (too few people)."
NOT_COMPUTABLE = "{what} could not be measured: {reason}"
MISSING = "this audit holds no figures for it"


def _lower_first(text: str) -> str:
    """``"Ethnicity (WRES)"`` → ``"ethnicity (WRES)"``."""
    return text[:1].lower() + text[1:]


def _hex_to_rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def curve_points(retention: Mapping[str, Any]) -> pd.DataFrame:
    """The ``curves`` of the retention JSON as one table (attribute, group, month, …)."""
    rows = [
        {"attribute": c["attribute"], "group": c["group"], **point}
        for c in retention.get("curves") or []
        for point in c["points"]
    ]
    return pd.DataFrame(
        rows, columns=["attribute", "group", "month", "survival", "ci_low", "ci_high", "at_risk"]
    )


def survival_chart(
    retention: Mapping[str, Any], *, attribute: str = schema.ETHNICITY_WRES
) -> Chart:
    """Kaplan–Meier step curves (with a shaded 95% interval) of each shown group of one view,
    from the ``retention`` JSON value as published.

    The takeaway is the retention takeaway plus where the curves stop.
    """
    label = _lower_first(attribute_label(attribute))
    title = SURVIVAL_TITLE.format(attribute=label)
    reason = retention.get("reason")
    if reason:
        text = NOT_COMPUTABLE.format(what="Retention", reason=reason)
        return Chart(chart_layout(go.Figure(), title, height=300), title, text, empty=True)
    curves = curve_points(retention)
    part = curves[curves["attribute"] == attribute]
    fig = go.Figure()
    rows = []
    groups = list(dict.fromkeys(part["group"])) if not part.empty else []
    for i, group in enumerate(groups):
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        line = part[part["group"] == group]
        months = line["month"].astype(float).tolist()
        low = line["ci_low"].astype(float).fillna(line["survival"].astype(float)).tolist()
        high = line["ci_high"].astype(float).fillna(line["survival"].astype(float)).tolist()
        fig.add_trace(
            go.Scatter(
                x=months + months[::-1],
                y=high + low[::-1],
                fill="toself",
                fillcolor=_hex_to_rgba(colour, 0.15),
                line={"width": 0, "shape": "hv"},
                hoverinfo="skip",
                showlegend=False,
                name=f"{group} 95% interval",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=months,
                y=line["survival"].astype(float).tolist(),
                mode="lines",
                line={
                    "shape": "hv",
                    "color": colour,
                    "width": 3,
                    "dash": "dot" if is_not_stated(group) else "solid",
                },
                name=str(group),
                customdata=line["at_risk"].tolist(),
                hovertemplate="%{x:.0f} months: %{y:.0%} still in post (%{customdata} at risk)",
            )
        )
        for month, survival, at_risk in zip(
            line["month"], line["survival"], line["at_risk"], strict=True
        ):
            rows.append(
                {
                    "Group": group,
                    "Months after starting": round(float(month), 1),
                    "Still in post": f"{100 * float(survival):.0f}%",
                    "At risk": at_risk,
                }
            )
    fig.update_yaxes(title="Still in post", tickformat=".0%", range=[0, 1.02])
    fig.update_xaxes(title="Months after starting", rangemode="tozero")
    note = CURVE_NOTE.format(n=retention.get("min_at_risk", MIN_AT_RISK))
    if not groups:
        return Chart(chart_layout(fig, title), title, f"{SURVIVAL_NONE} {note}", empty=True)
    takeaway = f"{retention_takeaway(retention, attribute=attribute)} {note}"
    return Chart(chart_layout(fig, title), title, takeaway, table=pd.DataFrame(rows))


def progression_chart(
    progression: Mapping[str, Any], *, attribute: str = schema.ETHNICITY_WRES
) -> Chart:
    """Grouped bars: the share of each group who made each move (hidden rates are gaps),
    from the ``progression`` JSON value as published."""
    label = _lower_first(attribute_label(attribute))
    title = PROGRESSION_TITLE.format(attribute=label)
    reason = progression.get("reason")
    if reason:
        text = NOT_COMPUTABLE.format(what="Progression", reason=reason)
        return Chart(chart_layout(go.Figure(), title, height=300), title, text, empty=True)
    rows = pd.DataFrame(
        progression.get("rows") or [],
        columns=["move", "attribute", "group", "rate", "entered", "progressed"],
    )
    part = rows[rows["attribute"] == attribute]
    fig = go.Figure()
    table = []
    drawn = False
    for i, group in enumerate(dict.fromkeys(part["group"]) if not part.empty else []):
        bars = part[part["group"] == group]
        rates = [finite_number(r) for r in bars["rate"]]
        drawn = drawn or any(r is not None for r in rates)
        fig.add_trace(
            go.Bar(
                x=bars["move"].tolist(),
                y=rates,
                name=str(group),
                marker_color=OKABE_ITO[i % len(OKABE_ITO)],
                text=["hidden" if r is None else f"{100 * r:.0f}%" for r in rates],
                textposition="outside",
            )
        )
        for move, rate, entered, progressed in zip(
            bars["move"], rates, bars["entered"], bars["progressed"], strict=True
        ):
            table.append(
                {
                    "Move": move,
                    "Group": group,
                    "Share who moved": "hidden" if rate is None else f"{100 * rate:.0f}%",
                    "Moved": progressed,
                    "Could move": entered,
                }
            )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="Share who made the move", tickformat=".0%", rangemode="tozero")
    if not drawn:
        return Chart(chart_layout(fig, title), title, PROGRESSION_NONE, empty=True)
    takeaway = progression_takeaway(progression, attribute=attribute)
    return Chart(chart_layout(fig, title), title, takeaway, table=pd.DataFrame(table))


def flow_charts(
    retention: Mapping[str, Any] | None,
    progression: Mapping[str, Any] | None,
    *,
    attribute: str = schema.ETHNICITY_WRES,
) -> list[Chart]:
    """The retention curves and the progression bars for one view (from the workforce
    audit's ``retention`` and ``progression`` JSON values)."""
    return [
        survival_chart(retention or {"reason": MISSING}, attribute=attribute),
        progression_chart(progression or {"reason": MISSING}, attribute=attribute),
    ]


def _shown(value: object) -> object:
    return "–" if value is None else value


def retention_table(retention: Mapping[str, Any], *, attribute: str) -> pd.DataFrame:
    """One row per group of ``attribute``: starters, leavers and, per horizon, the estimate
    and the observed counts as published (the chart's numbers in words)."""
    rows = []
    for row in retention.get("groups") or []:
        if row["attribute"] != attribute:
            continue
        out: dict[str, Any] = {
            "Group": row["group"],
            "Started": _shown(row["started"]),
            "Left": _shown(row["left"]),
        }
        for months in retention.get("horizons_months") or []:
            h = row[f"at_{months}_months"]
            out[f"In post at {months} m (estimate)"] = (
                "–" if h["km"] is None else f"{100 * h['km']:.0f}%"
            )
            out[f"In post at {months} m (of those followed)"] = (
                f"{_shown(h['stayed'])} of {_shown(h['observed'])}"
            )
        rows.append(out)
    return pd.DataFrame(rows)


def leaving_reasons_table(retention: Mapping[str, Any], *, attribute: str) -> pd.DataFrame:
    """Leavers by reason (rows) and group of ``attribute`` (columns), as published; a
    reason a group has no leaver for shows 0."""
    rows = [r for r in retention.get("leaving_reasons") or [] if r["attribute"] == attribute]
    groups = list(dict.fromkeys(r["group"] for r in rows))
    reasons = sorted({r["reason_group"] for r in rows})
    found = {(r["reason_group"], r["group"]): r["leavers"] for r in rows}
    return pd.DataFrame(
        [
            {"Reason for leaving": reason, **{g: found.get((reason, g), 0) for g in groups}}
            for reason in reasons
        ]
    )


def flow_html_section(
    retention: Mapping[str, Any] | None,
    progression: Mapping[str, Any] | None,
    *,
    attribute: str = schema.ETHNICITY_WRES,
) -> str:
    """Retention and progression as an HTML section for the workforce report: each chart as
    a ``<figure>`` (the plotly div, its takeaway and its numbers as a table; the page must
    load plotly.js, as the recruitment report does) and the leaving reasons as a table.
    Every text is escaped (:func:`bias_audit.report.html_report.chart_html`)."""
    from bias_audit.report.html_report import chart_html, table_html

    parts = ["<h2>Retention and progression</h2>"]
    parts += [chart_html(c) for c in flow_charts(retention, progression, attribute=attribute)]
    if retention and retention.get("groups"):
        for title, frame in (
            ("Retention by group", retention_table(retention, attribute=attribute)),
            ("Reasons for leaving by group", leaving_reasons_table(retention, attribute=attribute)),
        ):
            if not frame.empty:
                rows = frame.itertuples(index=False, name=None)
                parts.append(f"<h3>{html.escape(title)}</h3>")
                parts.append(table_html([str(c) for c in frame.columns], rows))
    return "\n".join(parts)
