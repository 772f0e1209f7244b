"""Requirements and the band as a reader sees them: words, never internal codes or "ok"."""

from __future__ import annotations

import html
import typing

import pytest

from bias_audit.report import advert_text as at
from bias_audit.report import html_report as hr
from bias_audit.report import requirement_table as rt
from bias_audit.report import requirement_words as rw
from bias_audit.text.advert import analyse_advert
from bias_audit.text.band_policy import Kind
from bias_audit.text.requirements import (
    CLEARED_HELD_BY_OTHERS,
    CLEARED_IN_POST,
    CLEARED_NEGATED,
    CLEARED_NOTICE,
    CLEARED_REASONABLE,
    CLEARED_REPEAT,
    Requirement,
)

ADVERT = (
    "Healthcare Support Worker\n"
    "Salary £24,937 - £26,598 a year\n"
    "\n"
    "About the ward\n"
    "Our ward manager, who holds a Master's degree, leads a friendly team.\n"
    "\n"
    "Essential\n"
    "- GCSE English and maths grade C or above\n"
    "- Care Certificate (training provided)\n"
    "- 2 years' experience in a care setting\n"
    "\n"
    "Visa sponsorship\n"
    "Applicants who need a Skilled Worker visa must show 12 months' experience of care work.\n"
)
SALARY_EVIDENCE = (
    "Band 3 (read from the salary £24,937 - £26,598, which matches the Agenda for Change "
    "2025/26 pay scale for England)"
)
# (what was matched, the words each requirement's verdict must read)
EXPECTED = [
    ("Master's degree", "someone else's qualification, not the applicant's"),
    ("GCSE", "MEDIUM: no equivalent route (see the finding above)"),
    ("Care Certificate", "route accepted: in-post training"),
    ("2 years' experience", "MEDIUM: no equivalent route (see the finding above)"),
    ("12 months' experience", "in a visa or sponsorship notice: not a demand"),
]


@pytest.fixture(scope="module")
def report():
    return analyse_advert(ADVERT, source="hcsw.txt")


def test_every_demand_has_its_reason_in_words(report):
    got = [(r.text, rw.requirement_verdict(r, band=report.band)) for r in report.requirements]
    assert got == EXPECTED


def test_text_report_shows_reasons_kinds_and_band_evidence(report):
    out = at.render_report(report)
    assert out.startswith(f"hcsw.txt — band 3, found in text as {SALARY_EVIDENCE}\n")
    requirements = out.split("Requirements (5):\n")[1].split("\n\nInclusion")[0]
    for text, verdict in EXPECTED:
        assert f"“{text}”" in requirements
        assert f"→ {verdict}" in requirements
    assert "  Essential   GCSE " in requirements
    assert "gcse" not in requirements and "care_certificate" not in requirements
    assert " ok " not in requirements and "Fits the band" not in requirements


def test_html_rows_and_report_show_reasons_in_words(report):
    rows = rt.requirement_rows(report)
    by_words = {row.words: row.cells() for row in rows}
    assert by_words["Care Certificate"] == (
        "Essential",
        "Care Certificate (training provided)",
        "Care Certificate",
        "Yes",
        "Route accepted: in-post training",
    )
    assert by_words["12 months' experience"][4] == "In a visa or sponsorship notice: not a demand"
    assert by_words["GCSE"][1:3] == ("GCSE English and maths grade C or above", "GCSE")
    assert str(by_words["GCSE"][4]).startswith("Medium: Asking for GCSEs alone")
    assert by_words["Master's degree"][:2] == (
        "Not marked",
        "Our ward manager, who holds a Master's degree, leads a friendly team.",
    )
    out = hr.advert_report_html([report])
    assert f"<p>{html.escape('Band 3, found in text as ' + SALARY_EVIDENCE)} · " in out
    assert "Fits the band" not in out
    assert "<td>gcse</td>" not in out


@pytest.mark.parametrize(
    ("kind", "section", "route", "reason", "band", "words"),
    [
        (
            "experience",
            "unspecified",
            False,
            CLEARED_NOTICE.format(notice="a right-to-work notice"),
            3,
            "in a right-to-work notice: not a demand",
        ),
        (
            "care_certificate",
            "essential",
            False,
            CLEARED_IN_POST,
            2,
            "route accepted: in-post training",
        ),
        (
            "degree",
            "unspecified",
            False,
            CLEARED_HELD_BY_OTHERS,
            3,
            "someone else's qualification, not the applicant's",
        ),
        (
            "experience",
            "unspecified",
            False,
            CLEARED_HELD_BY_OTHERS,
            3,
            "someone else's experience, not the applicant's",
        ),
        ("experience", "essential", False, CLEARED_NEGATED, 2, "not needed: the text says so"),
        ("physical", "essential", False, CLEARED_REPEAT, 2, "repeats the demand before it"),
        ("gcse", "essential", True, CLEARED_REASONABLE, 3, "route accepted: an equivalent counts"),
        (
            "gcse",
            "desirable",
            False,
            CLEARED_REASONABLE,
            4,
            "desirable only: reasonable for Band 4",
        ),
        ("registration", "essential", False, CLEARED_REASONABLE, 6, "fits Band 6"),
        (
            "physical",
            "essential",
            False,
            CLEARED_REASONABLE,
            None,
            "fits a post whose band is not stated",
        ),
        ("gcse", "essential", False, "a reason added later", 3, "a reason added later"),
    ],
)
def test_cleared_reason_in_words(kind, section, route, reason, band, words):
    requirement = Requirement(kind, "x", 0, 1, section, route, None, reason)
    assert rw.cleared_words(requirement, band=band) == words


def test_every_kind_has_words():
    assert set(rw.KIND_WORDS) == set(typing.get_args(Kind))
    assert all(words != kind for kind, words in rw.KIND_WORDS.items())


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "HCA, Band 2 or 3. You help patients.",
            "band 3, found in text as Band 2 or 3 (judged at Band 3, the higher)",
        ),
        ("HCA, Banding 2. You help patients.", "band 2, found in text as “Banding 2”"),
        ("HCA, Band 3. You help patients.", "band 3 (found in text)"),
        ("HCA. You help patients.", "band not stated"),
    ],
)
def test_band_label_shows_evidence_that_says_more_than_the_band(text, label):
    assert at.band_label(analyse_advert(text)) == label
