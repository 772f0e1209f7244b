"""Open an extract lazily in DuckDB or Spark, as an Ibis table with one column per header.

Only the reading differs between engines; everything after it is one Ibis expression
(:mod:`bias_audit.engine.tally`). Each backend reads the file where it lies:

- CSV with the separator, header row and encoding the sniffer found
  (:mod:`bias_audit.io.files`), every field as text, short rows padded with blanks. Text
  that is not UTF-8 (Excel's cp1252, UTF-16) is first re-encoded, streaming, into a
  temporary UTF-8 copy, since neither engine reads cp1252.
- Parquet with its own types, turned into text by the expression.

Columns are named ``c0``, ``c1``, … by position, so any header text (blank, repeated,
with quotes) is safe; :func:`column_name` gives the name of a header's column.
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bias_audit.engine.choice import MSG_SPARK_MISSING
from bias_audit.errors import InputDataError, OptionError
from bias_audit.io.files import MSG_PARSE, Table
from bias_audit.io.parquet import bad_parquet

if TYPE_CHECKING:
    import ibis

    from bias_audit.io.source import Source

# DuckDB spills to a temporary folder beyond this, so memory stays flat however many rows
# (or distinct applicant ids) the file holds.
DUCKDB_MEMORY_LIMIT = "1GB"


def column_name(position: int) -> str:
    """The engine's name for the column at ``position`` of the header."""
    return f"c{position}"


@dataclass
class Opened:
    """An extract opened in an engine: the table, and what to undo afterwards."""

    table: ibis.Table
    engine: str
    # Whether the backend's columns are all text (CSV) or typed (Parquet).
    typed: bool
    path: str  # the file the engine reads (a UTF-8 copy of a CSV in another encoding)
    cleanups: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            cleanup()
        self.cleanups.clear()


def parse_error(file: str, err: BaseException) -> InputDataError:
    """MSG_PARSE (the pandas reader's words) with the first line of an engine's error."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return InputDataError(MSG_PARSE.format(file=file, error=text))


def utf8_path(src: Source, table: Table, opened_cleanups: list[Callable[[], None]]) -> str:
    """The path of the CSV in UTF-8: the file itself, or a temporary re-encoded copy."""
    encoding = table.sniffed.encoding
    if encoding == "utf-8":
        return src.path  # type: ignore[return-value]
    folder = tempfile.mkdtemp(prefix="bias-audit-")
    opened_cleanups.append(lambda: shutil.rmtree(folder, ignore_errors=True))
    copy = os.path.join(folder, "extract.csv")
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with open(copy, "w", encoding="utf-8", newline="") as out:
        try:
            for block in src.chunks():
                out.write(decoder.decode(block))
            out.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError as err:
            from bias_audit.io.source import MSG_BAD_ENCODING

            raise src.refusal(MSG_BAD_ENCODING, why=f"{err.encoding}: {err.reason}") from None
    return copy


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def open_duckdb(src: Source, table: Table, *, parallel: bool = True) -> Opened:
    """The extract as a lazy DuckDB relation (nothing is read until the query runs)."""
    import duckdb
    from ibis.backends.duckdb import Backend as DuckDBBackend

    spill = tempfile.mkdtemp(prefix="bias-audit-duckdb-")

    # A plain DuckDB connection handed to Ibis: ibis.duckdb.connect() takes ~0.7 s more.
    raw = duckdb.connect(
        config={
            "preserve_insertion_order": False,
            "memory_limit": DUCKDB_MEMORY_LIMIT,
            "temp_directory": spill,
        }
    )
    raw.execute("SET enable_progress_bar = false")  # a session option, not a global one
    # The backend class itself: ``ibis.duckdb`` looks the backend up among the installed
    # packages' entry points on every use (about 0.05 s).
    con = DuckDBBackend.from_connection(raw)
    opened = Opened(None, "duckdb", typed=False, path="")  # type: ignore[arg-type]
    opened.cleanups.append(lambda: shutil.rmtree(spill, ignore_errors=True))
    opened.cleanups.append(raw.close)
    try:
        return _duckdb_relation(opened, con, src, table, parallel=parallel)
    except BaseException:
        opened.close()  # the connection, the spill folder and any re-encoded copy
        raise


def _duckdb_relation(opened: Opened, con, src: Source, table: Table, *, parallel: bool) -> Opened:
    if table.sniffed.kind == "parquet":
        opened.typed = True
        opened.path = src.path  # type: ignore[assignment]
        try:
            read = con.read_parquet(opened.path)
        except Exception as err:
            raise bad_parquet(src.name, err) from None
        opened.table = read.select(
            **{column_name(i): read[name] for i, name in enumerate(read.columns)}
        )
        return opened
    opened.path = utf8_path(src, table, opened.cleanups)
    columns = ", ".join(f"'{column_name(i)}': 'VARCHAR'" for i in range(len(table.headers)))
    options = (
        f"header = false, skip = {table.header_row + 1}, "
        f"delim = {_sql_text(table.sniffed.separator)}, quote = '\"', escape = '\"', "
        f"auto_detect = false, null_padding = true, parallel = {str(parallel).lower()}, "
        f"columns = {{{columns}}}"
    )
    # A view, not con.sql(): Ibis 12 asks DuckDB 2 for the schema through a removed call.
    source = f"read_csv({_sql_text(opened.path)}, {options})"
    query = f"CREATE VIEW extract AS SELECT * FROM {source}"  # noqa: S608 (quoted above)
    con.raw_sql(query)
    opened.table = con.table("extract")
    return opened


def spark_session(master: str):
    """The active Spark session (a Databricks notebook's ``spark``), or a new one on
    ``master`` (``local[*]``: every core of this machine)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise OptionError(MSG_SPARK_MISSING.format(error=err)) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    try:
        return (
            SparkSession.builder.master(master)
            .appName("bias-audit")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
    except Exception as err:  # no Java, or the master cannot be reached
        raise OptionError(MSG_SPARK_MISSING.format(error=str(err).splitlines()[0])) from None


def open_spark(src: Source, table: Table, *, master: str) -> Opened:
    """The extract as a lazy Spark DataFrame, seen through Ibis."""
    session = spark_session(master)
    opened = Opened(None, "spark", typed=False, path="")  # type: ignore[arg-type]
    try:
        return _spark_frame(opened, session, src, table)
    except BaseException:
        opened.close()  # the temporary view and any re-encoded copy
        raise


def _spark_frame(opened: Opened, session, src: Source, table: Table) -> Opened:
    import ibis
    from pyspark.sql import functions as F

    if table.sniffed.kind == "parquet":
        opened.typed = True
        opened.path = src.path  # type: ignore[assignment]
        try:
            frame = session.read.parquet(opened.path)
        except Exception as err:
            raise bad_parquet(src.name, err) from None
        frame = frame.toDF(*[column_name(i) for i in range(len(frame.columns))])
    else:
        opened.path = utf8_path(src, table, opened.cleanups)
        schema = ", ".join(f"{column_name(i)} string" for i in range(len(table.headers)))
        frame = (
            session.read.options(
                sep=table.sniffed.separator,
                quote='"',
                escape='"',
                header=False,
                encoding="UTF-8",
                mode="PERMISSIVE",
            )
            .schema(schema)
            .csv(opened.path)
        )
        # Spark cannot skip lines: drop the title and header rows, which are the first
        # rows of the first partition (ids there run 0, 1, 2, …). Spark skips empty
        # lines, so only the non-empty lines above the data count.
        skip = _filled_lines_above_data(opened.path, table.header_row)
        frame = frame.where(F.monotonically_increasing_id() >= skip)
    view = f"bias_audit_extract_{id(frame)}"
    frame.createOrReplaceTempView(view)
    opened.cleanups.append(lambda: session.catalog.dropTempView(view))
    opened.table = ibis.pyspark.connect(session).table(view)
    return opened


def _filled_lines_above_data(path: str, header_row: int) -> int:
    """Non-empty physical lines of a UTF-8 file up to and including the header line."""
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    lines = head.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    return sum(1 for line in lines[: header_row + 1] if line)


def open_engine(
    engine: str, src: Source, table: Table, *, spark_master: str, parallel: bool = True
) -> Opened:
    """Open the extract in ``engine`` ("duckdb" or "spark"). ``parallel=False`` makes
    DuckDB read a CSV in one thread (needed when a quoted field spans lines)."""
    if engine == "spark":
        return open_spark(src, table, master=spark_master)
    return open_duckdb(src, table, parallel=parallel)
