"""The before-and-after page: two versions of an advert, what the rewrite changed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from bias_audit.errors import BiasAuditError
from bias_audit.portfolio.compare import change_rows, render_html
from bias_audit.report.export import download_name
from bias_audit.ui import components as ui
from bias_audit.ui import resources
from bias_audit.ui.portfolio_review import (
    BALANCE_TITLE,
    DUPLICATES_TITLE,
    credential_section,
    duplicates_section,
    render_credential_balance,
)

TITLE = "Before and after"
INTRO = (
    "Paste or upload the old and the new version of an advert or person specification. You "
    "see which findings the rewrite removed, which it added and which are still there, and "
    "how the reading age, gender-coding gauge and share of credentials changed. Edit the new "
    "version and the comparison updates. Nothing you paste leaves this computer."
)
BAND_AUTO = "Find it in the text"
SOURCE_PASTE = "Paste text"
SOURCE_UPLOAD = "Upload a file"
SIDES = (("old", "Before"), ("new", "After"))
WAITING = "Give both versions to compare them."
UPLOAD_EMPTY = "Choose a txt, docx or pdf file."
COUNTS = "{removed} removed · {added} added · {kept} kept"
FINDING_HEADERS = ("Severity", "Rule", "Text", "Why")
KEPT_HEADERS = ("Severity", "Rule", "Text", "Severity before")
MEASURE_HEADERS = ("Measure", "Before", "After", "Change")
EXAMPLE_BEFORE = (
    "Healthcare Support Worker, Band 3\n"
    "We want a young, energetic rock star to join our dynamic ward team.\n"
    "Essential\n"
    "- NVQ Level 3 in Health and Social Care\n"
    "- Two years' experience as a healthcare assistant\n"
    "- Full UK driving licence\n"
    "- Kind and patient\n"
)
EXAMPLE_AFTER = (
    "Healthcare Support Worker, Band 3\n"
    "Join a friendly ward team that supports you to learn.\n"
    "Essential\n"
    "- Able to show the knowledge and skills of a Level 3 care role, through a qualification "
    "or equivalent experience\n"
    "- Able to take and record observations accurately\n"
    "- Kind and patient\n"
)


def _portfolio_sections() -> list:
    """The sections this lane adds to the portfolio page (its hook: ``PORTFOLIO_SECTIONS``)."""
    from bias_audit.ui.portfolio_page import PortfolioSection

    return [
        PortfolioSection(BALANCE_TITLE, credential_section),
        PortfolioSection(DUPLICATES_TITLE, duplicates_section),
    ]


PORTFOLIO_SECTIONS = _portfolio_sections()


@st.cache_data(scope="session", max_entries=16, show_spinner="Comparing the two versions…")
def _compare(old: str, new: str, old_name: str, new_name: str, band: int | None) -> object:
    from bias_audit.services import compare_adverts

    resources.pipeline()
    return compare_adverts(
        old_text=old, new_text=new, old_name=old_name, new_name=new_name, band=band
    )


def _version(side: str, label: str) -> tuple[str, str] | None:
    """(text, name) of one version, or ``None`` when not given yet."""
    how = st.radio(label, [SOURCE_PASTE, SOURCE_UPLOAD], horizontal=True, key=f"compare_{side}_how")
    if how == SOURCE_PASTE:
        example = EXAMPLE_BEFORE if side == "old" else EXAMPLE_AFTER
        text = st.text_area(f"{label} text", value=example, height=240, key=f"compare_{side}_text")
        return (text, label.lower()) if text.strip() else None
    upload = ui.uploaded(
        f"{label} file",
        types=resources.ADVERT_TYPES,
        key=f"compare_{side}_upload",
        empty=UPLOAD_EMPTY,
    )
    if upload is None:
        return None
    text, notes = resources.advert_text_from_upload(upload.getvalue(), upload.name)
    for note in notes:
        st.info(note)
    return text, upload.name


def _findings_table(findings: tuple, *, key: str) -> None:
    rows = [(str(f.severity), f.rule_id, f.text, f.explanation) for f in findings]
    st.dataframe(pd.DataFrame(rows, columns=list(FINDING_HEADERS)), hide_index=True, key=key)


def render() -> None:
    """Draw the page."""
    workshop = ui.page_header(TITLE, INTRO)
    headline = st.container() if workshop else None
    band_choice = st.selectbox(
        "Agenda for Change band", [BAND_AUTO, *range(1, 10)], key="compare_band"
    )
    band = None if band_choice == BAND_AUTO else int(band_choice)
    columns = st.columns(2)
    versions = []
    try:
        for column, (side, label) in zip(columns, SIDES, strict=True):
            with column:
                versions.append(_version(side, label))
        if any(v is None for v in versions):
            st.info(WAITING)
            return
        (old, old_name), (new, new_name) = versions
        comparison = _compare(old, new, old_name, new_name, band)
    except BiasAuditError as err:
        st.error(ui.plain(err))
        return
    with headline if headline is not None else st.container():
        st.subheader(
            COUNTS.format(
                removed=len(comparison.removed),
                added=len(comparison.added),
                kept=len(comparison.kept),
            )
        )
        rows = change_rows(comparison)
        for column, (measure, before, after, change) in zip(
            st.columns(len(rows)), rows, strict=True
        ):
            with column:
                st.metric(
                    measure.capitalize(), after, change, delta_color="off", help=f"Before: {before}"
                )
    st.markdown("#### Measures")
    st.dataframe(
        pd.DataFrame(rows, columns=list(MEASURE_HEADERS)), hide_index=True, key="compare_measures"
    )
    st.markdown(f"#### Removed ({len(comparison.removed)})")
    _findings_table(comparison.removed, key="compare_removed")
    st.markdown(f"#### Added ({len(comparison.added)})")
    _findings_table(comparison.added, key="compare_added")
    st.markdown(f"#### Kept ({len(comparison.kept)})")
    kept = [
        (str(k.new.severity), k.new.rule_id, k.new.text, str(k.old.severity))
        for k in comparison.kept
    ]
    st.dataframe(
        pd.DataFrame(kept, columns=list(KEPT_HEADERS)), hide_index=True, key="compare_kept"
    )
    render_credential_balance(
        [comparison.old_balance, comparison.new_balance], key="compare_credentials"
    )
    ui.downloads(
        [
            ui.Download(
                "Download the comparison (HTML)",
                lambda: render_html(comparison),
                download_name("compare", comparison.new_source, extension="html"),
                ui.HTML,
                "compare_html",
            )
        ]
    )
