"""Which lines of an advert are prose: line classification, sentence spans and run-on pieces.

Readability (:mod:`bias_audit.text.readability`) is scored on **prose only**. Job-board lines
are not sentences a reader reads as prose, and counting them as sentences moves the reading age
away from what the prose reads (each "Band: 3" line is a very short sentence; issue 8 found
prose reading 15–16 on NHS adverts scored 11). Every line break (and so every bullet) ends a
sentence. Each line with words is one of:

- **metadata**: a job-board field, "Grade: Band 3", "Closing date 12 March", "Salary: £24,071
  a year", "Job reference 123-ABC" (a known label, with or without a colon, up to
  :data:`METADATA_MAX_WORDS` words), any short "label: value" line with no full stop, or a
  line of fields separated by ``|``; a known label alone on its line (NHS Jobs writes
  "Grade" on one line and "Band 3" on the next) and the value line after it;
- **heading** (a line with no bullet marker and no full stop): an ALL-CAPS line; a line of up
  to :data:`HEADING_MAX_WORDS` words that ends in a colon ("Duties include:") or starts
  "About", "What", "Why", "How", "Our", "Your", "Key", "Main", "Job", "Working"… ("What you
  will do", "Working for our organisation"); a
  Title Case line with no verb ("Senior Healthcare Support Worker, Band 3"); or a line of up
  to :data:`SHORT_HEADING_WORDS` words with no verb ("Person specification");
- **list fragment**: a list item, with or without a bullet marker, that is not a sentence.
  A line is a sentence, and scored, if it ends with a full stop, question or exclamation
  mark, or has a verb: a pronoun, auxiliary or modal ("you", "we", "is", "will", "can"…) or
  a first word that is a common duty verb followed by a lower-case word ("Help patients to
  wash", "Record fluid charts"; not "Care Certificate"). So a bullet item is its own sentence
  only if it is one; "Full UK driving licence" and "GCSE English and maths at grade 4" are
  fragments. A line over ``LONG_SENTENCE_WORDS`` (:mod:`bias_audit.text.prose_words`) words
  is prose (below);
- **prose**: everything else, split into sentences as above. A sentence over
  ``LONG_SENTENCE_WORDS`` words is first cut where stripped bullets ran a list, its heading or
  job-board fields into it (:func:`bias_audit.text.run_ons.run_on_pieces`: two spaces, an
  inline bullet or semicolon, a run-in "Label:" heading, a capitalised item start after a
  lower-case word,
  a heading in capitals); each piece that is prose is a sentence, and the others are left
  out. A line whose pieces are all list items, headings or fields is a list fragment.

The verb test is a word list, not a parser (the offline pipeline has no part-of-speech
tagger), so a verbless sentence-like item ("Experience of caring for people") is a fragment.
Metadata, headings and list fragments are left out and counted by reason
(:func:`prose_sentences`, :data:`LEFT_OUT_REASONS`).
"""

from __future__ import annotations

import re
from functools import partial

from bias_audit.text.prose_words import (
    BARE_LABEL,
    CLAUSE_WORD_FORMS,
    CLAUSE_WORDS,
    DUTY_VERBS,
    HEADING_STARTS,
    KNOWN_COLON,
    LABEL_HEAD,
    LABEL_HEADS,
    LABEL_VALUE,
    LONG_SENTENCE_WORDS,
    METADATA_FIELD,
    SENTENCE_CLOSERS,
    SENTENCE_STOPS,
    Sentence,
    ends_sentence,
    find_words,
    starts_with_label,
)
from bias_audit.text.run_ons import prose_pieces

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) and whitespace,
# or at a line break. Bullet markers at the start of a line are not words.
# Group 1 is the gap between two sentences (the stop itself stays in the first; a leading
# character class rather than a look-behind lets the engine skip to the next stop fast).
_SENTENCE_END = re.compile(r"[.!?]([\"')\]]*[^\S\n]+)")


_new_sentence = partial(tuple.__new__, Sentence)
"""``Sentence(start, end, words)`` from a tuple of the three, without the named tuple's
Python-level ``__new__`` (the same object; one per sentence)."""


_BULLET = re.compile(r"\s*(?:[-*•·▪●◦‣–—]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


METADATA_MAX_WORDS = 16
"""Longest line read as a job-board field ("Salary: £24,071 to £25,674 a year pro rata")."""


LABEL_VALUE_MAX_WORDS = 12
"""Longest "label: value" line with an unknown label left out as metadata."""


HEADING_MAX_WORDS = 6
"""Longest line ending in a colon, or starting "About", "What"…, read as a heading."""


SHORT_HEADING_WORDS = 3
"""A line this short with no full stop and no verb is a heading ("Person specification")."""


CAPS_HEADING_MAX_WORDS = 12
"""Longest ALL-CAPS line read as a heading."""


LEFT_OUT_METADATA = "metadata"


LEFT_OUT_HEADING = "heading"


LEFT_OUT_FRAGMENT = "list_fragment"


LEFT_OUT_REASONS = (LEFT_OUT_METADATA, LEFT_OUT_HEADING, LEFT_OUT_FRAGMENT)


def split_sentences(text: str) -> list[Sentence]:
    """Sentence spans, treating every line break (and so every bullet) as a sentence end.

    Leading bullet markers ("-", "•", "1.", "a)") and surrounding spaces are left out of each
    span.

    >>> [(s.start, s.end, s.words) for s in split_sentences("- Wash patients\\nWe train you.")]
    [(2, 15, 2), (16, 29, 3)]
    """
    return [sentence for sentence, _ in _sentences_and_words(text)]


def _sentences_and_words(text: str) -> list[tuple[Sentence, list[str]]]:
    """:func:`split_sentences`, with each sentence's words."""
    return [pair for _, pairs in classify_lines(text, split_run_ons=False) for pair in pairs]


def classify_lines(
    text: str, *, split_run_ons: bool = True
) -> list[tuple[str | None, list[tuple[Sentence, list[str]]]]]:
    """Each line with words: why it is left out of the scores (``None`` for prose), and its
    sentences with their words.

    With ``split_run_ons`` (the default), a prose sentence over :data:`LONG_SENTENCE_WORDS`
    words is replaced by its prose pieces (:func:`run_on_pieces`); a line whose pieces are
    all list items, headings or fields is a list fragment."""
    lines: list[tuple[str | None, list[tuple[Sentence, list[str]]]]] = []
    line_start = 0
    after_label = False
    bullet_match = _BULLET.match
    # Every sentence end of the text in one pass: (end of a sentence, start of the next).
    # A match never crosses a line break, so each lies in one line; one that starts before a
    # line's text is the stop of a "1. " bullet marker (the marker's white space runs to the
    # text, as the match's does), so it is passed over, and the search from there on finds
    # what a search of the line's text alone finds. The last entry is a stop past the text.
    all_gaps = [m.span(1) for m in _SENTENCE_END.finditer(text)]
    all_gaps.append((len(text) + 1, len(text) + 1))
    next_gap = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        if not line or line.isspace():  # no words: nothing to classify (and no label seen)
            line_start = line_end + 1
            continue
        bullet = None if "A" <= line[0] <= "Z" else bullet_match(text, line_start, line_end)
        position = line_start if bullet is None else bullet.end()
        gaps = None  # sentence ends in the line
        if all_gaps[next_gap][0] < line_end:
            while all_gaps[next_gap][0] < position:  # earlier lines' and the bullet's
                next_gap += 1
            gaps = []
            while all_gaps[next_gap][0] < line_end:
                gaps.append(all_gaps[next_gap])
                next_gap += 1
        offset = position - line_start
        if offset == len(line):  # a bullet marker alone: no words
            line_start = line_end + 1
            continue
        if line[offset].isspace():  # else the line has no white space to strip at its start
            offset = len(line) - len(line[offset:].lstrip())
        body_start = line_start + offset  # the line without its bullet marker, stripped
        body_end = line_start + len(line.rstrip())
        body = text[body_start:body_end]
        pairs: list[tuple[Sentence, list[str]]] = []
        if not gaps:  # most lines are one sentence
            words = find_words(body)
            if words:
                pairs.append((_new_sentence((body_start, body_end, len(words))), words))
        else:
            words = []
            sentence_start = body_start
            gaps.append((body_end, body_end))
            for end, after in gaps:
                found = find_words(text[sentence_start:end])
                if found:
                    # A gap ends just after its stop and runs to the next character that is
                    # not white space, so each sentence's span is already stripped.
                    pairs.append((_new_sentence((sentence_start, end, len(found))), found))
                    words += found
                sentence_start = after
        if pairs:
            head = body[:LABEL_HEAD]
            # A label is ASCII and at least LABEL_HEAD letters long: most lines are ruled out
            # by their first letters, lower-cased, before the labels are tried.
            labelled = (head.lower() in LABEL_HEADS or not head.isascii()) and starts_with_label(
                body
            )
            bare_label = labelled and BARE_LABEL.fullmatch(body) is not None
            if bare_label:
                reason: str | None = LEFT_OUT_METADATA  # "Grade" on its own line…
            elif after_label and len(words) <= METADATA_MAX_WORDS and not _is_sentence(body, words):
                reason = LEFT_OUT_METADATA  # …and its value on the next ("Band 3")
            else:
                # ends_sentence(body) inline: the body has no white space to strip
                final = body.rstrip(SENTENCE_CLOSERS).endswith(SENTENCE_STOPS)
                reason = _left_out_reason(
                    body, words, bullet=bullet is not None, labelled=labelled, sentence_final=final
                )
            after_label = bare_label
            # a line of at most LONG_SENTENCE_WORDS words has no long sentence to cut
            if reason is None and split_run_ons and len(words) > LONG_SENTENCE_WORDS:
                whole = pairs
                pairs = [
                    piece
                    for pair in whole
                    for piece in (
                        prose_pieces(text, *pair) if pair[0].words > LONG_SENTENCE_WORDS else [pair]
                    )
                ]
                if not pairs:
                    reason = LEFT_OUT_FRAGMENT
                    pairs = whole
            lines.append((reason, pairs))
        line_start = line_end + 1
    return lines


def _is_sentence(body: str, words: list[str]) -> bool:
    """A full sentence: it ends with a full stop (or ? !) and has a pronoun, auxiliary or modal."""
    return ends_sentence(body) and not CLAUSE_WORD_FORMS.isdisjoint(words)


def _left_out_reason(
    body: str,
    words: list[str],
    *,
    bullet: bool,
    labelled: bool | None = None,
    sentence_final: bool | None = None,
) -> str | None:
    """Why a line (bullet marker removed) is not scored as prose, or ``None`` if it is.

    ``labelled`` says whether the line starts with a known label, and ``sentence_final``
    whether it ends with a full stop, ? or ! (each worked out when ``None``).

    >>> [_left_out_reason(b, b.split(), bullet=False) for b in
    ...  ["Closing date: 12 March 2026", "About the role", "We train you."]]
    ['metadata', 'heading', None]
    """
    count = len(words)
    if count > LONG_SENTENCE_WORDS:
        return None  # flagged as a long sentence, so scored as one
    if sentence_final is None:
        sentence_final = ends_sentence(body)
    first = words[0].lower()
    if labelled is None:
        labelled = starts_with_label(body)
    if count <= METADATA_MAX_WORDS and (
        (labelled and KNOWN_COLON.match(body) is not None)
        or (labelled and not sentence_final and METADATA_FIELD.match(body) is not None)
        or ("|" in body and re.search(r"[.!?]\s", body) is None and not sentence_final)
    ):
        return LEFT_OUT_METADATA
    if (
        count <= LABEL_VALUE_MAX_WORDS
        and not sentence_final
        and ":" in body  # the pattern needs one; most lines have none
        and LABEL_VALUE.match(body) is not None
        and first not in CLAUSE_WORDS
    ):
        return LEFT_OUT_METADATA
    # cheapest test first: few lines are all capitals, so the letters are rarely counted
    if (
        count <= CAPS_HEADING_MAX_WORDS
        and body.upper() == body
        and sum(map(str.isalpha, body)) >= 2
    ):
        return LEFT_OUT_HEADING
    has_clause_word = not CLAUSE_WORD_FORMS.isdisjoint(words)
    if (
        not bullet
        and not sentence_final
        and (
            (count <= HEADING_MAX_WORDS and (body.endswith(":") or first in HEADING_STARTS))
            # the title-case test walks every word, so it comes last
            or (
                not has_clause_word
                and (
                    count <= SHORT_HEADING_WORDS
                    or (count <= CAPS_HEADING_MAX_WORDS and _title_case(words))
                )
            )
        )
    ):
        return LEFT_OUT_HEADING
    if sentence_final or has_clause_word:
        return None
    # "Help patients to wash" starts with a duty verb; "Care Certificate" (a capitalised
    # second word) is a name, not a verb and its object.
    if first in DUTY_VERBS and count >= 2 and not words[1][:1].isupper():
        return None
    return LEFT_OUT_FRAGMENT


def _title_case(words: list[str]) -> bool:
    """Every word of letters capitalised, short words ("and", "of") apart."""
    return all(word[:1].isupper() or len(word) < 4 for word in words if word.isalpha())


def prose_sentences(
    text: str,
) -> tuple[list[tuple[Sentence, list[str]]], dict[str, int]]:
    """The sentences scored for readability, with their words, and the lines left out.

    Returns the prose sentences (each with its words) and, per reason (``metadata``,
    ``heading``, ``list_fragment``), how many lines were left out. See the module docstring
    for the rules.

    >>> used, left_out = prose_sentences("Band: 3\\nAbout you\\n- Care Certificate\\nWe train you.")
    >>> [s.words for s, _ in used], left_out
    ([3], {'metadata': 1, 'heading': 1, 'list_fragment': 1})
    """
    used: list[tuple[Sentence, list[str]]] = []
    left_out = dict.fromkeys(LEFT_OUT_REASONS, 0)
    for reason, pairs in classify_lines(text):
        if reason is None:
            used.extend(pairs)
        else:
            left_out[reason] += 1
    return used, left_out
