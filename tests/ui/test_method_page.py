"""The method page: every section in plain English, directions stated."""

from __future__ import annotations

from bias_audit.ui.method_page import SECTIONS, TITLE


def test_method_page_shows_every_section(open_page):
    at = open_page("method")
    assert at.title[0].value == TITLE
    assert [h.value for h in at.subheader] == [heading for heading, _ in SECTIONS]
    text = " ".join(m.value for m in at.markdown)
    for phrase in (
        "above 1 means White shortlisted applicants are more likely",
        "0.80–1.25",
        "counts of 1–7 are shown as ≤7",
        "Gaucher, Friesen & Kay",
    ):
        assert phrase in text
