"""Plotly figure builders for the app and the HTML report (they build; they never render).

Every builder returns a :class:`Chart`: the figure, its title and a one-sentence takeaway in
plain English, so no chart is ever shown without saying what it means. Fonts are large for a
projector and colours come from the colour-blind-safe palette in :mod:`bias_audit.report.style`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from bias_audit.report.style import (
    BAND_FILL,
    FONT_FAMILY,
    FONT_SIZE,
    OKABE_ITO,
    TEXT_COLOUR,
    TITLE_SIZE,
)
from bias_audit.stats import schema
from bias_audit.text.readability import meets_target
from bias_audit.text.wording import (
    LEAN_SCORE,
    MIN_WORDS_CONSIDERED,
    REFERENCE_WORDS,
    STRONG_DIFFERENCE,
    GenderCoding,
)

DEFAULT_BAND: tuple[float, float] = (0.80, 1.25)

FOREST_TITLE = "Relative likelihood of progressing: {from_stage} → {to_stage}"
FOREST_NONE = "No group has enough people at this stage to show a ratio."
FOREST_ALL_INSIDE = (
    "All {n} ratios lie inside the {low:.2f}–{high:.2f} band, so no group is flagged on the "
    "four-fifths convention."
)
FOREST_SOME_OUTSIDE = (
    "{n_out} of {n} ratios lie outside the {low:.2f}–{high:.2f} band; the furthest is "
    "{label} at {value:.2f} (above 1 means the reference group is more likely to progress)."
)
FUNNEL_TITLE = "Share of applicants reaching each stage, by {attribute}"
FUNNEL_TAKEAWAY = (
    "{best} keep the largest share to the last stage ({best_rate:.0%} of applicants) and "
    "{worst} the smallest ({worst_rate:.0%})."
)
FUNNEL_MISSING = "This extract has no {attribute} information to draw the funnel by."
FUNNEL_NONE = "Too few people are shown (after suppression) to draw the funnel."
HEATMAP_TITLE = "Selection rate {from_stage} → {to_stage}, ethnicity × gender"
HEATMAP_TAKEAWAY = (
    "The highest rate is {best} ({best_rate:.0%}) and the lowest is {worst} ({worst_rate:.0%});"
    " blank cells are hidden to protect small groups."
)
HEATMAP_NONE = "No ethnicity × gender group is large enough to show."
GENDER_TITLE = "Gender-coded wording"
GENDER_TAKEAWAY = (
    "The advert reads as {verdict}: a score of {score:+.1f} from {n_masc} masculine-coded and "
    "{n_fem} feminine-coded words in the {words} words describing the applicant and the "
    "employer (feminine minus masculine, per {reference} words; aim for neutral). "
    "Masculine-coded: {masculine}. Feminine-coded: {feminine}."
)
GENDER_NO_WORDS = "none"
GENDER_TOO_LITTLE = (
    "Too little text to judge: {words} words describe the applicant or the employer, and at "
    "least {minimum} are needed."
)
GENDER_TOO_LITTLE_LABEL = "too little text to judge"
READING_TITLE = "Reading age"
READING_TAKEAWAY = "Reading age is {age:.0f}; the target for this band is {target}, so {verdict}."
READING_OK = "it is within reach of most applicants"
READING_HIGH = "consider shorter sentences and plainer words"
READING_UNKNOWN = "Too little text to estimate a reading age."


@dataclass(frozen=True, slots=True)
class Chart:
    """A figure with the title and plain-English takeaway shown with it everywhere."""

    figure: go.Figure
    title: str
    takeaway: str
    empty: bool = False  # nothing to draw (e.g. every number suppressed): show the words only


def _layout(fig: go.Figure, title: str, *, height: int = 480) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"},
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOUR},
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=list(OKABE_ITO),
        legend={"font": {"size": FONT_SIZE}},
    )
    # Long group labels must push the plot area in, never be clipped.
    fig.update_xaxes(automargin=True, title_standoff=12)
    fig.update_yaxes(automargin=True, title_standoff=12)
    return fig


def _gauge_layout(fig: go.Figure, title: str) -> go.Figure:
    """Gauges need side room for the end labels and space below for the verdict."""
    _layout(fig, title, height=330)
    fig.update_layout(margin={"l": 90, "r": 90, "t": 70, "b": 50})
    return fig


def _number(value: Any) -> float | None:
    """A finite float, or None for missing, suppressed or "not computable" values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


ATTRIBUTE_LABELS = {
    schema.ETHNICITY_WRES: "Ethnicity (WRES)",
    schema.ETHNICITY_GROUP: "Ethnic group",
    schema.ETHNICITY_DETAILED: "Ethnicity (detailed)",
    schema.GENDER: "Gender",
    schema.DISABILITY: "Disability",
    schema.AGE_BAND: "Age band",
    schema.RELIGION: "Religion or belief",
    schema.SEXUAL_ORIENTATION: "Sexual orientation",
    schema.ETHNICITY_X_GENDER: "Ethnicity × gender",
}


def _pretty(name: str) -> str:
    return ATTRIBUTE_LABELS.get(name, str(name).replace("_", " "))


def _stated(label: object) -> bool:
    """Groups whose label is (or contains) "Not stated" are drawn but never ranked."""
    return schema.NOT_STATED not in str(label)


def forest_chart(
    transitions: pd.DataFrame,
    *,
    from_stage: str = "shortlisted",
    to_stage: str = "appointed",
    attributes: Sequence[str] = ("ethnicity_wres", "disability", "gender"),
    band: tuple[float, float] = DEFAULT_BAND,
) -> Chart:
    """Forest plot of relative likelihoods with confidence intervals and the band shaded.

    Parameters
    ----------
    transitions
        ``RecruitmentAudit.transitions``: one row per attribute, transition and group, with
        ``relative_likelihood`` (reference rate ÷ group rate), ``ci_low``, ``ci_high``.
        Reference rows, suppressed rows and rows with no computable ratio are left out.
    from_stage, to_stage
        The transition shown.
    attributes
        Attribute views shown, top to bottom.
    band
        The no-adverse-impact band to shade.
    """
    low, high = band
    title = FOREST_TITLE.format(from_stage=from_stage, to_stage=to_stage)
    rows = []
    for attribute in attributes:
        subset = transitions[
            (transitions["attribute"] == attribute)
            & (transitions["from"] == from_stage)
            & (transitions["to"] == to_stage)
        ]
        for rec in subset.to_dict("records"):
            value = _number(rec.get("relative_likelihood"))
            if rec["group"] == rec.get("reference") or value is None or rec.get("suppressed"):
                continue
            if not (0 < value < math.inf):
                # A ratio of 0 (the reference group had nobody progressing) has no place on a
                # log axis; the significance table still shows it.
                continue
            label = f"{_pretty(attribute)}: {rec['group']} vs {rec.get('reference')}"
            rows.append((label, value, _number(rec.get("ci_low")), _number(rec.get("ci_high"))))
    fig = go.Figure()
    fig.add_vrect(x0=low, x1=high, fillcolor=BAND_FILL, line_width=0, layer="below")
    fig.add_vline(x=1.0, line_dash="dash", line_color=TEXT_COLOUR)
    if not rows:
        return Chart(_layout(fig, title, height=300), title, FOREST_NONE, empty=True)
    labels = [r[0] for r in rows]
    values = [r[1] for r in rows]
    plus = [(r[3] - r[1]) if r[3] is not None else 0 for r in rows]
    minus = [(r[1] - r[2]) if r[2] is not None else 0 for r in rows]
    outside = [not (low <= v <= high) for v in values]
    fig.add_trace(
        go.Scatter(
            x=values,
            y=labels,
            mode="markers",
            marker={
                "size": 16,
                "color": [OKABE_ITO[5] if o else OKABE_ITO[0] for o in outside],
                "symbol": ["diamond" if o else "circle" for o in outside],
            },
            error_x={"type": "data", "array": plus, "arrayminus": minus, "thickness": 2.5},
            hovertemplate="%{y}<br>relative likelihood %{x:.2f}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(
        type="log",
        title="Relative likelihood (reference ÷ group; log scale)",
        showgrid=True,
        gridcolor="#e8edee",
    )
    fig.update_yaxes(autorange="reversed")
    if any(outside):
        far = max(range(len(values)), key=lambda i: abs(math.log(values[i])))
        takeaway = FOREST_SOME_OUTSIDE.format(
            n_out=sum(outside),
            n=len(values),
            low=low,
            high=high,
            label=labels[far],
            value=values[far],
        )
    else:
        takeaway = FOREST_ALL_INSIDE.format(n=len(values), low=low, high=high)
    return Chart(_layout(fig, title, height=160 + 55 * len(rows)), title, takeaway)


def funnel_chart(shares: pd.DataFrame, *, attribute: str) -> Chart:
    """Line chart of the share of each group's applicants reaching every stage.

    Parameters
    ----------
    shares
        Tidy table with columns ``group``, ``stage`` (in stage order) and ``share`` (the
        fraction of that group's applicants who reached the stage; missing when suppressed).
    attribute
        The attribute view, for the title.
    """
    title = FUNNEL_TITLE.format(attribute=_pretty(attribute))
    fig = go.Figure()
    stages = list(dict.fromkeys(shares["stage"]))
    last: dict[str, float] = {}
    symbols = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")
    for i, (group, part) in enumerate(shares.groupby("group", sort=False)):
        values = [_number(v) for v in part["share"]]
        fig.add_trace(
            go.Scatter(
                x=list(part["stage"]),
                y=values,
                name=str(group),
                mode="lines+markers",
                marker={"size": 12, "symbol": symbols[i % len(symbols)]},
                line={"width": 3, "color": OKABE_ITO[i % len(OKABE_ITO)]},
                hovertemplate=f"{group}<br>%{{x}}: %{{y:.1%}}<extra></extra>",
            )
        )
        if values and values[-1] is not None and _stated(group):
            last[str(group)] = values[-1]
    fig.update_xaxes(categoryorder="array", categoryarray=stages)
    fig.update_yaxes(tickformat=".0%", title="Share of applicants", range=[0, 1.05])
    if len(last) < 2:
        drawn = any(v is not None for t in fig.data for v in t.y)
        return Chart(_layout(fig, title), title, FUNNEL_NONE, empty=not drawn)
    best = max(last, key=last.__getitem__)
    worst = min(last, key=last.__getitem__)
    takeaway = FUNNEL_TAKEAWAY.format(
        best=best, best_rate=last[best], worst=worst, worst_rate=last[worst]
    )
    return Chart(_layout(fig, title), title, takeaway)


def heatmap_chart(cells: pd.DataFrame, *, from_stage: str, to_stage: str) -> Chart:
    """Heatmap of selection rates for ethnicity (rows) × gender (columns).

    Parameters
    ----------
    cells
        Columns ``ethnicity``, ``gender`` and ``rate`` (missing where suppressed).
    from_stage, to_stage
        The transition, for the title.
    """
    title = HEATMAP_TITLE.format(from_stage=from_stage, to_stage=to_stage)
    grid = cells.pivot_table(
        index="ethnicity", columns="gender", values="rate", sort=False, dropna=False
    )
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[str(c) for c in grid.columns],
            y=[str(r) for r in grid.index],
            colorscale="Cividis",
            zmin=0,
            zmax=1,
            texttemplate="%{z:.0%}",
            textfont={"size": FONT_SIZE},
            colorbar={"tickformat": ".0%", "title": "rate"},
            hovertemplate="%{y} × %{x}: %{z:.1%}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    stacked = grid.stack().dropna()
    stacked = stacked[[_stated(e) and _stated(g) for e, g in stacked.index]]
    if stacked.empty:
        drawn = bool(grid.stack().dropna().size)
        return Chart(_layout(fig, title), title, HEATMAP_NONE, empty=not drawn)
    best, worst = stacked.idxmax(), stacked.idxmin()
    takeaway = HEATMAP_TAKEAWAY.format(
        best=" × ".join(map(str, best)),
        best_rate=stacked[best],
        worst=" × ".join(map(str, worst)),
        worst_rate=stacked[worst],
    )
    return Chart(_layout(fig, title, height=140 + 70 * len(grid.index)), title, takeaway)


def word_list(words: Sequence[str]) -> str:
    """Coded words for a caption: each once, in order, with its count when repeated.

    >>> word_list(["driven", "Confident", "driven"]), word_list([])
    ('driven (2), confident', 'none')
    """
    counts: dict[str, int] = {}
    for word in words:
        counts[word.lower()] = counts.get(word.lower(), 0) + 1
    return ", ".join(f"{w} ({n})" if n > 1 else w for w, n in counts.items()) or GENDER_NO_WORDS


def gender_gauge(coding: GenderCoding) -> Chart:
    """Gauge from masculine- to feminine-coded, at the verdict's own score.

    The needle stands at ``coding.score`` (feminine minus masculine coded words per
    ``REFERENCE_WORDS`` words of applicant and employer description; Gaucher, Friesen & Kay
    2011 word lists) and the shaded zones are the verdict's cut points: ``LEAN_SCORE`` or more
    either way leans, ``STRONG_DIFFERENCE`` or more is strong, a score on a cut point takes the
    zone further from neutral, as :func:`bias_audit.text.wording.gender_verdict` does. With too
    little text (``coding.enough_text`` false) nothing is drawn and the chart says so.
    """
    if not coding.enough_text:
        words = coding.words_considered or 0
        takeaway = GENDER_TOO_LITTLE.format(words=words, minimum=MIN_WORDS_CONSIDERED)
        figure = go.Figure()
        figure.add_annotation(
            text=f"<b>{GENDER_TOO_LITTLE_LABEL}</b>",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": TITLE_SIZE},
            xref="paper",
            yref="paper",
        )
        return Chart(_gauge_layout(figure, GENDER_TITLE), GENDER_TITLE, takeaway, empty=True)
    score = coding.score
    lean, strong = LEAN_SCORE, STRONG_DIFFERENCE
    reach = max(strong + 3, math.ceil(abs(score)) + 1)
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=score,
            number={"font": {"size": 40}, "valueformat": "+.1f"},
            gauge={
                "axis": {
                    "range": [-reach, reach],
                    "tickvals": [-reach, -strong, -lean, 0, lean, strong, reach],
                    "ticktext": [
                        "masculine",
                        f"−{strong}",
                        f"−{lean}",
                        "0",
                        f"+{lean}",
                        f"+{strong}",
                        "feminine",
                    ],
                    "tickfont": {"size": FONT_SIZE},
                },
                # A needle, not a bar: a bar from the masculine end would exaggerate.
                "bar": {"color": "rgba(0,0,0,0)"},
                "threshold": {
                    "line": {"color": TEXT_COLOUR, "width": 6},
                    "thickness": 1,
                    "value": score,
                },
                # The verdict's cut points (bias_audit.text.wording.gender_verdict), in order:
                # strongly masculine, masculine, neutral, feminine, strongly feminine.
                "steps": [
                    {"range": [-reach, -strong], "color": "#a6cbe8"},
                    {"range": [-strong, -lean], "color": "#d6e7f5"},
                    {"range": [-lean, lean], "color": "#cdeee3"},
                    {"range": [lean, strong], "color": "#f6dcea"},
                    {"range": [strong, reach], "color": "#ebb8d4"},
                ],
            },
        )
    )
    takeaway = GENDER_TAKEAWAY.format(
        verdict=coding.verdict,
        score=score,
        n_masc=len(coding.masculine),
        n_fem=len(coding.feminine),
        words=coding.words_considered,
        reference=REFERENCE_WORDS,
        masculine=word_list(coding.masculine),
        feminine=word_list(coding.feminine),
    )
    fig.add_annotation(
        text=f"<b>{html.escape(coding.verdict)}</b>",
        x=0.5,
        y=-0.12,
        showarrow=False,
        font={"size": TITLE_SIZE},
        xref="paper",
        yref="paper",
    )
    return Chart(_gauge_layout(fig, GENDER_TITLE), GENDER_TITLE, takeaway)


def reading_age_gauge(reading_age: float | None, target: tuple[float, float]) -> Chart:
    """Gauge of the UK reading age against the target range (e.g. 9–11 for Bands 1–4)."""
    low, high = target
    target_text = f"{low:g}–{high:g}"
    age = _number(reading_age)
    top = max(20.0, (age or 0) + 2)
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            # Whole years, as the number and the verdict read it: 11.4 sits on the line at 11.
            value=round(age) if age is not None else 0,
            number={"font": {"size": 40}, "suffix": " years", "valueformat": ".0f"},
            gauge={
                "axis": {"range": [5, top]},
                "bar": {"color": TEXT_COLOUR, "thickness": 0.25},
                "steps": [
                    {"range": [5, high], "color": "#cdeee3"},
                    {"range": [high, top], "color": "#fbe3d6"},
                ],
                "threshold": {"line": {"color": OKABE_ITO[5], "width": 4}, "value": high},
            },
        )
    )
    if age is None:
        takeaway = READING_UNKNOWN
    else:
        verdict = READING_OK if meets_target(age, target) else READING_HIGH
        takeaway = READING_TAKEAWAY.format(age=age, target=target_text, verdict=verdict)
    return Chart(_gauge_layout(fig, READING_TITLE), READING_TITLE, takeaway)


def advert_charts(report: Any) -> list[Chart]:
    """The two gauges for one checked advert: gender coding and reading age."""
    coding = report.gender_coding
    readability = report.readability
    return [
        gender_gauge(coding),
        reading_age_gauge(readability.reading_age, readability.target),
    ]


def chart_step(stages: tuple[str, ...] | list[str]) -> tuple[str, str]:
    """The step the forest plot and heatmap show: second stage → last, or the only step.

    >>> chart_step(("applied", "shortlisted", "interviewed", "appointed"))
    ('shortlisted', 'appointed')
    >>> chart_step(("considered", "appointed"))
    ('considered', 'appointed')
    """
    first = stages[1] if len(stages) > 2 else stages[0]
    return first, stages[-1]


def recruitment_charts(audit: Any, *, funnel_attribute: str = schema.ETHNICITY_WRES) -> list[Chart]:
    """The forest plot, stage funnel and ethnicity × gender heatmap for one audit.

    The forest plot and heatmap show the WRES step (second stage → last stage, i.e.
    shortlisted → appointed with the default stages); a one-step extract (two stages, e.g.
    considered → appointed from an Appointed / Not appointed column) has only its one
    comparison, which they show instead. Suppressed numbers arrive as ``None`` from the
    audit and are drawn as gaps, never estimated.
    """
    from bias_audit.stats.rates import INTERSECTION_SEPARATOR

    first, last = chart_step(audit.stages)
    charts = [
        forest_chart(
            audit.transitions, from_stage=first, to_stage=last, band=tuple(audit.adverse_band)
        )
    ]
    counts = audit.stage_counts
    shares = counts[counts["attribute"] == funnel_attribute]
    if shares.empty:
        title = FUNNEL_TITLE.format(attribute=_pretty(funnel_attribute))
        missing = FUNNEL_MISSING.format(attribute=_pretty(funnel_attribute).lower())
        charts.append(Chart(go.Figure(), title, missing, empty=True))
    else:
        charts.append(funnel_chart(shares, attribute=funnel_attribute))
    frame = audit.transitions
    cross = frame[
        (frame["attribute"] == schema.ETHNICITY_X_GENDER)
        & (frame["from"] == first)
        & (frame["to"] == last)
    ]
    if not cross.empty:
        parts = cross["group"].str.split(INTERSECTION_SEPARATOR, n=1, expand=True)
        cells = pd.DataFrame(
            {
                "ethnicity": parts[0],
                "gender": parts[1],
                "rate": cross["rate"].map(_number).astype(float),
            }
        )
        charts.append(heatmap_chart(cells, from_stage=first, to_stage=last))
    return charts
