"""Disclosure control inside the audit (NHS Digital method), checked from the outside.

Every published table — each transition × attribute view (entered, progressed, withdrawn)
and each attribute's stage-count table (one column per stage) — is read back with the exact
counts from the same audit run without suppression. The attacker knows every column's exact
total and every shown count to ±2; "≤7" is 1–7 and "*" is 8 or more (the rule never puts a
0 or a 1–7 behind "*"). The consistent values are worked out here by brute force (sets of
reachable sums), independently of the engine's interval arithmetic.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hand_funnels import make_funnel
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.report.suppression import ROUND_TO, SECONDARY_LABEL, SMALL_LABEL
from bias_audit.stats import schema
from bias_audit.stats.audit import audit_file, audit_recruitment
from bias_audit.stats.rates import is_not_stated

STAGES = ("applied", "shortlisted", "interviewed", "appointed")
HIDDEN = (SMALL_LABEL, SECONDARY_LABEL)
EXAMPLE = Path(__file__).resolve().parents[2] / "example_data" / "recruitment_extract.csv"


def columns(shown, exact):
    """(shown labels, exact values) for every count column of every published table."""
    out = []
    t, e = shown.transitions, exact.transitions
    for key, block in t.groupby(["attribute", "step"], sort=False):
        twin = e[(e["attribute"] == key[0]) & (e["step"] == key[1])]
        assert twin["group"].tolist() == block["group"].tolist()
        for name in ("entered", "progressed", "withdrawn"):
            out.append((block[name].tolist(), [int(v) for v in twin[name]]))
    s, x = shown.stage_counts, exact.stage_counts
    for key, block in s.groupby(["attribute", "stage_index"], sort=False):
        twin = x[(x["attribute"] == key[0]) & (x["stage_index"] == key[1])]
        out.append((block["reached"].tolist(), [int(v) for v in twin["reached"]]))
    return out


def possible(label, total: int) -> range:
    if label == SMALL_LABEL:
        return range(1, 8)
    if label == SECONDARY_LABEL:
        return range(8, max(total, 8) + 1)
    return range(0, 1) if label == 0 else range(label - 2, label + 3)


def consistent(labels, totals, cell: int) -> set[int]:
    """Values of ``labels[cell]`` for which the other cells can make one of ``totals``."""
    top = max(totals)
    sums = {0}
    for i, label in enumerate(labels):
        if i != cell:
            sums = {s + v for s in sums for v in possible(label, top) if s + v <= top}
    return {v for v in possible(labels[cell], top) if any(t - v in sums for t in totals)}


def audits(data: tuple) -> tuple:
    funnel = make_funnel(data, stages=STAGES)
    return audit_recruitment(funnel), audit_recruitment(funnel, suppression=False)


rows = st.lists(
    st.tuples(
        st.sampled_from(["White", "BME", schema.NOT_STATED]),
        st.sampled_from(["Female", "Male"]),
        st.sampled_from(["Disabled", "Not disabled"]),
        st.sampled_from(STAGES),
        st.sampled_from(schema.LEFT_BY_VALUES),
        st.integers(0, 25),
    ),
    min_size=2,
    max_size=10,
)


@settings(max_examples=25, deadline=None)
@given(data=rows)
def test_published_tables_follow_the_rules(data):
    if sum(r[-1] for r in data) == 0:
        return
    shown, exact = audits(tuple(data))
    check_counts(shown, exact)
    check_rates_and_ratios(shown)


def check_counts(shown, exact):
    for labels, values in columns(shown, exact):
        # (a) every shown count is 0, "≤7", "*" or a multiple of 5 that is at least 10.
        for label, value in zip(labels, values, strict=True):
            if label == SMALL_LABEL:
                assert 1 <= value <= 7
            elif label == SECONDARY_LABEL:
                assert value >= 8
            else:
                assert (label == 0 and value == 0) or (label % ROUND_TO == 0 and label >= 10)
                assert abs(label - value) <= 2
        hidden = [i for i, label in enumerate(labels) if label in HIDDEN]
        spare = any(v > 0 and label not in HIDDEN for label, v in zip(labels, values, strict=True))
        # (b) hidden cells per column: none or at least two (unless nothing else is left).
        assert len(hidden) != 1 or not spare
        # (e) every hidden cell keeps at least two candidate values. With a shown non-zero
        # cell left the attacker is given the exact total; otherwise every non-zero count is
        # hidden and the total is known only as published elsewhere, rounded (±2) or 1–7.
        total = sum(values)
        if spare:
            totals = [total]
        elif 1 <= total <= 7:
            totals = list(range(1, 8))
        else:
            totals = list(range(max(total - 2, 0), total + 3))
        for cell in hidden:
            found = consistent(labels, totals, cell)
            assert values[cell] in found
            if labels[cell] == SMALL_LABEL:
                assert len(found & set(range(1, 8))) >= 2, (labels, values, cell)
            else:
                assert len(found) >= 2, (labels, values, cell)


def check_rates_and_ratios(shown):
    t = shown.transitions
    hidden = {
        (a, s, g): n in HIDDEN or k in HIDDEN
        for a, s, g, n, k in zip(
            t["attribute"], t["step"], t["group"], t["entered"], t["progressed"], strict=True
        )
    }
    for row in t.to_dict("records"):
        n, k = row["entered"], row["progressed"]
        own = hidden[(row["attribute"], row["step"], row["group"])]
        ref = row["reference"] is not None and hidden.get(
            (row["attribute"], row["step"], row["reference"]), False
        )
        if own:
            # (d) nothing computed from a hidden count is shown.
            assert row["rate"] is None and row["impact_ratio"] is None
        elif n == 0:
            assert row["rate"] is None
        else:
            # (c) the shown rate is the rounded numerator over the rounded denominator.
            assert row["rate"] == k / n
        if own or ref:
            for name in ("relative_likelihood", "p_value", "ci_low", "ci_high", "z"):
                assert row[name] is None
        for name in ("relative_likelihood", "impact_ratio", "ci_low", "ci_high"):
            if row[name] is not None:
                assert row[name] == round(row[name], 2)
    s = shown.stage_counts
    for (_, _), block in s.groupby(["attribute", "group"]):
        applied = block[block["stage_index"] == 0]["reached"].iloc[0]
        for k, share in zip(block["reached"], block["share"], strict=True):
            if k in HIDDEN or applied in HIDDEN or applied == 0:
                assert share is None
            else:
                assert share == k / applied


def test_not_stated_is_given_up_first():
    # Applied column of the WRES view: White 40, BME 3 (≤7), Not stated 20 -> Not stated "*".
    data = [
        ("White", "Female", "Not disabled", "applied", schema.LEFT_BY_NOT_PROGRESSED, 40),
        ("BME", "Male", "Disabled", "applied", schema.LEFT_BY_NOT_PROGRESSED, 3),
        (schema.NOT_STATED, "Male", "Disabled", "applied", schema.LEFT_BY_NOT_PROGRESSED, 20),
    ]
    shown, _ = audits(tuple(data))
    t = shown.transitions
    first = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["step"] == 0)]
    assert dict(zip(first["group"], first["entered"], strict=True)) == {
        "White": 40,
        "BME": SMALL_LABEL,
        schema.NOT_STATED: SECONDARY_LABEL,
    }
    assert first["rate"].tolist() == [0.0, None, None]


def test_no_suppression_shows_exact_counts():
    data = [
        ("White", "Female", "Not disabled", "appointed", "completed", 3),
        ("BME", "Male", "Disabled", "applied", "not_progressed", 12),
    ]
    audit = audit_recruitment(make_funnel(data, stages=STAGES), suppression=False)
    t = audit.transitions
    white = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "White")]
    assert white["entered"].tolist() == [3, 3, 3, 3]
    suppressed = audit_recruitment(make_funnel(data, stages=STAGES))
    t = suppressed.transitions
    white = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "White")]
    assert white["entered"].tolist() == [SMALL_LABEL] * 4
    assert suppressed.wres_indicator_2["value"] is None


def test_indicator_is_hidden_with_its_secondary_partner():
    # Shortlisted -> appointed, WRES view: White 100 of 300, BME 20 of 50, Not stated 3 of 10.
    # The appointed column has one "≤7" (Not stated), so BME's 20 is hidden as "*"; the
    # table gives BME no ratio, and WRES indicator 2 (the same numbers) must not either.
    stages = ("applied", "shortlisted", "appointed")
    data = []
    for group, applied, shortlisted, appointed in (
        ("White", 900, 300, 100),
        ("BME", 200, 50, 20),
        (schema.NOT_STATED, 40, 10, 3),
    ):
        data += [
            (group, "appointed", schema.LEFT_BY_COMPLETED, appointed),
            (group, "shortlisted", schema.LEFT_BY_NOT_PROGRESSED, shortlisted - appointed),
            (group, "applied", schema.LEFT_BY_NOT_PROGRESSED, applied - shortlisted),
        ]
    funnel = make_funnel(data, attributes=(schema.ETHNICITY_WRES,), stages=stages)
    audit = audit_recruitment(funnel)
    t = audit.transitions
    bme = t[(t["step"] == 1) & (t["group"] == "BME")].iloc[0]
    assert bme["progressed"] == SECONDARY_LABEL and bme["relative_likelihood"] is None
    wres = audit.wres_indicator_2
    assert wres["BME"] == {"shortlisted": 50, "appointed": SECONDARY_LABEL}
    assert wres["suppressed"] is True
    assert [wres[k] for k in ("value", "ci_low", "ci_high", "p_value", "mid_p")] == [None] * 5
    assert audit_recruitment(funnel, suppression=False).wres_indicator_2["value"] is not None


@pytest.fixture(scope="module")
def example():
    return audit_file(EXAMPLE), audit_file(EXAMPLE, suppression=False)


def test_example_extract_keeps_the_numbers_that_matter(example):
    shown, exact = example
    wres, wdes = shown.wres_indicator_2, shown.wdes_metric_2
    # NHS England's definition (withdrawals stay shortlisted): exact 1.46 and 1.32; published
    # from the rounded counts: (345/985) / (85/365) = 1.50 and (400/1240) / (25/110) = 1.42.
    assert round(exact.wres_indicator_2["value"], 2) == 1.46
    assert round(exact.wdes_metric_2["value"], 2) == 1.32
    assert wres["value"] == 1.50 and wres["p_value"] < 0.001
    assert wdes["value"] == 1.42
    # Counts shown rounded: 87 BME appointed of 364 shortlisted in the exact audit.
    assert wres["BME"] == {"shortlisted": 365, "appointed": 85}
    assert exact.wres_indicator_2["BME"] == {"shortlisted": 364, "appointed": 87}
    # Counts inside the indicators and warnings are rounded too (62 -> 60, 77 -> 75).
    assert exact.wdes_metric_2["not_stated_excluded"] == 62
    assert wdes["not_stated_excluded"] == 60
    assert any(w.startswith("77 of 5000 applications") for w in exact.warnings)
    assert any(w.startswith("75 of 5000 applications") for w in shown.warnings)
    t = shown.transitions
    bme = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "BME")]
    assert len(bme) == 5
    for row in bme.to_dict("records"):
        assert isinstance(row["entered"], int) and isinstance(row["progressed"], int)
        assert row["rate"] == row["progressed"] / row["entered"]
        assert row["relative_likelihood"] is not None and not row["suppressed"]
    # The funnel chart draws: every stated group whose counts are all 8 or more keeps its
    # shares (Non-binary, 5 offered, is rightly hidden at the last two stages).
    s, x = shown.stage_counts, exact.stage_counts
    for attribute in (schema.ETHNICITY_WRES, schema.GENDER, schema.DISABILITY):
        part = s["attribute"] == attribute
        big = x[part].groupby("group")["reached"].transform("min") >= 8
        stated = part & ~s["group"].map(is_not_stated)
        drawn = s[stated & big]
        assert drawn["group"].nunique() >= 2, attribute
        assert drawn["share"].map(lambda v: v is not None).all(), attribute


def test_pooled_tests_are_published_rounded():
    data = []
    for post, (white, bme) in {"A": ((40, 18), (30, 7)), "B": ((50, 25), (45, 11))}.items():
        for group, (n, k) in (("White", white), ("BME", bme)):
            data.append((group, "Female", "Not disabled", post, "appointed", "completed", k))
            data.append((group, "Female", "Not disabled", post, "applied", "not_progressed", n - k))
    funnel = make_funnel(data, stages=("applied", "appointed"), stratum=True)
    shown = audit_recruitment(funnel).stratified
    exact = audit_recruitment(funnel, suppression=False).stratified
    row = shown[(shown["attribute"] == schema.ETHNICITY_WRES) & (shown["group"] == "BME")].iloc[0]
    raw = exact[(exact["attribute"] == schema.ETHNICITY_WRES) & (exact["group"] == "BME")].iloc[0]
    assert row["pooled_odds_ratio"] == round(raw["pooled_odds_ratio"], 2)
    assert row["cmh_p"] == float(f"{raw['cmh_p']:.2g}")
    assert row["cmh_p"] != raw["cmh_p"]
