"""The advert as HTML with every finding highlighted, explained and escaped.

User text reaches HTML only through this module, and every user-derived substring passes
through :func:`html.escape`, so an advert containing ``<script>`` is shown as text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from itertools import pairwise

from bias_audit.report.style import SEVERITY_MARKS, severity_mark
from bias_audit.types import Finding

NO_FINDINGS = "Nothing in this text was flagged."
SUGGESTION_PREFIX = "Consider: "


def _category_label(category: str) -> str:
    return category.replace("_", " ").capitalize()


def _tooltip(finding: Finding) -> str:
    mark = severity_mark(finding.severity)
    parts = [f"{mark.label} — {_category_label(finding.category)}: {finding.explanation}"]
    if finding.suggestions:
        parts.append(SUGGESTION_PREFIX + "; ".join(finding.suggestions))
    return "\n".join(parts)


def _segments(length: int, findings: Sequence[Finding]) -> list[tuple[int, int, list[int]]]:
    """Cut ``[0, length)`` at every finding edge; each piece lists the findings covering it.

    Overlapping findings are common (a word can be gender-coded and a cliché), so a piece can
    belong to several; it is marked with the most severe one and its tooltip names them all.
    """
    edges = {0, length}
    for f in findings:
        edges.update((max(0, min(f.start, length)), max(0, min(f.end, length))))
    cuts = sorted(edges)
    pieces = []
    for lo, hi in pairwise(cuts):
        if lo == hi:
            continue
        covering = [i for i, f in enumerate(findings) if f.start <= lo and hi <= f.end]
        pieces.append((lo, hi, covering))
    return pieces


def highlight_html(text: str, findings: Sequence[Finding], *, with_list: bool = True) -> str:
    """Render ``text`` as escaped HTML with each finding marked by severity.

    Severity is shown by colour, underline style and an icon with a numbered reference, never
    by colour alone; hovering a mark shows its explanation and suggestion (``title``), and the
    same is listed below the text when ``with_list`` is true.

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
    ordered = sorted(findings, key=lambda f: (f.start, -f.end, -int(f.severity)))
    number = {id(f): n for n, f in enumerate(ordered, start=1)}
    out = ['<div class="ba-advert">']
    for lo, hi, covering in _segments(len(text), ordered):
        piece = html.escape(text[lo:hi])
        if not covering:
            out.append(piece)
            continue
        worst = max((ordered[i] for i in covering), key=lambda f: int(f.severity))
        mark = severity_mark(worst.severity)
        title = html.escape("\n\n".join(_tooltip(ordered[i]) for i in covering))
        icons = "".join(
            f'<span class="ba-icon" aria-hidden="true">'
            f"{severity_mark(ordered[i].severity).icon}{number[id(ordered[i])]}</span>"
            for i in covering
            if ordered[i].end == hi
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

    Numbers follow the order of ``findings`` sorted by position, matching
    :func:`highlight_html`'s markers.
    """
    if not findings:
        return f'<p class="ba-muted">{html.escape(NO_FINDINGS)}</p>'
    ordered = sorted(findings, key=lambda f: (f.start, -f.end, -int(f.severity)))
    items = []
    for n, f in enumerate(ordered, start=1):
        mark = severity_mark(f.severity)
        suggestion = ""
        if f.suggestions:
            suggestion = f"<br><strong>{html.escape(SUGGESTION_PREFIX)}</strong>" + html.escape(
                "; ".join(f.suggestions)
            )
        items.append(
            f'<li value="{n}"><span class="ba-badge ba-badge-{f.severity!s}">'
            f"{mark.icon} {html.escape(mark.label)}</span>"
            f"<strong>“{html.escape(f.text)}”</strong> "
            f'<span class="ba-muted">({html.escape(_category_label(f.category))})</span><br>'
            f"{html.escape(f.explanation)}{suggestion}</li>"
        )
    return '<ol class="ba-findings">' + "".join(items) + "</ol>"


def legend_html() -> str:
    """One line explaining the severity marks (icon, word and colour)."""
    spans = [
        f'<span><mark class="ba-{sev!s}">{m.icon} {html.escape(m.label)}</mark></span>'
        for sev, m in sorted(SEVERITY_MARKS.items(), reverse=True)
    ]
    return '<div class="ba-legend">' + "".join(spans) + "</div>"
