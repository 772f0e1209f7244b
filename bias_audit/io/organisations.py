"""Several organisations (and years) from recruitment extracts: NHS trust codes and names,
and the count tables split by organisation and year.

*Reading.* Each extract is read once per splitting column through the ordinary reader
(:func:`bias_audit.io.extract.read_funnel`), whose ``stratify`` option keeps a column as
``schema.STRATUM`` in the count table: a per-stratum count table is exactly a
per-organisation (or per-year) one. So:

- one extract with an organisation column: read with ``stratify=<organisation column>``;
  with a year column as well, read a second time with ``stratify=<year column>`` (the
  reader keeps one column), giving per-organisation and per-year tables of the same people;
- several extracts, one per organisation: each read once (``stratify=<year column>`` when
  there is one), the organisation named by its file.

*Trust codes* (``bias_audit/data/ods_trusts.csv``, NHS England ODS ``etr.csv``): a value
that is a known ODS code, or a trust's published name (case, "&"/"and" and punctuation
ignored), or a name with its code ("RJZ - King's College …", "… (RJZ)"), shows as
"King's College Hospital NHS Foundation Trust (RJZ)". Anything else is kept as written and
flagged as not in the ODS trust list.

*Years*: "2023" is calendar year 2023; "2023/24" or "2023-24" a financial year; a date is
put in its financial year (1 April to 31 March, as WRES and WDES report) or, with
``year_by="calendar"``, its calendar year. Blank or unreadable years are counted and left
out of the year-by-year figures (never out of the organisations' figures).
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pandas as pd

from bias_audit.errors import InputDataError, OptionError
from bias_audit.stats import schema
from bias_audit.stats.funnel import Funnel

ODS_FILE = "data/ods_trusts.csv"
ODS_SOURCE = (
    "NHS England Organisation Data Service (ODS) etr.csv (English NHS trusts), July 2025; "
    "contains public sector information licensed under the Open Government Licence v3.0"
)
NOT_GIVEN = "Organisation not given"
UNKNOWN_YEAR = "year not given"
FLAG_UNKNOWN_CODE = "looks like an ODS code but is not in the NHS England ODS trust list"
FLAG_UNKNOWN_NAME = "not found in the NHS England ODS trust list (shown as written)"
NOTE_UNKNOWN = '"{value}": {flag}.'
NOTE_TWO_READINGS = (
    'The extract was read twice, once split by "{organisation}" and once by "{year}" '
    "(the reader keeps one splitting column at a time); both readings hold the same rows."
)
NOTE_YEARS_LEFT_OUT = (
    '{count} row(s) have a blank or unreadable year in "{column}" (e.g. {examples}); they '
    "count for their organisation but are left out of the year-by-year figures."
)
MSG_NO_ORGANISATION = (
    "{file}: there is no organisation column, so there is only one organisation to compare. "
    'Name the column with --organisation-column "Trust", give one file per organisation, '
    "or add --year-column for the year-by-year view of one organisation. Columns found: "
    "{headers}."
)
MSG_NO_FILES = "region: give at least one extract"
MSG_STAGES_DIFFER = (
    "{file}: its stages ({stages}) differ from {first}'s ({first_stages}); give --stages so "
    "every file is read with the same ladder"
)
NOTE_FOUND_COLUMN = (
    'Organisation column: "{column}" (found by its name; choose another with '
    "--organisation-column)."
)

MSG_YEAR_BY = "--year-by {value!r}: use financial or calendar"
MSG_DUPLICATE_NAMES = (
    "{first} and {second} both name the organisation {name!r}; give the files distinct names "
    "(e.g. RJZ_2024.csv and RAE_2024.csv) or use an organisation column"
)
# Headers read as the organisation column (compared as lower-case words), best first.
ORGANISATION_HEADERS = (  # codes first: they name a trust unambiguously
    "organisation code",
    "organisation ods code",
    "organization code",
    "ods code",
    "trust code",
    "org code",
    "provider code",
    "organisation",
    "organisation name",
    "organization",
    "organization name",
    "org",
    "trust",
    "trust name",
    "provider",
    "provider name",
    "employer",
    "employing organisation",
)
_CODE = re.compile(r"^[A-Z0-9]{3,5}$")
YearBy = Literal["financial", "calendar"]


@dataclass(frozen=True)
class Organisation:
    """How an organisation is shown: ``label`` "Name (CODE)" for a known trust."""

    given: str
    code: str | None
    name: str
    known: bool
    flag: str = ""

    @property
    def label(self) -> str:
        if self.known and self.code:
            return f"{self.name} ({self.code})"
        return self.name


def _key(text: str) -> str:
    text = str(text).lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@functools.cache
def ods_trusts() -> pd.DataFrame:
    """The shipped ODS trust list, indexed by code (comment lines name the source).

    >>> ods_trusts().loc["RJZ", "name"]
    "King's College Hospital NHS Foundation Trust"
    """
    raw = resources.files("bias_audit").joinpath(ODS_FILE).read_text(encoding="utf-8")
    body = "\n".join(line for line in raw.splitlines() if not line.startswith("#"))
    table = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    return table.set_index("ods_code")


@functools.cache
def _by_name() -> dict[str, str]:
    table = ods_trusts()
    found = {_key(n): c for c, n in table["ods_name"].items()}
    found |= {_key(n): c for c, n in table["name"].items()}
    return found


def _looks_like_code(token: str) -> bool:
    """Written as a code: upper case or with a digit ("RJZ", "R0A"; not "Kings")."""
    return token.isupper() or any(ch.isdigit() for ch in token)


def organisation(value: object) -> Organisation:
    """Read an organisation value: an ODS code, a trust name, or both; else kept and flagged.

    >>> organisation("rjz").label
    "King's College Hospital NHS Foundation Trust (RJZ)"
    >>> organisation("KING'S COLLEGE HOSPITAL NHS FOUNDATION TRUST").code
    'RJZ'
    >>> organisation("RJZ - King's College Hospital").label
    "King's College Hospital NHS Foundation Trust (RJZ)"
    >>> o = organisation("RZZ9"); (o.label, o.known, o.flag == FLAG_UNKNOWN_CODE)
    ('RZZ9', False, True)
    """
    given = "" if value is None else str(value).strip()
    if not given or given.lower() in ("nan", "none"):
        return Organisation(given, None, NOT_GIVEN, False, "no organisation given")
    table = ods_trusts()
    upper = given.upper()
    if upper in table.index:
        return Organisation(given, upper, str(table.at[upper, "name"]), True)
    code = _by_name().get(_key(given))
    if code is not None:
        return Organisation(given, code, str(table.at[code, "name"]), True)
    for token in re.findall(r"[A-Za-z0-9]+", given):
        if token.upper() in table.index and _looks_like_code(token):
            code = token.upper()
            return Organisation(given, code, str(table.at[code, "name"]), True)
    if _CODE.match(given) and _looks_like_code(given):
        return Organisation(given, upper, given, False, FLAG_UNKNOWN_CODE)
    return Organisation(given, None, given, False, FLAG_UNKNOWN_NAME)


def year_label(value: object, *, year_by: YearBy = "financial") -> str | None:
    """The year a value stands for, or None when blank or unreadable.

    >>> [year_label(v) for v in ("2023", "2023/24", "2023-2024", "2023-05-14", "14/02/2024", "")]
    ['2023', '2023/24', '2023/24', '2023/24', '2023/24', None]
    >>> year_label("2023-05-14", year_by="calendar")
    '2023'
    """
    text = "" if value is None else str(value).strip()
    if re.fullmatch(r"(19|20)\d\d", text):
        return text
    match = re.fullmatch(r"((?:19|20)\d\d)\s*[/-]\s*(\d\d|\d{4})", text)
    if match:
        start = int(match.group(1))
        end = int(match.group(2)[-2:])
        if end == (start + 1) % 100:
            return f"{start}/{(start + 1) % 100:02d}"
    if not text:
        return None
    day_first = not re.match(r"^\d{4}", text)
    stamp = pd.to_datetime(text, errors="coerce", dayfirst=day_first)
    if pd.isna(stamp):
        return None
    if year_by == "calendar":
        return str(stamp.year)
    start = stamp.year if stamp.month >= 4 else stamp.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def find_organisation_column(headers: Sequence[str]) -> str | None:
    """The header that names the organisation, if one does.

    >>> find_organisation_column(["Ethnicity", "Trust Code", "Outcome"])
    'Trust Code'
    """
    wanted = {h: i for i, h in enumerate(ORGANISATION_HEADERS)}
    found = [(wanted[_key(h)], h) for h in headers if _key(h) in wanted]
    return min(found)[1] if found else None


def headers_of(source: bytes | str | os.PathLike[str], *, name: str | None,
               sheet: str | int | None, max_bytes: int) -> list[str]:  # fmt: skip
    """The column headers of an extract (found as the reader finds them)."""
    from bias_audit.io.files import EXTRACT_FILE, open_table, sniff
    from bias_audit.io.source import open_source

    src = open_source(source, kind=EXTRACT_FILE, name=name, max_bytes=max_bytes)
    return list(open_table(src, sniff(src, max_bytes=max_bytes), sheet=sheet).headers)


@dataclass
class RegionCounts:
    """The count tables of a region, split by organisation and year.

    ``families``: one or two tables of the same people, each the funnel's count table with
    ``organisation`` and ``year`` columns (``None`` where that family does not split by it).
    With one family it is split by both (or by organisation only); with two, the first is
    by organisation and the second by year.
    """

    stages: tuple[str, ...]
    attributes: tuple[str, ...]
    families: list[pd.DataFrame]
    organisations: dict[str, Organisation]
    funnels: list[Funnel]
    notes: list[str] = field(default_factory=list)
    rows_are: str = "applications"
    organisation_column: str | None = None
    year_column: str | None = None

    @property
    def by_year(self) -> pd.DataFrame | None:
        for family in self.families:
            if family["year"].notna().any():
                return family
        return None


ORGANISATION = "organisation"
YEAR = "year"


def _as_bytes(source: Any) -> tuple[Any, str | None]:
    if hasattr(source, "read"):
        name = os.path.basename(str(getattr(source, "name", "") or "")) or None
        data = source.read()
        return (data.encode() if isinstance(data, str) else data), name
    if isinstance(source, bytes | bytearray):
        return bytes(source), None
    return source, os.path.basename(str(source))


def read_region(
    sources: Sequence[str | os.PathLike[str] | bytes | BinaryIO],
    *,
    names: Sequence[str] | None = None,
    organisation_column: str | None = None,
    year_column: str | None = None,
    year_by: YearBy = "financial",
    read_options: Mapping[str, Any] | None = None,
) -> RegionCounts:
    """Read one or more extracts into count tables split by organisation (and year).

    ``read_options`` go to :func:`bias_audit.io.extract.read_funnel` (columns, stages,
    sheet, rows_are, recode, max_bytes).
    """
    from bias_audit.io.extract import read_funnel
    from bias_audit.io.files import DEFAULT_MAX_BYTES

    if year_by not in ("financial", "calendar"):
        raise OptionError(MSG_YEAR_BY.format(value=year_by))
    if not sources:
        raise OptionError(MSG_NO_FILES)
    options = dict(read_options or {})
    options.setdefault("max_bytes", DEFAULT_MAX_BYTES)
    loaded = []
    for i, source in enumerate(sources):
        data, own = _as_bytes(source)
        name = names[i] if names and i < len(names) else own
        loaded.append((data, name or f"file {i + 1}"))
    notes: list[str] = []
    organisations: dict[str, Organisation] = {}
    funnels: list[Funnel] = []
    left_out: dict[str, int] = {}
    left_out_rows: list[int] = []

    def read_frame(
        data: Any, name: str, stratify: str | None, org: str | None, split: str | None
    ) -> pd.DataFrame:
        """Read one file split by ``stratify`` (kept in ``funnels``) as long counts with
        the organisation and year columns filled in."""
        funnel = read_funnel(data, name=name, stratify=stratify, **options)
        funnels.append(funnel)
        counts = funnel.counts.copy()
        if split == ORGANISATION:
            raw = counts.pop(schema.STRATUM).astype(str)
            read = {v: organisation(v) for v in raw.unique()}
            organisations.update({o.label: o for o in read.values()})
            counts[ORGANISATION] = raw.map(lambda v: read[v].label)
            counts[YEAR] = None
        elif split == YEAR:
            raw = counts.pop(schema.STRATUM).astype(str)
            distinct = {v: year_label(v, year_by=year_by) for v in raw.unique()}
            years = raw.map(distinct)
            blank = years.isna()
            rows = int(counts.loc[blank, schema.COUNT].sum())
            if rows:
                left_out.update(dict.fromkeys([v for v, y in distinct.items() if y is None], 0))
                left_out_rows.append(rows)
            counts[YEAR] = years.where(~blank, UNKNOWN_YEAR)
            counts[ORGANISATION] = org
        else:
            counts[ORGANISATION] = org
            counts[YEAR] = None
        return counts

    if len(loaded) == 1:
        data, name = loaded[0]
        column = organisation_column
        if column is None:
            headers = headers_of(data, name=name, sheet=options.get("sheet"),
                                 max_bytes=options["max_bytes"])  # fmt: skip
            column = find_organisation_column(headers)
            if column is not None:
                notes.append(NOTE_FOUND_COLUMN.format(column=column))
            if column is None and year_column is None:
                raise InputDataError(
                    MSG_NO_ORGANISATION.format(
                        file=name, headers=", ".join(f'"{h}"' for h in headers)
                    )
                )
        families = []
        if column is not None:
            families.append(read_frame(data, name, column, None, ORGANISATION))
        if year_column is not None:
            label = organisation(Path(name).stem) if column is None else None
            if label is not None:
                organisations[label.label] = label
            org = None if label is None else label.label
            families.append(read_frame(data, name, year_column, org, YEAR))
            if column is not None:
                notes.append(NOTE_TWO_READINGS.format(organisation=column, year=year_column))
    else:
        parts: list[pd.DataFrame] = []
        by_year: list[pd.DataFrame] = []
        seen: dict[str, str] = {}
        for data, name in loaded:
            if organisation_column is not None:
                parts.append(read_frame(data, name, organisation_column, None, ORGANISATION))
                if year_column is not None:
                    by_year.append(read_frame(data, name, year_column, None, YEAR))
                continue
            who = _organisation_from_file(name)
            if who.label in seen:
                raise InputDataError(
                    MSG_DUPLICATE_NAMES.format(first=seen[who.label], second=name, name=who.label)
                )
            seen[who.label] = name
            organisations[who.label] = who
            split = YEAR if year_column else None
            parts.append(read_frame(data, name, year_column, who.label, split))
        families = [pd.concat(parts, ignore_index=True)]
        if by_year:
            families.append(pd.concat(by_year, ignore_index=True))
            notes.append(
                NOTE_TWO_READINGS.format(organisation=organisation_column, year=year_column)
            )
        column = organisation_column
    rows = sum(left_out_rows)
    if rows:
        notes.append(
            NOTE_YEARS_LEFT_OUT.format(
                count=rows, column=year_column,
                examples=", ".join(f'"{v}"' for v in list(left_out)[:3]) or '""',
            )
        )  # fmt: skip
    for flag in (FLAG_UNKNOWN_CODE, FLAG_UNKNOWN_NAME):
        given = sorted(
            (o.given for o in organisations.values() if o.flag == flag), key=str.casefold
        )
        if given:
            notes.append(NOTE_UNKNOWN.format(value='", "'.join(given), flag=flag))
    stages = tuple(funnels[0].stages)
    for funnel in funnels[1:]:
        if tuple(funnel.stages) != stages:
            raise InputDataError(
                MSG_STAGES_DIFFER.format(
                    file=funnel.source,
                    stages=", ".join(funnel.stages),
                    first=funnels[0].source,
                    first_stages=", ".join(stages),
                )
            )
    attributes = tuple(dict.fromkeys(a for f in funnels for a in f.attributes))
    return RegionCounts(
        stages=stages,
        attributes=attributes,
        families=families,
        organisations=organisations,
        funnels=funnels,
        notes=notes,
        rows_are=funnels[0].rows_are,
        organisation_column=column,
        year_column=year_column,
    )


def _organisation_from_file(name: str) -> Organisation:
    """A file named after a trust: a known ODS code in the name, else the name itself.

    >>> _organisation_from_file("RJZ_2024.csv").label
    "King's College Hospital NHS Foundation Trust (RJZ)"
    >>> _organisation_from_file("north_trust.csv").label
    'north_trust'
    """
    stem = Path(name).stem
    table = ods_trusts()
    for token in re.split(r"[^A-Za-z0-9]+", stem):
        if token.upper() in table.index and _looks_like_code(token):
            return organisation(token.upper())
    found = organisation(stem)
    return found if found.known else Organisation(stem, None, stem, False, FLAG_UNKNOWN_NAME)
