"""The fast paths of run-on cutting (:mod:`bias_audit.text.run_ons`) give the pieces the code
they replace gave.

``reference_run_on_pieces`` is :func:`~bias_audit.text.run_ons.run_on_pieces` as it was before
(every token's neighbour read and stripped, the capitals pattern tried on every token, each
word lower-cased, words and stops found by their patterns), kept here as the oracle. The
decision at one capitalised word (:func:`~bias_audit.text.run_ons.cut_before`) is the code's
own: the fast paths changed which tokens reach it and how, not the decision.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.text import run_ons
from bias_audit.text.prose import split_sentences
from bias_audit.text.prose_words import (
    CLAUSE_WORDS,
    DUTY_VERBS,
    KNOWN_COLON,
    METADATA_FIELD,
    SENTENCE_FINAL,
    WORD,
    Sentence,
)


def reference_run_on_pieces(
    text: str, sentence: Sentence
) -> list[tuple[Sentence, list[str], bool]]:
    tokens = list(run_ons._TOKEN.finditer(text, sentence.start, sentence.end))
    cuts: set[int] = set()
    skip: set[int] = set()
    colons: list[int] = []
    for index, token in enumerate(tokens):
        word = token.group()
        if index == 0:
            continue
        previous = tokens[index - 1]
        before = previous.group()
        first = word[0]
        capital = first.isupper() or first == "*"
        if word in run_ons._ROUND_BULLETS or all(c in run_ons._ROUND_BULLETS for c in word):
            cuts.add(index)
            skip.add(index)
            continue
        if not capital:
            continue
        found = run_ons.cut_before(before, word, text[previous.end() : token.start()])
        if found == run_ons.CUT:
            cuts.add(index)
        elif found == run_ons.COLON:
            colons.append(index)
    cuts.update(_reference_capitals_run_edges(tokens))
    for index in reversed(colons):
        # A list written into the sentence ends it, with no other cut after the colon.
        if any(cut > index for cut in cuts) or not run_ons._colon_list(tokens[index:]):
            cuts.add(index)
            label = run_ons._run_in_label_start(tokens, index - 1)
            if label is not None:
                cuts.add(label)
    if not cuts:
        body = text[sentence.start : sentence.end]
        words = WORD.findall(body)
        fields = (
            (METADATA_FIELD.match(body) is not None or KNOWN_COLON.match(body) is not None)
            and SENTENCE_FINAL.search(body) is None
            and CLAUSE_WORDS.isdisjoint(w.lower() for w in words)
        )
        return [(sentence, words, not fields)]
    pieces: list[tuple[Sentence, list[str], bool]] = []
    # A last piece of one word ("…and associated  GAU.") is the end of the sentence before it.
    cuts.discard(len(tokens) - 1)
    if not cuts:
        return [(sentence, WORD.findall(text, sentence.start, sentence.end), True)]
    bounds = sorted(cuts | {0})
    for number, first_index in enumerate(bounds):
        last_index = bounds[number + 1] - 1 if number + 1 < len(bounds) else len(tokens) - 1
        kept = [tokens[i] for i in range(first_index, last_index + 1) if i not in skip]
        if not kept:
            continue
        start, end = kept[0].start(), kept[-1].end()
        words = WORD.findall(text, start, end)
        if words:
            piece = Sentence(start, end, len(words))
            pieces.append((piece, words, _reference_piece_is_prose(text[start:end], words)))
    return pieces


def _reference_capitals_run_edges(tokens: list[re.Match[str]]) -> set[int]:
    capitals = [run_ons._CAPITALS_WORD.fullmatch(token.group()) is not None for token in tokens]
    edges: set[int] = set()
    index = 0
    while index < len(tokens):
        if not capitals[index]:
            index += 1
            continue
        end = index
        while end < len(tokens) and capitals[end]:
            end += 1
        heading = end == len(tokens) or tokens[end].group()[:1].isupper()
        if end - index >= 2 and heading:
            edges.update(edge for edge in (index, end) if 0 < edge < len(tokens))
        index = end
    return edges


def _reference_piece_is_prose(body: str, words: list[str]) -> bool:
    if (body.endswith(":") and len(words) <= run_ons.RUN_IN_LABEL_MAX_WORDS) or (
        body.upper() == body and sum(c.isalpha() for c in body) >= 2
    ):
        return False
    lower = [word.lower() for word in words]
    has_clause_word = not CLAUSE_WORDS.isdisjoint(lower)
    if not has_clause_word and (
        KNOWN_COLON.match(body) is not None or METADATA_FIELD.match(body) is not None
    ):
        return False
    if has_clause_word:
        return True
    if lower[0] in DUTY_VERBS and len(words) >= 2 and not words[1][:1].isupper():
        return True
    # The full stop at the end of a run-on belongs to its last piece, which may be a
    # person-specification item ("Ability to communicate … as appropriate.").
    return SENTENCE_FINAL.search(body) is not None and lower[0] not in run_ons._REQUIREMENT_STARTS


PIECES = [
    "We",
    "are",
    "a",
    "small",
    "home",
    "Your",
    "role",
    "will",
    "include:",
    "Helping",
    "at",
    "meals",
    "MAIN",
    "DUTIES",
    "AND",
    "RESPONSIBILITIES",
    "MTV,",
    "TV4",
    "&",
    "I",
    "The",
    "Ability",
    "to",
    "communicate",
    "Salary",
    "£24,071",
    "Band",
    "3",
    "Kent",
    "If",
    "you",
    "Must",
    "be",
    "able",
    "care-home",
    "e.g.",
    "Oxford",
    "in",
    "the",
    "Trust",
    "•",
    "••",
    "·",
    "*",
    "*Note",
    "include;",
    "Supporting",
    "design",
    "BBC,",
    "Sony,",
    "Getty",
    "Images",
    "Permanent,",
    "Fixed",
    "Term",
    "and",
    "flexible",
    "working.",
    "as",
    "appropriate.",
    "GAU.",
    "Help",
    "patients",
    "wash",
    "Record",
    "Experience",
    "of",
    "İt",
    "ıs",
    "ſalary",
    "Essential:",
]


SEPARATORS = [" ", " ", " ", "  ", "\t", " \xa0 "]


SENTENCES = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), min_size=1, max_size=60
).map(lambda pairs: "".join(word + gap for word, gap in pairs).strip())


def _compare(text: str) -> None:
    for sentence in split_sentences(text):
        assert run_ons.run_on_pieces(text, sentence) == reference_run_on_pieces(text, sentence)


@settings(max_examples=50, deadline=None)
@given(SENTENCES)
def test_run_on_pieces_gives_the_reference_pieces(text):
    _compare(text)


@pytest.mark.parametrize(
    "text",
    [
        "We care for people MAIN & DUTIES To participate in the ward",
        "Our home is in Tring R&D TEAM Help at meals",
        "We are kind •Help patients •• to wash · and dress",
        "Clients including: BBC, Sony, Getty Images",
        "We are a small home Your role will include: Helping at meals",
        "The role is based at LEICESTER GENERAL HOSPITAL but you will travel",
        "Employer Acme Site Main Town Leeds Salary £24,071",
        "You will support the team  To take observations  Experience of care. GAU.",
    ],
)
def test_run_on_pieces_on_hand_picked_edges(text):
    _compare(text)


ADVERTS = sorted((Path(__file__).parents[2] / "example_data" / "adverts").glob("*.txt"))


@pytest.mark.parametrize("path", ADVERTS, ids=lambda path: path.name)
def test_run_on_pieces_on_example_adverts(path):
    text = path.read_text(encoding="utf-8")
    _compare(text)
    # and on the same advert with its line breaks gone, a run-on from end to end
    _compare(re.sub(r"\s*\n\s*", "  ", text))
