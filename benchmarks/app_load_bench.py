"""Workshop load test: N concurrent browser sessions against a local `bias-audit app`.

Each session (its own Chromium context, so its own Streamlit session) does what a workshop
participant does: opens the advert checker, pastes an advert and waits for the highlights,
then opens the recruitment audit on the example extract and waits for the WRES headline.
Latency is measured from the action to the app going idle with the result on screen.

Run from the repository root (starts and stops its own server on a free localhost port):

    .venv/bin/python benchmarks/app_load_bench.py --sessions 20

Bounded: at most 40 sessions, and the whole run is abandoned after --timeout seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_support import CHROMIUM_ARGS, chromium_path, free_port, wait_healthy  # noqa: E402

ADVERT = (
    "Healthcare Support Worker, Band 3. We are looking for a dynamic, competitive and "
    "energetic young team player who is a native English speaker. Essential: a degree in "
    "health and social care; 5 years' experience; full UK driving licence. Must be able to "
    "lift heavy patients. Salary £24,071 a year. We welcome applications from everyone and "
    "offer reasonable adjustments and flexible working."
)
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


async def idle(page) -> None:
    await page.wait_for_timeout(100)
    await page.locator(IDLE).wait_for(state="attached")


async def one_session(browser, url: str, results: dict[str, list[float]]) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 1600})
    page = await context.new_page()
    page.set_default_timeout(120_000)
    try:
        start = time.perf_counter()
        await page.goto(url)
        await idle(page)
        results["first load"].append(time.perf_counter() - start)

        await page.get_by_text("Paste text", exact=True).click()
        await idle(page)
        await page.get_by_label("Advert text").fill(ADVERT)
        start = time.perf_counter()
        await page.get_by_role("button", name="Check advert").click()
        await page.locator("mark.ba-high").first.wait_for()
        await idle(page)
        results["advert check"].append(time.perf_counter() - start)

        start = time.perf_counter()
        await page.get_by_role("link", name="Recruitment audit").click()
        await page.get_by_text("WRES indicator 2").first.wait_for()
        await idle(page)
        results["recruitment audit (example)"].append(time.perf_counter() - start)
    finally:
        await context.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def run(url: str, sessions: int) -> dict[str, list[float]]:
    from playwright.async_api import async_playwright

    results: dict[str, list[float]] = {
        "first load": [],
        "advert check": [],
        "recruitment audit (example)": [],
    }
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(one_session(browser, url, results) for _ in range(sessions)))
        finally:
            await browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    sessions = max(1, min(args.sessions, 40))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "bias_audit", "app", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(url, server, time.monotonic() + 60)
        wall = time.perf_counter()
        results = asyncio.run(asyncio.wait_for(run(url, sessions), timeout=args.timeout))
        wall = time.perf_counter() - wall
    finally:
        server.terminate()
        server.wait(timeout=15)
    print(f"{sessions} concurrent sessions against {url}; wall time {wall:.1f} s")
    print(f"{'step':32} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    for step, values in results.items():
        print(
            f"{step:32} {len(values):3d} {statistics.median(values):7.2f} "
            f"{percentile(values, 0.95):7.2f} {max(values):7.2f}"
        )


if __name__ == "__main__":
    main()
