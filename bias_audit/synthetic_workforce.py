"""A seeded generator of a SYNTHETIC ESR-style staff extract with planted disparities.

The data are invented; nobody in them exists. They imitate the *shape* of an ESR
(Electronic Staff Record) staff report — its column names, ethnic origin codes and labels,
pay bands, staff groups, hire and termination dates, leaving reasons — so that the workforce
audit, its disclosure control and the app can be shown and tested without personal data.

The extract covers two years up to :data:`EXTRACT_DATE`: everyone in post at some time
in them, leavers included. The planted disparities (:data:`PLANTED_WORKFORCE_EFFECTS`) are
built into the probabilities; a correct audit recovers them within sampling error. Every
draw is vectorised with numpy.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from bias_audit.io.codes import NHS_ETHNIC_CATEGORIES

EXTRACT_DATE = pd.Timestamp("2025-03-31")
PERIOD_START = pd.Timestamp("2023-04-01")
EXAMPLE_STAFF = 6000
EXAMPLE_SEED = 12

#: The disparities built into the generator (expected values; a sample scatters around).
PLANTED_WORKFORCE_EFFECTS: dict[str, dict[str, object]] = {
    "wres_indicator_3": {
        "ratio": 1.7,
        "meaning": "BME staff enter a formal disciplinary investigation at 1.7 times the "
        "White rate each year (3.4% against 2.0%).",
    },
    "wres_indicator_4": {
        "ratio": 1.5,
        "meaning": "White staff access non-mandatory training at 1.5 times the BME rate "
        "(60% against 40% in the year).",
    },
    "wdes_metric_3": {
        "ratio": 2.0,
        "meaning": "Disabled staff enter the formal capability process at twice the "
        "non-disabled rate each year (5% against 2.5%).",
    },
    "retention_12_months": {
        "ratio": 0.25 / 0.15,
        "meaning": "Of new starters in Bands 2–4, 25% of BME staff leave within 12 months "
        "against 15% of White staff (12-month retention 75% against 85%).",
    },
    "progression_band_2_to_3": {
        "ratio": 2.0,
        "meaning": "Band 2 staff in post at the start of the period move to Band 3 by its "
        "end at 12% (White) against 6% (BME): White staff twice as likely.",
    },
    "wres_indicator_9": {
        "ratio": 2 / 12,
        "meaning": "2 of the 12 voting board members (2 of all 14) are BME, below the "
        "workforce share.",
    },
    "wdes_metric_10": {
        "ratio": 1 / 12,
        "meaning": "1 of the 12 voting board members (1 of all 14) is Disabled, below the "
        "workforce share.",
    },
    "wres_indicator_1": {
        "ratio": 0.5,
        "meaning": "BME staff are half as likely as others to be in Band 8a and above "
        "(or VSM): the BME share there is about half the workforce share.",
    },
}

DISCIPLINARY_RATE = {"White": 0.020, "BME": 0.034}
CAPABILITY_RATE = {"Yes": 0.05, "No": 0.025}
TRAINING_RATE = {"White": 0.60, "BME": 0.40}
LEAVE_FIRST_YEAR = {"White": 0.15, "BME": 0.25}
LEAVE_PER_YEAR = 0.10
PROMOTION = {("Band 2", "White"): 0.12, ("Band 2", "BME"): 0.06}
PROMOTION_OTHER = {"White": 0.10, "BME": 0.07}
BME_SHARE = 0.26
BME_SHARE_SENIOR = 0.13
NOT_STATED_SHARE = 0.03

# Staff group -> (share of staff, bands drawn from, their weights)
STAFF_GROUPS: dict[str, tuple[float, tuple[str, ...], tuple[float, ...]]] = {
    "Additional Clinical Services": (0.30, ("Band 2", "Band 3", "Band 4"), (0.5, 0.35, 0.15)),
    "Nursing and Midwifery Registered": (
        0.27,
        ("Band 5", "Band 6", "Band 7", "Band 8 - Range A"),
        (0.45, 0.33, 0.17, 0.05),
    ),
    "Administrative and Clerical": (
        0.20,
        ("Band 2", "Band 3", "Band 4", "Band 5", "Band 6", "Band 7", "Band 8 - Range B", "Band 9"),
        (0.22, 0.25, 0.18, 0.12, 0.09, 0.07, 0.05, 0.02),
    ),
    "Estates and Ancillary": (0.08, ("Band 1", "Band 2", "Band 3"), (0.1, 0.6, 0.3)),
    "Allied Health Professionals": (
        0.08,
        ("Band 5", "Band 6", "Band 7", "Band 8 - Range A"),
        (0.3, 0.35, 0.25, 0.1),
    ),
    "Medical and Dental": (
        0.07,
        ("Consultant", "Specialty Doctor", "Specialty Registrar", "Foundation Year 1"),
        (0.4, 0.15, 0.3, 0.15),
    ),
}
SENIOR = ("Band 8 - Range A", "Band 8 - Range B", "Band 9", "Very Senior Manager", "Consultant")
NEXT_BAND = {"Band 2": "Band 3", "Band 3": "Band 4", "Band 5": "Band 6", "Band 6": "Band 7"}
WHITE_CODES = (("A", 0.80), ("B", 0.05), ("C", 0.15))
BME_CODES = (
    ("D", 0.05),
    ("E", 0.04),
    ("F", 0.04),
    ("G", 0.04),
    ("H", 0.22),
    ("J", 0.10),
    ("K", 0.04),
    ("L", 0.10),
    ("M", 0.08),
    ("N", 0.20),
    ("P", 0.03),
    ("R", 0.03),
    ("S", 0.03),
)
GENDERS = (("Female", 0.77), ("Male", 0.23))
DISABILITY = (("No", 0.80), ("Yes", 0.10), ("Not Declared", 0.07), ("Prefer Not To Answer", 0.03))
AGE_BANDS = ("<=20 Years", "21-25", "26-30", "31-35", "36-40", "41-45", "46-50", "51-55")
AGE_BANDS += ("56-60", "61-65", ">=71 Years")
LEAVING_REASONS = (
    ("Voluntary Resignation - Work Life Balance", 0.25),
    ("Voluntary Resignation - Promotion", 0.15),
    ("Voluntary Resignation - Relocation", 0.15),
    ("Voluntary Resignation - Other/Not Known", 0.15),
    ("Retirement Age", 0.12),
    ("End of Fixed Term Contract", 0.10),
    ("Dismissal - Capability", 0.03),
    ("Voluntary Resignation - Health", 0.05),
)
BOARD_SIZE = 14
COLUMNS = (
    "Assignment Number",
    "Staff Group",
    "Pay Band",
    "Band at Start of Period",
    "Ethnic Origin",
    "Gender",
    "Disability Flag",
    "Age Band",
    "Hire Date",
    "Termination Date",
    "Leaving Reason",
    "Formal Disciplinary Date",
    "Formal Capability Date",
    "Non-Mandatory Training",
    "Board Member",
)


def _pick(rng: np.random.Generator, table, n: int) -> np.ndarray:
    values = np.array([v for v, _ in table], dtype=object)
    weights = np.array([w for _, w in table], dtype=float)
    return values[rng.choice(len(values), size=n, p=weights / weights.sum())]


def _days(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return int((b - a).days)


def _uniform_dates(rng, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """A date uniformly between ``low`` and ``high`` (datetime64 arrays, inclusive)."""
    span = (high - low).astype("timedelta64[D]").astype(np.int64)
    offset = np.floor(rng.random(len(low)) * (np.maximum(span, 0) + 1)).astype(np.int64)
    return low + offset.astype("timedelta64[D]")


def make_workforce_extract(
    n_staff: int = EXAMPLE_STAFF, *, seed: int = EXAMPLE_SEED
) -> pd.DataFrame:
    """A synthetic ESR-style staff extract of ``n_staff`` people with the planted effects.

    >>> frame = make_workforce_extract(200, seed=1)
    >>> list(frame.columns) == list(COLUMNS), len(frame)
    (True, 200)
    """
    rng = np.random.default_rng(seed)
    n = n_staff
    groups = list(STAFF_GROUPS)
    shares = np.array([STAFF_GROUPS[g][0] for g in groups])
    group = np.array(groups, dtype=object)[rng.choice(len(groups), size=n, p=shares / shares.sum())]
    band = np.empty(n, dtype=object)
    for g in groups:
        at = group == g
        _, bands, weights = STAFF_GROUPS[g]
        w = np.array(weights) / sum(weights)
        band[at] = np.array(bands, dtype=object)[rng.choice(len(bands), size=int(at.sum()), p=w)]
    vsm = rng.random(n) < 0.004
    band[vsm] = "Very Senior Manager"
    group[vsm] = "Administrative and Clerical"
    senior = np.isin(band, SENIOR)
    bme_p = np.where(senior, BME_SHARE_SENIOR, BME_SHARE)
    draw = rng.random(n)
    wres = np.where(
        draw < NOT_STATED_SHARE,
        "Not stated",
        np.where(draw < NOT_STATED_SHARE + bme_p, "BME", "White"),
    )
    code = np.empty(n, dtype=object)
    code[wres == "White"] = _pick(rng, WHITE_CODES, int((wres == "White").sum()))
    code[wres == "BME"] = _pick(rng, BME_CODES, int((wres == "BME").sum()))
    code[wres == "Not stated"] = "Z"
    labels = {**NHS_ETHNIC_CATEGORIES, "Z": "Not Stated"}
    ethnic_origin = np.array([f"{c} {labels[c]}" for c in code], dtype=object)
    disability = _pick(rng, DISABILITY, n)
    gender = _pick(rng, GENDERS, n)
    age = np.array(AGE_BANDS, dtype=object)[rng.integers(1, len(AGE_BANDS) - 1, size=n)]

    # Start dates: a quarter started during the two years, the rest before.
    start_window = np.datetime64(PERIOD_START.date())
    end = np.datetime64(EXTRACT_DATE.date())
    new = rng.random(n) < 0.25
    start = np.where(
        new,
        _uniform_dates(rng, np.full(n, start_window), np.full(n, end)),
        _uniform_dates(rng, np.full(n, np.datetime64("2001-01-01")), np.full(n, start_window - 1)),
    )
    # Leaving: new starters in Bands 2-4 carry the planted first-year gap.
    support = np.isin(band, ("Band 2", "Band 3", "Band 4"))
    first_year = np.where(wres == "BME", LEAVE_FIRST_YEAR["BME"], LEAVE_FIRST_YEAR["White"])
    hazard = np.where(new & support, -np.log(1 - first_year), -np.log(1 - LEAVE_PER_YEAR))
    years_to_leave = rng.exponential(1 / hazard)
    from_when = np.where(new, start, start_window)
    leave = from_when + (years_to_leave * 365.25).astype(np.int64).astype("timedelta64[D]")
    left = leave <= end
    leaving = np.where(left, leave, np.datetime64("NaT"))
    reason = np.where(left, _pick(rng, LEAVING_REASONS, n), "")

    # Employment in each year, and the events in it (at most one date kept per person: the
    # latest, as an ESR report holds).
    windows = [(start_window, start_window + 365), (start_window + 366, end)]
    white_or_bme = np.where(wres == "BME", "BME", "White")
    disc_p = np.where(white_or_bme == "BME", DISCIPLINARY_RATE["BME"], DISCIPLINARY_RATE["White"])
    cap_p = np.where(disability == "Yes", CAPABILITY_RATE["Yes"], CAPABILITY_RATE["No"])
    disciplinary = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    capability = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    for first, last in windows:
        employed = (start <= last) & (~left | (leaving >= first))
        low = np.maximum(start, first)
        high = np.where(left, np.minimum(leaving, last), last)
        for target, p in ((disciplinary, disc_p), (capability, cap_p)):
            hit = employed & (rng.random(n) < p)
            target[hit] = _uniform_dates(rng, low[hit], high[hit])
    in_post = ~left
    training = np.where(
        rng.random(n)
        < np.where(white_or_bme == "BME", TRAINING_RATE["BME"], TRAINING_RATE["White"]),
        "Y",
        "N",
    )
    # Band at the start of the period, for those in post then; promotions planted.
    earlier = np.where(start < start_window, band, "")
    promoted_from = band.copy()
    for lower, upper in NEXT_BAND.items():
        at = (band == lower) & (start < start_window)
        if lower == "Band 2":
            p = np.where(
                white_or_bme == "BME", PROMOTION[("Band 2", "BME")], PROMOTION[("Band 2", "White")]
            )
        else:
            p = np.where(white_or_bme == "BME", PROMOTION_OTHER["BME"], PROMOTION_OTHER["White"])
        moved = at & (rng.random(n) < p)
        promoted_from[moved] = upper
    band_now = promoted_from
    # Board: executives from the most senior staff in post, non-executives added as staff
    # records with the board flag (2 of 14 BME: below the workforce share).
    board = np.full(n, "", dtype=object)
    candidates = np.flatnonzero(in_post & np.isin(band_now, ("Band 9", "Very Senior Manager")))
    chosen = rng.choice(candidates, size=min(BOARD_SIZE, len(candidates)), replace=False)
    roles = np.array(
        ["Executive Director (voting)"] * 5
        + ["Executive Director (non-voting)"] * 2
        + ["Non-executive Director"] * 7,
        dtype=object,
    )
    board[chosen] = roles[: len(chosen)]
    # The planted board: 2 of its members BME (one executive, one non-executive), the rest
    # White — a smaller BME share than the workforce's.
    ethnic_origin[chosen] = f"A {labels['A']}"
    ethnic_origin[chosen[[0, -1]] if len(chosen) else chosen] = f"N {labels['N']}"
    disability[chosen] = "No"  # and 1 of 14 Disabled (WDES 10 below 0)
    disability[chosen[1:2]] = "Yes"  # (boards of one, in tiny extracts, have none)

    def fmt(dates: np.ndarray) -> np.ndarray:
        series = pd.Series(dates.astype("datetime64[ns]"))
        return series.dt.strftime("%d/%m/%Y").fillna("").to_numpy(dtype=object)

    frame = pd.DataFrame(
        {
            "Assignment Number": [f"{20000000 + i:08d}-{1 + (i % 3)}" for i in range(n)],
            "Staff Group": group,
            "Pay Band": band_now,
            "Band at Start of Period": earlier,
            "Ethnic Origin": ethnic_origin,
            "Gender": gender,
            "Disability Flag": disability,
            "Age Band": age,
            "Hire Date": fmt(start),
            "Termination Date": fmt(leaving),
            "Leaving Reason": reason,
            "Formal Disciplinary Date": fmt(disciplinary),
            "Formal Capability Date": fmt(capability),
            "Non-Mandatory Training": training,
            "Board Member": board,
        }
    )
    return frame[list(COLUMNS)]


def write_workforce_example(folder: str | os.PathLike[str]) -> Path:
    """Write ``workforce_extract.csv`` (the example extract) into ``folder``."""
    path = Path(folder) / "workforce_extract.csv"
    make_workforce_extract().to_csv(path, index=False, lineterminator="\n")
    return path
