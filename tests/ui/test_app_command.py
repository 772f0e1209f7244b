"""`bias-audit app`: privacy flags before the script, localhost by default, LAN warned."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
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


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_to_the_command_stops_its_streamlit_server(tmp_path, stop):
    """SIGTERM (a service manager) or SIGINT (Ctrl+C, or `kill -INT`) sent to
    `bias-audit app` alone leaves no Streamlit server serving."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bias_audit", "app", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: the test can check (and clean) every child
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the app did not start")
        proc.send_signal(stop)  # to the command only, not its process group
        assert proc.wait(timeout=20) == 0
        deadline = time.monotonic() + 15
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _group_alive(proc.pid), "the Streamlit server outlived `bias-audit app`"
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
