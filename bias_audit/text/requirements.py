"""Person-specification demands, judged against the Agenda for Change band.

The lexicon files ``qualification_degree``, ``qualification_no_equivalent``,
``experience_years``, ``driving_licence``, ``physical_requirements`` and ``language_level``
say *what* a demand looks like. This module adds what a phrase list cannot know:

- the **section**: is the demand under an *Essential* or *Desirable* heading (a list, or a
  Word table written out by :func:`bias_audit.io.adverts.docx_text`), marked inline
  ("… is essential", "… would be an advantage"), or neither (``unspecified``);
- whether an **equivalent route** is accepted in the same item ("or equivalent",
  "or working towards", "or equivalent experience", "or willing to complete",
  "or the ability to travel between sites", Functional Skills, O levels, …);
- the **band** (given, or found in the text as "Band 3" / "AfC Band 2"), and so how far the
  demand goes beyond what the national job profiles expect.

Band expectations (NHS Job Evaluation Handbook, factor 2 Knowledge, Training & Experience;
2004–06 and 2021 national profiles for nursing support workers; NHS Health Careers): Band 2
has no set entry requirements ("NVQ2 or equivalent experience"); Band 3 expects a base of
theoretical knowledge from formal training *or equivalent experience* ("NVQ3 or
equivalent"); Band 4 assistant practitioners hold *or work towards* a Level 5 qualification.
No Band 1–4 support role needs a degree. The severity table is :data:`SEVERITY_RULES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from bias_audit.types import Finding, Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from bias_audit.lexicon import Lexicon

Section = Literal["essential", "desirable", "unspecified"]
Kind = Literal[
    "degree",
    "qualification_level",
    "gcse",
    "care_certificate",
    "registration",
    "experience",
    "driving_licence",
    "physical",
    "language",
]

REQUIREMENT_CATEGORIES = (
    "qualification_degree",
    "qualification_no_equivalent",
    "experience_years",
    "driving_licence",
    "physical_requirements",
    "language_level",
)

# Rule ids in qualification_no_equivalent name their kind: "qualification_no_equivalent.gcse…".
_KIND_BY_CATEGORY: dict[str, Kind] = {
    "qualification_degree": "degree",
    "experience_years": "experience",
    "driving_licence": "driving_licence",
    "physical_requirements": "physical",
    "language_level": "language",
}
_QUALIFICATION_KINDS: tuple[Kind, ...] = (
    "gcse",
    "care_certificate",
    "registration",
    "qualification_level",
)

BAND_EXPECTATION = {
    1: "Band 1 roles are learnt through a short induction (job evaluation KTE level 1)",
    2: (
        "Band 2 has no set entry requirements; the national profile asks for NVQ 2 "
        "or equivalent experience"
    ),
    3: (
        "Band 3 needs a base of theoretical knowledge from formal training or equivalent "
        "experience (national profile: NVQ 3 or equivalent)"
    ),
    4: (
        "Band 4 assistant practitioners hold or are working towards a Level 5 qualification "
        "(foundation degree, DipHE or HND), or equivalent"
    ),
}
MSG_CONTEXT = "Here it is {where}{route}{band}."
MSG_WHERE = {
    "essential": "listed as essential",
    "desirable": "listed as desirable",
    "unspecified": "stated as a requirement",
}
MSG_ROUTE_NONE = ", with no equivalent route accepted"
MSG_ROUTE_ACCEPTED = ", although an equivalent route is accepted"
MSG_BAND = " for a Band {band} post. {expectation}"
MSG_NO_TRAVEL = " The duties described never mention travel, so driving may not be needed."
SUGGEST_TRAVEL = "or the ability to travel between sites"

# --- context patterns (what surrounds a demand) -------------------------------------------

_BAND_RE = re.compile(
    r"\b(?:afc\s+|agenda\s+for\s+change\s+)?band\s*:?\s*([1-9])(?![0-9])", re.IGNORECASE
)
_BULLET_PREFIX = r"^[\s#>*•◦▪●·\-–—]*"
_SECTION_HEADING = re.compile(_BULLET_PREFIX + r"(essential|desirable)\b", re.IGNORECASE)
# Headings that leave the person specification (job description and advert parts).
_OTHER_HEADING = re.compile(
    _BULLET_PREFIX + r"(main\s+|key\s+)?(duties|responsibilities|about\b|job\s+(purpose|summary|"
    r"overview|description)|what\s+we\s+offer|benefits|how\s+to\s+apply|working\s+for|"
    r"the\s+role|contact|further\s+information)[^\n.]{0,40}$",
    re.IGNORECASE,
)
# Desirable markers: some come before what they qualify ("ideally a driving licence"), most
# after it ("NVQ 2 would be an advantage").
_DESIRABLE_BEFORE = re.compile(
    r"\b(desirable|ideally|preferably|an\s+advantage\s+(if|to)|it\s+would\s+be\s+"
    r"(nice|helpful|useful|good)\s+(if|to))\b",
    re.IGNORECASE,
)
_DESIRABLE_AFTER = re.compile(
    r"\b(desirable|advantage(ous)?|an\s+asset|preferred|preferable|would\s+be\s+"
    r"(nice|helpful|beneficial|useful)|beneficial|not\s+essential)\b",
    re.IGNORECASE,
)
_INLINE_ESSENTIAL = re.compile(
    r"\b(essential|must|required|requirement|necessary|mandatory|you\s+will\s+need|"
    r"you\s+need|you\s+will\s+have|you'll\s+(need|have)|should\s+(have|hold)|applicants\s+"
    r"(need|should|will))\b",
    re.IGNORECASE,
)
# An equivalent or in-post route for the demand, searched from the demand to the end of its
# item (sentence or bullet) and in a following line that starts with "or".
_EQUIVALENT = re.compile(
    r"\bor\s+(an?\s+)?equivalent\b|\bequivalent\s+(experience|qualifications?|level|knowledge)"
    r"|\bor\s+(be\s+)?(currently\s+)?working\s+towards?\b"
    r"|\bwilling(ness)?\s+to\s+(work\s+towards?|complete|undertake|achieve|gain|train|study)"
    r"|\bfunctional\s+skills\b|\bo[\s-]?levels?\b|\bcse\b|\b(uk\s+)?enic\b|\bnaric\b"
    r"|\bor\s+(relevant\s+|demonstrable\s+|proven\s+|equivalent\s+|transferable\s+)"
    r"(experience|skills|knowledge)"
    r"|\bor\s+(the\s+)?abilit(y|ies)\s+to\s+travel\b|\bor\s+(have\s+)?access\s+to\s+"
    r"(a\s+)?(suitable\s+)?(means\s+of\s+)?transport"
    r"|\b(comparable|overseas|international)\s+qualifications?\b",
    re.IGNORECASE,
)
# The qualification is gained in post: searched in the whole item, before or after the demand.
_IN_POST = re.compile(
    r"\b(support|help|train|enable)\s+you\s+to\s+(complete|gain|achieve|get|work\s+towards?)\b"
    r"|\byou\s+will\s+(complete|gain|achieve|undertake|work\s+towards?)\b"
    r"|\bwilling(ness)?\s+to\s+(work\s+towards?|complete|undertake|achieve|gain)\b"
    r"|\b(during|as\s+part\s+of)\s+(your\s+)?(induction|training|apprenticeship)\b",
    re.IGNORECASE,
)
# The demand is explicitly not a requirement ("no previous experience needed").
_NEGATED = re.compile(
    r"\b(not|no|never)\s+(be\s+)?(needed|necessary|required|essential|a\s+requirement)\b"
    r"|\bno\b[^.;\n]{0,60}\b(is\s+|are\s+)?(needed|necessary|required)\b"
    r"|\b(do|does|will)\s+not\s+need\b|\bdon['’]t\s+need\b",
    re.IGNORECASE,
)
# Duties that involve getting about: then a licence demand is more likely to be justified.
# The lookahead holds every alternative's first letter, so the engine skips other words fast.
_TRAVEL = re.compile(
    r"\b(?=[abcdhmpstv])(travel\w*|community\s+(setting|team|service|nursing|based)|home\s+visits?|"
    r"(patients|people|clients|service\s+users)['’]?\s+(own\s+)?homes|visit(ing)?\s+"
    r"(patients|people|clients)|between\s+(sites|bases|locations|hospitals|clinics)|"
    r"across\s+(sites|the\s+(trust|county|borough|area|region))|pool\s+cars?|mileage|"
    r"drive\s+(to|between|patients)|driving\s+(to|between|patients))\b",
    re.IGNORECASE,
)
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


@dataclass(frozen=True, slots=True)
class Requirement:
    """One demand in an advert or person specification.

    ``text == analysed_text[start:end]``; ``finding`` is the flag raised for it, or ``None``
    when the demand is reasonable for the band (it is still recorded).
    """

    kind: Kind
    text: str
    start: int
    end: int
    section: Section
    equivalent_accepted: bool
    finding: Finding | None

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "section": self.section,
            "equivalent_accepted": self.equivalent_accepted,
            "finding": None if self.finding is None else self.finding.to_dict(),
        }


def find_band(text: str) -> int | None:
    """The first Agenda for Change band stated in the text, or ``None``.

    >>> find_band("Healthcare Support Worker, AfC Band 3, 37.5 hours"), find_band("wristband")
    (3, None)
    """
    match = _BAND_RE.search(text)
    return None if match is None else int(match.group(1))


# --- sections --------------------------------------------------------------------------------


def line_sections(text: str) -> list[tuple[int, int, Section]]:
    """``(line_start, line_end, section)`` for every line, from Essential/Desirable headings.

    A heading line ("Essential", "Desirable criteria:", "Essential: GCSE English") opens a
    section that lasts until the next such heading or a heading that leaves the person
    specification ("Main duties", "About us", "How to apply", …).

    >>> [s for _, _, s in line_sections("Essential\\n- GCSEs\\nDesirable: NVQ 3\\nAbout us")]
    ['essential', 'essential', 'desirable', 'unspecified']
    """
    spans: list[tuple[int, int, Section]] = []
    current: Section = "unspecified"
    position = 0
    for line in text.split("\n"):
        heading = _SECTION_HEADING.match(line)
        if heading is not None:
            current = heading.group(1).lower()  # type: ignore[assignment]
        elif _OTHER_HEADING.match(line):
            current = "unspecified"
        spans.append((position, position + len(line), current))
        position += len(line) + 1
    return spans


_OR_LINE = re.compile(r"^[\s\-•*]*(\(?\s*or\b|equivalent\b)", re.IGNORECASE)
_ITEM_BREAK = re.compile(r"[.!?;]\s")
_ITEM_END = re.compile(r"[.!?;](\s|$)")


def _item_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence or bullet item around ``text[start:end]`` (never crossing a line)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    item_start = line_start
    for match in _ITEM_BREAK.finditer(text[line_start:start]):
        item_start = line_start + match.end()
    stop = _ITEM_END.search(text[end:line_end])
    item_end = line_end if stop is None else end + stop.start() + 1
    return item_start, item_end


def _next_line(text: str, line_end: int) -> str:
    if line_end >= len(text):
        return ""
    following = text.find("\n", line_end + 1)
    return text[line_end + 1 : len(text) if following == -1 else following]


Bounds = tuple[int, int]
"""Where a demand's own words may lie: from the end of the previous demand in the same item
to the start of the next one, so "Licence required, NVQ 2 an advantage" gives each its own
marker."""

_NO_BOUNDS: Bounds = (0, 2**62)


def section_of(
    text: str,
    start: int,
    end: int,
    sections: Sequence[tuple[int, int, Section]],
    bounds: Bounds = _NO_BOUNDS,
    *,
    item: Bounds | None = None,
) -> Section:
    """The section of a demand: an inline marker in its item wins over the heading above.

    A desirable marker ("… would be an advantage") counts only between the neighbouring
    demands (``bounds``); an essential marker ("must", "required") anywhere in the item
    (the sentence or bullet around the demand; pass ``item`` when it is already known).

    >>> text = "Licence required and NVQ 2 would be an advantage."
    >>> section_of(text, 0, 7, line_sections(text), (0, 21)), section_of(
    ...     text, 21, 26, line_sections(text), (7, 50))
    ('essential', 'desirable')
    """
    item_start, item_end = _item_bounds(text, start, end) if item is None else item
    if _DESIRABLE_BEFORE.search(text, max(item_start, bounds[0]), start) or (
        _DESIRABLE_AFTER.search(text, end, min(item_end, bounds[1]))
    ):
        return "desirable"
    for line_start, line_end, section in sections:
        if line_start <= start <= line_end:
            if section == "unspecified" and _INLINE_ESSENTIAL.search(text, item_start, item_end):
                return "essential"
            return section
    return "unspecified"


def equivalent_route(
    text: str, start: int, end: int, bounds: Bounds = _NO_BOUNDS, *, item: Bounds | None = None
) -> bool:
    """Whether an equivalent or in-post route goes with the demand.

    Searched from the demand to the end of its item (or the next demand, see ``bounds``),
    in a following line that starts with "or", and, for in-post routes ("willing to
    complete", "we will support you to gain"), also before the demand. ``item`` is the
    sentence or bullet around the demand, when already known.

    >>> equivalent_route("GCSE maths (or equivalent)", 0, 11)
    True
    >>> equivalent_route("GCSE maths grade C. Or equivalent NVQ", 0, 11)
    False
    """
    item_start, item_end = _item_bounds(text, start, end) if item is None else item
    own_end = min(item_end, bounds[1])
    if _IN_POST.search(text, max(item_start, bounds[0]), own_end):
        return True
    window = text[start:own_end]
    line_end = text.find("\n", end)
    if line_end != -1 and own_end >= line_end:
        following = _next_line(text, line_end)
        if _OR_LINE.match(following):
            window += " " + following
    return _EQUIVALENT.search(window) is not None


def neighbour_bounds(spans: Sequence[Bounds]) -> list[Bounds]:
    """For each ``(start, end)`` span, the end of the one before and the start of the next.

    >>> neighbour_bounds([(0, 7), (21, 26), (30, 35)])
    [(0, 21), (7, 30), (26, 4611686018427387904)]
    """
    bounds = []
    for index, (start, end) in enumerate(spans):
        before = [e for i, (_, e) in enumerate(spans) if i != index and e <= start]
        after = [s for i, (s, _) in enumerate(spans) if i != index and s >= end]
        bounds.append((max(before, default=0), min(after, default=_NO_BOUNDS[1])))
    return bounds


# --- judging ---------------------------------------------------------------------------------


def kind_of(finding: Finding) -> Kind | None:
    """The requirement kind of a lexicon match, from its category (and rule id)."""
    kind = _KIND_BY_CATEGORY.get(finding.category)
    if kind is not None:
        return kind
    if finding.category == "qualification_no_equivalent":
        rule = finding.rule_id.lower().replace("-", "_")
        for candidate in _QUALIFICATION_KINDS:
            if candidate in rule:
                return candidate
        return "qualification_level"
    return None


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


Judgement = tuple[Severity | None, Severity | None, Severity | None]
"""Severity when essential with no route, essential with a route, and desirable."""

H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW

# kind -> band group -> (essential no route, essential with route, desirable).
# Band groups: "entry" = Bands 1–2, 3, 4, "registered" = Band 5 and above, None = not stated.
SEVERITY_RULES: dict[str, dict[object, Judgement]] = {
    # No Band 1–4 support role needs a degree (national profiles; HEE Talent for Care).
    "degree": {
        "entry": (H, M, L),
        3: (H, M, L),
        4: (H, L, None),
        "registered": (L, None, None),
        None: (M, L, None),
    },
    # GCSEs: the NHS careers service says "GCSEs (or equivalent)"; without it, O level, CSE,
    # Functional Skills and overseas holders are shut out (age and race, Equality Act s.19).
    "gcse": {
        "entry": (M, None, None),
        3: (M, None, None),
        4: (M, None, None),
        "registered": (L, None, None),
        None: (M, None, None),
    },
    # The Care Certificate is normally completed in post during induction.
    "care_certificate": {
        "entry": (M, None, None),
        3: (M, None, None),
        4: (L, None, None),
        "registered": (None, None, None),
        None: (M, None, None),
    },
    # HCSWs are unregistered; NMC registration is lawful for a Band 4 nursing associate.
    "registration": {
        "entry": (H, M, L),
        3: (H, M, L),
        4: (L, None, None),
        "registered": (None, None, None),
        None: (L, None, None),
    },
    # Length of service screens on age rather than ability (Acas; NHS Employers).
    "experience": {
        "entry": (H, M, L),
        3: (M, L, L),
        4: (M, L, L),
        "registered": (L, None, None),
        None: (M, L, L),
    },
}
# Qualification levels: above the band's level = over-demand; at or below it = fine with a route.
# Kinds whose judgement depends on the band, so the explanation quotes the band's expectation.
_BAND_KINDS = frozenset({*SEVERITY_RULES, "qualification_level"})
_LEVEL_FOR_BAND = {1: 1, 2: 2, 3: 3, 4: 4}
_LEVEL_WITH_ROUTE_FOR_BAND = {1: 1, 2: 2, 3: 3, 4: 5}


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
                # "Previous care experience": a barrier, but not a length-of-service rule.
                return _lower(_pick(rule, section, equivalent_accepted))
            if band is not None and 3 <= band <= 4 and months <= 6:
                rule = (L, None, None)
        return _pick(rule, section, equivalent_accepted)
    if kind == "qualification_level":
        level = qualification_level(matched)
        if band is None or band >= 5:
            rule = (M if band is None else L, None, None)
        elif level is None:
            rule = (M, None, None)
        else:
            allowed = (_LEVEL_WITH_ROUTE_FOR_BAND if equivalent_accepted else _LEVEL_FOR_BAND)[band]
            rule = (H, M, L) if level > allowed else (M, None, None)
        return _pick(rule, section, equivalent_accepted)
    if kind == "driving_licence":
        # Medium when the duties never mention travel; an alternative route clears it.
        rule = (L, None, None) if travel_mentioned else (M, None, L)
        return _pick(rule, section, equivalent_accepted)
    # Physical demands and language level: the lexicon's severity, milder when desirable.
    return _pick((base, base, _lower(base)), section, equivalent_accepted)


def judge_requirements(
    text: str, matches: Iterable[Finding], *, band: int | None
) -> list[Requirement]:
    """Turn lexicon matches of requirement categories into judged :class:`Requirement` records.

    Parameters
    ----------
    text : str
        The analysed text (the matches' offsets point into it).
    matches : iterable of Finding
        Lexicon matches in :data:`REQUIREMENT_CATEGORIES`; others are ignored.
    band : int, optional
        Agenda for Change band.

    Returns
    -------
    list of Requirement
        In text order. Each ``finding`` carries the band-judged severity and an explanation
        that says where the demand sits, or is ``None`` when the demand is reasonable.
    """
    matches = list(matches)
    sections = line_sections(text)
    travel_mentioned = _travel_outside_licence(text, matches)
    requirements = []
    demands = [m for m in sorted(matches, key=lambda f: (f.start, f.end)) if kind_of(m)]
    spans = neighbour_bounds([(m.start, m.end) for m in demands])
    for match, bounds in zip(demands, spans, strict=True):
        kind = kind_of(match)
        item = item_start, item_end = _item_bounds(text, match.start, match.end)
        section = section_of(text, match.start, match.end, sections, bounds, item=item)
        route = equivalent_route(text, match.start, match.end, bounds, item=item)
        negated = _NEGATED.search(text, max(item_start, bounds[0]), min(item_end, bounds[1]))
        severity = (
            None
            if negated
            else judge(
                kind,
                _demand_text(text, match, item_end),
                section=section,
                equivalent_accepted=route,
                band=band,
                base=match.severity,
                travel_mentioned=travel_mentioned,
            )
        )
        finding = None
        if severity is not None:
            finding = _judged_finding(
                match,
                kind,
                severity,
                section=section,
                route=route,
                band=band,
                travel_mentioned=travel_mentioned,
            )
        requirements.append(
            Requirement(kind, match.text, match.start, match.end, section, route, finding)
        )
    return requirements


def _demand_text(text: str, match: Finding, item_end: int) -> str:
    """The match plus the rest of its item, so "Level 3" or "2 years" after it is seen."""
    line_start = text.rfind("\n", 0, match.start) + 1
    return text[max(line_start, match.start - 20) : max(item_end, match.end)]


def _travel_outside_licence(text: str, matches: Iterable[Finding]) -> bool:
    masked = text
    for match in matches:
        if match.category == "driving_licence":
            start, end = _item_bounds(text, match.start, match.end)
            masked = masked[:start] + " " * (end - start) + masked[end:]
    return _TRAVEL.search(masked) is not None


def _judged_finding(
    match: Finding,
    kind: Kind,
    severity: Severity,
    *,
    section: Section,
    route: bool,
    band: int | None,
    travel_mentioned: bool,
) -> Finding:
    band_text = ""
    if band is not None:
        expectation = BAND_EXPECTATION.get(band, "") if kind in _BAND_KINDS else ""
        band_text = MSG_BAND.format(band=band, expectation=expectation).rstrip(". ")
    context = MSG_CONTEXT.format(
        where=MSG_WHERE[section],
        route=MSG_ROUTE_ACCEPTED if route else MSG_ROUTE_NONE,
        band=band_text,
    )
    explanation = f"{match.explanation.strip()} {context}"
    suggestions = match.suggestions
    if kind == "driving_licence":
        if not travel_mentioned:
            explanation += MSG_NO_TRAVEL
        if not any(SUGGEST_TRAVEL in s for s in suggestions):
            suggestions = (*suggestions, SUGGEST_TRAVEL)
    return replace(match, severity=severity, explanation=explanation, suggestions=suggestions)


def find_requirements(doc: Doc, lexicon: Lexicon, *, band: int | None) -> list[Requirement]:
    """Find and judge every demand in a parsed advert.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The advert parsed by :func:`bias_audit.text.pipeline.get_pipeline`.
    lexicon : Lexicon
        The loaded lexicon (its requirement categories are used).
    band : int, optional
        Agenda for Change band, given or found with :func:`find_band`.
    """
    from bias_audit.text.matching import match_categories

    categories = [c for c in REQUIREMENT_CATEGORIES if c in lexicon.categories]
    matches = match_categories(doc, lexicon, categories=categories)
    return judge_requirements(doc.text, matches, band=band)
