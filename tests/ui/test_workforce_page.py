"""Workforce page in AppTest: the example in one click, headlines with takeaways, the
retention and progression charts, suppression and the returns download, a bad upload."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bias_audit.io.source import MSG_EMPTY
from bias_audit.report.workforce_text import SUPPRESSION_OFF
from bias_audit.ui import workforce_page as page
from bias_audit.ui.components import plain

ROOT = Path(__file__).resolve().parents[2]
PAGE = "bias_audit/ui/pages/workforce.py"


@pytest.fixture
def at(monkeypatch):
    monkeypatch.chdir(ROOT)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page(PAGE)
    app.run()
    assert not app.exception, app.exception
    return app


def test_example_in_one_click(at):
    assert at.radio(key=page.SOURCE_KEY).value == page.SOURCE_EXAMPLE
    assert not at.error
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["WRES indicator 3", "WRES indicator 4", "WDES metric 3"]
    assert "Retention of new support staff" in labels and "Progression of support staff" in labels
    # Every card has its one-line takeaway under it.
    words = [m.value for m in at.markdown]
    assert any(w.startswith("BME staff were") for w in words)
    assert any(w.startswith("At 12 months, an estimated") for w in words)
    # Retention curves and progression bars, each with its takeaway.
    assert len(at.get("plotly_chart")) == 2
    captions = " ".join(c.value for c in at.caption)
    assert "8 or more people" in captions
    buttons = [b.label for b in at.get("download_button")]
    assert "Download report (HTML)" in buttons and page.RETURNS_LABEL not in buttons
    assert {page.RETENTION_TABLE_LABEL, page.REASONS_LABEL} <= {e.label for e in at.expander}
    assert len(at.dataframe) >= 2


def test_view_choice_redraws_by_disability(at):
    at.selectbox(key=page.VIEW_KEY).set_value("disability").run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "by disability" in captions


def test_suppression_off_offers_the_returns(at):
    at.toggle(key=page.SUPPRESS_KEY).set_value(False).run()
    assert not at.exception
    assert any(w.value == SUPPRESSION_OFF for w in at.warning)
    buttons = [b.label for b in at.get("download_button")]
    assert page.RETURNS_LABEL in buttons


def test_empty_upload_is_refused_in_words(at):
    at.radio(key=page.SOURCE_KEY).set_value(page.SOURCE_UPLOAD).run()
    assert at.info[0].value == page.UPLOAD_EMPTY
    at.file_uploader(key=page.UPLOAD_KEY).set_value(("staff.csv", b"", "text/csv")).run()
    assert not at.exception
    expected = MSG_EMPTY.format(file="staff.csv", what="a staff extract")
    assert at.error and at.error[0].value == plain(expected)


def test_cohort_control_changes_the_retention_cohort(at):
    assert at.expander  # the cohort control is on the page
    at.number_input(key=page.YEARS_KEY).set_value(1)
    at.multiselect(key=page.BANDS_KEY).set_value(["Band 2", "Band 3"])
    at.multiselect(key=page.GROUPS_KEY).set_value([])
    at.run()
    assert not at.exception and not at.error
    audit = page.audit_example(True, (1, ("Band 2", "Band 3"), None))
    cohort = audit["retention"]["cohort"]
    assert cohort["bands"] == ["Band 2", "Band 3"] and cohort["staff_groups"] is None
    assert cohort["start_from"] == "2024-03-31"
    default = page.audit_example(True)["retention"]["cohort"]
    assert default["bands"] == list(page.DEFAULT_BANDS)
    # The page shows the chosen cohort: its takeaway is the chosen audit's.
    words = [m.value for m in at.markdown]
    assert plain(audit["retention"]["takeaway"]) in words
    assert audit["retention"]["takeaway"] != page.audit_example(True)["retention"]["takeaway"]
