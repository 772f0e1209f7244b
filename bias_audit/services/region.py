"""The region workflow: several organisations (and years) compared fairly.

:func:`audit_region` reads one extract with an organisation column, or several extracts
(one per organisation), and gives for each metric — WRES indicator 2, WDES metric 2 and the
shortlisting ratio (White vs BME, applied → shortlisted) —

- a **funnel plot**: each organisation's relative likelihood against the pooled value with
  95% and 99.8% control limits (Spiegelhalter 2005; over-dispersion checked and, when
  found, allowed for with an additive random effect; :mod:`bias_audit.stats.funnel_plot`),
  organisations outside the limits named, listed alphabetically (no ranking);
- with a year column, the **trend**: the pooled ratio each year with its 95% interval and
  an inverse-variance weighted test for a trend (:mod:`bias_audit.stats.trend`).

Disclosure control (on by default): every organisation's, every year's and the pooled
counts are protected together (:mod:`bias_audit.report.region_publication`), and every
plotted point, limit and trend is worked out from the published counts.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

import pandas as pd

from bias_audit.errors import OptionError
from bias_audit.io.organisations import (
    NOT_GIVEN,
    ODS_SOURCE,
    UNKNOWN_YEAR,
    RegionCounts,
    YearBy,
    read_region,
)
from bias_audit.report import region_publication as rp
from bias_audit.report import suppression as sdc
from bias_audit.report.region_results import RegionAudit, RegionMetric
from bias_audit.stats import indicators, schema
from bias_audit.stats.funnel_plot import Z_95, Counts, FunnelPlot, funnel_plot, log_ratio
from bias_audit.stats.trend import Trend, trend

REASON_ONE_ORGANISATION = "a funnel plot needs at least two organisations"
REASON_NO_YEARS = "no year column was given"
REASON_NO_VIEW = "the extract has no {label} column"
REASON_NO_SHORTLISTING = indicators.NOT_COMPUTABLE_NO_SHORTLISTING
MSG_BAD_RATIO = (
    '--ratio {value!r} is not of the form "view:reference/focal:from>to", e.g. '
    '--ratio "gender:Male/Female:applied>shortlisted"'
)
MSG_RATIO_VIEW = "--ratio {value!r}: {view!r} is not a view; use one of {views}"
MSG_RATIO_STAGE = (
    "--ratio {value!r}: {stage!r} is not a stage of the extract ({stages}); the first stage "
    "must come before the second"
)
# Names a user may give for a view in --ratio.
RATIO_VIEWS = {
    "ethnicity": schema.ETHNICITY_WRES,
    "wres": schema.ETHNICITY_WRES,
    "ethnicity_wres": schema.ETHNICITY_WRES,
    "ethnic group": schema.ETHNICITY_GROUP,
    "ethnicity_group": schema.ETHNICITY_GROUP,
    "ethnicity detailed": schema.ETHNICITY_DETAILED,
    "gender": schema.GENDER,
    "sex": schema.GENDER,
    "disability": schema.DISABILITY,
    "age band": schema.AGE_BAND,
    "age_band": schema.AGE_BAND,
    "religion": schema.RELIGION,
    "sexual orientation": schema.SEXUAL_ORIENTATION,
    "sexual_orientation": schema.SEXUAL_ORIENTATION,
}


def default_metrics(stages: Sequence[str], *, rows_are: str) -> list[RegionMetric]:
    """WRES indicator 2, WDES metric 2, and the shortlisting ratio (White vs BME) when the
    ladder has a stage before shortlisting.

    >>> [m.key for m in default_metrics(("applied", "shortlisted", "appointed"),
    ...                                 rows_are="applications")]
    ['wres_indicator_2', 'wdes_metric_2', 'shortlisting_ethnicity']
    """
    start = indicators.shortlisting_stage(tuple(stages), rows_are=rows_are)
    last = len(stages) - 1
    metrics = [
        RegionMetric("wres_indicator_2", indicators.WRES_NAME, schema.ETHNICITY_WRES,
                     schema.WHITE, schema.BME, indicators.WRES_DIRECTION, "national", start,
                     last),
        RegionMetric("wdes_metric_2", indicators.WDES_NAME, schema.DISABILITY,
                     schema.NON_DISABLED, schema.DISABLED, indicators.WDES_DIRECTION,
                     "national", start, last),
    ]  # fmt: skip
    if start is not None and start > 0:
        metrics.append(
            RegionMetric(
                "shortlisting_ethnicity",
                "Shortlisting (White vs BME)",
                schema.ETHNICITY_WRES,
                schema.WHITE,
                schema.BME,
                "above 1 means White applicants are more likely to be shortlisted",
                "step",
                start - 1,
                start,
            )
        )
    return metrics


def parse_ratio(value: str, stages: Sequence[str]) -> RegionMetric:
    """A selection-rate ratio to compare as well: ``"view:reference/focal:from>to"``.

    >>> m = parse_ratio("gender:Male/Female:applied>shortlisted",
    ...                 ("applied", "shortlisted", "appointed"))
    >>> m.key, m.view, m.reference, m.focal, m.start, m.end
    ('gender_male_female_applied_shortlisted', 'gender', 'Male', 'Female', 0, 1)
    """
    parts = [p.strip() for p in value.split(":")]
    if len(parts) != 3 or "/" not in parts[1] or ">" not in parts[2]:
        raise OptionError(MSG_BAD_RATIO.format(value=value))
    view = RATIO_VIEWS.get(parts[0].lower().replace("-", " "))
    if view is None:
        raise OptionError(
            MSG_RATIO_VIEW.format(value=value, view=parts[0], views=", ".join(sorted(RATIO_VIEWS)))
        )
    reference, focal = (g.strip() for g in parts[1].split("/", 1))
    first, second = (t.strip() for t in parts[2].split(">", 1))
    lowered = [str(s).lower() for s in stages]
    for stage in (first, second):
        if stage.lower() not in lowered:
            raise OptionError(
                MSG_RATIO_STAGE.format(value=value, stage=stage, stages=", ".join(stages))
            )
    start, end = lowered.index(first.lower()), lowered.index(second.lower())
    if not reference or not focal or start >= end:
        raise OptionError(MSG_BAD_RATIO.format(value=value))
    key = "_".join(
        re.sub(r"[^a-z0-9]+", "_", t.lower()).strip("_")
        for t in (view, reference, focal, stages[start], stages[end])
    )
    return RegionMetric(
        key,
        f"{stages[start]} → {stages[end]} ({reference} vs {focal})",
        view,
        reference,
        focal,
        f"above 1 means {reference} applicants are more likely to go from {stages[start]} "
        f"to {stages[end]}",
        "step",
        start,
        end,
    )


def _units(region: RegionCounts) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    first = region.families[0]
    organisations = sorted(
        {str(o) for o in first[rp.ORGANISATION].dropna().unique()}, key=str.casefold
    )
    years_frame = region.by_year
    years = []
    if years_frame is not None:
        years = sorted({str(y) for y in years_frame[rp.YEAR].dropna().unique()} - {UNKNOWN_YEAR})
    units = [(rp.ORGANISATION, o) for o in organisations]
    units += [(rp.YEAR, y) for y in years]
    units.append((rp.POOLED, ""))
    return units, organisations, years


def _metric_atoms(
    metric: RegionMetric, universe: Sequence[tuple[int, str]], last: int
) -> rp.MetricAtoms:
    if metric.kind == "national":
        entered, selected = rp.national_atoms(universe, start=metric.start or 0, last=last)
    else:
        entered, selected = rp.step_atoms(
            universe, start=metric.start or 0, end=metric.end or last, last=last
        )
    return rp.MetricAtoms(
        metric.key, metric.view, metric.reference, metric.focal, entered, selected
    )


def audit_region(
    sources: Sequence[str | os.PathLike[str] | bytes | BinaryIO],
    *,
    names: Sequence[str] | None = None,
    organisation_column: str | None = None,
    year_column: str | None = None,
    year_by: YearBy = "financial",
    suppression: bool = True,
    ratios: Sequence[str] = (),
    read_options: Mapping[str, Any] | None = None,
) -> RegionAudit:
    """Compare organisations (and years) on WRES indicator 2, WDES metric 2 and the
    shortlisting ratio.

    Parameters
    ----------
    sources
        One extract with an organisation column, or several extracts (one per
        organisation, named by the file: a file named with a trust's ODS code shows that
        trust's name).
    names
        File names for bytes sources (the app's uploads).
    organisation_column
        Header of the organisation column (default: found by name, e.g. "Trust", "ODS Code",
        "Organisation").
    year_column
        Header of a year, financial year or date column: adds the year-by-year trend.
    year_by
        Dates go into financial years (default, as WRES / WDES) or calendar years.
    suppression
        Disclosure control (default on): counts 1–7 hidden, others rounded to 5, one
        protection across every organisation, year and the pooled figure.
    ratios
        More selection-rate ratios to compare, each ``"view:reference/focal:from>to"``
        (e.g. ``"gender:Male/Female:applied>shortlisted"``); protected with the rest.
    read_options
        Passed to the reader (columns, stages, sheet, rows_are, recode, max_bytes).

    Returns
    -------
    RegionAudit
    """
    region = read_region(
        sources,
        names=names,
        organisation_column=organisation_column,
        year_column=year_column,
        year_by=year_by,
        read_options=read_options,
    )
    stages = region.stages
    last = len(stages) - 1
    units, organisations, years = _units(region)
    metrics = default_metrics(stages, rows_are=region.rows_are)
    for extra in ratios:
        added = parse_ratio(extra, stages)
        if added.key not in {m.key for m in metrics}:
            metrics.append(added)
    universe = rp.universe_of(region.families, stages)
    present = set(region.attributes)
    reasons: dict[str, str] = {}
    usable = []
    for metric in metrics:
        if metric.start is None:
            reasons[metric.key] = REASON_NO_SHORTLISTING
        elif metric.view not in present:
            label = {schema.ETHNICITY_WRES: "ethnicity"}.get(
                metric.view, metric.view.replace("_", " ")
            )
            reasons[metric.key] = REASON_NO_VIEW.format(label=label)
        else:
            usable.append(metric)
    atoms = [_metric_atoms(m, universe, last) for m in usable]
    publication = rp.publish_region(region.families, stages, atoms, units, suppression=suppression)
    funnels: dict[str, FunnelPlot | None] = {}
    funnel_reasons: dict[str, str] = dict(reasons)
    pooled: dict[str, dict[str, Any]] = {}
    trends: dict[str, Trend | None] = {}
    trend_reasons: dict[str, str] = dict(reasons)
    for metric in metrics:
        if metric not in usable:
            funnels[metric.key] = trends[metric.key] = None
            continue
        shown, why = rp.shown_counts(publication, metric.key, (rp.POOLED, ""))
        pooled[metric.key] = _pooled(shown, why, metric)
        plotted = [o for o in organisations if o != NOT_GIVEN]
        if len(plotted) < 2:
            funnels[metric.key] = None
            funnel_reasons[metric.key] = REASON_ONE_ORGANISATION
        else:
            per_org, hidden = _shown_per(publication, metric.key, rp.ORGANISATION, plotted)
            plot = funnel_plot(
                per_org,
                Counts(*shown) if shown is not None else Counts(0, 0, 0, 0),
                reference=metric.reference,
                focal=metric.focal,
            )
            funnels[metric.key] = _with_hidden(plot, hidden)
        if not years:
            trends[metric.key] = None
            trend_reasons[metric.key] = REASON_NO_YEARS
        else:
            per_year, withheld = _shown_per(publication, metric.key, rp.YEAR, years)
            trends[metric.key] = trend(
                per_year, reference=metric.reference, focal=metric.focal, withheld=withheld
            )
    notes = list(region.notes)
    notes.append(f"Trust names and codes: {ODS_SOURCE}.")
    if suppression:
        notes.append(sdc.SUPPRESSION_NOTE)
    warnings = [w for f in region.funnels for w in f.warnings]
    return RegionAudit(
        sources=tuple(str(f.source) for f in region.funnels[: len(sources)]),
        organisation_column=region.organisation_column,
        year_column=region.year_column,
        suppression=suppression,
        organisations=region.organisations,
        metrics=tuple(metrics),
        funnels=funnels,
        funnel_reasons=funnel_reasons,
        pooled=pooled,
        trends=trends,
        trend_reasons=trend_reasons,
        counts=publication.labels,
        hidden_reasons=publication.reasons,
        notes=notes,
        warnings=list(dict.fromkeys(warnings)),
        years=tuple(years),
        unprotected=publication.unprotected,
    )


def _pooled(
    shown: tuple[int, int, int, int] | None, why: str, metric: RegionMetric
) -> dict[str, Any]:
    """The pooled ratio and its Katz 95% interval, from the shown pooled counts."""
    out: dict[str, Any] = {"value": None, "ci_low": None, "ci_high": None, "reason": why}
    if shown is None:
        return out
    value, se, reason = log_ratio(Counts(*shown), reference=metric.reference, focal=metric.focal)
    if value is None:
        out["reason"] = reason
        return out
    out["value"] = math.exp(value)
    if se is not None:
        out["ci_low"] = math.exp(value - Z_95 * se)
        out["ci_high"] = math.exp(value + Z_95 * se)
    return out


def _with_hidden(plot: FunnelPlot, hidden: Mapping[str, str]) -> FunnelPlot:
    """Add organisations whose counts are hidden, as not plotted (alphabetical order kept)."""
    if not hidden:
        return plot
    from bias_audit.stats.funnel_plot import NOT_PLOTTED, Point

    extra = [
        Point(org, Counts(0, 0, 0, 0), None, None, None, None, None, None, NOT_PLOTTED, why)
        for org, why in hidden.items()
    ]
    points = sorted(
        [*plot.points, *extra], key=lambda p: (p.organisation.casefold(), p.organisation)
    )
    return FunnelPlot(plot.target, plot.target_reason, tuple(points), plot.dispersion, plot.curve)


def region_table(audit: RegionAudit) -> pd.DataFrame:
    """One row per metric × organisation / year / pooled: counts as shown and statistics."""
    from bias_audit.report.region_text import region_rows

    return pd.DataFrame(region_rows(audit))


def _shown_per(
    publication: rp.RegionPublication, key: str, dimension: str, values: Sequence[str]
) -> tuple[dict[str, Counts], dict[str, str]]:
    """The published counts of ``key`` for each value of ``dimension`` (an organisation or
    a year), and the reason for each value whose counts are withheld."""
    shown: dict[str, Counts] = {}
    withheld: dict[str, str] = {}
    for value in values:
        counts, reason = rp.shown_counts(publication, key, (dimension, value))
        if counts is None:
            withheld[value] = reason
        else:
            shown[value] = Counts(*counts)
    return shown, withheld
