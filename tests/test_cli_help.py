"""`bias-audit --help` reads as written for people: whole sentences, words instead of
Python types, an example per command that still runs, one meaning per option name."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from bias_audit import cli
from bias_audit.commands import recruitment as recruitment_cmd
from bias_audit.commands.help import example_arguments
from bias_audit.io.stages import WARN_UNKNOWN_OUTCOMES

runner = CliRunner()
WIDE = {"COLUMNS": "240"}  # wide enough that no summary has to wrap
COMMANDS = (
    "recruitment",
    "demo",
    "advert",
    "app",
    "region",
    "portfolio",
    "compare",
    "workforce",
    "version",
)
# `lexicon` is a group of subcommands (`lexicon check`), not yet held to this standard
GROUPS = ("lexicon",)
TYPE_NAMES = re.compile(r"<(?:list\[|bool\b|str\b|int\b|float\b|path\b)[^>]*>")


def group() -> typer.core.TyperGroup:
    return typer.main.get_command(cli.app)


def command(name: str):
    return group().commands[name]


def test_every_command_is_checked_here():
    assert set(group().commands) == {*COMMANDS, *GROUPS}


def flat(text: str) -> str:
    """Help text with the panel borders and line wrapping taken out."""
    return " ".join(text.replace("│", " ").split())


def help_text(*args: str) -> str:
    result = runner.invoke(cli.app, [*args, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("args", [(), *((c,) for c in COMMANDS)])
def test_help_shows_no_python_type_names(args):
    shown = help_text(*args)
    assert TYPE_NAMES.findall(shown) == []


@pytest.mark.parametrize("name", COMMANDS)
def test_each_summary_is_one_sentence_shown_whole_on_one_line(name):
    summary = command(name).help
    assert "\n" not in summary and summary.endswith(".")
    lines = [line for line in help_text().splitlines() if line.startswith(f"│ {name} ")]
    assert len(lines) == 1 and summary in lines[0]


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_examples_that_still_parse(name):
    cmd = command(name)
    shown = help_text(name)
    assert "Examples" in shown
    found = example_arguments(cmd.epilog)
    assert found, f"{name} has no example"
    for args in found:
        assert args[0] == name
        assert f"bias-audit {' '.join(args[:2])}" in flat(shown)
        # Parsing runs every option's conversion and check, without running the command.
        cmd.make_context(name, list(args[1:]), parent=None)


def test_stages_help_shows_the_form_the_warning_asks_for():
    form = re.search(r'--stages "[^"]+"', WARN_UNKNOWN_OUTCOMES).group(0)
    assert form == '--stages "Outcome text=stage"'
    stages = next(p for p in command("recruitment").params if p.name == "stages")
    assert form in stages.help
    assert form in flat(help_text("recruitment"))


def test_band_means_the_agenda_for_change_band_only():
    owners = [
        name
        for name, cmd in group().commands.items()
        for param in cmd.params
        if "--band" in getattr(param, "opts", ()) and not getattr(param, "hidden", False)
    ]
    # --band is an Agenda for Change band wherever it appears: adverts and their comparison
    assert "advert" in owners and set(owners) <= {"advert", "compare", "portfolio"}
    assert "--band" not in help_text("recruitment")
    assert "--adverse-band" in help_text("recruitment")


def test_the_old_recruitment_band_fails_pointing_at_the_new_name(capsys, tmp_path):
    extract = tmp_path / "x.csv"
    extract.write_text("Ethnic Origin,Outcome\nA,Appointed\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        cli.main(["recruitment", str(extract), "--band", "0.8,1.25"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert (
        err
        == "bias-audit: error: " + recruitment_cmd.MSG_BAND_RENAMED.format(value="0.8,1.25") + "\n"
    )
    assert "--adverse-band 0.8,1.25" in err


def test_mapping_help_says_options_win():
    shown = flat(help_text("recruitment"))
    assert "Options given here win over the mapping's choices." in shown


def test_the_overview_examples_parse_too():
    found = example_arguments(group().epilog)
    assert {args[0] for args in found} == {"demo", "recruitment", "advert", "app"}
    for name, *args in found:
        command(name).make_context(name, args, parent=None)


@pytest.mark.parametrize("args", [(), *((c,) for c in COMMANDS)])
def test_no_word_is_cut_short_on_an_80_column_terminal(args):
    result = runner.invoke(cli.app, [*args, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "…" not in result.output  # Rich cuts a word too long for its cell with "…"
