"""`bias-audit recruitment` and `bias-audit demo`: audit a recruitment extract.

Heavy modules (pandas, fairlearn, scipy, statsmodels) are imported inside the commands, and
nothing here imports spaCy or Streamlit, so the command starts quickly.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bias_audit.errors import OptionError

if TYPE_CHECKING:
    from bias_audit.stats.results import RecruitmentAudit

MSG_NEEDS_OUT = (
    "--format {fmt} writes a binary or complete file; give --out PATH as well (a folder "
    "gets a file named after the extract and today's date)."
)
MSG_BAD_COLUMN = (
    '--column {value!r} is not of the form role=column; write e.g. --column ethnicity="Ethnic '
    'Origin"'
)
MSG_BAD_BAND = "--band {value!r} must be two numbers like 0.8,1.25"
MSG_OUT_UNWRITABLE = "--out {path}: cannot write the report ({reason})."
MSG_NO_HTML = (
    "--format html needs bias_audit.report.html_report, which this installation does not "
    "have; use --format text, json, csv or xlsx."
)
MSG_READ_ACCOUNT = "Read {source}:"
MSG_COLUMN_CHOICE = "  {role}: {column} ({how})"
MSG_DEMO_SOURCE = "synthetic extract ({rows} applications, seed {seed})"
MSG_DEMO_SAVED = "Synthetic extract written to {path}."
MSG_WRITTEN = "Report written to {path}."


class RecruitmentFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


class RowsAre(StrEnum):
    applications = "applications"
    shortlisted = "shortlisted"


BINARY_FORMATS = (RecruitmentFormat.xlsx, RecruitmentFormat.html)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `bias-audit` application."""
    app.command("recruitment")(recruitment)
    app.command("demo")(demo)


def parse_columns(values: list[str] | None) -> dict[str, str] | None:
    """Read ``--column role=header`` options; quotes around the header are dropped.

    >>> parse_columns(['ethnicity="Ethnic Origin"', "gender=Sex"])
    {'ethnicity': 'Ethnic Origin', 'gender': 'Sex'}
    """
    if not values:
        return None
    chosen = {}
    for value in values:
        role, sep, header = value.partition("=")
        if not sep or not role.strip():
            raise OptionError(MSG_BAD_COLUMN.format(value=value))
        chosen[role.strip()] = header.strip().strip('"').strip("'")
    return chosen


def parse_band(value: str | None) -> tuple[float, float] | None:
    """Read ``--band low,high``.

    >>> parse_band("0.8,1.25")
    (0.8, 1.25)
    """
    if value is None:
        return None
    parts = value.replace(";", ",").split(",")
    try:
        low, high = (float(p) for p in parts)
    except ValueError:
        raise OptionError(MSG_BAD_BAND.format(value=value)) from None
    return low, high


def render(audit: RecruitmentAudit, fmt: RecruitmentFormat) -> str | bytes:
    """The report in the chosen format (str for text formats, bytes for xlsx)."""
    if fmt is RecruitmentFormat.json:
        return json.dumps(audit.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt is RecruitmentFormat.text:
        from bias_audit.report.recruitment_text import text_report

        return text_report(audit)
    if fmt is RecruitmentFormat.csv:
        from bias_audit.report.export import frame_to_csv

        return frame_to_csv(audit.transitions)
    if fmt is RecruitmentFormat.xlsx:
        from bias_audit.report.workbook import recruitment_workbook

        return recruitment_workbook(audit)
    try:
        from bias_audit.report.html_report import recruitment_report_html
    except ImportError:
        raise OptionError(MSG_NO_HTML) from None
    return recruitment_report_html(audit)


def emit(report: str | bytes, out: Path | None) -> None:
    """Write the report to ``out`` or standard output."""
    if out is None:
        if isinstance(report, bytes):
            sys.stdout.buffer.write(report)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(report)
        return
    try:
        if isinstance(report, bytes):
            out.write_bytes(report)
        else:
            out.write_text(report, encoding="utf-8")
    except OSError as err:
        raise OptionError(MSG_OUT_UNWRITABLE.format(path=out, reason=err.strerror)) from None
    print(MSG_WRITTEN.format(path=out), file=sys.stderr)


def account(audit: RecruitmentAudit) -> str:
    """What each role was read from, and how it was chosen (for standard error)."""
    funnel = audit.funnel
    lines = [MSG_READ_ACCOUNT.format(source=funnel.source)]
    lines.extend(
        MSG_COLUMN_CHOICE.format(role=role, column=column, how=how)
        for role, column, how in funnel.column_choices
    )
    lines.extend(f"  {note}" for note in funnel.notes)
    return "\n".join(lines)


def _check_out(fmt: RecruitmentFormat, out: Path | None) -> None:
    if fmt in BINARY_FORMATS and out is None:
        raise OptionError(MSG_NEEDS_OUT.format(fmt=fmt.value))


FormatOption = Annotated[
    RecruitmentFormat,
    typer.Option("--format", help="Output format; xlsx and html need --out."),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Write the report here instead of standard output; given a folder, the file "
        "is named after the extract and the date, e.g. "
        "bias-audit_recruitment_extract_2026-12-07.xlsx.",
    ),
]


def recruitment(
    file: Annotated[
        Path, typer.Argument(help="Recruitment extract (.csv or .xlsx).", show_default=False)
    ],
    output_format: FormatOption = RecruitmentFormat.text,
    out: OutOption = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column", help='Map a role to a column, e.g. --column ethnicity="Ethnic Origin".'
        ),
    ] = None,
    stages: Annotated[
        str | None,
        typer.Option(
            "--stages",
            help="Stage names in order, comma separated; map an outcome text the tool does "
            'not know with "Text=stage", e.g. --stages "Offer made=offered".',
        ),
    ] = None,
    reference: Annotated[
        list[str] | None,
        typer.Option(
            "--reference", help="Reference group for an attribute, e.g. --reference gender=Male."
        ),
    ] = None,
    stratify: Annotated[
        str | None,
        typer.Option(
            "--stratify", help="Column (post, staff group, year) for CMH / Breslow–Day tests."
        ),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet name (xlsx).")] = None,
    rows_are: Annotated[
        RowsAre,
        typer.Option(
            "--rows-are",
            help="What each row is: all applications (default), or only shortlisted "
            "applicants (needed for WRES indicator 2 from an appointed / not appointed column).",
        ),
    ] = RowsAre.applications,
    recode: Annotated[
        list[str] | None,
        typer.Option(
            "--recode",
            help="Read a value the tool cannot place as a category, e.g. --recode "
            '"ethnicity:W1=A" (role:value=code or label).',
        ),
    ] = None,
    max_size: Annotated[
        str | None,
        typer.Option("--max-size", help="Largest file to read, e.g. 500MB (default 250MB)."),
    ] = None,
    band: Annotated[
        str | None,
        typer.Option("--band", help="Non-adverse band for relative likelihoods, e.g. 0.8,1.25."),
    ] = None,
    no_suppression: Annotated[
        bool,
        typer.Option(
            "--no-suppression",
            help="Show exact small counts (analyst's own use only; do not publish).",
        ),
    ] = False,
) -> None:
    """Audit a recruitment extract: rates, ratios and significance by ethnicity, gender and
    disability at every stage, with WRES indicator 2 and WDES metric 2."""
    _check_out(output_format, out)
    from bias_audit.io.extract import parse_recode
    from bias_audit.io.source import parse_size
    from bias_audit.services import audit_extract
    from bias_audit.stats.disparity import DEFAULT_ADVERSE_BAND

    stage_list = [s.strip() for s in stages.split(",") if s.strip()] if stages else None
    audit = audit_extract(
        str(file),
        columns=parse_columns(column),
        stages=stage_list,
        stratify=stratify,
        sheet=sheet,
        rows_are=rows_are.value,
        recode=parse_recode(recode),
        max_bytes=None if max_size is None else parse_size(max_size),
        reference=reference,
        adverse_band=parse_band(band) or DEFAULT_ADVERSE_BAND,
        suppression=not no_suppression,
    )
    print(account(audit), file=sys.stderr)
    emit(render(audit, output_format), _named(out, audit, output_format))


def demo(
    rows: Annotated[
        int, typer.Option("--rows", min=50, max=2_000_000, help="Applications to generate.")
    ] = 5000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same data).")] = 1,
    output_format: FormatOption = RecruitmentFormat.text,
    out: OutOption = None,
    save_extract: Annotated[
        Path | None,
        typer.Option("--save-extract", help="Also save the synthetic extract as CSV here."),
    ] = None,
) -> None:
    """Generate a seeded synthetic extract (planted disparities) and print its report."""
    _check_out(output_format, out)
    from bias_audit.services import audit_extract
    from bias_audit.synthetic import make_synthetic_extract

    frame = make_synthetic_extract(rows, seed=seed)
    data = frame.to_csv(index=False).encode("utf-8")
    if save_extract is not None:
        try:
            save_extract.write_bytes(data)
        except OSError as err:
            raise OptionError(
                MSG_OUT_UNWRITABLE.format(path=save_extract, reason=err.strerror)
            ) from None
        print(MSG_DEMO_SAVED.format(path=save_extract), file=sys.stderr)
    audit = audit_extract(data, name=MSG_DEMO_SOURCE.format(rows=rows, seed=seed))
    emit(render(audit, output_format), _named(out, audit, output_format))


def _named(out: Path | None, audit: RecruitmentAudit, fmt: RecruitmentFormat) -> Path | None:
    """``--out`` as given, or inside a folder a file named after the extract and the date."""
    if out is None:
        return None
    from bias_audit.report.export import output_path

    return output_path(out, "recruitment", audit.funnel.source, output_format=fmt.value)
