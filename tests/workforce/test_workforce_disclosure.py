"""Disclosure control of the workforce audit against an attacker holding every table."""

from __future__ import annotations

import io

import pytest
from workforce_attacker import SMALL, read, recover

from bias_audit.report import suppression as sdc
from bias_audit.services.workforce import audit_workforce
from bias_audit.stats.significance import compare
from bias_audit.synthetic_workforce import make_workforce_extract


def _csv(n: int, seed: int) -> bytes:
    buffer = io.StringIO()
    make_workforce_extract(n, seed=seed).to_csv(buffer, index=False)
    return buffer.getvalue().encode()


@pytest.fixture(
    scope="module",
    params=[(120, 9), (300, 3), (900, 8)],
    ids=["120 staff", "300 staff", "900 staff"],
)
def both(request):
    data = _csv(*request.param)
    published = audit_workforce(data, name="staff.csv").to_dict()
    exact = audit_workforce(data, name="staff.csv", suppression=False).to_dict()
    return published, exact


def _labels(doc):
    return read(doc).labels


def test_no_count_of_1_to_7_is_shown(both):
    published, _ = both
    for name, label in _labels(published).items():
        assert not (isinstance(label, int) and 1 <= label <= 7), name


def test_shown_counts_are_the_exact_counts_rounded(both):
    published, exact = both
    truth = _labels(exact)
    for name, label in _labels(published).items():
        if isinstance(label, int):
            assert label == sdc.round_count(truth[name]), name
        elif label == SMALL:
            assert 1 <= truth[name] <= 7, name


def test_attacker_with_every_table_cannot_pin_a_small_count(both):
    published, exact = both
    truth = _labels(exact)
    small = {name for name, value in truth.items() if 1 <= value <= 7}
    ranges = recover(read(published), only=small)
    checked = 0
    for name, (low, high) in ranges.items():
        if 1 <= truth[name] <= 7:
            checked += 1
            assert low <= 1 + 1e-6 and high >= 7 - 1e-6, (name, truth[name], low, high)
    assert checked > 0  # the small extracts do have small counts to protect


def test_ratios_are_worked_out_from_the_published_counts(both):
    published, _ = both
    for key in ("wres_indicator_3", "wres_indicator_4", "wdes_metric_3"):
        result = published[key]
        if result["value"] is None:
            assert result["reason"]
            continue
        top, bottom = result["ratio"].split(" ÷ ")
        counted = "accessed" if key == "wres_indicator_4" else "entered"
        k, n = result[bottom][counted], result[bottom]["staff"]
        k_ref, n_ref = result[top][counted], result[top]["staff"]
        assert all(isinstance(v, int) for v in (k, n, k_ref, n_ref))
        expected = compare(k, n, k_ref, n_ref).relative_likelihood
        assert result["value"] == pytest.approx(round(expected, 2))


def test_shares_are_worked_out_from_the_published_counts(both):
    published, _ = both
    for row in published["wres_indicator_1"]["bands"]:
        if sdc.is_hidden(row["BME"]) or sdc.is_hidden(row["total"]):
            assert row["share_BME"] is None
        elif row["total"]:
            assert row["share_BME"] == pytest.approx(row["BME"] / row["total"])


def test_warnings_print_no_small_count(both):
    published, _ = both
    for warning in published["warnings"]:
        for word in warning.replace("(", " ").split():
            assert not (word.isdigit() and 1 <= int(word) <= 7), warning


def test_analyst_mode_shows_exact_counts(both):
    _, exact = both
    assert exact["suppression"] is False
    assert any(
        isinstance(v, int) and 1 <= v <= 7 for v in _labels(exact).values()
    )  # small counts are there when the analyst asks


def test_the_attacker_finds_a_leak_without_secondary_suppression(both):
    """The attacker has teeth: with every "*" shown as its rounded count again, some count
    of 1–7 is pinned."""
    published, exact = both
    truth = _labels(exact)
    reading = read(published)
    for name, label in reading.labels.items():
        if label == "*":
            reading.labels[name] = sdc.count_label(truth[name])
    small = {name for name, label in reading.labels.items() if label == SMALL}
    ranges = recover(reading, only=small)
    assert any(low > 1 + 1e-6 or high < 7 - 1e-6 for low, high in ranges.values())
