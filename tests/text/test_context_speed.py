"""The segmenter's fast paths give the answers of the slow ones they skip.

Each fast path in bias_audit/text/context*.py rules a case out with a cheaper test; these
tests compare it with the plain computation on adversarial inputs.
"""

from __future__ import annotations

import itertools
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.lexicon_context import load_context
from bias_audit.text import context, context_blocks, context_rules
from bias_audit.text.context_blocks import _SENTENCE_BREAK, LEAD, sentence_spans, trim_span
from bias_audit.text.context_masks import KeywordPlaces
from bias_audit.text.context_rules import compile_cues

COMPILED = compile_cues(load_context())

#: Characters that make or break sentences, headings and labels, and white space of all kinds.
_AWKWARD = 'aZ .!?;:•·-–(1)"’\t\xa0\u2003\x0b'


def _slow_sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """sentence_spans without its fast path: every break the regex finds."""
    spans, cursor = [], start
    for found in _SENTENCE_BREAK.finditer(text, start, end):
        piece_end = found.start()
        if text[piece_end] in ".!?;":
            piece_end += len(found.group().rstrip())
        span = trim_span(text, cursor, piece_end)
        if span is not None:
            spans.append(span)
        cursor = found.end()
    span = trim_span(text, cursor, end)
    if span is not None:
        spans.append(span)
    return spans


def test_break_chars_hold_all_white_space_but_the_space():
    """_BREAK_CHARS must hold every character the regex ``\\s`` matches, but " "."""
    spaces = [chr(n) for n in range(sys.maxunicode + 1) if chr(n).isspace()]
    assert [c for c in spaces if not re.fullmatch(r"\s", c)] == []
    assert [c for c in spaces if c != " " and not context_blocks._BREAK_CHARS.fullmatch(c)] == []
    assert re.fullmatch(r"\s", "\u200b") is None  # not white space: nothing to add


@settings(max_examples=50, deadline=None)
@given(st.text(_AWKWARD, max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_sentence_spans_fast_path_matches_the_regex(text, start, end):
    start, end = sorted((min(start, len(text)), min(end, len(text))))
    assert sentence_spans(text, start, end) == _slow_sentence_spans(text, start, end)


_SENTENCE_EXAMPLES = ["One. Two", "One.", "One;  Two", "One   Two", "One • two", "x.) Y", ""]


@pytest.mark.parametrize("text", [*_SENTENCE_EXAMPLES, "a\u2003\u2003\u2003B"])
def test_sentence_spans_examples(text):
    assert sentence_spans(text, 0, len(text)) == _slow_sentence_spans(text, 0, len(text))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 4), st.integers(1, 7)), max_size=12),
    st.lists(st.integers(0, 34), max_size=10),
)
def test_keyword_places_take_is_the_places_inside(places, cuts):
    """take() over stretches in text order equals checking every place against each."""
    found = sorted(((start + length - 1, (length, mask)) for start, length, mask in places))
    taker = KeywordPlaces(list(found))
    bounds = sorted(set(cuts))
    for start, end in itertools.pairwise(bounds):
        body_start = (start + end) // 2
        expected = [0, 0]
        for last, (length, mask) in found:
            if last + 1 - length >= start and last < end:
                expected[0] |= mask
                if last + 1 - length >= body_start:
                    expected[1] |= mask
        if taker.next_end > end:  # segment() then skips take()
            assert expected == [0, 0]
        assert taker.take(start, body_start, end) == tuple(expected)


def _slow_classify(body: str, section: str) -> tuple[str, str] | None:
    """Every rule the section allows, in precedence order, both regexes run."""
    for rule in COMPILED.sentence:
        if section in rule.kept_from:
            continue
        found = rule.anchored.match(body) or rule.anywhere.search(body)
        if found is not None:
            return rule.kind, rule.by_group[found.lastgroup or ""].id
    return None


_FRAGMENTS = sorted(
    {word for rule in COMPILED.sentence for word in rule.keywords or ()}
    | {opening for rule in COMPILED.sentence for opening in rule.openings or ()}
    | {"you will ", "we are ", "to ", "a ", "the ", "our ", ". ", "team", "care "}
)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(_FRAGMENTS) | st.text("abdeilnorstuy '-", max_size=5), max_size=8),
    st.sampled_from(["other", "candidate", "duties", "organisation", "patients"]),
)
def test_classify_by_masks_matches_running_every_rule(parts, section):
    body = "".join(parts)
    if not body:
        return
    places = COMPILED.keyword_places(body)
    _, found = places.take(0, 0, len(body))
    decided = COMPILED.classify(body, found, COMPILED.masks.allowed(section))
    assert decided == _slow_classify(body, section)


_HEADING_LINES = sorted(
    {phrase for cue in load_context().cues if cue.scope == "heading" for phrase in cue.phrases}
)


@settings(max_examples=50, deadline=None)
@given(
    st.sampled_from(_HEADING_LINES)
    | st.sampled_from(_HEADING_LINES).map(lambda line: line.replace(" ", "\t", 1))
    | st.text(_AWKWARD, max_size=12),
    st.text(" :.-–;", max_size=3),
    st.booleans(),
)
def test_line_heading_matches_whole_heading(line, end, upper):
    line = (line.upper() if upper else line.replace(" ", "  ")) + end
    if not line.strip() or "\n" in line:
        return
    plain = line.isascii() and context._OTHER_ASCII_SPACE.search(line) is None
    expected = COMPILED.whole_heading(line)
    assert context._line_heading(COMPILED, line, plain_spaces=plain) == expected
    assert context._line_heading(COMPILED, line, plain_spaces=False) == expected


def test_lead_matches_nothing_at_a_letter():
    """segment() skips LEAD on a line opening with a letter: no bullet is a letter."""
    assert not any(ch.isalpha() for ch in context_blocks._BULLETS)
    assert LEAD.match("Abc").end() == 0


def _labels_as_first_written() -> re.Pattern[str]:
    """The inline label regex with the start test in front of each cue, as first written."""
    cues = load_context()
    groups = {cue.id: f"c{n}" for n, cue in enumerate(cues.cues)}
    labelled = [c for c in cues.cues if c.scope in ("heading", "metadata")]
    return re.compile(
        "|".join(
            r"(?:^|(?<=\s))"
            + f"(?P<{groups[c.id]}>(?:{context_rules._alternation(c).lower()})\\s*"
            + (r"(?:[:;]|(?=\s))" if c.scope == "heading" else ":")
            + ")"
            for c in sorted(labelled, key=lambda c: c.scope != "heading")
        )
    )


_LABELS_FIRST_WRITTEN = _labels_as_first_written()
_LABEL_WORDS = sorted(
    {
        p.lower()
        for c in load_context().cues
        if c.scope in ("heading", "metadata")
        for p in c.phrases
    }
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(_LABEL_WORDS) | st.text(" \t:;.xa\xa0", max_size=3), max_size=8))
def test_label_regex_finds_what_the_first_written_one_does(parts):
    text = "".join(parts)
    expected = [(m.span(), m.lastgroup) for m in _LABELS_FIRST_WRITTEN.finditer(text)]
    assert [(m.span(), m.lastgroup) for m in COMPILED.labels.finditer(text)] == expected


def test_new_block_is_a_block():
    block = context_blocks.new_block((1, 5, "duties", "duties-you-will", "other"))
    assert type(block) is context_blocks.Block
    assert block == context_blocks.Block(1, 5, "duties", "duties-you-will", "other")
    assert block.kind == "duties" and block.section == "other"
