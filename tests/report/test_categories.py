"""Every lexicon category is named to readers and listed in the docs with its severity."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bias_audit.lexicon import load_lexicon
from bias_audit.report.highlight import findings_list_html, highlight_html, legend_html
from bias_audit.report.style import CATEGORY_LABELS, category_label, lexicon_categories
from bias_audit.types import Finding, Severity
from bias_audit.ui.advert_page import allow_option_label
from bias_audit.ui.method_page import CATEGORIES_HEADING, SECTIONS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "adverts.md"
_ROW = re.compile(r"^\| `(?P<category>[a-z_]+)` \| (?P<label>[^|]+) \| (?P<severity>[a-z]+)\b")


def docs_rows() -> dict[str, tuple[str, str]]:
    """category -> (shown as, default severity) from the category table in docs/adverts.md."""
    rows = {}
    for line in DOCS.read_text("utf-8").splitlines():
        match = _ROW.match(line)
        if match is not None:
            rows[match["category"]] = (match["label"].strip(), match["severity"])
    return rows


def test_the_category_list_is_every_lexicon_file():
    assert {c.category for c in lexicon_categories()} == set(load_lexicon().categories)


@pytest.mark.parametrize(
    ("category", "label", "severity"),
    [
        ("health_screening", "Health screening before an offer", Severity.HIGH),
        ("sexual_orientation", "Sexual orientation and gender identity", Severity.MEDIUM),
        ("process_barriers", "Application and interview barriers", Severity.MEDIUM),
        ("cliche", "Cliché", Severity.LOW),
    ],
)
def test_new_categories_have_names_and_their_file_severity(category, label, severity):
    info = {c.category: c for c in lexicon_categories()}[category]
    assert (info.label, info.default_severity) == (label, severity)


def test_every_category_has_its_own_name():
    for info in lexicon_categories():
        assert info.category in CATEGORY_LABELS, f"add {info.category} to CATEGORY_LABELS"
        assert "_" not in info.label


def test_docs_table_lists_every_category_with_its_name_and_default_severity():
    rows = docs_rows()
    expected = {c.category: (c.label, str(c.default_severity)) for c in lexicon_categories()}
    assert rows == expected


def test_method_page_lists_every_category_with_its_default_severity():
    body = dict(SECTIONS)[CATEGORIES_HEADING]
    for info in lexicon_categories():
        line = next(line for line in body.splitlines() if f"(`{info.category}`)" in line)
        assert f"**{info.label}**" in line
        if info.category != "inclusion_signals":
            assert line.endswith(f": {info.default_severity} by default")
    headings = [heading for heading, _ in SECTIONS]
    assert headings.index(CATEGORIES_HEADING) == headings.index("The advert checker") + 1


def finding(category: str, severity: Severity, start: int, text: str) -> Finding:
    return Finding(
        "rule-" + category, category, severity, start, start + len(text), text, "why", (), ""
    )


def test_highlight_names_categories_in_words_in_tooltip_list_and_legend():
    text = "No history of mental illness. Sexual preference."
    findings = [
        finding("health_screening", Severity.HIGH, 0, "No history of mental illness"),
        finding("sexual_orientation", Severity.MEDIUM, 30, "Sexual preference"),
    ]
    out = highlight_html(text, findings)
    assert "High — Health screening before an offer: why" in out
    assert "(Sexual orientation and gender identity)" in findings_list_html(findings)
    assert "health_screening" not in out and "sexual_orientation" not in out
    legend = legend_html(findings)
    assert legend.endswith(
        "Found here: Health screening before an offer (1), "
        "Sexual orientation and gender identity (1)</p>"
    )
    assert "Found here" not in legend_html([])


def test_allow_list_options_name_the_category():
    categories = {"process-no-alternative-date": "process_barriers"}
    assert (
        allow_option_label("process-no-alternative-date", categories)
        == "process-no-alternative-date (Application and interview barriers)"
    )
    assert allow_option_label("a phrase", categories) == "a phrase"


def test_unknown_category_is_spelt_out():
    assert category_label("brand_new") == "Brand new"
