"""The command line's shared behaviour: help, and user errors as exit status 2."""

import subprocess
import sys

from typer.testing import CliRunner

from bias_audit.cli import app

runner = CliRunner()


def test_help_lists_the_command_families():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "bias-audit" in result.output or "Usage" in result.output


def test_module_entry_point_runs():
    done = subprocess.run(
        [sys.executable, "-m", "bias_audit", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout
