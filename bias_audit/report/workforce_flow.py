"""Retention and progression as published: the ``retention`` and ``progression`` parts of a
workforce audit, with disclosure control on by default.

:func:`workforce_flow` runs :mod:`bias_audit.stats.retention` and
:mod:`bias_audit.stats.progression` on the tidy staff frame and, in published mode, hides
and rounds every count through one protection over both (see
:mod:`bias_audit.report.workforce_flow_publication`), then works out every shown statistic
from the shown counts:

- observed shares from the published counts; no share for a hidden count;
- Kaplan–Meier estimates (computed from the exact times: there is no published version of
  a survival curve) only for a group whose number of starters is shown, only while 8 or
  more are at risk, rounded to whole percentage points; curves are published at whole
  months only (so no single leaving date shows), with at-risk counts rounded to 5;
- log-rank p-values (2 significant figures) only when no group in the comparison is
  hidden;
- progression rates, ratios, intervals and p from the published counts, allowing for the
  rounding, exactly as the recruitment funnel tables
  (:func:`bias_audit.stats.progression.with_statistics`, ``published=True``).

With suppression off (an analyst's own session) every count is exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.report import suppression as sdc
from bias_audit.report import workforce_flow_publication as pub
from bias_audit.report import workforce_flow_text as words
from bias_audit.report.workforce_flow_publication import (
    MISSING_COUNT,
    Labels,
    Shown,
    published_survival,
)
from bias_audit.report.workforce_flow_tables import flat_rows, published_curves, published_tests
from bias_audit.stats import disparity, progression, retention

PROGRESSION_DIRECTION = (
    "reference group's rate ÷ this group's rate: above 1 means the reference group (White, "
    "not disabled) was more likely to make the move"
)
RETENTION_DEFINITION = (
    "Share of people who started in the period (in the chosen staff groups and bands) still "
    "in post 3, 6 and 12 months after starting: observed (of those followed long enough to "
    "know) and Kaplan–Meier (using everyone, with a 95% interval); groups compared by the "
    "log-rank test."
)
PROGRESSION_DEFINITION = (
    "Of the staff in post at both ends of the period, the share who made each move (a higher "
    "band, or a nursing associate or registered post), per group, compared with the "
    "reference group as in the recruitment funnel tables."
)
PROGRESSION_COLUMNS = (
    "move", "attribute", "group", "reference", "entered", "progressed", "rate",
    "relative_likelihood", "impact_ratio", "p_value", "mid_p", "ci_low", "ci_high",
    "one_person_check", "significance", "outside_band", "suppressed", "not_computable",
)  # fmt: skip


@dataclass(frozen=True)
class WorkforceFlow:
    """Retention and progression as shown (published counts unless ``published`` is False).

    ``retention`` and ``progression`` are the JSON values of the workforce audit's keys of
    the same names; the frames are the same numbers as tables (for CSV, XLSX, charts).
    """

    retention: dict[str, Any]
    progression: dict[str, Any]
    retention_rows: pd.DataFrame
    reasons: pd.DataFrame
    curves: pd.DataFrame
    progression_rows: pd.DataFrame
    published: bool
    unprotected: tuple[Any, ...] = field(default_factory=tuple)

    def sections(self) -> dict[str, dict[str, Any]]:
        """The two JSON values by key."""
        return {"retention": self.retention, "progression": self.progression}


def _measure(
    staff: pd.DataFrame,
    *,
    extract_date: dt.date,
    start_from: dt.date | None = None,
    start_to: dt.date | None = None,
    staff_groups: Sequence[str] | None = retention.DEFAULT_STAFF_GROUPS,
    bands: Sequence[str] | None = retention.SUPPORT_BANDS,
    source: str = "the extract",
) -> tuple[retention.Retention | None, str, progression.Progression | None, str]:
    """Retention and progression (exact), or the reason each is not computable."""
    kept = moved = None
    retention_reason = progression_reason = ""
    try:
        cohort = retention.select_cohort(
            staff,
            extract_date=extract_date,
            start_from=start_from,
            start_to=start_to,
            staff_groups=staff_groups,
            bands=bands,
            source=source,
        )
        kept = retention.retention(cohort)
    except InputDataError as error:
        retention_reason = str(error)
    try:
        moved = progression.progression(
            staff, period_end=extract_date, staff_groups=staff_groups, source=source
        )
    except InputDataError as error:
        progression_reason = str(error)
    return kept, retention_reason, moved, progression_reason


def _classes(
    index: pd.Index,
    kept: retention.Retention | None,
    moved: progression.Progression | None,
    *,
    prefix: str = "",
) -> pd.DataFrame:
    return pub.person_classes(
        index,
        cohort=None if kept is None else kept.cohort.people,
        horizons=retention.HORIZONS_MONTHS,
        followed=None if moved is None else moved.followed,
        flags=None if moved is None else moved.flags(),
        views=retention.RETENTION_VIEWS,
        prefix=prefix,
    )


def workforce_flow(
    staff: pd.DataFrame,
    *,
    extract_date: dt.date,
    suppression: bool = True,
    start_from: dt.date | None = None,
    start_to: dt.date | None = None,
    staff_groups: Sequence[str] | None = retention.DEFAULT_STAFF_GROUPS,
    bands: Sequence[str] | None = retention.SUPPORT_BANDS,
    band: tuple[float, float] = disparity.DEFAULT_ADVERSE_BAND,
    source: str = "the extract",
) -> WorkforceFlow:
    """Retention and progression of ``staff`` (the tidy staff frame), as published, with
    their own disclosure control (the workforce audit instead protects them together with
    the WRES / WDES counts: :func:`flow_dimensions`, :func:`add_flow_counts`,
    :func:`flow_sections`).

    Parameters
    ----------
    staff
        One row per person (:mod:`bias_audit.stats.workforce_schema`).
    extract_date
        The date the extract describes (people in post are followed to here).
    suppression
        Disclosure control (default on); off gives exact counts for the analyst.
    start_from, start_to
        The period of starting for retention (default: the two years to ``extract_date``).
    staff_groups, bands
        Roles whose retention and progression are measured (``None``: all).
    band
        The non-adverse band for relative likelihoods.
    source
        The file's name, for messages.
    """
    extract_date = pd.Timestamp(extract_date).date()
    kept, retention_reason, moved, progression_reason = _measure(
        staff,
        extract_date=extract_date,
        start_from=start_from,
        start_to=start_to,
        staff_groups=staff_groups,
        bands=bands,
        source=source,
    )
    shown = Shown({}, {}, published=False)
    unprotected: tuple[Any, ...] = ()
    if suppression:
        atoms = pub.atoms(_classes(staff.index, kept, moved))
        protection = pub.protect_cells(atoms, pub.specs_from_atoms(atoms))
        shown = Shown(protection.labels, protection.reasons, published=True)
        unprotected = protection.unprotected
    return _assemble(kept, retention_reason, moved, progression_reason, shown, band, unprotected)


def _assemble(
    kept: retention.Retention | None,
    retention_reason: str,
    moved: progression.Progression | None,
    progression_reason: str,
    shown: Shown,
    band: tuple[float, float],
    unprotected: tuple[Any, ...] = (),
) -> WorkforceFlow:
    ret_json, ret_rows, reason_rows, curves = _retention_part(kept, retention_reason, shown)
    prog_json, prog_rows = _progression_part(moved, progression_reason, shown, band)
    return WorkforceFlow(
        ret_json, prog_json, ret_rows, reason_rows, curves, prog_rows, shown.published, unprotected
    )


# ------------------------------------------------------------------ hooks of the workforce audit
# :func:`bias_audit.services.workforce.audit_staff` calls these three so that retention and
# progression counts are protected in the same publication as the WRES / WDES counts.
PREFIX = "flow "


@dataclass(frozen=True)
class MeasuredFlow:
    """Retention and progression of one staff extract, exact, each with the reason it is
    not computable: worked out once per audit (:func:`measure_flow`), then both added to
    the atoms (:func:`flow_dimensions`) and published (:func:`flow_sections`)."""

    staff: Any
    kept: retention.Retention | None
    retention_reason: str
    moved: progression.Progression | None
    progression_reason: str


def measure_flow(
    staff: Any,
    *,
    start_from: dt.date | None = None,
    start_to: dt.date | None = None,
    staff_groups: Sequence[str] | None = retention.DEFAULT_STAFF_GROUPS,
    bands: Sequence[str] | None = retention.SUPPORT_BANDS,
) -> MeasuredFlow:
    """Retention and progression of ``staff`` (a :class:`~bias_audit.io.workforce.StaffExtract`)
    with the workforce audit's options: the period of starting (default: the two years to
    the extract date) and the roles of the cohort (``None``: all)."""
    kept, retention_reason, moved, progression_reason = _measure(
        staff.frame,
        extract_date=_day(staff.extract_date),
        start_from=start_from,
        start_to=start_to,
        staff_groups=staff_groups,
        bands=bands,
        source=staff.source,
    )
    return MeasuredFlow(staff, kept, retention_reason, moved, progression_reason)


def flow_dimensions(measured: MeasuredFlow) -> dict[str, pd.Series]:
    """Per-person columns added to the workforce audit's atoms (every column a retention or
    progression table reads, named with the prefix ``"flow "``)."""
    classes = _classes(measured.staff.frame.index, measured.kept, measured.moved, prefix=PREFIX)
    return {column: classes[column] for column in classes}


def add_flow_counts(cells: Any) -> None:
    """Name every retention and progression count over the workforce audit's atoms (so
    :func:`bias_audit.report.suppression.protect` sees them with the indicators')."""
    specs = pub.specs_from_atoms(cells.atoms, prefix=PREFIX)
    for spec, mask in zip(specs, pub.spec_masks(cells.atoms, specs), strict=True):
        cells.add_count(spec.key, mask, spec.name, cost=spec.cost)


def flow_sections(
    measured: MeasuredFlow, cells: Any, count: Any, *, suppression: bool
) -> dict[str, dict[str, Any]]:
    """The ``retention`` and ``progression`` JSON values, each count as ``count(key)``
    gives it (the published label, or the exact count when ``suppression`` is off)."""
    return flow_from_labels(measured, cells, count, suppression=suppression).sections()


def flow_from_labels(
    measured: MeasuredFlow, cells: Any, count: Any, *, suppression: bool
) -> WorkforceFlow:
    """:func:`flow_sections` as a :class:`WorkforceFlow` (the frames too)."""
    kept, retention_reason = measured.kept, measured.retention_reason
    moved, progression_reason = measured.moved, measured.progression_reason

    def label(key: Any) -> sdc.Label:
        if key not in cells.specs:
            raise RuntimeError(MISSING_COUNT.format(key=key))
        return count(key)

    shown = Shown(Labels(label), {}, published=suppression)
    return _assemble(
        kept, retention_reason, moved, progression_reason, shown, disparity.DEFAULT_ADVERSE_BAND
    )


def _day(value: Any) -> dt.date:
    return pd.Timestamp(value).date()


def _retention_part(
    kept: retention.Retention | None, reason: str, shown: Shown
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    empty = pd.DataFrame()
    if kept is None:
        return {"reason": reason, "definition": RETENTION_DEFINITION}, empty, empty, empty
    cohort = kept.cohort
    rows, hidden_groups = [], set()
    for g in kept.groups:
        view, group = g["attribute"], g["group"]
        started = shown.count(("retention", view, group, "started"), g["started"])
        hidden = sdc.is_hidden(started)
        if hidden:
            hidden_groups.add((view, group))
        row: dict[str, Any] = {
            "attribute": view,
            "group": group,
            "reference": g["reference"],
            "started": started,
            "left": shown.count(("retention", view, group, "left"), g["left"]),
            "suppressed": hidden,
            "reason": shown.why(("retention", view, group, "started")),
        }
        for h in g["horizons"]:
            m = h["months"]
            observed = shown.count(("retention", view, group, f"observed {m}"), h["observed"])
            stayed = shown.count(("retention", view, group, f"stayed {m}"), h["stayed"])
            estimate = (
                published_survival(h["km"], h["ci_low"], h["ci_high"], g["started"], started)
                if shown.published
                else (h["km"], h["ci_low"], h["ci_high"], "")
            )
            km, low, high, withheld = estimate
            reason = h["reason"] or withheld
            if shown.published and hidden:
                km = low = high = None
                reason = row["reason"]
            row[f"at_{m}_months"] = {
                "observed": observed,
                "stayed": stayed,
                "observed_share": sdc.published_rate(stayed, observed),
                "km": km,
                "ci_low": low,
                "ci_high": high,
                "at_risk": None
                if km is None
                else sdc.round_count(h["at_risk"])
                if shown.published
                else h["at_risk"],
                "reason": reason,
            }
        rows.append(row)
    reason_rows = pd.DataFrame(
        {
            "attribute": kept.reasons["attribute"],
            "group": kept.reasons["group"],
            "reason_group": kept.reasons["reason_group"],
            "leavers": [
                shown.count(("reason", a, g, r), n)
                for a, g, r, n in kept.reasons.itertuples(index=False)
            ],
        }
    )
    starters = {
        (r["attribute"], r["group"]): (g["started"], r["started"])
        for r, g in zip(rows, kept.groups, strict=True)
    }
    curves = published_curves(kept, hidden_groups, shown, starters)
    tests = published_tests(kept.tests, hidden_groups, shown)
    total = shown.count(("retention", "total"), len(cohort.people))
    payload = {
        "definition": RETENTION_DEFINITION,
        "cohort": {
            "start_from": cohort.start_from.isoformat(),
            "start_to": cohort.start_to.isoformat(),
            "extract_date": cohort.extract_date.isoformat(),
            "staff_groups": None if cohort.staff_groups is None else list(cohort.staff_groups),
            "bands": None if cohort.bands is None else list(cohort.bands),
            "people": total,
            "excluded": shown.counts(cohort.excluded),
        },
        "horizons_months": list(kept.horizons),
        "min_at_risk": kept.min_at_risk,
        "curve_note": retention.CURVE_NOTE.format(n=kept.min_at_risk),
        "groups": rows,
        "tests": tests,
        "leaving_reasons": reason_rows.to_dict("records"),
        "curves": [
            {
                "attribute": a,
                "group": g,
                "points": part.drop(columns=["attribute", "group"]).to_dict("records"),
            }
            for (a, g), part in curves.groupby(["attribute", "group"], sort=False)
        ]
        if not curves.empty
        else [],
        "suppressed": shown.published,
        "reason": "",
    }
    payload["takeaway"] = words.retention_takeaway(payload)
    return payload, flat_rows(rows, kept.horizons), reason_rows, curves


def _progression_part(
    moved: progression.Progression | None,
    reason: str,
    shown: Shown,
    band: tuple[float, float],
) -> tuple[dict[str, Any], pd.DataFrame]:
    if moved is None:
        return {"reason": reason, "definition": PROGRESSION_DEFINITION}, pd.DataFrame()
    table = moved.table.copy()
    keys = list(zip(table["move"], table["attribute"], table["group"], strict=True))
    table["entered"] = [
        shown.count(("progression", *k, "entered"), n)
        for k, n in zip(keys, table["entered"], strict=True)
    ]
    table["progressed"] = [
        shown.count(("progression", *k, "progressed"), n)
        for k, n in zip(keys, table["progressed"], strict=True)
    ]
    table["hidden"] = [
        shown.published and (sdc.is_hidden(e) or sdc.is_hidden(p))
        for e, p in zip(table["entered"], table["progressed"], strict=True)
    ]
    table["hidden_reason"] = [
        shown.why(("progression", *k, "progressed")) or shown.why(("progression", *k, "entered"))
        for k in keys
    ]
    table["rate"] = pd.Series(
        [
            None if h else sdc.published_rate(p, e) if shown.published else r
            for h, p, e, r in zip(
                table["hidden"], table["progressed"], table["entered"], table["rate"], strict=True
            )
        ],
        index=table.index,
        dtype=object,
    )
    shown_ratio = sdc.publish_ratio if shown.published else (lambda x: x)
    table = progression.with_statistics(
        table, band=band, shown_ratio=shown_ratio, published=shown.published
    )
    table["suppressed"] = table["hidden"]
    if shown.published:
        for column in ("relative_likelihood", "impact_ratio", "ci_low", "ci_high"):
            table[column] = [sdc.publish_ratio(v) for v in table[column]]
        for column in ("p_value", "mid_p"):
            table[column] = [sdc.publish_p(v) for v in table[column]]
    rows = table[list(PROGRESSION_COLUMNS)]
    rows = rows.astype(object).where(rows.notna(), None)
    payload = {
        "definition": PROGRESSION_DEFINITION,
        "direction": PROGRESSION_DIRECTION,
        "moves": [m.name for m in moved.moves],
        "phrases": {m.name: m.phrase for m in moved.moves},
        "people": shown.count(("progression", "total"), moved.people),
        "excluded": shown.counts(moved.excluded),
        "rows": rows.to_dict("records"),
        "suppressed": shown.published,
        "reason": "",
    }
    payload["takeaway"] = words.progression_takeaway(payload)
    return payload, rows.reset_index(drop=True)
