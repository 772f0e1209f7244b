"""`bias-audit app`: start the Streamlit app, on this computer only unless asked otherwise."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from bias_audit.commands.app_workers import check_workers, run_workers
from bias_audit.commands.help import PeopleCommand, examples
from bias_audit.errors import OptionError
from bias_audit.serving import LOCAL_HOSTS, SERVED_HOST_ENV
from bias_audit.shipped import shipped_path

APP_SCRIPT = shipped_path("app.py")
ALL_INTERFACES = frozenset({"0.0.0.0", "::"})  # noqa: S104 - only when the user asks
MSG_NO_APP = (
    "the app script {path} was not found, so this installation of bias-audit is incomplete. "
    "Reinstall it: `pip install --force-reinstall bias-audit`, or `pip install -e .` in a "
    "clone of the repository."
)
MSG_BAD_PORT = "--port {port} is not a usable port; choose a number from 1024 to 65535."
MSG_LAN_WARNING = (
    "Warning: the app will be reachable by other computers on this network at "
    "http://{host}:{port}. Use this only on a trusted trust network (e.g. a workshop), and "
    "only with example or already-suppressed data; stop it when the session ends."
)
APP_HELP = "Start the app in your browser (example data loaded; nothing leaves this computer)."
APP_EXAMPLES = examples(
    "bias-audit app",
    "bias-audit app --port 8600",
    "bias-audit app --host 0.0.0.0   # a workshop on a trusted network",
    notes=("Ctrl+C (or SIGTERM) stops the app and its server.",),
)
MSG_LOCAL = "Starting bias-audit on http://{host}:{port} (this computer only). Ctrl+C stops it."


def streamlit_command(*, host: str, port: int, script: Path = APP_SCRIPT) -> list[str]:
    """The command line that starts Streamlit with the privacy settings forced on.

    Flags go before the script name, where ``streamlit run`` reads them; they repeat
    ``.streamlit/config.toml`` so the settings hold even when started from another folder.

    Examples
    --------
    >>> cmd = streamlit_command(host="127.0.0.1", port=8501, script=Path("app.py"))
    >>> cmd[1:4], cmd[-1]
    (['-m', 'streamlit', 'run'], 'app.py')
    """
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        # A full garbage collection after every rerun took over half the CPU with 20
        # sessions at once (docs/app.md); Python's own collector still runs.
        "--runner.postScriptGC",
        "false",
    ]
    if host not in LOCAL_HOSTS:
        # Naming the address stops Streamlit looking up this machine's public IP online;
        # for "all interfaces" the machine's own name is what colleagues type.
        shown = socket.gethostname() if host in ALL_INTERFACES else host
        command += ["--browser.serverAddress", shown]
    return [*command, str(script)]


def register(app: typer.Typer) -> None:
    """Add ``bias-audit app`` to the command line."""

    @app.command("app", cls=PeopleCommand, help=APP_HELP, epilog=APP_EXAMPLES)
    def run_app(
        host: Annotated[
            str,
            typer.Option(
                metavar="ADDRESS",
                help="Address to listen on. Keep 127.0.0.1 unless running a workshop.",
            ),
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8501,
        workers: Annotated[
            int,
            typer.Option(
                metavar="N",
                help="Server processes sharing the room (a workshop of 20: 2 on a 2-core laptop).",
            ),
        ] = 1,
    ) -> None:
        """Start the Streamlit app (see ``APP_HELP``)."""
        if not 1024 <= port <= 65535:
            raise OptionError(MSG_BAD_PORT.format(port=port))
        if not APP_SCRIPT.is_file():
            raise OptionError(MSG_NO_APP.format(path=APP_SCRIPT))
        if host in LOCAL_HOSTS:
            print(MSG_LOCAL.format(host=host, port=port), file=sys.stderr)
        else:
            shown = socket.gethostname() if host in ALL_INTERFACES else host
            print(MSG_LAN_WARNING.format(host=shown, port=port), file=sys.stderr)
        check_workers(workers)
        # The server (and every worker) inherits this: the app hides what a shared server
        # must not offer (bias_audit/serving.py).
        os.environ[SERVED_HOST_ENV] = host
        if workers > 1:
            # Workers listen on localhost; only the proxy listens on --host (app_workers.py).
            raise typer.Exit(
                run_workers(
                    host=host,
                    port=port,
                    workers=workers,
                    command_for=lambda p: streamlit_command(host="127.0.0.1", port=p),
                )
            )
        # An argument list, no shell: the host is one argv element, never interpreted.
        raise typer.Exit(run_server(streamlit_command(host=host, port=port)))


STOP_SECONDS = 10  # how long the server gets to stop before it is killed


def run_server(command: list[str]) -> int:
    """Run the Streamlit server and stop it with this process: on Ctrl+C or a SIGTERM sent
    to ``bias-audit app`` alone (a service manager, a test), the server is terminated too and
    waited for, never left serving with no parent. Returns the exit status to pass on."""
    server = subprocess.Popen(command)  # noqa: S603

    def _stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        try:
            server.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
