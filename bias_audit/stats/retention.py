"""Retention of new starters: who is still in post 3, 6 and 12 months after starting.

The cohort is everyone in the tidy staff frame (:mod:`bias_audit.stats.workforce_schema`)
who started in a chosen period (default: the two years before the extract date) in the
chosen staff groups and bands (default: healthcare support roles, Agenda for Change Bands
1–4 in the ESR staff group "Additional Clinical Services").

Time in post runs from the start date to the leaving date, or to the extract date for
people still in post then (right-censored: we know only that they stayed at least that
long). Two measures, each per group of ethnicity (WRES view), gender, disability and age
band:

- *observed shares*: of the people observed long enough to know (they left, or started at
  least h months before the extract date), how many were still in post at h months —
  plain counts a reader can check;
- *Kaplan–Meier* estimates of the same share, which also use the people not yet observed
  for h months, with a pointwise 95% interval (:mod:`bias_audit.stats.retention_km`:
  ``statsmodels.duration.survfunc.SurvfuncRight``, Greenwood's standard error on the
  log(−log) scale).

"Still in post at h months" means time in post longer than h months (a leaver on the day
counts as gone), as the Kaplan–Meier S(h) = P(T > h). Groups are compared by the log-rank
test (``statsmodels.duration.survfunc.survdiff``): all stated groups of a view together, and
each group with the reference group. A curve (and an estimate at h) is given only while 8
or more people in the group are still at risk; below that it stops, and says so.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError, OptionError
from bias_audit.stats import disparity, schema
from bias_audit.stats import workforce_schema as ws
from bias_audit.stats.rates import is_not_stated
from bias_audit.stats.retention_km import (
    MIN_AT_RISK,
    KaplanMeier,
    horizon_days,
    kaplan_meier,
    km_curve,
    km_monthly,
    loglog_interval,
    logrank,
)
from bias_audit.yaml_files import load_yaml

HORIZONS_MONTHS: tuple[int, ...] = (3, 6, 12)
DEFAULT_PERIOD_YEARS = 2
DEFAULT_STAFF_GROUPS: tuple[str, ...] = ("Additional Clinical Services",)
SUPPORT_BANDS: tuple[str, ...] = ("Band 1", "Band 2", "Band 3", "Band 4")
RETENTION_VIEWS: tuple[str, ...] = (
    schema.ETHNICITY_WRES,
    schema.GENDER,
    schema.DISABILITY,
    schema.AGE_BAND,
)

NO_START_DATE = (
    "{source}: retention needs each person's start date, and the extract has no start-date "
    'column; map one with --column start_date="Your column"'
)
BAD_PERIOD = "the retention period starts on {start} and ends on {end}: the start must come first"
NO_COHORT = (
    "nobody started between {start} and {end} in {groups}, {bands}, so there is no retention "
    "to measure; choose another period, staff group or band"
)
REASON_FEW_AT_RISK = "fewer than {n} people in this group were still at risk at {h} months"
REASON_NOT_OBSERVED = "nobody in this group has been observed for {h} months yet"
REASON_INTERVAL_EDGE = "everyone or no one was still in post, so the interval is undefined"
REASON_ONE_GROUP = "there is only one stated group with anyone in it, so nothing to compare"
REASON_NO_REFERENCE = "there is no stated group to compare with"
REASON_NO_OVERLAP = (
    "a group had nobody still in post whenever someone left, so the log-rank test has "
    "nothing to compare"
)
CURVE_NOTE = (
    "Each curve is drawn only while {n} or more people in the group are still at risk; it "
    "stops where fewer remain."
)
# How many people the cohort left out, and why (counted, never silently dropped).
EXCLUDED_NO_START = "no start date"
EXCLUDED_LEFT_BEFORE_START = "leaving date before the start date"
EXCLUDED_STARTED_AFTER_EXTRACT = "start date after the extract date"
NOT_RECORDED = "Not recorded"
OTHER_REASON = "Other"

REASONS_FILE = files("bias_audit").joinpath("data/esr_leaving_reasons.yml")


@functools.cache
def _reason_rules() -> tuple[str, tuple[tuple[str, str, bool], ...]]:
    data = load_yaml(REASONS_FILE.read_text(encoding="utf-8"))
    rules = tuple(
        (_fold(r["prefix"]), str(r["group"]), bool(r.get("keep_detail", False)))
        for r in data["rules"]
    )
    return str(data["voluntary_group"]), rules


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", str(text).casefold()).split())


def leaving_reason_group(reason: object) -> str:
    """The reported group of an ESR leaving reason (rules in ``data/esr_leaving_reasons.yml``).

    Voluntary resignations keep their sub-reason; other reasons are grouped by kind.

    >>> leaving_reason_group("Voluntary Resignation - Work Life Balance")
    'Voluntary resignation – Work Life Balance'
    >>> leaving_reason_group("Dismissal - Conduct"), leaving_reason_group("Retirement Age")
    ('Dismissal', 'Retirement')
    >>> leaving_reason_group("Death in Service"), leaving_reason_group(None)
    ('Other', 'Not recorded')
    """
    if reason is None or (isinstance(reason, float) and np.isnan(reason)):
        return NOT_RECORDED
    text = str(reason).strip()
    if not text:
        return NOT_RECORDED
    folded = _fold(text)
    _, rules = _reason_rules()
    for prefix, group, keep_detail in rules:
        if folded.startswith(prefix):
            if not keep_detail:
                return group
            _, dash, detail = text.partition("-")
            detail = detail.strip()
            return f"{group} – {detail}" if dash and detail else f"{group} – not specified"
    return OTHER_REASON


@dataclass(frozen=True)
class Cohort:
    """The people whose retention is measured, one row each.

    ``people`` (indexed as the staff frame) has the characteristic views present, ``days``
    (time in post, to leaving or to the extract date), ``left`` (bool: left by the extract
    date) and ``reason_group``.
    ``excluded`` counts the people left out of the cohort for a data problem, by reason.
    """

    people: pd.DataFrame
    start_from: dt.date
    start_to: dt.date
    extract_date: dt.date
    staff_groups: tuple[str, ...] | None
    bands: tuple[str, ...] | None
    excluded: dict[str, int] = field(default_factory=dict)

    @property
    def views(self) -> tuple[str, ...]:
        return tuple(v for v in RETENTION_VIEWS if v in self.people)


def text_values(column: pd.Series) -> np.ndarray:
    """A column as an array of text (as ``astype(str)`` writes it: a missing value reads
    "nan"), made by indexing its distinct values rather than a string per row.

    >>> text_values(pd.Series(["b", "a", None, "b"], dtype="category")).tolist()
    ['b', 'a', 'nan', 'b']
    """
    names, codes = text_codes(column)
    return names[codes]


def text_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a column as text (the last is "nan", for missing values)
    and each row's position among them (:func:`text_values` is ``names[codes]``)."""
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    names = np.array([str(v) for v in distinct] + ["nan"], dtype=object)
    return names, np.where(codes < 0, len(names) - 1, codes)


def in_staff_groups(values: pd.Series, groups: Sequence[str] | None) -> pd.Series:
    """True where an ESR staff group is one of ``groups`` (case and spacing folded; ESR
    exports sometimes prefix a code, "014 Additional Clinical Services", so a group also
    matches at the end of the text). ``None``: every staff group.

    >>> in_staff_groups(pd.Series(["Additional Clinical Services", "014 additional clinical "
    ...     "services", "Nursing and Midwifery Registered"]), ["Additional Clinical Services"]
    ... ).tolist()
    [True, True, False]
    """
    if groups is None:
        return pd.Series(True, index=values.index)
    wanted = tuple(_fold(g) for g in groups)
    # Decide each distinct value once (an extract has a handful of staff groups).
    codes, distinct = pd.factorize(values)
    decided = np.array(
        [any(f == g or f.endswith(" " + g) for g in wanted) for f in map(_fold, distinct)]
        + [False],  # code -1: a missing staff group
        dtype=bool,
    )
    return pd.Series(decided[codes], index=values.index)


def select_cohort(
    staff: pd.DataFrame,
    *,
    extract_date: dt.date,
    start_from: dt.date | None = None,
    start_to: dt.date | None = None,
    staff_groups: Sequence[str] | None = DEFAULT_STAFF_GROUPS,
    bands: Sequence[str] | None = SUPPORT_BANDS,
    source: str = "the extract",
) -> Cohort:
    """The retention cohort: people who started in the period in the chosen roles.

    Parameters
    ----------
    staff
        The tidy staff frame (one row per person).
    extract_date
        The date the extract was taken: people still in post are followed to here.
    start_from, start_to
        The period of starting, inclusive (default: the two years up to the extract date).
    staff_groups, bands
        The roles (``None``: all). Default: Bands 1–4 in "Additional Clinical Services".
    source
        The file's name, for messages.
    """
    if ws.START_DATE not in staff:
        raise InputDataError(NO_START_DATE.format(source=source))
    end = extract_date if start_to is None else start_to
    begin = _years_before(extract_date, DEFAULT_PERIOD_YEARS) if start_from is None else start_from
    if begin > end:
        raise OptionError(BAD_PERIOD.format(start=begin, end=end))
    roles = pd.Series(True, index=staff.index)
    if staff_groups is not None:
        if ws.STAFF_GROUP not in staff:
            roles &= False
        else:
            roles &= in_staff_groups(staff[ws.STAFF_GROUP], staff_groups)
    if bands is not None:
        roles &= staff[ws.BAND].isin(list(bands)) if ws.BAND in staff else False
    chosen = staff[roles]
    start = pd.to_datetime(chosen[ws.START_DATE])
    leaving = (
        pd.to_datetime(chosen[ws.LEAVING_DATE])
        if ws.LEAVING_DATE in chosen
        else pd.Series(pd.NaT, index=chosen.index, dtype="datetime64[ns]")
    )
    extract = pd.Timestamp(extract_date)
    excluded = {
        EXCLUDED_NO_START: int(start.isna().sum()),
        EXCLUDED_STARTED_AFTER_EXTRACT: int((start > extract).sum()),
        EXCLUDED_LEFT_BEFORE_START: int((leaving < start).sum()),
    }
    keep = (
        start.notna()
        & (start >= pd.Timestamp(begin))
        & (start <= pd.Timestamp(end))
        & (start <= extract)
        & ~(leaving < start)
    )
    people = chosen.loc[keep, [v for v in RETENTION_VIEWS if v in chosen]].copy()
    left = leaving[keep].notna() & (leaving[keep] <= extract)
    until = leaving[keep].where(left, extract)
    people["days"] = (until - start[keep]).dt.days.astype("int64")
    people["left"] = left.to_numpy()
    reasons = chosen.loc[keep, ws.LEAVING_REASON] if ws.LEAVING_REASON in chosen else None
    if reasons is None:
        people["reason_group"] = NOT_RECORDED
    else:
        # Each distinct reason grouped once (a missing reason reads as "").
        codes, distinct = pd.factorize(reasons, use_na_sentinel=True)
        grouped = np.array(
            [leaving_reason_group(str(r)) for r in distinct] + [leaving_reason_group("")],
            dtype=object,
        )
        people["reason_group"] = grouped[codes]
    people.loc[~people["left"], "reason_group"] = ""
    if people.empty:
        raise InputDataError(
            NO_COHORT.format(
                start=begin,
                end=end,
                groups="any staff group" if staff_groups is None else " / ".join(staff_groups),
                bands="any band" if bands is None else ", ".join(bands),
            )
        )
    return Cohort(
        people=people,
        start_from=begin,
        start_to=end,
        extract_date=extract_date,
        staff_groups=None if staff_groups is None else tuple(staff_groups),
        bands=None if bands is None else tuple(bands),
        excluded={k: v for k, v in excluded.items() if v},
    )


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _horizon_fields(
    days: np.ndarray,
    left: np.ndarray,
    km: KaplanMeier,
    months: int,
    min_at_risk: int,
    follow_up: np.ndarray,
) -> dict[str, Any]:
    h = horizon_days(months)
    gone = left & (days <= h)
    observed = gone | (follow_up >= h)
    stayed = observed & ~gone
    at_risk = km.at_risk(h)
    out: dict[str, Any] = {
        "months": months,
        "observed": int(observed.sum()),
        "stayed": int(stayed.sum()),
        "at_risk": at_risk,
        "km": None,
        "ci_low": None,
        "ci_high": None,
        "reason": "",
    }
    if at_risk < min_at_risk:
        if out["observed"] == 0:
            out["reason"] = REASON_NOT_OBSERVED.format(h=months)
        else:
            out["reason"] = REASON_FEW_AT_RISK.format(n=min_at_risk, h=months)
        return out
    survival, se = km.value(h)
    out["km"] = survival
    interval = loglog_interval(survival, se)
    if interval is None:
        out["reason"] = REASON_INTERVAL_EDGE
    else:
        out["ci_low"], out["ci_high"] = interval
    return out


@dataclass(frozen=True)
class Retention:
    """Retention of one cohort: per view and group, the horizons and the curve.

    ``groups``: one row per (attribute, group) with ``reference``, ``started``, ``left``
    and, per horizon, a dict (``observed``, ``stayed``, ``at_risk``, ``km``, ``ci_low``,
    ``ci_high``, ``reason``) under ``horizons``; ``tests``: the log-rank tests;
    ``reasons``: leavers by attribute, group and reason group; ``curves``: per (attribute,
    group) the Kaplan–Meier steps while ``min_at_risk`` or more are at risk.
    """

    cohort: Cohort
    groups: list[dict[str, Any]]
    tests: list[dict[str, Any]]
    reasons: pd.DataFrame
    curves: dict[tuple[str, str], pd.DataFrame]
    horizons: tuple[int, ...] = HORIZONS_MONTHS
    min_at_risk: int = MIN_AT_RISK
    monthly: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)


def retention(
    cohort: Cohort,
    *,
    horizons: Sequence[int] = HORIZONS_MONTHS,
    min_at_risk: int = MIN_AT_RISK,
) -> Retention:
    """Retention of ``cohort`` by group (see the module docstring).

    Examples
    --------
    >>> people = pd.DataFrame({"gender": ["Female"] * 10, "days": [30] * 2 + [400] * 8,
    ...                        "left": [True] * 2 + [False] * 8, "reason_group": ""})
    >>> c = Cohort(people, dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2025, 2, 1),
    ...            None, None)
    >>> r = retention(c)
    >>> r.groups[0]["horizons"][0]["stayed"], r.groups[0]["horizons"][0]["km"]
    (8, 0.8)
    """
    people = cohort.people
    days = people["days"].to_numpy()
    left = people["left"].to_numpy(dtype=bool)
    # Follow-up possible for each person: from the start to the extract date.
    follow_up = np.where(left, np.iinfo(np.int64).max, days)
    groups_out: list[dict[str, Any]] = []
    tests: list[dict[str, Any]] = []
    curves: dict[tuple[str, str], pd.DataFrame] = {}
    monthly: dict[tuple[str, str], pd.DataFrame] = {}
    reason_rows = []
    for view in cohort.views:
        values = text_values(people[view])
        sizes = pd.Series(values).value_counts().to_dict()
        reference = disparity.default_reference(view, sizes)
        order = sorted(sizes, key=lambda g: (g != reference, is_not_stated(g), -sizes[g], g))
        for group in order:
            mask = values == group
            km = kaplan_meier(days[mask], left[mask])
            groups_out.append(
                {
                    "attribute": view,
                    "group": group,
                    "reference": reference,
                    "started": int(mask.sum()),
                    "left": int(left[mask].sum()),
                    "horizons": [
                        _horizon_fields(days[mask], left[mask], km, m, min_at_risk, follow_up[mask])
                        for m in horizons
                    ],
                }
            )
            curves[(view, group)] = km_curve(km, min_at_risk=min_at_risk)
            monthly[(view, group)] = km_monthly(km, min_at_risk=min_at_risk)
            leavers = people.loc[mask & left, "reason_group"].value_counts()
            reason_rows += [(view, group, r, int(n)) for r, n in leavers.items()]
        tests += _tests(view, values, days, left, order, reference)
    reasons = pd.DataFrame(reason_rows, columns=["attribute", "group", "reason_group", "leavers"])
    return Retention(
        cohort, groups_out, tests, reasons, curves, tuple(horizons), min_at_risk, monthly
    )


def _tests(
    view: str,
    values: np.ndarray,
    days: np.ndarray,
    left: np.ndarray,
    order: Sequence[str],
    reference: str | None,
) -> list[dict[str, Any]]:
    stated = [g for g in order if not is_not_stated(g)]
    out = []
    comparisons: list[tuple[str, list[str]]] = [("all stated groups", stated)]
    comparisons += [(f"{g} with {reference}", [reference, g]) for g in stated if g != reference]
    for label, groups in comparisons:
        row: dict[str, Any] = {
            "attribute": view,
            "comparison": label,
            "groups": list(groups),
            "chi2": None,
            "df": None,
            "p_value": None,
            "reason": "",
        }
        if reference is None:
            row["reason"] = REASON_NO_REFERENCE
        elif len(groups) < 2:
            row["reason"] = REASON_ONE_GROUP
        elif not left[np.isin(values, groups)].any():
            row["reason"] = "nobody in these groups has left, so there is nothing to compare"
        else:
            mask = np.isin(values, groups)
            try:
                row["chi2"], row["df"], row["p_value"] = logrank(
                    days[mask], left[mask], values[mask]
                )
            except np.linalg.LinAlgError:
                # statsmodels solves with the groups' covariance, which is singular when a
                # group had nobody at risk whenever someone left.
                row["reason"] = REASON_NO_OVERLAP
        out.append(row)
    return out
