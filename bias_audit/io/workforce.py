"""Read an ESR-style staff extract into the tidy staff frame of
:mod:`bias_audit.stats.workforce_schema`.

The file is opened, sniffed and its header row found by the recruitment reader's machinery
(:mod:`bias_audit.io.source`, :mod:`bias_audit.io.files`: CSV in any common encoding and
separator, XLSX with a cover sheet or title lines); equality values are read by the same
code-lists (:mod:`bias_audit.io.normalise`); columns are found by
:mod:`bias_audit.io.workforce_columns`; bands, staff groups, board roles, flags and dates by
:mod:`bias_audit.io.workforce_values`.

Text columns come back as pandas categoricals of strings (one string per distinct value:
a million rows read in seconds, not minutes); compare them with ``==`` as strings.

Nothing is dropped silently: every row is kept (a row with no start date stays in the
band profile but is counted, and left out of anything that needs a start), every value the
reader could not understand is counted as "Not stated" and listed, every date that did not
parse is counted with its column named.

Examples
--------
>>> data = (b"Assignment Number,Ethnic Origin,Gender,Disability Flag,Pay Band,Staff Group,"
...         b"Hire Date\\n1,A White - British,Female,No,Band 2,Additional Clinical Services,"
...         b"01/04/2023\\n2,N Black or Black British - African,Male,Yes,Band 8 - Range A,"
...         b"Administrative and Clerical,\\n")
>>> staff = read_staff(data, name="esr.csv", extract_date="2025-03-31")
>>> staff.frame[["ethnicity_wres", "band", "clinical"]].values.tolist()
[['White', 'Band 2', 'Clinical'], ['BME', 'Band 8a', 'Non-clinical']]
>>> staff.exclusions["no_start_date"]
1
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError
from bias_audit.io import files
from bias_audit.io import workforce_columns as wc
from bias_audit.io import workforce_values as values
from bias_audit.io.normalise import normalise_values
from bias_audit.io.source import FileKind, open_source
from bias_audit.stats import schema
from bias_audit.stats import workforce_schema as ws

STAFF_FILE = FileKind(
    what="a staff extract",
    application="Excel",
    old_format=".xls (Excel 97–2003)",
    save_as='an .xlsx workbook or "CSV UTF-8"',
    smaller="Export a shorter period or fewer columns",
    unnamed="uploaded file",
    max_bytes=files.DEFAULT_MAX_BYTES,
    size_option="--max-size",
    rows="staff",
)

MSG_ALL_DATES_BAD = (
    '{file}: none of the {count} values in column "{column}" could be read as a date (for '
    'example "{example}"). Write dates as 31/03/2025 or 2025-03-31, or name another column '
    'with --column {role}="<header>".'
)
MSG_BAD_COUNT = (
    '{file}: column "{column}" holds counts, but {count} value(s) are not whole numbers of '
    '0 or more (for example "{example}"). Fix those cells, or switch the column off with '
    '--column count="".'
)
MSG_BAD_EXTRACT_DATE = "extract date {value!r} is not a date; write it as 2025-03-31."
MSG_EARLIER_NEEDS_ID = (
    "{file}: comparing two extracts needs a person identifier in both (such as Assignment "
    'Number or Employee Number); name it with --column id="<header>".'
)
MSG_EARLIER_NO_BAND = "{file}: the earlier extract has no pay band column (such as Pay Band)."
MSG_DUPLICATE_ID = (
    '{file}: {count} identifier(s) in column "{column}" appear on more than one row (for '
    'example "{example}"); a staff extract holds one row per person. Export one assignment '
    'per person (the primary assignment), or switch the column off with --column id="".'
)
NOTE_UNREAD = (
    "{column}: {count} row(s) had values that could not be read ({examples}); counted as "
    '"Not stated".'
)
NOTE_BAD_DATES = "{column}: {count} value(s) could not be read as dates; treated as blank."
NOTE_NO_START = (
    "{count} row(s) have no start date: kept in the band profile, left out of retention."
)
NOTE_LEFT_BEFORE = (
    "{count} row(s) left on or before the extract date: left out of the staff in post."
)
NOTE_NOT_IN_EARLIER = (
    "{count} person(s) in the later extract are not in the earlier one (started during the "
    "period): no earlier band."
)
NOTE_AGE_FROM_BIRTH = "Age band worked out from the date of birth at {date}."
NOTE_EXTRACT_DATE_FOUND = (
    'Extract date taken as {date}, the latest date in the file (column "{column}"). If the '
    "extract was taken later, give the date it was taken (--extract-date in the command "
    "line, extract_date= in Python)."
)
NOTE_EXTRACT_DATE_TODAY = (
    "Extract date taken as today, {date}: the file has no dates to take it from. Give the "
    "date the extract was taken (--extract-date in the command line, extract_date= in "
    "Python)."
)
MAX_EXAMPLES = 5

_CHARACTERISTIC_ROLES = {
    wc.ROLE_ETHNICITY: "ethnicity",
    wc.ROLE_GENDER: "gender",
    wc.ROLE_DISABILITY: "disability",
    wc.ROLE_AGE_BAND: "age_band",
}
_DATE_ROLES = (wc.ROLE_START_DATE, wc.ROLE_LEAVING_DATE, wc.ROLE_DATE_OF_BIRTH)
_EVENT_ROLES = {
    wc.ROLE_DISCIPLINARY: ws.DISCIPLINARY,
    wc.ROLE_CAPABILITY: ws.CAPABILITY,
    wc.ROLE_TRAINING: ws.TRAINING,
}


@dataclass
class StaffExtract:
    """A staff extract as read.

    Attributes
    ----------
    frame
        The tidy staff frame (columns per :mod:`bias_audit.stats.workforce_schema`).
    source
        The file's display name.
    columns
        Role -> header chosen; ``choices`` the ordered ``(role, header, how)`` account.
    exclusions
        Counts of rows or values set aside: ``no_start_date``, ``left_before_extract``,
        ``unread_<role>`` (values counted as "Not stated"), ``bad_dates_<role>``,
        ``not_in_earlier`` (a second extract), ``no_earlier_band`` (blank band history:
        not in post at the start of the period; ``band_earlier`` is missing).
    unread
        Role -> the raw values that could not be read (at most a few, for messages).
    notes
        How the file was read and what was set aside, in sentences (with counts: for the
        analyst); ``reading_notes`` the same without the count sentences.
    extract_date
        The date the extract describes (staff in post are those not left by then).
    """

    frame: pd.DataFrame
    source: str
    columns: dict[str, str]
    choices: list[tuple[str, str, str]]
    extract_date: pd.Timestamp
    exclusions: dict[str, int] = field(default_factory=dict)
    unread: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    reading_notes: list[str] = field(default_factory=list)

    def in_post(self) -> pd.DataFrame:
        """Staff in post at the extract date: not left on or before it."""
        frame = self.frame
        if ws.LEAVING_DATE not in frame:
            return frame
        return frame[frame[ws.LEAVING_DATE].isna() | (frame[ws.LEAVING_DATE] > self.extract_date)]


def _extract_date(value: object) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InputDataError(MSG_BAD_EXTRACT_DATE.format(value=value)) from None
    if pd.isna(stamp):
        raise InputDataError(MSG_BAD_EXTRACT_DATE.format(value=value))
    return stamp.normalize()


def read_staff(
    source: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    extract_date: object = None,
    earlier: str | os.PathLike[str] | bytes | BinaryIO | StaffExtract | None = None,
    earlier_name: str | None = None,
    max_bytes: int | None = None,
) -> StaffExtract:
    """Read a staff extract (CSV/XLSX, one row per person or counts) into the tidy frame.

    Parameters
    ----------
    source
        A path, the bytes of an upload or an open binary file.
    name
        The name used in messages (default: the path's base name).
    columns
        Role -> header overrides (``"ethnicity": "Ethnic Origin"``); ``""`` switches a role
        off. Roles: :data:`bias_audit.io.workforce_columns.STAFF_ROLES`.
    sheet
        The workbook sheet (default: the one sheet holding a table; cover sheets skipped).
    extract_date
        The date the extract describes (default: the latest start, leaving or event date
        in the file, else today).
    earlier
        An extract of the same staff at the start of the period (path, bytes or an already
        read :class:`StaffExtract`): each person's band there becomes ``band_earlier``.
    max_bytes
        Size limit (default 250 MB).
    """
    src = open_source(source, kind=STAFF_FILE, name=name, max_bytes=max_bytes)
    sniffed = files.sniff(src, max_bytes=max_bytes or STAFF_FILE.max_bytes)
    table = files.open_table(src, sniffed, sheet=sheet)
    chosen = wc.detect_staff_columns(table.headers, file=src.name, overrides=columns)
    roles = chosen.roles
    raw_roles = {wc.ROLE_ID} & set(roles)
    raw = files.read_columns(
        src,
        table,
        list(dict.fromkeys(roles.values())),
        raw=[roles[r] for r in raw_roles],
    )
    notes = files.describe_reading(src, table)
    reading = list(notes)  # how the file was read: no counts
    exclusions: dict[str, int] = {}
    unread: dict[str, tuple[str, ...]] = {}
    n = len(raw)
    repeat = None
    if wc.ROLE_COUNT in roles:
        repeat = _counts(raw[roles[wc.ROLE_COUNT]], file=src.name, header=roles[wc.ROLE_COUNT])
    frame = pd.DataFrame(index=pd.RangeIndex(n))
    if wc.ROLE_ID in roles and repeat is None:
        ids = raw[roles[wc.ROLE_ID]].astype(str).str.strip()
        _check_unique(ids, file=src.name, column=roles[wc.ROLE_ID])
        frame[ws.PERSON_ID] = ids.to_numpy()
    else:
        frame[ws.PERSON_ID] = [f"row {i + 1}" for i in range(n)]

    def placed(role: str, placer) -> pd.Series:
        categories, codes = values.distinct(raw[roles[role]])
        answers = [placer(v) for v in categories]
        mapped = np.array([a.views[0] for a in answers] + [None], dtype=object)
        bad = [v for v, a in zip(categories, answers, strict=True) if not a.placed]
        if bad:
            bad_rows = int(np.isin(codes, [categories.index(b) for b in bad]).sum())
            exclusions[f"unread_{role}"] = bad_rows
            unread[role] = tuple(bad[:MAX_EXAMPLES])
            notes.append(
                NOTE_UNREAD.format(
                    column=roles[role],
                    count=bad_rows,
                    examples=", ".join(f'"{b}"' for b in bad[:MAX_EXAMPLES]),
                )
            )
        if all(isinstance(a.views[0], str) for a in answers):
            labels = [a.views[0] for a in answers]
            return pd.Series(values.as_category([*labels, labels[0] if labels else ""], codes))
        return pd.Series(mapped[codes], index=frame.index)

    _characteristics(raw, roles, frame, exclusions, unread, notes, file=src.name)
    dates = {}
    for role in _DATE_ROLES:
        if role in roles:
            dates[role] = _dates(raw[roles[role]], role, roles[role], src.name, exclusions, notes)
    if wc.ROLE_BAND in roles:
        frame[ws.BAND] = placed(wc.ROLE_BAND, values.place_band)
    if wc.ROLE_STAFF_GROUP in roles:
        frame[ws.STAFF_GROUP] = values.stripped(raw[roles[wc.ROLE_STAFF_GROUP]])
        frame[ws.CLINICAL] = placed(wc.ROLE_STAFF_GROUP, values.place_staff_group)
    if wc.ROLE_BAND_EARLIER in roles:
        # A blank earlier band means not in post then (a starter): missing, not "not stated".
        names, codes = values.distinct(raw[roles[wc.ROLE_BAND_EARLIER]])
        blank = np.append(np.array([not n.strip() for n in names], dtype=bool), True)[codes]
        earlier_band = placed(wc.ROLE_BAND_EARLIER, values.place_band)
        frame[ws.BAND_EARLIER] = earlier_band.where(~blank)
        exclusions["no_earlier_band"] = int(blank.sum())
    if wc.ROLE_START_DATE in dates:
        frame[ws.START_DATE] = dates[wc.ROLE_START_DATE].to_numpy()
    if wc.ROLE_LEAVING_DATE in dates:
        frame[ws.LEAVING_DATE] = dates[wc.ROLE_LEAVING_DATE].to_numpy()
    if wc.ROLE_LEAVING_REASON in roles:
        frame[ws.LEAVING_REASON] = values.stripped(raw[roles[wc.ROLE_LEAVING_REASON]])
    for role, column in _EVENT_ROLES.items():
        if role in roles:
            frame[column] = _event(
                raw[roles[role]], role, roles[role], src.name, exclusions, notes, placed
            )
    board = _board(roles, placed, frame.index)
    if board is not None:
        frame[ws.BOARD] = board
    stamp = _extract_date(extract_date)
    if stamp is None:
        stamp, column = _latest_date(frame)
        day = stamp.date().isoformat()
        if column is None:
            notes.append(NOTE_EXTRACT_DATE_TODAY.format(date=day))
        else:
            notes.append(NOTE_EXTRACT_DATE_FOUND.format(date=day, column=roles.get(column, column)))
        reading.append(notes[-1])
    if wc.ROLE_DATE_OF_BIRTH in dates and wc.ROLE_AGE_BAND not in roles:
        frame[schema.AGE_BAND] = _age_bands(dates[wc.ROLE_DATE_OF_BIRTH], stamp)
        notes.append(NOTE_AGE_FROM_BIRTH.format(date=stamp.date().isoformat()))
        reading.append(notes[-1])
    if repeat is not None:
        frame = frame.loc[frame.index.repeat(repeat)].reset_index(drop=True)
        frame[ws.PERSON_ID] = [f"person {i + 1}" for i in range(len(frame))]
    if len(frame) == 0:
        raise InputDataError(files.MSG_HEADER_ONLY.format(file=src.name, rows=src.kind.rows))
    if ws.START_DATE in frame:
        exclusions["no_start_date"] = int(frame[ws.START_DATE].isna().sum())
        if exclusions["no_start_date"]:
            notes.append(NOTE_NO_START.format(count=exclusions["no_start_date"]))
    if ws.LEAVING_DATE in frame:
        left = int((frame[ws.LEAVING_DATE] <= stamp).sum())
        exclusions["left_before_extract"] = left
        if left:
            notes.append(NOTE_LEFT_BEFORE.format(count=left))
    result = StaffExtract(
        frame,
        src.name,
        dict(roles),
        list(chosen.choices),
        stamp,
        exclusions,
        unread,
        notes,
        reading,
    )
    if earlier is not None:
        _attach_earlier(result, earlier, name=earlier_name, columns=columns, sheet=sheet)
    return result


def _characteristics(raw, roles, frame, exclusions, unread, notes, *, file: str) -> None:
    for role, attribute in _CHARACTERISTIC_ROLES.items():
        if role not in roles:
            continue
        names, codes = values.distinct(raw[roles[role]])
        result = normalise_values(names, attribute=attribute)
        views = [result.views[v] for v in names]
        if result.unplaced:
            bad_codes = [names.index(v) for v in result.unplaced]
            count = int(np.isin(codes, bad_codes).sum())
            exclusions[f"unread_{role}"] = count
            unread[role] = tuple(result.unplaced[:MAX_EXAMPLES])
            notes.append(
                NOTE_UNREAD.format(
                    column=roles[role],
                    count=count,
                    examples=", ".join(f'"{v}"' for v in result.unplaced[:MAX_EXAMPLES]),
                )
            )
        if role == wc.ROLE_ETHNICITY:
            targets = ((schema.ETHNICITY_GROUP, 1), (schema.ETHNICITY_WRES, 2))
        else:
            targets = ((attribute, 0),)
        for column, position in targets:
            frame[column] = values.as_category(
                [v[position] for v in views] + [schema.NOT_STATED], codes
            )


def _dates(column, role, header, file, exclusions, notes) -> pd.Series:
    names, codes = values.distinct(column)
    parsed, _ = values.parse_dates(pd.Series(names, dtype=object))
    lookup = np.append(parsed.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT"))
    result = pd.Series(lookup[codes], index=column.index)
    blank = np.append(np.array([not n.strip() for n in names], dtype=bool), True)
    filled = ~blank[codes]
    bad_rows = int((result.isna().to_numpy() & filled).sum())
    if bad_rows and bad_rows == int(filled.sum()):
        example = next(n for n in names if n.strip())
        raise InputDataError(
            MSG_ALL_DATES_BAD.format(
                file=file, count=bad_rows, column=header, example=example, role=role
            )
        )
    if bad_rows:
        exclusions[f"bad_dates_{role}"] = bad_rows
        notes.append(NOTE_BAD_DATES.format(column=header, count=bad_rows))
    return result


def _event(column, role, header, file, exclusions, notes, placed) -> pd.Series:
    """An event as its date (NaT: did not happen) or, for a yes/no column, a boolean."""
    names, _ = values.distinct(column)
    if values.looks_like_dates(pd.Series(names, dtype=object)):
        return _dates(column, role, header, file, exclusions, notes).to_numpy()
    return placed(role, values.place_yes_no).astype("boolean").to_numpy()


def _board(roles, placed, index) -> pd.Series | None:
    if wc.ROLE_BOARD in roles:
        return placed(wc.ROLE_BOARD, values.place_board)
    voting = executive = None
    if wc.ROLE_BOARD_VOTING in roles:
        voting = placed(wc.ROLE_BOARD_VOTING, values.place_yes_no).astype(bool)
    if wc.ROLE_BOARD_EXECUTIVE in roles:
        executive = placed(wc.ROLE_BOARD_EXECUTIVE, values.place_yes_no).astype(bool)
    if voting is None and executive is None:
        return None
    voting = voting if voting is not None else pd.Series(False, index=index)
    executive = executive if executive is not None else pd.Series(False, index=index)
    board = np.select(
        [voting & executive, voting, executive],
        [values.BOARD_BOTH, values.BOARD_VOTING, values.BOARD_EXECUTIVE],
        default=values.NOT_BOARD,
    )
    return pd.Series(board, index=index, dtype=object)


def _counts(column: pd.Series, *, file: str, header: str) -> np.ndarray:
    numbers = pd.to_numeric(column.astype(str).str.strip().replace("", "0"), errors="coerce")
    bad = numbers.isna() | (numbers < 0) | (numbers % 1 != 0)
    if bad.any():
        example = column[bad].iloc[0]
        raise InputDataError(
            MSG_BAD_COUNT.format(file=file, column=header, count=int(bad.sum()), example=example)
        )
    return numbers.astype(np.int64).to_numpy()


def _check_unique(ids: pd.Series, *, file: str, column: str) -> None:
    filled = ids[ids.ne("")]
    if pd.Index(filled).is_unique:  # the usual case, found by one hash pass
        return
    dupes = filled[filled.duplicated()]
    if not dupes.empty:
        raise InputDataError(
            MSG_DUPLICATE_ID.format(
                file=file, count=int(dupes.nunique()), column=column, example=dupes.iloc[0]
            )
        )


def _latest_date(frame: pd.DataFrame) -> tuple[pd.Timestamp, str | None]:
    """The latest date in the extract's date columns and which column holds it; today and
    ``None`` when there is none."""
    latest = [
        (frame[c].max(), c)
        for c in (ws.START_DATE, ws.LEAVING_DATE, *ws.EVENTS)
        if c in frame and pd.api.types.is_datetime64_any_dtype(frame[c])
    ]
    latest = [(d, c) for d, c in latest if not pd.isna(d)]
    if not latest:
        return pd.Timestamp.today().normalize(), None
    date, column = max(latest, key=lambda pair: pair[0])
    return date.normalize(), column


def _age_bands(births: pd.Series, stamp: pd.Timestamp) -> np.ndarray:
    from bias_audit.io.characteristics import place_age_band

    years = stamp.year - births.dt.year
    before_birthday = (births.dt.month > stamp.month) | (
        (births.dt.month == stamp.month) & (births.dt.day > stamp.day)
    )
    ages = (years - before_birthday.astype(int)).astype("Int64")
    texts = ages.astype(str).replace("<NA>", "")
    cats = pd.Categorical(texts)
    mapped = np.array(
        [place_age_band(v).views[0] for v in cats.categories] + [schema.NOT_STATED], dtype=object
    )
    return mapped[cats.codes]


def _attach_earlier(result: StaffExtract, earlier, *, name, columns, sheet) -> None:
    if isinstance(earlier, StaffExtract):
        before = earlier
    else:
        before = read_staff(earlier, name=name, columns=columns, sheet=sheet)
    for extract in (result, before):
        if wc.ROLE_ID not in extract.columns:
            raise InputDataError(MSG_EARLIER_NEEDS_ID.format(file=extract.source))
    if ws.BAND not in before.frame:
        raise InputDataError(MSG_EARLIER_NO_BAND.format(file=before.source))
    bands = before.frame.set_index(ws.PERSON_ID)[ws.BAND]
    earlier_band = result.frame[ws.PERSON_ID].map(bands)
    missing = int(earlier_band.isna().sum())
    result.frame[ws.BAND_EARLIER] = earlier_band.to_numpy()  # missing: not in the earlier one
    result.exclusions["not_in_earlier"] = missing
    if missing:
        result.notes.append(NOTE_NOT_IN_EARLIER.format(count=missing))
