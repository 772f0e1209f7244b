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

from bias_audit.commands.help import PeopleCommand, examples
from bias_audit.commands.output import write_output
from bias_audit.errors import BiasAuditError, OptionError

if TYPE_CHECKING:
    from bias_audit.io.mapping import ColumnMapping
    from bias_audit.stats.results import RecruitmentAudit

MSG_NEEDS_OUT = (
    "--format {fmt} writes a binary or complete file; give --out PATH as well (a folder "
    "gets a file named after the extract and today's date)."
)
MSG_BAD_COLUMN = (
    '--column {value!r} is not of the form role=column; write e.g. --column ethnicity="Ethnic '
    'Origin"'
)
MSG_BAD_BAND = "--adverse-band {value!r} must be two numbers like 0.8,1.25"
MSG_BAND_RENAMED = (
    "--band is the Agenda for Change band of an advert (bias-audit advert --band 3); the "
    "recruitment command's band for relative likelihoods is now --adverse-band, e.g. "
    "--adverse-band {value}."
)
MSG_MAPPING_SAVED = "Column mapping written to {path}; use it next time with --mapping {path}."
MSG_OUT_UNWRITABLE = "--out {path}: cannot write the report ({reason})."
MSG_NO_HTML = (
    "--format html needs bias_audit.report.html_report, which this installation does not "
    "have; use --format text, json, csv or xlsx."
)
MSG_READ_ACCOUNT = "Read {source}:"
MSG_COLUMN_CHOICE = "  {role}: {column} ({how})"
MSG_FROM_MAPPING = "mapping {file}"
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
    """Read ``--adverse-band low,high``.

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
    write_output(report, out, unwritable=MSG_OUT_UNWRITABLE, written=MSG_WRITTEN)


def account(audit: RecruitmentAudit, *, mapping: ColumnMapping | None = None) -> str:
    """What each role was read from, and how it was chosen (for standard error); a column
    that ``mapping`` decided is said to come from its file."""
    funnel = audit.funnel
    from_file = {} if mapping is None else dict(mapping.columns)
    if mapping is not None and mapping.stratify is not None:
        from_file["stratum"] = mapping.stratify
    lines = [MSG_READ_ACCOUNT.format(source=funnel.source)]
    lines.extend(
        MSG_COLUMN_CHOICE.format(
            role=role,
            column=column,
            how=MSG_FROM_MAPPING.format(file=mapping.file)
            if mapping is not None and from_file.get(role) == column
            else how,
        )
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
NoSuppressionOption = Annotated[
    bool,
    typer.Option(
        "--no-suppression",
        help="Show exact small counts (analyst's own use only; do not publish).",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        metavar="PATH",
        help="Write the report here instead of standard output; given a folder, the file "
        "is named after the extract and the date.",
    ),
]

RECRUITMENT_HELP = (
    "Audit a recruitment extract: selection rates, ratios and significance by ethnicity, "
    "gender and disability at every stage, with WRES indicator 2 and WDES metric 2."
)
RECRUITMENT_EXAMPLES = examples(
    "bias-audit recruitment example_data/recruitment_extract.csv",
    "bias-audit recruitment extract.xlsx --sheet Applications --format xlsx --out audit.xlsx",
    'bias-audit recruitment extract.csv --column ethnicity="Ethnic Origin" --column stage=Status',
    'bias-audit recruitment extract.csv --stages "Offer made=offered"',
    "bias-audit recruitment extract.csv --reference gender=Male --adverse-band 0.8,1.25",
    "bias-audit recruitment extract.csv --save-mapping trac.toml",
    "bias-audit recruitment next-quarter.csv --mapping trac.toml",
    notes=(
        "Exit status: 0 when done, 2 when the extract or an option cannot be used (the "
        "message says why and how to fix it).",
    ),
)
# The example extract's size and seed (bias_audit.synthetic.EXAMPLE_APPLICATIONS and
# EXAMPLE_SEED; a test keeps them equal): `bias-audit demo` then prints the very figures the
# app's example, the README and docs/recruitment.md quote. Not imported from there, so that
# `--help` does not load numpy and pandas.
DEMO_ROWS = 5000
DEMO_SEED = 131
#: The demo compares the synthetic applicants with a real area: the acute trust whose
#: catchment's ethnic mix (Census 2021, five groups) is closest to theirs — King's College
#: Hospital NHS Foundation Trust (total absolute difference of shares 0.13).
DEMO_POPULATION = "trust=RJZ"
NO_POPULATION = "none"
DEMO_HELP = "Generate a seeded synthetic extract with planted disparities, and print its report."
DEMO_EXAMPLES = examples(
    "bias-audit demo",
    "bias-audit demo --rows 20000 --seed 7 --format json",
    "bias-audit demo --save-extract demo.csv --format xlsx --out demo.xlsx",
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `bias-audit` application."""
    app.command(
        "recruitment", cls=PeopleCommand, help=RECRUITMENT_HELP, epilog=RECRUITMENT_EXAMPLES
    )(recruitment)
    app.command("demo", cls=PeopleCommand, help=DEMO_HELP, epilog=DEMO_EXAMPLES)(demo)


PopulationOption = Annotated[
    str | None,
    typer.Option(
        "--population",
        metavar="AREA",
        help="Compare each stage with the local population (Census 2021): trust=RAE (an "
        "acute trust's catchment), la=E08000032,Calderdale (local authorities by code or "
        "name) or england.",
    ),
]


def recruitment(
    file: Annotated[
        Path,
        typer.Argument(
            help="Recruitment extract (.csv, .xlsx or .parquet), one row per application or "
            "counts.",
            metavar="EXTRACT",
            show_default=False,
        ),
    ],
    output_format: FormatOption = RecruitmentFormat.text,
    out: OutOption = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            metavar="FILE",
            help="Read the extract as a saved column mapping says (see --save-mapping). "
            "Options given here win over the mapping's choices.",
        ),
    ] = None,
    save_mapping: Annotated[
        Path | None,
        typer.Option(
            "--save-mapping",
            metavar="FILE",
            help="Save how this extract was read (columns, including those found "
            "automatically; outcome texts; sheet; what rows are; recodes) as a TOML file, "
            "for --mapping next time.",
        ),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            metavar="ROLE=COLUMN",
            help='Read a role from a column, e.g. --column ethnicity="Ethnic Origin" '
            "(repeatable; roles: ethnicity, gender, disability, stage, id, count, or a stage "
            'name for its own yes/no column; --column gender="" switches a role off).',
        ),
    ] = None,
    stages: Annotated[
        str | None,
        typer.Option(
            "--stages",
            metavar="STAGES",
            help="Stage names in order, comma separated (the default is applied, "
            "shortlisted, interviewed, offered, appointed), and outcome texts the tool does "
            'not know, in the form --stages "Outcome text=stage", e.g. --stages '
            '"Offer made=offered". After the stage, ":withdrew" or ":declined_offer" says '
            "how the application ended there.",
        ),
    ] = None,
    reference: Annotated[
        list[str] | None,
        typer.Option(
            "--reference",
            metavar="ATTRIBUTE=GROUP",
            help="Reference group for an attribute, e.g. --reference gender=Male (repeatable).",
        ),
    ] = None,
    stratify: Annotated[
        str | None,
        typer.Option(
            "--stratify",
            metavar="COLUMN",
            help="Column (post, staff group, year) for Cochran–Mantel–Haenszel and "
            "Breslow–Day tests across strata.",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="Workbook sheet that holds the data (xlsx; found automatically otherwise).",
        ),
    ] = None,
    rows_are: Annotated[
        RowsAre | None,
        typer.Option(
            "--rows-are",
            help="What each row is: every application (the default), or only shortlisted "
            "applicants (needed for WRES indicator 2 from an appointed / not appointed column).",
            show_default=False,
        ),
    ] = None,
    recode: Annotated[
        list[str] | None,
        typer.Option(
            "--recode",
            metavar="ROLE:VALUE=CATEGORY",
            help="Read a value the tool cannot place as a category, e.g. --recode "
            '"ethnicity:W1=A" (repeatable).',
        ),
    ] = None,
    max_size: Annotated[
        str | None,
        typer.Option(
            "--max-size",
            metavar="SIZE",
            help="Largest file to read, e.g. 500MB (default 250MB).",
        ),
    ] = None,
    adverse_band: Annotated[
        str | None,
        typer.Option(
            "--adverse-band",
            metavar="LOW,HIGH",
            help="Relative likelihoods outside this band are flagged as adverse "
            "(default 0.8,1.25).",
        ),
    ] = None,
    old_band: Annotated[
        str | None,
        typer.Option("--band", hidden=True, help="Renamed --adverse-band."),
    ] = None,
    population: PopulationOption = None,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            metavar="ENGINE",
            help="Where the rows are counted: auto (pandas for workbooks and small files, "
            "DuckDB out of core for large CSV / Parquet), pandas, duckdb or spark "
            '(pip install "bias-audit[spark]"). The results are the same.',
        ),
    ] = "auto",
    spark_master: Annotated[
        str,
        typer.Option(
            "--spark-master",
            metavar="URL",
            help="Spark master for --engine spark, e.g. local[4] or spark://host:7077.",
        ),
    ] = "local[*]",
    no_suppression: NoSuppressionOption = False,
) -> None:
    """Audit a recruitment extract (see ``RECRUITMENT_HELP``)."""
    if old_band is not None:
        raise OptionError(MSG_BAND_RENAMED.format(value=old_band))
    _check_out(output_format, out)
    from bias_audit.io import mapping as mappings
    from bias_audit.io.extract import parse_recode
    from bias_audit.io.source import parse_size
    from bias_audit.services import audit_extract
    from bias_audit.stats.disparity import DEFAULT_ADVERSE_BAND

    given = mappings.from_options(
        columns=parse_columns(column),
        stages=[s.strip() for s in stages.split(",") if s.strip()] if stages else None,
        sheet=sheet,
        rows_are=None if rows_are is None else rows_are.value,
        stratify=stratify,
        recode=parse_recode(recode),
    )
    saved = None if mapping is None else mappings.read_mapping(mapping)
    used = given if saved is None else saved.overridden_by(given)
    max_bytes = None if max_size is None else parse_size(max_size)
    try:
        audit = audit_extract(
            str(file),
            **used.audit_options(),
            max_bytes=max_bytes,
            reference=reference,
            adverse_band=parse_band(adverse_band) or DEFAULT_ADVERSE_BAND,
            suppression=not no_suppression,
            population=population,
            engine=engine,
            spark_master=spark_master,
        )
    except BiasAuditError as err:
        if saved is None:
            raise
        raise mappings.explain_missing_column(
            err, saved.not_overridden_by(given), str(file), max_bytes=max_bytes
        ) from None
    decided = None if saved is None else saved.not_overridden_by(given)
    print(account(audit, mapping=decided), file=sys.stderr)
    if save_mapping is not None:
        written = mappings.to_toml(mappings.mapping_used(audit.funnel, used))
        try:
            save_mapping.write_bytes(written)
        except OSError as err:
            raise OptionError(
                MSG_OUT_UNWRITABLE.format(path=save_mapping, reason=err.strerror)
            ) from None
        print(MSG_MAPPING_SAVED.format(path=save_mapping), file=sys.stderr)
    emit(render(audit, output_format), _named(out, audit, output_format))


def demo(
    rows: Annotated[
        int,
        typer.Option(
            "--rows", min=50, max=2_000_000, metavar="N", help="Applications to generate."
        ),
    ] = DEMO_ROWS,
    seed: Annotated[
        int,
        typer.Option(
            "--seed",
            metavar="N",
            help="Random seed (same seed, same data). The defaults make the app's example "
            "extract, so the demo prints the figures the app and the docs show.",
        ),
    ] = DEMO_SEED,
    output_format: FormatOption = RecruitmentFormat.text,
    out: OutOption = None,
    save_extract: Annotated[
        Path | None,
        typer.Option(
            "--save-extract", metavar="PATH", help="Also save the synthetic extract as CSV here."
        ),
    ] = None,
    population: Annotated[
        str,
        typer.Option(
            "--population",
            metavar="AREA",
            help="Compare each stage with the local population (Census 2021): trust=CODE, "
            "la=CODE,NAME (local authorities) or england; none leaves the comparison out. "
            "The default is a real area whose ethnic mix is close to the synthetic "
            "applicants'.",
        ),
    ] = DEMO_POPULATION,
) -> None:
    """Generate a seeded synthetic extract and print its report (see ``DEMO_HELP``)."""
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
    audit = audit_extract(
        data,
        name=MSG_DEMO_SOURCE.format(rows=rows, seed=seed),
        population=None if population.strip().lower() == NO_POPULATION else population,
    )
    emit(render(audit, output_format), _named(out, audit, output_format))


def _named(out: Path | None, audit: RecruitmentAudit, fmt: RecruitmentFormat) -> Path | None:
    """``--out`` as given, or inside a folder a file named after the extract and the date."""
    if out is None:
        return None
    from bias_audit.report.export import output_path

    return output_path(out, "recruitment", audit.funnel.source, output_format=fmt.value)
