"""The shipped Census 2021 pack: benchmark shares against hand sums of the CSVs, the checks
on load, and choosing an area (bias_audit.io.population)."""

from __future__ import annotations

import csv
import dataclasses
from importlib import resources

import pytest

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io import population as census

FOLDER = resources.files("bias_audit").joinpath("data/census2021")
WHITE_COLUMNS_PREFIX = "White:"
BLACK_PREFIX = "Black, Black British"


def rows(name: str) -> list[dict[str, str]]:
    """The CSV as plain dictionaries (the csv module, not pandas: an independent route)."""
    with FOLDER.joinpath(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ethnic_counts(row: dict[str, str]) -> dict[str, int]:
    return {k: int(v) for k, v in row.items() if k not in ("ltla21_code", "ltla21_name")}


ETHNICITY = {r["ltla21_code"]: ethnic_counts(r) for r in rows("ethnicity_ltla21.csv")}
SEX = {r["ltla21_code"]: r for r in rows("sex_working_age_ltla21.csv")}
DISABILITY = {r["ltla21_code"]: r for r in rows("disability_ltla21.csv")}


def bme_share(code: str) -> float:
    counts = ETHNICITY[code]
    white = sum(n for k, n in counts.items() if k.startswith(WHITE_COLUMNS_PREFIX))
    return 1 - white / sum(counts.values())


def black_share(code: str) -> float:
    counts = ETHNICITY[code]
    return sum(n for k, n in counts.items() if k.startswith(BLACK_PREFIX)) / sum(counts.values())


def female_share(code: str) -> float:
    row = SEX[code]
    female, male = int(row["females_16_64"]), int(row["males_16_64"])
    return female / (female + male)


def disabled_share(code: str) -> float:
    row = DISABILITY[code]
    return int(row["disabled"]) / (int(row["disabled"]) + int(row["not_disabled"]))


def test_single_authority_by_hand():
    # Bradford: 334,004 White of 546,412 (the pack README's total); BME = the rest.
    area = census.resolve_population("la=E08000032")
    wres, people = census.benchmark_shares(area, "ethnicity_wres")
    assert people == 546_412
    assert wres["BME"] == pytest.approx(1 - 334_004 / 546_412)
    assert wres["BME"] == pytest.approx(bme_share("E08000032"))
    detailed, _ = census.benchmark_shares(area, "ethnicity")
    # Pakistani 139,553 of 546,412 (README: 25.54%).
    assert detailed["Asian or Asian British - Pakistani"] == pytest.approx(139_553 / 546_412)
    sex, _ = census.benchmark_shares(area, "gender")
    assert sex["Female"] == pytest.approx(female_share("E08000032"))
    disability, _ = census.benchmark_shares(area, "disability")
    assert disability["Disabled"] == pytest.approx(disabled_share("E08000032"))


def test_weighted_trust_by_hand():
    shares = {
        r["ltla21_code"]: float(r["share"])
        for r in rows("trust_catchment_ltla21.csv")
        if r["trust_code"] == "RAE"
    }
    assert len(shares) > 1
    area = census.resolve_population("trust=RAE")
    assert area.kind == "trust" and set(area.codes) == set(shares)
    expected = {
        "ethnicity_wres": ("BME", sum(w * bme_share(c) for c, w in shares.items())),
        "ethnicity_group": ("Black", sum(w * black_share(c) for c, w in shares.items())),
        "gender": ("Female", sum(w * female_share(c) for c, w in shares.items())),
        "disability": ("Disabled", sum(w * disabled_share(c) for c, w in shares.items())),
    }
    for view, (group, value) in expected.items():
        got, _ = census.benchmark_shares(area, view)
        assert got[group] == pytest.approx(value, rel=1e-9), view
        assert got.sum() == pytest.approx(1.0)


def test_england_by_hand():
    english = [c for c in ETHNICITY if c.startswith("E")]
    assert len(english) == 309
    total = sum(sum(ETHNICITY[c].values()) for c in english)
    assert total == 56_490_065  # the pack README: TS021 England
    white = sum(
        n for c in english for k, n in ETHNICITY[c].items() if k.startswith(WHITE_COLUMNS_PREFIX)
    )
    area = census.resolve_population("England")
    groups, people = census.benchmark_shares(area, "ethnicity_group")
    assert people == total
    assert groups["White"] == pytest.approx(white / total)
    assert round(groups["White"] * 100, 2) == 81.05  # README: White 81.05%
    disabled, _ = census.benchmark_shares(area, "disability")
    assert round(disabled["Disabled"] * 100, 2) == 17.30


@pytest.mark.parametrize(("chinese_group", "moves_to"), [("Other", "Other"), ("Asian", "Asian")])
def test_chinese_follow_the_applicants_grouping(chinese_group, moves_to):
    area = census.resolve_population("la=E08000032")
    groups, _ = census.benchmark_shares(area, "ethnicity_group", chinese_group=chinese_group)
    chinese = ETHNICITY["E08000032"]["Asian, Asian British or Asian Welsh: Chinese"]
    other = ("Other", "Asian")[moves_to == "Other"]  # the group Chinese people are not in
    assert set(groups.index) == {"White", "Mixed", "Asian", "Black", "Other"}
    with_chinese, _ = census.benchmark_shares(area, "ethnicity_group", chinese_group=other)
    assert groups[moves_to] - with_chinese[moves_to] == pytest.approx(chinese / 546_412)


def test_mapping_is_the_shipped_csv():
    mapping = rows("ethnicity_census19_to_nhs.csv")
    assert len(mapping) == 19
    assert {m["census2021_label"] for m in mapping} == set(ETHNICITY["E08000032"])
    roma = next(m for m in mapping if m["census2021_label"] == "White: Roma")
    assert (roma["nhs_code"], roma["wres_group"]) == ("C", "White")


# --- checks on load --------------------------------------------------------------------


def broken(change):
    tables = census.load_tables()
    return dataclasses.replace(tables, **change(tables))


def off_by(tables, people):
    sex = tables.sex.copy()
    sex.loc["E08000032", "total_population"] += people
    return {"sex": sex}


def bad_share(tables):
    catchment = tables.catchment.copy()
    catchment.loc[catchment["trust_code"] == "RAE", "share"] *= 1.01
    return {"catchment": catchment}


def bad_code(tables):
    return {"ethnicity": tables.ethnicity.rename(index={"E08000032": "Bradford"})}


def short_mapping(tables):
    return {"mapping": tables.mapping.iloc[:18]}


def unknown_la(tables):
    catchment = tables.catchment.copy()
    catchment.loc[catchment.index[0], "ltla21_code"] = "E09999999"
    return {"catchment": catchment}


def negative(tables):
    disability = tables.disability.copy()
    disability.loc["E08000032", "disabled"] = -1
    return {"disability": disability}


@pytest.mark.parametrize(
    ("change", "file", "problem"),
    [
        (
            lambda t: off_by(t, 61),
            "sex_working_age_ltla21.csv",
            census.PROBLEM_TOTALS.format(tolerance=60, codes="E08000032"),
        ),
        (bad_share, "trust_catchment_ltla21.csv", census.PROBLEM_SHARES.format(codes="RAE")),
        (bad_code, "ethnicity_ltla21.csv", census.PROBLEM_BAD_CODES.format(codes="Bradford")),
        (
            short_mapping,
            "ethnicity_census19_to_nhs.csv",
            census.PROBLEM_MAPPING.format(labels="Other ethnic group: Any other ethnic group"),
        ),
        (
            unknown_la,
            "trust_catchment_ltla21.csv",
            census.PROBLEM_UNKNOWN_LA.format(codes="E09999999"),
        ),
        (negative, "disability_ltla21.csv", census.PROBLEM_NEGATIVE.format(codes="E08000032")),
    ],
)
def test_damaged_pack_is_refused_with_a_clear_message(change, file, problem):
    with pytest.raises(InputDataError) as caught:
        census.check_tables(broken(change))
    assert str(caught.value) == census.MSG_BAD_FILE.format(file=file, problem=problem)


def test_perturbation_within_tolerance_passes():
    census.check_tables(broken(lambda t: off_by(t, 40)))  # ONS perturbation: up to ~60


# --- choosing an area ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "trust=RAX1",
            'Trust code "RAX1" is not an English NHS trust in the shipped list. '
            "Did you mean: RX1, RAX?",
        ),
        (
            "la=Bradferd",
            'Local authority "Bradferd" is not one of the 331 Census 2021 '
            "authorities. Did you mean: Bradford (E08000032)",
        ),
        ("la=E08000099", 'Local authority "E08000099" is not one of the 331'),
        (
            "trust=RXT",
            "RXT (Birmingham And Solihull Mental Health NHS Foundation Trust) is not "
            "in the acute trust catchment file",
        ),
        ("region=London", census.MSG_BAD_SPEC.format(spec="region=London")),
        ("RAE", census.MSG_BAD_SPEC.format(spec="RAE")),
        ("la=", census.MSG_EMPTY_LA),
    ],
)
def test_bad_choices_say_what_to_do(spec, message):
    with pytest.raises(OptionError) as caught:
        census.resolve_population(spec)
    assert str(caught.value).startswith(message)


def test_non_acute_trust_is_offered_its_icb_authorities():
    with pytest.raises(OptionError) as caught:
        census.resolve_population("trust=RXT")
    assert "--population la=E08000025,E08000029" in str(caught.value)  # Birmingham, Solihull


@pytest.mark.parametrize(
    ("old", "new"), [("RBZ", "RH8"), ("RA4", "RH5"), ("RVY", "RBN"), ("RAP", "RAL")]
)
def test_merged_trusts_lead_to_their_successor_with_a_note(old, new):
    area = census.resolve_population(f"trust={old.lower()}")
    successor = census.resolve_population(f"trust={new}")
    assert area.codes == successor.codes
    assert area.notes[0].startswith(f"{old} (")
    assert f"its successor is {new}" in area.notes[0]
    assert any(old in note for note in successor.notes)


def test_authorities_by_name_and_code_pool_by_population():
    area = census.resolve_population("la=bradford, E08000033 ,Bradford")
    assert area.codes == ("E08000032", "E08000033")
    assert area.label == "Bradford and Calderdale"
    shares, people = census.benchmark_shares(area, "ethnicity_wres")
    counts = [ETHNICITY[c] for c in area.codes]
    totals = [sum(c.values()) for c in counts]
    white = [sum(n for k, n in c.items() if k.startswith(WHITE_COLUMNS_PREFIX)) for c in counts]
    assert people == sum(totals)
    assert shares["White"] == pytest.approx(sum(white) / sum(totals))
