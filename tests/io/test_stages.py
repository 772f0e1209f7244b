"""Furthest stage from outcome texts, stage options, and per-stage flags."""

import pytest

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io.stages import (
    MSG_STAGES_DUPLICATE,
    MSG_UNKNOWN_STAGE_IN_MAPPING,
    classify_outcome,
    flag_reached,
    make_stage_plan,
    outcome_codes,
)

NP, WD, DEC, DONE = "not_progressed", "withdrew", "declined_offer", "completed"


@pytest.mark.parametrize(
    ("text", "stage", "left"),
    [
        ("Not shortlisted", "applied", NP),
        ("Shortlisting: Rejected", "applied", NP),
        ("Rejected at shortlisting", "applied", NP),
        ("Not invited to interview", "applied", NP),
        ("Shortlisting: Evaluate", "applied", NP),
        ("Pile 3. Meets no essential criteria", "applied", NP),
        ("Application received", "applied", NP),
        ("Withdrawn", "applied", WD),
        ("Withdrawn by applicant", "applied", WD),
        ("Shortlisting: Shortlist", "shortlisted", NP),
        ("Invited for interview", "shortlisted", NP),
        ("Invited to Interview", "shortlisted", NP),
        ("Interview", "shortlisted", NP),
        ("Withdrawn before interview", "shortlisted", WD),
        ("Did not attend interview", "shortlisted", WD),
        ("Interviewed - unsuccessful", "interviewed", NP),
        ("INTERVIEWED – UNSUCCESSFUL", "interviewed", NP),
        ("Interview: Reserve", "interviewed", NP),
        ("Unsuccessful at interview", "interviewed", NP),
        ("Withdrawn after interview", "interviewed", WD),
        ("Offer", "offered", NP),
        ("Conditional offer", "offered", NP),
        ("Pre-employment checks", "offered", NP),
        ("Offer withdrawn", "offered", NP),  # the employer withdrew it
        ("Candidate withdrew after offer", "offered", WD),
        ("Offer declined", "offered", DEC),
        ("Declined offer", "offered", DEC),
        ("Appointed", "appointed", DONE),
        ("Started", "appointed", DONE),
        ("Starting", "appointed", DONE),
        ("Offer accepted", "appointed", DONE),
        ("Successful", "appointed", DONE),
        ("Contract issued", "appointed", DONE),
        ("Onboarding", "appointed", DONE),
        ("Successful at interview", "offered", NP),
        ("Invited to assessment centre", "shortlisted", NP),
        ("Assessment centre - unsuccessful", "interviewed", NP),
        ("Rejected after interview", "interviewed", NP),
        ("Unsuccessful - Shortlisting", "applied", NP),
        ("Unsuccessful - Application", "applied", NP),
        ("Pending", "applied", NP),
        ("Awaiting shortlisting", "applied", NP),
        ("Reserve list", "interviewed", NP),
        # a later step named after "shortlisted" is how far it got
        ("Shortlisted - rejected at interview", "interviewed", NP),
        ("Shortlisted, unsuccessful at interview", "interviewed", NP),
        ("Shortlisted - not interviewed", "shortlisted", NP),
        ("Shortlisted - not invited to interview", "applied", NP),
        ("Not shortlisted - no interview", "applied", NP),
    ],
)
def test_outcome_vocabulary(text, stage, left):
    assert classify_outcome(text) == (stage, left)


@pytest.mark.parametrize("text", ["Unsuccessful", "Rejected", "Declined", "Not appointed", "xyz"])
def test_ambiguous_outcomes_are_not_guessed(text):
    assert classify_outcome(text) is None


def test_outcome_codes_against_default_ladder():
    plan = make_stage_plan(None)
    codes = outcome_codes(
        ["Not shortlisted", "Interview: Reserve", "Offer declined", "Starting", "", "Huh"], plan
    )
    assert codes.stage.tolist() == [0, 2, 3, 4, -1, -1]
    assert codes.left_by.tolist() == [0, 0, 2, 3, -1, -1]
    assert codes.reason == ("", "", "", "", "blank", "unknown")


def test_shorter_ladder_lands_outcomes_on_the_stage_before():
    plan = make_stage_plan(["applied", "shortlisted", "appointed"])
    codes = outcome_codes(["Interviewed - unsuccessful", "Offer declined", "Appointed"], plan)
    # interviewed and offered are not on this ladder: they count as reaching shortlisted
    assert codes.stage.tolist() == [1, 1, 2]
    assert codes.left_by.tolist() == [0, 2, 3]


def test_ladder_starting_at_shortlisted_leaves_out_earlier_outcomes():
    plan = make_stage_plan(["shortlisted", "appointed"])
    codes = outcome_codes(["Not shortlisted", "Appointed"], plan)
    assert codes.stage.tolist() == [-1, 1]
    assert codes.reason[0] == "before first stage"


def test_custom_outcome_mapping_with_left_by():
    plan = make_stage_plan(
        [
            *["applied", "shortlisted", "interviewed", "offered", "appointed"],
            "Pending=applied",
            "Gone quiet=interviewed:withdrew",
        ]
    )
    codes = outcome_codes(["pending", "GONE QUIET"], plan)
    assert codes.stage.tolist() == [0, 2]
    assert codes.left_by.tolist() == [0, 1]


def test_custom_stage_name_used_as_outcome_text():
    plan = make_stage_plan(["applied", "assessment centre", "appointed"])
    codes = outcome_codes(["Assessment Centre", "Appointed"], plan)
    assert codes.stage.tolist() == [1, 2]


def test_unknown_stage_in_mapping_is_refused_naming_file_and_stages():
    with pytest.raises(InputDataError) as err:
        make_stage_plan(["applied", "appointed", "Pending=assessed"], file="x.csv")
    assert isinstance(err.value, OptionError)
    assert str(err.value) == MSG_UNKNOWN_STAGE_IN_MAPPING.format(
        file="x.csv",
        entry="Pending=assessed",
        stage="assessed",
        stages="applied, appointed",
        text="Pending",
        first="applied",
    )


@pytest.mark.parametrize("stages", [["applied"], ["applied", "Pending=applied"], [" ", "x"]])
def test_too_few_stages(stages):
    with pytest.raises(OptionError):
        make_stage_plan(stages)


def test_duplicate_stage_names():
    with pytest.raises(OptionError) as err:
        make_stage_plan(["applied", "Applied", "appointed"])
    assert str(err.value) == MSG_STAGES_DUPLICATE.format(stage="Applied")


@pytest.mark.parametrize(
    ("cell", "reached"),
    [
        ("Y", True),
        ("Yes", True),
        ("TRUE", True),
        ("1", True),
        ("12/03/2024", True),
        ("2024-03-12", True),
        ("", False),
        ("N", False),
        ("no", False),
        ("0", False),
        ("False", False),
        ("Not attended", False),
        (None, False),
    ],
)
def test_flag_cells(cell, reached):
    assert flag_reached(cell) is reached
