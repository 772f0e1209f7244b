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
