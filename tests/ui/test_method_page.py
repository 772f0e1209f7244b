"""The method page: every section in plain English, directions stated."""

from __future__ import annotations

from bias_audit.text.readability import target_for_band
from bias_audit.ui.method_page import SECTIONS, TITLE


def test_method_page_shows_every_section(open_page):
    at = open_page("method")
    assert at.title[0].value == TITLE
    assert [h.value for h in at.subheader] == [heading for heading, _ in SECTIONS]
    text = " ".join(m.value for m in at.markdown)
    for phrase in (
        "above 1 means White shortlisted applicants are more likely",
        "0.80–1.25",
        "counts of 1–7 are shown as ≤7",
        "Gaucher, Friesen & Kay",
    ):
        assert phrase in text


def test_method_states_the_reading_age_target_the_gauge_uses_for_every_band():
    advert_section = dict(SECTIONS)["The advert checker"]
    for band in (None, 1, 4, 5, 9):
        low, high = target_for_band(band)
        assert f"{low} to {high}" in advert_section, band


def test_method_states_the_disclosure_method_and_its_cost():
    sections = dict(SECTIONS)
    disclosure = sections["Small numbers are suppressed"]
    for phrase in (
        "worked out from the counts as shown, never from the exact ones",
        "across stages, across the three views of ethnicity, ethnicity × gender",
        "each hidden row says why",
        "declaration rate to the nearest 5%",
        "WDES metric 2 reads 1.42 against 1.32 exact",
    ):
        assert phrase in disclosure
    story = sections["Significant, not significant, or borderline"]
    assert "p < 0.05 and the 95% interval shown excludes 1" in story
    assert "borderline" in story


def test_method_page_says_what_changed_in_the_national_indicators():
    changed = dict(SECTIONS)["What changed in this version"]
    for phrase in ("NHS England's definition", "1.32", "1.24", "not computable", "sheet"):
        assert phrase in changed
    wres = dict(SECTIONS)["WRES indicator 2"]
    assert "turned it down" in wres and "stay in it" in wres


def test_method_states_the_population_benchmark_and_its_mapping():
    import csv
    from importlib import resources

    from bias_audit.ui.method_page import POPULATION_HEADING

    body = dict(SECTIONS)[POPULATION_HEADING]
    assert "all ages" in body and "16 to 64" in body and "Wilson" in body
    path = resources.files("bias_audit").joinpath("data/census2021/ethnicity_census19_to_nhs.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):  # every mapping row, as the CSV says
            line = (
                f"| {row['census2021_label']} | {row['nhs_code']} | {row['broad_group_5']} "
                f"| {row['wres_group']} |"
            )
            assert line in body


def test_method_defines_every_workforce_indicator_with_its_direction():
    sections = dict(SECTIONS)
    for heading in (
        "WRES indicator 1", "WRES indicator 3", "WRES indicator 4", "WRES indicator 9",
        "WDES metric 1", "WDES metric 3", "WDES metric 10",
        "Retention of new support staff", "Progression",
    ):  # fmt: skip
        assert heading in sections, heading
    assert "above 1 means BME staff are more likely" in sections["WRES indicator 3"]
    assert "reverse of WRES 2" in sections["WRES indicator 3"]
    assert "above 1 means White staff are more likely" in sections["WRES indicator 4"]
    assert "Kaplan–Meier" in sections["Retention of new support staff"]
    assert "8 or more" in sections["Retention of new support staff"]
    assert "above 1 means the reference group" in sections["Progression"]
    headings = [h for h, _ in SECTIONS]
    assert headings.index("WRES indicator 1") < headings.index("Sources")
