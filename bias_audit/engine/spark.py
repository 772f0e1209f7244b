"""Start and stop a local Spark session (tests, benchmarks, a laptop run of --engine spark).

On a cluster (Databricks) the session exists already and is used as it is
(:func:`bias_audit.engine.backends.spark_session`); nothing here is needed.
"""

from __future__ import annotations

from typing import Any

QUICK_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m"


def start_local_session(
    master: str = "local[*]", *, memory: str = "1g", quick: bool = True
) -> tuple[Any, int]:
    """A new Spark session on ``master`` with ``memory`` for the driver, and its JVM's pid.

    ``quick`` tunes the JVM for short runs on small data (tests); leave it off to measure
    large extracts.

    The JVM is started by this process (PySpark's gateway), so :func:`stop_session` can
    end it.
    """
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName("bias-audit")
        .config("spark.driver.memory", memory)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
    )
    if quick:  # the JVM's quick compiler, no generated code: answers in seconds on small data
        builder = builder.config("spark.driver.extraJavaOptions", QUICK_JVM_OPTIONS).config(
            "spark.sql.codegen.wholeStage", "false"
        )
    session = builder.getOrCreate()
    gateway = SparkContext._gateway
    return session, gateway.proc.pid


def stop_session(session: Any) -> None:
    """Stop the session, then its JVM (PySpark leaves it running until Python exits)."""
    from pyspark import SparkContext

    session.stop()
    gateway = SparkContext._gateway
    if gateway is None:
        return
    process = getattr(gateway, "proc", None)
    gateway.shutdown()
    if process is not None:
        process.terminate()
        process.wait(timeout=30)
    SparkContext._gateway = None
    SparkContext._jvm = None
