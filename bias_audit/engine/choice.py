"""Which engine counts an extract, and how large a file each may take.

The statistics always run on the small aggregated table; what changes is where the rows
are counted. ``pandas`` reads the chosen columns into memory (the reader of
:mod:`bias_audit.io.extract`); ``duckdb`` and ``spark`` read the file where it lies, out of
core, through one Ibis expression (:mod:`bias_audit.engine.tally`). ``auto`` (the default)
keeps pandas for workbooks, uploads and small files, where starting an engine would cost
more than it saves, and uses DuckDB above :data:`AUTO_DUCKDB_BYTES`, the in-memory limit
(measured in ``docs/scale.md``).

>>> choose_engine("auto", kind="csv", size=10 * 2**20, on_disk=True)
'pandas'
>>> choose_engine("auto", kind="parquet", size=300 * 2**20, on_disk=True)
'duckdb'
>>> choose_engine("spark", kind="xlsx", size=2**20, on_disk=True)
'pandas'
"""

from __future__ import annotations

from typing import Literal

from bias_audit.errors import OptionError

Engine = Literal["auto", "pandas", "duckdb", "spark"]
ENGINES: tuple[str, ...] = ("auto", "pandas", "duckdb", "spark")
OUT_OF_CORE = ("duckdb", "spark")
DEFAULT_SPARK_MASTER = "local[*]"
# Above this, "auto" counts with DuckDB. Below it pandas is faster on this project's own
# measurements (docs/scale.md: 1.4 s against 3.2 s for a 100 MB, 1M-row CSV on 2 cores),
# so DuckDB takes over where pandas would refuse the file: the in-memory limit.
AUTO_DUCKDB_BYTES = 250 * 2**20
# The out-of-core engines read files of any size that fits on a disk; beyond this the file
# is refused as surely not a recruitment extract (≈ 5 billion rows).
OUT_OF_CORE_MAX_BYTES = 500 * 2**30
# DuckDB finds the encoding from this much of a CSV (it refuses bytes that are not UTF-8,
# and the file is then looked at whole: bias_audit.engine.tally).
ENCODING_SAMPLE_BYTES = 1 * 2**20
# Kinds of file the engines read; workbooks stay on the in-memory reader.
ENGINE_KINDS = ("csv", "parquet")

MSG_ENGINE = "--engine {value!r}: use one of {choices}."
MSG_SPARK_MISSING = (
    "--engine spark needs PySpark and Java: install them with "
    'pip install "bias-audit[spark]" and a Java 17 runtime (e.g. Debian\'s '
    "openjdk-17-jre-headless), or use --engine duckdb. ({error})"
)


def check_engine(value: str) -> str:
    """The engine name, or an OptionError naming the choices."""
    if value not in ENGINES:
        raise OptionError(MSG_ENGINE.format(value=value, choices=", ".join(ENGINES)))
    return value


def choose_engine(engine: str, *, kind: str, size: int, on_disk: bool) -> str:
    """The engine that will count this file: pandas, duckdb or spark.

    Workbooks and in-memory uploads are always read by pandas (DuckDB's spreadsheet reader
    needs an extension downloaded at run time; an upload is in memory already).
    """
    check_engine(engine)
    if kind not in ENGINE_KINDS or not on_disk:
        return "pandas"
    if engine == "auto":
        return "duckdb" if size > AUTO_DUCKDB_BYTES else "pandas"
    return engine
