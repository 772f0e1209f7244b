"""`bias-audit lexicon check DIR`: validate a folder of rules and run every entry's examples."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EXIT_PROBLEMS = 2
CHECKED = "Checked {folder}: {entries} entries, {examples} examples."
CLEAN = "All rules are valid and every example behaves as stated."
PROBLEMS = "{count} problem(s) found; fix them and run `bias-audit lexicon check {folder}` again."
PROBLEM_PREFIX = "problem: "
NOTE_PREFIX = "note: "

lexicon_app = typer.Typer(
    name="lexicon",
    help=(
        "Work with rule folders. A trust's own folder (a copy of the shipped lexicons/ "
        "folder, edited) is used with `bias-audit advert --lexicon DIR`."
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the `lexicon` command group to the `bias-audit` application."""
    app.add_typer(lexicon_app)


@lexicon_app.command("check")
def check(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Folder of rule files (*.yml category files and context.yml).",
            metavar="DIR",
            show_default=False,
        ),
    ],
) -> None:
    """Validate a folder of rules and run every entry's examples through the real matcher.

    Reports schema errors (unknown or missing fields, duplicate ids, pattern syntax,
    citations that name no source), categories the advert checker does not report, and every
    example sentence that is not flagged (match) or is flagged (no_match) as stated, for the
    rule entries and for the cues of context.yml.
    Exit status: 0 when the folder is clean, 2 when a problem is found.
    """
    from bias_audit.text.rule_check import check_rule_folder

    result = check_rule_folder(directory)
    for problem in result.problems:
        print(PROBLEM_PREFIX + problem)
    for note in result.notes:
        print(NOTE_PREFIX + note)
    if result.entries:
        print(CHECKED.format(folder=directory, entries=result.entries, examples=result.examples))
    if result.clean:
        print(CLEAN)
        return
    print(PROBLEMS.format(count=len(result.problems), folder=directory))
    raise typer.Exit(EXIT_PROBLEMS)
