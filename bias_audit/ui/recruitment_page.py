"""The recruitment audit page: the example extract in one click, or an upload."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from bias_audit.errors import BiasAuditError
from bias_audit.io import mapping as mappings
from bias_audit.report.charts import Chart
from bias_audit.report.export import download_name, frame_to_csv, guaranteed_interview_frame
from bias_audit.report.html_report import (
    MAPPING_HEADERS,
    SUPPRESSION_OFF,
    SUPPRESSION_ON,
    direction_note,
    gap_sentences,
    headline_cards,
    mapping_rows,
    recruitment_report_html,
    significance_tables,
)
from bias_audit.report.population import TEXT_VIEWS as POPULATION_TEXT_VIEWS
from bias_audit.report.population import VIEW_LABELS as POPULATION_VIEW_LABELS
from bias_audit.report.population import population_chart
from bias_audit.report.recruitment_charts import recruitment_charts
from bias_audit.report.recruitment_text import (
    GUARANTEED_INTERVIEW_HEADING,
    ONE_STEP_HEADING,
    guaranteed_interview_sentence,
    one_step_sentences,
)
from bias_audit.report.style import ATTRIBUTE_LABELS
from bias_audit.report.suppression import count_label
from bias_audit.report.workbook import recruitment_workbook
from bias_audit.stats import schema
from bias_audit.stats.funnel import OUTCOME_PART
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
POPULATION_KEY = "population"
POPULATION_LABEL = "Compare with the local population (Census 2021)"
POPULATION_NONE = "No comparison"
POPULATION_HELP = (
    "Type to search: an acute trust (its catchment, weighted by OHID shares), a local "
    "authority, or England. Mental-health and community trusts: choose the local authority "
    "they serve (several at once from the command line: --population la=CODE,CODE)."
)
POPULATION_HEADING = "Local population"
RESET_LABEL = "Reset the column choices to automatic"

# How to read an upload: the sheet, what each row is, and outcome texts mapped to stages.
SHEET_KEY = "extract_sheet"
SHEET_LABEL = "Sheet holding the data"
SHEET_AUTO = "Find it automatically"
SHEET_HELP = (
    "The workbook has more than one sheet. The tool skips cover and notes sheets; if it "
    "picked the wrong one, or asks, choose the sheet that holds the table."
)
ROWS_ARE_KEY = "rows_are"
ROWS_ARE_LABEL = "What each row is"
ROWS_ARE_CHOICES = {
    "applications": "All applications",
    "shortlisted": "Shortlisted applicants",
}
ROWS_ARE_HELP = (
    "Choose 'Shortlisted applicants' when the file lists only people who were shortlisted "
    "(for example an 'Appointed? Yes / No' list from shortlisting). WRES indicator 2 and "
    "WDES metric 2 need to know where shortlisting starts."
)
OUTCOME_MAP_KEY = "outcome_mappings"
OUTCOME_KEY_PREFIX = "outcome_map::"
OUTCOMES_HEADING = "Outcomes the tool could not read"
OUTCOMES_HELP = (
    "Say what each outcome means and the audit reruns at once. Outcomes left unread are "
    "left out of every statistic. The same choice on the command line: "
    '--stages "Outcome text=stage".'
)
LEAVE_OUT = ""
LEAVE_OUT_LABEL = "Leave out (not read)"
MAX_OUTCOME_ROWS = 30
MORE_OUTCOMES = (
    "{n} more unread outcomes are not listed here; map them on the command line with "
    '--stages "Outcome text=stage".'
)
CLEAR_OUTCOMES_LABEL = "Clear the outcome choices"

# A saved column mapping: how this system's extract is read, kept for next time.
MAPPING_KEY = "column_mapping"
MAPPING_ERROR_KEY = "column_mapping_error"
MAPPING_UPLOAD_KEY = "column_mapping_upload"
MAPPING_PANEL_LABEL = "Saved column mapping (load / download)"
MAPPING_PANEL_HELP = (
    "Download how this extract was read (columns, outcome texts, sheet, what each row is) "
    "and load it next time, so the next extract from the same system needs no clicks. The "
    "same file works on the command line: bias-audit recruitment EXTRACT --mapping FILE."
)
MAPPING_UPLOAD_LABEL = "Load a saved mapping (.toml)"
MAPPING_LOADED = "Reading extracts as the mapping {file} says; change any choice below."
MAPPING_DOWNLOAD_LABEL = "Download the column mapping in use (TOML)"
MAPPING_FILE_NAME = "{stem}-column-mapping.toml"
MAPPING_MIME = "application/toml"


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


def stage_choices(stages: Sequence[str]) -> list[str]:
    """What an unread outcome can be read as, in ``--stages`` mapping form.

    Every stage (reached it and went no further), and for every stage before the last:
    withdrew there; at the offer stage also: turned the offer down.

    Examples
    --------
    >>> stage_choices(["shortlisted", "offered", "appointed"])  # doctest: +NORMALIZE_WHITESPACE
    ['shortlisted', 'shortlisted:withdrew', 'offered', 'offered:withdrew',
     'offered:declined_offer', 'appointed']
    """
    choices = []
    for index, stage in enumerate(stages):
        choices.append(stage)
        if index < len(stages) - 1:
            choices.append(f"{stage}:{schema.LEFT_BY_WITHDREW}")
        if stage == "offered" and index < len(stages) - 1:
            choices.append(f"{stage}:{schema.LEFT_BY_DECLINED}")
    return choices


def choice_label(choice: str) -> str:
    """A picker option in words.

    >>> [choice_label(c) for c in ("", "interviewed", "offered:declined_offer")]
    ['Leave out (not read)', 'reached interviewed, went no further', 'offered, turned it down']
    """
    if choice == LEAVE_OUT:
        return LEAVE_OUT_LABEL
    stage, _, left = choice.partition(":")
    if left == schema.LEFT_BY_WITHDREW:
        return f"reached {stage}, then withdrew"
    if left == schema.LEFT_BY_DECLINED:
        return f"{stage}, turned it down"
    return f"reached {stage}, went no further"


def outcome_mappings(chosen: Mapping[str, str]) -> tuple[str, ...]:
    """``--stages`` entries ("Outcome text=stage[:how]") for the outcomes the user mapped.

    >>> outcome_mappings({"Panel 2": "interviewed", "Hold": ""})
    ('Panel 2=interviewed',)
    """
    return tuple(sorted(f"{text}={choice}" for text, choice in chosen.items() if choice))


def unread_outcomes(source: object) -> dict[str, int]:
    """Outcome texts the reader could not place, with their counts: from a funnel, or from
    the error refusing an extract whose outcomes are mostly unread (both carry ``unread``)."""
    part = (getattr(source, "unread", None) or {}).get(OUTCOME_PART)
    return {} if part is None else dict(part.values)


def _forget_reading_choices() -> None:
    """A new file: the sheet and outcome choices made for the last one no longer apply
    (those of a loaded mapping do: it is meant for the next extract)."""
    loaded = st.session_state.get(MAPPING_KEY)
    st.session_state[OUTCOME_MAP_KEY] = {} if loaded is None else dict(loaded.outcomes)
    st.session_state.pop(SHEET_KEY, None)
    for key in [k for k in st.session_state if str(k).startswith(OUTCOME_KEY_PREFIX)]:
        del st.session_state[key]


def _load_mapping() -> None:
    """A mapping file was chosen (or removed): put its choices into the page's widgets."""
    upload = st.session_state.get(MAPPING_UPLOAD_KEY)
    st.session_state.pop(MAPPING_ERROR_KEY, None)
    if upload is None:
        st.session_state.pop(MAPPING_KEY, None)
        return
    try:
        loaded = mappings.read_mapping(upload.getvalue(), name=upload.name)
    except BiasAuditError as err:
        st.session_state.pop(MAPPING_KEY, None)
        st.session_state[MAPPING_ERROR_KEY] = str(err)
        return
    st.session_state[MAPPING_KEY] = loaded
    st.session_state[OVERRIDES_KEY] = dict(loaded.columns)
    if loaded.rows_are is not None:
        st.session_state[ROWS_ARE_KEY] = loaded.rows_are
    _forget_reading_choices()


def _mapping_panel(*, can_load: bool) -> Any:
    """The load / download panel; returns the place where the download goes once the
    audit is done. A mapping is loaded for uploads only (the example needs none)."""
    failed = st.session_state.get(MAPPING_ERROR_KEY)
    with st.expander(MAPPING_PANEL_LABEL, expanded=failed is not None):
        st.caption(MAPPING_PANEL_HELP)
        slot = st.container()
        if can_load:
            st.file_uploader(
                MAPPING_UPLOAD_LABEL, type=["toml"], key=MAPPING_UPLOAD_KEY, on_change=_load_mapping
            )
            loaded = st.session_state.get(MAPPING_KEY)
            if failed is not None:
                st.error(ui.plain(failed))
            elif loaded is not None:
                st.caption(ui.plain(MAPPING_LOADED.format(file=loaded.file)))
    return slot


def mapping_in_use(columns: Mapping[str, str], reading: resources.Reading) -> Any:
    """The mapping the page's choices describe (before the reader fills in what it found).

    >>> m = mapping_in_use({"gender": "Sex"}, (("rows_are", "shortlisted"),
    ...                     ("stages", ("Panel=interviewed",))))
    >>> dict(m.columns), m.rows_are, dict(m.outcomes)
    ({'gender': 'Sex'}, 'shortlisted', {'Panel': 'interviewed'})
    """
    options = dict(reading)
    recode = options.get("recode")
    return mappings.from_options(
        columns=columns,
        stages=list(options.get("stages", ())) or None,
        sheet=options.get("sheet"),
        rows_are=options.get("rows_are"),
        stratify=options.get("stratify"),
        recode=None if recode is None else {role: dict(values) for role, values in recode},
    )


def mapping_download(audit: Any, given: Any) -> ui.Download:
    """The download of the mapping used for ``audit``, with what the reader found."""
    stem = str(audit.funnel.source).rsplit(".", 1)[0] or "extract"
    return ui.Download(
        MAPPING_DOWNLOAD_LABEL,
        lambda: mappings.to_toml(mappings.mapping_used(audit.funnel, given)),
        MAPPING_FILE_NAME.format(stem=stem),
        MAPPING_MIME,
        "recruitment_mapping",
    )


def _clear_outcomes() -> None:
    st.session_state[OUTCOME_MAP_KEY] = {}
    for key in [k for k in st.session_state if str(k).startswith(OUTCOME_KEY_PREFIX)]:
        del st.session_state[key]


def _remember_outcome(text: str, key: str) -> None:
    chosen = dict(st.session_state.get(OUTCOME_MAP_KEY, {}))
    chosen[text] = st.session_state[key]
    st.session_state[OUTCOME_MAP_KEY] = chosen


def _reading_choices(data: bytes, name: str) -> resources.Reading:
    """The sheet picker (workbooks with several sheets) and what each row is."""
    reading: list[tuple[str, object]] = []
    loaded = st.session_state.get(MAPPING_KEY)
    sheets = resources.workbook_sheets(data, name)
    left, right = st.columns(2)
    sheet = SHEET_AUTO
    if len(sheets) > 1:
        with left:
            sheet = st.selectbox(SHEET_LABEL, [SHEET_AUTO, *sheets], key=SHEET_KEY, help=SHEET_HELP)
    if sheet != SHEET_AUTO:
        reading.append(("sheet", sheet))
    elif loaded is not None and loaded.sheet is not None:
        reading.append(("sheet", loaded.sheet))
    with right:
        rows_are = st.radio(
            ROWS_ARE_LABEL,
            list(ROWS_ARE_CHOICES),
            format_func=ROWS_ARE_CHOICES.__getitem__,
            horizontal=True,
            key=ROWS_ARE_KEY,
            help=ROWS_ARE_HELP,
        )
    if rows_are != "applications":
        reading.append(("rows_are", rows_are))
    ladder = loaded.stages if loaded is not None and loaded.stages else ()
    entries = (*ladder, *outcome_mappings(st.session_state.get(OUTCOME_MAP_KEY, {})))
    if entries:
        reading.append(("stages", entries))
    if loaded is not None and loaded.stratify is not None:
        reading.append(("stratify", loaded.stratify))
    if loaded is not None and loaded.recode:
        recode = tuple((r, tuple(sorted(v.items()))) for r, v in sorted(loaded.recode.items()))
        reading.append(("recode", recode))
    return tuple(reading)


def _outcome_editor(unread: Mapping[str, int], suppression: bool) -> None:
    """One picker per unread outcome (and per outcome already mapped, to change it back)."""
    chosen = dict(st.session_state.get(OUTCOME_MAP_KEY, {}))
    texts = list(dict.fromkeys([*chosen, *unread]))
    if not texts:
        return
    rows_are = st.session_state.get(ROWS_ARE_KEY, "applications")
    loaded = st.session_state.get(MAPPING_KEY)
    ladder = list(loaded.stages if loaded is not None and loaded.stages else schema.DEFAULT_STAGES)
    if rows_are == "shortlisted" and "shortlisted" in ladder:
        ladder = ladder[ladder.index("shortlisted") :]
    options = [LEAVE_OUT, *stage_choices(ladder)]
    with st.expander(OUTCOMES_HEADING, expanded=bool(unread)):
        st.caption(OUTCOMES_HELP)
        for text in texts[:MAX_OUTCOME_ROWS]:
            key = f"{OUTCOME_KEY_PREFIX}{text}"
            count = unread.get(text)
            label = f'"{text}"'
            if count is not None:
                label += f" ({count if not suppression else count_label(count)} rows)"
            current = chosen.get(text, LEAVE_OUT)
            st.selectbox(
                ui.plain(label),
                options,
                index=options.index(current) if current in options else 0,
                format_func=choice_label,
                key=key,
                on_change=_remember_outcome,
                args=(text, key),
            )
        if len(texts) > MAX_OUTCOME_ROWS:
            st.caption(MORE_OUTCOMES.format(n=len(texts) - MAX_OUTCOME_ROWS))


def render() -> None:
    """Draw the page."""
    workshop = ui.page_header(TITLE, INTRO)
    # Workshop mode: the headline cards and the first chart go above the controls.
    headline = st.container() if workshop else None
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
    areas = resources.population_choices()
    # In the sidebar: a secondary choice, and the headline keeps the first screen at 1280×720.
    population = st.sidebar.selectbox(
        POPULATION_LABEL,
        [None, *areas],
        format_func=lambda a: POPULATION_NONE if a is None else areas[a],
        key=POPULATION_KEY,
        help=POPULATION_HELP,
    )
    columns = tuple(sorted(_overrides().items()))
    upload = None
    reading: resources.Reading = ()
    mapping_slot = _mapping_panel(can_load=how == SOURCE_UPLOAD)
    if how == SOURCE_UPLOAD:
        upload = ui.uploaded(
            "Recruitment extract",
            types=resources.EXTRACT_TYPES,
            key="extract_upload",
            empty=UPLOAD_EMPTY,
            on_change=_forget_reading_choices,
        )
        if upload is None:
            return
    try:
        if upload is None:
            audit = resources.audit_example(columns, suppression, population)
        else:
            data = upload.getvalue()
            reading = _reading_choices(data, upload.name)
            audit = resources.audit_upload(
                data, upload.name, columns, suppression, reading, population
            )
    except BiasAuditError as err:
        loaded = st.session_state.get(MAPPING_KEY)
        if upload is not None and loaded is not None:
            # A column the loaded mapping names (and the page kept) may be what failed.
            kept = {r: h for r, h in _overrides().items() if loaded.columns.get(r) == h}
            err = mappings.explain_missing_column(
                err,
                mapping_in_use(kept, ()).located(loaded.file),
                upload.getvalue(),
                name=upload.name,
            )
        st.error(ui.plain(err))
        if columns:
            # A column the user typed may be what failed: offer the way back.
            st.button(RESET_LABEL, on_click=_reset_overrides, key="reset_columns")
        if upload is not None:
            # Mostly unread outcomes are refused: the fix is right here.
            _outcome_editor(unread_outcomes(err), suppression)
        if st.session_state.get(OUTCOME_MAP_KEY):
            st.button(CLEAR_OUTCOMES_LABEL, on_click=_clear_outcomes, key="clear_outcomes")
        return
    ui.remember(ui.LAST_AUDIT_KEY, audit)
    item = mapping_download(audit, mapping_in_use(dict(columns), reading))
    mapping_slot.download_button(
        item.label,
        data=item.data,
        file_name=item.file_name,
        mime=item.mime,
        key=item.key,
        on_click="ignore",
    )
    if upload is not None:
        _outcome_editor(unread_outcomes(audit.funnel), suppression)
    if how == SOURCE_EXAMPLE:
        charts, tables = resources.example_view(columns, suppression, funnel_by)
    else:
        charts = recruitment_charts(audit, funnel_attribute=funnel_by)
        tables = significance_tables(audit)
    _show(audit, charts, tables, workshop=workshop, headline=headline, suppression=suppression)


def _show_population(section: Mapping[str, Any]) -> None:
    """The "Local population" chart (five ethnic groups), each view's sentences, the notes
    and the attribution."""
    st.subheader(f"{POPULATION_HEADING}: {section['area']}")
    ui.show_chart(population_chart(section), key="population_chart")
    for view in section["views"]:
        if view["attribute"] in POPULATION_TEXT_VIEWS and view["sentences"]:
            st.markdown(f"**{POPULATION_VIEW_LABELS[view['attribute']]}**")
            for sentence in view["sentences"]:
                st.markdown(f"- {ui.plain(sentence)}")
    for note in section["notes"]:
        st.caption(ui.plain(note))
    st.caption(ui.plain(section["attribution"]))


SUPPRESSION_ON_LABEL = "Small numbers are suppressed: how"
DIRECTION_LABEL = "Which way the ratios point"
CARD_SENTENCE_LABEL = "In words"


def _show(
    audit: object,
    charts: list[Chart],
    tables: Mapping[str, object],
    *,
    workshop: bool,
    headline: DeltaGenerator | None,
    suppression: bool,
) -> None:
    first_chart = 0
    # Normal mode: the headline straight after the controls (first screen at 1280×720).
    with headline if headline is not None else st.container():
        st.subheader("Headlines")
        cards = headline_cards(audit)
        for column, card in zip(st.columns(len(cards)), cards, strict=True):
            with column, st.container(border=True):
                st.metric(card.label, card.value, help=card.definition)
                if workshop:  # the number first; the long sentence one click away
                    with st.expander(CARD_SENTENCE_LABEL):
                        st.write(ui.plain(card.sentence))
                else:
                    st.write(ui.plain(card.sentence))
        if workshop and charts:
            # The headline's own chart (relative likelihoods) on the first screen.
            ui.show_chart(charts[0], key="recruitment_chart_0")
            first_chart = 1
    if not suppression:  # a warning not to share the output: never folded away
        st.warning(SUPPRESSION_OFF)
    elif workshop:
        with st.expander(SUPPRESSION_ON_LABEL):
            st.write(SUPPRESSION_ON)
    else:
        st.info(SUPPRESSION_ON)
    ui.secondary(direction_note(suppression=suppression), workshop=workshop, label=DIRECTION_LABEL)
    gaps = gap_sentences(audit)
    if gaps:
        st.markdown("**Clear gaps** (outside the band and statistically significant)")
        for sentence in gaps:
            st.markdown(f"- {ui.plain(sentence)}")
    one_step = one_step_sentences(audit)
    if one_step:
        st.markdown(f"**{ONE_STEP_HEADING}**")
        st.write(ui.plain(one_step[0]))
        for sentence in one_step[1:]:
            st.markdown(f"- {ui.plain(sentence)}")
    scheme = guaranteed_interview_sentence(audit.guaranteed_interview)
    if scheme is not None:
        st.markdown(f"**{GUARANTEED_INTERVIEW_HEADING}**")
        st.write(ui.plain(scheme))
    if audit.population is not None:
        _show_population(audit.population)

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
        if i >= first_chart:
            ui.show_chart(chart, key=f"recruitment_chart_{i}")

    st.subheader("Significance tables")
    ui.secondary(SIGNIFICANCE_HELP, workshop=workshop, label="How to read these tables")
    for i, (name, frame) in enumerate(tables.items()):
        with st.expander(name, expanded=i == 0):
            st.dataframe(frame, hide_index=True)

    st.subheader("Data quality")
    if audit.warnings:
        for warning in audit.warnings:
            st.warning(ui.plain(warning))
    else:
        st.success("No data-quality warnings.")

    source = audit.funnel.source
    items = [
        ui.Download(
            "Download report (HTML)",
            lambda: recruitment_report_html(audit),
            download_name("recruitment", source, extension="html"),
            ui.HTML,
            "recruitment_html",
        ),
        ui.Download(
            "Download tables (XLSX)",
            lambda: recruitment_workbook(audit),
            download_name("recruitment", source, extension="xlsx"),
            ui.XLSX,
            "recruitment_xlsx",
        ),
        ui.Download(
            "Download significance table (CSV)",
            lambda: frame_to_csv(audit.transitions),
            download_name("recruitment-transitions", source, extension="csv"),
            ui.CSV,
            "recruitment_csv",
        ),
    ]
    scheme_table = guaranteed_interview_frame(audit)
    if scheme_table is not None:
        items.append(
            ui.Download(
                "Download guaranteed interview table (CSV)",
                lambda: frame_to_csv(scheme_table),
                download_name("recruitment-guaranteed-interview", source, extension="csv"),
                ui.CSV,
                "recruitment_gis_csv",
            )
        )
    items += ui.full_report(key="recruitment_full_html", audit=audit)
    ui.downloads(items)
