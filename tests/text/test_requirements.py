"""Requirements analyser: each demand found, its section and equivalent route, judged by band."""

import pytest

from bias_audit.lexicon import load_lexicon
from bias_audit.text import requirements as req
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.requirements import (
    equivalent_route,
    find_band,
    find_requirements,
    line_sections,
)
from bias_audit.types import Severity


def requirements_of(text: str, band: int | None):
    return find_requirements(get_pipeline()(text), load_lexicon(), band=band)


def only(text: str, band: int | None, kind: str):
    found = [r for r in requirements_of(text, band) if r.kind == kind]
    assert len(found) == 1, found
    return found[0]


DEGREE = "Essential\n- A degree in health or social care\n"
GCSE = "Essential\n- GCSE English and maths at grade 4/C\n"
NVQ3 = "Essential\n- NVQ Level 3 in Health and Social Care\n"
EXPERIENCE = "You must have 2 years' experience as a healthcare assistant."
CARE_CERT = "Essential\n- Care Certificate\n"
NMC = "Essential\n- Current NMC registration\n"
LICENCE = "Main duties\nHelp patients to wash and dress.\nEssential\n- Full UK driving licence\n"

# (text, band, kind, section, equivalent accepted, severity or None when reasonable)
# fmt: off
CASES = [
    # Degrees: no Band 1–4 support role needs one.
    (DEGREE, 3, "degree", "essential", False, "high"),
    (DEGREE, 2, "degree", "essential", False, "high"),
    (DEGREE, 4, "degree", "essential", False, "high"),
    (DEGREE, 5, "degree", "essential", False, "low"),
    (DEGREE, None, "degree", "essential", False, "medium"),
    (DEGREE.replace("care\n", "care, or equivalent experience\n"),
     3, "degree", "essential", True, "medium"),
    ("Desirable\n- A degree in health or social care\n", 3, "degree", "desirable", False, "low"),
    # GCSEs: medium without "or equivalent", fine with a stated alternative.
    (GCSE, 3, "gcse", "essential", False, "medium"),
    (GCSE, 2, "gcse", "essential", False, "medium"),
    (GCSE.replace("4/C", "4/C or equivalent"), 3, "gcse", "essential", True, None),
    ("Essential\n- GCSE English and maths, or Functional Skills Level 2\n",
     2, "gcse", "essential", True, None),
    ("Desirable\n- GCSE maths\n", 3, "gcse", "desirable", False, None),
    # Qualification levels against the band's level.
    (NVQ3, 2, "qualification_level", "essential", False, "high"),
    (NVQ3, 3, "qualification_level", "essential", False, "medium"),
    (NVQ3.replace("Care\n", "Care or equivalent\n"),
     3, "qualification_level", "essential", True, None),
    (NVQ3.replace("Care\n", "Care or equivalent\n"),
     2, "qualification_level", "essential", True, "medium"),
    ("Essential\n- Foundation degree in health, or working towards\n",
     4, "qualification_level", "essential", True, None),
    ("Essential\n- Foundation degree in health\n",
     3, "qualification_level", "essential", False, "high"),
    ("Essential\n- Two A levels\n", 2, "qualification_level", "essential", False, "high"),
    ("Essential\n- Two A levels or equivalent\n",
     3, "qualification_level", "essential", True, None),
    # Experience durations: high for a Band 2 entry role.
    (EXPERIENCE, 2, "experience", "essential", False, "high"),
    (EXPERIENCE, 3, "experience", "essential", False, "medium"),
    ("Essential: 6 months' experience in a care role", 3, "experience", "essential", False, "low"),
    ("Desirable\n- 2 years' experience in care\n", 2, "experience", "desirable", False, "low"),
    ("Essential\n- Previous experience as a healthcare assistant\n",
     2, "experience", "essential", False, "medium"),
    ("No previous experience as a healthcare assistant is needed.",
     2, "experience", "unspecified", False, None),
    ("You do not need a degree.", 2, "degree", "unspecified", False, None),
    # Care Certificate: completed in post.
    (CARE_CERT, 2, "care_certificate", "essential", False, "medium"),
    ("Essential\n- Care Certificate, or willing to complete it\n",
     2, "care_certificate", "essential", True, None),
    ("We will support you to complete the Care Certificate.",
     2, "care_certificate", "unspecified", True, None),
    # Registration: support workers are unregistered; nursing associates are registered.
    (NMC, 3, "registration", "essential", False, "high"),
    (NMC, 4, "registration", "essential", False, "low"),
    (NMC, 5, "registration", "essential", False, None),
    # Driving: medium when the duties never mention travel.
    (LICENCE, 3, "driving_licence", "essential", False, "medium"),
    (LICENCE.replace("dress.", "dress in their own homes across the county."),
     3, "driving_licence", "essential", False, "low"),
    ("Essential\n- Full UK driving licence or the ability to travel between sites\n",
     3, "driving_licence", "essential", True, None),
    ("A full driving licence would be an advantage.",
     3, "driving_licence", "desirable", False, "low"),
    ("Clean driving licence.", 3, "driving_licence", "unspecified", False, "low"),
    # Two demands in one sentence each keep their own marker.
    ("A valid driving licence is required and NVQ Level 2 would be an advantage.",
     None, "driving_licence", "essential", False, "medium"),
    ("A valid driving licence is required and NVQ Level 2 would be an advantage.",
     None, "qualification_level", "desirable", False, None),
    ("Ideally you will have NVQ Level 2 or equivalent, and a GCSE in maths is required.",
     2, "gcse", "essential", False, "medium"),
    ("You will have a full driving licence and ideally previous care experience.",
     None, "driving_licence", "essential", False, "medium"),
    ("You will have a full driving licence and ideally previous care experience.",
     None, "experience", "desirable", False, "low"),
    # A Word table with an E/D column, as the reader writes it out.
    ("Essential: Full UK driving licence\nDesirable: NVQ Level 3\n",
     3, "qualification_level", "desirable", False, None),
    # Physical and language demands keep the lexicon's severity, milder when desirable.
    ("Essential\n- Physically fit\n", 2, "physical", "essential", False, "high"),
    ("Desirable\n- Physically fit\n", 2, "physical", "desirable", False, "medium"),
    ("Good eyesight.", 2, "physical", "unspecified", False, "low"),
    ("Essential\n- Excellent written English\n", 3, "language", "essential", False, "medium"),
]
# fmt: on


@pytest.mark.parametrize(("text", "band", "kind", "section", "equivalent", "severity"), CASES)
def test_requirement_judged_against_band(text, band, kind, section, equivalent, severity):
    found = only(text, band, kind)
    assert (found.section, found.equivalent_accepted) == (section, equivalent)
    if severity is None:
        assert found.finding is None
    else:
        assert found.finding is not None
        assert found.finding.severity == Severity.parse(severity)
        assert text[found.finding.start : found.finding.end] == found.finding.text
    assert text[found.start : found.end] == found.text


def test_driving_licence_suggests_travelling_between_sites_and_says_why():
    found = only(LICENCE, 3, "driving_licence")
    assert "or the ability to travel between sites" in found.finding.suggestions
    assert found.finding.explanation.endswith(req.MSG_NO_TRAVEL)


def test_explanation_says_where_the_demand_sits_and_what_the_band_expects():
    found = only(DEGREE, 3, "degree")
    context = req.MSG_CONTEXT.format(
        where=req.MSG_WHERE["essential"],
        route=req.MSG_ROUTE_NONE,
        band=req.MSG_BAND.format(band=3, expectation=req.BAND_EXPECTATION[3]).rstrip(". "),
    )
    assert found.finding.explanation.endswith(context)


def test_every_demand_in_a_person_spec_is_recorded_with_its_section():
    text = (
        "Person specification\n"
        "Qualifications\n"
        "Essential\n"
        "- GCSE English and maths (or equivalent)\n"
        "- Care Certificate, or willing to complete\n"
        "Desirable\n"
        "- NVQ Level 2 in Health and Social Care\n"
        "Experience\n"
        "Essential\n"
        "- 1 year's experience of caring, paid or unpaid\n"
        "About us\n"
        "We are a friendly ward. Band 2.\n"
    )
    found = [(r.kind, r.section) for r in requirements_of(text, 2)]
    assert found == [
        ("gcse", "essential"),
        ("care_certificate", "essential"),
        ("qualification_level", "desirable"),
        ("experience", "essential"),
    ]


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Healthcare Support Worker - Band 3", 3),
        ("AfC Band 2, 37.5 hours", 2),
        ("Agenda for Change band: 4", 4),
        ("Band 8a Matron", 8),
        ("Salary: band 5 (£29,970)", 5),
        ("Wear your wristband at all times", None),
        ("Band 10", None),
        ("No band here", None),
    ],
)
def test_band_found_in_text(text, band):
    assert find_band(text) == band


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("GCSE maths or equivalent", True),
        ("GCSE maths (or equivalent)", True),
        ("NVQ 3, or working towards", True),
        ("NVQ 3 or be working towards it", True),
        ("Care Certificate or willingness to complete", True),
        ("GCSE maths, O level or overseas equivalent", True),
        ("Degree or relevant experience", True),
        ("Full licence or access to a suitable means of transport", True),
        ("GCSE maths grade C", False),
        ("GCSE maths grade C. Or equivalent NVQ", False),
        ("Equivalent to GCSE", False),
    ],
)
def test_equivalent_routes(text, accepted):
    assert equivalent_route(text, 0, 4) is accepted


def test_equivalent_route_on_the_next_line_of_a_table_cell():
    text = "NVQ Level 3 in Health and Social Care\nor equivalent experience\n"
    assert equivalent_route(text, 0, 11) is True


@pytest.mark.parametrize(
    ("text", "sections"),
    [
        ("Essential\n- a\nDesirable\n- b", ["essential", "essential", "desirable", "desirable"]),
        ("**Essential criteria:**\n- a", ["essential", "essential"]),
        (
            "Essential: a\nDesirable: b\nMain duties\n- c",
            ["essential", "desirable", "unspecified", "unspecified"],
        ),
        ("- a\nQualifications\n- b", ["unspecified"] * 3),
    ],
)
def test_line_sections(text, sections):
    assert [s for _, _, s in line_sections(text)] == sections


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("2 years'", 24),
        ("two years", 24),
        ("6 months", 6),
        ("12 months", 12),
        ("1-2 years", 12),
        ("no number", None),
    ],
)
def test_duration_months(text, months):
    assert req.duration_months(text) == months


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("NVQ Level 3", 3),
        ("NVQ3", 3),
        ("Level 2 Diploma", 2),
        ("RQF level 4", 4),
        ("Foundation degree", 5),
        ("HNC", 4),
        ("Two A-levels", 3),
        ("A levels in science", 3),
        ("NVQ", None),
    ],
)
def test_qualification_level(text, level):
    assert req.qualification_level(text) == level
