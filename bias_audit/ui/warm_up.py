"""Warm up a freshly started app server by opening it once, as a browser tab would.

Used by ``bias-audit app --workers N`` (commands/app_workers.py) on every worker before the
proxy opens, so the first participant on each worker does not wait for the language
pipeline or the example audit: both are cached per server process.
"""

from __future__ import annotations

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PAGES = ("", "recruitment_audit")  # the advert checker (default page), then the audit


async def open_app_once(port: int) -> None:
    """Open the app once on a worker (both pages), so nobody's first visit builds the
    language pipeline or the example audit. Best effort: a failure only costs speed."""
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None
    ) as ws:
        pages: dict[str, str] = {}
        for page in PAGES:
            msg = BackMsg()
            msg.rerun_script.query_string = ""
            msg.rerun_script.page_script_hash = pages.get(page, "")
            await ws.send(msg.SerializeToString())
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "navigation":
                    pages.update(
                        {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                    )
                elif kind == "script_finished":
                    break
