"""An attacker holding every organisation's table, every year's and the pooled value.

Independent of the engine: the attacker knows only the published JSON and the published
definitions (which applications each count covers), writes every published count as a sum
of unknown non-negative cells of the true joint table (organisation × year × ethnicity ×
disability × outcome) and asks a linear program for the smallest and largest value each
hidden count can take. A "≤7" must still be able to be 1 and 7; a "*" at least two values.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from bias_audit.report import suppression as sdc
from bias_audit.services.region import audit_region

ETHNICITY = {"A": "White", "N": "BME", "Z": None}
DISABILITY = {"No": "Not disabled", "Yes": "Disabled", "": None}
STATUSES = ("Not shortlisted", "Interviewed - unsuccessful", "Offer declined", "Appointed")
SHORTLISTED = {"Interviewed - unsuccessful", "Appointed"}  # national: declined offers out
REACHED_SHORTLIST = {"Interviewed - unsuccessful", "Offer declined", "Appointed"}
# metric -> (group column, reference, focal, entered statuses, selected statuses)
DEFINITIONS = {
    "wres_indicator_2": ("eth", "White", "BME", SHORTLISTED, {"Appointed"}),
    "wdes_metric_2": ("dis", "Not disabled", "Disabled", SHORTLISTED, {"Appointed"}),
    "shortlisting_ethnicity": ("eth", "White", "BME", set(STATUSES), REACHED_SHORTLIST),
}
Cell = tuple[str, str, str, str, str]  # organisation, year, ethnicity code, disability, status


def _csv(rows: list[tuple[str, ...]], header: str) -> bytes:
    return (header + "\n" + "\n".join(",".join(r) for r in rows) + "\n").encode()


def _extracts(table: Mapping[Cell, int], *, one_file: bool) -> tuple[list[bytes], list[str]]:
    if one_file:
        rows = [c for c, n in table.items() for _ in range(n)]
        return [_csv(rows, "Trust,Year,Ethnicity,Disability,Outcome")], ["region.csv"]
    files, names = [], []
    for org in sorted({c[0] for c in table}):
        rows = [c[1:] for c, n in table.items() if c[0] == org for _ in range(n)]
        files.append(_csv(rows, "Year,Ethnicity,Disability,Outcome"))
        names.append(f"{org}.csv")
    return files, names


def _published(audit_json: dict[str, Any]) -> list[tuple[str, str, str, str, Any]]:
    """(metric, kind, unit, column, label) for every count the JSON publishes."""
    found = []
    for metric in audit_json["metrics"]:
        for row in metric["rows"]:
            for column in (
                "reference_entered",
                "reference_selected",
                "focal_entered",
                "focal_selected",
            ):
                found.append((metric["metric"], row["kind"], row["unit"], column, row[column]))
    return found


def _covers(cell: Cell, metric: str, kind: str, unit: str, column: str) -> bool:
    org, year, eth, dis, status = cell
    view, reference, focal, entered, selected = DEFINITIONS[metric]
    group = ETHNICITY[eth] if view == "eth" else DISABILITY[dis]
    wanted = reference if column.startswith("reference") else focal
    statuses = entered if column.endswith("entered") else selected
    if group != wanted or status not in statuses:
        return False
    if kind == "organisation":
        return org == unit
    if kind == "year":
        return year == unit
    return True


def _bounds(label: Any) -> tuple[float, float]:
    if label == sdc.SMALL_LABEL:
        return 1, 7
    if label == sdc.SECONDARY_LABEL:
        return 0, math.inf
    value = int(label)
    return (0, 0) if value == 0 else (max(value - 2, 8), value + 2)


def attack(table: Mapping[Cell, int], published: list[tuple[str, str, str, str, Any]]) -> dict:
    """For every hidden count: (smallest, largest) value consistent with everything shown."""
    cells = list(table)
    rows = [
        np.array([1.0 if _covers(c, m, k, u, col) else 0.0 for c in cells])
        for m, k, u, col, _ in published
    ]
    a_ub, b_ub = [], []
    for row, (*_, label) in zip(rows, published, strict=True):
        low, high = _bounds(label)
        a_ub.append(-row)
        b_ub.append(-low)
        if math.isfinite(high):
            a_ub.append(row)
            b_ub.append(high)
    ranges = {}
    for row, (m, k, u, col, label) in zip(rows, published, strict=True):
        if not sdc.is_hidden(label):
            continue
        low = linprog(row, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        high = linprog(-row, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
        assert low.status == 0
        top = math.inf if high.status == 3 else -high.fun
        ranges[(m, k, u, col, label)] = (low.fun, top)
    return ranges


def _leaks(ranges: Mapping[tuple, tuple[float, float]]) -> list[tuple]:
    bad = []
    for key, (low, high) in ranges.items():
        label = key[-1]
        if label == sdc.SMALL_LABEL and (low > 1 + 1e-6 or high < 7 - 1e-6):
            bad.append((key, low, high))
        if label == sdc.SECONDARY_LABEL and high - low < 1 - 1e-6:
            bad.append((key, low, high))
    return bad


def _table(bme_appointed: Mapping[str, int]) -> dict[Cell, int]:
    table: dict[Cell, int] = {}
    for org, k in bme_appointed.items():
        table[(org, "2023", "A", "No", "Not shortlisted")] = 200
        table[(org, "2023", "A", "No", "Interviewed - unsuccessful")] = 100
        table[(org, "2023", "A", "No", "Appointed")] = 50
        table[(org, "2023", "N", "No", "Not shortlisted")] = 60
        table[(org, "2023", "N", "No", "Interviewed - unsuccessful")] = 30
        table[(org, "2023", "N", "No", "Appointed")] = k
    return table


def test_naive_labels_leak_and_the_protection_stops_it() -> None:
    # BME appointed 6 and 7: both "≤7"; pooled 13 shows as 15 (13 to 17), so a reader with
    # naive labels knows each is at least 6. The one protection hides a partner.
    table = _table({"North": 6, "South": 7})
    files, names = _extracts(table, one_file=False)
    exact = audit_region(files, names=names, suppression=False).to_dict()
    naive = [(m, k, u, col, sdc.count_label(int(v))) for m, k, u, col, v in _published(exact)]
    assert _leaks(attack(table, naive)), "the attacker should narrow a naive ≤7"
    protected = _published(audit_region(files, names=names).to_dict())
    ranges = attack(table, protected)
    assert ranges, "something must be hidden"
    assert _leaks(ranges) == []


@st.composite
def regions(draw: st.DrawFn) -> dict[Cell, int]:
    orgs = ("East", "North", "West")[: draw(st.integers(2, 3))]
    years = ("2022", "2023")
    table = {}
    for org, year in itertools.product(orgs, years):
        for eth, dis, status in itertools.product(("A", "N", "Z"), ("No", "Yes"), STATUSES):
            big = eth == "A" and dis == "No"
            n = draw(st.integers(10, 40) if big else st.integers(0, 9))
            if n:
                table[(org, year, eth, dis, status)] = n
    return table


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions(), st.booleans())
def test_attacker_recovers_nothing_hidden(table: dict[Cell, int], one_file: bool) -> None:
    files, names = _extracts(table, one_file=one_file)
    audit = audit_region(files, names=names, year_column="Year")
    assert audit.unprotected == ()
    published = _published(audit.to_dict())
    assert _leaks(attack(table, published)) == []


def test_every_plotted_point_comes_from_published_counts() -> None:
    table = _table({"North": 30, "South": 41, "West": 12})
    files, names = _extracts(table, one_file=False)
    data = audit_region(files, names=names).to_dict()
    wres = next(m for m in data["metrics"] if m["metric"] == "wres_indicator_2")
    for row in wres["rows"]:
        if row["ratio"] is None:
            continue
        shown = (row["reference_selected"] / row["reference_entered"]) / (
            row["focal_selected"] / row["focal_entered"]
        )
        assert row["ratio"] == round(shown, 2)
    pooled = next(r for r in wres["rows"] if r["kind"] == "pooled")
    assert all(
        isinstance(pooled[c], int) and pooled[c] % 5 == 0
        for c in ("reference_entered", "reference_selected", "focal_entered", "focal_selected")
    )
