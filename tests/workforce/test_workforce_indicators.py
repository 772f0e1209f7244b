"""WRES / WDES indicators: hand-computed values, published sanity figures, directions."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.stats import workforce_indicators as wi
from bias_audit.stats.significance import compare, fisher_p, katz_interval
from bias_audit.stats.workforce_audit import all_indicators
from bias_audit.stats.workforce_cells import staff_cells, year_windows


@pytest.mark.parametrize(
    ("kind", "numbers", "expected"),
    [
        # Published sanity figures (research/wres-wdes.md): WRES 3 of 1.7 from 1.2% vs 0.7%.
        (wi.WRES_3, {"White": (1000, 7), "BME": (1000, 12)}, 12 / 7),
        # WRES 4 of 1.54 from 6.0% vs 3.9%.
        (wi.WRES_4, {"White": (1000, 60), "BME": (1000, 39)}, 60 / 39),
        # WDES 3 near the London trust's 4.01: 4% of Disabled vs 1% of non-disabled staff.
        (wi.WDES_3, {"Not disabled": (1000, 10), "Disabled": (500, 20)}, 4.0),
    ],
)
def test_sanity_figures(kind, numbers, expected):
    result = wi.relative_likelihood(numbers, kind=kind)
    assert result["value"] == pytest.approx(expected)
    assert round(result["value"], 2) in (1.71, 1.54, 4.0)


def test_wres_3_statistics_are_the_funnel_tables():
    result = wi.relative_likelihood({"White": (900, 9), "BME": (300, 9)}, kind=wi.WRES_3)
    # BME on top: compare() puts the top group in as the reference.
    assert result["value"] == pytest.approx((9 / 300) / (9 / 900))
    assert (result["ci_low"], result["ci_high"]) == pytest.approx(katz_interval(9, 900, 9, 300))
    assert result["p_value"] == pytest.approx(fisher_p(9, 900, 9, 300)[0])
    assert result["mid_p"] == pytest.approx(compare(9, 900, 9, 300).mid_p)
    assert result["BME"] == {"staff": 300, "entered": 9, "rate": 0.03}


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (wi.WRES_3, "BME rate ÷ White rate: above 1 means BME staff are more likely"),
        (wi.WRES_4, "White rate ÷ BME rate: above 1 means White staff are more likely"),
        (wi.WDES_3, "Disabled rate ÷ non-disabled rate: above 1 means Disabled staff"),
    ],
)
def test_direction_in_words(kind, words):
    assert kind.direction.startswith(words)


@pytest.mark.parametrize(
    ("numbers", "reason"),
    [
        ({"White": (100, 3)}, "there are no BME staff in the period"),
        ({"White": (100, 0), "BME": (50, 2)}, "no White staff entered"),
        ({"White": (100, 3), "BME": (50, 0)}, "no BME staff entered"),
        ({"White": ("≤7", 3), "BME": (50, 2)}, wi.REASON_HIDDEN),
    ],
)
def test_not_computable_says_why(numbers, reason):
    result = wi.relative_likelihood(numbers, kind=wi.WRES_3)
    assert result["value"] is None
    assert result["reason"].startswith(reason)


def test_one_year_is_not_the_official_figure():
    result = wi.rolling_indicator({"2024-25": {"White": (100, 2), "BME": (50, 2)}}, kind=wi.WRES_3)
    assert result["official"] is False
    assert "not the official two-year rolling figure" in result["note"]
    assert result["value"] == pytest.approx(2.0)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 500), st.integers(0, 500), st.integers(1, 500), st.integers(0, 500))
def test_ratio_is_rate_over_rate_and_swapping_groups_inverts(n_w, k_w, n_b, k_b):
    k_w, k_b = min(k_w, n_w), min(k_b, n_b)
    three = wi.relative_likelihood({"White": (n_w, k_w), "BME": (n_b, k_b)}, kind=wi.WRES_3)
    four = wi.relative_likelihood({"White": (n_w, k_w), "BME": (n_b, k_b)}, kind=wi.WRES_4)
    if k_w and k_b:
        assert three["value"] == pytest.approx((k_b / n_b) / (k_w / n_w))
        assert three["value"] * four["value"] == pytest.approx(1.0)
    else:
        assert three["value"] is None and three["reason"]


def _frame():
    return pd.DataFrame(
        {
            "ethnicity_wres": ["White"] * 6 + ["BME"] * 4,
            "disability": ["Not disabled"] * 8 + ["Disabled"] * 2,
            "band": ["Band 2"] * 3 + ["Band 8a"] * 3 + ["Band 2"] * 3 + ["Band 8a"],
            "clinical": ["Clinical"] * 5 + ["Non-clinical"] * 5,
            "board": [""] * 5 + ["Voting"] + [""] * 3 + ["Executive"],
            "training": [True, True, True, False, False, False, True, False, False, False],
            "disciplinary": pd.to_datetime(
                [None, "2024-06-01", None, None, None, None, "2023-05-01", "2024-05-01", None, None]
            ),
            "start_date": pd.to_datetime(["2020-01-01"] * 10),
            "leaving_date": pd.to_datetime([None] * 9 + ["2024-01-01"]),
        }
    )


def test_indicators_from_a_tiny_frame_by_hand():
    cells = staff_cells(_frame(), extract_date=pd.Timestamp("2025-03-31"))
    result = all_indicators(cells)
    # In post: 9 (the last BME person left). WRES 1: BME share 3/9.
    assert result["wres_indicator_1"]["value"] == pytest.approx(3 / 9)
    band_2 = next(
        r
        for r in result["wres_indicator_1"]["bands"]
        if r["band"] == "Band 2" and r["clinical"] == "Non-clinical"
    )
    assert (band_2["White"], band_2["BME"], band_2["total"]) == (0, 3, 3)
    # WRES 3, rolling: White 6+6 staff-years, 1 entry; BME 4+3 staff-years, 2 entries.
    three = result["wres_indicator_3"]
    assert three["official"] is True
    assert three["White"]["staff"] == 12 and three["BME"]["staff"] == 7
    assert three["value"] == pytest.approx((2 / 7) / (1 / 12))
    # WRES 4 from a yes/no column: current year only (staff employed in it).
    four = result["wres_indicator_4"]
    assert (four["White"]["accessed"], four["White"]["staff"]) == (3, 6)
    assert (four["BME"]["accessed"], four["BME"]["staff"]) == (1, 3)
    assert four["value"] == pytest.approx((3 / 6) / (1 / 3))
    # WRES 9: the BME executive had left; 1 White voting member; workforce BME 3/9.
    nine = result["wres_indicator_9"]
    assert nine["value"] == pytest.approx(100 * (0 - 3 / 9))
    # WDES 3: no capability column: not computable, with the reason.
    assert result["wdes_metric_3"]["value"] is None
    assert "capability" in result["wdes_metric_3"]["reason"]


def test_year_windows_end_at_the_extract_date():
    (_, first0, last0), (_, first1, last1) = year_windows(pd.Timestamp("2025-03-31"))
    assert (first0, last0) == (pd.Timestamp("2023-04-01"), pd.Timestamp("2024-03-31"))
    assert (first1, last1) == (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31"))


def test_method_sections_state_each_definition_and_direction():
    from bias_audit.report.workforce_method import METHOD_SECTIONS

    text = dict(METHOD_SECTIONS)
    for kind in wi.RATIO_KINDS:
        assert kind.direction[1:] in text[kind.name]
        assert kind.definition in text[kind.name]
    assert "two-year rolling" in text["WRES indicator 3"]
    assert "below 0" in text["WRES indicator 9"] and "below 0" in text["WDES metric 10"]
    assert "Administrative and Clerical" in text["WRES indicator 1"]


def test_dates_in_the_current_year_only_give_one_unofficial_year():
    frame = _frame()
    frame["disciplinary"] = pd.to_datetime(
        [None, "2024-06-01", None, None, None, None, "2024-05-01", "2024-07-01", None, None]
    )
    result = all_indicators(staff_cells(frame, extract_date=pd.Timestamp("2025-03-31")))
    three = result["wres_indicator_3"]
    assert three["official"] is False and len(three["years"]) == 1
    # Current year: White 6 staff, 1 entry; BME 3 staff (one left in January 2024), 2.
    assert three["value"] == pytest.approx((2 / 3) / (1 / 6))


def test_no_staff_group_is_warned():
    from bias_audit.services.workforce import WARNING_NO_STAFF_GROUP, audit_workforce

    data = b"Ethnic Origin,Pay Band\n" + b"A,Band 2\n" * 20 + b"N,Band 2\n" * 10
    audit = audit_workforce(data, name="s.csv")
    assert WARNING_NO_STAFF_GROUP in audit.warnings
    assert {r["clinical"] for r in audit.indicators["wres_indicator_1"]["bands"]} == {"Not stated"}
