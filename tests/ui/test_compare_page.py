"""Before-and-after page in AppTest: the example pair, a live edit, an upload, escaping,
a bad file, and the two portfolio sections rendered on their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bias_audit.ui import compare_page as page

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PAGE = "bias_audit/ui/pages/compare.py"


@pytest.fixture
def compare_page(monkeypatch):
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def tables(at):
    return [d.value for d in at.dataframe]


def test_example_pair_shows_what_the_rewrite_changed(compare_page):
    at = compare_page
    assert at.title[0].value == page.TITLE
    # hand-counted from EXAMPLE_BEFORE / EXAMPLE_AFTER: young, energetic, rock star, NVQ
    # level, experience length, licence (and "dynamic") go; "Kind and patient" stays clean
    heading = at.subheader[0].value
    removed, added, kept = (int(part.split()[0]) for part in heading.split(" · "))
    assert removed >= 5 and added == 0 and kept == 0, heading
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Credential share"] == "0%"
    measures = tables(at)[0]
    share = measures[measures["Measure"] == "credential share"].iloc[0]
    assert share["Before"] == "75%" and share["Change"] == "-75 points"
    removed_rules = set(tables(at)[1]["Rule"])
    assert {"age-young", "age-energetic"} <= removed_rules
    labels = [b.label for b in at.get("download_button")]
    assert "Download the comparison (HTML)" in labels


def test_editing_the_new_version_updates_the_comparison(compare_page):
    at = compare_page
    edited = page.EXAMPLE_AFTER + "We want a young, energetic person.\n"
    at.text_area(key="compare_new_text").set_value(edited).run()
    assert not at.exception, at.exception
    # the same words were in the old version: matched by rule and text, they are kept
    # (not removed and added again), wherever they now stand
    kept = tables(at)[3]
    assert {"age-young", "age-energetic"} <= set(kept["Rule"])
    assert not {"age-young", "age-energetic"} & set(tables(at)[1]["Rule"])
    assert tables(at)[2].empty


def test_hostile_markup_is_shown_as_text_not_html(compare_page):
    at = compare_page
    hostile = "Essential\n- NVQ Level 3 <img src=x onerror=alert(1)>\n<script>alert('x')</script>\n"
    at.text_area(key="compare_new_text").set_value(hostile).run()
    assert not at.exception, at.exception
    assert not any("<script>" in h.proto.body for h in at.html)
    credentials = tables(at)[-1]
    assert any("<img" in text for text in credentials["Criterion"])  # data, not markup


def test_empty_version_asks_for_both(compare_page):
    at = compare_page
    at.text_area(key="compare_old_text").set_value("   ").run()
    assert not at.exception
    assert page.WAITING in [i.value for i in at.info]


def test_upload_mode_waits_for_a_file(compare_page):
    at = compare_page
    at.radio(key="compare_old_how").set_value(page.SOURCE_UPLOAD).run()
    assert not at.exception
    assert page.UPLOAD_EMPTY in [i.value for i in at.info]


def _portfolio_sections_script():
    from bias_audit.portfolio.credentials import balance_by_band, credential_balance
    from bias_audit.portfolio.duplicates import near_duplicates
    from bias_audit.ui.portfolio_review import render_credential_balance, render_duplicate_groups

    job = "Main duties\nWash and dress patients. Make beds. Record fluid charts. Help at meals.\n"
    docs = {
        "a.txt": job,
        "b.txt": job + "Answer the phone.\n",
        "c.txt": "Main duties\nDrive a van.\n",
    }
    balances = [
        credential_balance("Essential\n- NVQ Level 2\n- Kind", source="a.txt", band=2),
        credential_balance("Essential\n- Able to listen", source="b.txt", band=3),
    ]
    render_credential_balance(balances, by_band=list(balance_by_band(balances).values()))
    render_duplicate_groups(near_duplicates(docs, bands={"a.txt": 2, "b.txt": 3}))


def test_portfolio_render_functions_show_balance_rewording_and_groups(monkeypatch):
    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_portfolio_sections_script, default_timeout=60).run()
    assert not at.exception, at.exception
    documents, bands, credentials, groups = (d.value for d in at.dataframe[:4])
    assert list(documents["Credential"]) == ["50% (1)", "0% (0)"]
    assert list(bands["Document"]) == ["Band 2", "Band 3"]
    assert list(credentials["Criterion"]) == ["NVQ Level 2"]
    assert "Level 2 care role" in credentials["Suggested wording"].iloc[0]
    assert list(groups["Documents"]) == ["a.txt, b.txt"]
    assert any("different bands" in w.value for w in at.warning)


def test_portfolio_page_shows_the_credential_and_duplicate_sections(monkeypatch):
    from bias_audit.ui import portfolio_page
    from bias_audit.ui.portfolio_review import BALANCE_TITLE, DUPLICATES_TITLE

    titles = [s.title for s in portfolio_page.sections()]
    assert titles[1:3] == [BALANCE_TITLE, DUPLICATES_TITLE]
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page("bias_audit/ui/pages/portfolio.py").run()
    assert not at.exception, at.exception
    groups = next(d.value for d in at.dataframe if "Lowest similarity" in d.value.columns)
    assert list(groups["Documents"]) == ["hca_ward_12.txt, hca_ward_7.txt, hca_ward_9.txt"]
    per_band = [d.value for d in at.dataframe if "Credential" in d.value.columns][1]
    assert list(per_band["Document"])[:3] == ["Band 2", "Band 3", "Band 4"]


def test_workshop_mode_puts_the_counts_and_measures_first(monkeypatch):
    from bias_audit.ui import workshop

    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params[workshop.PARAM] = "1"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert any(page.INTRO in [m.value for m in e.markdown] for e in at.expander)
    assert [m.label for m in at.metric][:1] == ["Reading age"]
    removed = len(at.dataframe[1].value)
    assert at.subheader[0].value == f"{removed} removed · 0 added · 0 kept"
