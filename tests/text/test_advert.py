"""analyse_advert: one report holding every analyser's results, with the contract's shape."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bias_audit.errors import InputDataError, OptionError
from bias_audit.text import advert
from bias_audit.text.advert import analyse_advert
from bias_audit.text.pipeline import get_pipeline
from bias_audit.types import Severity

POOR = (
    "Healthcare Support Worker, Band 2\n"
    "Essential\n"
    "- A degree in health or social care\n"
    "- 2 years' experience as a healthcare assistant\n"
    "- Full UK driving licence\n"
)

# Advert-like fragments, so generated texts actually trigger findings of every kind.
FRAGMENTS = [
    "Essential",
    "Desirable",
    "\n",
    "- ",
    "• ",
    " ",
    ".",
    "Band 3",
    "A degree in nursing",
    "GCSE maths",
    "or equivalent",
    "2 years' experience",
    "driving licence",
    "own car",
    "physically fit",
    "native English speaker",
    "young team",
    "competitive",
    "support worker",
    "NHS Trust",
    "£24,071 per annum",
    "flexible working",
    "HCSW",
    "MDT",
    "rockstar",
    "é",
    "🙂",
    "\u200b",
    "\r\n",
    "NVQ Level 3",
    "Care Certificate",
    "NMC registration",
    "lift 25kg",
]


def check_invariants(text: str) -> None:
    report = analyse_advert(text)
    for finding in (*report.findings, *report.allowed):
        assert text[finding.start : finding.end] == finding.text
        for start, end in finding.occurrences:  # the same phrase, later in the text
            assert " ".join(text[start:end].lower().split()) == " ".join(
                finding.text.lower().split()
            )
            assert start > finding.start
    keys = [(-f.severity, f.start) for f in report.findings]
    assert keys == sorted(keys)
    for requirement in report.requirements:
        assert text[requirement.start : requirement.end] == requirement.text
    for signal in report.inclusion_signals:
        for evidence in signal.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
    json.dumps(report.to_dict())


# The suite's budget of 50 texts each (conftest.py at the root): every finding of every text is
# checked, and the fragments test already covers each lexicon fragment many times over.
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400).filter(str.strip))
def test_any_unicode_text_gives_consistent_sorted_findings(text):
    check_invariants(text)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60).map("".join).filter(str.strip))
def test_advert_like_text_gives_consistent_sorted_findings(text):
    check_invariants(text)


@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_empty_text_is_refused_with_the_source_named(text):
    with pytest.raises(InputDataError) as caught:
        analyse_advert(text, source="advert.txt")
    assert str(caught.value) == advert.MSG_EMPTY_TEXT.format(source="advert.txt")


def test_text_too_long_for_one_advert_is_refused_not_a_spacy_error():
    text = "Care. " * (advert.MAX_TEXT_CHARS // 6 + 1)
    with pytest.raises(InputDataError) as caught:
        analyse_advert(text, source="huge.txt")
    assert str(caught.value) == advert.MSG_TOO_LONG.format(
        source="huge.txt", chars=len(text), limit=advert.MAX_TEXT_CHARS
    )


@pytest.mark.parametrize("band", [0, 10, -1])
def test_impossible_band_is_refused(band):
    with pytest.raises(OptionError) as caught:
        analyse_advert(POOR, band=band)
    assert str(caught.value) == advert.MSG_BAD_BAND.format(band=band)


@pytest.mark.parametrize(
    ("text", "band", "expected"),
    [
        (POOR, None, (2, "found in text")),
        (POOR, 3, (3, "given")),
        ("Essential\n- A degree", None, (None, "not stated")),
    ],
)
def test_band_and_where_it_came_from(text, band, expected):
    report = analyse_advert(text, band=band)
    assert (report.band, report.band_source) == expected


def test_poor_advert_collects_findings_from_every_analyser():
    report = analyse_advert(POOR + "We want a " + "very " * 30 + "caring person.")
    categories = {f.category for f in report.findings}
    assert {"qualification_degree", "experience_years", "driving_licence", "readability"} <= (
        categories
    )
    assert "inclusion_signals" not in categories
    severities = {f.rule_id: f.severity for f in report.findings}
    assert severities["degree-required"] == Severity.HIGH
    assert severities["experience-duration"] == Severity.HIGH
    assert severities["driving-licence"] == Severity.MEDIUM
    assert [r.kind for r in report.requirements] == ["degree", "experience", "driving_licence"]


@pytest.mark.parametrize(
    ("allow", "silenced"),
    [
        (["degree-required"], {"degree-required"}),
        (["DEGREE-REQUIRED"], {"degree-required"}),
        (["full uk   Driving Licence", "driving licence"], {"driving-licence"}),
        (["2 years' experience"], {"experience-duration"}),
        (["  "], set()),
        ("degree-required", {"degree-required"}),
        ([], set()),
    ],
)
def test_allow_list_silences_rule_ids_or_phrases(allow, silenced):
    full = analyse_advert(POOR)
    report = analyse_advert(POOR, allow=allow)
    assert {f.rule_id for f in report.allowed} == silenced
    assert set(report.findings) | set(report.allowed) == set(full.findings)
    assert not set(report.findings) & set(report.allowed)


def test_to_dict_follows_the_contract():
    data = analyse_advert(POOR, source="poor.txt").to_dict()
    assert {"source", "band", "findings", "gender_coding", "readability"} <= set(data)
    assert data["source"] == "poor.txt"
    assert data["band"] == 2
    assert {"verdict", "masculine", "feminine"} <= set(data["gender_coding"])
    finding = data["findings"][0]
    assert set(finding) == {
        "rule_id",
        "category",
        "severity",
        "start",
        "end",
        "text",
        "explanation",
        "suggestions",
        "source",
        "occurrences",
    }
    assert finding["severity"] in {"low", "medium", "high"}
    assert list(data["severity_counts"]) == ["high", "medium", "low"]
    assert sum(data["severity_counts"].values()) == len(data["findings"])
    assert {"flesch_reading_ease", "flesch_kincaid_grade", "reading_age", "target"} <= set(
        data["readability"]
    )
    assert data["lexicon_version"]
    json.dumps(data)


def test_pipeline_is_built_once_per_process():
    analyse_advert(POOR)
    before = get_pipeline.cache_info()
    analyse_advert(POOR + "More text.")
    after = get_pipeline.cache_info()
    assert after.misses == before.misses
    assert after.hits == before.hits + 1


def test_single_matcher_pass_gives_what_each_analyser_finds_on_its_own():
    from analysers import inclusion_signals, requirements, wording_findings

    from bias_audit.lexicon import load_lexicon

    text = POOR + "We want a young, competitive team player. £24,071 a year. Part-time welcome."
    report = analyse_advert(text)
    doc = get_pipeline()(text)
    lexicon = load_lexicon()
    wording = wording_findings(doc, lexicon)
    judged = [r.finding for r in requirements(doc, lexicon, band=2) if r.finding]
    assert report.findings == advert.order_findings(
        [*wording, *judged, *report.readability.long_sentences]
    )
    assert report.inclusion_signals == tuple(inclusion_signals(doc, lexicon))
