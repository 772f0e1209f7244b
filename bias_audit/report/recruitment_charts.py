"""Recruitment figures: the forest plot, the stage funnel and the ethnicity × gender heatmap.

Each builder returns a :class:`~bias_audit.report.charts.Chart` whose takeaway compares only
the groups shown; suppressed numbers arrive as ``None`` and are drawn as gaps, never estimated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from bias_audit.report.charts import (
    Chart,
    attribute_label,
    chart_layout,
    finite_number,
    log_ticks,
    tick_label,
)
from bias_audit.report.style import BAND_FILL, FONT_SIZE, OKABE_ITO, TEXT_COLOUR
from bias_audit.stats import schema

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


NOT_COMPUTABLE_WORDS = "not computable"


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
            value = finite_number(rec.get("relative_likelihood"))
            if rec["group"] == rec.get("reference") or value is None or rec.get("suppressed"):
                continue
            if not (0 < value < math.inf):
                # A ratio of 0 (the reference group had nobody progressing) has no place on a
                # log axis; the significance table still shows it.
                continue
            label = f"{attribute_label(attribute)}: {rec['group']} vs {rec.get('reference')}"
            rows.append(
                (label, value, finite_number(rec.get("ci_low")), finite_number(rec.get("ci_high")))
            )
    fig = go.Figure()
    fig.add_vrect(x0=low, x1=high, fillcolor=BAND_FILL, line_width=0, layer="below")
    fig.add_vline(x=1.0, line_dash="dash", line_color=TEXT_COLOUR)
    if not rows:
        return Chart(chart_layout(fig, title, height=300), title, FOREST_NONE, empty=True)
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
    return Chart(
        chart_layout(fig, title, height=160 + 55 * len(rows)), title, takeaway, table=table
    )


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
    title = FUNNEL_TITLE.format(attribute=attribute_label(attribute))
    fig = go.Figure()
    stages = list(dict.fromkeys(shares["stage"]))
    last: dict[str, float] = {}
    without_last: list[str] = []
    not_stated: list[str] = []
    table_rows: dict[str, dict[str, str]] = {}
    missing_word = SHARE_HIDDEN if suppression else SHARE_NONE
    symbols = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon")
    for i, (group, part) in enumerate(shares.groupby("group", sort=False)):
        values = [finite_number(v) for v in part["share"]]
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
    table.index.name = attribute_label(attribute)
    table = table.reset_index()
    drawn = any(v is not None for t in fig.data for v in t.y)
    if not drawn:
        return Chart(chart_layout(fig, title), title, FUNNEL_NONE, empty=True, table=table)
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
    return Chart(chart_layout(fig, title), title, takeaway, table=table)


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
    cells = cells.assign(rate=cells["rate"].map(finite_number).astype(float))
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
                    finite_number(grid.loc[e, g]),
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
        return Chart(
            chart_layout(fig, title), title, HEATMAP_NONE, empty=stacked.empty, table=table
        )
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
    return Chart(chart_layout(fig, title, height=height), title, takeaway, table=table)


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
        title = FUNNEL_TITLE.format(attribute=attribute_label(funnel_attribute))
        missing = FUNNEL_MISSING.format(attribute=attribute_label(funnel_attribute).lower())
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
                "rate": cross["rate"].map(finite_number).astype(float),
                "suppressed": cross["suppressed"].fillna(False).astype(bool),
            }
        )
        charts.append(
            heatmap_chart(cells, from_stage=first, to_stage=last, suppression=audit.suppression)
        )
    return charts
