"""The command line's shared behaviour: help, and user errors as exit status 2."""

import pytest
import typer
from typer.testing import CliRunner

from bias_audit.cli import app

runner = CliRunner()


def test_help_lists_the_command_families():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "bias-audit" in result.output or "Usage" in result.output


@pytest.fixture
def broken_cli(monkeypatch):
    """The real ``main`` driving an app whose one command fails the way a bug would."""
    from bias_audit import cli

    broken = typer.Typer(pretty_exceptions_enable=False)

    @broken.command()
    def explode() -> None:
        raise ZeroDivisionError("secret cell value 42")

    @broken.command()
    def other() -> None:  # a second command keeps typer from collapsing the group
        pass

    monkeypatch.setattr(cli, "app", broken)
    return cli


def test_a_bug_gives_one_line_exit_3_and_no_data(broken_cli, capsys, monkeypatch):
    monkeypatch.delenv(broken_cli.DEBUG_VARIABLE, raising=False)
    with pytest.raises(SystemExit) as stop:
        broken_cli.main(["explode"])
    assert stop.value.code == broken_cli.EXIT_INTERNAL_ERROR == 3
    err = capsys.readouterr().err
    assert err.strip() == broken_cli.INTERNAL_ERROR_MESSAGE.format(
        kind="ZeroDivisionError", variable="BIAS_AUDIT_DEBUG"
    )
    assert "secret" not in err and "Traceback" not in err


def test_debug_variable_shows_the_real_exception(broken_cli, monkeypatch):
    monkeypatch.setenv(broken_cli.DEBUG_VARIABLE, "1")
    with pytest.raises(ZeroDivisionError, match="secret"):
        broken_cli.main(["explode"])


def test_user_error_exits_2_with_the_message(capsys, tmp_path):
    from bias_audit import cli

    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(SystemExit) as stop:
        cli.main(["recruitment", str(empty)])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("bias-audit: error: ") and "empty.csv" in err
