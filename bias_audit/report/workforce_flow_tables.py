"""Retention tables as published, for :mod:`bias_audit.report.workforce_flow`: the flat
per-group rows, the survival curves (whole months only, each point published as a count)
and the log-rank tests (withheld when a group in the comparison is hidden).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from bias_audit.report import suppression as sdc
from bias_audit.report.workforce_flow_publication import Shown, published_survival
from bias_audit.stats import retention
from bias_audit.stats.comparisons import none_for_nan

CURVE_COLUMNS = ("attribute", "group", "month", "survival", "ci_low", "ci_high", "at_risk")


def flat_rows(rows: list[dict[str, Any]], horizons: Sequence[int]) -> pd.DataFrame:
    flat = []
    for row in rows:
        out = {k: v for k, v in row.items() if not k.startswith("at_")}
        for m in horizons:
            for name, value in row[f"at_{m}_months"].items():
                out[f"{name}_{m}m"] = value
        flat.append(out)
    return pd.DataFrame(flat)


def published_curves(
    kept: retention.Retention,
    hidden: set,
    shown: Shown,
    starters: Mapping[tuple[str, str], tuple[int, sdc.Label]],
) -> pd.DataFrame:
    parts = []
    for (view, group), curve in kept.curves.items():
        if curve.empty or (shown.published and (view, group) in hidden):
            continue
        if shown.published:
            # Whole months only (no single leaving date shows); each point as a count
            # (published_survival); at-risk rounded to 5.
            monthly = kept.monthly[(view, group)]
            started, label = starters[(view, group)]
            points = [
                published_survival(sv, lo, hi, started, label)
                for sv, lo, hi in zip(
                    monthly["survival"], monthly["ci_low"], monthly["ci_high"], strict=True
                )
            ]
            frame = pd.DataFrame(
                {
                    "month": monthly["month"],
                    "survival": [p[0] for p in points],
                    "ci_low": [p[1] for p in points],
                    "ci_high": [p[2] for p in points],
                    "at_risk": [sdc.round_count(v) for v in monthly["at_risk"]],
                }
            )
            frame = frame[frame["survival"].notna()]
        else:
            frame = curve.rename(columns={"months": "month"}).drop(columns="days")
        frame.insert(0, "group", group)
        frame.insert(0, "attribute", view)
        parts.append(frame)
    if not parts:
        return pd.DataFrame(columns=list(CURVE_COLUMNS))
    out = pd.concat(parts, ignore_index=True)[list(CURVE_COLUMNS)]
    for column in ("ci_low", "ci_high"):
        out[column] = none_for_nan(out[column])
    return out


def published_tests(tests: list[dict[str, Any]], hidden: set, shown: Shown) -> list[dict[str, Any]]:
    out = []
    for t in tests:
        row = dict(t)
        if shown.published and any((t["attribute"], g) in hidden for g in t["groups"]):
            row.update(chi2=None, df=None, p_value=None)
            row["reason"] = "a group in this comparison is hidden by disclosure control"
        elif shown.published and row["p_value"] is not None:
            row["chi2"] = round(row["chi2"], 1)
            row["p_value"] = sdc.publish_p(row["p_value"])
        out.append(row)
    return out
