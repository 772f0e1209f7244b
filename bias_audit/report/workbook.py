"""The recruitment audit as a board-ready Excel workbook.

A cover sheet says what the file is (source, date, options, the small-number rule, what the
ratios mean and which way they point, the warnings); then one sheet per attribute view, the
stage counts, WRES indicator 2 / WDES metric 2 and, when present, the stratified tests and
the guaranteed interview scheme. Every sheet has headers in words, a bold frozen header
row, a filter and fitted widths; rates, ratios and p-values are numbers with number formats,
so they can be sorted and charted. A hidden count ("≤7" or "*") is a blank cell with the
marker in a "Hidden counts" column; a statistic that cannot be worked out is a blank cell
with the reason beside it. Text never sits in a number column.

Built with openpyxl (already a dependency, for reading ``.xlsx`` extracts): its styles,
number formats, frozen panes and filters cover everything here, and it reads the file back
in the tests. XlsxWriter would add a second package for the same features, and writes only.

Nothing is computed here: counts, statistics and reasons come from the
:class:`~bias_audit.stats.results.RecruitmentAudit` as published (already suppressed when
disclosure control is on); this module only lays them out.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bias_audit import __version__
from bias_audit.report import suppression as sdc
from bias_audit.report.export import neutralise_formula
from bias_audit.report.style import ATTRIBUTE_LABELS
from bias_audit.stats import schema

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from bias_audit.stats.results import RecruitmentAudit

Kind = Literal["text", "count", "percent", "ratio", "p", "statistic", "whole"]

NUMBER_FORMATS: dict[str, str] = {
    "count": "#,##0",
    "percent": "0.0%",
    "ratio": "0.00",
    # The p-value stays a number; below 0.001 it reads "< 0.001" (as in the HTML report).
    "p": '[<0.001]"< 0.001";0.000',
    "statistic": "0.00",
    "whole": "0",
}

COVER_SHEET = "About this workbook"
STAGE_SHEET = "Reached each stage"
INDICATOR_SHEET = "WRES 2 and WDES 2"
STRATA_SHEET = "Strata (CMH)"
SCHEME_SHEET = "Guaranteed interview"
POPULATION_SHEET = "Local population"


def _view_name(attribute: object) -> str:
    """An attribute view's sheet name: its label in words (report.style.ATTRIBUTE_LABELS,
    each within Excel's 31 characters without : \\ / ? * [ ]), else the name made safe."""
    return ATTRIBUTE_LABELS.get(str(attribute), _title(str(attribute)))


# What each kind of sheet shows, for the cover's list of contents.
VIEW_SHEET_NOTE = "Each step of the funnel by {view}, compared with {reference}."
SHEET_NOTES: dict[str, str] = {
    STAGE_SHEET: "How many in each group reached each stage, and their share of the group.",
    INDICATOR_SHEET: "WRES indicator 2 and WDES metric 2 (NHS England definitions).",
    STRATA_SHEET: "Each comparison pooled across the strata (Cochran–Mantel–Haenszel), and "
    "whether the gap differs between strata (Breslow–Day).",
    SCHEME_SHEET: "Applicants under the Disability Confident guaranteed interview scheme.",
    POPULATION_SHEET: "Each group's share at every stage against its share of {area} "
    "(Census 2021). {attribution}",
}

TITLE = "Recruitment audit"
GENERATED = "{date} (bias-audit {version})"
SUPPRESSION_RULE = (
    "On (NHS Digital rule): counts of 1–7 are hidden as ≤7 and every other count is rounded "
    "to the nearest 5; where tables could be added and subtracted to narrow a ≤7, another "
    "count is hidden as *. Every rate, ratio, interval and p-value is worked out from the "
    "counts as shown (allowing for their rounding), ratios to 2 decimal places and p to 2 "
    "significant figures; none is given for a hidden count. Per-group withdrawals are not "
    "published, only their total. Safe to share in a board paper."
)
SUPPRESSION_OFF = (
    "Off: exact counts, including counts of 1–7. For the analyst's own use only; do not "
    "publish or share this workbook."
)
HIDDEN_LEGEND = (
    "A hidden count is a blank cell; the Hidden counts column says which and why: "
    "≤7 = a count of 1 to 7; * = hidden so that a ≤7 elsewhere cannot be worked out "
    "(it can stand for any count, 0 included). A blank statistic has its reason in the "
    "Not computable because column."
)
RL_DEFINITION = (
    "Relative likelihood (RL) = the reference group's rate ÷ this group's rate of going on "
    "to the next stage. Above 1: the reference group (e.g. White, not disabled) is more "
    "likely to progress; below 1: this group is. 1.00 means equal rates. NHS WRES and WDES "
    "use this direction."
)
IR_DEFINITION = (
    "Impact ratio (IR) = this group's rate ÷ the highest group's rate at the same step. "
    "1.00 is the group with the highest rate; below 0.80 is flagged as a possible adverse "
    "impact (the four-fifths convention)."
)
BAND_NOTE = (
    "A relative likelihood outside {low:.2f}–{high:.2f} is flagged as outside the band; "
    "the p-value (Fisher's exact test, two-sided) says whether the gap could be chance."
)
BAND_NOTE_ROUNDED = (
    "With small numbers protected, each p and mid-P is worked out from the shown counts and "
    "is the largest any counts that round to them give: an upper bound, so 1 means the shown "
    "figures cannot rule out chance, not that the groups are alike."
)
NO_WARNINGS = "None."
ROWS_ARE = {
    "applications": "one application per row",
    "shortlisted": "one shortlisted applicant per row",
}

# Reasons for a blank statistic that the audit leaves unsaid because they follow from the row.
REFERENCE_ROW = "the reference group (the comparison for this step)"
NOT_STATED_ROW = "not stated: left out of every comparison"
NOT_COUNTED = "not counted: {reason}"

TEXT_WIDTH_MAX = 60
SENTENCE_WIDTH = 90
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FONT = Font(bold=True)
HEADER_BORDER = Border(bottom=Side(style="thin"))
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header in words, its kind and how to read it from a row."""

    header: str
    kind: Kind
    value: Callable[[Mapping[str, Any]], Any]
    # Left out of the sheet when blank in every row (e.g. per-group withdrawals, which are
    # not published when disclosure control is on; the cover gives their total).
    optional: bool = False


def recruitment_workbook(audit: RecruitmentAudit, *, generated: dt.datetime | None = None) -> bytes:
    """The audit as an ``.xlsx`` workbook (cover sheet, one sheet per view, indicators).

    Parameters
    ----------
    audit
        The audit, as published (suppressed unless disclosure control was switched off).
    generated
        When the workbook was made (default: now, UTC); shown on the cover sheet.

    Returns
    -------
    bytes
        The ``.xlsx`` file.

    Examples
    --------
    >>> from bias_audit.services import audit_extract
    >>> rows = ["Ethnic Origin,Outcome"] + ["A,Appointed", "N,Not shortlisted"] * 40
    >>> data = recruitment_workbook(audit_extract("\\n".join(rows).encode(), name="x.csv"))
    >>> import openpyxl
    >>> openpyxl.load_workbook(io.BytesIO(data)).sheetnames[:4]
    ['About this workbook', 'Ethnicity (WRES)', 'Ethnic group', 'Ethnicity (detailed)']
    """
    generated = dt.datetime.now(dt.UTC) if generated is None else generated
    book = Workbook()
    cover = book.active
    cover.title = COVER_SHEET
    contents: list[tuple[str, str]] = []
    transition_columns = _p_headers(TRANSITION_COLUMNS, published=audit.suppression)
    for attribute, block in audit.transitions.groupby("attribute", sort=False):
        title = _unique_title(_view_name(attribute), book)
        reference = audit.references.get(str(attribute)) or "no reference group"
        _write_table(
            book.create_sheet(title), transition_columns, block.to_dict("records"), wide={-1}
        )
        view = title[0].lower() + title[1:]
        contents.append((title, VIEW_SHEET_NOTE.format(view=view, reference=reference)))
    _write_table(book.create_sheet(STAGE_SHEET), STAGE_COLUMNS, _stage_rows(audit), wide=set())
    contents.append((STAGE_SHEET, SHEET_NOTES[STAGE_SHEET]))
    _write_table(
        book.create_sheet(INDICATOR_SHEET),
        _p_headers(INDICATOR_COLUMNS, published=audit.suppression),
        [_indicator_row(audit, i) for i in (audit.wres_indicator_2, audit.wdes_metric_2)],
        wide={-1, -2},
    )
    contents.append((INDICATOR_SHEET, SHEET_NOTES[INDICATOR_SHEET]))
    if audit.stratified is not None:
        _write_table(
            book.create_sheet(STRATA_SHEET),
            STRATA_COLUMNS,
            audit.stratified.to_dict("records"),
            wide={-1},
        )
        contents.append((STRATA_SHEET, SHEET_NOTES[STRATA_SHEET]))
    if audit.guaranteed_interview is not None:
        from bias_audit.report.recruitment_text import guaranteed_interview_sentence

        row = dict(audit.guaranteed_interview.iloc[0])
        row["sentence"] = guaranteed_interview_sentence(audit.guaranteed_interview)
        _write_table(book.create_sheet(SCHEME_SHEET), SCHEME_COLUMNS, [row], wide={-1})
        contents.append((SCHEME_SHEET, SHEET_NOTES[SCHEME_SHEET]))
    if audit.population is not None:
        section = audit.population
        _write_table(
            book.create_sheet(POPULATION_SHEET),
            POPULATION_COLUMNS,
            section["groups"],
            wide={-1},
        )
        contents.append(
            (
                POPULATION_SHEET,
                SHEET_NOTES[POPULATION_SHEET].format(
                    area=section["area"], attribution=section["attribution"]
                ),
            )
        )
    _write_cover(cover, audit, generated=generated, contents=contents)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------ cells


def _p_headers(columns: Sequence[Column], *, published: bool) -> tuple[Column, ...]:
    """With small numbers protected, the p columns' headers say they are bounds: each p is
    the largest any counts that round to the shown ones give (see BAND_NOTE_ROUNDED)."""
    if not published:
        return tuple(columns)
    return tuple(
        replace(c, header=f"{c.header}, at most (allowing for rounding)") if c.kind == "p" else c
        for c in columns
    )


def _plain(value: Any) -> Any:
    """Numpy scalars to Python, NaN / NA to ``None``; everything else unchanged."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _number(value: Any) -> float | int | None:
    """A number for a number column: hidden labels ("≤7", "*"), text and blanks are ``None``."""
    value = _plain(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _text(value: Any) -> str | None:
    value = _plain(value)
    if value is None or value == "":
        return None
    return str(value)


def _hidden(labels: Iterable[tuple[str, Any]]) -> str | None:
    """ "entered ≤7, progressed *" for the counts shown as labels; ``None`` when none is."""
    parts = [f"{name} {value}" for name, value in labels if sdc.is_hidden(_plain(value))]
    return ", ".join(parts) or None


def _stage_words(row: Mapping[str, Any]) -> str:
    text = f"{row['from']} → {row['to']}"
    return text[:1].upper() + text[1:]


def _yes_no(flag: Any, *, known: bool) -> str | None:
    if not known:
        return None
    return "yes" if bool(flag) else "no"


def _transition_reason(row: Mapping[str, Any]) -> str | None:
    reason = _text(row.get("not_computable"))
    if reason is not None:
        return reason
    if _number(row.get("p_value")) is not None:
        return None
    group = str(row.get("group"))
    if group == str(row.get("reference")):
        return REFERENCE_ROW
    if schema.NOT_STATED in group:
        return NOT_STATED_ROW
    return None


TRANSITION_COLUMNS: tuple[Column, ...] = (
    Column("Step", "text", _stage_words),
    Column("Group", "text", lambda r: r["group"]),
    Column("Reference group", "text", lambda r: r["reference"]),
    Column("Entered the step", "count", lambda r: _number(r["entered"])),
    Column("Went on to the next stage", "count", lambda r: _number(r["progressed"])),
    Column("Withdrew at this step", "count", lambda r: _number(r["withdrawn"]), optional=True),
    Column(
        "Hidden counts",
        "text",
        lambda r: _hidden((("entered", r["entered"]), ("went on", r["progressed"]))),
    ),
    Column("Rate of going on", "percent", lambda r: _number(r["rate"])),
    Column(
        "Relative likelihood (reference ÷ group)",
        "ratio",
        lambda r: _number(r["relative_likelihood"]),
    ),
    Column("RL 95% CI, low", "ratio", lambda r: _number(r["ci_low"])),
    Column("RL 95% CI, high", "ratio", lambda r: _number(r["ci_high"])),
    Column(
        "Outside the band",
        "text",
        lambda r: _yes_no(r["outside_band"], known=_number(r["relative_likelihood"]) is not None),
    ),
    Column("Impact ratio (group ÷ highest)", "ratio", lambda r: _number(r["impact_ratio"])),
    Column("Fisher exact p (two-sided)", "p", lambda r: _number(r["p_value"])),
    Column("Mid-P", "p", lambda r: _number(r["mid_p"])),
    Column("z (two proportions)", "statistic", lambda r: _number(r["z"])),
    Column("Statistically significant?", "text", lambda r: _text(r["significance"])),
    Column(
        "One-person check (does the flag survive one more person?)",
        "text",
        lambda r: _text(r["one_person_check"]),
    ),
    Column("Shortfall (people, at the reference rate)", "whole", lambda r: _number(r["shortfall"])),
    Column("Not computable because", "text", _transition_reason),
    Column("In words", "text", lambda r: _text(r["sentence"])),
)


def _stage_rows(audit: RecruitmentAudit) -> list[dict[str, Any]]:
    frame = audit.stage_counts.sort_values(["stage_index"], kind="stable")
    order = {a: i for i, a in enumerate(dict.fromkeys(audit.stage_counts["attribute"]))}
    rows = frame.to_dict("records")
    rows.sort(key=lambda r: order[r["attribute"]])
    for row in rows:
        row["view"] = _view_name(row["attribute"])
    return rows


STAGE_COLUMNS: tuple[Column, ...] = (
    Column("Characteristic", "text", lambda r: r["view"]),
    Column("Group", "text", lambda r: r["group"]),
    Column("Stage", "text", lambda r: str(r["stage"])[:1].upper() + str(r["stage"])[1:]),
    Column("Reached this stage", "count", lambda r: _number(r["reached"])),
    Column("Hidden counts", "text", lambda r: _hidden((("reached", r["reached"]),))),
    Column("Share of the group's applicants", "percent", lambda r: _number(r["share"])),
)


POPULATION_COLUMNS: tuple[Column, ...] = (
    Column(
        "Characteristic",
        "text",
        lambda r: _view_name(r["attribute"]),
    ),
    Column("Stage", "text", lambda r: str(r["stage"])[:1].upper() + str(r["stage"])[1:]),
    Column("Group", "text", lambda r: r["group"]),
    Column("People at this stage", "count", lambda r: _number(r["count"])),
    Column("Hidden counts", "text", lambda r: _hidden((("count", r["count"]),))),
    Column("Share of those counted", "percent", lambda r: _number(r["share"])),
    Column("Share of the population", "percent", lambda r: _number(r["population_share"])),
    Column("Representation ratio", "ratio", lambda r: _number(r["representation_ratio"])),
    Column("95% CI, low", "ratio", lambda r: _number(r["ci_low"])),
    Column("95% CI, high", "ratio", lambda r: _number(r["ci_high"])),
    Column("Not computable because", "text", lambda r: _text(r["note"])),
)


def _indicator_row(audit: RecruitmentAudit, indicator: Mapping[str, Any]) -> dict[str, Any]:
    """One indicator as a flat row; its counts blank when the extract never counted them
    (no such column, or no shortlisting stage), so a 0 there is never shown as a count."""
    from bias_audit.stats.indicators import INDICATOR_VIEWS, shortlisting_stage

    reference, focal = str(indicator["reference"]), str(indicator["focal"])
    views = [v for v, pair in INDICATOR_VIEWS.items() if pair == (reference, focal)]
    start = shortlisting_stage(audit.stages, rows_are=audit.funnel.rows_are)
    counted = start is not None and all(v in set(audit.transitions["attribute"]) for v in views)
    reason = _text(indicator.get("reason"))
    counts = {
        (g, name): (indicator.get(g) or {}).get(name) if counted else None
        for g in (reference, focal)
        for name in ("shortlisted", "appointed")
    }
    excluded = {
        "not stated": indicator.get("not_stated_excluded") if counted else None,
        "declined offers": indicator.get("declined_offers_excluded") if counted else None,
    }
    labels = [(f"{g} {name}", v) for (g, name), v in counts.items()] + list(excluded.items())
    return {
        **indicator,
        "counts": counts,
        "hidden": _hidden(labels),
        "excluded": tuple(excluded.values()),
        "why": reason if counted or reason is None else NOT_COUNTED.format(reason=reason),
    }


INDICATOR_COLUMNS: tuple[Column, ...] = (
    Column("Indicator", "text", lambda r: r["name"]),
    Column(
        "Relative likelihood of appointment (reference ÷ focal)",
        "ratio",
        lambda r: _number(r["value"]),
    ),
    Column("95% CI, low", "ratio", lambda r: _number(r["ci_low"])),
    Column("95% CI, high", "ratio", lambda r: _number(r["ci_high"])),
    Column("Fisher exact p (two-sided)", "p", lambda r: _number(r["p_value"])),
    Column("Mid-P", "p", lambda r: _number(r["mid_p"])),
    Column("Reference group", "text", lambda r: r["reference"]),
    Column(
        "Reference: shortlisted",
        "count",
        lambda r: _number(r["counts"][(str(r["reference"]), "shortlisted")]),
    ),
    Column(
        "Reference: appointed",
        "count",
        lambda r: _number(r["counts"][(str(r["reference"]), "appointed")]),
    ),
    Column("Focal group", "text", lambda r: r["focal"]),
    Column(
        "Focal: shortlisted",
        "count",
        lambda r: _number(r["counts"][(str(r["focal"]), "shortlisted")]),
    ),
    Column(
        "Focal: appointed", "count", lambda r: _number(r["counts"][(str(r["focal"]), "appointed")])
    ),
    Column("Not stated, left out", "count", lambda r: _number(r["excluded"][0])),
    Column("Declined offers, left out", "count", lambda r: _number(r["excluded"][1])),
    Column("Hidden counts", "text", lambda r: r["hidden"]),
    Column("Not computable because", "text", lambda r: r["why"]),
    Column("Which way", "text", lambda r: _text(r.get("direction"))),
    Column("Definition", "text", lambda r: _text(r.get("definition"))),
    Column("In words", "text", lambda r: _text(r.get("sentence"))),
)


STRATA_COLUMNS: tuple[Column, ...] = (
    Column(
        "Characteristic",
        "text",
        lambda r: _view_name(r["attribute"]),
    ),
    Column("Step", "text", _stage_words),
    Column("Reference group", "text", lambda r: r["reference"]),
    Column("Group", "text", lambda r: r["group"]),
    Column("Strata used", "whole", lambda r: _number(r["strata_used"])),
    Column("Strata left out", "whole", lambda r: _number(r["strata_skipped"])),
    Column(
        "Pooled relative likelihood (Mantel–Haenszel)",
        "ratio",
        lambda r: _number(r["pooled_relative_likelihood"]),
    ),
    Column("Pooled odds ratio", "ratio", lambda r: _number(r["pooled_odds_ratio"])),
    Column("CMH statistic", "statistic", lambda r: _number(r["cmh_statistic"])),
    Column("CMH p", "p", lambda r: _number(r["cmh_p"])),
    Column("Breslow–Day statistic", "statistic", lambda r: _number(r["breslow_day_statistic"])),
    Column("Breslow–Day p (gap differs by stratum)", "p", lambda r: _number(r["breslow_day_p"])),
    Column("Not computable because", "text", lambda r: _text(r.get("note"))),
)


SCHEME_COLUMNS: tuple[Column, ...] = (
    Column("Group", "text", lambda r: r["group"]),
    Column("Stage expected", "text", lambda r: _text(r["stage"])),
    Column("Applicants", "count", lambda r: _number(r["applicants"])),
    Column("Reached it", "count", lambda r: _number(r["reached"])),
    Column("Did not reach it", "count", lambda r: _number(r["not_reached"])),
    Column("Withdrew before it", "count", lambda r: _number(r["withdrew_before"])),
    Column(
        "Hidden counts",
        "text",
        lambda r: _hidden(
            (name, r[key])
            for name, key in (
                ("applicants", "applicants"),
                ("reached", "reached"),
                ("did not reach", "not_reached"),
                ("withdrew", "withdrew_before"),
            )
        ),
    ),
    Column("Share who reached it", "percent", lambda r: _number(r["share"])),
    Column("Not computable because", "text", lambda r: _text(r["not_computable"])),
    Column("In words", "text", lambda r: _text(r.get("sentence"))),
)


# ------------------------------------------------------------------------------ sheets


def _title(name: str) -> str:
    text = name.replace("_", " ").strip() or "View"
    for bad in ":\\/?*[]":
        text = text.replace(bad, " ")
    return (text[:1].upper() + text[1:])[:31]


def _unique_title(title: str, book: Workbook) -> str:
    taken = set(book.sheetnames)
    candidate, n = title, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = title[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def _shown_width(value: Any, kind: Kind) -> int:
    """Characters the value takes on screen in its number format."""
    if value is None:
        return 0
    if kind == "percent":
        return len(f"{value:.1%}")
    if kind in ("ratio", "statistic"):
        return len(f"{value:.2f}")
    if kind == "p":
        return 7
    if kind == "count":
        return len(f"{value:,.0f}")
    if kind == "whole":
        return len(f"{value:.0f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_table(
    sheet: Worksheet,
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    *,
    wide: set[int],
) -> None:
    """Header row (bold, filled, frozen, filtered) and one row per record.

    ``wide`` holds the indexes (negative from the end allowed) of long-text columns: they
    get a fixed wide width and wrap instead of a width fitted to their longest line.
    """
    rows = list(rows)
    wide_columns = {i % len(columns) for i in wide}
    keep = [
        j
        for j, column in enumerate(columns)
        if not column.optional or any(_plain(column.value(r)) is not None for r in rows)
    ]
    wide_columns = {keep.index(j) for j in wide_columns if j in keep}
    columns = [columns[j] for j in keep]
    widths = [0] * len(columns)
    for j, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=j, value=neutralise_formula(column.header))
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = WRAP_TOP
    n_rows = 1
    for i, record in enumerate(rows, start=2):
        n_rows = i
        for j, column in enumerate(columns, start=1):
            value = _plain(column.value(record))
            if column.kind == "text":
                value = None if value is None else neutralise_formula(str(value))
            cell = sheet.cell(row=i, column=j, value=value)
            if column.kind != "text":
                cell.number_format = NUMBER_FORMATS[column.kind]
            elif j - 1 in wide_columns or len(value or "") > TEXT_WIDTH_MAX:
                cell.alignment = WRAP_TOP
            widths[j - 1] = max(widths[j - 1], _shown_width(value, column.kind))
    for j, column in enumerate(columns):
        letter = get_column_letter(j + 1)
        # Headers wrap at word boundaries, so the longest word sets their minimum width.
        header_need = min(len(column.header), max(len(w) for w in column.header.split()) + 12)
        if j in wide_columns:
            width = SENTENCE_WIDTH
        else:
            width = min(max(widths[j], header_need, 6) + 2, TEXT_WIDTH_MAX)
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n_rows}"
    # Printed for a board pack: landscape, one page wide, the header on every page.
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _write_cover(
    sheet: Worksheet,
    audit: RecruitmentAudit,
    *,
    generated: dt.datetime,
    contents: Sequence[tuple[str, str]],
) -> None:
    """Two columns: what (bold) and its text (wrapped); sections separated by a blank row."""
    funnel = audit.funnel
    low, high = audit.adverse_band
    choices = [f"{role}: {column} ({how})" for role, column, how in funnel.column_choices]
    references = [f"{_view_name(a)}: {r}" for a, r in audit.references.items() if r]
    stratum = next((c for role, c, _ in funnel.column_choices if role == schema.STRATUM), None)
    sections: list[tuple[str, Sequence[tuple[str, str]]]] = [
        (
            "",
            [
                ("Source file", str(funnel.source)),
                (
                    "Generated",
                    GENERATED.format(
                        date=generated.strftime("%d %B %Y %H:%M UTC"), version=__version__
                    ),
                ),
                ("Small numbers", SUPPRESSION_RULE if audit.suppression else SUPPRESSION_OFF),
            ],
        ),
        (
            "Options used",
            [
                ("Stages, in order", " → ".join(audit.stages)),
                ("Rows are", ROWS_ARE.get(funnel.rows_are, str(funnel.rows_are))),
                ("Reference groups", "; ".join(references) or "none"),
                ("Band for relative likelihood", f"{low:.2f} to {high:.2f}"),
                ("Stratified by", stratum or "not stratified"),
                ("Columns read", "; ".join(choices) or "none recorded"),
            ],
        ),
        (
            "How to read the tables",
            [
                ("Relative likelihood (RL)", RL_DEFINITION),
                ("Impact ratio (IR)", IR_DEFINITION),
                (
                    "Band and p-values",
                    BAND_NOTE.format(low=low, high=high)
                    + (f" {BAND_NOTE_ROUNDED}" if audit.suppression else ""),
                ),
                ("Blank cells", HIDDEN_LEGEND),
            ],
        ),
        ("Warnings", [("", w) for w in audit.warnings] or [("", NO_WARNINGS)]),
        ("Notes", [("", n) for n in (*audit.notes, *audit.reading_notes)]),
        ("Sheets", list(contents)),
    ]
    title = sheet.cell(row=1, column=1, value=TITLE)
    title.font = Font(bold=True, size=16)
    row = 3
    for heading, items in sections:
        if not items:
            continue
        if heading:
            sheet.cell(row=row, column=1, value=heading).font = Font(bold=True, size=13)
            row += 1
        for label, text in items:
            label_cell = sheet.cell(row=row, column=1, value=neutralise_formula(label) or None)
            label_cell.font = HEADER_FONT
            label_cell.alignment = WRAP_TOP
            sheet.cell(row=row, column=2, value=neutralise_formula(text)).alignment = WRAP_TOP
            row += 1
        row += 1
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 110
