"""Real-shape recruitment extracts written to disk, shared by the engine tests.

Each case is (file name, bytes, audit options). They follow what ESR, TRAC and NHS Jobs
exports look like (research/ecosystem.md §6): cp1252 text with title lines, semicolons,
per-stage date columns, "Appointed / Not appointed" outcomes, total rows, blank lines,
repeated applicant ids and rival ethnicity columns.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "example_data"

_ETHNIC = [
    "A White - British",
    "N Black or Black British - African",
    "H Asian or Asian British - Indian",
    "Z Not stated",
    "C White - Any other White background",
    "R Chinese",
]
_OUTCOMES = ["Not shortlisted", "Shortlisted – not interviewed", "Interview - unsuccessful",
             "Offer declined", "Appointed", "Withdrawn", "Gone fishing"]  # fmt: skip


def _rows(n: int, seed: int) -> list[tuple[str, str, str, str]]:
    out = []
    for i in range(n):
        k = (i * 7 + seed) % 97
        out.append(
            (
                _ETHNIC[k % len(_ETHNIC)],
                ("Female", "Male", "Prefer not to say")[k % 3],
                ("No", "Yes", "")[k % 5 % 3],
                _OUTCOMES[(k // 3) % len(_OUTCOMES)],
            )
        )
    return out


def trac_cp1252() -> bytes:
    """TRAC-style: title lines, semicolons, cp1252 en dashes, a total row, blank lines."""
    lines = ["Equality monitoring report;;;;", "Run 01/04/2025;;;;", ""]
    lines.append("Applicant ID;Ethnic Origin;Sex;Disability;Application Status")
    for i, (e, s, d, o) in enumerate(_rows(400, 3)):
        lines.append(f"{1000 + i % 390};{e};{s};{d};{o}")
        if i in (50, 51, 300):
            lines.append("")
    lines.append(";Total;;;")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("cp1252")


def stage_dates() -> bytes:
    """Per-stage date columns and no outcome column; many distinct dates."""
    lines = [
        "Candidate Ref,Ethnic Group,Gender,Shortlisted Date,Interview Date,Offer Date,Appointed"
    ]
    for i, (e, s, _d, _o) in enumerate(_rows(600, 5)):
        day = 1 + i % 28
        short = f"{day:02d}/03/2024" if i % 2 else ""
        interview = f"2024-04-{day:02d} 09:30" if i % 4 == 1 else ("N" if i % 2 else "")
        offer = f"{day}.5.2024" if i % 8 == 1 else ""
        appointed = "Y" if i % 16 == 1 else "N"
        lines.append(f"C{i},{e.split(' ', 1)[1]},{s},{short},{interview},{offer},{appointed}")
    return ("\n".join(lines) + "\n").encode()


def appointed_flag() -> bytes:
    """NHS Jobs-style "Appointed / Not appointed" beside a "Shortlisted (Y/N)" column, with
    rival ethnicity columns (the code column reads better)."""
    lines = ["Ethnicity,Ethnic Origin Code,Sex,Shortlisted (Y/N),Outcome,Vacancy"]
    for i, (e, s, _d, _o) in enumerate(_rows(500, 11)):
        short = "Y" if i % 3 else "N"
        outcome = "Appointed" if short == "Y" and i % 7 == 1 else "Not appointed"
        lines.append(f"British,{e[0]},{s},{short},{outcome},V{i % 4}")
    return ("\n".join(lines) + "\n").encode()


def parquet_typed() -> bytes:
    """A Parquet extract with typed columns: float codes, dates, timestamps, nulls."""
    rows = _rows(300, 2)
    frame = pd.DataFrame(
        {
            "Applicant ID": [float(i % 280) for i in range(len(rows))],
            "Ethnic Origin": [r[0] if i % 13 else None for i, r in enumerate(rows)],
            "Sex": [r[1] for r in rows],
            "Disabled": [r[2] == "Yes" for r in rows],
            "Shortlisted": pd.to_datetime(
                [f"2024-02-{1 + i % 27:02d}" if i % 3 else None for i in range(len(rows))]
            ),
            "Application Status": [r[3] for r in rows],
        }
    )
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def ids_csv(ids: list[str]) -> bytes:
    """An extract with these applicant ids and no blank or total row (so DuckDB and Spark
    count the ids in the combinations' own scan)."""
    lines = ["Applicant ID,Ethnic Origin,Sex,Application Status"]
    for i, applicant in enumerate(ids):
        ethnicity = "A - White - British" if i % 2 else "H - Indian"
        status = "Appointed" if i % 3 == 0 else "Not shortlisted"
        lines.append(f"{applicant},{ethnicity},{'Female' if i % 4 else 'Male'},{status}")
    return ("\n".join(lines) + "\n").encode("utf-8")


# Ids in every spelling the scan treats apart: whole numbers (grouped 64 to a bucket with a
# bit mask), numbers with a leading zero, a sign, a decimal point or 19 digits (too long
# for the buckets: compared as text), text ids, and blanks of every kind of white space.
# "7" ×3 → 2 repeats; "007" is not "7"; "10000000063" twice (mask bit 63) → 1; "64" and
# "128" share no bucket with "63"; "1", "33" and "65" are three ids (two buckets, one
# bit each); "-5" twice → 1; "AB12" twice → 1; 19-digit twice → 1.
ID_SPELLINGS = [
    "7", "7", "007", "7", "10000000063", "10000000063", "10000000000", "63", "64", "128",
    "1", "33", "65", "-5", "-5", "5.0", "5", "AB12", "AB12", "ab12", "1234567890123456789",
    "1234567890123456789", "123456789012345678", "\u00a0", "\u2003 ", "\t", "",
]  # fmt: skip


CASES = {
    "example_extract": ("recruitment_extract.csv", None, {}),
    "example_counts": ("recruitment_counts.csv", None, {}),
    "example_stratified": ("recruitment_extract.csv", None, {"stratify": "Staff Group"}),
    "trac_cp1252": ("trac.csv", trac_cp1252, {}),
    "stage_dates": ("dates.csv", stage_dates, {}),
    "appointed_flag": ("nhs_jobs.csv", appointed_flag, {"rows_are": "shortlisted"}),
    "parquet_typed": ("typed.parquet", parquet_typed, {}),
    "id_spellings": ("ids.csv", lambda: ids_csv(ID_SPELLINGS), {}),
}


def write_case(name: str, folder: Path) -> tuple[Path, dict]:
    """The case's file on disk (the examples are read in place) and its options."""
    file, make, options = CASES[name]
    if make is None:
        return EXAMPLES / file, options
    path = folder / file
    path.write_bytes(make())
    return path, options


def audit_json(path: Path, engine: str, **options) -> str:
    """The whole audit as the CLI's JSON, from ``engine``."""
    from bias_audit.services import audit_extract

    audit = audit_extract(path, engine=engine, **options)
    return json.dumps(audit.to_dict(), indent=1, ensure_ascii=False, sort_keys=True)


def funnel_json(path: Path, engine: str, **options) -> str:
    """Everything the counting step gives the statistics (the audit is a function of it):
    the count table row for row, stages, views, column choices, unplaced values,
    exclusions, warnings, notes and what is not computable, from ``engine``."""
    import dataclasses

    from bias_audit.io.extract import read_funnel

    funnel = read_funnel(path, engine=engine, **options)
    fields = {f.name: getattr(funnel, f.name) for f in dataclasses.fields(funnel)}
    counts = fields.pop("counts")
    columns = sorted(counts.columns)
    rows = counts[columns].astype(str).sort_values(columns).to_csv(index=False)
    return json.dumps({"counts": rows, **fields}, indent=1, ensure_ascii=False, default=repr)
