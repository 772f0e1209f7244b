"""`bias-audit app --workers N`: browsers pinned by cookie, every worker stopped with it."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bias_audit.commands.app_workers import (
    COOKIE,
    MAX_WORKERS,
    MSG_BAD_WORKERS,
    check_workers,
    pinned_worker,
    with_cookie,
)
from bias_audit.errors import OptionError


@pytest.mark.parametrize(
    ("cookie", "workers", "expected"),
    [
        (None, 2, None),
        (f"{COOKIE}=1", 2, 1),
        (f"theme=dark; {COOKIE}=0; x=y", 2, 0),
        (f"{COOKIE}=2", 2, None),  # out of range (fewer workers now): assigned afresh
        (f"{COOKIE}=-1", 2, None),
        (f"{COOKIE}=one", 2, None),
        (f"not_{COOKIE}=1", 2, None),
    ],
)
def test_pinned_worker(cookie, workers, expected):
    head = b"GET /_stcore/stream HTTP/1.1\r\nHost: x\r\n"
    if cookie is not None:
        head += f"Cookie: {cookie}\r\n".encode()
    assert pinned_worker(head + b"\r\n", workers) == expected


def test_with_cookie_keeps_the_head_well_formed():
    head = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
    out = with_cookie(head, 3)
    assert out.startswith(head[:-2]) and out.endswith(b"\r\n\r\n")
    assert out.count(b"\r\n\r\n") == 1
    assert pinned_worker(b"GET / HTTP/1.1\r\nCookie: " + out.split(b"Set-Cookie: ")[1], 4) == 3


@pytest.mark.parametrize("n", [0, -1, MAX_WORKERS + 1])
def test_bad_worker_count_is_refused_with_message(n):
    with pytest.raises(OptionError) as err:
        check_workers(n)
    assert str(err.value) == MSG_BAD_WORKERS.format(n=n, max=MAX_WORKERS)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads child processes from /proc")
def test_workers_pin_each_browser_and_all_stop_on_sigterm():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bias_audit", "app", "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 150  # two servers start and warm up on a shared box
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the app did not start")
        workers = _children(proc.pid)
        assert len(workers) == 2
        pins = []
        for _ in range(2):  # two browsers: one cookie jar each
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            for _ in range(3):  # the same browser stays on its worker
                with opener.open(f"{url}/_stcore/health", timeout=10) as r:
                    assert r.read().strip() == b"ok"
            values = [c.value for c in jar if c.name == COOKIE]
            assert len(values) == 1
            pins.append(values[0])
        assert sorted(pins) == ["0", "1"]  # new browsers take the workers in turn

        proc.send_signal(signal.SIGTERM)  # the command only, as a service manager would
        assert proc.wait(timeout=30) == 0
        assert [pid for pid in workers if _alive(pid)] == [], "a worker outlived the command"
        for pgid in (proc.pid, *workers):  # each worker led its own process group
            with pytest.raises(ProcessLookupError):
                os.killpg(pgid, 0)
    finally:
        for pid in workers:
            if _alive(pid):
                os.killpg(pid, signal.SIGKILL)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
