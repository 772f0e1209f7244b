"""A real server (started through `bias-audit app`) and Debian's Chromium via Playwright.

Never runs `playwright install`: the browser is the system one (``apt-get install chromium``,
done by ``.ci/run``). There is deliberately no skip when it is missing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from browser_support import (
    CHROMIUM_ARGS,
    ROOT,
    STARTUP_SECONDS,
    chromium_path,
    free_port,
    wait_healthy,
    wait_idle,
)

from bias_audit.commands.app_command import MSG_LOCAL


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[str]:
    """Start `bias-audit app` on a free localhost port; yield its URL; stop it after."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "stderr.txt"
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    stderr = log.open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bias_audit", "app", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=stderr,  # a file, not a pipe: a full pipe would stall the server
        start_new_session=True,  # its own process group, so teardown can reach every child
    )
    try:
        wait_healthy(url, proc, time.monotonic() + STARTUP_SECONDS)
        started = log.read_text(encoding="utf-8")
        assert MSG_LOCAL.format(host="127.0.0.1", port=port) in started
        yield url
    finally:
        proc.terminate()  # `bias-audit app` stops its Streamlit server itself…
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        left = _wait_group_gone(proc.pid, seconds=15)
        if left:
            os.killpg(proc.pid, signal.SIGKILL)  # …and nothing may outlive the tests
        stderr.close()
        assert not left, "the Streamlit server outlived `bias-audit app`"


def _wait_group_gone(pgid: int, *, seconds: float) -> bool:
    """Whether any process of the group is still alive after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        if time.monotonic() > deadline:
            return True
        time.sleep(0.2)


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, app_server):
    """Open the app in a fresh browser context (a separate Streamlit session)."""
    contexts = []
    outside = []  # requests to anywhere but the local app: there must be none

    def _record(request) -> None:
        if not request.url.startswith((app_server, "data:", "blob:", "about:")):
            outside.append(request.url)

    def _open(path: str = ""):
        context = chromium.new_context(
            viewport={"width": 1400, "height": 2400}, accept_downloads=True
        )
        contexts.append(context)
        context.on("request", _record)
        page = context.new_page()
        # Generous: the first run imports spaCy and analyses the example on a shared 2-core box.
        page.set_default_timeout(120_000)
        page.goto(f"{app_server}/{path}")
        wait_idle(page)
        return page

    yield _open
    for context in contexts:
        context.close()
    assert outside == [], f"the app contacted {outside}"
