"""The workforce audit as one self-contained HTML page (every user string escaped).

It reads the audit's JSON dictionary, like :mod:`bias_audit.report.workforce_text`, and
adds nothing the other formats do not say.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bias_audit.report.html_report import html_document, table_html
from bias_audit.report.workforce_flow_charts import flow_html_section
from bias_audit.report.workforce_text import (
    BOARD_ORDER,
    LINKED_ORDER,
    NO_WARNINGS,
    NOT_COMPUTABLE,
    PERIOD,
    PROFILE_GROUPS,
    PROFILE_ORDER,
    RATIO_ORDER,
    SUPPRESSION_OFF,
    SUPPRESSION_ON,
    TITLE,
    count_text,
    percent_text,
    pp_text,
    rates_text,
    ratio_text,
)

PLOTLY_DIV = 'class="plotly-graph-div"'
_CSS = """
body{margin:0;background:#f0f4f5}
main{max-width:1100px;margin:0 auto;padding:1.5rem;background:#fff}
h2{border-bottom:3px solid #005eb8;padding-bottom:.2rem}
.ba-note{background:#fff9c4;border-left:6px solid #ffeb3b;padding:.6rem .8rem}
.ba-value{font-size:1.6rem;font-weight:bold}
"""


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _p(text: object, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f"<p{cls}>{_esc(text)}</p>"


def _ratio_section(result: Mapping[str, Any]) -> str:
    parts = [f"<h3>{_esc(result.get('name'))}</h3>", _p(ratio_text(result), "ba-value")]
    if result.get("direction"):
        parts.append(_p(result["direction"]))
    if result.get("value") is not None or result.get("focal"):
        parts.append(_p(rates_text(result)))
    for name in ("note", "definition"):
        if result.get(name):
            parts.append(_p(result[name], "ba-muted"))
    return "".join(parts)


def _profile_section(key: str, result: Mapping[str, Any]) -> str:
    head = f"<h3>{_esc(result['name'])}</h3>"
    if result.get("value") is None:
        return head + _p(NOT_COMPUTABLE.format(reason=result.get("reason")))
    focal = result["focal"]
    groups = PROFILE_GROUPS[key]
    rows = [
        (
            row["clinical"],
            row["band"],
            count_text(row["total"]),
            *(count_text(row.get(g)) for g in groups),
            percent_text(row.get(f"share_{focal}")),
            pp_text(row.get("difference_pp")),
        )
        for row in result["bands"]
    ]
    headers = ("Staff", "Band", "Total", *groups, f"{focal} share", "Against whole workforce")
    return (
        head
        + _p(f"{focal} share of the workforce: {percent_text(result['value'])}", "ba-value")
        + _p(result["direction"])
        + table_html(headers, rows)
        + _p(result.get("definition"), "ba-muted")
    )


def _board_section(result: Mapping[str, Any]) -> str:
    head = f"<h3>{_esc(result['name'])}</h3>"
    if result.get("value") is None:
        return head + _p(NOT_COMPUTABLE.format(reason=result.get("reason")))
    focal = result["focal"]
    rows = [
        (
            part.replace("_", "-"),
            count_text(c["members"]),
            count_text(c.get(focal)),
            percent_text(c["share"]),
            pp_text(c["difference_pp"]),
        )
        for part, c in result["parts"].items()
    ]
    headers = ("Board members", "Members", focal, f"{focal} share", "Against whole workforce")
    return (
        head
        + _p(pp_text(result["value"]), "ba-value")
        + _p(result["direction"])
        + table_html(headers, rows)
    )


def _plotly_script(body: list[str]) -> str:
    """plotly.js, embedded once, when the page holds a chart (it then opens offline)."""
    if not any(PLOTLY_DIV in part for part in body):
        return ""
    import plotly.offline

    return f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>'


def workforce_report_html(audit: Mapping[str, Any]) -> str:
    """The whole audit as an HTML page."""
    title = TITLE.format(source=audit["source"])
    body = [
        _p(PERIOD.format(date=audit["extract_date"], years=", ".join(audit["years"]))),
        _p(SUPPRESSION_ON if audit["suppression"] else SUPPRESSION_OFF, "ba-note"),
        "<h2>Relative likelihoods</h2>",
    ]
    body += [_ratio_section(audit[k]) for k in (*RATIO_ORDER, *LINKED_ORDER) if audit.get(k)]
    body.append("<h2>Band profile</h2>")
    body += [_profile_section(k, audit[k]) for k in PROFILE_ORDER if audit.get(k)]
    body.append("<h2>Board</h2>")
    body += [_board_section(audit[k]) for k in BOARD_ORDER if audit.get(k)]
    body.append(flow_html_section(audit.get("retention"), audit.get("progression")))
    body.append("<h2>Warnings</h2>")
    warnings = audit.get("warnings") or []
    body.append(
        "<ul>" + "".join(f"<li>{_esc(w)}</li>" for w in warnings) + "</ul>"
        if warnings
        else _p(NO_WARNINGS)
    )
    return html_document(title, "".join(body), page_css=_CSS, script=_plotly_script(body))
