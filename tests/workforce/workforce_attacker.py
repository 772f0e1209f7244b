"""An attacker who holds every table a workforce audit publishes and tries to pin hidden counts.

Written independently of the engine (no import from ``bias_audit.report.workforce_publish``
or the staff atoms). It reads the published JSON (``WorkforceAudit.to_dict()``) only, names
one unknown per published quantity (a quantity published twice — each band's total in WRES 1
and WDES 1, a year's staff in WRES 3 and WRES 4, the workforce behind WRES 9 — is one
unknown), and writes every identity a reader knows:

- each band's groups sum to its total; the bands of a staff part sum to its "All bands"
  row; clinical, non-clinical and not-stated parts sum to the whole workforce;
- each rolling two-year count is the sum of its two years; WRES 3 and WDES 3 count the
  same staff-years, WRES 4 the same current-year staff as WRES 3;
- the board's groups sum to its members; voting and non-voting members make all members,
  as do executive and non-executive members (each group too).

Each shown count c stands for c ± 2 (never below 8), "≤7" for 1–7, "*" for anything.
Linear programming then gives the smallest and largest value of each hidden count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

SMALL, PARTNER = "≤7", "*"
BIG = 10**6
PROFILE_GROUPS = {
    "wres_indicator_1": ("White", "BME", "Not stated"),
    "wdes_metric_1": ("Disabled", "Not disabled", "Not stated"),
}
RATIOS = {
    "wres_indicator_3": ("ethnicity", ("White", "BME"), "entered"),
    "wres_indicator_4": ("ethnicity", ("White", "BME"), "accessed"),
    "wdes_metric_3": ("disability", ("Not disabled", "Disabled"), "entered"),
}
BOARDS = {
    "wres_indicator_9": ("ethnicity", ("White", "BME", "Not stated")),
    "wdes_metric_10": ("disability", ("Disabled", "Not disabled", "Not stated")),
}


def domain(label: Any) -> tuple[float, float]:
    if label == SMALL:
        return 1, 7
    if label == PARTNER or label is None:
        return 0, BIG
    value = int(label)
    return (0, 0) if value == 0 else (max(value - 2, 8), value + 2)


class Reading:
    """The unknowns (name -> label) and the identities between them."""

    def __init__(self) -> None:
        self.labels: dict[tuple, Any] = {}
        self.equalities: list[dict[tuple, float]] = []
        self.at_most: list[dict[tuple, float]] = []  # sum(coef * x) <= 0

    def see(self, name: tuple, label: Any) -> tuple:
        if name in self.labels and self.labels[name] != label:
            raise AssertionError(f"{name} published as {self.labels[name]} and {label}")
        self.labels[name] = label
        return name

    def equal(self, total: tuple, parts: list[tuple]) -> None:
        terms: dict[tuple, float] = defaultdict(float)
        terms[total] -= 1
        for part in parts:
            terms[part] += 1
        self.equalities.append(dict(terms))


def read(doc: Mapping[str, Any]) -> Reading:
    reading = Reading()
    for key, groups in PROFILE_GROUPS.items():
        result = doc.get(key) or {}
        if not result.get("bands"):
            continue
        by_part: dict[str, list[dict]] = defaultdict(list)
        for row in result["bands"]:
            by_part[row["clinical"]].append(row)
        for part, rows in by_part.items():
            for row in rows:
                total = reading.see(("total", part, row["band"]), row["total"])
                names = [reading.see((key, part, row["band"], g), row[g]) for g in groups]
                reading.equal(total, names)
            whole = next(r for r in rows if r["band"] == "All bands")
            for g in (*groups, "total"):
                name = ("total", part, "All bands") if g == "total" else (key, part, "All bands", g)
                reading.equal(
                    name,
                    [
                        ("total", part, r["band"]) if g == "total" else (key, part, r["band"], g)
                        for r in rows
                        if r is not whole
                    ],
                )
        workforce = result["workforce"]
        for g in (*groups, "total"):
            name = ("workforce", "total") if g == "total" else ("workforce", key, g)
            reading.see(name, workforce[g])
            reading.equal(
                name,
                [
                    ("total", p, "All bands") if g == "total" else (key, p, "All bands", g)
                    for p in by_part
                ],
            )
    pooled_totals = {}
    for key, (attribute, groups, counted) in RATIOS.items():
        result = doc.get(key) or {}
        if result.get("focal") is None:
            continue
        years = result.get("years") or []
        by_year = result.get("by_year") or {years[-1]: {g: result[g] for g in groups}}
        for year, numbers in by_year.items():
            for g in groups:
                reading.see(("staff", attribute, year, g), numbers[g]["staff"])
                reading.see((key, year, g, counted), numbers[g][counted])
        if len(by_year) == 2:
            for g in groups:
                staff = reading.see(("staff", attribute, "pooled", g), result[g]["staff"])
                hits = reading.see((key, "pooled", g, counted), result[g][counted])
                reading.equal(staff, [("staff", attribute, y, g) for y in by_year])
                reading.equal(hits, [(key, y, g, counted) for y in by_year])
            ns = reading.see(
                ("staff", attribute, "pooled", "Not stated"), result["not_stated_excluded"]
            )
            pooled_totals[attribute] = [("staff", attribute, "pooled", g) for g in groups] + [ns]
    if len(pooled_totals) == 2:
        first, second = pooled_totals.values()
        terms: dict[tuple, float] = defaultdict(float)
        for name in first:
            terms[name] += 1
        for name in second:
            terms[name] -= 1
        reading.equalities.append(dict(terms))
    for key, (_, groups) in BOARDS.items():
        result = doc.get(key) or {}
        parts = result.get("parts")
        if not parts:
            continue
        for part, counts in parts.items():
            members = reading.see(("board", part), counts["members"])
            reading.equal(members, [reading.see((key, part, g), counts[g]) for g in groups])
        for whole, halves in (
            ("all", ("voting", "non_voting")),
            ("all", ("executive", "non_executive")),
        ):
            for g in (*groups, None):
                total = ("board", whole) if g is None else (key, whole, g)
                reading.equal(total, [("board", h) if g is None else (key, h, g) for h in halves])
    for name, label in (doc.get("exclusions") or {}).items():
        reading.see(("exclusion", name), label)
    return reading


def recover(
    reading: Reading, *, only: set[tuple] | None = None
) -> dict[tuple, tuple[float, float]]:
    """For every hidden unknown ("≤7" or "*"; or those in ``only``), the least and greatest
    value still possible."""
    names = list(reading.labels)
    index = {n: i for i, n in enumerate(names)}
    bounds = [domain(reading.labels[n]) for n in names]

    def matrix(rows):
        out = sparse.lil_matrix((len(rows), len(names)))
        for r, terms in enumerate(rows):
            for name, coef in terms.items():
                out[r, index[name]] += coef
        return out.tocsr()

    a_eq = matrix(reading.equalities) if reading.equalities else None
    b_eq = np.zeros(len(reading.equalities)) if reading.equalities else None
    a_ub = matrix(reading.at_most) if reading.at_most else None
    b_ub = np.zeros(len(reading.at_most)) if reading.at_most else None
    found = {}
    for name in names:
        if reading.labels[name] not in (SMALL, PARTNER) or (only is not None and name not in only):
            continue
        extremes = []
        for sign in (1, -1):
            c = np.zeros(len(names))
            c[index[name]] = sign
            result = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds)
            assert result.status == 0, (name, result.message)
            extremes.append(sign * result.fun)
        found[name] = (extremes[0], extremes[1])
    return found
