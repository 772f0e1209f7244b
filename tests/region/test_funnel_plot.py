"""Funnel-plot statistics against hand-computed values (Spiegelhalter 2005)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.stats import funnel_plot as fp
from bias_audit.stats.funnel_plot import Counts

# Three organisations (reference selected / entered, focal selected / entered) and the pool.
THREE = {
    "Cedar": Counts(60, 200, 20, 100),  # RL = 0.30 / 0.20 = 1.5
    "Alder": Counts(40, 100, 20, 100),  # RL = 0.40 / 0.20 = 2.0
    "Birch": Counts(30, 100, 30, 100),  # RL = 1.0
}
POOLED = Counts(130, 400, 70, 300)  # RL = 0.325 / (70/300) = 1.392857…


def test_three_organisations_by_hand() -> None:
    plot = fp.funnel_plot(THREE, POOLED)
    # θ0 = ln(0.325 / 0.233333) = ln 1.392857
    assert math.exp(plot.target) == pytest.approx(1.392857, abs=1e-6)
    # Alphabetical, never ranked by value.
    assert [p.organisation for p in plot.points] == ["Alder", "Birch", "Cedar"]
    alder, birch, cedar = plot.points
    # Katz variances by hand: 1/40 − 1/100 + 1/20 − 1/100 = 0.055, etc.
    assert alder.se**2 == pytest.approx(0.055)
    assert birch.se**2 == pytest.approx(1 / 30 - 0.01 + 1 / 30 - 0.01)
    assert cedar.se**2 == pytest.approx(1 / 60 - 1 / 200 + 1 / 20 - 1 / 100)
    # Alder's limits: exp(0.331357 ± 1.959964 × 0.234521) and exp(0.331357 ± 3.090232 × 0.234521)
    assert alder.limits_95 == pytest.approx((0.879594, 2.205622), abs=1e-5)
    assert alder.limits_998 == pytest.approx((0.674781, 2.875081), abs=1e-5)
    # z-scores: (ln 2 − 0.331357) / 0.234521 = 1.54268; (0 − 0.331357) / 0.216025 = −1.53389
    assert alder.z == pytest.approx(1.54268, abs=1e-5)
    assert birch.z == pytest.approx(-1.53389, abs=1e-5)
    assert {p.position for p in plot.points} == {fp.INSIDE}
    # Winsorised at 10% with three z-scores (linear interpolation): −1.16190 and 1.29935;
    # φ = (1.16190² + 0.32603² + 1.29935²) / 3 = 1.04821; 3φ = 3.1446 on χ²(2): p = 0.2076.
    d = plot.dispersion
    assert d.phi == pytest.approx(1.048207, abs=1e-5)
    assert d.degrees_of_freedom == 2
    assert d.p_value == pytest.approx(math.exp(-3.144620 / 2), abs=1e-5)
    assert not d.overdispersed and d.tau2 == 0.0


def test_z_quantiles() -> None:
    assert pytest.approx(1.959964, abs=1e-6) == fp.Z_95
    assert pytest.approx(3.090232, abs=1e-6) == fp.Z_998


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.0, fp.ABOVE_998),
        (2.0, fp.ABOVE_95),
        (1.0, fp.INSIDE),
        (0.75, fp.BELOW_95),
        (0.5, fp.BELOW_998),
    ],
)
def test_position(value: float, expected: str) -> None:
    assert fp.position(value, (0.8, 1.5), (0.6, 2.5)) == expected


def test_outlier_named_and_overdispersion_widens_limits() -> None:
    counts = {f"T{i}": Counts(100, 250, 50, 250) for i in range(6)}  # RL 2.0 each
    counts["Odd"] = Counts(100, 250, 12, 250)  # RL 8.3
    plot = fp.funnel_plot(counts, Counts(700, 1750, 312, 1750))
    assert plot.outside_998 == ("Odd",)
    # The identical organisations sit below the pooled value (pulled up by Odd): φ > 1.
    assert plot.dispersion.phi is not None


def test_additive_random_effect_by_hand() -> None:
    d = fp.dispersion([2.0, -2.0, 2.0, -2.0], [0.1, 0.1, 0.1, 0.1])
    assert d.overdispersed
    # τ² = (Iφ − (I − 1)) / (Σw − Σw²/Σw) = (16 − 3) / (400 − 100)
    assert d.tau2 == pytest.approx(13 / 300)
    low, high = fp.limits(0.0, 0.1, fp.Z_95, d.tau2)
    assert high == pytest.approx(math.exp(fp.Z_95 * math.sqrt(0.01 + 13 / 300)))
    assert low == pytest.approx(1 / high)


def test_not_computable_is_listed_not_plotted() -> None:
    plot = fp.funnel_plot(
        {"A": Counts(10, 50, 0, 40), "B": Counts(10, 50, 5, 40), "C": Counts(10, 50, 6, 40)},
        Counts(30, 150, 11, 120),
        focal="BME",
    )
    a = plot.points[0]
    assert a.position == fp.NOT_PLOTTED
    assert a.reason == fp.REASON_NONE_SELECTED.format(group="BME")
    assert "A" not in plot.outside_95


def test_too_few_for_dispersion() -> None:
    d = fp.dispersion([1.0, 2.0], [0.1, 0.1])
    assert d.phi is None and d.note == fp.REASON_TOO_FEW.format(minimum=3)


def test_winsorising_keeps_the_count() -> None:
    z = [-5.0, -1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 20.0]
    w = fp.winsorised(z)
    assert len(w) == len(z)
    assert w.max() < 20.0 and w.min() > -5.0
    assert w[2:8].tolist() == z[2:8]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 80), st.integers(81, 300), st.integers(1, 80), st.integers(81, 300)
        ),
        min_size=2,
        max_size=8,
    )
)
def test_limits_contain_target_and_nest(rows: list[tuple[int, int, int, int]]) -> None:
    orgs = {f"O{i}": Counts(*r) for i, r in enumerate(rows)}
    pooled = Counts(*(sum(r[j] for r in rows) for j in range(4)))
    plot = fp.funnel_plot(orgs, pooled)
    target = math.exp(plot.target)
    for p in plot.points:
        assert p.limits_998[0] < p.limits_95[0] < target < p.limits_95[1] < p.limits_998[1]
        # The limits are symmetric about the target on the log scale.
        assert math.log(p.limits_95[1]) - plot.target == pytest.approx(
            plot.target - math.log(p.limits_95[0])
        )
    assert np.all(np.diff(plot.curve["high_95"]) <= 1e-12)  # the funnel narrows
