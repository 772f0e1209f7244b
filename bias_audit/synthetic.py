"""A seeded generator of SYNTHETIC NHS-style recruitment extracts with planted disparities.

The data are invented. Nobody in them exists. They imitate the *shape* of a TRAC / NHS Jobs
export (column names, ESR-style ethnicity codes and labels, TRAC-like outcome texts) so the
reader, the statistics and the app can be shown and tested without real personal data.

Every draw is vectorised with numpy and every text column is a categorical, so ten million
applications take a few seconds and well under a gigabyte.

Planted disparities (see :data:`PLANTED_EFFECTS`) are built into the probabilities of each
step; a correct report recovers them within sampling error.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from bias_audit.io.codes import NHS_ETHNIC_CATEGORIES
from bias_audit.stats import schema

#: The disparities built into the generator. Ratios are expected values; the observed
#: ratios in a finite sample scatter around them.
PLANTED_EFFECTS: dict[str, dict[str, object]] = {
    "shortlisting_bme_vs_white": {
        "transition": ("applied", "shortlisted"),
        "attribute": schema.ETHNICITY_WRES,
        "ratio": 0.75,
        "meaning": "BME applicants are shortlisted at 0.75 times the White rate "
        "(impact ratio 0.75, below the four-fifths line).",
    },
    "appointment_white_vs_bme": {
        "transition": ("shortlisted", "appointed"),
        "attribute": schema.ETHNICITY_WRES,
        "ratio": 1.5,
        "meaning": "White shortlisted applicants are 1.5 times as likely to be appointed as "
        "BME shortlisted applicants (WRES indicator 2 = 1.5).",
    },
    "appointment_non_disabled_vs_disabled": {
        "transition": ("shortlisted", "appointed"),
        "attribute": schema.DISABILITY,
        "ratio": 1.25,
        "meaning": "Disabled shortlisted applicants are appointed at 0.8 times the "
        "non-disabled rate (WDES metric 2 = 1 / 0.8 = 1.25).",
    },
    "gender_parity": {
        "transition": ("applied", "appointed"),
        "attribute": schema.GENDER,
        "ratio": 1.0,
        "meaning": "Women and men progress at the same rate at every stage (parity).",
    },
}

# Step probabilities for a White, non-disabled applicant; the planted effects scale them.
BASE_RATES = {
    "withdraw_before_shortlisting": 0.03,
    "shortlisted": 0.32,
    "withdraw_before_interview": 0.08,
    "interview_not_held": 0.04,
    "withdraw_after_interview": 0.03,
    "offered": 0.45,
    "offer_declined": 0.10,
    "offer_withdrawn_by_employer": 0.02,
    "offer_pending": 0.02,
}

# NHS ethnic category codes with illustrative applicant shares: loosely Census 2021 England
# (ONS TS021) with the higher share of Black African and Asian applicants seen in NHS
# support-worker recruitment. Illustrative only, not a benchmark.
ETHNICITY_SHARES: dict[str, float] = {
    "A": 0.56,
    "B": 0.01,
    "C": 0.08,
    "D": 0.01,
    "E": 0.01,
    "F": 0.01,
    "G": 0.01,
    "H": 0.04,
    "J": 0.03,
    "K": 0.015,
    "L": 0.02,
    "M": 0.015,
    "N": 0.12,
    "P": 0.01,
    "R": 0.005,
    "S": 0.015,
    "Z": 0.04,
}
_NHS_LABELS = {**NHS_ETHNIC_CATEGORIES, "Z": "Not stated"}
_CENSUS_2021_LABELS = {
    "A": "White: English, Welsh, Scottish, Northern Irish or British",
    "B": "White: Irish",
    "C": "White: Other White",
    "D": "Mixed or Multiple ethnic groups: White and Black Caribbean",
    "E": "Mixed or Multiple ethnic groups: White and Black African",
    "F": "Mixed or Multiple ethnic groups: White and Asian",
    "G": "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    "H": "Asian, Asian British or Asian Welsh: Indian",
    "J": "Asian, Asian British or Asian Welsh: Pakistani",
    "K": "Asian, Asian British or Asian Welsh: Bangladeshi",
    "L": "Asian, Asian British or Asian Welsh: Other Asian",
    "M": "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    "N": "Black, Black British, Black Welsh, Caribbean or African: African",
    "P": "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    "R": "Asian, Asian British or Asian Welsh: Chinese",
    "S": "Other ethnic group: Any other ethnic group",
    "Z": "Prefer not to say",
}
# How the ethnicity cell is written: ESR code + label, bare code, Census 2021 label, and the
# NHS label with an en dash (as Excel's autocorrect leaves it).
ETHNICITY_FORMATS: dict[str, float] = {
    "esr": 0.75,
    "code": 0.10,
    "census2021": 0.10,
    "en_dash_label": 0.05,
}
GENDER_SHARES = {"Female": 0.74, "Male": 0.24, "Non-binary": 0.005, "Prefer not to say": 0.015}
DISABILITY_SHARES = {"No": 0.88, "Yes": 0.08, "Prefer not to say": 0.04}
STAFF_GROUPS = (
    "Additional Clinical Services",
    "Nursing and Midwifery Registered",
    "Administrative and Clerical",
    "Estates and Ancillary",
    "Allied Health Professionals",
)
APPLICATIONS_PER_VACANCY = 40

# Outcome texts per (furthest stage, left_by), TRAC-like; one is drawn at random.
OUTCOME_TEXTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("applied", schema.LEFT_BY_NOT_PROGRESSED): (
        "Not shortlisted",
        "Shortlisting: Rejected",
        "Rejected at shortlisting",
    ),
    ("applied", schema.LEFT_BY_WITHDREW): ("Withdrawn", "Withdrawn by applicant"),
    ("shortlisted", schema.LEFT_BY_WITHDREW): (
        "Withdrawn before interview",
        "Did not attend interview",
    ),
    ("shortlisted", schema.LEFT_BY_NOT_PROGRESSED): ("Shortlisted - interview cancelled",),
    ("interviewed", schema.LEFT_BY_NOT_PROGRESSED): (
        "Interviewed - unsuccessful",
        "Interview: Reserve",
        "Unsuccessful at interview",
    ),
    ("interviewed", schema.LEFT_BY_WITHDREW): ("Withdrawn after interview",),
    ("offered", schema.LEFT_BY_DECLINED): ("Offer declined",),
    ("offered", schema.LEFT_BY_NOT_PROGRESSED): ("Offer withdrawn", "Conditional offer"),
    ("appointed", schema.LEFT_BY_COMPLETED): ("Appointed", "Started", "Starting"),
}

COLUMNS = (
    "Applicant ID",
    "Vacancy Reference",
    "Staff Group",
    "Ethnic Origin",
    "Sex",
    "Disability",
    "Application Status",
    "Interview Date",
)


@dataclass(frozen=True)
class _Simulated:
    """Per-application truth: category codes, furthest stage index and left_by index."""

    ethnicity: np.ndarray  # index into ETHNICITY_SHARES
    gender: np.ndarray
    disability: np.ndarray
    stage: np.ndarray
    left_by: np.ndarray
    vacancy: np.ndarray


def _draw(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    p = np.fromiter(shares.values(), dtype=np.float64)
    return rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int16)


def _simulate(n: int, seed: int) -> _Simulated:
    rng = np.random.default_rng(seed)
    codes = list(ETHNICITY_SHARES)
    ethnicity = _draw(rng, ETHNICITY_SHARES, n)
    gender = _draw(rng, GENDER_SHARES, n)
    disability = _draw(rng, DISABILITY_SHARES, n)
    bme = np.isin(ethnicity, [codes.index(c) for c in "DEFGHJKLMNPRS"])
    disabled = disability == list(DISABILITY_SHARES).index("Yes")
    rate = BASE_RATES
    shortlist_p = np.where(bme, rate["shortlisted"] * 0.75, rate["shortlisted"])
    offer_p = rate["offered"] * np.where(bme, 1 / 1.5, 1.0) * np.where(disabled, 0.8, 1.0)
    u = rng.random((6, n), dtype=np.float32)

    stage = np.zeros(n, dtype=np.int8)
    left = np.full(n, schema.LEFT_BY_VALUES.index(schema.LEFT_BY_NOT_PROGRESSED), np.int8)
    withdrew = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_WITHDREW)
    declined = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_DECLINED)
    completed = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_COMPLETED)

    gone = u[0] < rate["withdraw_before_shortlisting"]
    left[gone] = withdrew
    # Conditional on not withdrawing, so the shortlisting rate among decisions is exact.
    short = ~gone & (u[1] < shortlist_p)
    stage[short] = 1
    gone = short & (u[2] < rate["withdraw_before_interview"])
    left[gone] = withdrew
    not_held = rate["withdraw_before_interview"] + rate["interview_not_held"]
    interviewed = short & (u[2] >= not_held)
    stage[interviewed] = 2
    gone = interviewed & (u[3] < rate["withdraw_after_interview"])
    left[gone] = withdrew
    offered = interviewed & ~gone & (u[4] < offer_p)
    stage[offered] = 3
    declined_offer = offered & (u[5] < rate["offer_declined"])
    left[declined_offer] = declined
    pending_cut = rate["offer_declined"] + rate["offer_withdrawn_by_employer"]
    pending_cut += rate["offer_pending"]
    appointed = offered & (u[5] >= pending_cut)
    stage[appointed] = 4
    left[appointed] = completed
    n_vacancies = max(1, n // APPLICATIONS_PER_VACANCY)
    vacancy = rng.integers(0, n_vacancies, size=n, dtype=np.int32)
    return _Simulated(ethnicity, gender, disability, stage, left, vacancy)


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=categories)


def make_synthetic_extract(n_applications: int, *, seed: int = 2024) -> pd.DataFrame:
    """Build a SYNTHETIC raw NHS-style recruitment extract, one row per application.

    Parameters
    ----------
    n_applications
        Number of rows (applications).
    seed
        Random seed; the same seed and size always give the same extract.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`; text columns are categoricals, "Applicant ID" is int64.

    Examples
    --------
    >>> frame = make_synthetic_extract(1000, seed=1)
    >>> list(frame.columns)[:4]
    ['Applicant ID', 'Vacancy Reference', 'Staff Group', 'Ethnic Origin']
    >>> len(frame), frame["Applicant ID"].is_unique
    (1000, True)
    """
    if n_applications < 1:
        raise ValueError("n_applications must be at least 1")
    sim = _simulate(n_applications, seed)
    rng = np.random.default_rng([seed, 1])
    n = n_applications

    codes = list(ETHNICITY_SHARES)
    formats = list(ETHNICITY_FORMATS)
    labels: list[str] = []
    for code in codes:
        for fmt in formats:
            if fmt == "esr":
                labels.append(f"{code} {_NHS_LABELS[code]}")
            elif fmt == "code":
                labels.append(code)
            elif fmt == "census2021":
                labels.append(_CENSUS_2021_LABELS[code])
            else:
                labels.append(_NHS_LABELS[code].replace(" - ", " \u2013 "))
    fmt = _draw(rng, ETHNICITY_FORMATS, n)
    ethnicity = _categorical(sim.ethnicity.astype(np.int32) * len(formats) + fmt, labels)

    outcome_labels: list[str] = []
    offsets: dict[tuple[int, int], tuple[int, int]] = {}
    for (stage_name, left_name), texts in OUTCOME_TEXTS.items():
        key = (schema.DEFAULT_STAGES.index(stage_name), schema.LEFT_BY_VALUES.index(left_name))
        offsets[key] = (len(outcome_labels), len(texts))
        outcome_labels.extend(texts)
    pick = rng.random(n)
    outcome = np.zeros(n, dtype=np.int32)
    for (stage_index, left_index), (start, count) in offsets.items():
        rows = (sim.stage == stage_index) & (sim.left_by == left_index)
        if stage_index == 3 and left_index == 0:
            # Employer-withdrawn offers and offers still pending, in their planted shares.
            share = BASE_RATES["offer_withdrawn_by_employer"]
            share /= share + BASE_RATES["offer_pending"]
            outcome[rows] = start + (pick[rows] >= share)
        else:
            outcome[rows] = start + (pick[rows] * count).astype(np.int32)

    start_day = np.datetime64("2024-04-01")
    days = np.arange(366)
    date_labels = [pd.Timestamp(start_day + int(d)).strftime("%d/%m/%Y") for d in days] + [""]
    interview_day = rng.integers(0, 366, size=n, dtype=np.int32)
    interview_day[sim.stage < 2] = len(days)

    n_vacancies = max(1, n // APPLICATIONS_PER_VACANCY)
    vacancy_labels = [f"C9{v % 900 + 100:03d}-24-{v:06d}" for v in range(n_vacancies)]
    vacancy_group = np.random.default_rng([seed, 2]).integers(
        0, len(STAFF_GROUPS), size=n_vacancies
    )

    return pd.DataFrame(
        {
            "Applicant ID": np.arange(10_000_001, 10_000_001 + n, dtype=np.int64),
            "Vacancy Reference": _categorical(sim.vacancy, vacancy_labels),
            "Staff Group": _categorical(vacancy_group[sim.vacancy], list(STAFF_GROUPS)),
            "Ethnic Origin": ethnicity,
            "Sex": _categorical(sim.gender, list(GENDER_SHARES)),
            "Disability": _categorical(sim.disability, list(DISABILITY_SHARES)),
            "Application Status": _categorical(outcome, outcome_labels),
            "Interview Date": _categorical(interview_day, date_labels),
        }
    )


def write_synthetic_extract(
    path: str | os.PathLike[str],
    n_applications: int,
    *,
    seed: int = 2024,
    encoding: Literal["cp1252", "utf-8", "utf-8-sig"] = "cp1252",
    chunk_rows: int = 250_000,
) -> None:
    """Write :func:`make_synthetic_extract` as CSV (cp1252 by default, like Excel on Windows).

    The bytes are what ``DataFrame.to_csv(index=False, lineterminator="\\r\\n")`` writes,
    about twice as fast: each category is quoted and encoded once, and rows are joined with
    numpy string operations, a chunk at a time so memory stays flat.
    """
    frame = make_synthetic_extract(n_applications, seed=seed)
    _write_csv(frame, path, encoding=encoding, chunk_rows=chunk_rows)


def _csv_field(text: str) -> str:
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write_csv(
    frame: pd.DataFrame, path: str | os.PathLike[str], *, encoding: str, chunk_rows: int
) -> None:
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    encoded = {
        name: np.array([_csv_field(str(c)).encode(codec) for c in frame[name].cat.categories])
        for name in frame.columns
        if isinstance(frame[name].dtype, pd.CategoricalDtype)
    }
    with open(path, "wb") as handle:
        if encoding == "utf-8-sig":
            handle.write(codecs.BOM_UTF8)
        handle.write(",".join(_csv_field(c) for c in frame.columns).encode(codec) + b"\r\n")
        for start in range(0, len(frame), chunk_rows):
            part = frame.iloc[start : start + chunk_rows]
            line = None
            for name in frame.columns:
                if name in encoded:
                    cells = encoded[name][part[name].cat.codes.to_numpy()]
                else:
                    cells = part[name].to_numpy().astype("S")
                line = cells if line is None else np.strings.add(np.strings.add(line, b","), cells)
            handle.write(b"\r\n".join(line.tolist()) + b"\r\n")


#: Seed of the checked-in example extract, chosen so its 5,000 rows sit close to the planted
#: values (a sample that size scatters; this one shows each effect clearly).
EXAMPLE_SEED = 131
EXAMPLE_APPLICATIONS = 5000

_COUNT_GROUPS = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian or Asian British"),
    **dict.fromkeys("MNP", "Black or Black British"),
    **dict.fromkeys("RS", "Other ethnic group"),
    "Z": "Not stated",
}


def make_synthetic_counts(n_applications: int, *, seed: int = 2024) -> pd.DataFrame:
    """The same simulated applications as a long count table: group columns, stage, count.

    ``Number of applicants`` is the number who *reached* each stage (as in NHS Jobs' "Equal
    Opportunities Progress" report), by five ethnic groups and sex.

    Examples
    --------
    >>> table = make_synthetic_counts(1000, seed=1)
    >>> list(table.columns)
    ['Ethnic Group', 'Sex', 'Stage', 'Number of applicants']
    >>> int(table.loc[table["Stage"] == "Applied", "Number of applicants"].sum())
    1000
    """
    sim = _simulate(n_applications, seed)
    codes = list(ETHNICITY_SHARES)
    groups = list(dict.fromkeys(_COUNT_GROUPS.values()))
    group_of_code = np.array([groups.index(_COUNT_GROUPS[c]) for c in codes])
    group = group_of_code[sim.ethnicity]
    n_gender = len(GENDER_SHARES)
    n_stages = len(schema.DEFAULT_STAGES)
    furthest = np.bincount(
        (group * n_gender + sim.gender) * n_stages + sim.stage,
        minlength=len(groups) * n_gender * n_stages,
    ).reshape(len(groups), n_gender, n_stages)
    reached = furthest[:, :, ::-1].cumsum(axis=2)[:, :, ::-1]
    g, s, k = np.meshgrid(
        np.arange(len(groups)), np.arange(n_gender), np.arange(n_stages), indexing="ij"
    )
    table = pd.DataFrame(
        {
            "Ethnic Group": np.asarray(groups, dtype=object)[g.ravel()],
            "Sex": np.asarray(list(GENDER_SHARES), dtype=object)[s.ravel()],
            "Stage": np.asarray([st.capitalize() for st in schema.DEFAULT_STAGES], dtype=object)[
                k.ravel()
            ],
            "Number of applicants": reached.ravel(),
        }
    )
    return table[
        table.groupby(["Ethnic Group", "Sex"])["Number of applicants"].transform("sum") > 0
    ]


def write_example_data(folder: str | os.PathLike[str]) -> None:
    """Regenerate ``example_data/recruitment_extract.csv`` and ``recruitment_counts.csv``."""
    write_synthetic_extract(
        os.path.join(folder, "recruitment_extract.csv"), EXAMPLE_APPLICATIONS, seed=EXAMPLE_SEED
    )
    make_synthetic_counts(EXAMPLE_APPLICATIONS, seed=EXAMPLE_SEED).to_csv(
        os.path.join(folder, "recruitment_counts.csv"), index=False, lineterminator="\r\n"
    )


if __name__ == "__main__":  # python -m bias_audit.synthetic example_data
    import sys

    write_example_data(sys.argv[1] if len(sys.argv) > 1 else "example_data")
