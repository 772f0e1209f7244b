"""Spark for real: a local Spark session counts the extracts and the audit is unchanged.

One session for the module (``local[1]``, small memory), stopped at the end together with
its JVM, which is checked to be gone. Skipped only when PySpark or Java is missing (the
README's test command installs both: the ``spark`` extra and, in .ci/run, Debian's
openjdk-17-jre-headless).
"""

from __future__ import annotations

import os
import shutil
import time

import pytest
from engine_cases import funnel_json, write_case

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

from bias_audit.engine.spark import start_local_session, stop_session  # noqa: E402

# The examples (stage dates), cp1252 with title, blank, total rows and repeated ids, typed
# Parquet, and ids in every spelling counted in the combinations' own scan: every part of
# the reading and counting Spark does differently from DuckDB.
SPARK_CASES = ("example_extract", "trac_cp1252", "parquet_typed", "id_spellings")


@pytest.fixture(scope="module")
def spark_jvm():
    """A local Spark session; yields the JVM's process id, which must be gone after."""
    session, pid = start_local_session("local[1]", memory="512m")
    yield pid
    stop_session(session)
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the Spark JVM (pid {pid}) is still running after the session stopped")


@pytest.mark.parametrize("case", SPARK_CASES)
def test_spark_counts_what_duckdb_counts(spark_jvm, case, tmp_path):
    """Everything the statistics receive, identical; DuckDB's whole audit JSON equals the
    pandas one (test_engines.py), so Spark's does too."""
    path, options = write_case(case, tmp_path)
    assert funnel_json(path, "spark", **options) == funnel_json(path, "duckdb", **options)


def test_spark_jvm_is_a_child_of_this_process(spark_jvm):
    with open(f"/proc/{spark_jvm}/status", encoding="ascii") as status:
        parent = next(line for line in status if line.startswith("PPid:"))
    assert int(parent.split()[1]) == os.getpid()
