"""The portfolio review as an Excel workbook (openpyxl, as the recruitment workbook).

Sheets: an "About" cover (what the file is, the legend, the national profiles used with
their sources), "Flags", one matrix sheet per band, "Profile check" (every essential demand
against its band's profile), "Documents" (title, band and where it came from, staff group)
and, when any, "Files left out". Every text cell goes through
:func:`bias_audit.report.export.neutralise_formula`: a file named ``=HYPERLINK(…)`` shows
as text, never runs.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bias_audit import __version__
from bias_audit.portfolio.documents import STATUS_MEANING
from bias_audit.portfolio.render import MATRIX_HEADERS, TITLE, headline, matrix_rows
from bias_audit.portfolio.results import Portfolio
from bias_audit.report.export import neutralise_formula

ABOUT_SHEET = "About"
FLAGS_SHEET = "Flags"
PROFILE_SHEET = "Profile check"
DOCUMENTS_SHEET = "Documents"
EXCLUDED_SHEET = "Files left out"
MAX_WIDTH = 60


def _sheet(book: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]):
    sheet = book.create_sheet(title[:31])
    sheet.append([neutralise_formula(str(h)) for h in headers])
    for row in rows:
        sheet.append([neutralise_formula(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    for index, header in enumerate(headers, start=1):
        values = [str(header), *(str(r[index - 1] or "") for r in rows)]
        width = min(MAX_WIDTH, max(len(v) for v in values) + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def portfolio_workbook(portfolio: Portfolio, *, generated: dt.datetime | None = None) -> bytes:
    """The workbook's bytes.

    >>> import openpyxl
    >>> from bias_audit.portfolio.results import build_portfolio
    >>> data = portfolio_workbook(build_portfolio([]))
    >>> openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    ['About', 'Flags', 'Profile check', 'Documents']
    """
    generated = generated or dt.datetime.now(dt.UTC)
    book = Workbook()
    about = book.active
    about.title = ABOUT_SHEET
    cover = [
        (TITLE, ""),
        ("Summary", headline(portfolio)),
        ("Generated", f"{generated:%Y-%m-%d %H:%M} UTC (bias-audit {__version__})"),
        ("", ""),
        ("Cell status", "Meaning"),
        *STATUS_MEANING.items(),
        ("", ""),
        ("National profile", "What it expects (our summary) — sources"),
    ]
    for band, profile in portfolio.profiles.items():
        cover.append(
            (
                f"Band {band}",
                f"{profile['summary']} — {'; '.join(profile['profiles'])}",  # type: ignore[arg-type]
            )
        )
    for row in cover:
        about.append([neutralise_formula(v) for v in row])
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 110
    _sheet(
        book,
        FLAGS_SHEET,
        ("Band", "Document", "Flag", "What", "Words in the document", "Source"),
        [
            (f.band, f.document, f.kind, f.message, " / ".join(f.texts), f.source)
            for f in portfolio.flags
        ],
    )
    for matrix in portfolio.matrices:
        _sheet(book, matrix.label, MATRIX_HEADERS, matrix_rows(matrix))
    _sheet(
        book,
        PROFILE_SHEET,
        ("Document", "Band", "Demand", "Words", "RQF level", "Verdict", "Why", "Source"),
        [
            (j.document, j.band, j.kind, j.text, j.level, j.verdict, j.why, j.source)
            for j in portfolio.judgements
        ],
    )
    _sheet(
        book,
        DOCUMENTS_SHEET,
        ("Document", "Title", "Band", "Band from", "Staff group", "Notes"),
        [
            (d.name, d.title, d.band, d.band_source, d.staff_group, " ".join(d.notes))
            for d in portfolio.documents
        ],
    )
    if portfolio.exclusions:
        _sheet(
            book,
            EXCLUDED_SHEET,
            ("File", "Why it was left out"),
            [(e.name, e.reason) for e in portfolio.exclusions],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
