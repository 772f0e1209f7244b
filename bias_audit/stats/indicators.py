"""WRES indicator 2 and WDES metric 2: relative likelihood of appointment from shortlisting.

- WRES indicator 2 (NHS England): "Relative likelihood of White applicants being appointed
  from shortlisting across all posts compared to BME applicants" = (appointed White ÷
  shortlisted White) ÷ (appointed BME ÷ shortlisted BME). Above 1: White applicants more
  likely to be appointed.
- WDES metric 2 (NHS England WDES technical guidance): the same for non-disabled compared to
  Disabled applicants. Above 1: non-disabled applicants more likely to be appointed.

As defined: not-stated ethnicity / disability is excluded from both groups and counted;
declined offers are not appointments and, like withdrawals, are left out of the shortlisted
count (the national data exclude "shortlisted applicants who were offered a job but turned
it down"); all posts are pooled into one table.
"""

from __future__ import annotations

from collections.abc import Mapping

from bias_audit.stats import schema
from bias_audit.stats.significance import compare

WRES_NAME = "WRES indicator 2"
WDES_NAME = "WDES metric 2"
WRES_DIRECTION = "above 1 means White applicants are more likely to be appointed"
WDES_DIRECTION = "above 1 means non-disabled applicants are more likely to be appointed"
NOT_COMPUTABLE_MISSING = "no {group} applicants were shortlisted"
NOT_COMPUTABLE_NONE_APPOINTED = "no {group} shortlisted applicants were appointed"

Numbers = tuple[int, int, int]  # entered (shortlisted), progressed (appointed), withdrawn


def appointment_indicator(
    numbers: Mapping[str, Numbers],
    *,
    name: str,
    reference: str,
    focal: str,
    direction: str,
) -> dict[str, object]:
    """The relative likelihood of appointment from shortlisting, reference ÷ focal.

    Parameters
    ----------
    numbers
        Group -> (shortlisted, appointed, withdrawn or declined) for the shortlisted →
        appointed transition; other groups than ``reference``/``focal`` count as not stated.
    name, direction
        Indicator name and its direction sentence.
    reference, focal
        "White"/"BME" for the WRES, "Not disabled"/"Disabled" for the WDES.

    Examples
    --------
    >>> r = appointment_indicator({"White": (389, 117, 0), "BME": (10, 2, 0), "Not stated":
    ...     (4, 0, 0)}, name="WRES", reference="White", focal="BME", direction="")
    >>> round(r["value"], 3), r["not_stated_excluded"]
    (1.504, 4)
    """
    ref_n, ref_k, ref_w = numbers.get(reference, (0, 0, 0))
    n, k, w = numbers.get(focal, (0, 0, 0))
    others = [v for g, v in numbers.items() if g not in (reference, focal)]
    result: dict[str, object] = {
        "name": name,
        "reference": reference,
        "focal": focal,
        "value": None,
        "ci_low": None,
        "ci_high": None,
        "p_value": None,
        "mid_p": None,
        "direction": direction,
        "reason": "",
        reference: {"shortlisted": ref_n, "appointed": ref_k},
        focal: {"shortlisted": n, "appointed": k},
        "not_stated_excluded": sum(v[0] + v[2] for v in others),
        "withdrawn_or_declined_excluded": ref_w + w,
    }
    if ref_n == 0 or n == 0:
        missing = reference if ref_n == 0 else focal
        result["reason"] = NOT_COMPUTABLE_MISSING.format(group=missing)
        return result
    stats = compare(k, n, ref_k, ref_n, who=focal)
    if stats.relative_likelihood is None:
        result["reason"] = NOT_COMPUTABLE_NONE_APPOINTED.format(group=focal)
    numbers_by_name = stats.fields()
    result["value"] = numbers_by_name.pop("relative_likelihood")
    result.update((k, v) for k, v in numbers_by_name.items() if k in result)
    return result


# Name -> (reference group, focal group, direction sentence).
DEFINITIONS: dict[str, tuple[str, str, str]] = {
    WRES_NAME: (schema.WHITE, schema.BME, WRES_DIRECTION),
    WDES_NAME: (schema.NON_DISABLED, schema.DISABLED, WDES_DIRECTION),
}


def _national(name: str, numbers: Mapping[str, Numbers]) -> dict[str, object]:
    reference, focal, direction = DEFINITIONS[name]
    return appointment_indicator(
        numbers, name=name, reference=reference, focal=focal, direction=direction
    )


def wres_indicator_2(numbers: Mapping[str, Numbers]) -> dict[str, object]:
    """WRES indicator 2 from the WRES-view shortlisted → appointed numbers."""
    return _national(WRES_NAME, numbers)


def wdes_metric_2(numbers: Mapping[str, Numbers]) -> dict[str, object]:
    """WDES metric 2 from the disability shortlisted → appointed numbers."""
    return _national(WDES_NAME, numbers)
