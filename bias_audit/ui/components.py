"""Small Streamlit pieces the pages share: styles, charts with takeaways, downloads."""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from bias_audit.report.charts import Chart
from bias_audit.report.style import REPORT_CSS

_APP_CSS = """
.ba-root, .ba-advert {font-size: 1.1rem}
[data-testid="stMetricValue"] {font-size: 2.4rem}
"""

LAST_ADVERT_KEY = "last_advert_report"
LAST_AUDIT_KEY = "last_recruitment_audit"


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: object) -> str:
    r"""Escape Markdown so user-derived text (file names, group labels) shows literally.

    ``st.error``/``st.warning``/``st.write`` render Markdown; a file named ``[x](javascript:…)``
    must not become a link.

    Examples
    --------
    >>> print(plain("[x](y) *a*"))
    \[x\]\(y\) \*a\*
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def inject_style() -> None:
    """Add the severity marks and projector-friendly sizes to the page."""
    st.html(f"<style>{REPORT_CSS}{_APP_CSS}</style>")


def show_chart(chart: Chart, *, key: str) -> None:
    """A chart with its plain-English takeaway directly under it (only the words if empty)."""
    if chart.empty:
        st.markdown(f"**{plain(chart.title)}**")
        st.info(plain(chart.takeaway))
        return
    # theme=None keeps the projector-sized fonts and the colour-blind-safe palette.
    st.plotly_chart(chart.figure, key=key, theme=None, config={"displayModeBar": False})
    st.caption(f"**{plain(chart.title)}.** {plain(chart.takeaway)}")


def download(
    label: str,
    data: Callable[[], bytes | str] | bytes | str,
    *,
    file_name: str,
    mime: str,
    key: str,
) -> None:
    """A download button that builds its file only when clicked and does not rerun the page."""
    st.download_button(label, data=data, file_name=file_name, mime=mime, key=key, on_click="ignore")


def remember(key: str, value: object) -> None:
    """Keep the latest result in this session only, for the combined report."""
    st.session_state[key] = value
