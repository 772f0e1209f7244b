"""Advert gauges: gender-coded wording and reading age, each with its takeaway and table."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from bias_audit.report.charts import Chart, chart_layout, finite_number
from bias_audit.report.style import FONT_SIZE, OKABE_ITO, TEXT_COLOUR, TITLE_SIZE
from bias_audit.text.readability import meets_target
from bias_audit.text.wording import (
    LEAN_SCORE,
    MIN_WORDS_CONSIDERED,
    REFERENCE_WORDS,
    STRONG_DIFFERENCE,
    GenderCoding,
)

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
READING_NUMBER = "{age:.0f} years"
READING_NUMBER_UNKNOWN = "not estimated"
GAUGE_NUMBER_SIZE = 34
"""A gauge's number (the reading age, the gender score) is written under its dial, never
inside it: inside, a 40 px "12 years" is wider than the dial's hole in a half-width column
at 1280 px and overlaps the arc."""


YES_NO_WORDS = {True: "yes", False: "no"}


def _gauge_layout(fig: go.Figure, title: str) -> go.Figure:
    """Gauges need side room for the end labels and space below for the verdict."""
    chart_layout(fig, title, height=330)
    fig.update_layout(margin={"l": 90, "r": 90, "t": 70, "b": 50})
    return fig


def _under_dial(fig: go.Figure, text: str, *, size: int, shift: int = 0) -> None:
    """Write ``text`` under a gauge's dial (in the bottom margin), ``shift`` px further down.

    Anchored by its top at the bottom of the plot area, it cannot overlap the arc, however
    narrow the column the chart is drawn in.
    """
    fig.add_annotation(
        text=text,
        x=0.5,
        y=0,
        yanchor="top",
        yshift=-8 - shift,
        showarrow=False,
        font={"size": size},
        xref="paper",
        yref="paper",
    )


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
            mode="gauge",
            value=score,
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
    table = pd.DataFrame(
        {
            "Verdict": [coding.verdict],
            f"Score (feminine minus masculine, per {REFERENCE_WORDS} words)": [f"{score:+.1f}"],
            "Masculine-coded words": [word_list(coding.masculine)],
            "Feminine-coded words": [word_list(coding.feminine)],
            "Words considered": [str(coding.words_considered)],
        }
    )
    _under_dial(fig, f"<b>{score:+.1f}</b>".replace("-", "−"), size=GAUGE_NUMBER_SIZE)
    _under_dial(
        fig, f"<b>{html.escape(coding.verdict)}</b>", size=TITLE_SIZE, shift=GAUGE_NUMBER_SIZE + 16
    )
    fig = _gauge_layout(fig, GENDER_TITLE)
    fig.update_layout(margin={"b": GAUGE_NUMBER_SIZE + TITLE_SIZE + 40})
    return Chart(fig, GENDER_TITLE, takeaway, table=table)


def reading_age_gauge(reading_age: float | None, target: tuple[float, float]) -> Chart:
    """Gauge of the UK reading age against the target range (e.g. 9–11 for Bands 1–4).

    The age is written under the dial (see :data:`GAUGE_NUMBER_SIZE`), so it never
    overlaps the arc however narrow the column.
    """
    low, high = target
    target_text = f"{low:g}–{high:g}"
    age = finite_number(reading_age)
    top = max(20.0, (age or 0) + 2)
    # Whole years, as the number and the verdict read it: 11.4 sits on the line at 11.
    shown = round(age) if age is not None else None
    fig = go.Figure(
        go.Indicator(
            mode="gauge",
            value=shown if shown is not None else 0,
            gauge={
                "axis": {"range": [5, top], "tickfont": {"size": FONT_SIZE}},
                "bar": {"color": TEXT_COLOUR, "thickness": 0.25},
                "steps": [
                    {"range": [5, high], "color": "#cdeee3"},
                    {"range": [high, top], "color": "#fbe3d6"},
                ],
                "threshold": {"line": {"color": OKABE_ITO[5], "width": 4}, "value": high},
            },
            domain={"x": [0, 1], "y": [0, 1]},
        )
    )
    number = READING_NUMBER_UNKNOWN if shown is None else READING_NUMBER.format(age=shown)
    _under_dial(fig, f"<b>{number}</b>", size=GAUGE_NUMBER_SIZE)
    if age is None:
        takeaway = READING_UNKNOWN
    else:
        verdict = READING_OK if meets_target(age, target) else READING_HIGH
        takeaway = READING_TAKEAWAY.format(age=age, target=target_text, verdict=verdict)
    table = pd.DataFrame(
        {
            "Reading age (years)": [number if shown is None else f"{shown}"],
            "Target for this band": [target_text],
            "Within the target": ["–" if age is None else YES_NO_WORDS[meets_target(age, target)]],
        }
    )
    fig = _gauge_layout(fig, READING_TITLE)
    # The numeric end ticks need less side room than the gender gauge's words; the age
    # needs its own line under the dial.
    fig.update_layout(margin={"l": 40, "r": 40, "t": 70, "b": GAUGE_NUMBER_SIZE + 30})
    return Chart(fig, READING_TITLE, takeaway, table=table)


def advert_charts(report: Any) -> list[Chart]:
    """The two gauges for one checked advert: gender coding and reading age."""
    coding = report.gender_coding
    readability = report.readability
    return [
        gender_gauge(coding),
        reading_age_gauge(readability.reading_age, readability.target),
    ]
