"""Help written for people: words instead of Python types, and an example per command.

Typer shows each value's Python type beside an option (``<list[str]>``, ``<bool>``) unless
the option names its value with a ``metavar``. Every option of ours names its value
(``ROLE=COLUMN``, ``PATH``); flags and ``--help`` take none, so they show nothing.
:class:`PeopleCommand` and :class:`PeopleGroup` make that hold for the parts typer builds
itself (the ``--help`` option, arguments), and :func:`examples` writes the "Examples" block
shown under every command's options.

Command summaries are one-line ``help=`` strings, not docstrings: a docstring's line breaks
would be printed as they stand ("gender and" / "disability").
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

EXAMPLES_HEADING = "[bold]Examples[/bold]"


def examples(*commands: str, notes: Sequence[str] = ()) -> str:
    """The "Examples" block of a command's help (Rich markup, printed line by line).

    Examples
    --------
    >>> print(examples("bias-audit demo", "bias-audit demo --seed 7"))
    [bold]Examples[/bold]
    <BLANKLINE>
      bias-audit demo
      bias-audit demo --seed 7
    """
    lines = [f"  {escape(command)}" for command in commands]
    block = "\n".join([EXAMPLES_HEADING, "", *lines])
    if notes:
        block += "\n\n" + "\n".join(escape(note) for note in notes)
    return block


def example_arguments(epilog: str) -> list[list[str]]:
    """The command and arguments of each example in an epilog (after ``bias-audit``), for
    tests that check every example still parses. Comments after ``#`` are dropped.

    >>> example_arguments(examples('bias-audit recruitment x.csv --column gender="Sex"  # hi'))
    [['recruitment', 'x.csv', '--column', 'gender=Sex']]
    """
    import shlex

    found = []
    for line in epilog.splitlines():
        text = line.strip().replace("\\[", "[")
        if not text.startswith("bias-audit "):
            continue
        words = shlex.split(text, comments=True)
        found.append(words[1:])
    return found


def _plain_types(param: object) -> None:
    """Show the metavar (or nothing) where typer would show a Python type."""
    if isinstance(param, TyperOption) and param.is_flag:
        param.metavar = ""
    if isinstance(param, TyperArgument) and param.metavar is not None:
        # The argument's name column already shows the metavar; no type beside it.
        param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]


class PeopleCommand(TyperCommand):
    """A command whose help shows words, never Python type names."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for param in self.params:
            _plain_types(param)

    def get_help_option(self, ctx: object) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option


class PeopleGroup(TyperGroup):
    """The ``bias-audit`` group, with the same plain ``--help`` as its commands."""

    def get_help_option(self, ctx: object) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option
