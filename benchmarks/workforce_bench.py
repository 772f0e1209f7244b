"""Benchmark: the workforce report on 1.4 million staff rows (the size of the NHS in England).

Writes a synthetic ESR-style staff extract of ``--rows`` people (the seeded generator of the
example extract, :func:`bias_audit.synthetic_workforce.make_workforce_extract`) to a
temporary CSV, then times, each in a fresh Python process so that peak memory is that
step's own (``ru_maxrss``):

1. **baseline** — ``pandas.read_csv`` of the file and one group-by (staff by pay band and
   ethnic origin): the least any tool must do with the file;
2. **read** — the staff reader (:func:`bias_audit.io.workforce.read_staff`): columns found,
   codes and dates read, every exclusion counted;
3. **report** — the whole workforce report in published mode: the reader, WRES / WDES
   indicators with their disclosure control, retention and progression with theirs
   (:func:`bias_audit.services.workforce.audit_workforce` when it is there; otherwise the
   same steps called one by one), and the JSON written.

Prints seconds and peak memory per step and the report's time as a multiple of the
baseline's. Run from the repository root::

    python benchmarks/workforce_bench.py               # 1.4M rows
    python benchmarks/workforce_bench.py --rows 100000
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

ROWS = 1_400_000
SEED = 2026


def _peak_mb() -> float:
    """This process's own peak resident memory (VmHWM: unlike ``ru_maxrss``, not carried
    over from the parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def _make(path: Path, rows: int) -> dict:
    from bias_audit.synthetic_workforce import make_workforce_extract

    start = time.perf_counter()
    make_workforce_extract(rows, seed=SEED).to_csv(path, index=False)
    return {"seconds": time.perf_counter() - start}


def _baseline(path: Path) -> dict:
    import pandas as pd

    start = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = frame.groupby(["Pay Band", "Ethnic Origin"]).size()
    return {"seconds": time.perf_counter() - start, "rows": len(frame), "cells": len(table)}


def _read(path: Path) -> dict:
    from bias_audit.io.workforce import read_staff

    start = time.perf_counter()
    staff = read_staff(path, max_bytes=2**31)
    return {"seconds": time.perf_counter() - start, "rows": len(staff.frame)}


def _report(path: Path) -> dict:
    start = time.perf_counter()
    try:
        from bias_audit.services.workforce import audit_workforce
    except ImportError:
        audit_workforce = None
    if audit_workforce is not None:
        audit = audit_workforce(path, max_bytes=2**31)
        payload = audit.to_dict()
        how = "services.workforce.audit_workforce"
    else:
        from bias_audit.io.workforce import read_staff
        from bias_audit.report.workforce_flow import workforce_flow
        from bias_audit.stats.workforce_audit import all_indicators
        from bias_audit.stats.workforce_cells import staff_cells

        staff = read_staff(path, max_bytes=2**31)
        cells = staff_cells(staff.frame, extract_date=staff.extract_date)
        payload = dict(all_indicators(cells))
        flow = workforce_flow(staff.frame, extract_date=staff.extract_date)
        payload.update(retention=flow.retention, progression=flow.progression)
        how = "read_staff + staff_cells + all_indicators (exact) + workforce_flow (published)"
    text = json.dumps(payload, default=str)
    return {"seconds": time.perf_counter() - start, "json_bytes": len(text), "how": how}


PHASES = {"baseline": _baseline, "read": _read, "report": _report}


def _child(phase: str, path: Path, rows: int) -> None:
    result = _make(path, rows) if phase == "make" else PHASES[phase](path)
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--phase", choices=sorted([*PHASES, "make"]))
    parser.add_argument("--path", type=Path)
    args = parser.parse_args()
    if args.phase is not None:
        _child(args.phase, args.path, args.rows)
        return

    def run(phase: str, path: Path) -> dict:
        command = [sys.executable, __file__, "--phase", phase, "--path", str(path)]
        out = subprocess.run(
            [*command, "--rows", str(args.rows)], check=True, capture_output=True, text=True
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "staff.csv"
        made = run("make", path)["seconds"]
        size_mb = path.stat().st_size / 1024 / 1024
        print(f"{args.rows:,} staff rows, {size_mb:.0f} MB CSV (generated in {made:.1f} s)")
        results = {}
        for phase in PHASES:
            results[phase] = r = run(phase, path)
            print(f"{phase:>9}: {r['seconds']:7.1f} s   peak {r['peak_mb']:7.0f} MB", flush=True)
        ratio = results["report"]["seconds"] / results["baseline"]["seconds"]
        print(
            f"report / baseline: {ratio:.1f}x time; report computed by {results['report']['how']}"
        )


if __name__ == "__main__":
    main()
