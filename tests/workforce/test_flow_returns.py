"""The WRES / WDES national-returns workbook (issue 12 points 5, 7): exact counts laid out
like the returns, refused in published mode, formula-safe."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bias_audit.errors import OptionError
from bias_audit.io.workforce import read_staff
from bias_audit.report import workforce_returns as wr
from bias_audit.shipped import shipped_path
from bias_audit.stats.workforce_audit import all_indicators
from bias_audit.stats.workforce_cells import staff_cells


@pytest.fixture(scope="module")
def indicators():
    staff = read_staff(shipped_path("example_data") / "workforce_extract.csv")
    return all_indicators(staff_cells(staff.frame, extract_date=staff.extract_date))


def sheet_rows(content, name):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [r for r in book[name].iter_rows(values_only=True) if any(v is not None for v in r)]


def line(rows, text):
    return next(r for r in rows if r[0] == text)


def test_layout_and_exact_counts(indicators):
    content = wr.returns_workbook({**indicators, "suppression": False})
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Cover", "WRES", "WDES"]
    cover = [r[0] for r in sheet_rows(content, "Cover")]
    assert "EXACT COUNTS" in cover[1] and "do not publish" in cover[2]
    wres = sheet_rows(content, "WRES")
    board = indicators["wres_indicator_9"]["parts"]["voting"]
    assert line(wres, "of which: voting members")[1:5] == (
        board["White"],
        board["BME"],
        board["Not stated"],
        board["members"],
    )
    w3 = indicators["wres_indicator_3"]
    rl = line(wres, "Relative likelihood (BME ÷ White)")
    assert rl[5] == pytest.approx(w3["value"])
    assert line(wres, "Staff who entered (two years)")[1:3] == (
        w3["White"]["entered"],
        w3["BME"]["entered"],
    )
    band2 = next(
        b
        for b in indicators["wres_indicator_1"]["bands"]
        if (b["clinical"], b["band"]) == ("Clinical", "Band 2")
    )
    assert line(wres, "Clinical: Band 2")[1:5] == (
        band2["White"],
        band2["BME"],
        band2["Not stated"],
        band2["total"],
    )
    headers = next(r for r in wres if r[0] == "Line of the return")
    assert headers[1:4] == ("White", "BME", "Unknown or null")


def test_wdes_clusters_add_up_to_the_workforce(indicators):
    wdes = sheet_rows(wr.returns_workbook({**indicators, "suppression": False}), "WDES")
    clusters = [r for r in wdes if isinstance(r[0], str) and ": Cluster " in r[0]]
    assert len(clusters) == 14
    overall = indicators["wdes_metric_1"]["workforce"]
    in_clusters = sum(r[4] for r in clusters)
    # Clusters leave out only "Other / not stated" bands and rows of unknown clinical status.
    other = sum(
        b["total"]
        for b in indicators["wdes_metric_1"]["bands"]
        if b["band"] not in {m for _, ms in wr.CLUSTERS for m in ms}
        and b["band"] != "All bands"
        and b["clinical"] in ("Clinical", "Non-clinical")
    )
    unknown = sum(
        b["total"]
        for b in indicators["wdes_metric_1"]["bands"]
        if b["clinical"] == "Not stated" and b["band"] != "All bands"
    )
    assert in_clusters + other + unknown == overall["total"]


@pytest.mark.parametrize(
    "audit",
    [
        {"suppression": True},
        {"published": True},
        {"wres_indicator_9": {"parts": {"all": {"BME": "≤7"}}}},
    ],
)
def test_refused_in_published_mode(audit, tmp_path):
    target = tmp_path / "returns.xlsx"
    with pytest.raises(OptionError) as caught:
        wr.write_returns(audit, target)
    assert str(caught.value) == wr.REFUSED_PUBLISHED
    assert not target.exists()


def test_refused_for_a_published_audit_object(tmp_path):
    class Audit:
        suppression = True

        def to_dict(self):
            return {}

    with pytest.raises(OptionError, match="not made when disclosure control is on"):
        wr.write_returns(Audit(), tmp_path / "r.xlsx")
    with pytest.raises(OptionError, match="needs a workforce audit"):
        wr.write_returns(42, tmp_path / "r.xlsx")


def test_formula_cells_neutralised(indicators, tmp_path):
    crafted = dict(indicators["wres_indicator_1"])
    crafted["bands"] = [
        *crafted["bands"],
        {"clinical": "Clinical", "band": "x", "total": 1, "White": 1, "BME": 0, "Not stated": 0},
    ]
    crafted["bands"][-1]["band"] = "=cmd|' /C calc'!A0"
    path = wr.write_returns(
        {**indicators, "wres_indicator_1": crafted, "source": "@SUM(A1)", "suppression": False},
        tmp_path / "r.xlsx",
    )
    wres = sheet_rows(path.read_bytes(), "WRES")
    assert any(r[0] == "Clinical: =cmd|' /C calc'!A0" for r in wres)
    book = openpyxl.load_workbook(path)
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    assert wr._cell_value("=1+1") == "'=1+1" and wr._cell_value(-2) == -2
