"""One job description of a portfolio: its title, band, staff group and parsed demands.

The demands are the advert checker's (:func:`bias_audit.text.requirements.judge_requirements`
over one pass of the shared spaCy pipeline, :func:`bias_audit.text.pipeline.get_pipeline`,
built once per process), so a portfolio and a single advert check read a document the same
way. :func:`parse_document` is the one place a text becomes a :class:`PortfolioDocument`;
the portfolio run (:mod:`bias_audit.services.portfolio`) calls it for every file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bias_audit.errors import InputDataError
from bias_audit.lexicon import load_lexicon
from bias_audit.lexicon_schema import REQUIREMENT_CATEGORIES, REQUIREMENT_KINDS, RequirementKind
from bias_audit.portfolio.fields import find_staff_group, find_title
from bias_audit.text.advert import MAX_TEXT_CHARS, MSG_TOO_LONG
from bias_audit.text.band_evidence import BandEvidence, find_band_evidence
from bias_audit.text.matching import match_categories
from bias_audit.text.person_spec import Section, line_sections
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.requirements import (
    CLEARED_HELD_BY_OTHERS,
    CLEARED_IN_POST,
    CLEARED_NEGATED,
    CLEARED_NOTICE,
    Requirement,
)
from bias_audit.text.requirements import judge_requirements as _judge

BandSource = Literal["bands file", "found in text", "not stated"]
DemandStatus = Literal["essential", "route accepted", "unmarked", "desirable", "absent"]

DEMAND_KINDS: tuple[RequirementKind, ...] = REQUIREMENT_KINDS  # type: ignore[assignment]
"""The matrix columns, in order: the advert checker's requirement kinds."""

DEMAND_LABELS: dict[str, str] = {
    "degree": "Degree",
    "qualification_level": "NVQ/RQF level",
    "gcse": "GCSE grades",
    "care_certificate": "Care Certificate",
    "registration": "Registration",
    "experience": "Experience length",
    "driving_licence": "Driving licence",
    "physical": "Physical",
    "language": "Language",
}

STATUS_RANK: dict[str, int] = {
    "absent": 0,
    "desirable": 1,
    "unmarked": 2,
    "route accepted": 3,
    "essential": 4,
}
"""How demanding each cell status is: a document's cell shows its most demanding use."""

STATUS_MEANING: dict[str, str] = {
    "essential": "Essential, with no equivalent route",
    "route accepted": "Essential or stated, but an equivalent, 'working towards' or in-post "
    "route is accepted",
    "unmarked": "Stated, but not marked Essential or Desirable",
    "desirable": "Desirable",
    "absent": "Not asked for",
}

NOTE_BAND_DIFFERS = (
    "{file}: the bands file gives Band {given}, but the text says {found}; the bands file was used."
)

# Reasons the advert checker gives for a lexicon match that is not the applicant's demand.
_NOT_A_DEMAND = (CLEARED_NOTICE.split("{", 1)[0], CLEARED_NEGATED, CLEARED_HELD_BY_OTHERS)
_HEADING_ONLY = re.compile(
    r"^[\s#>*•◦▪●·\-–—|]*(essential|desirable)(\s+(criteria|requirements?))?\s*:?\s*$",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^[\s#>*•◦▪●·\-–—|]*(essential|desirable)\s*:\s*", re.IGNORECASE)
_BULLET = re.compile(r"^[\s#>*•◦▪●·\-–—|]+")
_ROW_LABEL = re.compile(r"^\s*\w+(\s+\w+){0,3}\s*:?\s*$")


@dataclass(frozen=True, slots=True)
class Criterion:
    """One line of a person specification under an Essential or Desirable heading.

    ``text == document.text[start:end]`` (bullet and "Essential:" label left out).
    """

    text: str
    section: Section
    start: int
    end: int

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "section": self.section, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class PortfolioDocument:
    """One job description in a portfolio (the public record other modules build on).

    Attributes
    ----------
    name : str
        The file as given (a path, or a zip member's path).
    text : str
        The text read from the file (offsets of ``requirements`` and ``criteria`` index it).
    title : str or None
        The job title ("Job title: …" line, else the first line that is not a heading).
    band : int or None
        Agenda for Change band the demands were judged at.
    band_source : {"bands file", "found in text", "not stated"}
    band_evidence : BandEvidence or None
        Where a band found in the text came from ("Band 2 or 3", a salary).
    staff_group : str or None
        The staff group where stated (ESR staff groups in their standard spelling).
    requirements : tuple of Requirement
        Every demand the advert checker found, in text order, including those it cleared
        (``cleared_because``); :meth:`demands` keeps the applicant's own.
    criteria : tuple of Criterion
        The person specification's Essential and Desirable lines.
    notes : tuple of str
        How the file was read (e.g. a PDF named .txt) and band disagreements.
    """

    name: str
    text: str
    title: str | None
    band: int | None
    band_source: BandSource
    band_evidence: BandEvidence | None
    staff_group: str | None
    requirements: tuple[Requirement, ...]
    criteria: tuple[Criterion, ...]
    notes: tuple[str, ...] = ()

    def demands(self) -> tuple[Requirement, ...]:
        """The applicant's demands: not inside a notice, negated or someone else's."""
        return tuple(r for r in self.requirements if demand_status(r) is not None)

    def status(self, kind: str) -> DemandStatus:
        """The most demanding status of the document's demands of ``kind`` ("absent" if none)."""
        found = [demand_status(r) for r in self.requirements if r.kind == kind]
        shown = [s for s in found if s is not None]
        return max(shown, key=STATUS_RANK.__getitem__, default="absent")

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "band": self.band,
            "band_source": self.band_source,
            "band_evidence": None if self.band_evidence is None else self.band_evidence.to_dict(),
            "staff_group": self.staff_group,
            "demands": {kind: self.status(kind) for kind in DEMAND_KINDS},
            "requirements": [
                {**r.to_dict(), "status": demand_status(r)} for r in self.requirements
            ],
            "criteria": [c.to_dict() for c in self.criteria],
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A file left out of the portfolio, and why (the reader's message, naming the file)."""

    name: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "reason": self.reason}


def demand_status(requirement: Requirement) -> DemandStatus | None:
    """A requirement's matrix status, or ``None`` when it is not the applicant's demand.

    Gained in post counts as a route; a repeat keeps the status of how it is worded.

    >>> from bias_audit.text.requirements import Requirement
    >>> demand_status(Requirement("gcse", "GCSE", 0, 4, "essential", True, None))
    'route accepted'
    >>> demand_status(Requirement("degree", "degree", 0, 6, "desirable", False, None))
    'desirable'
    """
    cleared = requirement.cleared_because
    if cleared is not None and cleared.startswith(_NOT_A_DEMAND):
        return None
    if requirement.section == "desirable":
        return "desirable"
    if requirement.equivalent_accepted or cleared == CLEARED_IN_POST:
        return "route accepted"
    if requirement.section == "essential":
        return "essential"
    return "unmarked"


def person_spec_criteria(text: str) -> tuple[Criterion, ...]:
    """The lines under Essential and Desirable headings (heading-only lines left out).

    >>> text = "Essential\\n- Kind\\nDesirable: NVQ 3\\nSkills\\nEssential:\\nCalm\\nMain duties"
    >>> [(c.section, c.text) for c in person_spec_criteria(text)]
    [('essential', 'Kind'), ('desirable', 'NVQ 3'), ('essential', 'Calm')]
    """
    criteria = []
    lines = line_sections(text)
    for index, (start, end, section) in enumerate(lines):
        if section == "unspecified":
            continue
        line = text[start:end]
        if _HEADING_ONLY.match(line):
            continue
        following = (
            text[lines[index + 1][0] : lines[index + 1][1]] if index + 1 < len(lines) else ""
        )
        previous = text[lines[index - 1][0] : lines[index - 1][1]] if index else ""
        if (
            _ROW_LABEL.match(line)
            and not _HEADING_ONLY.match(previous)
            and (_HEADING_ONLY.match(following) or _LABEL.match(following))
        ):
            continue  # a Word table's row label ("Skills") before its Essential: cell
        skip = _LABEL.match(line) or _BULLET.match(line)
        offset = start + (skip.end() if skip is not None else 0)
        stripped = text[offset:end].rstrip()
        if stripped.strip():
            criteria.append(Criterion(stripped, section, offset, offset + len(stripped)))
    return tuple(criteria)


def parse_document(
    text: str, *, name: str, band: int | None = None, notes: tuple[str, ...] = ()
) -> PortfolioDocument:
    """Read one job description's title, band, staff group, demands and criteria.

    Parameters
    ----------
    text : str
        The document's text (from :func:`bias_audit.io.adverts.read_advert_file`).
    name : str
        The file it came from, shown in every output.
    band : int, optional
        The band from a bands file; ``None`` finds it in the text (the advert checker's band
        evidence: "Band 3", "Band 2/3" judged at the higher, or an Agenda for Change salary).
    notes : tuple of str
        The reader's notes, kept with the document.

    Raises
    ------
    InputDataError
        The text is longer than the advert checker's limit for one document
        (:data:`bias_audit.text.advert.MAX_TEXT_CHARS`); a portfolio run lists it as
        excluded.

    Examples
    --------
    >>> doc = parse_document("Job title: HCA\\nBand 3\\nEssential\\n- A degree in nursing",
    ...                      name="hca.txt")
    >>> doc.title, doc.band, doc.band_source, doc.status("degree")
    ('HCA', 3, 'found in text', 'essential')
    """
    if len(text) > MAX_TEXT_CHARS:
        raise InputDataError(
            MSG_TOO_LONG.format(source=name, chars=len(text), limit=MAX_TEXT_CHARS)
        )
    evidence = find_band_evidence(text)
    band_source: BandSource
    if band is not None:
        band_source = "bands file"
        if evidence is not None and band not in evidence.named:
            notes = (
                *notes,
                NOTE_BAND_DIFFERS.format(file=name, given=band, found=evidence.describe()),
            )
    elif evidence is not None:
        band, band_source = evidence.band, "found in text"
    else:
        band_source = "not stated"
    lexicon = load_lexicon()
    doc = get_pipeline()(text)
    matches = match_categories(doc, lexicon, categories=REQUIREMENT_CATEGORIES)
    requirements = _judge(text, matches, band=band, lexicon=lexicon)
    return PortfolioDocument(
        name=name,
        text=text,
        title=find_title(text),
        band=band,
        band_source=band_source,
        band_evidence=evidence,
        staff_group=find_staff_group(text),
        requirements=tuple(requirements),
        criteria=person_spec_criteria(text),
        notes=tuple(notes),
    )
