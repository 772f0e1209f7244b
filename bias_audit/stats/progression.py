"""Progression of support staff: who moved up a band, or into a registered post, in a period.

Each person in post at both ends of the period has a band at its start (``BAND_EARLIER``:
a band-history column or an earlier extract) and a band and staff group now. A *move* is a
2×2 question asked of everyone who could have made it:

- *Band 2 → Band 3 or above*, *Band 3 → Band 4 or above*: of the people in that band at the
  start, how many are in a higher Agenda for Change band now;
- *into a nursing associate post*: of the people in Bands 1–3 at the start, how many are in
  a Band 4 post in a registered staff group now (nursing associates are registered with the
  NMC and paid on Band 4 — NHS Health Careers, "Nursing associate");
- *into a registered post*: of the people in Bands 1–4 at the start, how many are in a
  registered staff group at Band 5 or above now (registered practitioner posts start at
  Band 5 — NHS Employers, national job profiles).

The people asked are the staff groups chosen (default: healthcare support staff in
"Additional Clinical Services" and those who moved into "Nursing and Midwifery Registered"),
read from the earlier staff group when the extract has one (``STAFF_GROUP_EARLIER``), else
from the staff group now. Rates and relative likelihoods per group of each view use the
same statistics as the recruitment funnel (:func:`bias_audit.stats.comparisons.row_statistics`:
reference rate ÷ group rate, Katz interval, Fisher's exact p, mid-P, the one-person check).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.stats import disparity, schema
from bias_audit.stats import workforce_schema as ws
from bias_audit.stats.comparisons import row_statistics
from bias_audit.stats.rates import is_not_stated
from bias_audit.stats.retention import (
    DEFAULT_STAFF_GROUPS,
    RETENTION_VIEWS,
    in_staff_groups,
    text_codes,
)

# Not in the shared schema: an extract with two snapshots may give the staff group at the
# start of the period too; when present it decides who was in a support role then.
STAFF_GROUP_EARLIER = "staff_group_earlier"
REGISTERED_GROUPS: tuple[str, ...] = ("Nursing and Midwifery Registered",)
BAND_RANK: dict[str, int] = {
    **{f"Band {n}": n for n in range(1, 8)},
    "Band 8a": 8,
    "Band 8b": 9,
    "Band 8c": 10,
    "Band 8d": 11,
    "Band 9": 12,
    "VSM": 13,
}

NO_EARLIER_BAND = (
    "{source}: progression needs each person's band at the start of the period (a band "
    "history column, or a second extract from the start date); the extract has none. Map "
    'one with --column band_earlier="Your column"'
)
NOBODY_TO_FOLLOW = (
    "nobody in {groups} had a band at the start of the period and is still in post, so "
    "there is no progression to measure"
)
EXCLUDED_NO_EARLIER = "no band at the start of the period (joined later, or not recorded)"
EXCLUDED_LEFT = "left before the end of the period"
EXCLUDED_BAND_NOT_AFC = "band at the start or now is not an Agenda for Change band"


@dataclass(frozen=True)
class Move:
    """One progression question: who could make it (``eligible``) and who did (``made``),
    both functions of (earlier rank, rank now, in a registered staff group now)."""

    name: str
    eligible: Callable[[np.ndarray], np.ndarray]
    made: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    phrase: str  # "… times as likely to <phrase>"


MOVES: tuple[Move, ...] = (
    Move(
        "Band 2 → Band 3 or above", lambda e: e == 2, lambda e, n, r: n > e, "move up from Band 2"
    ),
    Move(
        "Band 3 → Band 4 or above", lambda e: e == 3, lambda e, n, r: n > e, "move up from Band 3"
    ),
    Move(
        "Into a nursing associate post (Band 4, registered)",
        lambda e: e <= 3,
        lambda e, n, r: r & (n == 4),
        "move into a nursing associate post",
    ),
    Move(
        "Into a registered post (Band 5 or above)",
        lambda e: e <= 4,
        lambda e, n, r: r & (n >= 5),
        "move into a registered post",
    ),
)


@dataclass(frozen=True)
class Progression:
    """Counts per move, view and group (``table``: ``move``, ``attribute``, ``group``,
    ``reference``, ``entered``, ``progressed``, ``rate``), the people followed and those
    left out by reason."""

    table: pd.DataFrame
    people: int
    excluded: dict[str, int] = field(default_factory=dict)
    period_end: dt.date | None = None
    followed: pd.DataFrame | None = None  # the people followed (see :func:`followed`)
    moves: tuple[Move, ...] = MOVES

    def flags(self) -> pd.DataFrame:
        """Per person followed, whether each move was open to them and whether they made it
        (columns ``eligible <i>`` and ``made <i>``, i the move's position)."""
        people = self.followed if self.followed is not None else pd.DataFrame()
        e, n, r = (people[c].to_numpy() for c in ("rank_earlier", "rank_now", "registered"))
        out = {}
        for i, move in enumerate(self.moves):
            eligible = move.eligible(e)
            out[f"eligible {i}"] = eligible
            out[f"made {i}"] = eligible & move.made(e, n, r)
        return pd.DataFrame(out, index=people.index)


def followed(
    staff: pd.DataFrame,
    *,
    period_end: dt.date | None = None,
    staff_groups: Sequence[str] | None = DEFAULT_STAFF_GROUPS,
    registered_groups: Sequence[str] = REGISTERED_GROUPS,
    source: str = "the extract",
) -> tuple[pd.DataFrame, dict[str, int]]:
    """The people followed (indexed as the staff frame; columns: the views,
    ``rank_earlier``, ``rank_now``, ``registered``) and the numbers left out, by reason."""
    if ws.BAND_EARLIER not in staff:
        raise InputDataError(NO_EARLIER_BAND.format(source=source))
    group_now = staff[ws.STAFF_GROUP] if ws.STAFF_GROUP in staff else pd.Series("", staff.index)
    registered = in_staff_groups(group_now, registered_groups)
    if staff_groups is None:
        scope = pd.Series(True, index=staff.index)
    elif STAFF_GROUP_EARLIER in staff:
        scope = in_staff_groups(staff[STAFF_GROUP_EARLIER], staff_groups)
    else:
        scope = in_staff_groups(group_now, staff_groups) | registered
    chosen = staff[scope]
    earlier = chosen[ws.BAND_EARLIER].map(BAND_RANK)
    now = chosen[ws.BAND].map(BAND_RANK) if ws.BAND in chosen else pd.Series(np.nan, chosen.index)
    # Decided once per distinct value (not a string per person).
    codes, distinct = pd.factorize(chosen[ws.BAND_EARLIER], use_na_sentinel=True)
    blank = np.array(
        [str(v).strip() in ("", "Other / not stated", schema.NOT_STATED) for v in distinct]
        + [True],  # code -1: missing
        dtype=bool,
    )
    no_earlier = pd.Series(blank[codes], index=chosen.index)
    left = pd.Series(False, index=chosen.index)
    if ws.LEAVING_DATE in chosen:
        leaving = pd.to_datetime(chosen[ws.LEAVING_DATE])
        left = leaving.notna() if period_end is None else leaving <= pd.Timestamp(period_end)
    not_afc = ~no_earlier & (earlier.isna() | now.isna())
    keep = ~no_earlier & ~left & ~not_afc
    excluded = {
        EXCLUDED_NO_EARLIER: int(no_earlier.sum()),
        EXCLUDED_LEFT: int((~no_earlier & left).sum()),
        EXCLUDED_BAND_NOT_AFC: int((not_afc & ~left).sum()),
    }
    people = chosen.loc[keep, [v for v in RETENTION_VIEWS if v in chosen]].copy()
    people["rank_earlier"] = earlier[keep].astype(int)
    people["rank_now"] = now[keep].astype(int)
    people["registered"] = registered[scope][keep].to_numpy(dtype=bool)
    return people, {k: v for k, v in excluded.items() if v}


def progression(
    staff: pd.DataFrame,
    *,
    period_end: dt.date | None = None,
    staff_groups: Sequence[str] | None = DEFAULT_STAFF_GROUPS,
    registered_groups: Sequence[str] = REGISTERED_GROUPS,
    moves: Sequence[Move] = MOVES,
    source: str = "the extract",
) -> Progression:
    """Counts of every move by view and group (exact; see the module docstring).

    Examples
    --------
    >>> staff = pd.DataFrame({"ethnicity_wres": ["White"] * 4 + ["BME"] * 4,
    ...     "band_earlier": ["Band 2"] * 8, "band": ["Band 3"] * 3 + ["Band 2"] + ["Band 3"]
    ...     + ["Band 2"] * 3, "staff_group": "Additional Clinical Services"})
    >>> t = progression(staff).table
    >>> t.loc[t["move"].str.startswith("Band 2"), ["group", "entered", "progressed"]
    ...       ].values.tolist()
    [['White', 4, 3], ['BME', 4, 1]]
    """
    people, excluded = followed(
        staff,
        period_end=period_end,
        staff_groups=staff_groups,
        registered_groups=registered_groups,
        source=source,
    )
    if people.empty:
        groups = "any staff group" if staff_groups is None else " / ".join(staff_groups)
        raise InputDataError(NOBODY_TO_FOLLOW.format(groups=groups))
    e = people["rank_earlier"].to_numpy()
    n = people["rank_now"].to_numpy()
    r = people["registered"].to_numpy()
    rows = []
    for view in (v for v in RETENTION_VIEWS if v in people):
        names, name_codes = text_codes(people[view])
        values = names[name_codes]
        sizes = pd.Series(values).value_counts().to_dict()
        reference = disparity.default_reference(view, sizes)
        order = sorted(sizes, key=lambda g: (g != reference, is_not_stated(g), -sizes[g], g))
        # Each group's people as integer codes; counts per group by one bincount a move.
        position = {g: i for i, g in enumerate(order)}
        group_code = np.array([position.get(n, -1) for n in names], dtype=np.int64)[name_codes]
        for move in moves:
            eligible = move.eligible(e)
            made = eligible & move.made(e, n, r)
            entered_by = np.bincount(group_code[eligible], minlength=len(order))
            made_by = np.bincount(group_code[made], minlength=len(order))
            for k, group in enumerate(order):
                entered, progressed = int(entered_by[k]), int(made_by[k])
                rows.append((move.name, view, group, reference, entered, progressed))
    table = pd.DataFrame(
        rows, columns=["move", "attribute", "group", "reference", "entered", "progressed"]
    )
    table = table[table.groupby(["move", "attribute"])["entered"].transform("sum") > 0]
    table = table.reset_index(drop=True)
    table["rate"] = pd.Series(
        [
            None if n == 0 else k / n
            for k, n in zip(table["progressed"], table["entered"], strict=True)
        ],
        index=table.index,
        dtype=object,
    )
    return Progression(table, len(people), excluded, period_end, people, tuple(moves))


def with_statistics(
    table: pd.DataFrame,
    *,
    band: tuple[float, float] = disparity.DEFAULT_ADVERSE_BAND,
    shown_ratio: Callable[[float | None], float | None] = lambda x: x,
    published: bool = False,
) -> pd.DataFrame:
    """``table`` with the funnel statistics of every row against its reference group.

    ``table`` holds ``move``, ``attribute``, ``group``, ``reference``, ``entered``,
    ``progressed``, ``rate`` and optionally ``hidden`` / ``hidden_reason`` (published
    counts in published mode: see :func:`bias_audit.stats.comparisons.row_statistics`).
    """
    if table.empty:
        return table.copy()
    parts = []
    for _, block in table.groupby(["move", "attribute"], sort=False):
        stats: list[dict[str, Any]] = row_statistics(
            block, block["reference"].iloc[0], band, shown_ratio=shown_ratio, published=published
        )
        extra = pd.DataFrame(stats, index=block.index).drop(columns=["rate"]).astype(object)
        extra = extra.where(extra.notna(), None)  # "not computable" stays None, never NaN
        parts.append(block.join(extra))
    return pd.concat(parts).loc[table.index]
