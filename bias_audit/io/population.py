"""The Census 2021 local-population pack: read, check, choose an area, benchmark shares.

The tables live in ``bias_audit/data/census2021/`` (see its README for sources, licence and
limits; ``docs/population.md`` for the method). They are read once per process with
:mod:`importlib.resources` and checked on load: local authority codes, the same authorities
in every table, totals agreeing across tables within ONS's perturbation
(:data:`TOTALS_TOLERANCE` people), the ethnic-group mapping covering the 19 Census columns,
and each acute trust's catchment shares summing to 1.

An area is chosen with :func:`resolve_population` from ``"england"``, ``"trust=RAE"`` or
``"la=E08000032,Calderdale"``; :func:`benchmark_shares` gives each attribute view's
population shares for it.
"""

from __future__ import annotations

import difflib
import functools
import io
import re
from dataclasses import dataclass, field
from importlib import resources

import pandas as pd

from bias_audit.errors import InputDataError, OptionError
from bias_audit.stats import schema
from bias_audit.stats.population import weighted_shares

DATA_FOLDER = "data/census2021"
TOTALS_TOLERANCE = 60
SHARE_TOLERANCE = 1e-6
LA_CODE = re.compile(r"^[EW]0[6-9]\d{6}$")

ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains public sector information licensed under the Open Government Licence v3.0 "
    "(NHS England ODS; OHID NHS Acute Trust Catchment Populations 2022)."
)
SOURCE = (
    "ONS Census 2021 (TS021 ethnic group, TS009 sex by age, TS038 disability), usual "
    "residents by local authority (2021 boundaries); OHID acute trust catchments (2022)"
)
#: Who each view's benchmark counts, in words a report can put beside the figure.
POPULATION_COVERED: dict[str, str] = {
    schema.ETHNICITY_DETAILED: "usual residents of all ages",
    schema.ETHNICITY_GROUP: "usual residents of all ages",
    schema.ETHNICITY_WRES: "usual residents of all ages",
    schema.GENDER: "usual residents aged 16 to 64",
    schema.DISABILITY: "usual residents of all ages",
}
#: The views a population benchmark exists for, in report order.
VIEWS: tuple[str, ...] = tuple(POPULATION_COVERED)

# Trusts that merged after the 2022 catchments (the pack README, "Trusts changed after 2022").
SUCCESSORS: dict[str, str] = {"RBZ": "RH8", "RA4": "RH5", "RVY": "RBN", "RAP": "RAL"}

MSG_BAD_FILE = (
    "Shipped population file {file}: {problem}. The package's data folder is damaged; "
    "reinstall bias-audit (or rebuild the pack with its build_pack.py, docs/population.md)."
)
PROBLEM_BAD_CODES = "local authority codes that are not ONS codes: {codes}"
PROBLEM_CODE_SETS = "its local authorities differ from ethnicity_ltla21.csv's: {codes}"
PROBLEM_TOTALS = (
    "its total differs from ethnicity_ltla21.csv's by more than {tolerance} people in {codes}"
)
PROBLEM_SHARES = "the catchment shares do not sum to 1 for trusts {codes}"
PROBLEM_UNKNOWN_LA = "catchment rows name local authorities not in the Census tables: {codes}"
PROBLEM_MAPPING = "the mapping does not list exactly the 19 Census ethnic groups: {labels}"
PROBLEM_NEGATIVE = "negative counts in {codes}"

MSG_BAD_SPEC = (
    'Population "{spec}" not understood. Use england, trust=CODE (an acute trust, e.g. '
    "trust=RAE) or la=CODE,CODE (local authority codes or names, e.g. la=E08000032,Calderdale)."
)
MSG_UNKNOWN_TRUST = 'Trust code "{code}" is not an English NHS trust in the shipped list.{close}'
MSG_UNKNOWN_LA = 'Local authority "{name}" is not one of the 331 Census 2021 authorities.{close}'
MSG_CLOSE = " Did you mean: {matches}?"
MSG_NOT_ACUTE = (
    "{code} ({name}) is not in the acute trust catchment file (it covers 138 acute trusts; "
    "mental-health, community, ambulance and specialist trusts are not in it). Give the "
    "local authorities it serves instead, e.g. --population la={example}."
)
MSG_EMPTY_LA = "No local authorities given: use la=CODE,CODE."
NOTE_SUCCESSOR = (
    "{old} ({old_name}) closed on {closed}; its successor is {new} ({new_name}). The "
    "benchmark uses {new}'s 2022 catchment, which does not include {old}'s former patients "
    "(combining two catchments is only approximate: the pack lacks each trust's catchment "
    "size)."
)
NOTE_CATCHMENT = (
    "The catchment of {code} is the mix of its {count} local authorities' populations, each "
    "weighted by the share of the trust's catchment living there (OHID, 2022)."
)
NOTE_MERGED_INTO = (
    "{new}'s catchment describes the 2022 organisation; {olds} merged into it later and are "
    "not in it (--population trust={first} gives the former trust's own 2022 catchment)."
)


@dataclass(frozen=True)
class CensusTables:
    """The pack, indexed by local authority code (``ltla21_code``) where it has one."""

    ethnicity: pd.DataFrame  # 19 Census ethnic group columns
    sex: pd.DataFrame  # total_population, females, males, females_16_64, males_16_64
    disability: pd.DataFrame  # disabled, not_disabled
    authorities: pd.DataFrame  # ltla21.csv
    catchment: pd.DataFrame  # trust_code, ltla21_code, share
    trusts: pd.DataFrame  # trusts.csv, indexed by trust_code
    mapping: pd.DataFrame  # ethnicity_census19_to_nhs.csv


@dataclass(frozen=True)
class Area:
    """A chosen population: ``label`` in words, ``kind`` (england / trust / la), the local
    authorities and their weights (``None``: pooled by population), and notes to show."""

    kind: str
    label: str
    codes: tuple[str, ...]
    weights: pd.Series | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _read(name: str) -> pd.DataFrame:
    data = resources.files("bias_audit").joinpath(f"{DATA_FOLDER}/{name}").read_bytes()
    return pd.read_csv(io.BytesIO(data), dtype={"ltla21_code": str, "trust_code": str})


@functools.cache
def load_tables() -> CensusTables:
    """Read and check the shipped pack (once per process).

    >>> tables = load_tables()
    >>> len(tables.ethnicity), len(tables.mapping)
    (331, 19)
    """
    ethnicity = _read("ethnicity_ltla21.csv").set_index("ltla21_code")
    tables = CensusTables(
        ethnicity=ethnicity.drop(columns=["ltla21_name"]),
        sex=_read("sex_working_age_ltla21.csv").set_index("ltla21_code"),
        disability=_read("disability_ltla21.csv").set_index("ltla21_code"),
        authorities=_read("ltla21.csv").set_index("ltla21_code"),
        catchment=_read("trust_catchment_ltla21.csv"),
        trusts=_read("trusts.csv").set_index("trust_code"),
        mapping=_read("ethnicity_census19_to_nhs.csv"),
    )
    check_tables(tables)
    return tables


def check_tables(tables: CensusTables) -> None:
    """Raise :class:`InputDataError` naming the file and the problem if the pack is not
    consistent (see the module docstring for the checks)."""

    def fail(file: str, problem: str) -> None:
        raise InputDataError(MSG_BAD_FILE.format(file=file, problem=problem))

    def listed(codes: object) -> str:
        items = sorted(str(c) for c in codes)  # type: ignore[attr-defined]
        return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")

    bad = [c for c in tables.ethnicity.index if not LA_CODE.match(str(c))]
    if bad:
        fail("ethnicity_ltla21.csv", PROBLEM_BAD_CODES.format(codes=listed(bad)))
    codes = set(tables.ethnicity.index)
    ethnic_total = tables.ethnicity.sum(axis=1)
    totals = {
        "sex_working_age_ltla21.csv": tables.sex["total_population"],
        "disability_ltla21.csv": tables.disability.sum(axis=1),
    }
    for file, frame in (
        ("sex_working_age_ltla21.csv", tables.sex),
        ("disability_ltla21.csv", tables.disability),
        ("ltla21.csv", tables.authorities),
    ):
        if set(frame.index) != codes:
            fail(file, PROBLEM_CODE_SETS.format(codes=listed(set(frame.index) ^ codes)))
    for file, frame in (
        ("ethnicity_ltla21.csv", tables.ethnicity),
        ("sex_working_age_ltla21.csv", tables.sex),
        ("disability_ltla21.csv", tables.disability),
    ):
        negative = frame.index[(frame.select_dtypes("number") < 0).any(axis=1)]
        if len(negative):
            fail(file, PROBLEM_NEGATIVE.format(codes=listed(negative)))
    for file, total in totals.items():
        gap = (total - ethnic_total.loc[total.index]).abs()
        off = gap.index[gap > TOTALS_TOLERANCE]
        if len(off):
            fail(file, PROBLEM_TOTALS.format(tolerance=TOTALS_TOLERANCE, codes=listed(off)))
    labels = list(tables.mapping["census2021_label"])
    if len(labels) != 19 or set(labels) != set(tables.ethnicity.columns):
        fail(
            "ethnicity_census19_to_nhs.csv",
            PROBLEM_MAPPING.format(labels=listed(set(labels) ^ set(tables.ethnicity.columns))),
        )
    unknown = set(tables.catchment["ltla21_code"]) - codes
    if unknown:
        fail("trust_catchment_ltla21.csv", PROBLEM_UNKNOWN_LA.format(codes=listed(unknown)))
    sums = tables.catchment.groupby("trust_code")["share"].sum()
    off_trusts = sums.index[(sums - 1).abs() > SHARE_TOLERANCE]
    if len(off_trusts):
        fail("trust_catchment_ltla21.csv", PROBLEM_SHARES.format(codes=listed(off_trusts)))


def _close(word: str, choices: dict[str, str]) -> str:
    """ " Did you mean …?" from the keys of ``choices`` (lower-cased) → shown text."""
    found = difflib.get_close_matches(word.lower(), list(choices), n=3, cutoff=0.6)
    return MSG_CLOSE.format(matches=", ".join(choices[f] for f in found)) if found else ""


def resolve_population(spec: str) -> Area:
    """An :class:`Area` from ``"england"``, ``"trust=CODE"`` or ``"la=CODE_OR_NAME,…"``.

    Raises :class:`OptionError` with close matches for unknown codes and names.

    Examples
    --------
    >>> resolve_population("la=Bradford").codes
    ('E08000032',)
    >>> resolve_population("trust=RBZ").notes[0][:40]
    'RBZ (Northern Devon Healthcare NHS Trust'
    """
    text = spec.strip()
    if text.lower() == "england":
        tables = load_tables()
        codes = tuple(c for c in tables.ethnicity.index if c.startswith("E"))
        return Area("england", "England", codes)
    kind, sep, value = text.partition("=")
    kind = kind.strip().lower()
    if not sep or kind not in ("trust", "la"):
        raise OptionError(MSG_BAD_SPEC.format(spec=spec))
    if kind == "trust":
        return _trust_area(value.strip().upper())
    return _la_area([v.strip() for v in value.split(",") if v.strip()])


def _trust_area(code: str) -> Area:
    tables = load_tables()
    trusts = tables.trusts
    if code not in trusts.index:
        choices = {c.lower(): c for c in trusts.index}
        choices |= {
            str(n).lower(): f"{c} ({_trust_name(c)})" for c, n in trusts["trust_name"].items()
        }
        raise OptionError(MSG_UNKNOWN_TRUST.format(code=code, close=_close(code, choices)))
    notes: list[str] = []
    used = code
    if code in SUCCESSORS:
        used = SUCCESSORS[code]
        notes.append(
            NOTE_SUCCESSOR.format(
                old=code,
                old_name=_trust_name(code),
                closed=trusts.loc[code, "ods_close_date"],
                new=used,
                new_name=_trust_name(used),
            )
        )
    else:
        merged = sorted(old for old, new in SUCCESSORS.items() if new == code)
        if merged:
            notes.append(NOTE_MERGED_INTO.format(new=code, olds=", ".join(merged), first=merged[0]))
    rows = tables.catchment[tables.catchment["trust_code"] == used]
    if rows.empty:
        icb = trusts.loc[code, "icb_code_nhs"]
        same_icb = tables.authorities.index[tables.authorities["icb24_code_nhs"] == icb]
        example = ",".join(list(same_icb[:3])) or "E08000032,E08000033"
        raise OptionError(MSG_NOT_ACUTE.format(code=code, name=_trust_name(code), example=example))
    weights = rows.set_index("ltla21_code")["share"].astype(float)
    label = f"the catchment of {_trust_name(used)} ({used})"
    notes.append(NOTE_CATCHMENT.format(code=used, count=len(weights)))
    return Area("trust", label, tuple(weights.index), weights, tuple(notes))


def _trust_name(code: str) -> str:
    row = load_tables().trusts.loc[code]
    name = row["trust_name_2022"]
    return str(name if isinstance(name, str) and name else str(row["trust_name"]).title())


def _la_area(items: list[str]) -> Area:
    if not items:
        raise OptionError(MSG_EMPTY_LA)
    authorities = load_tables().authorities
    by_name = {str(n).lower(): c for c, n in authorities["ltla21_name"].items()}
    codes: list[str] = []
    for item in items:
        if item.upper() in authorities.index:
            code = item.upper()
        elif item.lower() in by_name:
            code = by_name[item.lower()]
        else:
            choices = {c.lower(): f"{c} ({n})" for c, n in authorities["ltla21_name"].items()}
            choices |= {str(n).lower(): f"{n} ({c})" for c, n in authorities["ltla21_name"].items()}
            raise OptionError(MSG_UNKNOWN_LA.format(name=item, close=_close(item, choices)))
        if code not in codes:
            codes.append(code)
    names = [str(authorities.loc[c, "ltla21_name"]) for c in codes]
    label = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    return Area("la", label, tuple(codes))


def _view_counts(tables: CensusTables, view: str, *, chinese_group: str) -> pd.DataFrame:
    """Per local authority, the counts of each group of one attribute view."""
    if view in (schema.ETHNICITY_DETAILED, schema.ETHNICITY_GROUP, schema.ETHNICITY_WRES):
        mapping = tables.mapping.set_index("census2021_label")
        if view == schema.ETHNICITY_DETAILED:
            key = mapping["nhs_label"]
        elif view == schema.ETHNICITY_WRES:
            key = mapping["wres_group"].replace({"White": schema.WHITE, "BME": schema.BME})
        else:
            key = mapping["broad_group_5"].where(mapping["nhs_code"] != "R", chinese_group)
        return tables.ethnicity.T.groupby(key.loc[tables.ethnicity.columns].to_numpy()).sum().T
    if view == schema.GENDER:
        return pd.DataFrame(
            {"Female": tables.sex["females_16_64"], "Male": tables.sex["males_16_64"]}
        )
    if view == schema.DISABILITY:
        return pd.DataFrame(
            {
                schema.DISABLED: tables.disability["disabled"],
                schema.NON_DISABLED: tables.disability["not_disabled"],
            }
        )
    raise ValueError(f"no population benchmark for {view}")


def benchmark_shares(
    area: Area, view: str, *, chinese_group: str = "Other"
) -> tuple[pd.Series, int]:
    """Population share of each group of ``view`` in ``area``, and the population counted.

    For a trust, the catchment-weighted mix of its local authorities' proportions; for
    authorities or England, the pooled share (each table's own total as the denominator).
    ``chinese_group`` is where NHS code R (Chinese) goes in the five-group view: "Other"
    (NHS 2001 groups, the tool's default) or "Asian" (Census 2021).
    The population counted is the weighted population (rounded) for a trust.

    Examples
    --------
    >>> shares, people = benchmark_shares(resolve_population("la=E08000032"), "ethnicity_wres")
    >>> people, round(float(shares["BME"]), 4)
    (546412, 0.3887)
    """
    tables = load_tables()
    counts = _view_counts(tables, view, chinese_group=chinese_group).loc[list(area.codes)]
    totals = counts.sum(axis=1)
    if area.weights is None:
        weights = totals / totals.sum()
        people = int(totals.sum())
    else:
        weights = area.weights
        people = round(float((totals * weights).sum()))
    return weighted_shares(counts, weights), people


CHOICE_ENGLAND = "England"
CHOICE_TRUST = "Acute trust: {name} ({code})"
CHOICE_MERGED = "Acute trust: {name} ({code}, merged into {new})"
CHOICE_LA = "Local authority: {name} ({code})"


@functools.cache
def area_choices() -> tuple[tuple[str, str], ...]:
    """Every area a picker can offer, as (``--population`` value, words): England, the
    acute trusts of the catchment file (merged ones marked), then the local authorities.

    >>> choices = dict(area_choices())
    >>> choices["trust=RAE"]
    'Acute trust: Bradford Teaching Hospitals NHS Foundation Trust (RAE)'
    >>> choices["la=E08000032"]
    'Local authority: Bradford (E08000032)'
    """
    tables = load_tables()
    choices = [("england", CHOICE_ENGLAND)]
    acute = sorted(set(tables.catchment["trust_code"]), key=_trust_name)
    for code in acute:
        words = CHOICE_TRUST if code not in SUCCESSORS else CHOICE_MERGED
        choices.append(
            (
                f"trust={code}",
                words.format(name=_trust_name(code), code=code, new=SUCCESSORS.get(code)),
            )
        )
    names = tables.authorities["ltla21_name"].sort_values()
    choices.extend(
        (f"la={code}", CHOICE_LA.format(name=name, code=code)) for code, name in names.items()
    )
    return tuple(choices)
