"""The whole audit on hand-made funnels: numbers, indicators, JSON contract, properties."""

from __future__ import annotations

import json

import pytest
from hand_funnels import make_funnel, two_stage_rows
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.errors import InputDataError, OptionError
from bias_audit.report.recruitment_warnings import NOTE_WITHDRAWN_FEW
from bias_audit.services import audit_recruitment
from bias_audit.stats import indicators, schema
from bias_audit.stats.comparisons import EMPTY_FUNNEL, NO_ATTRIBUTE_COLUMN
from bias_audit.stats.results import TRANSITION_COLUMNS

C, NP, W, D = (
    schema.LEFT_BY_COMPLETED,
    schema.LEFT_BY_NOT_PROGRESSED,
    schema.LEFT_BY_WITHDREW,
    schema.LEFT_BY_DECLINED,
)
# Shortlisted → appointed by hand. White: 40 shortlisted, 12 appointed, 3 declined offers,
# 2 withdrew after shortlisting. BME: 30 shortlisted, 4 appointed, 2 declined offers.
# Not stated: 9 shortlisted, 2 appointed. Everyone here was shortlisted.
WRES_ROWS = [
    ("White", "Female", "Not disabled", "appointed", C, 12),
    ("White", "Female", "Not disabled", "offered", D, 3),
    ("White", "Male", "Not disabled", "shortlisted", W, 2),
    ("White", "Male", "Disabled", "interviewed", NP, 23),
    ("BME", "Female", "Disabled", "appointed", C, 4),
    ("BME", "Female", "Not disabled", "offered", D, 2),
    ("BME", "Male", "Not disabled", "shortlisted", NP, 24),
    ("Not stated", "Female", "Not stated", "appointed", C, 2),
    ("Not stated", "Female", "Not stated", "shortlisted", NP, 7),
]


def test_wres_indicator_2_excludes_declined_offers_and_not_stated():
    audit = audit_recruitment(make_funnel(WRES_ROWS), suppression=False)
    wres = audit.wres_indicator_2
    # NHS England's definition: only declined offers leave the shortlisted count.
    # White: 40 − 3 declined = 37 shortlisted (the 2 withdrawals stay), 12 appointed.
    # BME: 30 − 2 declined = 28 shortlisted, 4 appointed.  (12/37) / (4/28) = 2.27.
    assert wres["White"] == {"shortlisted": 37, "appointed": 12}
    assert wres["BME"] == {"shortlisted": 28, "appointed": 4}
    assert wres["value"] == pytest.approx((12 / 37) / (4 / 28))
    assert wres["not_stated_excluded"] == 9
    assert wres["declined_offers_excluded"] == 5
    assert "fewer than 8 BME appointments" in wres["sentence"]
    assert wres["sentence"].startswith(
        "WRES indicator 2: White shortlisted applicants were 2.27 times as likely to be appointed"
    )


def test_wdes_metric_2():
    audit = audit_recruitment(make_funnel(WRES_ROWS), suppression=False)
    wdes = audit.wdes_metric_2
    # Not disabled: 12 appointed + 24 rejected + 2 withdrew = 38 (the 3 + 2 declined offers
    # are left out), 12 appointed. Disabled: 23 rejected + 4 appointed = 27, 4 appointed.
    assert wdes["Not disabled"] == {"shortlisted": 38, "appointed": 12}
    assert wdes["Disabled"] == {"shortlisted": 27, "appointed": 4}
    assert wdes["value"] == pytest.approx((12 / 38) / (4 / 27))
    assert wdes["direction"] == indicators.WDES_DIRECTION


def test_indicator_west_lancashire_counts():
    # Published counts (research notes §1.3): BME 10/2, White 389/117, unknown 4/0 → 1.504.
    result = indicators.wres_indicator_2(
        {"White": (389, 117, 0), "BME": (10, 2, 0), "Not stated": (4, 0, 0)}
    )
    assert result["value"] == pytest.approx(1.504, abs=5e-4)
    assert result["not_stated_excluded"] == 4


def test_indicator_not_computable():
    result = indicators.wres_indicator_2({"White": (10, 2, 0), "BME": (5, 0, 0)})
    assert result["value"] is None
    assert result["reason"] == indicators.NOT_COMPUTABLE_NONE_APPOINTED.format(group="BME")
    missing = indicators.wdes_metric_2({"Not disabled": (10, 2, 0)})
    assert missing["reason"] == indicators.NOT_COMPUTABLE_MISSING.format(group="Disabled")


def test_transitions_table_columns_and_sentence_direction():
    audit = audit_recruitment(make_funnel(WRES_ROWS), suppression=False)
    assert tuple(audit.transitions.columns) == TRANSITION_COLUMNS
    t = audit.transitions
    bme = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["to"] == "appointed")]
    bme = bme[(bme["from"] == "shortlisted") & (bme["group"] == "BME")].iloc[0]
    assert bme["relative_likelihood"] == pytest.approx(2.4)
    assert bme["impact_ratio"] == pytest.approx((4 / 28) / (12 / 35))
    assert bme["shortfall"] == 6  # 12/35 · 28 = 9.6 → 10 needed, 4 had
    assert bme["sentence"].startswith(
        "White shortlisted applicants were 2.40 times as likely to be appointed as BME "
        "shortlisted applicants (95% CI"
    )
    white = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "White")]
    assert (white["relative_likelihood"] == 1.0).all()


def test_to_dict_follows_the_contract_and_is_json():
    audit = audit_recruitment(make_funnel(WRES_ROWS))
    data = json.loads(json.dumps(audit.to_dict()))
    assert {"stages", "transitions", "wres_indicator_2", "wdes_metric_2", "warnings"} <= set(data)
    block = data["transitions"][0]
    assert {"attribute", "from", "to", "reference", "groups"} <= set(block)
    group_keys = {
        "group",
        "entered",
        "progressed",
        "rate",
        "relative_likelihood",
        "impact_ratio",
        "p_value",
        "ci_low",
        "ci_high",
        "suppressed",
    }
    assert all(group_keys <= set(g) for b in data["transitions"] for g in b["groups"])
    assert {"value", "White", "BME"} <= set(data["wres_indicator_2"])
    assert data["suppression"] is True


def test_bad_inputs_have_named_messages():
    empty = make_funnel([("White", "Female", "Not disabled", "applied", NP, 0)])
    with pytest.raises(InputDataError) as err:
        audit_recruitment(empty)
    assert str(err.value) == EMPTY_FUNNEL.format(source="hand-made.csv")
    with pytest.raises(OptionError):
        audit_recruitment(make_funnel(WRES_ROWS), reference=["religion=None"])
    with pytest.raises(OptionError):
        audit_recruitment(make_funnel(WRES_ROWS), adverse_band=(1.2, 0.8))


def test_reference_override_changes_direction():
    audit = audit_recruitment(
        make_funnel(WRES_ROWS), reference={"ethnicity_wres": "BME"}, suppression=False
    )
    t = audit.transitions
    white = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "White")]
    white = white[white["from"] == "shortlisted"].iloc[-1]
    assert white["reference"] == "BME"
    assert white["relative_likelihood"] == pytest.approx((4 / 28) / (12 / 35))
    # The national indicator keeps its own definition whatever the display reference.
    assert audit.wres_indicator_2["value"] == pytest.approx((12 / 37) / (4 / 28))


groups = st.dictionaries(
    st.tuples(
        st.sampled_from(["White", "BME", schema.NOT_STATED]),
        st.sampled_from(["Female", "Male"]),
        st.sampled_from(["Disabled", "Not disabled"]),
    ),
    st.integers(1, 30).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
    min_size=1,
    max_size=6,
)


@settings(max_examples=10, deadline=None)
@given(per_group=groups)
def test_reference_ratio_is_exactly_one_and_rates_are_probabilities(per_group):
    funnel = make_funnel(two_stage_rows(per_group), stages=("applied", "appointed"))
    audit = audit_recruitment(funnel, suppression=False)
    t = audit.transitions
    refs = t[(t["group"] == t["reference"]) & t["rate"].map(lambda r: r is not None and r > 0)]
    assert (refs["relative_likelihood"] == 1.0).all()
    rates = [r for r in t["rate"] if r is not None]
    assert all(0 <= r <= 1 for r in rates)
    ratios = [r for r in t["impact_ratio"] if r is not None]
    assert all(0 <= r <= 1 + 1e-12 for r in ratios)


def test_indicator_without_the_attribute_says_so():
    rows = [(eth, gender, stage, left, n) for eth, gender, _, stage, left, n in WRES_ROWS]
    funnel = make_funnel(rows, attributes=(schema.ETHNICITY_WRES, schema.GENDER))
    audit = audit_recruitment(funnel, suppression=False)
    assert audit.wdes_metric_2["reason"] == NO_ATTRIBUTE_COLUMN.format(label="disability status")
    assert audit.wres_indicator_2["value"] == pytest.approx((12 / 37) / (4 / 28))


def test_suppressed_wres_step_by_hand():
    # Shortlisted → appointed, WRES view (see WRES_ROWS): entered 35 / 28 / 9, progressed
    # 12 / 4 / 2. BME's 4 and Not stated's 2 are "≤7"; with every view of so few people
    # linked (ethnicity × gender splits the 4 and the 2 again), more counts are hidden as
    # "*" so that none of them can be pinned down. Nothing is compared with a hidden row.
    audit = audit_recruitment(make_funnel(WRES_ROWS))
    t = audit.transitions
    step = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["to"] == "appointed")]
    step = step[step["from"] == "shortlisted"]
    assert step["group"].tolist() == ["White", "BME", "Not stated"]
    assert step["progressed"].tolist()[1:] == ["≤7", "≤7"]
    assert step["withdrawn"].tolist() == [None, None, None]  # published as one total only
    assert step["suppressed"].tolist()[1:] == [True, True]
    assert step["relative_likelihood"].tolist()[1:] == [None, None]
    wres = audit.wres_indicator_2
    assert wres["value"] is None and wres["suppressed"] is True
    assert wres["BME"]["appointed"] == "≤7"
    assert audit.notes[0] == NOTE_WITHDRAWN_FEW


def test_item_10_defects_in_the_audit():
    # White: 20 of 20 progressed; BME: 10 of 10; Disabled entered nobody at the last step.
    both_all = two_stage_rows(
        {("White", "Female", "Not disabled"): (20, 20), ("BME", "Male", "Not disabled"): (10, 10)}
    )
    t = audit_recruitment(
        make_funnel(both_all, stages=("applied", "appointed")), suppression=False
    ).transitions
    bme = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "BME")].iloc[0]
    assert bme["relative_likelihood"] == 1.0
    assert (bme["ci_low"], bme["ci_high"]) == (None, None)
    assert "1.00 to 1.00" not in bme["sentence"] and "95% CI not computable" in bme["sentence"]
    # Reference (White) with nobody progressing: not computable, never "0.00 times".
    none_ref = two_stage_rows(
        {("White", "Female", "Not disabled"): (20, 0), ("BME", "Male", "Not disabled"): (10, 4)}
    )
    t = audit_recruitment(
        make_funnel(none_ref, stages=("applied", "appointed")), suppression=False
    ).transitions
    bme = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "BME")].iloc[0]
    assert bme["relative_likelihood"] is None
    assert "0.00" not in bme["sentence"] and "not computable" in bme["sentence"]
    # A group nobody entered has no shortfall (not 0).
    rows = [
        ("White", "Female", "Not disabled", "appointed", C, 10),
        ("White", "Female", "Not disabled", "applied", NP, 10),
        ("BME", "Male", "Not disabled", "applied", NP, 12),
    ]
    t = audit_recruitment(
        make_funnel(rows, stages=("applied", "shortlisted", "appointed")), suppression=False
    ).transitions
    late = t[
        (t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "BME") & (t["step"] == 1)
    ].iloc[0]
    assert late["entered"] == 0 and late["shortfall"] is None
