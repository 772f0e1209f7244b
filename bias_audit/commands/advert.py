"""`bias-audit advert`: check job adverts and person specifications for exclusionary wording."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bias_audit.commands.help import PeopleCommand, examples
from bias_audit.commands.output import write_output
from bias_audit.errors import InputDataError

EXIT_FINDINGS = 1
STDIN = "-"
MSG_STDIN_TWICE = "standard input ('-') can be read only once; list it a single time."
MSG_OUT_UNWRITABLE = "--out {path}: cannot write the report ({reason})."
NOTE_PREFIX = "bias-audit: note: "
ADVERT_HELP = (
    "Check job adverts and person specifications for wording and demands that may exclude."
)
ADVERT_EXAMPLES = examples(
    "bias-audit advert example_data/adverts/band3_hcsw_poor.txt",
    "bias-audit advert new-advert.docx --band 2 --fail-on medium",
    "bias-audit advert adverts/one.docx adverts/two.pdf --format json --out results.json",
    "bias-audit advert advert.pdf --format html --out advert.html --allow age-energetic",
    notes=(
        "Exit status: 0 when done, 1 when a finding at or above --fail-on exists, 2 when an "
        "input cannot be used.",
    ),
)


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


class FailOn(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    none = "none"


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `bias-audit` application."""
    app.command("advert", cls=PeopleCommand, help=ADVERT_HELP, epilog=ADVERT_EXAMPLES)(advert)


def advert(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Advert files (.txt, .md, .docx, .pdf); '-' reads text from standard input.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    band: Annotated[
        int | None,
        typer.Option(
            "--band",
            min=1,
            max=9,
            metavar="BAND",
            help="Agenda for Change band of the post, 1 to 9 (otherwise found in the text, "
            "e.g. 'Band 3').",
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.text,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Exit with status 1 when a finding at or above this severity exists.",
        ),
    ] = FailOn.none,
    allow: Annotated[
        list[str] | None,
        typer.Option(
            "--allow",
            metavar="RULE",
            help=(
                "Rule id or phrase to silence (repeatable); added to the allow list in "
                ".bias-audit.toml or \\[tool.bias-audit] in pyproject.toml."
            ),
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help="Write the report to this file; given a folder, the file is named after "
            "the advert and the date.",
        ),
    ] = None,
    lexicon_dir: Annotated[
        Path | None,
        typer.Option(
            "--lexicon",
            metavar="DIR",
            help=(
                "Use this folder of rules INSTEAD OF the shipped set: a copy of the shipped "
                "lexicons/ folder (category files and context.yml), edited by the trust. A "
                "category file left out is not checked. Run `bias-audit lexicon check DIR` "
                "first."
            ),
        ),
    ] = None,
) -> None:
    """Check job adverts (see ``ADVERT_HELP``; exit status in ``ADVERT_EXAMPLES``)."""
    from bias_audit.config import find_allow_config
    from bias_audit.services import check_advert
    from bias_audit.types import Severity

    if files.count(STDIN) > 1:
        raise InputDataError(MSG_STDIN_TWICE)
    allow_list = (*find_allow_config().allow, *(allow or ()))
    reports = []
    with _progress(len(files)) as advance:
        for name in files:
            notes: list[str] = []
            source = sys.stdin.buffer.read() if name == STDIN else name
            label = "stdin" if name == STDIN else None
            report = check_advert(
                source,
                name=label,
                band=band,
                allow=allow_list,
                notes=notes,
                lexicon_dir=lexicon_dir,
            )
            for note in notes:  # e.g. a PDF saved as .txt, read as a PDF
                print(NOTE_PREFIX + note, file=sys.stderr)
            reports.append(report)
            advance()

    rendered = _render(reports, output_format)
    if out is not None:
        from bias_audit.report.export import output_path

        single = "stdin" if files[0] == STDIN else files[0]
        source = single if len(files) == 1 else f"{len(files)} adverts"
        out = output_path(out, "advert", source, output_format=output_format.value)
    write_output(rendered, out, unwritable=MSG_OUT_UNWRITABLE, error=InputDataError)

    if fail_on is not FailOn.none:
        threshold = Severity.parse(fail_on.value)
        if any(f.severity >= threshold for report in reports for f in report.findings):
            raise typer.Exit(EXIT_FINDINGS)


def _render(reports: list, output_format: OutputFormat) -> str:
    if output_format is OutputFormat.json:
        return json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n"
    if output_format is OutputFormat.html:
        from bias_audit.report.html_report import advert_report_html

        return advert_report_html(reports)
    from bias_audit.report.advert_text import render_reports

    return render_reports(reports)


class _progress:
    """A progress bar on standard error when several files are checked; silent otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._bar = None

    def __enter__(self):
        if self.total < 2:
            return lambda: None
        from rich.console import Console
        from rich.progress import Progress

        self._bar = Progress(console=Console(stderr=True), transient=True)
        self._bar.__enter__()
        task = self._bar.add_task("Checking adverts", total=self.total)
        return lambda: self._bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
