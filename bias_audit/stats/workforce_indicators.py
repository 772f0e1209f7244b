"""WRES indicators 1, 3, 4, 9 and WDES metrics 1, 3, 10 from small tables of counts.

Every function here takes counts (never the staff frame) and returns a plain dict, so the
same function gives the exact figure (analyst mode) and the figure worked out again from
the published, rounded counts (published mode). The counts come from
:func:`bias_audit.stats.workforce_cells.staff_cells`.

Definitions (NHS England, *WRES technical guidance* and *WDES technical guidance*;
``research/wres-wdes.md``), each with its direction:

- **WRES 1** — percentage of staff in each AfC band (and VSM, medical grades), White and
  BME, clinical and non-clinical separately, against the overall workforce. Shares, not a
  ratio; ``difference_pp`` is the band's BME share minus the whole workforce's, in
  percentage points.
- **WRES 3** — relative likelihood of BME staff entering the formal disciplinary process
  (entry into a formal disciplinary investigation) compared with White staff: BME rate ÷
  White rate; above 1, BME staff are more likely to enter it. Two-year rolling average of
  the current and previous year.
- **WRES 4** — relative likelihood of White staff accessing non-mandatory training and CPD
  compared with BME staff: White rate ÷ BME rate; above 1, White staff are more likely to
  access it.
- **WRES 9** — BME share of the board (all members, voting, executive) minus the BME share
  of the overall workforce, in percentage points; below 0, the board is less diverse.
- **WDES 1** — as WRES 1, Disabled / Not disabled / Not stated.
- **WDES 3** — relative likelihood of Disabled staff entering the formal capability process
  (on the grounds of performance) compared with non-disabled staff: Disabled rate ÷
  non-disabled rate; above 1, Disabled staff are more likely to enter it. Two-year rolling
  average.
- **WDES 10** — Disabled share of the board minus the Disabled share of the workforce.

The two-year rolling average: each year's rate is entries in the year ÷ staff employed
during the year; averaging the two years' entries and the two years' headcounts gives
(entries year 1 + year 2) ÷ (staff year 1 + year 2), the figure computed here (a person
employed in both years counts in both). With one year of data the indicator is that year's
ratio and is marked ``official: False`` ("not the official figure"). People with no
recorded ethnicity (disability) are left out of both groups and counted.

Intervals and tests are the funnel tables': Katz log interval for the ratio, Fisher's exact
two-sided p and Lancaster's mid-P (:func:`bias_audit.stats.significance.compare`).

Examples
--------
A trust's published WRES 3: 1.2% of BME staff and 0.7% of White staff entered a formal
disciplinary investigation, a ratio of 1.7:

>>> r = relative_likelihood({"White": (1000, 7), "BME": (500, 6)}, kind=WRES_3)
>>> round(r["value"], 2), r["direction"]
(1.71, 'BME rate ÷ White rate: above 1 means BME staff are more likely to enter the formal \
disciplinary process')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bias_audit.stats import schema
from bias_audit.stats.significance import compare, significance_verdict


@dataclass(frozen=True)
class Kind:
    """One ratio indicator: its key, name, groups, which group is on top, and its words."""

    key: str
    name: str
    reference: str  # White / Not disabled
    focal: str  # BME / Disabled
    numerator: str  # the group whose rate is on top of the ratio
    event: str  # "enter the formal disciplinary process"
    counted: str  # the count's name: "entered", "accessed"
    rolling: bool
    definition: str

    @property
    def denominator(self) -> str:
        return self.focal if self.numerator == self.reference else self.reference

    @property
    def direction(self) -> str:
        who = {
            schema.WHITE: "White staff",
            schema.BME: "BME staff",
            schema.DISABLED: "Disabled staff",
            schema.NON_DISABLED: "non-disabled staff",
        }
        top = self.numerator.replace("Not disabled", "non-disabled")
        bottom = self.denominator.replace("Not disabled", "non-disabled")
        more = f"above 1 means {who[self.numerator]} are more likely to {self.event}"
        return f"{top} rate ÷ {bottom} rate: {more}"


WRES_3 = Kind(
    "wres_indicator_3",
    "WRES indicator 3",
    schema.WHITE,
    schema.BME,
    schema.BME,
    "enter the formal disciplinary process",
    "entered",
    True,
    "Relative likelihood of BME staff entering the formal disciplinary process (entry into "
    "a formal disciplinary investigation) compared with White staff; two-year rolling "
    "average of the current and previous year; staff with no recorded ethnicity left out.",
)
WRES_4 = Kind(
    "wres_indicator_4",
    "WRES indicator 4",
    schema.WHITE,
    schema.BME,
    schema.WHITE,
    "access non-mandatory training and CPD",
    "accessed",
    False,
    "Relative likelihood of White staff accessing non-mandatory training and CPD compared "
    "with BME staff, over the year to the extract date; staff with no recorded ethnicity "
    "left out.",
)
WDES_3 = Kind(
    "wdes_metric_3",
    "WDES metric 3",
    schema.NON_DISABLED,
    schema.DISABLED,
    schema.DISABLED,
    "enter the formal capability process",
    "entered",
    True,
    "Relative likelihood of Disabled staff entering the formal capability process on the "
    "grounds of performance compared with non-disabled staff; two-year rolling average. "
    "Choice made here: every entry the capability column records is counted, so ill-health "
    "capability (excluded by the WDES definition) must be left out of that column; staff "
    "with no recorded disability status left out.",
)
RATIO_KINDS: tuple[Kind, ...] = (WRES_3, WRES_4, WDES_3)
#: Indicators linked from the recruitment audit when a recruitment extract is given.
INDICATOR_KEYS_LINKED: dict[str, str] = {
    "wres_indicator_2": "WRES indicator 2",
    "wdes_metric_2": "WDES metric 2",
}

REASON_NO_GROUP = "there are no {group} staff in the period"
REASON_NONE_ENTERED = "no {group} staff {counted}, so the ratio has no finite value"
REASON_NO_COLUMN = "the extract has no {what} column"
REASON_NO_BOARD = "the extract has no board member column"
NOTE_ONE_YEAR = (
    "One year of data ({year}): this is that year's ratio, not the official two-year "
    "rolling figure."
)
NOTE_ROLLING = "Two-year rolling figure over {years}."

ALL_KEY = "All"
REASON_NO_STAFF = "there are no staff in post"
REASON_EMPTY_BOARD = "no voting board members are recorded among the staff in post"
REASON_HIDDEN = "hidden by disclosure control: a count it rests on is hidden"

# A count as given: a number, or (published mode) its label ("≤7", "*" or a multiple of 5).
Count = int | str | None
# Group -> (staff, counted); by year: year label -> that.
Numbers = Mapping[str, tuple[Count, Count]]


def number(value: Count) -> int | None:
    """A count's value, or None when it is hidden ("≤7", "*", None).

    >>> number(15), number("≤7"), number("*"), number(None)
    (15, None, None, None)
    """
    if value is None:
        return None
    if isinstance(value, str):
        return int(value) if value.strip().isdigit() else None
    return int(value)


def relative_likelihood(numbers: Numbers, *, kind: Kind, not_stated: Count = 0) -> dict[str, Any]:
    """The ratio indicator ``kind`` from (staff, counted) per group; statistics as in the
    funnel tables. Groups other than the two compared count as not stated.

    >>> r = relative_likelihood({"White": (1000, 60), "BME": (1000, 39)}, kind=WRES_4)
    >>> round(r["value"], 2), r["focal"], r["White"]
    (1.54, 'BME', {'staff': 1000, 'accessed': 60, 'rate': 0.06})
    """
    shown_ref = numbers.get(kind.reference, (0, 0))
    shown = numbers.get(kind.focal, (0, 0))
    result: dict[str, Any] = {
        "name": kind.name,
        "definition": kind.definition,
        "direction": kind.direction,
        "reference": kind.reference,
        "focal": kind.focal,
        "ratio": f"{kind.numerator} ÷ {kind.denominator}",
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "mid_p": None,
        "significance": None,
        "reason": None,
        kind.reference: _group(*shown_ref, kind.counted),
        kind.focal: _group(*shown, kind.counted),
        "not_stated_excluded": not_stated,
    }
    (ref_n, ref_k), (n, k) = (tuple(map(number, v)) for v in (shown_ref, shown))
    if None in (ref_n, ref_k, n, k):
        result["reason"] = REASON_HIDDEN
        return result
    if ref_n == 0 or n == 0:
        result["reason"] = REASON_NO_GROUP.format(
            group=kind.reference if ref_n == 0 else kind.focal
        )
        return result
    top = (n, k) if kind.numerator == kind.focal else (ref_n, ref_k)
    bottom = (ref_n, ref_k) if kind.numerator == kind.focal else (n, k)
    if bottom[1] == 0 or top[1] == 0:
        # A zero on the bottom gives no finite ratio, a zero on top a ratio of 0 from a
        # single absence: neither is a finding.
        group = kind.denominator if bottom[1] == 0 else kind.numerator
        result["reason"] = REASON_NONE_ENTERED.format(group=group, counted=kind.counted)
        return result
    # compare(k, n, k_ref, n_ref) gives rate_ref ÷ rate: the top group goes in as "ref".
    stats = compare(bottom[1], bottom[0], top[1], top[0], who=kind.denominator).fields()
    result["value"] = stats["relative_likelihood"]
    for name in ("ci_low", "ci_high", "p_value", "mid_p"):
        result[name] = stats[name]
    result["significance"] = significance_verdict(
        result["p_value"], result["ci_low"], result["ci_high"]
    )
    return result


def _group(staff: Count, counted: Count, name: str) -> dict[str, Any]:
    return {"staff": staff, name: counted, "rate": share(number(counted), number(staff))}


def rolling_indicator(
    by_year: Mapping[str, Numbers],
    *,
    kind: Kind,
    not_stated: Count = 0,
    pooled: Numbers | None = None,
) -> dict[str, Any]:
    """A two-year rolling indicator from per-year numbers (oldest year first); with one year,
    that year's ratio marked ``official: False``.

    >>> r = rolling_indicator({"2023-24": {"White": (900, 5), "BME": (400, 4)},
    ...                        "2024-25": {"White": (1000, 7), "BME": (500, 6)}}, kind=WRES_3)
    >>> round(r["value"], 2), r["official"], r["White"]["entered"], r["BME"]["staff"]
    (1.76, True, 12, 900)
    """
    years = list(by_year)
    if pooled is None:
        totals: dict[str, tuple[Count, Count]] = {}
        for numbers in by_year.values():
            for group, (staff, counted) in numbers.items():
                old = totals.get(group, (0, 0))
                totals[group] = (_plus(old[0], staff), _plus(old[1], counted))
        pooled = totals
    result = relative_likelihood(pooled, kind=kind, not_stated=not_stated)
    result["years"] = years
    result["by_year"] = {
        year: {
            g: _group(*numbers.get(g, (0, 0)), kind.counted) for g in (kind.reference, kind.focal)
        }
        for year, numbers in by_year.items()
    }
    result["official"] = len(years) == 2
    if len(years) == 2:
        result["note"] = NOTE_ROLLING.format(years=" and ".join(years))
    elif years:
        result["note"] = NOTE_ONE_YEAR.format(year=years[-1])
    return result


def _plus(a: Count, b: Count) -> Count:
    x, y = number(a), number(b)
    return None if x is None or y is None else x + y


def not_computable(name: str, reason: str, *, direction: str = "") -> dict[str, Any]:
    """An indicator that cannot be computed, with the reason."""
    return {
        "name": name,
        "direction": direction,
        "value": None,
        "reference": None,
        "focal": None,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "reason": reason,
    }


# ------------------------------------------------------------------ band profile (WRES/WDES 1)
WRES_1_NAME = "WRES indicator 1"
WDES_1_NAME = "WDES metric 1"
WRES_1_DIRECTION = (
    "shares, not a ratio: each band's BME share against the BME share of the whole "
    "workforce (difference in percentage points; below 0, BME staff are under-represented "
    "in the band)"
)
WDES_1_DIRECTION = (
    "shares, not a ratio: each band's Disabled share against the Disabled share of the "
    "whole workforce (difference in percentage points; below 0, Disabled staff are "
    "under-represented in the band)"
)
WRES_1_DEFINITION = (
    "Percentage of staff in each AfC band 1–9 and VSM (and medical grade), clinical and "
    "non-clinical separately, White, BME and not stated, compared with the overall workforce."
)
WDES_1_DEFINITION = (
    "Percentage of staff in each AfC band 1–9 and VSM (and medical grade), clinical and "
    "non-clinical separately, Disabled, non-disabled and not stated, compared with the "
    "overall workforce."
)


def share(part: Count, whole: Count) -> float | None:
    """part ÷ whole, or None when the whole is 0 or either is hidden.

    >>> share(1, 4), share(3, 0), share("≤7", 40)
    (0.25, None, None)
    """
    part, whole = number(part), number(whole)
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def _pp(value: float | None, reference: float | None) -> float | None:
    if value is None or reference is None:
        return None
    return 100 * (value - reference)


def band_profile(
    rows: Sequence[tuple[str, str, Mapping[str, Count]]],
    overall: Mapping[str, Count],
    *,
    focal: str,
    groups: Sequence[str],
    name: str,
    direction: str,
    definition: str,
) -> dict[str, Any]:
    """WRES 1 / WDES 1 from (clinical, band, counts) rows and the whole workforce's counts.

    Each counts mapping holds a count per group and the row's total under ``"All"``.
    ``value`` is the focal share of the whole workforce.

    >>> r = band_profile([("Clinical", "Band 2", {"White": 30, "BME": 10, "All": 40}),
    ...                   ("Clinical", "Band 5", {"White": 45, "BME": 5, "All": 50})],
    ...                  {"White": 75, "BME": 15, "All": 90}, focal="BME",
    ...                  groups=("White", "BME"), name="WRES 1", direction="", definition="")
    >>> round(r["value"], 4), [round(row["difference_pp"], 2) for row in r["bands"]]
    (0.1667, [8.33, -6.67])
    """
    workforce_share = share(overall.get(focal, 0), overall.get(ALL_KEY, 0))
    bands = []
    for clinical, band, counts in rows:
        total = counts.get(ALL_KEY, 0)
        row: dict[str, Any] = {"clinical": clinical, "band": band, "total": total}
        for group in groups:
            row[group] = counts.get(group, 0)
            row[f"share_{group}"] = share(counts.get(group, 0), total)
        row["difference_pp"] = _pp(share(counts.get(focal, 0), total), workforce_share)
        bands.append(row)
    computable = number(overall.get(ALL_KEY, 0))
    return {
        "name": name,
        "definition": definition,
        "direction": direction,
        "focal": focal,
        "reference": "overall workforce",
        "value": workforce_share,
        "workforce": {**{g: overall.get(g, 0) for g in groups}, "total": overall.get(ALL_KEY, 0)},
        "bands": bands,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "reason": None if computable else REASON_NO_STAFF,
    }


# ------------------------------------------------------------------ board (WRES 9 / WDES 10)
WRES_9_NAME = "WRES indicator 9"
WDES_10_NAME = "WDES metric 10"
BOARD_PARTS: tuple[str, ...] = ("voting", "all", "non_voting", "executive", "non_executive")


def board_difference(
    board: Mapping[str, Mapping[str, Count]],
    overall: Mapping[str, Count],
    *,
    focal: str,
    groups: Sequence[str],
    name: str,
    who: str,
) -> dict[str, Any]:
    """WRES 9 / WDES 10: the focal share of the board's voting membership minus the focal
    share of the whole workforce, in percentage points (NHS England's headline: "percentage
    difference between the organisation's board voting membership and its overall
    workforce"), and the same for all, non-voting, executive and non-executive members.
    Shares are of everyone, not-stated included (as the national returns lay them out);
    each mapping holds a count per group and the total under ``"All"``.

    >>> r = board_difference({"all": {"White": 12, "BME": 2, "All": 14}, "voting": {"White": 9,
    ...     "BME": 1, "All": 10}, "executive": {"White": 6, "BME": 1, "All": 7}},
    ...     {"White": 800, "BME": 200, "All": 1000},
    ...     focal="BME", groups=("White", "BME"), name="WRES 9", who="BME")
    >>> round(r["value"], 1), round(r["parts"]["all"]["difference_pp"], 1)
    (-10.0, -5.7)
    """
    workforce_share = share(overall.get(focal, 0), overall.get(ALL_KEY, 0))
    parts = {}
    for part in BOARD_PARTS:
        counts = board.get(part, {})
        members = counts.get(ALL_KEY, 0)
        parts[part] = {
            **{g: counts.get(g, 0) for g in groups},
            "members": members,
            "share": share(counts.get(focal, 0), members),
            "difference_pp": _pp(share(counts.get(focal, 0), members), workforce_share),
        }
    value = parts["voting"]["difference_pp"]
    reason = None
    if value is None:
        if number(parts["voting"]["members"]) == 0:
            reason = REASON_EMPTY_BOARD
        elif number(overall.get(ALL_KEY, 0)) == 0:
            reason = REASON_NO_STAFF
        else:
            reason = REASON_HIDDEN
    return {
        "name": name,
        "definition": (
            f"{who} share of the board's voting membership minus the {who} share of the "
            "overall workforce, in percentage points; also for all, non-voting, executive "
            "and non-executive members."
        ),
        "direction": (
            f"percentage-point difference: below 0 means {who} people are a smaller share "
            "of the board than of the workforce"
        ),
        "focal": focal,
        "reference": "overall workforce",
        "value": value,
        "workforce_share": workforce_share,
        "parts": parts,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "reason": reason,
    }
