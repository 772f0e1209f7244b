"""docs/workforce.md quotes the figures the code gives on the example extract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bias_audit.report.workforce_text import ratio_text, text_report

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "workforce.md").read_text(encoding="utf-8")
ROWS = {"WRES 3": "wres_indicator_3", "WRES 4": "wres_indicator_4", "WDES 3": "wdes_metric_3"}


@pytest.fixture(scope="module")
def audits(example_audits):
    return {mode: audit.to_dict() for mode, audit in example_audits.items()}


@pytest.mark.parametrize("label", list(ROWS))
def test_planted_table_figures(audits, label):
    line = next(row for row in DOC.splitlines() if row.startswith(f"| {label}:"))
    cells = [c.strip() for c in line.strip("|").split("|")]
    exact, published = cells[2], cells[3]
    assert float(exact.split()[0]) == audits[False][ROWS[label]]["value"]
    assert float(published) == audits[True][ROWS[label]]["value"]
    interval = re.search(r"CI ([\d.]+)–([\d.]+)", exact)
    if interval:
        result = audits[False][ROWS[label]]
        assert (float(interval[1]), float(interval[2])) == (result["ci_low"], result["ci_high"])


def test_json_example_is_real_output(audits):
    result = audits[True]["wres_indicator_3"]
    for field in ("value", "ci_low", "ci_high", "p_value", "mid_p"):
        assert f'"{field}": {result[field]}' in DOC, field
    assert f'"staff": {result["White"]["staff"]}, "entered": {result["White"]["entered"]}' in DOC


def test_readme_quotes_the_example(audits):
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    published = audits[True]
    assert f"WRES indicator 3 = {published['wres_indicator_3']['value']:.2f}" in readme
    assert f"WRES 4 = {published['wres_indicator_4']['value']:.2f}" in readme
    assert f"WDES 3 = {published['wdes_metric_3']['value']:.2f}" in readme


def test_published_p_is_written_as_a_bound_and_exact_p_as_a_value(audits):
    # Published: the p allows for the rounding of the counts (the largest any counts that
    # round to the shown ones give), so the reports write it as a bound; exact: a value.
    published, exact = audits[True]["wres_indicator_3"], audits[False]["wres_indicator_3"]
    assert published["p_allows_for_rounding"] is True
    assert "p_allows_for_rounding" not in exact
    assert "p ≤ " in ratio_text(published) and "allowing for rounding" in ratio_text(published)
    assert "p = " in ratio_text(exact) and "≤" not in ratio_text(exact)
    assert ratio_text(published) in text_report(audits[True])
