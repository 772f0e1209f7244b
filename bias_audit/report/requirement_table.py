"""The requirements table (app and HTML report): every demand an advert makes, one row each.

A row for each requirement :mod:`bias_audit.text.requirements` judged, and one for each other
finding that demands something of the applicant (:data:`DEMAND_CATEGORY_KINDS`); every cell is
words (:mod:`bias_audit.report.requirement_words`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bias_audit.report.requirement_words import SECTION_WORDS, cleared_words, kind_words
from bias_audit.report.style import severity_mark
from bias_audit.text.person_spec import line_sections, section_with_source
from bias_audit.types import Finding

if TYPE_CHECKING:
    from bias_audit.text.advert import AdvertReport
    from bias_audit.text.person_spec import Section
    from bias_audit.text.requirements import Requirement


REQUIREMENT_HEADERS = ("Section", "Demand", "Kind", "Equivalent accepted", "Verdict")
YES_NO = {True: "Yes", False: "No"}
NOT_APPLICABLE = "Not applicable"
SECTION_ORDER = ("Essential", "Desirable", "Not marked")
DEMAND_WORDS = "{demand} (“{words}”)"
DEMAND_MAX_CHARS = 140
"""A demand's item longer than this (a prose paragraph) is cut to its sentence."""

# Findings outside text/requirements.py's kinds that are still demands on the applicant when
# they stand in the person specification ("Essential: Native English speaker"), each with the
# kind it is shown as. Wording categories (jargon, clichés, gender-coded words) are not demands.
DEMAND_CATEGORY_KINDS: dict[str, str] = {
    "qualification_degree": "Degree",
    "qualification_no_equivalent": "Qualification",
    "experience_years": "Experience",
    "driving_licence": "Driving licence or car",
    "physical_requirements": "Physical demand",
    "language_level": "Language level",
    "nationality_race_religion": "Nationality or language",
    "health_screening": "Health or fitness",
    "age": "Age",
    "disability": "Disability",
    "sexual_orientation": "Sexual orientation or gender identity",
}
# These are demands wherever they stand: the requirement kinds, and screening on nationality,
# language or health (a "native English speaker" asked for in prose is still asked for).
_ALWAYS_DEMANDS = frozenset(
    {
        "qualification_degree",
        "qualification_no_equivalent",
        "experience_years",
        "driving_licence",
        "physical_requirements",
        "language_level",
        "nationality_race_religion",
        "health_screening",
    }
)
_BULLET = re.compile(
    r"^[\s#>*•◦▪●·\-–—]*(?:(?:essential|desirable)(?:\s+criteria)?\s*[:\-–]\s*)?", re.I
)
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")


@dataclass(frozen=True, slots=True)
class RequirementRow:
    """One row of the requirements table, every cell in words.

    ``demand`` is the item the demand stands in (its bullet, or its sentence in prose), so
    "A degree in health or social care" is shown, not only the matched "A degree in";
    ``start``/``end`` are the matched words' offsets in the analysed text.
    """

    section: str
    demand: str
    kind: str
    equivalent_accepted: str
    verdict: str
    start: int
    end: int
    words: str
    """The matched words (``analysed_text[start:end]``)."""

    def cells(self) -> tuple[str, str, str, str, str]:
        """The cells under :data:`REQUIREMENT_HEADERS`, in order."""
        return (self.section, self.demand, self.kind, self.equivalent_accepted, self.verdict)


def demand_item(text: str, start: int, end: int) -> str:
    """The bullet or sentence holding ``text[start:end]``, bullet marks and an inline
    "Essential:" taken off; a long line is cut to the sentence.

    >>> text = "Essential\\n- A degree in health or social care\\n" + "We are a team. " * 10
    >>> text += "You must drive. We train you."
    >>> drive = text.index("drive")
    >>> demand_item(text, 12, 20), demand_item(text, drive, drive + 5)
    ('A degree in health or social care', 'You must drive.')
    """
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if line_end - line_start > DEMAND_MAX_CHARS:
        for match in _SENTENCE_END.finditer(text, line_start, start):
            line_start = match.end()
        stop = _SENTENCE_END.search(text, end, line_end)
        line_end = line_end if stop is None else stop.end()
    item = text[line_start:line_end]
    cut = _BULLET.match(item)
    item = item[cut.end() :] if cut is not None and cut.end() <= start - line_start else item
    item = " ".join(item.split())
    if len(item) > DEMAND_MAX_CHARS:
        item = item[: DEMAND_MAX_CHARS - 1].rstrip() + "…"
    return item


def _finding_verdict(finding: Finding) -> str:
    return f"{severity_mark(finding.severity).label}: {' '.join(finding.explanation.split())}"


def _covered(finding: Finding, requirements: Sequence[Requirement]) -> bool:
    return any(
        r.finding is finding
        or (
            r.finding is not None
            and (r.finding.rule_id, r.finding.start) == (finding.rule_id, finding.start)
        )
        or (r.start < finding.end and finding.start < r.end)
        for r in requirements
    )


def other_demands(report: AdvertReport) -> list[tuple[Section, Finding]]:
    """Findings that demand something of the applicant but are not among
    ``report.requirements``, each with its section, in reading order.

    Those are the findings of :data:`DEMAND_CATEGORY_KINDS` that no requirement covers:
    screening on nationality, language or health wherever it stands, and age, disability or
    sexual orientation inside the person specification (under an Essential or Desirable
    heading, or marked in its own sentence).
    """
    text = report.text
    sections = line_sections(text)
    found = []
    for finding in sorted(report.findings, key=lambda f: f.start):
        if finding.category not in DEMAND_CATEGORY_KINDS:
            continue
        if _covered(finding, report.requirements):
            continue
        section, _ = section_with_source(text, finding.start, finding.end, sections)
        if section == "unspecified" and finding.category not in _ALWAYS_DEMANDS:
            continue
        found.append((section, finding))
    return found


def requirement_rows(report: AdvertReport) -> list[RequirementRow]:
    """The Essential / Desirable table: every demand found, essential first, in reading order.

    A row for each requirement :mod:`bias_audit.text.requirements` judged (with or without a
    finding), and one for each other finding that makes a demand of the applicant
    (:data:`DEMAND_CATEGORY_KINDS`): screening on nationality, language or health anywhere,
    and age, disability or sexual orientation inside the person specification. Every cell
    is words: the section, the kind ("GCSE", never "gcse"), "Yes"/"No" for an equivalent
    route, and the verdict (the severity and explanation of a finding, or why there is none).
    """
    text = report.text
    rows = [
        RequirementRow(
            section=SECTION_WORDS.get(req.section, req.section),
            demand=demand_item(text, req.start, req.end),
            kind=kind_words(req.kind),
            equivalent_accepted=YES_NO[req.equivalent_accepted],
            verdict=_first_upper(cleared_words(req, band=report.band))
            if req.finding is None
            else _finding_verdict(req.finding),
            start=req.start,
            end=req.end,
            words=req.text,
        )
        for req in report.requirements
    ]
    for section, finding in other_demands(report):
        kind = DEMAND_CATEGORY_KINDS[finding.category]
        rows.append(
            RequirementRow(
                section=SECTION_WORDS.get(section, section),
                demand=demand_item(text, finding.start, finding.end),
                kind=kind,
                equivalent_accepted=NOT_APPLICABLE,
                verdict=_finding_verdict(finding),
                start=finding.start,
                end=finding.end,
                words=finding.text,
            )
        )
    order = {name: i for i, name in enumerate(SECTION_ORDER)}
    rows.sort(key=lambda r: (order.get(r.section, len(order)), r.start))
    # Two demands in one item ("physically fit and able to lift") each name their words.
    shared = Counter(r.demand for r in rows)
    return [
        replace(r, demand=DEMAND_WORDS.format(demand=r.demand, words=r.words))
        if shared[r.demand] > 1
        else r
        for r in rows
    ]


def _first_upper(words: str) -> str:
    """``words`` with its first letter in capitals and the rest as written ("AfC" stays)."""
    return words[:1].upper() + words[1:]
