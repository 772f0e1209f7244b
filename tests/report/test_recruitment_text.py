"""Sentences a non-statistician understands; every ratio says its direction."""

from __future__ import annotations

import pytest

from bias_audit.report import recruitment_text as rt

BASE = {
    "group": "BME",
    "reference": "White",
    "from": "shortlisted",
    "to": "appointed",
    "entered": 20,
    "progressed": 3,
    "rate": 0.15,
    "progressed_exact": 3,
    "reference_progressed": 30,
    "relative_likelihood": 1.5,
    "ci_low": 0.61,
    "ci_high": 3.7,
    "p_value": 0.73,
    "impact_ratio": 0.9,
    "one_person_check": "not applicable",
    "suppressed": False,
    "not_computable": "",
}


def test_the_issue_sentence():
    sentence = rt.row_sentence(BASE, stage_index=1)
    assert sentence == (
        "White shortlisted applicants were 1.50 times as likely to be appointed as BME "
        "shortlisted applicants (95% CI 0.61 to 3.70); not statistically significant "
        "(p = 0.73); fewer than 8 BME appointments, so treat with caution."
    )


@pytest.mark.parametrize(
    ("changes", "expected_part"),
    [
        ({"p_value": 0.0004, "ci_low": 1.2}, "; statistically significant (p < 0.001)"),
        # p below 0.05 but an interval that includes 1: one story, said plainly (issue 7.8).
        (
            {"p_value": 0.049, "ci_low": 0.99, "ci_high": 2.07},
            "(95% CI 0.99 to 2.07); borderline: p = 0.0490 is below 0.05 but the interval "
            "includes 1",
        ),
        (
            {"p_value": 0.051, "ci_low": 1.01, "ci_high": 2.07},
            "borderline: the interval excludes 1 but p = 0.0510 is 0.05 or above",
        ),
        ({"p_value": 0.051, "ci_low": 0.99}, "not statistically significant (p = 0.0510)"),
        ({"p_value": 0.049, "ci_low": 1.01}, "; statistically significant (p = 0.0490)"),
        # Without an interval (a zero count), the test decides alone.
        ({"p_value": 0.01, "ci_low": None, "ci_high": None}, "; statistically significant"),
        (
            {"impact_ratio": 0.5, "one_person_check": "fail"},
            "BME's rate is below four-fifths of the highest group's (0.50), but one person's "
            "different outcome would remove that flag",
        ),
        ({"ci_low": None, "ci_high": None}, "(95% CI not computable)"),
        ({"group": "White"}, "White shortlisted applicants are the comparison group: 15%"),
        ({"group": "Not stated"}, "not compared, because the group is not stated"),
        ({"rate": None, "suppressed": True}, "BME shortlisted applicants: not shown ("),
        # The row's own reason is given: a partner of 43 people is not "too small".
        (
            {"rate": None, "suppressed": True, "not_computable": "hidden so that X"},
            "BME shortlisted applicants: not shown (hidden so that X), so no rate",
        ),
        (
            {"relative_likelihood": None, "not_computable": "nobody in BME progressed"},
            "ratio not computable — nobody in BME progressed",
        ),
    ],
)
def test_sentence_variants(changes, expected_part):
    assert expected_part in rt.row_sentence({**BASE, **changes}, stage_index=1)


def test_first_stage_says_applicants_and_custom_stage_verb():
    row = {**BASE, "from": "applied", "to": "assessment centre", "progressed_exact": 30}
    sentence = rt.row_sentence(row, stage_index=0)
    assert sentence.startswith(
        "White applicants were 1.50 times as likely to reach the assessment centre stage as "
        "BME applicants"
    )


def test_indicator_sentence():
    indicator = {
        "name": "WRES indicator 2",
        "reference": "White",
        "focal": "BME",
        "value": 1.5,
        "ci_low": 1.1,
        "ci_high": 2.0,
        "p_value": 0.01,
        "direction": "above 1 means White applicants are more likely to be appointed",
        "not_stated_excluded": 4,
        "White": {"shortlisted": 100, "appointed": 30},
        "BME": {"shortlisted": 50, "appointed": 10},
    }
    assert rt.indicator_sentence(indicator) == rt.INDICATOR_SENTENCE.format(
        name="WRES indicator 2",
        reference="White",
        focal="BME",
        ratio="1.50",
        ci="1.10 to 2.00",
        significance="statistically significant (p = 0.0100)",
        caution="",
        direction=indicator["direction"],
        excluded=4,
    )
    hidden = rt.indicator_sentence({**indicator, "suppressed": True})
    assert hidden == rt.INDICATOR_SUPPRESSED.format(
        name="WRES indicator 2", because=rt.HIDDEN_BECAUSE
    )
    # Hidden beside a "*" partner the counts may be large: the sentence must say so.
    assert "a count hidden with one" in hidden
    reason = "hidden by disclosure control: a count of 1–7"
    hidden = rt.indicator_sentence({**indicator, "suppressed": True, "reason": reason})
    assert hidden == f"WRES indicator 2: not shown ({reason}), so no ratio is given."
    # The interval 0.99 to 2.07 beside p = 0.049: borderline, never "significant".
    edge = rt.indicator_sentence({**indicator, "p_value": 0.049, "ci_low": 0.99})
    assert "borderline: p = 0.0490 is below 0.05 but the interval includes 1" in edge


@pytest.mark.parametrize(
    ("p", "shown"), [(0.73, "0.73"), (0.1, "0.10"), (0.0495, "0.0495"), (0.0009, "< 0.001")]
)
def test_format_p(p, shown):
    assert rt.format_p(p) == shown
