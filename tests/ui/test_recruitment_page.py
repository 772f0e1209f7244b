"""Recruitment audit page in AppTest: example, upload, bad files, suppression, mapping."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from bias_audit.io.files import MSG_EMPTY, MSG_HEADER_ONLY
from bias_audit.report.charts import FUNNEL_NONE
from bias_audit.report.html_report import SUPPRESSION_OFF, SUPPRESSION_ON, WDES_LABEL, WRES_LABEL
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
        ("empty.csv", b"", MSG_EMPTY.format(file="empty.csv")),
        ("header.csv", HEADER.encode(), MSG_HEADER_ONLY.format(file="header.csv")),
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
    from bias_audit.report.charts import FUNNEL_MISSING

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
