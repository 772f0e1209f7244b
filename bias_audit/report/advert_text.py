"""Plain-text rendering of checked adverts, for the terminal.

Each finding is shown inside its sentence, with the flagged words marked ``[[like this]]``,
then why it matters and what to write instead.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bias_audit.report.requirement_table import (
    DEMAND_CATEGORY_KINDS,
    other_demands,
)
from bias_audit.report.requirement_words import (
    SECTION_WORDS,
    kind_words,
    requirement_verdict,
)
from bias_audit.text.band_evidence import MSG_BAND_NAMED
from bias_audit.types import Finding, Severity

if TYPE_CHECKING:
    from bias_audit.text.advert import AdvertReport

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
