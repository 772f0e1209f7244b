"""Read raw gender, disability, age band, religion, sexual orientation and guaranteed
interview values into the categories the statistics use.

Each ``place_…`` function reads one distinct raw value (never row by row) and says whether
it was understood (:class:`~bias_audit.io.codes.Placed`); blank and "prefer not to say" are
placed as "Not stated", anything unreadable is counted as "Not stated" and listed.
"""

from __future__ import annotations

import re

from bias_audit.io.codes import Placed, clean_text, is_not_stated_text, word_key
from bias_audit.stats import schema

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
    key = word_key(text)
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
    key = word_key(text)
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
    key = word_key(text)
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
    key = word_key(text)
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
    key = word_key(clean_text(value))
    words = key.split()
    if key in _DISABILITY_YES or words[:1] == ["yes"]:
        return Placed((GUARANTEED_YES,), True)
    if key in _DISABILITY_NO or words[:1] in (["no"], ["not"]):
        return Placed((GUARANTEED_NO,), True)
    if is_not_stated_text(clean_text(value)):
        return Placed((schema.NOT_STATED,), True)
    return Placed((schema.NOT_STATED,), False)
