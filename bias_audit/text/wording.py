"""The wording analyser: exclusionary or off-putting words, and the advert's gender coding.

All words live in the lexicons (``gender_masculine``, ``gender_feminine``, ``gendered_terms``,
``age``, ``disability``, ``nationality_race_religion``, ``jargon``, ``cliche``,
``health_screening``, ``sexual_orientation``, ``process_barriers``); this module
only chooses the categories and summarises the gender-coded words into a verdict.

Gender coding follows Gaucher, Friesen & Kay (2011), who coded the wording that describes the
applicant sought and the organisation. So a coded word counts only where
:mod:`bias_audit.text.context` places it in a description of the applicant (``candidate``) or
of the employer and team (``organisation``); in duty lists, descriptions of patients, services
and conditions, NHS or employer values, notices, headings and job-board fields it is listed
under ``excluded`` with the reason. The thresholds, stated once here and tested:

* **Score**: feminine-coded minus masculine-coded words counted, per ``REFERENCE_WORDS`` (100)
  words of candidate and organisation language; a text with fewer such words counts as 100
  words, so one word in a short advert is one point, not ten.
* **Verdict**: a score of ``LEAN_SCORE`` (1) or more either way leans masculine or feminine;
  ``STRONG_DIFFERENCE`` (4) or more is strongly coded. With fewer than
  ``MIN_WORDS_CONSIDERED`` (20) words of candidate and organisation language the verdict is
  neutral, with "too little text to judge" in the explanation (``enough_text`` false).
* **Findings**: single coded words are never findings (they appear in the gauge and the word
  lists). A *masculine-coded run* is a stretch of candidate and organisation language holding
  ``MASCULINE_RUN_MIN_WORDS`` (3) or more different masculine-coded words (by lexicon entry)
  and at least ``MASCULINE_RUN_RATIO`` (2) times as many counted masculine-coded words as
  feminine-coded ones (none feminine also qualifies). Two stretches are tried, the wider first:

  1. a *description*: the text from one heading of a section about something else (duties,
     notices, ...) to the next, or the whole advert if there is none; headings of sections
     about the applicant or the employer ("About you", "About us") do not end it, and only
     its candidate and organisation words count. Sentences about the role between
     descriptions of the person ("As Sales Negotiator, you will work closely ...") do not
     break the description, as they do not in the reader's mind;
  2. if the description as a whole does not qualify, each *passage* in it: consecutive
     candidate or organisation sentences or bullets with only white space between.

  Each run is one finding (``gender-masculine-run``, medium), from its first to its last
  masculine-coded word. A feminine-coded word does not undo a masculine one (Study 3 below),
  so a run needs masculine wording to dominate, not to stand alone.

Gaucher et al.'s Study 3 found that masculine wording lowered women's interest in a job,
while feminine wording did not lower men's, so a feminine-leaning verdict is described as not
a barrier by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from spacy.tokens import Doc

from bias_audit.lexicon import Lexicon, LexiconEntry
from bias_audit.text.context import segment
from bias_audit.text.context_blocks import DESCRIBING_KINDS, Block, Segments
from bias_audit.text.matching import match_categories
from bias_audit.types import Finding, Severity

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

GENDER_CATEGORIES = (MASCULINE, FEMININE)

#: The score is a difference per this many words of candidate and organisation language.
REFERENCE_WORDS = 100
#: A score this far from zero (either way) leans masculine or feminine.
LEAN_SCORE = 1
#: A score this far from zero (or further) is strongly coded.
STRONG_DIFFERENCE = 4
#: Below this many words describing the applicant or the employer, no verdict is given.
MIN_WORDS_CONSIDERED = 20
#: Different masculine-coded words (lexicon entries) in one stretch that make a run.
MASCULINE_RUN_MIN_WORDS = 3
#: In a run, counted masculine-coded words are at least this many times the feminine ones.
MASCULINE_RUN_RATIO = 2
MASCULINE_RUN_ID = "gender-masculine-run"

GenderVerdict = Literal[
    "strongly masculine", "masculine", "neutral", "feminine", "strongly feminine"
]

GAUCHER_CITATION = (
    "Gaucher, D., Friesen, J. & Kay, A. C. (2011). Evidence that gendered wording in job "
    "advertisements exists and sustains gender inequality. Journal of Personality and Social "
    "Psychology, 101(1), 109-128, Appendix A. https://doi.org/10.1037/a0022530"
)
GENDER_DECODER_CITATION = (
    "Matfield, K. Gender Decoder (MIT licence), app/wordlists.py: words added to the Gaucher "
    "et al. (2011) lists. https://github.com/lovedaybrooke/gender-decoder"
)
#: Short names of the word lists, by the ``list`` key of the lexicon entries.
WORD_LIST_NAMES = {
    "gaucher2011": "Gaucher, Friesen & Kay (2011), Appendix A",
    "gender-decoder": "Gender Decoder (Kat Matfield)",
}
#: Why a coded word was not counted, by the kind of text it stands in.
EXCLUDED_BECAUSE = {
    "duties": "a duty of the post, not a description of the applicant",
    "patients": "describes patients, service users, their conditions or services",
    "values": "names an NHS Constitution or employer value",
    "boilerplate": "part of a standard notice (equal opportunities, visas, checks, applying)",
    "metadata": "a job-board field",
    "heading": "a heading",
    "other": "not in a description of the applicant or the employer",
}

GENDER_EXPLANATION = (
    "This advert reads as {verdict}. Coded words are counted only where the advert describes "
    "the applicant or the employer: {words} words here. There, {masculine} masculine-coded "
    "and {feminine} feminine-coded words were found, a score of {score:+.1f} (feminine minus "
    "masculine, per {reference} words; shorter texts count as {reference} words). A score of "
    "{lean} or more either way leans that way; {strong} or more is strongly coded. "
    "{excluded} coded words in duties, descriptions of patients and services, values and "
    "notices were left out. Word lists: {lists}. {evidence} Later field studies found "
    "smaller effects (Castilla & Rho, 2023, Management Science 69(11)), so treat this as a "
    "prompt to review wording, not a score to hit."
)
TOO_LITTLE_TEXT = (
    "There is too little text describing the applicant or the employer to judge gender "
    "coding: {words} words, and at least {minimum} are needed. Coded words elsewhere (duties, "
    "patients and services, values, notices) are not counted. Word lists: {lists}."
)
EVIDENCE_MASCULINE = (
    "In Gaucher et al.'s Study 3, masculine-coded wording made jobs less appealing to women, "
    "who expected to belong less; consider plainer words for the traits the job needs."
)
EVIDENCE_FEMININE = (
    "In Gaucher et al.'s Study 3, feminine-coded wording did not make jobs less appealing to "
    "men, so this is not a barrier by itself."
)
EVIDENCE_NEUTRAL = "Neither kind of wording dominates."
MASCULINE_RUN_EXPLANATION = (
    "This description of the person you want or of the employer uses {count} different "
    "masculine-coded words ({words}) against {feminine} feminine-coded. In Gaucher et al.'s "
    "Study 3, wording like this made jobs less appealing to women, who expected to belong "
    "less there; feminine-coded words do not undo it. Consider describing what the job "
    "involves instead of traits, or plainer words. Word lists: {lists}."
)


class CodedWord(NamedTuple):
    """One gender-coded word: where it is, which list it comes from, and whether it counts.

    ``context`` is the kind of text it stands in (:mod:`bias_audit.text.context`);
    ``reason`` says why an uncounted word was left out (empty when counted). A named tuple
    (immutable, and made several times faster than a frozen dataclass).
    """

    text: str
    start: int
    end: int
    coding: Literal["masculine", "feminine"]
    rule_id: str
    word_list: str
    context: str
    reason: str = ""

    def to_dict(self) -> dict[str, object]:
        """Plain-JSON form."""
        data: dict[str, object] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "coding": self.coding,
            "list": self.word_list,
            "context": self.context,
        }
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass(frozen=True, slots=True)
class GenderCoding:
    """The gender-coded words of an advert and the verdict they add up to.

    ``masculine`` and ``feminine`` are the counted words, in text order; ``words`` holds the
    same with their positions and lists, ``excluded`` the coded words left out and why;
    ``runs`` the masculine-coded runs, as findings.
    """

    verdict: GenderVerdict
    masculine: list[str]
    feminine: list[str]
    explanation: str
    words_considered: int | None = None
    score: float = 0.0
    enough_text: bool = True
    words: tuple[CodedWord, ...] = ()
    excluded: tuple[CodedWord, ...] = ()
    runs: tuple[Finding, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        """Plain-JSON form used by the CLI and the reports."""
        considered = self.words_considered
        return {
            "verdict": self.verdict,
            "masculine": list(self.masculine),
            "feminine": list(self.feminine),
            "explanation": self.explanation,
            "words_considered": considered,
            "score": round(self.score, 2),
            "per_1000": None
            if not considered
            else {
                "masculine": round(1000 * len(self.masculine) / considered, 1),
                "feminine": round(1000 * len(self.feminine) / considered, 1),
            },
            "enough_text": self.enough_text,
            "words": [word.to_dict() for word in self.words],
            "excluded": [word.to_dict() for word in self.excluded],
            "masculine_runs": [{"start": f.start, "end": f.end} for f in self.runs],
        }


def shown_findings(matches: Sequence[Finding], coding: GenderCoding) -> list[Finding]:
    """The wording matches a reader sees: all but single gender-coded words, plus the runs."""
    shown = [f for f in matches if f.category not in GENDER_CATEGORIES]
    shown.extend(coding.runs)
    shown.sort(key=lambda f: (f.start, -f.severity, f.end))
    return shown


def gender_coding(
    doc: Doc,
    lexicon: Lexicon,
    *,
    findings: Sequence[Finding] | None = None,
    segments: Segments | None = None,
) -> GenderCoding:
    """Count the gender-coded words that describe the applicant or employer; give a verdict.

    Parameters
    ----------
    doc
        A Doc from :func:`bias_audit.text.pipeline.get_pipeline`.
    lexicon
        The loaded lexicon.
    findings
        Matches already computed by :func:`bias_audit.text.matching.match_categories` on
        the same doc (other categories are ignored); ``None`` matches afresh.
    segments
        :func:`bias_audit.text.context.segment` of the same doc; ``None`` segments afresh.

    Returns
    -------
    GenderCoding
        The verdict (thresholds in the module docstring), the counted words in text order,
        the excluded words with reasons, the masculine-coded runs, and an explanation that
        credits each word list.

    Examples
    --------
    >>> from bias_audit.lexicon import load_lexicon
    >>> from bias_audit.text.pipeline import get_pipeline
    >>> text = ("About you\\nYou are a kind, warm and honest carer who enjoys helping people "
    ...         "and talking with them every day, in a calm and friendly way.\\n"
    ...         "Our values are compassion and respect.")
    >>> coding = gender_coding(get_pipeline()(text), load_lexicon())
    >>> coding.verdict, coding.feminine, coding.words_considered
    ('feminine', ['kind', 'warm', 'honest'], 24)
    >>> [(w.text, w.context) for w in coding.excluded]
    [('compassion', 'values')]
    """
    if findings is None:
        findings = match_categories(doc, lexicon, categories=GENDER_CATEGORIES)
    if segments is None:
        segments = segment(doc)
    entries = _entries(lexicon)
    counted: list[CodedWord] = []
    excluded: list[CodedWord] = []
    for finding in findings:
        if finding.category not in GENDER_CATEGORIES:
            continue
        kind = segments.kind_at(finding.start)
        entry = entries.get(finding.rule_id)
        word = CodedWord(
            text=finding.text,
            start=finding.start,
            end=finding.end,
            coding="masculine" if finding.category == MASCULINE else "feminine",
            rule_id=finding.rule_id,
            word_list=_list_name(entry),
            context=kind,
            reason="" if kind in DESCRIBING_KINDS else EXCLUDED_BECAUSE.get(kind, kind),
        )
        (counted if kind in DESCRIBING_KINDS else excluded).append(word)
    masculine = [w.text for w in counted if w.coding == "masculine"]
    feminine = [w.text for w in counted if w.coding == "feminine"]
    considered = segments.word_count(DESCRIBING_KINDS)
    verdict = gender_verdict(len(masculine), len(feminine), words_considered=considered)
    score = gender_score(len(masculine), len(feminine), words_considered=considered)
    lists = _lists_text(counted)
    enough = considered >= MIN_WORDS_CONSIDERED
    if not enough:
        explanation = TOO_LITTLE_TEXT.format(
            words=considered, minimum=MIN_WORDS_CONSIDERED, lists=lists
        )
    else:
        evidence = EVIDENCE_NEUTRAL
        if "masculine" in verdict:
            evidence = EVIDENCE_MASCULINE
        elif "feminine" in verdict:
            evidence = EVIDENCE_FEMININE
        explanation = GENDER_EXPLANATION.format(
            verdict=verdict,
            words=considered,
            masculine=len(masculine),
            feminine=len(feminine),
            score=score,
            reference=REFERENCE_WORDS,
            lean=LEAN_SCORE,
            strong=STRONG_DIFFERENCE,
            excluded=len(excluded),
            lists=lists,
            evidence=evidence,
        )
    runs = tuple(_masculine_runs(segments, counted, entries, text=segments.text))
    return GenderCoding(
        verdict=verdict,
        masculine=masculine,
        feminine=feminine,
        explanation=explanation,
        words_considered=considered,
        score=score,
        enough_text=enough,
        words=tuple(counted),
        excluded=tuple(excluded),
        runs=runs,
    )


def gender_score(masculine: int, feminine: int, *, words_considered: int | None = None) -> float:
    """Feminine minus masculine coded words, per ``REFERENCE_WORDS`` words considered.

    Texts shorter than ``REFERENCE_WORDS`` count as that long; ``None`` (length unknown)
    gives the plain difference.

    Examples
    --------
    >>> gender_score(1, 4), gender_score(1, 4, words_considered=300)
    (3.0, 1.0)
    >>> gender_score(2, 0, words_considered=40)
    -2.0
    """
    difference = feminine - masculine
    if words_considered is None or words_considered <= REFERENCE_WORDS:
        return float(difference)
    return difference * REFERENCE_WORDS / words_considered


def gender_verdict(
    masculine: int, feminine: int, *, words_considered: int | None = None
) -> GenderVerdict:
    """Turn the counted words (and the length they were counted in) into a verdict.

    Examples
    --------
    >>> gender_verdict(5, 1), gender_verdict(2, 3), gender_verdict(0, 0)
    ('strongly masculine', 'feminine', 'neutral')
    >>> gender_verdict(5, 1, words_considered=250), gender_verdict(5, 1, words_considered=500)
    ('masculine', 'neutral')
    >>> gender_verdict(3, 0, words_considered=MIN_WORDS_CONSIDERED - 1)
    'neutral'
    """
    if words_considered is not None and words_considered < MIN_WORDS_CONSIDERED:
        return "neutral"
    score = gender_score(masculine, feminine, words_considered=words_considered)
    if score >= STRONG_DIFFERENCE:
        return "strongly feminine"
    if score >= LEAN_SCORE:
        return "feminine"
    if score <= -STRONG_DIFFERENCE:
        return "strongly masculine"
    if score <= -LEAN_SCORE:
        return "masculine"
    return "neutral"


_ENTRY_CACHE: dict[str, dict[str, LexiconEntry]] = {}


def _entries(lexicon: Lexicon) -> dict[str, LexiconEntry]:
    entries = _ENTRY_CACHE.get(lexicon.version)
    if entries is None:
        if len(_ENTRY_CACHE) > 8:
            _ENTRY_CACHE.clear()
        entries = {e.id: e for e in lexicon.in_categories(GENDER_CATEGORIES)}
        _ENTRY_CACHE[lexicon.version] = entries
    return entries


def _list_name(entry: LexiconEntry | None) -> str:
    key = "gaucher2011" if entry is None or entry.word_list is None else entry.word_list
    return WORD_LIST_NAMES.get(key, key)


def _lists_text(words: Sequence[CodedWord]) -> str:
    """Credit each list with the counted words it supplied."""
    gaucher = WORD_LIST_NAMES["gaucher2011"]
    parts = [gaucher]
    added: dict[str, list[str]] = {}
    for word in words:
        if word.word_list != gaucher:
            added.setdefault(word.word_list, [])
            if word.text.lower() not in added[word.word_list]:
                added[word.word_list].append(word.text.lower())
    for name, texts in added.items():
        parts.append(f"{name}, which adds " + ", ".join(f'"{t}"' for t in texts))
    return "; ".join(parts)


def _run_stretches(segments: Segments) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """The descriptions of an advert, each with its passages (module docstring, *Findings*).

    Returns ``(start, end, passages)`` per description that holds candidate or organisation
    text; ``passages`` are spans of consecutive candidate or organisation blocks.
    """
    stretches: list[tuple[int, int, list[tuple[int, int]]]] = []
    passages: list[tuple[int, int]] = []
    previous: Block | None = None
    text = segments.text
    for block in segments:
        if block.kind == "heading" and block.section not in DESCRIBING_KINDS:
            if passages:
                stretches.append((passages[0][0], passages[-1][1], passages))
            passages, previous = [], None
            continue
        if block.kind in DESCRIBING_KINDS:
            joined = (
                bool(passages)
                and previous is not None
                and previous.kind in DESCRIBING_KINDS
                and not text[previous.end : block.start].strip()
            )
            if joined:
                passages[-1] = (passages[-1][0], block.end)
            else:
                passages.append((block.start, block.end))
        previous = block
    if passages:
        stretches.append((passages[0][0], passages[-1][1], passages))
    return stretches


def _is_run(words: Sequence[CodedWord]) -> bool:
    """Enough different masculine-coded words, and masculine wording dominating."""
    masculine = [w for w in words if w.coding == "masculine"]
    feminine = len(words) - len(masculine)
    distinct = {w.rule_id for w in masculine}
    return (
        len(distinct) >= MASCULINE_RUN_MIN_WORDS
        and len(masculine) >= MASCULINE_RUN_RATIO * feminine
    )


def _masculine_runs(
    segments: Segments,
    counted: Sequence[CodedWord],
    entries: dict[str, LexiconEntry],
    *,
    text: str,
) -> list[Finding]:
    spans: list[tuple[int, int]] = []
    for start, end, passages in _run_stretches(segments):
        if _is_run([w for w in counted if start <= w.start < end]):
            spans.append((start, end))
            continue
        spans.extend(
            (first, last)
            for first, last in passages
            if _is_run([w for w in counted if first <= w.start < last])
        )
    runs = []
    for start, end in spans:
        inside = [w for w in counted if start <= w.start < end]
        masculine = [w for w in inside if w.coding == "masculine"]
        distinct = list(dict.fromkeys(w.rule_id for w in masculine))
        first, last = masculine[0].start, masculine[-1].end
        words = list(dict.fromkeys(w.text.lower() for w in masculine))
        suggestions = tuple(
            dict.fromkeys(
                s for rule in distinct if rule in entries for s in entries[rule].suggestions
            )
        )
        sources = [GAUCHER_CITATION]
        if any(w.word_list == WORD_LIST_NAMES["gender-decoder"] for w in masculine):
            sources.append(GENDER_DECODER_CITATION)
        runs.append(
            Finding(
                rule_id=MASCULINE_RUN_ID,
                category=MASCULINE,
                severity=Severity.MEDIUM,
                start=first,
                end=last,
                text=text[first:last],
                explanation=MASCULINE_RUN_EXPLANATION.format(
                    count=len(distinct),
                    words=", ".join(f'"{w}"' for w in words),
                    feminine=len(inside) - len(masculine),
                    lists=_lists_text(masculine),
                ),
                suggestions=suggestions,
                source="; ".join(sources),
            )
        )
    return runs
