"""Workshop mode: the app as it should look on a projector in a training room.

Switched on by the sidebar toggle or by opening the app with ``?workshop=1`` (so a presenter
can bookmark it). It only changes presentation: larger type on the results (body text
24 px), the headline and its chart before the controls so they fit a 1280×720 screen, and
secondary text folded into expanders. Captions are dark in both modes: Streamlit's light
grey passes the WCAG AA contrast check on a screen but is hard to read from the back of a
room on a projector.
"""

from __future__ import annotations

import streamlit as st

PARAM = "workshop"
TOGGLE_LABEL = "Workshop mode"
TOGGLE_HELP = (
    "Large type for a projector: the headline and its chart first, explanations folded away. "
    "Link straight to it with ?workshop=1 at the end of the address."
)
_STATE_KEY = "workshop_mode"  # survives page changes, which drop the query string
_WIDGET_KEY = "workshop_toggle"
_ON = frozenset({"1", "true", "yes", "on"})

# Both modes: Streamlit draws captions and widget labels in a translucent light grey, hard
# to read on a projector; the app uses the report's dark text colour (#212b32) instead.
BASE_CSS = """
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-testid="stMetricLabel"] p {color:#212b32}
[data-testid="stCaptionContainer"] {opacity:1}
[data-testid="stMetricValue"] p {font-size:2.4rem;line-height:1.2}
"""

# Workshop mode: 24 px body text on the result; no grey text at all; compact top.
WORKSHOP_CSS = """
[data-testid="stMain"] .block-container {padding-top:3rem}
[data-testid="stMain"] p, [data-testid="stMain"] li, .ba-root, .ba-advert,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] {font-size:24px;line-height:1.4}
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {font-size:24px;color:#000}
[data-testid="stMain"] h1 {font-size:2rem;padding:0 0 .25rem 0}
[data-testid="stMain"] h2, [data-testid="stMain"] h3 {font-size:1.75rem}
[data-testid="stMain"] [data-testid="stMetricValue"] p {font-size:3.5rem}
[data-testid="stMetricLabel"] p {font-size:24px}
[data-testid="stExpander"] summary p {font-size:24px}
"""


def _url_says() -> bool | None:
    """``True``/``False`` when the address has ``?workshop=…``, else ``None``."""
    raw = st.query_params.get(PARAM)
    if raw is None:
        return None
    return raw.strip().lower() in _ON


def _toggled() -> None:
    on = bool(st.session_state[_WIDGET_KEY])
    st.session_state[_STATE_KEY] = on
    # Keep the address in step, so copying it shares the same view.
    if on:
        st.query_params[PARAM] = "1"
    else:
        st.query_params.pop(PARAM, None)


def workshop_toggle() -> bool:
    """The sidebar toggle; returns whether workshop mode is on for this session.

    The address wins when it says ``?workshop=…``; otherwise the session remembers the last
    choice, so moving to another page keeps the mode.
    """
    url = _url_says()
    if url is not None:
        st.session_state[_STATE_KEY] = url
    on = bool(st.session_state.get(_STATE_KEY, False))
    # Set before the widget is drawn (allowed), so the toggle always shows the mode in force.
    st.session_state[_WIDGET_KEY] = on
    st.sidebar.toggle(TOGGLE_LABEL, key=_WIDGET_KEY, help=TOGGLE_HELP, on_change=_toggled)
    return on


def style(*, workshop: bool) -> str:
    """The CSS for the chosen mode (added to the page by ``components.inject_style``)."""
    return BASE_CSS + (WORKSHOP_CSS if workshop else "")
