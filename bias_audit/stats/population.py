"""Applicants against the local population: benchmark shares and representation ratios.

Pure functions on counts and shares; the Census tables are read in
:mod:`bias_audit.io.population`.

- :func:`weighted_shares`: a benchmark as a weighted mix of areas' proportions,
  ``Σ_area weight(area) × count(area, g) / total(area)``; with weights proportional to
  each area's population this is the pooled share, with the OHID catchment shares it is the
  catchment-weighted share (the pack README's "typical use").
- :func:`representation`: at one stage, each group's share of the stated people, its
  Wilson interval (statsmodels ``proportion_confint(method="wilson")``; Wilson, *JASA* 22,
  1927) and the representation ratio = stage share / population share, with the interval
  divided by the same population share (the benchmark is treated as fixed: Census counts
  cover millions, an extract hundreds); and a chi-square goodness-of-fit of the stage counts
  against the population shares (``scipy.stats.chisquare``).

A count that is not a whole number (a hidden label such as "≤7" or "*") gives no figure for
that group. The other groups' shares need the stage's total of stated people: it is the sum
of the groups' counts, or, when one is hidden, a total worked out from other published
counts (``stated_total``: the stage's total in another view, less the not-stated and the
groups the Census does not count); without either, the stage has no figures and the reason
says so.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence

import pandas as pd

REASON_HIDDEN_COUNT = "not computable: this group's count at this stage is hidden"
REASON_HIDDEN_TOTAL = (
    "not computable: another group's count at this stage is hidden, so the stage total "
    "cannot be worked out from the published counts"
)
REASON_NO_STATED = "not computable: nobody at this stage stated a group the Census counts"
REASON_NO_POPULATION = "not computable: the population share is zero"
REASON_GOF_FEW = "not computable: fewer than two groups"
REASON_GOF_SMALL_EXPECTED = (
    "approximate: an expected count is below 5, so the chi-square p-value is rough"
)

#: Columns of :func:`representation`'s table.
REPRESENTATION_COLUMNS: tuple[str, ...] = (
    "group",
    "count",
    "share",
    "population_share",
    "representation_ratio",
    "ci_low",
    "ci_high",
    "note",
)


def weighted_shares(counts: pd.DataFrame, weights: pd.Series) -> pd.Series:
    """Benchmark share of each group: the weighted mix of the areas' own proportions.

    Parameters
    ----------
    counts
        One row per area (index: area code), one column per group, counts ≥ 0.
    weights
        Weight per area code (summing to 1); areas missing from ``counts`` raise KeyError.

    Returns
    -------
    pd.Series
        Share per group (columns of ``counts``), summing to 1.

    Examples
    --------
    >>> counts = pd.DataFrame({"A": [10, 30], "B": [90, 10]}, index=["x", "y"])
    >>> weighted_shares(counts, pd.Series({"x": 0.5, "y": 0.5})).round(3).to_dict()
    {'A': 0.425, 'B': 0.575}
    """
    rows = counts.loc[weights.index]
    proportions = rows.div(rows.sum(axis=1), axis=0)
    shares = proportions.mul(weights, axis=0).sum(axis=0)
    return shares / float(weights.sum())


def representation(
    counts: Mapping[str, object],
    population_shares: Mapping[str, float],
    *,
    stated_total: int | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Each group's share at one stage against its population share.

    Parameters
    ----------
    counts
        Stated people per group at the stage (groups the Census counts only); a value that
        is not an ``int`` (a hidden label) makes that group's, and the stage's, figures not
        computable.
    population_shares
        Benchmark share per group, renormalised here over the groups in ``counts``.
    stated_total
        The stage's total of the people in ``counts``, worked out from other published
        counts; used only when a count in ``counts`` is hidden, and only when it is at least
        the sum of the counts shown.
    alpha
        1 − confidence level of the Wilson interval.

    Returns
    -------
    pd.DataFrame
        ``REPRESENTATION_COLUMNS``; ``None`` where not computable, ``note`` says why.

    Examples
    --------
    >>> table = representation({"A": 30, "B": 70}, {"A": 0.5, "B": 0.5})
    >>> table[["group", "share", "representation_ratio"]].values.tolist()
    [['A', 0.3, 0.6], ['B', 0.7, 1.4]]
    >>> hidden = representation({"A": "≤7", "B": 70}, {"A": 0.5, "B": 0.5}, stated_total=75)
    >>> hidden["share"].round(3).tolist(), hidden["note"][0] == REASON_HIDDEN_COUNT
    ([nan, 0.933], True)
    """
    from statsmodels.stats.proportion import proportion_confint

    groups = list(counts)
    base = sum(float(population_shares[g]) for g in groups)
    known = all(_is_count(counts[g]) for g in groups)
    shown = sum(int(counts[g]) for g in groups if _is_count(counts[g]))  # type: ignore[call-overload]
    total = shown if known else stated_total
    if total is not None and total < shown:
        total = None  # the worked-out total is below what is shown: rounding, no figure
    rows = []
    for group in groups:
        count = counts[group]
        pop = float(population_shares[group]) / base if base > 0 else 0.0
        row: dict[str, object] = dict.fromkeys(REPRESENTATION_COLUMNS)
        row.update(group=group, count=count, population_share=pop, note="")
        if not _is_count(count):
            row["note"] = REASON_HIDDEN_COUNT
        elif total is None:
            row["note"] = REASON_HIDDEN_TOTAL
        elif total == 0:
            row["note"] = REASON_NO_STATED
        else:
            share = int(count) / total  # type: ignore[call-overload]
            low, high = proportion_confint(int(count), total, alpha=alpha, method="wilson")  # type: ignore[call-overload]
            row["share"] = share
            if pop > 0:
                row.update(
                    representation_ratio=share / pop,
                    ci_low=float(low) / pop,
                    ci_high=float(high) / pop,
                )
            else:
                row["note"] = REASON_NO_POPULATION
        rows.append(row)
    return pd.DataFrame(rows, columns=list(REPRESENTATION_COLUMNS))


def goodness_of_fit(
    counts: Mapping[str, object], population_shares: Mapping[str, float]
) -> dict[str, object]:
    """Chi-square goodness-of-fit of the stage counts against the population shares.

    Returns ``{"statistic", "df", "p_value", "note"}``; ``None`` values with the reason when
    a count is hidden, fewer than two groups have a population, or nobody is counted.

    Examples
    --------
    >>> result = goodness_of_fit({"A": 30, "B": 70}, {"A": 0.5, "B": 0.5})
    >>> result["statistic"], result["df"]
    (16.0, 1)
    """
    from scipy.stats import chisquare

    empty: dict[str, object] = {"statistic": None, "df": None, "p_value": None, "note": ""}
    groups = [g for g in counts if float(population_shares[g]) > 0]
    if any(not _is_count(counts[g]) for g in counts):
        return {**empty, "note": REASON_HIDDEN_TOTAL}
    if len(groups) < 2:
        return {**empty, "note": REASON_GOF_FEW}
    observed = [int(counts[g]) for g in groups]  # type: ignore[call-overload]
    total = sum(observed)
    if total == 0:
        return {**empty, "note": REASON_NO_STATED}
    base = sum(float(population_shares[g]) for g in groups)
    expected = [total * float(population_shares[g]) / base for g in groups]
    result = chisquare(observed, expected)
    note = REASON_GOF_SMALL_EXPECTED if min(expected) < 5 else ""
    return {
        "statistic": float(result.statistic),
        "df": len(groups) - 1,
        "p_value": float(result.pvalue),
        "note": note,
    }


def declaration_rate(stated: int | object, total: int | object) -> float | None:
    """Share of people at a stage who stated a group the Census counts; ``None`` when
    either count is hidden or the stage is empty.

    >>> declaration_rate(90, 100)
    0.9
    >>> declaration_rate("≤7", 100) is None
    True
    """
    if not (_is_count(stated) and _is_count(total)) or int(total) == 0:  # type: ignore[call-overload]
        return None
    return int(stated) / int(total)  # type: ignore[call-overload]


def _is_count(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def shares_of(counts: Mapping[str, int], groups: Sequence[str]) -> dict[str, float]:
    """Counts to shares over ``groups`` (zero total gives zeros).

    >>> shares_of({"a": 1, "b": 3}, ["a", "b"])
    {'a': 0.25, 'b': 0.75}
    """
    total = sum(counts[g] for g in groups)
    return {g: (counts[g] / total if total else 0.0) for g in groups}
