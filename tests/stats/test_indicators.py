"""WRES indicator 2 / WDES metric 2 by NHS England's definition, on hand-made funnels.

Definition: shortlisted → appointed; only shortlisted applicants who turned an offer down
(and those with no recorded ethnicity / disability status) are left out, both counted;
withdrawals and "did not attend" stay in the shortlisted count. No shortlisting stage →
not computable.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hand_funnels import make_funnel
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.report import recruitment_text as text
from bias_audit.report.recruitment_text import headline_sentences
from bias_audit.services import audit_recruitment
from bias_audit.stats import indicators, schema
from bias_audit.stats.funnel import Funnel

C, NP, W, D = (
    schema.LEFT_BY_COMPLETED,
    schema.LEFT_BY_NOT_PROGRESSED,
    schema.LEFT_BY_WITHDREW,
    schema.LEFT_BY_DECLINED,
)
WRES_ONLY = (schema.ETHNICITY_WRES,)
# White: 12 of 30 shortlisted appointed; BME: 6 of 30. (12/30) / (6/30) = 2.0.
BASE = [
    ("White", "appointed", C, 12),
    ("White", "interviewed", NP, 18),
    ("White", "applied", NP, 30),
    ("BME", "appointed", C, 6),
    ("BME", "interviewed", NP, 24),
    ("BME", "applied", NP, 30),
]


@dataclass(frozen=True)
class DeclaredFunnel(Funnel):
    """A funnel as the reader returns it for ``rows_are="shortlisted"`` on an appointed /
    not appointed column."""

    rows_are: str = indicators.ROWS_SHORTLISTED
    one_step: bool = True


def wres(rows, *, suppression=False, stages=schema.DEFAULT_STAGES):
    funnel = make_funnel(rows, attributes=WRES_ONLY, stages=stages)
    return audit_recruitment(funnel, suppression=suppression).wres_indicator_2


@pytest.mark.parametrize(
    ("extra", "white_shortlisted", "declined", "value"),
    [
        # Withdrew after shortlisting, or did not attend the interview (the reader records
        # both as "shortlisted, withdrew"): stays in the shortlisted count.
        (("White", "shortlisted", W, 5), 35, 0, (12 / 35) / (6 / 30)),
        # Withdrew after the interview: stays.
        (("White", "interviewed", W, 5), 35, 0, (12 / 35) / (6 / 30)),
        # Withdrew after an offer (not recorded as declining it): stays.
        (("White", "offered", W, 5), 35, 0, (12 / 35) / (6 / 30)),
        # Offered a job and turned it down: the only exit left out.
        (("White", "offered", D, 5), 30, 5, 2.0),
        # Withdrew before shortlisting: never shortlisted, so not counted at all.
        (("White", "applied", W, 5), 30, 0, 2.0),
    ],
)
def test_only_declined_offers_leave_the_shortlisted_count(
    extra, white_shortlisted, declined, value
):
    result = wres([*BASE, extra])
    assert result["White"] == {"shortlisted": white_shortlisted, "appointed": 12}
    assert result["BME"] == {"shortlisted": 30, "appointed": 6}
    assert result["declined_offers_excluded"] == declined
    assert result["value"] == pytest.approx(value)


def test_funnel_steps_keep_leaving_withdrawals_out():
    # The shortlisted → appointed row of the funnel table still takes the 5 withdrawals out
    # (documented difference): 30 entered, 5 withdrawn; the indicator counts 35.
    funnel = make_funnel([*BASE, ("White", "shortlisted", W, 5)], attributes=WRES_ONLY)
    audit = audit_recruitment(funnel, suppression=False)
    t = audit.transitions
    row = t[(t["from"] == "shortlisted") & (t["to"] == "appointed") & (t["group"] == "White")]
    assert (int(row["entered"].iloc[0]), int(row["withdrawn"].iloc[0])) == (30, 5)
    assert audit.wres_indicator_2["White"]["shortlisted"] == 35


def test_not_stated_and_declined_are_both_counted_and_shown():
    rows = [
        *BASE,
        ("White", "offered", D, 3),
        ("BME", "offered", D, 2),
        (schema.NOT_STATED, "appointed", C, 4),
        (schema.NOT_STATED, "offered", D, 1),
        (schema.NOT_STATED, "shortlisted", NP, 5),
        (schema.NOT_STATED, "applied", NP, 20),
    ]
    result = wres(rows)
    # Not stated: 4 + 1 + 5 = 10 shortlisted (its own declined offer included); declined in
    # the compared groups: 3 + 2 = 5.
    assert result["not_stated_excluded"] == 10
    assert result["declined_offers_excluded"] == 5
    assert text.INDICATOR_DECLINED.format(declined=5) in result["sentence"]
    assert "10 not stated excluded" in result["sentence"]


def test_sensitivity_line_in_analyst_mode_only():
    rows = [*BASE, ("White", "shortlisted", W, 5)]
    exact = wres(rows)
    # With withdrawals also left out: (12/30) / (6/30) = 2.0, against 1.71 by definition.
    assert exact["sensitivity"]["value"] == pytest.approx(2.0)
    assert exact["sensitivity"]["withdrawals_removed"] == 5
    assert "Sensitivity (analyst view only)" in exact["sentence"]
    assert "would be 2.00" in exact["sentence"]
    published = wres(rows, suppression=True)
    assert "sensitivity" not in published
    assert "Sensitivity" not in published["sentence"]


def test_no_sensitivity_line_when_nothing_differs():
    # A declined offer changes nothing between the two ways; no withdrawals, no line.
    assert "sensitivity" not in wres([*BASE, ("White", "offered", D, 5)])


@pytest.mark.parametrize(
    "stages",
    [
        ("applied", "interviewed", "offered", "appointed"),
        ("applied", "offered", "appointed"),
    ],
)
def test_no_shortlisting_stage_is_not_computable(stages):
    rows = [
        ("White", "appointed", C, 12),
        ("White", "interviewed" if "interviewed" in stages else "offered", NP, 18),
        ("White", "applied", NP, 30),
        ("BME", "appointed", C, 6),
        ("BME", "applied", NP, 54),
    ]
    funnel = make_funnel(rows, stages=stages, attributes=(schema.ETHNICITY_WRES,))
    audit = audit_recruitment(funnel, suppression=False)
    for indicator in (audit.wres_indicator_2, audit.wdes_metric_2):
        assert indicator["value"] is None
    result = audit.wres_indicator_2
    assert result["reason"] == indicators.NOT_COMPUTABLE_NO_SHORTLISTING
    assert result["sentence"] == text.INDICATOR_NOT_COMPUTABLE.format(
        name=indicators.WRES_NAME, reason=indicators.NOT_COMPUTABLE_NO_SHORTLISTING
    )
    assert headline_sentences(audit)[0] == result["sentence"]


def test_shortlisting_stage_under_another_name_is_found():
    stages = ("applied", "invited to interview", "interviewed", "appointed")
    rows = [
        ("White", "appointed", C, 12),
        ("White", "interviewed", NP, 18),
        ("White", "applied", NP, 30),
        ("BME", "appointed", C, 6),
        ("BME", "invited to interview", W, 4),
        ("BME", "interviewed", NP, 20),
    ]
    result = wres(rows, stages=stages)
    assert result["BME"] == {"shortlisted": 30, "appointed": 6}
    assert result["value"] == pytest.approx(2.0)


ONE_STEP = ("considered", "appointed")
ONE_STEP_ROWS = [
    ("White", "appointed", C, 12),
    ("White", "considered", NP, 18),
    ("BME", "appointed", C, 6),
    ("BME", "considered", NP, 24),
]


def test_appointed_or_not_rows_as_applications_say_what_to_set():
    result = wres(ONE_STEP_ROWS, stages=ONE_STEP)
    assert result["value"] is None
    assert result["reason"] == (
        indicators.NOT_COMPUTABLE_NO_SHORTLISTING + indicators.HINT_ROWS_ARE
    )
    assert "--rows-are shortlisted" in result["sentence"]


@pytest.mark.parametrize("suppression", [False, True])
def test_rows_declared_shortlisted_compute_and_say_declines_are_unknown(suppression):
    plain = make_funnel(ONE_STEP_ROWS, attributes=WRES_ONLY, stages=ONE_STEP)
    funnel = DeclaredFunnel(
        stages=plain.stages, counts=plain.counts, attributes=plain.attributes, source="x.csv"
    )
    result = audit_recruitment(funnel, suppression=suppression).wres_indicator_2
    # (12/30) / (6/30) = 2.0 exactly, and the rounded counts are the exact ones but 12 → 10,
    # 6 → ≤7: published, BME's appointments are hidden.
    if suppression:
        assert result["suppressed"] is True and result["value"] is None
    else:
        assert result["value"] == pytest.approx(2.0)
        assert result["White"] == {"shortlisted": 30, "appointed": 12}
    assert result["caveat"] == indicators.CAVEAT_DECLINES_UNKNOWN
    assert "declined offers cannot be identified" in result["sentence"]


def test_declared_shortlisted_with_declines_named_has_no_caveat():
    rows = [*ONE_STEP_ROWS, ("White", "considered", D, 3)]
    plain = make_funnel(rows, attributes=WRES_ONLY, stages=ONE_STEP)
    funnel = DeclaredFunnel(stages=plain.stages, counts=plain.counts, attributes=WRES_ONLY)
    result = audit_recruitment(funnel, suppression=False).wres_indicator_2
    assert "caveat" not in result
    assert result["declined_offers_excluded"] == 3
    assert result["White"] == {"shortlisted": 30, "appointed": 12}


def test_published_value_comes_from_the_rounded_counts():
    # White 40 of 101 shortlisted, BME 18 of 92: shown as 40 of 100 and 20 of 90.
    rows = [
        ("White", "appointed", C, 40),
        ("White", "interviewed", NP, 61),
        ("BME", "appointed", C, 18),
        ("BME", "interviewed", NP, 74),
    ]
    shown = wres(rows, suppression=True)
    assert shown["White"] == {"shortlisted": 100, "appointed": 40}
    assert shown["BME"] == {"shortlisted": 90, "appointed": 20}
    # (40/100) / (20/90) = 1.80 published; exactly (40/101) / (18/92) = 2.02.
    assert shown["value"] == 1.8
    assert wres(rows)["value"] == pytest.approx((40 / 101) / (18 / 92))


def test_reference_with_no_appointments_is_not_computable():
    rows = [("White", "interviewed", NP, 30), ("BME", "appointed", C, 6), ("BME", "applied", NP, 1)]
    rows += [("BME", "interviewed", NP, 24)]
    result = wres(rows)
    assert result["value"] is None
    assert result["reason"] == indicators.NOT_COMPUTABLE_NONE_APPOINTED.format(group="White")


exits = st.fixed_dictionaries(
    {
        stage_exit: st.integers(0, 12)
        for stage_exit in (
            ("shortlisted", W),
            ("interviewed", W),
            ("offered", W),
            ("offered", D),
            ("shortlisted", NP),
            ("interviewed", NP),
            ("applied", W),
            ("appointed", C),
        )
    }
)


# A counting identity over 24 independent cells (0-12 each): 20 funnels reach every exit
# with both zero and non-zero counts; each example is a full WRES computation.
@settings(max_examples=20)
@given(white=exits, bme=exits, not_stated=exits)
def test_every_shortlisted_applicant_is_counted_once(white, bme, not_stated):
    rows = [
        (group, stage, left, n)
        for group, plan in (("White", white), ("BME", bme), (schema.NOT_STATED, not_stated))
        for (stage, left), n in plan.items()
    ]
    rows.append(("White", "applied", NP, 1))  # never an empty funnel
    result = wres(rows)
    reached = sum(
        n
        for plan in (white, bme, not_stated)
        for (stage, _), n in plan.items()
        if stage != "applied"
    )
    parts = (
        result["White"]["shortlisted"]
        + result["BME"]["shortlisted"]
        + result["declined_offers_excluded"]
        + result["not_stated_excluded"]
    )
    assert parts == reached
    assert result["declined_offers_excluded"] == white[("offered", D)] + bme[("offered", D)]
    assert result["White"]["appointed"] == white[("appointed", C)]
    # Withdrawals never leave the count: it is reached minus declined.
    assert result["BME"]["shortlisted"] == sum(
        n for (stage, left), n in bme.items() if stage != "applied" and left != D
    )


def test_analyst_mode_keeps_exact_counts_when_another_part_is_not_computable():
    plain = make_funnel([*BASE, ("White", "shortlisted", W, 5)], attributes=WRES_ONLY)
    funnel = Funnel(
        stages=plain.stages,
        counts=plain.counts,
        attributes=WRES_ONLY,
        not_computable={"ethnicity": "until the codes are read"},
    )
    result = audit_recruitment(funnel, suppression=False).wres_indicator_2
    assert result["White"] == {"shortlisted": 35, "appointed": 12}  # exact, not labels
    assert "sensitivity" not in result
    assert result["value"] is None and result["reason"] == "until the codes are read"
