"""Pooled tests across posts, staff groups or years (``--stratify COL``).

For each attribute, transition and group against the reference, one 2×2 table per stratum
(rows: reference, group; columns: progressed, not progressed) is combined with the
Cochran–Mantel–Haenszel test of no association and the Breslow–Day test (Tarone-adjusted)
of equal odds ratios across strata, through statsmodels ``StratifiedTable``. Strata with a
zero row or column total carry no information and are skipped and counted, as EEOSTAT's
"mh calc" does. The pooled Mantel–Haenszel risk ratio is reported in the WRES direction
(reference rate ÷ group rate).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Collection, Mapping
from typing import Protocol

import numpy as np
import pandas as pd

from bias_audit.stats import schema
from bias_audit.stats.funnel import Funnel
from bias_audit.stats.rates import (
    group_arrays,
    is_not_stated,
    stage_slots,
    transition_numbers,
    transitions,
    with_intersection,
)

STRATIFIED_ATTRIBUTES: tuple[str, ...] = (schema.ETHNICITY_WRES, schema.GENDER, schema.DISABILITY)
NOT_ENOUGH_STRATA = "fewer than {need} strata with both groups and both outcomes"
NOT_COMPUTABLE_BD = "Breslow–Day not computable: a stratum has an empty cell"
WITHHELD_HIDDEN = (
    "withheld: the pooled table hides this group's or the comparison group's numbers "
    "(disclosure control)"
)
WITHHELD_SMALL_STRATUM = (
    "withheld: in at least one {stratum} this group or the comparison group has 1–7 people "
    "entering or progressing (disclosure control)"
)


class DisclosureRule(Protocol):
    """How published counts are shown (:mod:`bias_audit.report.suppression` is one)."""

    def is_small(self, value: int) -> bool: ...  # a count that must not be shown

    def round_count(self, value: int) -> int: ...  # a count as shown


NEEDS_DISCLOSURE = "stratified_tests: published mode (hidden=...) needs disclosure=..."
RESULT_FIELDS = (
    "cmh_statistic",
    "cmh_p",
    "pooled_relative_likelihood",
    "pooled_odds_ratio",
    "breslow_day_statistic",
    "breslow_day_p",
)


def stratum_tables(
    counts: pd.DataFrame, attribute: str, n_stages: int
) -> dict[str, tuple[list[str], np.ndarray]]:
    """Per stratum: group names and the ``[group, stage, early]`` count cube."""
    return {
        str(stratum): group_arrays(part, attribute, n_stages)
        for stratum, part in counts.groupby(schema.STRATUM, observed=True, sort=True)
    }


def pooled_test(tables: list[np.ndarray]) -> dict[str, object]:
    """CMH and Breslow–Day on 2×2 tables ``[[k_ref, n_ref-k_ref], [k, n-k]]``.

    Examples
    --------
    >>> t = [np.array([[5, 15], [20, 20]]), np.array([[8, 22], [30, 30]]),
    ...      np.array([[2, 8], [10, 10]])]
    >>> r = pooled_test(t)
    >>> round(r["cmh_statistic"], 4), round(r["breslow_day_p"], 3), r["strata_skipped"]
    (10.1167, 0.936, 0)
    """
    from statsmodels.stats.contingency_tables import StratifiedTable

    usable = [t for t in tables if (t.sum(axis=0) > 0).all() and (t.sum(axis=1) > 0).all()]
    result: dict[str, object] = {
        "strata_used": len(usable),
        "strata_skipped": len(tables) - len(usable),
        "cmh_statistic": None,
        "cmh_p": None,
        "pooled_relative_likelihood": None,
        "pooled_odds_ratio": None,
        "breslow_day_statistic": None,
        "breslow_day_p": None,
        "note": "",
    }
    if not usable:
        result["note"] = NOT_ENOUGH_STRATA.format(need=1)
        return result
    # Degenerate strata (a zero cell) make statsmodels divide by zero; the result is then
    # NaN, reported as not computable rather than as a warning.
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        table = StratifiedTable([t.astype(float) for t in usable])
        cmh = table.test_null_odds(correction=False)
        result.update(
            cmh_statistic=_finite(cmh.statistic),
            cmh_p=_finite(cmh.pvalue),
            pooled_relative_likelihood=_finite(table.riskratio_pooled),
            pooled_odds_ratio=_finite(table.oddsratio_pooled),
        )
        if len(usable) < 2:
            result["note"] = NOT_ENOUGH_STRATA.format(need=2) + " (Breslow–Day not computed)"
            return result
        bd = table.test_equal_odds(adjust=True)
        result.update(breslow_day_statistic=_finite(bd.statistic), breslow_day_p=_finite(bd.pvalue))
    if result["breslow_day_p"] is None:
        result["note"] = NOT_COMPUTABLE_BD
    return result


def _finite(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def stratified_tests(
    funnel: Funnel,
    *,
    references: Mapping[str, str | None],
    hidden: Collection[tuple[str, str, str, str]] | None = None,
    disclosure: DisclosureRule | None = None,
    used: dict[tuple[str, str, str, str], list[tuple[int, int]]] | None = None,
) -> pd.DataFrame:
    """CMH and Breslow–Day for every transition and group against the reference.

    Parameters
    ----------
    funnel
        A funnel read with ``stratify=COL`` (it has a ``stratum`` column).
    references
        Reference group per attribute (as used in the main table).
    hidden
        Published mode: the (attribute, from, to, group) rows the pooled table hides. Then
        every test is computed from per-stratum counts rounded to 5, and withheld when the
        pooled table hides either group or any stratum has a count of 1–7 for either group
        (a pooled test on such counts could give a hidden count back). ``None``: exact.
    disclosure
        Published mode (required with ``hidden``): which counts are small and how a count
        is rounded for print.
    used
        Filled in (when given) with the exact per-stratum (progressed, entered) of both
        groups of every published test, keyed (attribute, from, to, group): what a reader
        could solve back, to within rounding, from the published tests.

    Returns
    -------
    pandas.DataFrame
        Columns ``attribute``, ``from``, ``to``, ``reference``, ``group``, ``strata_used``,
        ``strata_skipped``, ``cmh_statistic``, ``cmh_p``, ``pooled_relative_likelihood``,
        ``pooled_odds_ratio``, ``breslow_day_statistic``, ``breslow_day_p``, ``note``.
    """
    if hidden is not None and disclosure is None:
        raise ValueError(NEEDS_DISCLOSURE)
    counts = stage_slots(with_intersection(funnel.counts), funnel.stages)
    rows = []
    for attribute in STRATIFIED_ATTRIBUTES:
        reference = references.get(attribute)
        if attribute not in counts or reference is None:
            continue
        per_stratum = stratum_tables(counts, attribute, len(funnel.stages))
        names = sorted({g for groups, _ in per_stratum.values() for g in groups})
        for step in transitions(funnel.stages):
            numbers = {}
            for stratum, (groups, cube) in per_stratum.items():
                entered, progressed, _ = transition_numbers(cube, step)
                numbers[stratum] = {
                    g: (int(progressed[i]), int(entered[i])) for i, g in enumerate(groups)
                }
            for group in names:
                if group == reference or is_not_stated(group):
                    continue
                where = (attribute, step.from_stage, step.to_stage)
                row = {
                    "attribute": attribute,
                    "from": step.from_stage,
                    "to": step.to_stage,
                    "reference": reference,
                    "group": group,
                }
                cells = [
                    per_group.get(g, (0, 0))
                    for per_group in numbers.values()
                    for g in (reference, group)
                ]
                withheld = ""
                if hidden is not None:
                    if (*where, group) in hidden or (*where, reference) in hidden:
                        withheld = WITHHELD_HIDDEN
                    elif any(disclosure.is_small(v) for cell in cells for v in cell):
                        withheld = WITHHELD_SMALL_STRATUM.format(
                            stratum=funnel.stratified_by or "stratum"
                        )
                if withheld:
                    result = pooled_test([])
                    result.update(dict.fromkeys(RESULT_FIELDS), note=withheld, strata_skipped=None)
                    rows.append({**row, **result})
                    continue
                shown = int if hidden is None else disclosure.round_count
                if used is not None:
                    for g in (reference, group):
                        used[(*where, g)] = [p.get(g, (0, 0)) for p in numbers.values()]
                tables = []
                for per_group in numbers.values():
                    k_ref, n_ref = (shown(v) for v in per_group.get(reference, (0, 0)))
                    k, n = (shown(v) for v in per_group.get(group, (0, 0)))
                    tables.append(np.array([[k_ref, n_ref - k_ref], [k, n - k]]))
                rows.append({**row, **pooled_test(tables)})
    return pd.DataFrame(rows)
