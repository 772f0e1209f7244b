"""The context segmenter: every cue passes its own examples; blocks tile the text honestly."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit import lexicon as lx
from bias_audit import lexicon_context
from bias_audit.errors import LexiconError
from bias_audit.lexicon_context import load_context
from bias_audit.text.context import segment
from bias_audit.text.context_blocks import OTHER
from bias_audit.text.pipeline import get_pipeline

CUES = load_context()


@pytest.mark.parametrize("cue", [pytest.param(c, id=c.id) for c in CUES.cues])
def test_cue_examples(cue):
    for text in cue.examples.match:
        assert cue.id in [b.cue for b in segment(text)], f"{cue.id} should decide {text!r}"
    for text in cue.examples.no_match:
        assert cue.id not in [b.cue for b in segment(text)], f"{cue.id} decided {text!r}"


ADVERT = """\
Healthcare Support Worker
Grade: Band 3
Contract: Permanent
£24,071 - £25,674 per annum
Main duties of the job
- To support registered staff with personal care.
- Responding to emergencies.
You will be responsible for stock.
About you
You are confident and kind.
We are looking for a calm person who enjoys a challenge.
Experience of caring for unwell and injured children
About us
We are a friendly, supportive team on the Assertive Outreach service.
Our values are compassion, respect and working together for patients.
We are an equal opportunities employer. You must have the right to work in the UK.
"""


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("Healthcare Support Worker", "other"),
        ("Grade: Band 3", "metadata"),
        ("Contract: Permanent", "metadata"),
        ("£24,071 - £25,674 per annum", "metadata"),
        ("Main duties of the job", "heading"),
        ("To support registered staff", "duties"),
        ("Responding to emergencies", "duties"),
        ("You will be responsible for stock", "duties"),
        ("About you", "heading"),
        ("You are confident and kind", "candidate"),
        ("a calm person", "candidate"),
        ("unwell and injured children", "candidate"),  # a person-spec line: the skill sought
        ("We are a friendly", "organisation"),
        ("a friendly, supportive team", "organisation"),
        ("compassion", "values"),
        ("working together for patients", "values"),
        ("equal opportunities employer", "boilerplate"),
        ("right to work", "boilerplate"),
    ],
)
def test_each_part_of_an_advert_gets_its_kind(phrase, kind):
    segments = segment(ADVERT)
    start = ADVERT.index(phrase)
    assert {segments.kind_at(offset) for offset in range(start, start + len(phrase))} == {kind}


@pytest.mark.parametrize(
    ("text", "phrase", "kind"),
    [
        # job boards and stripped bullets run headings and fields into the text
        (
            "Location: Leeds Salary: 9 per hour The Role; You will wash patients.",
            "Salary: 9 per hour",
            "metadata",
        ),
        (
            "Location: Leeds Salary: 9 per hour The Role; You will wash patients.",
            "The Role;",
            "heading",
        ),
        ("Location: Leeds Salary: 9 per hour The Role; You will wash patients.", "wash", "duties"),
        ("MAIN RESPONSIBILITIES Care: Ensure residents are safe.", "Ensure", "duties"),
        # outside any section, sentences about patients or services are about them
        ("Patients may show agitation or aggression.", "aggression", "patients"),
        ("Our client is a friendly care provider.", "friendly", "organisation"),
        ("The successful candidate will be calm.", "calm", "candidate"),
        ("The successful candidate will support the team.", "support", "duties"),
        # "you'll need to be" (the cue once read "you 'll", with a space, and never matched)
        ("In this role you'll need to be calm under pressure.", "calm", "candidate"),
        ("On nights you’ll need to have a steady hand.", "steady", "candidate"),
        ("Nothing here says what it is.", "Nothing", OTHER),
    ],
)
def test_inline_headings_fields_and_sentence_cues(text, phrase, kind):
    assert segment(text).kind_at(text.index(phrase)) == kind


def test_blocks_look_up_by_offset_and_merge_into_passages():
    text = "About you\nYou are kind.\n\nYou are calm.\nMain duties\nWash patients."
    segments = segment(text)
    assert segments.kind_at(text.index("\n\n") + 1) == OTHER
    assert segments.block_at(text.index("\n\n") + 1) is None
    assert segments.passages("candidate") == [
        (text.index("You are kind"), text.index("calm.") + len("calm."))
    ]
    assert segments.word_count(["candidate"]) == 6
    assert segment(get_pipeline()(text))[:] == segments[:]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "About you",
                "Main duties",
                "Grade: Band 3",
                "You are kind.",
                "To support staff.",
                "We are a team.",
                "£20,000 a year",
                "Patients rest.",
                "The Role;",
                "\n",
                " ",
                "•",
                "DBS check.",
                "Our values are compassion.",
                "a calm person",
                "é",
                "\u200b",
                ":",
            ]
        )
        | st.text(max_size=8),
        max_size=25,
    ).map(" ".join)
)
def test_blocks_are_ordered_disjoint_and_trimmed(text):
    segments = segment(text)
    previous_end = 0
    for block in segments:
        assert previous_end <= block.start < block.end <= len(text)
        piece = text[block.start : block.end]
        assert piece == piece.strip() and piece
        assert block.kind in CUES.kinds
        previous_end = block.end


def _write(folder, text):
    (folder / lx.CONTEXT_FILE).write_text(textwrap.dedent(text), encoding="utf-8")


GOOD = """\
title: t
kinds: {metadata: m, heading: h, candidate: c, organisation: o, duties: d, patients: p,
        values: v, boilerplate: b, other: x}
precedence: [duties, candidate]
sources: {s: "A source."}
cues:
  - id: c1
    kind: candidate
    scope: sentence
    patterns: ['^you are\\b']
    reason: r
    source: s
    examples: {match: [You are kind.], no_match: [Wash.]}
"""


def test_context_file_loads(tmp_path):
    _write(tmp_path, GOOD)
    loaded = load_context(tmp_path)
    assert [c.id for c in loaded.cues] == ["c1"] and loaded.precedence == ("duties", "candidate")
    assert [(b.kind, b.cue) for b in segment("You are kind.", cues=loaded)] == [("candidate", "c1")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("'^you are\\b'", "'(unclosed'"), "is not a valid regular expression"),
        (("kind: candidate", "kind: nobody"), "has kind 'nobody', which is not listed"),
        (("scope: sentence", "scope: page"), "has scope 'page'; choose one of"),
        (("source: s", "source: t"), "cites source 't', which is not among"),
        (
            ("precedence: [duties, candidate]", "precedence: [duties, nobody]"),
            "precedence has kind 'nobody'",
        ),
        (("values: v, ", ""), "kinds must include values"),
    ],
)
def test_broken_context_files_are_refused_with_the_fix(tmp_path, change, message):
    _write(tmp_path, GOOD.replace(*change))
    with pytest.raises(LexiconError) as caught:
        load_context(tmp_path)
    assert message in str(caught.value) and lx.CONTEXT_FILE in str(caught.value)


def test_missing_context_file_is_refused(tmp_path):
    with pytest.raises(LexiconError) as caught:
        load_context(tmp_path)
    assert str(caught.value) == lexicon_context.NO_CONTEXT_FILE.format(
        file=tmp_path.resolve() / lx.CONTEXT_FILE
    )


# --- the keyword pre-filter ---------------------------------------------------------------
# segment() runs a cue group's regex only on sentences holding one of its required words
# (regex_words.required_words). These tests check that the words are truly required, so the
# pre-filter never changes a result.

from bias_audit.text import context_rules, regex_words  # noqa: E402

_COMPILED = context_rules.compile_cues(CUES)
_RULES = [
    pytest.param(rule.anywhere, rule.keywords, id=f"sentence-{rule.kind}")
    for rule in _COMPILED.sentence
] + [pytest.param(_COMPILED.phrases, _COMPILED.phrase_keywords, id="phrases")]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bpatients?\b", ("patient",)),
        (r"\b(?:a|an) (?:[a-z]+ ){1,3}(?:person|individual)\b", ("person", "individual")),
        (r"\bregardless of (?:age|race)\b", ("regardless of ",)),
        (r"\bsponsor(?:ship|ed)?\b|\bcertificate of sponsorship\b", ("sponsor",)),
        (r"^to [a-z]+\b", ("to ",)),
        (r"\b\w+ing\b", ("ing",)),
        (r"\b\w+\b", None),
        (r"x|\d+", None),
        (r"(?i)visa", None),  # case-insensitive patterns are not pre-filtered
    ],
)
def test_required_words_table(pattern, expected):
    words = regex_words.required_words(pattern)
    assert (None if words is None else set(words)) == (None if expected is None else set(expected))


@pytest.mark.parametrize(("pattern", "keywords"), _RULES)
def test_every_cue_example_passes_the_pre_filter(pattern, keywords):
    examples = [text.lower() for cue in CUES.cues for text in cue.examples.match]
    for text in examples:
        for found in pattern.finditer(text):
            assert keywords is None or any(word in found.group() for word in keywords), (
                f"{found.group()!r} matched but holds none of the required words"
            )


_FRAGMENTS = sorted(
    {word for rule in _COMPILED.sentence for word in (rule.keywords or ())}
    | set(_COMPILED.phrase_keywords or ())
    | {"a ", "an ", "our ", "you will ", "we are ", "the ", "kind ", "calm, ", "-", ". "}
)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS) | st.text("abcdeilnorst -'", max_size=6), max_size=12))
def test_pre_filter_never_hides_a_match(parts):
    text = "".join(parts)
    for rule in _COMPILED.sentence:
        if rule.keywords is not None and rule.anywhere.search(text):
            assert any(word in text for word in rule.keywords)
    phrases, keywords = _COMPILED.phrases, _COMPILED.phrase_keywords
    if phrases is not None and keywords is not None and phrases.search(text):
        assert any(word in text for word in keywords)
