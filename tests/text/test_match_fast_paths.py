"""The lexicon engine's post-processing fast paths agree with the straightforward versions."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.lexicon import load_lexicon
from bias_audit.text import matching

ENTRIES = load_lexicon().entries


def _reference_resolve_overlaps(hits, entries):
    """The version replaced: every kept span of the category checked in turn."""
    ranked = sorted(
        set(hits),
        key=lambda hit: (hit[1] - hit[2], -entries[hit[0]].severity, hit[0], hit[1]),
    )
    taken = defaultdict(list)
    kept = []
    for index, start, end in ranked:
        spans = taken[entries[index].category]
        if any(start < other_end and other_start < end for other_start, other_end in spans):
            continue
        spans.append((start, end))
        kept.append((index, start, end))
    return kept


hit = st.tuples(st.integers(0, 12), st.integers(0, 40), st.integers(0, 8)).map(
    lambda h: (h[0], h[1], h[1] + h[2])
)


@settings(max_examples=50, deadline=None)
@given(st.lists(hit, max_size=40))
def test_overlaps_resolved_by_binary_search_as_span_by_span(hits):
    """Entries 0-12 share few categories, spans crowd into 40 characters, some are empty."""
    assert matching._resolve_overlaps(hits, ENTRIES) == _reference_resolve_overlaps(hits, ENTRIES)


@settings(max_examples=50, deadline=None)
@given(st.lists(hit.filter(lambda h: h[2] > h[1]), max_size=60))
def test_overlaps_resolved_as_span_by_span_without_empty_spans(hits):
    assert matching._resolve_overlaps(hits, ENTRIES) == _reference_resolve_overlaps(hits, ENTRIES)


# --- ORTH phrases run in the LOWER PhraseMatcher ---------------------------------------------

LEXICON = load_lexicon()
ORTH_PHRASES = sorted(
    {
        pattern.text
        for entry in LEXICON.entries
        for pattern in (*entry.patterns, *entry.unless)
        if pattern.kind == "orth"
    }
)


def _orth_reference(compiled, doc):
    """What one PhraseMatcher on ORTH holding every ORTH phrase finds, as (entry index,
    is exception, start, end)."""
    from spacy.matcher import PhraseMatcher

    from bias_audit.text.pipeline import get_pipeline

    nlp = get_pipeline()
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for index, entry in enumerate(compiled.entries):
        for is_exception, patterns in ((False, entry.patterns), (True, entry.unless)):
            for pattern in patterns:
                if pattern.kind == "orth":
                    matcher.add(f"{index}/{int(is_exception)}", [nlp.make_doc(pattern.text)])
    found = set()
    for key, start, end in matcher(doc):
        index, is_exception = nlp.vocab.strings[key].split("/")
        found.add((int(index), bool(int(is_exception)), start, end))
    return found


cased = st.sampled_from(ORTH_PHRASES).flatmap(
    lambda text: st.sampled_from([text, text.lower(), text.upper(), text.title()])
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(cased, st.sampled_from(["and", "the", "NHS", "(", "."])), max_size=10))
def test_orth_phrases_matched_on_lower_then_checked_find_what_an_orth_matcher_finds(words):
    from bias_audit.text import match_rules, match_tokens
    from bias_audit.text.pipeline import get_pipeline

    compiled = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
    assert len(compiled.matchers["orth"]) == 0 and compiled.orth_phrases
    doc = get_pipeline()(" ".join(words))
    if not len(doc):
        return
    table, flags = match_tokens.token_table_and_flags(doc, compiled)
    found = {
        (*compiled.keys[key], start, end)
        for key, start, end in match_tokens.raw_matches(doc, compiled, table, flags)
        if key in compiled.orth_phrases
    }
    assert found == _orth_reference(compiled, doc)


def test_written_orth_phrases_match_and_lower_case_ones_do_not():
    from bias_audit.text import match_rules, match_tokens
    from bias_audit.text.pipeline import get_pipeline

    compiled = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
    doc = get_pipeline()(
        " and ".join(ORTH_PHRASES) + "\n" + " and ".join(p.swapcase() for p in ORTH_PHRASES)
    )
    table, flags = match_tokens.token_table_and_flags(doc, compiled)
    found = {
        (*compiled.keys[key], start, end)
        for key, start, end in match_tokens.raw_matches(doc, compiled, table, flags)
        if key in compiled.orth_phrases
    }
    assert len(found) >= len(ORTH_PHRASES)
    assert found == _orth_reference(compiled, doc)
