"""Which column of a staff extract holds what: ESR header names, with explicit overrides.

An ESR (Electronic Staff Record) staff-in-post or leavers report names its columns in its
own vocabulary ("Assignment Number", "Ethnic Origin", "Disability Flag", "Pay Band",
"Staff Group", "Hire Date", "Termination Date", "Leaving Reason", "Age Band"); local
reports rename them. Every role has an ordered list of exact names (folded as the
recruitment reader folds headers, :func:`bias_audit.io.columns.header_key`) and a cautious
fallback ("contains 'disciplinary'"). ``columns={"role": "Header"}`` (CLI
``--column role="Header"``) overrides any choice; ``columns={"role": ""}`` switches a role
off. The equality roles reuse the recruitment reader's header lists.

Examples
--------
>>> choice = detect_staff_columns(
...     ["Assignment Number", "Ethnic Origin", "Gender", "Pay Band", "Hire Date"], file="x.csv")
>>> choice.roles["id"], choice.roles["band"], choice.roles["start_date"]
('Assignment Number', 'Pay Band', 'Hire Date')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io import columns as recruitment_columns
from bias_audit.io.columns import MSG_UNKNOWN_COLUMN, header_key

ROLE_ID = "id"
ROLE_COUNT = "count"
ROLE_ETHNICITY = "ethnicity"
ROLE_GENDER = "gender"
ROLE_DISABILITY = "disability"
ROLE_AGE_BAND = "age_band"
ROLE_DATE_OF_BIRTH = "date_of_birth"
ROLE_BAND = "band"
ROLE_STAFF_GROUP = "staff_group"
ROLE_START_DATE = "start_date"
ROLE_LEAVING_DATE = "leaving_date"
ROLE_LEAVING_REASON = "leaving_reason"
ROLE_DISCIPLINARY = "disciplinary"
ROLE_CAPABILITY = "capability"
ROLE_TRAINING = "training"
ROLE_BOARD = "board"
ROLE_BOARD_VOTING = "board_voting"
ROLE_BOARD_EXECUTIVE = "board_executive"
ROLE_BAND_EARLIER = "band_earlier"

# Exact header names per role, best first (compared after header_key folding). Order of
# the dict is the order roles pick headers: a header taken by an earlier role is not
# offered to a later one ("Disciplinary Date" is a disciplinary event, not a start date).
STAFF_ROLE_HEADERS: dict[str, tuple[str, ...]] = {
    ROLE_ID: (
        "assignment number",
        "employee number",
        "staff number",
        "person number",
        "person id",
        "employee id",
        "staff id",
        "assignment id",
        "payroll number",
        "esr number",
        "id",
    ),
    ROLE_COUNT: ("count", "headcount", "head count", "number of staff", "staff count", "n"),
    ROLE_ETHNICITY: recruitment_columns.ROLE_HEADERS[recruitment_columns.ROLE_ETHNICITY],
    ROLE_GENDER: recruitment_columns.ROLE_HEADERS[recruitment_columns.ROLE_GENDER],
    ROLE_DISABILITY: recruitment_columns.ROLE_HEADERS[recruitment_columns.ROLE_DISABILITY],
    ROLE_DATE_OF_BIRTH: ("date of birth", "dob", "birth date", "birthdate"),
    ROLE_AGE_BAND: recruitment_columns.ROLE_HEADERS[recruitment_columns.ROLE_AGE_BAND],
    ROLE_DISCIPLINARY: (
        "formal disciplinary",
        "disciplinary",
        "entered formal disciplinary",
        "formal disciplinary investigation",
        "disciplinary investigation",
        "disciplinary date",
        "disciplinary start date",
        "formal disciplinary date",
        "disciplinary investigation date",
    ),
    ROLE_CAPABILITY: (
        "formal capability",
        "capability",
        "entered formal capability",
        "capability process",
        "formal capability process",
        "capability date",
        "capability start date",
        "formal capability date",
        "performance capability",
    ),
    ROLE_TRAINING: (
        "non mandatory training",
        "accessed non mandatory training",
        "non mandatory training or cpd",
        "non mandatory training cpd",
        "non mandatory training date",
        "cpd",
        "cpd date",
        "training",
    ),
    ROLE_BAND_EARLIER: (
        "band at start",
        "band at start of period",
        "earlier band",
        "previous band",
        "pay band at start",
        "band earlier",
        "start band",
        "starting band",
        "band history",
    ),
    ROLE_BAND: (
        "pay band",
        "band",
        "afc band",
        "agenda for change band",
        "grade",
        "pay grade",
        "pay band description",
        "grade code",
        "pay scale",
    ),
    ROLE_STAFF_GROUP: ("staff group", "staff group description", "occupation group"),
    ROLE_START_DATE: (
        "hire date",
        "date started",
        "assignment start date",
        "start date",
        "latest start date",
        "date of appointment",
        "date joined",
        "nhs start date",
    ),
    ROLE_LEAVING_DATE: (
        "termination date",
        "leaving date",
        "date left",
        "assignment end date",
        "end date",
        "leaver date",
    ),
    ROLE_LEAVING_REASON: ("leaving reason", "reason for leaving", "termination reason"),
    ROLE_BOARD: ("board member", "board", "board membership", "board role", "board position"),
    ROLE_BOARD_VOTING: ("voting board member", "board voting", "voting member"),
    ROLE_BOARD_EXECUTIVE: ("executive board member", "board executive", "executive member"),
}
STAFF_ROLES: tuple[str, ...] = tuple(STAFF_ROLE_HEADERS)
# Fallback: a header containing one of these words, and none of the excluded ones.
_FALLBACK: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    ROLE_ETHNICITY: (frozenset({"ethnic", "ethnicity"}), frozenset({"percent", "pct"})),
    ROLE_GENDER: (
        frozenset({"gender", "sex"}),
        frozenset({"identity", "orientation", "sexual", "reassignment"}),
    ),
    ROLE_DISABILITY: (
        frozenset({"disability", "disabled"}),
        frozenset({"type", "impairment", "adjustment", "adjustments", "confident"}),
    ),
    ROLE_DISCIPLINARY: (frozenset({"disciplinary"}), frozenset({"outcome", "sanction"})),
    ROLE_CAPABILITY: (frozenset({"capability"}), frozenset({"outcome", "health", "ill"})),
    ROLE_TRAINING: (frozenset({"cpd"}), frozenset()),
}

HOW_AUTO = "auto"
HOW_OPTION = "--column"

MSG_UNKNOWN_ROLE = (
    "--column {role}=…: {role!r} is not a staff-extract column role. Use one of: {roles}."
)
MSG_NO_ETHNICITY_OR_DISABILITY = (
    "{file}: no ethnicity or disability column found (looked for headers such as Ethnic "
    "Origin, Ethnicity, Disability Flag, Disability). The columns are: {headers}. Name one "
    'with --column ethnicity="<header>" or --column disability="<header>".'
)
MSG_SAME_HEADER = (
    '--column: "{header}" is named for both {first} and {second}; one column holds one thing.'
)


@dataclass
class StaffColumns:
    """What each role was read from: ``roles`` maps role -> header; ``choices`` is the
    ordered account ``(role, header, how)`` for the printed summary."""

    roles: dict[str, str] = field(default_factory=dict)
    choices: list[tuple[str, str, str]] = field(default_factory=list)


def _rank(key: str, role: str) -> int | None:
    names = STAFF_ROLE_HEADERS[role]
    if key in names:
        return names.index(key)
    fallback = _FALLBACK.get(role)
    if fallback is None:
        return None
    wanted, excluded = fallback
    words = set(key.split())
    if words & wanted and not words & excluded:
        return len(names) + len(words)
    return None


def _resolve(headers: Sequence[str], wanted: str, *, file: str, role: str) -> str:
    if wanted in headers:
        return wanted
    for header in headers:
        if header_key(header) == header_key(wanted):
            return header
    raise InputDataError(
        MSG_UNKNOWN_COLUMN.format(
            file=file,
            option=f"--column {role}=",
            column=wanted,
            headers=", ".join(f'"{h}"' for h in headers),
        )
    )


def detect_staff_columns(
    headers: Sequence[str], *, file: str, overrides: Mapping[str, str] | None = None
) -> StaffColumns:
    """Choose a header for each role: overrides first, then the best-ranked unused header.

    An override of ``""`` switches the role off. Refuses an unknown role, an unknown header
    (listing the headers) and a file with neither an ethnicity nor a disability column.
    """
    overrides = dict(overrides or {})
    result = StaffColumns()
    taken: dict[str, str] = {}
    for role, wanted in overrides.items():
        if role not in STAFF_ROLE_HEADERS:
            raise OptionError(MSG_UNKNOWN_ROLE.format(role=role, roles=", ".join(STAFF_ROLES)))
        if not str(wanted).strip():
            continue
        header = _resolve(headers, str(wanted), file=file, role=role)
        if header in taken:
            raise OptionError(
                MSG_SAME_HEADER.format(header=header, first=taken[header], second=role)
            )
        taken[header] = role
        result.roles[role] = header
    for role in STAFF_ROLES:
        if role in overrides:
            continue
        ranked = [
            (rank, i, h)
            for i, h in enumerate(headers)
            if h not in taken and (rank := _rank(header_key(h), role)) is not None
        ]
        if ranked:
            header = min(ranked)[2]
            taken[header] = role
            result.roles[role] = header
    for role in STAFF_ROLES:
        if role in result.roles:
            how = HOW_OPTION if role in overrides else HOW_AUTO
            result.choices.append((role, result.roles[role], how))
    if ROLE_ETHNICITY not in result.roles and ROLE_DISABILITY not in result.roles:
        raise InputDataError(
            MSG_NO_ETHNICITY_OR_DISABILITY.format(
                file=file, headers=", ".join(f'"{h}"' for h in headers)
            )
        )
    return result
