"""The region comparison in words, as a table and as JSON (no ranking: alphabetical).

Every figure is worked out from the counts as published (see
:mod:`bias_audit.report.region_publication`); ratios are shown to 2 dp and p to 2
significant figures in published mode.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from bias_audit.io.organisations import NOT_GIVEN
from bias_audit.report import suppression as sdc
from bias_audit.stats.funnel_plot import (
    MIN_FOR_OVERDISPERSION,
    NOT_PLOTTED,
    WINSORISE,
    Z_95,
    Counts,
    log_ratio,
)

if TYPE_CHECKING:
    from bias_audit.report.region_results import RegionAudit, RegionMetric

METHOD = (
    "Funnel plot (Spiegelhalter 2005, Statistics in Medicine 24:1185–1202): each "
    "organisation's relative likelihood on the log scale, with its Katz standard error as "
    "precision, against the pooled value (the ratio of the summed counts); control limits "
    "at 95% (z = 1.96) and 99.8% (z = 3.09). Over-dispersion: z-scores winsorised at 10%, "
    "φ = mean of their squares, tested as I·φ against χ² on I − 1 degrees of freedom; when "
    "p < 0.05 the limits widen by an additive random effect τ² (Spiegelhalter 2005, Qual Saf "
    "Health Care 14:347–351; the method of NHS England's SHMI). Organisations are listed "
    "alphabetically: this is not a league table."
)
TREND_METHOD = (
    "Trend: the pooled ratio each year with its Katz 95% interval; the test is an "
    "inverse-variance weighted regression of the log ratio on the year (fixed-effect "
    "meta-regression), which asks whether the gap between the groups changes."
)
NO_OUTSIDE = "none"
REASON_NO_ORGANISATION = "no organisation given: counted in the pooled figure, not plotted"


def _r(value: float | None, published: bool) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return sdc.publish_ratio(value) if published else float(value)


def _p(value: float | None, published: bool) -> float | None:
    if value is None:
        return None
    return sdc.publish_p(value) if published else float(value)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _limits(low: float | None, high: float | None) -> str:
    """Limits as "0.93–2.75", or "–" when there are none (the pooled row, a hidden count)."""
    return "–" if low is None or high is None else f"{low:.2f}–{high:.2f}"


def _p_text(p: float | None) -> str:
    if p is None:
        return "–"
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def region_rows(audit: RegionAudit) -> list[dict[str, Any]]:
    """One row per metric × unit (organisations alphabetically, then years, then pooled)."""
    published = audit.suppression
    rows: list[dict[str, Any]] = []
    for metric in audit.metrics:
        plot = audit.funnels.get(metric.key)
        points = {p.organisation: p for p in plot.points} if plot is not None else {}
        units = sorted(
            {u for (m, u, _c) in audit.counts if m == metric.key},
            key=lambda u: ({"organisation": 0, "year": 1, "pooled": 2}[u[0]], u[1].casefold()),
        )
        for kind, name in units:
            labels = {c: audit.counts[(metric.key, (kind, name), c)] for c in
                      ("n_ref", "k_ref", "n", "k")}  # fmt: skip
            row: dict[str, Any] = {
                "metric": metric.key,
                "name": metric.name,
                "kind": kind,
                "unit": name or "pooled",
                "reference": metric.reference,
                "focal": metric.focal,
                f"{metric.reference} entered": labels["n_ref"],
                f"{metric.reference} selected": labels["k_ref"],
                f"{metric.focal} entered": labels["n"],
                f"{metric.focal} selected": labels["k"],
                "reference_entered": labels["n_ref"],
                "reference_selected": labels["k_ref"],
                "focal_entered": labels["n"],
                "focal_selected": labels["k"],
                "ratio": None,
                "ci_low": None,
                "ci_high": None,
                "z": None,
                "limit_95_low": None,
                "limit_95_high": None,
                "limit_998_low": None,
                "limit_998_high": None,
                "position": "",
                "not_computable": "",
            }
            for key in list(row):
                if key.endswith((" entered", " selected")):
                    del row[key]
            hidden = [c for c, v in labels.items() if sdc.is_hidden(v)]
            if hidden:
                why = audit.hidden_reasons.get((metric.key, (kind, name), hidden[0]),
                                               sdc.REASON_SMALL)  # fmt: skip
                row["not_computable"] = f"hidden by disclosure control: {why}"
            else:
                counts = Counts(int(labels["k_ref"]), int(labels["n_ref"]),
                                int(labels["k"]), int(labels["n"]))  # fmt: skip
                value, se, reason = log_ratio(counts, reference=metric.reference,
                                              focal=metric.focal)  # fmt: skip
                row["not_computable"] = reason
                if value is not None:
                    row["ratio"] = _r(math.exp(value), published)
                    if se is not None:
                        row["ci_low"] = _r(math.exp(value - Z_95 * se), published)
                        row["ci_high"] = _r(math.exp(value + Z_95 * se), published)
            point = points.get(name) if kind == "organisation" else None
            if kind == "organisation" and name == NOT_GIVEN:
                row["position"] = NOT_PLOTTED
                row["not_computable"] = REASON_NO_ORGANISATION
            if point is not None:
                row["position"] = point.position
                if point.position == NOT_PLOTTED:
                    row["not_computable"] = row["not_computable"] or point.reason
                else:
                    row["z"] = _r(point.z, published)
                    row["limit_95_low"], row["limit_95_high"] = (
                        _r(v, published) for v in point.limits_95 or (None, None)
                    )
                    row["limit_998_low"], row["limit_998_high"] = (
                        _r(v, published) for v in point.limits_998 or (None, None)
                    )
            rows.append(row)
    return rows


def _dispersion_dict(audit: RegionAudit, key: str) -> dict[str, Any] | None:
    plot = audit.funnels.get(key)
    if plot is None:
        return None
    d = plot.dispersion
    published = audit.suppression
    return {
        "winsorised_at": WINSORISE,
        "phi": _r(d.phi, published),
        "chi2": _r(d.statistic, published),
        "degrees_of_freedom": d.degrees_of_freedom,
        "p_value": _p(d.p_value, published),
        "overdispersed": d.overdispersed,
        "adjustment": "additive random effects (tau²)" if d.overdispersed else "none",
        "tau2": None if not d.overdispersed else round(d.tau2, 4),
        "outside_99_8_unadjusted": list(audit.funnels[key].outside_998_unadjusted),  # type: ignore[union-attr]
        "note": d.note,
    }


def _trend_dict(audit: RegionAudit, key: str) -> dict[str, Any] | None:
    found = audit.trends.get(key)
    if found is None:
        return None
    published = audit.suppression
    return {
        "method": "inverse-variance weighted least squares of ln(ratio) on year",
        "years": [
            {
                "year": p.year,
                "ratio": _r(p.value, published),
                "ci_low": _r(p.ci_low, published),
                "ci_high": _r(p.ci_high, published),
                "not_computable": p.reason if p.ci_low is None else "",
            }
            for p in found.points
        ],
        "ratio_per_year": _r(found.ratio_per_year, published),
        "ci_low": _r(found.ci_low, published),
        "ci_high": _r(found.ci_high, published),
        "p_value": _p(found.p_value, published),
        "heterogeneity_q": _r(found.heterogeneity_q, published),
        "heterogeneity_p": _p(found.heterogeneity_p, published),
        "years_used": found.years_used,
        "not_computable": found.reason,
    }


def region_dict(audit: RegionAudit) -> dict[str, Any]:
    """The JSON contract of ``bias-audit region`` (documented in docs/region.md)."""
    published = audit.suppression
    rows = region_rows(audit)
    metrics = []
    for metric in audit.metrics:
        pooled = audit.pooled.get(metric.key, {})
        metrics.append(
            {
                "metric": metric.key,
                "name": metric.name,
                "reference": metric.reference,
                "focal": metric.focal,
                "direction": metric.direction,
                "pooled": {
                    "ratio": _r(pooled.get("value"), published),
                    "ci_low": _r(pooled.get("ci_low"), published),
                    "ci_high": _r(pooled.get("ci_high"), published),
                    "not_computable": pooled.get("reason", "")
                    or audit.funnel_reasons.get(metric.key, ""),
                },
                "outside_99_8": list(audit.outside(metric.key, "99.8")),
                "outside_95": list(audit.outside(metric.key, "95")),
                "dispersion": _dispersion_dict(audit, metric.key),
                "funnel_not_computable": audit.funnel_reasons.get(metric.key, "")
                if audit.funnels.get(metric.key) is None
                else "",
                "rows": [r for r in rows if r["metric"] == metric.key],
                "trend": _trend_dict(audit, metric.key),
                "trend_not_computable": audit.trend_reasons.get(metric.key, "")
                if audit.trends.get(metric.key) is None
                else "",
            }
        )
    return {
        "sources": list(audit.sources),
        "organisation_column": audit.organisation_column,
        "year_column": audit.year_column,
        "suppression": audit.suppression,
        "organisations": [
            {"label": label, "code": o.code, "name": o.name, "in_ods_list": o.known, "flag": o.flag}
            for label, o in sorted(audit.organisations.items(), key=lambda kv: kv[0].casefold())
        ],
        "years": list(audit.years),
        "method": METHOD,
        "trend_method": TREND_METHOD,
        "metrics": metrics,
        "notes": list(audit.notes),
        "warnings": list(audit.warnings),
    }


def _describe(names: list[str], rows: dict[str, dict[str, Any]]) -> str:
    if not names:
        return NO_OUTSIDE
    parts = []
    for name in names:
        row = rows.get(name, {})
        where = "above" if "above" in str(row.get("position")) else "below"
        parts.append(f"{name} ({_fmt(row.get('ratio'))}, {where})")
    return "; ".join(parts)


def metric_sentences(audit: RegionAudit, metric: RegionMetric) -> list[str]:
    """The headline sentences of one metric: pooled value, dispersion, who is outside."""
    data = region_dict(audit)
    entry = next(m for m in data["metrics"] if m["metric"] == metric.key)
    pooled = entry["pooled"]
    lines = []
    if pooled["ratio"] is None:
        why = pooled["not_computable"] or audit.funnel_reasons.get(metric.key) or "no counts"
        lines.append(f"Pooled: not computable ({why}).")
    else:
        lines.append(
            f"Pooled: {_fmt(pooled['ratio'])} (95% CI {_fmt(pooled['ci_low'])} to "
            f"{_fmt(pooled['ci_high'])}); {metric.direction}."
        )
    if entry["dispersion"] is None:
        lines.append(f"No funnel plot: {entry['funnel_not_computable']}.")
        return lines
    d = entry["dispersion"]
    if d["phi"] is None:
        lines.append(
            f"Over-dispersion not estimated: fewer than {MIN_FOR_OVERDISPERSION} "
            "organisations could be plotted."
        )
    elif d["overdispersed"]:
        lines.append(
            f"Over-dispersed: φ = {_fmt(d['phi'])} (z-scores winsorised at 10%), "
            f"χ²({d['degrees_of_freedom']}) = {_fmt(d['chi2'])}, {_p_text(d['p_value'])}; "
            f"the limits include a random effect (τ² = {d['tau2']}), so they are wider."
        )
        before = audit.funnels[metric.key].outside_998_unadjusted  # type: ignore[union-attr]
        lines.append(
            "Without the adjustment, outside the 99.8% limits: "
            + (", ".join(before) if before else NO_OUTSIDE)
            + "."
        )
    else:
        lines.append(
            f"Not over-dispersed: φ = {_fmt(d['phi'])} (z-scores winsorised at 10%), "
            f"χ²({d['degrees_of_freedom']}) = {_fmt(d['chi2'])}, {_p_text(d['p_value'])}; "
            "no adjustment."
        )
    by_org = {r["unit"]: r for r in entry["rows"] if r["kind"] == "organisation"}
    only_95 = [o for o in entry["outside_95"] if o not in entry["outside_99_8"]]
    lines.append(f"Outside the 99.8% limits: {_describe(entry['outside_99_8'], by_org)}.")
    lines.append(f"Outside the 95% limits only: {_describe(only_95, by_org)}.")
    missing = [r for r in by_org.values() if r["position"] == NOT_PLOTTED]
    if missing:
        lines.append(
            "Not plotted: "
            + "; ".join(f"{r['unit']} ({r['not_computable']})" for r in missing)
            + "."
        )
    return lines


def trend_sentence(audit: RegionAudit, metric: RegionMetric) -> str | None:
    found = _trend_dict(audit, metric.key)
    if found is None:
        return None
    years = "; ".join(
        f"{y['year']} {_fmt(y['ratio'])} ({_fmt(y['ci_low'])} to {_fmt(y['ci_high'])})"
        if y["ratio"] is not None and y["ci_low"] is not None
        else f"{y['year']} not computable ({y['not_computable']})"
        for y in found["years"]
    )
    if found["ratio_per_year"] is None:
        return f"By year: {years}. No trend test: {found['not_computable']}."
    verdict = (
        "a statistically significant trend"
        if (found["p_value"] or 1) < 0.05
        else ("no statistically significant trend")
    )
    text = (
        f"By year: {years}. Weighted trend: the ratio changes by a factor of "
        f"{_fmt(found['ratio_per_year'])} a year (95% CI {_fmt(found['ci_low'])} to "
        f"{_fmt(found['ci_high'])}), {_p_text(found['p_value'])}: {verdict}."
    )
    if found["heterogeneity_p"] is not None and found["heterogeneity_p"] < 0.05:
        text += " The years scatter more than chance allows, so this interval is too narrow."
    return text


def region_text(audit: RegionAudit) -> str:
    """The plain-text report of ``bias-audit region``."""
    out = []
    orgs = [o for o in audit.organisations if o != NOT_GIVEN]
    head = f"Region comparison: {len(orgs)} organisation(s)"
    if audit.organisation_column:
        head += f' (column "{audit.organisation_column}")'
    if audit.years:
        head += f", {len(audit.years)} year(s) ({', '.join(audit.years)})"
    out.append(head + ".")
    out.append(
        "Disclosure control is on." if audit.suppression else
        "Disclosure control is OFF (exact counts: for the analyst's own use only)."
    )  # fmt: skip
    rows = region_rows(audit)
    for metric in audit.metrics:
        out.append("")
        out.append(f"== {metric.name} ==")
        out.extend(metric_sentences(audit, metric))
        table = [r for r in rows if r["metric"] == metric.key and r["kind"] != "year"]
        if table:
            # As wide as the longest name: a name cut short loses its ODS code.
            width = max(len("Organisation"), *(len(str(r["unit"])) for r in table))
            out.append(
                f"{'Organisation':{width}} {metric.reference[:12]:>12} {'':>6} "
                f"{metric.focal[:12]:>12} {'':>6} {'Ratio':>6} {'95% limits':>13} "
                f"{'99.8% limits':>13}  Where"
            )
            out.append(f"{'':{width}} {'entered':>12} {'sel.':>6} {'entered':>12} {'sel.':>6}")
            for r in table:
                lim95 = _limits(r["limit_95_low"], r["limit_95_high"])
                lim998 = _limits(r["limit_998_low"], r["limit_998_high"])
                where = r["position"] or ("(target)" if r["kind"] == "pooled" else "")
                if r["not_computable"]:
                    where = f"{where}: {r['not_computable']}" if where else r["not_computable"]
                out.append(
                    f"{r['unit']!s:{width}} {r['reference_entered']!s:>12} "
                    f"{r['reference_selected']!s:>6} {r['focal_entered']!s:>12} "
                    f"{r['focal_selected']!s:>6} {_fmt(r['ratio']):>6} {lim95:>13} "
                    f"{lim998:>13}  {where}"
                )
        sentence = trend_sentence(audit, metric)
        if sentence:
            out.append(sentence)
    out.append("")
    out.append("Method: " + METHOD)
    if audit.years:
        out.append(TREND_METHOD)
    for note in audit.notes:
        out.append(f"Note: {note}")
    for warning in audit.warnings:
        out.append(f"Warning: {warning}")
    return "\n".join(out) + "\n"
