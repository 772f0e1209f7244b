"""A real server (started through `bias-audit app`) and Debian's Chromium via Playwright.

Never runs `playwright install`: the browser is the system one (``apt-get install chromium``,
done by ``.ci/run``). There is deliberately no skip when it is missing.
"""

from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Start `bias-audit app` on a free localhost port; yield its URL; stop it after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bias_audit", "app", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_healthy(url, proc, time.monotonic() + STARTUP_SECONDS)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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

    def _open(path: str = ""):
        context = chromium.new_context(
            viewport={"width": 1400, "height": 2400}, accept_downloads=True
        )
        contexts.append(context)
        page = context.new_page()
        # Generous: the first run imports spaCy and analyses the example on a shared 2-core box.
        page.set_default_timeout(120_000)
        page.goto(f"{app_server}/{path}")
        wait_idle(page)
        return page

    yield _open
    for context in contexts:
        context.close()
