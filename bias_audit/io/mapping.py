"""Saved column mappings: how to read one system's extract, kept in a small TOML file.

A trust's extract from TRAC, NHS Jobs or Oleeo has the same headers quarter after quarter,
so the choices made once — which column is ethnicity, gender, disability, the outcome, the
stage columns; what the system's outcome texts mean; which sheet; what each row is;
values to recode — can be saved (``bias-audit recruitment EXTRACT --save-mapping FILE``,
or the download on the app's recruitment page) and loaded next time (``--mapping FILE``, or
the upload), so the next extract needs no options and no clicks.

Why TOML: the file is meant to be read and edited by people (comments say what each part
is), Python reads it with the standard library (:mod:`tomllib`), and the project's settings
file is TOML already. The values are only strings, lists of strings and tables of strings,
so the writer here is a few lines (strings are written as JSON strings, which are valid
TOML basic strings) and needs no package.

A mapping file looks like this (every part optional)::

    version = 1
    sheet = "Applications"            # workbook sheet
    rows_are = "applications"         # or "shortlisted"
    stages = ["applied", "shortlisted", "interviewed", "offered", "appointed"]
    stratify = "Vacancy Reference"

    [columns]                         # role or stage -> column header ("" switches it off)
    ethnicity = "Ethnic Origin"
    gender = "Sex"
    stage = "Application Status"

    [outcomes]                        # outcome text -> stage (or stage:withdrew, …)
    "Offer made" = "offered"

    [recode.ethnicity]                # value in the file -> category
    W1 = "A"

Everything is checked when the file is loaded; a message names the file and the key, says
what is wrong and how to fix it (:class:`~bias_audit.errors.InputDataError`).

Examples
--------
>>> mapping = read_mapping(b'rows_are = "shortlisted"\\n[columns]\\ngender = "Sex"\\n',
...                        name="trac.toml")
>>> mapping.audit_options()["columns"], mapping.audit_options()["rows_are"]
({'gender': 'Sex'}, 'shortlisted')
>>> read_mapping(to_toml(mapping), name="again.toml") == mapping.located("again.toml")
True
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bias_audit.errors import BiasAuditError, InputDataError
from bias_audit.io import columns as cols
from bias_audit.io.files import NOTE_WORKBOOK
from bias_audit.io.stages import stage_key
from bias_audit.stats import schema
from bias_audit.stats.funnel import ROWS_ARE_CHOICES, Funnel

FORMAT_VERSION = 1
MAX_MAPPING_BYTES = 1_000_000  # a mapping is a few hundred bytes; anything this big is not one
SCALAR_KEYS = ("sheet", "rows_are", "stratify")
TABLE_KEYS = ("columns", "outcomes", "recode")
KEYS = ("version", *SCALAR_KEYS, "stages", *TABLE_KEYS)

MSG_MAPPING_MISSING = (
    "{file}: there is no such mapping file. Check the path, or write one with "
    "bias-audit recruitment EXTRACT --save-mapping {file}."
)
MSG_MAPPING_UNREADABLE = (
    "{file}: the mapping file cannot be read ({reason}). Choose the .toml file written by "
    "--save-mapping."
)
MSG_MAPPING_TOO_LARGE = (
    "{file}: at {size:,} bytes this is not a column mapping (a mapping is a few hundred "
    "bytes). Choose the .toml file written by --save-mapping."
)
MSG_MAPPING_NOT_TOML = (
    "{file}: this is not a readable TOML mapping ({reason}). Correct that line, or write a "
    "new mapping with bias-audit recruitment EXTRACT --save-mapping FILE."
)
MSG_MAPPING_UNKNOWN_KEY = (
    '{file}: unknown key "{key}". A mapping may have {known}; remove the key or correct its '
    "spelling."
)
MSG_MAPPING_WRONG_TYPE = '{file}: "{key}" must be {expected}, not {found}; for example {example}.'
MSG_MAPPING_VERSION = (
    '{file}: "version" is {value!r}, but this bias-audit reads mapping version {supported}. '
    "Write the mapping again with --save-mapping."
)
MSG_MAPPING_ROWS_ARE = '{file}: "rows_are" is {value!r}; use one of {choices}.'
MSG_MAPPING_STAGES = (
    '{file}: "stages" needs at least two different stage names in order, for example '
    'stages = ["applied", "shortlisted", "interviewed", "offered", "appointed"].'
)
MSG_MAPPING_UNKNOWN_ROLE = (
    '{file}: "columns.{role}": {role!r} is neither a column role ({roles}) nor a stage '
    "({stages}). Correct the name, or remove the line."
)
MSG_MAPPING_ETHNICITY_OFF = (
    '{file}: "columns.ethnicity" is empty, but ethnicity cannot be switched off. Give the '
    "header of the ethnicity column, or remove the line to let the tool find it."
)
MSG_MAPPING_UNKNOWN_STAGE = (
    '{file}: "outcomes" sends "{text}" to {target!r}, but {stage!r} is not one of the stages '
    '({stages}). Use one of those names, e.g. "{text}" = "{first}".'
)
MSG_MAPPING_LEFT_BY = (
    '{file}: "outcomes" says "{text}" left by {left!r}; after the colon use one of {choices}, '
    'e.g. "{text}" = "{stage}:withdrew".'
)
MSG_MAPPING_RECODE_ROLE = (
    '{file}: "recode.{role}": {role!r} is not an equality column; use one of {roles}.'
)
MSG_MAPPING_MISSING_COLUMN = (
    '{file}: "{key}" names the column "{column}", but {extract} has no column with that '
    "header. Its columns are: {headers}. Correct the header in {file}, or override it with "
    '{option}"…".'
)

TOML_HEADER = (
    "# bias-audit column mapping: how to read this system's recruitment extract.\n"
    "# Use it with: bias-audit recruitment EXTRACT --mapping THIS_FILE\n"
    "# (options given on the command line win), or upload it on the app's recruitment page.\n"
)
TOML_COMMENTS = {
    "columns": '# role or stage -> column header in the extract ("" switches a role off)',
    "outcomes": "# outcome text -> stage it reached (stage:withdrew, offered:declined_offer)",
    "recode": "# value in the file -> category the tool understands",
}


@dataclass(frozen=True)
class ColumnMapping:
    """How to read one system's extract; every part optional (``None`` / empty = decide
    automatically).

    ``columns`` maps a role (ethnicity, gender, disability, stage, id, count, …) or a stage
    name to a header; ``stages`` is the ladder in order; ``outcomes`` maps an outcome text
    to ``stage`` or ``stage:how``; ``recode`` maps role -> {value in the file: category};
    ``file`` is where the mapping was read from, for messages.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    stages: tuple[str, ...] | None = None
    outcomes: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    rows_are: str | None = None
    stratify: str | None = None
    recode: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    file: str | None = field(default=None, compare=False)

    def located(self, file: str | None) -> ColumnMapping:
        """The same mapping, said to come from ``file``."""
        return replace(self, file=file)

    def stage_entries(self) -> list[str] | None:
        """``--stages`` entries: the ladder, then ``"Outcome text=stage"`` mappings."""
        entries = [*(self.stages or ()), *(f"{t}={s}" for t, s in self.outcomes.items())]
        return entries or None

    def audit_options(self) -> dict[str, Any]:
        """Keyword arguments for :func:`bias_audit.services.audit_extract`.

        >>> ColumnMapping(outcomes={"Hold": "applied"}).audit_options()["stages"]
        ['Hold=applied']
        """
        return {
            "columns": dict(self.columns) or None,
            "stages": self.stage_entries(),
            "stratify": self.stratify,
            "sheet": self.sheet,
            "rows_are": self.rows_are or "applications",
            "recode": {role: dict(values) for role, values in self.recode.items()} or None,
        }

    def overridden_by(self, other: ColumnMapping) -> ColumnMapping:
        """This mapping with every choice ``other`` makes put in its place (``other`` is
        what was given on the command line or picked on the page).

        >>> saved = ColumnMapping(columns={"gender": "Sex", "stage": "Status"}, sheet="Q1")
        >>> mixed = saved.overridden_by(ColumnMapping(columns={"gender": "Gender"}))
        >>> dict(mixed.columns), mixed.sheet
        ({'gender': 'Gender', 'stage': 'Status'}, 'Q1')
        """
        recode = {role: dict(values) for role, values in self.recode.items()}
        for role, values in other.recode.items():
            recode.setdefault(role, {}).update(values)
        return ColumnMapping(
            columns={**self.columns, **other.columns},
            stages=other.stages if other.stages is not None else self.stages,
            outcomes={**self.outcomes, **other.outcomes},
            sheet=other.sheet if other.sheet is not None else self.sheet,
            rows_are=other.rows_are if other.rows_are is not None else self.rows_are,
            stratify=other.stratify if other.stratify is not None else self.stratify,
            recode=recode,
            file=self.file,
        )

    def not_overridden_by(self, other: ColumnMapping) -> ColumnMapping:
        """Only the columns this mapping decides (those ``other`` does not override): the
        ones a "not in the extract" message may blame on this mapping's file."""
        return replace(
            self,
            columns={r: h for r, h in self.columns.items() if r not in other.columns},
            stratify=self.stratify if other.stratify is None else None,
            sheet=other.sheet if other.sheet is not None else self.sheet,
        )


def from_options(
    *,
    columns: Mapping[str, str] | None = None,
    stages: Sequence[str] | None = None,
    sheet: str | None = None,
    rows_are: str | None = None,
    stratify: str | None = None,
    recode: Mapping[str, Mapping[str, str]] | None = None,
) -> ColumnMapping:
    """The mapping that command-line options (or the page's choices) describe; ``stages``
    mixes the ladder and ``"Outcome text=stage"`` entries, as ``--stages`` does.

    >>> m = from_options(stages=["applied", "interviewed", "appointed", "Panel=interviewed"])
    >>> m.stages, dict(m.outcomes)
    (('applied', 'interviewed', 'appointed'), {'Panel': 'interviewed'})
    """
    ladder = [s.strip() for s in stages or () if "=" not in s and s.strip()]
    outcomes = {}
    for entry in stages or ():
        if "=" in entry:
            text, _, target = entry.rpartition("=")
            outcomes[text.strip()] = target.strip()
    return ColumnMapping(
        columns=dict(columns or {}),
        stages=tuple(ladder) or None,
        outcomes=outcomes,
        sheet=sheet,
        rows_are=rows_are,
        stratify=stratify,
        recode={role: dict(values) for role, values in (recode or {}).items()},
    )


def mapping_used(funnel: Funnel, given: ColumnMapping) -> ColumnMapping:
    """The mapping to save after a reading: what was given, with every column the reader
    chose for itself written in, so the next extract is read the same way with no options.

    >>> from bias_audit.io.extract import read_funnel
    >>> data = b"Ethnicity,Outcome\\nA,Appointed\\nB,Not shortlisted\\n"
    >>> used = mapping_used(read_funnel(data, name="t.csv"), ColumnMapping())
    >>> dict(used.columns), used.rows_are, used.sheet
    ({'ethnicity': 'Ethnicity', 'stage': 'Outcome'}, 'applications', None)
    """
    chosen = {role: header for role, header, _ in funnel.column_choices}
    stratify = chosen.pop(cols.ROLE_STRATUM, None)
    return replace(
        given,
        columns=chosen,
        stratify=given.stratify if given.stratify is not None else stratify,
        sheet=given.sheet if given.sheet is not None else sheet_read(funnel.notes),
        rows_are=funnel.rows_are,
    )


_SHEET_NOTE_START, _, _rest = NOTE_WORKBOOK.partition("{sheet}")
_SHEET_NOTE_END = _rest.partition("{")[0]


def sheet_read(notes: Sequence[str]) -> str | None:
    """The workbook sheet the reader chose, from its note (None for a CSV).

    >>> sheet_read([NOTE_WORKBOOK.format(sheet="Q3 data", extra="")])
    'Q3 data'
    """
    for note in notes:
        if note.startswith(_SHEET_NOTE_START):
            end = note.find(_SHEET_NOTE_END, len(_SHEET_NOTE_START))
            if end > 0:
                return note[len(_SHEET_NOTE_START) : end]
    return None


def read_mapping(
    source: str | os.PathLike[str] | bytes, *, name: str | None = None
) -> ColumnMapping:
    """Read and check a mapping file (a path, or the bytes of an upload named ``name``).

    Raises
    ------
    InputDataError
        The file is missing, not TOML, or has an unknown key, a value of the wrong type, an
        unknown role or stage; the message names the file and the key.
    """
    if isinstance(source, bytes):
        file, data = name or "uploaded mapping", source
    else:
        file = name or os.fspath(source)
        try:
            size = os.path.getsize(source)
            if size > MAX_MAPPING_BYTES:
                raise InputDataError(MSG_MAPPING_TOO_LARGE.format(file=file, size=size))
            with open(source, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            raise InputDataError(MSG_MAPPING_MISSING.format(file=file)) from None
        except OSError as err:  # a folder, no permission, …
            raise InputDataError(
                MSG_MAPPING_UNREADABLE.format(file=file, reason=err.strerror or err)
            ) from None
    if len(data) > MAX_MAPPING_BYTES:
        raise InputDataError(MSG_MAPPING_TOO_LARGE.format(file=file, size=len(data)))
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputDataError(
            MSG_MAPPING_NOT_TOML.format(file=file, reason="it is not UTF-8 text")
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise InputDataError(MSG_MAPPING_NOT_TOML.format(file=file, reason=str(err))) from None
    return _checked(raw, file)


_EXAMPLES = {
    "version": "version = 1",
    "sheet": 'sheet = "Applications"',
    "rows_are": 'rows_are = "applications"',
    "stratify": 'stratify = "Vacancy Reference"',
    "stages": 'stages = ["applied", "shortlisted", "appointed"]',
    "columns": '[columns] with lines such as ethnicity = "Ethnic Origin"',
    "outcomes": '[outcomes] with lines such as "Offer made" = "offered"',
    "recode": '[recode.ethnicity] with lines such as W1 = "A"',
}


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true / false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _wrong(file: str, key: str, expected: str, value: object, example_key: str) -> InputDataError:
    return InputDataError(
        MSG_MAPPING_WRONG_TYPE.format(
            file=file,
            key=key,
            expected=expected,
            found=_type_name(value),
            example=_EXAMPLES[example_key],
        )
    )


def _strings(file: str, key: str, value: object, example_key: str) -> dict[str, str]:
    """A table of text values."""
    if not isinstance(value, dict):
        raise _wrong(file, key, "a table", value, example_key)
    for inner, text in value.items():
        if not isinstance(text, str):
            raise _wrong(file, f"{key}.{inner}", "text", text, example_key)
    return dict(value)


def _checked(raw: dict[str, Any], file: str) -> ColumnMapping:
    for key in raw:
        if key not in KEYS:
            raise InputDataError(
                MSG_MAPPING_UNKNOWN_KEY.format(
                    file=file, key=key, known=", ".join(f'"{k}"' for k in KEYS)
                )
            )
    version = raw.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        raise _wrong(file, "version", "a whole number", version, "version")
    if version != FORMAT_VERSION:
        raise InputDataError(
            MSG_MAPPING_VERSION.format(file=file, value=version, supported=FORMAT_VERSION)
        )
    scalars: dict[str, str | None] = {}
    for key in SCALAR_KEYS:
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise _wrong(file, key, "text", value, key)
        scalars[key] = value
    if scalars["rows_are"] is not None and scalars["rows_are"] not in ROWS_ARE_CHOICES:
        raise InputDataError(
            MSG_MAPPING_ROWS_ARE.format(
                file=file, value=scalars["rows_are"], choices=", ".join(ROWS_ARE_CHOICES)
            )
        )
    stages = raw.get("stages")
    if stages is not None:
        if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
            raise _wrong(file, "stages", "a list of stage names", stages, "stages")
        keys = [stage_key(s) for s in stages]
        if len(stages) < 2 or len(set(keys)) < len(keys) or "" in keys:
            raise InputDataError(MSG_MAPPING_STAGES.format(file=file))
        stages = tuple(s.strip() for s in stages)
    ladder = stages or schema.DEFAULT_STAGES
    ladder_keys = {stage_key(s): s for s in ladder}
    columns = _strings(file, "columns", raw.get("columns", {}), "columns")
    for role, header in columns.items():
        if role.strip().lower() not in (*cols.ROLES, cols.ROLE_STRATUM) and (
            stage_key(role) not in ladder_keys
        ):
            raise InputDataError(
                MSG_MAPPING_UNKNOWN_ROLE.format(
                    file=file, role=role, roles=", ".join(cols.ROLES), stages=", ".join(ladder)
                )
            )
        if role.strip().lower() == cols.ROLE_ETHNICITY and not header.strip():
            raise InputDataError(MSG_MAPPING_ETHNICITY_OFF.format(file=file))
    outcomes = _strings(file, "outcomes", raw.get("outcomes", {}), "outcomes")
    for text, target in outcomes.items():
        stage, _, left = target.partition(":")
        if stage_key(stage) not in ladder_keys:
            raise InputDataError(
                MSG_MAPPING_UNKNOWN_STAGE.format(
                    file=file,
                    text=text,
                    target=target,
                    stage=stage.strip(),
                    stages=", ".join(ladder),
                    first=ladder[0],
                )
            )
        if left.strip() and left.strip() not in schema.LEFT_BY_VALUES:
            raise InputDataError(
                MSG_MAPPING_LEFT_BY.format(
                    file=file,
                    text=text,
                    left=left.strip(),
                    choices=", ".join(schema.LEFT_BY_VALUES),
                    stage=stage.strip(),
                )
            )
    recode_raw = raw.get("recode", {})
    if not isinstance(recode_raw, dict):
        raise _wrong(file, "recode", "a table", recode_raw, "recode")
    recode = {}
    for role, values in recode_raw.items():
        if role not in cols.ROLE_LABELS:
            raise InputDataError(
                MSG_MAPPING_RECODE_ROLE.format(
                    file=file, role=role, roles=", ".join(cols.ROLE_LABELS)
                )
            )
        recode[role] = _strings(file, f"recode.{role}", values, "recode")
    return ColumnMapping(
        columns=columns,
        stages=stages,
        outcomes=outcomes,
        sheet=scalars["sheet"],
        rows_are=scalars["rows_are"],
        stratify=scalars["stratify"],
        recode=recode,
        file=file,
    )


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _string(text: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes; no \/ is ever written),
    # except that TOML also refuses a raw DEL character.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def to_toml(mapping: ColumnMapping) -> bytes:
    """The mapping as a commented TOML file (UTF-8), readable by :func:`read_mapping`.

    >>> text = to_toml(ColumnMapping(columns={"gender": "Sex"},
    ...                              outcomes={"Offer made": "offered"})).decode()
    >>> print(text[text.index("version"):])
    version = 1
    <BLANKLINE>
    [columns]
    # role or stage -> column header in the extract ("" switches a role off)
    gender = "Sex"
    <BLANKLINE>
    [outcomes]
    # outcome text -> stage it reached (stage:withdrew, offered:declined_offer)
    "Offer made" = "offered"
    <BLANKLINE>
    """
    lines = [TOML_HEADER, f"version = {FORMAT_VERSION}"]
    for key in SCALAR_KEYS:
        value = getattr(mapping, key)
        if value is not None:
            lines.append(f"{key} = {_string(value)}")
    if mapping.stages is not None:
        lines.append(f"stages = [{', '.join(_string(s) for s in mapping.stages)}]")
    for key in ("columns", "outcomes"):
        table = getattr(mapping, key)
        if table:
            lines += ["", f"[{key}]", TOML_COMMENTS[key]]
            lines += [f"{_key(k)} = {_string(v)}" for k, v in table.items()]
    for role, values in mapping.recode.items():
        lines += ["", f"[recode.{_key(role)}]", TOML_COMMENTS["recode"]]
        lines += [f"{_key(k)} = {_string(v)}" for k, v in values.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def explain_missing_column(
    err: BiasAuditError,
    mapping: ColumnMapping,
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    max_bytes: int | None = None,
) -> BiasAuditError:
    """When reading an extract failed, say so in the mapping's words if a column the
    mapping names is not in the extract; otherwise the error as it was.

    Called only on failure, so a good reading never opens the file twice.
    """
    from bias_audit.io.files import DEFAULT_MAX_BYTES, EXTRACT_FILE, open_table, sniff
    from bias_audit.io.source import open_source

    wanted = [(f"columns.{role}", f"--column {role}=", h) for role, h in mapping.columns.items()]
    if mapping.stratify is not None:
        wanted.append(("stratify", "--stratify ", mapping.stratify))
    wanted = [(key, option, header) for key, option, header in wanted if header.strip()]
    if not wanted:
        return err
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    try:
        src = open_source(source, kind=EXTRACT_FILE, name=name, max_bytes=limit)
        table = open_table(src, sniff(src, max_bytes=limit), sheet=mapping.sheet)
    except BiasAuditError:
        return err
    present = {cols.header_key(h) for h in table.headers}
    for key, option, header in wanted:
        if cols.header_key(header) not in present:
            return InputDataError(
                MSG_MAPPING_MISSING_COLUMN.format(
                    file=mapping.file or "the mapping",
                    key=key,
                    column=header,
                    extract=src.name,
                    headers=", ".join(f'"{h}"' for h in table.headers),
                    option=option,
                )
            )
    return err
