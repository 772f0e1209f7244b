"""The report recovers the disparities planted in the checked-in synthetic extract."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bias_audit.cli import app
from bias_audit.stats import schema
from bias_audit.synthetic import PLANTED_EFFECTS


@pytest.fixture(scope="module")
def audit(example_audits):
    """The example extract in analyst mode (audited once per run: conftest.py at the root)."""
    return example_audits[False]


def row(audit, attribute, from_stage, to_stage, group):
    t = audit.transitions
    found = t[
        (t["attribute"] == attribute)
        & (t["from"] == from_stage)
        & (t["to"] == to_stage)
        & (t["group"] == group)
    ]
    return found.iloc[0]


def test_bme_shortlisting_at_three_quarters_of_the_white_rate(audit):
    effect = PLANTED_EFFECTS["shortlisting_bme_vs_white"]
    bme = row(audit, effect["attribute"], *effect["transition"], schema.BME)
    # Relative likelihood is White ÷ BME; the planted ratio is BME ÷ White.
    assert bme["ci_low"] <= 1 / effect["ratio"] <= bme["ci_high"]
    assert bme["impact_ratio"] < 0.8
    assert bme["p_value"] < 0.05
    assert "White applicants were 1." in bme["sentence"]


def test_wres_and_wdes_recover_their_planted_values(audit):
    wres = audit.wres_indicator_2
    assert wres["ci_low"] <= PLANTED_EFFECTS["appointment_white_vs_bme"]["ratio"] <= wres["ci_high"]
    assert wres["value"] > 1.2 and wres["p_value"] < 0.05
    wdes = audit.wdes_metric_2
    planted = PLANTED_EFFECTS["appointment_non_disabled_vs_disabled"]["ratio"]
    assert wdes["ci_low"] <= planted <= wdes["ci_high"]


def test_gender_parity_at_every_step(audit):
    t = audit.transitions
    male = t[(t["attribute"] == schema.GENDER) & (t["group"] == "Male")]
    assert len(male) == 5
    for record in male.to_dict("records"):
        assert record["ci_low"] <= 1.0 <= record["ci_high"], record["sentence"]


def test_demo_is_seeded_and_reports():
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--rows", "300", "--seed", "7", "--format", "json"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["demo", "--rows", "300", "--seed", "7", "--format", "json"])
    assert first.stdout == again.stdout
    data = json.loads(first.stdout)
    assert data["source"] == "synthetic extract (300 applications, seed 7)"
    assert data["suppression"] is True
