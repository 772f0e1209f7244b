"""What the recruitment outputs (text, HTML, XLSX/CSV, charts) draw beyond the tables:
the Disability Confident guaranteed interview sentence, one-step extracts, and a
"not computable" reason said once per view."""

from __future__ import annotations

import functools
import io

import openpyxl
import pandas as pd
import pytest

from bias_audit.io.extract import read_funnel
from bias_audit.report import export
from bias_audit.report import recruitment_charts as rc
from bias_audit.report import recruitment_text as rt
from bias_audit.report.html_report import recruitment_report_html
from bias_audit.report.recruitment_text import headline_sentences
from bias_audit.report.workbook import SCHEME_SHEET, recruitment_workbook
from bias_audit.services import audit_recruitment

HEADER = "Applicant ID,Ethnic Origin,Disability,Guaranteed Interview Scheme,Outcome"


def scheme_extract(
    *, interviewed: int, appointed: int, not_shortlisted: int, with_flag: bool = True
) -> bytes:
    """Flagged applicants with the given outcomes, plus 60 applicants not flagged."""
    rows = [HEADER if with_flag else HEADER.replace(",Guaranteed Interview Scheme", "")]
    plan = [
        ("Yes", "Interviewed - not appointed", interviewed),
        ("Yes", "Appointed", appointed),
        ("Yes", "Not shortlisted", not_shortlisted),
        ("No", "Interviewed - not appointed", 20),
        ("No", "Appointed", 10),
        ("No", "Not shortlisted", 30),
    ]
    n = 0
    for flag, outcome, count in plan:
        for _ in range(count):
            ethnicity = "White - British" if n % 2 else "Asian or Asian British - Indian"
            disability = "Yes" if flag == "Yes" else "No"
            cells = [f"A{n}", ethnicity, disability, *([flag] if with_flag else []), outcome]
            rows.append(",".join(cells))
            n += 1
    return ("\n".join(rows) + "\n").encode()


@functools.cache
def audit_of(data: bytes, *, suppression: bool):
    """The audit of ``data`` (cached: the tests below only read it, and several read the
    same extract in the same mode)."""
    return audit_recruitment(read_funnel(data, name="gis.csv"), suppression=suppression)


# 30 flagged: 12 interviewed + 8 appointed reached interview (20), 10 not shortlisted.
LARGE = {"interviewed": 12, "appointed": 8, "not_shortlisted": 10}
LARGE_SENTENCE = (
    "Of the 30 applicants who asked for a guaranteed interview under Disability Confident, "
    "20 were interviewed; 10 were not."
)
# 11 flagged: 6 + 2 reached interview (8), 3 not shortlisted (a count of 1–7).
SMALL = {"interviewed": 6, "appointed": 2, "not_shortlisted": 3}


@pytest.mark.parametrize("suppression", [True, False])
def test_scheme_sentence_counts_multiple_of_five(suppression):
    # Every count is a multiple of 5 and at least 8: published and exact agree.
    audit = audit_of(scheme_extract(**LARGE), suppression=suppression)
    assert rt.guaranteed_interview_sentence(audit.guaranteed_interview) == LARGE_SENTENCE


def test_scheme_sentence_exact_and_published_small():
    exact = audit_of(scheme_extract(**SMALL), suppression=False)
    assert rt.guaranteed_interview_sentence(exact.guaranteed_interview) == (
        "Of the 11 applicants who asked for a guaranteed interview under Disability "
        "Confident, 8 were interviewed; 3 were not."
    )
    published = audit_of(scheme_extract(**SMALL), suppression=True)
    # 3 is shown as ≤7; 11 is rounded to 10, and 8 is hidden as * (8 = 11 − 3 would
    # otherwise pin the ≤7 down).
    assert rt.guaranteed_interview_sentence(published.guaranteed_interview) == (
        "Of the 10 applicants who asked for a guaranteed interview under Disability "
        "Confident, * were interviewed; ≤7 were not."
    )


def test_scheme_sentence_without_an_interview_stage():
    data = b"Ethnicity,GIS,Outcome\nA,Yes,Appointed\nN,Yes,Not appointed\nA,No,Not appointed\n"
    audit = audit_of(data, suppression=True)
    assert rt.guaranteed_interview_sentence(audit.guaranteed_interview) == (
        "Of the ≤7 applicants who asked for a guaranteed interview under Disability "
        "Confident, how many were interviewed is not computable: the extract has no "
        "interview or shortlisting stage."
    )


def test_no_flag_no_sentence_anywhere():
    audit = audit_of(scheme_extract(**LARGE, with_flag=False), suppression=True)
    assert audit.guaranteed_interview is None
    assert rt.guaranteed_interview_sentence(audit.guaranteed_interview) is None
    assert rt.GUARANTEED_INTERVIEW_HEADING not in rt.text_report(audit)
    assert rt.GUARANTEED_INTERVIEW_HEADING not in recruitment_report_html(audit)
    book = openpyxl.load_workbook(io.BytesIO(recruitment_workbook(audit)))
    assert SCHEME_SHEET not in book.sheetnames


@pytest.mark.parametrize("suppression", [True, False])
def test_scheme_sentence_in_text_html_and_export(suppression):
    audit = audit_of(scheme_extract(**LARGE), suppression=suppression)
    text = rt.text_report(audit)
    assert f"{rt.GUARANTEED_INTERVIEW_HEADING}:\n  {LARGE_SENTENCE}\n" in text
    html = recruitment_report_html(audit)
    assert f"<h3>{rt.GUARANTEED_INTERVIEW_HEADING}</h3><p>{LARGE_SENTENCE}</p>" in html
    sheet = pd.read_excel(
        io.BytesIO(recruitment_workbook(audit)), sheet_name=SCHEME_SHEET, engine="openpyxl"
    )
    row = sheet.iloc[0]
    assert (row["Applicants"], row["Reached it"], row["Did not reach it"]) == (30, 20, 10)
    assert row["In words"] == LARGE_SENTENCE
    csv = export.frame_to_csv(export.guaranteed_interview_frame(audit)).decode("utf-8-sig")
    assert LARGE_SENTENCE in csv


def test_published_export_never_shows_the_small_count():
    audit = audit_of(scheme_extract(**SMALL), suppression=True)
    frame = export.guaranteed_interview_frame(audit)
    row = frame.iloc[0]
    assert (row["applicants"], row["reached"], row["not_reached"]) == (10, "*", "≤7")
    assert row["share"] is None
    # In the workbook: the hidden counts are blank numbers, marked beside them.
    sheet = openpyxl.load_workbook(io.BytesIO(recruitment_workbook(audit)))[SCHEME_SHEET]
    cells = dict(zip((c.value for c in sheet[1]), (c.value for c in sheet[2]), strict=True))
    assert (cells["Applicants"], cells["Reached it"], cells["Did not reach it"]) == (
        10,
        None,
        None,
    )
    assert cells["Hidden counts"] == "reached *, did not reach ≤7"
    assert cells["Share who reached it"] is None


# ------------------------------------------- a "not computable" reason said once per view


def unread_extract() -> bytes:
    """100 applications, 10 with an outcome the tool cannot read (10% > the 5% guard)."""
    rows = ["Applicant ID,Ethnic Origin,Sex,Outcome"]
    outcomes = ("Appointed", "Not shortlisted", "Interviewed - not appointed", "Mystery")
    for n in range(100):
        outcome = outcomes[3] if n % 10 == 0 else outcomes[n % 3]
        ethnicity = "White - British" if n % 2 else "Black or Black British - African"
        rows.append(f"U{n},{ethnicity},{'Female' if n % 3 else 'Male'},{outcome}")
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("suppression", [True, False])
def test_unread_reason_once_per_view_rows_see_above(suppression):
    audit = audit_of(unread_extract(), suppression=suppression)
    text = rt.text_report(audit)
    views = audit.transitions["attribute"].unique().tolist()
    reasons = set(audit.transitions["not_computable"])
    assert len(reasons) == 1
    reason = reasons.pop()
    assert reason.startswith("until the outcomes the tool cannot read")
    assert rt.VIEW_NOT_COMPUTABLE.format(reason=reason) + "\n" in text
    assert text.count(rt.VIEW_NOT_COMPUTABLE.format(reason=reason)) == len(views)
    compared = audit.transitions[audit.transitions["group"] != audit.transitions["reference"]]
    assert text.count("not computable (see above).") == len(compared)
    assert "  BME (applied → shortlisted): not computable (see above).\n" in text
    # The JSON keeps the full sentence on every row.
    for block in audit.to_dict()["transitions"]:
        for group in block["groups"]:
            if group["group"] != block["reference"]:
                assert group["sentence"].endswith(f"not computable {reason}.")


# ----------------------------------------------------------------- one-step extracts


def binary_extract() -> bytes:
    """80 rows, Appointed / Not appointed only: White 24 of 40 appointed, Black 12 of 40."""
    rows = ["Applicant ID,Ethnic Origin,Sex,Disability,Outcome"]
    for ethnicity, appointed in (("White - British", 24), ("Black or Black British - African", 12)):
        for n in range(40):
            outcome = "Appointed" if n < appointed else "Not appointed"
            sex = "Female" if n % 2 else "Male"
            disability = "Yes" if n % 4 == 0 else "No"
            rows.append(f"{ethnicity[:1]}{n},{ethnicity},{sex},{disability},{outcome}")
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize(
    ("rows_are", "first", "who"),
    [
        ("applications", "considered", "applicants"),
        ("shortlisted", "shortlisted", "shortlisted applicants"),
    ],
)
def test_one_step_forest_shows_the_one_comparison(rows_are, first, who):
    funnel = read_funnel(binary_extract(), name="binary.csv", rows_are=rows_are)
    audit = audit_recruitment(funnel, suppression=False)
    assert audit.stages == (first, "appointed")
    forest = rc.recruitment_charts(audit)[0]
    assert not forest.empty
    assert forest.title == rc.FOREST_TITLE.format(from_stage=first, to_stage="appointed")
    # White 24/40 = 60%, Black 12/40 = 30%: White 2.00 times as likely.
    drawn = [x for trace in forest.figure.data for x in (trace.x or ())]
    assert 2.0 in [round(float(x), 2) for x in drawn]
    expected = f"White {who} were 2.00 times as likely to be appointed as BME {who}"
    rows = audit.transitions[audit.transitions["attribute"] == "ethnicity_wres"]
    assert rows[rows["group"] == "BME"]["sentence"].iloc[0].startswith(expected)


def test_one_step_headline_in_text_and_html():
    audit = audit_recruitment(read_funnel(binary_extract(), name="b.csv"), suppression=False)
    lead = rt.ONE_STEP_LEAD.format(row="application", from_stage="considered", to_stage="appointed")
    sentences = rt.one_step_sentences(audit)
    assert sentences[0] == lead
    # Ethnicity (WRES), gender and disability: one comparison each, significant or not.
    assert [s.split(" were ")[0] for s in sentences[1:]] == [
        "White applicants",
        "Male applicants",
        "Not disabled applicants",
    ]
    gap = sentences[1]
    assert gap in headline_sentences(audit)  # significant: once a "clear gap" ...
    assert rt.headline_gaps(audit) == []  # ... now said once, in the one-step list
    text = rt.text_report(audit)
    head = text.split("\n\n")[1]
    assert f"* {lead}\n  - {gap}\n" in head
    assert text.count(gap) == 2  # the headline and under its table
    assert gap.startswith("White applicants were 2.00 times as likely to be appointed as BME")
    html = recruitment_report_html(audit)
    assert f"<h3>{rt.ONE_STEP_HEADING}</h3><p>{lead}</p><ul><li>" in html
    assert "Clear gaps" not in html


def test_one_step_headline_leaves_the_indicators_their_views():
    funnel = read_funnel(binary_extract(), name="b.csv", rows_are="shortlisted")
    audit = audit_recruitment(funnel, suppression=False)
    assert audit.wres_indicator_2["value"] == pytest.approx(2.0)
    sentences = rt.one_step_sentences(audit)
    assert sentences[0] == rt.ONE_STEP_LEAD.format(
        row="shortlisted applicant", from_stage="shortlisted", to_stage="appointed"
    )
    assert [s.split(" were ")[0] for s in sentences[1:]] == ["Male shortlisted applicants"]


def test_a_funnel_has_no_one_step_lines():
    audit = audit_of(scheme_extract(**LARGE), suppression=False)
    assert rt.one_step_sentences(audit) == []
    assert rt.ONE_STEP_HEADING not in recruitment_report_html(audit)


LEAD = "Of the {n} applicants who asked for a guaranteed interview under Disability Confident, "


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"stage": "interviewed", "applicants": 40, "reached": 30, "not_reached": 10},
            LEAD.format(n=40) + "30 were interviewed; 10 were not.",
        ),
        (
            {"stage": "shortlisted", "applicants": 40, "reached": 30, "not_reached": 10},
            LEAD.format(n=40) + "30 were shortlisted (invited to interview); 10 were not.",
        ),
        (
            {
                "stage": "interviewed",
                "applicants": 40,
                "reached": 30,
                "not_reached": 10,
                "withdrew_before": "≤7",
            },
            LEAD.format(n=40) + "30 were interviewed; 10 were not. ≤7 of those not "
            "interviewed withdrew or declined before that stage.",
        ),
        (
            {
                "stage": "interviewed",
                "applicants": 15,
                "reached": "*",
                "not_reached": "≤7",
                "withdrew_before": "*",
            },
            LEAD.format(n=15) + "* were interviewed; ≤7 were not. * of those not interviewed "
            "withdrew or declined before that stage.",
        ),
        (
            {
                "stage": None,
                "applicants": "≤7",
                "reached": None,
                "not_reached": None,
                "not_computable": "the extract has no interview or shortlisting stage",
            },
            LEAD.format(n="≤7") + "how many were interviewed is not computable: the extract "
            "has no interview or shortlisting stage.",
        ),
        (
            {"stage": "interviewed", "applicants": 0, "reached": 0, "not_reached": 0},
            rt.GUARANTEED_INTERVIEW_NONE,
        ),
    ],
)
def test_scheme_sentence_table(row, expected):
    full = {"withdrew_before": 0, "share": None, "not_computable": "", **row}
    assert rt.guaranteed_interview_sentence(pd.DataFrame([full])) == expected


def test_scheme_sentence_none_without_a_table():
    assert rt.guaranteed_interview_sentence(None) is None


def test_one_step_with_unread_rows_gives_the_reason_once_in_the_headline():
    lines = binary_extract().decode().splitlines()
    # Every 8th row's outcome unreadable: 10 of 80 rows (12.5% > the 5% guard).
    lines = [
        line.rsplit(",", 1)[0] + ",Zzz" if i and i % 8 == 0 else line
        for i, line in enumerate(lines)
    ]
    audit = audit_of(("\n".join(lines) + "\n").encode(), suppression=False)
    reason = audit.wres_indicator_2["reason"]
    assert reason.startswith('until the outcomes the tool cannot read in "Outcome" (10 of 80')
    assert rt.one_step_sentences(audit)[1:] == [
        "BME (considered → appointed): not computable (see above).",
        "Female (considered → appointed): not computable (see above).",
        "Disabled (considered → appointed): not computable (see above).",
    ]
    head = rt.text_report(audit).split("\n\n")[1]
    assert head.count(reason) == 2  # WRES indicator 2 and WDES metric 2
