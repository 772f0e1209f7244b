"""Advert checker page in AppTest: example, paste, upload, bad file, allow-list, escaping."""

from __future__ import annotations

import html
import re

import pytest

from bias_audit.io.adverts import MSG_NO_TEXT
from bias_audit.io.source import MSG_EMPTY, MSG_MISLABELLED, NOTE_MISLABELLED
from bias_audit.ui import advert_page as page
from bias_audit.ui import resources
from bias_audit.ui.components import LAST_ADVERT_KEY, plain

ADVERT = (
    "Healthcare Support Worker, Band 3.\n"
    "We want a dynamic, competitive young team player who is a native English speaker.\n"
    "Essential: a degree in health and social care.\n"
    "Salary £24,071 a year. <script>alert('x')</script> <img src=x onerror=alert(1)>\n"
)


def html_bodies(at) -> str:
    return "\n".join(h.proto.body for h in at.html)


def choose(at, source: str):
    at.radio(key="advert_source").set_value(source).run()
    assert not at.exception, at.exception
    return at


def paste(at, text: str):
    choose(at, page.SOURCE_PASTE)
    at.text_area(key="advert_paste").set_value(text)
    at.form_submit_button[0].click().run()
    assert not at.exception, at.exception
    return at


def test_example_advert_loads_with_no_input(open_page):
    at = open_page("advert")
    assert resources.example_advert_names(), "example_data/adverts/ should hold examples"
    assert at.radio(key="advert_source").value == page.SOURCE_EXAMPLE
    assert at.title[0].value == page.TITLE
    # "1 finding" / "5 findings": the count agrees with its noun, then the count per severity
    heading = re.match(
        r"^(?:1 finding|(?:[2-9]|\d\d+) findings): (\d+) high, (\d+) medium, (\d+) low · "
        r"|^0 findings · ",
        at.subheader[0].value,
    )
    assert heading is not None, at.subheader[0].value
    assert len(at.get("plotly_chart")) == 2  # gender-coding and reading-age gauges
    assert '<div class="ba-advert">' in html_bodies(at)
    labels = [b.label for b in at.get("download_button")]
    assert "Download advert report (HTML)" in labels


def test_pasted_advert_is_highlighted_and_hostile_markup_is_text(open_page):
    at = paste(open_page("advert"), ADVERT)
    body = html_bodies(at)
    assert "<mark class=" in body
    assert html.escape("<script>alert('x')</script>") in body
    assert html.escape("<img src=x onerror=alert(1)>") in body
    assert "<script>" not in body and "<img" not in body
    assert "native English speaker" in body


def test_upload_txt_path(open_page):
    at = choose(open_page("advert"), page.SOURCE_UPLOAD)
    at.file_uploader(key="advert_upload").set_value(
        ("hcsw.txt", ADVERT.encode("utf-8"), "text/plain")
    ).run()
    assert not at.exception, at.exception
    assert not at.error
    assert "<mark class=" in html_bodies(at)


def test_upload_docx_person_spec(open_page):
    docx = resources.EXAMPLE_ADVERTS / "band3_hcsw_person_spec.docx"
    at = choose(open_page("advert"), page.SOURCE_UPLOAD)
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    at.file_uploader(key="advert_upload").set_value((docx.name, docx.read_bytes(), mime)).run()
    assert not at.exception, at.exception
    assert not at.error
    assert at.session_state[LAST_ADVERT_KEY].source == docx.name
    assert '<div class="ba-advert">' in html_bodies(at)


def test_word_file_named_txt_is_read_as_word_with_a_note(open_page):
    docx = resources.EXAMPLE_ADVERTS / "band3_hcsw_person_spec.docx"
    at = choose(open_page("advert"), page.SOURCE_UPLOAD)
    at.file_uploader(key="advert_upload").set_value(
        ("spec.txt", docx.read_bytes(), "text/plain")
    ).run()
    assert not at.exception, at.exception
    assert not at.error
    note = NOTE_MISLABELLED.format(file="spec.txt", found="a Word document", proper=".docx")
    assert note in [i.value for i in at.info]
    assert "Person specification" in at.session_state[LAST_ADVERT_KEY].text


def test_pipeline_is_built_once_per_process():
    from bias_audit.text.pipeline import get_pipeline

    assert resources.pipeline() is resources.pipeline() is get_pipeline()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "broken.docx",
            b"this is not a zip file",
            MSG_MISLABELLED.format(
                file="broken.docx",
                suffix=".docx",
                expected="a Word document",
                why="it is not a zip archive",
                save_as=".docx, .txt or .pdf",
            ),
        ),
        ("empty.txt", b"", MSG_EMPTY.format(file="empty.txt", what="an advert")),
        ("blank.txt", "\ufeff\u200b\u00a0\n".encode(), MSG_NO_TEXT.format(file="blank.txt")),
    ],
)
def test_bad_upload_shows_error_not_exception(open_page, name, data, message):
    at = choose(open_page("advert"), page.SOURCE_UPLOAD)
    at.file_uploader(key="advert_upload").set_value((name, data, "application/octet-stream"))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [plain(message)]


def test_allow_list_hides_a_finding_for_this_session(open_page):
    at = paste(open_page("advert"), ADVERT)
    before = int(at.subheader[0].value.split()[0])
    options = at.multiselect(key=page.ALLOW_WIDGET_KEY).options
    assert options
    at.multiselect(key=page.ALLOW_WIDGET_KEY).set_value([options[0]]).run()
    assert not at.exception, at.exception
    after = int(at.subheader[0].value.split()[0])
    assert after < before
    # Options show the rule id and its category by name; the rule id is what is kept.
    rule, category = re.fullmatch(r"(\S+) \((.+)\)", options[0]).groups()
    assert "_" not in category
    assert at.session_state[page.ALLOW_KEY] == (rule,)


def test_two_sessions_never_see_each_others_advert(open_page):
    first = paste(open_page("advert"), ADVERT.replace("Band 3", "Band 3, Zebracorn Ward"))
    assert "Zebracorn Ward" in html_bodies(first)
    second = choose(open_page("advert"), page.SOURCE_PASTE)
    assert second.text_area(key="advert_paste").value == ""
    assert "Zebracorn Ward" not in html_bodies(second)
    assert "Zebracorn Ward" not in second.session_state[LAST_ADVERT_KEY].text


def test_oversized_upload_message():
    assert resources.upload_too_large("a.txt", resources.MAX_UPLOAD_BYTES) is None
    too_big = resources.MAX_UPLOAD_BYTES + 1
    assert resources.upload_too_large("a.txt", too_big) == resources.UPLOAD_TOO_LARGE.format(
        name="a.txt", size_mb=too_big / 1024 / 1024, limit=50
    )


def test_requirements_table_gives_reasons_in_words_and_the_band_its_evidence(open_page):
    at = paste(
        open_page("advert"),
        "Healthcare Support Worker\nSalary £24,937 - £26,598 a year\n\nEssential\n"
        "- GCSE English and maths grade C or above\n- Care Certificate (training provided)\n",
    )
    assert "band 3, found in text as Band 3 (read from the salary £24,937 - £26,598" in (
        at.subheader[0].value
    )
    tables = [b for b in html_bodies(at).split("\n") if 'class="ba-table ba-requirements"' in b]
    assert len(tables) == 1, "the requirements are one HTML table, so no cell is cut off"
    table = tables[0]
    assert "<td>Route accepted: in-post training</td>" in table
    assert "<td>GCSE</td>" in table and "<td>gcse</td>" not in table
    assert "Fits the band" not in table and "<td>ok</td>" not in table
    assert not at.dataframe


def test_requirements_table_on_the_page_has_every_demand(open_page):
    # The example's Essential "Native English speaker" (a nationality finding, not a
    # text/requirements kind) was missing from the table.
    at = paste(
        open_page("advert"),
        "Healthcare Support Worker, Band 3\n\nEssential\n- GCSE English and maths\n"
        "- Native English speaker\n- Full UK driving licence\n",
    )
    marker = 'class="ba-table ba-requirements"'
    (table,) = [b for b in html_bodies(at).split("\n") if marker in b]
    assert table.count("<tr>") == 4  # the header and three demands
    assert "<td>Native English speaker</td><td>Nationality or language</td>" in table
    assert "<td>GCSE</td>" in table and "<td>Driving licence or car</td>" in table
    assert "<th>Verdict</th>" in table


def test_charts_on_the_page_carry_their_data_tables(open_page):
    at = open_page("advert")
    body = html_bodies(at)
    assert body.count('<details class="ba-chart-data">') == 2
    assert "<summary>Data table: Reading age</summary>" in body


def test_a_rules_folder_setting_replaces_the_rules_or_shows_the_loader_message(open_page, tmp_path):
    import shutil

    from bias_audit import lexicon as lx
    from bias_audit import lexicon_schema
    from bias_audit.errors import LexiconError

    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(lx.DEFAULT_LEXICON_DIR / lx.CONTEXT_FILE, folder / lx.CONTEXT_FILE)
    shutil.copy(lx.DEFAULT_LEXICON_DIR / "age.yml", folder / "local.yml")
    at = open_page("advert")
    at.text_input(key="advert_rules").set_value(str(folder)).run()
    assert not at.exception, at.exception
    (error,) = at.error
    file = (folder / "local.yml").resolve()
    expected = lexicon_schema.CATEGORY_MISMATCH.format(file=file, category="age", stem="local")
    assert error.value == plain(LexiconError(expected))  # as `bias-audit lexicon check` says

    (folder / "local.yml").rename(folder / "age.yml")
    at = paste(at, ADVERT)
    version = lx.load_lexicon(folder).version
    assert page.RULES_IN_USE.format(folder=folder, version=version) in [c.value for c in at.caption]
    body = html_bodies(at)
    assert "native English speaker" in body  # shown as text, but no longer flagged:
    report = at.session_state[LAST_ADVERT_KEY]
    assert {f.category for f in report.findings} <= {"age", "readability"}


@pytest.mark.parametrize(
    ("served_host", "offered"),
    [("127.0.0.1", True), ("localhost", True), ("0.0.0.0", False), ("10.1.2.3", False)],
)
def test_the_rules_folder_box_is_offered_only_when_the_app_serves_this_computer_alone(
    open_page, monkeypatch, served_host, offered
):
    """A rules folder is read from the server's disk: on a workshop network (bias-audit app
    --host 0.0.0.0, workers included) nobody else may point the server at its folders."""
    from bias_audit.serving import SERVED_HOST_ENV

    monkeypatch.setenv(SERVED_HOST_ENV, served_host)
    at = open_page("advert")
    assert ("advert_rules" in [w.key for w in at.text_input]) is offered
