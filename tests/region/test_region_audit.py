"""The region audit on the seeded synthetic extracts (known answers) and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bias_audit import synthetic_region as synth
from bias_audit.cli import app
from bias_audit.io.organisations import MSG_NO_ORGANISATION
from bias_audit.services.region import audit_region

EXAMPLE = Path("example_data/region_extract.csv")
OVERDISPERSED = Path("example_data/region_overdispersed.csv")


@pytest.fixture(scope="module")
def example() -> dict:
    return audit_region([EXAMPLE], year_column="Financial Year").to_dict()


def _metric(data: dict, key: str) -> dict:
    return next(m for m in data["metrics"] if m["metric"] == key)


def test_planted_outlier_is_the_only_one_outside(example: dict) -> None:
    wres = _metric(example, "wres_indicator_2")
    assert wres["outside_99_8"] == [synth.OUTLIER_TRUST]
    assert wres["outside_95"] == [synth.OUTLIER_TRUST]
    for key in ("wdes_metric_2", "shortlisting_ethnicity"):
        assert _metric(example, key)["outside_99_8"] == []
    # Alphabetical rows, not a league table.
    units = [r["unit"] for r in wres["rows"] if r["kind"] == "organisation"]
    assert units == sorted(units) == list(synth.TRUSTS)


def test_pooled_values_near_planted(example: dict) -> None:
    wdes = _metric(example, "wdes_metric_2")["pooled"]
    assert wdes["ci_low"] < synth.REGION_WDES < wdes["ci_high"]
    assert _metric(example, "shortlisting_ethnicity")["pooled"]["ratio"] == pytest.approx(
        synth.WHITE_SHORTLISTED / synth.BME_SHORTLISTED, abs=0.1
    )


def test_trend_found_where_planted(example: dict) -> None:
    trend = _metric(example, "wres_indicator_2")["trend"]
    assert [y["year"] for y in trend["years"]] == list(synth.YEARS)
    assert trend["ratio_per_year"] < 1 and trend["p_value"] < 0.05
    assert trend["ci_high"] < 1
    flat = _metric(example, "shortlisting_ethnicity")["trend"]
    assert flat["ci_low"] <= 1.0 <= flat["ci_high"]


def test_overdispersed_scenario_widens_the_limits() -> None:
    data = audit_region([OVERDISPERSED]).to_dict()
    d = _metric(data, "wres_indicator_2")["dispersion"]
    assert d["overdispersed"] and d["p_value"] < 0.05 and d["tau2"] > 0
    # Without the random effect some trusts would be flagged; with it, they are not.
    assert d["outside_99_8_unadjusted"]
    assert not set(d["outside_99_8_unadjusted"]) & set(
        _metric(data, "wres_indicator_2")["outside_99_8"]
    )
    assert data["years"] == []
    assert _metric(data, "wres_indicator_2")["trend_not_computable"] == "no year column was given"


def test_analyst_mode_agrees_on_the_outlier() -> None:
    data = audit_region([EXAMPLE], suppression=False).to_dict()
    wres = _metric(data, "wres_indicator_2")
    assert wres["outside_99_8"] == [synth.OUTLIER_TRUST]
    counts = [r["focal_selected"] for r in wres["rows"] if r["kind"] == "organisation"]
    # Exact counts: not all multiples of 5 (published counts are).
    assert all(isinstance(c, int) for c in counts) and any(c % 5 for c in counts)


@pytest.mark.parametrize(
    ("path", "make"),
    [(EXAMPLE, synth.make_region_extract), (OVERDISPERSED, synth.make_overdispersed_extract)],
)
def test_example_files_are_the_generator_output(path: Path, make: object) -> None:
    frame = make()  # type: ignore[operator]
    assert path.read_text() == frame.to_csv(index=False, lineterminator="\n")


runner = CliRunner()


def test_cli_json_and_csv() -> None:
    result = runner.invoke(app, ["region", str(OVERDISPERSED), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["organisation_column"] == "Trust" and len(data["organisations"]) == 12
    result = runner.invoke(app, ["region", str(OVERDISPERSED), "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].lstrip("\ufeff").startswith("metric,name,kind,unit")


def test_cli_refuses_a_single_organisation_with_exit_2() -> None:
    from bias_audit.cli import main

    path = "example_data/recruitment_extract.csv"
    with pytest.raises(SystemExit) as ended:
        main(["region", path])
    assert ended.value.code == 2


def test_cli_html_escapes_organisation_names(tmp_path: Path) -> None:
    rows = []
    for org in ("<script>alert(1)</script>", "South"):
        rows += [f"{org},A,Appointed"] * 30 + [f"{org},A,Not shortlisted"] * 60
        rows += [f"{org},N,Appointed"] * 20 + [f"{org},N,Not shortlisted"] * 70
    source = tmp_path / "two.csv"
    source.write_text("Trust,Ethnicity,Outcome\n" + "\n".join(rows) + "\n")
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["region", str(source), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_message_for_missing_organisation_names_the_fix() -> None:
    assert "--organisation-column" in MSG_NO_ORGANISATION


def test_small_organisation_and_blank_organisation_not_plotted_with_reasons() -> None:
    from bias_audit.report.region_text import REASON_NO_ORGANISATION
    from bias_audit.stats.funnel_plot import NOT_PLOTTED

    rows = []
    for org, (white, bme) in {
        "North": (50, 30),
        "South": (45, 25),
        "West": (40, 3),
        "": (20, 10),
    }.items():
        rows += [f"{org},A,Appointed"] * white + [f"{org},A,Interviewed - unsuccessful"] * 100
        rows += [f"{org},N,Appointed"] * bme + [f"{org},N,Interviewed - unsuccessful"] * 40
    data = ("Trust,Ethnicity,Outcome\n" + "\n".join(rows) + "\n").encode()
    wres = _metric(audit_region([data], names=["x.csv"]).to_dict(), "wres_indicator_2")
    by_unit = {r["unit"]: r for r in wres["rows"]}
    assert by_unit["West"]["focal_selected"] == "≤7"
    assert by_unit["West"]["ratio"] is None and by_unit["West"]["position"] == NOT_PLOTTED
    assert by_unit["West"]["not_computable"].startswith("hidden by disclosure control")
    assert by_unit["Organisation not given"]["not_computable"] == REASON_NO_ORGANISATION
    # The blank organisation still counts in the pooled figure: 50 + 45 + 40 + 20 appointed.
    assert by_unit["pooled"]["reference_selected"] == 155
    assert wres["funnel_not_computable"] == ""
    assert wres["dispersion"]["phi"] is None  # two organisations plotted: not estimated


def test_code_and_name_of_one_trust_are_one_organisation() -> None:
    rows = []
    for value in ("RJZ", "King's College Hospital NHS Foundation Trust", "RAE", "rae"):
        rows += [f"{value},A,Appointed"] * 20 + [f"{value},A,Interviewed - unsuccessful"] * 40
        rows += [f"{value},N,Appointed"] * 10 + [f"{value},N,Interviewed - unsuccessful"] * 40
    data = ("ODS Code,Ethnicity,Outcome\n" + "\n".join(rows) + "\n").encode()
    result = audit_region([data], names=["two.csv"], suppression=False).to_dict()
    labels = [o["label"] for o in result["organisations"]]
    assert labels == [
        "Bradford Teaching Hospitals NHS Foundation Trust (RAE)",
        "King's College Hospital NHS Foundation Trust (RJZ)",
    ]
    wres = _metric(result, "wres_indicator_2")
    kings = next(r for r in wres["rows"] if r["unit"].endswith("(RJZ)"))
    assert (kings["reference_selected"], kings["reference_entered"]) == (40, 120)


def test_html_report_has_the_funnel_and_trend() -> None:
    from bias_audit.report.region_html import region_report_html

    page = region_report_html(audit_region([EXAMPLE], year_column="Financial Year"))
    assert page.count("WRES indicator 2: organisations against the pooled value") >= 1
    assert "WRES indicator 2 by year" in page
    assert "Outside the 99.8% limits: Synthetic Trust E" in page
    assert "plotly" in page


def test_each_trust_matches_its_own_recruitment_audit() -> None:
    """A trust's row here is its own WRES indicator 2 and shortlisting ratio, as the
    recruitment audit of that trust's rows alone gives them (analyst mode, exact)."""
    import pandas as pd

    from bias_audit.services import audit_extract

    frame = pd.read_csv(EXAMPLE, dtype=str)
    region = audit_region([EXAMPLE], suppression=False).to_dict()
    for trust in ("Synthetic Trust A", synth.OUTLIER_TRUST):
        part = frame[frame["Trust"] == trust].drop(columns=["Trust", "Financial Year"])
        own = audit_extract(part.to_csv(index=False).encode(), name="t.csv", suppression=False)
        wres = next(r for r in _metric(region, "wres_indicator_2")["rows"] if r["unit"] == trust)
        assert wres["ratio"] == pytest.approx(own.wres_indicator_2["value"])
        assert (wres["focal_entered"], wres["focal_selected"]) == (
            own.wres_indicator_2["BME"]["shortlisted"],
            own.wres_indicator_2["BME"]["appointed"],
        )
        step = own.transitions.query(
            "attribute == 'ethnicity_wres' and group == 'BME' and `from` == 'applied'"
        ).iloc[0]
        shortlisting = next(
            r for r in _metric(region, "shortlisting_ethnicity")["rows"] if r["unit"] == trust
        )
        assert (shortlisting["focal_entered"], shortlisting["focal_selected"]) == (
            step["entered"],
            step["progressed"],
        )
        assert shortlisting["ratio"] == pytest.approx(step["relative_likelihood"])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("gender-Male-Female", "is not of the form"),
        ("height:Tall/Short:applied>shortlisted", "'height' is not a view"),
        ("gender:Male/Female:applied>nowhere", "'nowhere' is not a stage"),
        ("gender:Male/Female:appointed>applied", "is not of the form"),
    ],
)
def test_bad_ratio_is_refused_with_the_form(value: str, message: str) -> None:
    from bias_audit.errors import OptionError
    from bias_audit.services.region import parse_ratio

    with pytest.raises(OptionError, match=message):
        parse_ratio(value, ("applied", "shortlisted", "appointed"))


def test_extra_ratio_is_compared_and_protected_with_the_rest() -> None:
    data = audit_region(
        [OVERDISPERSED], ratios=["gender:Female/Male:applied>shortlisted"]
    ).to_dict()
    gender = _metric(data, "gender_female_male_applied_shortlisted")
    assert gender["pooled"]["ci_low"] < 1.0 < gender["pooled"]["ci_high"]  # planted parity
    assert all(
        isinstance(r["focal_entered"], int) and r["focal_entered"] % 5 == 0
        for r in gender["rows"]
        if r["focal_entered"] not in ("≤7", "*")
    )
