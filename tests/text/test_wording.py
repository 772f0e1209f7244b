"""The wording analyser on NHS text: traps that must stay silent, verdicts, acronyms."""

from __future__ import annotations

import pytest

from bias_audit.lexicon import load_lexicon
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.wording import (
    GAUCHER_CITATION,
    GENDER_EXPLANATION,
    STRONG_DIFFERENCE,
    WORDING_CATEGORIES,
    find_wording,
    gender_coding,
    gender_verdict,
)

LEXICON = load_lexicon()


def wording(text: str):
    return find_wording(get_pipeline()(text), LEXICON)


NHS_TRAPS = [
    "Healthcare Support Worker - Band 3",
    "Our support workers are valued members of the ward team.",
    "Leeds Teaching Hospitals NHS Trust",
    "Manchester University NHS Foundation Trust is an equal opportunities employer.",
    "The Trust offers an NHS pension.",
    "Key Responsibilities",
    "Main duties and responsibilities:",
    "Lead Nurse: Sam Jones",
    "You will report to the Ward Leader.",
    "Clinical competence in basic care, assessed during your induction.",
    "Working on an older people's ward.",
    "Caring for male patients on Ward 5.",
    "Female patients are cared for in single-sex bays.",
    "Children and young people's services.",
    "We welcome applications regardless of age, disability, gender, gender reassignment, "
    "marriage and civil partnership, pregnancy and maternity, race, religion or belief, "
    "sex and sexual orientation.",
    "We particularly welcome applications from Black, Asian and minority ethnic (BAME) "
    "people, disabled people and LGBTQ+ people, who are under-represented in our workforce.",
    "We are a Disability Confident employer and signed the Armed Forces Covenant.",
    "The Trust is committed to equality and diversity.",
    "Commitment to quality of care and working together for patients are NHS values.",
    "Caring for patients with challenging behaviour and learning disabilities.",
    "Help patients to maintain their independence.",
    "An enhanced Disclosure and Barring Service (DBS) check is needed; the DBS check is free.",
]


@pytest.mark.parametrize("text", NHS_TRAPS)
def test_nhs_traps_are_never_flagged(text):
    assert [(f.rule_id, f.text) for f in wording(text)] == []


@pytest.mark.parametrize(
    ("masculine", "feminine", "verdict"),
    [
        (0, 0, "neutral"),
        (2, 2, "neutral"),
        (1, 0, "masculine"),
        (3, 0, "masculine"),
        (4, 0, "strongly masculine"),
        (7, 3, "strongly masculine"),
        (6, 3, "masculine"),
        (0, 1, "feminine"),
        (0, 3, "feminine"),
        (0, 4, "strongly feminine"),
        (1, 5, "strongly feminine"),
        (2, 5, "feminine"),
    ],
)
def test_gender_verdict_thresholds(masculine, feminine, verdict):
    assert STRONG_DIFFERENCE == 4
    assert gender_verdict(masculine, feminine) == verdict


@pytest.mark.parametrize(
    ("text", "verdict", "masculine", "feminine"),
    [
        (
            "A confident, ambitious leader who is kind.",
            "masculine",
            ["confident", "ambitious", "leader"],
            ["kind"],
        ),
        (
            "Competitive, assertive, decisive, independent and dominant.",
            "strongly masculine",
            ["Competitive", "assertive", "decisive", "independent", "dominant"],
            [],
        ),
        (
            "A warm, kind, gentle, polite and cheerful Healthcare Support Worker.",
            "strongly feminine",
            [],
            ["warm", "kind", "gentle", "polite", "cheerful"],
        ),
        ("Healthcare Support Worker at Leeds NHS Trust.\nKey Responsibilities", "neutral", [], []),
        # "Trust" opening a sentence is the word; mid-sentence and capitalised, the employer
        ("Patients rely on you. Trust is earned at the Trust.", "feminine", [], ["Trust"]),
        # "interpersonal" and "dominant" match two of the paper's entries but count once
        ("Interpersonal skills; dominant.", "neutral", ["dominant"], ["Interpersonal"]),
    ],
)
def test_gender_coding_counts_words_in_order(text, verdict, masculine, feminine):
    coding = gender_coding(get_pipeline()(text), LEXICON)
    assert (coding.verdict, coding.masculine, coding.feminine) == (verdict, masculine, feminine)


def test_gender_coding_explains_itself_with_the_citation_and_thresholds():
    coding = gender_coding(get_pipeline()("An ambitious, competitive person."), LEXICON)
    assert coding.explanation == GENDER_EXPLANATION.format(
        verdict="masculine",
        masculine=2,
        feminine=0,
        citation=GAUCHER_CITATION,
        coded_max=STRONG_DIFFERENCE - 1,
        strong=STRONG_DIFFERENCE,
    )
    assert "Gaucher" in coding.explanation and "109-128" in coding.explanation
    assert coding.to_dict() == {
        "verdict": "masculine",
        "masculine": ["ambitious", "competitive"],
        "feminine": [],
        "explanation": coding.explanation,
    }


def test_gender_coding_can_reuse_findings():
    doc = get_pipeline()("An ambitious and kind carer.")
    findings = find_wording(doc, LEXICON)
    assert gender_coding(doc, LEXICON, findings=findings) == gender_coding(doc, LEXICON)


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("You will join the MDT.", ["MDT"]),
        ("Join our multidisciplinary team (MDT). The MDT meets daily.", []),
        ("MDT (multi-disciplinary team) meetings are held daily.", []),
        ("Healthcare Support Worker (HCSW). HCSWs work shifts.", []),
        ("HCSW (healthcare support worker) wanted; the HCSW works shifts.", []),
        ("HCSW wanted for nights.", ["HCSW"]),
        ("Work with the PALS team.", ["PALS"]),
        ("You will use the XYZQ system daily on the ward.", ["XYZQ"]),
        ("The Quality Assurance Unit (QAU) audits wards.", []),
        ("The Quality team (XQAU) audits wards.", ["XQAU"]),
        # a gloss that leaves a letter out still explains it ("early warning score")
        ("The Quality Assurance Unit (XQAU) audits wards.", []),
        ("Work in the NHS in the UK alongside your GP.", []),
        ("JOB DESCRIPTION AND PERSON SPECIFICATION", []),
        ("You MUST have the right to work in the UK.", []),
        ("Patients' NEWS2 scores are recorded.", ["NEWS2"]),
        ("Record the National Early Warning Score (NEWS2).", []),
    ],
)
def test_acronyms_are_fine_once_expanded(text, flagged):
    found = [f.text for f in wording(text) if f.category == "jargon"]
    assert found == flagged


def test_findings_carry_everything_a_report_shows():
    text = "We want a native English speaker for our young team."
    found = wording(text)
    assert [(f.category, f.text) for f in found] == [
        ("nationality_race_religion", "native English speaker"),
        ("age", "young team"),
    ]
    for finding in found:
        assert text[finding.start : finding.end] == finding.text
        assert finding.explanation and finding.suggestions and finding.source
    assert str(found[0].severity) == "high"


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("He will report to the ward manager.", "gendered-pronoun"),
        ("He or she will report to the ward manager.", "gendered-pronoun-pair"),
        ("Reporting to the chairman.", "gendered-job-title"),
        ("Female applicants only.", "gendered-sex-requirement"),
        ("An energetic, young team.", "age-energetic"),
        ("Digital natives wanted.", "age-digital-native"),
        ("Ideal for a recent graduate.", "age-recent-graduate"),
        ("Able-bodied applicants only.", "disability-able-bodied"),
        ("It gets crazy busy.", "disability-metaphor"),
        ("Native English speaker essential.", "nationality-native-english-speaker"),
        ("British citizens only.", "nationality-citizens-only"),
        ("UK-born applicants preferred.", "nationality-born-in-uk"),
        ("Are you a rockstar?", "cliche-job-title-hype"),
        ("Hit the ground running.", "cliche-pressure"),
    ],
)
def test_each_wording_category_is_reached(text, rule_id):
    assert rule_id in [f.rule_id for f in wording(text)]


def test_only_wording_categories_are_reported():
    text = "Degree essential. Driving licence required. Native speaker. Ambitious."
    assert {f.category for f in wording(text)} <= set(WORDING_CATEGORIES)


def test_overlaps_within_a_category_keep_the_longest():
    found = wording("Join our young and dynamic team.")
    age = [(f.rule_id, f.text) for f in found if f.category == "age"]
    assert age == [("age-young-team", "young and dynamic")]
