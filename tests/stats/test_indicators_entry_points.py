"""The national-definition cases through the Python API and the CLI, from real extracts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bias_audit
from bias_audit.cli import app
from bias_audit.stats import indicators

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example_data" / "recruitment_extract.csv"
NO_SHORTLISTING = "applied,interviewed,offered,appointed"

# Outcome -> (White count, BME count). Shortlisted by NHS England's definition:
# White 12 + 15 + 3 + 2 = 32 (4 declined offers left out), BME 6 + 20 + 2 = 28 (1 left out).
OUTCOMES = {
    "Appointed": (12, 6),
    "Interviewed - unsuccessful": (15, 20),
    "Did not attend interview": (3, 2),
    "Withdrawn after interview": (2, 0),
    "Offer declined": (4, 1),
    "Not shortlisted": (30, 30),
}
VALUE = (12 / 32) / (6 / 28)  # 1.75
# The funnel's way (withdrawals and "did not attend" out too): (12/27) / (6/26) = 1.93.
SENSITIVITY = (12 / 27) / (6 / 26)


def extract() -> bytes:
    lines = ["Applicant ID,Ethnic Origin,Sex,Application Status"]
    number = 0
    for outcome, counts in OUTCOMES.items():
        groups = ("White - British", "Black or Black British - African")
        for ethnicity, n in zip(groups, counts, strict=True):
            for _ in range(n):
                number += 1
                lines.append(f"{number},{ethnicity},{'Female' if number % 2 else 'Male'},{outcome}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_api_follows_the_national_definition():
    audit = bias_audit.audit_extract(extract(), name="trust.csv", suppression=False)
    wres = audit.wres_indicator_2
    assert wres["White"] == {"shortlisted": 32, "appointed": 12}
    assert wres["BME"] == {"shortlisted": 28, "appointed": 6}
    assert wres["declined_offers_excluded"] == 5
    assert wres["value"] == pytest.approx(VALUE)
    assert wres["sensitivity"]["value"] == pytest.approx(SENSITIVITY)
    assert wres["sensitivity"]["withdrawals_removed"] == 7


def test_api_without_a_shortlisting_stage():
    audit = bias_audit.audit_extract(
        extract(), name="trust.csv", stages=NO_SHORTLISTING.split(","), suppression=False
    )
    for indicator in (audit.wres_indicator_2, audit.wdes_metric_2):
        assert indicator["value"] is None
    assert audit.wres_indicator_2["reason"] == indicators.NOT_COMPUTABLE_NO_SHORTLISTING


def test_example_extract_wdes_metric_2_is_1_32_with_1_24_as_sensitivity(example_audits):
    audit = example_audits[False]  # bias_audit.audit_extract(EXAMPLE, suppression=False)
    wdes = audit.wdes_metric_2
    assert round(wdes["value"], 2) == 1.32  # outside 0.80–1.25
    assert round(wdes["sensitivity"]["value"], 2) == 1.24  # the old, withdrawals-out figure
    assert wdes["Disabled"] == {"shortlisted": 110, "appointed": 27}


runner = CliRunner()


@pytest.fixture
def extract_file(tmp_path):
    path = tmp_path / "trust.csv"
    path.write_bytes(extract())
    return path


def test_cli_json_follows_the_national_definition(extract_file):
    result = runner.invoke(
        app, ["recruitment", str(extract_file), "--format", "json", "--no-suppression"]
    )
    assert result.exit_code == 0, result.output
    wres = json.loads(result.stdout)["wres_indicator_2"]
    assert wres["White"] == {"shortlisted": 32, "appointed": 12}
    assert wres["declined_offers_excluded"] == 5
    assert wres["value"] == pytest.approx(VALUE)
    assert wres["sensitivity"]["value"] == pytest.approx(SENSITIVITY)


def test_cli_published_json_has_no_sensitivity(extract_file):
    result = runner.invoke(app, ["recruitment", str(extract_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "sensitivity" not in data["wres_indicator_2"]
    assert "Sensitivity" not in result.stdout


def test_cli_text_without_a_shortlisting_stage(extract_file):
    result = runner.invoke(app, ["recruitment", str(extract_file), "--stages", NO_SHORTLISTING])
    assert result.exit_code == 0, result.output
    assert (
        "WRES indicator 2: not computable — the extract has no shortlisting stage." in result.stdout
    )
    assert "WDES metric 2: not computable — the extract has no shortlisting stage." in (
        result.stdout
    )


def binary_extract() -> bytes:
    """Only "Appointed?" Yes / No: White 12 of 30, BME 6 of 30."""
    lines = ["Applicant ID,Ethnic Origin,Appointed?"]
    number = 0
    for ethnicity, appointed in (("White - British", 12), ("Black or Black British - African", 6)):
        for answer, n in (("Yes", appointed), ("No", 30 - appointed)):
            for _ in range(n):
                number += 1
                lines.append(f"{number},{ethnicity},{answer}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_api_binary_column_needs_the_rows_declared_shortlisted():
    plain = bias_audit.audit_extract(binary_extract(), name="yes-no.csv", suppression=False)
    assert plain.wres_indicator_2["value"] is None
    assert plain.wres_indicator_2["reason"] == (
        indicators.NOT_COMPUTABLE_NO_SHORTLISTING + indicators.HINT_ROWS_ARE
    )
    declared = bias_audit.audit_extract(
        binary_extract(), name="yes-no.csv", rows_are="shortlisted", suppression=False
    )
    wres = declared.wres_indicator_2
    assert wres["value"] == pytest.approx((12 / 30) / (6 / 30))
    assert wres["caveat"] == indicators.CAVEAT_DECLINES_UNKNOWN


def test_cli_binary_column_with_rows_are_shortlisted(tmp_path):
    path = tmp_path / "yes-no.csv"
    path.write_bytes(binary_extract())
    result = runner.invoke(app, ["recruitment", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["wres_indicator_2"]["reason"].startswith(
        indicators.NOT_COMPUTABLE_NO_SHORTLISTING
    )
    result = runner.invoke(
        app,
        ["recruitment", str(path), "--rows-are", "shortlisted", "--no-suppression"],
    )
    assert result.exit_code == 0, result.output
    assert "WRES indicator 2: White shortlisted applicants were 2.00 times" in result.stdout
    assert "declined offers cannot be identified" in result.stdout
