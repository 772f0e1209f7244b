"""SYNTHETIC multi-trust recruitment extracts for the region comparison (seeded).

Invented data: no real applicant or trust is described. The trusts are called "Synthetic
Trust A" … so nobody mistakes a planted result for a finding about a real NHS trust (they
are flagged as not in the NHS England ODS list, as any unknown name is).

Two scenarios (:func:`write_region_examples`):

- ``region_extract.csv``: 8 trusts × 3 financial years, one row per application. Every
  trust has WRES indicator 2 = :data:`REGION_WRES` in expectation (2022/23), falling by
  :data:`YEARLY_FACTOR` each year, except :data:`OUTLIER_TRUST`, planted at
  :data:`OUTLIER_WRES` (outside the 99.8% limits); WDES metric 2 = :data:`REGION_WDES`
  everywhere. No over-dispersion: the funnel plot needs no adjustment.
- ``region_overdispersed.csv``: 12 trusts × one year, each trust's true ratio drawn
  log-normally around 1.5 (σ = :data:`OVERDISPERSED_SIGMA` on the log scale), so the
  trusts differ by more than chance: the over-dispersion test fires and the limits widen.

Regenerate: ``python -m bias_audit.synthetic_region example_data``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 14
TRUSTS = tuple(f"Synthetic Trust {letter}" for letter in "ABCDEFGH")
YEARS = ("2022/23", "2023/24", "2024/25")
APPLICATIONS = 800  # per trust and year
REGION_WRES = 1.6
YEARLY_FACTOR = 0.85  # the ratio in year t is REGION_WRES × YEARLY_FACTOR ** t
OUTLIER_TRUST = "Synthetic Trust E"
OUTLIER_WRES = 4.0
REGION_WDES = 1.25
OVERDISPERSED_TRUSTS = tuple(f"Synthetic Trust {letter}" for letter in "ABCDEFGHJKLM")
OVERDISPERSED_SIGMA = 0.3
OVERDISPERSED_APPLICATIONS = 1500
WHITE_SHORTLISTED = 0.45
BME_SHORTLISTED = 0.36
WHITE_APPOINTED = 0.45  # of shortlisted White, not disabled applicants
COLUMNS = ("Trust", "Financial Year", "Ethnic Origin", "Disability", "Sex", "Application Status")
_WHITE = ("A", "B", "C")
_BME = ("D", "F", "H", "J", "K", "L", "M", "N", "R", "S")


def _one(
    rng: np.random.Generator, trust: str, year: str, n: int, wres: float, wdes: float
) -> pd.DataFrame:
    group = rng.choice(3, size=n, p=[0.68, 0.28, 0.04])  # White, BME, not stated
    codes = np.where(
        group == 0,
        rng.choice(_WHITE, size=n, p=[0.85, 0.03, 0.12]),
        np.where(group == 1, rng.choice(_BME, size=n), "Z"),
    )
    disabled = rng.choice(3, size=n, p=[0.86, 0.10, 0.04])  # No, Yes, Prefer not to say
    shortlist_p = np.where(group == 1, BME_SHORTLISTED, WHITE_SHORTLISTED)
    shortlisted = rng.random(n) < shortlist_p
    appoint_p = np.full(n, WHITE_APPOINTED)
    appoint_p = np.where(group == 1, appoint_p / wres, appoint_p)
    appoint_p = np.where(disabled == 1, appoint_p / wdes, appoint_p)
    appointed = shortlisted & (rng.random(n) < appoint_p)
    status = np.where(
        appointed,
        "Appointed",
        np.where(shortlisted, "Interviewed - unsuccessful", "Not shortlisted"),
    )
    return pd.DataFrame(
        {
            "Trust": trust,
            "Financial Year": year,
            "Ethnic Origin": codes,
            "Disability": np.array(["No", "Yes", "Prefer not to say"])[disabled],
            "Sex": rng.choice(["Female", "Male"], size=n, p=[0.75, 0.25]),
            "Application Status": status,
        }
    )


def make_region_extract(*, seed: int = SEED, applications: int = APPLICATIONS) -> pd.DataFrame:
    """The 8-trust, 3-year extract (one row per application), planted as described above.

    >>> frame = make_region_extract(applications=50)
    >>> len(frame), frame["Trust"].nunique(), sorted(frame["Financial Year"].unique())
    (1200, 8, ['2022/23', '2023/24', '2024/25'])
    """
    rng = np.random.default_rng(seed)
    parts = []
    for t, year in enumerate(YEARS):
        for trust in TRUSTS:
            wres = OUTLIER_WRES if trust == OUTLIER_TRUST else REGION_WRES * YEARLY_FACTOR**t
            parts.append(_one(rng, trust, year, applications, wres, REGION_WDES))
    return pd.concat(parts, ignore_index=True)


def make_overdispersed_extract(
    *, seed: int = SEED + 1, applications: int = OVERDISPERSED_APPLICATIONS
) -> pd.DataFrame:
    """12 trusts, one year, true ratios scattered log-normally around 1.5."""
    rng = np.random.default_rng(seed)
    ratios = np.exp(
        np.log(1.5) + OVERDISPERSED_SIGMA * rng.standard_normal(len(OVERDISPERSED_TRUSTS))
    )
    parts = [
        _one(rng, trust, YEARS[-1], applications, float(ratio), REGION_WDES)
        for trust, ratio in zip(OVERDISPERSED_TRUSTS, ratios, strict=True)
    ]
    return pd.concat(parts, ignore_index=True)


def write_region_examples(folder: str | os.PathLike[str]) -> list[Path]:
    """Write ``region_extract.csv`` and ``region_overdispersed.csv`` into ``folder``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (
        ("region_extract.csv", make_region_extract()),
        ("region_overdispersed.csv", make_overdispersed_extract()),
    ):
        path = out / name
        frame.to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in write_region_examples(sys.argv[1] if len(sys.argv) > 1 else "example_data"):
        print(path)
