"""Write example_data/workforce_extract.csv, the synthetic ESR-style staff extract.

Run from the repository root: ``python scripts/make_workforce_example.py``. The data are
invented (bias_audit.synthetic_workforce, seeded), so the file is the same every time.
"""

from __future__ import annotations

from pathlib import Path

from bias_audit.synthetic_workforce import write_workforce_example

if __name__ == "__main__":
    path = write_workforce_example(Path(__file__).resolve().parent.parent / "example_data")
    print(f"wrote {path}")
