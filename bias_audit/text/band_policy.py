"""The band policy: what each Agenda for Change band needs at entry, and how severe a demand
is for it (:func:`judge`).

Band expectations (NHS Job Evaluation Handbook, factor 2 Knowledge, Training & Experience;
2004–06 and 2021 national profiles for nursing support workers; NHS Health Careers): Band 2
has no set entry requirements ("NVQ2 or equivalent experience"); Band 3 expects a base of
theoretical knowledge from formal training *or equivalent experience* ("NVQ3 or
equivalent"); Band 4 assistant practitioners hold *or work towards* a Level 5 qualification.
No Band 1–4 support role needs a degree.

The policy is data, ``bias_audit/data/band_policy.yml`` (its header cites the sources);
:func:`load_band_policy` validates it at load and returns a :class:`BandPolicy`.

A severity *rule* is three severities: essential with no equivalent route, essential with a
route, desirable (``None``: no finding). Band groups: ``"entry"`` (Bands 1–2), ``3``, ``4``,
``"registered"`` (Band 5 and above) and ``None`` (band not stated).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from bias_audit.errors import LexiconError
from bias_audit.lexicon_schema import REQUIREMENT_KINDS, RequirementKind
from bias_audit.text.person_spec import Section
from bias_audit.types import Severity
from bias_audit.yaml_files import load_yaml

POLICY_FILE = "data/band_policy.yml"
Judgement = tuple[Severity | None, Severity | None, Severity | None]
"""Severity when essential with no route, essential with a route, and desirable."""

#: YAML band-group key -> the group as the analyser names it.
GROUP_KEYS: Mapping[str, object] = {
    "entry": "entry",
    "band_3": 3,
    "band_4": 4,
    "registered": "registered",
    "not_stated": None,
}
POLICY_KEYS = (
    "sources",
    "expectations",
    "severity",
    "unnumbered_experience",
    "qualification_level",
    "driving_licence",
    "short_experience",
)
LEVEL_RULES = ("above_band", "within_band", "level_not_read", "band_not_stated", "registered")
ENTRY_BANDS = (1, 2, 3, 4)

POLICY_MISSING = "{file}: {where} is missing {keys}; restore them from the repository."
POLICY_UNKNOWN = "{file}: {where} has unknown key(s) {keys}; allowed keys are {allowed}."
POLICY_BAD_RULE = (
    "{file}: {where} must be [essential with no route, essential with a route, desirable], "
    "each low, medium, high or null; found {value!r}."
)
POLICY_BAD_SEVERITY = "{file}: {where} must be low, medium, high or null; found {value!r}."
POLICY_UNKNOWN_KIND = "{file}: severity has requirement kind {kind!r}; choose one of {allowed}."
POLICY_BAD_LEVELS = (
    "{file}: {where} must give each of Bands 1, 2, 3 and 4 a qualification level from 1 to 8 "
    "(e.g. {{1: 1, 2: 2, 3: 3, 4: 4}}); found {value!r}."
)
POLICY_BAD_TEXT = "{file}: {where} must be {expected}; found {value!r}."


@dataclass(frozen=True, slots=True)
class BandPolicy:
    """The validated band policy (see the module docstring for rules and band groups)."""

    expectations: Mapping[int, str]
    severity: Mapping[str, Mapping[object, Judgement]]
    unnumbered_experience: Mapping[object, Severity | None]
    level_without_route: Mapping[int, int]
    level_with_route: Mapping[int, int]
    level_rules: Mapping[str, Judgement]
    driving_travel_in_duties: Judgement
    driving_no_travel: Judgement
    short_experience_months: int
    short_experience_rule: Judgement


@functools.cache
def load_band_policy() -> BandPolicy:
    """Load and validate ``band_policy.yml`` (once per process).

    Raises
    ------
    LexiconError
        When the file breaks its schema; the message names the file, the place and the fix.

    Examples
    --------
    >>> policy = load_band_policy()
    >>> [str(s) for s in policy.severity["degree"][3]]
    ['high', 'medium', 'low']
    >>> policy.level_with_route[4]
    5
    """
    text = resources.files("bias_audit").joinpath(POLICY_FILE).read_text("utf-8")
    return parse_band_policy(f"bias_audit/text/{POLICY_FILE}", text)


def parse_band_policy(file: str, text: str) -> BandPolicy:
    """Validate the band policy in ``text`` (the YAML of ``file``)."""
    document = load_yaml(text)
    _keys(file, "the file", document, POLICY_KEYS)
    expectations = document["expectations"]
    _keys(file, "expectations", expectations, ENTRY_BANDS)
    severity: dict[str, dict[object, Judgement]] = {}
    if not isinstance(document["severity"], dict):
        raise LexiconError(
            POLICY_BAD_TEXT.format(
                file=file, where="severity", expected="a mapping kind: groups", value="…"
            )
        )
    for kind, groups in document["severity"].items():
        if kind not in REQUIREMENT_KINDS:
            raise LexiconError(
                POLICY_UNKNOWN_KIND.format(
                    file=file, kind=kind, allowed=", ".join(REQUIREMENT_KINDS)
                )
            )
        _keys(file, f"severity.{kind}", groups, tuple(GROUP_KEYS))
        severity[kind] = {
            GROUP_KEYS[group]: _rule(file, f"severity.{kind}.{group}", rule)
            for group, rule in groups.items()
        }
    unnumbered = document["unnumbered_experience"]
    _keys(file, "unnumbered_experience", unnumbered, tuple(GROUP_KEYS))
    levels = document["qualification_level"]
    _keys(file, "qualification_level", levels, ("without_route", "with_route", *LEVEL_RULES))
    driving = document["driving_licence"]
    _keys(file, "driving_licence", driving, ("travel_in_duties", "no_travel_in_duties"))
    short = document["short_experience"]
    _keys(file, "short_experience", short, ("months", "rule"))
    if not isinstance(short["months"], int) or short["months"] < 0:
        raise LexiconError(
            POLICY_BAD_TEXT.format(
                file=file,
                where="short_experience.months",
                expected="a whole number of months",
                value=short["months"],
            )
        )
    return BandPolicy(
        expectations={
            int(band): _text(file, f"expectations.{band}", value)
            for band, value in expectations.items()
        },
        severity=severity,
        unnumbered_experience={
            GROUP_KEYS[group]: _policy_severity(file, f"unnumbered_experience.{group}", value)
            for group, value in unnumbered.items()
        },
        level_without_route=_levels(file, "qualification_level.without_route", levels),
        level_with_route=_levels(file, "qualification_level.with_route", levels),
        level_rules={
            name: _rule(file, f"qualification_level.{name}", levels[name]) for name in LEVEL_RULES
        },
        driving_travel_in_duties=_rule(
            file, "driving_licence.travel_in_duties", driving["travel_in_duties"]
        ),
        driving_no_travel=_rule(
            file, "driving_licence.no_travel_in_duties", driving["no_travel_in_duties"]
        ),
        short_experience_months=short["months"],
        short_experience_rule=_rule(file, "short_experience.rule", short["rule"]),
    )


def _keys(file: str, where: str, raw: object, required: tuple[object, ...]) -> None:
    if not isinstance(raw, dict):
        raise LexiconError(
            POLICY_MISSING.format(file=file, where=where, keys=", ".join(map(str, required)))
        )
    missing = [str(key) for key in required if key not in raw]
    if missing:
        raise LexiconError(POLICY_MISSING.format(file=file, where=where, keys=", ".join(missing)))
    unknown = [str(key) for key in raw if key not in required]
    if unknown:
        raise LexiconError(
            POLICY_UNKNOWN.format(
                file=file,
                where=where,
                keys=", ".join(unknown),
                allowed=", ".join(map(str, required)),
            )
        )


def _policy_severity(file: str, where: str, value: object) -> Severity | None:
    if value is None:
        return None
    try:
        return Severity.parse(str(value))
    except ValueError:
        raise LexiconError(
            POLICY_BAD_SEVERITY.format(file=file, where=where, value=value)
        ) from None


def _rule(file: str, where: str, value: object) -> Judgement:
    if not isinstance(value, list) or len(value) != 3:
        raise LexiconError(POLICY_BAD_RULE.format(file=file, where=where, value=value))
    try:
        first, second, third = (
            None if item is None else Severity.parse(str(item)) for item in value
        )
    except ValueError:
        raise LexiconError(POLICY_BAD_RULE.format(file=file, where=where, value=value)) from None
    return first, second, third


def _levels(file: str, where: str, levels: Mapping[str, object]) -> dict[int, int]:
    value = levels[where.rsplit(".", 1)[1]]
    if (
        not isinstance(value, dict)
        or sorted(value) != list(ENTRY_BANDS)
        or not all(isinstance(level, int) and 1 <= level <= 8 for level in value.values())
    ):
        raise LexiconError(POLICY_BAD_LEVELS.format(file=file, where=where, value=value))
    return {int(band): int(level) for band, level in value.items()}


def _text(file: str, where: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LexiconError(
            POLICY_BAD_TEXT.format(file=file, where=where, expected="non-empty text", value=value)
        )
    return " ".join(value.split())


_POLICY = load_band_policy()
BAND_EXPECTATION = _POLICY.expectations
"""What each band needs at entry, quoted in explanations."""
SEVERITY_RULES = _POLICY.severity
"""kind -> band group -> (essential no route, essential with route, desirable)."""
_LEVEL_FOR_BAND = _POLICY.level_without_route
_LEVEL_WITH_ROUTE_FOR_BAND = _POLICY.level_with_route
_UNNUMBERED_EXPERIENCE = _POLICY.unnumbered_experience

Kind = RequirementKind


_LEVEL_RE = re.compile(r"\b(?:level|nvq|svq|rqf|qcf|l)\s*-?\s*([1-8])\b", re.IGNORECASE)


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "eighteen": 18,
}


_DURATION_RE = re.compile(
    r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\+?\s*(?:-|to|or)?\s*(?:\d{1,2}\s*)?"
    r"(years?|yrs?|months?)\b",
    re.IGNORECASE,
)


def qualification_level(text: str) -> int | None:
    """The RQF/NVQ level a demand names ("NVQ Level 3" -> 3, "foundation degree" -> 5,
    "A levels" -> 3)."""
    match = _LEVEL_RE.search(text)
    if match is not None:
        return int(match.group(1))
    if re.search(r"foundation\s+degree|dip\s?he|\bhnd\b", text, re.IGNORECASE):
        return 5
    if re.search(r"\bhnc\b|cert\s?he", text, re.IGNORECASE):
        return 4
    if re.search(r"\ba[\s-]levels?\b", text, re.IGNORECASE):
        return 3
    return None


def duration_months(text: str) -> int | None:
    """Months of experience a demand names ("2 years'" -> 24, "six months" -> 6)."""
    match = _DURATION_RE.search(text)
    if match is None:
        return None
    number = match.group(1).lower()
    value = _NUMBER_WORDS.get(number) or int(number)
    return value * 12 if match.group(2).lower().startswith(("y", "yr")) else value


# Kinds whose judgement depends on the band, so the explanation quotes the band's expectation.
BAND_KINDS = frozenset({*SEVERITY_RULES, "qualification_level"})


def _band_group(band: int | None) -> object:
    if band is None:
        return None
    if band <= 2:
        return "entry"
    if band >= 5:
        return "registered"
    return band


def _lower(severity: Severity | None) -> Severity | None:
    if severity is None or severity == Severity.LOW:
        return None if severity is None else Severity.LOW
    return Severity(severity - 1)


def _pick(rule: Judgement, section: Section, route: bool) -> Severity | None:
    if section == "desirable":
        return rule[2]
    severity = rule[1] if route else rule[0]
    # A demand under no heading and with no "must"/"essential" may be a description of the
    # job rather than an entry criterion: one step milder.
    return _lower(severity) if section == "unspecified" else severity


def judge(
    kind: Kind,
    matched: str,
    *,
    section: Section,
    equivalent_accepted: bool,
    band: int | None,
    base: Severity,
    travel_mentioned: bool = False,
    travel_paid: bool = False,
) -> Severity | None:
    """The severity of one demand, or ``None`` when it is reasonable for the band.

    Examples
    --------
    >>> low = Severity.LOW
    >>> str(judge("degree", "degree", section="essential", equivalent_accepted=False, band=3,
    ...           base=low))
    'high'
    >>> judge("gcse", "GCSE", section="essential", equivalent_accepted=True, band=3, base=low)
    """
    group = _band_group(band)
    if kind in SEVERITY_RULES:
        rule = SEVERITY_RULES[kind][group]
        if kind == "experience":
            months = duration_months(matched)
            if months is None:
                # "Essential: experience of working with children": a barrier for an entry
                # role when it is essential with no "or willingness to learn"; not a
                # length-of-service rule, so one step milder, and fine from Band 4 up.
                if section != "essential" or equivalent_accepted:
                    return None
                return _UNNUMBERED_EXPERIENCE.get(group)
            if band is not None and 3 <= band <= 4 and months <= _POLICY.short_experience_months:
                rule = _POLICY.short_experience_rule
        return _pick(rule, section, equivalent_accepted)
    if kind == "qualification_level":
        level = qualification_level(matched)
        if band is None or band >= 5:
            rule = _POLICY.level_rules["band_not_stated" if band is None else "registered"]
        elif level is None:
            rule = _POLICY.level_rules["level_not_read"]
        else:
            allowed = (_LEVEL_WITH_ROUTE_FOR_BAND if equivalent_accepted else _LEVEL_FOR_BAND)[band]
            rule = _POLICY.level_rules["above_band" if level > allowed else "within_band"]
        return _pick(rule, section, equivalent_accepted)
    if kind == "driving_licence":
        # Medium when the duties never mention travel, low when they do, nothing when the
        # travel is paid for (mileage), when only preferred, or with an alternative route.
        if travel_paid:
            return None
        rule = _POLICY.driving_travel_in_duties if travel_mentioned else _POLICY.driving_no_travel
        return _pick(rule, section, equivalent_accepted)
    # Physical demands and language level: the lexicon's severity, milder when desirable.
    return _pick((base, base, _lower(base)), section, equivalent_accepted)
