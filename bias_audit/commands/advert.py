"""`bias-audit advert`: check job adverts and person specifications for exclusionary wording."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bias_audit.errors import InputDataError

EXIT_FINDINGS = 1
STDIN = "-"
MSG_STDIN_TWICE = "standard input ('-') can be read only once; list it a single time."
MSG_OUT_UNWRITABLE = "--out {path}: cannot write the report ({reason})."
NOTE_PREFIX = "bias-audit: note: "


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
    app.command("advert")(advert)


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
            help="Agenda for Change band of the post (otherwise found in the text, e.g. 'Band 3').",
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
            help=(
                "Rule id or phrase to silence (repeatable); added to the allow list in "
                ".bias-audit.toml or \\[tool.bias-audit] in pyproject.toml."
            ),
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the report to this file.")
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
    """Check job adverts and person specifications for wording and demands that may exclude.

    Exit status: 0 when done, 1 when a finding at or above --fail-on exists, 2 when an
    input cannot be used.
    """
    from bias_audit.config import find_allow_config
    from bias_audit.io.adverts import read_advert_file
    from bias_audit.text.advert import analyse_advert
    from bias_audit.types import Severity

    if files.count(STDIN) > 1:
        raise InputDataError(MSG_STDIN_TWICE)
    allow_list = (*find_allow_config().allow, *(allow or ()))
    reports = []
    with _progress(len(files)) as advance:
        for name in files:
            if name == STDIN:
                read = read_advert_file(sys.stdin.buffer.read(), name="stdin")
            else:
                read = read_advert_file(name)
            for note in read.notes:  # e.g. a PDF saved as .txt, read as a PDF
                print(NOTE_PREFIX + note, file=sys.stderr)
            label = "stdin" if name == STDIN else name
            reports.append(
                analyse_advert(
                    read.text, band=band, source=label, allow=allow_list, lexicon_dir=lexicon_dir
                )
            )
            advance()

    rendered = _render(reports, output_format)
    if out is None:
        sys.stdout.write(rendered)
        sys.stdout.flush()
    else:
        try:
            out.write_text(rendered, encoding="utf-8")
        except OSError as err:
            raise InputDataError(MSG_OUT_UNWRITABLE.format(path=out, reason=err.strerror)) from None

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
