"""The staff-extract reader on ESR vocabulary: columns found, values read, nothing dropped."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io import files
from bias_audit.io import workforce as reader
from bias_audit.io import workforce_columns as wc
from bias_audit.io import workforce_values as values
from bias_audit.stats import workforce_schema as ws

HEADER = (
    "Assignment Number,Ethnic Origin,Gender,Disability Flag,Pay Band,Staff Group,Hire Date,"
    "Termination Date,Leaving Reason,Age Band,Formal Disciplinary,Capability Date,"
    "Non-Mandatory Training,Board Member\n"
)
ROWS = (
    "1,A White - British,Female,No,Band 2,Additional Clinical Services,01/04/2023,,,21-25,N,,Y,\n"
    "2,C3 White - Any other white background,Male,Not Declared,Band 8 - Range A,"
    "Administrative and Clerical,2020-05-06,31/12/2024,Voluntary Resignation - Work Life "
    "Balance,46-50,Y,2024-02-01,N,Executive Director (voting)\n"
    "3,Z Not Stated,Female,Prefer Not To Answer,Consultant,Medical and Dental,bad date,,,"
    ">=71 Years,N,,N,\n"
    "4,Martian,X,Yes,Very Senior Manager,Nursing and Midwifery Registered,01-APR-2019,,,"
    "36-40,N,,Y,Non-executive director\n"
)


def read(text: str = HEADER + ROWS, **options):
    return reader.read_staff(text.encode(), name="esr.csv", extract_date="2025-03-31", **options)


def test_esr_columns_are_found_and_values_read():
    staff = read()
    frame = staff.frame
    assert staff.columns["id"] == "Assignment Number"
    assert staff.columns["capability"] == "Capability Date"
    assert frame[ws.PERSON_ID].tolist() == ["1", "2", "3", "4"]
    assert frame["ethnicity_wres"].tolist() == ["White", "White", "Not stated", "Not stated"]
    assert frame["disability"].tolist() == ["Not disabled", "Not stated", "Not stated", "Disabled"]
    assert frame[ws.BAND].tolist() == ["Band 2", "Band 8a", "Medical: Consultant", "VSM"]
    assert frame[ws.CLINICAL].tolist() == ["Clinical", "Non-clinical", "Clinical", "Clinical"]
    assert frame[ws.DISCIPLINARY].tolist() == [False, True, False, False]
    assert frame[ws.TRAINING].tolist() == [True, False, False, True]
    assert frame[ws.CAPABILITY].iloc[1] == pd.Timestamp("2024-02-01")
    assert frame[ws.CAPABILITY].isna().sum() == 3
    assert frame[ws.BOARD].tolist() == ["", "Voting and executive", "", "Voting"]
    assert frame[ws.START_DATE].tolist()[3] == pd.Timestamp("2019-04-01")
    assert frame[ws.LEAVING_DATE].iloc[1] == pd.Timestamp("2024-12-31")


def test_every_exclusion_is_counted_and_named():
    staff = read()
    assert staff.exclusions == {
        "unread_ethnicity": 1,
        "unread_gender": 1,
        "bad_dates_start_date": 1,
        "no_start_date": 1,
        "left_before_extract": 1,
    }
    assert staff.unread == {"ethnicity": ("Martian",), "gender": ("X",)}
    assert any("Hire Date: 1 value(s)" in note for note in staff.notes)
    assert len(staff.in_post()) == 3


def test_column_override_and_switch_off():
    staff = read(columns={"training": "", "band": "Staff Group", "staff_group": ""})
    assert ws.TRAINING not in staff.frame
    assert staff.columns["band"] == "Staff Group"
    assert ("band", "Staff Group", "--column") in staff.choices


@pytest.mark.parametrize(
    ("columns", "error", "words"),
    [
        ({"band": "Payband X"}, InputDataError, "there is no column with that header"),
        ({"wage": "Pay Band"}, OptionError, "not a staff-extract column role"),
        ({"band": "Pay Band", "staff_group": "pay band"}, OptionError, "named for both"),
    ],
)
def test_bad_overrides_are_refused(columns, error, words):
    with pytest.raises(error, match=words):
        read(columns=columns)


def test_counts_layout_expands_to_one_row_per_person():
    text = "Ethnic Origin,Pay Band,Headcount\nA,Band 2,3\nN,Band 2,2\nA,Band 5,0\n"
    staff = read(text)
    assert len(staff.frame) == 5
    assert staff.frame["ethnicity_wres"].value_counts().to_dict() == {"White": 3, "BME": 2}


def test_bad_counts_name_the_column():
    with pytest.raises(InputDataError, match=r'column "Headcount".*1 value'):
        read("Ethnic Origin,Pay Band,Headcount\nA,Band 2,3\nN,Band 2,two\n")


def test_dates_that_never_parse_are_refused_naming_the_column():
    with pytest.raises(InputDataError, match='column "Hire Date"'):
        read("Ethnic Origin,Hire Date\nA,soon\nB,later\n")


def test_duplicate_people_are_refused():
    with pytest.raises(InputDataError, match="more than one row"):
        read("Assignment Number,Ethnic Origin\n7,A\n7,B\n")


def test_no_ethnicity_or_disability_column():
    with pytest.raises(InputDataError, match="no ethnicity or disability column"):
        read("Pay Band,Gender\nBand 2,F\n")


def test_workbook_with_cover_sheet_and_two_extracts():
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["ESR staff in post report"])
    cover.append(["Run date", "31/03/2025"])
    data = book.create_sheet("Staff in post")
    data.append(["Employee Number", "Ethnic Origin", "Gender", "Pay Band", "Date of Birth"])
    data.append(["E1", "H Asian or Asian British - Indian", "Female", "Band 3", "1990-06-15"])
    data.append(["E2", "A White - British", "Male", "Band 4", "1960-01-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    earlier = "Employee Number,Ethnic Origin,Pay Band\nE1,H,Band 2\n"
    staff = reader.read_staff(
        buffer.getvalue(),
        name="esr.xlsx",
        extract_date="2025-03-31",
        earlier=earlier.encode(),
        earlier_name="esr-2023.csv",
    )
    assert staff.frame["ethnicity_wres"].tolist() == ["BME", "White"]
    assert staff.frame["age_band"].tolist() == ["31-35", "61-65"]
    assert staff.frame[ws.BAND_EARLIER].iloc[0] == "Band 2"
    assert pd.isna(staff.frame[ws.BAND_EARLIER].iloc[1])
    assert staff.exclusions["not_in_earlier"] == 1
    # The shared reader's words follow the kind of file: a staff table, not applications.
    skipped = files.NOTE_SHEETS_SKIPPED.format(rows="staff", skipped='"Cover"')
    assert files.NOTE_WORKBOOK.format(sheet="Staff in post", extra=skipped) in staff.notes


def test_two_extracts_need_an_identifier():
    with pytest.raises(InputDataError, match="person identifier"):
        read("Ethnic Origin,Pay Band\nA,Band 2\n", earlier=b"Ethnic Origin,Pay Band\nA,Band 2\n")


@pytest.mark.parametrize(
    ("raw", "band"),
    [
        ("Band 5", "Band 5"),
        ("Band 8 - Range A", "Band 8a"),
        ("Band 8 - Range D", "Band 8d"),
        ("Band 8B", "Band 8b"),
        ("Very Senior Manager", "VSM"),
        ("Consultant", "Medical: Consultant"),
        ("Specialty Doctor", "Medical: Non-consultant career grade"),
        ("Foundation Year 1", "Medical: Trainee grade"),
        ("Band 9", "Band 9"),
        ("Band 8", "Band 8 (range not stated)"),
        ("AfC Band 5", "Band 5"),
        ("Under Band 1", "Under Band 1"),
        ("Associate Specialist", "Medical: Non-consultant career grade"),
        ("", "Other / not stated"),
    ],
)
def test_bands(raw, band):
    assert values.place_band(raw).views[0] == band


def test_every_role_has_distinct_header_names():
    seen: dict[str, str] = {}
    for role, names in wc.STAFF_ROLE_HEADERS.items():
        for name in names:
            if role in ("ethnicity", "gender", "disability", "age_band"):
                continue
            assert seen.setdefault(name, role) == role, name


def test_blank_band_history_is_missing_not_unknown():
    text = "Ethnic Origin,Pay Band,Band at Start of Period\nA,Band 3,Band 2\nN,Band 2,\n"
    staff = read(text)
    assert staff.frame[ws.BAND_EARLIER].iloc[0] == "Band 2"
    assert pd.isna(staff.frame[ws.BAND_EARLIER].iloc[1])
    assert staff.exclusions["no_earlier_band"] == 1


def test_text_columns_are_categoricals_of_the_labels():
    frame = read().frame
    assert isinstance(frame["ethnicity_wres"].dtype, pd.CategoricalDtype)
    assert (frame["ethnicity_wres"] == "White").sum() == 2
    assert set(frame[ws.BAND].cat.categories) == {"Band 2", "Band 8a", "Medical: Consultant", "VSM"}


def test_staff_group_split_is_data_with_a_source():
    sides = values.staff_group_sides()
    assert set(sides.values()) == {"Clinical", "Non-clinical"}
    assert {k for k, v in sides.items() if v == "Non-clinical"} == {
        "administrative and clerical",
        "estates and ancillary",
    }
    from bias_audit.synthetic_workforce import STAFF_GROUPS

    for group in STAFF_GROUPS:
        assert values.place_staff_group(group).placed, group
    assert values.place_staff_group("Nursing & Midwifery Registered").views == ("Clinical",)
    assert values.place_staff_group("Martian Affairs").placed is False


def test_board_parts_use_the_readers_role_labels():
    from bias_audit.stats.workforce_cells import BOARD_PARTS

    used = {role for roles in BOARD_PARTS.values() for role in roles}
    assert used == set(values.BOARD_ROLES)
    for role, (voting, executive) in values.BOARD_ROLES.items():
        assert (role in BOARD_PARTS["voting"]) is voting
        assert (role in BOARD_PARTS["executive"]) is executive
        assert (role in BOARD_PARTS["non_voting"]) is not voting
        assert (role in BOARD_PARTS["non_executive"]) is not executive


def test_extract_date_says_how_it_was_chosen():
    # Not given: the latest date in the file (31/12/2024, a termination date), named.
    staff = reader.read_staff((HEADER + ROWS).encode(), name="esr.csv")
    assert staff.extract_date == pd.Timestamp("2024-12-31")
    note = reader.NOTE_EXTRACT_DATE_FOUND.format(date="2024-12-31", column="Termination Date")
    assert note in staff.notes
    assert note in staff.reading_notes
    # Given: no such note.
    assert not [n for n in read().notes if n.startswith("Extract date taken")]


def test_extract_date_is_today_when_the_file_has_no_dates():
    text = "Assignment Number,Ethnic Origin,Pay Band\n1,A White - British,Band 2\n"
    staff = reader.read_staff(text.encode(), name="esr.csv")
    today = pd.Timestamp.today().normalize()
    assert staff.extract_date == today
    assert reader.NOTE_EXTRACT_DATE_TODAY.format(date=today.date().isoformat()) in staff.notes
