"""Find which column holds what: auto-detection from common export names, with overrides.

Header names vary by trust and report (``research/ecosystem.md`` §6), so every role has an
ordered list of exact names (after folding case and punctuation) and a cautious fallback
("contains 'ethnic'"). The user can override any choice with ``--column role="Header"``; the
choices and how they were made are recorded for the printed account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io.stages import StagePlan, stage_key
from bias_audit.stats import schema

ROLE_ETHNICITY = "ethnicity"
ROLE_GENDER = "gender"
ROLE_DISABILITY = "disability"
ROLE_STAGE = "stage"
ROLE_ID = "id"
ROLE_COUNT = "count"
ROLE_STRATUM = "stratum"
ROLE_AGE_BAND = "age_band"
ROLE_RELIGION = "religion"
ROLE_SEXUAL_ORIENTATION = "sexual_orientation"
# The Disability Confident guaranteed interview scheme flag (yes / no per application).
ROLE_GUARANTEED_INTERVIEW = "guaranteed_interview"
ROLES: tuple[str, ...] = (
    ROLE_ETHNICITY,
    ROLE_GENDER,
    ROLE_DISABILITY,
    ROLE_STAGE,
    ROLE_ID,
    ROLE_COUNT,
    ROLE_AGE_BAND,
    ROLE_RELIGION,
    ROLE_SEXUAL_ORIENTATION,
    ROLE_GUARANTEED_INTERVIEW,
)

# The equality columns, as messages name them, and the Funnel attribute each one feeds.
ROLE_LABELS = {
    ROLE_ETHNICITY: "ethnicity",
    ROLE_GENDER: "gender",
    ROLE_DISABILITY: "disability",
    ROLE_AGE_BAND: "age band",
    ROLE_RELIGION: "religion or belief",
    ROLE_SEXUAL_ORIENTATION: "sexual orientation",
}
ATTRIBUTE_ROLES: tuple[tuple[str, str], ...] = (
    (ROLE_ETHNICITY, schema.ETHNICITY_DETAILED),
    (ROLE_GENDER, schema.GENDER),
    (ROLE_DISABILITY, schema.DISABILITY),
    (ROLE_AGE_BAND, schema.AGE_BAND),
    (ROLE_RELIGION, schema.RELIGION),
    (ROLE_SEXUAL_ORIENTATION, schema.SEXUAL_ORIENTATION),
)


HOW_AUTO = "auto"
HOW_OPTION = "--column"

MSG_UNKNOWN_COLUMN = (
    '{file}: {option}"{column}": there is no column with that header. The columns are: {headers}.'
)
MSG_UNKNOWN_ROLE = (
    "--column {role}=…: {role!r} is neither a column role ({roles}) nor a stage ({stages})."
)
MSG_NO_ETHNICITY = (
    "{file}: no ethnicity column found (looked for headers such as Ethnic Origin, Ethnicity, "
    "Ethnic Group). The columns are: {headers}. Name it with "
    '--column ethnicity="<header>".'
)
MSG_NO_STAGE = (
    "{file}: no stage information found: no outcome/status column (such as Application "
    "Status, Outcome, Stage) and no per-stage columns (such as Shortlisted, Interview Date, "
    "Offer Date, Appointed Y/N). The columns are: {headers}. Name one with "
    '--column stage="<header>" or --column shortlisted="<header>".'
)
MSG_ETHNICITY_REQUIRED = "--column ethnicity= cannot be switched off: ethnicity is required."

# Exact header names per role, best first (compared after stage_key folding).
ROLE_HEADERS: dict[str, tuple[str, ...]] = {
    ROLE_ETHNICITY: (
        "ethnic origin",
        "ethnicity",
        "ethnic group",
        "ethnic category",
        "ethnic background",
        "ethnic origin code",
        "ethnicity code",
        "ethnic origin description",
        "race",
    ),
    ROLE_GENDER: ("sex", "gender", "legal sex", "sex gender", "gender sex", "sex code"),
    ROLE_DISABILITY: (
        "disability",
        "disabled",
        "disability status",
        "disability declared",
        "disability flag",
        "do you consider yourself to have a disability",
        "do you consider yourself disabled",
    ),
    ROLE_STAGE: (
        "application status",
        "status",
        "outcome",
        "stage",
        "application outcome",
        "application stage",
        "current stage",
        "current status",
        "recruitment stage",
        "recruitment status",
        "final outcome",
        "final status",
        "outcome status",
        "result",
        "decision",
        "stage reached",
    ),
    ROLE_ID: (
        "applicant id",
        "application id",
        "candidate id",
        "application number",
        "applicant number",
        "candidate number",
        "application reference",
        "application ref",
        "applicant reference",
        "applicant ref",
        "candidate reference",
        "id",
    ),
    ROLE_AGE_BAND: (
        "age band",
        "age group",
        "age range",
        "age bracket",
        "age",
        "age at application",
        "age band esr",
        "age bands",
    ),
    ROLE_RELIGION: (
        "religion",
        "religion or belief",
        "religion belief",
        "religious belief",
        "religion and belief",
        "belief",
        "faith",
    ),
    ROLE_SEXUAL_ORIENTATION: ("sexual orientation", "sexuality", "orientation"),
    ROLE_GUARANTEED_INTERVIEW: (
        "disability confident",
        "guaranteed interview scheme",
        "guaranteed interview",
        "disability confident scheme",
        "disability confident guaranteed interview",
        "gis",
        "dcs",
        "guaranteed interview scheme gis",
        "interview guarantee",
        "offer of interview scheme",
    ),
    ROLE_COUNT: (
        "count",
        "number",
        "n",
        "headcount",
        "frequency",
        "number of applicants",
        "number of applications",
        "no of applicants",
        "no of applications",
        "applicants",
        "applications",
        "people",
        "total",
    ),
}
# Count headers that may also name something else; they count only when the values are
# whole numbers.
_WEAK_COUNT_HEADERS = frozenset({"applicants", "applications", "people", "total", "number"})
# Fallback: a header containing one of these words, and none of the excluded ones.
_ROLE_FALLBACK: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    ROLE_ETHNICITY: (("ethnic", "ethnicity"), frozenset({"benchmark", "percent", "pct"})),
    ROLE_GENDER: (
        ("gender", "sex"),
        frozenset({"identity", "orientation", "sexual", "same", "trans", "birth", "reassignment"}),
    ),
    ROLE_DISABILITY: (
        ("disability", "disabled"),
        frozenset(
            {"guaranteed", "interview", "scheme", "confident", "type", "impairment", "gis"}
            | {"adjustment", "adjustments", "nature", "details"}
        ),
    ),
    ROLE_AGE_BAND: (("age",), frozenset({"date", "birth", "dob", "stage", "wage", "page"})),
    ROLE_RELIGION: (("religion", "religious", "belief", "faith"), frozenset({"percent", "pct"})),
    ROLE_SEXUAL_ORIENTATION: (("orientation", "sexuality"), frozenset({"percent", "pct"})),
    ROLE_GUARANTEED_INTERVIEW: (("guaranteed", "confident"), frozenset({"percent", "pct"})),
    ROLE_STAGE: (
        ("status", "outcome", "stage"),
        frozenset(
            {"marital", "employment", "immigration", "visa", "residency", "civil", "partnership"}
            | {"pregnancy", "maternity", "armed", "forces", "veteran", "vacancy", "advert"}
        ),
    ),
}

# Header words that only say "this is a date/flag of stage X".
_FLAG_FILLER = frozenset({"date", "dates", "y", "n", "yn", "flag", "indicator", "on", "of"})
_STAGE_FLAG_HEADERS: dict[str, tuple[str, ...]] = {
    "shortlisted": (
        "shortlisted",
        "shortlist",
        "shortlisting",
        "invited to interview",
        "invited for interview",
        "interview invite",
        "interview invitation",
        "interview invited",
    ),
    "interviewed": ("interviewed", "interview", "interview attended", "attended interview"),
    "offered": ("offered", "offer", "offer made", "conditional offer", "offer sent"),
    "appointed": (
        "appointed",
        "appointment",
        "start",
        "started",
        "hired",
        "offer accepted",
        "starter",
    ),
}


def header_key(header: object) -> str:
    """Fold a header for comparison: lower-case words only ("Appointed Y/N" -> "appointed y n")."""
    return stage_key(header)


def _role_rank(key: str, role: str) -> int | None:
    """Lower is better; ``None`` when the header does not look like this role at all."""
    names = ROLE_HEADERS[role]
    if key in names:
        return names.index(key)
    fallback = _ROLE_FALLBACK.get(role)
    if fallback is None:
        return None
    wanted, excluded = fallback
    words = set(key.split())
    if words & set(wanted) and not words & excluded:
        return len(names) + len(words)
    return None


def _flag_stage_key(key: str) -> str:
    return " ".join(w for w in key.split() if w not in _FLAG_FILLER)


def flag_rank(key: str, stage: str) -> int | None:
    """Rank of a header as the per-stage flag/date column of ``stage``, or ``None``."""
    core = _flag_stage_key(key)
    if not core:
        return None
    stage_name = stage_key(stage)
    if core == stage_name:
        return 0
    names = _STAGE_FLAG_HEADERS.get(stage_name, ())
    if core in names:
        return 1 + names.index(core)
    return None


def header_score(cells: Sequence[object]) -> int:
    """How many cells of a row look like known headers (used to find the header row)."""
    score = 0
    for cell in cells:
        key = header_key(cell)
        if not key or len(key) > 80:
            continue
        if any(_role_rank(key, role) is not None for role in ROLES) or any(
            flag_rank(key, stage) is not None for stage in _STAGE_FLAG_HEADERS
        ):
            score += 1
    return score


@dataclass
class ColumnChoice:
    """What each role and stage flag was read from.

    ``roles`` maps role -> header; ``flags`` maps stage index -> header;
    ``choices`` is the ordered account ``(role or stage, header, how)``; ``alternatives``
    the other headers that also looked like a chosen role.
    """

    roles: dict[str, str] = field(default_factory=dict)
    flags: dict[int, str] = field(default_factory=dict)
    choices: list[tuple[str, str, str]] = field(default_factory=list)
    alternatives: dict[str, list[str]] = field(default_factory=dict)

    @property
    def needed(self) -> list[str]:
        """Every header that must be read, in file order of first mention, without repeats."""
        return list(dict.fromkeys([*self.roles.values(), *self.flags.values()]))


def _resolve_header(headers: Sequence[str], wanted: str, *, file: str, option: str) -> str:
    if wanted in headers:
        return wanted
    folded = header_key(wanted)
    for header in headers:
        if header_key(header) == folded:
            return header
    raise InputDataError(
        MSG_UNKNOWN_COLUMN.format(
            file=file,
            option=option,
            column=wanted,
            headers=", ".join(f'"{h}"' for h in headers),
        )
    )


def detect_columns(
    headers: Sequence[str],
    *,
    plan: StagePlan,
    file: str,
    overrides: Mapping[str, str] | None = None,
    stratify: str | None = None,
    numeric: Mapping[str, bool] | None = None,
) -> ColumnChoice:
    """Choose the column for every role and per-stage flag.

    Parameters
    ----------
    headers
        Column headers as they appear in the file.
    plan
        The stage ladder (flag columns are looked for per configured stage).
    file
        File name for messages.
    overrides
        ``role or stage name -> header``; an empty header switches an optional role off.
    stratify
        Header of the column to stratify by.
    numeric
        Header -> whether its sampled values are all whole numbers (a count column must be).

    Examples
    --------
    >>> from bias_audit.io.stages import make_stage_plan
    >>> choice = detect_columns(["Applicant ID", "Ethnic Origin", "Sex", "Interview Date",
    ...                          "Application Status"], plan=make_stage_plan(None), file="x.csv")
    >>> choice.roles["ethnicity"], choice.roles["stage"], choice.flags
    ('Ethnic Origin', 'Application Status', {2: 'Interview Date'})
    """
    choice = ColumnChoice()
    given = dict(overrides or {})
    taken: set[str] = set()
    for key, wanted in given.items():
        role = key.strip().lower()
        stage_index = plan.index_of(key)
        if role not in (*ROLES, ROLE_STRATUM) and stage_index is None:
            raise OptionError(
                MSG_UNKNOWN_ROLE.format(
                    role=key, roles=", ".join(ROLES), stages=", ".join(plan.stages)
                )
            )
        if not wanted.strip():
            if role == ROLE_ETHNICITY:
                raise OptionError(MSG_ETHNICITY_REQUIRED)
            choice.choices.append((role, "", HOW_OPTION))
            continue
        header = _resolve_header(headers, wanted, file=file, option=f"--column {key}=")
        taken.add(header)
        if role in ROLES or role == ROLE_STRATUM:
            choice.roles[role] = header
            choice.choices.append((role, header, HOW_OPTION))
        else:
            choice.flags[stage_index] = header
            choice.choices.append((plan.stages[stage_index], header, HOW_OPTION))
    if stratify is not None:
        header = _resolve_header(headers, stratify, file=file, option="--stratify ")
        choice.roles[ROLE_STRATUM] = header
        # Funnel.column_choices knows two ways: "auto" and "--column" (an explicit choice).
        choice.choices.append((ROLE_STRATUM, header, HOW_OPTION))
        taken.add(header)
    switched_off = {role for role, header, _ in choice.choices if not header}
    keys = {h: header_key(h) for h in headers}
    for role in ROLES:
        if role in choice.roles or role in switched_off:
            continue
        ranked = []
        for position, header in enumerate(headers):
            rank = _role_rank(keys[header], role) if header not in taken else None
            if rank is None:
                continue
            weak = keys[header] in _WEAK_COUNT_HEADERS
            if role == ROLE_COUNT and weak and numeric is not None and not numeric.get(header):
                continue
            ranked.append((rank, position, header))
        if not ranked:
            continue
        ranked.sort()
        best = ranked[0][2]
        choice.roles[role] = best
        choice.choices.append((role, best, HOW_AUTO))
        choice.alternatives[role] = [h for _, _, h in ranked[1:]]
        taken.add(best)
    for index, stage in enumerate(plan.stages):
        if index in choice.flags or stage_key(stage) in switched_off or index == 0:
            continue
        ranked = sorted(
            (rank, position, header)
            for position, header in enumerate(headers)
            if header not in taken and (rank := flag_rank(keys[header], stage)) is not None
        )
        if ranked:
            best = ranked[0][2]
            choice.flags[index] = best
            choice.choices.append((stage, best, HOW_AUTO))
            taken.add(best)
    if ROLE_ETHNICITY not in choice.roles:
        raise InputDataError(
            MSG_NO_ETHNICITY.format(file=file, headers=", ".join(f'"{h}"' for h in headers))
        )
    return choice


_INTEGER = re.compile(r"^\s*\d+(\.0+)?\s*$")


def looks_integer(values: Sequence[object]) -> bool:
    """True when every non-blank sampled value is a whole number (and there is at least one)."""
    seen = False
    for value in values:
        text = "" if value is None else str(value).strip()
        if not text or text.lower() == "nan":
            continue
        if not _INTEGER.match(text.replace(",", "")):
            return False
        seen = True
    return seen
