"""Disclosure control of the whole publication, checked by an attacker (tests/stats/attacker.py).

The attacker reads the published JSON and the funnel chart's counts, pins what it can row
by row from the statistics, then differences across stages, views, ethnicity × gender and
the warnings' total (interval propagation; on the example and the 7-not-stated extract
also exact integer programming over every identity at once). Every "≤7" must still be able
to be anything from 1 to 7, and every "*" must keep at least two values; the exact count
must always be among them (the attacker is sound). The analyst mode keeps exact statistics.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from attacker import PARTNER, SMALL, recover
from hand_funnels import make_funnel
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import example as case
from hypothesis import strategies as st

from bias_audit.report.suppression import REASON_SMALL
from bias_audit.services import audit_extract, audit_recruitment
from bias_audit.stats import schema
from bias_audit.stats.rates import stage_reached, transition_counts
from bias_audit.stats.significance import compare

STAGES = ("applied", "shortlisted", "interviewed", "appointed")


def exact_values(exact) -> dict[tuple, int]:
    """(view, group, "R", stage) and (view, group, "E", step) -> exact count."""
    values = {}
    for r in exact.stage_counts.to_dict("records"):
        values[(r["attribute"], r["group"], "R", int(r["stage_index"]))] = int(r["reached"])
    for r in exact.transitions.to_dict("records"):
        values[(r["attribute"], r["group"], "E", int(r["step"]))] = int(r["entered"])
    return values


def counted_values(funnel) -> dict[tuple, int]:
    """The keys and values of :func:`exact_values` straight from the engine's counts, without
    a second (analyst) audit: the generated cases need only the truth, and a whole audit
    costs five times as much (test_counts_are_the_analyst_audits_numbers keeps them equal)."""
    values = {}
    for r in stage_reached(funnel).to_dict("records"):
        values[(r["attribute"], r["group"], "R", int(r["stage_index"]))] = int(r["reached"])
    for r in transition_counts(funnel).to_dict("records"):
        values[(r["attribute"], r["group"], "E", int(r["step"]))] = int(r["entered"])
    return values


def attack(shown, truth: dict[tuple, int], *, exact_integers: bool = False) -> list[tuple]:
    """Run the attacker on what ``shown`` publishes; check soundness against ``truth`` (the
    exact counts) and protection."""
    published = json.loads(json.dumps(shown.to_dict()))
    found = recover(published, shown.stage_counts.to_dict("records"), exact_integers=exact_integers)
    for key, label, low, high in found:
        value = truth[key]
        assert low <= value <= high, (key, value, low, high)  # the attacker is sound
        if label == SMALL or 1 <= value <= 7:
            assert low <= 1 and high >= 7, (key, label, value, low, high)
        else:
            assert label == PARTNER and high - low >= 1, (key, low, high)
    return found


@pytest.fixture(scope="module")
def example(example_audits):
    """(published, analyst) audits of the example extract (shared: conftest.py at the root)."""
    return example_audits[True], example_audits[False]


def test_counts_are_the_analyst_audits_numbers(example):
    _, exact = example
    assert counted_values(exact.funnel) == exact_values(exact)


def test_example_extract_attacker_recovers_nothing(example):
    shown, exact = example
    found = attack(shown, exact_values(exact), exact_integers=True)
    # The example has many small cells (detailed groups, Non-binary, ethnicity × gender).
    assert sum(label == SMALL for _, label, _, _ in found) >= 20


def test_example_statistics_come_from_the_published_counts(example):
    shown, _ = example
    t = shown.transitions
    for row in t[~t["suppressed"].astype(bool) & t["relative_likelihood"].notna()].to_dict(
        "records"
    ):
        if row["group"] == row["reference"]:
            continue
        ref = t[
            (t["attribute"] == row["attribute"])
            & (t["step"] == row["step"])
            & (t["group"] == row["reference"])
        ].iloc[0]
        c = compare(row["progressed"], row["entered"], ref["progressed"], ref["entered"])
        assert row["relative_likelihood"] == round(c.relative_likelihood, 2)
        assert row["rate"] == row["progressed"] / row["entered"]
    wres = shown.wres_indicator_2
    counts = (wres["BME"]["appointed"], wres["BME"]["shortlisted"])
    ref = (wres["White"]["appointed"], wres["White"]["shortlisted"])
    assert wres["value"] == round(compare(*counts, *ref).relative_likelihood, 2)
    # NHS England's definition (withdrawals stay shortlisted): exact 87/364 BME and 343/986
    # White; published 85/365 against 345/985 gives 1.50.
    assert wres["BME"] == {"shortlisted": 365, "appointed": 85}
    assert wres["value"] == 1.50


def test_analyst_mode_keeps_exact_statistics(example):
    _, exact = example
    wres = exact.wres_indicator_2
    assert wres["BME"] == {"shortlisted": 364, "appointed": 87}
    counts = (87, 364, wres["White"]["appointed"], wres["White"]["shortlisted"])
    assert wres["value"] == pytest.approx(compare(*counts).relative_likelihood)
    assert exact.transitions["withdrawn"].map(lambda v: isinstance(v, int)).all()


def test_warnings_print_no_small_count_and_round_the_declared_share(example):
    shown, exact = example
    # Exact: 210 / 77 / 190 of 5000 not stated (ethnicity / gender / disability).
    assert any(w.startswith("77 of 5000 applications") for w in exact.warnings)
    assert "210 of 5000 applications have no stated ethnicity" in shown.warnings[0]
    assert "(about 95% declared)" in shown.warnings[0]
    # The gender count is hidden as a partner: no number, and no declared share either.
    assert shown.warnings[1].startswith("Some applications have no stated gender")
    assert "declared" not in shown.warnings[1]
    for text in (*shown.warnings, *shown.notes):
        for number in (int(tok) for tok in text.replace("(", " ").split() if tok.isdigit()):
            assert number == 0 or number >= 8, text


rows = st.lists(
    st.tuples(
        st.sampled_from(["White", "BME", schema.NOT_STATED]),
        st.sampled_from(["Female", "Male", schema.NOT_STATED]),
        st.sampled_from(["Disabled", "Not disabled"]),
        st.sampled_from(STAGES),
        st.sampled_from(schema.LEFT_BY_VALUES),
        st.integers(0, 30),
    ),
    min_size=3,
    max_size=10,
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking LPs is slow
)
@given(data=rows)
@case(
    data=[
        ("White", "Female", "Disabled", "applied", schema.LEFT_BY_NOT_PROGRESSED, 1),
        ("White", "Female", "Not disabled", "applied", schema.LEFT_BY_NOT_PROGRESSED, 1),
    ]
)
def test_attacker_recovers_nothing_on_generated_extracts(data):
    if sum(r[-1] for r in data) == 0:
        return
    funnel = make_funnel(tuple(data), stages=STAGES)
    attack(audit_recruitment(funnel), counted_values(funnel))


# ------------------------------------------------------------------ 7 not stated (issue 7.7)


def seven_not_stated(path: Path) -> Path:
    """White 150 (75 shortlisted, 30 appointed), BME 43 (12 shortlisted, 8 appointed), Not
    stated 7 (3 shortlisted, 1 appointed): White applicants 1.79 times as likely to be
    shortlisted (Fisher p ≈ 0.02) — the issue's case, where BME used to vanish as "*"."""
    lines = ["Applicant ID,Ethnic Origin,Sex,Disability,Application Status"]
    plan = [
        ("A White - British", 75, 45, 30),
        ("H Asian or Asian British - Indian", 22, 3, 5),
        ("N Black or Black British - African", 9, 1, 3),
        ("Z Not stated", 4, 2, 1),
    ]
    outcomes = ("Not shortlisted", "Unsuccessful at interview", "Appointed")
    number = 0
    for ethnicity, *counts in plan:
        for outcome, count in zip(outcomes, counts, strict=True):
            for _ in range(count):
                number += 1
                sex = "Female" if number % 3 else "Male"
                disabled = "Yes" if number % 7 == 0 else "No"
                lines.append(f"{number},{ethnicity},{sex},{disabled},{outcome}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_seven_not_stated_keeps_bme_visible(tmp_path):
    source = seven_not_stated(tmp_path / "seven.csv")
    shown, exact = audit_extract(source), audit_extract(source, suppression=False)
    t = shown.transitions
    wres = t[t["attribute"] == schema.ETHNICITY_WRES]
    bme = wres[wres["group"] == "BME"]
    assert not bme["suppressed"].any()
    first = bme[bme["step"] == 0].iloc[0]
    assert (first["entered"], first["progressed"]) == (45, 10)
    assert first["relative_likelihood"] == round((75 / 150) / (10 / 45), 2)
    assert first["significance"] == "significant"
    assert shown.wres_indicator_2["value"] is not None
    not_stated = wres[wres["group"] == schema.NOT_STATED]
    assert (not_stated["entered"] == SMALL).any()  # still a row, shown as ≤7
    attack(shown, exact_values(exact), exact_integers=True)
    # Every hidden row gives its true reason: a partner is never "numbers too small".
    x = exact.transitions
    for i in t.index[t["suppressed"].astype(bool)]:
        small = any(1 <= int(x.at[i, c]) <= 7 for c in ("entered", "progressed"))
        reason = t.at[i, "not_computable"]
        assert (REASON_SMALL in reason) == small, (t.loc[i].to_dict(), x.loc[i].to_dict())
        assert small or "cannot be worked out by subtraction" in reason


# ------------------------------------------------------------------ --stratify (issue 7.2)


def test_stratified_tests_are_withheld_when_the_pooled_table_hides_a_group():
    data = []
    for post, (white, bme) in {"A": ((40, 18), (3, 1)), "B": ((50, 25), (2, 0))}.items():
        for group, (n, k) in (("White", white), ("BME", bme)):
            data.append((group, "Female", "Not disabled", post, "appointed", "completed", k))
            data.append((group, "Female", "Not disabled", post, "applied", "not_progressed", n - k))
    funnel = make_funnel(data, stages=("applied", "appointed"), stratum=True)
    shown = audit_recruitment(funnel).stratified
    row = shown[(shown["attribute"] == schema.ETHNICITY_WRES) & (shown["group"] == "BME")].iloc[0]
    for name in ("cmh_statistic", "cmh_p", "pooled_relative_likelihood", "pooled_odds_ratio"):
        assert row[name] is None
    assert "disclosure control" in row["note"]
    exact = audit_recruitment(funnel, suppression=False).stratified
    assert exact[exact["group"] == "BME"]["pooled_odds_ratio"].iloc[0] is not None


def test_stratified_tests_come_from_rounded_stratum_counts():
    data = []
    for post, (white, bme) in {"A": ((40, 18), (31, 9)), "B": ((52, 25), (44, 11))}.items():
        for group, (n, k) in (("White", white), ("BME", bme)):
            data.append((group, "Female", "Not disabled", post, "appointed", "completed", k))
            data.append((group, "Female", "Not disabled", post, "applied", "not_progressed", n - k))
    funnel = make_funnel(data, stages=("applied", "appointed"), stratum=True)
    shown = audit_recruitment(funnel).stratified
    row = shown[(shown["attribute"] == schema.ETHNICITY_WRES) & (shown["group"] == "BME")].iloc[0]
    # Rounded: A White 40/20, BME 30/10; B White 50/25, BME 45/10 -> MH odds ratio by hand.
    tables = [(20, 20, 10, 20), (25, 25, 10, 35)]
    numerator = sum(a * d / (a + b + c + d) for a, b, c, d in tables)
    denominator = sum(b * c / (a + b + c + d) for a, b, c, d in tables)
    assert row["pooled_odds_ratio"] == round(numerator / denominator, 2)


# ------------------------------------------------------------------ warnings (issue 7.3)


def test_reading_warnings_print_no_small_count():
    import dataclasses

    from bias_audit.io.stages import WARN_MORE_THAN_BEFORE, WARN_STAGE_HOLE

    more = WARN_MORE_THAN_BEFORE.format(
        later="appointed", later_n=3, stage="offered", stage_n=2, cell="BME"
    )
    hole = WARN_STAGE_HOLE.format(count=12, later="appointed", stage="offered", column="Status")
    data = [
        ("White", "Female", "Not disabled", "appointed", schema.LEFT_BY_COMPLETED, 30),
        ("BME", "Male", "Not disabled", "applied", schema.LEFT_BY_NOT_PROGRESSED, 30),
    ]
    funnel = dataclasses.replace(make_funnel(data, stages=STAGES), warnings=(more, hole))
    shown = audit_recruitment(funnel).warnings
    assert shown[0] == more.replace("(3)", "(≤7)").replace("(2)", "(≤7)")
    assert shown[1].startswith("10 applications reached")
    exact = audit_recruitment(funnel, suppression=False).warnings
    assert exact[:2] == (more, hole)


@pytest.mark.parametrize(
    ("missing", "total", "share"),
    [
        (75, 5000, "over 95%"),  # 98.5% would round to 100% beside 75 not stated
        (210, 5000, "about 95%"),
        (10, 20, "about 50%"),
        (990, 1000, "under 5%"),
        (0, 40, "100%"),
        (40, 40, "0%"),
        (SMALL, 40, None),
        (PARTNER, 40, None),
    ],
)
def test_declared_share_is_rounded_to_five_percent_or_withheld(missing, total, share):
    from bias_audit.report.recruitment_warnings import declared_share

    assert declared_share(missing, total) == share


# ------------------------------------------------------------------ the attacker has teeth


def test_attacker_pins_counts_when_statistics_come_from_exact_counts(example):
    """The old method (statistics from the exact counts, then rounded) is what issue 7.1
    found leaking: on the same published counts, the row solver pins most rows exactly."""
    from attacker import domain, row_pairs

    from bias_audit.report.suppression import publish_p, publish_ratio

    shown, exact = example
    t, x = shown.transitions, exact.transitions
    pinned = tried = 0
    rows = t[(t["attribute"] == schema.ETHNICITY_WRES) & ~t["suppressed"].astype(bool)]
    for i in rows.index[rows["group"] != rows["reference"]]:
        ref = rows[(rows["step"] == t.at[i, "step"]) & (rows["group"] == t.at[i, "reference"])]
        j = ref.index[0]
        k, n, k_ref, n_ref = (
            int(x.at[r, c])
            for r, c in ((i, "progressed"), (i, "entered"), (j, "progressed"), (j, "entered"))
        )
        c = compare(k, n, k_ref, n_ref)
        leaky = {
            "group": t.at[i, "group"],
            "entered": t.at[i, "entered"],
            "progressed": t.at[i, "progressed"],
            "rate": None,
            "relative_likelihood": publish_ratio(c.relative_likelihood),
            "ci_low": publish_ratio(c.ci_low),
            "ci_high": publish_ratio(c.ci_high),
            "z": publish_ratio(c.z),
            "p_value": publish_p(c.p_value),
            "mid_p": publish_p(c.mid_p),
        }
        reference = {
            "group": t.at[j, "group"],
            "entered": t.at[j, "entered"],
            "progressed": t.at[j, "progressed"],
        }
        pairs = row_pairs(leaky, reference)
        tried += 1
        assert (n, k) in pairs  # sound
        box = (domain(leaky["entered"])[1] - domain(leaky["entered"])[0] + 1) * 5
        assert len(pairs) < box  # narrowed below what the rounded counts allow
        pinned += len(pairs) == 1
    assert tried >= 4 and pinned >= 3


DETAILED = {
    "White - British": ("White", "White"),
    "White - Irish": ("White", "White"),
    "Asian or Asian British - Indian": ("Asian", "BME"),
    "Black or Black British - African": ("Black", "BME"),
    schema.NOT_STATED: (schema.NOT_STATED, schema.NOT_STATED),
}
view_rows = st.lists(
    st.tuples(
        st.sampled_from(sorted(DETAILED)),
        st.sampled_from(["Female", "Male"]),
        st.sampled_from(STAGES),
        st.sampled_from(schema.LEFT_BY_VALUES),
        st.integers(0, 30),
    ),
    min_size=3,
    max_size=10,
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(data=view_rows)
def test_attacker_recovers_nothing_across_the_three_ethnicity_views(data):
    if sum(r[-1] for r in data) == 0:
        return
    rows = [(d, *DETAILED[d], g, stage, left, n) for d, g, stage, left, n in data]
    views = (
        schema.ETHNICITY_DETAILED,
        schema.ETHNICITY_GROUP,
        schema.ETHNICITY_WRES,
        schema.GENDER,
    )
    funnel = make_funnel(rows, attributes=views, stages=STAGES)
    attack(audit_recruitment(funnel), counted_values(funnel))


def test_unplaced_values_and_reading_notes_print_no_small_count():
    import dataclasses

    data = [
        ("White", "Female", "Not disabled", "appointed", schema.LEFT_BY_COMPLETED, 30),
        (schema.NOT_STATED, "Male", "Not disabled", "applied", schema.LEFT_BY_NOT_PROGRESSED, 2),
    ]
    funnel = dataclasses.replace(
        make_funnel(data, stages=STAGES),
        unplaced={"ethnicity": {"QQ7": 1, "XY": 1}},
        notes=("3 row(s) left out: blank.",),
    )
    shown = audit_recruitment(funnel)
    # Two "(≤7)" would say the hidden not-stated count is at least 2: no counts at all.
    assert "Some ethnicity values could not be placed and count as Not stated: 'QQ7', 'XY'." in (
        shown.warnings
    )
    assert shown.to_dict()["reading"]["notes"] == ["≤7 row(s) left out: blank."]
    exact = audit_recruitment(funnel, suppression=False)
    assert "'QQ7' (1), 'XY' (1)" in " ".join(exact.warnings)
    assert exact.to_dict()["reading"]["notes"] == ["3 row(s) left out: blank."]


def test_stratified_tests_are_withheld_when_a_stratum_has_one_to_seven():
    from bias_audit.stats.stratified import WITHHELD_SMALL_STRATUM

    # Pooled BME: 40 entered, 12 progressed (shown), but post A has 5 BME progressing.
    data = []
    for post, (white, bme) in {"A": ((40, 18), (20, 5)), "B": ((50, 25), (20, 7))}.items():
        for group, (n, k) in (("White", white), ("BME", bme)):
            data.append((group, "Female", "Not disabled", post, "appointed", "completed", k))
            data.append((group, "Female", "Not disabled", post, "applied", "not_progressed", n - k))
    funnel = make_funnel(data, stages=("applied", "appointed"), stratum=True)
    audit = audit_recruitment(funnel)
    t = audit.transitions
    pooled = t[(t["attribute"] == schema.ETHNICITY_WRES) & (t["group"] == "BME")].iloc[0]
    assert (pooled["entered"], pooled["progressed"]) == (40, 10)  # shown in the main table
    s = audit.stratified
    row = s[(s["attribute"] == schema.ETHNICITY_WRES) & (s["group"] == "BME")].iloc[0]
    assert row["note"] == WITHHELD_SMALL_STRATUM.format(stratum="post")
    assert row["cmh_p"] is None and row["pooled_odds_ratio"] is None
