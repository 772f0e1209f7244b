"""The retention period and cohort roles as options of the audit (Python API and CLI):
the cohort the audit reports is the one counted independently from the CSV."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from test_workforce_cli import run_cli

from bias_audit.errors import OptionError
from bias_audit.services import workforce as service

EXAMPLE = "example_data/workforce_extract.csv"
EXTRACT_DATE = dt.date(2025, 3, 31)


@pytest.fixture(scope="module")
def raw():
    frame = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    frame["start"] = pd.to_datetime(frame["Hire Date"], format="%d/%m/%Y")
    frame["end"] = pd.to_datetime(frame["Termination Date"], format="%d/%m/%Y")
    return frame


def _cohort(raw, *, start, end, bands=None, groups=("Additional Clinical Services",)):
    """People who started in [start, end] (and not after leaving) in the roles: by hand."""
    keep = (raw["start"] >= pd.Timestamp(start)) & (raw["start"] <= pd.Timestamp(end))
    keep &= ~(raw["end"] < raw["start"])
    if bands is not None:
        keep &= raw["Pay Band"].isin(bands)
    if groups is not None:
        keep &= raw["Staff Group"].isin(groups)
    return int(keep.sum())


def _exact(**options):
    return service.audit_workforce(EXAMPLE, suppression=False, **options).retention


@pytest.mark.parametrize(
    ("options", "start", "end", "bands", "groups"),
    [
        ({}, "2023-03-31", "2025-03-31", ["Band 1", "Band 2", "Band 3", "Band 4"], None),
        (
            {"retention_from": "01/04/2024", "retention_to": "2025-03-31"},
            "2024-04-01",
            "2025-03-31",
            ["Band 1", "Band 2", "Band 3", "Band 4"],
            None,
        ),
        (
            {"retention_years": 1},
            "2024-03-31",
            "2025-03-31",
            ["Band 1", "Band 2", "Band 3", "Band 4"],
            None,
        ),
        ({"cohort_bands": ["2", "band 3"]}, "2023-03-31", "2025-03-31", ["Band 2", "Band 3"], None),
        ({"cohort_bands": None}, "2023-03-31", "2025-03-31", None, None),
        (
            {"cohort_bands": ["2-4"], "cohort_staff_groups": None},
            "2023-03-31",
            "2025-03-31",
            ["Band 2", "Band 3", "Band 4"],
            "all",
        ),
    ],
)
def test_the_cohort_is_the_one_asked_for(raw, options, start, end, bands, groups):
    retention = _exact(**options)
    cohort = retention["cohort"]
    assert (cohort["start_from"], cohort["start_to"]) == (start, end)
    assert cohort["bands"] == bands
    expected_groups = None if groups == "all" else ["Additional Clinical Services"]
    assert cohort["staff_groups"] == expected_groups
    assert cohort["people"] == _cohort(
        raw, start=start, end=end, bands=bands, groups=None if groups == "all" else expected_groups
    )


def test_default_options_change_nothing():
    assert _exact(retention_years=2) == _exact()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"retention_from": "31/02/2024"}, service.MSG_BAD_DATE.split("{")[0]),
        ({"retention_years": 0}, service.MSG_BAD_YEARS.split("{")[0]),
        ({"retention_years": 1, "retention_from": "2024-01-01"}, service.MSG_YEARS_AND_FROM),
        ({"cohort_bands": ["4-2"]}, service.MSG_BAD_BANDS.split("{")[0]),
    ],
)
def test_bad_options_say_what_to_do(options, message):
    with pytest.raises(OptionError, match=None) as raised:
        service.flow_options(EXTRACT_DATE, **options)
    assert str(raised.value).startswith(message) or message in str(raised.value)


def test_band_names():
    assert service.band_names(["1-3", "Band 8a", "8B"]) == (
        "Band 1", "Band 2", "Band 3", "Band 8a", "Band 8b",
    )  # fmt: skip


def test_cli_options_reach_the_cohort(raw):
    run = run_cli(
        "workforce", "--example", "--format", "json", "--no-suppression",
        "--retention-years", "1", "--cohort-band", "2,3", "--cohort-band", "4",
        "--cohort-staff-group", "all",
    )  # fmt: skip
    assert run.code == 0, run.stderr
    cohort = json.loads(run.stdout)["retention"]["cohort"]
    assert cohort["bands"] == ["Band 2", "Band 3", "Band 4"]
    assert cohort["staff_groups"] is None
    assert cohort["start_from"] == "2024-03-31"
    assert cohort["people"] == _cohort(
        raw, start="2024-03-31", end="2025-03-31", bands=cohort["bands"], groups=None
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--retention-from", "soon"], 'retention_from (--retention-from): "soon" is not a date'),
        (["--retention-years", "2", "--retention-from", "2024-01-01"], "not both"),
        (["--retention-from", "2025-01-01", "--retention-to", "2024-01-01"], "must come first"),
    ],
)
def test_cli_bad_retention_options_exit_2(args, message):
    run = run_cli("workforce", "--example", *args)
    assert run.code == 2
    assert message in " ".join(run.stderr.split())
    assert "Traceback" not in run.stderr
