"""The recruitment service with a population: the JSON section, the text section, the CLI
option, and disclosure control (published counts only, no ratio on a hidden count)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from statsmodels.stats.proportion import proportion_confint

from bias_audit import cli
from bias_audit.io.population import ATTRIBUTION, benchmark_shares, resolve_population
from bias_audit.report.population import HEADING, NOTE_ALL_AGES
from bias_audit.report.recruitment_text import text_report
from bias_audit.services import audit_extract

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example_data" / "recruitment_extract.csv"
GROUP_KEYS = {
    "attribute",
    "stage",
    "group",
    "count",
    "share",
    "population_share",
    "representation_ratio",
    "ci_low",
    "ci_high",
    "note",
}


def extract(white_appointed: int, white_rejected: int, bme_appointed: int, bme_rejected: int):
    return (
        b"ethnicity,outcome\n"
        + b"White - British,appointed\n" * white_appointed
        + b"White - British,rejected\n" * white_rejected
        + b"Asian or Asian British - Pakistani,appointed\n" * bme_appointed
        + b"Asian or Asian British - Pakistani,rejected\n" * bme_rejected
    )


def wres_rows(audit, stage):
    groups = audit.to_dict()["population"]["groups"]
    return {
        g["group"]: g for g in groups if g["attribute"] == "ethnicity_wres" and g["stage"] == stage
    }


def test_analyst_mode_ratio_and_interval_by_hand():
    # 40 BME of 100 applicants, 10 of 40 appointed; Bradford is 38.87% BME (all ages).
    audit = audit_extract(
        extract(30, 30, 10, 30), name="x.csv", population="la=E08000032", suppression=False
    )
    shares, _ = benchmark_shares(resolve_population("la=E08000032"), "ethnicity_wres")
    bme = float(shares["BME"])
    applied = wres_rows(audit, audit.stages[0])["BME"]
    assert set(applied) == GROUP_KEYS
    assert applied["count"] == 40
    assert applied["share"] == pytest.approx(0.4)
    assert applied["representation_ratio"] == pytest.approx(0.4 / bme)
    low, high = proportion_confint(40, 100, method="wilson")
    assert (applied["ci_low"], applied["ci_high"]) == pytest.approx((low / bme, high / bme))
    appointed = wres_rows(audit, "appointed")["BME"]
    assert appointed["representation_ratio"] == pytest.approx((10 / 40) / bme)
    section = audit.to_dict()["population"]
    assert section["area"] == "Bradford"
    assert section["attribution"] == ATTRIBUTION
    assert NOTE_ALL_AGES in section["notes"]
    view = next(v for v in section["views"] if v["attribute"] == "ethnicity_wres")
    assert view["population"] == "usual residents of all ages"
    assert view["stages"][0]["declaration_rate"] == 1.0
    assert view["sentences"][0] == (
        f"BME applicants are {0.4 / bme:.2f} times their share of usual residents of all "
        f"ages in Bradford; among those appointed they are {0.25 / bme:.2f} times."
    )


def test_published_mode_hides_what_the_funnel_hides():
    # 3 BME appointed: hidden in the funnel, so no share or ratio at that stage for anyone
    # (the stage total would give the 3 back); the applied stage is shown from rounded counts.
    data = extract(30, 70, 3, 17)
    published = audit_extract(data, name="x.csv", population="england")
    stage_counts = published.stage_counts
    hidden = stage_counts[
        (stage_counts["attribute"] == "ethnicity_wres") & (stage_counts["stage"] == "appointed")
    ].set_index("group")
    appointed = wres_rows(published, "appointed")
    assert appointed["BME"]["count"] == hidden.loc["BME", "reached"] == "≤7"
    for group in ("BME", "White"):
        assert appointed[group]["representation_ratio"] is None
        assert appointed[group]["ci_low"] is None and appointed[group]["share"] is None
    applied = wres_rows(published, published.stages[0])
    assert applied["BME"]["count"] == 20
    text = json.dumps(published.to_dict()["population"], ensure_ascii=False)
    assert re.search(r'"count": 3[,}]', text) is None
    for group in published.to_dict()["population"]["groups"]:
        count = group["count"]
        assert not (isinstance(count, int) and 0 < count < 8), group
    exact = audit_extract(data, name="x.csv", population="england", suppression=False)
    assert wres_rows(exact, "appointed")["BME"]["representation_ratio"] is not None


def test_text_report_names_the_population_and_attribution():
    audit = audit_extract(EXAMPLE, population="trust=RAE")
    report = text_report(audit)
    assert (
        f"{HEADING}: the catchment of Bradford Teaching Hospitals NHS Foundation Trust (RAE)"
        in (report)
    )
    assert ATTRIBUTION in report
    assert "usual residents aged 16 to 64" in report
    assert "declaration rate" in report


def test_no_population_no_section():
    audit = audit_extract(EXAMPLE)
    assert audit.to_dict()["population"] is None
    assert HEADING not in text_report(audit)


@pytest.mark.parametrize("choice", ["trust=RAE", "la=E08000032,E08000033", "england"])
def test_cli_population_option(choice, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["recruitment", str(EXAMPLE), "--format", "json", "--population", choice])
    assert stopped.value.code == 0
    section = json.loads(capsys.readouterr().out)["population"]
    assert {"area", "source", "groups", "views"} <= set(section)
    assert {g["attribute"] for g in section["groups"]} >= {"ethnicity_wres", "gender"}


@pytest.mark.parametrize(
    ("choice", "words"),
    [
        ("trust=XYZ", 'Trust code "XYZ" is not an English NHS trust'),
        ("la=Narnia", 'Local authority "Narnia" is not one of the 331'),
        ("trust=RXT", "Give the local authorities it serves instead"),
        ("wales", "not understood"),
    ],
)
def test_cli_bad_population_exits_2(choice, words, capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["recruitment", str(EXAMPLE), "--population", choice])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("bias-audit: error: ")
    assert words in err


def test_html_and_workbook_show_the_population():
    import io

    import openpyxl

    from bias_audit.report.html_report import recruitment_report_html
    from bias_audit.report.workbook import POPULATION_SHEET, recruitment_workbook

    audit = audit_extract(extract(30, 70, 3, 17), name="x.csv", population="la=Bradford")
    html = recruitment_report_html(audit)
    assert f"<h2>{HEADING}: Bradford</h2>" in html
    assert ATTRIBUTION in html
    assert "≤7" in html  # the hidden count shown as published, with no ratio beside it
    book = openpyxl.load_workbook(io.BytesIO(recruitment_workbook(audit)))
    sheet = book[POPULATION_SHEET]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Characteristic", "Stage", "Group", "People at this stage"]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    hidden = [r for r in rows if r["Hidden counts"] == "count ≤7"]
    assert hidden and all(r["Representation ratio"] is None for r in hidden)
    assert all(
        r["People at this stage"] is None
        or r["People at this stage"] >= 8
        or r["People at this stage"] == 0
        for r in rows
    )


def test_demo_takes_a_real_area(capsys):
    with pytest.raises(SystemExit) as stopped:
        cli.main(["demo", "--rows", "300", "--population", "la=Leicester"])
    assert stopped.value.code == 0
    assert f"{HEADING}: Leicester" in capsys.readouterr().out


def test_local_population_chart():
    from bias_audit.report.population import CHART_EMPTY, population_chart

    audit = audit_extract(
        extract(30, 30, 10, 30), name="x.csv", population="la=E08000032", suppression=False
    )
    chart = population_chart(audit.population, "ethnicity_wres")
    assert not chart.empty
    assert {trace.name for trace in chart.figure.data} == {"BME", "White"}
    bme = next(t for t in chart.figure.data if t.name == "BME")
    shares, _ = benchmark_shares(resolve_population("la=E08000032"), "ethnicity_wres")
    assert list(bme.y) == pytest.approx([0.4 / shares["BME"], 0.25 / shares["BME"]])
    # the takeaway names the point furthest from 1.0: BME among those appointed (0.64)
    assert chart.takeaway.startswith(
        "BME are furthest from their population share at the appointed stage"
    )
    hidden = audit_extract(extract(3, 5, 2, 4), name="x.csv", population="england")
    empty = population_chart(hidden.population, "ethnicity_wres")
    assert empty.empty and empty.takeaway == CHART_EMPTY.format(
        view="Ethnicity (WRES: White / BME)"
    )


def test_published_ratios_are_rounded_like_the_funnel_tables():
    audit = audit_extract(extract(30, 30, 10, 30), name="x.csv", population="la=E08000032")
    shares, _ = benchmark_shares(resolve_population("la=E08000032"), "ethnicity_wres")
    applied = wres_rows(audit, audit.stages[0])["BME"]
    assert applied["count"] == 40
    assert applied["representation_ratio"] == round(0.4 / float(shares["BME"]), 2)
    low, _ = proportion_confint(40, 100, method="wilson")
    assert applied["ci_low"] == round(low / float(shares["BME"]), 2)


def test_unread_values_make_the_view_not_computable_with_the_reason():
    data = (
        b"ethnicity,sex,outcome\n"
        + b"White - British,Female,appointed\n" * 30
        + b"Qwerty,Male,rejected\n" * 40
        + b"Asian or Asian British - Indian,Female,rejected\n" * 30
    )
    audit = audit_extract(data, name="x.csv", population="england")
    views = {v["attribute"]: v for v in audit.population["views"]}
    reason = audit.parts_not_computable["ethnicity"]
    assert reason and views["ethnicity_wres"]["not_computable"] == reason
    assert views["ethnicity_wres"]["stages"] == []
    assert not any(g["attribute"] == "ethnicity_wres" for g in audit.population["groups"])
    assert "not_computable" not in views["gender"]
    assert f"Ethnicity (WRES: White / BME): not computable {reason}" in text_report(audit)


def test_a_hidden_group_leaves_the_other_groups_shares_from_another_views_total():
    """One hidden count no longer withholds the whole stage: with a disability column, the
    stage total is published through the disability view, so the other groups' shares are worked out
    from it (a function of published counts only, which disclosure control protects)."""
    rows = [b"ethnicity,disability,outcome\n"]
    for ethnicity, disability, outcome, n in (
        ("White - British", "Yes", "appointed", 31),
        ("White - British", "No", "appointed", 247),
        ("White - British", "Yes", "rejected", 301),
        ("White - British", "No", "rejected", 223),
        ("Asian or Asian British - Pakistani", "Yes", "appointed", 2),
        ("Asian or Asian British - Pakistani", "No", "appointed", 1),
        ("Asian or Asian British - Pakistani", "Yes", "rejected", 20),
        ("Asian or Asian British - Pakistani", "No", "rejected", 17),
    ):
        rows.append(f"{ethnicity},{disability},{outcome}\n".encode() * n)
    audit = audit_extract(b"".join(rows), name="x.csv", population="england")
    counts = audit.stage_counts
    at = counts[counts["stage"] == "appointed"]
    ethnicity = at[at["attribute"] == "ethnicity_wres"].set_index("group")["reached"]
    disability = at[at["attribute"] == "disability"].set_index("group")["reached"]
    assert ethnicity["BME"] == "≤7"
    assert all(isinstance(n, int) for n in disability)  # the disability view is shown in full
    appointed = wres_rows(audit, "appointed")
    assert appointed["BME"]["share"] is None and appointed["BME"]["representation_ratio"] is None
    not_stated = int(ethnicity.get("Not stated", 0))
    total = sum(disability) - not_stated
    assert appointed["White"]["share"] == pytest.approx(ethnicity["White"] / total)
    assert appointed["White"]["representation_ratio"] is not None
