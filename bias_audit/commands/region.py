"""`bias-audit region`: compare organisations (and years) on WRES indicator 2, WDES metric 2
and the shortlisting ratio, with funnel plots and trends.

Heavy modules are imported inside the command so ``--help`` stays quick.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bias_audit.commands.help import PeopleCommand, examples
from bias_audit.commands.recruitment import emit, parse_columns
from bias_audit.errors import OptionError

MSG_NEEDS_OUT = "--format html writes a complete file; give --out PATH as well."
REGION_HELP = (
    "Compare organisations on WRES indicator 2, WDES metric 2 and the shortlisting ratio: a "
    "funnel plot against the pooled value (95% and 99.8% limits), and the trend by year."
)
REGION_EXAMPLES = examples(
    'bias-audit region example_data/region_extract.csv --year-column "Financial Year"',
    "bias-audit region RJZ.csv RAE.csv R0A.csv --format json",
    'bias-audit region region.csv --organisation-column "ODS Code" --format html --out r.html',
    "bias-audit region region.csv --format csv > region.csv",
    'bias-audit region region.csv --ratio "gender:Male/Female:applied>shortlisted"',
    notes=(
        "One file with an organisation column (found by name, e.g. Trust, ODS Code, "
        "Organisation), or one file per organisation (named after it, e.g. RJZ_2024.csv).",
        "Exit status: 0 when done, 2 when an extract or an option cannot be used.",
    ),
)


class RegionFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    html = "html"


class YearBy(StrEnum):
    financial = "financial"
    calendar = "calendar"


def register(app: typer.Typer) -> None:
    """Add ``region`` to the `bias-audit` application."""
    app.command("region", cls=PeopleCommand, help=REGION_HELP, epilog=REGION_EXAMPLES)(region)


def region(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="One extract with an organisation column, or one extract per organisation.",
            metavar="EXTRACT...",
            show_default=False,
        ),
    ],
    organisation_column: Annotated[
        str | None,
        typer.Option(
            "--organisation-column",
            metavar="NAME",
            help="Header of the organisation column (name or ODS code); found by name if "
            "not given.",
        ),
    ] = None,
    year_column: Annotated[
        str | None,
        typer.Option(
            "--year-column",
            metavar="NAME",
            help="Header of a year, financial year or date column: adds the trend by year.",
        ),
    ] = None,
    year_by: Annotated[
        YearBy,
        typer.Option("--year-by", help="Dates go into financial (April–March) or calendar years."),
    ] = YearBy.financial,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", metavar="ROLE=HEADER", help="Choose a column for a role."),
    ] = None,
    stages: Annotated[
        str | None,
        typer.Option("--stages", metavar="STAGES", help="Stage names in order, comma separated."),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="Workbook sheet to read.")
    ] = None,
    ratio: Annotated[
        list[str] | None,
        typer.Option(
            "--ratio",
            metavar="VIEW:REF/FOCAL:FROM>TO",
            help="Another selection-rate ratio to compare: the view, reference and focal "
            "groups, and the two stages, as in the examples (repeatable).",
        ),
    ] = None,
    fmt: Annotated[RegionFormat, typer.Option("--format", help="Output format.")] = (
        RegionFormat.text
    ),
    out: Annotated[
        Path | None, typer.Option("--out", metavar="PATH", help="Write the report here.")
    ] = None,
    no_suppression: Annotated[
        bool,
        typer.Option(
            "--no-suppression",
            help="Exact counts (for the analyst's own use only; never publish).",
        ),
    ] = False,
) -> None:
    """Compare organisations (and years)."""
    from bias_audit.services.region import audit_region

    if fmt is RegionFormat.html and out is None:
        raise OptionError(MSG_NEEDS_OUT)
    options: dict[str, object] = {}
    chosen = parse_columns(column)
    if chosen:
        options["columns"] = chosen
    if stages:
        options["stages"] = [s.strip() for s in stages.split(",") if s.strip()]
    if sheet is not None:
        options["sheet"] = sheet
    audit = audit_region(
        [str(f) for f in files],
        organisation_column=organisation_column,
        year_column=year_column,
        year_by=year_by.value,  # type: ignore[arg-type]
        suppression=not no_suppression,
        ratios=tuple(ratio or ()),
        read_options=options,
    )
    emit(render(audit, fmt), out)


def render(audit: object, fmt: RegionFormat) -> str | bytes:
    """The region report in the chosen format."""
    from bias_audit.services.region import RegionAudit, region_table

    assert isinstance(audit, RegionAudit)
    if fmt is RegionFormat.json:
        return json.dumps(audit.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt is RegionFormat.csv:
        from bias_audit.report.export import frame_to_csv

        return frame_to_csv(region_table(audit))
    if fmt is RegionFormat.html:
        from bias_audit.report.region_html import region_report_html

        return region_report_html(audit)
    from bias_audit.report.region_text import region_text

    return region_text(audit)
