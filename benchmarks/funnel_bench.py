"""Benchmark: the full recruitment report against reading the file plus one groupby.

For each size (default 1,000,000 and 10,000,000 applications) a seeded synthetic extract
is written as CSV to a temporary folder, then each measurement runs in its own subprocess
(so peak memory, ``ru_maxrss``, belongs to that measurement alone):

- ``read+groupby``: ``read_funnel``'s reading cost floor — ``pandas.read_csv`` of the file
  plus one ``groupby(...).size()`` over ethnicity, sex, disability and status;
- ``metricframe-raw``: fairlearn ``MetricFrame`` selection rate by ethnicity on one row per
  application (what the tool avoids by weighting aggregated counts);
- ``full-report``: ``read_funnel`` + ``audit_recruitment`` as ``audit_extract`` does (reading,
  normalisation, every transition × the ethnicity views, gender, disability and
  ethnicity × gender, tests, indicators, disclosure control) and the text report.

Targets (issue 2): full report within 3× of read+groupby at 1M rows; 10M rows under 8 GB.

Usage::

    .venv/bin/python benchmarks/funnel_bench.py            # 1M and 10M
    .venv/bin/python benchmarks/funnel_bench.py --sizes 200000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
kind, path = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if kind == "read+groupby":
    import pandas as pd
    frame = pd.read_csv(path, encoding="cp1252")
    cells = frame.groupby(["Ethnic Origin", "Sex", "Disability", "Application Status"],
                          observed=True, dropna=False).size()
    detail = f"{len(cells)} cells"
elif kind == "metricframe-raw":
    import numpy as np
    import pandas as pd
    from fairlearn.metrics import MetricFrame, selection_rate
    frame = pd.read_csv(path, encoding="cp1252", usecols=["Ethnic Origin", "Application Status"])
    shortlisted = (~frame["Application Status"].str.contains("Not shortlisted", na=False))
    read_done = time.perf_counter()
    mf = MetricFrame(metrics=selection_rate, y_true=shortlisted.to_numpy(int),
                     y_pred=shortlisted.to_numpy(int),
                     sensitive_features=frame["Ethnic Origin"].fillna("Not stated"))
    detail = f"{len(mf.by_group)} groups, MetricFrame alone {time.perf_counter() - read_done:.1f} s"
else:
    from bias_audit.io.extract import read_funnel
    from bias_audit.services import audit_recruitment
    from bias_audit.report.recruitment_text import text_report
    # audit_extract without the reader's 250 MB safety limit (the benchmark trusts its file).
    audit = audit_recruitment(read_funnel(path, max_bytes=1 << 40))
    text = text_report(audit)
    detail = f"{len(audit.transitions)} table rows"
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "detail": detail}))
"""

KINDS = ("read+groupby", "metricframe-raw", "full-report")


def measure(kind: str, path: Path) -> dict[str, object]:
    """Run one measurement in a fresh interpreter and return its timing and peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "detail": done.stderr[-300:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,10000000", help="comma-separated row counts")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--raw-up-to",
        type=int,
        default=1_000_000,
        help="run the raw-row MetricFrame only up to this many rows (it takes minutes at 10M)",
    )
    args = parser.parse_args(argv)
    from bias_audit.synthetic import write_synthetic_extract

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"{'rows':>11}  {'measurement':<16} {'seconds':>8} {'peak MB':>8}  detail")
    with tempfile.TemporaryDirectory(prefix="funnel-bench-") as folder:
        for n in sizes:
            path = Path(folder) / f"extract_{n}.csv"
            start = time.perf_counter()
            write_synthetic_extract(path, n, seed=args.seed)
            size_mb = path.stat().st_size / 1e6
            print(
                f"{n:>11,}  {'(write CSV)':<16} {time.perf_counter() - start:>8.1f} "
                f"{'':>8}  {size_mb:.0f} MB file",
                flush=True,
            )
            results = {}
            for kind in KINDS:
                if kind == "metricframe-raw" and n > args.raw_up_to:
                    continue
                results[kind] = result = measure(kind, path)
                print(
                    f"{n:>11,}  {kind:<16} {result['seconds']:>8.1f} {result['peak_mb']:>8.0f}"
                    f"  {result['detail']}",
                    flush=True,
                )
            base = results["read+groupby"]["seconds"]
            full = results["full-report"]["seconds"]
            print(f"{n:>11,}  full report ÷ read+groupby = {full / base:.2f}×", flush=True)
            path.unlink()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(benchmark process peak {own:.0f} MB)")


if __name__ == "__main__":
    main()
