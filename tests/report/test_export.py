"""Formula-safe CSV exports (the workbook: tests/report/test_workbook.py)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

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
