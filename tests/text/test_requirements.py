"""Requirements analyser: each demand found, its section and equivalent route, judged by band."""

import pytest
from analysers import requirements
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.lexicon import load_lexicon
from bias_audit.text import band_evidence, band_policy, notices, person_spec
from bias_audit.text import requirements as req
from bias_audit.text.band_evidence import find_band
from bias_audit.text.markers import load_markers
from bias_audit.text.person_spec import equivalent_route, line_sections
from bias_audit.text.pipeline import get_pipeline
from bias_audit.types import Finding, Severity

MARKERS = load_markers()


def requirements_of(text: str, band: int | None):
    return requirements(get_pipeline()(text), load_lexicon(), band=band)


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
    # Only preferred: not a demand (LABELLING.md).
    ("A full driving licence would be an advantage.",
     3, "driving_licence", "desirable", False, None),
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
     None, "experience", "desirable", False, None),
    # Column marks written after each criterion.
    ("Experience of working with children (E)\n", 2, "experience", "essential", False, "medium"),
    ("Experience of working with children (D)\n", 2, "experience", "desirable", False, None),
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
        band=req.MSG_BAND.format(band="Band 3", expectation=band_policy.BAND_EXPECTATION[3]).rstrip(
            ". "
        ),
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
    assert band_policy.duration_months(text) == months


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
    assert band_policy.qualification_level(text) == level


# --- issue 8: routes, bands, context --------------------------------------------------------


def demands(text: str, band: int | None):
    """(kind, matched text, severity or None, cleared_because) for every demand."""
    return [
        (r.kind, r.text, None if r.finding is None else str(r.finding.severity), r.cleared_because)
        for r in requirements_of(text, band)
    ]


# In-post training, apprenticeships and funded study are routes, never demands.
IN_POST = [
    ("The programme leads to the Care Certificate.", "care_certificate"),
    ("You will undertake a Level 2 apprenticeship in healthcare support.", "qualification_level"),
    ("Essential\n- Care Certificate (training provided)\n", "care_certificate"),
    (
        "Essential\n- Fully funded QCF training (NVQ Level 3) after probation\n",
        "qualification_level",
    ),
    (
        "You will join us while you study for a Level 5 qualification. We pay for the course.",
        "qualification_level",
    ),
    ("Desirable\n- Foundation degree (we can fund this)\n", "qualification_level"),
    # a promise to pay in the sentence after the demand
    (
        "Essential: an NVQ Level 3 in Health and Social Care. We will pay for the course.",
        "qualification_level",
    ),
    ("We will support you to achieve NVQ Level 3.", "qualification_level"),
    ("Essential\n- Care Certificate, to be completed during your induction\n", "care_certificate"),
]


@pytest.mark.parametrize(("text", "kind"), IN_POST)
def test_in_post_training_is_a_route_not_a_demand(text, kind):
    found = only(text, 2, kind)
    assert found.finding is None
    assert found.cleared_because == req.CLEARED_IN_POST


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # A list of accepted equivalents, over several lines.
        (
            "Essential\n- GCSE English and maths grade 4/C\nor NARIC/ENIC comparison\n"
            "Functional Skills Level 2\n",
            "gcse",
        ),
        ("Essential\n- GCSE English, GCSE maths or equivalent\n", "gcse"),
        # "X or Y experience": each is a route to the other.
        (
            "Essential\n- NVQ Level 2 in care OR 6 months' experience in a care role\n",
            "qualification_level",
        ),
        ("Essential\n- NVQ Level 2 in care OR 6 months' experience in a care role\n", "experience"),
        (
            "Essential\n- Foundation degree, or a Level 3 qualification plus equivalent "
            "experience\n",
            "qualification_level",
        ),
        ("Essential\n- Car driver or a willingness to travel\n", "driving_licence"),
    ],
)
def test_lists_of_equivalents_and_alternatives_are_routes(text, kind):
    found = [r for r in requirements_of(text, 2) if r.kind == kind]
    assert found
    assert all(r.equivalent_accepted for r in found), found


def test_the_alternative_level_3_route_keeps_a_band_4_foundation_degree_reasonable():
    text = "Essential\n- Foundation degree, or a Level 3 qualification plus equivalent experience\n"
    assert [d[2] for d in demands(text, 4)] == [None, None]


def test_two_levels_of_one_qualification_are_not_a_route():
    text = "Essential\n- NVQ Level 3 or NVQ Level 4\n"
    assert [r.equivalent_accepted for r in requirements_of(text, 2)] == [False, False]


@pytest.mark.parametrize(
    ("text", "band", "named", "how"),
    [
        ("Healthcare Support Worker, Band 2 or 3", 3, (2, 3), "stated"),
        ("HCA Band 2/3 rotational post", 3, (2, 3), "stated"),
        ("Bands 5-6 development post", 6, (5, 6), "stated"),
        ("Band 2 to Band 3 on completion of training", 3, (2, 3), "stated"),
        ("Banding 2", 2, (2,), "stated"),
        ("AfC 3, permanent", 3, (3,), "stated"),
        ("Agenda for Change Band 3", 3, (3,), "stated"),
        ("Band 3 - 37.5 hours", 3, (3,), "stated"),
        ("Salary: £24,937 - £26,598 per annum pro rata", 3, (3,), "salary"),
        ("£24,465 a year", 2, (2,), "salary"),
        ("£27,485 to £30,162", 4, (4,), "salary"),
        ("£24,465 - £26,598 while training", 3, (2, 3), "salary"),
        ("£24,071 - £25,674", 3, (3,), "salary"),
    ],
)
def test_band_evidence(text, band, named, how):
    evidence = band_evidence.find_band_evidence(text)
    assert (evidence.band, evidence.named, evidence.how) == (band, named, how)
    assert text[evidence.start : evidence.end] == evidence.text


@pytest.mark.parametrize(
    "text",
    [
        "Salary £25,000 per annum",  # not an Agenda for Change pay point
        "Pay £11.50 an hour",
        # A visa pay threshold is not the job's pay.
        "Visa sponsorship\nThe Skilled Worker salary threshold is £24,465 for this role.\n",
    ],
)
def test_no_band_from_other_salaries(text):
    assert band_evidence.find_band_evidence(text) is None


def test_salary_band_names_the_pay_year_in_the_explanation():
    text = "Salary £24,937 - £26,598 a year\nEssential\n- A degree in health\n"
    (found,) = requirements_of(text, 3)
    assert "2025/26 pay scale" in found.finding.explanation
    assert "Band 3 (read from the salary £24,937 - £26,598" in found.finding.explanation


def test_two_bands_are_judged_at_the_higher_and_both_are_named():
    text = "HCSW Band 2 or 3\nEssential\n- NVQ Level 3 in Health and Social Care\n"
    (found,) = requirements_of(text, band_evidence.find_band(text))
    # NVQ 3 with no route is medium at Band 3 (it would be high at Band 2).
    assert found.finding.severity == Severity.MEDIUM
    assert "Band 2 or 3 (judged at Band 3, the higher)" in found.finding.explanation


def test_pay_scales_are_ordered_pay_points():
    for scale in band_evidence.pay_scales():
        assert scale.source and scale.effective
        tops = [max(points) for _, points in sorted(scale.points.items())]
        bottoms = [min(points) for _, points in sorted(scale.points.items())]
        assert tops == sorted(tops) and bottoms == sorted(bottoms)
    assert band_evidence.pay_scales()[0].year == "2025/26"


# Experience demands with no number, judged by band and section.
WITH_CHILDREN = "Essential\n- Experience of working with children\n"


@pytest.mark.parametrize(
    ("text", "band", "severity"),
    [
        (WITH_CHILDREN, 2, "medium"),
        (WITH_CHILDREN, 3, "low"),
        (WITH_CHILDREN, None, "low"),
        (WITH_CHILDREN, 4, None),
        (WITH_CHILDREN, 6, None),
        ("Desirable\n- Experience of working with children\n", 2, None),
        ("Essential\n- Experience of working with children, or willingness to learn\n", 2, None),
        ("You must have previous care experience.", 2, "medium"),
        ("Experience of working with children would be an advantage.", 2, None),
        ("You will gain experience of working with children.", 2, None),
    ],
)
def test_experience_without_a_number_is_judged_by_band(text, band, severity):
    found = only(text, band, "experience")
    assert (None if found.finding is None else str(found.finding.severity)) == severity


# Notices are not scanned for entry demands.
NOTICES = [
    "Visa sponsorship\nApplicants who need a Skilled Worker visa and have lived abroad for "
    "12 months or more in the past 10 years must provide a criminal record certificate.\n",
    "Applications from people who need Skilled Worker sponsorship are welcome; you need 2 "
    "years' experience in a sponsored role to qualify.",
    "We are an equal opportunities employer and welcome applications from all, whatever "
    "their degree of experience.",
]


# NHS Jobs style: one paragraph per line, no blank lines, list lines above.
NHS_JOBS_NOTICE = (
    "Grade\n- Band 3\nJob overview\nJoin our ward team.\n"
    "If you are new to the NHS, or have under 2 years' NHS experience, your pay starts at "
    "the lowest point. This is below the threshold, so the post is not eligible for "
    "sponsorship.\nMain duties of the job\nHelp patients to wash and dress.\n"
)
NOTICES.append(NHS_JOBS_NOTICE)


@pytest.mark.parametrize("text", NOTICES)
def test_notices_are_not_read_for_demands(text):
    found = requirements_of(text, 2)
    assert all(r.finding is None for r in found), found
    assert all(r.cleared_because.startswith("it is inside") for r in found)


def test_a_right_to_work_item_does_not_hide_the_rest_of_a_long_run_on_sentence():
    text = (
        "Do you have the right to work in the UK and a good attitude and the wish to help "
        "people every day in our homes across the town and the energy for busy shifts and "
        "the patience for long days with people who need you and the care to see it "
        "through and the time to train with us over several months in the first year of "
        "your job and then Essential: 2 years' experience as a healthcare assistant"
    )
    assert [d[0] for d in demands(text, 2) if d[2] is not None] == ["experience"]


@pytest.mark.parametrize(
    "text",
    [
        "Our ward manager, who holds a Master's degree in nursing, leads the team.",
        "You will work alongside nurses who have NVQ Level 3 in Health and Social Care.",
        "The team members all hold a degree in physiotherapy.",
    ],
)
def test_a_qualification_held_by_someone_else_is_not_a_demand(text):
    found = requirements_of(text, 3)
    assert found and all(r.cleared_because == req.CLEARED_HELD_BY_OTHERS for r in found)


@pytest.mark.parametrize(
    "text",
    [
        "Working in a friendly team, you must have NVQ Level 3 in Health and Social Care.",
        "Our team is looking for someone who has NVQ Level 3 in Health and Social Care.",
        "The ward team wants a candidate who holds NVQ Level 3 in Health and Social Care.",
    ],
)
def test_the_applicants_own_demand_in_a_sentence_about_the_team_is_kept(text):
    ((_, _, severity, cleared),) = demands(text, 2)
    assert cleared is None
    assert severity in {"high", "medium"}  # medium when no "must" marks it essential


def test_standing_in_prose_is_not_listed_as_essential():
    prose = "About you\nYou will need to stand for long periods on a busy ward.\n"
    found = only(prose, 2, "physical")
    assert found.section == "unspecified"
    assert req.MSG_WHERE["essential"] not in found.finding.explanation
    listed = only("Essential\n- Able to stand for long periods\n", 2, "physical")
    assert listed.section == "essential"
    assert req.MSG_WHERE["essential"] in listed.finding.explanation


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        # Home visits with mileage paid: the car is plainly part of the job.
        ("Visit patients in their own homes; mileage paid.\nEssential\n- Own transport\n", None),
        ("Visit patients in their own homes.\nEssential\n- Full driving licence\n", "low"),
        ("Help patients to wash.\nEssential\n- Full driving licence\n", "medium"),
        ("Help patients to wash. A car driver is preferable.", None),
    ],
)
def test_driving_judged_by_travel_in_the_duties(text, severity):
    found = only(text, 3, "driving_licence")
    assert (None if found.finding is None else str(found.finding.severity)) == severity


def test_one_demand_written_twice_in_one_item_is_one_finding():
    text = "Essential\n- Full driving licence and a driving licence for the UK\n"
    found = requirements_of(text, 3)
    assert [r.finding is not None for r in found] == [True, False]
    assert found[1].cleared_because == req.CLEARED_REPEAT


def test_cleared_because_is_in_the_json():
    (found,) = requirements_of("Care Certificate (training provided)", 2)
    assert found.to_dict()["cleared_because"] == req.CLEARED_IN_POST


def test_band_policy_covers_every_band_group_for_every_kind():
    groups = {"entry", 3, 4, "registered", None}
    assert set(band_policy.SEVERITY_RULES) == {
        "degree",
        "gcse",
        "care_certificate",
        "registration",
        "experience",
    }
    for kind, rules in band_policy.SEVERITY_RULES.items():
        assert set(rules) == groups, kind
        assert all(len(rule) == 3 for rule in rules.values())
    assert set(band_policy.BAND_EXPECTATION) == {1, 2, 3, 4}
    # A Band 2 degree demand with no route is high; a Band 5 one low (hand-read from the YAML).
    assert band_policy.SEVERITY_RULES["degree"]["entry"][0] == Severity.HIGH
    assert band_policy.SEVERITY_RULES["degree"]["registered"][0] == Severity.LOW


# --- invariants ------------------------------------------------------------------------------

FRAGMENTS = [
    "Essential",
    "Desirable",
    "About you",
    "Visa sponsorship",
    "- NVQ Level 3 in Health and Social Care",
    "- GCSE English and maths, or equivalent",
    "- A degree in nursing (we can fund this)",
    "- Care Certificate (training provided)",
    "- 2 years' experience as a healthcare assistant",
    "- Experience of working with children",
    "- Full driving licence or a willingness to travel",
    "- Able to stand for long periods",
    "Band 2 or 3",
    "£24,937 - £26,598 a year",
    "We are an equal opportunities employer.",
    "Applicants needing Skilled Worker sponsorship must have lived abroad for 12 months.",
    "Our ward manager, who holds a Master's degree, leads the team.",
    "Mileage is paid for home visits.",
]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10), st.sampled_from(["\n", " "]))
def test_every_demand_has_exactly_one_of_a_finding_or_a_reason(parts, joiner):
    text = joiner.join(parts)
    band = band_evidence.find_band(text)
    for found in requirements_of(text, band):
        assert text[found.start : found.end] == found.text
        assert (found.finding is None) == (found.cleared_because is not None)
        if found.finding is not None:
            assert text[found.finding.start : found.finding.end] == found.finding.text
    for start, end, label in notices.boilerplate_spans(text):
        assert 0 <= start < end <= len(text) and label
    evidence = band_evidence.find_band_evidence(text)
    if evidence is not None:
        assert text[evidence.start : evidence.end] == evidence.text
        assert evidence.band == max(evidence.named)


def test_an_apprenticeship_far_away_in_a_run_on_item_does_not_clear_a_demand():
    filler = " and you will be kind and calm with patients and families" * 6
    text = (
        "You must have NVQ Level 3 in Health and Social Care"
        + filler
        + (" and later you could move on to an apprenticeship with us")
    )
    ((kind, _, severity, cleared),) = demands(text, 2)
    assert (kind, cleared) == ("qualification_level", None)
    assert severity == "high"


@pytest.mark.parametrize(
    ("text", "band", "evidence"),
    [
        (
            "Senior HCSW\nSalary £24,937 - £26,598 a year\n",
            3,
            {"named": [3], "how": "salary", "pay_year": "2025/26"},
        ),
        ("HCSW, Band 2/3\n", 3, {"named": [2, 3], "how": "stated", "pay_year": None}),
    ],
)
def test_advert_report_says_where_the_band_came_from(text, band, evidence):
    from bias_audit.text.advert import analyse_advert

    report = analyse_advert(text).to_dict()
    assert (report["band"], report["band_source"]) == (band, "found in text")
    assert {k: report["band_evidence"][k] for k in evidence} == evidence
    assert (
        text[report["band_evidence"]["start"] : report["band_evidence"]["end"]]
        == (report["band_evidence"]["text"])
    )
    if evidence["pay_year"]:
        assert "2025/26" in report["band_evidence"]["description"]
    assert analyse_advert(text, band=2).band_evidence is None


def test_a_band_named_in_a_visa_notice_gives_way_to_the_posts_own_band():
    text = (
        "Important information\n"
        "Band 3 roles are below the Skilled Worker visa salary threshold.\n"
        "Healthcare Support Worker, Band 2\n"
    )
    assert band_evidence.find_band(text) == 2
    assert band_evidence.find_band("Band 3 roles are below the Skilled Worker visa threshold.") == 3


# Each pattern starts with a look-ahead on the letters a match can start with (for speed).
# One phrase per alternative, each starting with a different letter: a letter left out of
# the look-ahead loses its phrase.
@pytest.mark.parametrize(
    ("pattern", "phrase"),
    [
        ("_BAND_RE", "AfC Band 3"),
        ("_BAND_RE", "Agenda for Change band 4"),
        ("_BAND_RE", "Banding 2"),
        ("_EQUIVALENT", "or equivalent"),
        ("_EQUIVALENT", "equivalent experience"),
        ("_EQUIVALENT", "willing to work towards"),
        ("_EQUIVALENT", "Functional Skills"),
        ("_EQUIVALENT", "CSE"),
        ("_EQUIVALENT", "UK ENIC"),
        ("_EQUIVALENT", "ENIC"),
        ("_EQUIVALENT", "NARIC"),
        ("_EQUIVALENT", "plus relevant experience"),
        ("_EQUIVALENT", "international qualifications"),
        ("_EQUIVALENT", "recognition of prior learning"),
        ("_EQUIVALENT", "accredited prior learning"),
        ("_EQUIVALENT", "paid or unpaid"),
        ("_EQUIVALENT", "voluntary experience"),
        ("_EQUIVALENT", "lived experience"),
        ("_EQUIVALENT", "including family"),
        ("_IN_POST", "support you to gain"),
        ("_IN_POST", "help you complete"),
        ("_IN_POST", "train you to study"),
        ("_IN_POST", "enable you to achieve"),
        ("_IN_POST", "you will complete"),
        ("_IN_POST", "willing to study"),
        ("_IN_POST", "during your induction"),
        ("_IN_POST", "as part of the training"),
        ("_IN_POST", "on completion of probation"),
        ("_IN_POST", "leads to"),
        ("_IN_POST", "opportunity to gain"),
        ("_IN_POST", "course is provided"),
        ("_IN_POST", "qualification funded"),
        ("_IN_POST", "in-house training"),
        ("_IN_POST", "apprenticeship"),
        ("_NEGATED", "not required"),
        ("_NEGATED", "does not need"),
        ("_NEGATED", "will not need"),
        ("_NEGATED", "don't need"),
        ("_FUNDED", "fully funded"),
        ("_FUNDED", "course fees are paid"),
        ("_FUNDED", "tuition fees covered"),
    ],
)
def test_start_letter_lookahead_keeps_every_alternative(pattern: str, phrase: str) -> None:
    # the markers' look-aheads are worked out from requirement_markers.yml (text/markers.py)
    regex = {
        "_BAND_RE": band_evidence._BAND_RE,
        "_EQUIVALENT": MARKERS["equivalent_route"].regex,
        "_IN_POST": MARKERS["gained_in_post"].regex,
        "_NEGATED": MARKERS["not_needed"].regex,
        "_FUNDED": MARKERS["funded_in_post"].regex,
    }[pattern]
    assert pattern == "_BAND_RE" or regex.pattern.startswith("(?=[")
    text = f"x. {phrase} y"
    found = regex.search(text)
    assert found is not None and found.start() == 3
    assert regex.search(text.upper()) is not None


_SPANS = st.lists(
    st.tuples(st.integers(0, 60), st.sampled_from([0, 1, 3, 8, 20])).map(lambda p: (p[0], sum(p))),
    max_size=10,
).map(sorted)


@settings(max_examples=50, deadline=None)
@given(spans=_SPANS)
def test_neighbour_bounds_are_the_nearest_other_spans(spans: list[tuple[int, int]]) -> None:
    # By the definition: the latest end at or before the start, the earliest start at or
    # after the end, of the other spans.
    for index, ((start, end), bounds) in enumerate(
        zip(spans, person_spec.neighbour_bounds(spans), strict=True)
    ):
        others = [span for i, span in enumerate(spans) if i != index]
        before = max((e for _, e in others if e <= start), default=0)
        after = min((s for s, _ in others if s >= end), default=2**62)
        assert bounds == (before, after)


@settings(max_examples=50, deadline=None)
@given(spans=_SPANS, data=st.data())
def test_bounds_of_other_kinds_match_one_at_a_time(spans, data) -> None:
    kinds = [data.draw(st.sampled_from(["gcse", "experience", None])) for _ in spans]
    demands = [Finding("r", "c", Severity.LOW, start, end, "", "", (), "") for start, end in spans]
    one_at_a_time = [
        req.neighbour_bounds_of_other_kinds(demands, kinds, index) for index in range(len(spans))
    ]
    assert req._bounds_of_other_kinds(demands, kinds) == one_at_a_time


_SECTION_PIECES = [
    "Essential",
    "Desirable",
    "About us",
    "\n",
    " ",
    "ideally ",
    "must ",
    "NVQ 2",
    ".",
]


@settings(max_examples=50, deadline=None)
@given(pieces=st.lists(st.sampled_from(_SECTION_PIECES), max_size=30), at=st.integers(0, 200))
def test_section_with_its_line_given_equals_section_found_by_scanning(pieces, at) -> None:
    text = "".join(pieces)
    start = min(at, len(text))
    end = min(len(text), start + 5)
    sections = person_spec.line_sections(text)
    (line,) = [entry for entry in sections if entry[0] <= start <= entry[1]]
    assert person_spec.section_with_source(text, start, end, sections, line=line) == (
        person_spec.section_with_source(text, start, end, sections)
    )


def test_an_in_post_route_on_the_next_bullet_belongs_to_that_bullet():
    """The route read ahead over following lines stops at a new bullet that offers its own
    demand in post: the GCSE above it is still a demand with no equivalent route."""
    text = (
        "Essential\n- GCSE English and maths at grade 4 or above\n"
        "- Care Certificate, or willing to complete it during induction\n"
    )
    gcse = only(text, 2, "gcse")
    assert not gcse.equivalent_accepted
    assert gcse.finding is not None
    care = only(text, 2, "care_certificate")
    assert care.finding is None
