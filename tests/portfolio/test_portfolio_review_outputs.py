"""The portfolio run's credential balance and near-duplicates in every output (JSON, text,
HTML, XLSX), with known answers on the example portfolio (example_data/portfolio).

Hand-checked from the files: Band 3 has four descriptions with five essential criteria each.
``senior_hcsw_emergency.txt`` asks for NVQ 3, the Care Certificate and a degree
(credentials), good reading, writing and number skills (competence) and kindness (value):
3 of 5 are credentials. ``senior_hcsw_community.txt`` has 3 (its licence is the third),
``senior_hcsw_medical.txt`` and ``senior_hcsw_surgical.txt`` 2 each: 10 of 20 for the band,
6 competences and 4 values. The three ward HCA descriptions are the planted near-copies.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from typer.testing import CliRunner

from bias_audit.cli import app
from bias_audit.portfolio import workbook as wb
from bias_audit.portfolio.render import render_html, render_text
from bias_audit.portfolio.review_tables import (
    BALANCE_TITLE,
    CREDENTIALS_TITLE,
    DUPLICATES_TITLE,
    NO_DUPLICATES,
)
from bias_audit.portfolio.workbook import portfolio_workbook
from bias_audit.services import audit_portfolio
from bias_audit.services.portfolio import read_documents
from bias_audit.shipped import shipped_path

EXAMPLE = shipped_path("example_data") / "portfolio"
WARDS = ["hca_ward_12.txt", "hca_ward_7.txt", "hca_ward_9.txt"]
EMERGENCY = "senior_hcsw_emergency.txt"
DEGREE = "A degree in a health-related subject"
DEGREE_WORDING = (
    "Able to show knowledge at the level the duties need, through study or equivalent experience"
)
HOSTILE = "=HYPERLINK(1)<script>alert(1)</script>"
DUTIES = (
    "Main duties\n- Help patients to wash, dress and eat.\n- Make beds and keep the bay tidy.\n"
    "- Record temperature, pulse and blood pressure on the chart.\n"
    "- Talk with patients and their families with kindness.\n"
)


@pytest.fixture(scope="module")
def example():
    return audit_portfolio(EXAMPLE / "descriptions", bands=EXAMPLE / "bands.csv")


@pytest.fixture(scope="module")
def hostile():
    """Two near-copies whose criteria and extra duty are hostile text."""
    first = f"Job title: HCA\nBand 2\n{DUTIES}Essential\n- {HOSTILE} NVQ Level 2\n- Kind\n"
    second = first.replace("- Kind\n", f"- Kind\n- {HOSTILE} and patient\n")
    from bias_audit.portfolio.results import build_portfolio

    return build_portfolio(read_documents([("a.txt", first), ("b.txt", second)]))


def _balance(data: dict, key: str, source: str) -> dict:
    return next(b for b in data["credential_balance"][key] if b["source"] == source)


def test_the_review_is_held_once_for_every_document(example):
    review = example.review
    assert [b.source for b in review.balances] == [d.name for d in example.documents]
    assert [b.band for b in review.balances] == [d.band for d in example.documents]
    assert [b.source for b in review.by_band] == ["Band 2", "Band 3", "Band 4"]


def test_json_has_both_keys_at_the_top_with_known_answers():
    result = CliRunner().invoke(
        app,
        [
            "portfolio",
            str(EXAMPLE / "descriptions"),
            "--bands",
            str(EXAMPLE / "bands.csv"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"credential_balance", "near_duplicates"} <= set(data)
    emergency = _balance(data, "documents", EMERGENCY)
    assert emergency["counts"] == {"credential": 3, "competence": 1, "value": 1, "unclassified": 0}
    assert emergency["shares"]["credential"] == pytest.approx(0.6)
    degree = next(c for c in emergency["criteria"] if c["text"] == DEGREE)
    assert (degree["kind"], degree["route_accepted"]) == ("credential", False)
    assert degree["rewording"] == DEGREE_WORDING
    band_3 = _balance(data, "bands", "Band 3")
    assert band_3["counts"] == {"credential": 10, "competence": 6, "value": 4, "unclassified": 0}
    assert band_3["shares"]["credential"] == pytest.approx(0.5)
    assert "criteria" not in band_3
    duplicates = data["near_duplicates"]
    assert duplicates["documents"] == 12 and duplicates["not_computable"] is None
    (group,) = duplicates["groups"]
    assert sorted(group["members"]) == WARDS
    assert group["bands"] == [2, 2, 2] and group["bands_differ"] is False
    assert len(group["differences"]) == 2


def test_text_shows_the_balance_the_wordings_and_the_group(example):
    text = render_text(example)
    assert "Credential balance per document" in text
    assert f"Document: {EMERGENCY} | Band: 3 | Essential criteria: 5 | Credential: 60% (3)" in text
    assert "Document: Band 3 | Band: 3 | Essential criteria: 20 | Credential: 50% (10)" in text
    assert f"Criterion: {DEGREE} | Equivalent route: no | Suggested wording: {DEGREE_WORDING}" in (
        text
    )
    assert f"Group: 1 | Documents: {', '.join(WARDS)} | Bands: 2, 2, 2" in text
    assert "Group 2" not in text
    # the review comes after the bands' matrices and before the notes
    assert text.index("Band 4 —") < text.index("Credential balance per document")


def test_html_has_the_sections_with_the_known_rows(example):
    page = render_html(example)
    for title in (BALANCE_TITLE, CREDENTIALS_TITLE, DUPLICATES_TITLE):
        assert f">{title}<" in page
    assert f"<td>{EMERGENCY}</td><td>3</td><td>5</td><td>60% (3)</td>" in page
    assert "<td>Band 3</td><td>3</td><td>20</td><td>50% (10)</td>" in page
    assert f"<td>{DEGREE}</td><td>no</td><td>{DEGREE_WORDING}</td>" in page
    assert f"<h3>Group 1: {', '.join(WARDS)}</h3>" in page
    assert "Group 2:" not in page and NO_DUPLICATES not in page


def test_html_escapes_criteria_and_differences(hostile):
    page = render_html(hostile)
    assert "<script>" not in page
    escaped = "=HYPERLINK(1)&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"<td>{escaped} NVQ Level 2</td>" in page  # a credential, in the wording table
    assert f"{escaped} and patient" in page  # only in b.txt: a difference of the group
    (group,) = hostile.review.duplicates.groups
    assert set(group.members) == {"a.txt", "b.txt"}


def test_xlsx_sheets_read_back_with_the_known_answers(example):
    book = openpyxl.load_workbook(io.BytesIO(portfolio_workbook(example)))
    assert book.sheetnames == [
        "About",
        "Flags",
        "Band 2",
        "Band 3",
        "Band 4",
        "Profile check",
        wb.BALANCE_SHEET,
        wb.CRITERIA_SHEET,
        wb.DUPLICATES_SHEET,
        "Documents",
    ]
    balance = book[wb.BALANCE_SHEET]
    headers = [c.value for c in balance[1]]
    assert tuple(headers) == wb.BALANCE_SHEET_HEADERS
    rows = {
        (r[0], r[1]): dict(zip(headers, r, strict=True))
        for r in balance.iter_rows(min_row=2, values_only=True)
    }
    assert len(rows) == 12 + 3
    emergency = rows[(EMERGENCY, "document")]
    assert (emergency["Band"], emergency["Essential criteria"], emergency["Credential"]) == (
        3,
        5,
        3,
    )
    assert emergency["Credential share"] == pytest.approx(0.6)
    band_3 = rows[("Band 3", "band")]
    assert (band_3["Credential"], band_3["Competence"], band_3["Value / behaviour"]) == (10, 6, 4)
    share_column = headers.index("Credential share") + 1
    assert balance.cell(row=2, column=share_column).number_format == "0%"
    criteria = list(book[wb.CRITERIA_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(criteria) == 23  # the 7 + 10 + 6 credentials of Bands 2, 3 and 4
    assert (EMERGENCY, 3, DEGREE, "no", DEGREE_WORDING) in [r[:2] + r[3:6] for r in criteria]
    duplicates = list(book[wb.DUPLICATES_SHEET].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[5]) for r in duplicates] == [(1, "hca_ward_7.txt")] * 2
    assert sorted(r[6] for r in duplicates) == ["hca_ward_12.txt", "hca_ward_9.txt"]
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Near-duplicates"] == "1 group(s), 3 document(s) (similarity 0.7 or more)"


def test_xlsx_neutralises_formula_text_in_the_review_sheets(hostile):
    book = openpyxl.load_workbook(io.BytesIO(portfolio_workbook(hostile)))
    criteria = list(book[wb.CRITERIA_SHEET].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3]) for r in criteria] == [
        ("a.txt", f"'{HOSTILE} NVQ Level 2"),
        ("b.txt", f"'{HOSTILE} NVQ Level 2"),
    ]
    (difference,) = book[wb.DUPLICATES_SHEET].iter_rows(min_row=2, values_only=True)
    assert difference[-1] == f"'{HOSTILE} and patient"  # only in this document
    for name in (wb.BALANCE_SHEET, wb.CRITERIA_SHEET, wb.DUPLICATES_SHEET):
        for row in book[name].iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith("=") for v in row)


def test_one_document_gives_not_computable_duplicates_everywhere():
    from bias_audit.portfolio.results import build_portfolio

    alone = build_portfolio(read_documents([("a.txt", "Band 2\nEssential\n- Kind\n")]))
    reason = "not computable: near-duplicates need at least 2 documents, got 1"
    assert alone.to_dict()["near_duplicates"]["not_computable"] == reason
    assert f"Near-duplicates: {reason}" in render_text(alone)
    assert f"<p>{reason}</p>" in render_html(alone)
    book = openpyxl.load_workbook(io.BytesIO(portfolio_workbook(alone)))
    assert dict(book["About"].iter_rows(values_only=True))["Near-duplicates"] == reason
    assert book[wb.DUPLICATES_SHEET].max_row == 1  # the headers only


def test_the_batched_balance_equals_one_document_at_a_time(example):
    from bias_audit.portfolio.credentials import credential_balance, credential_balances

    documents = [(d.text, d.name, d.band) for d in example.documents]
    documents.append(("Essential\n- NVQ Level 2\n- NVQ Level 2\n- Kind", "repeats.txt", 2))
    one_by_one = [credential_balance(t, source=s, band=b) for t, s, b in documents]
    assert credential_balances(documents) == one_by_one
    assert list(example.review.balances) == one_by_one[:-1]
    assert one_by_one[-1].counts["credential"] == 2  # a repeated criterion counts each time
