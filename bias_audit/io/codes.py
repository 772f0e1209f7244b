"""Normalise ethnicity, gender and disability values into the views the statistics use.

Everything here works on *unique* raw values: the extract reader aggregates rows to counts
first and calls :func:`normalise_values` on the handful of distinct strings, so the cost
does not grow with the number of applications.

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
from collections.abc import Iterable
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


def _key(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip()


def is_not_stated_text(text: str) -> bool:
    """True when cleaned text says the value was withheld, unknown or left blank."""
    key = _key(text)
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
    key = _key(text)
    return bool(set(key.split()) & _BME_WORDS) or any(p in key for p in _BME_PHRASES)


def _label_code(text: str) -> str | None:
    """Code for a label, reading the part after the group name first.

    Census 2021 group names list several groups ("Black, Black British, Caribbean or
    African: African"), so the words after the last ":" or " - " decide when they can.
    """
    specific = _LABEL_PARTS.split(text)[-1]
    code = _code_from_label(_key(specific)) if specific != text else None
    if code is None or code.endswith("?"):
        return _code_from_label(_key(text)) or code
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
    if _key(text) in _NOT_STATED_EXACT or (is_not_stated_text(text) and not _CODE_ONLY.match(text)):
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


GENDER_FEMALE = "Female"
GENDER_MALE = "Male"
GENDER_NON_BINARY = "Non-binary"
GENDER_OTHER = "Other"

_GENDER_EXACT: dict[str, str] = {
    "f": GENDER_FEMALE,
    "female": GENDER_FEMALE,
    "woman": GENDER_FEMALE,
    "women": GENDER_FEMALE,
    "girl": GENDER_FEMALE,
    "m": GENDER_MALE,
    "male": GENDER_MALE,
    "man": GENDER_MALE,
    "men": GENDER_MALE,
    "boy": GENDER_MALE,
    "non binary": GENDER_NON_BINARY,
    "nonbinary": GENDER_NON_BINARY,
    "nb": GENDER_NON_BINARY,
    "enby": GENDER_NON_BINARY,
    "genderqueer": GENDER_NON_BINARY,
    "other": GENDER_OTHER,
    "intersex": GENDER_OTHER,
}


def place_gender(value: object) -> Placed:
    """Read one raw sex/gender value into Female / Male / Non-binary / Other / Not stated.

    >>> place_gender(" FEMALE ").views, place_gender("Prefer not to say").views
    (('Female',), ('Not stated',))
    >>> place_gender("I describe myself another way").views
    ('Other',)
    """
    text = clean_text(value)
    key = _key(text)
    if key in _GENDER_EXACT:
        return Placed((_GENDER_EXACT[key],), True)
    if is_not_stated_text(text):
        return Placed((schema.NOT_STATED,), True)
    words = set(key.split())
    if "non binary" in key or "nonbinary" in words:
        return Placed((GENDER_NON_BINARY,), True)
    if words & {"another", "self", "describe", "other"}:
        return Placed((GENDER_OTHER,), True)
    if words & {"female", "woman"}:
        return Placed((GENDER_FEMALE,), True)
    if words & {"male", "man"}:
        return Placed((GENDER_MALE,), True)
    return Placed((schema.NOT_STATED,), False)


_DISABILITY_YES = frozenset({"y", "yes", "disabled", "true", "1"})
_DISABILITY_NO = frozenset({"n", "no", "not disabled", "non disabled", "false", "0", "none"})


def place_disability(value: object) -> Placed:
    """Read one raw disability value into Disabled / Not disabled / Not stated.

    >>> [place_disability(v).views[0] for v in ("Yes", "No", "Not declared", "")]
    ['Disabled', 'Not disabled', 'Not stated', 'Not stated']
    """
    text = clean_text(value)
    key = _key(text)
    if key in _DISABILITY_YES:
        return Placed((schema.DISABLED,), True)
    if key in _DISABILITY_NO:
        return Placed((schema.NON_DISABLED,), True)
    if is_not_stated_text(text):
        return Placed((schema.NOT_STATED,), True)
    words = key.split()
    if words[:1] == ["no"] or "not disabled" in key or "no disability" in key:
        return Placed((schema.NON_DISABLED,), True)
    if words[:1] == ["yes"] or {"disabled", "disability"} & set(words):
        return Placed((schema.DISABLED,), True)
    return Placed((schema.NOT_STATED,), False)


# ------------------------------------------------------------------ age band
# ESR reports age in five-year bands ("<=20 Years", "21-25", …, "66-70", ">=71 Years");
# single ages are grouped into the same bands so the tables stay comparable.
ESR_AGE_BANDS: tuple[tuple[int, int], ...] = tuple((lo, lo + 4) for lo in range(21, 70, 5))
AGE_LOWEST, AGE_HIGHEST = 14, 100
_AGE_NUMBER = re.compile(r"\d+")
_AGE_AT_MOST = ("<=", "≤", "and under", "or under", "or younger", "and younger", "at most")
_AGE_UNDER = ("<", "under", "below", "less than", "younger than")
_AGE_AT_LEAST = (">=", "≥", "+", "and over", "or over", "and above", "or older", "and older")
_AGE_OVER = (">", "over", "above", "older than", "more than")


def _age_band_of(age: int) -> str:
    if age <= 20:
        return "20 and under"
    if age >= 71:
        return "71 and over"
    low = next(lo for lo, hi in ESR_AGE_BANDS if lo <= age <= hi)
    return f"{low}-{low + 4}"


def place_age_band(value: object) -> Placed:
    """Read an age band ("21-25", "<=20 Years", "65+", "Under 25") or an age into a band.

    Bands are kept as given (written one way); single ages go into ESR's five-year bands.
    "Prefer not to say" and blanks are "Not stated", kept visible.

    >>> [place_age_band(v).views[0] for v in ("21 - 25 Years", "<=20 Years", ">=71 Years",
    ...                                          "65+", "Under 25", "34", "Prefer not to say")]
    ['21-25', '20 and under', '71 and over', '65 and over', 'Under 25', '31-35', 'Not stated']
    >>> place_age_band("Martian").placed
    False
    """
    text = clean_text(value).replace("years", "").replace("yrs", "").strip()
    if is_not_stated_text(text):
        return Placed((schema.NOT_STATED,), True)
    numbers = [int(n) for n in _AGE_NUMBER.findall(text)]
    if not numbers or any(n > AGE_HIGHEST for n in numbers):
        return Placed((schema.NOT_STATED,), False)
    if len(numbers) == 2 and numbers[0] < numbers[1]:
        return Placed((f"{numbers[0]}-{numbers[1]}",), True)
    if len(numbers) != 1:
        return Placed((schema.NOT_STATED,), False)
    n = numbers[0]
    for words, label in (
        (_AGE_AT_MOST, "{n} and under"),
        (_AGE_AT_LEAST, "{n} and over"),
        (_AGE_UNDER, "Under {n}"),
        (_AGE_OVER, "Over {n}"),
    ):
        if any(w in text for w in words):
            return Placed((label.format(n=n),), True)
    if text == str(n) and n >= AGE_LOWEST:
        return Placed((_age_band_of(n),), True)
    return Placed((schema.NOT_STATED,), False)


# ------------------------------------------------------------------ religion or belief
# ESR / NHS Electronic Staff Record categories (Atheism, Buddhism, Christianity, Hinduism,
# Islam, Jainism, Judaism, Sikhism, Other, "I do not wish to disclose my religion/belief",
# Unspecified), with Census 2021 wording ("No religion", "Christian", "Muslim") folded in.
RELIGION_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("atheism", "atheist"), "Atheism"),
    (("no religion", "none", "agnostic", "agnosticism", "humanist", "humanism"), "No religion"),
    (("buddhism", "buddhist"), "Buddhism"),
    (
        (
            *("christianity", "christian", "church", "catholic", "anglican", "protestant"),
            *("methodist", "baptist", "orthodox", "pentecostal", "evangelical"),
        ),
        "Christianity",
    ),
    (("hinduism", "hindu"), "Hinduism"),
    (("islam", "muslim", "islamic"), "Islam"),
    (("jainism", "jain"), "Jainism"),
    (("judaism", "jewish", "jew"), "Judaism"),
    (("sikhism", "sikh"), "Sikhism"),
    (("other", "pagan", "spiritualist", "rastafarian", "zoroastrian", "bahai"), "Other"),
)
_NOT_STATED_EXTRA = ("unspecified", "not applicable")


def _word_match(key: str, table: tuple[tuple[tuple[str, ...], str], ...]) -> str | None:
    padded = f" {key} "
    for words, label in table:
        if any(f" {w} " in padded for w in words):
            return label
    return None


def place_religion(value: object) -> Placed:
    """Read a religion or belief into the ESR categories; "prefer not to say" stays visible.

    >>> [place_religion(v).views[0] for v in ("Christian", "Islam", "None", "Atheism",
    ...      "I do not wish to disclose my religion/belief", "Roman Catholic")]
    ['Christianity', 'Islam', 'No religion', 'Atheism', 'Not stated', 'Christianity']
    """
    text = clean_text(value)
    key = _key(text)
    if any(p in key for p in _NOT_STATED_EXTRA) or (
        is_not_stated_text(text) and key not in ("none", "no religion")
    ):
        return Placed((schema.NOT_STATED,), True)
    label = _word_match(key, RELIGION_WORDS)
    if label is None:
        return Placed((schema.NOT_STATED,), False)
    return Placed((label,), True)


# ------------------------------------------------------------------ sexual orientation
# NHS Data Dictionary SEXUAL ORIENTATION CODE: 1 Heterosexual or Straight, 2 Gay or
# Lesbian, 3 Bisexual, 4 Other sexual orientation not listed, U Person asked and does not
# know or is not sure, Z Not stated (person asked but declined to provide a response),
# 9 Not known (not recorded); ESR adds "Undecided" and "I do not wish to disclose my sexual
# orientation".
ORIENTATION_HETEROSEXUAL = "Heterosexual or straight"
ORIENTATION_GAY_LESBIAN = "Gay or lesbian"
ORIENTATION_BISEXUAL = "Bisexual"
ORIENTATION_OTHER = "Other sexual orientation"
ORIENTATION_UNSURE = "Undecided or not sure"
ORIENTATION_CODES = {
    "1": ORIENTATION_HETEROSEXUAL,
    "2": ORIENTATION_GAY_LESBIAN,
    "3": ORIENTATION_BISEXUAL,
    "4": ORIENTATION_OTHER,
    "u": ORIENTATION_UNSURE,
}
ORIENTATION_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("heterosexual", "straight"), ORIENTATION_HETEROSEXUAL),
    (("gay", "lesbian", "homosexual"), ORIENTATION_GAY_LESBIAN),
    (("bisexual", "bi"), ORIENTATION_BISEXUAL),
    (("undecided", "not sure", "unsure", "questioning", "does not know"), ORIENTATION_UNSURE),
    (("other", "pansexual", "asexual", "queer"), ORIENTATION_OTHER),
)


def place_sexual_orientation(value: object) -> Placed:
    """Read a sexual orientation (NHS code or ESR label); "not stated" stays visible.

    >>> [place_sexual_orientation(v).views[0] for v in ("1", "Gay or Lesbian", "Z",
    ...      "Other sexual orientation not listed", "Undecided",
    ...      "I do not wish to disclose my sexual orientation")]
    ['Heterosexual or straight', 'Gay or lesbian', 'Not stated', 'Other sexual orientation', \
'Undecided or not sure', 'Not stated']
    """
    text = clean_text(value)
    key = _key(text)
    if key in ORIENTATION_CODES:
        return Placed((ORIENTATION_CODES[key],), True)
    if key in ("z", "9") or any(p in key for p in _NOT_STATED_EXTRA):
        return Placed((schema.NOT_STATED,), True)
    label = _word_match(key, ORIENTATION_WORDS)
    if label is not None:
        return Placed((label,), True)
    if is_not_stated_text(text):
        return Placed((schema.NOT_STATED,), True)
    return Placed((schema.NOT_STATED,), False)


# ------------------------------------------------------------- guaranteed interview scheme
GUARANTEED_YES = "Yes"
GUARANTEED_NO = "No"


def place_guaranteed_interview(value: object) -> Placed:
    """Read a Disability Confident guaranteed interview scheme flag into Yes / No.

    >>> [place_guaranteed_interview(v).views[0] for v in ("Y", "No", "", "Yes - GIS")]
    ['Yes', 'No', 'Not stated', 'Yes']
    """
    key = _key(clean_text(value))
    words = key.split()
    if key in _DISABILITY_YES or words[:1] == ["yes"]:
        return Placed((GUARANTEED_YES,), True)
    if key in _DISABILITY_NO or words[:1] in (["no"], ["not"]):
        return Placed((GUARANTEED_NO,), True)
    if is_not_stated_text(clean_text(value)):
        return Placed((schema.NOT_STATED,), True)
    return Placed((schema.NOT_STATED,), False)


_PLACERS = {
    schema.GENDER: place_gender,
    schema.DISABILITY: place_disability,
    schema.AGE_BAND: place_age_band,
    schema.RELIGION: place_religion,
    schema.SEXUAL_ORIENTATION: place_sexual_orientation,
    schema.GUARANTEED_INTERVIEW: place_guaranteed_interview,
}


@dataclass(frozen=True, slots=True)
class Normalised:
    """The result of normalising the unique values of one attribute column.

    ``views`` maps each raw value to its tuple of views; ``unplaced`` lists the raw values
    that could not be interpreted; ``schemes`` the ways ethnicity values were written.
    """

    views: dict[str, tuple[str, ...]]
    unplaced: tuple[str, ...]
    schemes: frozenset[str]


def normalise_values(
    values: Iterable[object],
    *,
    attribute: Literal[
        "ethnicity",
        "gender",
        "disability",
        "age_band",
        "religion",
        "sexual_orientation",
        "guaranteed_interview",
    ],
    scheme: GroupScheme = "nhs2001",
) -> Normalised:
    """Normalise distinct raw values of one attribute (never call this row by row).

    Examples
    --------
    >>> result = normalise_values(["A", "N Black or Black British - African", "??"],
    ...                           attribute="ethnicity")
    >>> result.views["A"][2], result.views["N Black or Black British - African"][1]
    ('White', 'Black')
    >>> result.unplaced
    ('??',)
    """
    views: dict[str, tuple[str, ...]] = {}
    unplaced: list[str] = []
    schemes: set[str] = set()
    for raw in dict.fromkeys(values):
        key = "" if raw is None else str(raw)
        if attribute == schema.ETHNICITY_DETAILED:
            placed = place_ethnicity(raw, scheme=scheme)
        else:
            placed = _PLACERS[attribute](raw)
        views[key] = placed.views
        if not placed.placed:
            unplaced.append(key)
        elif placed.scheme and placed.views[0] != schema.NOT_STATED:
            schemes.add(placed.scheme)
    return Normalised(views, tuple(unplaced), frozenset(schemes))
