"""Look at an extract's bytes before trusting them: kind, encoding, separator, header row.

Recruitment extracts arrive as Excel's "CSV (Comma delimited)" (cp1252 on Windows), "CSV
UTF-8" (with a byte-order mark), semicolon- or tab-separated text, or XLSX (or ODS)
workbooks with report title lines above the header (``research/ecosystem.md`` §6.5).
Anything else — a binary file named .csv, a workbook that is not a zip, a
password-protected or legacy .xls, a zip or XML bomb — is refused here with a message that
names the file. Opening the file (missing, folder, size, empty) and the wording of every
refusal the advert reader shares are in :mod:`bias_audit.io.source`; the archive,
Office-magic and encoding checks in :mod:`bias_audit.io.safety`.

Nothing is written to disk: bytes stay in memory and paths are read in place.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import python_calamine

from bias_audit.errors import InputDataError
from bias_audit.io import safety
from bias_audit.io.columns import header_score
from bias_audit.io.parquet import (
    PARQUET,
    PARQUET_MAGIC,
    PARQUET_SUFFIXES,
    parquet_table,
    read_parquet_columns,
)
from bias_audit.io.safety import Encoding
from bias_audit.io.source import (
    MSG_BAD_ENCODING,
    MSG_MISLABELLED,
    MSG_NOT_TEXT,
    MSG_OLE2,
    NOTE_MISLABELLED,
    FileKind,
    Source,
    archive_refusal,
    not_text,
)

DEFAULT_MAX_BYTES = 250 * 1024 * 1024
EXTRACT_FILE = FileKind(
    what="a recruitment extract",
    application="Excel",
    old_format=".xls (Excel 97–2003)",
    save_as='an .xlsx workbook or "CSV UTF-8"',
    smaller="Export a shorter period or fewer columns",
    unnamed="uploaded file",
    max_bytes=DEFAULT_MAX_BYTES,
    size_option="--max-size",
)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
WORKBOOK = "an Excel workbook"
# A workbook may expand this many times over the size limit (XLSX text compresses ~10x).
ZIP_MAX_EXPANSION = 8
ZIP_MAX_RATIO = 200
ZIP_MAX_ENTRIES = 10_000
HEADER_SEARCH_ROWS = 30
SNIFF_BYTES = 64 * 1024

MSG_BAD_WORKBOOK = "{file}: the workbook could not be read ({error}). Re-save it from Excel."
MSG_NO_SHEET = "{file}: there is no sheet {sheet!r}. The sheets are: {sheets}."
MSG_SEVERAL_SHEETS = (
    "{file}: more than one sheet could hold the {rows} ({sheets}). Say which one "
    'with --sheet, e.g. --sheet "{first}".'
)
MSG_NO_HEADER = (
    "{file}: no header row found in the first {rows} rows (the file seems to hold no "
    "table). Check it opens as a table in Excel."
)
MSG_HEADER_ONLY = (
    "{file}: the file has a header row but no data rows. Export the {rows}, not just the "
    "column names."
)
MSG_PARSE = "{file}: the CSV could not be read: {error}. Check the row named, or re-save it."

NOTE_ENCODING = "Read as {kind} text in {encoding}{extra}, separator {separator}."
NOTE_WORKBOOK = 'Read sheet "{sheet}" of the workbook{extra}.'
NOTE_SHEETS_SKIPPED = " (the other sheets hold no table of {rows}: {skipped})"
NOTE_HEADER_ROW = "The header is on row {row}; the {skipped} line(s) above it were skipped."

_SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass
class Sniffed:
    """What kind of file this is and how to decode it."""

    kind: Literal["csv", "xlsx", "parquet"]
    encoding: Encoding = "utf-8"
    bom: bool = False
    separator: str = ","
    notes: list[str] = field(default_factory=list)


def sniff(
    src: Source, *, max_bytes: int = DEFAULT_MAX_BYTES, encoding_sample: int | None = None
) -> Sniffed:
    """Decide workbook or text; refuse junk; find the text encoding.

    The encoding is found from the whole file, or from its first ``encoding_sample`` bytes
    (whole lines) when the caller checks the rest itself (DuckDB refuses bytes that are not
    UTF-8, and the reader then looks again at the whole file).

    Examples
    --------
    >>> from bias_audit.io.source import open_source
    >>> data = "Ethnicity;Status\\nA;Appointed – started\\n".encode("cp1252")
    >>> sniff(open_source(data, name="a.csv", kind=EXTRACT_FILE)).encoding
    'cp1252'
    """
    head = src.head(SNIFF_BYTES)
    if safety.is_ole2(head):
        raise src.refusal(MSG_OLE2)
    if head.startswith(safety.ZIP_MAGIC):
        _check_workbook_zip(src, max_bytes=max_bytes)
        sniffed = Sniffed("xlsx")
        if src.suffix not in WORKBOOK_SUFFIXES:
            sniffed.notes.append(
                NOTE_MISLABELLED.format(file=src.name, found=WORKBOOK, proper=".xlsx")
            )
        return sniffed
    if head.startswith(PARQUET_MAGIC):
        sniffed = Sniffed("parquet")
        if src.suffix not in PARQUET_SUFFIXES:
            sniffed.notes.append(
                NOTE_MISLABELLED.format(file=src.name, found=PARQUET, proper=".parquet")
            )
        return sniffed
    if src.suffix in PARQUET_SUFFIXES:
        why = "it is plain text" if safety.looks_like_text(head) else "it does not start with PAR1"
        raise src.refusal(MSG_MISLABELLED, suffix=src.suffix, expected=PARQUET, why=why)
    if src.suffix in (*WORKBOOK_SUFFIXES, ".xls"):
        why = "it is plain text" if safety.looks_like_text(head) else "it is not a zip container"
        raise _not_workbook(src, why)
    found = not_text(head[:8192])
    if found is not None:
        raise src.refusal(MSG_NOT_TEXT, found=found)
    blocks = src.chunks
    if encoding_sample is not None and src.size > encoding_sample:
        sample = src.head(encoding_sample)
        sample = sample[: sample.rfind(b"\n") + 1] or sample
        blocks = lambda: [sample]  # noqa: E731
    encoding, bom = safety.detect_encoding(blocks)
    return Sniffed("csv", encoding, bom=bom)


def _not_workbook(src: Source, why: str) -> InputDataError:
    return src.refusal(MSG_MISLABELLED, suffix=src.suffix or "''", expected=WORKBOOK, why=why)


def _check_workbook_zip(src: Source, *, max_bytes: int) -> None:
    """Refuse a zip that is not a workbook, or whose central directory promises a bomb.

    The declared sizes are checked before anything is decompressed
    (:func:`bias_audit.io.safety.check_zip`).
    """
    limits = safety.ZipLimits(
        ZIP_MAX_ENTRIES, ZIP_MAX_EXPANSION * max_bytes, ZIP_MAX_RATIO, ratio_floor=50 * 2**20
    )
    try:
        with src.open() as handle:
            infos = safety.check_zip(handle, limits=limits)
            mimetype = next((i for i in infos if i.filename == "mimetype"), None)
            # An OpenDocument file names its kind in a tiny first entry.
            is_ods = False
            if mimetype is not None and mimetype.file_size < 200:
                with zipfile.ZipFile(handle) as archive:
                    is_ods = archive.read(mimetype).strip() == ODS_MIMETYPE
    except safety.UnsafeFile as refusal:
        shared = archive_refusal(refusal, file=src.name, kind=src.kind)
        if shared is not None:
            raise shared from None
        if refusal.problem == "damaged":
            raise src.refusal(MSG_BAD_WORKBOOK, error=refusal.why) from None
        raise _not_workbook(src, refusal.why) from None
    except Exception as err:  # reading the mimetype entry: zlib or zipfile errors
        raise _not_workbook(src, str(err)) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names and not is_ods:
        raise _not_workbook(src, "a zip without xl/workbook.xml")


def _csv_sample_rows(src: Source, sniffed: Sniffed) -> list[list[str]]:
    head = src.head(SNIFF_BYTES)
    if len(head) < src.size:
        head = head[: head.rfind(b"\n") + 1] or head
    text = head.decode(sniffed.encoding, errors="replace")
    # Old Mac exports end lines with a bare CR; the csv module wants them split first.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    sniffed.separator = _sniff_separator(text)
    return list(csv.reader(io.StringIO(text), delimiter=sniffed.separator))


def _sniff_separator(text: str) -> str:
    """The separator that splits the most rows into the same number (≥ 2) of fields."""
    lines = text.splitlines()[:200]
    best, best_score = ",", (0, 0)
    for sep in (",", ";", "\t", "|"):
        widths = [len(row) for row in csv.reader(lines, delimiter=sep) if len(row) > 1]
        if not widths:
            continue
        values, counts = np.unique(widths, return_counts=True)
        score = (int(counts.max()), int(values[counts.argmax()]))
        if score > best_score:
            best, best_score = sep, score
    return best


def find_header_row(rows: Sequence[Sequence[object]], *, file: str) -> int:
    """Index of the header row: the first row with the most recognisable headers.

    When no row has a recognisable header, the first row with at least two filled cells is
    used (detection will then say which role is missing).
    """
    best, best_score = None, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        # A one-cell line is a title ("Ethnicity monitoring report"), not a header.
        if sum(1 for cell in row if _cell_text(cell).strip()) < 2:
            continue
        score = header_score(row)
        if score > best_score:
            best, best_score = i, score
    if best is not None:
        return best
    for wanted in (2, 1):
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if sum(1 for cell in row if _cell_text(cell).strip()) >= wanted:
                return i
    raise InputDataError(MSG_NO_HEADER.format(file=file, rows=HEADER_SEARCH_ROWS))


def unique_headers(cells: Sequence[object]) -> list[str]:
    """Header texts, blanks named "Unnamed: i" and repeats suffixed ".1", ".2" (as pandas)."""
    result: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        text = _cell_text(cell).strip() or f"Unnamed: {i}"
        if text in seen:
            seen[text] += 1
            text = f"{text}.{seen[text]}"
        seen.setdefault(text, 0)
        result.append(text)
    return result


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person would see (dates as ISO, 99.0 as 99)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()[:10]
    return str(value)


@dataclass
class Table:
    """A header row found, sample rows under it, and a way to read chosen columns."""

    headers: list[str]
    header_row: int
    sample: list[list[str]]
    sniffed: Sniffed
    sheet_frame: pd.DataFrame | None = None
    sheet_name: str | None = None
    sheets_skipped: tuple[str, ...] = ()


def open_table(src: Source, sniffed: Sniffed, *, sheet: str | int | None = None) -> Table:
    """Find the header row (under any title lines) of a CSV or a workbook sheet."""
    if sniffed.kind == "parquet":
        return parquet_table(src, sniffed)
    if sniffed.kind == "xlsx":
        frame, sheet_name, skipped = _read_sheet(src, sheet)
        rows = [
            [_cell_text(v) for v in row]
            for row in frame.head(HEADER_SEARCH_ROWS + 20).itertuples(index=False)
        ]
    else:
        rows = _csv_sample_rows(src, sniffed)
        frame, sheet_name, skipped = None, None, ()
    header_row = find_header_row(rows, file=src.name)
    headers = unique_headers(rows[header_row])
    return Table(
        headers,
        header_row,
        [list(r) for r in rows[header_row + 1 :]],
        sniffed,
        frame,
        sheet_name,
        skipped,
    )


def _read_sheet(src: Source, sheet: str | int | None) -> tuple[pd.DataFrame, str, tuple[str, ...]]:
    try:
        with src.open() as handle:
            book = python_calamine.CalamineWorkbook.from_filelike(handle)
            names = [str(n) for n in book.sheet_names]
            loaded: dict[str, object] = {}  # parsing a sheet is the slow part: once each
            if sheet is None:
                chosen = _find_data_sheet(
                    book, names, file=src.name, rows=src.kind.rows, loaded=loaded
                )
            elif isinstance(sheet, int):
                chosen = names[sheet] if -len(names) <= sheet < len(names) else None
            else:
                chosen = next((n for n in names if n == sheet), None) or next(
                    (n for n in names if n.strip().lower() == str(sheet).strip().lower()), None
                )
            if chosen is None:
                raise InputDataError(
                    MSG_NO_SHEET.format(
                        file=src.name, sheet=sheet, sheets=", ".join(repr(n) for n in names)
                    )
                )
            found = loaded.get(chosen) or book.get_sheet_by_name(chosen)
            rows = found.to_python()
    except InputDataError:
        raise
    except Exception as err:  # calamine reports many shapes of broken workbook
        raise InputDataError(MSG_BAD_WORKBOOK.format(file=src.name, error=err)) from None
    skipped = tuple(n for n in names if n != chosen) if sheet is None else ()
    return pd.DataFrame(rows, dtype=object), chosen, skipped


class SeveralSheetsError(InputDataError):
    """More than one sheet could hold the applications; ``sheets`` names them (for a
    picker), in workbook order."""

    def __init__(self, message: str, *, sheets: tuple[str, ...]) -> None:
        super().__init__(message)
        self.sheets = sheets


# A sheet "could be the data" when its best header row names at least this many known
# columns (ethnicity, outcome, …) and has a row under it: a cover sheet's "Status: Final"
# names one.
DATA_SHEET_MIN_HEADERS = 2


def _sheet_score(rows: Sequence[Sequence[object]]) -> tuple[int, bool]:
    """(known headers in the best header row, whether a filled row follows it)."""
    best, best_at = 0, -1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for cell in row if _cell_text(cell).strip()) < 2:
            continue
        score = header_score(row)
        if score > best:
            best, best_at = score, i
    body = rows[best_at + 1 :] if best_at >= 0 else []
    return best, any(any(_cell_text(c).strip() for c in row) for row in body)


def _find_data_sheet(book, names: list[str], *, file: str, rows: str, loaded: dict) -> str | None:
    """The one sheet holding the data; cover and notes sheets are skipped.

    When several sheets could be the data (say, the applications and a summary table),
    the user is asked to choose with --sheet, so nothing is analysed by accident.
    """
    if len(names) == 1:
        return names[0]
    scores = {}
    for name in names:
        loaded[name] = book.get_sheet_by_name(name)
        scores[name] = _sheet_score(loaded[name].to_python(nrows=HEADER_SEARCH_ROWS + 20))
    candidates = [n for n in names if scores[n][0] >= DATA_SHEET_MIN_HEADERS and scores[n][1]]
    if len(candidates) > 1:
        raise SeveralSheetsError(
            MSG_SEVERAL_SHEETS.format(
                file=file,
                rows=rows,
                sheets=", ".join(f'"{n}"' for n in candidates),
                first=candidates[0],
            ),
            sheets=tuple(candidates),
        )
    if candidates:
        return candidates[0]
    # No sheet looks like a table of applications: the first with any known header, so
    # that column detection names what is missing.
    return next((n for n in names if scores[n][0]), names[0] if names else None)


def read_columns(
    src: Source,
    table: Table,
    headers: Sequence[str],
    *,
    numeric: Sequence[str] = (),
    raw: Sequence[str] = (),
) -> pd.DataFrame:
    """Read only the named columns: text as categoricals, ``numeric`` as numbers.

    ``raw`` columns (ids: many distinct values) keep pandas' own type, which is far cheaper
    than a categorical with one category per row. Blank text cells read as "" (never NaN),
    so blank is an explicit category.
    """
    if table.sniffed.kind == "parquet":
        return read_parquet_columns(src, table, headers, numeric=numeric, raw=raw)
    positions = sorted(table.headers.index(h) for h in headers)
    names = [table.headers[p] for p in positions]
    if table.sheet_frame is not None:
        body = table.sheet_frame.iloc[table.header_row + 1 :, positions]
        body.columns = names
        frame = pd.DataFrame(
            {
                name: _sheet_column(body[name], numeric=name in numeric, raw=name in raw)
                for name in names
            }
        )
    else:
        whole_file_sampled = src.size <= SNIFF_BYTES
        if whole_file_sampled and not any(str(c).strip() for row in table.sample for c in row):
            raise InputDataError(MSG_HEADER_ONLY.format(file=src.name, rows=src.kind.rows))
        dtypes = {
            p: "category"
            for p, n in zip(positions, names, strict=True)
            if n not in numeric and n not in raw
        }
        try:
            with src.open() as handle:
                frame = pd.read_csv(
                    handle,
                    sep=table.sniffed.separator,
                    encoding=table.sniffed.encoding,
                    skiprows=table.header_row,
                    header=0,
                    usecols=positions,
                    dtype=dtypes,
                    na_filter=False,
                    skip_blank_lines=False,
                    engine="c",
                    encoding_errors="strict",
                )
        except UnicodeDecodeError as err:
            raise src.refusal(MSG_BAD_ENCODING, why=f"{err.encoding}: {err.reason}") from None
        except (pd.errors.ParserError, ValueError, IndexError) as err:
            message = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise InputDataError(MSG_PARSE.format(file=src.name, error=message)) from None
        frame.columns = names
    if len(frame) == 0:
        raise InputDataError(MSG_HEADER_ONLY.format(file=src.name, rows=src.kind.rows))
    return frame


def _sheet_column(values: pd.Series, *, numeric: bool, raw: bool) -> pd.Series:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = np.array([_cell_text(u) for u in uniques] + [""], dtype=object)
    cells = texts[codes]
    if numeric:
        return pd.Series(pd.to_numeric(pd.Series(cells), errors="coerce").to_numpy())
    if raw:
        return pd.Series(cells, dtype=object)
    return pd.Series(pd.Categorical(cells))


def describe_reading(src: Source, table: Table) -> list[str]:
    """Neutral notes on how the file was read (encoding, separator, sheet, header row)."""
    notes = list(table.sniffed.notes)
    if table.sniffed.kind == "xlsx":
        extra = ""
        if table.sheets_skipped:
            extra = NOTE_SHEETS_SKIPPED.format(
                rows=src.kind.rows,
                skipped=", ".join(f'"{n}"' for n in table.sheets_skipped),
            )
        notes.append(NOTE_WORKBOOK.format(sheet=table.sheet_name, extra=extra))
    elif table.sniffed.kind == "csv":
        encoding = table.sniffed.encoding
        extra = " with a byte-order mark" if table.sniffed.bom else ""
        notes.append(
            NOTE_ENCODING.format(
                kind="CSV",
                encoding=encoding,
                extra=extra,
                separator=_SEPARATOR_NAMES.get(table.sniffed.separator, table.sniffed.separator),
            )
        )
    if table.header_row > 0:
        notes.append(NOTE_HEADER_ROW.format(row=table.header_row + 1, skipped=table.header_row))
    return notes
