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

from bias_audit.types import Finding, Severity

if TYPE_CHECKING:
    from bias_audit.text.advert import AdvertReport

CONTEXT_CHARS = 90
"""At most this many characters of the sentence are shown on each side of a finding."""
WIDTH = 100
INDENT = " " * 7

HEADER = "{source} — {band}"
BAND_STATED = "band {band} ({band_source})"
BAND_NOT_STATED = "band not stated"
SUMMARY = "{total} finding(s): {high} high, {medium} medium, {low} low{allowed}"


def findings_phrase(count: int) -> str:
    """``"1 finding"``, ``"3 findings"``: the count in words a reader expects.

    >>> findings_phrase(1), findings_phrase(0)
    ('1 finding', '0 findings')
    """
    return f"{count} finding" if count == 1 else f"{count} findings"


ALLOWED = "; {n} silenced by the allow list"
GENDER = "Gender coding: {verdict} (masculine-coded: {masculine}; feminine-coded: {feminine})"
GENDER_TOO_LITTLE_LABEL = "too little text to judge"
READING = "Readability: {summary} Flesch reading ease {ease}."
READING_NONE = "Readability: not computable (no words)."
FINDING_HEAD = "{severity:<6} line {line}: {rule_id} ({category})"
FINDING_WHY = "       Why: {explanation}"
FINDING_TRY = "       Try: {suggestions}"
NO_FINDINGS = "No findings."
REQUIREMENTS_HEAD = "Requirements ({n}):"
REQUIREMENT_LINE = "  {section:<11} {kind:<19} {route:<16} {verdict:<6} {text}"
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

    A band that is not stated is said once, not as "not stated (not stated)".
    """
    if report.band is None:
        return BAND_NOT_STATED
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


def render_report(report: AdvertReport) -> str:
    """One advert's findings, gender coding, readability, requirements and signals."""
    counts = Counter(f.severity for f in report.findings)
    lines = [
        HEADER.format(source=report.source, band=band_label(report)),
        SUMMARY.format(
            total=len(report.findings),
            high=counts[Severity.HIGH],
            medium=counts[Severity.MEDIUM],
            low=counts[Severity.LOW],
            allowed=ALLOWED.format(n=len(report.allowed)) if report.allowed else "",
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
        lines.append(READING_NONE)
    else:
        lines.append(
            READING.format(summary=readability.summary, ease=readability.flesch_reading_ease)
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
            )
        )
        lines.append(_wrap(INDENT + sentence_context(report.text, finding)))
        lines.append(_wrap(FINDING_WHY.format(explanation=" ".join(finding.explanation.split()))))
        if finding.suggestions:
            lines.append(_wrap(FINDING_TRY.format(suggestions="; ".join(finding.suggestions))))
    if report.requirements:
        lines += ["", REQUIREMENTS_HEAD.format(n=len(report.requirements))]
        for requirement in report.requirements:
            verdict = "ok" if requirement.finding is None else str(requirement.finding.severity)
            route = "equivalent ok" if requirement.equivalent_accepted else "no equivalent"
            lines.append(
                REQUIREMENT_LINE.format(
                    section=requirement.section,
                    kind=requirement.kind,
                    route=route,
                    verdict=verdict,
                    text=requirement.text,
                ).rstrip()
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
