"""The region comparison as an HTML report section (and a whole document).

User text (organisation names, file names, notes) is escaped by the shared helpers of
:mod:`bias_audit.report.html_report`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bias_audit.report import charts as ch
from bias_audit.report.html_report import _document, _esc, _list_html, chart_html, table_html
from bias_audit.report.region_charts import funnel_chart, trend_chart
from bias_audit.report.region_text import (
    METHOD,
    TREND_METHOD,
    metric_sentences,
    region_rows,
    trend_sentence,
)

if TYPE_CHECKING:
    from bias_audit.report.region_results import RegionAudit

REGION_TITLE = "bias-audit: region comparison"
TABLE_HEADERS = (
    "Organisation",
    "{reference} entered",
    "{reference} selected",
    "{focal} entered",
    "{focal} selected",
    "Ratio",
    "95% limits",
    "99.8% limits",
    "Where",
)
SUPPRESSION_ON = (
    "Disclosure control is on: counts of 1–7 show as ≤7, others are rounded to 5, and "
    "counts that could be worked out from the others (across organisations, years and the "
    "pooled figure) are hidden as *. Every point and limit comes from the shown counts."
)
SUPPRESSION_OFF = "Disclosure control is OFF: exact counts, for the analyst's own use only."


def _limits(low: object, high: object) -> str:
    if low is None or high is None:
        return "–"
    return f"{float(low):.2f}–{float(high):.2f}"  # type: ignore[arg-type]


def region_sections(audit: RegionAudit) -> tuple[str, list[ch.Chart]]:
    """The region part of a report as HTML, and the charts it shows."""
    rows = region_rows(audit)
    charts: list[ch.Chart] = []
    parts = [
        "<section><h2>Region comparison</h2>",
        f'<p class="ba-note">{_esc(SUPPRESSION_ON if audit.suppression else SUPPRESSION_OFF)}</p>',
        f"<p>{_esc(METHOD)}</p>",
    ]
    if audit.years:
        parts.append(f"<p>{_esc(TREND_METHOD)}</p>")
    parts.append("</section>")
    for metric in audit.metrics:
        parts.append(f"<section><h2>{_esc(metric.name)}</h2>")
        parts.append(_list_html(metric_sentences(audit, metric), empty=""))
        funnel = funnel_chart(audit, metric)
        charts.append(funnel)
        parts.append(chart_html(funnel))
        table = [r for r in rows if r["metric"] == metric.key and r["kind"] != "year"]
        if table:
            headers = [
                h.format(reference=metric.reference, focal=metric.focal) for h in TABLE_HEADERS
            ]
            body = [
                (
                    r["unit"],
                    r["reference_entered"],
                    r["reference_selected"],
                    r["focal_entered"],
                    r["focal_selected"],
                    "–" if r["ratio"] is None else f"{r['ratio']:.2f}",
                    _limits(r["limit_95_low"], r["limit_95_high"]),
                    _limits(r["limit_998_low"], r["limit_998_high"]),
                    r["not_computable"] or r["position"] or "pooled value",
                )
                for r in table
            ]
            parts.append(table_html(headers, body))
        if audit.years:
            trend = trend_chart(audit, metric)
            charts.append(trend)
            parts.append(chart_html(trend))
            sentence = trend_sentence(audit, metric)
            if sentence:
                parts.append(f"<p>{_esc(sentence)}</p>")
        parts.append("</section>")
    parts.append("<section><h2>Notes</h2>")
    parts.append(_list_html([*audit.notes, *audit.warnings], empty="None."))
    parts.append("</section>")
    return "".join(parts), charts


def region_report_html(audit: RegionAudit) -> str:
    """A self-contained HTML report of a region comparison (plotly.js embedded once)."""
    body, charts = region_sections(audit)
    return _document(REGION_TITLE, body, with_plotly=bool(charts))
