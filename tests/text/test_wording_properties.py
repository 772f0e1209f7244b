"""Invariants of the wording analyser for any text (Hypothesis)."""

from __future__ import annotations

from itertools import pairwise

from analysers import wording_findings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bias_audit.lexicon import load_lexicon
from bias_audit.text import match_rules, match_tokens
from bias_audit.text.matching import match_categories
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.wording import (
    GENDER_CATEGORIES,
    MASCULINE_RUN_ID,
    WORDING_CATEGORIES,
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
# The suite's budget (50 texts, conftest.py at the root): each text checks every finding it
# gives, and texts mix the lexicon's own words with arbitrary unicode.
FAST = settings(suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(texts)
def test_every_finding_points_at_its_own_text_and_is_sorted(text):
    findings = wording_findings(get_pipeline()(text), LEXICON)
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text
        assert finding.category in WORDING_CATEGORIES
    keys = [(f.start, -f.severity) for f in findings]
    assert keys == sorted(keys)


@FAST
@given(texts)
def test_findings_of_one_category_never_overlap(text):
    findings = wording_findings(get_pipeline()(text), LEXICON)
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
    findings = wording_findings(doc, LEXICON)
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


REFERENCE_COMPILED = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
REFERENCE_MATCHER = _whole_text_matcher(REFERENCE_COMPILED)


def _pattern_words() -> list[str]:
    """Every word the shipped token patterns name, so generated texts run into them."""
    words = set()
    for entry in LEXICON.entries:
        for pattern in (*entry.patterns, *entry.unless):
            for token in pattern.tokens if pattern.kind == "tokens" else ():
                for name, value in token.items():
                    if name in {"LOWER", "ORTH", "TEXT", "LEMMA"}:
                        values = value.get("IN", []) if isinstance(value, dict) else [value]
                        words.update(v for v in values if isinstance(v, str))
    return sorted(words)


pattern_texts = st.lists(
    st.one_of(st.sampled_from(_pattern_words()), st.sampled_from(["2", "10", "one"])),
    max_size=40,
).map(" ".join)

TOKEN_PATTERNS = [
    pattern.tokens
    for entry in LEXICON.entries
    for pattern in (*entry.patterns, *entry.unless)
    if pattern.kind == "tokens"
]


@st.composite
def _realised(draw):
    """A run of words meant to match one shipped token pattern: each token a value it names
    (a number for LIKE_NUM), an optional one kept or left out; sometimes a word is dropped
    or swapped, so near misses are tried too."""
    words = []
    for token in draw(st.sampled_from(TOKEN_PATTERNS)):
        if token.get("OP") in {"?", "*"} and draw(st.booleans()):
            continue
        values = [
            v
            for name, value in token.items()
            if name in {"LOWER", "ORTH", "TEXT", "LEMMA"}
            for v in (value.get("IN", []) if isinstance(value, dict) else [value])
            if isinstance(v, str)
        ] or ["2", "£25,000", "years"]
        words.append(draw(st.sampled_from(values)))
        if token.get("OP") in {"+", "*"} and draw(st.booleans()):
            words.append(words[-1])
    if words and draw(st.integers(0, 3)) == 0:
        words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
    return " ".join(words)


realised_texts = st.lists(st.one_of(_realised(), st.sampled_from(WORDS)), max_size=8).map(" ".join)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts, salary_texts, pattern_texts, realised_texts, realised_texts))
def test_token_patterns_find_what_one_whole_text_matcher_finds(text):
    """Anchoring, the expanded optional first token ("£"? 25,000 per year) and the one-word
    regexes (£25k) lose and add no match against spaCy's Matcher over the whole text."""
    doc = get_pipeline()(text)
    compiled = REFERENCE_COMPILED
    if not len(doc):
        return
    expected = set(match_tokens.checked(doc, REFERENCE_MATCHER(doc), compiled))
    table = match_tokens.token_table(doc, compiled)
    assert set(match_tokens.token_matches(doc, compiled, table)) == expected


def test_realised_pattern_texts_do_match():
    """The generator above reaches the multi-token patterns (else the test proves little)."""
    from hypothesis import find

    found = find(
        realised_texts,
        lambda text: any(
            end - start > 2 for _, start, end in REFERENCE_MATCHER(get_pipeline()(text))
        ),
    )
    assert found


def test_salary_patterns_are_anchored_not_run_over_the_whole_text():
    doc = get_pipeline()("Pay £25,000 per annum, or 24,000 per year.")
    compiled = REFERENCE_COMPILED
    assert len(compiled.free_matcher) == 0
    found = {
        (doc.vocab.strings[key], doc[start:end].text)
        for key, start, end in match_tokens.token_matches(
            doc, compiled, match_tokens.token_table(doc, compiled)
        )
    }
    assert {
        ("inclusion-salary-amount#match", "£25,000"),
        ("inclusion-salary-amount#match", "£25,000 per annum"),
        ("inclusion-salary-amount#match", "25,000 per annum"),
        ("inclusion-salary-amount#match", "24,000 per year"),
    } <= found


def _variants(tokens) -> list[list[str]]:
    """Word runs for a token pattern: every optional token in and out (a first named value
    per token, a number for LIKE_NUM), at most 32 runs."""
    runs: list[list[str]] = [[]]
    for token in tokens:
        values = [
            v
            for name, value in token.items()
            if name in {"LOWER", "ORTH", "TEXT", "LEMMA"}
            for v in (value.get("IN", []) if isinstance(value, dict) else [value])
            if isinstance(v, str)
        ] or ["2"]
        word = values[-1]
        taken = [[*run, word] for run in runs]
        if token.get("OP") in {"?", "*"}:
            taken += runs
        if token.get("OP") in {"+", "*"}:
            taken += [[*run, word, word] for run in runs]
        runs = taken[:32]
    return runs


def test_every_shipped_token_pattern_realised_matches_as_the_whole_text_matcher_does():
    """Each token pattern written out with and without its optional tokens: the engine
    finds exactly what spaCy's Matcher over the whole text finds."""
    lines = [" ".join(run) for tokens in TOKEN_PATTERNS for run in _variants(tokens)]
    doc = get_pipeline()("\n".join(lines))
    compiled = REFERENCE_COMPILED
    expected = set(match_tokens.checked(doc, REFERENCE_MATCHER(doc), compiled))
    assert len(expected) > 200
    table = match_tokens.token_table(doc, compiled)
    assert set(match_tokens.token_matches(doc, compiled, table)) == expected


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=3))
def test_token_table_is_what_doc_to_array_gives(batch):
    # The engine reads ORTH and IDX from the Doc and the word's other attributes from rows
    # remembered per word; that must equal reading every attribute from the Doc, for words
    # seen before and new ones alike.
    compiled = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
    assert compiled.word_rows is not None
    for text in batch:
        doc = get_pipeline()(text)
        if not len(doc):
            continue
        table = match_tokens.token_table(doc, compiled)
        expected = doc.to_array(list(compiled.attributes)).reshape(len(doc), -1)
        assert table.dtype == expected.dtype
        assert table.tolist() == expected.tolist()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_anchors_remembered_per_word_are_those_found_per_position(text):
    compiled = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
    doc = get_pipeline()(text)
    if not len(doc):
        return
    table = match_tokens.token_table(doc, compiled)
    memo = compiled.anchor_memo
    assert memo is not None
    from_memo = match_tokens.anchor_hits(doc, compiled, table)
    compiled.anchor_memo = None  # look per position, with numpy, as for token attributes
    try:
        per_position = match_tokens.anchor_hits(doc, compiled, table)
    finally:
        compiled.anchor_memo = memo
    assert sorted((p, id(r)) for p, r in from_memo) == sorted((p, id(r)) for p, r in per_position)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts, salary_texts, pattern_texts, realised_texts))
def test_anchored_matches_planned_per_word_pair_are_those_planned_per_position(text):
    """What an anchor leads to is remembered per (anchor word, next word); deciding it
    afresh at every position (as for anchors on token attributes) finds the same matches."""
    compiled = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
    doc = get_pipeline()(text)
    if not len(doc):
        return
    table = match_tokens.token_table(doc, compiled)
    by_pair = set(match_tokens.token_matches(doc, compiled, table))
    memo = compiled.anchor_memo
    compiled.anchor_memo = None
    try:
        per_position = set(match_tokens.token_matches(doc, compiled, table))
    finally:
        compiled.anchor_memo = memo
    assert by_pair == per_position


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(texts, salary_texts, pattern_texts, realised_texts))
def test_matches_found_from_word_flags_are_those_found_with_sets_of_words(text):
    """The flagged path (each new word's anchors, regexes and prefixes worked out once, as
    the table rows are read) finds what the passes over each text's set of words find,
    and what spaCy's Matcher over the whole text finds."""
    compiled = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
    doc = get_pipeline()(text)
    if not len(doc):
        return
    table, flags = match_tokens.token_table_and_flags(doc, compiled)
    assert flags is not None
    assert table.tolist() == match_tokens.token_table(doc, compiled).tolist()
    assert sorted(match_tokens.raw_matches(doc, compiled, table, flags)) == sorted(
        match_tokens.raw_matches(doc, compiled, table)
    )
    reference = REFERENCE_COMPILED
    table, flags = match_tokens.token_table_and_flags(doc, reference)
    expected = set(match_tokens.checked(doc, REFERENCE_MATCHER(doc), reference))
    assert set(match_tokens.token_matches(doc, reference, table, flags=flags)) == expected


def test_words_whose_facts_were_forgotten_are_worked_out_again():
    compiled = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
    doc = get_pipeline()("Pay £25,000 per annum; competitive salary for a young, energetic team.")
    table, flags = match_tokens.token_table_and_flags(doc, compiled)
    before = sorted(match_tokens.raw_matches(doc, compiled, table, flags))
    remembered = compiled.word_facts
    compiled.word_facts = {}
    try:
        assert sorted(match_tokens.raw_matches(doc, compiled, table, flags)) == before
    finally:
        compiled.word_facts = remembered
    assert before == sorted(match_tokens.raw_matches(doc, compiled, table))
