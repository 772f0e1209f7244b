"""Retention of new starters (issue 12 point 3): cohort, Kaplan–Meier, log-rank, reasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.errors import InputDataError, OptionError
from bias_audit.stats import retention as rt

EXTRACT = dt.date(2026, 3, 31)


def staff(rows):
    """A tidy staff frame from (ethnicity, start, leaving, reason, band, staff group)."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "ethnicity_wres",
            "start_date",
            "leaving_date",
            "leaving_reason",
            "band",
            "staff_group",
        ],
    )
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["leaving_date"] = pd.to_datetime(frame["leaving_date"])
    return frame


ACS = "Additional Clinical Services"


def test_tiny_kaplan_meier_by_hand():
    # Six people: leave at 100, 200, 300, 500 days; still in post at 200 and 400 days.
    # S(100) = 5/6; S(200) = 5/6 · 4/5 = 2/3 (the censored 200 is at risk at 200);
    # S(300) = 2/3 · 2/3 = 4/9; S(500) = 0. Greenwood at 100: S²·1/(6·5).
    km = rt.kaplan_meier(
        np.array([100, 200, 200, 300, 400, 500]), np.array([True, True, False, True, False, True])
    )
    assert km.value(99) == (1.0, 0.0)
    assert km.value(100)[0] == pytest.approx(5 / 6)
    assert km.value(250)[0] == pytest.approx(2 / 3)
    assert km.value(300)[0] == pytest.approx(4 / 9)
    assert km.value(500)[0] == pytest.approx(0.0)
    assert km.value(100)[1] == pytest.approx((5 / 6) * np.sqrt(1 / 30))
    assert [km.at_risk(d) for d in (0, 200, 201, 401)] == [6, 5, 3, 1]


def test_loglog_interval_by_hand():
    s, se = 5 / 6, (5 / 6) * np.sqrt(1 / 30)
    spread = 1.959963984540054 * se / (s * abs(np.log(s)))
    low, high = rt.loglog_interval(s, se)
    assert (low, high) == pytest.approx((s ** np.exp(spread), s ** np.exp(-spread)))
    assert low < s < high
    assert rt.loglog_interval(1.0, 0.0) is None and rt.loglog_interval(0.0, 0.1) is None


def test_logrank_by_hand():
    # a leaves at 1 and 2, b at 3 and 4. O_a − E_a = 2 − (2/4 + 1/3); V = 1/4 + 2/9.
    chi2, df, p = rt.logrank(np.array([1, 2, 3, 4]), np.ones(4, bool), np.array(list("aabb")))
    assert chi2 == pytest.approx((2 - 5 / 6) ** 2 / (1 / 4 + 2 / 9))
    assert df == 1 and 0 < p < 1


def test_curve_stops_below_eight_at_risk():
    # Ten people, one leaves every 30 days: at risk 10, 9, …; 8 or more until day 90.
    km = rt.kaplan_meier(np.arange(1, 11) * 30, np.ones(10, bool))
    curve = rt.km_curve(km)
    assert curve["days"].tolist() == [0, 30, 60, 90]
    assert curve["at_risk"].min() == 8
    assert rt.km_curve(rt.kaplan_meier(np.arange(7) + 1, np.ones(7, bool))).empty


def cohort_rows():
    rows = []
    # White: 10 started 2025-01-01; 2 left at 60 days (voluntary), 8 still in post.
    for i in range(10):
        leave = "2025-03-02" if i < 2 else None
        reason = "Voluntary Resignation - Work Life Balance" if i < 2 else None
        rows.append(("White", "2025-01-01", leave, reason, "Band 2", ACS))
    # BME: 10 started 2025-01-01; 5 left at 150 days (dismissal, fixed term), 5 in post.
    for i in range(10):
        leave = "2025-05-31" if i < 5 else None
        reason = (
            ("Dismissal - Conduct" if i < 2 else "End of Fixed Term Contract") if i < 5 else None
        )
        rows.append(("BME", "2025-01-01", leave, reason, "Band 3", ACS))
    # Recent starters, observed for only 2 months: censored before 3 months.
    for _ in range(4):
        rows.append(("BME", "2026-02-01", None, None, "Band 2", ACS))
    # Outside the cohort: another staff group, Band 5, started before the period.
    rows.append(("White", "2025-06-01", None, None, "Band 2", "Administrative and Clerical"))
    rows.append(("White", "2025-06-01", None, None, "Band 5", ACS))
    rows.append(("White", "2023-06-01", None, None, "Band 2", ACS))
    # Data problems: counted, not silently dropped.
    rows.append(("White", None, None, None, "Band 2", ACS))
    rows.append(("White", "2025-06-01", "2025-01-01", "Retirement Age", "Band 2", ACS))
    return rows


def test_cohort_defaults_and_exclusions():
    cohort = rt.select_cohort(staff(cohort_rows()), extract_date=EXTRACT)
    assert cohort.start_from == dt.date(2024, 3, 31) and cohort.start_to == EXTRACT
    assert len(cohort.people) == 24
    assert cohort.excluded == {rt.EXCLUDED_NO_START: 1, rt.EXCLUDED_LEFT_BEFORE_START: 1}
    assert cohort.people["left"].sum() == 7


def test_cohort_options():
    frame = staff(cohort_rows())
    every = rt.select_cohort(
        frame, extract_date=EXTRACT, staff_groups=None, bands=None, start_from=dt.date(2020, 1, 1)
    )
    assert len(every.people) == 27
    only_2025 = rt.select_cohort(
        frame, extract_date=EXTRACT, start_from=dt.date(2025, 1, 1), start_to=dt.date(2025, 12, 31)
    )
    assert len(only_2025.people) == 20
    with pytest.raises(OptionError, match="the start must come first"):
        rt.select_cohort(
            frame,
            extract_date=EXTRACT,
            start_from=dt.date(2026, 1, 1),
            start_to=dt.date(2025, 1, 1),
        )
    with pytest.raises(InputDataError, match="nobody started between"):
        rt.select_cohort(frame, extract_date=EXTRACT, bands=["Band 9"])
    with pytest.raises(InputDataError) as caught:
        rt.select_cohort(frame.drop(columns="start_date"), extract_date=EXTRACT, source="esr.csv")
    assert str(caught.value) == rt.NO_START_DATE.format(source="esr.csv")


def test_horizons_by_group_with_censoring():
    cohort = rt.select_cohort(staff(cohort_rows()), extract_date=EXTRACT)
    result = rt.retention(cohort)
    rows = {(g["attribute"], g["group"]): g for g in result.groups}
    white, bme = rows[("ethnicity_wres", "White")], rows[("ethnicity_wres", "BME")]
    assert white["reference"] == "White" and (white["started"], white["left"]) == (10, 2)
    three, _six, twelve = white["horizons"]
    # 60 days < 3 months: both leavers are gone at every horizon.
    assert (three["observed"], three["stayed"], three["km"]) == (10, 8, pytest.approx(0.8))
    assert twelve["km"] == pytest.approx(0.8) and twelve["at_risk"] == 8
    # BME: 14 people; 4 recent starters (59 days) are censored before 3 months.
    b3, b6, _b12 = bme["horizons"]
    assert (b3["observed"], b3["stayed"]) == (10, 10)  # the 5 leavers left at day 150
    assert b3["km"] == pytest.approx(1.0) and b3["reason"] == rt.REASON_INTERVAL_EDGE
    assert (b6["observed"], b6["stayed"]) == (10, 5)
    # At 6 months only 5 BME remain at risk: below 8, so no estimate, with the reason.
    assert b6["km"] is None and b6["reason"] == rt.REASON_FEW_AT_RISK.format(n=8, h=6)
    assert result.curves[("ethnicity_wres", "BME")]["at_risk"].min() >= 8
    test = next(t for t in result.tests if t["comparison"] == "all stated groups")
    assert test["df"] == 1 and 0 < test["p_value"] < 1


def test_leaving_reasons_tabulated():
    result = rt.retention(rt.select_cohort(staff(cohort_rows()), extract_date=EXTRACT))
    bme = result.reasons[
        (result.reasons["attribute"] == "ethnicity_wres") & (result.reasons["group"] == "BME")
    ]
    assert dict(zip(bme["reason_group"], bme["leavers"], strict=True)) == {
        "End of fixed term": 3,
        "Dismissal": 2,
    }
    white = result.reasons[result.reasons["group"] == "White"]
    assert white["reason_group"].tolist() == ["Voluntary resignation – Work Life Balance"]


def reason_examples():
    data = yaml.safe_load(rt.REASONS_FILE.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        for example in rule["examples"]:
            yield example, rule["group"], rule.get("keep_detail", False)


@pytest.mark.parametrize(("reason", "group", "keep_detail"), list(reason_examples()))
def test_every_leaving_reason_example(reason, group, keep_detail):
    found = rt.leaving_reason_group(reason)
    assert found.startswith(group) if keep_detail else found == group


@pytest.mark.parametrize(
    ("reason", "group"),
    [
        ("VOLUNTARY RESIGNATION - RELOCATION", "Voluntary resignation – RELOCATION"),
        ("Voluntary Resignation", "Voluntary resignation – not specified"),
        ("Redundancy - Compulsory", "Other"),
        ("", "Not recorded"),
        (float("nan"), "Not recorded"),
    ],
)
def test_leaving_reason_edges(reason, group):
    assert rt.leaving_reason_group(reason) == group


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 800), st.booleans()), min_size=1, max_size=60))
def test_horizon_invariants(people):
    frame = pd.DataFrame(
        {
            "gender": "Female",
            "days": [d for d, _ in people],
            "left": [x for _, x in people],
            "reason_group": "",
        }
    )
    cohort = rt.Cohort(frame, dt.date(2024, 1, 1), dt.date(2026, 1, 1), EXTRACT, None, None)
    result = rt.retention(cohort)
    shuffled = rt.retention(
        rt.Cohort(
            frame.iloc[::-1].reset_index(drop=True),
            dt.date(2024, 1, 1),
            dt.date(2026, 1, 1),
            EXTRACT,
            None,
            None,
        )
    )
    assert result.groups == shuffled.groups
    for h in result.groups[0]["horizons"]:
        assert 0 <= h["stayed"] <= h["observed"] <= len(people)
        if h["km"] is not None:
            assert 0 <= h["km"] <= 1 and h["at_risk"] >= 8
            if h["ci_low"] is not None:
                assert h["ci_low"] <= h["km"] <= h["ci_high"]


def test_logrank_with_no_overlap_says_why():
    # b's people are censored (1, 2 days) before anyone leaves (5, 6): no test.
    people = pd.DataFrame(
        {
            "gender": list("aabb"),
            "days": [5, 6, 1, 2],
            "left": [True, True, False, False],
            "reason_group": "",
        }
    )
    cohort = rt.Cohort(people, dt.date(2024, 1, 1), dt.date(2026, 1, 1), EXTRACT, None, None)
    tests = rt.retention(cohort).tests
    assert tests and all(t["p_value"] is None for t in tests)
    assert any(t["reason"] == rt.REASON_NO_OVERLAP for t in tests)
