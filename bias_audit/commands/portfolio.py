"""`bias-audit portfolio`: review a trust's whole set of job descriptions at once."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bias_audit.commands.help import PeopleCommand, examples
from bias_audit.commands.output import write_output
from bias_audit.errors import InputDataError

PORTFOLIO_HELP = (
    "Review a folder (or zip) of job descriptions together: a requirements matrix per band "
    "with its outliers, the national profile check, credential balance and near-duplicates."
)
PORTFOLIO_EXAMPLES = examples(
    "bias-audit portfolio example_data/portfolio/descriptions",
    "bias-audit portfolio job-descriptions/ --bands bands.csv --format html --out review.html",
    "bias-audit portfolio jds.zip --format xlsx --out review.xlsx",
    "bias-audit portfolio a.docx b.pdf c.txt --format json",
    notes=(
        "The bands file is a CSV with a header: file,band (e.g. 'hca_ward7.docx,Band 2'); "
        "documents it does not name are judged at the band found in their text.",
        "A file that cannot be read is left out and listed with the reason; the run goes on.",
        "Exit status: 0 when done, 2 when the input cannot be used.",
    ),
)
MSG_BINARY_NEEDS_OUT = "--format {fmt} writes a file: give --out PATH (a file or a folder)."
MSG_OUT_UNWRITABLE = "--out {path}: cannot write the review ({reason})."


class PortfolioFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    xlsx = "xlsx"


def register(app: typer.Typer) -> None:
    """Add this module's command to the `bias-audit` application."""
    app.command("portfolio", cls=PeopleCommand, help=PORTFOLIO_HELP, epilog=PORTFOLIO_EXAMPLES)(
        portfolio
    )


def portfolio(
    sources: Annotated[
        list[Path],
        typer.Argument(
            help="A folder of job descriptions (.txt, .md, .docx, .pdf; subfolders too), "
            "the files themselves, or a .zip of them.",
            show_default=False,
            metavar="FOLDER_OR_FILES",
        ),
    ],
    bands: Annotated[
        Path | None,
        typer.Option(
            "--bands",
            metavar="CSV",
            help="CSV of file → band (header: file,band); otherwise each band is found in "
            "its text.",
        ),
    ] = None,
    output_format: Annotated[
        PortfolioFormat, typer.Option("--format", help="Output format; xlsx needs --out.")
    ] = PortfolioFormat.text,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            metavar="PATH",
            help="Write the review to this file; given a folder, the file is named after "
            "the source and the date.",
        ),
    ] = None,
) -> None:
    """Review job descriptions together (see ``PORTFOLIO_HELP``)."""
    from bias_audit.services import audit_portfolio

    if output_format is PortfolioFormat.xlsx and out is None:
        raise InputDataError(MSG_BINARY_NEEDS_OUT.format(fmt=output_format.value))
    with _progress() as progress:
        review = audit_portfolio(sources, bands=bands, progress=progress)
    rendered = _render(review, output_format)
    if out is not None:
        from bias_audit.report.export import output_path

        source = sources[0] if len(sources) == 1 else f"{len(sources)} sources"
        out = output_path(out, "portfolio", source, output_format=output_format.value)
    write_output(rendered, out, unwritable=MSG_OUT_UNWRITABLE, error=InputDataError)


def _render(review: object, output_format: PortfolioFormat) -> str | bytes:
    if output_format is PortfolioFormat.json:
        return json.dumps(review.to_dict(), ensure_ascii=False, indent=2) + "\n"  # type: ignore[attr-defined]
    if output_format is PortfolioFormat.html:
        from bias_audit.portfolio.render import render_html

        return render_html(review)  # type: ignore[arg-type]
    if output_format is PortfolioFormat.xlsx:
        from bias_audit.portfolio.workbook import portfolio_workbook

        return portfolio_workbook(review)  # type: ignore[arg-type]
    from bias_audit.portfolio.render import render_text

    return render_text(review)  # type: ignore[arg-type]


class _progress:
    """A progress bar on standard error (transient: it leaves nothing behind when done)."""

    def __init__(self) -> None:
        self._bar = None
        self._task = None

    def __enter__(self):
        from rich.console import Console
        from rich.progress import Progress

        self._bar = Progress(console=Console(stderr=True), transient=True)
        self._bar.__enter__()

        def advance(done: int, total: int, name: str) -> None:
            if self._task is None:
                self._task = self._bar.add_task("Reading job descriptions", total=total)
            self._bar.update(self._task, completed=done, total=total)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
