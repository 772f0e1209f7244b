"""Column auto-detection from common export names, overrides, and the header score."""

import pytest

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io.columns import (
    MSG_ETHNICITY_REQUIRED,
    detect_columns,
    header_score,
    looks_integer,
)
from bias_audit.io.stages import make_stage_plan

PLAN = make_stage_plan(None)


def roles(headers, **kwargs):
    return detect_columns(headers, plan=PLAN, file="x.csv", **kwargs).roles


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Ethnic Origin", "ethnicity"),
        ("ETHNICITY", "ethnicity"),
        ("Ethnic Group", "ethnicity"),
        ("Ethnic_Category", "ethnicity"),
        ("Applicant Ethnic Origin Description", "ethnicity"),
        ("Sex", "gender"),
        ("Gender", "gender"),
        ("Disability", "disability"),
        ("Do you consider yourself to have a disability?", "disability"),
        ("Application Status", "stage"),
        ("Outcome", "stage"),
        ("Stage", "stage"),
        ("Current Status", "stage"),
        ("Applicant ID", "id"),
        ("Application Number", "id"),
    ],
)
def test_known_headers(header, role):
    assert roles(["Ethnicity", header] if role != "ethnicity" else [header])[role] == header


@pytest.mark.parametrize(
    ("header", "not_role"),
    [
        ("Sexual Orientation", "gender"),
        ("Gender identity same as sex registered at birth", "gender"),
        ("Guaranteed Interview Scheme (Disability)", "disability"),
        ("Disability Confident", "disability"),
        ("Marital Status", "stage"),
        ("Employment Status", "stage"),
    ],
)
def test_lookalike_headers_are_not_taken(header, not_role):
    assert not_role not in roles(["Ethnicity", header])


@pytest.mark.parametrize(
    ("header", "stage_index"),
    [
        ("Shortlisted", 1),
        ("Shortlisted Y/N", 1),
        ("Date Shortlisted", 1),
        ("Invited to Interview", 1),
        ("Interview Date", 2),
        ("Interviewed", 2),
        ("Offer Date", 3),
        ("Date Offered", 3),
        ("Appointed Y/N", 4),
        ("Start Date", 4),
    ],
)
def test_per_stage_columns(header, stage_index):
    choice = detect_columns(["Ethnicity", header], plan=PLAN, file="x.csv")
    assert choice.flags == {stage_index: header}


def test_best_name_wins_and_alternatives_are_recorded():
    choice = detect_columns(
        ["Ethnic Group", "Ethnic Origin", "Status", "Outcome"], plan=PLAN, file="x.csv"
    )
    assert choice.roles["ethnicity"] == "Ethnic Origin"
    assert choice.alternatives["ethnicity"] == ["Ethnic Group"]
    assert choice.roles["stage"] == "Status"


def test_count_column_needs_numbers_when_the_name_is_weak():
    headers = ["Ethnicity", "Stage", "Applicants"]
    assert "count" not in roles(headers, numeric={"Applicants": False})
    assert roles(headers, numeric={"Applicants": True})["count"] == "Applicants"
    assert roles(["Ethnicity", "Stage", "Count"], numeric={"Count": False})["count"] == "Count"


def test_overrides_and_how_they_were_chosen():
    choice = detect_columns(
        ["Ethnicity", "Ethnic Code", "Sex", "Status", "Post"],
        plan=PLAN,
        file="x.csv",
        overrides={"ethnicity": "ethnic code", "shortlisted": "Post"},
        stratify="Post",
    )
    assert choice.roles["ethnicity"] == "Ethnic Code"
    assert choice.flags == {1: "Post"}
    assert ("ethnicity", "Ethnic Code", "--column") in choice.choices
    assert ("stratum", "Post", "--column") in choice.choices
    assert ("gender", "Sex", "auto") in choice.choices


def test_ethnicity_cannot_be_switched_off():
    with pytest.raises(OptionError) as err:
        detect_columns(["Ethnicity"], plan=PLAN, file="x.csv", overrides={"ethnicity": ""})
    assert str(err.value) == MSG_ETHNICITY_REQUIRED


def test_unknown_stratify_column():
    with pytest.raises(InputDataError, match=r'x\.csv: --stratify "Year": there is no column'):
        detect_columns(["Ethnicity", "Status"], plan=PLAN, file="x.csv", stratify="Year")


def test_header_score_counts_recognised_cells():
    assert header_score(["Ethnic Origin", "Sex", "Application Status", "Notes"]) == 3
    assert header_score(["Recruitment report for 2024/25", "", ""]) == 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [(["1", "20", " 300 "], True), (["1", "", "2.0"], True), (["1", "x"], False), ([""], False)],
)
def test_looks_integer(values, expected):
    assert looks_integer(values) is expected
