"""Check one advert: every analyser over one parse, gathered into an :class:`AdvertReport`.

This is the public entry point of the text side, used by the CLI, the app and the Python API.
The spaCy pipeline and the lexicon are built once per process and shared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from bias_audit.errors import InputDataError, OptionError
from bias_audit.lexicon import load_lexicon
from bias_audit.lexicon_schema import REQUIREMENT_CATEGORIES
from bias_audit.text import inclusion
from bias_audit.text.band_evidence import BandEvidence, find_band_evidence
from bias_audit.text.context import segment
from bias_audit.text.inclusion import InclusionSignal, signals_from_matches
from bias_audit.text.matching import match_categories
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.readability import Readability, analyse_readability
from bias_audit.text.requirements import Requirement, judge_requirements
from bias_audit.text.rule_check import CHECKED_CATEGORIES, load_rule_folder
from bias_audit.text.wording import (
    WORDING_CATEGORIES,
    GenderCoding,
    gender_coding,
    shown_findings,
)
from bias_audit.types import Finding, Severity

BandSource = Literal["given", "found in text", "not stated"]

MIN_BAND, MAX_BAND = 1, 9
MAX_TEXT_CHARS = 500_000
"""Longest text checked as one advert; NHS Jobs caps a whole job description at 10,000."""

MSG_EMPTY_TEXT = "{source}: there is no text to check. Paste or upload the advert text."
MSG_TOO_LONG = (
    "{source}: the text is {chars:,} characters long, over the {limit:,} limit for one "
    "advert. Check the advert or person specification on its own, or split the document."
)
MSG_BAD_BAND = (
    "Band {band} is not an Agenda for Change band; give a whole number from 1 to 9 "
    "(Band 8a–8d count as 8)."
)

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class AdvertReport:
    """Everything found in one advert.

    Every finding satisfies ``finding.text == report.text[finding.start:finding.end]``;
    ``findings`` is in reading order (see :func:`order_findings`: most severe first, then by
    position; a repeated phrase is one finding with its other uses in ``occurrences``) and
    holds all categories except the positive inclusion signals (in ``inclusion_signals``).
    ``allowed`` holds the findings the allow list silenced, in the same order.
    """

    source: str
    text: str
    band: int | None
    band_source: BandSource
    findings: tuple[Finding, ...]
    allowed: tuple[Finding, ...]
    gender_coding: GenderCoding
    readability: Readability
    requirements: tuple[Requirement, ...]
    inclusion_signals: tuple[InclusionSignal, ...]
    lexicon_version: str
    band_evidence: BandEvidence | None = None
    """Where a band found in the text came from: "Band 2 or 3" (judged at the higher), or a
    salary on the Agenda for Change pay scale of a named year. ``None`` when given or absent."""

    def to_dict(self) -> dict[str, object]:
        """Plain JSON, as in DESIGN.md "Contracts" (``severity`` as a string)."""
        return {
            "source": self.source,
            "band": self.band,
            "band_source": self.band_source,
            "band_evidence": None if self.band_evidence is None else self.band_evidence.to_dict(),
            "severity_counts": severity_counts(self.findings),
            "findings": [f.to_dict() for f in self.findings],
            "gender_coding": self.gender_coding.to_dict(),
            "readability": self.readability.to_dict(),
            "requirements": [r.to_dict() for r in self.requirements],
            "inclusion_signals": [s.to_dict() for s in self.inclusion_signals],
            "allowed": [f.to_dict() for f in self.allowed],
            "lexicon_version": self.lexicon_version,
            "text": self.text,
        }


WARM_UP_TEXT = "Band 3 healthcare support worker. A degree is essential.\n- Care Certificate"


def warm_up() -> None:
    """Load, once per process, everything :func:`analyse_advert` needs on its first call.

    That is the lexicon, its compiled matchers, the spaCy pipeline and textstat's
    pronouncing dictionary (about a second together, most of it the dictionary). A server
    can call this at start-up so that the first advert a user checks is as fast as the rest.

    Examples
    --------
    >>> warm_up()
    """
    analyse_advert(WARM_UP_TEXT)


def _normalise(value: str) -> str:
    return _SPACES.sub(" ", value).strip().lower()


def is_allowed(finding: Finding, allow: frozenset[str]) -> bool:
    """Whether an allow list (normalised rule ids or phrases) silences a finding.

    >>> from bias_audit.types import Severity
    >>> f = Finding("age-energetic", "age", Severity.LOW, 0, 9, "Energetic", "", (), "")
    >>> is_allowed(f, frozenset({"energetic"})), is_allowed(f, frozenset({"young"}))
    (True, False)
    """
    return finding.rule_id.lower() in allow or _normalise(finding.text) in allow


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Findings per severity, most severe first (a repeated phrase counts once).

    >>> from bias_audit.types import Severity
    >>> severity_counts([Finding("r", "age", Severity.LOW, 0, 1, "a", "", (), "")])
    {'high': 0, 'medium': 0, 'low': 1}
    """
    counts = {str(severity): 0 for severity in sorted(Severity, reverse=True)}
    for finding in findings:
        counts[str(finding.severity)] += 1
    return counts


def merge_repeats(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per repeated phrase; its other uses go into ``occurrences``.

    Findings are the same phrase when they share the rule, the matched text (case and
    spacing ignored), the severity and the explanation; a use judged differently (say a
    degree that is essential in one place and desirable in another) stays its own finding.
    The first use in the text keeps its place; occurrences are listed in text order,
    including any the analyser had already gathered.

    >>> from bias_audit.types import Severity
    >>> a = Finding("age-young", "age", Severity.MEDIUM, 0, 5, "Young", "why", (), "")
    >>> b = Finding("age-young", "age", Severity.MEDIUM, 20, 25, "young", "why", (), "")
    >>> [(f.start, f.occurrences) for f in merge_repeats([b, a])]
    [(0, ((20, 25),))]
    """
    groups: dict[tuple[str, str, int, str], list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        key = (
            finding.rule_id,
            _normalise(finding.text),
            int(finding.severity),
            finding.explanation,
        )
        groups.setdefault(key, []).append(finding)
    merged = []
    for uses in groups.values():
        first = uses[0]
        spans = {span for use in uses for span in ((use.start, use.end), *use.occurrences)}
        spans.discard((first.start, first.end))
        occurrences = tuple(sorted(spans))
        # most findings are used once: keep the (frozen) finding rather than copy it
        merged.append(
            first if occurrences == first.occurrences else replace(first, occurrences=occurrences)
        )
    return merged


def order_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """What a reader sees first: repeats merged, then most severe first, then by position.

    >>> from bias_audit.types import Severity
    >>> low = Finding("c", "cliche", Severity.LOW, 0, 4, "rock", "", (), "")
    >>> high = Finding("d", "age", Severity.HIGH, 10, 15, "young", "", (), "")
    >>> [f.rule_id for f in order_findings([low, high])]
    ['d', 'c']
    """
    return tuple(
        sorted(merge_repeats(findings), key=lambda f: (-f.severity, f.start, f.end, f.rule_id))
    )


def analyse_advert(
    text: str,
    *,
    band: int | None = None,
    source: str = "pasted text",
    allow: Iterable[str] = (),
    lexicon_dir: Path | None = None,
) -> AdvertReport:
    """Check a job advert, job description or person specification.

    Parameters
    ----------
    text : str
        The advert text (see :func:`bias_audit.io.adverts.read_advert` for files).
    band : int, optional
        Agenda for Change band of the post; ``None`` looks for "Band N" in the text.
    source : str
        Where the text came from, shown in reports.
    allow : iterable of str
        Rule ids or phrases (case-insensitive) a trust has reviewed and wants silenced.
    lexicon_dir : Path, optional
        A trust's own rules folder, used instead of the shipped ``lexicons/`` (a complete
        copy: category files and ``context.yml``; see :mod:`bias_audit.text.rule_check`).

    Returns
    -------
    AdvertReport

    Raises
    ------
    InputDataError
        The text is empty or only whitespace, or longer than :data:`MAX_TEXT_CHARS`.
    OptionError
        ``band`` is not between 1 and 9.
    LexiconError
        ``lexicon_dir`` is not a usable rules folder (the message names the file and fix).

    Examples
    --------
    >>> report = analyse_advert("Band 3 HCSW. A degree is essential.")
    >>> report.band, report.band_source
    (3, 'found in text')
    >>> [(f.rule_id, str(f.severity)) for f in report.findings if f.category.startswith("qual")]
    [('degree-required', 'high')]
    """
    if not text.strip():
        raise InputDataError(MSG_EMPTY_TEXT.format(source=source))
    if len(text) > MAX_TEXT_CHARS:
        raise InputDataError(
            MSG_TOO_LONG.format(source=source, chars=len(text), limit=MAX_TEXT_CHARS)
        )
    if band is not None and not MIN_BAND <= band <= MAX_BAND:
        raise OptionError(MSG_BAD_BAND.format(band=band))
    band_source: BandSource = "given"
    band_evidence = None
    if band is None:
        band_evidence = find_band_evidence(text)
        band = None if band_evidence is None else band_evidence.band
        band_source = "not stated" if band is None else "found in text"

    cues = None
    if lexicon_dir is None:
        lexicon = load_lexicon()
    else:
        lexicon, cues = load_rule_folder(lexicon_dir)
    doc = get_pipeline()(text)
    # One matcher pass for every category (overlaps are resolved per category), then each
    # analyser judges its own categories' matches.
    matches = match_categories(doc, lexicon, categories=CHECKED_CATEGORIES)
    wording_matches = [m for m in matches if m.category in WORDING_CATEGORIES]
    # Gender-coded words count only where the advert describes the applicant or employer;
    # single words go to the gauge and its word lists, masculine-coded runs are findings.
    coding = gender_coding(doc, lexicon, findings=wording_matches, segments=segment(doc, cues=cues))
    wording = shown_findings(wording_matches, coding)
    requirements = judge_requirements(
        text,
        [m for m in matches if m.category in REQUIREMENT_CATEGORIES],
        band=band,
        lexicon=lexicon,
    )
    readability = analyse_readability(text, band=band)
    signals = signals_from_matches(
        (m for m in matches if m.category == inclusion.CATEGORY), lexicon, text=text
    )

    everything = [
        *wording,
        *(r.finding for r in requirements if r.finding is not None),
        *readability.long_sentences,
    ]
    everything.sort(key=lambda f: (f.start, -f.severity, f.end, f.rule_id))
    if isinstance(allow, str):  # one rule id or phrase, not its characters
        allow = (allow,)
    allow_set = frozenset(_normalise(item) for item in allow if item.strip())
    if allow_set:
        kept = order_findings(f for f in everything if not is_allowed(f, allow_set))
        silenced = order_findings(f for f in everything if is_allowed(f, allow_set))
    else:  # nothing to silence: no finding's text need be normalised to ask
        kept, silenced = order_findings(everything), ()
    return AdvertReport(
        source=source,
        text=text,
        band=band,
        band_source=band_source,
        findings=kept,
        allowed=silenced,
        gender_coding=coding,
        readability=readability,
        requirements=tuple(requirements),
        inclusion_signals=tuple(signals),
        lexicon_version=lexicon.version,
        band_evidence=band_evidence,
    )
