"""The job advert checker page: paste, upload or pick an example; see every finding."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from bias_audit.errors import BiasAuditError
from bias_audit.report.advert_charts import advert_charts
from bias_audit.report.advert_text import (
    band_label,
    findings_with_severities,
    readability_basis,
)
from bias_audit.report.charts import Chart
from bias_audit.report.export import download_name
from bias_audit.report.highlight import highlight_html, legend_html
from bias_audit.report.html_report import (
    advert_report_html,
    inclusion_checklist_html,
    requirements_table_html,
)
from bias_audit.report.style import category_label
from bias_audit.serving import this_computer_only
from bias_audit.ui import components as ui
from bias_audit.ui import resources

TITLE = "Job advert checker"
INTRO = (
    "Paste a job advert, job description or person specification, or upload one "
    "(txt, docx or pdf). Every phrase that may put people off is highlighted by severity, "
    "with why and a suggested alternative. Nothing you paste leaves this computer."
)
SOURCE_EXAMPLE = "Example advert"
SOURCE_PASTE = "Paste text"
SOURCE_UPLOAD = "Upload a file"
BAND_AUTO = "Find it in the text"
PASTE_LABEL = "Advert text"
PASTE_EMPTY = "Paste the advert text above, then press Check advert."
UPLOAD_EMPTY = "Choose a txt, docx or pdf file to check."
ALLOW_LABEL = "Allow-list findings for this session"
ALLOW_HELP = (
    "Your team reviewed these and is happy with them: they are hidden for the rest of this "
    "browser session only. To allow them for everyone, add them to `[tool.bias-audit] allow`."
)
RULES_LABEL = "Rules folder (optional)"
RULES_HELP = (
    "A folder of your trust's own rules, used instead of the shipped ones for this session: "
    "a copy of the shipped lexicons/ folder, edited. Check it first with "
    "`bias-audit lexicon check DIR`. Leave empty to use the shipped rules."
)
RULES_IN_USE = "Rules from {folder} (version {version})."
PASTED_SOURCE = "pasted text"
ALLOW_KEY = "advert_allow"
ALLOW_WIDGET_KEY = "advert_allow_widget"


def _keep_allowed() -> None:
    st.session_state[ALLOW_KEY] = tuple(st.session_state[ALLOW_WIDGET_KEY])


def _advert_input() -> tuple[str, str, bool] | None:
    """Read the chosen advert as (text, source name, is_example); None (with guidance) if none."""
    choices = [SOURCE_PASTE, SOURCE_UPLOAD]
    examples = resources.example_advert_names()
    if examples:
        choices.insert(0, SOURCE_EXAMPLE)
    how = st.radio("Advert", choices, horizontal=True, key="advert_source")
    if how == SOURCE_EXAMPLE:
        name = st.selectbox("Example advert", examples, key="advert_example")
        return resources.example_advert_text(name), name, True
    if how == SOURCE_PASTE:
        with st.form("paste_form", border=False):
            text = st.text_area(PASTE_LABEL, height=260, key="advert_paste")
            st.form_submit_button("Check advert", type="primary")
        if not text.strip():
            st.info(PASTE_EMPTY)
            return None
        return text, PASTED_SOURCE, False
    upload = ui.uploaded(
        "Advert file", types=resources.ADVERT_TYPES, key="advert_upload", empty=UPLOAD_EMPTY
    )
    if upload is None:
        return None
    data = upload.getvalue()
    text, notes = resources.advert_text_from_upload(data, upload.name)
    for note in notes:  # e.g. a PDF or Word file named .txt, read as one
        st.info(note)
    return text, upload.name, False


def render() -> None:
    """Draw the page."""
    workshop = ui.page_header(TITLE, INTRO)
    # Workshop mode: the result's headline and gauges go above the controls (first screen).
    headline = st.container() if workshop else None
    left, right = st.columns([3, 1])
    with right:
        band_choice = st.selectbox(
            "Agenda for Change band", [BAND_AUTO, *range(1, 10)], key="advert_band"
        )
        # A rules folder is read from the server's disk: offered only when the app serves
        # this computer alone, never to other computers on a workshop network.
        rules_setting = (
            st.text_input(RULES_LABEL, key="advert_rules", help=RULES_HELP)
            if this_computer_only(st.get_option("server.address"))
            else ""
        )
    band = None if band_choice == BAND_AUTO else int(band_choice)
    allowed = tuple(st.session_state.get(ALLOW_KEY, ()))
    with left:
        try:
            chosen = _advert_input()
            if chosen is None:
                return
            text, source, is_example = chosen
            rules = resources.rules_folder(rules_setting)
            if rules is not None:
                st.caption(RULES_IN_USE.format(folder=rules[0], version=rules[1]))
            if rules is not None:
                report = resources.check_advert(text, band, source, allowed, rules)
                charts = advert_charts(report)
            elif is_example:
                report = resources.check_example_advert(source, band, allowed)
                charts = resources.example_advert_charts(source, band, allowed)
            else:
                report = resources.check_advert(text, band, source, allowed)
                charts = advert_charts(report)
        except BiasAuditError as err:
            st.error(ui.plain(err))
            return
    ui.remember(ui.LAST_ADVERT_KEY, report)
    _show(report, charts, allowed, workshop=workshop, headline=headline)


ALLOW_OPTION = "{rule} ({category})"


def allow_option_label(rule: str, categories: dict[str, str]) -> str:
    """An allow-list choice: the rule id and its category by name ("native-speaker
    (Nationality, race, religion or language)"); a phrase allowed earlier as it is."""
    if rule not in categories:
        return rule
    return ALLOW_OPTION.format(rule=rule, category=category_label(categories[rule]))


READABILITY_BASIS_LABEL = "How the reading age is worked out"


def _show(
    report: object,
    charts: list[Chart],
    allowed: tuple[str, ...],
    *,
    workshop: bool,
    headline: DeltaGenerator | None,
) -> None:
    band = band_label(report)
    allowed_note = f" · {len(report.allowed)} allow-listed" if report.allowed else ""
    with headline if headline is not None else st.container():
        st.subheader(f"{findings_with_severities(report.findings)} · {band}{allowed_note}")
        gauges = st.columns(2)
        for column, (i, chart) in zip(gauges, enumerate(charts), strict=True):
            with column:
                ui.show_chart(chart, key=f"advert_gauge_{i}")
    ui.secondary(
        readability_basis(report.readability), workshop=workshop, label=READABILITY_BASIS_LABEL
    )
    st.markdown("#### The advert, with findings highlighted")
    st.caption("Hover over a highlight to see why it was flagged and what to write instead.")
    st.html(legend_html(report.findings) + highlight_html(report.text, report.findings))
    if report.requirements:
        st.markdown("#### Requirements: Essential and Desirable")
        # An HTML table wraps long verdicts; a data grid would cut them off.
        st.html(requirements_table_html(report))
    if report.inclusion_signals:
        st.markdown("#### Inclusion checklist")
        st.html(inclusion_checklist_html(report))
    options = sorted({f.rule_id for f in report.findings} | set(allowed))
    categories = {f.rule_id: f.category for f in (*report.findings, *report.allowed)}
    st.multiselect(
        ALLOW_LABEL,
        options,
        default=list(allowed),
        format_func=lambda rule: allow_option_label(rule, categories),
        key=ALLOW_WIDGET_KEY,
        help=ALLOW_HELP,
        on_change=_keep_allowed,
    )
    items = [
        ui.Download(
            "Download advert report (HTML)",
            lambda: advert_report_html([report]),
            download_name("advert", report.source, extension="html"),
            ui.HTML,
            "advert_html",
        )
    ]
    items += ui.full_report(key="advert_full_html", advert=report)
    ui.downloads(items)
