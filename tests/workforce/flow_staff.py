"""A seeded tidy staff frame with planted gaps, for the retention and progression tests.

BME starters leave faster (a monthly leaving hazard of 4% against 2% for White starters)
and BME Band 2 staff move up less often (15% against 40%); everything else is even.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

EXTRACT_DATE = dt.date(2026, 3, 31)
ACS = "Additional Clinical Services"
NMR = "Nursing and Midwifery Registered"


def synthetic_staff(n: int = 600, *, seed: int = 12) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ethnicity = rng.choice(["White", "BME", "Not stated"], n, p=[0.6, 0.35, 0.05])
    gender = rng.choice(["Female", "Male"], n, p=[0.8, 0.2])
    disability = rng.choice(["Not disabled", "Disabled", "Not stated"], n, p=[0.8, 0.1, 0.1])
    age = rng.choice(["16-24", "25-34", "35-49", "50+"], n)
    extract = pd.Timestamp(EXTRACT_DATE)
    start = extract - pd.to_timedelta(rng.integers(0, 4 * 365, n), unit="D")
    hazard = np.where(ethnicity == "BME", 0.04, 0.02)
    months_to_leave = rng.geometric(hazard)
    leave = start + pd.to_timedelta((months_to_leave * 30.44).astype(int), unit="D")
    leave = leave.where(leave <= extract, pd.NaT)
    reason = np.where(
        leave.notna(),
        rng.choice(
            [
                "Voluntary Resignation - Work Life Balance",
                "Voluntary Resignation - Relocation",
                "End of Fixed Term Contract",
                "Dismissal - Conduct",
                "Retirement Age",
            ],
            n,
        ),
        None,
    )
    earlier = rng.choice(["Band 2", "Band 3", "Band 4"], n, p=[0.6, 0.3, 0.1])
    up = rng.random(n) < np.where((ethnicity == "BME") & (earlier == "Band 2"), 0.15, 0.4)
    rank = earlier.astype("U6").copy()
    band = np.where(
        up,
        np.where(earlier == "Band 2", "Band 3", np.where(earlier == "Band 3", "Band 4", "Band 5")),
        rank,
    )
    staff_group = np.where(band == "Band 5", NMR, ACS)
    # People who started within the last year have no earlier band (joined in the period).
    recent = start > extract - pd.Timedelta(days=365)
    return pd.DataFrame(
        {
            "person_id": [f"row {i}" for i in range(n)],
            "ethnicity_wres": ethnicity,
            "gender": gender,
            "disability": disability,
            "age_band": age,
            "band": band,
            "staff_group": staff_group,
            "start_date": start,
            "leaving_date": leave,
            "leaving_reason": reason,
            "band_earlier": np.where(recent, None, earlier),
        }
    )
