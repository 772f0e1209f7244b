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
FUNNEL_EQUAL = (
    "All {n} groups keep the same share to the last stage ({rate:.0%} of applicants, to the "
    "nearest percent)."
)
FUNNEL_ONE = (
    "Only {shown} has a share shown at the last stage ({rate:.0%} of applicants), so no "
    "groups are compared there; {missing} {has_have} no share shown at that stage ({why})."
)
FUNNEL_NO_LAST = (
    "No group has a share shown at the last stage ({why}); the lines show the earlier stages "
    "only, so no groups are compared."
)
FUNNEL_NOT_COMPARED = " {groups} {is_are} drawn but not compared."
FUNNEL_MISSING = "This extract has no {attribute} information to draw the funnel by."
FUNNEL_NONE = "Too few people are shown (after suppression) to draw the funnel."
WHY_HIDDEN = "hidden to protect small groups"
WHY_NOT_COMPUTABLE = "not computable"
HEATMAP_TITLE = "Selection rate {from_stage} → {to_stage}, ethnicity × gender"
HEATMAP_TAKEAWAY = (
    "Of the groups who stated both, the highest rate is {best} ({best_rate:.0%}) and the lowest "
    "is {worst} ({worst_rate:.0%})."
)
HEATMAP_EQUAL = (
    "All {n} groups who stated both have the same rate ({rate:.0%}, to the nearest percent)."
)
HEATMAP_ONE = "Only {best} ({best_rate:.0%}) has a rate shown among the groups who stated both."
HEATMAP_NOT_STATED = " Cells with Not stated ({low:.0%} to {high:.0%}) are shown but not compared."
HEATMAP_NOT_STATED_ONE = " The Not stated cell ({low:.0%}) is shown but not compared."
HEATMAP_BLANK_HIDDEN = " Blank cells are hidden to protect small groups."
HEATMAP_BLANK_NOBODY = " Blank cells have nobody at this step."
HEATMAP_BLANK_BOTH = " Blank cells are hidden to protect small groups or have nobody at this step."
HEATMAP_LEFT_OUT = " Left out, with no rate to show in any cell ({why}): {what}."
HEATMAP_LEFT_OUT_ROWS = "ethnicity {names}"
HEATMAP_LEFT_OUT_COLUMNS = "gender {names}"
HEATMAP_WHY_HIDDEN = "hidden to protect small groups, or nobody at this step"
HEATMAP_WHY_NOBODY = "nobody at this step"
HEATMAP_NONE = "No ethnicity × gender group is large enough to show."
SHARE_HIDDEN = "hidden"
SHARE_NONE = "not shown"
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
    lows = [r[2] if r[2] is not None else r[1] for r in rows]
    highs = [r[3] if r[3] is not None else r[1] for r in rows]
    ticks = log_ticks(min(*lows, low), max(*highs, high))
    pad = 0.04 * (math.log10(ticks[-1]) - math.log10(ticks[0]))
    fig.update_xaxes(
        type="log",
        title="Relative likelihood (reference ÷ group; log scale)",
        showgrid=True,
        gridcolor="#e8edee",
        # Plotly's own log ticks read "4 5 6 7 8 9 1 2 3" across a wide interval; these are
        # ratios a reader can name: halves and doubles around 1.
        tickmode="array",
        tickvals=list(ticks),
        ticktext=[tick_label(t) for t in ticks],
        range=[math.log10(ticks[0]) - pad, math.log10(ticks[-1]) + pad],
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
    table = pd.DataFrame(
        {
            "Comparison": labels,
            "Relative likelihood": [f"{v:.2f}" for v in values],
            "95% confidence interval": [
                f"{r[2]:.2f} to {r[3]:.2f}"
                if r[2] is not None and r[3] is not None
                else NOT_COMPUTABLE_WORDS
                for r in rows
            ],
            f"Inside the {low:.2f}–{high:.2f} band": ["no" if o else "yes" for o in outside],
        }
    )
    return Chart(_layout(fig, title, height=160 + 55 * len(rows)), title, takeaway, table=table)


# Candidate tick sets for the forest plot's log axis, finest first: each is tried in turn and
# the first that spans the data with at most MAX_LOG_TICKS ticks is used.
_TICK_LADDERS: tuple[tuple[float, ...], ...] = (
    (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0),
    (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0),
    (0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0),
)
MAX_LOG_TICKS = 7
NOT_COMPUTABLE_WORDS = "not computable"
YES_NO_WORDS = {True: "yes", False: "no"}


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


def _percent(value: float | None, *, missing: str) -> str:
    """A share or rate as a table shows it: ``"42%"``, or the word for why there is none."""
    return missing if value is None else f"{value:.0%}"


def _names(names: Sequence[str]) -> str:
    """``"A"``, ``"A and B"``, ``"A, B and C"``.

    >>> _names(["A"]), _names(["A", "B", "C"])
    ('A', 'A, B and C')
    """
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _same_percent(a: float, b: float) -> bool:
    """True when two rates read the same to the nearest percent (as the captions show them)."""
    return round(a * 100) == round(b * 100)


def funnel_chart(shares: pd.DataFrame, *, attribute: str, suppression: bool = True) -> Chart:
    """Line chart of the share of each group's applicants reaching every stage.

    The takeaway compares the groups' shares at the last stage and says so when there is
    nothing to compare: one group or none shown there (the lines that are drawn are still
    described), or every share the same to the nearest percent. Groups whose label is "Not
    stated" are drawn and named as not compared.

    Parameters
    ----------
    shares
        Tidy table with columns ``group``, ``stage`` (in stage order) and ``share`` (the
        fraction of that group's applicants who reached the stage; missing when suppressed).
    attribute
        The attribute view, for the title.
    suppression
        Whether small numbers were suppressed: a missing share is then called hidden.
    """
    title = FUNNEL_TITLE.format(attribute=_pretty(attribute))
    fig = go.Figure()
    stages = list(dict.fromkeys(shares["stage"]))
    last: dict[str, float] = {}
    without_last: list[str] = []
    not_stated: list[str] = []
    table_rows: dict[str, dict[str, str]] = {}
    missing_word = SHARE_HIDDEN if suppression else SHARE_NONE
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
        by_stage = dict(zip(part["stage"], values, strict=True))
        table_rows[str(group)] = {
            stage: _percent(by_stage.get(stage), missing=missing_word) for stage in stages
        }
        final = by_stage.get(stages[-1]) if stages else None
        if not _stated(group):
            if any(v is not None for v in values):
                not_stated.append(str(group))
        elif final is not None:
            last[str(group)] = final
        else:
            without_last.append(str(group))
    fig.update_xaxes(categoryorder="array", categoryarray=stages)
    fig.update_yaxes(tickformat=".0%", title="Share of applicants", range=[0, 1.05])
    table = pd.DataFrame.from_dict(table_rows, orient="index", columns=stages)
    table.index.name = _pretty(attribute)
    table = table.reset_index()
    drawn = any(v is not None for t in fig.data for v in t.y)
    if not drawn:
        return Chart(_layout(fig, title), title, FUNNEL_NONE, empty=True, table=table)
    why = WHY_HIDDEN if suppression else WHY_NOT_COMPUTABLE
    if not last:
        takeaway = FUNNEL_NO_LAST.format(why=why)
    elif len(last) == 1:
        ((shown, rate),) = last.items()
        takeaway = FUNNEL_ONE.format(
            shown=shown,
            rate=rate,
            missing=_names(without_last) if without_last else "the other groups",
            has_have="has" if len(without_last) == 1 else "have",
            why=why,
        )
    else:
        best = max(last, key=last.__getitem__)
        worst = min(last, key=last.__getitem__)
        if _same_percent(last[best], last[worst]):
            takeaway = FUNNEL_EQUAL.format(n=len(last), rate=last[best])
        else:
            takeaway = FUNNEL_TAKEAWAY.format(
                best=best, best_rate=last[best], worst=worst, worst_rate=last[worst]
            )
    if not_stated:
        takeaway += FUNNEL_NOT_COMPARED.format(
            groups=_names(not_stated), is_are="is" if len(not_stated) == 1 else "are"
        )
    return Chart(_layout(fig, title), title, takeaway, table=table)


def heatmap_chart(
    cells: pd.DataFrame, *, from_stage: str, to_stage: str, suppression: bool = True
) -> Chart:
    """Heatmap of selection rates for ethnicity (rows) × gender (columns).

    Rows and columns with no rate in any cell (nobody at the step, or every cell hidden)
    are left out, and the takeaway names them. The takeaway compares the groups who stated
    both their ethnicity and gender, names the range of the Not stated cells that are drawn,
    and says why the blank cells that remain are blank: hidden only when suppression is on.

    Parameters
    ----------
    cells
        Columns ``ethnicity``, ``gender`` and ``rate`` (missing where suppressed or not
        computable); optionally ``suppressed`` (true where small-number suppression hid it).
    from_stage, to_stage
        The transition, for the title.
    suppression
        Whether small numbers were suppressed in this audit.
    """
    title = HEATMAP_TITLE.format(from_stage=from_stage, to_stage=to_stage)
    cells = cells.assign(rate=cells["rate"].map(_number).astype(float))
    if "suppressed" in cells:
        hidden = cells["suppressed"].fillna(False).astype(bool) & bool(suppression)
    else:
        hidden = pd.Series(bool(suppression), index=cells.index)
    cells = cells.assign(hidden=hidden & cells["rate"].isna())
    grid = cells.pivot_table(
        index="ethnicity", columns="gender", values="rate", sort=False, dropna=False
    )
    # A combination with no row at all had nobody in it; NaN must not read as "hidden".
    hidden_grid = (
        cells.pivot_table(
            index="ethnicity", columns="gender", values="hidden", sort=False, aggfunc="any"
        )
        .reindex(index=grid.index, columns=grid.columns)
        .fillna(False)
        .astype(bool)
    )
    keep_rows = grid.notna().any(axis=1)
    keep_cols = grid.notna().any(axis=0)
    dropped_rows = [str(r) for r in grid.index[~keep_rows]]
    dropped_cols = [str(c) for c in grid.columns[~keep_cols]]
    dropped_hidden = bool(hidden_grid.loc[~keep_rows].to_numpy().any()) or bool(
        hidden_grid.loc[:, ~keep_cols].to_numpy().any()
    )
    grid = grid.loc[keep_rows, keep_cols]
    hidden_grid = hidden_grid.loc[keep_rows, keep_cols]
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
    table = pd.DataFrame(
        [
            [
                _percent(
                    _number(grid.loc[e, g]),
                    missing=SHARE_HIDDEN if hidden_grid.loc[e, g] else SHARE_NONE,
                )
                for g in grid.columns
            ]
            for e in grid.index
        ],
        columns=[str(g) for g in grid.columns],
    )
    table.insert(0, "Ethnicity", [str(e) for e in grid.index])
    stacked = grid.stack().dropna()
    stated = stacked[[_stated(e) and _stated(g) for e, g in stacked.index]]
    if stated.empty:
        return Chart(_layout(fig, title), title, HEATMAP_NONE, empty=stacked.empty, table=table)
    best, worst = stated.idxmax(), stated.idxmin()
    if len(stated) == 1:
        takeaway = HEATMAP_ONE.format(best=" × ".join(map(str, best)), best_rate=stated[best])
    elif _same_percent(stated[best], stated[worst]):
        takeaway = HEATMAP_EQUAL.format(n=len(stated), rate=stated[best])
    else:
        takeaway = HEATMAP_TAKEAWAY.format(
            best=" × ".join(map(str, best)),
            best_rate=stated[best],
            worst=" × ".join(map(str, worst)),
            worst_rate=stated[worst],
        )
    others = stacked.drop(stated.index)
    if len(others) == 1:
        takeaway += HEATMAP_NOT_STATED_ONE.format(low=others.iloc[0])
    elif len(others) > 1:
        takeaway += HEATMAP_NOT_STATED.format(low=others.min(), high=others.max())
    blank = grid.isna().to_numpy()
    blank_hidden = blank & hidden_grid.to_numpy()
    if blank_hidden.any() and (blank & ~hidden_grid.to_numpy()).any():
        takeaway += HEATMAP_BLANK_BOTH
    elif blank_hidden.any():
        takeaway += HEATMAP_BLANK_HIDDEN
    elif blank.any():
        takeaway += HEATMAP_BLANK_NOBODY
    if dropped_rows or dropped_cols:
        what = [HEATMAP_LEFT_OUT_ROWS.format(names=_names(dropped_rows))] if dropped_rows else []
        if dropped_cols:
            what.append(HEATMAP_LEFT_OUT_COLUMNS.format(names=_names(dropped_cols)))
        why = HEATMAP_WHY_HIDDEN if dropped_hidden else HEATMAP_WHY_NOBODY
        takeaway += HEATMAP_LEFT_OUT.format(why=why, what="; ".join(what))
    height = 140 + 70 * len(grid.index)
    return Chart(_layout(fig, title, height=height), title, takeaway, table=table)


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
    age = _number(reading_age)
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
        charts.append(
            funnel_chart(shares, attribute=funnel_attribute, suppression=audit.suppression)
        )
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
                "suppressed": cross["suppressed"].fillna(False).astype(bool),
            }
        )
        charts.append(
            heatmap_chart(cells, from_stage=first, to_stage=last, suppression=audit.suppression)
        )
    return charts
