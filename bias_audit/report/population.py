"""The "local population" section: each stage of the funnel against the Census benchmark.

:func:`population_section` takes the stage counts as published (hidden labels stay hidden:
no share, ratio or test rests on a hidden count, see :mod:`bias_audit.stats.population`)
and the benchmark shares the service looked up, and returns the JSON-ready ``population``
section; :func:`population_text` renders it as a short text section.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from bias_audit.report import suppression as sdc
from bias_audit.stats import schema
from bias_audit.stats.population import declaration_rate, goodness_of_fit, representation

HEADING = "Local population (Census 2021)"
NOTE_ALL_AGES = (
    "Ethnicity and disability benchmarks cover usual residents of all ages; applicants are "
    "of working age, so the benchmark's age mix differs from theirs (older people are more "
    "often White British and more often disabled). The sex benchmark covers residents aged "
    "16 to 64."
)
NOTE_NOT_STATED = (
    "Applicants who did not state a group, or stated one the Census does not count "
    "(listed as left out), are left out of the shares; the declaration rate beside each "
    "stage is the share who are counted."
)
NOTE_PUBLISHED = (
    "Shares, ratios and intervals are worked out from the published (rounded) counts; a "
    "stage with a hidden count has no figures."
)
NOTE_INTERVAL = (
    "Representation ratio = the group's share at the stage ÷ its population share; the 95% "
    "interval is the Wilson interval of the stage share divided by the population share."
)
SENTENCE_RATIO = "{group} {first_noun} are {first} times their share of {population}"
SENTENCE_LATER = "; among those {last_stage} they are {last} times"
SENTENCE_FIRST_NOT_COMPUTABLE = (
    "{group} {first_noun}: their share of {population} cannot be compared (a count is hidden)"
)
SENTENCE_LATER_NOT_COMPUTABLE = "; among those {last_stage}, not computable (a count is hidden)"
VIEW_NOT_COMPUTABLE = "{view}: not computable {reason}"
TEXT_VIEWS = (schema.ETHNICITY_GROUP, schema.ETHNICITY_WRES, schema.GENDER, schema.DISABILITY)
VIEW_LABELS = {
    schema.ETHNICITY_DETAILED: "Ethnicity (detailed)",
    schema.ETHNICITY_GROUP: "Ethnicity (five groups)",
    schema.ETHNICITY_WRES: "Ethnicity (WRES: White / BME)",
    schema.GENDER: "Sex",
    schema.DISABILITY: "Disability",
}


def population_section(
    stage_counts: pd.DataFrame,
    stages: tuple[str, ...],
    benchmarks: Mapping[str, tuple[pd.Series, int]],
    *,
    area: str,
    source: str,
    attribution: str,
    covered: Mapping[str, str],
    area_notes: tuple[str, ...] = (),
    not_computable: Mapping[str, str | None] | None = None,
    published: bool,
) -> dict[str, Any]:
    """The ``population`` section of the recruitment JSON.

    Parameters
    ----------
    stage_counts
        ``RecruitmentAudit.stage_counts`` (attribute, group, stage, stage_index, reached),
        as published when ``published``.
    stages
        Stage names in order.
    benchmarks
        View → (population share per group, population counted).
    area, source, attribution, covered, area_notes
        Words for the reader: the area, the data source, the licence attribution, who each
        view's benchmark counts, notes about the area (merged trusts).
    not_computable
        View → reason the view is not computable (unread values), or ``None``.
    published
        Whether the counts are the published ones (adds a note).

    Returns
    -------
    dict
        ``area``, ``source``, ``attribution``, ``notes``, ``views`` (attribute, population,
        population_count, sentences, stages: stage, counted, total, declaration_rate,
        goodness_of_fit, left_out) and ``groups`` (attribute, stage, group, count, share,
        population_share, representation_ratio, ci_low, ci_high, note).
    """
    notes = [*area_notes, NOTE_ALL_AGES, NOTE_NOT_STATED, NOTE_INTERVAL]
    if published:
        notes.append(NOTE_PUBLISHED)
    views: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    reasons = dict(not_computable or {})
    for view, (shares, people) in benchmarks.items():
        block = stage_counts[stage_counts["attribute"] == view]
        if block.empty:
            continue
        entry: dict[str, Any] = {
            "attribute": view,
            "population": covered[view],
            "population_count": people,
            "stages": [],
            "sentences": [],
        }
        reason = reasons.get(view)
        if reason is not None:
            entry["not_computable"] = reason
            views.append(entry)
            continue
        tables: dict[str, pd.DataFrame] = {}
        for stage in stages:
            rows = block[block["stage"] == stage]
            reached = dict(zip(rows["group"], rows["reached"], strict=True))
            counted = {g: reached.get(g, 0) for g in shares.index}
            left_out = {
                g: _plain(n)
                for g, n in reached.items()
                if g not in shares.index and g != schema.NOT_STATED
            }
            total = _sum(reached.values())
            stated = _sum(counted.values())
            table = representation(
                counted,
                shares.to_dict(),
                stated_total=(
                    None
                    if stated is not None
                    else _stated_total(stage_counts, stage, reached, shares.index)
                ),
            )
            fit = goodness_of_fit(counted, shares.to_dict())
            if published:  # shown as the funnel tables show theirs: 2 dp, p to 2 figures
                for column in ("representation_ratio", "ci_low", "ci_high"):
                    table[column] = [
                        None if v is None or pd.isna(v) else sdc.publish_ratio(float(v))
                        for v in table[column]
                    ]
                fit["p_value"] = sdc.publish_p(fit["p_value"])  # type: ignore[arg-type]
            tables[stage] = table
            entry["stages"].append(
                {
                    "stage": stage,
                    "counted": stated,
                    "total": total,
                    "declaration_rate": declaration_rate(stated, total),
                    "goodness_of_fit": fit,
                    "left_out": left_out,
                }
            )
            for row in table.to_dict("records"):
                groups.append(
                    {"attribute": view, "stage": stage, **{k: _plain(v) for k, v in row.items()}}
                )
        entry["sentences"] = [
            _sentence(group, tables, stages, population=f"{covered[view]} in {area}")
            for group in shares.index
        ]
        views.append(entry)
    return {
        "area": area,
        "source": source,
        "attribution": attribution,
        "notes": notes,
        "views": views,
        "groups": groups,
    }


def _sentence(
    group: str, tables: Mapping[str, pd.DataFrame], stages: tuple[str, ...], *, population: str
) -> str:
    """ "Black applicants are 1.90 times their share of …; among those appointed they are
    0.80 times." from the first and last stage's ratios."""

    def ratio(stage: str) -> str | None:
        table = tables[stage].set_index("group")
        value = table.loc[group, "representation_ratio"]
        return None if value is None or pd.isna(value) else f"{value:.2f}"

    first_noun = "applicants" if stages[0] in ("applied", "considered") else f"people {stages[0]}"
    first = ratio(stages[0])
    fields = {"group": group, "first_noun": first_noun, "population": population}
    if first is None:
        text = SENTENCE_FIRST_NOT_COMPUTABLE.format(**fields)
    else:
        text = SENTENCE_RATIO.format(**fields, first=first)
    if len(stages) > 1:
        last = ratio(stages[-1])
        text += (
            SENTENCE_LATER_NOT_COMPUTABLE.format(last_stage=stages[-1])
            if last is None
            else SENTENCE_LATER.format(last_stage=stages[-1], last=last)
        )
    return text + "."


def _stated_total(
    stage_counts: pd.DataFrame, stage: str, reached: Mapping[str, Any], counted: pd.Index
) -> int | None:
    """The total of a view's counted groups at a stage when one of them is hidden, worked
    out from other published counts: the stage's total in a view whose counts are all shown,
    less this view's not-stated and uncounted groups (all must be shown). Any figure from it
    is a function of published counts, which disclosure control already protects together."""
    others = _sum(n for g, n in reached.items() if g not in counted)
    if others is None:
        return None
    at_stage = stage_counts[stage_counts["stage"] == stage]
    for view in (schema.GENDER, schema.ETHNICITY_WRES, schema.DISABILITY, schema.ETHNICITY_GROUP):
        whole = _sum(at_stage.loc[at_stage["attribute"] == view, "reached"])
        if whole is not None and whole > 0:
            return whole - others
    return None


def _sum(values: Any) -> int | None:
    values = list(values)
    if not all(isinstance(v, int) or hasattr(v, "__index__") for v in values):
        return None
    return sum(int(v) for v in values)


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def population_text(section: Mapping[str, Any] | None) -> list[str]:
    """The text report's short section (empty without a population)."""
    if not section:
        return []
    lines = [f"{HEADING}: {section['area']}"]
    for view in section["views"]:
        if view["attribute"] not in TEXT_VIEWS:
            continue
        label = VIEW_LABELS[view["attribute"]]
        if "not_computable" in view:
            lines.append(
                "  " + VIEW_NOT_COMPUTABLE.format(view=label, reason=view["not_computable"])
            )
            continue
        rates = ", ".join(f"{s['stage']} {_percent(s['declaration_rate'])}" for s in view["stages"])
        lines.append(f"  {label} (declaration rate: {rates}):")
        lines.extend(f"    - {s}" for s in view["sentences"])
    lines.extend(f"  {note}" for note in section["notes"])
    lines.append(f"  {section['attribution']}")
    return lines


def _percent(value: float | None) -> str:
    return "not computable" if value is None else f"{value:.0%}"


TABLE_HEADERS = (
    "Characteristic",
    "Stage",
    "Group",
    "Count",
    "Share",
    "Population share",
    "Representation ratio (95% CI)",
)


def population_table_rows(section: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The section's groups as table rows of words (for HTML), the views of the text report."""
    rows = []
    for g in section["groups"]:
        if g["attribute"] not in TEXT_VIEWS:
            continue
        ratio = g["representation_ratio"]
        shown = (
            g["note"] or SENTENCE_NOT_COMPUTABLE_SHORT
            if ratio is None
            else f"{ratio:.2f} ({g['ci_low']:.2f}–{g['ci_high']:.2f})"
        )
        rows.append(
            (
                VIEW_LABELS[g["attribute"]],
                str(g["stage"]),
                str(g["group"]),
                str(g["count"]),
                "" if g["share"] is None else f"{g['share']:.1%}",
                f"{g['population_share']:.1%}",
                shown,
            )
        )
    return rows


SENTENCE_NOT_COMPUTABLE_SHORT = "not computable"


CHART_TITLE = "Local population: {view}, stage by stage against {area}"
CHART_TAKEAWAY = (
    "{group} are furthest from their population share at the {stage} stage "
    "({ratio:.2f} times their share; 1.0 means as in the population)."
)
CHART_EMPTY = (
    "No stage can be compared with the population for {view}: every stage has a hidden count "
    "or nobody stated a group."
)
CHART_Y_TITLE = "Share at the stage ÷ population share"


def population_chart(section: Mapping[str, Any], attribute: str = schema.ETHNICITY_GROUP) -> Any:
    """The "Local population" chart: each group's representation ratio at every stage,
    with its 95% interval, against the 1.0 line; the takeaway names the group and stage
    furthest from 1.0 (on the ratio's log scale).

    Returns a :class:`bias_audit.report.charts.Chart` (``empty`` when nothing is computable).
    """
    import math

    import plotly.graph_objects as go

    from bias_audit.report.charts import Chart
    from bias_audit.report.style import FONT_FAMILY, FONT_SIZE, OKABE_ITO, TEXT_COLOUR

    view = VIEW_LABELS.get(attribute, attribute)
    title = CHART_TITLE.format(view=view, area=section["area"])
    rows = [g for g in section["groups"] if g["attribute"] == attribute]
    shown = [g for g in rows if g["representation_ratio"] is not None]
    table = pd.DataFrame(
        {
            "Stage": [g["stage"] for g in rows],
            "Group": [g["group"] for g in rows],
            "Representation ratio": [
                "hidden"
                if g["representation_ratio"] is None
                else f"{g['representation_ratio']:.2f}"
                for g in rows
            ],
            "95% interval": [
                "" if g["representation_ratio"] is None else f"{g['ci_low']:.2f}–{g['ci_high']:.2f}"
                for g in rows
            ],
        }
    )
    figure = go.Figure()
    if not shown:
        return Chart(figure, title, CHART_EMPTY.format(view=view), empty=True, table=table)
    groups = list(dict.fromkeys(g["group"] for g in rows))
    for i, group in enumerate(groups):
        mine = [g for g in shown if g["group"] == group]
        figure.add_trace(
            go.Scatter(
                x=[g["stage"] for g in mine],
                y=[g["representation_ratio"] for g in mine],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [g["ci_high"] - g["representation_ratio"] for g in mine],
                    "arrayminus": [g["representation_ratio"] - g["ci_low"] for g in mine],
                },
                mode="lines+markers",
                name=str(group),
                line={"color": OKABE_ITO[i % len(OKABE_ITO)]},
            )
        )
    figure.add_hline(y=1.0, line_dash="dash", line_color="black")
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        yaxis_title=CHART_Y_TITLE,
        yaxis_type="log",
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": TEXT_COLOUR},
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=480,
    )
    furthest = max(shown, key=lambda g: abs(math.log(g["representation_ratio"] or 1e-9)))
    takeaway = CHART_TAKEAWAY.format(
        group=furthest["group"], stage=furthest["stage"], ratio=furthest["representation_ratio"]
    )
    return Chart(figure, title, takeaway, table=table)
