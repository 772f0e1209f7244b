"""Trust codes and names, years, and reading several organisations."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from bias_audit.errors import InputDataError
from bias_audit.io import organisations as orgs

KINGS = "King's College Hospital NHS Foundation Trust (RJZ)"


@pytest.mark.parametrize(
    "value",
    [
        "RJZ",
        "rjz",
        " RJZ ",
        "King's College Hospital NHS Foundation Trust",
        "KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST",
        "RJZ - King's College Hospital",
        "Kings College Hospital (RJZ)",
    ],
)
def test_code_and_name_show_the_same(value: str) -> None:
    found = orgs.organisation(value)
    assert found.label == KINGS and found.known and found.code == "RJZ"


@pytest.mark.parametrize(
    ("value", "flag", "label"),
    [
        ("RZZ9", orgs.FLAG_UNKNOWN_CODE, "RZZ9"),
        ("Northfield Community Trust", orgs.FLAG_UNKNOWN_NAME, "Northfield Community Trust"),
        ("", "no organisation given", orgs.NOT_GIVEN),
    ],
)
def test_unknown_kept_and_flagged(value: str, flag: str, label: str) -> None:
    found = orgs.organisation(value)
    assert (found.known, found.flag, found.label) == (False, flag, label)


def test_shipped_list_matches_the_census_pack() -> None:
    ods = orgs.ods_trusts()
    pack = pd.read_csv("bias_audit/data/census2021/trusts.csv", dtype=str, keep_default_na=False)
    assert set(ods.index) == set(pack["trust_code"])
    names = dict(zip(pack["trust_code"], pack["trust_name"], strict=True))
    assert all(ods.at[c, "ods_name"] == names[c] for c in ods.index)
    # Display names are the published names in another case, nothing else.
    assert all(ods.at[c, "name"].upper() == names[c] for c in ods.index)
    assert ods.at["RJ1", "name"] == "Guy's and St Thomas' NHS Foundation Trust"


@pytest.mark.parametrize(
    ("value", "by", "expected"),
    [
        ("2023", "financial", "2023"),
        ("2023/24", "financial", "2023/24"),
        ("2023-24", "financial", "2023/24"),
        ("2023-2024", "financial", "2023/24"),
        ("2023-25", "financial", None),
        ("31/03/2024", "financial", "2023/24"),
        ("01/04/2024", "financial", "2024/25"),
        ("2024-04-01", "calendar", "2024"),
        ("", "financial", None),
        ("soon", "financial", None),
    ],
)
def test_year_label(value: str, by: str, expected: str | None) -> None:
    assert orgs.year_label(value, year_by=by) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Ethnicity", "Organisation Code", "Status"], "Organisation Code"),
        (["ODS code", "Ethnicity"], "ODS code"),
        (["Trust Name", "Trust Code"], "Trust Code"),
        (["Ethnicity", "Status"], None),
    ],
)
def test_find_organisation_column(headers: list[str], expected: str | None) -> None:
    assert orgs.find_organisation_column(headers) == expected


def _extract(rows: list[tuple[str, ...]], header: str) -> bytes:
    return (header + "\n" + "\n".join(",".join(r) for r in rows) + "\n").encode()


def test_no_organisation_column_is_refused_with_the_fix() -> None:
    data = _extract([("A", "Appointed"), ("N", "Not shortlisted")] * 5, "Ethnicity,Outcome")
    with pytest.raises(InputDataError) as err:
        orgs.read_region([data], names=["one.csv"])
    assert str(err.value) == orgs.MSG_NO_ORGANISATION.format(
        file="one.csv", headers='"Ethnicity", "Outcome"'
    )


def test_files_named_by_code_and_years_left_out_counted() -> None:
    rows = [("A", "Appointed", "2023/24"), ("N", "Not shortlisted", ""), ("H", "Appointed", "x")]
    data = _extract(rows * 4, "Ethnicity,Outcome,Year")
    region = orgs.read_region(
        [io.BytesIO(data), io.BytesIO(data)],
        names=["RJZ_2024.csv", "north.csv"],
        year_column="Year",
    )
    assert set(region.organisations) == {KINGS, "north"}
    family = region.families[0]
    assert set(family["organisation"]) == {KINGS, "north"}
    # 8 rows per file have a blank or unreadable year: counted, kept for the organisation.
    assert any("16 row(s) have a blank or unreadable year" in n for n in region.notes)
    assert int(family[schema_count()].sum()) == 24


def schema_count() -> str:
    from bias_audit.stats import schema

    return schema.COUNT


def test_two_files_same_organisation_refused() -> None:
    data = _extract([("A", "Appointed"), ("N", "Not shortlisted")] * 3, "Ethnicity,Outcome")
    with pytest.raises(InputDataError, match="both name the organisation"):
        orgs.read_region([data, data], names=["RJZ.csv", "RJZ-copy.csv"])


def test_several_files_with_organisation_and_year_columns_keep_both() -> None:
    rows = [("RJZ", "2023", "A", "Appointed"), ("RAE", "2024", "N", "Not shortlisted")] * 6
    data = _extract(rows, "ODS Code,Year,Ethnicity,Outcome")
    region = orgs.read_region(
        [data, data], names=["q1.csv", "q2.csv"], organisation_column="ODS Code",
        year_column="Year",
    )  # fmt: skip
    assert len(region.families) == 2
    assert sorted(region.by_year["year"].unique()) == ["2023", "2024"]
    assert sorted(region.families[0]["organisation"].unique()) == [
        "Bradford Teaching Hospitals NHS Foundation Trust (RAE)",
        KINGS,
    ]
    assert region.families[0]["count"].sum() == region.families[1]["count"].sum() == 24


def test_found_organisation_column_is_said() -> None:
    data = _extract(
        [("RJZ", "A", "Appointed"), ("RAE", "N", "Appointed")] * 3, "Trust,Ethnicity,Outcome"
    )
    region = orgs.read_region([data], names=["r.csv"])
    assert orgs.NOTE_FOUND_COLUMN.format(column="Trust") in region.notes


def test_text_table_shows_every_name_whole_with_its_code() -> None:
    from bias_audit.report.region_text import region_text
    from bias_audit.services.region import audit_region

    # "University College London Hospitals NHS Foundation Trust (RRV)" is 62 characters;
    # the text table once cut names at 40, and with them the ODS code.
    outcomes = ("Appointed", "Not shortlisted", "Interview - unsuccessful") * 10
    rows = [
        (code, eth, outcome)
        for code in ("RRV", "RAE", "RJ1")
        for eth in ("A", "N")
        for outcome in outcomes
    ]
    data = _extract(rows, "ODS Code,Ethnicity,Outcome")
    text = region_text(audit_region([data], names=["region.csv"], suppression=False))
    name = "University College London Hospitals NHS Foundation Trust (RRV)"
    assert len(name) == 62
    lines = [line for line in text.splitlines() if line.startswith(name + " ")]
    assert lines, text
    header = next(line for line in text.splitlines() if line.startswith("Organisation "))
    # the counts' column starts after the longest name, in the header and every row
    assert all(len(line) - len(line[len(name) :].lstrip()) >= len(name) + 1 for line in lines)
    assert header.index("White") > len(name)
