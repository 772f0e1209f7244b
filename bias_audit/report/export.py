"""Safe CSV and XLSX exports, used by the CLI and the app alike.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a leading tab or carriage return) as a formula, so a crafted group label or file name could
run when an EDI lead opens the export ("CSV injection", OWASP). Every text cell that starts
with one of those characters is prefixed with an apostrophe, which spreadsheets show as
plain text. Numbers are left alone (−0.5 stays a number).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from bias_audit.stats.results import RecruitmentAudit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_SHEET_NAME_MAX = 31
BAD_SHEET_NAME = "sheet name {name!r} is empty or too long for Excel (at most 31 characters)"


def neutralise_formula(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet; other values are returned unchanged.

    Examples
    --------
    >>> neutralise_formula("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_formula("White - British"), neutralise_formula(-3)
    ('White - British', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised."""
    out = frame.copy()
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_formula).astype(object)
    return out


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel shows "≤7" and "×" correctly), formula-safe.

    >>> frame_to_csv(pd.DataFrame({"group": ["@SUM(A1)"], "n": [5]})).decode("utf-8-sig")
    "group,n\\n'@SUM(A1),5\\n"
    """
    return safe_frame(frame).to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def frames_to_xlsx(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One workbook with a sheet per table, formula-safe.

    Parameters
    ----------
    sheets
        Sheet name (≤ 31 characters) -> table.

    Returns
    -------
    bytes
        The ``.xlsx`` file.
    """
    from bias_audit.errors import OptionError

    for name in sheets:
        if not name or len(name) > XLSX_SHEET_NAME_MAX:
            raise OptionError(BAD_SHEET_NAME.format(name=name))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def _indicator_rows(audit: RecruitmentAudit) -> pd.DataFrame:
    rows = []
    for indicator in (audit.wres_indicator_2, audit.wdes_metric_2):
        reference, focal = indicator["reference"], indicator["focal"]
        rows.append(
            {
                "indicator": indicator["name"],
                "value": indicator["value"],
                "ci_low": indicator["ci_low"],
                "ci_high": indicator["ci_high"],
                "p_value": indicator["p_value"],
                "reference_group": reference,
                "reference_shortlisted": indicator[reference]["shortlisted"],
                "reference_appointed": indicator[reference]["appointed"],
                "focal_group": focal,
                "focal_shortlisted": indicator[focal]["shortlisted"],
                "focal_appointed": indicator[focal]["appointed"],
                "not_stated_excluded": indicator["not_stated_excluded"],
                "declined_offers_excluded": indicator.get("declined_offers_excluded"),
                "direction": indicator["direction"],
                "sentence": indicator["sentence"],
            }
        )
    return pd.DataFrame(rows)


def recruitment_tables(audit: RecruitmentAudit) -> dict[str, pd.DataFrame]:
    """The audit's tables for CSV / XLSX export, already suppressed if suppression is on.

    Returns
    -------
    dict
        ``transitions``, ``stage_counts``, ``indicators``, ``warnings`` and, when stratified,
        ``stratified``; ``guaranteed_interview`` when the extract has the Disability
        Confident flag.
    """
    tables = {
        "transitions": audit.transitions,
        "stage_counts": audit.stage_counts,
        "indicators": _indicator_rows(audit),
        "warnings": pd.DataFrame({"warning": [*audit.warnings, *audit.notes]}),
    }
    if audit.stratified is not None:
        tables["stratified"] = audit.stratified
    scheme = guaranteed_interview_frame(audit)
    if scheme is not None:
        tables["guaranteed_interview"] = scheme
    return tables


def guaranteed_interview_frame(audit: RecruitmentAudit) -> pd.DataFrame | None:
    """The Disability Confident guaranteed interview row with its sentence, counts as
    published ("≤7", "*", rounded); ``None`` when the extract has no scheme flag."""
    from bias_audit.report.recruitment_text import guaranteed_interview_sentence

    table = audit.guaranteed_interview
    if table is None:
        return None
    table = table.copy()
    table["sentence"] = guaranteed_interview_sentence(table)
    return table
