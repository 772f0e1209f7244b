"""The Workforce page: WRES / WDES, retention and progression from a staff extract.

Thin: the page reads its widgets, calls :func:`bias_audit.services.workforce.audit_workforce`
once (cached: the synthetic example for everyone, an upload for this session only), and
hands the audit's JSON to ``report/`` for the cards, charts and files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import streamlit as st

from bias_audit.errors import BiasAuditError
from bias_audit.report.export import download_name, frame_to_csv
from bias_audit.report.style import ATTRIBUTE_LABELS
from bias_audit.report.workforce_flow_charts import (
    flow_charts,
    leaving_reasons_table,
    retention_table,
)
from bias_audit.report.workforce_flow_text import headline_cards
from bias_audit.report.workforce_html import workforce_report_html
from bias_audit.report.workforce_returns import returns_workbook
from bias_audit.report.workforce_text import SUPPRESSION_OFF, SUPPRESSION_ON, workforce_table
from bias_audit.stats import schema
from bias_audit.ui import components as ui
from bias_audit.ui import resources

TITLE = "Workforce (WRES / WDES)"
INTRO = (
    "The Workforce Race and Disability Equality Standards from an ESR-style staff extract, "
    "and whether new support staff stay and progress equally. The file stays in this "
    "computer's memory for your session only."
)
SOURCE_KEY = "workforce_source"
SOURCE_EXAMPLE = "Example staff extract (synthetic)"
SOURCE_UPLOAD = "Upload CSV / XLSX"
UPLOAD_KEY = "workforce_upload"
UPLOAD_EMPTY = (
    "Choose a staff extract (CSV or XLSX, one row per person): ethnic origin, gender, "
    "disability, pay band, staff group, start and leaving dates, and the process columns."
)
SUPPRESS_KEY = "workforce_suppress"
SUPPRESS_LABEL = "Suppress small numbers"
SUPPRESS_HELP = (
    "Counts of 1–7 show as ≤7 and other counts are rounded to 5 (NHS Digital rule), with one "
    "protection over every table. Switch off only for your own analysis: the national-returns "
    "workbook (exact counts) is offered only then."
)
VIEW_KEY = "workforce_view"
VIEW_LABEL = "Retention and progression by"
VIEWS = (schema.ETHNICITY_WRES, schema.DISABILITY, schema.GENDER, schema.AGE_BAND)
HEADLINES = "Headlines"
RETENTION_TABLE_LABEL = "Retention by group (table)"
REASONS_LABEL = "Reasons for leaving by group"
COHORT_LABEL = "Retention cohort: period and roles"
YEARS_KEY = "workforce_retention_years"
YEARS_LABEL = "Started in the last … years (to the extract date)"
BANDS_KEY = "workforce_cohort_bands"
BANDS_LABEL = "Bands (none chosen: every band)"
GROUPS_KEY = "workforce_cohort_groups"
GROUPS_LABEL = "Staff groups (none chosen: every staff group)"
COHORT_HELP = (
    "Retention follows everyone who started in the period in these roles; progression asks "
    "the same staff groups. Default: the last two years, Bands 1–4 of Additional Clinical "
    "Services (healthcare support roles)."
)
BAND_CHOICES = (
    *(f"Band {b}" for b in range(1, 8)),
    *(f"Band 8{r}" for r in "abcd"),
    "Band 9",
)
DEFAULT_BANDS = ("Band 1", "Band 2", "Band 3", "Band 4")
DEFAULT_GROUPS = ("Additional Clinical Services",)
# The ESR staff groups (as bias_audit/data/esr_staff_groups.yml lists them).
STAFF_GROUP_CHOICES = (
    "Additional Clinical Services",
    "Additional Professional Scientific and Technical",
    "Administrative and Clerical",
    "Allied Health Professionals",
    "Estates and Ancillary",
    "Healthcare Scientists",
    "Medical and Dental",
    "Nursing and Midwifery Registered",
    "Students",
)
RETURNS_LABEL = "Download national returns (XLSX, exact counts)"
RETURNS_NOTE = (
    "The national-returns workbook holds exact counts, as the trust submits them; it is "
    "offered only with suppression off. Keep it inside the trust."
)


Cohort = tuple[int, tuple[str, ...] | None, tuple[str, ...] | None]
DEFAULT_COHORT: Cohort = (2, DEFAULT_BANDS, DEFAULT_GROUPS)


def _cohort_options(cohort: Cohort) -> dict[str, Any]:
    years, bands, groups = cohort
    return {"retention_years": years, "cohort_bands": bands, "cohort_staff_groups": groups}


@st.cache_data(max_entries=8, show_spinner="Auditing the example staff extract…")
def audit_example(suppression: bool, cohort: Cohort = DEFAULT_COHORT) -> dict[str, Any]:
    """The example's audit (synthetic data: cached for every session)."""
    from bias_audit.services.workforce import audit_workforce

    path = resources.EXAMPLE_DATA / "workforce_extract.csv"
    return audit_workforce(path, suppression=suppression, **_cohort_options(cohort)).to_dict()


@st.cache_data(scope="session", max_entries=4, show_spinner="Auditing the staff extract…")
def audit_upload(
    data: bytes, name: str, suppression: bool, cohort: Cohort = DEFAULT_COHORT
) -> dict[str, Any]:
    """An upload's audit, kept for this session only (never written to disk)."""
    from bias_audit.services.workforce import audit_workforce

    return audit_workforce(
        data, name=name, suppression=suppression, **_cohort_options(cohort)
    ).to_dict()


def cohort_control() -> Cohort:
    """The retention cohort's period and roles (an expander; nothing chosen: all)."""
    with st.expander(COHORT_LABEL):
        st.caption(COHORT_HELP)
        years = st.number_input(YEARS_LABEL, min_value=1, max_value=10, value=2, key=YEARS_KEY)
        bands = st.multiselect(BANDS_LABEL, BAND_CHOICES, default=DEFAULT_BANDS, key=BANDS_KEY)
        groups = st.multiselect(
            GROUPS_LABEL, STAFF_GROUP_CHOICES, default=DEFAULT_GROUPS, key=GROUPS_KEY
        )
    return int(years), tuple(bands) or None, tuple(groups) or None


def render() -> None:
    """The page."""
    workshop = ui.page_header(TITLE, INTRO)
    how = st.radio(
        "Staff extract", (SOURCE_EXAMPLE, SOURCE_UPLOAD), key=SOURCE_KEY, horizontal=True
    )
    left, right = st.columns(2)
    with left:
        suppression = st.toggle(SUPPRESS_LABEL, value=True, key=SUPPRESS_KEY, help=SUPPRESS_HELP)
    with right:
        view = st.selectbox(
            VIEW_LABEL, VIEWS, key=VIEW_KEY, format_func=lambda v: ATTRIBUTE_LABELS.get(v, v)
        )
    cohort = cohort_control()
    upload = None
    if how == SOURCE_UPLOAD:
        upload = ui.uploaded(
            "Staff extract", types=resources.EXTRACT_TYPES, key=UPLOAD_KEY, empty=UPLOAD_EMPTY
        )
        if upload is None:
            return
    try:
        if upload is None:
            audit = audit_example(suppression, cohort)
        else:
            audit = audit_upload(upload.getvalue(), upload.name, suppression, cohort)
    except BiasAuditError as err:
        st.error(ui.plain(err))
        return
    _show(audit, view=view, workshop=workshop)


def _show(audit: Mapping[str, Any], *, view: str, workshop: bool) -> None:
    st.subheader(HEADLINES)
    cards = headline_cards(audit)
    for start in range(0, len(cards), 4):
        row = cards[start : start + 4]
        for column, card in zip(st.columns(4), row, strict=False):
            with column, st.container(border=True):
                st.metric(card.label, card.value, help=card.definition or None)
                st.write(ui.plain(card.takeaway))
    if audit["suppression"]:
        ui.secondary(SUPPRESSION_ON, workshop=workshop, label="Small numbers are suppressed: how")
    else:
        st.warning(SUPPRESSION_OFF)

    st.subheader("Retention and progression")
    retention = audit.get("retention") or {}
    if retention.get("curve_note"):
        st.caption(ui.plain(retention["curve_note"]))
    for i, chart in enumerate(flow_charts(retention, audit.get("progression"), attribute=view)):
        ui.show_chart(chart, key=f"workforce_chart_{i}")
    if retention.get("groups"):
        with st.expander(RETENTION_TABLE_LABEL):
            st.dataframe(retention_table(retention, attribute=view), hide_index=True)
        with st.expander(REASONS_LABEL):
            st.dataframe(leaving_reasons_table(retention, attribute=view), hide_index=True)

    st.subheader("Data quality")
    if audit.get("warnings"):
        for warning in audit["warnings"]:
            st.warning(ui.plain(warning))
    else:
        st.success("No data-quality warnings.")
    _downloads(audit)


def _downloads(audit: Mapping[str, Any]) -> None:
    source = audit["source"]
    items = [
        ui.Download(
            "Download report (HTML)",
            lambda: workforce_report_html(audit),
            download_name("workforce", source, extension="html"),
            ui.HTML,
            "workforce_html",
        ),
        ui.Download(
            "Download figures (CSV)",
            lambda: frame_to_csv(workforce_table(audit)),
            download_name("workforce", source, extension="csv"),
            ui.CSV,
            "workforce_csv",
        ),
        ui.Download(
            "Download everything (JSON)",
            lambda: json.dumps(audit, indent=2, ensure_ascii=False, default=str),
            download_name("workforce", source, extension="json"),
            "application/json",
            "workforce_json",
        ),
    ]
    if not audit["suppression"]:
        items.append(
            ui.Download(
                RETURNS_LABEL,
                lambda: returns_workbook(audit),
                download_name("workforce-returns", source, extension="xlsx"),
                ui.XLSX,
                "workforce_returns",
            )
        )
    ui.downloads(items)
    if not audit["suppression"]:
        st.caption(RETURNS_NOTE)
