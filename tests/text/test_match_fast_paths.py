"""The lexicon engine's post-processing fast paths agree with the straightforward versions."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.lexicon import load_lexicon
from bias_audit.text import matching

LEXICON = load_lexicon()
ENTRIES = LEXICON.entries


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


# --- exceptions tried only from where they could hold a match --------------------------------


def _words_of(patterns):
    words = set()
    for pattern in patterns:
        if pattern.kind == "tokens":
            for token in pattern.tokens:
                for name, value in token.items():
                    if name in {"LOWER", "ORTH", "TEXT"}:
                        values = value.get("IN", []) if isinstance(value, dict) else [value]
                        words |= {v for v in values if isinstance(v, str)}
        else:
            words |= set(pattern.text.split())
    return words


EXCEPTION_WORDS = sorted(
    set().union(*(_words_of((*e.patterns, *e.unless)) for e in LEXICON.entries if e.unless))
)


def _excused_hits(doc, compiled, table, flags, with_latest):
    from bias_audit.text import match_tokens

    raw = match_tokens.raw_matches(doc, compiled, table, flags)
    windows = defaultdict(list)
    hits = set()
    for key, start, end in raw:
        index, is_exception = compiled.keys[key]
        if not is_exception and index in compiled.exception_matchers:
            hits.add((index, start, end))
            reach = compiled.exception_matchers[index].reach
            window = (max(0, start - reach), min(len(doc), end + reach))
            windows[index].append((*window, start) if with_latest else window)
    held = defaultdict(list)
    for index, entry_windows in windows.items():
        exceptions = compiled.exception_matchers[index]
        for _key, start, end in match_tokens.exception_matches(
            doc, table, exceptions, entry_windows
        ):
            held[index].append((start, end))
    return {hit for hit in hits if any(s <= hit[1] and hit[2] <= e for s, e in held[hit[0]])}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([*EXCEPTION_WORDS, "and", "the", "2", "years"]), max_size=30))
def test_exceptions_tried_up_to_the_latest_match_excuse_what_a_full_window_scan_does(words):
    from bias_audit.text import match_rules, match_tokens
    from bias_audit.text.pipeline import get_pipeline

    compiled = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
    doc = get_pipeline()(" ".join(words))
    if not len(doc):
        return
    table, flags = match_tokens.token_table_and_flags(doc, compiled)
    assert _excused_hits(doc, compiled, table, flags, True) == _excused_hits(
        doc, compiled, table, flags, False
    )


def test_the_exception_words_do_excuse_matches():
    """The texts above reach exceptions (else the comparison proves little)."""
    from bias_audit.text import match_rules, match_tokens
    from bias_audit.text.pipeline import get_pipeline

    compiled = match_rules.compiled_rules(LEXICON, frozenset(LEXICON.categories))
    doc = get_pipeline()(" ".join(EXCEPTION_WORDS))
    table, flags = match_tokens.token_table_and_flags(doc, compiled)
    assert _excused_hits(doc, compiled, table, flags, True)
