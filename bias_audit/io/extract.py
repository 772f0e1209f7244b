"""Read a recruitment extract (CSV or XLSX, one row per application or counts) into a Funnel.

The reader is on the hot path of every report, so it never touches a cell twice in Python:

1. look at the bytes (:mod:`bias_audit.io.files`): kind, encoding, separator, header row;
2. choose columns (:mod:`bias_audit.io.columns`) and read only those, as categoricals;
3. turn outcome texts / stage flags into a furthest-stage code per row with array look-ups
   over the *categories* (:mod:`bias_audit.io.stages`);
4. count rows per cell of raw codes with one ``numpy.bincount``;
5. normalise the few distinct raw values (:mod:`bias_audit.io.codes`) and re-aggregate.

Examples
--------
>>> data = ("Ethnic Origin,Sex,Application Status\\n"
...         "A White - British,Female,Appointed\\n"
...         "N,Male,Not shortlisted\\n"
...         "H,Male,Interview - unsuccessful\\n").encode()
>>> funnel = read_funnel(data, name="tiny.csv")
>>> funnel.counts[["ethnicity_wres", "furthest_stage", "count"]].to_dict("records")
[{'ethnicity_wres': 'BME', 'furthest_stage': 'interviewed', 'count': 1}, \
{'ethnicity_wres': 'BME', 'furthest_stage': 'applied', 'count': 1}, \
{'ethnicity_wres': 'White', 'furthest_stage': 'appointed', 'count': 1}]
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pandas as pd

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io import columns as cols
from bias_audit.io.codes import (
    GROUP_SCHEME_DESCRIPTIONS,
    NOTE_MIXED_SCHEMES,
    clean_text,
    normalise_values,
)
from bias_audit.io.columns import (
    MSG_ETHNICITY_REQUIRED,
    MSG_NO_ETHNICITY,
    MSG_UNKNOWN_COLUMN,
    MSG_UNKNOWN_ROLE,
)
from bias_audit.io.files import (
    DEFAULT_MAX_BYTES,
    MSG_BAD_WORKBOOK,
    MSG_BINARY,
    MSG_EMPTY,
    MSG_HEADER_ONLY,
    MSG_NO_HEADER,
    MSG_NO_SHEET,
    MSG_NOT_FOUND,
    MSG_NOT_WORKBOOK,
    MSG_OLE2,
    MSG_PARSE,
    MSG_SEVERAL_SHEETS,
    MSG_TOO_BIG,
    MSG_ZIP_BOMB,
    SeveralSheetsError,
    Table,
    describe_reading,
    open_source,
    open_table,
    read_columns,
    sniff,
)
from bias_audit.io.stages import (
    MSG_BAD_MAPPING,
    MSG_STAGES_DUPLICATE,
    MSG_STAGES_TOO_FEW,
    MSG_UNKNOWN_LEFT_BY,
    MSG_UNKNOWN_STAGE_IN_MAPPING,
    WARN_BEFORE_FIRST_STAGE,
    WARN_BLANK_OUTCOMES,
    WARN_MORE_THAN_BEFORE,
    WARN_STAGE_HOLE,
    WARN_UNKNOWN_OUTCOMES,
    WARN_VACANCY_WITHDRAWN,
    OutcomeCodes,
    StagePlan,
    binary_meaning,
    classify_outcome,
    flag_reached,
    make_stage_plan,
    one_step_plan,
    outcome_codes,
    stage_key,
)
from bias_audit.stats import schema
from bias_audit.stats.funnel import OUTCOME_PART, ROWS_ARE_CHOICES, Funnel, RowsAre, Unread

# Every message a user can see is importable from here, including the refusals raised in
# files, columns and stages, so callers and tests need one import.
__all__ = [
    "EXCLUDED_BEFORE_FIRST",
    "EXCLUDED_BLANK_COUNT",
    "EXCLUDED_BLANK_OUTCOME",
    "EXCLUDED_BLANK_ROWS",
    "EXCLUDED_TOTAL_ROWS",
    "EXCLUDED_UNKNOWN_OUTCOME",
    "MSG_ALL_NOT_STATED",
    "MSG_BAD_COUNT",
    "MSG_BAD_MAPPING",
    "MSG_BAD_RECODE",
    "MSG_BAD_WORKBOOK",
    "MSG_BINARY",
    "MSG_EMPTY",
    "MSG_ETHNICITY_REQUIRED",
    "MSG_HEADER_ONLY",
    "MSG_NOTHING_LEFT",
    "MSG_NOT_FOUND",
    "MSG_NOT_SHORTLISTED",
    "MSG_NOT_WORKBOOK",
    "MSG_NO_ETHNICITY",
    "MSG_NO_HEADER",
    "MSG_NO_SHEET",
    "MSG_NO_STAGE",
    "MSG_OLE2",
    "MSG_PARSE",
    "MSG_RECODE_ROLE",
    "MSG_ROWS_ARE",
    "MSG_ROWS_ARE_NO_SHORTLIST",
    "MSG_SEVERAL_SHEETS",
    "MSG_STAGES_DUPLICATE",
    "MSG_STAGES_TOO_FEW",
    "MSG_TOO_BIG",
    "MSG_TOO_FEW_COUNT_STAGES",
    "MSG_UNKNOWN_COLUMN",
    "MSG_UNKNOWN_LEFT_BY",
    "MSG_UNKNOWN_ROLE",
    "MSG_UNKNOWN_STAGE_IN_MAPPING",
    "MSG_ZIP_BOMB",
    "NOTE_ALSO_FOUND",
    "NOTE_COUNTS_INPUT",
    "NOTE_ETHNICITY_SWITCHED",
    "NOTE_EXCLUDED",
    "NOTE_ONE_STEP",
    "NOTE_ONE_STEP_APPLICATIONS",
    "NOTE_ONE_STEP_SHORTLISTED",
    "NOTE_OUTCOMES_READ",
    "NOTE_OUTCOME_COUNTS",
    "NOTE_RECODED",
    "NOTE_ROWS_SHORTLISTED",
    "NOTE_STAGES_FROM_FLAGS",
    "NOTE_WIDE_COUNTS",
    "REASON_NOT_SHORTLISTED",
    "WARN_BLANK_ROWS",
    "WARN_DUPLICATE_IDS",
    "WARN_FLAG_BEYOND_OUTCOME",
    "WARN_TOTAL_ROWS",
    "WARN_UNKNOWN_STAGE_ROWS",
    "SeveralSheetsError",
    "describe_column_choices",
    "parse_recode",
    "read_funnel",
]

MSG_NO_STAGE = (
    "{file}: no stage information found: no outcome/status column (such as Application "
    "Status, Outcome, Stage) and no per-stage columns (such as Shortlisted, Interview Date, "
    "Offer Date, Appointed Y/N). The columns are: {headers}. Name one with "
    '--column stage="<header>" or --column shortlisted="<header>".'
)
MSG_ALL_NOT_STATED = (
    '{file}: every {label} value in column "{column}" is "not stated" or could not be '
    "read ({examples}), and no other equality column has stated values, so there is "
    'nothing to compare. Check the column (use --column {role}="<header>") or the export.'
)
MSG_NOTHING_LEFT = (
    "{file}: no application could be placed on a stage ({reasons}). Check the stage column "
    'or map the outcomes with --stages "Outcome text=stage".'
)
MSG_BAD_COUNT = (
    '{file}: the count column "{column}" holds {value!r} on row {row}; counts must be whole '
    "numbers of 0 or more."
)
MSG_TOO_FEW_COUNT_STAGES = (
    '{file}: the count table names only {found} in its stage column "{column}"; at least '
    "two stages (for example applied and shortlisted) are needed."
)
# Ids are not quoted back: warnings end up in reports that may be shared.
WARN_DUPLICATE_IDS = (
    '{count} rows repeat an id already seen in column "{column}". All rows were counted; if '
    "that column identifies people rather than applications, repeats are expected."
)
NOTE_EXCLUDED = "{count} row(s) left out: {reason}."
WARN_BLANK_ROWS = "{count} blank row(s) (no value in any column read) were skipped."
WARN_TOTAL_ROWS = (
    '{count} total or subtotal row(s) ("Total" in a group column) were left out of every '
    "statistic, so that no application is counted twice."
)
NOTE_COUNTS_INPUT = (
    "Read as a count table: the count for each stage is the number of people who reached it; "
    "stages found: {stages}. Withdrawals cannot be told apart in a count table."
)
NOTE_OUTCOME_COUNTS = (
    'Read as a count table of final outcomes: each count in "{column}" is the number of '
    "people whose application ended there."
)
NOTE_WIDE_COUNTS = "Read as a wide count table: one count column per stage ({columns})."
WARN_UNKNOWN_STAGE_ROWS = (
    '{count} count rows name a stage the tool does not recognise in column "{column}" and '
    'were left out: {examples}. Stages: {stages}; map others with --stages "Text=stage".'
)
WARN_FLAG_BEYOND_OUTCOME = (
    "{count} applications have an entry in {columns} for a later stage than their outcome in "
    '"{column}" gives (for example "Not shortlisted" with an interview date); the outcome was '
    "used. Check the extract."
)
NOTE_STAGES_FROM_FLAGS = "Furthest stage taken from the per-stage columns: {columns}."
NOTE_ETHNICITY_SWITCHED = (
    'ethnicity: used "{chosen}" rather than "{first}" because more of its values could be '
    "read ({share:.0%} against {first_share:.0%})."
)
NOTE_OUTCOMES_READ = 'Outcomes in "{column}" read as (furthest stage reached): {readings}.'
MAX_OUTCOMES_SHOWN = 30
_LEFT_BY_WORDS = {
    schema.LEFT_BY_WITHDREW: ", withdrew",
    schema.LEFT_BY_DECLINED: ", declined the offer",
}
NOTE_ALSO_FOUND = '{role}: also found {headers}; used "{chosen}".'
NOTE_ONE_STEP = (
    '"{column}" only says whether each application ended in appointment ({values}), so this '
    "is a one-step comparison, {first} → {last}, not a funnel: rates at shortlisting and "
    "interview cannot be worked out from it."
)
NOTE_ONE_STEP_APPLICATIONS = (
    " The rows are read as all applications, so WRES indicator 2 and WDES metric 2 "
    "(appointment from shortlisting) are not computable; if every row is a shortlisted "
    "applicant, say so with --rows-are shortlisted."
)
NOTE_ONE_STEP_SHORTLISTED = (
    " You said every row is a shortlisted applicant (--rows-are shortlisted), so {first} → "
    "{last} is the appointment-from-shortlisting step; offers turned down cannot be told "
    "apart unless the column names them."
)
NOTE_ROWS_SHORTLISTED = (
    "Every row is read as a shortlisted applicant (--rows-are shortlisted); the stages start "
    "at shortlisting."
)
MAX_ONE_STEP_VALUES = 6
MSG_ROWS_ARE = "--rows-are {value!r}: use one of {choices}."
MSG_ROWS_ARE_NO_SHORTLIST = (
    "--rows-are shortlisted needs a shortlisting stage before the last stage, but the stages "
    "are {stages}. Add one, e.g. --stages shortlisted,interviewed,offered,appointed."
)

EXCLUDED_BLANK_ROWS = "blank rows"
EXCLUDED_TOTAL_ROWS = "total or subtotal rows"
EXCLUDED_UNKNOWN_OUTCOME = "outcome not recognised"
EXCLUDED_BLANK_OUTCOME = "blank outcome"
EXCLUDED_BEFORE_FIRST = "ended before the first stage"
EXCLUDED_BLANK_COUNT = "blank count"

_OUTCOME_EXCLUSIONS = (
    ("unknown", EXCLUDED_UNKNOWN_OUTCOME),
    ("blank", EXCLUDED_BLANK_OUTCOME),
    ("before first stage", EXCLUDED_BEFORE_FIRST),
)
_SCHEME_WORDS = {"code": "bare codes", "code and label": "codes with labels", "label": "labels"}
_TOTAL_KEYS = frozenset({"total", "totals", "grand total", "sub total", "subtotal", "all"})
_ROLE_LABELS = {
    cols.ROLE_ETHNICITY: "ethnicity",
    cols.ROLE_GENDER: "gender",
    cols.ROLE_DISABILITY: "disability",
    cols.ROLE_AGE_BAND: "age band",
    cols.ROLE_RELIGION: "religion or belief",
    cols.ROLE_SEXUAL_ORIENTATION: "sexual orientation",
}
_ATTRIBUTE_ROLES: tuple[tuple[str, str], ...] = (
    (cols.ROLE_ETHNICITY, schema.ETHNICITY_DETAILED),
    (cols.ROLE_GENDER, schema.GENDER),
    (cols.ROLE_DISABILITY, schema.DISABILITY),
    (cols.ROLE_AGE_BAND, schema.AGE_BAND),
    (cols.ROLE_RELIGION, schema.RELIGION),
    (cols.ROLE_SEXUAL_ORIENTATION, schema.SEXUAL_ORIENTATION),
)


def read_funnel(
    source: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    name: str | None = None,
    columns: Mapping[str, str] | None = None,
    stages: Sequence[str] | None = None,
    stratify: str | None = None,
    sheet: str | int | None = None,
    rows_are: RowsAre = "applications",
    recode: Mapping[str, Mapping[str, str]] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Funnel:
    """Read a recruitment extract into a validated :class:`~bias_audit.stats.funnel.Funnel`.

    Parameters
    ----------
    source
        A path, the raw bytes of an upload, or an open binary file object.
    name
        File name used in messages (defaults to the path's base name, or "uploaded file").
    columns
        Explicit choices, ``role or stage name -> column header``. Roles: ethnicity, gender,
        disability, stage, id, count; a stage name (e.g. ``"shortlisted"``) names that
        stage's yes/no or date column. An empty header switches an optional role off.
    stages
        Stage names in order (default ``schema.DEFAULT_STAGES``). Entries of the form
        ``"Outcome text=stage"`` or ``"Outcome text=stage:withdrew"`` map outcome texts the
        built-in rules do not know.
    stratify
        Header of a column (vacancy, staff group, year) to keep as ``schema.STRATUM``.
    sheet
        Workbook sheet name or index (default: the one sheet that holds a table; when
        several could, the reader lists them and asks for this option).
    rows_are
        What each row is: ``"applications"`` (default: everyone who applied) or
        ``"shortlisted"`` (only shortlisted applicants: the ladder starts at the shortlisting
        stage, and a one-step appointed / not appointed column reads as shortlisted →
        appointed, from which WRES indicator 2 / WDES metric 2 can be computed).
    recode
        Values the reader cannot place, read as you say: ``column role -> {value in the
        file: category}`` (a code or label the reader understands, or "Not stated"), e.g.
        ``{"ethnicity": {"W1": "A"}}``. Roles: ethnicity, gender, disability, age_band,
        religion, sexual_orientation. Case and spacing of the value do not matter.
    max_bytes
        Files larger than this are refused.

    Returns
    -------
    Funnel
        Counts per cell of (stratum, ethnicity views, gender, disability, furthest stage,
        left_by), with the column choices, unplaced values, exclusions, warnings and notes.

    Raises
    ------
    InputDataError
        The file cannot be used; the message names the file and says how to fix it.
    OptionError
        An option names an unknown role or stage.
    """
    if rows_are not in ROWS_ARE_CHOICES:
        raise OptionError(MSG_ROWS_ARE.format(value=rows_are, choices=", ".join(ROWS_ARE_CHOICES)))
    for role in recode or {}:
        if role not in _ROLE_LABELS:
            raise OptionError(MSG_RECODE_ROLE.format(role=role, roles=", ".join(_ROLE_LABELS)))
    src = open_source(source, name=name, max_bytes=max_bytes)
    plan = make_stage_plan(stages, file=src.name)
    if rows_are == "shortlisted":
        plan = _shortlisted_plan(plan, stages, src.name)
    sniffed = sniff(src, max_bytes=max_bytes)
    table = open_table(src, sniffed, sheet=sheet)
    numeric = {
        header: cols.looks_integer([row[i] if i < len(row) else "" for row in table.sample])
        for i, header in enumerate(table.headers)
    }
    choice = cols.detect_columns(
        table.headers,
        plan=plan,
        file=src.name,
        overrides=columns,
        stratify=stratify,
        numeric=numeric,
    )
    if cols.ROLE_STAGE not in choice.roles and not choice.flags:
        raise InputDataError(
            MSG_NO_STAGE.format(file=src.name, headers=", ".join(f'"{h}"' for h in table.headers))
        )
    wide = _adopt_wide_counts(choice, table, plan)
    count_column = choice.roles.get(cols.ROLE_COUNT)
    last = len(plan.stages) - 1
    if (
        count_column is not None
        and cols.ROLE_STAGE not in choice.roles
        and set(choice.flags) == {last}
    ):
        # "Appointed? | Count": the one yes/no column is the outcome of a count table.
        choice.roles[cols.ROLE_STAGE] = choice.flags.pop(last)
    numeric_columns = [count_column] if count_column is not None else []
    if wide:
        numeric_columns = list(choice.flags.values())
    # Other ethnicity-like columns are read too when the choice was automatic, so that the
    # one whose values can actually be read wins ("Ethnic Group" = "White" beside
    # "Ethnic Origin" = "British").
    rivals = _ethnicity_rivals(choice)
    frame = read_columns(
        src,
        table,
        list(dict.fromkeys([*choice.needed, *rivals])),
        numeric=numeric_columns,
        raw=[choice.roles[cols.ROLE_ID]] if cols.ROLE_ID in choice.roles else [],
    )
    notes = describe_reading(src, table)
    if rivals:
        switched = _best_ethnicity_column(frame, choice, rivals)
        if switched is not None:
            notes.append(switched)
        frame = frame.drop(columns=[r for r in rivals if r not in choice.needed])
    for role, others in choice.alternatives.items():
        if others:
            notes.append(
                NOTE_ALSO_FOUND.format(
                    role=role,
                    headers=", ".join(f'"{h}"' for h in others),
                    chosen=choice.roles[role],
                )
            )
    one_step = False
    if not wide:
        stage_header = choice.roles.get(cols.ROLE_STAGE)
        present: list[object] = []
        if stage_header is not None:
            series = frame[stage_header]
            seen = np.bincount(
                series.cat.codes.to_numpy() + 1, minlength=len(series.cat.categories) + 1
            )
            present = [c for c, n in zip(series.cat.categories, seen[1:], strict=True) if n]
        single = one_step_plan(plan, present, flags=choice.flags, rows_are=rows_are)
        if single is not None:
            last = len(plan.stages) - 1
            choice.flags = {1 if i == last else i: h for i, h in choice.flags.items()}
            plan, one_step = single, True
            notes.append(_one_step_note(stage_header, choice, present, plan, rows_are))
    if wide:
        built = _from_wide_counts(frame, choice, plan, src.name, table)
    elif count_column is not None:
        built = _from_counts(frame, choice, plan, src.name, table)
    else:
        built = _from_rows(frame, choice, plan, src.name)
    if rows_are == "shortlisted" and not one_step:
        notes.append(NOTE_ROWS_SHORTLISTED)
    if rows_are == "shortlisted":
        _check_shortlisted_rows(built, src.name)
    return _finish(
        built, choice, src.name, notes, rows_are=rows_are, one_step=one_step, recode=recode
    )


MSG_NOT_SHORTLISTED = (
    "{file}: --rows-are shortlisted says every row is a shortlisted applicant, but {share:.0%} "
    'of the rows have an outcome from before shortlisting (such as "Not shortlisted"). '
    "Leave out --rows-are shortlisted, or take those rows out of the extract."
)
REASON_NOT_SHORTLISTED = (
    "until the rows are all shortlisted applicants, as --rows-are shortlisted says: some "
    'outcomes are from before shortlisting (such as "Not shortlisted"); leave out '
    "--rows-are shortlisted, or take those rows out of the extract"
)


def _check_shortlisted_rows(built: _Built, file: str) -> None:
    """Rows that contradict --rows-are shortlisted: refused above half, else a reason."""
    before = built.excluded.get(EXCLUDED_BEFORE_FIRST, 0)
    if not before:
        return
    total = int(built.cells[schema.COUNT].sum()) + sum(
        n for k, n in built.excluded.items() if k not in (EXCLUDED_BLANK_ROWS, EXCLUDED_TOTAL_ROWS)
    )
    share = before / total
    if share > UNREAD_REFUSE_SHARE:
        raise InputDataError(MSG_NOT_SHORTLISTED.format(file=file, share=share))
    if share > UNREAD_NOT_COMPUTABLE_SHARE:
        built.not_computable[OUTCOME_PART] = REASON_NOT_SHORTLISTED


def _shortlisted_plan(plan: StagePlan, stages: Sequence[str] | None, file: str) -> StagePlan:
    """The ladder from the shortlisting stage on, for an extract of shortlisted applicants."""
    start = plan.index_of("shortlisted")
    if start is None or start == len(plan.stages) - 1:
        raise OptionError(MSG_ROWS_ARE_NO_SHORTLIST.format(stages=", ".join(plan.stages)))
    mappings = [s for s in (stages or ()) if "=" in s]
    return make_stage_plan([*plan.stages[start:], *mappings], file=file)


def _one_step_note(
    header: str | None,
    choice: cols.ColumnChoice,
    present: Sequence[object],
    plan: StagePlan,
    rows_are: str,
) -> str:
    column = header if header is not None else next(iter(choice.flags.values()), "")
    shown = ", ".join(f'"{v}"' for v in list(present)[:MAX_ONE_STEP_VALUES]) or "yes / no"
    first, last = plan.stages
    if rows_are == "shortlisted":
        meaning = NOTE_ONE_STEP_SHORTLISTED.format(first=first, last=last)
    else:
        meaning = NOTE_ONE_STEP_APPLICATIONS.format(last=last)
    return NOTE_ONE_STEP.format(column=column, values=shown, first=first, last=last) + meaning


# Headers that hold the number of applications in a wide count table.
_APPLIED_COUNT_HEADERS = frozenset(
    {
        "applied",
        "applications",
        "applicants",
        "number of applications",
        "number of applicants",
        "total applications",
        "total applicants",
        "no of applications",
        "no of applicants",
    }
)


def _adopt_wide_counts(choice: cols.ColumnChoice, table: Table, plan: StagePlan) -> bool:
    """Whether the per-stage columns hold counts (a wide count table) rather than flags.

    If so, the applications column (auto-detected as a count, or named like "Applications")
    becomes the first stage's column.
    """
    if cols.ROLE_STAGE in choice.roles or not choice.flags:
        return False
    positions = {h: i for i, h in enumerate(table.headers)}

    def sample(header: str) -> list[str]:
        i = positions[header]
        return [row[i] if i < len(row) else "" for row in table.sample]

    filled = [v for h in choice.flags.values() for v in sample(h) if v.strip()]
    numbers = [float(v.replace(",", "")) for v in filled if cols.looks_integer([v])]
    # Mostly whole numbers (a stray typo is reported later, naming its row), some above 1.
    if not numbers or len(numbers) < 0.8 * len(filled) or max(numbers) <= 1:
        return False
    if 0 not in choice.flags:
        applied = choice.roles.pop(cols.ROLE_COUNT, None)
        if applied is None:
            applied = next(
                (
                    h
                    for h in table.headers
                    if h not in choice.needed
                    and (
                        cols.header_key(h) in _APPLIED_COUNT_HEADERS
                        or cols.header_key(h) == stage_key(plan.stages[0])
                    )
                    and cols.looks_integer(sample(h))
                ),
                None,
            )
            how = cols.HOW_AUTO
        else:
            how = next(h for role, header, h in choice.choices if header == applied)
            choice.choices[:] = [c for c in choice.choices if c[1] != applied]
        if applied is not None:
            choice.flags[0] = applied
            first_stage = next(
                (i for i, c in enumerate(choice.choices) if c[0] in plan.stages),
                len(choice.choices),
            )
            choice.choices.insert(first_stage, (plan.stages[0], applied, how))
    choice.roles.pop(cols.ROLE_COUNT, None)
    return True


MAX_ETHNICITY_RIVALS = 3


def _ethnicity_rivals(choice: cols.ColumnChoice) -> list[str]:
    if not any(r == cols.ROLE_ETHNICITY and h == cols.HOW_AUTO for r, _, h in choice.choices):
        return []
    return choice.alternatives.get(cols.ROLE_ETHNICITY, [])[:MAX_ETHNICITY_RIVALS]


def _readable_share(series: pd.Series) -> float:
    """Share of rows whose ethnicity value is a stated, recognised category."""
    categories = [str(c) for c in series.cat.categories]
    result = normalise_values(categories, attribute="ethnicity")
    per_category = np.bincount(series.cat.codes.to_numpy() + 1, minlength=len(categories) + 1)
    good = np.array(
        [False]
        + [c not in result.unplaced and result.views[c][2] != schema.NOT_STATED for c in categories]
    )
    total = per_category.sum()
    return float(per_category[good].sum() / total) if total else 0.0


def _best_ethnicity_column(
    frame: pd.DataFrame, choice: cols.ColumnChoice, rivals: Sequence[str]
) -> str | None:
    """Switch the ethnicity role to the rival whose values read best; say so, or None."""
    first = choice.roles[cols.ROLE_ETHNICITY]
    shares = {h: _readable_share(frame[h]) for h in [first, *rivals]}
    best = max(shares, key=lambda h: (shares[h], h == first))
    if best == first:
        return None
    choice.roles[cols.ROLE_ETHNICITY] = best
    choice.choices[:] = [
        (role, best if role == cols.ROLE_ETHNICITY else header, how)
        for role, header, how in choice.choices
    ]
    choice.alternatives[cols.ROLE_ETHNICITY] = [h for h in [first, *rivals] if h != best]
    return NOTE_ETHNICITY_SWITCHED.format(
        chosen=best, first=first, share=shares[best], first_share=shares[first]
    )


@dataclass
class _Built:
    """Raw-coded cells before normalisation, and what was learnt while building them."""

    cells: pd.DataFrame  # raw attribute values (+ stratum), stage index, left_by index, count
    stages: tuple[str, ...]
    warnings: list[str]
    excluded: dict[str, int]
    notes: list[str]
    from_counts: bool = False
    categories: dict[str, list[str]] = field(default_factory=dict)
    # Outcome texts the tool could not read -> rows (or people, in a count table).
    unread_outcomes: dict[str, int] = field(default_factory=dict)
    # Parts found not computable while building (rows contradicting --rows-are).
    not_computable: dict[str, str] = field(default_factory=dict)


def _category_keys(series: pd.Series) -> list[str]:
    return [stage_key(c) for c in series.cat.categories]


def _special_rows(frame: pd.DataFrame, group_columns: Sequence[str]) -> tuple[np.ndarray, ...]:
    """Masks of fully blank rows and of "Total" rows, from category look-ups only."""
    n = len(frame)
    blank = np.ones(n, dtype=bool)
    total = np.zeros(n, dtype=bool)
    # Id and count columns are left out: a row is blank when its text cells all are.
    for name in frame.columns:
        series = frame[name]
        if isinstance(series.dtype, pd.CategoricalDtype):
            keys = _category_keys(series)
            codes = series.cat.codes.to_numpy()
            is_blank = np.array([not k for k in keys] + [True])
            blank &= is_blank[codes]
            if name in group_columns:
                is_total = np.array([k in _TOTAL_KEYS for k in keys] + [False])
                total |= is_total[codes]
    return blank, total & ~blank


def _group_columns(choice: cols.ColumnChoice) -> list[str]:
    return [
        choice.roles[role]
        for role in (
            cols.ROLE_STRATUM,
            *(r for r, _ in _ATTRIBUTE_ROLES),
            cols.ROLE_GUARANTEED_INTERVIEW,
        )
        if role in choice.roles
    ]


def _from_rows(
    frame: pd.DataFrame, choice: cols.ColumnChoice, plan: StagePlan, file: str
) -> _Built:
    n = len(frame)
    last = len(plan.stages) - 1
    warnings: list[str] = []
    excluded: dict[str, int] = {}
    notes: list[str] = []
    group_columns = _group_columns(choice)
    blank, total = _special_rows(frame, group_columns)
    keep = ~(blank | total)
    unread: dict[str, int] = {}

    flag_stage = np.zeros(n, dtype=np.int8)
    reached: dict[int, np.ndarray] = {}
    for index, header in sorted(choice.flags.items()):
        series = frame[header]
        lookup = np.array([flag_reached(c) for c in series.cat.categories] + [False])
        reached[index] = lookup[series.cat.codes.to_numpy()]
        flag_stage = np.where(reached[index], np.maximum(flag_stage, index), flag_stage)
    stage_header = choice.roles.get(cols.ROLE_STAGE)
    completed = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_COMPLETED)
    not_progressed = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_NOT_PROGRESSED)
    default_left = np.where(flag_stage == last, completed, not_progressed).astype(np.int8)
    if stage_header is None:
        stage, left = flag_stage, default_left
        notes.append(
            NOTE_STAGES_FROM_FLAGS.format(
                columns=", ".join(f'"{h}"' for _, h in sorted(choice.flags.items()))
            )
        )
    else:
        series = frame[stage_header]
        categories = list(series.cat.categories)
        codes = series.cat.codes.to_numpy()
        outcome = outcome_codes(categories, plan)
        row_stage = outcome.stage[codes]
        row_left = outcome.left_by[codes]
        # A recognised outcome wins over stage dates (an interview date may only have been
        # booked), except a bare "Withdrawn", which does not say when: the dates do.
        known = row_stage >= 0
        withdrew = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_WITHDREW)
        vague = known & (row_stage == 0) & (row_left == withdrew)
        from_flags = (~known | vague) & (flag_stage > 0)
        stage = np.where(from_flags, flag_stage, np.where(known, row_stage, -1)).astype(np.int8)
        left = np.where(known, row_left, default_left).astype(np.int8)
        left = np.where((stage == last) & (left == not_progressed), completed, left)
        beyond = int(np.count_nonzero(keep & known & ~vague & (flag_stage > row_stage)))
        if beyond:
            warnings.append(
                WARN_FLAG_BEYOND_OUTCOME.format(
                    count=beyond,
                    columns=", ".join(f'"{h}"' for _, h in sorted(choice.flags.items())),
                    column=stage_header,
                )
            )
        per_outcome = np.bincount(codes[keep & (stage < 0)], minlength=len(categories))
        vacancy = np.bincount(codes[keep], minlength=len(categories))
        _outcome_warnings(outcome, categories, per_outcome, vacancy, stage_header, plan, warnings)
        notes.append(_outcome_reading(outcome, categories, vacancy, plan, stage_header))
        for reason, label in _OUTCOME_EXCLUSIONS:
            total_reason = int(
                sum(per_outcome[i] for i, r in enumerate(outcome.reason) if r == reason)
            )
            if total_reason:
                excluded[label] = total_reason
        unread = _unread_texts(outcome, categories, per_outcome)
    keep &= stage >= 0
    for index, header in sorted(choice.flags.items()):
        holes = int(np.count_nonzero(keep & (stage > index) & ~reached[index]))
        if holes:
            warnings.append(
                WARN_STAGE_HOLE.format(
                    count=holes,
                    later=plan.stages[int(stage[keep & (stage > index) & ~reached[index]].max())],
                    stage=plan.stages[index],
                    column=header,
                )
            )
    if blank.any():
        excluded[EXCLUDED_BLANK_ROWS] = int(blank.sum())
        warnings.append(WARN_BLANK_ROWS.format(count=int(blank.sum())))
    if total.any():
        excluded[EXCLUDED_TOTAL_ROWS] = int(total.sum())
        warnings.append(WARN_TOTAL_ROWS.format(count=int(total.sum())))
    if cols.ROLE_ID in choice.roles:
        _duplicate_id_warning(frame[choice.roles[cols.ROLE_ID]], ~(blank | total), choice, warnings)
    if not keep.any():
        reasons = ", ".join(f"{k}: {v}" for k, v in excluded.items()) or "no rows"
        raise InputDataError(MSG_NOTHING_LEFT.format(file=file, reasons=reasons))
    cells = _bincount_cells(frame, group_columns, stage, left, keep, n_stages=len(plan.stages))
    return _Built(
        cells,
        plan.stages,
        warnings,
        excluded,
        notes,
        categories=_categories(frame, group_columns),
        unread_outcomes=unread,
    )


def _unread_texts(
    outcome: OutcomeCodes, categories: Sequence[object], left_out: np.ndarray
) -> dict[str, int]:
    """Outcome texts left out as not understood, with their rows, commonest first."""
    found = {
        str(categories[i]): int(left_out[i])
        for i, r in enumerate(outcome.reason)
        if r == "unknown" and left_out[i]
    }
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def _outcome_warnings(
    outcome: OutcomeCodes,
    categories: Sequence[object],
    per_outcome: np.ndarray,
    all_counts: np.ndarray,
    header: str,
    plan: StagePlan,
    warnings: list[str],
) -> None:
    """Warn about outcome texts left out (unknown, blank, before the first stage) and about
    withdrawn vacancies; ``per_outcome`` counts left-out rows per distinct text."""
    unknown = [
        (categories[i], int(per_outcome[i]))
        for i, r in enumerate(outcome.reason)
        if r == "unknown" and per_outcome[i]
    ]
    if unknown:
        unknown.sort(key=lambda item: -item[1])
        examples = ", ".join(f'"{text}" ({count})' for text, count in unknown[:10])
        if len(unknown) > 10:
            examples += f" and {len(unknown) - 10} more"
        warnings.append(
            WARN_UNKNOWN_OUTCOMES.format(
                count=sum(c for _, c in unknown),
                column=header,
                examples=examples,
                stages=", ".join(plan.stages),
            )
        )
    blank = sum(int(per_outcome[i]) for i, r in enumerate(outcome.reason) if r == "blank")
    if blank:
        warnings.append(WARN_BLANK_OUTCOMES.format(count=blank, column=header))
    before = [
        (categories[i], int(per_outcome[i]))
        for i, r in enumerate(outcome.reason)
        if r == "before first stage" and per_outcome[i]
    ]
    if before:
        warnings.append(
            WARN_BEFORE_FIRST_STAGE.format(
                count=sum(c for _, c in before),
                first=plan.stages[0],
                examples=", ".join(f'"{t}" ({c})' for t, c in before[:10]),
            )
        )
    vacancy = sum(int(all_counts[i]) for i, r in enumerate(outcome.reason) if r == "vacancy")
    if vacancy:
        warnings.append(WARN_VACANCY_WITHDRAWN.format(count=vacancy))


def _outcome_reading(
    outcome: OutcomeCodes,
    categories: Sequence[object],
    present: np.ndarray,
    plan: StagePlan,
    header: str,
) -> str:
    """One note saying what each outcome text in the file was read as, commonest first."""
    shown = []
    for i in np.argsort(-np.asarray(present), kind="stable")[:MAX_OUTCOMES_SHOWN]:
        if present[i] <= 0 or outcome.stage[i] < 0:
            continue
        left = schema.LEFT_BY_VALUES[outcome.left_by[i]]
        how = _LEFT_BY_WORDS.get(left, "")
        shown.append(f'"{categories[i]}" = {plan.stages[outcome.stage[i]]}{how}')
    return NOTE_OUTCOMES_READ.format(column=header, readings="; ".join(shown))


def _duplicate_id_warning(
    ids: pd.Series, keep: np.ndarray, choice: cols.ColumnChoice, warnings: list[str]
) -> None:
    values = ids[keep]
    if isinstance(values.dtype, pd.CategoricalDtype) or values.dtype == object:
        values = values.astype(str)
        values = values[values.str.strip() != ""]
    else:
        values = values.dropna()
    repeated = values.duplicated()
    count = int(repeated.sum())
    if count:
        warnings.append(WARN_DUPLICATE_IDS.format(count=count, column=choice.roles[cols.ROLE_ID]))


def _cell_keys(parts: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
    """One integer per row from its category codes: mixed radix, each part's size a digit."""
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    for codes, size in parts:
        key = key * max(size, 1) + codes.astype(np.int64)
    return key


def _split_keys(keys: np.ndarray, parts: Sequence[tuple[np.ndarray, int]]) -> list[np.ndarray]:
    """The category codes back from :func:`_cell_keys` keys, one array per part, in order."""
    decoded: list[np.ndarray] = []
    rest = keys
    for _, size in reversed(parts):
        rest, code = np.divmod(rest, max(size, 1))
        decoded.append(code)
    decoded.reverse()
    return decoded


def _bincount_cells(
    frame: pd.DataFrame,
    group_columns: Sequence[str],
    stage: np.ndarray,
    left: np.ndarray,
    keep: np.ndarray,
    *,
    n_stages: int,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Count (or sum ``weights``) per cell of raw category codes, stage and left_by.

    The result holds category *codes* (see ``_categories``), one row per non-empty cell.
    """
    parts: list[tuple[np.ndarray, int]] = []
    for header in group_columns:
        series = frame[header]
        parts.append(
            (series.cat.codes.to_numpy()[keep].astype(np.int64), len(series.cat.categories))
        )
    parts.append((stage[keep].astype(np.int64), n_stages))
    parts.append((left[keep].astype(np.int64), len(schema.LEFT_BY_VALUES)))
    key = _cell_keys(parts)
    size_total = int(np.prod([max(size, 1) for _, size in parts], dtype=np.float64))
    w = None if weights is None else weights[keep]
    if size_total <= 1 << 24:
        tally = np.bincount(key, weights=w, minlength=size_total)
        present = np.flatnonzero(tally) if w is None else np.unique(key)
        amounts = tally[present]
    else:
        present, inverse = np.unique(key, return_inverse=True)
        amounts = np.bincount(inverse, weights=w)
    out: dict[str, object] = {}
    decoded = _split_keys(present, parts)
    for header, code in zip(group_columns, decoded, strict=False):
        out[header] = code
    out["_stage"] = decoded[-2]
    out["_left"] = decoded[-1]
    out[schema.COUNT] = np.rint(amounts).astype(np.int64)
    return pd.DataFrame(out)


def _categories(frame: pd.DataFrame, group_columns: Sequence[str]) -> dict[str, list[str]]:
    return {h: [str(c) for c in frame[h].cat.categories] for h in group_columns}


def _parse_counts(
    frame: pd.DataFrame, header: str, skip: np.ndarray, file: str, table: Table
) -> np.ndarray:
    """Counts of one column as floats (NaN = blank); refuse anything but whole numbers ≥ 0."""
    as_text = frame[header].astype(str).str.replace(",", "", regex=False).str.strip()
    counts = pd.to_numeric(as_text, errors="coerce").to_numpy(dtype=np.float64)
    missing = np.isnan(counts)
    not_number = missing & ~as_text.isin(["", "nan", "NaN", "None", "<NA>"]).to_numpy()
    bad = ~missing & ((counts < 0) | (counts != np.round(counts)))
    wrong = ~skip & (bad | not_number)
    if wrong.any():
        first = int(np.flatnonzero(wrong)[0])
        raise InputDataError(
            MSG_BAD_COUNT.format(
                file=file,
                column=header,
                value=str(frame[header].iloc[first]),
                row=table.header_row + 2 + first,
            )
        )
    return counts


def _from_counts(
    frame: pd.DataFrame, choice: cols.ColumnChoice, plan: StagePlan, file: str, table: Table
) -> _Built:
    """A long count table: group columns, a stage column, and a count column."""
    count_header = choice.roles[cols.ROLE_COUNT]
    excluded: dict[str, int] = {}
    warnings: list[str] = []
    group_columns = _group_columns(choice)
    blank, total = _special_rows(frame, group_columns)
    counts = _parse_counts(frame, count_header, blank | total, file, table)
    blank_count = np.isnan(counts) & ~blank & ~total
    keep = ~(blank | total | blank_count)
    stage_header = choice.roles.get(cols.ROLE_STAGE)
    if stage_header is None:
        raise InputDataError(
            MSG_NO_STAGE.format(file=file, headers=", ".join(f'"{h}"' for h in table.headers))
        )
    series = frame[stage_header]
    categories = list(series.cat.categories)
    if _names_outcomes(categories, plan):
        return _from_outcome_counts(
            frame,
            group_columns,
            series,
            counts,
            keep,
            plan,
            stage_header,
            excluded,
            {
                EXCLUDED_BLANK_ROWS: blank,
                EXCLUDED_TOTAL_ROWS: total,
                EXCLUDED_BLANK_COUNT: blank_count,
            },
        )
    lookup = np.array([_count_stage_index(c, plan) for c in categories] + [-1], dtype=np.int8)
    stage = lookup[series.cat.codes.to_numpy()]
    unknown_rows = keep & (stage < 0)
    if unknown_rows.any():
        per = np.bincount(series.cat.codes.to_numpy()[unknown_rows], minlength=len(categories))
        texts = [f'"{categories[i]}"' for i in np.flatnonzero(per)]
        warnings.append(
            WARN_UNKNOWN_STAGE_ROWS.format(
                count=int(unknown_rows.sum()),
                column=stage_header,
                examples=", ".join(texts[:10]),
                stages=", ".join(plan.stages),
            )
        )
        excluded[EXCLUDED_UNKNOWN_OUTCOME] = int(unknown_rows.sum())
    keep &= stage >= 0
    for label, mask in (
        (EXCLUDED_BLANK_ROWS, blank),
        (EXCLUDED_TOTAL_ROWS, total),
        (EXCLUDED_BLANK_COUNT, blank_count),
    ):
        if mask.any():
            excluded[label] = int(mask.sum())
    return _count_cells(
        frame, group_columns, stage, counts, keep, plan, file, stage_header, warnings, excluded
    )


_OUTCOME_WORDS = frozenset(
    {
        "not",
        "unsuccessful",
        "rejected",
        "regret",
        "reserve",
        "failed",
        "withdrawn",
        "withdrew",
        "declined",
        "dna",
        "attend",
    }
)


def _names_outcomes(categories: Sequence[object], plan: StagePlan) -> bool:
    """Whether a count table's stage column holds final outcomes ("Not shortlisted",
    "Withdrawn"), so each count is a number of people who *ended* there, not who reached it.
    """
    for category in categories:
        key = stage_key(category)
        if (
            key
            and plan.exact_index(key) is None
            and (set(key.split()) & _OUTCOME_WORDS or binary_meaning(category))
        ):
            return True
    return False


def _from_outcome_counts(
    frame: pd.DataFrame,
    group_columns: Sequence[str],
    series: pd.Series,
    counts: np.ndarray,
    keep: np.ndarray,
    plan: StagePlan,
    stage_header: str,
    excluded: dict[str, int],
    masks: Mapping[str, np.ndarray],
) -> _Built:
    """A count table of final outcomes: weight each outcome like a row of applications."""
    categories = list(series.cat.categories)
    codes = series.cat.codes.to_numpy()
    outcome = outcome_codes(categories, plan)
    stage = np.append(outcome.stage, -1)[codes]
    left = np.append(outcome.left_by, -1)[codes]
    weights = np.nan_to_num(counts)
    left_out = np.bincount(
        codes[keep & (stage < 0)], weights=weights[keep & (stage < 0)], minlength=len(categories)
    ).astype(np.int64)
    everyone = np.bincount(codes[keep], weights=weights[keep], minlength=len(categories))
    warnings: list[str] = []
    _outcome_warnings(
        outcome, categories, left_out, everyone.astype(np.int64), stage_header, plan, warnings
    )
    for reason, label in _OUTCOME_EXCLUSIONS:
        number = int(sum(left_out[i] for i, r in enumerate(outcome.reason) if r == reason))
        if number:
            excluded[label] = number
    for label, mask in masks.items():
        if mask.any():
            excluded[label] = int(mask.sum())
    keep = keep & (stage >= 0)
    cells = _bincount_cells(
        frame, group_columns, stage, left, keep, n_stages=len(plan.stages), weights=weights
    )
    notes = [
        NOTE_OUTCOME_COUNTS.format(column=stage_header),
        _outcome_reading(outcome, categories, everyone, plan, stage_header),
    ]
    return _Built(
        cells,
        plan.stages,
        warnings,
        excluded,
        notes,
        categories=_categories(frame, group_columns),
        unread_outcomes=_unread_texts(outcome, categories, left_out),
    )


def _from_wide_counts(
    frame: pd.DataFrame, choice: cols.ColumnChoice, plan: StagePlan, file: str, table: Table
) -> _Built:
    """A wide count table: group columns and one count column per stage reached."""
    group_columns = _group_columns(choice)
    blank, total = _special_rows(frame[group_columns], group_columns)
    flags = sorted(choice.flags.items())
    per_stage = [_parse_counts(frame, header, blank | total, file, table) for _, header in flags]
    n = len(frame)
    counts = np.concatenate(per_stage)
    stage = np.repeat(np.array([index for index, _ in flags], dtype=np.int8), n)
    skip = np.tile(blank | total, len(flags))
    keep = ~skip & ~np.isnan(counts)
    long = pd.concat([frame[group_columns]] * len(flags), ignore_index=True)
    excluded: dict[str, int] = {}
    for label, mask in ((EXCLUDED_BLANK_ROWS, blank), (EXCLUDED_TOTAL_ROWS, total)):
        if mask.any():
            excluded[label] = int(mask.sum())
    built = _count_cells(long, group_columns, stage, counts, keep, plan, file, "", [], excluded)
    built.notes.insert(0, NOTE_WIDE_COUNTS.format(columns=", ".join(f'"{h}"' for _, h in flags)))
    return built


def _count_cells(
    frame: pd.DataFrame,
    group_columns: Sequence[str],
    stage: np.ndarray,
    counts: np.ndarray,
    keep: np.ndarray,
    plan: StagePlan,
    file: str,
    stage_header: str,
    warnings: list[str],
    excluded: dict[str, int],
) -> _Built:
    found = sorted(set(stage[keep].tolist()))
    if len(found) < 2:
        raise InputDataError(
            MSG_TOO_FEW_COUNT_STAGES.format(
                file=file,
                found=", ".join(plan.stages[i] for i in found) or "no known stage",
                column=stage_header or "(stage columns)",
            )
        )
    cells = _bincount_cells(
        frame,
        group_columns,
        stage,
        np.zeros(len(frame), dtype=np.int8),
        keep,
        n_stages=len(plan.stages),
        weights=np.nan_to_num(counts),
    )
    cells["_stage"] = cells["_stage"].map({old: new for new, old in enumerate(found)})
    stages = tuple(plan.stages[i] for i in found)
    notes = [NOTE_COUNTS_INPUT.format(stages=", ".join(stages))]
    return _Built(
        cells,
        stages,
        warnings,
        excluded,
        notes,
        from_counts=True,
        categories=_categories(frame, group_columns),
    )


def _count_stage_index(value: object, plan: StagePlan) -> int:
    """Stage index for a count table's stage label ("Shortlisted", "Invited to interview")."""
    key = stage_key(value)
    if not key:
        return -1
    index = plan.index_of(key)
    if index is not None:
        return index
    found = classify_outcome(value)
    if found is None or (found[1] != schema.LEFT_BY_NOT_PROGRESSED and found[0] != "appointed"):
        return -1
    canonical = found[0]
    return plan.canonical_index.get(canonical, -1)


def _reached_to_furthest(
    table: pd.DataFrame, keys: list[str], stages: tuple[str, ...], warnings: list[str]
) -> pd.DataFrame:
    """Turn "number who reached each stage" into "number whose furthest stage is this one"."""
    n_stages = len(stages)
    wide = (
        table.pivot_table(
            index=keys, columns="_stage", values=schema.COUNT, aggfunc="sum", fill_value=0
        )
        .reindex(columns=range(n_stages), fill_value=0)
        .astype(np.int64)
    )
    reached = wide.to_numpy()
    nxt = np.concatenate([reached[:, 1:], np.zeros((len(reached), 1), dtype=np.int64)], axis=1)
    furthest = reached - nxt
    for row, col in zip(*np.nonzero(furthest < 0), strict=True):
        cell = ", ".join(str(v) for v in np.atleast_1d(wide.index[row]))
        warnings.append(
            WARN_MORE_THAN_BEFORE.format(
                later=stages[col + 1],
                later_n=int(reached[row, col + 1]),
                stage=stages[col],
                stage_n=int(reached[row, col]),
                cell=cell,
            )
        )
    furthest = np.clip(furthest, 0, None)
    out = pd.DataFrame(furthest, index=wide.index, columns=range(n_stages))
    out = out.stack().rename(schema.COUNT).reset_index()
    out.columns = [*keys, "_stage", schema.COUNT]
    last = n_stages - 1
    out["_left"] = np.where(
        out["_stage"] == last,
        schema.LEFT_BY_VALUES.index(schema.LEFT_BY_COMPLETED),
        schema.LEFT_BY_VALUES.index(schema.LEFT_BY_NOT_PROGRESSED),
    )
    return out[out[schema.COUNT] > 0]


def _view_codes(values: Sequence[str], raw_codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct labels of a view, and each cell's index into them."""
    labels, per_category = np.unique(np.asarray(values, dtype=object), return_inverse=True)
    return labels, per_category[raw_codes]


def _finish(
    built: _Built,
    choice: cols.ColumnChoice,
    file: str,
    notes: list[str],
    *,
    rows_are: RowsAre = "applications",
    one_step: bool = False,
    recode: Mapping[str, Mapping[str, str]] | None = None,
) -> Funnel:
    """Normalise the distinct raw values, re-aggregate on the views, and build the Funnel."""
    cells = built.cells
    amounts = cells[schema.COUNT].to_numpy()
    warnings = list(built.warnings)
    unplaced: dict[str, dict[str, int]] = {}
    views: list[tuple[str, np.ndarray, np.ndarray]] = []  # (column, labels, code per cell)
    stratum_header = choice.roles.get(cols.ROLE_STRATUM)
    if stratum_header is not None:
        views.append(
            (schema.STRATUM, *_view_codes(built.categories[stratum_header], cells[stratum_header]))
        )
    attributes: list[str] = []
    not_stated_only: dict[str, str] = {}
    seen_values: dict[str, list[str]] = {}
    for role, attribute in _ATTRIBUTE_ROLES:
        header = choice.roles.get(role)
        if header is None:
            continue
        categories = built.categories[header]
        raw_codes = cells[header].to_numpy()
        chosen = {clean_text(k): v for k, v in (recode or {}).get(role, {}).items()}
        targets = [chosen.get(clean_text(c), c) for c in categories]
        result = normalise_values(targets, attribute=attribute)  # type: ignore[arg-type]
        recoded = [(c, t) for c, t in zip(categories, targets, strict=True) if t != c]
        if recoded:
            notes.append(
                NOTE_RECODED.format(
                    role=role, pairs="; ".join(f'"{c}" as "{t}"' for c, t in recoded[:10])
                )
            )
        not_read = set(result.unplaced)
        if attribute == schema.ETHNICITY_DETAILED:
            names = (schema.ETHNICITY_DETAILED, schema.ETHNICITY_GROUP, schema.ETHNICITY_WRES)
            if len(result.schemes) > 1:
                notes.append(
                    NOTE_MIXED_SCHEMES.format(
                        attribute="ethnicity",
                        schemes=" and ".join(_SCHEME_WORDS[s] for s in sorted(result.schemes)),
                    )
                )
            notes.append(f"Five ethnic groups follow the {GROUP_SCHEME_DESCRIPTIONS['nhs2001']}.")
        else:
            names = (attribute,)
        attributes.extend(names)
        for i, view_name in enumerate(names):
            per_category = [result.views[t][i] for t in targets]
            views.append((view_name, *_view_codes(per_category, raw_codes)))
        per_value = np.bincount(raw_codes, weights=amounts, minlength=len(categories))
        # Values seen only on rows already left out (a "Total" row) are not listed.
        position = {c: i for i, c in enumerate(categories)}
        seen_unplaced = {
            c: int(per_value[position[c]])
            for c, t in zip(categories, targets, strict=True)
            if t in not_read and per_value[position[c]] > 0
        }
        if seen_unplaced:
            # Listed in Funnel.unplaced; the audit turns them into one warning per attribute.
            unplaced[attribute] = seen_unplaced
        _, labels, codes_per_cell = views[-1]
        if not (amounts[labels[codes_per_cell] != schema.NOT_STATED] > 0).any():
            # Nothing stated: this part is not computable, the others still are; the
            # extract is refused only when no attribute is left (below).
            not_stated_only[role] = REASON_ALL_NOT_STATED.format(
                label=_ROLE_LABELS.get(role, role), column=header
            )
            seen_values[role] = [c for c, n in zip(categories, per_value, strict=True) if n > 0]
    flag_header = choice.roles.get(cols.ROLE_GUARANTEED_INTERVIEW)
    if flag_header is not None:
        categories = built.categories[flag_header]
        result = normalise_values(categories, attribute=schema.GUARANTEED_INTERVIEW)
        per_category = [result.views[c][0] for c in categories]
        views.append(
            (schema.GUARANTEED_INTERVIEW, *_view_codes(per_category, cells[flag_header].to_numpy()))
        )
    out = _aggregate_views(views, cells, amounts)
    keys = [name for name, _, _ in views]
    if built.from_counts:
        summed = out.groupby([*keys, "_stage"], sort=False)[schema.COUNT].sum().reset_index()
        reached = _reached_to_furthest(summed, keys, built.stages, warnings)
        out = reached.groupby([*keys, "_stage", "_left"], sort=True)[schema.COUNT].sum()
        out = out.reset_index()
        out = out[out[schema.COUNT] > 0]
    stage_type = pd.CategoricalDtype(list(built.stages), ordered=True)
    counts = out[keys].reset_index(drop=True)
    counts[schema.FURTHEST_STAGE] = pd.Categorical.from_codes(
        out["_stage"].to_numpy(dtype=np.int64), dtype=stage_type
    )
    counts[schema.LEFT_BY] = np.asarray(schema.LEFT_BY_VALUES, dtype=object)[
        out["_left"].to_numpy(dtype=np.int64)
    ]
    counts[schema.COUNT] = out[schema.COUNT].to_numpy(dtype=np.int64)
    for reason, number in built.excluded.items():
        notes.append(NOTE_EXCLUDED.format(count=number, reason=reason))
    analysed = int(amounts.sum())
    unread = _unread_parts(built, choice, unplaced, analysed, file)
    not_computable = {**not_stated_only, **built.not_computable}
    for part, found in unread.items():
        if found.share > UNREAD_REFUSE_SHARE:
            refused = InputDataError(
                MSG_MOSTLY_UNREAD.format(
                    file=file,
                    share=found.share,
                    what=_UNREAD_WHAT[part == OUTCOME_PART].format(part=part),
                    column=found.column,
                    values=_listed(found.values),
                    fix=found.fix,
                )
            )
            refused.unread = unread  # so the app can offer the mapping in place
            raise refused
        if found.share > UNREAD_NOT_COMPUTABLE_SHARE:
            not_computable[part] = found.reason()
    if not_stated_only and set(not_stated_only) >= set(_present_roles(choice)):
        # Nothing left to compare: every attribute column is "not stated" throughout.
        role = next(r for r, _ in _ATTRIBUTE_ROLES if r in not_stated_only)
        examples = ", ".join(f'"{v}"' for v in seen_values[role][:5])
        raise InputDataError(
            MSG_ALL_NOT_STATED.format(
                file=file,
                column=choice.roles[role],
                examples=examples,
                label=_ROLE_LABELS.get(role, role),
                role=role,
            )
        )
    return Funnel(
        stages=built.stages,
        counts=counts,
        attributes=tuple(attributes),
        stratified_by=stratum_header,
        source=file,
        column_choices=tuple(choice.choices),
        unplaced=unplaced,
        excluded=dict(built.excluded),
        warnings=tuple(warnings),
        notes=tuple([*notes, *built.notes]),
        rows_are=rows_are,
        one_step=one_step or _is_binary_ladder(built.stages),
        unread=unread,
        not_computable=not_computable,
    )


UNREAD_NOT_COMPUTABLE_SHARE = 0.05
UNREAD_REFUSE_SHARE = 0.50
MAX_FIX_TEXTS = 3
_UNREAD_WHAT = {True: "an outcome", False: "a value"}
MSG_MOSTLY_UNREAD = (
    '{file}: {share:.0%} of the rows have {what} the tool cannot read in "{column}" '
    "({values}), so any result would rest on a minority of the extract: {fix}."
)
FIX_OUTCOME = (
    'map them with --stages "{mappings}", choosing each stage from {stages} (add '
    '":withdrew" or ":declined_offer" when that is how the application ended)'
)
FIX_ATTRIBUTE = (
    'map them with --recode "{role}:{value}=<category>" (a code or label the tool reads, '
    'or "Not stated"), or, if "{column}" does not hold {label}, name the right column with '
    '--column {role}="<header>"{off}'
)
NOTE_RECODED = "{role}: read {pairs}, as you asked (--recode)."
MSG_RECODE_ROLE = (
    "--recode {role}:…: {role!r} is not an equality column; use one of {roles}, e.g. "
    '--recode "ethnicity:W1=A".'
)
MSG_BAD_RECODE = (
    '--recode {value!r} is not of the form "column role:value=category", e.g. '
    '--recode "ethnicity:W1=A".'
)
FIX_SWITCH_OFF = ", leave it out with --column {role}="
REASON_ALL_NOT_STATED = 'every {label} value in "{column}" is not stated'


def _listed(values: Mapping[str, int]) -> str:
    shown = [f'"{v}"' for v in list(values)[:10]]
    more = len(values) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _present_roles(choice: cols.ColumnChoice) -> list[str]:
    return [role for role, _ in _ATTRIBUTE_ROLES if role in choice.roles]


def _unread_parts(
    built: _Built,
    choice: cols.ColumnChoice,
    unplaced: Mapping[str, Mapping[str, int]],
    analysed: int,
    file: str,
) -> dict[str, Unread]:
    """Rows the tool could not read, per part: the outcome, and each attribute column."""
    found: dict[str, Unread] = {}
    stage_header = choice.roles.get(cols.ROLE_STAGE)
    if built.unread_outcomes and stage_header is not None:
        count = sum(built.unread_outcomes.values())
        left_out = sum(
            n
            for k, n in built.excluded.items()
            if k not in (EXCLUDED_BLANK_ROWS, EXCLUDED_TOTAL_ROWS)
        )
        mappings = ",".join(f"{t}=<stage>" for t in list(built.unread_outcomes)[:MAX_FIX_TEXTS])
        found[OUTCOME_PART] = Unread(
            OUTCOME_PART,
            stage_header,
            count,
            analysed + left_out,
            dict(built.unread_outcomes),
            FIX_OUTCOME.format(mappings=mappings, stages=", ".join(built.stages)),
        )
    for role, attribute in _ATTRIBUTE_ROLES:
        values = unplaced.get(attribute)
        if not values or role not in choice.roles:
            continue
        off = "" if role == cols.ROLE_ETHNICITY else FIX_SWITCH_OFF.format(role=role)
        found[role] = Unread(
            role,
            choice.roles[role],
            sum(values.values()),
            analysed,
            dict(sorted(values.items(), key=lambda item: -item[1])),
            FIX_ATTRIBUTE.format(
                column=choice.roles[role],
                label=_ROLE_LABELS.get(role, role),
                role=role,
                off=off,
                value=max(values, key=lambda v: values[v]),
            ),
        )
    return found


def _is_binary_ladder(stages: Sequence[str]) -> bool:
    """Two stages, the last one an appointment (a count table of applied and appointed)."""
    return len(stages) == 2 and make_stage_plan(stages).canonical_index["appointed"] == 1


def _aggregate_views(
    views: Sequence[tuple[str, np.ndarray, np.ndarray]], cells: pd.DataFrame, amounts: np.ndarray
) -> pd.DataFrame:
    """Sum counts per cell of the views (plus stage and left_by), on integer codes only."""
    parts = [(codes, len(labels)) for _, labels, codes in views]
    parts.append((cells["_stage"].to_numpy(), int(cells["_stage"].max()) + 1))
    parts.append((cells["_left"].to_numpy(), len(schema.LEFT_BY_VALUES)))
    present, inverse = np.unique(_cell_keys(parts), return_inverse=True)
    summed = np.bincount(inverse, weights=amounts)
    decoded = _split_keys(present, parts)
    out = {name: labels[code] for (name, labels, _), code in zip(views, decoded, strict=False)}
    out["_stage"] = decoded[-2]
    out["_left"] = decoded[-1]
    out[schema.COUNT] = np.rint(summed).astype(np.int64)
    frame = pd.DataFrame(out)
    return frame[frame[schema.COUNT] > 0]


_HOW_WORDS = {
    cols.HOW_AUTO: "auto-detected",
    cols.HOW_OPTION: "chosen by you",
}


def describe_column_choices(funnel: Funnel) -> str:
    """The printed account of what was read from where, and how it was chosen.

    Examples
    --------
    >>> data = b"Ethnicity,Outcome\\nA,Appointed\\nB,Withdrawn\\n"
    >>> print(describe_column_choices(read_funnel(data, name="t.csv")).splitlines()[1])
      ethnicity    <- "Ethnicity" (auto-detected)
    """
    lines = [f"Columns read from {funnel.source}:"]
    for role, header, how in funnel.column_choices:
        shown = f'"{header}"' if header else "(switched off)"
        lines.append(f"  {role:<12} <- {shown} ({_HOW_WORDS.get(how, how)})")
    missing = [
        role
        for role in (cols.ROLE_GENDER, cols.ROLE_DISABILITY)
        if role not in {r for r, _, _ in funnel.column_choices}
    ]
    if missing:
        lines.append(f"  not found: {', '.join(missing)} (those breakdowns are left out)")
    lines.append(f"Stages: {' > '.join(funnel.stages)}")
    lines.extend(f"  {note}" for note in funnel.notes)
    return "\n".join(lines)


def parse_recode(values: Sequence[str] | None) -> dict[str, dict[str, str]] | None:
    """Read ``--recode "role:value=category"`` options into ``read_funnel(recode=...)``.

    >>> parse_recode(["ethnicity:W1=A", "ethnicity:Other (W)=C", "gender:X=Not stated"])
    {'ethnicity': {'W1': 'A', 'Other (W)': 'C'}, 'gender': {'X': 'Not stated'}}
    """
    if not values:
        return None
    found: dict[str, dict[str, str]] = {}
    for value in values:
        role, colon, rest = value.partition(":")
        raw, equals, target = rest.rpartition("=")
        if not (colon and equals and role.strip() and raw.strip() and target.strip()):
            raise OptionError(MSG_BAD_RECODE.format(value=value))
        found.setdefault(role.strip(), {})[raw.strip()] = target.strip()
    return found
