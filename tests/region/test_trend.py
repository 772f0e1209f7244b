"""The year-by-year ratio and the inverse-variance weighted trend test, by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from bias_audit.stats.funnel_plot import Z_95, Counts
from bias_audit.stats.trend import REASON_TOO_FEW_YEARS, trend, year_position

YEARS = {
    "2022/23": Counts(60, 150, 20, 100),  # RL 2.0
    "2023/24": Counts(45, 150, 20, 100),  # RL 1.5
    "2024/25": Counts(36, 150, 20, 120),  # RL 1.44
}


def test_weighted_regression_by_hand() -> None:
    found = trend(YEARS)
    y, w = [], []
    for c in YEARS.values():
        y.append(math.log((c.k_ref / c.n_ref) / (c.k / c.n)))
        w.append(1 / (1 / c.k_ref - 1 / c.n_ref + 1 / c.k - 1 / c.n))
    x, y, w = np.array([0.0, 1.0, 2.0]), np.array(y), np.array(w)
    xbar = (w * x).sum() / w.sum()
    ybar = (w * y).sum() / w.sum()
    sxx = (w * (x - xbar) ** 2).sum()
    slope = (w * (x - xbar) * (y - ybar)).sum() / sxx
    se = 1 / math.sqrt(sxx)  # variances known: scale fixed at 1
    assert found.slope == pytest.approx(slope)
    assert found.ratio_per_year == pytest.approx(math.exp(slope))
    assert found.ci_low == pytest.approx(math.exp(slope - Z_95 * se))
    assert found.p_value == pytest.approx(2 * stats.norm.sf(abs(slope / se)))
    fitted = ybar + slope * (x - xbar)
    assert found.heterogeneity_q == pytest.approx((w * (y - fitted) ** 2).sum())
    assert found.years_used == 3


def test_year_points_have_katz_intervals() -> None:
    first = trend(YEARS).points[0]
    se = math.sqrt(1 / 60 - 1 / 150 + 1 / 20 - 1 / 100)
    assert first.value == pytest.approx(2.0)
    assert (first.ci_low, first.ci_high) == pytest.approx(
        (2.0 * math.exp(-Z_95 * se), 2.0 * math.exp(Z_95 * se))
    )


def test_year_without_appointments_is_left_out_and_named() -> None:
    found = trend({"2021": Counts(10, 50, 0, 30), "2022": Counts(10, 50, 5, 30)})
    assert found.points[0].value is None and "no focal applicants" in found.points[0].reason
    assert found.slope is None
    assert found.reason == REASON_TOO_FEW_YEARS.format(minimum=2)


@pytest.mark.parametrize(
    ("label", "expected"),
    [("2021", 2021.0), ("2021/22", 2021.0), ("2021-22", 2021.0), ("n/a", None)],
)
def test_year_position(label: str, expected: float | None) -> None:
    assert year_position(label) == expected


def test_withheld_year_keeps_its_reason_and_is_left_out() -> None:
    found = trend(YEARS, withheld={"2025/26": "hidden by disclosure control: a count of 1–7"})
    last = found.points[-1]
    assert (last.year, last.value, last.reason) == (
        "2025/26",
        None,
        "hidden by disclosure control: a count of 1–7",
    )
    assert found.years_used == 3
    assert found.slope == pytest.approx(trend(YEARS).slope)
