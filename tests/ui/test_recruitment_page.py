"""Recruitment audit page in AppTest: example, upload, bad files, suppression, mapping."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from bias_audit.io.files import MSG_HEADER_ONLY
from bias_audit.io.source import MSG_EMPTY
from bias_audit.report.html_report import SUPPRESSION_OFF, SUPPRESSION_ON, WDES_LABEL, WRES_LABEL
from bias_audit.report.recruitment_charts import FUNNEL_NONE
from bias_audit.ui import recruitment_page as page
from bias_audit.ui.components import FULL_REPORT_LABEL, LAST_AUDIT_KEY, plain

HEADER = "Applicant ID,Ethnic Origin,Sex,Disability,Outcome\n"


def small_extract(tag: str = "") -> bytes:
    """120 applications: 60 White British, 60 Black African; every stage reached by some."""
    rows = []
    plan = [("Appointed", 12), ("Interviewed - not appointed", 18), ("Not shortlisted", 30)]
    for ethnicity, shift in (("White - British", 0), ("Black or Black British - African", 6)):
        n = 0
        for outcome, count in plan:
            count = count - shift if outcome == "Appointed" else count + shift // 2
            for _ in range(count):
                sex = "Female" if n % 3 else "Male"
                disability = "Yes" if n % 5 == 0 else "No"
                rows.append(f"{tag}{ethnicity[:1]}{n},{ethnicity},{sex},{disability},{outcome}")
                n += 1
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def upload(at, name: str, data: bytes):
    at.radio(key="extract_source").set_value(page.SOURCE_UPLOAD).run()
    at.file_uploader(key="extract_upload").set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def metric_labels(at) -> list[str]:
    return [m.label for m in at.metric]


def test_example_extract_loads_with_one_click(open_page):
    at = open_page("recruitment")
    assert at.radio(key="extract_source").value == page.SOURCE_EXAMPLE
    assert not at.error
    assert metric_labels(at) == [WRES_LABEL, WDES_LABEL]
    assert at.toggle(key="suppress").value is True
    assert at.info[0].value == SUPPRESSION_ON
    # Forest plot, stage funnel and heatmap all draw with suppression on: groups of a few
    # hundred keep their counts and shares under the NHS Digital rule.
    assert len(at.get("plotly_chart")) == 3
    words = [e.value for e in (*at.markdown, *at.caption, *at.info)]
    assert not any(FUNNEL_NONE in w for w in words)
    labels = [b.label for b in at.get("download_button")]
    assert {"Download report (HTML)", "Download tables (XLSX)"} <= set(labels)
    # The session checked the example advert first, so the combined report is offered.
    assert FULL_REPORT_LABEL in labels


def test_upload_path_audits_in_memory(open_page):
    at = upload(open_page("recruitment"), "trust.csv", small_extract())
    assert not at.error
    assert metric_labels(at) == [WRES_LABEL, WDES_LABEL]
    assert at.session_state[LAST_AUDIT_KEY].funnel.source == "trust.csv"


def test_upload_xlsx_path(open_page):
    frame = pd.read_csv(io.BytesIO(small_extract()))
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    at = upload(open_page("recruitment"), "trust.xlsx", buffer.getvalue())
    assert not at.error
    assert metric_labels(at) == [WRES_LABEL, WDES_LABEL]
    assert at.session_state[LAST_AUDIT_KEY].funnel.source == "trust.xlsx"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", MSG_EMPTY.format(file="empty.csv", what="a recruitment extract")),
        (
            "header.csv",
            HEADER.encode(),
            MSG_HEADER_ONLY.format(file="header.csv", rows="applications"),
        ),
    ],
)
def test_bad_file_shows_error_and_no_exception(open_page, name, data, message):
    at = upload(open_page("recruitment"), name, data)
    assert [e.value for e in at.error] == [plain(message)]
    assert not at.metric


def test_binary_named_xlsx_is_refused_clearly(open_page):
    at = upload(open_page("recruitment"), "fake.xlsx", b"\x00\x01 definitely not a workbook")
    assert len(at.error) == 1
    assert at.error[0].value.startswith(plain("fake.xlsx:"))


def test_suppression_toggle_warns_when_off(open_page):
    at = open_page("recruitment")
    at.toggle(key="suppress").set_value(False).run()
    assert not at.exception
    assert [w.value for w in at.warning][:1] == [SUPPRESSION_OFF]
    assert at.session_state[LAST_AUDIT_KEY].suppression is False


def test_column_override_is_used(open_page):
    at = upload(open_page("recruitment"), "trust.csv", small_extract())
    at.session_state[page.OVERRIDES_KEY] = {"disability": ""}  # switch the role off
    at.run()
    assert not at.exception
    funnel = at.session_state[LAST_AUDIT_KEY].funnel
    assert ("disability", "", "--column") in funnel.column_choices
    assert "disability" not in funnel.attributes


def test_a_bad_column_choice_can_be_reset(open_page):
    at = upload(open_page("recruitment"), "trust.csv", small_extract())
    at.session_state[page.OVERRIDES_KEY] = {"ethnicity": "No such column"}
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and not at.metric
    at.button(key="reset_columns").click().run()
    assert not at.exception
    assert not at.error
    assert metric_labels(at) == [WRES_LABEL, WDES_LABEL]


@pytest.mark.parametrize(
    ("edits", "current", "expected"),
    [
        ({0: {"Column": "Ethnic group"}}, {}, {"ethnicity": "Ethnic group"}),
        ({1: {"Column": None}}, {"ethnicity": "E"}, {"ethnicity": "E", "gender": ""}),
        ({0: {"How chosen": "x"}}, {}, {}),
    ],
)
def test_overrides_from_edits(edits, current, expected):
    choices = [("ethnicity", "Ethnic Origin", "auto"), ("gender", "Sex", "auto")]
    assert page.overrides_from_edits(edits, choices, current) == expected


def test_two_sessions_never_see_each_others_upload(open_page):
    first = upload(open_page("recruitment"), "secret-trust.csv", small_extract("S"))
    assert first.session_state[LAST_AUDIT_KEY].funnel.source == "secret-trust.csv"
    second = open_page("recruitment")
    assert second.radio(key="extract_source").value == page.SOURCE_EXAMPLE
    assert second.session_state[LAST_AUDIT_KEY].funnel.source != "secret-trust.csv"
    second.radio(key="extract_source").set_value(page.SOURCE_UPLOAD).run()
    assert second.file_uploader(key="extract_upload").value is None
    assert not second.metric


def test_funnel_grouping_can_be_chosen(open_page):
    from bias_audit.report.recruitment_charts import FUNNEL_MISSING

    at = upload(open_page("recruitment"), "trust.csv", small_extract())
    at.selectbox(key="funnel_by").set_value("gender").run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "by Gender" in captions
    at.session_state[page.OVERRIDES_KEY] = {"disability": ""}
    at.selectbox(key="funnel_by").set_value("disability").run()
    assert not at.exception
    missing = plain(FUNNEL_MISSING.format(attribute="disability"))
    assert missing in [i.value for i in at.info]


# ------------------------------------------------------------ reading choices, in place

UNKNOWN = "Panel outcome 7Q"


def extract_with_unknown_outcome() -> bytes:
    """small_extract plus 20 White and 20 Black African rows with an outcome nobody knows."""
    rows = [
        f"U{n},{eth},Female,No,{UNKNOWN}"
        for n, eth in enumerate(
            ["White - British"] * 20 + ["Black or Black British - African"] * 20
        )
    ]
    return small_extract() + ("\n".join(rows) + "\n").encode("utf-8")


def first_step_entered(at) -> list:
    audit = at.session_state[LAST_AUDIT_KEY]
    t = audit.transitions
    return t[(t["attribute"] == "ethnicity_wres") & (t["step"] == 0)]["entered"].tolist()


def test_an_unknown_outcome_can_be_mapped_in_place(open_page):
    at = upload(open_page("recruitment"), "trust.csv", extract_with_unknown_outcome())
    key = f"{page.OUTCOME_KEY_PREFIX}{UNKNOWN}"
    picker = at.selectbox(key=key)
    assert picker.value == page.LEAVE_OUT
    assert "interviewed" in picker.options or "reached interviewed, went no further" in (
        picker.options
    )
    before = first_step_entered(at)
    tables_before = [d.value.to_dict() for d in at.dataframe]
    picker.set_value("interviewed").run()
    assert not at.exception, at.exception
    # The 40 rows now count: 20 more White and 20 more BME applications at the first step
    # (published counts, rounded to 5).
    after = first_step_entered(at)
    assert [a - b for a, b in zip(after, before, strict=True)] == [20, 20]
    assert [d.value.to_dict() for d in at.dataframe] != tables_before
    assert at.session_state[page.OUTCOME_MAP_KEY] == {UNKNOWN: "interviewed"}
    assert page.unread_outcomes(at.session_state[LAST_AUDIT_KEY].funnel) == {}
    # The mapped outcome stays listed, so the choice can be undone.
    at.selectbox(key=key).set_value(page.LEAVE_OUT).run()
    assert first_step_entered(at) == before


def two_sheet_workbook() -> bytes:
    """Sheets "2023" and "2024", both extracts; 2024 has 40 more rows."""
    first = pd.read_csv(io.BytesIO(small_extract()))
    second = pd.read_csv(io.BytesIO(small_extract("N")))
    second = pd.concat([second, second.head(40).assign(**{"Applicant ID": lambda f: f.index})])
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as writer:
        first.to_excel(writer, sheet_name="2023", index=False)
        second.to_excel(writer, sheet_name="2024", index=False)
    return buffer.getvalue()


def test_the_sheet_of_a_workbook_can_be_picked(open_page):
    at = open_page("recruitment")
    at.radio(key="extract_source").set_value(page.SOURCE_UPLOAD).run()
    at.file_uploader(key="extract_upload").set_value(
        ("trust.xlsx", two_sheet_workbook(), "application/octet-stream")
    ).run()
    assert not at.exception, at.exception
    # Both sheets could be the data: the reader asks, and the picker is right there.
    assert len(at.error) == 1 and "2024" in at.error[0].value
    picker = at.selectbox(key=page.SHEET_KEY)
    assert picker.options == [page.SHEET_AUTO, "2023", "2024"]
    picker.set_value("2024").run()
    assert not at.exception, at.exception
    assert not at.error
    funnel = at.session_state[LAST_AUDIT_KEY].funnel
    assert any('"2024"' in note for note in funnel.notes)
    assert int(funnel.counts["count"].sum()) == 160
    at.selectbox(key=page.SHEET_KEY).set_value("2023").run()
    assert int(at.session_state[LAST_AUDIT_KEY].funnel.counts["count"].sum()) == 120


def yes_no_extract() -> bytes:
    """Only "Appointed?" Yes / No: White 12 of 30, Black African 6 of 30."""
    lines = ["Applicant ID,Ethnic Origin,Appointed?"]
    for ethnicity, yes in (("White - British", 12), ("Black or Black British - African", 6)):
        lines += [f"{ethnicity[0]}{i},{ethnicity},{'Yes' if i < yes else 'No'}" for i in range(30)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_what_the_rows_are_changes_wres_indicator_2(open_page):
    from bias_audit.stats import indicators

    at = upload(open_page("recruitment"), "yes-no.csv", yes_no_extract())
    assert at.radio(key=page.ROWS_ARE_KEY).value == "applications"
    wres = at.session_state[LAST_AUDIT_KEY].wres_indicator_2
    assert wres["value"] is None
    assert wres["reason"].startswith(indicators.NOT_COMPUTABLE_NO_SHORTLISTING)
    assert at.metric[0].value == "not computable"
    at.radio(key=page.ROWS_ARE_KEY).set_value("shortlisted").run()
    assert not at.exception, at.exception
    audit = at.session_state[LAST_AUDIT_KEY]
    assert audit.funnel.rows_are == "shortlisted"
    # Published: White 10 of 30, BME ≤7 appointed → hidden, and the caveat is said.
    assert audit.wres_indicator_2["caveat"] == indicators.CAVEAT_DECLINES_UNKNOWN
    at.toggle(key="suppress").set_value(False).run()
    wres = at.session_state[LAST_AUDIT_KEY].wres_indicator_2
    assert wres["value"] == pytest.approx(2.0)
    assert at.metric[0].value == "2.00"
    assert any("declined offers cannot be identified" in m.value for m in at.markdown)


def test_a_new_upload_forgets_the_last_files_outcome_choices(open_page):
    at = upload(open_page("recruitment"), "trust.csv", extract_with_unknown_outcome())
    at.selectbox(key=f"{page.OUTCOME_KEY_PREFIX}{UNKNOWN}").set_value("applied").run()
    assert at.session_state[page.OUTCOME_MAP_KEY] == {UNKNOWN: "applied"}
    at.file_uploader(key="extract_upload").set_value(("other.csv", small_extract("O"), "text/csv"))
    at.run()
    assert not at.exception
    assert at.session_state[page.OUTCOME_MAP_KEY] == {}


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ({}, ()),
        (
            {"B": "offered:declined_offer", "A": "applied"},
            ("A=applied", "B=offered:declined_offer"),
        ),
        ({"A": page.LEAVE_OUT}, ()),
    ],
)
def test_outcome_mappings(chosen, expected):
    assert page.outcome_mappings(chosen) == expected


def test_example_wdes_metric_2_by_the_national_definition_and_its_sensitivity(open_page):
    at = open_page("recruitment")
    # Published: from the rounded counts, with no sensitivity line.
    assert [m.value for m in at.metric] == ["1.50", "1.42"]
    words = " ".join(m.value for m in at.markdown)
    assert "turned down an offer were left out" in words
    assert "Sensitivity" not in words
    at.toggle(key="suppress").set_value(False).run()
    assert [m.value for m in at.metric] == ["1.46", "1.32"]
    words = " ".join(m.value for m in at.markdown)
    assert plain("the ratio would be 1.24") in words  # WDES metric 2, withdrawals left out


def test_mostly_unread_outcomes_are_refused_with_the_mapping_offered(open_page):
    # 60 rows of small_extract's 120 become the unknown outcome, plus 40 more: 100 of 160.
    lines = small_extract().decode("utf-8").splitlines()
    mostly = [lines[0], *lines[1:61]]
    mostly += [",".join([*line.split(",")[:-1], UNKNOWN]) for line in lines[61:]]
    data = ("\n".join(mostly) + "\n").encode("utf-8") + extract_with_unknown_outcome()[
        len(small_extract()) :
    ]
    at = upload(open_page("recruitment"), "mostly.csv", data)
    assert len(at.error) == 1 and not at.metric
    picker = at.selectbox(key=f"{page.OUTCOME_KEY_PREFIX}{UNKNOWN}")
    picker.set_value("shortlisted").run()
    assert not at.exception, at.exception
    assert not at.error
    assert metric_labels(at) == [WRES_LABEL, WDES_LABEL]


def test_guaranteed_interview_sentence_and_download(open_page):
    from bias_audit.report.recruitment_text import GUARANTEED_INTERVIEW_HEADING

    rows = ["Applicant ID,Ethnic Origin,Disability,Guaranteed Interview Scheme,Outcome"]
    plan = [("Yes", "Appointed", 8), ("Yes", "Interviewed - not appointed", 12)]
    plan += [("Yes", "Not shortlisted", 10), ("No", "Appointed", 10), ("No", "Not shortlisted", 40)]
    n = 0
    for flag, outcome, count in plan:
        for _ in range(count):
            ethnicity = "White - British" if n % 2 else "Black or Black British - African"
            rows.append(f"G{n},{ethnicity},{'Yes' if flag == 'Yes' else 'No'},{flag},{outcome}")
            n += 1
    at = upload(open_page("recruitment"), "gis.csv", ("\n".join(rows) + "\n").encode())
    assert not at.error
    words = [e.value for e in at.markdown]
    assert f"**{GUARANTEED_INTERVIEW_HEADING}**" in words
    assert (
        plain(
            "Of the 30 applicants who asked for a guaranteed interview under Disability "
            "Confident, 20 were interviewed; 10 were not."
        )
        in words
    )
    labels = [b.label for b in at.get("download_button")]
    assert "Download guaranteed interview table (CSV)" in labels


def test_no_guaranteed_interview_sentence_without_the_flag(open_page):
    at = upload(open_page("recruitment"), "trust.csv", small_extract())
    assert not any("guaranteed interview" in e.value for e in at.markdown)


def test_one_step_extract_shows_its_one_comparison_and_forest(open_page):
    from bias_audit.report.recruitment_text import ONE_STEP_HEADING, ONE_STEP_LEAD

    # Every cell of ethnicity × gender × outcome has 8 or more: nothing hidden.
    rows = ["Applicant ID,Ethnic Origin,Sex,Disability,Outcome"]
    for ethnicity, appointed in (("White - British", 24), ("Black or Black British - African", 16)):
        for n in range(40):
            outcome = "Appointed" if n < appointed else "Not appointed"
            sex = "Female" if n % 2 else "Male"
            rows.append(f"{ethnicity[:1]}{n},{ethnicity},{sex},No,{outcome}")
    at = upload(open_page("recruitment"), "binary.csv", ("\n".join(rows) + "\n").encode())
    assert not at.error
    words = [e.value for e in at.markdown]
    assert f"**{ONE_STEP_HEADING}**" in words
    lead = ONE_STEP_LEAD.format(row="application", from_stage="considered", to_stage="appointed")
    assert plain(lead) in words
    assert any(w.startswith("- White applicants were") for w in words), words
    # The forest plot draws the one step (it used to start from a second stage).
    assert at.get("plotly_chart")


# Saved column mappings: load one and the page reads the extract as it says; download the
# mapping in use, with what the reader found, for next time.
MAPPING = (
    f'rows_are = "applications"\n[columns]\ndisability = ""\n'
    f'[outcomes]\n"{UNKNOWN}" = "interviewed"\n'
).encode()


def load_mapping(at, name: str, data: bytes):
    at.file_uploader(key=page.MAPPING_UPLOAD_KEY).set_value((name, data, "application/toml"))
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_loaded_mapping_reads_the_next_extract_with_no_clicks(open_page):
    at = open_page("recruitment")
    at.radio(key="extract_source").set_value(page.SOURCE_UPLOAD).run()
    load_mapping(at, "trac.toml", MAPPING)  # before the extract: it is meant for the next one
    at.file_uploader(key="extract_upload").set_value(
        ("q2.csv", extract_with_unknown_outcome(), "text/csv")
    ).run()
    assert not at.exception and not at.error
    audit = at.session_state[LAST_AUDIT_KEY]
    assert ("disability", "", "--column") in audit.funnel.column_choices
    assert "disability" not in audit.funnel.attributes
    assert page.unread_outcomes(audit.funnel) == {}  # the mapping placed "Panel outcome 7Q"
    assert at.selectbox(key=f"{page.OUTCOME_KEY_PREFIX}{UNKNOWN}").value == "interviewed"
    assert plain(page.MAPPING_LOADED.format(file="trac.toml")) in [c.value for c in at.caption]
    labels = [b.label for b in at.get("download_button")]
    assert page.MAPPING_DOWNLOAD_LABEL in labels


def test_the_downloaded_mapping_loads_back_to_the_same_audit(open_page):
    from bias_audit.io import mapping as m

    at = upload(open_page("recruitment"), "q1.csv", extract_with_unknown_outcome())
    at.selectbox(key=f"{page.OUTCOME_KEY_PREFIX}{UNKNOWN}").set_value("interviewed").run()
    first = at.session_state[LAST_AUDIT_KEY]
    given = page.mapping_in_use({}, ((("stages", (f"{UNKNOWN}=interviewed",))),))
    item = page.mapping_download(first, given)
    assert item.file_name == "q1-column-mapping.toml"
    saved = m.read_mapping(item.data(), name=item.file_name)
    assert dict(saved.columns) == {
        "ethnicity": "Ethnic Origin",
        "gender": "Sex",
        "disability": "Disability",
        "stage": "Outcome",
        "id": "Applicant ID",
    }
    assert dict(saved.outcomes) == {UNKNOWN: "interviewed"}
    # A fresh session loads the file and gets the same figures without touching a picker.
    again = open_page("recruitment")
    again.radio(key="extract_source").set_value(page.SOURCE_UPLOAD).run()
    load_mapping(again, item.file_name, item.data())
    again.file_uploader(key="extract_upload").set_value(
        ("q1.csv", extract_with_unknown_outcome(), "text/csv")
    ).run()
    second = again.session_state[LAST_AUDIT_KEY]
    assert second.to_dict()["transitions"] == first.to_dict()["transitions"]
    assert second.wres_indicator_2 == first.wres_indicator_2


def test_a_bad_mapping_upload_says_what_is_wrong(open_page):
    from bias_audit.io import mapping as m

    at = open_page("recruitment")
    at.radio(key="extract_source").set_value(page.SOURCE_UPLOAD).run()
    load_mapping(at, "odd.toml", b'rows_are = "everyone"\n')
    message = m.MSG_MAPPING_ROWS_ARE.format(
        file="odd.toml", value="everyone", choices="applications, shortlisted"
    )
    assert [e.value for e in at.error] == [plain(message)]
    assert page.MAPPING_KEY not in at.session_state


def test_a_mapping_column_the_extract_lacks_is_blamed_on_the_mapping(open_page):
    from bias_audit.io import mapping as m

    at = open_page("recruitment")
    at.radio(key="extract_source").set_value(page.SOURCE_UPLOAD).run()
    load_mapping(at, "trac.toml", b'[columns]\ngender = "Gender Identity"\n')
    at.file_uploader(key="extract_upload").set_value(("q3.csv", small_extract(), "text/csv"))
    at.run()
    message = m.MSG_MAPPING_MISSING_COLUMN.format(
        file="trac.toml",
        key="columns.gender",
        column="Gender Identity",
        extract="q3.csv",
        headers='"Applicant ID", "Ethnic Origin", "Sex", "Disability", "Outcome"',
        option="--column gender=",
    )
    assert plain(message) in [e.value for e in at.error]


def test_local_population_picker_draws_the_chart(open_page):
    at = open_page("recruitment")
    picker = at.selectbox(key=page.POPULATION_KEY)
    assert picker.value is None
    assert "trust=RAE" in picker.options or any("(RAE)" in o for o in picker.options)
    picker.set_value("trust=RAE").run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == 4  # the three funnel charts and the population chart
    headings = [s.value for s in at.subheader]
    assert (
        f"{page.POPULATION_HEADING}: the catchment of Bradford Teaching Hospitals NHS "
        "Foundation Trust (RAE)" in headings
    )
    captions = " ".join(c.value for c in at.caption)
    assert "Open Government Licence" in captions
