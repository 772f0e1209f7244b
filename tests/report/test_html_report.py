"""HTML reports: self-contained, plotly.js once, print CSS, everything user-given escaped."""

from __future__ import annotations

import html
import re

import pytest

from bias_audit.report import advert_charts as ac
from bias_audit.report import html_report as hr
from bias_audit.report import recruitment_charts as rc
from bias_audit.report.requirement_table import requirement_rows


def test_empty_report_is_a_complete_document_without_plotly():
    out = hr.full_report_html()
    assert out.startswith("<!DOCTYPE html>")
    assert out.rstrip().endswith("</html>")
    assert hr.EMPTY_REPORT in out
    assert "<script" not in out
    assert "@media print" in out and "@page" in out


def test_chart_fragment_has_caption_and_no_library_or_modebar():
    chart = ac.reading_age_gauge(14, (9, 11))
    frag = hr.chart_html(chart)
    assert frag.startswith('<figure class="ba-chart">')
    assert f"<strong>{chart.title}.</strong> {chart.takeaway}" in frag
    assert "plotly.js v" not in frag
    assert '"displayModeBar": false' in frag
    assert "cdn.plot.ly" not in frag
    # the text alternative: the numbers drawn, as a table under the takeaway
    assert '<details class="ba-chart-data"><summary>Data table: Reading age</summary>' in frag
    assert (
        "<tr><th>Reading age (years)</th><th>Target for this band</th>"
        "<th>Within the target</th></tr></thead><tbody><tr><td>14</td><td>9–11</td>"
        "<td>no</td></tr>" in frag
    )


@pytest.mark.parametrize("suppression", [True, False])
def test_every_recruitment_chart_has_a_data_table(audits, suppression):
    drawn = [c for c in rc.recruitment_charts(audits[suppression]) if not c.empty]
    assert drawn  # the funnel at least
    for chart in drawn:
        assert chart.table is not None and not chart.table.empty, chart.title
        assert hr.chart_table_html(chart) in hr.chart_html(chart)
        assert "_" not in "".join(map(str, chart.table.columns)), "headers are words"


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
        ('=HYPERLINK("a")', "=HYPERLINK(&quot;a&quot;)"),
        (float("nan"), "–"),
        (True, "yes"),
        (0.04567, "0.0457"),
        (1234.5, "1,234.50"),
        (None, ""),
        (7, "7"),
    ],
)
def test_table_cells_are_escaped_and_formatted(cell, shown):
    out = hr.table_html(["<h>"], [[cell]])
    assert out == (
        '<table class="ba-table"><thead><tr><th>&lt;h&gt;</th></tr></thead>'
        f"<tbody><tr><td>{shown}</td></tr></tbody></table>"
    )


def test_document_embeds_library_once_in_head():
    out = hr._document("t", "<p>x</p>", with_plotly=True)
    head = out.split("</head>")[0]
    assert head.count("plotly.js v") == 1
    assert len(re.findall(r"<script\b", out)) == 1
    assert "http://" not in head.split("<script")[0]


HOSTILE_ADVERT = (
    "Healthcare Support Worker, Band 3 <script>alert('x')</script>\n"
    "We want a young, competitive native English speaker. <img src=x onerror=alert(1)>\n"
    "Essential: a degree in health and social care.\n"
    "Desirable: NVQ Level 3 or equivalent.\n"
    "Salary £24,071 a year. Flexible working available.\n"
)


@pytest.fixture(scope="module")
def advert_report():
    from bias_audit.text.advert import analyse_advert

    return analyse_advert(HOSTILE_ADVERT, source="<b>advert</b>.txt")


def test_advert_report_escapes_everything_and_embeds_plotly_once(advert_report):
    out = hr.advert_report_html([advert_report])
    body = out.split("</head>")[1]
    assert "<script>alert" not in out and "<img src=x" not in out
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "Job advert: &lt;b&gt;advert&lt;/b&gt;.txt" in body
    assert out.count("plotly.js v") == 1
    assert body.count('<figure class="ba-chart">') == 2
    assert "Plotly.newPlot" in body


def test_advert_report_lists_every_finding_requirement_and_signal(advert_report):
    out = hr.advert_report_html([advert_report])
    assert out.count('<li value="') == len(advert_report.findings)
    for f in advert_report.findings:
        assert html.escape(f.explanation) in out
    rows = requirement_rows(advert_report)
    assert len(rows) >= len(advert_report.requirements)
    assert [r.section for r in rows] == sorted(
        (r.section for r in rows), key=lambda s: {"Essential": 0, "Desirable": 1}.get(s, 2)
    )
    checklist = hr.inclusion_checklist_html(advert_report)
    assert checklist.count("<li>") == len(advert_report.inclusion_signals)
    present = [s for s in advert_report.inclusion_signals if s.present]
    assert checklist.count(hr.CHECK_PRESENT) == len(present)
    assert present, "salary and flexible working are stated"


@pytest.mark.parametrize(
    ("text", "band", "shown"),
    [
        ("Care assistant. You help patients.\n", None, "Band not stated · "),
        ("Care assistant. You help patients.\n", 4, "Band 4 (given) · "),
        ("Care assistant, Band 3. You help patients.\n", None, "Band 3 (found in text) · "),
    ],
)
def test_advert_band_is_said_once_in_words(text, band, shown):
    from bias_audit.text.advert import analyse_advert

    out = hr.advert_report_html([analyse_advert(text, band=band)])
    assert f"<p>{shown}" in out
    assert "not stated (not stated)" not in out


def test_two_adverts_share_one_library(advert_report):
    out = hr.full_report_html(adverts=[advert_report, advert_report])
    assert out.count("plotly.js v") == 1
    assert out.count("<h2>Job advert:") == 2


def extract(appointed_bme: int) -> bytes:
    """White: 40 shortlisted, 20 appointed; BME: 40 shortlisted, ``appointed_bme`` appointed."""
    rows = ["Applicant ID,Ethnic Origin,Sex,Disability,Outcome"]
    n = 0
    for ethnicity, appointed in (("White - British", 20), ("Asian - Indian", appointed_bme)):
        outcomes = ["Appointed"] * appointed + ["Interviewed - not appointed"] * (40 - appointed)
        outcomes += ["Not shortlisted"] * 40
        for outcome in outcomes:
            sex = "Female" if n % 2 else "Male"
            rows.append(f"A{n},{ethnicity},{sex},{'Yes' if n % 4 == 0 else 'No'},{outcome}")
            n += 1
    return ("\n".join(rows) + "\n").encode()


@pytest.fixture(scope="module")
def audits():
    from bias_audit.services import audit_extract

    data = extract(appointed_bme=3)
    return {
        on: audit_extract(data, name="<i>trust</i>.csv", suppression=on) for on in (True, False)
    }


def test_recruitment_report_has_cards_charts_tables_and_escapes(audits):
    audit = audits[True]
    out = hr.recruitment_report_html(audit)
    body = out.split("</head>")[1]
    assert "Recruitment audit: &lt;i&gt;trust&lt;/i&gt;.csv" in body
    assert out.count("plotly.js v") == 1
    cards = hr.headline_cards(audit)
    assert [c.label for c in cards] == [hr.WRES_LABEL, hr.WDES_LABEL]
    for card in cards:
        assert html.escape(card.sentence) in body
    assert body.count('<figure class="ba-chart">') == len(rc.recruitment_charts(audit)) >= 3
    assert hr.SUPPRESSION_ON in body
    assert "<h2>Significance tables</h2>" in body


def test_wres_card_matches_hand_computed_ratio(audits):
    # White 20/40 = 0.5; BME 3/40 = 0.075; relative likelihood 0.5 / 0.075 = 6.67
    card = hr.headline_cards(audits[False])[0]
    assert card.value == "6.67"


def test_suppression_is_respected_in_tables(audits):
    def cells(audit):
        tables = hr.significance_tables(audit)
        return {v for frame in tables.values() for v in frame.to_numpy().ravel()}

    # BME appointed (3) is hidden: "≤7", or "*" where its ethnicity × gender parts would
    # otherwise pin it down.
    assert {"≤7", "*"} & cells(audits[True])
    assert not {"≤7", "*"} & cells(audits[False])
    assert hr.SUPPRESSION_OFF in hr.recruitment_report_html(audits[False])
    # Every displayed count is the audit's own value, formatted, never recomputed.
    frame = next(iter(hr.significance_tables(audits[True]).values()))
    first = audits[True].transitions.iloc[0]
    assert frame.iloc[0]["Entered"] == hr._format_cell(first["entered"])


def test_full_report_has_both_analyses(audits, advert_report):
    out = hr.full_report_html(audit=audits[True], adverts=[advert_report])
    assert out.count("plotly.js v") == 1
    assert "<h2>Recruitment audit:" in out and "<h2>Job advert:" in out


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {
                "from": "shortlisted",
                "to": "appointed",
                "group": "BME",
                "entered": 40,
                "progressed": 3,
                "rate": 0.075,
                "relative_likelihood": 6.666,
                "ci_low": 2.2,
                "ci_high": 20.04,
                "impact_ratio": 0.15,
                "p_value": 0.00001,
                "one_person_check": "pass",
            },
            (
                "shortlisted → appointed",
                "BME",
                "40",
                "3",
                "7.5%",
                "6.67 (2.20–20.04)",
                "0.15",
                "< 0.001",
                "pass",
            ),
        ),
        (
            {
                "from": "applied",
                "to": "shortlisted",
                "group": "Mixed",
                "entered": "≤7",
                "progressed": "≤7",
                "rate": None,
                "relative_likelihood": None,
                "ci_low": None,
                "ci_high": None,
                "impact_ratio": None,
                "p_value": None,
                "one_person_check": None,
            },
            ("applied → shortlisted", "Mixed", "≤7", "≤7", "–", "–", "–", "–", "–"),
        ),
        (
            {
                "from": "a",
                "to": "b",
                "group": "White",
                "entered": 10,
                "progressed": 5,
                "rate": 0.5,
                "relative_likelihood": 1.0,
                "ci_low": None,
                "ci_high": None,
                "impact_ratio": 1.0,
                "p_value": 0.0421,
                "one_person_check": "not applicable",
            },
            ("a → b", "White", "10", "5", "50.0%", "1.00", "1.00", "0.042", "not applicable"),
        ),
    ],
)
def test_significance_row_formats_without_recomputing(row, expected):
    assert hr._significance_row(row) == expected


def test_recruitment_cli_writes_the_same_html_report(tmp_path):
    from typer.testing import CliRunner

    from bias_audit.cli import app

    source = tmp_path / "trust.csv"
    source.write_bytes(extract(appointed_bme=3))
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["recruitment", str(source), "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<h2>Recruitment audit: trust.csv</h2>" in page
    assert page.count("plotly.js v") == 1
    assert hr.SUPPRESSION_ON in page


def test_example_funnel_chart_draws_with_suppression_on(example_audits):
    # Groups of a few hundred people keep their shares under the NHS Digital rule, so the
    # stage funnel is drawn rather than replaced by the "too few people" sentence.
    audit = example_audits[True]
    for attribute in ("ethnicity_wres", "gender", "disability"):
        funnel = rc.recruitment_charts(audit, funnel_attribute=attribute)[1]
        assert not funnel.empty and funnel.takeaway != rc.FUNNEL_NONE, attribute


def test_advert_header_gives_the_count_per_severity():
    from bias_audit.report.html_report import advert_sections
    from bias_audit.text.advert import analyse_advert

    report = analyse_advert(
        "Band 3 support worker.\nA degree is essential.\nWe want a rockstar, a true rockstar.\n"
    )
    counts = {
        s: sum(str(f.severity) == s for f in report.findings) for s in ("high", "medium", "low")
    }
    body, _ = advert_sections(report)
    total = len(report.findings)
    assert counts["high"] >= 1 and counts["medium"] >= 1
    assert (
        f"{total} findings: {counts['high']} high, {counts['medium']} medium, {counts['low']} low"
        in body
    )
