"""Workbooks: the sheet holding the data is found past cover and notes sheets and named in
the reading notes; two sheets that could both be the data are listed, and --sheet picks."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bias_audit.errors import InputDataError
from bias_audit.io.extract import read_funnel
from bias_audit.io.files import (
    MSG_SEVERAL_SHEETS,
    NOTE_SHEETS_SKIPPED,
    NOTE_WORKBOOK,
    SeveralSheetsError,
)
from bias_audit.stats import schema

COVER = [
    ["Equal Opportunities Progress report"],
    ["Trust", "Example NHS Foundation Trust"],
    ["Status", "Final"],  # a known header word, on a sheet that is not the data
    ["Notes", "Ethnicity as given by the applicant; outcome as at 1 March"],
    ["Period", "2025/26"],
]
NOTES = [["Notes"], ["Outcome", "Status of the application at the report date"]]
HEADERS = ["Application ID", "Ethnic Origin", "Gender", "Disabled", "Application Status"]
STATUSES = ("Appointed", "Not shortlisted", "Interview - unsuccessful", "Offer declined")


def applications(n: int = 24) -> list[list[object]]:
    return [
        [
            f"NHSJ{i:04d}",
            "A White - British" if i % 2 else "N Black or Black British - African",
            "Female" if i % 3 else "Male",
            "No" if i % 4 else "Yes",
            STATUSES[i % len(STATUSES)],
        ]
        for i in range(n)
    ]


def workbook(*sheets: tuple[str, list[list[object]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_nhs_jobs_like_workbook_with_a_cover_sheet():
    data = workbook(
        ("Cover", COVER), ("Applications", [HEADERS, *applications()]), ("Notes", NOTES)
    )
    funnel = read_funnel(data, name="nhsjobs.xlsx")
    assert funnel.notes[0] == NOTE_WORKBOOK.format(
        sheet="Applications",
        extra=NOTE_SHEETS_SKIPPED.format(rows="applications", skipped='"Cover", "Notes"'),
    )
    # Hand count: 24 rows, statuses cycle every 4: 6 appointed, 6 declined an offer.
    stages = funnel.counts.groupby(schema.FURTHEST_STAGE, observed=True)[schema.COUNT].sum()
    assert stages.to_dict() == {"applied": 6, "interviewed": 6, "offered": 6, "appointed": 6}
    assert funnel.counts[schema.COUNT].sum() == 24


def test_data_under_title_lines_on_the_second_sheet():
    rows = [["Recruitment extract"], ["Run 01/03/2026"], [], HEADERS, *applications(8)]
    funnel = read_funnel(workbook(("Read me", COVER), ("Extract", rows)), name="trac.xlsx")
    assert 'sheet "Extract"' in funnel.notes[0]
    assert funnel.counts[schema.COUNT].sum() == 8


def test_two_sheets_that_could_both_be_the_data_are_listed():
    summary = [["Ethnic Origin", "Applied", "Shortlisted", "Appointed"], ["A", 10, 5, 2]]
    data = workbook(
        ("Cover", COVER), ("Applications", [HEADERS, *applications()]), ("Summary", summary)
    )
    with pytest.raises(SeveralSheetsError) as err:
        read_funnel(data, name="two.xlsx")
    assert isinstance(err.value, InputDataError)  # the CLI exits 2 on it
    assert err.value.sheets == ("Applications", "Summary")  # for the app's picker
    assert str(err.value) == MSG_SEVERAL_SHEETS.format(
        file="two.xlsx",
        rows="applications",
        sheets='"Applications", "Summary"',
        first="Applications",
    )
    funnel = read_funnel(data, name="two.xlsx", sheet="Applications")
    assert funnel.counts[schema.COUNT].sum() == 24
    assert funnel.notes[0] == NOTE_WORKBOOK.format(sheet="Applications", extra="")
    counts = read_funnel(data, name="two.xlsx", sheet="Summary")
    assert counts.stages == ("applied", "shortlisted", "appointed")


def test_partially_usable_workbook_is_analysed():
    rows = [HEADERS, *[[r[0], "Prefer not to say", *r[2:]] for r in applications()]]
    funnel = read_funnel(workbook(("Cover", COVER), ("Data", rows)), name="p.xlsx")
    assert set(funnel.not_computable) == {"ethnicity"}
    assert schema.GENDER in funnel.attributes
    assert schema.DISABILITY in funnel.attributes
