"""WRES indicator 2 and WDES metric 2: relative likelihood of appointment from shortlisting.

- WRES indicator 2 (NHS England): "Relative likelihood of White applicants being appointed
  from shortlisting across all posts compared to BME applicants" = (appointed White ÷
  shortlisted White) ÷ (appointed BME ÷ shortlisted BME). Above 1: White applicants more
  likely to be appointed.
- WDES metric 2 (NHS England WDES technical guidance): the same for non-disabled compared to
  Disabled applicants. Above 1: non-disabled applicants more likely to be appointed.

The national definition, followed here (NHS England's "appointments from shortlisting"
data): the shortlisted count is everyone who reached shortlisting, minus only the
shortlisted applicants who were offered a job and turned it down; applicants with no
recorded ethnicity / disability status are left out of both groups. Both left-out counts
are reported. Withdrawals and "did not attend" stay in the shortlisted count (a withdrawal
after shortlisting is not an appointment). "Appointed" is the last stage of the ladder
(offered and accepted). All posts are pooled into one table.

This differs on purpose from the funnel transitions (:mod:`bias_audit.stats.rates`), where
withdrawals and declined offers leave the denominator of the step in which they happened.
:func:`withdrawals_removed` gives the indicator the funnel's way, as a sensitivity figure
for the analyst.

With no shortlisting stage in the ladder the indicators are not computable: a ratio from
interviewed → appointed (or applied → appointed) is a different measure and must not carry
the national name. When every row is a shortlisted applicant (``rows_are="shortlisted"``),
the first stage is the shortlisting stage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from bias_audit.stats import schema
from bias_audit.stats.significance import compare

WRES_NAME = "WRES indicator 2"
WDES_NAME = "WDES metric 2"
WRES_DIRECTION = "above 1 means White applicants are more likely to be appointed"
WDES_DIRECTION = "above 1 means non-disabled applicants are more likely to be appointed"
NOT_COMPUTABLE_MISSING = "no {group} applicants were shortlisted"
NOT_COMPUTABLE_NONE_APPOINTED = "no {group} shortlisted applicants were appointed"
NOT_COMPUTABLE_NO_SHORTLISTING = "the extract has no shortlisting stage"
# Added when the ladder is a single step (e.g. appointed / not appointed): the user can say
# what the rows are.
HINT_ROWS_ARE = (
    "; the rows are read as applications. If every row is a shortlisted applicant, say so: "
    '--rows-are shortlisted on the command line, rows_are="shortlisted" in Python, or '
    '"Shortlisted applicants" under "What each row is" in the app'
)
CAVEAT_DECLINES_UNKNOWN = (
    "Every row was declared a shortlisted applicant and the extract records only whether "
    "each was appointed, so declined offers cannot be identified: anyone who turned an offer "
    "down counts as not appointed, unlike the national data."
)
DEFINITION = (
    "NHS England definition: shortlisted applicants who turned down an offer, and those "
    "with no recorded {label}, are left out; withdrawals stay in the shortlisted count."
)

ROWS_APPLICATIONS = "applications"
ROWS_SHORTLISTED = "shortlisted"
ROWS_ARE: tuple[str, ...] = (ROWS_APPLICATIONS, ROWS_SHORTLISTED)
# Stage names that mean "shortlisted" (compared as lower-case words).
SHORTLISTING_NAMES = frozenset(
    {
        "shortlisted",
        "shortlist",
        "shortlisting",
        "invited to interview",
        "invited for interview",
    }
)

# Group -> (shortlisted, appointed, declined offers left out). "shortlisted" is as the
# definition counts it: declined offers already removed, withdrawals kept.
Numbers = tuple[int, int, int]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(name).lower()).strip()


def shortlisting_stage(stages: tuple[str, ...], *, rows_are: str = ROWS_APPLICATIONS) -> int | None:
    """Index of the shortlisting stage, or ``None`` when the ladder has none.

    Examples
    --------
    >>> shortlisting_stage(("applied", "shortlisted", "interviewed", "appointed"))
    1
    >>> shortlisting_stage(("applied", "interviewed", "offered", "appointed")) is None
    True
    >>> shortlisting_stage(("considered", "appointed"), rows_are="shortlisted")
    0
    """
    if rows_are == ROWS_SHORTLISTED:
        return 0
    for index, stage in enumerate(stages[:-1]):
        if _key(stage) in SHORTLISTING_NAMES:
            return index
    return None


def national_numbers(
    counts: pd.DataFrame, stages: tuple[str, ...], attribute: str, start: int
) -> dict[str, dict[str, int]]:
    """Per group of ``attribute``: the counts the national definition needs.

    Parameters
    ----------
    counts
        A funnel's tidy count table (:mod:`bias_audit.stats.schema`); strata are pooled.
    stages
        The stage ladder; the last stage is "appointed".
    attribute
        The attribute view (``schema.ETHNICITY_WRES`` or ``schema.DISABILITY``).
    start
        Index of the shortlisting stage.

    Returns
    -------
    dict
        Group -> ``reached`` (reached shortlisting), ``appointed`` (reached the last stage),
        ``declined`` (turned an offer down) and ``withdrew`` (withdrew or did not attend after
        shortlisting, before the last stage).
    """
    last = len(stages) - 1
    index = pd.Categorical(counts[schema.FURTHEST_STAGE].astype(str), categories=stages).codes
    reached = index >= start
    before_end = reached & (index < last)
    left_by = counts[schema.LEFT_BY].to_numpy()
    frame = pd.DataFrame(
        {
            "group": counts[attribute].astype(str).to_numpy(),
            "reached": counts[schema.COUNT].where(reached, 0).to_numpy(),
            "appointed": counts[schema.COUNT].where(index == last, 0).to_numpy(),
            "declined": counts[schema.COUNT]
            .where(before_end & (left_by == schema.LEFT_BY_DECLINED), 0)
            .to_numpy(),
            "withdrew": counts[schema.COUNT]
            .where(before_end & (left_by == schema.LEFT_BY_WITHDREW), 0)
            .to_numpy(),
        }
    )
    summed = frame.groupby("group", sort=True).sum()
    return {
        str(group): {name: int(value) for name, value in row.items()}
        for group, row in summed.iterrows()
    }


def shortlisted_atoms(
    atoms: Iterable[tuple[int, str]], *, start: int, last: int
) -> frozenset[tuple[int, str]]:
    """The (furthest stage index, how the application left) cells that make up the national
    shortlisted count: reached the shortlisting stage, minus offers turned down.

    For disclosure control that treats every published count as a sum of such cells.

    >>> sorted(shortlisted_atoms([(0, "not_progressed"), (1, "withdrew"),
    ...     (3, "declined_offer"), (4, "completed")], start=1, last=4))
    [(1, 'withdrew'), (4, 'completed')]
    """
    return frozenset(
        (stage, left)
        for stage, left in atoms
        if stage >= start and not (left == schema.LEFT_BY_DECLINED and stage < last)
    )


def as_numbers(by_group: Mapping[str, Mapping[str, int]]) -> dict[str, Numbers]:
    """The national definition's (shortlisted, appointed, declined) from ``national_numbers``.

    >>> as_numbers({"White": {"reached": 40, "appointed": 12, "declined": 3, "withdrew": 2}})
    {'White': (37, 12, 3)}
    """
    return {
        g: (v["reached"] - v["declined"], v["appointed"], v["declined"])
        for g, v in by_group.items()
    }


def withdrawals_removed(by_group: Mapping[str, Mapping[str, int]]) -> dict[str, Numbers]:
    """As :func:`as_numbers`, but with withdrawals also taken out of the shortlisted count
    (the funnel's handling; for the analyst's sensitivity check only).

    >>> withdrawals_removed({"White": {"reached": 40, "appointed": 12, "declined": 3,
    ...     "withdrew": 2}})
    {'White': (35, 12, 3)}
    """
    return {
        g: (v["reached"] - v["declined"] - v["withdrew"], v["appointed"], v["declined"])
        for g, v in by_group.items()
    }


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
        Group -> (shortlisted, appointed, declined offers left out), shortlisted as the
        national definition counts it; groups other than ``reference``/``focal`` count as
        not stated and are left out (their shortlisted and declined counts are reported).
    name, direction
        Indicator name and its direction sentence.
    reference, focal
        "White"/"BME" for the WRES, "Not disabled"/"Disabled" for the WDES.

    Examples
    --------
    West Lancashire's published counts (White 117 of 389, BME 2 of 10, 4 unknown):

    >>> r = appointment_indicator({"White": (389, 117, 0), "BME": (10, 2, 0), "Not stated":
    ...     (4, 0, 0)}, name="WRES", reference="White", focal="BME", direction="")
    >>> round(r["value"], 3), r["not_stated_excluded"], r["declined_offers_excluded"]
    (1.504, 4, 0)
    """
    ref_n, ref_k, ref_d = numbers.get(reference, (0, 0, 0))
    n, k, d = numbers.get(focal, (0, 0, 0))
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
        "declined_offers_excluded": ref_d + d,
    }
    if ref_n == 0 or n == 0:
        missing = reference if ref_n == 0 else focal
        result["reason"] = NOT_COMPUTABLE_MISSING.format(group=missing)
        return result
    if ref_k == 0 or k == 0:
        # A reference rate of 0 would give a ratio of 0, a focal rate of 0 no finite ratio:
        # neither is a finding.
        result["reason"] = NOT_COMPUTABLE_NONE_APPOINTED.format(
            group=reference if ref_k == 0 else focal
        )
        return result
    stats = compare(k, n, ref_k, ref_n, who=focal)
    numbers_by_name = stats.fields()
    result["value"] = numbers_by_name.pop("relative_likelihood")
    result.update((key, v) for key, v in numbers_by_name.items() if key in result)
    return result


# Name -> (reference group, focal group, direction sentence, attribute label).
DEFINITIONS: dict[str, tuple[str, str, str, str]] = {
    WRES_NAME: (schema.WHITE, schema.BME, WRES_DIRECTION, "ethnicity"),
    WDES_NAME: (schema.NON_DISABLED, schema.DISABLED, WDES_DIRECTION, "disability status"),
}


# Attribute view -> (reference group, focal group) of the indicator computed from it.
INDICATOR_VIEWS: dict[str, tuple[str, str]] = {
    schema.ETHNICITY_WRES: (schema.WHITE, schema.BME),
    schema.DISABILITY: (schema.NON_DISABLED, schema.DISABLED),
}


def _national(name: str, numbers: Mapping[str, Numbers]) -> dict[str, object]:
    reference, focal, direction, label = DEFINITIONS[name]
    result = appointment_indicator(
        numbers, name=name, reference=reference, focal=focal, direction=direction
    )
    result["definition"] = DEFINITION.format(label=label)
    return result


def wres_indicator_2(numbers: Mapping[str, Numbers]) -> dict[str, object]:
    """WRES indicator 2 from the WRES-view (shortlisted, appointed, declined) numbers.

    >>> round(wres_indicator_2({"White": (37, 12, 3), "BME": (28, 4, 2)})["value"], 2)
    2.27
    """
    return _national(WRES_NAME, numbers)


def wdes_metric_2(numbers: Mapping[str, Numbers]) -> dict[str, object]:
    """WDES metric 2 from the disability (shortlisted, appointed, declined) numbers."""
    return _national(WDES_NAME, numbers)
