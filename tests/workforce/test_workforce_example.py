"""The example staff extract recovers the disparities planted in it, read from the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bias_audit.io.workforce import read_staff
from bias_audit.stats.workforce_audit import all_indicators
from bias_audit.stats.workforce_cells import staff_cells
from bias_audit.synthetic_workforce import (
    EXAMPLE_SEED,
    PLANTED_WORKFORCE_EFFECTS,
    make_workforce_extract,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "example_data" / "workforce_extract.csv"


@pytest.fixture(scope="module")
def results():
    staff = read_staff(EXAMPLE)
    return staff, all_indicators(staff_cells(staff.frame, extract_date=staff.extract_date))


def test_file_is_the_seeded_generator_output():
    expected = make_workforce_extract(seed=EXAMPLE_SEED).to_csv(index=False, lineterminator="\n")
    assert EXAMPLE.read_text(encoding="utf-8") == expected


def test_file_is_big_enough_and_spans_two_years(results):
    staff, _ = results
    assert len(staff.frame) >= 4000
    assert staff.extract_date.date().isoformat() == "2025-03-31"
    assert staff.frame["start_date"].min().year < 2023


@pytest.mark.parametrize("key", ["wres_indicator_3", "wres_indicator_4", "wdes_metric_3"])
def test_planted_ratio_is_recovered(results, key):
    _, indicators = results
    planted = PLANTED_WORKFORCE_EFFECTS[key]["ratio"]
    result = indicators[key]
    assert result["ci_low"] < planted < result["ci_high"]
    assert result["value"] == pytest.approx(planted, rel=0.1)
    assert result["p_value"] < 0.001
    if key != "wres_indicator_4":
        assert result["official"] is True


def test_bme_under_represented_in_senior_bands(results):
    _, indicators = results
    profile = indicators["wres_indicator_1"]
    senior = [r for r in profile["bands"] if r["band"] in ("Band 8a", "Band 8b", "Band 9")]
    bme = sum(r["BME"] for r in senior)
    total = sum(r["total"] for r in senior)
    ratio = (bme / total) / profile["value"]
    assert ratio == pytest.approx(PLANTED_WORKFORCE_EFFECTS["wres_indicator_1"]["ratio"], abs=0.2)
    assert indicators["wres_indicator_9"]["value"] < 0


def test_planted_board(results):
    _, indicators = results
    nine = indicators["wres_indicator_9"]
    assert (nine["parts"]["all"]["BME"], nine["parts"]["all"]["members"]) == (2, 14)
    assert (nine["parts"]["voting"]["BME"], nine["parts"]["voting"]["members"]) == (2, 12)
    assert nine["parts"]["non_voting"]["members"] == 2
    workforce = indicators["wres_indicator_1"]["value"]
    planted = PLANTED_WORKFORCE_EFFECTS["wres_indicator_9"]["ratio"]
    assert nine["value"] == pytest.approx(100 * (planted - workforce))


def test_planted_disabled_board_member(results):
    _, indicators = results
    ten = indicators["wdes_metric_10"]
    assert (ten["parts"]["all"]["Disabled"], ten["parts"]["all"]["members"]) == (1, 14)
    planted = PLANTED_WORKFORCE_EFFECTS["wdes_metric_10"]["ratio"]
    assert ten["value"] == pytest.approx(100 * (planted - indicators["wdes_metric_1"]["value"]))


@pytest.mark.parametrize("n", [1, 30, 200])
def test_generator_works_at_any_size(n):
    frame = make_workforce_extract(n, seed=4)
    assert len(frame) == n
