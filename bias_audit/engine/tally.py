"""The one counting expression every engine runs: distinct combinations of raw values.

The reader has already chosen the columns on a sample (header + first rows, through the
in-memory machinery of :mod:`bias_audit.io.extract`). Here the engine computes, out of core::

    SELECT <chosen columns as text>, COUNT(*) AS n GROUP BY <chosen columns>

— the distinct combinations of raw values with how many rows hold each (a few hundred or
thousand, however many rows). That small table goes back to the pandas layout code with
``n`` as row weights, so codes, vocabularies, exclusions, warnings and notes are exactly
those of the in-memory reader.

Two columns would make the combinations many, and are handled in the engine:

- per-stage **date** columns: any value that starts like a date (``12/03/2024``,
  ``2024-03-12 09:30``) is replaced by one stand-in date. Such a value always reads as
  "stage reached" (:func:`bias_audit.io.stages.flag_reached`: its key starts with digits,
  is never blank and never "no"/"not …"), so nothing the reader sees changes;
- the **id** column is left out of the combinations; repeated ids (rows minus distinct
  ids) are counted over the same rows the in-memory reader checks (not blank, not a total
  row). In DuckDB that happens in the same scan as the combinations (two grouping sets of
  one GROUP BY); a second query is needed only when some combination is a blank or a total
  row, and in Spark.

Empty lines, which both engines skip but pandas reads as blank rows, are counted from the
bytes and added back as one all-blank combination.

>>> DATE_LIKE
'^\\\\s*[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bias_audit.engine.backends import column_name, open_engine, parse_error
from bias_audit.errors import BiasAuditError
from bias_audit.io.cells import TOTAL_KEYS, special_rows
from bias_audit.io.stages import stage_key

if TYPE_CHECKING:
    import ibis

    from bias_audit.io.files import Table
    from bias_audit.io.source import Source

DATE_LIKE = r"^\s*[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}"
DATE_STANDIN = "0001-01-01"
WEIGHT = "__rows__"
ID = "__id__"
SCAN_BLOCK_BYTES = 16 * 2**20


def text_of(column: ibis.Value, *, typed: bool) -> ibis.Value:
    """A column as the text the in-memory reader sees (blank for null).

    CSV columns are text already. Parquet columns follow the spreadsheet reader's rule
    (:func:`bias_audit.io.files._cell_text`): whole floats without ".0", dates and
    timestamps as ISO dates, booleans as "True"/"False".
    """
    import ibis

    if not typed:
        return column.fill_null("")
    dtype = column.type()
    if dtype.is_string():
        text = column
    elif dtype.is_boolean():
        text = ibis.ifelse(column, "True", "False")
    elif dtype.is_floating():
        whole = column.cast("int64").cast("string")
        text = ibis.ifelse(
            column.isnan(), "", ibis.ifelse(column == column.floor(), whole, column.cast("string"))
        )
    elif dtype.is_timestamp():
        text = column.date().cast("string")
    else:
        text = column.cast("string")
    return text.fill_null("")


def _flag_text(text: ibis.Value) -> ibis.Value:
    import ibis

    return ibis.ifelse(text.re_search(DATE_LIKE), DATE_STANDIN, text)


class EngineCount:
    """An extract opened in an engine, counted by the shared expressions, then closed.

    >>> EngineCount.__init__.__doc__.split(".")[0]
    'Open the extract in ``engine`` (nothing is read yet)'
    """

    def __init__(self, engine: str, src: Source, table: Table, *, spark_master: str) -> None:
        """Open the extract in ``engine`` (nothing is read yet)."""
        self.engine, self.src, self.table, self.spark_master = engine, src, table, spark_master
        self.opened = open_engine(engine, src, table, spark_master=spark_master)
        self.texts: dict[str, ibis.Value] = {}
        self.seen = 0
        self.id_header: str | None = None
        # (rows with an id, distinct ids), when counted in the combinations' scan
        self.ids_counted: tuple[int, int] | None = None

    def __enter__(self) -> EngineCount:
        return self

    def __exit__(self, *exc: object) -> None:
        self.opened.close()

    def _text(self, header: str, *, flag: bool = False) -> ibis.Value:
        column = self.opened.table[column_name(self.table.headers.index(header))]
        text = text_of(column, typed=self.opened.typed)
        return _flag_text(text) if flag else text

    def combinations(
        self, headers: Sequence[str], *, flags: Sequence[str] = (), id_header: str | None = None
    ) -> tuple[pd.DataFrame, np.ndarray]:
        """The distinct combinations of ``headers`` (as categoricals) and their rows.

        ``flags`` are per-stage yes/no or date columns: dates are folded to one stand-in.
        Given ``id_header``, DuckDB also counts the rows with an id and their distinct ids
        in the same scan (see :meth:`repeated_ids`).
        """
        self.id_header = id_header
        try:
            return self._combinations(headers, flags)
        except BiasAuditError:
            raise
        except Exception as err:
            text = str(err)
            parallel = "parallel=false" not in text.replace(" ", "")
            not_utf8 = "not utf-8 encoded" in text and self.table.sniffed.encoding == "utf-8"
            if self.engine != "duckdb" or (parallel and not not_utf8):
                raise parse_error(self.src.name, err) from None
        self.opened.close()
        if not_utf8:
            # Found from the first lines only: look at the whole file (cp1252 further down
            # is re-encoded into a UTF-8 copy).
            from bias_audit.io.files import sniff

            self.table.sniffed.encoding = sniff(self.src).encoding
        # A quoted field spans lines: DuckDB reads such a CSV in one thread.
        self.opened = open_engine(
            self.engine, self.src, self.table, spark_master=self.spark_master, parallel=parallel
        )
        try:
            return self._combinations(headers, flags)
        except BiasAuditError:
            raise
        except Exception as err:
            raise parse_error(self.src.name, err) from None

    def _combinations(
        self, headers: Sequence[str], flags: Sequence[str]
    ) -> tuple[pd.DataFrame, np.ndarray]:
        import ibis

        names = {h: f"g{i}" for i, h in enumerate(headers)}
        self.texts = {h: self._text(h, flag=h in flags) for h in headers}
        columns = {names[h]: self.texts[h] for h in headers}
        self.ids_counted = None
        if self.engine == "duckdb" and self.id_header is not None and headers:
            selected = self.opened.table.select(**columns, **{ID: self._ids_text()})
            grouped = self._with_ids(selected, list(names.values()))
        else:
            grouped = (
                self.opened.table.select(**columns)
                .group_by(list(names.values()))
                .aggregate(**{WEIGHT: ibis._.count()})
                .to_pandas()
            )
        self.seen = len(grouped)  # combinations the engine saw (before empty lines)
        if not self.opened.typed:
            blank_lines = count_empty_lines(
                self.opened.path, self.table.header_row, rows=int(grouped[WEIGHT].sum())
            )
            if blank_lines:
                grouped.loc[len(grouped)] = [*([""] * len(headers)), blank_lines]
        frame = pd.DataFrame(
            {h: pd.Categorical(grouped[names[h]].astype(str).to_numpy()) for h in headers}
        )
        return frame, grouped[WEIGHT].to_numpy(dtype=np.int64)

    def _ids_text(self) -> ibis.Value:
        """The id column, null where blank (typed Parquet ids as they are)."""
        import ibis

        column = self.opened.table[column_name(self.table.headers.index(self.id_header))]
        if self.opened.typed and not column.type().is_string():
            return column
        text = self._text(self.id_header)
        return ibis.ifelse(text.strip() == "", ibis.null("string"), text)

    def _with_ids(self, selected: ibis.Table, groups: list[str]) -> pd.DataFrame:
        """The combinations and, in the same scan of the file, the rows with an id and
        their distinct ids: one GROUP BY with two grouping sets (the combinations; the
        ids), which DuckDB computes in one pass and spills to disk. Only the combinations
        and one summary row come back."""
        inner = self.opened.table.get_backend().compile(selected)
        keys = ", ".join(groups)
        query = (
            f"SELECT {keys}, is_ids, SUM(n) AS {WEIGHT}, COUNT(*) AS groups FROM ("  # noqa: S608
            f"SELECT {keys}, {ID}, GROUPING({ID}) = 0 AS is_ids, COUNT(*) AS n FROM ({inner}) "
            f"GROUP BY GROUPING SETS (({keys}), ({ID}))) "
            f"WHERE NOT (is_ids AND {ID} IS NULL) GROUP BY ALL"
        )
        found = self.opened.table.get_backend().con.execute(query).fetch_df()
        ids = found["is_ids"].astype(bool)
        summary = found[ids]
        rows = int(summary[WEIGHT].iloc[0]) if len(summary) else 0
        distinct = int(summary["groups"].iloc[0]) if len(summary) else 0
        self.ids_counted = (rows, distinct)
        return found[~ids].drop(columns=["is_ids", "groups"]).reset_index(drop=True)

    def repeated_ids(
        self, frame: pd.DataFrame, *, id_header: str, group_headers: Sequence[str]
    ) -> int:
        """Rows repeating an id already seen, among the rows the in-memory reader checks:
        not blank in every column of ``frame``, no "Total" in a ``group_headers`` column.

        Counted as rows minus distinct ids, with a GROUP BY (which DuckDB spills to disk)
        rather than a set held in memory.
        """
        import ibis

        blank = ibis.literal(True)
        total = ibis.literal(False)
        for header in frame.columns:
            text = self.texts[header]
            categories = list(frame[header].cat.categories)
            blanks = [c for c in categories if not stage_key(c)]
            blank = blank & (text.isin(blanks) if blanks else ibis.literal(False))
            totals = [c for c in categories if stage_key(c) in TOTAL_KEYS]
            if header in group_headers and totals:
                total = total | text.isin(totals)
        table = self.opened.table
        # Filter only when some combination is a blank or a total row (most files have none;
        # the all-blank row added for empty lines stands for rows the engine never sees).
        blank_rows, total_rows = special_rows(frame, group_headers)
        if blank_rows[: self.seen].any() or total_rows[: self.seen].any():
            table = table.filter(~blank & ~total)
        elif self.ids_counted is not None and id_header == self.id_header:
            rows, distinct = self.ids_counted  # counted in the combinations' scan
            return rows - distinct
        column = self.opened.table[column_name(self.table.headers.index(id_header))]
        if self.opened.typed and not column.type().is_string():
            # Typed ids (Parquet numbers): a null is a blank id; no text needed.
            kept = table.select(id=column).filter(ibis._.id.notnull())
        else:
            kept = table.select(id=self._text(id_header)).filter(ibis._.id.strip() != "")
        try:
            found = (
                kept.group_by("id")
                .aggregate(n=ibis._.count())
                .aggregate(rows=ibis._.n.sum(), distinct=ibis._.count())
                .to_pandas()
            )
        except Exception as err:
            raise parse_error(self.src.name, err) from None
        rows = found["rows"].iloc[0]
        return 0 if pd.isna(rows) else int(rows) - int(found["distinct"].iloc[0])


def count_empty_lines(path: str, header_row: int, *, rows: int | None = None) -> int:
    """Empty lines below the header of a UTF-8 CSV (LF, CRLF or CR line ends).

    pandas reads each as a blank row (counted and reported as such); DuckDB and Spark skip
    them. A quoted field holding an empty line would be counted too (no export does that).
    Given ``rows`` (the rows the engine read), a file with exactly that many lines below
    the header has none, which one count of line ends settles (most files).
    """
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    # Find where the header line ends: after header_row + 1 line ends.
    ends = 0
    position = 0
    while ends <= header_row and position < len(head):
        byte = head[position : position + 1]
        if byte == b"\r" and head[position + 1 : position + 2] == b"\n":
            position += 1
        if byte in (b"\r", b"\n"):
            ends += 1
            if ends > header_row:
                break
        position += 1
    if rows is not None and _lines_below(path, position) == rows:
        return 0
    count = 0
    carry = b""
    with open(path, "rb") as handle:
        handle.seek(position)
        while block := handle.read(SCAN_BLOCK_BYTES):
            data = carry + block
            # Most files have no empty line: a byte search settles a block at once.
            patterns = (b"\n\n", b"\r\r", b"\n\r\n") if b"\r" in data else (b"\n\n",)
            if any(pattern in data for pattern in patterns):
                count += _empty_in(np.frombuffer(data, dtype=np.uint8), done=len(carry))
            carry = data[-2:]
    return count


def _lines_below(path: str, position: int) -> int:
    """Lines after the line end at ``position`` (LF and CRLF files count LF; CR files CR)."""
    ends = {b"\n": 0, b"\r": 0}
    last = b""
    with open(path, "rb") as handle:
        handle.seek(position + 1)
        while block := handle.read(SCAN_BLOCK_BYTES):
            ends[b"\n"] += block.count(b"\n")
            if not ends[b"\n"]:
                ends[b"\r"] += block.count(b"\r")
            last = block[-1:]
    lines = ends[b"\n"] or ends[b"\r"]
    return lines + (1 if last and last not in b"\r\n" else 0)


def _empty_in(data: np.ndarray, *, done: int) -> int:
    """Empty lines whose second line end starts at or after ``done`` (already counted
    before it): "\\n\\n", "\\r\\r" and "\\n\\r\\n"."""
    lf, cr = data == 10, data == 13
    start = max(done - 1, 0)
    pairs = (lf[:-1] & lf[1:]) | (cr[:-1] & cr[1:])
    count = int(np.count_nonzero(pairs[start:]))
    if len(data) >= 3:
        crlf = lf[:-2] & cr[1:-1] & lf[2:]
        count += int(np.count_nonzero(crlf[max(done - 2, 0) :]))
    return count
