"""The region page: organisations compared on a funnel plot, and the trend by year.

The synthetic example (8 trusts, 3 years) in one click, or uploads: one extract with an
organisation column, or one extract per organisation. Thin: every figure comes from
:func:`bias_audit.services.region.audit_region` and the report builders.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from bias_audit.errors import BiasAuditError
from bias_audit.ui import components as ui

TITLE = "Region: compare organisations"
INTRO = (
    "Several trusts side by side, fairly: each organisation's WRES indicator 2, WDES metric 2 "
    "and shortlisting ratio on a funnel plot against the pooled value, with 95% and 99.8% "
    "control limits (Spiegelhalter's method, allowing for over-dispersion when the trusts "
    "differ by more than chance). Organisations outside the limits are named; nobody is "
    "ranked. With a year column, each indicator is shown year by year with a test for a trend."
)
SOURCE_EXAMPLE = "Example: 8 synthetic trusts, 3 years"
SOURCE_OVERDISPERSED = "Example: 12 synthetic trusts that differ a lot (over-dispersed)"
SOURCE_UPLOAD = "Upload extract(s)"
EXAMPLE_FILES = {
    SOURCE_EXAMPLE: ("region_extract.csv", "Financial Year"),
    SOURCE_OVERDISPERSED: ("region_overdispersed.csv", None),
}
UPLOAD_EMPTY = (
    "Upload one extract with an organisation column (e.g. Trust, ODS Code, Organisation), "
    "or one extract per organisation named after it (e.g. RJZ_2024.csv)."
)
SUPPRESS_LABEL = "Disclosure control"
SUPPRESS_HELP = (
    "On: counts of 1–7 hidden, others rounded to 5, protected across every organisation, "
    "year and the pooled figure. Off: exact counts, for your own use only."
)
ORG_LABEL = "Organisation column (blank: find it by name)"
YEAR_LABEL = "Year or date column (blank: no trend)"
TABLE_COLUMNS = {
    "unit": "Organisation",
    "reference_entered": "Reference entered",
    "reference_selected": "Reference selected",
    "focal_entered": "Focal entered",
    "focal_selected": "Focal selected",
    "ratio": "Ratio",
    "limit_95_low": "95% low",
    "limit_95_high": "95% high",
    "limit_998_low": "99.8% low",
    "limit_998_high": "99.8% high",
    "position": "Where",
    "not_computable": "Not computable because",
}


@st.cache_data(show_spinner="Comparing the example trusts…")
def _example(name: str, year_column: str | None, suppression: bool):
    from bias_audit.services.region import audit_region
    from bias_audit.shipped import shipped_path

    path = shipped_path("example_data") / name
    return audit_region([str(path)], year_column=year_column, suppression=suppression)


@st.cache_data(scope="session", max_entries=8, show_spinner="Comparing the organisations…")
def _uploads(
    files: tuple[tuple[str, bytes], ...],
    organisation_column: str | None,
    year_column: str | None,
    suppression: bool,
):
    from bias_audit.services.region import audit_region

    return audit_region(
        [data for _, data in files],
        names=[name for name, _ in files],
        organisation_column=organisation_column,
        year_column=year_column,
        suppression=suppression,
    )


def render() -> None:
    """Draw the page."""
    ui.page_header(TITLE, INTRO)
    left, right = st.columns([3, 2])
    with left:
        how = st.radio(
            "Data",
            [SOURCE_EXAMPLE, SOURCE_OVERDISPERSED, SOURCE_UPLOAD],
            key="region_source",
        )
    with right:
        suppression = st.toggle(
            SUPPRESS_LABEL, value=True, help=SUPPRESS_HELP, key="region_suppress"
        )
    try:
        if how == SOURCE_UPLOAD:
            uploads = st.file_uploader(
                "Extract(s)", type=["csv", "xlsx"], accept_multiple_files=True, key="region_up"
            )
            org = st.text_input(ORG_LABEL, key="region_org").strip() or None
            year = st.text_input(YEAR_LABEL, key="region_year").strip() or None
            if not uploads:
                st.info(UPLOAD_EMPTY)
                return
            files = tuple((u.name, u.getvalue()) for u in uploads)
            audit = _uploads(files, org, year, suppression)
        else:
            name, year = EXAMPLE_FILES[how]
            audit = _example(name, year, suppression)
    except BiasAuditError as err:
        st.error(ui.plain(err))
        return
    show(audit)


def show(audit) -> None:
    """The comparison: per metric, the sentences, the funnel plot, the table and the trend."""
    from bias_audit.report.region_charts import funnel_chart, trend_chart
    from bias_audit.report.region_html import region_report_html
    from bias_audit.report.region_text import metric_sentences, region_rows, trend_sentence
    from bias_audit.services.region import region_table

    rows = region_rows(audit)
    if not audit.suppression:
        st.warning("Disclosure control is off: exact counts, for your own use only.")
    for metric in audit.metrics:
        st.subheader(metric.name)
        st.markdown("\n".join(f"- {ui.plain(s)}" for s in metric_sentences(audit, metric)))
        ui.show_chart(funnel_chart(audit, metric), key=f"funnel_{metric.key}")
        table = pd.DataFrame([r for r in rows if r["metric"] == metric.key and r["kind"] != "year"])
        if not table.empty:
            shown = table[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS).astype(str)
            st.dataframe(shown, hide_index=True)
        if audit.years:
            ui.show_chart(trend_chart(audit, metric), key=f"trend_{metric.key}")
            sentence = trend_sentence(audit, metric)
            if sentence:
                st.write(ui.plain(sentence))
    with st.expander("Notes"):
        for note in [*audit.notes, *audit.warnings]:
            st.write(ui.plain(note))
    ui.downloads(
        [
            ui.Download("Report (HTML)", lambda: region_report_html(audit), "region.html",
                        ui.HTML, "region_html"),
            ui.Download("Table (CSV)", lambda: _csv(region_table(audit)), "region.csv", ui.CSV,
                        "region_csv"),
            ui.Download("JSON", lambda: json.dumps(audit.to_dict(), indent=2, ensure_ascii=False),
                        "region.json", "application/json", "region_json"),
        ]
    )  # fmt: skip


def _csv(frame: pd.DataFrame) -> bytes:
    from bias_audit.report.export import frame_to_csv

    return frame_to_csv(frame)
