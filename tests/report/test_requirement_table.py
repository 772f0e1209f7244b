"""The requirements table: every demand the findings make has a row, and every cell is words."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from bias_audit.lexicon_schema import REQUIREMENT_CATEGORIES
from bias_audit.report import advert_text as at
from bias_audit.report import html_report as hr
from bias_audit.report import requirement_table as rt
from bias_audit.report import requirement_words as rw
from bias_audit.text.advert import analyse_advert

ROOT = Path(__file__).resolve().parents[2]
POOR = ROOT / "example_data" / "adverts" / "band3_hcsw_poor.txt"
# Findings that demand something of the applicant wherever they stand: each needs a row.
ALWAYS_ROWS = {*REQUIREMENT_CATEGORIES, "nationality_race_religion", "health_screening"}
KIND_WORDS = {*rw.KIND_WORDS.values(), *rt.DEMAND_CATEGORY_KINDS.values()}


@pytest.fixture(scope="module")
def poor():
    text = POOR.read_text("utf-8")
    return analyse_advert(text, source=POOR.name)


def test_the_essential_native_english_speaker_has_a_row(poor):
    (row,) = [r for r in rt.requirement_rows(poor) if r.words == "Native English speaker"]
    assert row.cells()[:4] == (
        "Essential",
        "Native English speaker",
        "Nationality or language",
        rt.NOT_APPLICABLE,
    )
    assert row.verdict.startswith('High: Asking for a "native" speaker')


def test_every_demand_finding_has_a_row_and_rows_are_in_words(poor):
    rows = rt.requirement_rows(poor)
    demands = [f for f in poor.findings if f.category in ALWAYS_ROWS]
    assert len(demands) == 9  # 8 requirement findings and "Native English speaker"
    for finding in demands:
        assert any(r.start < finding.end and finding.start < r.end for r in rows), finding
    for row in rows:
        assert poor.text[row.start : row.end] == row.words
        assert row.words in row.demand
        assert row.kind in KIND_WORDS and row.kind not in rw.KIND_WORDS  # "GCSE", not "gcse"
        assert row.section in rt.SECTION_ORDER
        assert row.equivalent_accepted in ("Yes", "No", rt.NOT_APPLICABLE)
        assert "_" not in "".join(row.cells())
    # essential first, then desirable; in reading order within each
    keys = [(rt.SECTION_ORDER.index(r.section), r.start) for r in rows]
    assert keys == sorted(keys)
    assert [r.words for r in rows][-1] == "Care Certificate"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Essential\n- Native English speaker\n",
            [("Essential", "Native English speaker", "Nationality or language")],
        ),
        (  # screening on language is a demand even in prose
            "Care assistant.\nWe want a native English speaker.\n",
            [("Not marked", "We want a native English speaker.", "Nationality or language")],
        ),
        (
            "Desirable\n- Full UK driving licence\n",
            [("Desirable", "Full UK driving licence", "Driving licence or car")],
        ),
        (  # an age word in the person specification demands an age
            "Essential\n- Young graduate\n",
            [("Essential", "Young graduate", "Age")],
        ),
        ("About us\nOur young team is friendly.\n", []),  # describes the team, asks nothing
        ("Essential\n- Knowledge of MDT working\n", []),  # jargon is wording, not a demand
    ],
)
def test_rows_for_small_adverts(text, expected):
    report = analyse_advert(text, source="t.txt", band=3)
    rows = rt.requirement_rows(report)
    assert [(r.section, r.demand, r.kind) for r in rows] == expected


def test_two_demands_in_one_item_each_name_their_words(poor):
    rows = [r for r in rt.requirement_rows(poor) if r.kind == "Physical demand"]
    item = "Must be physically fit and able to lift heavy patients"
    assert [r.demand for r in rows] == [
        f"{item} (“physically fit”)",
        f"{item} (“able to lift”)",
    ]


def test_html_table_has_word_headers_and_a_layout_that_wraps(poor):
    table = hr.requirements_table_html(poor)
    assert table.startswith('<table class="ba-table ba-requirements"><thead><tr>')
    assert "".join(f"<th>{h}</th>" for h in rt.REQUIREMENT_HEADERS) in table
    assert table.count("<tr>") == len(rt.requirement_rows(poor)) + 1
    assert "<td>Nationality or language</td>" in table
    assert "<td>gcse</td>" not in table and "<td>GCSE</td>" in table
    assert html.escape('Asking for a "native" speaker') in table
    # fixed layout with the first four columns' widths set: the Verdict takes the rest and
    # wraps; no cell can push the table past its container
    from bias_audit.report.style import REPORT_CSS

    assert ".ba-requirements{table-layout:fixed}" in REPORT_CSS
    assert ".ba-requirements td{overflow-wrap:anywhere}" in REPORT_CSS


def test_text_report_lists_the_same_demands(poor):
    out = at.render_report(poor)
    rows = rt.requirement_rows(poor)
    assert len(rows) == 10  # 9 requirements and "Native English speaker"
    assert "\nRequirements (10):\n" in out
    assert (
        "  Essential   Nationality or language    “Native English speaker”\n"
        "      → HIGH (see the finding above)\n"
    ) in out
