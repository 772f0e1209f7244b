"""The advert as HTML with every finding highlighted, explained and escaped.

User text reaches HTML only through this module, and every user-derived substring passes
through :func:`html.escape`, so an advert containing ``<script>`` is shown as text.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

from bias_audit.report.style import SEVERITY_MARKS, category_label, severity_mark
from bias_audit.types import Finding

NO_FINDINGS = "Nothing in this text was flagged."
SUGGESTION_PREFIX = "Consider: "
USED_TIMES = "Used {n} times in this text; every use is highlighted."
USED_TIMES_SHORT = "used {n} times"


def reading_order(findings: Sequence[Finding]) -> list[Finding]:
    """Findings as a reader should meet them: most severe first, then by position.

    The numbers shown in the text and in the list follow this order.
    """
    return sorted(findings, key=lambda f: (-int(f.severity), f.start, -f.end))


def _spans(finding: Finding) -> tuple[tuple[int, int], ...]:
    """Every use of the finding's phrase: its own span and its other occurrences."""
    return ((finding.start, finding.end), *finding.occurrences)


def _tooltip(finding: Finding) -> str:
    mark = severity_mark(finding.severity)
    parts = [f"{mark.label} — {category_label(finding.category)}: {finding.explanation}"]
    if finding.suggestions:
        parts.append(SUGGESTION_PREFIX + "; ".join(finding.suggestions))
    if finding.occurrences:
        parts.append(USED_TIMES.format(n=finding.uses))
    return "\n".join(parts)


def _segments(
    length: int, marks: Sequence[tuple[int, int, int]]
) -> list[tuple[int, int, list[int]]]:
    """Cut ``[0, length)`` at every mark edge; each piece lists the marks covering it.

    A mark is ``(start, end, finding index)``: one per use of a finding's phrase. Overlapping
    findings are common (a word can be gender-coded and a cliché), so a piece can belong to
    several; it is marked with the most severe one and its tooltip names them all.
    """
    edges = {0, length}
    for start, end, _ in marks:
        edges.update((max(0, min(start, length)), max(0, min(end, length))))
    cuts = sorted(edges)
    pieces = []
    for lo, hi in pairwise(cuts):
        if lo == hi:
            continue
        covering = [i for i, (start, end, _) in enumerate(marks) if start <= lo and hi <= end]
        pieces.append((lo, hi, covering))
    return pieces


def highlight_html(text: str, findings: Sequence[Finding], *, with_list: bool = True) -> str:
    """Render ``text`` as escaped HTML with each finding marked by severity.

    Severity is shown by colour, underline style and an icon with a numbered reference, never
    by colour alone; hovering a mark shows its explanation and suggestion (``title``), and the
    same is listed below the text when ``with_list`` is true. Findings are numbered most severe
    first, then by position (:func:`reading_order`); every use of a repeated phrase (the
    finding and its ``occurrences``) is marked with the same number.

    Parameters
    ----------
    text
        The analysed text, exactly as the findings' offsets refer to it.
    findings
        Findings with ``text[start:end] == finding.text``.
    with_list
        Also render the numbered list of findings under the text.

    Returns
    -------
    str
        An HTML fragment (no ``<html>`` wrapper) using the classes in ``report.style``.

    Examples
    --------
    >>> highlight_html("<b>hi</b>", [], with_list=False)
    '<div class="ba-advert">&lt;b&gt;hi&lt;/b&gt;</div>'
    """
    ordered = reading_order(findings)
    marks = [
        (start, end, n) for n, f in enumerate(ordered) for start, end in _spans(f) if start < end
    ]
    out = ['<div class="ba-advert">']
    for lo, hi, covering in _segments(len(text), marks):
        piece = html.escape(text[lo:hi])
        if not covering:
            out.append(piece)
            continue
        shown = sorted({marks[i][2] for i in covering})  # finding indices, in reading order
        worst = max((ordered[n] for n in shown), key=lambda f: int(f.severity))
        mark = severity_mark(worst.severity)
        title = html.escape("\n\n".join(_tooltip(ordered[n]) for n in shown))
        icons = "".join(
            f'<span class="ba-icon" aria-hidden="true">'
            f"{severity_mark(ordered[marks[i][2]].severity).icon}{marks[i][2] + 1}</span>"
            for i in covering
            if marks[i][1] == hi
        )
        out.append(
            f'<mark class="ba-{worst.severity!s}" data-severity="{mark.label}" '
            f'title="{title}">{piece}{icons}</mark>'
        )
    out.append("</div>")
    if with_list:
        out.append(findings_list_html(ordered))
    return "".join(out)


def findings_list_html(findings: Sequence[Finding]) -> str:
    """Numbered list of findings: severity badge, phrase, why, and what instead.

    Numbers follow :func:`reading_order` (most severe first, then by position), matching
    :func:`highlight_html`'s markers; a repeated phrase says how many times it is used.
    """
    if not findings:
        return f'<p class="ba-muted">{html.escape(NO_FINDINGS)}</p>'
    ordered = reading_order(findings)
    items = []
    for n, f in enumerate(ordered, start=1):
        mark = severity_mark(f.severity)
        uses = ", " + USED_TIMES_SHORT.format(n=f.uses) if f.occurrences else ""
        suggestion = ""
        if f.suggestions:
            suggestion = f"<br><strong>{html.escape(SUGGESTION_PREFIX)}</strong>" + html.escape(
                "; ".join(f.suggestions)
            )
        items.append(
            f'<li value="{n}"><span class="ba-badge ba-badge-{f.severity!s}">'
            f"{mark.icon} {html.escape(mark.label)}</span>"
            f"<strong>“{html.escape(f.text)}”</strong> "
            f'<span class="ba-muted">({html.escape(category_label(f.category))}{uses})</span><br>'
            f"{html.escape(f.explanation)}{suggestion}</li>"
        )
    return '<ol class="ba-findings">' + "".join(items) + "</ol>"


LEGEND_CATEGORIES = "Found here: "


def legend_html(findings: Sequence[Finding] = ()) -> str:
    """One line explaining the severity marks (icon, word and colour), then the categories
    of ``findings`` by name with their counts, most frequent first.

    >>> from bias_audit.types import Severity
    >>> f = Finding("h", "health_screening", Severity.HIGH, 0, 1, "x", "", (), "")
    >>> legend_html([f]).endswith("Found here: Health screening before an offer (1)</p>")
    True
    """
    spans = [
        f'<span><mark class="ba-{sev!s}">{m.icon} {html.escape(m.label)}</mark></span>'
        for sev, m in sorted(SEVERITY_MARKS.items(), reverse=True)
    ]
    legend = '<div class="ba-legend">' + "".join(spans) + "</div>"
    counts = Counter(f.category for f in findings)
    if not counts:
        return legend
    named = ", ".join(
        f"{category_label(category)} ({n})"
        for category, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    return legend + f'<p class="ba-muted">{html.escape(LEGEND_CATEGORIES + named)}</p>'
