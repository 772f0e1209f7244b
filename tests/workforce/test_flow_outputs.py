"""Retention and progression as published (issue 12 points 3, 4, 7): disclosure control,
JSON shape, takeaways."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from flow_staff import EXTRACT_DATE, synthetic_staff
from scipy.optimize import linprog

from bias_audit.report import workforce_flow as wf
from bias_audit.report.workforce_flow_publication import Shown
from bias_audit.report.workforce_flow_text import NO_RETENTION
from bias_audit.stats import retention as rt

SMALL, PARTNER = "≤7", "*"


@pytest.fixture(scope="module")
def staff():
    return synthetic_staff(1500, seed=3)


@pytest.fixture(scope="module")
def published(staff):
    return wf.workforce_flow(staff, extract_date=EXTRACT_DATE)


@pytest.fixture(scope="module")
def exact(staff):
    return wf.workforce_flow(staff, extract_date=EXTRACT_DATE, suppression=False)


def counts_in(payload):
    """Every count field of the JSON, with where it sits."""
    names = {
        "started",
        "left",
        "observed",
        "stayed",
        "leavers",
        "entered",
        "progressed",
        "people",
        "at_risk",
    }
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in names and not isinstance(value, (dict, list)):
                    found.append(((*path, key), value))
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk(payload, ())
    return found


def test_published_json_has_no_count_of_one_to_seven(published):
    payload = {"retention": published.retention, "progression": published.progression}
    json.dumps(payload, allow_nan=False)  # serialisable, no NaN
    counts = counts_in(payload)
    assert len(counts) > 200
    for where, value in counts:
        if value is None:  # no estimate shown, so no at-risk count either
            assert where[-1] == "at_risk"
            continue
        assert value in (SMALL, PARTNER) or (isinstance(value, int) and value % 5 == 0), where
    assert published.unprotected == ()


def test_published_estimates_never_show_one_to_seven_leavers(published, exact):
    """An estimate read as a count (starters × (1 − S), S shown to 2 decimals) is 0 or
    about a multiple of 5 of 10 or more, like every other published count: no curve step
    gives away a small number."""
    exact_rows = {(g["attribute"], g["group"]): g for g in exact.retention["groups"]}
    withheld = 0
    for row in published.retention["groups"]:
        started = row["started"]
        for m in (3, 6, 12):
            shown = row[f"at_{m}_months"]["km"]
            if shown is None:
                withheld += shown is None and row[f"at_{m}_months"]["reason"] == (
                    wf.pub.REASON_FEW_LEFT
                )
                continue
            assert _reads_as_published(started, shown), (row["group"], m, shown)
        truth = exact_rows[(row["attribute"], row["group"])]["at_12_months"]["km"]
        if row["at_12_months"]["km"] is not None:
            assert abs(row["at_12_months"]["km"] - truth) < 0.05
    assert withheld > 0
    for _, point in published.curves.iterrows():
        started = next(
            r["started"]
            for r in published.retention["groups"]
            if (r["attribute"], r["group"]) == (point["attribute"], point["group"])
        )
        assert _reads_as_published(started, point["survival"])


def _reads_as_published(started, survival):
    if survival == 1.0:  # shown only when nobody has left (a count of 0)
        return True
    low, high = started * (1 - survival - 0.005), started * (1 - survival + 0.005)
    if high < 0.5:
        return True
    return low > 7.5 and any(low - 0.5 <= c <= high + 0.5 for c in range(10, started + 5, 5))


def test_exact_mode_matches_the_statistics(staff, exact):
    cohort = rt.select_cohort(staff, extract_date=EXTRACT_DATE)
    direct = rt.retention(cohort)
    shown = {(g["attribute"], g["group"]): g for g in exact.retention["groups"]}
    for g in direct.groups:
        row = shown[(g["attribute"], g["group"])]
        assert row["started"] == g["started"]
        assert row["at_12_months"]["km"] == g["horizons"][-1]["km"]
    assert exact.retention["suppressed"] is False


def test_published_estimates_rounded_and_curves_monthly(published, exact):
    for row in published.retention["groups"]:
        for m in (3, 6, 12):
            h = row[f"at_{m}_months"]
            if h["km"] is not None:
                assert round(h["km"], 2) == h["km"] and h["at_risk"] % 5 == 0
    curves = published.curves
    assert (curves["month"] == curves["month"].astype(int)).all()
    assert (curves["at_risk"] >= 10).all()  # 8 or more, rounded to 5
    # The exact curve keeps its steps, and never goes below 8 at risk.
    assert (exact.curves["at_risk"] >= 8).all()
    assert (exact.curves["month"] != exact.curves["month"].round()).any()


def test_hidden_group_gets_no_estimate_or_curve(staff):
    small = staff.copy()
    small.loc[small.index[:5], "ethnicity_wres"] = "Mixed only five"
    small.loc[small.index[:5], "start_date"] = pd.Timestamp("2025-06-01")
    small.loc[small.index[:5], ["band", "staff_group"]] = ["Band 2", "Additional Clinical Services"]
    flow = wf.workforce_flow(small, extract_date=EXTRACT_DATE)
    row = next(g for g in flow.retention["groups"] if g["group"] == "Mixed only five")
    assert row["started"] == SMALL and row["suppressed"] is True
    assert all(row[f"at_{m}_months"]["km"] is None for m in (3, 6, 12))
    assert "Mixed only five" not in set(flow.curves["group"])
    tests = [t for t in flow.retention["tests"] if "Mixed only five" in t["groups"]]
    assert tests and all(t["p_value"] is None for t in tests)


def test_progression_statistics_from_published_counts(published):
    rows = published.progression_rows
    shown = rows[~rows["suppressed"].astype(bool) & rows["rate"].notna()]
    assert not shown.empty
    for _, r in shown.iterrows():
        assert r["rate"] == pytest.approx(int(r["progressed"]) / int(r["entered"]))
    hidden = rows[rows["suppressed"].astype(bool)]
    assert hidden["relative_likelihood"].isna().all() and hidden["p_value"].isna().all()
    bme = rows[(rows["group"] == "BME") & (rows["move"] == "Band 2 → Band 3 or above")].iloc[0]
    # Planted: 15% of BME Band 2 staff move up against 40% of White.
    assert bme["relative_likelihood"] > 1.8 and bme["significance"] == "significant"
    assert published.progression["takeaway"].startswith("White staff were")


def test_takeaways_and_not_computable(staff, published):
    assert published.retention["takeaway"].startswith("At 12 months, an estimated")
    no_dates = wf.workforce_flow(staff.drop(columns="start_date"), extract_date=EXTRACT_DATE)
    assert no_dates.retention["reason"] == rt.NO_START_DATE.format(source="the extract")
    assert no_dates.progression["reason"] == ""
    assert no_dates.retention.get("takeaway") is None
    assert NO_RETENTION.format(reason="x") == "Retention could not be measured: x"


def _attack(payload):
    """An attacker independent of the engine: one unknown per published count, the
    identities a reader knows (each view adds up to the cohort; in post at h ≤ observed ≤
    started; observed − in post ≤ left; leavers by reason add up to the leavers; moves made
    ≤ moves open; views of one move add up alike), and the published labels as bounds. For
    every "≤7", the least and most it can be."""
    var, bounds = {}, []

    def v(key, label):
        if key not in var:
            var[key] = len(bounds)
            if label == SMALL:
                bounds.append((1, 7))
            elif label == PARTNER:
                bounds.append((0, None))
            else:
                bounds.append((0, 0) if label == 0 else (max(label - 2, 8), label + 2))
        return var[key]

    eq, ub = [], []
    ret = payload["retention"]
    total = v(("total",), ret["cohort"]["people"])
    views = {}
    for g in ret["groups"]:
        a, grp = g["attribute"], g["group"]
        s, left = v((a, grp, "s"), g["started"]), v((a, grp, "l"), g["left"])
        views.setdefault(a, []).append(s)
        ub.append({left: 1, s: -1})
        for m in (3, 6, 12):
            h = g[f"at_{m}_months"]
            o, k = v((a, grp, "o", m), h["observed"]), v((a, grp, "k", m), h["stayed"])
            ub += [{k: 1, o: -1}, {o: 1, s: -1}, {o: 1, k: -1, left: -1}]
        reasons = [r for r in ret["leaving_reasons"] if (r["attribute"], r["group"]) == (a, grp)]
        if reasons:
            eq.append(
                {
                    **{v((a, grp, "r", r["reason_group"]), r["leavers"]): 1 for r in reasons},
                    left: -1,
                }
            )
    for members in views.values():
        eq.append({**dict.fromkeys(members, 1), total: -1})
    moves = {}
    for r in payload["progression"]["rows"]:
        e = v((r["move"], r["attribute"], r["group"], "e"), r["entered"])
        p = v((r["move"], r["attribute"], r["group"], "p"), r["progressed"])
        ub.append({p: 1, e: -1})
        moves.setdefault((r["move"], r["attribute"]), []).append((e, p))
    by_move = {}
    for (move, _), pairs in moves.items():
        by_move.setdefault(move, []).append(pairs)
    for views_of_move in by_move.values():
        for other in views_of_move[1:]:
            for i in (0, 1):
                eq.append({**{pr[i]: 1 for pr in views_of_move[0]}, **{pr[i]: -1 for pr in other}})
    n = len(bounds)

    def rows(items):
        matrix = np.zeros((len(items), n))
        for i, item in enumerate(items):
            for j, c in item.items():
                matrix[i, j] += c
        return matrix

    a_ub, a_eq = rows(ub), rows(eq)
    out = {}
    for key, j in var.items():
        if bounds[j] != (1, 7):
            continue
        c = np.zeros(n)
        c[j] = 1
        low = linprog(
            c,
            A_ub=a_ub,
            b_ub=np.zeros(len(ub)),
            A_eq=a_eq,
            b_eq=np.zeros(len(eq)),
            bounds=bounds,
            method="highs",
        )
        high = linprog(
            -c,
            A_ub=a_ub,
            b_ub=np.zeros(len(ub)),
            A_eq=a_eq,
            b_eq=np.zeros(len(eq)),
            bounds=bounds,
            method="highs",
        )
        assert low.status == 0 and high.status == 0, key
        out[key] = (low.fun, -high.fun)
    return out


@pytest.mark.parametrize("seed", [3, 8])
def test_attacker_cannot_narrow_any_small_count(seed):
    flow = wf.workforce_flow(synthetic_staff(700, seed=seed), extract_date=EXTRACT_DATE)
    ranges = _attack({"retention": flow.retention, "progression": flow.progression})
    assert ranges  # the data do have counts of 1–7
    narrowed = {k: r for k, r in ranges.items() if r[0] > 1 + 1e-6 or r[1] < 7 - 1e-6}
    assert narrowed == {}
    assert all(math.isfinite(r[0]) for r in ranges.values())


def staff_extract(frame):
    from bias_audit.io.workforce import StaffExtract

    return StaffExtract(frame, "synthetic.csv", {}, [], pd.Timestamp(EXTRACT_DATE))


def test_workforce_audit_protects_flow_with_the_indicators():
    from bias_audit.services.workforce import audit_staff

    frame = synthetic_staff(500, seed=9)
    audit = audit_staff(staff_extract(frame)).to_dict()
    sections = {"retention": audit["retention"], "progression": audit["progression"]}
    counts = counts_in(sections)
    assert counts and any(value == SMALL for _, value in counts)
    for where, value in counts:
        if value is None:  # no estimate, so no at-risk count either
            assert where[-1] == "at_risk"
            continue
        assert value in (SMALL, PARTNER) or (isinstance(value, int) and value % 5 == 0), where
    assert audit["retention"]["takeaway"].startswith("At 12 months")
    # Exact mode: the same sections as the module's own exact figures.
    exact = audit_staff(staff_extract(frame), suppression=False).to_dict()
    own = wf.workforce_flow(frame, extract_date=EXTRACT_DATE, suppression=False)
    assert exact["retention"]["groups"] == own.retention["groups"]
    assert exact["progression"]["rows"] == own.progression["rows"]


def test_a_count_never_named_is_an_error_not_an_exact_fallback():
    shown = Shown({}, {}, published=True)
    with pytest.raises(RuntimeError, match="was not named"):
        shown.count(("retention", "ethnicity_wres", "BME", "started"), 3)
