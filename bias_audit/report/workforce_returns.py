"""The WRES and WDES figures laid out like the national data-collection returns.

Every NHS trust submits its Workforce Race Equality Standard and Workforce Disability
Equality Standard data to NHS England each year (the WRES and WDES data collections: WRES
indicators 1–4 and 9 from ESR and HR records, WDES metrics 1–3 and 10). This workbook lays
the audit's counts out the way those returns ask for them, so a trust can copy each figure
across: one sheet per standard, one block per indicator, one row per line of the return
and the group counts in columns (White / BME / Unknown or null; Disabled / Non-disabled /
Unknown or null), with the figure the standard derives from them beside.

It is *analyst output*: the counts are exact, as a trust submits them, and the cover sheet
says so. It is therefore never made from an audit run with disclosure control on
(:data:`REFUSED_PUBLISHED`): a published audit holds rounded and hidden counts, which must
not be submitted and which this layout would present as if exact.

The layout is this project's rendering of the returns' structure (NHS England, *WRES
technical guidance* and *WDES technical guidance*: WDES metric 1 in the seven pay
clusters — Cluster 1 AfC Bands under 1 to 4, Cluster 2 Bands 5–7, Cluster 3 Bands 8a–8b,
Cluster 4 Bands 8c–9 and VSM, Cluster 5 medical consultants, Cluster 6 medical
non-consultant career grades, Cluster 7 medical trainee grades), not NHS England's own
template file. Every text cell is made formula-safe (:func:`~bias_audit.report.export.
neutralise_formula`).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bias_audit import __version__
from bias_audit.errors import OptionError
from bias_audit.io.workforce_values import BAND_ORDER
from bias_audit.report import suppression as sdc
from bias_audit.report.export import neutralise_formula
from bias_audit.stats import schema

REFUSED_PUBLISHED = (
    "The national-returns workbook holds exact counts (analyst output, as a trust submits "
    "them to NHS England), so it is not made when disclosure control is on. Run the audit "
    "again with suppression off (--no-suppression) to make it, and keep the file inside the "
    "trust."
)
NOT_AN_AUDIT = (
    "write_returns needs a workforce audit (its to_dict() output with the WRES and WDES "
    "keys); got {kind}"
)
COVER_SHEET = "Cover"
WRES_SHEET = "WRES"
WDES_SHEET = "WDES"
COVER_LINES = (
    "Analyst output: EXACT COUNTS. Disclosure control is off in this file.",
    "The counts are as the trust submits them to the national WRES and WDES data "
    "collections; do not publish this file or paste its counts into public papers (use "
    "the published report, where counts of 1–7 are hidden and others rounded to 5).",
    "Each sheet follows the structure of the national return: one block per indicator, the "
    "group counts in columns, the derived figure beside them. Copy the counts across.",
    "Not stated / unknown: people with no recorded ethnicity (disability status) are "
    "counted in the Unknown or null column and left out of the ratios, as the guidance "
    "says.",
)
CLUSTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Cluster 1: AfC Bands <1 to 4", ("Under Band 1", "Band 1", "Band 2", "Band 3", "Band 4")),
    ("Cluster 2: AfC Bands 5 to 7", ("Band 5", "Band 6", "Band 7")),
    ("Cluster 3: AfC Bands 8a and 8b", ("Band 8a", "Band 8b")),
    ("Cluster 4: AfC Bands 8c to 9 and VSM", ("Band 8c", "Band 8d", "Band 9", "VSM")),
    ("Cluster 5: Medical and dental consultants", ("Medical: Consultant",)),
    (
        "Cluster 6: Medical and dental non-consultant career grades",
        ("Medical: Non-consultant career grade",),
    ),
    ("Cluster 7: Medical and dental trainee grades", ("Medical: Trainee grade",)),
)
HEADER_FILL = PatternFill("solid", fgColor="DCEBF6")
SECTION_FONT = Font(bold=True, size=12)
WRES_GROUPS = (schema.WHITE, schema.BME, schema.NOT_STATED)
WDES_GROUPS = (schema.DISABLED, schema.NON_DISABLED, schema.NOT_STATED)
GROUP_HEADINGS = {
    schema.WHITE: "White",
    schema.BME: "BME",
    schema.DISABLED: "Disabled",
    schema.NON_DISABLED: "Non-disabled",
    schema.NOT_STATED: "Unknown or null",
}
_PUBLISHED_FLAGS = ("suppression", "suppressed", "published")


def _as_dict(audit: Any) -> dict[str, Any]:
    if isinstance(audit, Mapping):
        return dict(audit)
    to_dict = getattr(audit, "to_dict", None)
    if to_dict is None:
        raise OptionError(NOT_AN_AUDIT.format(kind=type(audit).__name__))
    return dict(to_dict())


def _labels(node: Any) -> bool:
    """True when any count in ``node`` is a published label ("≤7" or "*")."""
    if isinstance(node, Mapping):
        return any(_labels(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_labels(v) for v in node)
    return sdc.is_hidden(node)


def is_published(audit: Any, data: Mapping[str, Any]) -> bool:
    """Whether the audit was run with disclosure control on (by its flag, or because it
    holds a hidden count)."""
    for flag in _PUBLISHED_FLAGS:
        for value in (getattr(audit, flag, None), data.get(flag)):
            if isinstance(value, bool) and value:
                return True
    keys = [k for k in data if k.startswith(("wres_", "wdes_"))]
    return any(_labels(data[k]) for k in keys)


def returns_workbook(audit: Any, *, generated: dt.datetime | None = None) -> bytes:
    """The ``.xlsx`` bytes of the returns workbook (see the module docstring).

    Raises
    ------
    OptionError
        When the audit was run in published mode (:data:`REFUSED_PUBLISHED`).
    """
    data = _as_dict(audit)
    if is_published(audit, data):
        raise OptionError(REFUSED_PUBLISHED)
    generated = dt.datetime.now(dt.UTC) if generated is None else generated
    book = Workbook()
    cover = book.active
    cover.title = COVER_SHEET
    _cover(cover, data, generated)
    wres = book.create_sheet(WRES_SHEET)
    _sheet(wres, "WRES indicator", WRES_GROUPS, _wres_blocks(data))
    wdes = book.create_sheet(WDES_SHEET)
    _sheet(wdes, "WDES metric", WDES_GROUPS, _wdes_blocks(data))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_returns(audit: Any, path: str | os.PathLike[str]) -> Path:
    """Write the returns workbook of ``audit`` to ``path`` (refused in published mode).

    Examples
    --------
    >>> import tempfile
    >>> audit = {"suppression": True}
    >>> write_returns(audit, Path(tempfile.mkdtemp()) / "r.xlsx")
    Traceback (most recent call last):
    ...
    bias_audit.errors.OptionError: The national-returns workbook holds exact counts ...
    """
    content = returns_workbook(audit)
    target = Path(path)
    target.write_bytes(content)
    return target


# ------------------------------------------------------------------ the blocks of each sheet
Row = tuple[str, Mapping[str, Any], Any, str]  # line, counts by group, figure, note
Block = tuple[str, str, list[Row]]  # heading, what the figure column holds, rows


def _reason(indicator: Mapping[str, Any]) -> str:
    return str(indicator.get("reason") or "")


def _band_key(band: str) -> int:
    return BAND_ORDER.index(band) if band in BAND_ORDER else len(BAND_ORDER)


def _profile_rows(indicator: Mapping[str, Any], groups: Sequence[str]) -> list[Row]:
    rows: list[Row] = []
    bands = indicator.get("bands") or []
    for part in ("Non-clinical", "Clinical", schema.NOT_STATED):
        chosen = sorted(
            (b for b in bands if b["clinical"] == part), key=lambda b: _band_key(b["band"])
        )
        for band in chosen:
            counts = {g: band.get(g, 0) for g in groups}
            counts["Total"] = band.get("total")
            share = band.get("difference_pp")
            where = "Clinical not stated" if part == schema.NOT_STATED else part
            rows.append((f"{where}: {band['band']}", counts, share, ""))
    workforce = indicator.get("workforce") or {}
    if workforce:
        counts = {g: workforce.get(g, 0) for g in groups}
        counts["Total"] = workforce.get("total")
        rows.append(("Overall workforce", counts, None, _reason(indicator)))
    elif _reason(indicator):
        rows.append(("Not computable", {}, None, _reason(indicator)))
    return rows


def _cluster_rows(indicator: Mapping[str, Any], groups: Sequence[str]) -> list[Row]:
    bands = indicator.get("bands") or []
    rows: list[Row] = []
    for part in ("Non-clinical", "Clinical"):
        for name, members in CLUSTERS:
            chosen = [b for b in bands if b["clinical"] == part and b["band"] in members]
            counts = {g: sum(int(b.get(g) or 0) for b in chosen) for g in groups}
            counts["Total"] = sum(int(b.get("total") or 0) for b in chosen)
            rows.append((f"{part}: {name}", counts, None, ""))
    rows += [r for r in _profile_rows(indicator, groups) if r[0] == "Overall workforce"]
    return rows


def _ratio_rows(indicator: Mapping[str, Any], groups: Sequence[str], counted: str) -> list[Row]:
    if _reason(indicator) and indicator.get("value") is None and not indicator.get("focal"):
        return [("Not computable", {}, None, _reason(indicator))]
    reference, focal = indicator["reference"], indicator["focal"]
    unknown = {schema.NOT_STATED: indicator.get("not_stated_excluded")}
    rows: list[Row] = []
    for year, numbers in (indicator.get("by_year") or {}).items():
        rows.append(
            (
                f"Staff in the workforce, {year}",
                {reference: numbers[reference]["staff"], focal: numbers[focal]["staff"]},
                None,
                "",
            )
        )
        rows.append(
            (
                f"Staff who {counted}, {year}",
                {reference: numbers[reference][counted], focal: numbers[focal][counted]},
                None,
                "",
            )
        )
    label = "two years" if indicator.get("official") and indicator.get("by_year") else "year"
    rows.append(
        (
            f"Staff in the workforce ({label})",
            {reference: indicator[reference]["staff"], focal: indicator[focal]["staff"], **unknown},
            None,
            "",
        )
    )
    rows.append(
        (
            f"Staff who {counted} ({label})",
            {reference: indicator[reference][counted], focal: indicator[focal][counted]},
            None,
            "",
        )
    )
    note = " ".join(x for x in (indicator.get("note") or "", _reason(indicator)) if x)
    rows.append(
        (
            "Relative likelihood (" + str(indicator.get("ratio", "")) + ")",
            {},
            indicator.get("value"),
            note,
        )
    )
    return rows


def _board_rows(indicator: Mapping[str, Any], groups: Sequence[str]) -> list[Row]:
    parts = indicator.get("parts") or {}
    if not parts:
        return [("Not computable", {}, None, _reason(indicator))]
    rows: list[Row] = []
    lines = (
        ("all", "Total board members"),
        ("voting", "of which: voting members"),
        ("non_voting", "of which: non-voting members"),
        ("executive", "of which: executive members"),
        ("non_executive", "of which: non-executive members"),
    )
    for part, words in lines:
        if part not in parts:
            continue
        counts = {g: parts[part].get(g, 0) for g in groups}
        counts["Total"] = parts[part].get("members")
        rows.append((words, counts, parts[part].get("difference_pp"), ""))
    return rows


def _recruitment_rows(indicator: Mapping[str, Any] | None) -> list[Row]:
    if not indicator:
        return [("Not in this audit", {}, None, "Give the recruitment extract too to link it.")]
    rows: list[Row] = []
    for key, words in (
        ("shortlisted", "Shortlisted applicants"),
        ("appointed", "Appointed from shortlisting"),
    ):
        counts = {
            g: v.get(key) for g, v in indicator.items() if isinstance(v, Mapping) and key in v
        }
        rows.append((words, counts, None, ""))
    rows.append(("Relative likelihood", {}, indicator.get("value"), _reason(indicator)))
    return rows


def _wres_blocks(data: Mapping[str, Any]) -> list[Block]:
    get = data.get
    return [
        (
            "Indicator 1: staff in each AfC band, medical grade and VSM (headcount)",
            "BME share minus workforce share (pp)",
            _profile_rows(get("wres_indicator_1") or {}, WRES_GROUPS),
        ),
        (
            "Indicator 2: appointed from shortlisting",
            "White ÷ BME",
            _recruitment_rows(get("wres_indicator_2")),
        ),
        (
            "Indicator 3: entering the formal disciplinary process",
            "BME ÷ White",
            _ratio_rows(get("wres_indicator_3") or {}, WRES_GROUPS, "entered"),
        ),
        (
            "Indicator 4: accessing non-mandatory training and CPD",
            "White ÷ BME",
            _ratio_rows(get("wres_indicator_4") or {}, WRES_GROUPS, "accessed"),
        ),
        (
            "Indicator 9: board membership",
            "BME share minus workforce share (pp)",
            _board_rows(get("wres_indicator_9") or {}, WRES_GROUPS),
        ),
    ]


def _wdes_blocks(data: Mapping[str, Any]) -> list[Block]:
    get = data.get
    return [
        (
            "Metric 1: staff in each pay cluster (headcount)",
            "",
            _cluster_rows(get("wdes_metric_1") or {}, WDES_GROUPS),
        ),
        (
            "Metric 1 by band (detail)",
            "Disabled share minus workforce share (pp)",
            _profile_rows(get("wdes_metric_1") or {}, WDES_GROUPS),
        ),
        (
            "Metric 2: appointed from shortlisting",
            "Non-disabled ÷ Disabled",
            _recruitment_rows(get("wdes_metric_2")),
        ),
        (
            "Metric 3: entering the formal capability process",
            "Disabled ÷ Non-disabled",
            _ratio_rows(get("wdes_metric_3") or {}, WDES_GROUPS, "entered"),
        ),
        (
            "Metric 10: board membership",
            "Disabled share minus workforce share (pp)",
            _board_rows(get("wdes_metric_10") or {}, WDES_GROUPS),
        ),
    ]


# ------------------------------------------------------------------ writing
def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return value
    return neutralise_formula(str(value))


def _sheet(sheet: Any, what: str, groups: Sequence[str], blocks: list[Block]) -> None:
    headings = [
        "Line of the return",
        *(GROUP_HEADINGS[g] for g in groups),
        "Total",
        "Figure",
        "Note",
    ]
    row = 1
    sheet.cell(row, 1, f"{what}s: counts to copy into the national return (exact)").font = Font(
        bold=True, size=14
    )
    row += 2
    for heading, figure, lines in blocks:
        sheet.cell(row, 1, neutralise_formula(heading)).font = SECTION_FONT
        row += 1
        for col, text in enumerate(headings, start=1):
            cell = sheet.cell(row, col, text if col != len(headings) - 1 or not figure else figure)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
        for line, counts, value, note in lines:
            sheet.cell(row, 1, _cell_value(line))
            for col, group in enumerate(groups, start=2):
                sheet.cell(row, col, _cell_value(counts.get(group)))
            total = counts.get("Total")
            sheet.cell(row, len(groups) + 2, _cell_value(total))
            figure_cell = sheet.cell(row, len(groups) + 3, _cell_value(value))
            figure_cell.number_format = "0.00"
            sheet.cell(row, len(groups) + 4, _cell_value(note or None))
            row += 1
        row += 1
    widths = [62, 14, 14, 16, 12, 14, 60]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _cover(sheet: Any, data: Mapping[str, Any], generated: dt.datetime) -> None:
    sheet.cell(1, 1, "WRES and WDES national returns — analyst output").font = Font(
        bold=True, size=16
    )
    lines = [
        *COVER_LINES,
        f"Source: {data.get('source') or 'the staff extract'}",
        f"Extract date: {data.get('extract_date') or 'not given'}",
        f"Made by bias-audit {__version__} on {generated:%Y-%m-%d %H:%M} UTC.",
    ]
    for i, line in enumerate(lines, start=3):
        cell = sheet.cell(i, 1, neutralise_formula(line))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(3, 1).font = Font(bold=True, color="C00000", size=13)
    sheet.column_dimensions["A"].width = 110
