"""The fast paths of line classification (:mod:`bias_audit.text.prose`) give the answers of
the patterns and loops they replace.

``reference_classify_lines`` is the classifier as it was before the fast paths (one word
search per sentence, each test by its pattern, every word lower-cased), kept here as the
oracle: on adversarial text both must return the same lines, reasons, spans and words.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.text import prose, run_ons
from bias_audit.text.prose_words import (
    BARE_LABEL,
    CLAUSE_WORD_FORMS,
    CLAUSE_WORDS,
    DUTY_VERBS,
    HEADING_STARTS,
    KNOWN_COLON,
    LABEL_START,
    LABEL_VALUE,
    LONG_SENTENCE_WORDS,
    METADATA_FIELD,
    METADATA_LABELS,
    SENTENCE_FINAL,
    WORD,
    Sentence,
    ends_sentence,
    find_words,
    starts_with_label,
)


def reference_classify_lines(
    text: str, *, split_run_ons: bool = True
) -> list[tuple[str | None, list[tuple[Sentence, list[str]]]]]:
    lines: list[tuple[str | None, list[tuple[Sentence, list[str]]]]] = []
    line_start = 0
    after_label = False
    bullet_match = prose._BULLET.match
    find_words = WORD.findall
    sentence_end = prose._SENTENCE_END.finditer
    for line in text.split("\n"):
        line_end = line_start + len(line)
        if not line or line.isspace():  # no words: nothing to classify (and no label seen)
            line_start = line_end + 1
            continue
        bullet = None if "A" <= line[0] <= "Z" else bullet_match(text, line_start, line_end)
        position = line_start if bullet is None else bullet.end()
        # Sentence ends in the line: (end of the sentence, start of the next).
        ends = [(line_end, line_end)]
        if "." in line or "!" in line or "?" in line:  # else the line is one sentence
            ends[:0] = [m.span(1) for m in sentence_end(text, position, line_end)]
        pairs: list[tuple[Sentence, list[str]]] = []
        sentence_start = position
        for end, after in ends:
            # Words hold no white space, so the unstripped span has the same words.
            found = find_words(text, sentence_start, end)
            if found:
                span = text[sentence_start:end]
                start = sentence_start + len(span) - len(span.lstrip())
                stop = sentence_start + len(span.rstrip())
                pairs.append((Sentence(start, stop, len(found)), found))
            sentence_start = after
        words = pairs[0][1] if len(pairs) == 1 else [w for _, found in pairs for w in found]
        if pairs:
            body = text[position:line_end].strip()
            labelled = LABEL_START.match(body) is not None
            bare_label = labelled and BARE_LABEL.fullmatch(body) is not None
            if bare_label:
                reason: str | None = prose.LEFT_OUT_METADATA  # "Grade" on its own line…
            elif (
                after_label
                and len(words) <= prose.METADATA_MAX_WORDS
                and not _reference_is_sentence(body, words)
            ):
                reason = prose.LEFT_OUT_METADATA  # …and its value on the next ("Band 3")
            else:
                reason = _reference_left_out_reason(
                    body, words, bullet=bullet is not None, labelled=labelled
                )
            after_label = bare_label
            if reason is None and split_run_ons:
                whole = pairs
                pairs = [
                    piece
                    for pair in whole
                    for piece in (
                        run_ons.prose_pieces(text, *pair)
                        if pair[0].words > LONG_SENTENCE_WORDS
                        else [pair]
                    )
                ]
                if not pairs:
                    reason = prose.LEFT_OUT_FRAGMENT
                    pairs = whole
            lines.append((reason, pairs))
        line_start = line_end + 1
    return lines


def _reference_is_sentence(body: str, words: list[str]) -> bool:
    return SENTENCE_FINAL.search(body) is not None and not CLAUSE_WORDS.isdisjoint(
        word.lower() for word in words
    )


def _reference_left_out_reason(
    body: str, words: list[str], *, bullet: bool, labelled: bool | None = None
) -> str | None:
    count = len(words)
    if count > LONG_SENTENCE_WORDS:
        return None  # flagged as a long sentence, so scored as one
    sentence_final = SENTENCE_FINAL.search(body) is not None
    first = words[0].lower()
    if labelled is None:
        labelled = LABEL_START.match(body) is not None
    if count <= prose.METADATA_MAX_WORDS and (
        (labelled and KNOWN_COLON.match(body) is not None)
        or (labelled and not sentence_final and METADATA_FIELD.match(body) is not None)
        or ("|" in body and re.search(r"[.!?]\s", body) is None and not sentence_final)
    ):
        return prose.LEFT_OUT_METADATA
    if (
        count <= prose.LABEL_VALUE_MAX_WORDS
        and not sentence_final
        and LABEL_VALUE.match(body) is not None
        and first not in CLAUSE_WORDS
    ):
        return prose.LEFT_OUT_METADATA
    # cheapest test first: few lines are all capitals, so the letters are rarely counted
    if (
        count <= prose.CAPS_HEADING_MAX_WORDS
        and body.upper() == body
        and sum(map(str.isalpha, body)) >= 2
    ):
        return prose.LEFT_OUT_HEADING
    has_clause_word = not CLAUSE_WORDS.isdisjoint(map(str.lower, words))
    if not bullet and not sentence_final:
        title_case = all(word[:1].isupper() or len(word) < 4 for word in words if word.isalpha())
        if (
            (count <= prose.HEADING_MAX_WORDS and (body.endswith(":") or first in HEADING_STARTS))
            or (count <= prose.CAPS_HEADING_MAX_WORDS and title_case and not has_clause_word)
            or (count <= prose.SHORT_HEADING_WORDS and not has_clause_word)
        ):
            return prose.LEFT_OUT_HEADING
    if sentence_final or has_clause_word:
        return None
    # "Help patients to wash" starts with a duty verb; "Care Certificate" (a capitalised
    # second word) is a name, not a verb and its object.
    if first in DUTY_VERBS and count >= 2 and not words[1][:1].isupper():
        return None
    return prose.LEFT_OUT_FRAGMENT


# Pieces that sit on the edges the fast paths rely on: labels in odd cases and with the
# characters re's case folding matches ("ſ", "K", "İ", "ı"), clause words, stops and closers
# with and without white space after them, bullet markers, colons, bars and odd white space.
PIECES = [
    "Band",
    "band",
    "BAND",
    "Grade",
    "Closing date",
    "closing DATE",
    "ſalary",
    "Contract",
    "Pay",
    "pa",
    "Ref",
    "Job ref",
    "Agenda for change band",
    "K",
    "İt",
    "ıs",
    "Is",
    "yOU",
    "WE",
    "will",
    "shall",
    "Help",
    "patients",
    "Care",
    "Certificate",
    "About",
    "ABOUT THE ROLE",
    "Duties include",
    "Person specification",
    "care",
    "and",
    "Must",
    "The",
    "e.g.",
    "won't",
    "care-home",
    "£24,071",
    "3",
    ":",
    ".",
    "!",
    "?",
    "...",
    ")",
    "'",
    "’",
    "”",
    "]",
    '"',
    "|",
    ";",
    "•",
    "_",
    "- ",
    "1. ",
    "a) ",
    "(b) ",
    " ",
    " ",
    " ",
    "  ",
    "\t",
    "\r",
    "\xa0",
    "\u2028",
    "\x1c",
    "\n",
    "\n",
    "\n\n",
]


TEXTS = st.lists(st.sampled_from(PIECES), max_size=90).map("".join)


@settings(max_examples=50, deadline=None)
@given(TEXTS, st.booleans())
def test_classify_lines_gives_the_reference_answers(text, split_run_ons):
    fast = prose.classify_lines(text, split_run_ons=split_run_ons)
    assert fast == reference_classify_lines(text, split_run_ons=split_run_ons)


@pytest.mark.parametrize(
    "text",
    [
        "- Wash patients\nWe train you.",
        "  Indented line with words.  \n\t- \n-  \n• Care Certificate",
        "1. First. Second one!  Third?)  \n... So it goes. ",
        "... Hello world",
        "Grade\nBand 3\nClosing date\nWe will train you.\n",
        "ſalary: £24,071\nKontract: permanent\nİt is here.\nıs it?",
        "Salary: £24,071 | Band 3 | Full time\nPay\n\nPay\n---\nBand 3",
        "ABOUT THE ROLE\nWhat you will do\nDuties include:\nHelp patients to wash",
        " ".join(["care"] * 30) + ". We train you.  " + " ".join(["Care"] * 27),
        "We are a small home Your role will include: Helping at meals " * 3,
        "Done.  \nDone. ) \nDone .\r\nDone!\u2028next",
        "Wash patients. Help them  \nCare Certificate\t\n•  Move. Lift \r",
        "ſite\nMain building\n\u212aontract\nPermanent\nİnterview date\nSoon",
    ],
)
def test_classify_lines_on_hand_picked_edges(text):
    for split_run_ons in (True, False):
        fast = prose.classify_lines(text, split_run_ons=split_run_ons)
        assert fast == reference_classify_lines(text, split_run_ons=split_run_ons)


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=".!?\"'’”)] \t\n\r\x0b\xa0a:", max_size=12))
def test_ends_sentence_is_the_pattern(body):
    assert ends_sentence(body) == (SENTENCE_FINAL.search(body) is not None)


LABEL_LIKE = st.sampled_from(METADATA_LABELS).flatmap(
    lambda label: st.lists(
        st.sampled_from(["lower", "upper", "ſ", "K", "İ", "ı", "cut"]),
        min_size=len(label),
        max_size=len(label),
    ).map(lambda changes: _respell(label, changes))
)


def _respell(label: str, changes: list[str]) -> str:
    out = []
    for char, change in zip(label, changes, strict=True):
        if change == "upper":
            out.append(char.upper())
        elif change == "lower":
            out.append(char)
        elif change == "cut":
            return "".join(out)
        else:
            out.append(change)
    return "".join(out)


@settings(max_examples=50, deadline=None)
@given(LABEL_LIKE, st.sampled_from(["", " 3", ": Band 3", "s", "é", "\n"]))
def test_starts_with_label_is_the_pattern(label, rest):
    body = label + rest
    assert starts_with_label(body) == (LABEL_START.match(body) is not None)
    # the three-letter test in classify_lines rules out no line the pattern would match
    head = body[: prose.LABEL_HEAD]
    if LABEL_START.match(body) is not None:
        assert head.lower() in prose.LABEL_HEADS or not head.isascii()


def test_no_character_outside_ascii_lowers_into_a_clause_word():
    letters = set("".join(CLAUSE_WORDS))
    assert all(word.isascii() for word in CLAUSE_WORDS)
    lowers_to_ascii = [char for char in map(chr, range(0x80, 0x110000)) if char.lower().isascii()]
    assert lowers_to_ascii == ["\u212a"]  # KELVIN SIGN -> "k"
    assert not letters & set("".join(char.lower() for char in lowers_to_ascii))


ODD_WORDS = ["İs", "ıt", "\u212aan", "ſhe", "you'", "wills", "w", "", "Kan"]


WORDS_IN_ANY_CASE = st.lists(
    st.tuples(
        st.sampled_from([*sorted(CLAUSE_WORDS), *ODD_WORDS]),
        st.lists(st.booleans(), min_size=6, max_size=6),
    ).map(lambda pair: "".join(c.upper() if up else c for c, up in zip(*pair, strict=False))),
    max_size=4,
)


@settings(max_examples=50, deadline=None)
@given(WORDS_IN_ANY_CASE)
def test_clause_word_forms_are_the_lower_case_test(words):
    assert (not CLAUSE_WORD_FORMS.isdisjoint(words)) == (
        not CLAUSE_WORDS.isdisjoint(word.lower() for word in words)
    )


def test_isalnum_is_the_word_class_and_white_space_is_never_in_a_word():
    word_char = re.compile(r"[^\W_]")
    for char in map(chr, range(0x110000)):
        assert char.isalnum() == (word_char.fullmatch(char) is not None), hex(ord(char))
        if char.isspace():
            assert not char.isalnum() and char not in "'’.-", hex(ord(char))


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="ab1²½é_'’.-,;:!?)”\"()£/ \t\n\xa0\u2028\u0301", max_size=40))
def test_find_words_is_the_word_pattern(span):
    assert find_words(span) == WORD.findall(span)
