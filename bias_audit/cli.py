"""The ``bias-audit`` command line.

Each command family lives in its own module under :mod:`bias_audit.commands` and imports its
heavy dependencies (spaCy, Streamlit, fairlearn) inside the command function, so that
``bias-audit recruitment`` never loads spaCy or Streamlit.

Errors the user can fix (:class:`~bias_audit.errors.BiasAuditError`) are printed as one clear
message on stderr with exit status 2; they never show a traceback.
"""

from __future__ import annotations

import os
import sys

import typer

from bias_audit.commands import advert, app_command, lexicon, recruitment
from bias_audit.commands import workforce as workforce_command
from bias_audit.commands.help import PeopleCommand, PeopleGroup, examples
from bias_audit.errors import BiasAuditError

EXIT_UNUSABLE_INPUT = 2

app = typer.Typer(
    name="bias-audit",
    help="Find and remove bias in NHS recruitment: check job adverts and audit recruitment data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    cls=PeopleGroup,
    epilog=examples(
        "bias-audit demo",
        "bias-audit recruitment extract.csv --format html --out audit.html",
        "bias-audit advert advert.docx --band 3",
        "bias-audit app",
        notes=("Each command has its own help, e.g. bias-audit recruitment --help.",),
    ),
)
recruitment.register(app)
advert.register(app)
app_command.register(app)
lexicon.register(app)
workforce_command.register(app)  # issue 12: WRES / WDES from a staff extract


@app.command(
    cls=PeopleCommand,
    help="Print the bias-audit version.",
    epilog=examples("bias-audit version"),
)
def version() -> None:
    """Print the bias-audit version."""
    from bias_audit import __version__

    print(f"bias-audit {__version__}")


EXIT_INTERNAL_ERROR = 3
DEBUG_VARIABLE = "BIAS_AUDIT_DEBUG"
INTERNAL_ERROR_MESSAGE = (
    "bias-audit: internal error ({kind}). This is a bug in bias-audit, not in your file. "
    "Please report it with the command you ran (not the data); set {variable}=1 to see the "
    "technical details."
)


def main(argv: list[str] | None = None) -> None:
    """Run the command line.

    User errors exit with status 2 and one clear message. A bug exits with status 3 and a
    one-line apology; the traceback (which could quote data) is shown only when
    ``BIAS_AUDIT_DEBUG=1`` is set.
    """
    try:
        app(args=argv, prog_name="bias-audit")
    except BiasAuditError as err:
        print(f"bias-audit: error: {err}", file=sys.stderr)
        sys.exit(EXIT_UNUSABLE_INPUT)
    except KeyboardInterrupt:
        print("bias-audit: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as err:
        if os.environ.get(DEBUG_VARIABLE) == "1":
            raise
        kind = type(err).__name__
        print(INTERNAL_ERROR_MESSAGE.format(kind=kind, variable=DEBUG_VARIABLE), file=sys.stderr)
        sys.exit(EXIT_INTERNAL_ERROR)


if __name__ == "__main__":
    main()
