"""Charts of the region comparison: the funnel plot and the year-by-year trend.

Both are drawn from the published figures only (the points, limits and trend of
:mod:`bias_audit.services.region`). Organisations are labelled, not ranked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from bias_audit.report.charts import Chart, chart_layout
from bias_audit.report.style import OKABE_ITO
from bias_audit.stats.disparity import DEFAULT_ADVERSE_BAND
from bias_audit.stats.funnel_plot import NOT_PLOTTED

if TYPE_CHECKING:
    from bias_audit.report.region_results import RegionAudit, RegionMetric

FUNNEL_TITLE = "{name}: organisations against the pooled value"
TREND_TITLE = "{name} by year"
X_TITLE = "Precision (1 ÷ variance of the log ratio; larger = more applicants)"
Y_TITLE = "Relative likelihood ({reference} ÷ {focal}), log scale"
BAND_NAME = "0.80–1.25 band (four-fifths convention)"


def funnel_chart(audit: RegionAudit, metric: RegionMetric) -> Chart:
    """The funnel plot of one metric: points, the pooled line and 95% / 99.8% limits."""
    plot = audit.funnels.get(metric.key)
    title = FUNNEL_TITLE.format(name=metric.name)
    fig = go.Figure()
    chart_layout(fig, title, height=520)
    if plot is None or plot.target is None or not plot.curve:
        reason = audit.funnel_reasons.get(metric.key) or (
            plot.target_reason if plot is not None else ""
        )
        return Chart(fig, title, f"No funnel plot: {reason or 'nothing to plot'}.", empty=True)
    import math

    grid = plot.curve["precision"]
    target = math.exp(plot.target)
    for level, dash, colour in (("998", "dash", OKABE_ITO[5]), ("95", "dot", OKABE_ITO[1])):
        label = "99.8%" if level == "998" else "95%"
        for side in ("low", "high"):
            fig.add_trace(
                go.Scatter(
                    x=grid,
                    y=plot.curve[f"{side}_{level}"],
                    mode="lines",
                    line={"dash": dash, "color": colour},
                    name=f"{label} limits",
                    showlegend=side == "low",
                    hoverinfo="skip",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[grid[0], grid[-1]],
            y=[target, target],
            mode="lines",
            line={"color": OKABE_ITO[0]},
            name=f"Pooled {target:.2f}",
        )
    )
    shown = [p for p in plot.points if p.position != NOT_PLOTTED]
    outside = set(plot.outside_998)
    fig.add_trace(
        go.Scatter(
            x=[p.precision for p in shown],
            y=[p.value for p in shown],
            mode="markers+text",
            text=[p.organisation for p in shown],
            textposition="top center",
            marker={
                "size": 12,
                "color": [
                    OKABE_ITO[6] if p.organisation in outside else OKABE_ITO[4] for p in shown
                ],
                "symbol": ["diamond" if p.organisation in outside else "circle" for p in shown],
            },
            name="Organisations",
            hovertemplate="%{text}: %{y:.2f}<extra></extra>",
        )
    )
    fig.update_yaxes(type="log", title=Y_TITLE.format(reference=metric.reference,
                                                      focal=metric.focal))  # fmt: skip
    fig.update_xaxes(title=X_TITLE)
    names = ", ".join(plot.outside_998) or "none"
    adjusted = " (limits widened for over-dispersion)" if plot.dispersion.overdispersed else ""
    takeaway = (
        f"Pooled value {target:.2f}{adjusted}. Outside the 99.8% limits: {names}. "
        f"{len(shown)} of {len(plot.points)} organisations plotted."
    )
    table = pd.DataFrame(
        {
            "Organisation": [p.organisation for p in plot.points],
            "Ratio": ["–" if p.value is None else f"{p.value:.2f}" for p in plot.points],
            "95% limits": [
                "–" if p.limits_95 is None else f"{p.limits_95[0]:.2f}–{p.limits_95[1]:.2f}"
                for p in plot.points
            ],
            "99.8% limits": [
                "–" if p.limits_998 is None else f"{p.limits_998[0]:.2f}–{p.limits_998[1]:.2f}"
                for p in plot.points
            ],
            "Where": [p.reason if p.position == NOT_PLOTTED else p.position for p in plot.points],
        }
    )
    return Chart(fig, title, takeaway, table=table)


def trend_chart(audit: RegionAudit, metric: RegionMetric) -> Chart:
    """The pooled ratio each year with its 95% interval, over the 0.80–1.25 band."""
    found = audit.trends.get(metric.key)
    title = TREND_TITLE.format(name=metric.name)
    fig = go.Figure()
    chart_layout(fig, title, height=420)
    if found is None:
        reason = audit.trend_reasons.get(metric.key, "")
        return Chart(fig, title, f"No trend: {reason}.", empty=True)
    points = [p for p in found.points if p.value is not None and p.ci_low is not None]
    years = [p.year for p in found.points]
    low, high = DEFAULT_ADVERSE_BAND
    fig.add_hrect(y0=low, y1=high, fillcolor="#e8edee", line_width=0, layer="below")
    fig.add_trace(
        go.Scatter(x=years, y=[high] * len(years), mode="lines", line={"width": 0},
                   name=BAND_NAME, hoverinfo="skip", fill=None, showlegend=True)
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=[p.year for p in points],
            y=[p.value for p in points],
            mode="lines+markers",
            line={"color": OKABE_ITO[4]},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [p.ci_high - p.value for p in points],  # type: ignore[operator]
                "arrayminus": [p.value - p.ci_low for p in points],  # type: ignore[operator]
            },
            name="Ratio (95% CI)",
        )
    )
    fig.add_hline(y=1.0, line={"color": "#425563", "width": 1})
    fig.update_yaxes(title=Y_TITLE.format(reference=metric.reference, focal=metric.focal),
                     type="log")  # fmt: skip
    fig.update_xaxes(title="Year", type="category")
    if found.ratio_per_year is None:
        takeaway = f"No trend test: {found.reason}."
    else:
        verdict = (
            "a statistically significant trend" if found.significant else "no significant trend"
        )
        takeaway = (
            f"The ratio changes by a factor of {found.ratio_per_year:.2f} a year "
            f"(p = {found.p_value:.2g}): {verdict}."
        )
    table = pd.DataFrame(
        {
            "Year": years,
            "Ratio": ["–" if p.value is None else f"{p.value:.2f}" for p in found.points],
            "95% CI": [
                "–" if p.ci_low is None else f"{p.ci_low:.2f}–{p.ci_high:.2f}" for p in found.points
            ],
        }
    )
    return Chart(fig, title, takeaway, table=table)


def region_charts(audit: RegionAudit) -> list[Chart]:
    """Every chart of the region comparison, metric by metric (funnel, then trend)."""
    charts = []
    for metric in audit.metrics:
        charts.append(funnel_chart(audit, metric))
        if audit.years:
            charts.append(trend_chart(audit, metric))
    return charts
