"""An attacker who reads everything an audit publishes and tries to recover hidden counts.

Written independently of the engine (no import from ``bias_audit.report.publication`` or
the engine's linear programming). The attacker has the published JSON (``to_dict``) and the
funnel chart's stage counts, and knows the published method. Two steps:

1. **Row by row** — for every shown row, enumerate the integer (entered, progressed) pairs
   and comparison-group pairs consistent with its shown counts (each ±2), and keep the ones
   that reproduce every published statistic of the row (rate, ratio, impact ratio, interval,
   z, p, mid-P, shortfall) at its published precision, under either reading: statistics
   worked out from the exact counts, or from the shown ones. A leak shows up as a row
   whose pairs narrow below its shown range.
2. **Differencing** — interval constraint propagation over every identity between the
   numbers: progressed at one step is "reached" at the next stage; entered is reached minus
   withdrawals (never negative); the shortlisted → appointed step loses the withdrawals of
   the steps it spans; every view sums to the same total; detailed groups sum to five
   groups, five groups to White / BME, and ethnicity × gender to both of its margins
   (read from the group names, as a reader would); the warnings' total.

``recover`` returns, for every hidden count, the values still possible.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from bias_audit.stats import significance

SMALL, PARTNER = "≤7", "*"
BIG = 10**7
TIMES = " × "


def domain(label: Any) -> tuple[int, int]:
    if label == SMALL:
        return 1, 7
    if label == PARTNER:  # any count, 0 and 1–7 included
        return 0, BIG
    if label is None:
        return 0, BIG
    value = int(label)
    return (0, 0) if value == 0 else (max(value - 2, 8), value + 2)


def _close(shown: float | None, value: float | None, *, p: bool = False) -> bool:
    if shown is None or value is None:
        return shown is None and value is None
    if not (math.isfinite(value) and math.isfinite(shown)):
        return shown == value
    if p:
        if shown <= 0:
            return value <= 0
        digits = 2 - 1 - math.floor(math.log10(shown))
        return abs(value - shown) <= 10**-digits  # 2 s.f., floored near 0.05
    return abs(round(value, 2) - shown) < 1e-9


def _row_matches(
    row: Mapping[str, Any], k: int, n: int, k_ref: int, n_ref: int, *, method: bool = False
) -> bool:
    """Do these counts reproduce every published statistic of the row? ``method``: read
    the statistics as the published method makes them (p and interval allowing for the
    rounding of the shown counts); otherwise as plain statistics of exact counts."""
    if n == 0 or n_ref == 0:
        return row.get("relative_likelihood") is None
    if row.get("rate") is not None and abs(row["rate"] - k / n) > 1e-12:
        return False
    # Cheap statistics first: most candidates fail on the ratio alone.
    ratio = None if k == 0 or k_ref == 0 else (k_ref / n_ref) / (k / n)
    if not _close(row.get("relative_likelihood"), ratio):
        return False
    interval = significance.katz_interval(k, n, k_ref, n_ref)
    low, high = interval if interval is not None else (None, None)
    allowed = significance.allowing_for_rounding(k, n, k_ref, n_ref) if method else {}
    if method and interval is not None:
        low, high = allowed["ci_low"], allowed["ci_high"]
    if not (_close(row.get("ci_low"), low) and _close(row.get("ci_high"), high)):
        return False
    if not _close(row.get("z"), significance.pooled_z(k, n, k_ref, n_ref)):
        return False
    shortfall = row.get("shortfall")
    if shortfall is not None and shortfall != significance.shortfall(k, n, k_ref, n_ref):
        return False
    p, mid = significance.fisher_p(k, n, k_ref, n_ref)
    if method:
        p, mid = allowed["p_value"], allowed["mid_p"]
    return _close(row.get("p_value"), p, p=True) and _close(row.get("mid_p"), mid, p=True)


def row_pairs(row: Mapping[str, Any], ref: Mapping[str, Any]) -> set[tuple[int, int]]:
    """(entered, progressed) pairs of a shown row consistent with all its statistics."""
    n_lo, n_hi = domain(row["entered"])
    k_lo, k_hi = domain(row["progressed"])
    box = {(n, k) for n in range(n_lo, n_hi + 1) for k in range(k_lo, min(k_hi, n) + 1)}
    if row.get("relative_likelihood") is None or row["group"] == ref["group"]:
        return box
    shown = (int(row["progressed"]), int(row["entered"]))
    shown_ref = (int(ref["progressed"]), int(ref["entered"]))
    if _row_matches(row, *shown, *shown_ref, method=True):
        return box  # statistics of the shown counts: they say nothing more than the counts
    rn_lo, rn_hi = domain(ref["entered"])
    rk_lo, rk_hi = domain(ref["progressed"])
    found = set()
    for (n, k), n_ref, k_ref in itertools.product(
        box, range(rn_lo, rn_hi + 1), range(rk_lo, rk_hi + 1)
    ):
        if k_ref <= n_ref and _row_matches(row, k, n, k_ref, n_ref):
            found.add((n, k))
    return found


def _parent_group(name: str, parents: Iterable[str]) -> str | None:
    """The group of a coarser view that a finer group's name says it belongs to."""
    parents = list(parents)
    first = name.split(" ")[0].split("-")[0]
    for parent in parents:
        if parent == name or parent.split(" ")[0] == first:
            return parent
    if "BME" in parents and first not in ("White", "Not"):
        return "BME"
    return None


class Attacker:
    """Interval propagation over the published numbers (see the module docstring)."""

    def __init__(self) -> None:
        self.low: dict[tuple, int] = {}
        self.high: dict[tuple, int] = {}
        self.sums: list[tuple[list[tuple], list[tuple]]] = []  # sum(left) == sum(right)
        self.less: list[tuple[tuple, tuple]] = []  # a <= b

    def var(self, key: tuple, lo: int = 0, hi: int = BIG) -> tuple:
        self.low[key] = max(self.low.get(key, 0), lo)
        self.high[key] = min(self.high.get(key, BIG), hi)
        return key

    def propagate(self, sweeps: int = 60) -> None:
        for _ in range(sweeps):
            changed = False
            for a, b in self.less:
                if self.high[a] > self.high[b]:
                    self.high[a] = self.high[b]
                    changed = True
                if self.low[b] < self.low[a]:
                    self.low[b] = self.low[a]
                    changed = True
            for left, right in self.sums:
                terms = [(v, 1) for v in left] + [(v, -1) for v in right]
                lo_sum = sum(self.low[v] if s > 0 else -self.high[v] for v, s in terms)
                hi_sum = sum(self.high[v] if s > 0 else -self.low[v] for v, s in terms)
                for v, s in terms:
                    own_lo = self.low[v] if s > 0 else -self.high[v]
                    own_hi = self.high[v] if s > 0 else -self.low[v]
                    # s*v = -(rest), rest in [lo_sum - own_lo, hi_sum - own_hi]
                    new_lo, new_hi = -(hi_sum - own_hi), -(lo_sum - own_lo)
                    if s < 0:
                        new_lo, new_hi = -new_hi, -new_lo
                    if new_lo > self.low[v]:
                        self.low[v] = min(new_lo, BIG)
                        changed = True
                    if new_hi < self.high[v]:
                        self.high[v] = max(new_hi, 0)
                        changed = True
            if not changed:
                return


def recover(
    published: Mapping[str, Any],
    stage_counts: Iterable[Mapping[str, Any]],
    *,
    exact_integers: bool = False,
):
    """Every hidden count and the values the attacker cannot rule out (``exact_integers``:
    then also by mixed-integer programming over the whole model, see
    :func:`integer_ranges`).

    Returns
    -------
    list of (where, label, low, high, true_key)
        ``true_key`` is ``(view, group, kind, index)`` to look the exact value up.
    """
    attacker = Attacker()
    stages = list(published["stages"])
    last = len(stages) - 1
    hidden: list[tuple[tuple, str]] = []
    groups: dict[str, set[str]] = defaultdict(set)

    def reached(view: str, group: str, i: int) -> tuple:
        return attacker.var((view, group, "R", i))

    for row in stage_counts:
        view, group, i, label = (
            row["attribute"],
            row["group"],
            int(row["stage_index"]),
            row["reached"],
        )
        groups[view].add(group)
        key = attacker.var((view, group, "R", i), *domain(label))
        if label in (SMALL, PARTNER):
            hidden.append((key, label))
    steps: list[tuple[int, int]] = []
    for block in published["transitions"]:
        step = (stages.index(block["from"]), stages.index(block["to"]))
        if step not in steps:
            steps.append(step)
        t = steps.index(step)
        view = block["attribute"]
        rows = {r["group"]: r for r in block["groups"]}
        ref = rows.get(block["reference"])
        for group, row in rows.items():
            groups[view].add(group)
            entered = attacker.var((view, group, "E", t), *domain(row["entered"]))
            progressed = reached(view, group, step[1])
            lo, hi = domain(row["progressed"])
            attacker.var(progressed, lo, hi)
            if ref is not None and not any(
                v in (SMALL, PARTNER) for v in (row["entered"], row["progressed"])
            ):
                pairs = row_pairs(row, ref)
                assert pairs, f"no counts reproduce the published row {row}"
                attacker.var(entered, min(n for n, _ in pairs), max(n for n, _ in pairs))
                attacker.var(progressed, min(k for _, k in pairs), max(k for _, k in pairs))
            for label, key in ((row["entered"], entered), (row["progressed"], progressed)):
                if label in (SMALL, PARTNER):
                    hidden.append((key, label))
            attacker.less.append((progressed, entered))
            attacker.less.append((entered, reached(view, group, step[0])))
    # The shortlisted → last step loses the withdrawals of every adjacent step it spans.
    for view, names in groups.items():
        for group in names:
            for i in range(last):
                attacker.less.append((reached(view, group, i + 1), reached(view, group, i)))
            for t, (start, end) in enumerate(steps):
                if end - start > 1:
                    spans = [steps.index((i, i + 1)) for i in range(start, end)]
                    # E_long = R_start - sum(R_i - E_i)  <=>  E_long + sum R_i = R_start + sum E_i
                    left = [(view, group, "E", t)] + [
                        reached(view, group, i) for i in range(start, end)
                    ]
                    right = [reached(view, group, start)] + [(view, group, "E", s) for s in spans]
                    for key in left + right:
                        attacker.var(key)
                    attacker.sums.append((left, right))
    # Views: same totals, nesting read from names, and the warnings' total.
    kinds = [("R", i) for i in range(len(stages))] + [("E", t) for t in range(len(steps))]
    for kind, index in kinds:
        total = attacker.var(("all", "all", kind, index))
        for view, names in groups.items():
            parts = [attacker.var((view, g, kind, index)) for g in names]
            attacker.sums.append((parts, [total]))
    views = dict(groups)
    nest = [
        ("ethnicity", "ethnicity_group"),
        ("ethnicity_group", "ethnicity_wres"),
        ("ethnicity", "ethnicity_wres"),
    ]
    for fine, coarse in nest:
        if fine in views and coarse in views:
            for parent in views[coarse]:
                kids = [g for g in views[fine] if _parent_group(g, views[coarse]) == parent]
                for kind, index in kinds:
                    attacker.sums.append(
                        (
                            [(fine, g, kind, index) for g in kids],
                            [attacker.var((coarse, parent, kind, index))],
                        )
                    )
    cross = "ethnicity_wres_x_gender"
    if cross in views:
        for margin, side in (("ethnicity_wres", 0), ("gender", 1)):
            if margin not in views:
                continue
            for parent in views[margin]:
                kids = [g for g in views[cross] if g.split(TIMES)[side] == parent]
                for kind, index in kinds:
                    attacker.sums.append(
                        (
                            [(cross, g, kind, index) for g in kids],
                            [attacker.var((margin, parent, kind, index))],
                        )
                    )
    for warning in published["warnings"]:
        words = warning.split(" ")
        if len(words) > 3 and words[1] == "of" and words[2].isdigit():
            attacker.var(("all", "all", "R", 0), *domain(int(words[2])))
    attacker.propagate()
    hidden_labels = dict(hidden)
    if exact_integers:
        tight = integer_ranges(attacker, [k for k, v in hidden_labels.items() if v == SMALL])
        for key, (low, high) in tight.items():
            attacker.low[key], attacker.high[key] = low, high
    return [
        (key, label, attacker.low[key], attacker.high[key]) for key, label in hidden_labels.items()
    ]


def integer_ranges(attacker: Attacker, keys: Iterable[tuple]) -> dict[tuple, tuple[int, int]]:
    """Exact integer smallest and largest value of each key over the attacker's whole model
    (every identity at once, integer counts) by mixed-integer programming — stronger than
    propagation, which looks at one identity at a time."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    names = sorted(attacker.low, key=repr)
    column = {name: i for i, name in enumerate(names)}
    rows, low, high = [], [], []
    for a, b in attacker.less:
        row = np.zeros(len(names))
        row[column[a]], row[column[b]] = 1, -1
        rows.append(row)
        low.append(-np.inf)
        high.append(0)
    for left, right in attacker.sums:
        row = np.zeros(len(names))
        for v in left:
            row[column[v]] += 1
        for v in right:
            row[column[v]] -= 1
        rows.append(row)
        low.append(0)
        high.append(0)
    constraints = LinearConstraint(np.array(rows), low, high)
    bounds = Bounds([attacker.low[n] for n in names], [min(attacker.high[n], BIG) for n in names])
    integrality = np.ones(len(names))
    found = {}
    for key in keys:
        ends = []
        for sign in (1, -1):
            cost = np.zeros(len(names))
            cost[column[key]] = sign
            result = milp(cost, constraints=constraints, bounds=bounds, integrality=integrality)
            ends.append(round(sign * result.fun))
        found[key] = (ends[0], ends[1])
    return found
