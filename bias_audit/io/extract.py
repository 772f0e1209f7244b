"""Read a recruitment extract (CSV or XLSX, one row per application or counts) into a Funnel.

The reader is on the hot path of every report, so it never touches a cell twice in Python:

1. look at the bytes (:mod:`bias_audit.io.files`): kind, encoding, separator, header row;
2. choose columns (:mod:`bias_audit.io.columns`, :mod:`bias_audit.io.column_choices`) and
   read only those, as categoricals;
3. turn outcome texts / stage flags into a furthest-stage code per row with array look-ups
   over the *categories* (:mod:`bias_audit.io.stages`), by layout
   (:mod:`bias_audit.io.layouts.rows` or :mod:`bias_audit.io.layouts.counts`);
4. count rows per cell of raw codes with one ``numpy.bincount`` (:mod:`bias_audit.io.cells`);
5. normalise the few distinct raw values (:mod:`bias_audit.io.codes`) and re-aggregate
   (:mod:`bias_audit.io.views`), checking what could not be read (:mod:`bias_audit.io.unread`).

This module holds the entry point and the options that shape the whole reading
(``--rows-are``, ``--recode``, a one-step appointed / not appointed column).

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
from typing import BinaryIO

import numpy as np
import pandas as pd

from bias_audit.engine.choice import (
    AUTO_DUCKDB_BYTES,
    DEFAULT_SPARK_MASTER,
    ENCODING_SAMPLE_BYTES,
    ENGINE_KINDS,
    OUT_OF_CORE_MAX_BYTES,
    check_engine,
    choose_engine,
)
from bias_audit.errors import InputDataError, OptionError
from bias_audit.io import columns as cols
from bias_audit.io.cells import (
    EXCLUDED_BEFORE_FIRST,
    EXCLUDED_BLANK_ROWS,
    EXCLUDED_TOTAL_ROWS,
    RawCells,
    group_columns_of,
)
from bias_audit.io.column_choices import (
    also_found_notes,
    best_ethnicity_column,
    ethnicity_rivals,
)
from bias_audit.io.files import (
    DEFAULT_MAX_BYTES,
    EXTRACT_FILE,
    Table,
    describe_reading,
    open_table,
    read_columns,
    sniff,
)
from bias_audit.io.ladders import one_step_plan, sift_plan
from bias_audit.io.layouts.counts import adopt_wide_counts, from_counts, from_wide_counts
from bias_audit.io.layouts.rows import from_rows
from bias_audit.io.source import Source, open_source, too_big_message
from bias_audit.io.stages import StagePlan, binary_meaning, make_stage_plan, outcome_codes
from bias_audit.io.unread import UNREAD_NOT_COMPUTABLE_SHARE, UNREAD_REFUSE_SHARE
from bias_audit.io.views import build_funnel
from bias_audit.stats import schema
from bias_audit.stats.funnel import OUTCOME_PART, ROWS_ARE_CHOICES, Funnel, RowsAre

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
NOTE_SIFT = (
    '"{column}" names the shortlisting decision ({sifted}) and appointment but no step in '
    "between, so the funnel is {stages}: {not_appointed} read as shortlisted and not "
    "appointed (they were not turned down at shortlisting). Rates at interview and offer "
    "cannot be worked out from it."
)
MAX_ONE_STEP_VALUES = 6
MSG_ROWS_ARE = "--rows-are {value!r}: use one of {choices}."
MSG_ROWS_ARE_NO_SHORTLIST = (
    "--rows-are shortlisted needs a shortlisting stage before the last stage, but the stages "
    "are {stages}. Add one, e.g. --stages shortlisted,interviewed,offered,appointed."
)


MSG_RECODE_ROLE = (
    "--recode {role}:…: {role!r} is not an equality column; use one of {roles}, e.g. "
    '--recode "ethnicity:W1=A".'
)
MSG_BAD_RECODE = (
    '--recode {value!r} is not of the form "column role:value=category", e.g. '
    '--recode "ethnicity:W1=A".'
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
    max_bytes: int | None = None,
    engine: str = "auto",
    spark_master: str = DEFAULT_SPARK_MASTER,
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
        Largest file to read. By default, files over ``DEFAULT_MAX_BYTES`` (the in-memory
        limit) are refused only where they must be read in memory (workbooks, uploads,
        count tables, ``engine="pandas"``); CSV and Parquet files on disk above it are
        counted out of core (``engine``), up to ``OUT_OF_CORE_MAX_BYTES``. A limit you give
        holds for every engine.
    engine
        Where the rows are counted (:mod:`bias_audit.engine`): ``"auto"`` (default: pandas
        for workbooks, uploads and small files, DuckDB for CSV / Parquet files above
        ``bias_audit.engine.choice.AUTO_DUCKDB_BYTES`` or ``max_bytes``), ``"pandas"``,
        ``"duckdb"`` or ``"spark"``. The Funnel is the same whichever counts.
    spark_master
        Spark master URL for ``engine="spark"`` when no Spark session is active
        (default ``local[*]``).

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
        if role not in cols.ROLE_LABELS:
            raise OptionError(MSG_RECODE_ROLE.format(role=role, roles=", ".join(cols.ROLE_LABELS)))
    check_engine(engine)
    on_disk = not hasattr(source, "read") and not isinstance(source, bytes | bytearray | memoryview)
    open_limit = max_bytes
    if max_bytes is None:
        open_limit = OUT_OF_CORE_MAX_BYTES if engine != "pandas" and on_disk else DEFAULT_MAX_BYTES
        max_bytes = DEFAULT_MAX_BYTES
    src = open_source(source, kind=EXTRACT_FILE, name=name, max_bytes=open_limit)
    plan = make_stage_plan(stages, file=src.name)
    if rows_are == "shortlisted":
        plan = _shortlisted_plan(plan, stages, src.name)
    # DuckDB checks the UTF-8 itself: the encoding is found from the first lines only.
    quick = engine == "duckdb" or (engine == "auto" and src.size > AUTO_DUCKDB_BYTES)
    sniffed = sniff(
        src, max_bytes=max_bytes, encoding_sample=ENCODING_SAMPLE_BYTES if quick else None
    )
    counter = choose_engine(engine, kind=sniffed.kind, size=src.size, on_disk=on_disk)
    if counter == "pandas" and engine == "auto" and src.size > max_bytes and on_disk:
        counter = "duckdb" if sniffed.kind in ENGINE_KINDS else counter
    if counter == "pandas" and src.size > max_bytes:
        raise InputDataError(too_big_message(src.name, src.size, max_bytes, kind=src.kind))
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
            cols.MSG_NO_STAGE.format(
                file=src.name, headers=", ".join(f'"{h}"' for h in table.headers)
            )
        )
    wide = adopt_wide_counts(choice, table, plan)
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
    rivals = ethnicity_rivals(choice)
    id_header = choice.roles.get(cols.ROLE_ID)
    weights = None
    if counter != "pandas" and (wide or count_column is not None):
        # A count table is aggregated already (one row per group and stage): it is read in
        # memory, within the in-memory limit, so that a bad count can name its row.
        if src.size > max_bytes:
            raise InputDataError(too_big_message(src.name, src.size, max_bytes, kind=src.kind))
        counter = "pandas"
        if quick and sniffed.kind == "csv":
            table.sniffed.encoding = sniff(src, max_bytes=max_bytes).encoding
    duplicate_ids = None
    switched = None
    if counter == "pandas":
        frame = read_columns(
            src,
            table,
            list(dict.fromkeys([*choice.needed, *rivals])),
            numeric=numeric_columns,
            raw=[id_header] if id_header is not None else [],
        )
        if rivals:
            switched = best_ethnicity_column(frame, choice, rivals)
            frame = frame.drop(columns=[r for r in rivals if r not in choice.needed])
    else:
        frame, weights, duplicate_ids, switched = _count_in_engine(
            counter, src, table, choice, rivals, spark_master=spark_master
        )
    notes = describe_reading(src, table)
    if switched is not None:
        notes.append(switched)
    notes.extend(also_found_notes(choice))
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
        sift = sift_plan(plan, present, flags=choice.flags, rows_are=rows_are)
        single = (
            None if sift else one_step_plan(plan, present, flags=choice.flags, rows_are=rows_are)
        )
        if sift is not None:
            last = len(plan.stages) - 1
            choice.flags = {2 if i == last else i: h for i, h in choice.flags.items()}
            notes.append(_sift_note(stage_header, present, plan, sift))
            plan = sift
        if single is not None:
            last = len(plan.stages) - 1
            choice.flags = {1 if i == last else i: h for i, h in choice.flags.items()}
            plan, one_step = single, True
            notes.append(_one_step_note(stage_header, choice, present, plan, rows_are))
    if wide:
        built = from_wide_counts(frame, choice, plan, src.name, table)
    elif count_column is not None:
        built = from_counts(frame, choice, plan, src.name, table)
    else:
        built = from_rows(
            frame, choice, plan, src.name, weights=weights, duplicate_ids=duplicate_ids
        )
    if rows_are == "shortlisted" and not one_step:
        notes.append(NOTE_ROWS_SHORTLISTED)
    if rows_are == "shortlisted":
        _check_shortlisted_rows(built, src.name)
    return build_funnel(
        built, choice, src.name, notes, rows_are=rows_are, one_step=one_step, recode=recode
    )


def _count_in_engine(
    counter: str,
    src: Source,
    table: Table,
    choice: cols.ColumnChoice,
    rivals: Sequence[str],
    *,
    spark_master: str,
) -> tuple[pd.DataFrame, np.ndarray, int | None, str | None]:
    """Count the chosen columns' distinct combinations in DuckDB or Spark
    (:mod:`bias_audit.engine.tally`): the combinations, their rows, the repeated ids, and
    the note if a rival ethnicity column was chosen (on the combinations, weighted)."""
    from bias_audit.engine.tally import EngineCount

    id_header = choice.roles.get(cols.ROLE_ID)
    with EngineCount(counter, src, table, spark_master=spark_master) as counted:
        frame, weights = counted.combinations(
            [h for h in dict.fromkeys([*choice.needed, *rivals]) if h != id_header],
            flags=list(choice.flags.values()),
            id_header=id_header,
        )
        switched = None
        if rivals:
            switched = best_ethnicity_column(frame, choice, rivals, weights=weights)
        kept = frame.drop(columns=[r for r in rivals if r not in choice.needed])
        duplicates = None
        if id_header is not None:
            duplicates = counted.repeated_ids(
                kept, id_header=id_header, group_headers=group_columns_of(choice)
            )
    return kept, weights, duplicates, switched


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


def _check_shortlisted_rows(built: RawCells, file: str) -> None:
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


def _sift_note(
    header: str | None, present: Sequence[object], plan: StagePlan, sift: StagePlan
) -> str:
    codes = outcome_codes(present, plan)
    not_progressed = schema.LEFT_BY_VALUES.index(schema.LEFT_BY_NOT_PROGRESSED)
    sifted = [
        f'"{v}"'
        for i, v in enumerate(present)
        if codes.reason[i] == "" and codes.stage[i] == 0 and codes.left_by[i] == not_progressed
    ]
    negative = [f'"{v}"' for v in present if binary_meaning(v) < 0]
    return NOTE_SIFT.format(
        column=header,
        sifted=", ".join(sifted[:MAX_ONE_STEP_VALUES]),
        stages=" → ".join(sift.stages),
        not_appointed=(", ".join(negative[:MAX_ONE_STEP_VALUES]) + " are")
        if negative
        else "none is",
    )


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
