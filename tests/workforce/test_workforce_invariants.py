"""Invariants of the workforce audit: row order and the spelling of ESR headers change
nothing; the published figures stay the same whatever order the staff come in."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.io.workforce_columns import detect_staff_columns
from bias_audit.services.workforce import audit_workforce
from bias_audit.synthetic_workforce import make_workforce_extract

STAFF = make_workforce_extract(500, seed=21)
KEYS = (
    "wres_indicator_1",
    "wres_indicator_3",
    "wres_indicator_4",
    "wdes_metric_1",
    "wdes_metric_3",
)


def _audit(frame, *, suppression=True):
    data = frame.to_csv(index=False).encode()
    return audit_workforce(data, name="staff.csv", suppression=suppression).to_dict()


BASELINE = {mode: _audit(STAFF, suppression=mode) for mode in (True, False)}


@settings(max_examples=4, deadline=None)
@given(st.randoms(use_true_random=False), st.booleans())
def test_row_order_changes_nothing(random, suppression):
    order = list(range(len(STAFF)))
    random.shuffle(order)
    shuffled = _audit(STAFF.iloc[order], suppression=suppression)
    for key in KEYS:
        assert shuffled[key] == BASELINE[suppression][key], key


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            [
                "Employee Number",
                "Ethnicity",
                "Sex",
                "Disability",
                "Grade",
                "Date Started",
                "Leaving Date",
                "Reason for Leaving",
                "Date of Birth",
            ],
            {
                "id": "Employee Number",
                "gender": "Sex",
                "band": "Grade",
                "start_date": "Date Started",
                "leaving_date": "Leaving Date",
                "leaving_reason": "Reason for Leaving",
                "date_of_birth": "Date of Birth",
            },
        ),
        (
            [
                "Assignment Number",
                "Ethnic Origin",
                "Assignment Start Date",
                "Disciplinary Investigation Date",
                "Capability Process",
                "CPD",
                "Voting Board Member",
                "Executive Board Member",
            ],
            {
                "start_date": "Assignment Start Date",
                "disciplinary": "Disciplinary Investigation Date",
                "capability": "Capability Process",
                "training": "CPD",
                "board_voting": "Voting Board Member",
                "board_executive": "Executive Board Member",
            },
        ),
        (
            ["ETHNIC_ORIGIN", "PAY_BAND", "STAFF_GROUP", "HIRE_DATE", "TERMINATION_DATE"],
            {
                "ethnicity": "ETHNIC_ORIGIN",
                "band": "PAY_BAND",
                "staff_group": "STAFF_GROUP",
                "start_date": "HIRE_DATE",
                "leaving_date": "TERMINATION_DATE",
            },
        ),
    ],
)
def test_esr_header_spellings(headers, expected):
    roles = detect_staff_columns(headers, file="x.csv").roles
    for role, header in expected.items():
        assert roles.get(role) == header, role
