"""The workforce audit workflow: an ESR-style staff extract to WRES / WDES figures.

:func:`audit_workforce` reads the extract (:func:`bias_audit.io.workforce.read_staff`),
groups the staff into the counts every indicator rests on
(:mod:`bias_audit.stats.workforce_cells`), and computes WRES indicators 1, 3, 4, 9 and WDES
metrics 1, 3, 10; with a recruitment extract too, WRES indicator 2 and WDES metric 2 come
from the recruitment audit (:func:`bias_audit.services.recruitment.audit_extract`).
Disclosure control is on by default: every count is protected in one publication and every
figure worked out from the published counts (:mod:`bias_audit.report.workforce_publish`)
before anything leaves this module.

Retention and progression (issue 12 points 3 and 4) come from
:mod:`bias_audit.report.workforce_flow`: measured once, their counts join the same
protection as the indicators' before their sections are written.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import pandas as pd

from bias_audit.errors import OptionError
from bias_audit.io.workforce import StaffExtract, read_staff
from bias_audit.report import suppression as sdc
from bias_audit.report import workforce_flow as flow
from bias_audit.report.workforce_publish import (
    WorkforcePublication,
    protect_workforce,
    published_indicators,
    round_for_print,
)
from bias_audit.stats.workforce_audit import all_indicators
from bias_audit.stats.workforce_cells import StaffCells, staff_cells
from bias_audit.stats.workforce_indicators import INDICATOR_KEYS_LINKED

REASON_NOT_LINKED = (
    "no recruitment extract was given; pass one with --recruitment FILE (in Python: "
    "recruitment=) to link {name} from the recruitment audit"
)
MSG_BAD_DATE = '{option}: "{value}" is not a date; give it as 2024-04-01 or 01/04/2024 (day first).'
MSG_BAD_YEARS = "retention_years (--retention-years): {value} is not a whole number of years ≥ 1."
MSG_YEARS_AND_FROM = (
    "give the retention period either as a start date (--retention-from) or as the last N "
    "years (--retention-years), not both."
)
MSG_BAD_BANDS = (
    'cohort bands (--cohort-band): "{value}" names no band; give bands as "Band 2", "2" or a '
    'range "2-4" (or "all" on the command line).'
)
WARNING_EXCLUSION = {
    "no_start_date": "{count} staff record(s) have no start date (kept in the band profile).",
    "left_before_extract": "{count} staff record(s) left on or before the extract date "
    "(counted in the years they were employed, not in post).",
    "not_in_earlier": "{count} person(s) are not in the earlier extract (no earlier band).",
    "no_earlier_band": "{count} person(s) have no band at the start of the period (not in "
    "post then).",
}
WARNING_UNREAD = '{count} value(s) in column "{column}" could not be read; counted as "Not stated".'
WARNING_BAD_DATES = '{count} value(s) in column "{column}" are not dates; treated as blank.'
WARNING_UNPROTECTED = (
    "Disclosure control could not fully protect every small count; the figures resting on "
    "them are withheld."
)
WARNING_ONE_YEAR = "{name}: one year of data, not the official two-year rolling figure."
WARNING_NO_STAFF_GROUP = (
    "No staff group column: WRES 1 and WDES 1 cannot be split into clinical and "
    'non-clinical staff (name it with --column staff_group="<header>").'
)


class Default(enum.Enum):
    """The default roles of the retention cohort (``None`` means every role)."""

    DEFAULT = "default"


DEFAULT = Default.DEFAULT


@dataclass
class WorkforceAudit:
    """A workforce audit, as published (or exact, with ``suppression=False``).

    ``indicators`` maps each JSON key (``wres_indicator_1`` … ``wdes_metric_10``,
    ``wres_indicator_2`` / ``wdes_metric_2`` when linked) to its result dict; ``retention``
    and ``progression`` are filled by the flow module; ``warnings`` are sentences.
    """

    source: str
    suppression: bool
    extract_date: str
    years: tuple[str, str]
    columns: list[tuple[str, str, str]]
    indicators: dict[str, dict[str, Any]]
    retention: dict[str, Any] | None
    progression: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    exclusions: dict[str, sdc.Label] = field(default_factory=dict)
    staff: StaffExtract | None = field(default=None, repr=False)
    cells: StaffCells | None = field(default=None, repr=False)
    publication: WorkforcePublication | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (docs/json-contract.md, section "workforce")."""
        return {
            "source": self.source,
            "suppression": self.suppression,
            "extract_date": self.extract_date,
            "years": list(self.years),
            "columns": [{"role": r, "column": c, "how": h} for r, c, h in self.columns],
            **self.indicators,
            "retention": self.retention,
            "progression": self.progression,
            "exclusions": dict(self.exclusions),
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }


def audit_workforce(
    source: str | os.PathLike[str] | bytes | IO[bytes],
    *,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
    extract_date: object = None,
    earlier: str | os.PathLike[str] | bytes | IO[bytes] | None = None,
    recruitment: str | os.PathLike[str] | bytes | IO[bytes] | None = None,
    recruitment_name: str | None = None,
    recruitment_columns: Mapping[str, str] | None = None,
    suppression: bool = True,
    max_bytes: int | None = None,
    retention_from: object = None,
    retention_to: object = None,
    retention_years: int | None = None,
    cohort_staff_groups: Sequence[str] | Default | None = DEFAULT,
    cohort_bands: Sequence[str] | Default | None = DEFAULT,
) -> WorkforceAudit:
    """Read a staff extract and compute the WRES / WDES indicators: the one call the app,
    the CLI and the API make.

    Parameters
    ----------
    source, name, columns, sheet, extract_date, earlier, max_bytes
        As for :func:`bias_audit.io.workforce.read_staff`.
    recruitment
        A recruitment extract: WRES indicator 2 and WDES metric 2 are linked from its audit
        (same disclosure setting); ``recruitment_columns`` maps its columns.
    suppression
        Disclosure control (default on). Switch off only for the analyst's own use.
    retention_from, retention_to, retention_years
        The period in which the retention cohort started (dates, inclusive; ISO or
        day-first text), or ``retention_years``: the last N years up to the extract date.
        Default: the last two years.
    cohort_staff_groups, cohort_bands
        The roles of the retention cohort (and the staff groups asked about progression):
        ESR staff groups and AfC bands ("Band 2"; a bare "2" is read so). ``None``: all.
        Default: Bands 1–4 of "Additional Clinical Services" (healthcare support roles).

    Examples
    --------
    >>> audit = audit_workforce("example_data/workforce_extract.csv")
    >>> audit.indicators["wres_indicator_3"]["value"], audit.suppression
    (1.59, True)
    """
    staff = read_staff(
        source,
        name=name,
        columns=columns,
        sheet=sheet,
        extract_date=extract_date,
        earlier=earlier,
        max_bytes=max_bytes,
    )
    return audit_staff(
        staff,
        recruitment=recruitment,
        recruitment_name=recruitment_name,
        recruitment_columns=recruitment_columns,
        suppression=suppression,
        retention_from=retention_from,
        retention_to=retention_to,
        retention_years=retention_years,
        cohort_staff_groups=cohort_staff_groups,
        cohort_bands=cohort_bands,
    )


def audit_staff(
    staff: StaffExtract,
    *,
    recruitment: str | os.PathLike[str] | bytes | IO[bytes] | None = None,
    recruitment_name: str | None = None,
    recruitment_columns: Mapping[str, str] | None = None,
    suppression: bool = True,
    retention_from: object = None,
    retention_to: object = None,
    retention_years: int | None = None,
    cohort_staff_groups: Sequence[str] | Default | None = DEFAULT,
    cohort_bands: Sequence[str] | Default | None = DEFAULT,
) -> WorkforceAudit:
    """Audit a staff extract already read (see :func:`audit_workforce`)."""
    options = flow_options(
        staff.extract_date,
        retention_from=retention_from,
        retention_to=retention_to,
        retention_years=retention_years,
        cohort_staff_groups=cohort_staff_groups,
        cohort_bands=cohort_bands,
    )
    # Retention and progression are worked out once: the same result gives the atoms'
    # columns and, after the one protection, the published sections.
    measured = flow.measure_flow(staff, **options)
    extra = flow.flow_dimensions(measured)
    cells = staff_cells(staff.frame, extract_date=staff.extract_date, extra=extra)
    flow.add_flow_counts(cells)
    publication = None
    if suppression:
        publication = protect_workforce(cells, exclusions=staff.exclusions)
        results = published_indicators(cells, publication)
        exclusions = dict(publication.exclusions)

        def count(key: Any) -> sdc.Label:
            return publication.labels.get(key, 0)
    else:
        results = round_for_print(all_indicators(cells))
        exclusions = dict(staff.exclusions)
        count = cells.value
    sections = flow.flow_sections(measured, cells, count, suppression=suppression)
    results.update(
        _linked(
            recruitment,
            name=recruitment_name,
            columns=recruitment_columns,
            suppression=suppression,
        )
    )
    warnings = _warnings(staff, exclusions, results, publication)
    return WorkforceAudit(
        source=staff.source,
        suppression=suppression,
        extract_date=staff.extract_date.date().isoformat(),
        years=cells.years,
        columns=list(staff.choices),
        indicators=results,
        retention=sections.get("retention"),
        progression=sections.get("progression"),
        warnings=warnings,
        # Published mode: how the file was read, without the counts (those are in
        # ``exclusions``, labelled by the disclosure control).
        notes=list(staff.notes if not suppression else staff.reading_notes),
        exclusions=exclusions,
        staff=staff,
        cells=cells,
        publication=publication,
    )


def parse_day(value: object, *, option: str) -> dt.date | None:
    """A date option as a date: a date, ISO text (2024-04-01) or day-first text
    (01/04/2024, as ESR writes dates); ``None`` stays ``None``.

    >>> parse_day("01/04/2024", option="x"), parse_day("2024-04-01", option="x")
    (datetime.date(2024, 4, 1), datetime.date(2024, 4, 1))
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise OptionError(MSG_BAD_DATE.format(option=option, value=text))


def band_names(bands: Sequence[str]) -> tuple[str, ...]:
    """Cohort bands as the reader names them: "2" and "band 2" read as "Band 2"; a
    range "2-4" as Bands 2, 3 and 4; other names ("Band 8a") kept.

    >>> band_names(["2", "band 3", "Band 8a"]), band_names(["1-4"])
    (('Band 2', 'Band 3', 'Band 8a'), ('Band 1', 'Band 2', 'Band 3', 'Band 4'))
    """
    out: list[str] = []
    for raw in bands:
        text = str(raw).strip()
        bare = text.lower().removeprefix("band").strip()
        low, dash, high = bare.partition("-")
        if dash and low.strip().isdigit() and high.strip().isdigit():
            first, last = int(low), int(high)
            if first > last:
                raise OptionError(MSG_BAD_BANDS.format(value=text))
            out += [f"Band {b}" for b in range(first, last + 1)]
        elif bare.isdigit() or (bare[:1].isdigit() and bare[1:] in ("a", "b", "c", "d")):
            out.append(f"Band {bare}")
        elif text:
            out.append(text)
    if not out:
        raise OptionError(MSG_BAD_BANDS.format(value=", ".join(map(str, bands))))
    return tuple(dict.fromkeys(out))


def flow_options(
    extract_date: Any,
    *,
    retention_from: object = None,
    retention_to: object = None,
    retention_years: int | None = None,
    cohort_staff_groups: Sequence[str] | Default | None = DEFAULT,
    cohort_bands: Sequence[str] | Default | None = DEFAULT,
) -> dict[str, Any]:
    """The retention period and cohort roles as keyword arguments of ``measure_flow``."""
    start_from = parse_day(retention_from, option="retention_from (--retention-from)")
    start_to = parse_day(retention_to, option="retention_to (--retention-to)")
    if retention_years is not None:
        if start_from is not None:
            raise OptionError(MSG_YEARS_AND_FROM)
        if (
            isinstance(retention_years, bool)
            or int(retention_years) != retention_years
            or (retention_years < 1)
        ):
            raise OptionError(MSG_BAD_YEARS.format(value=retention_years))
        end = start_to or pd.Timestamp(extract_date).date()
        start_from = (pd.Timestamp(end) - pd.DateOffset(years=int(retention_years))).date()
    options: dict[str, Any] = {"start_from": start_from, "start_to": start_to}
    if cohort_staff_groups is not DEFAULT:
        groups = cohort_staff_groups
        options["staff_groups"] = None if groups is None else tuple(str(g) for g in groups)
    if cohort_bands is not DEFAULT:
        options["bands"] = None if cohort_bands is None else band_names(cohort_bands)
    return options


def _linked(recruitment, *, name, columns, suppression) -> dict[str, dict[str, Any]]:
    """WRES indicator 2 / WDES metric 2 from the recruitment audit, or the reason not."""
    if recruitment is None:
        return {
            key: {"name": label, "value": None, "reason": REASON_NOT_LINKED.format(name=label)}
            for key, label in INDICATOR_KEYS_LINKED.items()
        }
    from bias_audit.services.recruitment import audit_extract

    audit = audit_extract(recruitment, name=name, columns=columns, suppression=suppression)
    linked = {}
    for key in INDICATOR_KEYS_LINKED:
        result = dict(getattr(audit, key))
        result["source"] = audit.funnel.source if hasattr(audit.funnel, "source") else name
        linked[key] = result
    return linked


def _warnings(
    staff: StaffExtract,
    exclusions: Mapping[str, sdc.Label],
    results: Mapping[str, Mapping[str, Any]],
    publication: WorkforcePublication | None,
) -> list[str]:
    warnings = []
    for key, label in exclusions.items():
        if label == 0:
            continue
        if key in WARNING_EXCLUSION:
            warnings.append(WARNING_EXCLUSION[key].format(count=label))
        elif key.startswith("unread_"):
            column = staff.columns.get(key.removeprefix("unread_"), key)
            warnings.append(WARNING_UNREAD.format(count=label, column=column))
        elif key.startswith("bad_dates_"):
            column = staff.columns.get(key.removeprefix("bad_dates_"), key)
            warnings.append(WARNING_BAD_DATES.format(count=label, column=column))
    if "clinical" not in staff.frame:
        warnings.append(WARNING_NO_STAFF_GROUP)
    for result in results.values():
        if result.get("official") is False:
            warnings.append(WARNING_ONE_YEAR.format(name=result["name"]))
    if publication is not None and publication.unprotected:
        warnings.append(WARNING_UNPROTECTED)
    return warnings
