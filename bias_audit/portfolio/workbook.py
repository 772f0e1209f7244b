"""The portfolio review as an Excel workbook (openpyxl, as the recruitment workbook).

Sheets: an "About" cover (what the file is, the legend, the national profiles used with
their sources), "Flags", one matrix sheet per band, "Profile check" (every essential demand
against its band's profile), "Credential balance" (each document's and each band's essential
criteria by kind: counts and shares), "Credential criteria" (every credential-only criterion
with a competence-based wording to consider), "Near-duplicates" (one row per member of a
group compared with the group's reference: the sentences only in each), "Documents" (title,
band and where it came from, staff group) and, when any, "Files left out". Every text cell
goes through :func:`bias_audit.report.export.neutralise_formula`: a file named
``=HYPERLINK(…)`` shows as text, never runs.
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
from bias_audit.portfolio.review import DocumentsReview
from bias_audit.portfolio.review_tables import BALANCE_CAPTION, NO_DUPLICATES, NONE_FOUND
from bias_audit.report.export import neutralise_formula

ABOUT_SHEET = "About"
FLAGS_SHEET = "Flags"
PROFILE_SHEET = "Profile check"
DOCUMENTS_SHEET = "Documents"
EXCLUDED_SHEET = "Files left out"
BALANCE_SHEET = "Credential balance"
CRITERIA_SHEET = "Credential criteria"
DUPLICATES_SHEET = "Near-duplicates"
KIND_COLUMNS = (
    ("credential", "Credential"),
    ("competence", "Competence"),
    ("value", "Value / behaviour"),
    ("unclassified", "Not classified"),
)
BALANCE_SHEET_HEADERS = (
    "Document or band",
    "Per",
    "Band",
    "Essential criteria",
    *(f"{label}{what}" for _, label in KIND_COLUMNS for what in ("", " share")),
    "Not computable",
)
CRITERIA_SHEET_HEADERS = (
    "Document",
    "Band",
    "Line",
    "Criterion",
    "Equivalent route accepted",
    "Suggested competence-based wording",
    "Rule",
)
DUPLICATES_SHEET_HEADERS = (
    "Group",
    "Documents in the group",
    "Bands",
    "Bands differ",
    "Lowest similarity",
    "Reference",
    "Compared document",
    "Similarity to the reference",
    "Only in the reference",
    "Only in this document",
)
DUPLICATES_SUMMARY = "{groups} group(s), {members} document(s) (similarity {threshold} or more)"
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
    >>> openpyxl.load_workbook(io.BytesIO(data)).sheetnames  # doctest: +NORMALIZE_WHITESPACE
    ['About', 'Flags', 'Profile check', 'Credential balance', 'Credential criteria',
     'Near-duplicates', 'Documents']
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
        ("Credential balance", BALANCE_CAPTION),
        ("Near-duplicates", _duplicates_summary(portfolio.review)),
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
    _review_sheets(book, portfolio.review)
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


def _duplicates_summary(review: DocumentsReview) -> str:
    report = review.duplicates
    if report.not_computable:
        return report.not_computable
    if not report.groups:
        return NO_DUPLICATES
    return DUPLICATES_SUMMARY.format(
        groups=len(report.groups),
        members=sum(len(g.members) for g in report.groups),
        threshold=report.threshold,
    )


def _review_sheets(book: Workbook, review: DocumentsReview) -> None:
    """The credential balance (numbers, shares as percentages), the credential criteria
    with their suggested wordings, and the near-duplicate groups' differences."""
    balance_rows = [
        (
            balance.source,
            per,
            balance.band,
            sum(balance.counts.values()),
            *(
                value
                for kind, _ in KIND_COLUMNS
                for value in (
                    balance.counts[kind],
                    None if balance.shares is None else balance.shares[kind],
                )
            ),
            balance.not_computable or "",
        )
        for per, balances in (("document", review.balances), ("band", review.by_band))
        for balance in balances
    ]
    sheet = _sheet(book, BALANCE_SHEET, BALANCE_SHEET_HEADERS, balance_rows)
    for column, header in enumerate(BALANCE_SHEET_HEADERS, start=1):
        if header.endswith(" share"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = "0%"
    _sheet(
        book,
        CRITERIA_SHEET,
        CRITERIA_SHEET_HEADERS,
        [
            (
                balance.source,
                balance.band,
                criterion.line,
                criterion.text,
                "yes" if criterion.route_accepted else "no",
                criterion.rewording,
                criterion.rule_id,
            )
            for balance in review.balances
            for criterion in balance.credentials
        ],
    )
    report = review.duplicates
    _sheet(
        book,
        DUPLICATES_SHEET,
        DUPLICATES_SHEET_HEADERS,
        [
            (
                number,
                ", ".join(group.members),
                ", ".join("not known" if b is None else str(b) for b in group.bands),
                "yes" if group.bands_differ else "no",
                round(group.lowest_similarity, 4),
                group.reference,
                difference.member,
                round(difference.similarity, 4),
                "\n".join(difference.only_in_reference) or NONE_FOUND,
                "\n".join(difference.only_in_member) or NONE_FOUND,
            )
            for number, group in enumerate(report.groups, start=1)
            for difference in group.differences
        ],
    )
