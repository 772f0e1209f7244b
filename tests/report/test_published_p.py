"""A published p is a bound, and every recruitment output says so.

With small numbers protected, p is worked out from the shown (rounded) counts as the largest
p any counts that round to them give (``stats.significance.allowing_for_rounding``). Printed
as "p = 1.00" it reads as "the groups are alike"; the text, HTML, workbook and JSON say
"p ≤ …, allowing for rounding" instead. Exact counts (analyst mode) keep "p = …".
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from bias_audit.report import recruitment_text as rt
from bias_audit.report import workbook as wb
from bias_audit.report.html_report import significance_tables
from bias_audit.services import audit_extract

# The commonest real shape: one Outcome column of "Appointed" / "Not appointed".
# Black applicants: 10 of 10 appointed; White: 30 of 75. Exact Fisher p is far below 0.001,
# but a shown 10 may be 8 to 12 (10 of 10 could be 8 of 12), so the published p is over 0.05.
ROWS = (
    [("N Black or Black British - African", "Appointed")] * 10
    + [("A White - British", "Appointed")] * 30
    + [("A White - British", "Not appointed")] * 45
)


def _extract() -> bytes:
    lines = ["Ethnic Origin,Outcome", *(f"{e},{o}" for e, o in ROWS)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def audits():
    return {
        published: audit_extract(_extract(), name="appointed.csv", suppression=published)
        for published in (True, False)
    }


def _bme_row(audit):
    rows = audit.transitions.query("attribute == 'ethnicity_wres' and group == 'BME'")
    assert len(rows) == 1
    return rows.iloc[0]


def test_published_p_is_a_bound_and_the_sentence_says_so(audits):
    published, exact = _bme_row(audits[True]), _bme_row(audits[False])
    assert exact["p_value"] < 0.001 and not exact["p_allows_for_rounding"]
    assert published["p_value"] > 0.05 and published["p_allows_for_rounding"]
    shown = rt.format_p(published["p_value"])
    assert (
        f"not statistically significant (p ≤ {shown}, allowing for rounding)"
        in (published["sentence"])
    )
    assert "statistically significant (p < 0.001)" in exact["sentence"]
    assert "allowing for rounding" not in exact["sentence"]


def test_text_report_tables_mark_published_p_and_explain_it(audits):
    published, exact = rt.text_report(audits[True]), rt.text_report(audits[False])
    bound = rt.format_p(_bme_row(audits[True])["p_value"])
    assert rt.TABLE_KEY_ROUNDED in published and rt.TABLE_KEY_ROUNDED not in exact
    bme_lines = [line for line in published.splitlines() if line.startswith("BME ")]
    assert bme_lines and all(f"≤ {bound}" in line for line in bme_lines)
    exact_lines = [line for line in exact.splitlines() if line.startswith("BME ")]
    assert exact_lines and all("< 0.001" in line and "≤" not in line for line in exact_lines)


def test_html_tables_mark_published_p(audits):
    def bme_p(audit):
        frame = next(iter(significance_tables(audit).values()))
        return frame.loc[frame["Group"] == "BME", "Fisher p"].tolist()

    bound = _bme_row(audits[True])["p_value"]
    assert bme_p(audits[True]) == [f"≤ {bound:.3f}"]
    assert bme_p(audits[False]) == ["< 0.001"]


def test_json_carries_the_flag(audits):
    for published, audit in audits.items():
        data = json.loads(json.dumps(audit.to_dict()))
        block = next(b for b in data["transitions"] if b["attribute"] == "ethnicity_wres")
        bme = next(g for g in block["groups"] if g["group"] == "BME")
        assert bme["p_allows_for_rounding"] is published
        white = next(g for g in block["groups"] if g["group"] == "White")
        assert white["p_allows_for_rounding"] is False  # the reference: no p at all


def test_workbook_heads_published_p_as_a_bound(audits):
    for published, audit in audits.items():
        book = openpyxl.load_workbook(io.BytesIO(wb.recruitment_workbook(audit)))
        headers = [c.value for c in book["Ethnicity (WRES)"][1]]
        bounded = "Fisher exact p (two-sided), at most (allowing for rounding)" in headers
        assert bounded is published
        assert ("Fisher exact p (two-sided)" in headers) is not published


def test_borderline_sentence_reads_with_a_bound():
    row = {"group": "BME", "reference": "White", "from": "shortlisted", "to": "appointed",
           "entered": 50, "progressed": 21, "rate": 0.42, "reference_progressed": 48,
           "relative_likelihood": 1.4286, "ci_low": 0.985, "ci_high": 2.072,
           "p_value": 0.0495, "impact_ratio": 0.9, "one_person_check": "pass",
           "suppressed": False, "not_computable": "", "p_allows_for_rounding": True}  # fmt: skip
    sentence = rt.row_sentence(row, stage_index=1)
    assert "borderline: p ≤ 0.0495, allowing for rounding, is below 0.05 but the interval" in (
        sentence
    )
    row["ci_low"], row["p_value"] = 1.02, 0.061
    sentence = rt.row_sentence(row, stage_index=1)
    assert "interval excludes 1 but p ≤ 0.0610, allowing for rounding, is 0.05 or above" in (
        sentence
    )
