"""Cochran–Mantel–Haenszel and Breslow–Day across strata."""

from __future__ import annotations

import numpy as np
import pytest
from hand_funnels import make_funnel

from bias_audit.services import audit_recruitment
from bias_audit.stats import schema
from bias_audit.stats.stratified import NOT_ENOUGH_STRATA, pooled_test

# Research notes check values [C]: strata [[5,15],[20,20]], [[8,22],[30,30]], [[2,8],[10,10]].
TABLES = [
    np.array([[5, 15], [20, 20]]),
    np.array([[8, 22], [30, 30]]),
    np.array([[2, 8], [10, 10]]),
]


def test_check_values():
    result = pooled_test(TABLES)
    assert result["cmh_statistic"] == pytest.approx(10.1167, abs=1e-4)
    assert result["cmh_p"] == pytest.approx(0.00147, abs=1e-5)
    assert result["pooled_odds_ratio"] == pytest.approx(1 / 3)
    assert result["pooled_relative_likelihood"] == pytest.approx(0.5)
    assert result["breslow_day_p"] == pytest.approx(0.936, abs=1e-3)
    assert (result["strata_used"], result["strata_skipped"]) == (3, 0)


def test_zero_margin_strata_are_skipped_and_counted():
    empty_group = np.array([[5, 5], [0, 0]])
    nobody_selected = np.array([[0, 5], [0, 9]])
    result = pooled_test([*TABLES, empty_group, nobody_selected])
    assert (result["strata_used"], result["strata_skipped"]) == (3, 2)
    assert result["cmh_statistic"] == pytest.approx(10.1167, abs=1e-4)
    single = pooled_test([TABLES[0], empty_group])
    assert single["breslow_day_p"] is None
    assert single["note"].startswith(NOT_ENOUGH_STRATA.format(need=2))


def test_audit_runs_cmh_per_post():
    rows = []
    # Post A: White 5/20 appointed-from-applied, BME 2/10; post B: White 8/30, BME 3/30.
    for post, (wk, wn, bk, bn) in {"A": (5, 20, 2, 10), "B": (8, 30, 3, 30)}.items():
        for eth, k, n in (("White", wk, wn), ("BME", bk, bn)):
            rows.append((eth, "Female", "Not disabled", post, "appointed", "completed", k))
            rows.append((eth, "Female", "Not disabled", post, "applied", "not_progressed", n - k))
    funnel = make_funnel(rows, stratum=True, stages=("applied", "appointed"))
    audit = audit_recruitment(funnel, suppression=False)
    table = audit.stratified
    row = table[(table["attribute"] == schema.ETHNICITY_WRES) & (table["group"] == "BME")].iloc[0]
    direct = pooled_test([np.array([[5, 15], [2, 8]]), np.array([[8, 22], [3, 27]])])
    assert row["cmh_p"] == pytest.approx(direct["cmh_p"])
    assert row["pooled_relative_likelihood"] == pytest.approx(direct["pooled_relative_likelihood"])
    assert row["strata_used"] == 2
