"""Invariants of the wording analyser for any text (Hypothesis)."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bias_audit.lexicon import load_lexicon
from bias_audit.text import matching
from bias_audit.text.matching import match_categories
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.wording import (
    GENDER_CATEGORIES,
    MASCULINE_RUN_ID,
    WORDING_CATEGORIES,
    find_wording,
    gender_coding,
)

LEXICON = load_lexicon()

# Advert-like vocabulary, so that generated texts actually trigger rules, mixed with
# arbitrary unicode (combining marks, emoji, right-to-left text, control characters).
WORDS = [
    "support",
    "worker",
    "Trust",
    "NHS",
    "lead",
    "Lead",
    "Nurse",
    "young",
    "team",
    "native",
    "English",
    "speaker",
    "HCSW",
    "(HCSW)",
    "healthcare",
    "competent",
    "competitive",
    "he",
    "she",
    "guys",
    "crazy",
    "rockstar",
    "self-confident",
    "co-operative",
    "MDT",
    "•",
    "-",
    "\n",
    "\n\n",
    ":",
    ".",
    "Responsibilities",
    "older",
    "people's",
    "ward",
    "male",
    "patients",
    "digital",
    "natives",
    "energetic",
    "(",
    ")",
    "analytical",
    "children's",
    "kind",
    "of",
]
texts = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=30).map("".join),
)
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts)
def test_every_finding_points_at_its_own_text_and_is_sorted(text):
    findings = find_wording(get_pipeline()(text), LEXICON)
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
        assert finding.category in WORDING_CATEGORIES
    keys = [(f.start, -f.severity) for f in findings]
    assert keys == sorted(keys)


@FAST
@given(texts)
def test_findings_of_one_category_never_overlap(text):
    findings = find_wording(get_pipeline()(text), LEXICON)
    by_category: dict[str, list[tuple[int, int]]] = {}
    for finding in findings:
        by_category.setdefault(finding.category, []).append((finding.start, finding.end))
    for spans in by_category.values():
        spans.sort()
        assert all(end <= start for (_, end), (start, _) in pairwise(spans))


@FAST
@given(texts)
def test_gender_coding_agrees_with_the_findings(text):
    doc = get_pipeline()(text)
    coding = gender_coding(doc, LEXICON)
    matched = match_categories(doc, LEXICON, categories=GENDER_CATEGORIES)
    # every coded word is either counted or excluded with a reason, in text order
    counted = {(w.start, w.end) for w in coding.words}
    excluded = {(w.start, w.end): w.reason for w in coding.excluded}
    assert counted | set(excluded) == {(f.start, f.end) for f in matched}
    assert not counted & set(excluded) and all(excluded.values())
    assert [w.start for w in coding.words] == sorted(w.start for w in coding.words)
    assert [w.text for w in coding.words if w.coding == "masculine"] == coding.masculine
    # single coded words are never findings; only masculine-coded runs are
    findings = find_wording(doc, LEXICON)
    gender = [f for f in findings if f.category in GENDER_CATEGORIES]
    assert [f.rule_id for f in gender] == [MASCULINE_RUN_ID] * len(coding.runs)
    assert coding.verdict in {
        "strongly masculine",
        "masculine",
        "neutral",
        "feminine",
        "strongly feminine",
    }


@FAST
@given(texts)
def test_all_shipped_categories_survive_arbitrary_text(text):
    findings = match_categories(get_pipeline()(text), LEXICON, categories=LEXICON.categories)
    assert all(text[f.start : f.end] == f.text for f in findings)


@FAST
@given(texts)
def test_anchor_windows_find_exactly_what_a_whole_text_pass_finds(text):
    """Running token patterns only from anchor positions loses no match (all shipped
    categories, including the requirement analyser's number-led patterns)."""
    doc = get_pipeline()(text)
    compiled = matching._compiled(LEXICON, frozenset(LEXICON.categories))
    whole = set(compiled.token_matcher(doc)) if len(doc) else set()
    windowed = set()
    for start, end in matching._anchor_windows(doc, compiled) if len(doc) else []:
        found = compiled.token_matcher(doc[start:end])
        windowed |= {(key, start + s, start + e) for key, s, e in found}
    assert windowed == whole


SALARY_WORDS = ["£", "£25,000", "£24k", "25,000", "24k", "per", "annum", "year", "hr", "twenty"]
salary_texts = st.lists(
    st.one_of(st.sampled_from(SALARY_WORDS + WORDS), st.text(max_size=6)), max_size=30
).map(" ".join)


def _whole_text_matcher(compiled):
    """Every (non-exception) token pattern as written, in one Matcher run over a whole text."""
    from spacy.matcher import Matcher

    nlp = get_pipeline()
    reference = Matcher(nlp.vocab)
    for entry in compiled.entries:
        for number, pattern in enumerate(entry.patterns):
            if pattern.kind != "tokens":
                continue
            tokens = [{k: v for k, v in token.items() if k != "_"} for token in pattern.tokens]
            has_conditions = any("_" in token for token in pattern.tokens)
            label = f"{entry.id}#match" + (f"#{number}" if has_conditions else "")
            reference.add(label, [tokens])
    return reference


REFERENCE_COMPILED = matching._compiled(LEXICON, frozenset(LEXICON.categories))
REFERENCE_MATCHER = _whole_text_matcher(REFERENCE_COMPILED)


@FAST
@given(st.one_of(texts, salary_texts))
def test_token_patterns_find_what_one_whole_text_matcher_finds(text):
    """Anchoring, the expanded optional first token ("£"? 25,000 per year) and the one-word
    regexes (£25k) lose and add no match against spaCy's Matcher over the whole text."""
    doc = get_pipeline()(text)
    compiled = REFERENCE_COMPILED
    if not len(doc):
        return
    expected = set(matching._checked(doc, REFERENCE_MATCHER(doc), compiled))
    table = matching._token_table(doc, compiled)
    assert set(matching._token_matches(doc, compiled, table)) == expected


def test_salary_patterns_are_anchored_not_run_over_the_whole_text():
    doc = get_pipeline()("Pay £25,000 per annum, or 24,000 per year.")
    compiled = REFERENCE_COMPILED
    assert len(compiled.free_matcher) == 0
    found = {
        (doc.vocab.strings[key], doc[start:end].text)
        for key, start, end in matching._token_matches(
            doc, compiled, matching._token_table(doc, compiled)
        )
    }
    assert {
        ("inclusion-salary-amount#match", "£25,000"),
        ("inclusion-salary-amount#match", "£25,000 per annum"),
        ("inclusion-salary-amount#match", "25,000 per annum"),
        ("inclusion-salary-amount#match", "24,000 per year"),
    } <= found
