"""Reference groups, the two ratios and their directions, and option parsing."""

from __future__ import annotations

import pytest

from bias_audit.errors import OptionError
from bias_audit.stats import disparity as dp
from bias_audit.stats import schema


@pytest.mark.parametrize(
    ("attribute", "sizes", "expected"),
    [
        (schema.ETHNICITY_WRES, {"White": 10, "BME": 90, "Not stated": 500}, "White"),
        (schema.ETHNICITY_GROUP, {"White": 5, "Asian": 50}, "White"),
        (schema.ETHNICITY_DETAILED, {"White - British": 3, "Asian - Indian": 9}, "White - British"),
        (schema.ETHNICITY_DETAILED, {"White - Irish": 3, "Asian - Indian": 9}, "Asian - Indian"),
        (schema.GENDER, {"Female": 70, "Male": 30, "Not stated": 99}, "Female"),
        (schema.DISABILITY, {"Disabled": 70, "Not disabled": 30}, "Not disabled"),
        (
            schema.ETHNICITY_X_GENDER,
            {"White × Male": 5, "White × Female": 8, "BME × Female": 50},
            "White × Female",
        ),
        (schema.GENDER, {"Not stated": 10}, None),
        (schema.ETHNICITY_WRES, {"White": 0, "BME": 4}, "BME"),
    ],
)
def test_default_references(attribute, sizes, expected):
    assert dp.default_reference(attribute, sizes) == expected


def test_user_reference_is_case_insensitive_and_validated():
    sizes = {"Female": 70, "Male": 30, "Not stated": 4}
    assert dp.resolve_reference("gender", sizes, {"gender": "male"}) == "Male"
    with pytest.raises(OptionError) as err:
        dp.resolve_reference("gender", sizes, {"gender": "Men"})
    assert str(err.value) == dp.UNKNOWN_REFERENCE_GROUP.format(
        attribute="gender", group="Men", choices="Female, Male"
    )
    with pytest.raises(OptionError) as err:
        dp.resolve_reference("gender", sizes, {"gender": "not stated"})
    assert "cannot be the reference" in str(err.value)


@pytest.mark.parametrize("value", ["gender", "=Male", "gender=", ""])
def test_bad_reference_option(value):
    with pytest.raises(OptionError) as err:
        dp.parse_references([value])
    assert str(err.value) == dp.BAD_REFERENCE_FORMAT.format(value=value)


def test_unknown_reference_attribute():
    with pytest.raises(OptionError, match="does not have"):
        dp.check_reference_attributes({"religion": "x"}, ["gender"])


@pytest.mark.parametrize("band", [(1.0, 1.25), (0.8, 0.9), (0, 2), ("a", 1)])
def test_bad_band(band):
    with pytest.raises(OptionError):
        dp.check_band(band)


@pytest.mark.parametrize(
    ("rate", "ref", "expected"),
    [(0.42, 0.60, 0.60 / 0.42), (0.5, 0.5, 1.0), (0.0, 0.5, None), (None, 0.5, None)],
)
def test_relative_likelihood_is_reference_over_group(rate, ref, expected):
    got = dp.relative_likelihood(rate, ref)
    assert got == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("ratio", "outside"), [(0.79, True), (0.8, False), (1.25, False), (1.26, True), (None, False)]
)
def test_adverse_band_edges(ratio, outside):
    assert dp.outside_band(ratio, dp.DEFAULT_ADVERSE_BAND) is outside
