"""`bias-audit workforce`: WRES and WDES figures from an ESR-style staff extract.

Heavy modules are imported inside the command, so ``--help`` starts quickly.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bias_audit.commands.help import PeopleCommand, examples
from bias_audit.commands.recruitment import NoSuppressionOption, emit, parse_columns
from bias_audit.errors import OptionError

if TYPE_CHECKING:
    from bias_audit.services.workforce import WorkforceAudit

MSG_NO_FILE = (
    "give a staff extract (bias-audit workforce extract.csv), or --example for the "
    "synthetic example extract."
)
MSG_FILE_AND_EXAMPLE = "give either a staff extract or --example, not both."
MSG_XLSX_NEEDS_OUT = "--format xlsx writes a workbook; give --out PATH as well."
MSG_XLSX_PUBLISHED = (
    "--format xlsx is the national WRES/WDES returns workbook with exact counts (as a trust "
    "submits them): analyst output, never produced with disclosure control on. Add "
    "--no-suppression to write it, and do not publish it."
)
MSG_XLSX_MISSING = (
    "--format xlsx needs bias_audit.report.workforce_returns (the national-returns "
    "workbook), which this installation does not have yet; use --format text, json, csv or "
    "html."
)
MSG_READ_ACCOUNT = "Read {source}:"
MSG_COLUMN_CHOICE = "  {role}: {column} ({how})"
RETURNS_MODULE = "bias_audit.report.workforce_returns"
EXAMPLE_FILE = "workforce_extract.csv"


class WorkforceFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    html = "html"
    xlsx = "xlsx"


WORKFORCE_HELP = (
    "WRES indicators 1, 3, 4, 9 and WDES metrics 1, 3, 10 from an ESR-style staff extract "
    "(with WRES 2 / WDES 2 linked from a recruitment extract), disclosure control on."
)
WORKFORCE_EXAMPLES = examples(
    "bias-audit workforce --example",
    "bias-audit workforce staff.csv --format html --out wres.html",
    'bias-audit workforce staff.xlsx --column disciplinary="Disciplinary Start Date"',
    "bias-audit workforce staff-2025.csv --earlier staff-2023.csv --extract-date 2025-03-31",
    "bias-audit workforce staff.csv --recruitment applications.csv --format json",
    "bias-audit workforce staff.csv --no-suppression --format xlsx --out returns.xlsx",
    "bias-audit workforce staff.csv --retention-from 2023-04-01 --retention-to 2024-03-31",
    "bias-audit workforce staff.csv --retention-years 3 --cohort-band 2-4 "
    '--cohort-staff-group "Additional Clinical Services" --cohort-staff-group '
    '"Administrative and Clerical"',
    notes=(
        "Retention: the cohort is everyone who started in the period (default: the last "
        "two years to the extract date) in Bands 1-4 of Additional Clinical Services; "
        "--cohort-band all / --cohort-staff-group all take every band / staff group.",
        "Exit status: 0 when done, 2 when a file or an option cannot be used (the message "
        "says why and how to fix it).",
    ),
)


def register(app: typer.Typer) -> None:
    """Add ``workforce`` to the `bias-audit` application."""
    app.command("workforce", cls=PeopleCommand, help=WORKFORCE_HELP, epilog=WORKFORCE_EXAMPLES)(
        workforce
    )


def render(audit: WorkforceAudit, fmt: WorkforceFormat) -> str | bytes:
    """The report in a text format (xlsx is written by :func:`write_xlsx`)."""
    data = audit.to_dict()
    if fmt is WorkforceFormat.json:
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt is WorkforceFormat.csv:
        from bias_audit.report.export import frame_to_csv
        from bias_audit.report.workforce_text import workforce_table

        return frame_to_csv(workforce_table(data))
    if fmt is WorkforceFormat.html:
        from bias_audit.report.workforce_html import workforce_report_html

        return workforce_report_html(data)
    from bias_audit.report.workforce_text import text_report

    return text_report(data)


def write_xlsx(audit: WorkforceAudit, out: Path) -> None:
    """The national-returns workbook, through the hook ``write_returns(audit, path)``."""
    import importlib

    try:
        returns = importlib.import_module(RETURNS_MODULE)
    except ModuleNotFoundError as err:
        if err.name != RETURNS_MODULE:
            raise
        raise OptionError(MSG_XLSX_MISSING) from None
    returns.write_returns(audit, out)


def account(audit: WorkforceAudit) -> str:
    """What each role was read from, and how it was chosen (for standard error)."""
    lines = [MSG_READ_ACCOUNT.format(source=audit.source)]
    lines += [MSG_COLUMN_CHOICE.format(role=r, column=c, how=h) for r, c, h in audit.columns]
    lines += [f"  {note}" for note in audit.notes]
    return "\n".join(lines)


def _choices(values: list[str] | None, *, split: bool) -> list[str] | str | None:
    """Repeated option values (comma-separated too when ``split``); "all" means every one
    (``None``); no value: the default (``"default"``)."""
    if not values:
        return "default"
    out = [p.strip() for v in values for p in (v.split(",") if split else [v]) if p.strip()]
    if any(p.lower() == "all" for p in out):
        return None
    return out


def cohort_options(
    *,
    retention_from: str | None,
    retention_to: str | None,
    retention_years: int | None,
    cohort_band: list[str] | None,
    cohort_staff_group: list[str] | None,
) -> dict[str, object]:
    """The retention options as keyword arguments of ``audit_workforce`` (only those given,
    so the service's defaults hold otherwise)."""
    options: dict[str, object] = {
        "retention_from": retention_from,
        "retention_to": retention_to,
        "retention_years": retention_years,
    }
    bands = _choices(cohort_band, split=True)
    if bands != "default":
        options["cohort_bands"] = bands
    groups = _choices(cohort_staff_group, split=False)
    if groups != "default":
        options["cohort_staff_groups"] = groups
    return options


def workforce(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Staff extract (.csv or .xlsx), one row per person or counts.",
            metavar="EXTRACT",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        WorkforceFormat,
        typer.Option("--format", help="Output format; xlsx (national returns) needs --out."),
    ] = WorkforceFormat.text,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="PATH", help="Write the report here, not to standard output."
        ),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            metavar="ROLE=HEADER",
            help='Say which column holds what, e.g. --column ethnicity="Ethnic Origin"; '
            'ROLE="" switches a column off. Roles: id, count, ethnicity, gender, disability, '
            "age_band, date_of_birth, band, staff_group, start_date, leaving_date, "
            "leaving_reason, disciplinary, capability, training, board, board_voting, "
            "board_executive, band_earlier.",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", metavar="SHEET", help="Workbook sheet holding the staff."),
    ] = None,
    extract_date: Annotated[
        str | None,
        typer.Option(
            "--extract-date",
            metavar="DATE",
            help="The date the extract describes (default: its latest date).",
        ),
    ] = None,
    earlier: Annotated[
        Path | None,
        typer.Option(
            "--earlier",
            metavar="FILE",
            help="An extract of the same staff at the start of the period (earlier bands).",
        ),
    ] = None,
    recruitment: Annotated[
        Path | None,
        typer.Option(
            "--recruitment",
            metavar="FILE",
            help="A recruitment extract: links WRES indicator 2 and WDES metric 2.",
        ),
    ] = None,
    recruitment_column: Annotated[
        list[str] | None,
        typer.Option(
            "--recruitment-column",
            metavar="ROLE=HEADER",
            help="Column choices for the --recruitment extract, as bias-audit recruitment "
            '--column (e.g. --recruitment-column ethnicity="Ethnic Origin").',
        ),
    ] = None,
    retention_from: Annotated[
        str | None,
        typer.Option(
            "--retention-from",
            metavar="DATE",
            help="Retention cohort: people who started on or after this date "
            "(2023-04-01 or 01/04/2023; default: two years before the extract date).",
        ),
    ] = None,
    retention_to: Annotated[
        str | None,
        typer.Option(
            "--retention-to",
            metavar="DATE",
            help="Retention cohort: people who started on or before this date (default: "
            "the extract date).",
        ),
    ] = None,
    retention_years: Annotated[
        int | None,
        typer.Option(
            "--retention-years",
            metavar="N",
            help="Retention cohort: people who started in the last N years (instead of "
            "--retention-from).",
        ),
    ] = None,
    cohort_band: Annotated[
        list[str] | None,
        typer.Option(
            "--cohort-band",
            metavar="BAND",
            help='Bands of the retention cohort, repeatable or comma-separated: "Band 2", '
            '"2", a range "2-4", or "all" (default: Bands 1-4).',
        ),
    ] = None,
    cohort_staff_group: Annotated[
        list[str] | None,
        typer.Option(
            "--cohort-staff-group",
            metavar="GROUP",
            help="ESR staff groups of the retention cohort (and of the progression moves), "
            'repeatable, or "all" (default: "Additional Clinical Services").',
        ),
    ] = None,
    example: Annotated[
        bool,
        typer.Option("--example", help="Audit the synthetic example extract."),
    ] = False,
    max_size: Annotated[
        str | None,
        typer.Option("--max-size", metavar="SIZE", help="File size limit (default 250MB)."),
    ] = None,
    no_suppression: NoSuppressionOption = False,
) -> None:
    """Audit a staff extract (see ``WORKFORCE_HELP``)."""
    if file is None and not example:
        raise OptionError(MSG_NO_FILE)
    if file is not None and example:
        raise OptionError(MSG_FILE_AND_EXAMPLE)
    if output_format is WorkforceFormat.xlsx:
        if not no_suppression:
            raise OptionError(MSG_XLSX_PUBLISHED)
        if out is None:
            raise OptionError(MSG_XLSX_NEEDS_OUT)
    from bias_audit.io.source import parse_size
    from bias_audit.services.workforce import audit_workforce

    if example:
        from bias_audit.shipped import shipped_path

        file = shipped_path("example_data") / EXAMPLE_FILE
    audit = audit_workforce(
        str(file),
        columns=parse_columns(column),
        sheet=sheet,
        extract_date=extract_date,
        earlier=None if earlier is None else str(earlier),
        recruitment=None if recruitment is None else str(recruitment),
        recruitment_columns=parse_columns(recruitment_column),
        suppression=not no_suppression,
        max_bytes=None if max_size is None else parse_size(max_size),
        **cohort_options(
            retention_from=retention_from,
            retention_to=retention_to,
            retention_years=retention_years,
            cohort_band=cohort_band,
            cohort_staff_group=cohort_staff_group,
        ),
    )
    print(account(audit), file=sys.stderr)
    if output_format is WorkforceFormat.xlsx:
        write_xlsx(audit, out)  # type: ignore[arg-type]
        return
    emit(render(audit, output_format), out)
