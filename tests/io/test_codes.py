"""Ethnicity, gender and disability normalisation: hand-checked tables and invariants."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bias_audit.io.characteristics import place_disability, place_gender
from bias_audit.io.codes import NHS_ETHNIC_CATEGORIES, place_ethnicity
from bias_audit.io.normalise import normalise_values

WB = "White - British"
WI = "White - Irish"
WO = "White - Any other White background"
AF = "Black or Black British - African"
CH = "Other Ethnic Groups - Chinese"
NS = "Not stated"


@pytest.mark.parametrize(
    ("raw", "detailed", "group", "wres"),
    [
        # bare NHS Data Dictionary codes, any case, with spaces
        ("A", WB, "White", "White"),
        (" b ", WI, "White", "White"),
        ("C", WO, "White", "White"),
        ("H", "Asian or Asian British - Indian", "Asian", "BME"),
        ("N", AF, "Black", "BME"),
        ("R", CH, "Other", "BME"),
        ("s", "Other Ethnic Groups - Any other ethnic group", "Other", "BME"),
        ("Z", NS, NS, NS),
        ("99", NS, NS, NS),
        ("99.0", NS, NS, NS),  # a numeric code read back from a spreadsheet
        ("X", NS, NS, NS),
        # two-character local codes group by their first letter
        ("C3", WO, "White", "White"),
        ("CA White English", WO, "White", "White"),
        ("NB", AF, "Black", "BME"),
        # ESR-style code + label, with any dash style
        ("A White - British", WB, "White", "White"),
        ("A White – British", WB, "White", "White"),
        ("A  White—British", WB, "White", "White"),
        ("(N) Black African", AF, "Black", "BME"),
        ("White British (A)", WB, "White", "White"),
        # NHS labels and their common variants
        ("White - Irish", WI, "White", "White"),
        ("WHITE - BRITISH", WB, "White", "White"),
        ("Black  - African or British African", AF, "Black", "BME"),
        ("Asian - Indian or British Indian", "Asian or Asian British - Indian", "Asian", "BME"),
        ("Mixed - White and Black Caribbean", "Mixed - White and Black Caribbean", "Mixed", "BME"),
        ("Chinese", CH, "Other", "BME"),
        ("Any other ethnic group", "Other Ethnic Groups - Any other ethnic group", "Other", "BME"),
        # Census 2021 labels (group name then category)
        ("White: English, Welsh, Scottish, Northern Irish or British", WB, "White", "White"),
        ("White: Irish", WI, "White", "White"),
        ("White: Roma", WO, "White", "White"),
        ("White - Gypsy or Irish Traveller", WO, "White", "White"),
        ("Black, Black British, Black Welsh, Caribbean or African: African", AF, "Black", "BME"),
        (
            "Black, Black British, Caribbean or African - Caribbean",
            "Black or Black British - Caribbean",
            "Black",
            "BME",
        ),
        ("Asian, Asian British or Asian Welsh: Chinese", CH, "Other", "BME"),
        (
            "Other ethnic group: Arab",
            "Other Ethnic Groups - Any other ethnic group",
            "Other",
            "BME",
        ),
        # group named without detail
        ("White", "White - not specified", "White", "White"),
        ("Black British", "Black - not specified", "Black", "BME"),
        # tables already grouped White / BME
        ("BME", "BME - not specified", "BME - not specified", "BME"),
        ("BAME", "BME - not specified", "BME - not specified", "BME"),
        ("Black, Asian and minority ethnic", "BME - not specified", "BME - not specified", "BME"),
        ("Ethnic minority", "BME - not specified", "BME - not specified", "BME"),
        # not stated, in its many spellings
        ("", NS, NS, NS),
        ("Not Stated", NS, NS, NS),
        ("Prefer not to say", NS, NS, NS),
        ("I do not wish to disclose my ethnic origin", NS, NS, NS),
        ("Not Known", NS, NS, NS),
        ("Z Not stated", NS, NS, NS),
        # abbreviations that look like local N codes are read as not stated (safer)
        ("NA", NS, NS, NS),
        ("N/A", NS, NS, NS),
        ("NK", NS, NS, NS),
        ("ns", NS, NS, NS),
    ],
)
def test_ethnicity_views(raw, detailed, group, wres):
    placed = place_ethnicity(raw)
    assert placed.views == (detailed, group, wres)
    assert placed.placed


def test_census_scheme_moves_chinese_to_asian():
    assert place_ethnicity("R").views[1] == "Other"
    assert place_ethnicity("R", scheme="census2021").views[1] == "Asian"
    assert place_ethnicity("H", scheme="census2021").views[1] == "Asian"


@pytest.mark.parametrize("raw", ["Martian", "T", "Q1", "??", "British"])
def test_unplaceable_ethnicity_is_not_stated_and_flagged(raw):
    placed = place_ethnicity(raw)
    assert placed.views == (NS, NS, NS)
    assert not placed.placed


@pytest.mark.parametrize("code", sorted(NHS_ETHNIC_CATEGORIES))
def test_every_code_its_label_and_esr_form_agree(code):
    label = NHS_ETHNIC_CATEGORIES[code]
    by_code = place_ethnicity(code).views
    assert by_code[0] == label
    assert place_ethnicity(label).views == by_code
    assert place_ethnicity(f"{code} {label}").views == by_code
    assert by_code[2] == ("White" if code in "ABC" else "BME")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Female", "Female"),
        ("F", "Female"),
        (" woman ", "Female"),
        ("MALE", "Male"),
        ("m", "Male"),
        ("Non-binary", "Non-binary"),
        ("Non binary", "Non-binary"),
        ("I describe myself another way", "Other"),
        ("Prefer to self-describe", "Other"),
        ("Other", "Other"),
        ("Prefer not to say", NS),
        ("Not declared", NS),
        ("", NS),
    ],
)
def test_gender(raw, expected):
    assert place_gender(raw).views == (expected,)
    assert place_gender(raw).placed


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Yes", "Disabled"),
        ("Y", "Disabled"),
        ("yes - I consider myself disabled", "Disabled"),
        ("I have a disability", "Disabled"),
        ("No", "Not disabled"),
        ("n", "Not disabled"),
        ("No disability", "Not disabled"),
        ("Not disabled", "Not disabled"),
        ("Prefer not to say", NS),
        ("Not Declared", NS),
        ("I do not wish to disclose", NS),
        ("", NS),
    ],
)
def test_disability(raw, expected):
    assert place_disability(raw).views == (expected,)
    assert place_disability(raw).placed


def test_unplaceable_gender_and_disability():
    assert not place_gender("Banana").placed
    assert place_gender("Banana").views == (NS,)
    assert not place_disability("Maybe").placed


def test_normalise_values_lists_unplaced_and_schemes():
    result = normalise_values(
        ["A", "A White - British", "White - British", "Gibberish", "Z"], attribute="ethnicity"
    )
    assert result.unplaced == ("Gibberish",)
    assert result.schemes == {"code", "code and label", "label"}
    assert {result.views[v][0] for v in ["A", "A White - British", "White - British"]} == {WB}


@given(st.sampled_from(sorted(NHS_ETHNIC_CATEGORIES)), st.sampled_from(["-", "–", "—", "‒"]))
def test_dash_style_and_case_never_change_the_answer(code, dash):
    label = NHS_ETHNIC_CATEGORIES[code]
    variant = label.replace(" - ", f"  {dash} ").upper()
    assert place_ethnicity(variant).views == place_ethnicity(label).views


@given(st.text(max_size=30))
def test_any_text_gets_three_consistent_views(text):
    detailed, group, wres = place_ethnicity(text).views
    assert wres in ("White", "BME", NS)
    assert (group == NS) == (wres == NS) == (detailed == NS)
    assert (group == "White") == (wres == "White")
