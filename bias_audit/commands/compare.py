"""`bias-audit compare OLD NEW`: what a rewrite of an advert changed (issue 13)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bias_audit.commands.help import PeopleCommand, examples
from bias_audit.commands.output import write_output
from bias_audit.errors import InputDataError

MSG_OUT_UNWRITABLE = "--out {path}: cannot write the comparison ({reason})."
NOTE_PREFIX = "bias-audit: note: "
COMPARE_HELP = (
    "Compare two versions of an advert or person specification: findings removed, added and "
    "kept, and the change in reading age, gender-coding gauge and credential share."
)
COMPARE_EXAMPLES = examples(
    "bias-audit compare old-advert.docx new-advert.docx",
    "bias-audit compare old.txt new.txt --band 3 --format html --out before-after.html",
    "bias-audit compare old.pdf new.pdf --format json",
    notes=("Exit status: 0 when done, 2 when a version cannot be read.",),
)


class CompareFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"


def register(app: typer.Typer) -> None:
    """Add this module's command to the `bias-audit` application."""
    app.command("compare", cls=PeopleCommand, help=COMPARE_HELP, epilog=COMPARE_EXAMPLES)(compare)


def compare(
    old: Annotated[
        str,
        typer.Argument(
            help="The version before the rewrite (.txt, .md, .docx, .pdf).",
            metavar="OLD",
            show_default=False,
        ),
    ],
    new: Annotated[
        str,
        typer.Argument(help="The version after the rewrite.", metavar="NEW", show_default=False),
    ],
    band: Annotated[
        int | None,
        typer.Option(
            "--band",
            min=1,
            max=9,
            metavar="BAND",
            help="Agenda for Change band of the post, 1 to 9 (otherwise found in each text).",
        ),
    ] = None,
    output_format: Annotated[
        CompareFormat, typer.Option("--format", help="Output format.")
    ] = CompareFormat.text,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="PATH", help="Write the comparison to this file."),
    ] = None,
) -> None:
    """Compare two versions of an advert (see ``COMPARE_HELP``)."""
    from bias_audit.portfolio.compare import render_html, render_json, render_text
    from bias_audit.services import compare_adverts

    notes: list[str] = []
    comparison = compare_adverts(old, new, band=band, notes=notes)
    for note in notes:
        print(NOTE_PREFIX + note, file=sys.stderr)
    renderer = {
        CompareFormat.text: render_text,
        CompareFormat.json: render_json,
        CompareFormat.html: render_html,
    }[output_format]
    rendered = renderer(comparison)
    write_output(rendered, out, unwritable=MSG_OUT_UNWRITABLE, error=InputDataError)
