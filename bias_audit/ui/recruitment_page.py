"""The recruitment audit page: the example extract in one click, or an upload."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from bias_audit.errors import BiasAuditError
from bias_audit.report.charts import ATTRIBUTE_LABELS, Chart, recruitment_charts
from bias_audit.report.export import frame_to_csv, frames_to_xlsx, recruitment_tables
from bias_audit.report.html_report import (
    DIRECTION_NOTE,
    MAPPING_HEADERS,
    SUPPRESSION_OFF,
    SUPPRESSION_ON,
    gap_sentences,
    headline_cards,
    mapping_rows,
    recruitment_report_html,
    significance_tables,
)
from bias_audit.stats import schema
from bias_audit.ui import components as ui
from bias_audit.ui import resources

TITLE = "Recruitment audit"
INTRO = (
    "Selection rates by ethnicity, gender and disability at every stage, WRES indicator 2 and "
    "WDES metric 2, and which gaps are statistically and practically significant. The file "
    "stays in this computer's memory for your session only."
)
SOURCE_EXAMPLE = "Example extract (synthetic)"
SOURCE_UPLOAD = "Upload CSV / XLSX"
UPLOAD_EMPTY = "Choose a CSV or XLSX extract (one row per application, or counts per stage)."
SUPPRESS_LABEL = "Suppress small numbers"
SUPPRESS_HELP = (
    "Counts of 1–7 show as ≤7 and other counts are rounded to 5 (NHS Digital rule); * hides "
    "one more count wherever a ≤7 could otherwise be worked out from the other tables. Every "
    "figure is worked out from the counts as shown. Switch off only for your own analysis; "
    "never publish unsuppressed tables."
)
MAPPING_HELP = (
    "What each field was read from. If a column is wrong, type the correct column name from "
    "your file in the Column cell and the audit reruns."
)
SIGNIFICANCE_HELP = (
    "One table per attribute. A gap is statistically significant when Fisher p is below "
    "0.05 and the 95% interval excludes 1 (borderline when they disagree); the one-person "
    "check says whether the gap survives one person's outcome changing."
)
OVERRIDES_KEY = "column_overrides"


FUNNEL_LABEL = "Stage funnel by"
FUNNEL_CHOICES = (
    schema.ETHNICITY_WRES,
    schema.ETHNICITY_GROUP,
    schema.GENDER,
    schema.DISABILITY,
    schema.ETHNICITY_DETAILED,
)
RESET_LABEL = "Reset the column choices to automatic"


def _reset_overrides() -> None:
    st.session_state[OVERRIDES_KEY] = {}


def _overrides() -> dict[str, str]:
    return dict(st.session_state.get(OVERRIDES_KEY, {}))


def overrides_from_edits(
    edits: Mapping[Any, Mapping[str, object]],
    choices: Sequence[tuple[str, str, str]],
    current: Mapping[str, str],
) -> dict[str, str]:
    """Explicit column choices from the mapping table's edited rows (``--column`` style).

    An emptied cell switches an optional role off, as an empty header does in ``--column``.

    Examples
    --------
    >>> overrides_from_edits({1: {"Column": " Sex "}}, [("ethnicity", "Eth", "auto"),
    ...     ("gender", "Gender", "auto")], {})
    {'gender': 'Sex'}
    """
    overrides = dict(current)
    for row, change in edits.items():
        if "Column" in change:
            overrides[choices[int(row)][0]] = str(change["Column"] or "").strip()
    return overrides


def _apply_edits(editor_key: str, choices: tuple[tuple[str, str, str], ...]) -> None:
    edits = st.session_state[editor_key].get("edited_rows", {})
    st.session_state[OVERRIDES_KEY] = overrides_from_edits(edits, choices, _overrides())


def _load(how: str, suppression: bool, columns: tuple[tuple[str, str], ...]) -> object | None:
    if how == SOURCE_EXAMPLE:
        return resources.audit_example(columns, suppression)
    upload = ui.uploaded(
        "Recruitment extract",
        types=resources.EXTRACT_TYPES,
        key="extract_upload",
        empty=UPLOAD_EMPTY,
    )
    if upload is None:
        return None
    return resources.audit_upload(upload.getvalue(), upload.name, columns, suppression)


def render() -> None:
    """Draw the page."""
    ui.page_header(TITLE, INTRO)
    left, middle, right = st.columns([3, 2.2, 2.6])
    with left:
        how = st.radio(
            "Data", [SOURCE_EXAMPLE, SOURCE_UPLOAD], horizontal=True, key="extract_source"
        )
    with middle:
        funnel_by = st.selectbox(
            FUNNEL_LABEL,
            FUNNEL_CHOICES,
            format_func=lambda a: ATTRIBUTE_LABELS.get(a, a),
            key="funnel_by",
        )
    with right:
        suppression = st.toggle(SUPPRESS_LABEL, value=True, help=SUPPRESS_HELP, key="suppress")
    if suppression:
        st.info(SUPPRESSION_ON)
    else:
        st.warning(SUPPRESSION_OFF)
    columns = tuple(sorted(_overrides().items()))
    try:
        audit = _load(how, suppression, columns)
    except BiasAuditError as err:
        st.error(ui.plain(err))
        if columns:
            # A column the user typed may be what failed: offer the way back.
            st.button(RESET_LABEL, on_click=_reset_overrides, key="reset_columns")
        return
    if audit is None:
        return
    ui.remember(ui.LAST_AUDIT_KEY, audit)
    if how == SOURCE_EXAMPLE:
        charts, tables = resources.example_view(columns, suppression, funnel_by)
    else:
        charts = recruitment_charts(audit, funnel_attribute=funnel_by)
        tables = significance_tables(audit)
    _show(audit, charts, tables)


def _show(audit: object, charts: list[Chart], tables: Mapping[str, object]) -> None:
    st.subheader("Headlines")
    cards = headline_cards(audit)
    for column, card in zip(st.columns(len(cards)), cards, strict=True):
        with column, st.container(border=True):
            st.metric(card.label, card.value, help=card.definition)
            st.write(ui.plain(card.sentence))
    st.caption(DIRECTION_NOTE)
    gaps = gap_sentences(audit)
    if gaps:
        st.markdown("**Clear gaps** (outside the band and statistically significant)")
        for sentence in gaps:
            st.markdown(f"- {ui.plain(sentence)}")

    choices = audit.funnel.column_choices
    with st.expander("Columns used (editable)", expanded=False):
        st.caption(MAPPING_HELP)
        editor_key = f"mapping_{hash(choices)}"
        st.data_editor(
            [dict(zip(MAPPING_HEADERS, row, strict=True)) for row in mapping_rows(choices)],
            disabled=["Field", "How chosen"],
            key=editor_key,
            on_change=_apply_edits,
            args=(editor_key, choices),
            hide_index=True,
        )

    st.subheader("Charts")
    for i, chart in enumerate(charts):
        ui.show_chart(chart, key=f"recruitment_chart_{i}")

    st.subheader("Significance tables")
    st.caption(SIGNIFICANCE_HELP)
    for i, (name, frame) in enumerate(tables.items()):
        with st.expander(name, expanded=i == 0):
            st.dataframe(frame, hide_index=True)

    st.subheader("Data quality")
    if audit.warnings:
        for warning in audit.warnings:
            st.warning(ui.plain(warning))
    else:
        st.success("No data-quality warnings.")

    items = [
        ui.Download(
            "Download report (HTML)",
            lambda: recruitment_report_html(audit),
            "recruitment-report.html",
            ui.HTML,
            "recruitment_html",
        ),
        ui.Download(
            "Download tables (XLSX)",
            lambda: frames_to_xlsx(recruitment_tables(audit)),
            "recruitment-tables.xlsx",
            ui.XLSX,
            "recruitment_xlsx",
        ),
        ui.Download(
            "Download significance table (CSV)",
            lambda: frame_to_csv(audit.transitions),
            "recruitment-transitions.csv",
            ui.CSV,
            "recruitment_csv",
        ),
    ]
    items += ui.full_report(key="recruitment_full_html", audit=audit)
    ui.downloads(items)
