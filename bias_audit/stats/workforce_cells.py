"""From the tidy staff frame to the counts every WRES / WDES figure rests on.

The staff are grouped once into *atoms*: one row per combination of the things the
indicators count (clinical, band, ethnicity, disability, in post, employed in each year,
entered each process in each year, accessed training, board role), with how many people
have it. Every published count is then a sum of atoms, named by a key: the indicators read
their numbers through those keys, and the disclosure control protects exactly those sums
(a rolling two-year count lists an atom twice when its people were employed in both years).

Periods: the *current year* is the twelve months up to the extract date, the *previous
year* the twelve months before. A person is *employed in a year* when they started on or
before its last day (or have no start date) and had not left before its first day; *in
post* when they had not left on or before the extract date. An event counts in a year
when its date falls in it; a yes/no event column has no dates, so it counts in the
current year only (the indicator is then one year's figure, not the official rolling one).
The rolling figure is used when the event column holds dates and one falls on or before
the previous year's last day (the extract reaches back two years).

>>> import pandas as pd
>>> frame = pd.DataFrame({"ethnicity_wres": ["White", "BME"], "band": ["Band 2", "Band 2"],
...     "clinical": ["Clinical", "Clinical"], "disciplinary": [False, True]})
>>> cells = staff_cells(frame, extract_date=pd.Timestamp("2025-03-31"))
>>> cells.value(("wres_indicator_3", cells.years[-1], "BME", "entered"))
1
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bias_audit.stats import schema
from bias_audit.stats import workforce_schema as ws

ALL = "All"
ALL_BANDS = "All bands"
POOLED = "two years"
CLINICAL_PARTS = ("Clinical", "Non-clinical", schema.NOT_STATED)
WRES_GROUPS = (schema.WHITE, schema.BME, schema.NOT_STATED)
WDES_GROUPS = (schema.DISABLED, schema.NON_DISABLED, schema.NOT_STATED)
# attribute -> (indicator keys: profile, ratio, board) and its groups
ATTRIBUTES = {
    schema.ETHNICITY_WRES: ("wres_indicator_1", "wres_indicator_9", WRES_GROUPS),
    schema.DISABILITY: ("wdes_metric_1", "wdes_metric_10", WDES_GROUPS),
}
# ratio indicator key -> (attribute, event column, atom prefix, count name)
RATIOS = {
    "wres_indicator_3": (schema.ETHNICITY_WRES, ws.DISCIPLINARY, "disc", "entered"),
    "wres_indicator_4": (schema.ETHNICITY_WRES, ws.TRAINING, "train", "accessed"),
    "wdes_metric_3": (schema.DISABILITY, ws.CAPABILITY, "cap", "entered"),
}
# Partner cost of a band-profile count (lower is hidden first).
COSTS = {schema.NOT_STATED: 2, schema.WHITE: 5, schema.NON_DISABLED: 5, ALL: 6}
ROLLING = frozenset({"wres_indicator_3", "wdes_metric_3"})
# Board role labels (as bias_audit.io.workforce_values.BOARD_ROLES) in each part.
BOARD_PARTS = {
    "voting": ("Voting", "Voting and executive"),
    "all": ("Voting", "Executive", "Voting and executive", "Non-voting non-executive"),
    "non_voting": ("Executive", "Non-voting non-executive"),
    "executive": ("Executive", "Voting and executive"),
    "non_executive": ("Voting", "Non-voting non-executive"),
}


@dataclass(frozen=True)
class CountSpec:
    """One count: a key, the atoms it sums (an atom may repeat), its name in plain words,
    and its cost (lower is hidden first when a partner is needed)."""

    key: Hashable
    terms: tuple[int, ...]
    name: str
    cost: float


@dataclass
class StaffCells:
    """The atoms, every count by key, the two years, and the years each event covers."""

    atoms: pd.DataFrame
    specs: dict[Hashable, CountSpec]
    years: tuple[str, str]
    event_years: dict[str, tuple[str, ...]]
    present: frozenset[str]
    notes: list[str] = field(default_factory=list)

    def add_count(self, key: Hashable, mask: np.ndarray, name: str, *, cost: float = 5) -> None:
        """Name another published count: the atoms where ``mask`` (one bool per atom) holds.

        Every count named here is protected with the indicators' counts in one publication.
        """
        _add(self, key, np.asarray(mask, dtype=bool), name, cost)

    def value(self, key: Hashable) -> int:
        """The exact count for ``key`` (0 for a count nobody is in)."""
        spec = self.specs.get(key)
        if spec is None:
            return 0
        return int(self.atoms["count"].to_numpy()[list(spec.terms)].sum())


def year_windows(extract_date: pd.Timestamp) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """(label, first day, last day) of the previous and the current year, oldest first.

    >>> [w[0] for w in year_windows(pd.Timestamp("2025-03-31"))]
    ['2023-04-01 to 2024-03-31', '2024-04-01 to 2025-03-31']
    """
    end = extract_date.normalize()
    windows = []
    for back in (1, 0):
        last = end - pd.DateOffset(years=back)
        first = last - pd.DateOffset(years=1) + pd.Timedelta(days=1)
        windows.append((f"{first.date()} to {last.date()}", first, last))
    return windows


def _column(frame: pd.DataFrame, name: str, default: object) -> pd.Series:
    if name in frame:
        return frame[name]
    return pd.Series(default, index=frame.index)


def staff_cells(
    frame: pd.DataFrame,
    *,
    extract_date: pd.Timestamp,
    extra: Mapping[str, pd.Series] | None = None,
) -> StaffCells:
    """Group the staff frame into atoms and name every count the indicators publish.

    ``extra`` adds per-person columns to the atoms (e.g. "started in the period",
    "still in post at 12 months", "moved Band 2 to 3") so that other counts can be named
    with :meth:`StaffCells.add_count` and protected in the same publication.
    """
    windows = year_windows(extract_date)
    start = _column(frame, ws.START_DATE, pd.NaT)
    leaving = _column(frame, ws.LEAVING_DATE, pd.NaT)
    parts = {
        ws.CLINICAL: _column(frame, ws.CLINICAL, schema.NOT_STATED).fillna(schema.NOT_STATED),
        ws.BAND: _column(frame, ws.BAND, "Other / not stated").fillna("Other / not stated"),
        schema.ETHNICITY_WRES: _column(frame, schema.ETHNICITY_WRES, schema.NOT_STATED),
        schema.DISABILITY: _column(frame, schema.DISABILITY, schema.NOT_STATED),
        "in_post": (leaving.isna() | (leaving > extract_date)) & ~(start > extract_date),
        ws.BOARD: _column(frame, ws.BOARD, "").fillna(""),
    }
    for i, (_, first, last) in enumerate(windows):
        parts[f"staff_{i}"] = ~(start > last) & (leaving.isna() | ~(leaving < first))
    event_years: dict[str, tuple[str, ...]] = {}
    for key, (_, column, prefix, _) in RATIOS.items():
        if column not in frame:
            continue
        events = frame[column]
        if pd.api.types.is_datetime64_any_dtype(events):
            for i, (_, first, last) in enumerate(windows):
                parts[f"{prefix}_{i}"] = (events >= first) & (events <= last)
            reaches_back = bool((events <= windows[0][2]).any())
            rolling = key in ROLLING and reaches_back
        else:
            parts[f"{prefix}_0"] = pd.Series(False, index=frame.index)
            parts[f"{prefix}_1"] = events.fillna(False).astype(bool)
            rolling = False
        event_years[key] = tuple(w[0] for w in (windows if rolling else windows[1:]))
    for name, column in (extra or {}).items():
        parts[name] = column.reindex(frame.index)
    table = pd.DataFrame(parts)
    dims = list(table.columns)
    atoms = group_sizes(table, dims)
    present = frozenset(
        c for c in (*ws.CHARACTERISTICS, ws.BAND, ws.CLINICAL, ws.BOARD, *ws.EVENTS) if c in frame
    )
    cells = StaffCells(atoms, {}, (windows[0][0], windows[1][0]), event_years, present)
    _name_counts(cells)
    return cells


def _sort_codes(column: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes in the column's sort order (a category's order, False before True,
    text by value; missing last) and how many there can be."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)
        size = len(column.cat.categories)
    elif column.dtype == bool:
        return column.to_numpy().astype(np.int64), 2
    else:
        codes, uniques = pd.factorize(column, sort=True, use_na_sentinel=True)
        codes = codes.astype(np.int64)
        size = len(uniques)
    codes[codes < 0] = size  # missing sorts last, as groupby(dropna=False) puts it
    return codes, size + 1


def group_sizes(table: pd.DataFrame, dims: list[str]) -> pd.DataFrame:
    """``table.groupby(dims, dropna=False, observed=True).size()`` as a frame with a
    ``count`` column, in the same order, from one integer key per row (each column's
    codes combined) instead of grouping on the columns themselves: on a million rows a
    second rather than several.
    """
    if table.empty:
        return table.groupby(dims, dropna=False, observed=True).size().rename("count").reset_index()
    key = np.zeros(len(table), dtype=np.int64)
    span = 1
    for column in dims:
        codes, size = _sort_codes(table[column])
        if span * size >= 2**62:  # renumber what we have, keeping its order
            key, uniques = pd.factorize(key, sort=True)
            key, span = key.astype(np.int64), len(uniques)
        key = key * size + codes
        span *= size
    _, first, counts = np.unique(key, return_index=True, return_counts=True)
    atoms = table.iloc[first][dims].reset_index(drop=True)
    atoms["count"] = counts.astype(np.int64)
    return atoms


def _add(cells: StaffCells, key: Hashable, mask: np.ndarray, name: str, cost: float) -> None:
    cells.specs[key] = CountSpec(key, tuple(np.flatnonzero(mask).tolist()), name, cost)


def _name_counts(cells: StaffCells) -> None:
    atoms = cells.atoms
    in_post = atoms["in_post"].to_numpy(dtype=bool)
    clinical = atoms[ws.CLINICAL].astype(str).to_numpy()
    band = atoms[ws.BAND].astype(str).to_numpy()
    board = atoms[ws.BOARD].astype(str).to_numpy()
    for attribute, (profile_key, board_key, groups) in ATTRIBUTES.items():
        values = atoms[attribute].astype(str).to_numpy()
        everyone = np.ones(len(atoms), dtype=bool)
        for part in (*CLINICAL_PARTS, ALL):
            in_part = in_post & (everyone if part == ALL else clinical == part)
            if part != ALL and not in_part.any():
                continue
            # The whole workforce is published as one row; its bands are the parts' bands.
            bands = () if part == ALL else sorted(set(band[in_part]))
            for b in (ALL_BANDS, *bands):
                in_band = in_part & (everyone if b == ALL_BANDS else band == b)
                for group in (*groups, ALL):
                    mask = in_band & (everyone if group == ALL else values == group)
                    where = "all staff" if part == ALL else f"{part.lower()} staff"
                    _add(
                        cells,
                        (profile_key, part, b, group),
                        mask,
                        f"{group} {where}, {b}",
                        # Hidden first: a not-stated count (no share rests on it), then
                        # the reference group's, then a total (WRES 1 and WDES 1 share
                        # it), and the focal group's (its share is the indicator) last.
                        cost=COSTS.get(group, 7) + (0 if b == ALL_BANDS else 1),
                    )
        for part, roles in BOARD_PARTS.items():
            on_board = in_post & np.isin(board, roles)
            for group in (*groups, ALL):
                mask = on_board & (everyone if group == ALL else values == group)
                _add(cells, (board_key, part, group), mask, f"{group} {part} board members", 4)
    for key, (attribute, _, prefix, counted) in RATIOS.items():
        if key not in cells.event_years:
            continue
        values = atoms[attribute].astype(str).to_numpy()
        groups = ATTRIBUTES[attribute][2]
        used = cells.event_years[key]
        for group in groups:
            in_group = values == group
            pooled_staff: list[int] = []
            pooled_counted: list[int] = []
            for i, label in enumerate(cells.years):
                if label not in used:
                    continue
                staff = in_group & atoms[f"staff_{i}"].to_numpy(dtype=bool)
                hit = staff & atoms[f"{prefix}_{i}"].to_numpy(dtype=bool)
                pooled_staff += np.flatnonzero(staff).tolist()
                pooled_counted += np.flatnonzero(hit).tolist()
                if group == schema.NOT_STATED:
                    continue  # only their number left out is published (below)
                _add(cells, (key, label, group, "staff"), staff, f"{group} staff, {label}", 5)
                _add(cells, (key, label, group, counted), hit, f"{group} {counted}, {label}", 5)
            if group == schema.NOT_STATED:
                last = POOLED if len(used) == 2 else used[-1]
                cells.specs[(key, last, group, "staff")] = CountSpec(
                    (key, last, group, "staff"), tuple(pooled_staff), f"{group}, left out", 3
                )
            elif len(used) == 2:
                for what, terms in (("staff", pooled_staff), (counted, pooled_counted)):
                    cells.specs[(key, POOLED, group, what)] = CountSpec(
                        (key, POOLED, group, what), tuple(terms), f"{group} {what}, two years", 5
                    )
