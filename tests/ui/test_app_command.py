"""`bias-audit app`: privacy flags before the script, localhost by default, LAN warned."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bias_audit.cli import app
from bias_audit.commands.app_command import APP_SCRIPT, MSG_BAD_PORT, streamlit_command


def flag(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


@pytest.mark.parametrize(
    ("host", "server_address"),
    [
        ("127.0.0.1", None),
        ("localhost", None),
        ("0.0.0.0", socket.gethostname()),
        ("10.1.2.3", "10.1.2.3"),
    ],
)
def test_command_forces_privacy_flags_before_script(host, server_address):
    command = streamlit_command(host=host, port=8600)
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert command[-1] == str(APP_SCRIPT)
    assert Path(command[-1]).name == "app.py" and Path(command[-1]).is_file()
    assert flag(command, "--server.address") == host
    assert flag(command, "--server.port") == "8600"
    assert flag(command, "--browser.gatherUsageStats") == "false"
    assert flag(command, "--server.headless") == "true"
    if server_address is None:
        assert "--browser.serverAddress" not in command
    else:
        assert flag(command, "--browser.serverAddress") == server_address


@pytest.mark.parametrize("port", [0, 80, 70000])
def test_bad_port_is_refused_with_message(port):
    from bias_audit.errors import OptionError

    with pytest.raises(OptionError) as err:
        CliRunner().invoke(app, ["app", "--port", str(port)], catch_exceptions=False)
    assert str(err.value) == MSG_BAD_PORT.format(port=port)


def test_help_names_the_default_host():
    result = CliRunner().invoke(app, ["app", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output
