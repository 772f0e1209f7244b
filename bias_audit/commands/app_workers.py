"""`bias-audit app --workers N`: several Streamlit servers behind one small local proxy.

One Streamlit process runs every session's script on one core (Python's global lock), so on
a workshop laptop a room of 20 queues behind it. With N workers each process serves its
share of the room. The proxy is a byte pipe: it reads the first request head of a
connection, picks a worker, and copies bytes both ways (HTTP and the app's websocket alike).

* **Sessions stay isolated.** A Streamlit session lives in the worker holding its websocket;
  a browser is pinned to one worker by a cookie (``bias_audit_worker=<n>``, set on its first
  response), so its uploads, downloads and websocket all reach the same process. A client
  without the cookie is given the next worker in turn.
* **Workers listen on 127.0.0.1 only**; only the proxy listens where ``--host`` says.
* **Nothing outlives the command.** Each worker runs in its own process group and is stopped
  with it (SIGTERM, then SIGKILL after a grace period) when the proxy stops on Ctrl+C or
  SIGTERM; on Linux a worker is also told to stop if this process dies without cleaning up.
* Each worker is warmed up once before the proxy opens (the language pipeline and the
  example audit), as the presenter's own first visit does for a single server.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence

from bias_audit.errors import OptionError

COOKIE = "bias_audit_worker"
MAX_WORKERS = 8
MAX_HEAD_BYTES = 64 * 1024
STARTUP_SECONDS = 120
STOP_SECONDS = 10
MSG_BAD_WORKERS = "--workers {n} is not usable; choose a number from 1 to {max}."
MSG_WORKER_DIED = (
    "app worker {n} stopped while starting (exit status {code}); run `bias-audit app` without "
    "--workers to see its error."
)
MSG_WORKERS_READY = "{n} app workers ready behind http://{host}:{port}."
_BAD_HEAD = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def check_workers(n: int) -> None:
    """Refuse a worker count that is not 1 to :data:`MAX_WORKERS`."""
    if not 1 <= n <= MAX_WORKERS:
        raise OptionError(MSG_BAD_WORKERS.format(n=n, max=MAX_WORKERS))


def pinned_worker(head: bytes, workers: int) -> int | None:
    """The worker a request's cookie pins it to, or ``None`` (no cookie, or out of range).

    Examples
    --------
    >>> pinned_worker(b"GET / HTTP/1.1\\r\\nCookie: a=1; bias_audit_worker=2\\r\\n\\r\\n", 3)
    2
    >>> pinned_worker(b"GET / HTTP/1.1\\r\\nCookie: bias_audit_worker=7\\r\\n\\r\\n", 3) is None
    True
    """
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() != b"cookie":
            continue
        for part in value.split(b";"):
            key, _, raw = part.strip().partition(b"=")
            if key == COOKIE.encode() and raw.isdigit() and int(raw) < workers:
                return int(raw)
    return None


def with_cookie(head: bytes, worker: int) -> bytes:
    """A response head with the cookie pinning this browser to ``worker`` added.

    Examples
    --------
    >>> with_cookie(b"HTTP/1.1 200 OK\\r\\nA: b\\r\\n\\r\\n", 1).split(b"\\r\\n")[2:]
    [b'Set-Cookie: bias_audit_worker=1; Path=/; HttpOnly; SameSite=Strict', b'', b'']
    """
    cookie = f"Set-Cookie: {COOKIE}={worker}; Path=/; HttpOnly; SameSite=Strict\r\n"
    return head[:-2] + cookie.encode() + b"\r\n"


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


class Proxy:
    """Routes each client connection to one worker port (see the module docstring)."""

    def __init__(self, ports: Sequence[int]) -> None:
        self.ports = list(ports)
        self._next = itertools.cycle(range(len(self.ports)))

    async def handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            head = await client_r.readuntil(b"\r\n\r\n")
        except (asyncio.LimitOverrunError, asyncio.IncompleteReadError, ConnectionError):
            client_w.write(_BAD_HEAD)
            client_w.close()
            return
        worker = pinned_worker(head, len(self.ports))
        new_pin = worker is None
        if worker is None:
            worker = next(self._next)
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.ports[worker])
        except OSError:
            client_w.close()
            return
        server_w.write(head)
        upstream = asyncio.ensure_future(_pipe(client_r, server_w))
        try:
            reply = await server_r.readuntil(b"\r\n\r\n")
            client_w.write(with_cookie(reply, worker) if new_pin else reply)
            await _pipe(server_r, client_w)
        except (asyncio.LimitOverrunError, asyncio.IncompleteReadError, ConnectionError):
            client_w.close()
        finally:
            upstream.cancel()
            with contextlib.suppress(Exception):
                server_w.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the worker gets SIGTERM if the command dies without stopping it."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def start_workers(commands: Sequence[list[str]]) -> list[subprocess.Popen]:
    """Start one Streamlit server per command, each in its own process group, sharing one
    random cookie secret (so a session's upload token is valid whichever worker checks)."""
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    linux = sys.platform.startswith("linux")
    return [
        subprocess.Popen(  # noqa: S603 - an argument list we built, no shell
            command,
            env=env,
            stdout=subprocess.DEVNULL,  # its "view your app at <worker port>" would mislead
            start_new_session=True,
            preexec_fn=_stop_with_parent if linux else None,
        )
        for command in commands
    ]


def stop_workers(workers: Sequence[subprocess.Popen]) -> None:
    """Stop every worker's process group: SIGTERM, then SIGKILL after :data:`STOP_SECONDS`."""
    for proc in workers:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for proc in workers:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _wait_ready(workers: Sequence[subprocess.Popen], ports: Sequence[int]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    for n, (proc, port) in enumerate(zip(workers, ports, strict=True)):
        while True:
            if proc.poll() is not None:
                raise OptionError(MSG_WORKER_DIED.format(n=n, code=proc.returncode))
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as reply:
                    if reply.read().strip() == b"ok":
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)


async def _serve(host: str, port: int, ports: Sequence[int]) -> None:
    from bias_audit.ui.warm_up import open_app_once  # speaks Streamlit's protocol

    with contextlib.suppress(Exception):  # best effort: a failure only costs speed
        await asyncio.wait_for(
            asyncio.gather(*(open_app_once(p) for p in ports)), timeout=STARTUP_SECONDS
        )
    proxy = Proxy(ports)
    server = await asyncio.start_server(proxy.handle, host, port, limit=MAX_HEAD_BYTES)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(MSG_WORKERS_READY.format(n=len(ports), host=host, port=port), file=sys.stderr)
    async with server:
        await stop.wait()


def run_workers(*, host: str, port: int, workers: int, command_for) -> int:
    """Start ``workers`` Streamlit servers (``command_for(port)`` gives each one's command
    line), serve them behind the proxy on ``host:port`` until Ctrl+C or SIGTERM, then stop
    every worker. Returns the exit status."""
    check_workers(workers)
    ports = [_free_port() for _ in range(workers)]

    def _stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _stop)  # until the proxy's loop takes over
    procs = start_workers([command_for(p) for p in ports])
    try:
        _wait_ready(procs, ports)
        asyncio.run(_serve(host, port, ports))
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        stop_workers(procs)
        signal.signal(signal.SIGTERM, previous)
