"""Token patterns checked on token-table rows find exactly what spaCy's Matcher finds."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from bias_audit.lexicon import load_lexicon
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.table_patterns import table_conditions, table_pattern

NLP = get_pipeline()


def _table_matches(tokens, text):
    """(start, end) of every match of ``tokens`` in ``text``, from the token table."""
    doc = NLP(text)
    attributes = sorted(
        {attribute for token in tokens for attribute, _ in table_conditions(token) or ()}
    )
    pattern = table_pattern(1, tokens, {attribute: at for at, attribute in enumerate(attributes)})
    assert pattern is not None
    rows = doc.to_array(attributes).reshape(len(doc), -1).tolist() if attributes else []
    return {
        (first, end) for first in range(len(doc)) for end in pattern.ends(rows, first, len(doc))
    }


def _matcher_matches(tokens, text):
    matcher = Matcher(NLP.vocab)
    matcher.add("p", [list(tokens)])
    return {(start, end) for _, start, end in matcher(NLP(text))}


@pytest.mark.parametrize(
    ("tokens", "text", "expected"),
    [
        # plain sequence; IN list; a number
        ([{"LOWER": "support"}, {"LOWER": "worker"}], "a Support worker", {(1, 3)}),
        ([{"LOWER": {"IN": ["nhs", "trust"]}}], "NHS trust", {(0, 1), (1, 2)}),
        ([{"LIKE_NUM": True}, {"LOWER": "years"}], "2 years or three years", {(0, 2), (3, 5)}),
        # optional token: with and without it
        (
            [{"LOWER": "must"}, {"LOWER": "be", "OP": "?"}, {"LOWER": "fit"}],
            "must be fit",
            {(0, 3)},
        ),
        ([{"LOWER": "must"}, {"LOWER": "be", "OP": "?"}, {"LOWER": "fit"}], "must fit", {(0, 2)}),
        # repeats: every length is a match
        (
            [{"LOWER": "very"}, {"LOWER": "very", "OP": "*"}],
            "very very very",
            {(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)},
        ),
        ([{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "+"}, {"LOWER": "b"}], "a x y b", {(0, 4)}),
        # a trailing optional token
        ([{"LOWER": "team"}, {"LOWER": "player", "OP": "?"}], "team player", {(0, 1), (0, 2)}),
        # no match at all
        ([{"LOWER": "degree"}, {"LOWER": "essential"}], "degree desirable", set()),
    ],
)
def test_hand_worked_patterns(tokens, text, expected):
    assert _table_matches(tokens, text) == expected
    assert _matcher_matches(tokens, text) == expected


@pytest.mark.parametrize(
    "tokens",
    [
        [{"LOWER": {"REGEX": "^nurs"}}],
        [{"LOWER": {"NOT_IN": ["a"]}}],
        [{"IS_SENT_START": True}, {"LOWER": "we"}],
        [{"LOWER": "a", "OP": "{1,3}"}],
        [{"LOWER": "a", "OP": "!"}],
        [{"LOWER": "a", "OP": "?"}],  # all optional: the Matcher's own handling
    ],
)
def test_what_the_rows_cannot_decide_is_left_to_spacy(tokens):
    assert table_pattern(1, tokens, {}) is None or not tokens


LEXICON = load_lexicon()


def _table_able(tokens):
    conditions = [table_conditions({k: v for k, v in t.items() if k != "_"}) for t in tokens]
    if any(c is None for c in conditions):
        return None
    columns = {
        attribute: at
        for at, (attribute, _) in enumerate(
            sorted({pair for c in conditions for pair in c}, key=lambda pair: pair[0])
        )
    }
    return table_pattern(1, [{k: v for k, v in t.items() if k != "_"} for t in tokens], columns)


SHIPPED = [
    [{k: v for k, v in token.items() if k != "_"} for token in pattern.tokens]
    for entry in LEXICON.entries
    for pattern in (*entry.patterns, *entry.unless)
    if pattern.kind == "tokens" and _table_able(pattern.tokens) is not None
]


@st.composite
def pattern_and_text(draw):
    """A shipped pattern the rows can decide, and words made to (nearly) match it."""
    tokens = draw(st.sampled_from(SHIPPED))
    words = []
    for token in tokens:
        if token.get("OP") in {"?", "*"} and draw(st.booleans()):
            continue
        values = [
            v
            for name, value in token.items()
            if name in {"LOWER", "ORTH", "TEXT"}
            for v in (value.get("IN", []) if isinstance(value, dict) else [value])
            if isinstance(v, str)
        ] or ["2", "Registered", "years", "the"]
        words.append(draw(st.sampled_from(values)))
        if token.get("OP") in {"+", "*"} and draw(st.booleans()):
            words.append(words[-1])
    noise = draw(st.lists(st.sampled_from(["and", "the", "3", "Band", "x"]), max_size=3))
    words[draw(st.integers(0, len(words))) : 0] = noise
    return tokens, " ".join(words)


def test_most_shipped_token_patterns_are_decided_on_rows():
    assert len(SHIPPED) >= 100


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern_and_text())
def test_shipped_patterns_match_as_spacy_matches(case):
    tokens, text = case
    assert _table_matches(tokens, text) == _matcher_matches(tokens, text)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern_and_text())
def test_a_pattern_that_may_not_go_on_matches_at_most_its_first_token(case):
    """The anchored matcher skips a table pattern where ``may_go_on`` says the next token
    cannot continue it: there, every match found from that position is one token long."""
    tokens, text = case
    doc = NLP(text)
    attributes = sorted(
        {attribute for token in tokens for attribute, _ in table_conditions(token) or ()}
    )
    pattern = table_pattern(1, tokens, {attribute: at for at, attribute in enumerate(attributes)})
    rows = doc.to_array(attributes).reshape(len(doc), -1).tolist()
    for first in range(len(doc)):
        following = rows[first + 1] if first + 1 < len(doc) else None
        if not pattern.may_go_on(following):
            assert set(pattern.ends(rows, first, len(doc))) <= {first + 1}


@pytest.mark.parametrize(
    ("tokens", "after_first"),
    [
        ([{"LOWER": "a"}], None),
        ([{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}], None),
        ([{"LOWER": "a"}, {"LOWER": "b"}], [{"b"}]),
        ([{"LOWER": "a"}, {"LOWER": "b", "OP": "*"}, {"LOWER": "c", "OP": "+"}], [{"b"}, {"c"}]),
        ([{"LOWER": "a", "OP": "?"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "c"}], None),
        ([{"LOWER": "a", "OP": "+"}, {"LOWER": "b"}], None),
    ],
)
def test_what_must_follow_the_first_token(tokens, after_first):
    from spacy.attrs import LOWER
    from spacy.strings import get_string_id

    pattern = table_pattern(1, tokens, {LOWER: 0})
    expected = (
        None
        if after_first is None
        else tuple(((0, frozenset(get_string_id(w) for w in words)),) for words in after_first)
    )
    assert pattern.after_first == expected
