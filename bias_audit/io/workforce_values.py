"""Read the values of a staff extract: pay bands, staff groups, board roles, yes/no, dates.

Like :mod:`bias_audit.io.characteristics`, every function here reads one *distinct* raw
value (the reader maps the answers back onto the rows), and says whether it understood it.

Pay bands follow Agenda for Change (Bands 1–9, Band 8 in ranges A–D; ESR writes
"Band 8 - Range A"), Very Senior Managers, and the medical grades as WRES indicator 1
groups them (consultants; non-consultant career grades; trainee grades; other), NHS
England, *WRES technical guidance* (indicator 1, clinical staff of which medical and
dental).

Clinical / non-clinical follows the same guidance's split of ESR staff groups, kept as data
in ``bias_audit/data/esr_staff_groups.yml`` (with its source): the non-clinical workforce
is *Administrative and Clerical* and *Estates and Ancillary*; every other staff group is
clinical. An unknown staff group is read by a few words ("clerical", "nursing"), else
"Not stated" (counted).
"""

from __future__ import annotations

import functools
import re
from importlib.resources import files

import numpy as np
import pandas as pd

from bias_audit.errors import LexiconError
from bias_audit.io.codes import Placed, clean_text, is_not_stated_text, word_key
from bias_audit.stats import schema
from bias_audit.yaml_files import load_yaml

BAND_NOT_STATED = "Other / not stated"
BAND_8_NO_RANGE = "Band 8 (range not stated)"
VSM = "VSM"
MEDICAL_CONSULTANT = "Medical: Consultant"
MEDICAL_CAREER = "Medical: Non-consultant career grade"
MEDICAL_TRAINEE = "Medical: Trainee grade"
MEDICAL_OTHER = "Medical: Other"
AFC_BANDS: tuple[str, ...] = (
    "Band 1",
    "Band 2",
    "Band 3",
    "Band 4",
    "Band 5",
    "Band 6",
    "Band 7",
    "Band 8a",
    "Band 8b",
    "Band 8c",
    "Band 8d",
    BAND_8_NO_RANGE,
    "Band 9",
)
#: Every band label in report order.
BAND_ORDER: tuple[str, ...] = (
    "Under Band 1",
    *AFC_BANDS,
    VSM,
    MEDICAL_CONSULTANT,
    MEDICAL_CAREER,
    MEDICAL_TRAINEE,
    MEDICAL_OTHER,
    BAND_NOT_STATED,
)

CLINICAL = "Clinical"
NON_CLINICAL = "Non-clinical"
STAFF_GROUPS_FILE = files("bias_audit").joinpath("data/esr_staff_groups.yml")
MSG_BAD_STAFF_GROUPS = "data/esr_staff_groups.yml: {problem}"


@functools.cache
def staff_group_sides() -> dict[str, str]:
    """ESR staff group (folded) -> "Clinical" / "Non-clinical", from
    ``data/esr_staff_groups.yml`` (checked on load).

    >>> staff_group_sides()["administrative and clerical"]
    'Non-clinical'
    """
    data = load_yaml(STAFF_GROUPS_FILE.read_text(encoding="utf-8"))
    sides = set(data["sides"])
    if sides != {CLINICAL, NON_CLINICAL} or not data.get("source"):
        raise LexiconError(MSG_BAD_STAFF_GROUPS.format(problem="sides or source missing"))
    result = {}
    for entry in data["staff_groups"]:
        if entry["side"] not in sides:
            raise LexiconError(MSG_BAD_STAFF_GROUPS.format(problem=f"bad side in {entry}"))
        result[word_key(clean_text(entry["name"]).replace("&", " and "))] = entry["side"]
    return result


_BAND = re.compile(r"\b(?:band|afc|b)\s*([1-9])\s*(?:-\s*)?(?:range\s*)?([a-d])?\b")
_BARE_BAND = re.compile(r"^([1-9])\s*([a-d])?$")
_TRAINEE = (
    "foundation",
    "fy1",
    "fy2",
    "registrar",
    "specialty training",
    "specialist training",
    "core training",
    "trainee",
    "house officer",
    "st1",
    "st2",
    "st3",
    "st4",
    "st5",
    "st6",
    "st7",
    "ct1",
    "ct2",
    "ct3",
    "f1",
    "f2",
)
_CAREER = (
    "specialty doctor",
    "associate specialist",
    "staff grade",
    "specialist",
    "hospital practitioner",
    "clinical assistant",
    "career grade",
)


def place_band(value: object) -> Placed:
    """Read a pay band or grade into one label of :data:`BAND_ORDER`.

    >>> [place_band(v).views[0] for v in ("Band 5", "Band 8 - Range A", "XN08 Band 8C",
    ...      "Consultant", "Very Senior Manager", "Specialty Registrar", "3", "")]
    ['Band 5', 'Band 8a', 'Band 8c', 'Medical: Consultant', 'VSM', 'Medical: Trainee grade', \
'Band 3', 'Other / not stated']
    >>> place_band("Band 12").placed
    False
    """
    text = clean_text(value)
    key = word_key(text)
    if is_not_stated_text(text):
        return Placed((BAND_NOT_STATED,), True)
    if "very senior manager" in key or key.split()[:1] == ["vsm"] or " vsm" in f" {key}":
        return Placed((VSM,), True)
    if "under band 1" in key or "below band 1" in key:
        return Placed(("Under Band 1",), True)
    match = _BAND.search(key.replace("range ", "range")) or _BARE_BAND.match(key)
    if match is None:
        match = re.search(r"\bband\s*([1-9])\s*range\s*([a-d])\b", key)
    if match is not None:
        number, letter = match.group(1), match.group(2)
        after = key[match.end() :].strip()
        if after[:1].isdigit():  # "Band 12": no such band
            return Placed((BAND_NOT_STATED,), False)
        if number == "8":
            return Placed((f"Band 8{letter}" if letter else BAND_8_NO_RANGE,), True)
        return Placed((f"Band {number}",), True)
    if "consultant" in key:
        return Placed((MEDICAL_CONSULTANT,), True)
    padded = f" {key} "
    if any(f" {w} " in padded for w in _TRAINEE):
        return Placed((MEDICAL_TRAINEE,), True)
    if any(f" {w} " in padded for w in _CAREER):
        return Placed((MEDICAL_CAREER,), True)
    if {"medical", "dental", "doctor"} & set(key.split()):
        return Placed((MEDICAL_OTHER,), True)
    return Placed((BAND_NOT_STATED,), False)


def place_staff_group(value: object) -> Placed:
    """Clinical / Non-clinical / Not stated from an ESR staff group name (see module doc).

    >>> [place_staff_group(v).views[0] for v in ("Additional Clinical Services",
    ...      "Administrative and Clerical", "Add Prof Scientific and Technic", "")]
    ['Clinical', 'Non-clinical', 'Clinical', 'Not stated']
    """
    text = clean_text(value)
    key = word_key(text.replace("&", " and "))
    if not key or is_not_stated_text(text):
        return Placed((schema.NOT_STATED,), True)
    sides = staff_group_sides()
    if key in sides:
        return Placed((sides[key],), True)
    words = set(key.split())
    if words & {"administrative", "admin", "clerical", "estates", "ancillary"}:
        return Placed((NON_CLINICAL,), True)
    if words & {
        "clinical",
        "nursing",
        "midwifery",
        "medical",
        "dental",
        "allied",
        "scientists",
        "scientific",
        "students",
    }:
        return Placed((CLINICAL,), True)
    return Placed((schema.NOT_STATED,), False)


BOARD_VOTING = "Voting"  # a voting non-executive member (the chair, a non-executive)
BOARD_EXECUTIVE = "Executive"  # an executive member without a vote
BOARD_BOTH = "Voting and executive"  # an executive director with a vote
BOARD_NEITHER = "Non-voting non-executive"  # e.g. an associate non-executive director
NOT_BOARD = ""
#: Board roles -> whether each is voting and executive.
BOARD_ROLES: dict[str, tuple[bool, bool]] = {
    BOARD_VOTING: (True, False),
    BOARD_EXECUTIVE: (False, True),
    BOARD_BOTH: (True, True),
    BOARD_NEITHER: (False, False),
}
_YES = frozenset({"y", "yes", "true", "1", "x"})
_NO = frozenset({"n", "no", "false", "0", "none"})
_EXECUTIVE_WORDS = frozenset({"executive", "director", "chief", "officer"})


def place_board(value: object) -> Placed:
    """A board role (:data:`BOARD_ROLES`), or "" for someone not on the board.

    On an NHS trust board the executive directors vote unless stated otherwise, and so do
    the chair and the non-executive directors; an associate (non-voting) non-executive is
    neither. A "Yes" with no detail is read as a voting member.

    >>> [place_board(v).views[0] for v in ("Executive Director (voting)",
    ...      "Non-executive director", "Executive - non-voting", "Chief Executive", "Chair",
    ...      "Associate Non-Executive Director (non-voting)", "Yes", "No", "")]
    ['Voting and executive', 'Voting', 'Executive', 'Voting and executive', 'Voting', \
'Non-voting non-executive', 'Voting', '', '']
    """
    key = word_key(clean_text(value))
    if not key or key in _NO or is_not_stated_text(clean_text(value)):
        return Placed((NOT_BOARD,), True)
    if key in _YES:
        return Placed((BOARD_VOTING,), True)
    words = set(key.split())
    non_executive = "non executive" in key or "nonexecutive" in words or "ned" in words
    voting = not ("non voting" in key or "nonvoting" in words)
    executive = not non_executive and bool(words & _EXECUTIVE_WORDS)
    if executive:
        return Placed((BOARD_BOTH if voting else BOARD_EXECUTIVE,), True)
    if non_executive or words & {"chair", "chairman", "chairwoman", "member", "voting"}:
        return Placed((BOARD_VOTING if voting else BOARD_NEITHER,), True)
    return Placed((NOT_BOARD,), False)


def place_yes_no(value: object) -> Placed:
    """A yes/no flag as True / False; blank is "no" (the event did not happen).

    >>> [place_yes_no(v).views[0] for v in ("Y", "No", "", "Yes - formal")]
    [True, False, False, True]
    """
    key = word_key(clean_text(value))
    if not key or key in _NO:
        return Placed((False,), True)  # type: ignore[arg-type]
    if key in _YES or key.split()[0] in _YES:
        return Placed((True,), True)  # type: ignore[arg-type]
    if key.split()[0] in _NO or key.startswith("not "):
        return Placed((False,), True)  # type: ignore[arg-type]
    return Placed((False,), False)  # type: ignore[arg-type]


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_dates(values: pd.Series) -> tuple[pd.Series, int]:
    """Dates from distinct raw texts (UK day-first: 01/04/2024 is 1 April; ISO and ESR's
    "01-APR-2024" also read); blank is NaT. Returns the parsed series and how many
    non-blank values did not parse.

    >>> parsed, bad = parse_dates(pd.Series(["2024-04-01", "02/04/2024", "03-Apr-2024",
    ...                                       "", "soon"]))
    >>> [d.strftime("%d %b") if d is not pd.NaT else None for d in parsed], bad
    (['01 Apr', '02 Apr', '03 Apr', None, None], 1)
    """
    texts = values.astype(str).str.strip()
    blank = texts.eq("") | texts.str.lower().isin({"nan", "nat", "none", "null"})
    iso = texts.str.match(_ISO)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if iso.any():
        parsed[iso] = pd.to_datetime(texts[iso].str[:10], format="%Y-%m-%d", errors="coerce")
    other = ~iso & ~blank
    if other.any():
        # ESR writes dd/mm/yyyy: that explicit format first, any other form after.
        parsed[other] = pd.to_datetime(texts[other], format="%d/%m/%Y", errors="coerce")
        other &= parsed.isna()
    if other.any():
        parsed[other] = pd.to_datetime(texts[other], format="mixed", dayfirst=True, errors="coerce")
    bad = int((parsed.isna() & ~blank).sum())
    return parsed, bad


def looks_like_dates(values: pd.Series) -> bool:
    """True when most non-blank distinct values parse as dates (an event date column, not a
    yes/no flag)."""
    texts = values.astype(str).str.strip()
    filled = texts[texts.ne("")]
    if filled.empty:
        return False
    if filled.str.lower().isin(_YES | _NO | {"yes", "no"}).mean() > 0.5:
        return False
    _, bad = parse_dates(filled)
    return bad <= 0.5 * len(filled)


def distinct(column: pd.Series) -> tuple[list[str], np.ndarray]:
    """The distinct values of a column as text, and each row's position among them (-1 for
    a missing value), without making a string per row.

    >>> names, codes = distinct(pd.Series(["b", "a", "b"], dtype="category"))
    >>> names, codes.tolist()
    (['a', 'b'], [1, 0, 1])
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        names = [str(v) for v in column.cat.categories]
        codes = column.cat.codes.to_numpy()
    else:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        names = [str(v) for v in uniques]
    # Two raw values may read as the same text ("1" and 1): merge them.
    merged = list(dict.fromkeys(names))
    if len(merged) != len(names):
        position = np.array([merged.index(n) for n in names] + [-1])
        codes = position[codes]
    return merged, np.asarray(codes)


def as_category(labels: list[str], codes: np.ndarray) -> pd.Categorical:
    """Each row's label (``labels[code]``; code -1 takes the last label) as a categorical of
    strings: one string per distinct label instead of one per row (a million rows of text
    cost seconds to build, their codes nothing).

    >>> as_category(["White", "BME", "White", "Not stated"], np.array([0, 2, 1, -1])).tolist()
    ['White', 'White', 'BME', 'Not stated']
    """
    unique = list(dict.fromkeys(labels))
    position = np.array([unique.index(label) for label in labels], dtype=np.int64)
    mapped = position[np.asarray(codes)]
    # The labels no row has are dropped by counting codes (``remove_unused_categories``
    # sorts every row's code: seconds on a million rows).
    used = np.flatnonzero(np.bincount(mapped, minlength=len(unique)))
    renumber = np.full(len(unique), -1, dtype=np.int64)
    renumber[used] = np.arange(len(used))
    return pd.Categorical.from_codes(renumber[mapped], categories=[unique[i] for i in used])


def stripped(column: pd.Series) -> pd.Categorical:
    names, codes = distinct(column)
    return as_category([n.strip() for n in names] + [""], codes)
