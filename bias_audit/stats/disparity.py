"""Which group each attribute is compared against, and the two ratios with their directions.

- ``relative_likelihood`` = reference rate ÷ group rate (the WRES / WDES direction: above 1
  means the reference group — White, not disabled — is more likely to progress);
- ``impact_ratio`` = group rate ÷ highest group rate (the four-fifths convention of the
  UGESP 1978, 29 CFR 1607.4(D): below 0.80 flags); "Not stated" groups are never the
  highest and never the reference.

The adverse band is ``(0.80, 1.25)`` by default — the four-fifths rule made symmetric
(Aequitas uses τ ≤ ratio ≤ 1/τ with τ = 0.8) — and configurable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bias_audit.errors import OptionError
from bias_audit.stats import schema
from bias_audit.stats.rates import INTERSECTION_SEPARATOR, is_not_stated

DEFAULT_ADVERSE_BAND: tuple[float, float] = (0.8, 1.25)
DEFAULT_REFERENCES: dict[str, str] = {
    schema.ETHNICITY_WRES: schema.WHITE,
    schema.ETHNICITY_GROUP: "White",
    schema.ETHNICITY_DETAILED: "White - British",
    schema.DISABILITY: schema.NON_DISABLED,
}

BAD_REFERENCE_FORMAT = (
    "--reference {value!r} is not of the form attribute=group; write e.g. "
    "--reference gender=Female or --reference ethnicity_wres=White"
)
UNKNOWN_REFERENCE_ATTRIBUTE = (
    "--reference names the attribute {attribute!r}, which this report does not have; "
    "choose one of: {choices}"
)
UNKNOWN_REFERENCE_GROUP = (
    "--reference {attribute}={group!r}: there is no such group in the data; groups found: {choices}"
)
NOT_STATED_REFERENCE = (
    "--reference {attribute}={group!r}: a not-stated group cannot be the reference; "
    "choose one of: {choices}"
)
BAD_BAND = "adverse band {band!r} must be two numbers low < 1 < high, e.g. (0.8, 1.25)"


def parse_references(values: Sequence[str] | None) -> dict[str, str]:
    """Read ``--reference attr=group`` options into a mapping.

    Examples
    --------
    >>> parse_references(["gender=Female", " ethnicity_wres = White "])
    {'gender': 'Female', 'ethnicity_wres': 'White'}
    """
    chosen: dict[str, str] = {}
    for value in values or ():
        attribute, sep, group = value.partition("=")
        if not sep or not attribute.strip() or not group.strip():
            raise OptionError(BAD_REFERENCE_FORMAT.format(value=value))
        chosen[attribute.strip()] = group.strip().strip('"').strip("'")
    return chosen


def check_band(band: tuple[float, float]) -> tuple[float, float]:
    """Validate an adverse band ``(low, high)`` with ``low < 1 < high``."""
    try:
        low, high = (float(x) for x in band)
    except (TypeError, ValueError):
        raise OptionError(BAD_BAND.format(band=band)) from None
    if not 0 < low < 1 < high:
        raise OptionError(BAD_BAND.format(band=band))
    return low, high


def default_reference(attribute: str, sizes: Mapping[str, int]) -> str | None:
    """The default reference group of an attribute given group sizes (applications).

    White for the WRES and five-group views, "White - British" (or the largest group) for
    the detailed view, "Not disabled" for disability, the largest group for gender, and
    "White × <gender reference>" for the intersection. Not-stated groups never qualify.

    >>> default_reference("gender", {"Female": 70, "Male": 30, "Not stated": 90})
    'Female'
    """
    stated = {g: n for g, n in sizes.items() if not is_not_stated(g) and n > 0}
    if not stated:
        return None
    largest = max(stated, key=lambda g: (stated[g], g))
    if attribute == schema.ETHNICITY_X_GENDER:
        whites = {
            g: n for g, n in stated.items() if g.startswith(schema.WHITE + INTERSECTION_SEPARATOR)
        }
        return max(whites, key=lambda g: (whites[g], g)) if whites else largest
    preferred = DEFAULT_REFERENCES.get(attribute)
    return preferred if preferred in stated else largest


def resolve_reference(
    attribute: str, sizes: Mapping[str, int], chosen: Mapping[str, str]
) -> str | None:
    """The reference group for ``attribute``: the user's choice if given, else the default."""
    if attribute not in chosen:
        return default_reference(attribute, sizes)
    group = chosen[attribute]
    names = {g.casefold(): g for g in sizes}
    choices = ", ".join(sorted(g for g in sizes if not is_not_stated(g)))
    if group.casefold() not in names:
        raise OptionError(
            UNKNOWN_REFERENCE_GROUP.format(attribute=attribute, group=group, choices=choices)
        )
    group = names[group.casefold()]
    if is_not_stated(group):
        raise OptionError(
            NOT_STATED_REFERENCE.format(attribute=attribute, group=group, choices=choices)
        )
    return group


def check_reference_attributes(chosen: Mapping[str, str], attributes: Sequence[str]) -> None:
    """Refuse ``--reference`` for an attribute the report does not have."""
    for attribute in chosen:
        if attribute not in attributes:
            raise OptionError(
                UNKNOWN_REFERENCE_ATTRIBUTE.format(
                    attribute=attribute, choices=", ".join(attributes)
                )
            )


def relative_likelihood(rate: float | None, reference_rate: float | None) -> float | None:
    """Reference rate ÷ group rate; None when the group rate is 0 or unknown.

    >>> relative_likelihood(0.42, 0.60)
    1.4285714285714286
    """
    if rate is None or reference_rate is None or rate == 0:
        return None
    return reference_rate / rate


def impact_ratio(rate: float | None, highest_rate: float | None) -> float | None:
    """Group rate ÷ highest group rate; None when the highest rate is 0 or unknown.

    >>> round(impact_ratio(21 / 50, 48 / 80), 2)
    0.7
    """
    if rate is None or highest_rate is None or highest_rate == 0:
        return None
    return rate / highest_rate


def outside_band(ratio: float | None, band: tuple[float, float]) -> bool:
    """True when a relative likelihood lies outside the non-adverse band."""
    return ratio is not None and not band[0] <= ratio <= band[1]
