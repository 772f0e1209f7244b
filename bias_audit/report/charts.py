"""The chart record and the layout, number, tick and label helpers every figure shares.

Every builder (:mod:`bias_audit.report.recruitment_charts`, :mod:`bias_audit.report.advert_charts`)
returns a :class:`Chart`: the figure, its title and a one-sentence takeaway in plain English,
so no chart is ever shown without saying what it means. Builders build; they never render.
Fonts are large for a projector and colours come from the colour-blind-safe palette in
:mod:`bias_audit.report.style`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from bias_audit.report.style import (
    ATTRIBUTE_LABELS,
    FONT_FAMILY,
    FONT_SIZE,
    OKABE_ITO,
    TEXT_COLOUR,
    TITLE_SIZE,
)


@dataclass(frozen=True, slots=True)
class Chart:
    """A figure with the title and plain-English takeaway shown with it everywhere."""

    figure: go.Figure
    title: str
    takeaway: str
    empty: bool = False  # nothing to draw (e.g. every number suppressed): show the words only
    table: pd.DataFrame | None = None
    """The numbers drawn, as words and figures (the chart's text alternative with the
    takeaway): headers in words, cells as shown ("42%", "hidden"), one row per mark."""


def chart_layout(fig: go.Figure, title: str, *, height: int = 480) -> go.Figure:
    """Give ``fig`` the house layout: left-aligned title, large fonts, white ground, palette."""
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


def finite_number(value: Any) -> float | None:
    """A finite float, or None for missing, suppressed or "not computable" values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def attribute_label(name: str) -> str:
    """An attribute view's name in words: ``"ethnicity_wres"`` → ``"Ethnicity (WRES)"``."""
    return ATTRIBUTE_LABELS.get(name, str(name).replace("_", " "))


# Candidate tick sets for the forest plot's log axis, finest first: each is tried in turn and
# the first that spans the data with at most MAX_LOG_TICKS ticks is used.
_TICK_LADDERS: tuple[tuple[float, ...], ...] = (
    (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0),
    (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0),
    (0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0),
)
MAX_LOG_TICKS = 7


def log_ticks(lowest: float, highest: float) -> tuple[float, ...]:
    """Tick values for a log axis holding ``lowest`` … ``highest`` (both > 0).

    The ticks always include 1 and run from a tick at or below ``lowest`` to one at or above
    ``highest``, so the axis ends on named values.

    >>> log_ticks(0.9, 1.3)
    (0.8, 1.0, 1.25, 1.5)
    >>> log_ticks(0.3, 6.0)
    (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
    >>> log_ticks(0.02, 40.0)
    (0.01, 0.1, 1.0, 10.0, 100.0)
    """
    lowest, highest = min(lowest, 1.0), max(highest, 1.0)
    for ladder in _TICK_LADDERS:
        if ladder[0] <= lowest and highest <= ladder[-1]:
            start = max(i for i, t in enumerate(ladder) if t <= lowest)
            stop = min(i for i, t in enumerate(ladder) if t >= highest)
            stop = max(stop, start + 1)  # at least two ticks, even for a range of just 1
            if stop - start + 1 <= MAX_LOG_TICKS:
                return ladder[start : stop + 1]
    # Beyond a thousandfold either way: whole powers of ten, as many as it takes.
    first = math.floor(math.log10(lowest))
    last = max(math.ceil(math.log10(highest)), first + 1)
    return tuple(10.0**k for k in range(first, last + 1))


def tick_label(value: float) -> str:
    """A tick as a reader writes it: ``1``, ``0.25``, ``1.25``, ``1000``, ``1e-06``.

    >>> [tick_label(v) for v in (1.0, 0.25, 0.67, 1000.0)]
    ['1', '0.25', '0.67', '1000']
    """
    return f"{value:g}"
