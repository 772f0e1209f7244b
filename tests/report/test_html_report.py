"""HTML reports: self-contained, plotly.js once, print CSS, everything user-given escaped."""

from __future__ import annotations

import re

import pytest

from bias_audit.report import charts as ch
from bias_audit.report import html_report as hr


def test_empty_report_is_a_complete_document_without_plotly():
    out = hr.full_report_html()
    assert out.startswith("<!DOCTYPE html>")
    assert out.rstrip().endswith("</html>")
    assert hr.EMPTY_REPORT in out
    assert "<script" not in out
    assert "@media print" in out and "@page" in out


def test_chart_fragment_has_caption_and_no_library_or_modebar():
    chart = ch.reading_age_gauge(14, (9, 11))
    frag = hr.chart_html(chart)
    assert frag.startswith('<figure class="ba-chart">')
    assert f"<strong>{chart.title}.</strong> {chart.takeaway}" in frag
    assert "plotly.js v" not in frag
    assert '"displayModeBar": false' in frag
    assert "cdn.plot.ly" not in frag


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
