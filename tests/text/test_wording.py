"""The wording analyser on NHS text: traps that must stay silent, verdicts, acronyms."""

from __future__ import annotations

import pytest
from analysers import wording_findings

from bias_audit.lexicon import load_lexicon
from bias_audit.text.context import segment
from bias_audit.text.matching import match_categories
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.wording import (
    EVIDENCE_FEMININE,
    EVIDENCE_MASCULINE,
    EXCLUDED_BECAUSE,
    GENDER_CATEGORIES,
    GENDER_EXPLANATION,
    LEAN_SCORE,
    MASCULINE_RUN_ID,
    MASCULINE_RUN_MIN_WORDS,
    MASCULINE_RUN_RATIO,
    MIN_WORDS_CONSIDERED,
    REFERENCE_WORDS,
    STRONG_DIFFERENCE,
    TOO_LITTLE_TEXT,
    WORDING_CATEGORIES,
    gender_coding,
    gender_score,
    gender_verdict,
)

LEXICON = load_lexicon()


def wording(text: str):
    return wording_findings(get_pipeline()(text), LEXICON)


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


def coding_of(text: str):
    return gender_coding(get_pipeline()(text), LEXICON)


# Enough candidate language (>= MIN_WORDS_CONSIDERED words) around the words under test.
ABOUT_YOU = (
    "About you\nYou are someone who enjoys working with people and learning new things every "
    "day on our busy and friendly ward. "
)  # 20 words


@pytest.mark.parametrize(
    ("text", "verdict", "masculine", "feminine"),
    [
        (
            ABOUT_YOU + "You are a confident, ambitious leader who is kind.",
            "masculine",
            ["confident", "ambitious", "leader"],
            ["kind"],
        ),
        (
            ABOUT_YOU + "You are competitive, assertive, decisive, independent and dominant.",
            "strongly masculine",
            ["competitive", "assertive", "decisive", "independent", "dominant"],
            [],
        ),
        (
            ABOUT_YOU
            + "You are a warm, kind, gentle, polite and cheerful Healthcare Support Worker.",
            "strongly feminine",
            [],
            ["warm", "kind", "gentle", "polite", "cheerful"],
        ),
        (ABOUT_YOU + "Healthcare Support Worker at Leeds NHS Trust.", "neutral", [], []),
        # "Trust" opening a sentence is the word; mid-sentence and capitalised, the employer
        (
            ABOUT_YOU + "You are someone patients rely on. Trust is earned at the Trust.",
            "feminine",
            [],
            ["Trust"],
        ),
        # "interpersonal" and "dominant" match two of the paper's entries but count once
        (
            ABOUT_YOU + "You have interpersonal skills; you are dominant.",
            "neutral",
            ["dominant"],
            ["interpersonal"],
        ),
    ],
)
def test_gender_coding_counts_candidate_words_in_order(text, verdict, masculine, feminine):
    coding = coding_of(text)
    assert (coding.verdict, coding.masculine, coding.feminine) == (verdict, masculine, feminine)


# Issue 8: words about the job, patients, services and values are not gender coding.
JOB_NOT_CANDIDATE = [
    ("Main duties\nTo support registered staff in the delivery of care.", "support"),
    ("Main duties\nResponding to emergencies on the ward.", "Responding"),
    ("About the ward\nWe care for unwell and injured children and their families.", "children"),
    ("Main duties\nCalm patients who show agitation or aggression.", "aggression"),
    ("You will join the Assertive Outreach team.", "Assertive"),
    ("About you\nYou will respect patients' autonomy and dignity.", "autonomy"),
    ("About you\nYou will work in line with trust policies at all times.", "trust"),
    ("Our values are compassion, respect and commitment to quality of care.", "compassion"),
    ("Our values are compassion, respect and commitment to quality of care.", "commitment"),
    ("We believe in working together for patients, because everyone counts.", "together"),
    (
        "We are an equal opportunities employer committed to supporting disabled staff.",
        "supporting",
    ),
    ("About you\nYou will provide emotional support to patients and their families.", "support"),
]


@pytest.mark.parametrize(("text", "word"), JOB_NOT_CANDIDATE)
def test_job_patient_and_value_words_are_not_counted(text, word):
    coding = coding_of(ABOUT_YOU + "\n" + text)
    assert word not in coding.masculine + coding.feminine
    assert coding.verdict == "neutral"


@pytest.mark.parametrize(
    ("text", "word", "context"),
    [
        ("Main duties\nYou will lead the morning handover.", "lead", "duties"),
        ("Patients trust the ward team to keep them safe.", "trust", "patients"),
        ("We welcome applications from people who feel under-represented.", "feel", "boilerplate"),
        ("Our values: compassion and kindness.", "compassion", "values"),
    ],
)
def test_excluded_words_say_where_they_were_and_why(text, word, context):
    coding = coding_of(text)
    (excluded,) = [w for w in coding.excluded if w.text == word]
    assert excluded.context == context
    assert excluded.reason == EXCLUDED_BECAUSE[context]


@pytest.mark.parametrize(
    ("masculine", "feminine", "words", "score", "verdict"),
    [
        (0, 0, None, 0.0, "neutral"),
        (1, 0, None, -1.0, "masculine"),
        (4, 0, None, -4.0, "strongly masculine"),
        (0, 4, 100, 4.0, "strongly feminine"),
        # longer texts count per 100 words: 4 words in 200 is 2 per 100
        (4, 0, 200, -2.0, "masculine"),
        (0, 4, 400, 1.0, "feminine"),
        (0, 4, 500, 0.8, "neutral"),
        (8, 0, 200, -4.0, "strongly masculine"),
        # shorter texts count as 100 words, so one word is one point
        (1, 0, 25, -1.0, "masculine"),
        # too little candidate and organisation language: no verdict
        (3, 0, MIN_WORDS_CONSIDERED - 1, -3.0, "neutral"),
        (3, 0, MIN_WORDS_CONSIDERED, -3.0, "masculine"),
    ],
)
def test_verdict_scales_with_length(masculine, feminine, words, score, verdict):
    assert (REFERENCE_WORDS, LEAN_SCORE, STRONG_DIFFERENCE) == (100, 1, 4)
    assert gender_score(masculine, feminine, words_considered=words) == pytest.approx(score)
    assert gender_verdict(masculine, feminine, words_considered=words) == verdict


def test_same_words_in_a_longer_description_weigh_less():
    filler = "You enjoy meeting people and learning new things with us every day. " * 40
    short = coding_of("About you\nYou are ambitious, decisive and competitive. " + filler[:140])
    long = coding_of("About you\nYou are ambitious, decisive and competitive. " + filler)
    assert short.masculine == long.masculine == ["ambitious", "decisive", "competitive"]
    assert long.words_considered > REFERENCE_WORDS > short.words_considered
    assert (short.verdict, long.verdict) == ("masculine", "neutral")
    assert long.score == pytest.approx(-3 * REFERENCE_WORDS / long.words_considered)


def test_too_little_candidate_language_gives_no_verdict():
    coding = coding_of("About you\nAmbitious, competitive and decisive.")
    assert coding.words_considered == 4 and not coding.enough_text
    assert coding.masculine == ["Ambitious", "competitive", "decisive"]
    assert coding.verdict == "neutral"
    assert coding.explanation == TOO_LITTLE_TEXT.format(
        words=4, minimum=MIN_WORDS_CONSIDERED, lists="Gaucher, Friesen & Kay (2011), Appendix A"
    )


# Masculine-coded runs (module docstring of bias_audit.text.wording, *Findings*): >= 3
# different masculine-coded entries and masculine >= 2 x feminine (counted words only), in a
# description (between headings of other sections) or, failing that, in one passage.
ROLE_SENTENCE = "As a sales negotiator, you will work closely with the branch manager."


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        # three different masculine-coded words describing the person sought: one run
        (
            "About you\nYou are ambitious, competitive and decisive.",
            ["ambitious, competitive and decisive"],
        ),
        (
            "We are looking for an ambitious person.\nYou are competitive.\nYou are decisive.",
            ["ambitious person.\nYou are competitive.\nYou are decisive"],
        ),
        # two different words, or one word three times: no run
        ("About you\nYou are ambitious and competitive.", []),
        ("About you\nYou are active, active and active.", []),
        # feminine-coded words: 3 masculine v 1 feminine is 3:1, a run; 3 v 2 is below 2:1
        (
            "About you\nYou are ambitious, competitive, decisive and kind.",
            ["ambitious, competitive, decisive"],
        ),
        ("About you\nYou are ambitious, competitive, decisive, kind and warm.", []),
        # 4 masculine (3 different) v 2 feminine is exactly 2:1: a run
        (
            "About you\nYou are ambitious, competitive, decisive, ambitious, kind and warm.",
            ["ambitious, competitive, decisive, ambitious"],
        ),
        # the employer described in masculine-coded words is a run too (Gaucher et al. coded
        # the organisation's wording as well as the applicant's)
        (
            "About us\nWe are an ambitious, competitive and decisive company.",
            ["ambitious, competitive and decisive"],
        ),
        (
            "We are picking a big fight with our rivals.\n"
            "People without ambition or determination do not belong here.",
            ["fight with our rivals.\nPeople without ambition or determination"],
        ),
        # a sentence about the role between two sentences about the person: one description
        (
            f"You are ambitious and competitive. {ROLE_SENTENCE} You are decisive.",
            [f"ambitious and competitive. {ROLE_SENTENCE} You are decisive"],
        ),
        # a heading of a section about the applicant does not end the description
        (
            "You are ambitious and competitive.\nAbout you\nYou are decisive.",
            ["ambitious and competitive.\nAbout you\nYou are decisive"],
        ),
        # a duties heading does: two words before it, one after, no run
        ("You are ambitious and competitive.\nMain duties\nYou are decisive.", []),
        # the description as a whole is balanced (3 v 2) but one passage in it is a run
        (
            "About us\nWe are a kind and warm team.\nMain duties\nTo answer the phone.\n"
            "About you\nYou are ambitious, competitive and decisive.",
            ["ambitious, competitive and decisive"],
        ),
        # the same words in a duty list, or about patients: no run
        ("Main duties\nYou will lead, challenge and analyse decisions.", []),
        ("Patients can be aggressive, dominant and competitive.", []),
    ],
)
def test_masculine_coded_run_threshold(text, runs):
    assert (MASCULINE_RUN_MIN_WORDS, MASCULINE_RUN_RATIO) == (3, 2)
    coding = coding_of(text)
    assert [f.text for f in coding.runs] == runs
    shown = wording_findings(get_pipeline()(text), LEXICON)
    assert [f.text for f in shown if f.category in GENDER_CATEGORIES] == runs
    for finding in coding.runs:
        assert finding.rule_id == MASCULINE_RUN_ID and str(finding.severity) == "medium"
        assert text[finding.start : finding.end] == finding.text
        assert "Gaucher" in finding.source and finding.suggestions


# An NHS support-worker advert in our own words: masculine-coded words stand in the duties
# ("lead", "decisions", patients who may be "aggressive", their "independence"); the
# applicant is described in two masculine-coded words among feminine-coded ones. No run.
NHS_STYLE_ADVERT = (
    "Job summary\n"
    "To support registered nurses to lead safe care on a busy acute ward.\n"
    "Main duties of the job\n"
    "- Responding to challenging behaviour and supporting decisions about discharge.\n"
    "- Helping patients who may be aggressive or confused to regain their independence.\n"
    "About us\n"
    "We are a friendly, supportive team and our values are compassion and commitment.\n"
    "About you\n"
    "You are kind, patient and confident with people, and you can work independently.\n"
)


def test_masculine_words_in_duties_patients_and_values_make_no_run():
    coding = coding_of(NHS_STYLE_ADVERT)
    assert coding.runs == ()
    # the masculine words in the duties are listed as excluded; the applicant's are counted
    excluded = {w.text.lower(): w.context for w in coding.excluded if w.coding == "masculine"}
    assert {"lead", "decisions", "aggressive", "independence"} <= excluded.keys()
    assert set(excluded.values()) == {"duties"}
    assert coding.masculine == ["confident", "independently"]


def test_masculine_run_explanation_counts_both_kinds():
    (run,) = coding_of("About you\nYou are ambitious, competitive, decisive and kind.").runs
    assert run.explanation.startswith(
        "This description of the person you want or of the employer uses 3 different "
        'masculine-coded words ("ambitious", "competitive", "decisive") against 1 '
        "feminine-coded."
    )


def test_single_coded_words_are_never_findings():
    text = ABOUT_YOU + "You are a confident and kind leader."
    found = wording_findings(get_pipeline()(text), LEXICON)
    assert [f for f in found if f.category in GENDER_CATEGORIES] == []
    assert coding_of(text).masculine == ["confident", "leader"]


def test_explanation_credits_each_word_list():
    gaucher_only = coding_of(ABOUT_YOU + "You are ambitious and competitive.")
    assert "Gaucher, Friesen & Kay (2011), Appendix A" in gaucher_only.explanation
    assert "Gender Decoder" not in gaucher_only.explanation
    mixed = coding_of(ABOUT_YOU + "You are enthusiastic and like to share ideas; you feel proud.")
    assert mixed.feminine == ["enthusiastic", "share", "feel"]
    assert (
        'Gender Decoder (Kat Matfield), which adds "enthusiastic", "share", "feel"'
        in mixed.explanation
    )
    assert {w.word_list for w in mixed.words} == {"Gender Decoder (Kat Matfield)"}
    for entry in LEXICON.in_categories(GENDER_CATEGORIES):
        if entry.word_list == "gender-decoder":
            assert "not in Gaucher" in entry.explanation, entry.id
        else:
            assert entry.word_list == "gaucher2011", entry.id


def test_feminine_verdict_is_not_called_a_barrier():
    feminine = coding_of(ABOUT_YOU + "You are warm, kind and gentle.")
    masculine = coding_of(ABOUT_YOU + "You are ambitious, competitive and decisive.")
    assert feminine.verdict == "feminine" and EVIDENCE_FEMININE in feminine.explanation
    assert EVIDENCE_MASCULINE not in feminine.explanation
    assert masculine.verdict == "masculine" and EVIDENCE_MASCULINE in masculine.explanation


def test_gender_coding_explains_itself_and_keeps_the_json_contract():
    coding = coding_of(
        ABOUT_YOU + "You are ambitious and competitive.\nMain duties\nLead the shift."
    )
    assert coding.explanation == GENDER_EXPLANATION.format(
        verdict="masculine",
        words=coding.words_considered,
        masculine=2,
        feminine=0,
        score=-2.0,
        reference=REFERENCE_WORDS,
        lean=LEAN_SCORE,
        strong=STRONG_DIFFERENCE,
        excluded=1,
        lists="Gaucher, Friesen & Kay (2011), Appendix A",
        evidence=EVIDENCE_MASCULINE,
    )
    data = coding.to_dict()
    assert data["verdict"] == "masculine"
    assert data["masculine"] == ["ambitious", "competitive"] and data["feminine"] == []
    assert data["words_considered"] == coding.words_considered == 25
    assert data["per_1000"] == {"masculine": 80.0, "feminine": 0.0}
    assert data["excluded"] == [
        {
            "text": "Lead",
            "start": coding.excluded[0].start,
            "end": coding.excluded[0].start + 4,
            "coding": "masculine",
            "list": "Gaucher, Friesen & Kay (2011), Appendix A",
            "context": "duties",
            "reason": EXCLUDED_BECAUSE["duties"],
        }
    ]
    assert data["masculine_runs"] == [] and data["enough_text"] is True


def test_gender_coding_can_reuse_findings_and_segments():
    doc = get_pipeline()(ABOUT_YOU + "An ambitious and kind carer.")
    findings = match_categories(doc, LEXICON, categories=WORDING_CATEGORIES)
    reused = gender_coding(doc, LEXICON, findings=findings, segments=segment(doc))
    assert reused == gender_coding(doc, LEXICON)
    assert reused.masculine == ["ambitious"] and reused.feminine == ["kind"]


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


@pytest.mark.parametrize(
    ("text", "masculine"),
    [
        # "individual" naming the applicant is a plain word for a person: not counted
        ("About you\nWe are looking for a dynamic individual to lead the shift.", []),
        ("About you\nYou are an individual who enjoys a challenge.", []),
        ("About you\nAre you a caring individual?", []),
        ("About you\nThe successful individual will be calm and kind.", []),
        # the trait sense of Gaucher et al.'s "individual*" still counts
        ("About you\nYou will be rewarded for strong individual performance.", ["individual"]),
    ],
)
def test_individual_as_the_noun_for_the_applicant_is_not_coded(text, masculine):
    coding = coding_of(text)
    assert [w for w in coding.masculine if w.lower().startswith("individual")] == masculine
