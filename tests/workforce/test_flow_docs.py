"""docs/workforce.md, "Retention and progression": the example figures are the code's."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "workforce.md").read_text(encoding="utf-8")
SECTION = DOC[DOC.index("## Retention and progression") :]


@pytest.fixture(scope="module")
def audits(example_audits):
    return {mode: audit.to_dict() for mode, audit in example_audits.items()}


def row(label):
    line = [r for r in SECTION.splitlines() if r.startswith(f"| {label}")][-1]
    return [c.strip() for c in line.strip("|").split("|")][1:]


def group(audit, name):
    return next(
        g
        for g in audit["retention"]["groups"]
        if (g["attribute"], g["group"]) == ("ethnicity_wres", name)
    )


@pytest.mark.parametrize("name", ["White", "BME"])
def test_retention_rows(audits, name):
    exact, published = row(f"In post at 12 months (Kaplan–Meier), {name}")
    e = group(audits[False], name)["at_12_months"]
    p = group(audits[True], name)["at_12_months"]
    assert exact.startswith(
        f"{100 * e['km']:.1f}% (95% CI {100 * e['ci_low']:.1f}–"
        f"{100 * e['ci_high']:.1f}), {e['at_risk']} at risk"
    )
    assert published == (
        f"{100 * p['km']:.0f}% ({p['ci_low']:.2f}–{p['ci_high']:.2f}), {p['at_risk']} at risk"
    )


def test_progression_row_and_takeaways(audits):
    exact, published = row("Band 2 → Band 3 or above")
    bme = next(
        r
        for r in audits[False]["progression"]["rows"]
        if r["group"] == "BME" and r["attribute"] == "ethnicity_wres"
    )
    assert f"BME {bme['progressed']} of {bme['entered']}" in exact
    assert f"{bme['relative_likelihood']:.2f} ({bme['ci_low']:.2f}–{bme['ci_high']:.2f})" in exact
    shown = next(
        r
        for r in audits[True]["progression"]["rows"]
        if r["group"] == "BME" and r["attribute"] == "ethnicity_wres"
    )
    assert (
        f"{shown['relative_likelihood']:.2f} ({shown['ci_low']:.2f}–{shown['ci_high']:.2f})"
        f", p = {shown['p_value']}" in published
    )
    flat = " ".join(SECTION.split())
    for key in ("retention", "progression"):
        assert audits[True][key]["takeaway"] in flat
    assert f"({audits[False]['retention']['cohort']['people']} starters" in SECTION
