"""Scale figures for the out-of-core engines: the audit against the engine's own read + one
group-by, same file, same run (issue 14 point 3; figures in docs/scale.md).

Writes synthetic extracts of 1M, 10M, 50M rows (ESR / TRAC-like columns: applicant id,
vacancy, staff group, ethnicity label, sex, disability, outcome text, interview date) as
CSV and Parquet under a temporary folder (removed at the end), then, each in a fresh
process so that the peak resident memory is its own:

- ``audit``: ``read_funnel(path, engine=...)`` (the counting: reading, normalising,
  furthest stage, the aggregated cell table; ``count_s``), then the statistics and
  disclosure control on it (``seconds`` is the whole audit);
- ``baseline``: the same engine reading the same file and one GROUP BY (ethnicity,
  outcome) with a count — the least any counting of that file can cost;
- ``read_same`` (DuckDB): reading the columns the count reads (the five it groups and the
  id) and one GROUP BY of the five with a count — the least any counting of those columns
  can cost (:data:`READ_SAME`; for a CSV, which is read whole, much as ``baseline``);
- ``same_columns`` (DuckDB): the same figures as the count in plain SQL — the five
  grouped columns with a count, and the distinct ids (:data:`SAME_COLUMNS`).

    python benchmarks/scale_bench.py --rows 1000000 10000000 --formats csv parquet
    python benchmarks/scale_bench.py --rows 10000000 --formats csv --engine spark
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ETHNICITIES = [
    "A White - British", "B White - Irish", "C White - Any other White background",
    "D Mixed - White & Black Caribbean", "F Mixed - White & Asian",
    "H Asian or Asian British - Indian", "J Asian or Asian British - Pakistani",
    "K Asian or Asian British - Bangladeshi", "M Black or Black British - Caribbean",
    "N Black or Black British - African", "R Chinese", "S Any Other Ethnic Group",
    "Z Not Stated", "",
]  # fmt: skip
OUTCOMES = [
    "Not shortlisted", "Withdrawn", "Shortlisted - not interviewed",
    "Interview - unsuccessful", "Did not attend interview", "Offer declined",
    "Offer withdrawn", "Appointed", "Starting", "Reserve list", "Interview: Reserve",
]  # fmt: skip
STAFF_GROUPS = [
    "Nursing and Midwifery Registered", "Additional Clinical Services", "Administrative and "
    "Clerical", "Allied Health Professionals", "Estates and Ancillary", "Medical and Dental",
    "Healthcare Scientists", "Add Prof Scientific and Technic",
]  # fmt: skip


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _pick(values: list[str], salt: int) -> str:
    """SQL choosing one of ``values`` per row, spread by a hash of the row number."""
    return f"{_sql_list(values)}[(1 + hash(i * {salt}) % {len(values)})::BIGINT]"


def write_extract(path: Path, rows: int, fmt: str) -> None:
    """A synthetic extract of ``rows`` rows, generated and written by DuckDB (streaming)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    query = f"""
        SELECT
            10000000 + i AS "Applicant ID",
            'C' || ((9000 + hash(i * 7) % 5000)::BIGINT)::VARCHAR || '-24' AS "Vacancy Reference",
            {_pick(STAFF_GROUPS, 3)} AS "Staff Group",
            {_pick(ETHNICITIES, 5)} AS "Ethnic Origin",
            ['Female', 'Male', 'Not stated', 'Female'][(1 + hash(i * 11) % 4)::BIGINT] AS "Sex",
            ['No', 'Yes', 'Not declared', 'No'][(1 + hash(i * 13) % 4)::BIGINT] AS "Disability",
            {_pick(OUTCOMES, 17)} AS "Application Status",
            CASE WHEN hash(i * 19) % 3 = 0
                 THEN strftime(DATE '2024-01-01' + (hash(i) % 300)::INTEGER, '%d/%m/%Y')
                 ELSE '' END AS "Interview Date"
        FROM range({rows}) t(i)
    """
    option = "(FORMAT csv, HEADER true)" if fmt == "csv" else "(FORMAT parquet)"
    con.execute(f"COPY ({query}) TO '{path}' {option}")
    con.close()


def peak_mb() -> float:
    """Peak resident memory of this process, and of the largest child that has ended (the
    Spark JVM, once stop_session has waited for it)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


#: The same figures as the count, written as plain SQL an analyst would write: the five
#: columns it groups (the interview date as "given or not", as the count folds dates) with
#: a count, and the distinct applicant ids — the six columns it reads, without its reading
#: rules (blanks, totals, whole-number ids in buckets) and in the engine's own way.
SAME_COLUMNS = (
    'SELECT "Ethnic Origin", "Sex", "Disability", "Application Status", '
    '"Interview Date" IS NULL, COUNT(*), NULL FROM {source} GROUP BY ALL UNION ALL '
    'SELECT NULL, NULL, NULL, NULL, NULL, COUNT(*), COUNT(DISTINCT "Applicant ID") '
    "FROM {source}"
)


#: Reading the columns the count reads and one GROUP BY of the five it groups, with a count
#: (and a sum of the ids, so that the id column is read; a count of it could be answered
#: from a Parquet file's statistics).
READ_SAME = (
    'SELECT "Ethnic Origin", "Sex", "Disability", "Application Status", '
    '"Interview Date" IS NULL, COUNT(*), SUM(hash("Applicant ID")) FROM {source} GROUP BY ALL'
)


def measure(kind: str, engine: str, path: str) -> dict:
    """One measurement in this process: seconds and peak resident memory (MB)."""
    sys.path.insert(0, str(ROOT))
    # Modules are imported before the clock starts, in both measurements.
    import duckdb
    import ibis
    import ibis.backends.duckdb  # noqa: F401 (Ibis loads its backend at first use: 0.4 s)
    import pyarrow.parquet  # noqa: F401 (the Parquet header is read with it: 0.06 s)

    import bias_audit.engine.tally
    import bias_audit.services.recruitment  # noqa: F401

    session = None
    if engine == "spark":
        from bias_audit.engine.spark import start_local_session

        session, _ = start_local_session("local[*]", memory="2g", quick=False)
    if kind == "audit":
        from bias_audit.io.extract import read_funnel
        from bias_audit.services import audit_recruitment

        start = time.perf_counter()
        funnel = read_funnel(path, engine=engine)
        counted = time.perf_counter() - start
        audit_recruitment(funnel)
        seconds = time.perf_counter() - start
        if session is not None:
            from bias_audit.engine.spark import stop_session

            stop_session(session)
        return {
            "count_s": round(counted, 2),
            "seconds": round(seconds, 2),
            "peak_mb": round(peak_mb()),
            "rows_counted": int(funnel.counts["count"].sum()),
        }
    start = time.perf_counter()
    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute("SET preserve_insertion_order = false")
        source = (
            f"read_csv('{path}', all_varchar = true)"
            if path.endswith(".csv")
            else (f"read_parquet('{path}')")
        )
        query = {
            "baseline": f'SELECT "Ethnic Origin", "Application Status", COUNT(*) FROM {source} '
            "GROUP BY ALL",
            "read_same": READ_SAME.format(source=source),
            "same_columns": SAME_COLUMNS.format(source=source),
        }[kind]
        found = con.execute(query).fetchall()
        if kind == "baseline":
            rows = sum(r[-1] for r in found)
        elif kind == "read_same":
            rows = sum(r[-2] for r in found)
        else:  # the combinations' rows (the distinct-id row counts them all again)
            rows = sum(r[-2] for r in found if r[-1] is None)
    else:
        frame = (
            session.read.csv(path, header=True)
            if path.endswith(".csv")
            else session.read.parquet(path)
        )
        found = frame.groupBy("Ethnic Origin", "Application Status").count().collect()
        rows = sum(r[-1] for r in found)
    seconds = time.perf_counter() - start
    if session is not None:
        from bias_audit.engine.spark import stop_session

        stop_session(session)
    return {"seconds": round(seconds, 2), "peak_mb": round(peak_mb()), "rows_counted": rows}


def run_child(kind: str, engine: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--engine", engine, "--path", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--formats", nargs="+", default=["csv", "parquet"])
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark", "pandas"])
    parser.add_argument("--child", choices=["audit", "baseline", "read_same", "same_columns"])
    parser.add_argument("--path")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, fastest kept")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.engine, args.path)))
        return
    folder = Path(tempfile.mkdtemp(prefix="bias-audit-scale-"))
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    try:
        for rows in args.rows:
            for fmt in args.formats:
                path = folder / f"extract_{rows}.{fmt}"
                started = time.perf_counter()
                write_extract(path, rows, fmt)
                size = path.stat().st_size / 2**20
                written = time.perf_counter() - started
                base_engine = "duckdb" if args.engine == "pandas" else args.engine
                # Alternated, the fastest of each kept: the load from other work varies
                # within a run (and a file just written may still be flushing to disk).
                audits, baselines, read_same, same = [], [], [], []
                for _ in range(args.repeat):
                    audits.append(run_child("audit", args.engine, path))
                    baselines.append(run_child("baseline", base_engine, path))
                    if base_engine == "duckdb":
                        read_same.append(run_child("read_same", base_engine, path))
                        same.append(run_child("same_columns", base_engine, path))
                audit = min(audits, key=lambda a: a["count_s"])
                baseline = min(baselines, key=lambda b: b["seconds"])
                ratio = audit["count_s"] / baseline["seconds"]
                same_columns = min(same, key=lambda b: b["seconds"]) if same else None
                read = min(read_same, key=lambda b: b["seconds"]) if read_same else None
                print(
                    json.dumps(
                        {
                            "rows": rows,
                            "format": fmt,
                            "engine": args.engine,
                            "file_mb": round(size),
                            "write_s": round(written, 1),
                            "audit": audit,
                            "baseline": baseline,
                            "count_vs_baseline": round(ratio, 2),
                            "read_same": read,
                            "count_vs_read_same": (
                                round(audit["count_s"] / read["seconds"], 2) if read else None
                            ),
                            "same_columns": same_columns,
                            "count_vs_same_columns": (
                                round(audit["count_s"] / same_columns["seconds"], 2)
                                if same_columns
                                else None
                            ),
                            "load": round(os.getloadavg()[0], 1),
                        }
                    ),
                    flush=True,
                )
                path.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
