"""The board-ready recruitment workbook, read back with openpyxl; the download names."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from bias_audit.cli import app
from bias_audit.report import export
from bias_audit.report import workbook as wb
from bias_audit.services import audit_extract
from bias_audit.stats import indicators

EXAMPLE = Path(__file__).resolve().parents[2] / "example_data" / "recruitment_extract.csv"
GENERATED = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
VIEW_SHEETS = [
    "Ethnicity (WRES)",
    "Ethnic group",
    "Ethnicity (detailed)",
    "Gender",
    "Disability",
    "Ethnicity × gender",
]
# Columns whose numbers count people (the small-number rule applies to them).
COUNT_HEADERS = {
    c.header
    for columns in (
        wb.TRANSITION_COLUMNS,
        wb.STAGE_COLUMNS,
        wb.INDICATOR_COLUMNS,
        wb.STRATA_COLUMNS,
        wb.SCHEME_COLUMNS,
    )
    for c in columns
    if c.kind == "count"
}
CODE_NAMES = ("ethnicity_wres", "one_person_check", "relative_likelihood", "not_computable")


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def table(sheet) -> list[dict[str, openpyxl.cell.Cell]]:
    """Rows below the header as header -> cell."""
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


@pytest.fixture(scope="module")
def example_audit():
    return audit_extract(EXAMPLE, stratify="Staff Group")


@pytest.fixture(scope="module")
def example_book(example_audit):
    return load(wb.recruitment_workbook(example_audit, generated=GENERATED))


def small_extract(*, disability: bool = True, sex: str = "Male") -> bytes:
    """200 applications: White British (A) or Black African (N), Female or ``sex``, five
    Disabled (or no disability column)."""
    header = "Applicant ID,Ethnic Origin,Sex" + (",Disability" if disability else "") + ",Outcome"
    rows = [header]
    plan = [("Appointed", 40), ("Not shortlisted", 100), ("Interviewed - unsuccessful", 60)]
    n = 0
    for outcome, count in plan:
        for _ in range(count):
            cells = [str(n), "A" if n % 2 else "N", "Female" if n % 3 else sex]
            if disability:
                cells.append("Yes" if n % 40 == 0 else "No")
            rows.append(",".join([*cells, outcome]))
            n += 1
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture(scope="module")
def small_published():
    return audit_extract(small_extract(), name="small.csv")


# With small numbers protected, each p is the largest any counts rounding to the shown ones
# give: the header says it is a bound.
P_PUBLISHED = "Fisher exact p (two-sided), at most (allowing for rounding)"

# ---------------------------------------------------------------------------- structure


def test_sheets_in_order(example_book):
    assert example_book.sheetnames == [
        wb.COVER_SHEET,
        *VIEW_SHEETS,
        wb.STAGE_SHEET,
        wb.INDICATOR_SHEET,
        wb.STRATA_SHEET,
    ]


def test_view_sheet_headers_are_words(example_book):
    headers = [c.value for c in example_book["Ethnicity (WRES)"][1]]
    assert headers == [
        "Step",
        "Group",
        "Reference group",
        "Entered the step",
        "Went on to the next stage",
        "Hidden counts",
        "Rate of going on",
        "Relative likelihood (reference ÷ group)",
        "RL 95% CI, low",
        "RL 95% CI, high",
        "Outside the band",
        "Impact ratio (group ÷ highest)",
        "Fisher exact p (two-sided), at most (allowing for rounding)",
        "Mid-P, at most (allowing for rounding)",
        "z (two proportions)",
        "Statistically significant?",
        "One-person check (does the flag survive one more person?)",
        "Shortfall (people, at the reference rate)",
        "Not computable because",
        "In words",
    ]


def test_every_table_sheet_has_a_bold_frozen_filtered_header(example_book):
    for sheet in example_book.worksheets[1:]:
        headers = [c.value for c in sheet[1]]
        assert sheet.freeze_panes == "A2", sheet.title
        last = get_column_letter(len(headers))
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}", sheet.title
        assert all(c.font.b for c in sheet[1]), sheet.title
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        for header in headers:
            assert "_" not in header and header not in CODE_NAMES, (sheet.title, header)


def test_widths_fit_long_headers_and_content(example_book):
    sheet = example_book["Ethnicity (detailed)"]
    widths = {c.value: sheet.column_dimensions[c.column_letter].width for c in sheet[1]}
    default = 13  # openpyxl's width for a column it was not told about
    assert widths["Relative likelihood (reference ÷ group)"] > default
    assert widths["Impact ratio (group ÷ highest)"] > default
    # The longest group label fits on one line.
    longest = max(len(r["Group"].value) for r in table(sheet))
    assert widths["Group"] >= longest
    assert widths["In words"] == wb.SENTENCE_WIDTH


KIND_OF = {
    c.header: c.kind
    for columns in (wb.TRANSITION_COLUMNS, wb.STAGE_COLUMNS, wb.INDICATOR_COLUMNS)
    for c in columns
}


def test_number_columns_hold_only_numbers_with_their_format(example_book):
    checked = 0
    for sheet in example_book.worksheets[1:]:
        for row in table(sheet):
            for header, cell in row.items():
                kind = KIND_OF.get(header)
                if kind is None or kind == "text":
                    continue
                assert cell.value is None or type(cell.value) in (int, float), (
                    sheet.title,
                    header,
                    cell.value,
                )
                assert cell.number_format == wb.NUMBER_FORMATS[kind], (sheet.title, header)
                checked += cell.value is not None
    assert checked > 1000


@pytest.mark.parametrize(
    ("header", "number_format"),
    [
        ("Rate of going on", "0.0%"),
        ("Relative likelihood (reference ÷ group)", "0.00"),
        ("Impact ratio (group ÷ highest)", "0.00"),
        (P_PUBLISHED, '[<0.001]"< 0.001";0.000'),
        ("Entered the step", "#,##0"),
    ],
)
def test_formats_of_the_main_columns(example_book, header, number_format):
    rows = table(example_book["Ethnicity (WRES)"])
    cells = [r[header] for r in rows if r[header].value is not None]
    assert cells
    assert {c.number_format for c in cells} == {number_format}
    assert all(isinstance(c.value, int | float) for c in cells)


def test_values_match_the_audit(example_book, example_audit):
    """BME, applied → shortlisted, as the audit publishes it (numbers, not text)."""
    expected = example_audit.transitions.query(
        "attribute == 'ethnicity_wres' and group == 'BME' and step == 0"
    ).iloc[0]
    row = next(
        r
        for r in table(example_book["Ethnicity (WRES)"])
        if r["Group"].value == "BME" and r["Step"].value == "Applied → shortlisted"
    )
    assert row["Entered the step"].value == expected["entered"] == 1500
    assert row["Went on to the next stage"].value == expected["progressed"] == 375
    assert row["Rate of going on"].value == pytest.approx(0.25)
    assert row["Relative likelihood (reference ÷ group)"].value == pytest.approx(1.3)
    assert row["Impact ratio (group ÷ highest)"].value == pytest.approx(0.77)
    assert row[P_PUBLISHED].value < 0.001  # shown as "< 0.001"
    assert row["Outside the band"].value == "yes"
    assert row["Not computable because"].value is None


def test_reference_and_not_stated_rows_say_why_their_statistics_are_blank(example_book):
    rows = table(example_book["Disability"])
    reference = next(r for r in rows if r["Group"].value == "Not disabled")
    assert reference[P_PUBLISHED].value is None
    assert reference["Not computable because"].value == wb.REFERENCE_ROW
    not_stated = next(r for r in rows if r["Group"].value == "Not stated")
    assert not_stated["Relative likelihood (reference ÷ group)"].value is None
    assert not_stated["Not computable because"].value == wb.NOT_STATED_ROW


# ------------------------------------------------------------------- small numbers hidden


def test_hidden_counts_are_blank_numbers_with_the_marker(example_book, example_audit):
    hidden = example_audit.transitions.query("attribute == 'ethnicity_wres' and suppressed")
    assert len(hidden) > 0
    marked = [
        r for r in table(example_book["Ethnicity (WRES)"]) if r["Hidden counts"].value is not None
    ]
    assert len(marked) == len(hidden)
    for row in marked:
        marker = row["Hidden counts"].value
        assert ("entered" in marker) == (row["Entered the step"].value is None)
        assert ("went on" in marker) == (row["Went on to the next stage"].value is None)
        assert row["Rate of going on"].value is None
        assert row["Not computable because"].value  # the audit's reason, beside the blank
    star = next(r for r in marked if r["Group"].value == "Not stated")
    assert star["Hidden counts"].value == "entered *, went on *"
    assert star["Entered the step"].value is None
    assert star["Entered the step"].number_format == "#,##0"


def test_no_count_of_1_to_7_anywhere_in_published_mode(example_book):
    """Scan every cell: no count column shows 1–7, and no text cell in any count column."""
    counts_seen = 0
    for sheet in example_book.worksheets[1:]:
        for row in table(sheet):
            for header, cell in row.items():
                if header not in COUNT_HEADERS:
                    continue
                assert not isinstance(cell.value, str), (sheet.title, header, cell.value)
                if cell.value is not None:
                    counts_seen += 1
                    assert not 1 <= cell.value <= 7, (sheet.title, header, cell.coordinate)
                    assert cell.value % 5 == 0  # rounded to the nearest 5
    assert counts_seen > 500
    # The marker text is never in a number cell: "≤7" and "*" appear only in text columns.
    for sheet in example_book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in ("≤7", "*"):
                    pytest.fail(f"{sheet.title}!{cell.coordinate} holds a bare label")


def test_suppression_off_shows_exact_counts_and_withdrawals(small_published):
    audit = audit_extract(small_extract(), name="small.csv", suppression=False)
    book = load(wb.recruitment_workbook(audit, generated=GENERATED))
    rows = table(book["Disability"])
    disabled = next(
        r for r in rows if r["Group"].value == "Disabled" and r["Step"].value.startswith("Applied")
    )
    assert disabled["Entered the step"].value == 5  # exact: 200 / 40
    assert "Withdrew at this step" in {c.value for c in book["Disability"][1]}
    published = load(wb.recruitment_workbook(small_published))
    assert "Withdrew at this step" not in {c.value for c in published["Disability"][1]}
    cover = cover_text(book)
    assert wb.SUPPRESSION_OFF in cover and wb.SUPPRESSION_RULE not in cover
    # Exact counts: p is the test's own, headed as such, and the cover says nothing of bounds.
    headers = {c.value for c in book["Disability"][1]}
    assert "Fisher exact p (two-sided)" in headers and P_PUBLISHED not in headers
    assert wb.BAND_NOTE_ROUNDED not in cover
    assert wb.BAND_NOTE_ROUNDED in cover_text(published)


# ------------------------------------------------------------------------ not computable


def test_wdes_without_a_disability_column_is_blank_with_the_reason():
    audit = audit_extract(small_extract(disability=False), name="no-disability.csv")
    book = load(wb.recruitment_workbook(audit, generated=GENERATED))
    rows = {r["Indicator"].value: r for r in table(book[wb.INDICATOR_SHEET])}
    wdes = rows[indicators.WDES_NAME]
    for header in (
        "Relative likelihood of appointment (reference ÷ focal)",
        "95% CI, low",
        P_PUBLISHED,
        "Reference: shortlisted",
        "Reference: appointed",
        "Focal: shortlisted",
        "Focal: appointed",
        "Not stated, left out",
    ):
        assert wdes[header].value is None, header
    assert wdes["Not computable because"].value == wb.NOT_COUNTED.format(
        reason=audit.wdes_metric_2["reason"]
    )
    assert "disability" in wdes["Not computable because"].value
    wres = rows[indicators.WRES_NAME]  # counted: its counts are there
    assert wres["Reference: shortlisted"].value == 50
    assert not str(wres["Not computable because"].value).startswith("not counted")
    assert "Disability" not in book.sheetnames


def test_wdes_with_no_disabled_shortlisted_keeps_the_true_zero():
    """Counted but not computable: the 0 is a count, the ratio is blank with its reason."""
    rows = ["Applicant ID,Ethnic Origin,Disability,Outcome"]
    rows += [f"{i},{'A' if i % 2 else 'N'},No,Appointed" for i in range(60)]
    rows += [f"{i},{'A' if i % 2 else 'N'},No,Interviewed - unsuccessful" for i in range(60, 120)]
    rows += [f"{i},A,Yes,Not shortlisted" for i in range(120, 160)]
    audit = audit_extract(("\n".join(rows) + "\n").encode(), name="none.csv")
    sheet = load(wb.recruitment_workbook(audit))[wb.INDICATOR_SHEET]
    wdes = {r["Indicator"].value: r for r in table(sheet)}[indicators.WDES_NAME]
    assert wdes["Focal: shortlisted"].value == 0
    assert wdes["Relative likelihood of appointment (reference ÷ focal)"].value is None
    assert wdes["Not computable because"].value == indicators.NOT_COMPUTABLE_MISSING.format(
        group="Disabled"
    )


# -------------------------------------------------------------------------------- cover


def cover_text(book: openpyxl.Workbook) -> str:
    sheet = book[wb.COVER_SHEET]
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def test_cover_sheet_says_what_the_workbook_is(example_book, example_audit):
    text = cover_text(example_book)
    cover = example_book[wb.COVER_SHEET]
    labels = {r[0].value: r[1].value for r in cover.iter_rows() if r[0].value}
    assert labels["Source file"] == "recruitment_extract.csv"
    assert labels["Generated"].startswith("07 December 2026 09:30 UTC (bias-audit ")
    assert labels["Small numbers"] == wb.SUPPRESSION_RULE
    assert labels["Relative likelihood (RL)"] == wb.RL_DEFINITION
    assert labels["Impact ratio (IR)"] == wb.IR_DEFINITION
    assert labels["Band for relative likelihood"] == "0.80 to 1.25"
    assert labels["Stratified by"] == "Staff Group"
    assert "applied → shortlisted → interviewed → offered → appointed" in text
    assert "Ethnicity (WRES): White" in labels["Reference groups"]
    assert "≤7 = a count of 1 to 7" in text
    for warning in example_audit.warnings:
        assert warning in text
    for sheet in example_book.sheetnames[1:]:
        assert sheet in labels  # the list of contents names every sheet
    assert "Above 1: the reference group" in wb.RL_DEFINITION
    assert "below 0.80 is flagged" in wb.IR_DEFINITION


# --------------------------------------------------------------------- formula injection


def test_user_text_cannot_become_a_formula():
    """A source name, and any label the audit carries, stays text in every sheet."""
    formula = '=HYPERLINK("http://x")'
    audit = audit_extract(small_extract(), name="=cmd|' /C calc'!A0.csv")
    transitions = audit.transitions.copy()
    transitions.loc[transitions["group"] == "Female", "group"] = formula
    book = load(wb.recruitment_workbook(dataclasses.replace(audit, transitions=transitions)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(export.FORMULA_STARTS)]
    assert texts.count("'" + formula) == len(transitions.query("group == @formula"))
    assert "'=cmd|' /C calc'!A0.csv" in texts


@pytest.mark.parametrize(
    ("output_format", "suffix"), [("xlsx", ".xlsx"), ("text", ".txt"), ("html", ".html")]
)
def test_output_path_in_a_folder_is_named_after_the_source(tmp_path, output_format, suffix):
    path = export.output_path(
        tmp_path, "advert", "ads/Band 5 nurse.docx", output_format=output_format
    )
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert path == tmp_path / f"bias-audit_advert_Band-5-nurse_{today}{suffix}"
    assert export.output_path(tmp_path / "x.html", "advert", "a", output_format="html") == (
        tmp_path / "x.html"
    )


# --------------------------------------------------------------------------- file names


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("recruitment_extract.csv", "bias-audit_recruitment_recruitment-extract_2026-12-07.xlsx"),
        ("Q3 2026 TRAC export.xlsx", "bias-audit_recruitment_Q3-2026-TRAC-export_2026-12-07.xlsx"),
        ("/home/ana/data/trust.csv", "bias-audit_recruitment_trust_2026-12-07.xlsx"),
        ("C:\\Users\\ana\\trust.csv", "bias-audit_recruitment_trust_2026-12-07.xlsx"),
        ("../../etc/passwd", "bias-audit_recruitment_passwd_2026-12-07.xlsx"),
        ("Données été.csv", "bias-audit_recruitment_Données-été_2026-12-07.xlsx"),
        ("Donne\u0301es.csv", "bias-audit_recruitment_Données_2026-12-07.xlsx"),  # NFC
        ("採用データ.csv", "bias-audit_recruitment_採用データ_2026-12-07.xlsx"),
        ("a\x00b\tc\nd.csv", "bias-audit_recruitment_a-b-c-d_2026-12-07.xlsx"),
        ("=cmd|calc.csv", "bias-audit_recruitment_cmd-calc_2026-12-07.xlsx"),
        ("...", "bias-audit_recruitment_extract_2026-12-07.xlsx"),
        ("", "bias-audit_recruitment_extract_2026-12-07.xlsx"),
        (None, "bias-audit_recruitment_extract_2026-12-07.xlsx"),
        ("report.final.v2.csv", "bias-audit_recruitment_report.final.v2_2026-12-07.xlsx"),
        (
            "synthetic extract (5000 applications, seed 1)",
            "bias-audit_recruitment_synthetic-extract-5000-applications-seed-1_2026-12-07.xlsx",
        ),
    ],
)
def test_download_name(source, expected):
    assert (
        export.download_name("recruitment", source, extension="xlsx", on=dt.date(2026, 12, 7))
        == expected
    )


def test_download_name_of_a_very_long_source_is_cut():
    name = export.download_name("advert", "x" * 500 + ".txt", extension="html", on=GENERATED)
    assert name == f"bias-audit_advert_{'x' * export.SOURCE_STEM_MAX}_2026-12-07.html"


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=300))
def test_download_name_is_always_one_safe_file_name(source):
    name = export.download_name("recruitment", source, extension="xlsx", on=GENERATED)
    prefix, kind, stem, date = name.removesuffix(".xlsx").split("_")
    assert (prefix, kind, date) == ("bias-audit", "recruitment", "2026-12-07")
    assert 1 <= len(stem) <= export.SOURCE_STEM_MAX
    assert re.fullmatch(r"[\w.-]+", stem) and not stem.startswith((".", "-"))
    assert "/" not in name and "\\" not in name


def test_cli_out_folder_gets_the_named_file(tmp_path):
    extract = tmp_path / "Trust extract.csv"
    extract.write_bytes(small_extract())
    result = CliRunner().invoke(
        app, ["recruitment", str(extract), "--format", "xlsx", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    today = dt.datetime.now(dt.UTC).date().isoformat()
    written = tmp_path / f"bias-audit_recruitment_Trust-extract_{today}.xlsx"
    assert written.is_file()
    assert load(written.read_bytes()).sheetnames[0] == wb.COVER_SHEET
    # A file path is used as given.
    mine = tmp_path / "mine.xlsx"
    result = CliRunner().invoke(
        app, ["recruitment", str(extract), "--format", "xlsx", "--out", str(mine)]
    )
    assert result.exit_code == 0 and mine.is_file()


def test_hidden_indicator_counts_are_blank_and_marked(small_published):
    sheet = load(wb.recruitment_workbook(small_published))[wb.INDICATOR_SHEET]
    wdes = {r["Indicator"].value: r for r in table(sheet)}[indicators.WDES_NAME]
    assert wdes["Reference: shortlisted"].value == 100
    assert (wdes["Focal: shortlisted"].value, wdes["Focal: appointed"].value) == (None, None)
    assert wdes["Hidden counts"].value == "Disabled shortlisted ≤7, Disabled appointed *"
    assert wdes["Relative likelihood of appointment (reference ÷ focal)"].value is None
    assert wdes["Not computable because"].value == "a count of 1–7"
