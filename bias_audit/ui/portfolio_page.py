"""The job description portfolio page: upload a zip or many files (or the example), see the
requirements matrix per band with its flags, the national profile check, and download.

The page renders a list of sections (:data:`SECTIONS`), each a title and a function of the
review. Other pages' authors add their own sections without editing this file: a module
``bias_audit.ui.compare_page`` that defines ``PORTFOLIO_SECTIONS`` (a list of
:class:`PortfolioSection`) has them shown after the matrix (see :func:`sections`).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Sequence
from typing import NamedTuple

import streamlit as st

from bias_audit.errors import BiasAuditError
from bias_audit.report.export import download_name
from bias_audit.shipped import shipped_path
from bias_audit.ui import components as ui
from bias_audit.ui.resources import pipeline, upload_too_large

TITLE = "Job description portfolio"
INTRO = (
    "Review a set of job descriptions together: upload a zip or many files (txt, docx or "
    "pdf), or try the example. Each band's descriptions are laid side by side by what they "
    "demand; you see which ask for different essentials, and which ask for more than the "
    "band's Agenda for Change national profile. Nothing you upload leaves this computer."
)
SOURCE_EXAMPLE = "Example portfolio"
SOURCE_UPLOAD = "Upload files"
UPLOAD_LABEL = "Job descriptions (a zip, or many files)"
UPLOAD_EMPTY = "Choose a zip of job descriptions, or several txt, docx or pdf files."
BANDS_LABEL = "Bands file (optional): a CSV of file,band"
BANDS_HELP = (
    "A CSV with a header row 'file,band', e.g. 'hca_ward7.docx,Band 2'. Descriptions it "
    "does not name are judged at the band found in their text."
)
UPLOAD_TYPES = ("txt", "md", "docx", "pdf", "zip")
EXAMPLE_FOLDER = shipped_path("example_data") / "portfolio"
MATRIX_HEADING = "Requirements by band"
FLAGS_LABEL = "Flags"
NO_FLAGS = "No flags: these descriptions agree and stay within the national profile."
PROFILE_HEADING = "National profile check"
PROFILE_CAPTION = (
    "Every essential demand against its band's national job profile (knowledge, training "
    "and experience). Sources: NHS Employers national job profiles; NHS Job Evaluation "
    "Handbook, factor 2."
)
DOCUMENTS_HEADING = "Documents read"
EXCLUDED_HEADING = "Files left out"
LEGEND_CAPTION = "Cells: {legend}."
LAST_PORTFOLIO_KEY = "last_portfolio_review"


class PortfolioSection(NamedTuple):
    """One part of the page: a heading and a function that draws it from the review."""

    title: str
    render: Callable[[object], None]


@st.cache_resource(show_spinner="Reviewing the example portfolio…")
def example_review() -> object:
    """The review of the bundled example portfolio (synthetic, shared by every session)."""
    from bias_audit.services import audit_portfolio

    pipeline()
    return audit_portfolio(EXAMPLE_FOLDER / "descriptions", bands=EXAMPLE_FOLDER / "bands.csv")


@st.cache_data(scope="session", max_entries=4, show_spinner=False)
def upload_review(files: tuple[tuple[str, bytes], ...], bands: tuple[str, bytes] | None) -> object:
    """The review of uploaded files, read in memory and cached for this session only."""
    from bias_audit.services import audit_portfolio

    pipeline()
    bar = st.progress(0.0, text="Reading job descriptions…")

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(done / total, text=f"Read {done} of {total}")

    review = audit_portfolio(
        list(files),
        bands=None if bands is None else bands[1],
        bands_name=None if bands is None else bands[0],
        progress=progress,
    )
    bar.empty()
    return review


def _uploads() -> tuple[tuple[tuple[str, bytes], ...], tuple[str, bytes] | None] | None:
    chosen = st.file_uploader(
        UPLOAD_LABEL, type=list(UPLOAD_TYPES), accept_multiple_files=True, key="portfolio_upload"
    )
    bands = st.file_uploader(BANDS_LABEL, type=["csv"], key="portfolio_bands", help=BANDS_HELP)
    if not chosen:
        st.info(UPLOAD_EMPTY)
        return None
    for upload in [*chosen, *([bands] if bands is not None else [])]:
        too_large = upload_too_large(upload.name, upload.size)
        if too_large is not None:
            st.error(ui.plain(too_large))
            return None
    files = tuple((u.name, u.getvalue()) for u in chosen)
    return files, None if bands is None else (bands.name, bands.getvalue())


# ------------------------------------------------------------------------ sections


def matrix_section(review) -> None:
    """Per band: the national profile, the matrix, its flags."""
    from bias_audit.portfolio.render import LEGEND, PROFILE_LINE, band_flags

    st.caption(LEGEND_CAPTION.format(legend=LEGEND.replace(" · ", "; ")))
    for index, matrix in enumerate(review.matrices):
        st.markdown(f"##### {ui.plain(matrix.label)} — {len(matrix.documents)} description(s)")
        profile = review.profiles.get(matrix.band) if matrix.band is not None else None
        if profile is not None:
            st.caption(
                ui.plain(
                    PROFILE_LINE.format(
                        band=matrix.band,
                        summary=profile["summary"],
                        profiles="; ".join(profile["profiles"]),
                    )
                )
            )
        st.dataframe(matrix.frame(), hide_index=True, key=f"portfolio_matrix_{index}")
        flags = band_flags(review, matrix)
        if flags:
            st.markdown("\n".join(f"- **{f.kind}**: {ui.plain(f.message)}" for f in flags))
        elif matrix.band is not None:
            st.success(NO_FLAGS)


def profile_section(review) -> None:
    """Every essential demand judged against its band's profile."""
    import pandas as pd

    st.caption(PROFILE_CAPTION)
    rows = [
        {
            "Document": j.document,
            "Band": j.band,
            "Demand": j.kind,
            "Words": j.text,
            "Verdict": j.verdict,
            "Why": j.why,
        }
        for j in review.judgements
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="portfolio_profile")


def documents_section(review) -> None:
    """Each document's title, band and staff group; files left out; notes."""
    import pandas as pd

    rows = [
        {
            "Document": d.name,
            "Title": d.title,
            "Band": d.band,
            "Band from": d.band_source,
            "Staff group": d.staff_group,
        }
        for d in review.documents
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="portfolio_documents")
    if review.exclusions:
        st.markdown(f"##### {EXCLUDED_HEADING} ({len(review.exclusions)})")
        for exclusion in review.exclusions:
            st.warning(ui.plain(exclusion.reason))
    for note in [*review.notes, *(n for d in review.documents for n in d.notes)]:
        st.info(ui.plain(note))


OWN_SECTIONS: tuple[PortfolioSection, ...] = (
    PortfolioSection(MATRIX_HEADING, matrix_section),
    PortfolioSection(PROFILE_HEADING, profile_section),
    PortfolioSection(DOCUMENTS_HEADING, documents_section),
)
EXTRA_SECTIONS_MODULE = "bias_audit.ui.compare_page"
EXTRA_SECTIONS_NAME = "PORTFOLIO_SECTIONS"


def sections() -> list[PortfolioSection]:
    """The page's sections: the matrix, then any others' (``PORTFOLIO_SECTIONS`` of
    :data:`EXTRA_SECTIONS_MODULE`, when that module exists), then the profile check and
    the documents read."""
    found = list(OWN_SECTIONS)
    if importlib.util.find_spec(EXTRA_SECTIONS_MODULE) is not None:
        module = importlib.import_module(EXTRA_SECTIONS_MODULE)
        extra: Sequence[PortfolioSection] = getattr(module, EXTRA_SECTIONS_NAME, ())
        found[1:1] = extra
    return found


def _downloads(review, source: str) -> None:
    from bias_audit.portfolio.render import render_html
    from bias_audit.portfolio.workbook import portfolio_workbook

    ui.downloads(
        [
            ui.Download(
                "Download review (HTML)",
                lambda: render_html(review),
                download_name("portfolio", source, extension="html"),
                ui.HTML,
                "portfolio_html",
            ),
            ui.Download(
                "Download review (Excel)",
                lambda: portfolio_workbook(review),
                download_name("portfolio", source, extension="xlsx"),
                ui.XLSX,
                "portfolio_xlsx",
            ),
        ]
    )


def render() -> None:
    """Draw the page."""
    from bias_audit.portfolio.render import headline

    ui.page_header(TITLE, INTRO)
    how = st.radio(
        "Job descriptions", [SOURCE_EXAMPLE, SOURCE_UPLOAD], horizontal=True, key="portfolio_source"
    )
    try:
        if how == SOURCE_EXAMPLE:
            review, source = example_review(), "example"
        else:
            chosen = _uploads()
            if chosen is None:
                return
            files, bands = chosen
            review = upload_review(files, bands)
            source = files[0][0] if len(files) == 1 else f"{len(files)} files"
    except BiasAuditError as err:
        st.error(ui.plain(err))
        return
    ui.remember(LAST_PORTFOLIO_KEY, review)
    st.subheader(headline(review))
    for section in sections():
        st.markdown(f"#### {section.title}")
        section.render(review)
    _downloads(review, source)
