"""Time the region comparison on a synthetic multi-trust extract (prints figures).

    .venv/bin/python benchmarks/region_bench.py --trusts 40 --years 5 --applications 2500

Each trust × year gets ``--applications`` rows from the synthetic generator
(:mod:`bias_audit.synthetic_region`); the extract is written to a temporary CSV and audited
with the year column, once in analyst mode and once with disclosure control.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bias_audit import synthetic_region as synth
from bias_audit.services.region import audit_region


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trusts", type=int, default=40)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--applications", type=int, default=2500)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    years = [f"{2020 + t}/{(21 + t) % 100:02d}" for t in range(args.years)]
    frame = pd.concat(
        [
            synth._one(rng, f"Trust {i:02d}", year, args.applications, 1.5, 1.25)
            for year in years
            for i in range(args.trusts)
        ],
        ignore_index=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "region.csv"
        frame.to_csv(path, index=False)
        print(f"rows {len(frame):,}  ({path.stat().st_size / 1e6:.0f} MB)")
        # Warm up (imports of scipy / statsmodels) on the small example first.
        audit_region([str(Path("example_data") / "region_overdispersed.csv")])
        for suppression in (False, True):
            start = time.perf_counter()
            audit_region([str(path)], year_column="Financial Year", suppression=suppression)
            mode = "published" if suppression else "analyst"
            print(f"{mode:9}  {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    main()
