"""`bias-audit app --workers 2` in Chromium: each browser on its own worker, with its upload,
its audit and its download, through the proxy (websocket, XSRF-checked upload, media)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from browser_support import ROOT, child_pids, free_port, wait_healthy, wait_idle
from playwright.sync_api import expect

from bias_audit.commands.app_workers import COOKIE

pytestmark = pytest.mark.browser

EXTRACT = ROOT / "example_data" / "recruitment_extract.csv"


@pytest.fixture(scope="module")
def workers_server() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bias_audit", "app", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: list[int] = []
    try:
        wait_healthy(url, proc, time.monotonic() + 180)
        workers = child_pids(proc.pid)
        assert len(workers) == 2
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        left = []
        for pgid in (proc.pid, *workers):  # the command's group and each worker's own
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                continue
            left.append(pgid)
            os.killpg(pgid, signal.SIGKILL)
        assert left == [], "a process outlived `bias-audit app --workers 2`"


def test_two_browsers_each_upload_audit_and_download_on_their_own_worker(
    chromium, workers_server, tmp_path
):
    pins = []
    outside = []  # requests to anywhere but the local app: there must be none
    for n in range(2):
        context = chromium.new_context(viewport={"width": 1400, "height": 1600})
        try:
            context.on(
                "request",
                lambda r: None if r.url.startswith(workers_server) else outside.append(r.url),
            )
            page = context.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{workers_server}/recruitment_audit")
            wait_idle(page)
            page.get_by_text("Upload CSV / XLSX", exact=True).click()
            wait_idle(page)
            # the extract uploader (the mapping panel has its own file input)
            page.locator(".st-key-extract_upload input[type=file]").set_input_files(EXTRACT)
            wait_idle(page)
            expect(page.get_by_test_id("stMetricValue").first).to_have_text(
                re.compile(r"^\d+\.\d\d$")
            )
            with page.expect_download() as info:
                page.get_by_role("button", name="Download report (HTML)").click()
            saved = tmp_path / f"report-{n}.html"
            info.value.save_as(saved)
            assert "WRES indicator 2" in saved.read_text(encoding="utf-8")
            pins += [c["value"] for c in context.cookies() if c["name"] == COOKIE]
        finally:
            context.close()
    assert sorted(pins) == ["0", "1"]
    assert [u for u in outside if not u.startswith(("data:", "blob:", "about:"))] == []
