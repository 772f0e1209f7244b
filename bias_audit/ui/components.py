"""Small Streamlit pieces the pages share: styles, charts with takeaways, downloads."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from bias_audit.report.charts import Chart
from bias_audit.report.export import download_name
from bias_audit.report.html_report import chart_table_html, full_report_html
from bias_audit.report.style import REPORT_CSS
from bias_audit.ui import workshop as workshop_mode
from bias_audit.ui.resources import upload_too_large

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


def inject_style(*, workshop: bool = False) -> None:
    """Add the severity marks, projector-friendly sizes and the mode's type to the page."""
    st.html(f"<style>{REPORT_CSS}{_APP_CSS}{workshop_mode.style(workshop=workshop)}</style>")


def show_chart(chart: Chart, *, key: str) -> None:
    """A chart with its plain-English takeaway directly under it (only the words if empty)."""
    if chart.empty:
        st.markdown(f"**{plain(chart.title)}**")
        st.info(plain(chart.takeaway))
    else:
        # theme=None keeps the projector-sized fonts and the colour-blind-safe palette.
        st.plotly_chart(chart.figure, key=key, theme=None, config={"displayModeBar": False})
        st.caption(f"**{plain(chart.title)}.** {plain(chart.takeaway)}")
    # The chart's text alternative: its numbers as a table (folded), under the takeaway.
    table = chart_table_html(chart)
    if table:
        st.html(table)


class Download(NamedTuple):
    """One download button: the file is built only when clicked (``data`` is a callable)."""

    label: str
    data: Callable[[], bytes | str]
    file_name: str
    mime: str
    key: str


HTML = "text/html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"


def downloads(items: Sequence[Download]) -> None:
    """Download buttons side by side; clicking one does not rerun the page."""
    st.markdown("#### Download")
    for column, item in zip(st.columns(max(len(items), 1)), items, strict=False):
        with column:
            st.download_button(
                item.label,
                data=item.data,
                file_name=item.file_name,
                mime=item.mime,
                key=item.key,
                on_click="ignore",
            )


FULL_REPORT_LABEL = "Download full report: recruitment + advert (HTML)"


def full_report(*, key: str, audit: object = None, advert: object = None) -> list[Download]:
    """The combined-report button, when this session has both an audit and an advert.

    The page passes its own result; the other comes from this session's state only.
    """
    if audit is None:
        audit = st.session_state.get(LAST_AUDIT_KEY)
    if advert is None:
        advert = st.session_state.get(LAST_ADVERT_KEY)
    if audit is None or advert is None:
        return []
    return [
        Download(
            FULL_REPORT_LABEL,
            lambda: full_report_html(audit=audit, adverts=[advert]),
            download_name("report", audit.funnel.source, extension="html"),
            HTML,
            key,
        )
    ]


ABOUT_PAGE = "About this page"


def page_header(title: str, intro: str) -> bool:
    """Styles, the workshop toggle, the page title and its one-paragraph introduction.

    Returns whether workshop mode is on: the page then puts its headline first and folds
    secondary text (this introduction included) into expanders.
    """
    workshop = workshop_mode.workshop_toggle()
    inject_style(workshop=workshop)
    st.title(title)
    if workshop:
        with st.expander(ABOUT_PAGE):
            st.write(intro)
    else:
        st.write(intro)
    return workshop


def secondary(text: str, *, workshop: bool, label: str) -> None:
    """A caption-like note: in place normally, folded into an expander in workshop mode."""
    if workshop:
        with st.expander(label):
            st.write(text)
    else:
        st.caption(text)


def uploaded(
    label: str,
    *,
    types: Sequence[str],
    key: str,
    empty: str,
    on_change: Callable[[], None] | None = None,
) -> UploadedFile | None:
    """A file uploader that says what to do when empty and refuses files over the limit.

    ``on_change`` runs when a different file is chosen (e.g. to forget choices made for the
    previous one). Returns the upload (kept in memory by Streamlit, never written to disk)
    or ``None``.
    """
    upload = st.file_uploader(label, type=list(types), key=key, on_change=on_change)
    if upload is None:
        st.info(empty)
        return None
    too_large = upload_too_large(upload.name, upload.size)
    if too_large is not None:
        st.error(plain(too_large))
        return None
    return upload


def remember(key: str, value: object) -> None:
    """Keep the latest result in this session only, for the combined report."""
    st.session_state[key] = value
