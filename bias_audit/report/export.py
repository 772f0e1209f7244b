"""Safe CSV exports and download file names, used by the CLI and the app alike.

The recruitment workbook is built in :mod:`bias_audit.report.workbook`.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a leading tab or carriage return) as a formula, so a crafted group label or file name could
run when an EDI lead opens the export ("CSV injection", OWASP). Every text cell that starts
with one of those characters is prefixed with an apostrophe, which spreadsheets show as
plain text. Numbers are left alone (−0.5 stays a number).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from bias_audit.stats.results import RecruitmentAudit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DOWNLOAD_PREFIX = "bias-audit"
# Part of a file name kept from the source's: letters and digits of any script, "-", ".".
_NAME_UNSAFE = re.compile(r"(?:[^\w.-]|_)+")
SOURCE_STEM_MAX = 60
UNNAMED_SOURCE = "extract"


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


def source_stem(source: object) -> str:
    r"""The part of a download name that comes from the source file's name, made safe.

    The folder part and the extension are dropped (both ``/`` and ``\`` count as folder
    separators, whichever system made the name), letters and digits of every script are
    kept (NFC), every run of anything else becomes one ``-``, and the result is cut to
    ``SOURCE_STEM_MAX`` characters; ``UNNAMED_SOURCE`` when nothing is left.

    Examples
    --------
    >>> source_stem("C:\\exports\\Q3 2026 (TRAC).csv")
    'Q3-2026-TRAC'
    >>> source_stem("../../etc/passwd"), source_stem("Données été.xlsx"), source_stem(None)
    ('passwd', 'Données-été', 'extract')
    """
    name = "" if source is None else unicodedata.normalize("NFC", str(source))
    name = re.split(r"[/\\]", name)[-1]
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and 1 <= len(suffix) <= 5 and suffix.isalnum():
        name = stem
    name = _NAME_UNSAFE.sub("-", name).strip("-.")
    name = name[:SOURCE_STEM_MAX].rstrip("-.")
    return name or UNNAMED_SOURCE


def download_name(kind: str, source: object, *, extension: str, on: dt.date | None = None) -> str:
    """``bias-audit_<kind>_<source stem>_<date>.<extension>`` for a download or an output file.

    Parameters
    ----------
    kind
        What the file holds: ``"recruitment"``, ``"adverts"``, ``"report"``.
    source
        The source file's name as the user gave it (any path, any script), or ``None``.
    extension
        Without the dot: ``"xlsx"``, ``"html"``, ``"csv"``.
    on
        The date in the name (default: today, UTC).

    Examples
    --------
    >>> download_name("recruitment", "uploads/TRAC export.csv", extension="xlsx",
    ...               on=dt.date(2026, 12, 7))
    'bias-audit_recruitment_TRAC-export_2026-12-07.xlsx'
    """
    on = dt.datetime.now(dt.UTC).date() if on is None else on
    return f"{DOWNLOAD_PREFIX}_{kind}_{source_stem(source)}_{on:%Y-%m-%d}.{extension}"


# Output format -> file extension, for names made by :func:`output_path`.
EXTENSIONS = {"text": "txt", "json": "json", "csv": "csv", "xlsx": "xlsx", "html": "html"}


def output_path(out: Path, kind: str, source: object, *, output_format: str) -> Path:
    """Where the CLI writes: ``out`` itself, or, when ``out`` is a folder, the
    :func:`download_name` for this source and today's date inside it.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> output_path(folder, "recruitment", "a b.csv", output_format="xlsx").name.startswith(
    ...     "bias-audit_recruitment_a-b_")
    True
    >>> output_path(folder / "mine.xlsx", "recruitment", "a.csv", output_format="xlsx").name
    'mine.xlsx'
    """
    if not out.is_dir():
        return out
    extension = EXTENSIONS.get(output_format, output_format)
    return out / download_name(kind, source, extension=extension)
