"""The portfolio review as text (terminal) and as a self-contained HTML page.

Nothing is worked out here: every status, flag and judgement, the credential balance and
the near-duplicate groups come from the :class:`~bias_audit.portfolio.results.Portfolio`
(the review's rows from :mod:`bias_audit.portfolio.review_tables`). The HTML escapes every
piece of text that came from a file (names, titles, demand words, criteria, sentences) through
:func:`bias_audit.report.html_report.table_html` and :func:`html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from bias_audit.portfolio.documents import DEMAND_KINDS, DEMAND_LABELS, STATUS_MEANING
from bias_audit.portfolio.matrix import BandMatrix
from bias_audit.portfolio.results import Flag, Portfolio
from bias_audit.portfolio.review import DocumentsReview
from bias_audit.portfolio.review_tables import (
    BALANCE_BANDS_TITLE,
    BALANCE_CAPTION,
    BALANCE_DOCUMENTS_TITLE,
    BALANCE_HEADERS,
    BALANCE_TITLE,
    CREDENTIAL_HEADERS,
    CREDENTIALS_TITLE,
    DIFFERENCE_HEADERS,
    DUPLICATES_CAPTION,
    DUPLICATES_TITLE,
    GROUP_HEADERS,
    GROUP_TITLE,
    NO_CREDENTIALS,
    NO_DUPLICATES,
    balance_rows,
    bands_differ_note,
    credential_rows,
    difference_rows,
    group_rows,
    review_text,
)
from bias_audit.report.html_report import html_document, table_html

TITLE = "Job description portfolio"
HEADLINE = "{documents} job description(s) read, {excluded} excluded; {flags} flag(s)."
STATUS_CODES = {
    "essential": "E",
    "route accepted": "R",
    "unmarked": "U",
    "desirable": "D",
    "absent": ".",
}
LEGEND = "E essential (no route) · R route accepted · U stated, unmarked · D desirable · . absent"
USUAL_ROW = "usual for the band"
NO_FLAGS = "No flags: the descriptions in this band agree and stay within the national profile."
ONE_DOCUMENT = "Only one description in this band: nothing to compare it with."
EXCLUDED_HEADING = "Files left out ({n})"
NOTES_HEADING = "Notes"
PROFILE_LINE = "National profile (Band {band}): {summary}. Profiles: {profiles}."
NOT_STATED_NOTE = (
    "These descriptions state no band and none was given in the bands file, so they are not "
    "compared with any band; give their bands in a bands CSV (file,band)."
)

_SHORT = {
    "degree": "Deg",
    "qualification_level": "NVQ",
    "gcse": "GCSE",
    "care_certificate": "CareC",
    "registration": "Reg",
    "experience": "Exp",
    "driving_licence": "Drive",
    "physical": "Phys",
    "language": "Lang",
}


def headline(portfolio: Portfolio) -> str:
    """One sentence: documents read, excluded and flags."""
    return HEADLINE.format(
        documents=len(portfolio.documents),
        excluded=len(portfolio.exclusions),
        flags=len(portfolio.flags),
    )


def band_flags(portfolio: Portfolio, matrix: BandMatrix) -> list[Flag]:
    """The flags about the documents of one matrix."""
    names = set(matrix.documents)
    return [f for f in portfolio.flags if f.document in names]


def _text_table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def render_text(portfolio: Portfolio) -> str:
    """The review for a terminal: per band, the matrix (one letter a cell), then its flags;
    then the credential balance and near-duplicate groups."""
    lines = [TITLE, "=" * len(TITLE), headline(portfolio), "", LEGEND]
    for matrix in portfolio.matrices:
        lines += ["", f"{matrix.label} — {len(matrix.documents)} description(s)"]
        if matrix.band is None:
            lines.append(NOT_STATED_NOTE)
        header = ["Document", *(_SHORT[k] for k in DEMAND_KINDS)]
        rows = [header]
        for name, cells in zip(matrix.documents, matrix.cells, strict=True):
            rows.append([name, *(STATUS_CODES[c.status] for c in cells)])
        rows.append([f"({USUAL_ROW})", *(STATUS_CODES[s] for s in matrix.usual)])
        lines += _text_table(rows)
        profile = portfolio.profiles.get(matrix.band) if matrix.band is not None else None
        if profile is not None:
            lines.append(
                PROFILE_LINE.format(
                    band=matrix.band,
                    summary=profile["summary"],
                    profiles="; ".join(profile["profiles"]),  # type: ignore[arg-type]
                )
            )
        flags = band_flags(portfolio, matrix)
        if len(matrix.documents) == 1:
            lines.append(ONE_DOCUMENT)
        if flags:
            lines += [f"- [{f.kind}] {f.message}" for f in flags]
        elif matrix.band is not None:
            lines.append(NO_FLAGS)
    review = portfolio.review
    lines += ["", *review_text(review.balances, review.by_band, review.duplicates).splitlines()]
    if portfolio.exclusions:
        lines += ["", EXCLUDED_HEADING.format(n=len(portfolio.exclusions))]
        lines += [f"- {e.reason}" for e in portfolio.exclusions]
    if portfolio.notes:
        lines += ["", NOTES_HEADING, *(f"- {n}" for n in portfolio.notes)]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ HTML

_PAGE_CSS = """
body{margin:0;background:#f0f4f5}
main{max-width:1200px;margin:0 auto;padding:1.5rem;background:#fff}
.ba-table td,.ba-table th{padding:.25rem .5rem;border-bottom:1px solid #d8dde0;text-align:left}
.ba-flags li{margin:.3rem 0}
.ba-review td{white-space:pre-line}
"""


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def matrix_rows(matrix: BandMatrix) -> list[list[str]]:
    """The matrix's rows in words (document, title, one status a demand), then the band's
    usual status."""
    rows = [
        [name, title or "", *(c.status for c in cells)]
        for name, title, cells in zip(matrix.documents, matrix.titles, matrix.cells, strict=True)
    ]
    rows.append([f"({USUAL_ROW})", "", *matrix.usual])
    return rows


MATRIX_HEADERS = ("Document", "Title", *(DEMAND_LABELS[k] for k in DEMAND_KINDS))


def matrix_html(matrix: BandMatrix) -> str:
    """One band's matrix as an escaped HTML table."""
    return table_html(MATRIX_HEADERS, matrix_rows(matrix))


def flags_html(flags: Sequence[Flag]) -> str:
    """Flags as a list; each names its source when it has one."""
    if not flags:
        return ""
    items = "".join(
        f"<li><strong>{_esc(f.kind)}</strong>: {_esc(f.message)}"
        + (f' <span class="ba-muted">Source: {_esc(f.source)}</span>' if f.source else "")
        + "</li>"
        for f in flags
    )
    return f'<ul class="ba-flags">{items}</ul>'


def band_section_html(portfolio: Portfolio, matrix: BandMatrix) -> str:
    """A band's heading, national profile, matrix and flags."""
    parts = [f"<h2>{_esc(matrix.label)} — {len(matrix.documents)} description(s)</h2>"]
    if matrix.band is None:
        parts.append(f"<p>{_esc(NOT_STATED_NOTE)}</p>")
    profile = portfolio.profiles.get(matrix.band) if matrix.band is not None else None
    if profile is not None:
        parts.append(
            "<p>"
            + _esc(
                PROFILE_LINE.format(
                    band=matrix.band,
                    summary=profile["summary"],
                    profiles="; ".join(profile["profiles"]),  # type: ignore[arg-type]
                )
            )
            + "</p>"
        )
    parts.append(matrix_html(matrix))
    flags = band_flags(portfolio, matrix)
    if len(matrix.documents) == 1:
        parts.append(f"<p>{_esc(ONE_DOCUMENT)}</p>")
    if flags:
        parts.append(flags_html(flags))
    elif matrix.band is not None:
        parts.append(f"<p>{_esc(NO_FLAGS)}</p>")
    return "".join(parts)


def _muted(text: str) -> str:
    return f'<p class="ba-muted">{_esc(text)}</p>'


def credential_balance_html(review: DocumentsReview) -> str:
    """Each document's and each band's share of credential, competence and value criteria,
    then every credential-only criterion with a competence-based wording to consider."""
    parts = [
        f"<h2>{_esc(BALANCE_TITLE)}</h2>",
        _muted(BALANCE_CAPTION),
        f"<h3>{_esc(BALANCE_DOCUMENTS_TITLE)}</h3>",
        table_html(BALANCE_HEADERS, balance_rows(review.balances)),
    ]
    if review.by_band:
        parts += [
            f"<h3>{_esc(BALANCE_BANDS_TITLE)}</h3>",
            table_html(BALANCE_HEADERS, balance_rows(review.by_band)),
        ]
    parts.append(f"<h3>{_esc(CREDENTIALS_TITLE)}</h3>")
    rows = credential_rows(review.balances)
    parts.append(table_html(CREDENTIAL_HEADERS, rows) if rows else f"<p>{_esc(NO_CREDENTIALS)}</p>")
    return '<section class="ba-review">' + "".join(parts) + "</section>"


def duplicates_html(review: DocumentsReview) -> str:
    """The near-duplicate groups, then each group's differences member by member."""
    report = review.duplicates
    parts = [f"<h2>{_esc(DUPLICATES_TITLE)}</h2>"]
    if report.not_computable:
        parts.append(f"<p>{_esc(report.not_computable)}</p>")
    else:
        parts.append(_muted(DUPLICATES_CAPTION.format(threshold=report.threshold)))
        if not report.groups:
            parts.append(f"<p>{_esc(NO_DUPLICATES)}</p>")
        else:
            parts.append(table_html(GROUP_HEADERS, group_rows(report)))
        for number, group in enumerate(report.groups, start=1):
            title = GROUP_TITLE.format(number=number, members=", ".join(group.members))
            parts.append(f"<h3>{_esc(title)}</h3>")
            note = bands_differ_note(number, group)
            if note is not None:
                parts.append(f"<p><strong>{_esc(note)}</strong></p>")
            parts.append(table_html(DIFFERENCE_HEADERS, difference_rows(group)))
    return '<section class="ba-review">' + "".join(parts) + "</section>"


def render_html(portfolio: Portfolio) -> str:
    """The whole review as one self-contained HTML page (no scripts)."""
    legend = "".join(
        f"<li><strong>{_esc(status)}</strong>: {_esc(meaning)}</li>"
        for status, meaning in STATUS_MEANING.items()
    )
    body = [f"<p>{_esc(headline(portfolio))}</p>", f"<ul>{legend}</ul>"]
    body += [band_section_html(portfolio, m) for m in portfolio.matrices]
    body += [credential_balance_html(portfolio.review), duplicates_html(portfolio.review)]
    if portfolio.exclusions:
        body.append(f"<h2>{_esc(EXCLUDED_HEADING.format(n=len(portfolio.exclusions)))}</h2>")
        body.append(table_html(("File", "Why"), [(e.name, e.reason) for e in portfolio.exclusions]))
    if portfolio.notes:
        body.append(f"<h2>{NOTES_HEADING}</h2><ul>")
        body += [f"<li>{_esc(n)}</li>" for n in portfolio.notes]
        body.append("</ul>")
    return html_document(TITLE, "".join(body), page_css=_PAGE_CSS)
