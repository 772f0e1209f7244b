"""Workshop load test: N concurrent app sessions against a local `bias-audit app`.

Each session speaks Streamlit's own websocket protocol (the messages a browser tab sends), so
the figures measure the server, not N Chromium renderers competing for the same CPU. A
session does what a workshop participant does:

1. opens the app (the advert checker, with the example advert);
2. pastes an advert (different per session, so nothing comes from a cache) and waits for the
   highlighted result;
3. opens the recruitment audit on the example extract and waits for the WRES headline.

Latency is from sending the request to the server's "script finished" message, after
checking the expected content arrived. Run from the repository root; it starts and stops its
own server on a free localhost port:

    .venv/bin/python benchmarks/app_load_bench.py --sessions 20

Bounded: at most 40 sessions, and the run is abandoned after --timeout seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from browser_support import free_port, wait_healthy  # noqa: E402

ADVERT = (
    "Healthcare Support Worker, Band 3, ward {n}. We are looking for a dynamic, competitive "
    "and energetic young team player who is a native English speaker. Essential: a degree in "
    "health and social care; 5 years' experience; full UK driving licence. Must be able to "
    "lift heavy patients. Salary £24,071 a year. We offer reasonable adjustments and "
    "flexible working."
)
STEPS = ("first load", "advert check", "recruitment audit (example)")


class Session:
    """One app session over the websocket, remembering widget ids by their keys."""

    def __init__(self, ws: websockets.ClientConnection) -> None:
        self.ws = ws
        self.widgets: dict[str, str] = {}  # user key or label -> widget id
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.text: list[str] = []

    async def run(self, *, page_hash: str = "", states: tuple = ()) -> None:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = page_hash
        for widget_id, field, value in states:
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            setattr(state, field, value)
        self.text = []
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                for page in fwd.navigation.app_pages:
                    self.pages[page.url_pathname] = page.page_script_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._remember(fwd.delta.new_element)
            elif kind == "script_finished":
                return

    def _remember(self, element) -> None:
        kind = element.WhichOneof("type")
        proto = getattr(element, kind)
        widget_id = getattr(proto, "id", "")
        if widget_id:
            key = widget_id.rsplit("-", 1)[-1] if "-" in widget_id else widget_id
            self.widgets[key] = widget_id
            self.widgets[getattr(proto, "label", "")] = widget_id
        for field in ("body", "label"):
            value = getattr(proto, field, "")
            if isinstance(value, str) and value:
                self.text.append(value)


async def one_session(url: str, n: int, delay: float, results: dict[str, list[float]]) -> None:
    await asyncio.sleep(delay)
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None) as ws:
        session = Session(ws)
        start = time.perf_counter()
        await session.run()
        results[STEPS[0]].append(time.perf_counter() - start)

        source = session.widgets["advert_source"]
        await session.run(states=((source, "string_value", "Paste text"),))
        states = (
            (source, "string_value", "Paste text"),
            (session.widgets["advert_paste"], "string_value", ADVERT.format(n=n)),
            (session.widgets["Check advert"], "trigger_value", True),
        )
        start = time.perf_counter()
        await session.run(states=states)
        assert any('class="ba-high"' in t for t in session.text), "no highlights came back"
        results[STEPS[1]].append(time.perf_counter() - start)

        start = time.perf_counter()
        await session.run(page_hash=session.pages["recruitment_audit"])
        assert "WRES indicator 2" in session.text, "no WRES headline came back"
        results[STEPS[2]].append(time.perf_counter() - start)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in [0, 1])."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run(url: str, sessions: int, ramp: float = 0.0) -> dict[str, list[float]]:
    """Start ``sessions`` sessions, spread evenly over ``ramp`` seconds (0: all at once)."""
    results: dict[str, list[float]] = {step: [] for step in STEPS}
    await asyncio.gather(
        *(one_session(url, n, ramp * n / sessions, results) for n in range(sessions))
    )
    return results


def measure(args: argparse.Namespace, url: str, sessions: int) -> tuple[dict, float]:
    """Warm up with one session (unless told not to), then run ``sessions`` at once."""
    if not args.no_warm_up:
        # The presenter opens the app first: spaCy and the example audit are built once.
        asyncio.run(asyncio.wait_for(run(url, 1), timeout=args.timeout))
    wall = time.perf_counter()
    results = asyncio.run(asyncio.wait_for(run(url, sessions, args.ramp), timeout=args.timeout))
    return results, time.perf_counter() - wall


def report(args: argparse.Namespace, url: str, sessions: int, results: dict, wall: float) -> None:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{sessions} concurrent sessions (starts spread over {args.ramp:g} s) against {url} "
        f"({args.workers} worker(s)); wall time {wall:.1f} s; load average after: {load}"
    )
    print(f"{'step':30} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    for step, values in results.items():
        print(
            f"{step:30} {len(values):3d} {statistics.median(values):7.2f} "
            f"{percentile(values, 0.95):7.2f} {max(values):7.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument(
        "--ramp", type=float, default=0.0, help="spread session starts over this many seconds"
    )
    parser.add_argument("--no-warm-up", action="store_true", help="measure a cold server")
    parser.add_argument("--workers", type=int, default=1, help="`bias-audit app --workers N`")
    parser.add_argument(
        "--url", help="measure an app already running here (e.g. to profile it) instead"
    )
    args = parser.parse_args()
    sessions = max(1, min(args.sessions, 40))
    if args.url is not None:
        if not args.url.startswith(("http://127.", "http://localhost")):
            parser.error("--url must be on this computer (http://127.0.0.1:PORT)")
        results, wall = measure(args, args.url, sessions)
        report(args, args.url, sessions, results, wall)
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "bias_audit", "app", "--port", str(port)]
    if args.workers > 1:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: every worker is stopped with it
    )
    try:
        wait_healthy(url, server, time.monotonic() + 90)
        results, wall = measure(args, url, sessions)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
    report(args, url, sessions, results, wall)


if __name__ == "__main__":
    main()
