"""Read raw equality values: the shared cleaning, and ethnicity codes and labels.

Everything here works on *unique* raw values: the extract reader aggregates rows to counts
first and calls :func:`bias_audit.io.normalise.normalise_values` on the handful of distinct
strings, so the cost does not grow with the number of applications. The other protected
characteristics (gender, disability, age band, religion, sexual orientation) are read in
:mod:`bias_audit.io.characteristics`.

Ethnicity follows the NHS Data Dictionary ETHNIC CATEGORY (2001 Census based; national
codes A–S, Z, default 99, with optional second-character local codes that group by their
first letter; HES also uses X for "not known"):
https://www.datadictionary.nhs.uk/data_elements/ethnic_category.html .
Census 2021 labels (ONS, 19 tick-boxes) are folded into those codes with the usual
cross-walk: Gypsy or Irish Traveller and Roma -> C, Arab -> S, Chinese -> R.
WRES groups: White = A, B, C; BME = D–S; Z, 99, X and blank are "Not stated"
(NHS England, WRES indicator 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bias_audit.stats import schema

GroupScheme = Literal["nhs2001", "census2021"]

#: Which five-group mapping ``ethnicity_group`` uses, in words, for notes and reports.
GROUP_SCHEME_DESCRIPTIONS: dict[str, str] = {
    "nhs2001": "NHS Data Dictionary 2001-based groups (Chinese, code R, under Other)",
    "census2021": "Census 2021 groups (Chinese, code R, under Asian)",
}

NOTE_MIXED_SCHEMES = (
    "The {attribute} column mixes {schemes}; each value was read on its own and mapped to "
    "the same NHS categories."
)

ETHNICITY_UNSPECIFIED = "{group} - not specified"
BME_UNSPECIFIED = "BME - not specified"

# NHS Data Dictionary national codes and labels.
NHS_ETHNIC_CATEGORIES: dict[str, str] = {
    "A": "White - British",
    "B": "White - Irish",
    "C": "White - Any other White background",
    "D": "Mixed - White and Black Caribbean",
    "E": "Mixed - White and Black African",
    "F": "Mixed - White and Asian",
    "G": "Mixed - Any other mixed background",
    "H": "Asian or Asian British - Indian",
    "J": "Asian or Asian British - Pakistani",
    "K": "Asian or Asian British - Bangladeshi",
    "L": "Asian or Asian British - Any other Asian background",
    "M": "Black or Black British - Caribbean",
    "N": "Black or Black British - African",
    "P": "Black or Black British - Any other Black background",
    "R": "Other Ethnic Groups - Chinese",
    "S": "Other Ethnic Groups - Any other ethnic group",
}
NOT_STATED_CODES = frozenset({"Z", "99", "X", "9"})

_GROUP_OF_LETTER: dict[str, str] = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian"),
    **dict.fromkeys("MNP", "Black"),
    **dict.fromkeys("RS", "Other"),
}

_DASHES = re.compile(r"[\u2010-\u2015\u2212\u00ad\ufe58\ufe63\uff0d]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# "A White - British", "C3 White Unspecified", "(A) White British", "A: White British".
_CODE_PREFIX = re.compile(r"^\(?([a-z][a-z0-9]?|99)\)?\s*[-:.)]?\s+(\S.*)$")
_CODE_ONLY = re.compile(r"^([a-z][a-z0-9]?|99|9)$")
_CODE_SUFFIX = re.compile(r"^(\S.*?)\s*\(([a-z][a-z0-9]?|99)\)$")

# Words that mean the person did not give (or was not asked for) the value.
_NOT_STATED_PHRASES = (
    "not stated",
    "not known",
    "unknown",
    "prefer not",
    "rather not",
    "not wish",
    "not want",
    "disclose",
    "not declared",
    "undeclared",
    "not given",
    "not provided",
    "not set",
    "not collected",
    "not recorded",
    "not specified",
    "not answered",
    "refused",
    "withheld",
    "declined to",
    "no response",
    "missing",
)
# Abbreviations for "not available / known / stated / declared". "NA", "NK", "NS" and "ND"
# could also be local two-character codes under N (Black African); reading them as not
# stated is the safer mistake: it hides a person from the comparison instead of adding
# someone of unknown ethnicity to the BME group.
_NOT_STATED_EXACT = frozenset(
    {"na", "n a", "nan", "none", "null", "blank", "nk", "ns", "nd", "unk", "declined"}
)
# Cell contents that mean "left blank" (punctuation-only junk such as "??" is not one).
_BLANK_MARKS = frozenset({"", "-", "--", "."})


@dataclass(frozen=True, slots=True)
class Placed:
    """Where one raw value landed: its views, and whether it was understood.

    ``placed`` is False only for values the tool could not interpret (they are counted as
    "Not stated" and listed); blank and "prefer not to say" are placed as "Not stated".
    ``scheme`` says how an ethnicity value was written ("code", "code and label", "label").
    """

    views: tuple[str, ...]
    placed: bool
    scheme: str = ""


def clean_text(value: object) -> str:
    """Fold case, dash style and spacing so that label variants compare equal.

    >>> clean_text("  Asian  or Asian British – INDIAN ")
    'asian or asian british - indian'
    """
    if value is None:
        return ""
    text = str(value)
    if text.endswith(".0") and text[:-2].isdigit():  # numeric codes read from spreadsheets
        text = text[:-2]
    text = _DASHES.sub("-", text).replace("\u00a0", " ")
    return " ".join(text.lower().split())


def word_key(text: str) -> str:
    """Cleaned text with punctuation runs as single spaces, for word look-ups."""
    return _NON_WORD.sub(" ", text).strip()


def is_not_stated_text(text: str) -> bool:
    """True when cleaned text says the value was withheld, unknown or left blank."""
    key = word_key(text)
    if not key:
        return text.strip() in _BLANK_MARKS
    if key in _NOT_STATED_EXACT:
        return True
    return any(phrase in key for phrase in _NOT_STATED_PHRASES)


def _ethnicity_views(code: str, detailed: str, scheme: GroupScheme) -> tuple[str, str, str]:
    letter = code[0]
    group = _GROUP_OF_LETTER[letter]
    if scheme == "census2021" and letter == "R":
        group = "Asian"
    wres = schema.WHITE if group == "White" else schema.BME
    return detailed, group, wres


_NOT_STATED_ETHNICITY = (schema.NOT_STATED, schema.NOT_STATED, schema.NOT_STATED)


# Single words that settle the category once mixed groups and "Indian" are ruled out;
# order matters ("African" after "Caribbean" is checked, mixed groups are checked before).
_WORD_CODES: tuple[tuple[str, str], ...] = (
    ("pakistani", "J"),
    ("bangladeshi", "K"),
    ("chinese", "R"),
    ("arab", "S"),
    ("caribbean", "M"),
    ("african", "N"),
)


def _code_from_label(key: str) -> str | None:
    """NHS code for a label, or a group letter + "?" for a group named without detail."""
    words = set(key.split())
    has = words.__contains__
    if "white and black caribbean" in key:
        return "D"
    if "white and black african" in key:
        return "E"
    if "white and asian" in key:
        return "F"
    if has("mixed") or has("multiple"):
        return "G" if (has("other") or has("any")) else "G?"
    if has("gypsy") or has("traveller") or has("roma") or has("romany"):
        return "C"
    if "west indian" in key:
        return "M"
    if has("indian") and "american indian" not in key:
        return "H"
    for word, code in _WORD_CODES:
        if has(word):
            return code
    if has("black"):
        return "P" if has("other") else "P?"
    if has("asian"):
        return "L" if has("other") else "L?"
    if has("white"):
        if has("other"):
            return "C"
        if has("irish") and "northern irish" not in key:
            return "B"
        if words & {"british", "english", "welsh", "scottish"} or "northern irish" in key:
            return "A"
        return "A?"
    if has("other") and ("ethnic" in key or key == "other"):
        # "Any other ethnic group" is code S; "Other ethnic group" alone names the group.
        return "S" if has("any") else "S?"
    return None


_LABEL_PARTS = re.compile(r"\s*:\s*|\s+-\s+")


_BME_WORDS = frozenset({"bme", "bame", "nonwhite", "poc"})
_BME_PHRASES = ("minority ethnic", "ethnic minorit", "non white", "global majority", "of colour")


def _is_bme_only(text: str) -> bool:
    """True for labels that only say "not White" (BME, BAME, ethnic minority, …)."""
    key = word_key(text)
    return bool(set(key.split()) & _BME_WORDS) or any(p in key for p in _BME_PHRASES)


def _label_code(text: str) -> str | None:
    """Code for a label, reading the part after the group name first.

    Census 2021 group names list several groups ("Black, Black British, Caribbean or
    African: African"), so the words after the last ":" or " - " decide when they can.
    """
    specific = _LABEL_PARTS.split(text)[-1]
    code = _code_from_label(word_key(specific)) if specific != text else None
    if code is None or code.endswith("?"):
        return _code_from_label(word_key(text)) or code
    return code


def place_ethnicity(value: object, *, scheme: GroupScheme = "nhs2001") -> Placed:
    """Read one raw ethnicity value into (detailed, five-group, WRES) views.

    Parameters
    ----------
    value
        A code ("A", "99", "C3"), an ESR-style code and label ("A White - British"), an NHS
        label or a Census 2021 label, in any case, spacing or dash style.
    scheme
        Five-group mapping: ``"nhs2001"`` (default; Chinese under Other) or
        ``"census2021"`` (Chinese under Asian).

    Examples
    --------
    >>> place_ethnicity("A White – British").views
    ('White - British', 'White', 'White')
    >>> place_ethnicity("r", scheme="census2021").views
    ('Other Ethnic Groups - Chinese', 'Asian', 'BME')
    >>> place_ethnicity("Martian").placed
    False
    """
    text = clean_text(value)
    if word_key(text) in _NOT_STATED_EXACT or (
        is_not_stated_text(text) and not _CODE_ONLY.match(text)
    ):
        return Placed(_NOT_STATED_ETHNICITY, True, "label")
    code_match = _CODE_ONLY.match(text)
    if code_match is not None:
        return _place_code(code_match.group(1), scheme, "code")
    prefix = _CODE_PREFIX.match(text) or _CODE_SUFFIX.match(text)
    if prefix is not None:
        code = prefix.group(1) if prefix.re is _CODE_PREFIX else prefix.group(2)
        placed = _place_code(code, scheme, "code and label")
        if placed.placed:
            return placed
    if _is_bme_only(text):
        # A table already grouped as White / BME: only the WRES view can be known.
        return Placed((BME_UNSPECIFIED, BME_UNSPECIFIED, schema.BME), True, "label")
    label_code = _label_code(text)
    if label_code is None:
        return Placed(_NOT_STATED_ETHNICITY, False, "label")
    if label_code.endswith("?"):
        letter = label_code[0]
        group = _GROUP_OF_LETTER[letter]
        detailed = ETHNICITY_UNSPECIFIED.format(group=group)
        return Placed(_ethnicity_views(letter, detailed, scheme), True, "label")
    return Placed(
        _ethnicity_views(label_code, NHS_ETHNIC_CATEGORIES[label_code], scheme), True, "label"
    )


def _place_code(code: str, scheme: GroupScheme, how: str) -> Placed:
    upper = code.upper()
    if upper in NOT_STATED_CODES:
        return Placed(_NOT_STATED_ETHNICITY, True, how)
    letter = upper[0]
    if letter in NHS_ETHNIC_CATEGORIES:
        # Local two-character codes group by their first character (Data Dictionary rule).
        return Placed(_ethnicity_views(letter, NHS_ETHNIC_CATEGORIES[letter], scheme), True, how)
    if letter == "Z":
        return Placed(_NOT_STATED_ETHNICITY, True, how)
    return Placed(_NOT_STATED_ETHNICITY, False, how)
