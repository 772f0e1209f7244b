"""The wording analyser: exclusionary or off-putting words, and the advert's gender coding.

All words live in the lexicons (``gender_masculine``, ``gender_feminine``, ``gendered_terms``,
``age``, ``disability``, ``nationality_race_religion``, ``jargon``, ``cliche``,
``health_screening``, ``sexual_orientation``, ``process_barriers``); this module
only chooses the categories and summarises the gender-coded words into a verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc

from bias_audit.lexicon import Lexicon
from bias_audit.text.matching import match_categories
from bias_audit.types import Finding

MASCULINE = "gender_masculine"
FEMININE = "gender_feminine"
WORDING_CATEGORIES = (
    MASCULINE,
    FEMININE,
    "gendered_terms",
    "age",
    "disability",
    "nationality_race_religion",
    "jargon",
    "cliche",
    "health_screening",
    "sexual_orientation",
    "process_barriers",
)

#: A difference of this many coded words (or more) makes an advert "strongly" coded.
STRONG_DIFFERENCE = 4

GenderVerdict = Literal[
    "strongly masculine", "masculine", "neutral", "feminine", "strongly feminine"
]

GAUCHER_CITATION = (
    "Gaucher, D., Friesen, J. & Kay, A. C. (2011). Evidence that gendered wording in job "
    "advertisements exists and sustains gender inequality. Journal of Personality and Social "
    "Psychology, 101(1), 109-128, Appendix A. https://doi.org/10.1037/a0022530"
)
GENDER_EXPLANATION = (
    "This advert reads as {verdict}: it uses {masculine} masculine-coded and {feminine} "
    "feminine-coded words from the word lists of {citation}. The verdict compares the two "
    "counts: equal counts are neutral; 1 to {coded_max} more words of one kind make the "
    "advert masculine- or feminine-coded; {strong} or more make it strongly coded. Words in "
    'NHS job titles, employer names and headings ("support worker", "NHS Trust", '
    '"Responsibilities") are not counted. Masculine-coded wording lowered women\'s interest '
    "in the jobs studied; later field studies found smaller effects (Castilla & Rho, 2023, "
    "Management Science 69(11)), so treat this as a prompt to review wording, not a score "
    "to hit."
)


@dataclass(frozen=True, slots=True)
class GenderCoding:
    """The gender-coded words of an advert and the verdict they add up to."""

    verdict: GenderVerdict
    masculine: list[str]
    feminine: list[str]
    explanation: str

    def to_dict(self) -> dict[str, object]:
        """Plain-JSON form used by the CLI and the reports."""
        return {
            "verdict": self.verdict,
            "masculine": list(self.masculine),
            "feminine": list(self.feminine),
            "explanation": self.explanation,
        }


def find_wording(doc: Doc, lexicon: Lexicon) -> list[Finding]:
    """Flag gender-coded, gendered, age, disability, nationality, jargon and cliché wording.

    Parameters
    ----------
    doc
        A Doc from :func:`bias_audit.text.pipeline.get_pipeline`.
    lexicon
        The loaded lexicon (:func:`bias_audit.lexicon.load_lexicon`).

    Returns
    -------
    list of Finding
        Sorted by ``(start, -severity)``; ``finding.text == doc.text[start:end]``.

    Examples
    --------
    >>> from bias_audit.lexicon import load_lexicon
    >>> from bias_audit.text.pipeline import get_pipeline
    >>> doc = get_pipeline()("We want a native English speaker for our young team.")
    >>> [(f.category, f.text) for f in find_wording(doc, load_lexicon())]
    [('nationality_race_religion', 'native English speaker'), ('age', 'young team')]
    """
    return match_categories(doc, lexicon, categories=WORDING_CATEGORIES)


def gender_coding(
    doc: Doc, lexicon: Lexicon, *, findings: Sequence[Finding] | None = None
) -> GenderCoding:
    """Count the advert's masculine- and feminine-coded words and give a verdict.

    Parameters
    ----------
    doc
        A Doc from :func:`bias_audit.text.pipeline.get_pipeline`.
    lexicon
        The loaded lexicon.
    findings
        Findings already computed by :func:`find_wording` on the same doc, to save matching
        twice; ``None`` matches the two gender categories afresh.

    Returns
    -------
    GenderCoding
        ``verdict`` from the difference between the counts (see ``STRONG_DIFFERENCE``), the
        matched words in text order, and a plain-English explanation with the citation.

    Examples
    --------
    >>> from bias_audit.lexicon import load_lexicon
    >>> from bias_audit.text.pipeline import get_pipeline
    >>> coding = gender_coding(get_pipeline()("A kind, warm and honest carer."), load_lexicon())
    >>> coding.verdict, coding.feminine
    ('feminine', ['kind', 'warm', 'honest'])
    """
    if findings is None:
        findings = match_categories(doc, lexicon, categories=(MASCULINE, FEMININE))
    masculine = [f.text for f in findings if f.category == MASCULINE]
    feminine = [f.text for f in findings if f.category == FEMININE]
    verdict = gender_verdict(len(masculine), len(feminine))
    explanation = GENDER_EXPLANATION.format(
        verdict=verdict,
        masculine=len(masculine),
        feminine=len(feminine),
        citation=GAUCHER_CITATION,
        coded_max=STRONG_DIFFERENCE - 1,
        strong=STRONG_DIFFERENCE,
    )
    return GenderCoding(verdict, masculine, feminine, explanation)


def gender_verdict(masculine: int, feminine: int) -> GenderVerdict:
    """Turn the two counts into one of the five verdicts.

    Examples
    --------
    >>> gender_verdict(5, 1), gender_verdict(2, 3), gender_verdict(0, 0)
    ('strongly masculine', 'feminine', 'neutral')
    """
    difference = feminine - masculine
    if difference >= STRONG_DIFFERENCE:
        return "strongly feminine"
    if difference > 0:
        return "feminine"
    if difference <= -STRONG_DIFFERENCE:
        return "strongly masculine"
    if difference < 0:
        return "masculine"
    return "neutral"
