"""Retention curves and progression bars (issue 12 point 5, app and HTML figures)."""

from __future__ import annotations

import pandas as pd
import pytest
from flow_staff import EXTRACT_DATE, synthetic_staff

from bias_audit.report import workforce_flow as wf
from bias_audit.report import workforce_flow_charts as charts


@pytest.fixture(scope="module")
def flow():
    return wf.workforce_flow(synthetic_staff(1500, seed=5), extract_date=EXTRACT_DATE)


def test_survival_curves_stop_at_eight_and_say_so(flow):
    chart = charts.survival_chart(flow.retention)
    assert chart.title == "Share of new starters still in post, by ethnicity (WRES)"
    assert not chart.empty and "8 or more people" in chart.takeaway
    assert chart.takeaway.startswith("At 12 months, an estimated")
    # Published: at-risk counts rounded to 5 and never under 8.
    assert all(v % 5 == 0 and v >= 10 for v in chart.table["At risk"])
    lines = [t for t in chart.figure.data if t.mode == "lines"]
    assert {t.name for t in lines} == {"White", "BME", "Not stated"} & set(chart.table["Group"])
    assert all(t.line.shape == "hv" for t in lines)  # step curves
    assert all(0 <= y <= 1 for t in lines for y in t.y)


def test_progression_bars_hide_hidden_rates(flow):
    chart = charts.progression_chart(flow.progression)
    assert not chart.empty and chart.takeaway.startswith("White staff were")
    hidden = flow.progression_rows
    hidden = hidden[(hidden["attribute"] == "ethnicity_wres") & hidden["suppressed"].astype(bool)]
    assert len(hidden) > 0
    assert (chart.table["Share who moved"] == "hidden").sum() >= len(hidden)
    for bar in chart.figure.data:
        for y, text in zip(bar.y, bar.text, strict=True):
            assert (y is None) == (text == "hidden")


def test_takeaway_follows_the_view(flow):
    chart = charts.progression_chart(flow.progression, attribute="gender")
    assert "Female" in chart.takeaway or "Male" in chart.takeaway
    assert "White" not in charts.survival_chart(flow.retention, attribute="gender").takeaway


def test_not_computable_is_said_not_drawn():
    staff = synthetic_staff(300).drop(columns=["start_date", "band_earlier"])
    flow = wf.workforce_flow(staff, extract_date=EXTRACT_DATE)
    for chart in charts.flow_charts(flow.retention, flow.progression):
        assert chart.empty and "could not be measured" in chart.takeaway
    assert isinstance(flow.curves, pd.DataFrame) and flow.curves.empty


def test_retention_and_reasons_tables(flow):
    table = charts.retention_table(flow.retention, attribute="ethnicity_wres")
    assert list(table["Group"]) == [
        g["group"] for g in flow.retention["groups"] if g["attribute"] == "ethnicity_wres"
    ]
    white = next(g for g in flow.retention["groups"] if g["group"] == "White")
    h = white["at_12_months"]
    assert table.loc[0, "In post at 12 m (of those followed)"] == (
        f"{h['stayed']} of {h['observed']}"
    )
    reasons = charts.leaving_reasons_table(flow.retention, attribute="ethnicity_wres")
    assert reasons.columns[0] == "Reason for leaving"
    listed = [
        r
        for r in flow.retention["leaving_reasons"]
        if (r["attribute"], r["group"]) == ("ethnicity_wres", "BME")
    ]
    for r in listed:
        row = reasons[reasons["Reason for leaving"] == r["reason_group"]].iloc[0]
        assert row["BME"] == r["leavers"]


def test_html_section_escapes_group_labels(flow):
    retention = dict(flow.retention)
    retention["leaving_reasons"] = [
        *retention["leaving_reasons"],
        {
            "attribute": "ethnicity_wres",
            "group": "White",
            "reason_group": "<script>x</script>",
            "leavers": 10,
        },
    ]
    section = charts.flow_html_section(retention, flow.progression)
    assert "<script>x</script>" not in section and "&lt;script&gt;x&lt;/script&gt;" in section
    assert section.count("<figure") == 2 and "Reasons for leaving by group" in section
    assert flow.retention["takeaway"].replace("'", "&#x27;") in section
