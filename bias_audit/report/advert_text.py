"""Plain-text rendering of checked adverts, for the terminal.

Each finding is shown inside its sentence, with the flagged words marked ``[[like this]]``,
then why it matters and what to write instead.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bias_audit.report.style import severity_mark
from bias_audit.text.band_evidence import MSG_BAND_NAMED
from bias_audit.text.person_spec import line_sections, section_with_source
from bias_audit.text.requirements import (
    CLEARED_HELD_BY_OTHERS,
    CLEARED_IN_POST,
    CLEARED_NEGATED,
    CLEARED_NOTICE,
    CLEARED_REASONABLE,
    CLEARED_REPEAT,
)
from bias_audit.types import Finding, Severity

if TYPE_CHECKING:
    from bias_audit.text.advert import AdvertReport
    from bias_audit.text.person_spec import Section
    from bias_audit.text.requirements import Requirement

CONTEXT_CHARS = 90
"""At most this many characters of the sentence are shown on each side of a finding."""
WIDTH = 100
INDENT = " " * 7

HEADER = "{source} — {band}"
BAND_STATED = "band {band} ({band_source})"
BAND_FOUND_AS = "band {band}, found in text as {evidence}"
BAND_NOT_STATED = "band not stated"
SUMMARY = "{counts}{allowed}.{order}"
ORDER_NOTE = " Most severe first."


def findings_phrase(count: int) -> str:
    """``"1 finding"``, ``"3 findings"``: the count in words a reader expects.

    >>> findings_phrase(1), findings_phrase(0)
    ('1 finding', '0 findings')
    """
    return f"{count} finding" if count == 1 else f"{count} findings"


def findings_with_severities(findings: Sequence[Finding]) -> str:
    """The count of findings and how many of each severity, most severe first.

    >>> from bias_audit.types import Severity
    >>> f = Finding("r", "age", Severity.LOW, 0, 1, "a", "", (), "")
    >>> findings_with_severities([f, f])
    '2 findings: 0 high, 0 medium, 2 low'
    >>> findings_with_severities([])
    '0 findings'
    """
    if not findings:
        return findings_phrase(0)
    counts = Counter(f.severity for f in findings)
    parts = ", ".join(f"{counts[s]} {s}" for s in sorted(Severity, reverse=True))
    return f"{findings_phrase(len(findings))}: {parts}"


ALLOWED = "; {n} silenced by the allow list"
GENDER = "Gender coding: {verdict} (masculine-coded: {masculine}; feminine-coded: {feminine})"
GENDER_TOO_LITTLE_LABEL = "too little text to judge"
READING = "Readability: {summary} Flesch reading ease {ease}."
READING_NONE = "Readability: {summary}."
READING_BASIS = "Scored on {sentences} prose sentence(s); left out: {left_out}."
LEFT_OUT_WORDS = {
    "metadata": "job-board field line(s)",
    "heading": "heading(s)",
    "list_fragment": "list item(s) that are not sentences",
}
FINDING_HEAD = "{severity:<6} line {line}: {rule_id} ({category}){uses}"
USED_TIMES = " — used {n} times (also on {lines})"
FINDING_WHY = "       Why: {explanation}"
FINDING_TRY = "       Try: {suggestions}"
NO_FINDINGS = "No findings."
REQUIREMENTS_HEAD = "Requirements ({n}):"
REQUIREMENT_LINE = "  {section:<11} {kind:<26} “{text}”"
REQUIREMENT_VERDICT = "      → {verdict}"
OTHER_DEMAND_VERDICT = "{severity} (see the finding above)"
INCLUSION_HEAD = "Inclusion signals:"
SIGNAL_PRESENT = "  [x] {label}: “{evidence}”"
SIGNAL_MISSING = "  [ ] {label}: missing. {suggestion}"
NONE_WORD = "none"

_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)|\n")


def sentence_context(text: str, finding: Finding) -> str:
    """The finding inside its sentence (one line), the flagged words marked ``[[…]]``.

    >>> from bias_audit.types import Severity
    >>> text = "About us. A degree is essential. Apply now."
    >>> f = Finding("degree-required", "qualification_degree", Severity.HIGH, 10, 18,
    ...             "A degree", "", (), "")
    >>> sentence_context(text, f)
    '[[A degree]] is essential.'
    """
    start = 0
    for match in _SENTENCE_BREAK.finditer(text, 0, finding.start):
        start = match.end()
    stop_match = _SENTENCE_BREAK.search(text, finding.end)
    stop = len(text) if stop_match is None else stop_match.end()
    before = text[max(start, finding.start - CONTEXT_CHARS) : finding.start].lstrip()
    after = text[finding.end : min(stop, finding.end + CONTEXT_CHARS)].rstrip()
    if finding.start - CONTEXT_CHARS > start:
        before = "…" + before
    if finding.end + CONTEXT_CHARS < stop:
        after += "…"
    marked = f"{before}[[{finding.text}]]{after}"
    return " ".join(marked.split())


def band_label(report: AdvertReport) -> str:
    """The post's band and where it came from, in words ("band 3 (found in text)").

    A band read from the text shows its evidence when that says more than "Band 3": two
    bands offered ("Band 2 or 3 (judged at Band 3, the higher)"), a salary on a named year's
    pay scale, or other wording ("“Banding 2”"). A band that is not stated is said once, not
    as "not stated (not stated)".
    """
    if report.band is None:
        return BAND_NOT_STATED
    evidence = report.band_evidence
    if evidence is not None and evidence.band == report.band:
        plain = MSG_BAND_NAMED.format(band=report.band)
        description = evidence.describe()
        if description != plain:
            return BAND_FOUND_AS.format(band=report.band, evidence=description)
        if evidence.text.strip().lower() != plain.lower():
            return BAND_FOUND_AS.format(band=report.band, evidence=f"“{evidence.text.strip()}”")
    return BAND_STATED.format(band=report.band, band_source=report.band_source)


# --- requirements in words -----------------------------------------------------------------

KIND_WORDS: dict[str, str] = {
    "degree": "Degree",
    "qualification_level": "Qualification level",
    "gcse": "GCSE",
    "care_certificate": "Care Certificate",
    "registration": "Professional registration",
    "experience": "Experience",
    "driving_licence": "Driving licence or car",
    "physical": "Physical demand",
    "language": "Language level",
}
"""How each requirement kind reads in a report (never the internal code)."""

SECTION_WORDS = {"essential": "Essential", "desirable": "Desirable", "unspecified": "Not marked"}
ROUTE_WORDS = {True: "equivalent accepted", False: "no equivalent route"}

# Why a demand has no finding, in a few words (from Requirement.cleared_because).
CLEARED_WORDS_NOTICE = "in {notice}: not a demand"
CLEARED_WORDS: dict[str, str] = {
    CLEARED_IN_POST: "route accepted: in-post training",
    CLEARED_NEGATED: "not needed: the text says so",
    CLEARED_REPEAT: "repeats the demand before it",
}
CLEARED_WORDS_OTHERS = "someone else's {thing}, not the applicant's"
CLEARED_WORDS_DESIRABLE = "desirable only: reasonable for {band}"
CLEARED_WORDS_ROUTE = "route accepted: an equivalent counts"
CLEARED_WORDS_FITS = "fits {band}"
BAND_UNKNOWN_WORDS = "a post whose band is not stated"
_QUALIFICATION_KINDS = frozenset(
    {"degree", "qualification_level", "gcse", "care_certificate", "registration"}
)
_NOTICE_REASON = re.compile(
    re.escape(CLEARED_NOTICE).replace(re.escape("{notice}"), "(?P<notice>.+)")
)


def kind_words(kind: str) -> str:
    """A requirement kind in words.

    >>> kind_words("gcse"), kind_words("driving_licence")
    ('GCSE', 'Driving licence or car')
    """
    return KIND_WORDS.get(kind, kind.replace("_", " ").capitalize())


def cleared_words(requirement: Requirement, *, band: int | None) -> str:
    """Why a demand has no finding, in a few words a reader takes in at a glance.

    ``band`` is the band the advert was judged at. A reason this module does not know is
    shown as it is, never dropped.

    >>> from bias_audit.text.requirements import Requirement, CLEARED_NOTICE, CLEARED_REASONABLE
    >>> visa = CLEARED_NOTICE.format(notice="a visa or sponsorship notice")
    >>> r = Requirement("experience", "12 months", 0, 9, "unspecified", False, None, visa)
    >>> cleared_words(r, band=3)
    'in a visa or sponsorship notice: not a demand'
    >>> r = Requirement("gcse", "GCSE", 0, 4, "essential", False, None, CLEARED_REASONABLE)
    >>> cleared_words(r, band=3)
    'fits Band 3'
    """
    reason = requirement.cleared_because
    if reason is None:
        return ""
    notice = _NOTICE_REASON.fullmatch(reason)
    if notice is not None:
        return CLEARED_WORDS_NOTICE.format(notice=notice.group("notice"))
    if reason in CLEARED_WORDS:
        return CLEARED_WORDS[reason]
    if reason == CLEARED_HELD_BY_OTHERS:
        thing = (
            "qualification"
            if requirement.kind in _QUALIFICATION_KINDS
            else kind_words(requirement.kind).lower()
        )
        return CLEARED_WORDS_OTHERS.format(thing=thing)
    if reason == CLEARED_REASONABLE:
        band_words = BAND_UNKNOWN_WORDS if band is None else MSG_BAND_NAMED.format(band=band)
        if requirement.section == "desirable":
            return CLEARED_WORDS_DESIRABLE.format(band=band_words)
        if requirement.equivalent_accepted:
            return CLEARED_WORDS_ROUTE
        return CLEARED_WORDS_FITS.format(band=band_words)
    return reason


def requirement_verdict(requirement: Requirement, *, band: int | None) -> str:
    """One demand's verdict in words: the severity and route of a finding, or why none.

    >>> from bias_audit.text.requirements import Requirement, CLEARED_IN_POST
    >>> r = Requirement("care_certificate", "Care Certificate", 0, 16, "essential", True,
    ...                 None, CLEARED_IN_POST)
    >>> requirement_verdict(r, band=2)
    'route accepted: in-post training'
    """
    if requirement.finding is None:
        return cleared_words(requirement, band=band)
    severity = str(requirement.finding.severity).upper()
    return f"{severity}: {ROUTE_WORDS[requirement.equivalent_accepted]} (see the finding above)"


def _wrap(line: str) -> str:
    """Wrap a long line for the terminal, continuing under the text after "Why: "."""
    return textwrap.fill(
        line,
        width=WIDTH,
        subsequent_indent=INDENT + "     ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def _line_number(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def readability_basis(readability) -> str:
    """What the reading age was computed on, and the lines left out and why.

    >>> from bias_audit.text.readability import analyse_readability
    >>> readability_basis(analyse_readability("Band: 3\\nAbout you\\nWe train you."))
    'Scored on 1 prose sentence(s); left out: 1 job-board field line(s), 1 heading(s).'
    """
    parts = [
        f"{n} {LEFT_OUT_WORDS.get(reason, reason)}" for reason, n in readability.lines_left_out if n
    ]
    return READING_BASIS.format(
        sentences=readability.sentences, left_out=", ".join(parts) or NONE_WORD
    )


def uses_note(text: str, finding: Finding) -> str:
    """``" — used 3 times (also on lines 4, 9)"`` for a repeated phrase; ``""`` otherwise.

    >>> from bias_audit.types import Severity
    >>> f = Finding("r", "age", Severity.LOW, 0, 5, "young", "", (), "", occurrences=((6, 11),))
    >>> uses_note("young\\nyoung", f)
    ' — used 2 times (also on line 2)'
    """
    if not finding.occurrences:
        return ""
    lines = sorted({_line_number(text, start) for start, _ in finding.occurrences})
    where = ("line " if len(lines) == 1 else "lines ") + ", ".join(map(str, lines))
    return USED_TIMES.format(n=finding.uses, lines=where)


def render_report(report: AdvertReport) -> str:
    """One advert's findings (most severe first), gender coding, readability, requirements and
    signals."""
    lines = [
        HEADER.format(source=report.source, band=band_label(report)),
        SUMMARY.format(
            counts=findings_with_severities(report.findings),
            allowed=ALLOWED.format(n=len(report.allowed)) if report.allowed else "",
            order=ORDER_NOTE if len(report.findings) > 1 else "",
        ),
        GENDER.format(
            verdict=report.gender_coding.verdict
            if report.gender_coding.enough_text
            else GENDER_TOO_LITTLE_LABEL,
            masculine=", ".join(report.gender_coding.masculine) or NONE_WORD,
            feminine=", ".join(report.gender_coding.feminine) or NONE_WORD,
        ),
        "  " + report.gender_coding.explanation,
    ]
    readability = report.readability
    if readability.reading_age is None:
        lines.append(READING_NONE.format(summary=readability.summary))
    else:
        lines.append(
            READING.format(summary=readability.summary, ease=readability.flesch_reading_ease)
        )
    lines.append(
        textwrap.fill(
            readability_basis(readability),
            width=WIDTH,
            initial_indent="  ",
            subsequent_indent="  ",
            break_on_hyphens=False,
        )
    )
    lines.append("")
    if not report.findings:
        lines.append(NO_FINDINGS)
    for finding in report.findings:
        lines.append(
            FINDING_HEAD.format(
                severity=str(finding.severity).upper(),
                line=_line_number(report.text, finding.start),
                rule_id=finding.rule_id,
                category=finding.category,
                uses=uses_note(report.text, finding),
            )
        )
        lines.append(_wrap(INDENT + sentence_context(report.text, finding)))
        lines.append(_wrap(FINDING_WHY.format(explanation=" ".join(finding.explanation.split()))))
        if finding.suggestions:
            lines.append(_wrap(FINDING_TRY.format(suggestions="; ".join(finding.suggestions))))
    others = other_demands(report)
    if report.requirements or others:
        lines += ["", REQUIREMENTS_HEAD.format(n=len(report.requirements) + len(others))]
        for requirement in report.requirements:
            lines.append(
                REQUIREMENT_LINE.format(
                    section=SECTION_WORDS.get(requirement.section, requirement.section),
                    kind=kind_words(requirement.kind),
                    text=" ".join(requirement.text.split()),
                ).rstrip()
            )
            verdict = requirement_verdict(requirement, band=report.band)
            lines.append(
                textwrap.fill(
                    REQUIREMENT_VERDICT.format(verdict=verdict),
                    width=WIDTH,
                    subsequent_indent=" " * 8,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        for section, finding in others:
            lines.append(
                REQUIREMENT_LINE.format(
                    section=SECTION_WORDS.get(section, section),
                    kind=DEMAND_CATEGORY_KINDS[finding.category],
                    text=" ".join(finding.text.split()),
                ).rstrip()
            )
            lines.append(
                REQUIREMENT_VERDICT.format(
                    verdict=OTHER_DEMAND_VERDICT.format(severity=str(finding.severity).upper())
                )
            )
    if report.inclusion_signals:
        lines += ["", INCLUSION_HEAD]
        for signal in report.inclusion_signals:
            if signal.present:
                evidence = " / ".join(dict.fromkeys(f.text for f in signal.evidence))
                lines.append(SIGNAL_PRESENT.format(label=signal.label, evidence=evidence))
            else:
                lines.append(
                    SIGNAL_MISSING.format(label=signal.label, suggestion=signal.suggestion)
                )
    return "\n".join(lines) + "\n"


def render_reports(reports: Sequence[AdvertReport]) -> str:
    """Several adverts, separated by a rule."""
    rule = "\n" + "─" * 72 + "\n\n"
    return rule.join(render_report(report) for report in reports)


# --- the requirements table (app and HTML report) --------------------------------------------

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
