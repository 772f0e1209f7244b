"""The example adverts in example_data/adverts/ give the findings their README promises."""

from pathlib import Path

import pytest

from bias_audit.io.adverts import read_advert
from bias_audit.lexicon_schema import REQUIREMENT_CATEGORIES
from bias_audit.text.advert import analyse_advert
from bias_audit.types import Severity

EXAMPLES = Path(__file__).resolve().parents[1] / "example_data" / "adverts"
H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW


def check(name: str):
    return analyse_advert(read_advert(EXAMPLES / name), source=name)


def in_text_order(findings):
    """Findings by position (reports list them most severe first)."""
    return sorted(findings, key=lambda f: (f.start, f.end))


def requirement_findings(report):
    return [
        (f.rule_id, f.text, f.severity)
        for f in in_text_order(report.findings)
        if f.category in REQUIREMENT_CATEGORIES
    ]


def test_poor_advert_requirements_judged_for_band_3():
    report = check("band3_hcsw_poor.txt")
    assert (report.band, report.band_source) == (3, "found in text")
    assert requirement_findings(report) == [
        ("degree-required", "A degree in", H),
        ("qualification-gcse-grades", "GCSE", M),
        ("qualification-nvq-level", "NVQ Level 3", M),
        ("experience-duration", "2 years' experience", M),
        ("qualification-registration", "NMC registration", H),
        ("driving-licence", "driving licence", M),
        ("physical-health-fitness", "physically fit", H),
        ("physical-lifting", "able to lift", M),
    ]
    care_certificate = [r for r in report.requirements if r.kind == "care_certificate"]
    assert [(r.section, r.finding) for r in care_certificate] == [("desirable", None)]


def test_poor_advert_wording_readability_and_missing_signals():
    report = check("band3_hcsw_poor.txt")
    found = {(f.rule_id, f.text) for f in report.findings}
    assert {
        ("nationality-native-english-speaker", "Native English speaker"),
        ("age-energetic", "energetic"),
        ("jargon-mdt", "MDT"),
    } <= found
    long_sentences = [f for f in in_text_order(report.findings) if f.category == "readability"]
    assert [f.text.split()[:4] for f in long_sentences] == [
        ["We", "are", "looking", "for"],
        ["You", "will", "take", "and"],
    ]
    assert report.readability.meets_target is False
    assert [s.present for s in report.inclusion_signals] == [False] * 5


def test_good_advert_has_no_problem_above_low_and_every_signal():
    report = check("band3_hcsw_good.txt")
    assert report.band == 3
    assert [f for f in report.findings if f.severity >= M] == []
    assert requirement_findings(report) == []
    assert [(r.kind, r.section, r.equivalent_accepted) for r in report.requirements] == [
        ("gcse", "essential", True),
        ("qualification_level", "essential", True),
        ("experience", "essential", True),
        ("care_certificate", "essential", True),
        ("qualification_level", "desirable", True),
    ]
    evidence = {s.name: [e.text for e in s.evidence] for s in report.inclusion_signals}
    assert evidence == {
        "salary": ["£24,937", "£26,598"],
        "flexible_working": ["part time", "flexible working"],
        "adjustments": ["Disability Confident", "reasonable adjustments"],
        "entry_route": ["full training", "apprentice"],
        "welcome": ["particularly welcome applications", "under-represented"],
    }
    assert report.readability.meets_target is True


def test_person_spec_table_essential_and_desirable_columns():
    report = check("band3_hcsw_person_spec.docx")
    assert (report.band, report.band_source) == (3, "found in text")
    assert [
        (r.kind, r.section, r.equivalent_accepted, r.finding and r.finding.severity)
        for r in report.requirements
    ] == [
        ("gcse", "essential", True, None),
        ("qualification_level", "essential", False, M),
        ("degree", "essential", False, H),
        ("care_certificate", "desirable", False, None),
        ("experience", "essential", False, M),
        ("experience", "desirable", True, None),
        ("driving_licence", "essential", False, M),
    ]
    licence = next(f for f in report.findings if f.rule_id == "driving-licence")
    assert "or the ability to travel between sites" in licence.suggestions


@pytest.mark.parametrize(
    "name", ["band3_hcsw_poor.txt", "band3_hcsw_good.txt", "band3_hcsw_person_spec.docx"]
)
def test_every_example_finding_points_at_its_text(name):
    report = check(name)
    for finding in report.findings:
        assert report.text[finding.start : finding.end] == finding.text
