"""Retention and progression in the workforce text, CSV and HTML reports (not just a
reason): each section's takeaway and its figures as the JSON holds them."""

from __future__ import annotations

import pytest

from bias_audit.report.workforce_html import workforce_report_html
from bias_audit.report.workforce_text import text_report, workforce_table


@pytest.fixture(scope="module")
def example(example_audits):
    return example_audits[True].to_dict()


def test_text_report_has_both_takeaways_and_group_lines(example):
    text = text_report(example)
    retention, progression = example["retention"], example["progression"]
    assert retention["takeaway"] in text and progression["takeaway"] in text
    assert "not computable" not in text.split("Retention of starters", 1)[1].split("\n", 1)[0]
    white = next(g for g in retention["groups"] if g["group"] == "White")
    assert f"ethnicity_wres White: {white['started']} started" in text
    assert progression["direction"] in text


def test_text_report_says_why_when_not_computable(example):
    data = dict(example, retention={"reason": "no start date column"})
    assert "Retention: not computable: no start date column" in text_report(data)


def test_csv_rows_carry_the_published_figures(example):
    table = workforce_table(example)
    retention = table[table["indicator"] == "retention"]
    head = retention[retention["part"] == "all"].iloc[0]
    assert head["staff"] == example["retention"]["cohort"]["people"]
    assert head["takeaway"] == example["retention"]["takeaway"]
    white = next(g for g in example["retention"]["groups"] if g["group"] == "White")
    row = retention[
        (retention["group"] == "White")
        & (retention["part"] == "ethnicity_wres")
        & (retention["band"] == "in post at 12 months")
    ].iloc[0]
    h = white["at_12_months"]
    assert (row["staff"], row["counted"], row["value"]) == (h["observed"], h["stayed"], h["km"])
    moves = table[table["indicator"] == "progression"]
    first = example["progression"]["rows"][0]
    match = moves[
        (moves["band"] == first["move"])
        & (moves["part"] == first["attribute"])
        & (moves["group"] == first["group"])
    ].iloc[0]
    assert (match["staff"], match["counted"]) == (first["entered"], first["progressed"])
    assert moves[moves["part"] == "all"].iloc[0]["takeaway"] == example["progression"]["takeaway"]
    reasons = table[table["indicator"] == "retention leaving reasons"]
    assert len(reasons) == len(example["retention"]["leaving_reasons"])
    tests = table[table["indicator"] == "retention log-rank test"]
    assert len(tests) == len(example["retention"]["tests"])


def test_csv_keeps_the_reason_when_not_computable(example):
    data = dict(example, progression={"reason": "no earlier band", "definition": "d"})
    table = workforce_table(data)
    row = table[table["indicator"] == "progression"]
    assert len(row) == 1 and row.iloc[0]["reason"] == "no earlier band"


def test_html_report_draws_the_charts_with_takeaways(example):
    page = workforce_report_html(example)
    assert "<h2>Retention and progression</h2>" in page
    assert 'class="plotly-graph-div"' in page
    assert page.count('<script type="text/javascript">') == 1  # plotly.js once
    for key in ("retention", "progression"):
        takeaway = example[key]["takeaway"].replace("'", "&#x27;")
        assert takeaway in page, key


def test_html_without_charts_loads_no_plotly(example):
    data = dict(example, retention={"reason": "r"}, progression={"reason": "p"})
    page = workforce_report_html(data)
    assert 'class="plotly-graph-div"' not in page
    assert "<script" not in page
