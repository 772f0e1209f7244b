"""Disclosure control of a workforce audit: every published count protected at once.

Every count the WRES / WDES indicators publish is a sum of the same staff atoms
(:mod:`bias_audit.stats.workforce_cells`), so every identity a reader knows holds between
them by construction: groups sum to each band's total, bands to the clinical and
non-clinical totals, clinical and non-clinical (and staff group not stated) to all staff,
the two years to the rolling two-year count, WRES 4's staff to WRES 3's staff of the same
year, the board's groups to its members. One call of
:func:`bias_audit.report.suppression.protect` labels them all (a count published in two
places — WRES 1 and WDES 1 share each band's total — is one cell, so it has one label).

The exclusion counts of the warnings (values not read, dates not parsed, rows with no start
date) are refinements no table adds up to; they are labelled by the same rule as cells of
their own.

The indicators are then worked out again from the labels only
(:func:`bias_audit.stats.workforce_audit.all_indicators` with the labels as counts): a share
or ratio resting on a hidden count is withheld with the reason; p and the interval allow
for the rounding of the shown counts (:func:`bias_audit.stats.significance.allowing_for_rounding`),
as in the recruitment tables; ratios are shown to 2 decimals and p to 2 significant figures.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from bias_audit.report import suppression as sdc
from bias_audit.stats.significance import ALPHA, allowing_for_rounding, significance_verdict
from bias_audit.stats.workforce_audit import all_indicators
from bias_audit.stats.workforce_cells import StaffCells
from bias_audit.stats.workforce_indicators import RATIO_KINDS, number

RATIO_FIELDS = ("value", "ci_low", "ci_high")
P_FIELDS = ("p_value", "mid_p")


@dataclass(frozen=True)
class WorkforcePublication:
    """Labels for every count by key (``labels``), the reason for each hidden one, and the
    exclusion counts as published."""

    labels: dict[Hashable, sdc.Label]
    reasons: dict[Hashable, str]
    exclusions: dict[str, sdc.Label]
    unprotected: tuple[Hashable, ...]


def protect_workforce(
    cells: StaffCells, *, exclusions: Mapping[str, int] | None = None
) -> WorkforcePublication:
    """Label every count the workforce audit publishes, all protected together."""
    counts = cells.atoms["count"].to_numpy()
    canonical: dict[tuple[int, ...], Hashable] = {}
    alias: dict[Hashable, Hashable] = {}
    published: list[sdc.Cell] = []
    for key, spec in cells.specs.items():
        terms = tuple(sorted(spec.terms))
        if terms in canonical:
            alias[key] = canonical[terms]
            continue
        canonical[terms] = key
        alias[key] = key
        value = int(counts[list(spec.terms)].sum()) if spec.terms else 0
        published.append(sdc.Cell(key, spec.terms, value, spec.cost, spec.name))
    n_atoms = len(counts)
    extra = dict(exclusions or {})
    for i, (name, value) in enumerate(extra.items()):
        published.append(sdc.Cell(("exclusion", name), (n_atoms + i,), int(value), 0, name))
    protection = sdc.protect(published, n_atoms + len(extra), merge_alike=True)
    labels = {key: protection.labels[target] for key, target in alias.items()}
    reasons = {
        key: protection.reasons[target]
        for key, target in alias.items()
        if target in protection.reasons
    }
    shown_exclusions = {name: protection.labels[("exclusion", name)] for name in extra}
    return WorkforcePublication(labels, reasons, shown_exclusions, protection.unprotected)


def published_indicators(cells: StaffCells, publication: WorkforcePublication) -> dict[str, Any]:
    """Every indicator worked out from the published labels only, rounded for print."""

    def count(key: Hashable) -> sdc.Label:
        return publication.labels.get(key, 0)

    results = all_indicators(cells, count=count)
    for kind in RATIO_KINDS:
        result = results[kind.key]
        if result.get("value") is None:
            continue
        ref, foc = result[kind.reference], result[kind.focal]
        top, bottom = (foc, ref) if kind.numerator == kind.focal else (ref, foc)
        counted = kind.counted
        # allowing_for_rounding(k, n, k_ref, n_ref) is oriented as compare(): rate_ref ÷ rate.
        widened = allowing_for_rounding(
            number(bottom[counted]),
            number(bottom["staff"]),
            number(top[counted]),
            number(top["staff"]),
        )
        result.update(widened)
        result["p_allows_for_rounding"] = True
        result["significance"] = significance_verdict(
            result["p_value"], result["ci_low"], result["ci_high"]
        )
    return round_for_print(results)


def round_for_print(results: dict[str, Any]) -> dict[str, Any]:
    """Ratios to 2 decimals, p to 2 significant figures (as the recruitment tables)."""
    for result in results.values():
        for name in RATIO_FIELDS:
            if isinstance(result.get(name), float) and result.get("ratio"):
                result[name] = sdc.publish_ratio(result[name])
        for name in P_FIELDS:
            if result.get(name) is not None:
                result[name] = sdc.publish_p(result[name], alpha=ALPHA)
    return results
