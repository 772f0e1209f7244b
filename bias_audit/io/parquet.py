"""Parquet extracts: the header is the schema, the cells are read as the text a person sees.

A Parquet file holds typed columns. Each cell becomes the text the spreadsheet reader gives
the same value (:func:`bias_audit.io.files._cell_text`): whole floats without ".0", dates and
timestamps as ISO dates, blanks (nulls) as "", so the rest of the reader — column detection,
codes, outcomes, stage dates — sees exactly what it sees in a CSV or a workbook. The
out-of-core engines (:mod:`bias_audit.engine`) apply the same rule in their own expressions.

Examples
--------
>>> import io, pyarrow as pa, pyarrow.parquet as pq
>>> buffer = io.BytesIO()
>>> pq.write_table(pa.table({"Ethnicity": ["A", None], "Outcome": ["Appointed", "Withdrawn"]}),
...                buffer)
>>> from bias_audit.io.source import open_source
>>> from bias_audit.io.files import EXTRACT_FILE, sniff, open_table
>>> src = open_source(buffer.getvalue(), kind=EXTRACT_FILE, name="x.parquet")
>>> table = open_table(src, sniff(src))
>>> table.headers, table.sample
(['Ethnicity', 'Outcome'], [['A', 'Appointed'], ['', 'Withdrawn']])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from bias_audit.errors import InputDataError

if TYPE_CHECKING:
    from bias_audit.io.files import Sniffed, Table
    from bias_audit.io.source import Source

PARQUET_MAGIC = b"PAR1"
PARQUET = "a Parquet file"
PARQUET_SUFFIXES = (".parquet", ".pq")
SAMPLE_ROWS = 50

MSG_BAD_PARQUET = (
    "{file}: the Parquet file could not be read ({error}). Write it again (for example with "
    "pandas' DataFrame.to_parquet or Spark's DataFrame.write.parquet), or export a CSV."
)
NOTE_PARQUET = "Read as a Parquet file ({rows} rows)."


def _parquet_file(src: Source):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        if src.data is not None:
            return pq.ParquetFile(pa.BufferReader(src.data))
        return pq.ParquetFile(src.path)
    except Exception as err:  # pyarrow raises ArrowInvalid, OSError, … for broken files
        raise bad_parquet(src.name, err) from None


def bad_parquet(file: str, err: BaseException) -> InputDataError:
    """MSG_BAD_PARQUET for ``file``, with the first line of the reader's error."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return InputDataError(MSG_BAD_PARQUET.format(file=file, error=text))


def parquet_table(src: Source, sniffed: Sniffed) -> Table:
    """The header (the schema's column names) and the first rows as text."""
    from bias_audit.io.files import MSG_HEADER_ONLY, Table, _cell_text, unique_headers

    handle = _parquet_file(src)
    headers = unique_headers(handle.schema_arrow.names)
    try:
        first = next(handle.iter_batches(batch_size=SAMPLE_ROWS), None)
    except Exception as err:
        raise bad_parquet(src.name, err) from None
    if first is None or first.num_rows == 0:
        raise InputDataError(MSG_HEADER_ONLY.format(file=src.name, rows=src.kind.rows))
    columns = [first.column(i).to_pylist() for i in range(first.num_columns)]
    sample = [[_cell_text(column[r]) for column in columns] for r in range(first.num_rows)]
    sniffed.notes.append(NOTE_PARQUET.format(rows=f"{handle.metadata.num_rows:,}"))
    return Table(headers, 0, sample, sniffed)


def read_parquet_columns(
    src: Source,
    table: Table,
    headers: Sequence[str],
    *,
    numeric: Sequence[str] = (),
    raw: Sequence[str] = (),
) -> pd.DataFrame:
    """Read only the named columns, with the spreadsheet reader's cell-to-text rule."""
    from bias_audit.io.files import _sheet_column

    positions = sorted(table.headers.index(h) for h in headers)
    names = [table.headers[p] for p in positions]
    handle = _parquet_file(src)
    own = handle.schema_arrow.names
    try:
        read = handle.read(columns=[own[p] for p in positions]).to_pandas()
    except Exception as err:
        raise bad_parquet(src.name, err) from None
    read.columns = names
    return pd.DataFrame(
        {
            name: _sheet_column(read[name].astype(object), numeric=name in numeric, raw=name in raw)
            for name in names
        }
    )
