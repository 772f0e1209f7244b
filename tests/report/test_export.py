"""Formula-safe CSV and XLSX exports."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from bias_audit.errors import OptionError
from bias_audit.report import export


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-SUM(A1)", "'-SUM(A1)"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("White - British", "White - British"),
        ("≤7", "≤7"),
        (-3, -3),
        (0.5, 0.5),
        (None, None),
    ],
)
def test_neutralise_formula(value, expected):
    assert export.neutralise_formula(value) == expected


FRAME = pd.DataFrame(
    {"group": ['=HYPERLINK("x")', "BME"], "entered": [10, "≤7"], "rate": [0.5, None]}
)


def test_csv_is_utf8_with_bom_and_safe():
    data = export.frame_to_csv(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert back["group"].tolist() == ['\'=HYPERLINK("x")', "BME"]
    assert back["entered"].tolist() == ["10", "≤7"]


def test_xlsx_round_trip_is_safe():
    data = export.frames_to_xlsx({"transitions": FRAME, "other": FRAME.head(1)})
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["transitions", "other"]
    sheet = book["transitions"]
    assert sheet["A2"].value == '\'=HYPERLINK("x")'
    assert sheet["A2"].data_type == "s"  # text, not a formula
    assert sheet["B3"].value == "≤7"


def test_bad_sheet_name():
    with pytest.raises(OptionError):
        export.frames_to_xlsx({"x" * 32: FRAME})
