"""Each essential demand judged against its band's national profile (afc_profiles.yml)."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.errors import LexiconError
from bias_audit.portfolio.documents import parse_document
from bias_audit.portfolio.profiles import (
    WHY_NO_PROFILE,
    WHY_NOT_KTE,
    judge_document,
    load_profiles,
    parse_profiles,
)

PROFILES_TEXT = resources.files("bias_audit").joinpath("data/afc_profiles.yml").read_text("utf-8")


def judged(band: int, line: str):
    document = parse_document(
        f"Job title: Support worker\nEssential\n{line}\n", name="x.txt", band=band
    )
    return [(j.kind, j.verdict, j.level) for j in judge_document(document)]


# Expected levels: NVQ/RQF as named; GCSE and Care Certificate Level 2; a degree 6, a
# master's 7; NMC registration 6 (registered practitioner), 5 for a nursing associate.
@pytest.mark.parametrize(
    ("band", "line", "expected"),
    [
        (
            2,
            "- NVQ Level 2 in care, or equivalent experience",
            ("qualification_level", "within profile", 2),
        ),
        (2, "- NVQ Level 2 in care", ("qualification_level", "no equivalent route", 2)),
        (
            2,
            "- NVQ Level 3 in care, or equivalent experience",
            ("qualification_level", "above profile", 3),
        ),
        (2, "- GCSE English and maths or equivalent", ("gcse", "within profile", 2)),
        (2, "- GCSE English and maths", ("gcse", "no equivalent route", 2)),
        (
            2,
            "- 2 years' experience as a healthcare assistant",
            ("experience", "above profile", None),
        ),
        (3, "- 1 year of experience in care", ("experience", "within profile", None)),
        (3, "- NVQ Level 3 in care", ("qualification_level", "no equivalent route", 3)),
        (3, "- A degree in nursing", ("degree", "above profile", 6)),
        (3, "- A master's degree in nursing", ("degree", "above profile", 7)),
        (3, "- NMC registration", ("registration", "above profile", 6)),
        (4, "- Foundation degree in health", ("qualification_level", "no equivalent route", 5)),
        (
            4,
            "- Foundation degree in health, or working towards one",
            ("qualification_level", "within profile", 5),
        ),
        (4, "- NMC registration as a nursing associate", ("registration", "within profile", 5)),
        (4, "- A degree in a health subject", ("degree", "above profile", 6)),
        (4, "- Full UK driving licence", ("driving_licence", "not judged", None)),
    ],
)
def test_verdicts(band, line, expected):
    assert judged(band, line) == [expected]


def test_desirable_demands_are_not_judged():
    document = parse_document("Desirable\n- A degree in nursing\n", name="x.txt", band=2)
    assert judge_document(document) == ()


def test_a_band_without_a_support_worker_profile_is_not_judged():
    document = parse_document("Essential\n- A degree in nursing\n", name="x.txt", band=6)
    (judgement,) = judge_document(document)
    assert (judgement.verdict, judgement.why) == (
        "not judged",
        WHY_NO_PROFILE.format(band="Band 6"),
    )


def test_physical_demands_are_outside_the_profiles():
    document = parse_document("Essential\n- Able to lift heavy loads\n", name="x.txt", band=2)
    assert [(j.verdict, j.why) for j in judge_document(document)] == [("not judged", WHY_NOT_KTE)]


def test_every_band_cites_sources_that_exist_and_names_nhs_employers():
    profiles = load_profiles()
    assert sorted(profiles.bands) == [1, 2, 3, 4]
    assert [profiles.bands[b].qualification_level for b in (1, 2, 3, 4)] == [None, 2, 3, 5]
    for band in (2, 3, 4):
        assert "NHS Employers" in profiles.cite(band)
        assert profiles.bands[band].kte_level == band


def test_the_data_readme_lists_the_file():
    readme = resources.files("bias_audit").joinpath("data/README.md").read_text("utf-8")
    assert "afc_profiles.yml" in readme and "jd_fields.yml" in readme


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("demand_levels"), "must hold sources, bands and demand_levels"),
        (lambda d: d["bands"][2].pop("summary"), "bands.2 must have exactly the keys"),
        (
            lambda d: d["bands"][3].update(sources=["nowhere"]),
            "bands.3 cites unknown source(s) nowhere",
        ),
        (
            lambda d: d["bands"][4].update(qualification_level=12),
            "bands.4 has qualification_level 12",
        ),
    ],
)
def test_a_broken_profiles_file_is_refused_with_the_place(edit, message):
    data = yaml.safe_load(PROFILES_TEXT)
    edit(data)
    with pytest.raises(LexiconError) as caught:
        parse_profiles(yaml.safe_dump(data))
    assert message in str(caught.value)
    assert str(caught.value).startswith("bias_audit/data/afc_profiles.yml: ")


@settings(max_examples=40, deadline=None)
@given(
    band=st.sampled_from([2, 3, 4]),
    level=st.integers(min_value=1, max_value=8),
    route=st.booleans(),
)
def test_a_named_level_is_above_the_profile_exactly_when_higher(band, level, route):
    tail = ", or equivalent experience" if route else ""
    ((kind, verdict, read),) = judged(band, f"- NVQ Level {level} in care{tail}")
    assert (kind, read) == ("qualification_level", level)
    allowed = load_profiles().bands[band].qualification_level
    assert (verdict == "above profile") == (level > allowed)
    if level <= allowed:
        assert verdict == ("within profile" if route else "no equivalent route")
