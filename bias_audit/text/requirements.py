"""Person-specification demands, judged against the Agenda for Change band.

The lexicon files ``qualification_degree``, ``qualification_no_equivalent``,
``experience_years``, ``driving_licence``, ``physical_requirements`` and ``language_level``
say *what* a demand looks like, and each entry's ``kind:`` says what the demand is (a
degree, GCSEs, a length of experience, …). This module turns their matches into judged
:class:`Requirement` records, with what a phrase list cannot know, from the modules beside it:

- :mod:`bias_audit.text.person_spec`: the **section** (under an *Essential* or *Desirable*
  heading, marked inline, or neither), the item a demand belongs to, and whether an
  **equivalent route** is accepted or the qualification is gained in post;
- :mod:`bias_audit.text.band_evidence`: the **band** (given, or read from "Band 3" or a
  salary on the Agenda for Change pay scales);
- :mod:`bias_audit.text.band_policy`: how severe the demand is for that band (the policy
  is data, ``data/band_policy.yml``: NHS Job Evaluation Handbook, national job profiles,
  NHS Health Careers);
- :mod:`bias_audit.text.notices`: standard notices (visa, right to work, pay thresholds,
  equal opportunities) whose demands are not entry criteria.

The words around a demand (desirable and essential markers, "or equivalent" routes, training
in post, "not needed", travel, mileage, other people) are data too:
``data/requirement_markers.yml`` (:mod:`bias_audit.text.markers`). Demands inside notices,
negated, held by someone else or gained in post are recorded with ``cleared_because``
instead of a finding.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bias_audit.lexicon_schema import REQUIREMENT_CATEGORIES
from bias_audit.text.band_evidence import MSG_BAND_NAMED, find_band_evidence
from bias_audit.text.band_policy import BAND_EXPECTATION, BAND_KINDS, Kind, judge
from bias_audit.text.markers import TextWords, load_markers
from bias_audit.text.notices import NO_BOUNDS, Bounds, Span, boilerplate_spans, notice_at
from bias_audit.text.person_spec import (
    NEAR_DEMAND,
    Section,
    SectionSource,
    equivalent_route,
    in_post_route,
    item_bounds,
    line_sections,
    neighbour_bounds,
    section_with_source,
)
from bias_audit.types import Finding, Severity

if TYPE_CHECKING:
    from bias_audit.lexicon import Lexicon


MSG_CONTEXT = "Here it is {where}{route}{band}."

MSG_WHERE = {
    "essential": "listed as essential",
    "desirable": "listed as desirable",
    "unspecified": "mentioned without an Essential or Desirable marker",
}

MSG_WHERE_INLINE = {
    "essential": 'stated as needed in its own sentence ("must", "essential", "required")',
    "desirable": 'stated as desirable in its own sentence ("ideally", "an advantage")',
    "unspecified": MSG_WHERE["unspecified"],
}

MSG_ROUTE_NONE = ", with no equivalent route accepted"

MSG_ROUTE_ACCEPTED = ", although an equivalent route is accepted"

MSG_BAND = " for a {band} post. {expectation}"

MSG_NO_TRAVEL = " The duties described never mention travel, so driving may not be needed."

SUGGEST_TRAVEL = "or the ability to travel between sites"

# Why a demand found by the lexicon is recorded without a finding (Requirement.cleared_because).
CLEARED_NOTICE = "it is inside {notice}, not an entry criterion"

CLEARED_IN_POST = "it is gained in post (training, funding or an apprenticeship is offered)"

CLEARED_HELD_BY_OTHERS = "it describes someone else (the manager or the team), not the applicant"

CLEARED_NEGATED = "the text says it is not needed"

CLEARED_REPEAT = "it repeats the demand before it in the same item"

CLEARED_REASONABLE = "it is reasonable for the band, section and route as stated"

_MARKERS = load_markers()

# The demand is explicitly not a requirement ("no previous experience needed").
_NEGATED = _MARKERS["not_needed"].regex

# The qualification belongs to someone else: "our ward manager, who holds a Master's degree",
# "you will work with nurses who have NVQ 3". Searched from the item start to the demand;
# "you" in between means the demand is the applicant's again.
_OTHER_PEOPLE = "|".join(_MARKERS["other_people"].patterns)

_APPLICANT = r"(?!\byou|\bsomeone|\bperson|\bindividual|\bcandidate|\bapplicant|\bpeople\s+who)"

_HELD_BY_OTHERS = re.compile(
    r"\b(" + _OTHER_PEOPLE + r")\b(?:" + _APPLICANT + r"[^.;\n]){0,60}?\b(who\s+|that\s+)?"
    r"(holds?|has|have|completed|gained|are\s+educated|is\s+educated|all\s+hold)\b"
    r"(?:" + _APPLICANT + r"[^.;\n]){0,40}$",
    re.IGNORECASE,
)

# Travel is plainly part of the job and paid for: then a licence or car is not flagged.
# Mileage and car allowances are paid for driving at work; paid fares ("we pay for your
# travel") are not evidence that the job needs a driver.
_TRAVEL_PAID = _MARKERS["travel_paid"]

_ALTERNATIVE_BEFORE = re.compile(
    r"\bor\s+(an?\s+|the\s+|at\s+least\s+|a\s+minimum\s+of\s+)?$", re.I
)

_ALTERNATIVE_AFTER = re.compile(r"^[^.;\n]{0,40}\bor\b", re.IGNORECASE)

# Duties that involve getting about: then a licence demand is more likely to be justified.
# The lookahead holds every alternative's first letter, so the engine skips other words fast.
_TRAVEL = _MARKERS["travel_in_duties"].regex


@dataclass(frozen=True, slots=True)
class Requirement:
    """One demand in an advert or person specification.

    ``text == analysed_text[start:end]``; ``finding`` is the flag raised for it, or ``None``
    when the demand is reasonable for the band or is not the applicant's demand (it is still
    recorded, with ``cleared_because`` saying why).
    """

    kind: Kind
    text: str
    start: int
    end: int
    section: Section
    equivalent_accepted: bool
    finding: Finding | None
    cleared_because: str | None = None
    """Why a demand has no finding (a ``CLEARED_*`` phrase), or ``None`` when it has one."""

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "section": self.section,
            "equivalent_accepted": self.equivalent_accepted,
            "finding": None if self.finding is None else self.finding.to_dict(),
            "cleared_because": self.cleared_because,
        }


def requirement_kinds(lexicon: Lexicon) -> dict[str, Kind]:
    """Rule id -> requirement kind, from each requirement entry's ``kind:`` field.

    >>> from bias_audit.lexicon import load_lexicon
    >>> requirement_kinds(load_lexicon())["qualification-gcse-grades"]
    'gcse'
    """
    return dict(_requirement_kinds(lexicon))


def _requirement_kinds(lexicon: Lexicon) -> dict[str, Kind]:
    """:func:`requirement_kinds`, kept per lexicon version (read only: not a copy)."""
    kinds = _KINDS_BY_VERSION.get(lexicon.version)
    if kinds is None:
        if len(_KINDS_BY_VERSION) >= 8:  # an edited lexicon leaves old versions behind
            _KINDS_BY_VERSION.clear()
        kinds = {
            entry.id: entry.kind  # type: ignore[misc]
            for entry in lexicon.in_categories(REQUIREMENT_CATEGORIES)
        }
        _KINDS_BY_VERSION[lexicon.version] = kinds
    return kinds


# lexicon version -> rule id -> kind (asked for on every advert)
_KINDS_BY_VERSION: dict[str, dict[str, Kind]] = {}


def judge_requirements(
    text: str, matches: Iterable[Finding], *, band: int | None, lexicon: Lexicon
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
    lexicon : Lexicon
        The lexicon the matches came from: each entry's ``kind:`` says what its demand is.

    Returns
    -------
    list of Requirement
        In text order. Each ``finding`` carries the band-judged severity and an explanation
        that says where the demand sits and the band (both bands of "Band 2 or 3"; the
        pay-scale year of a band read from the salary), or is ``None`` with
        ``cleared_because`` saying why: inside a notice, negated, someone else's, gained in
        post, a repeat, or reasonable for the band.
    """
    matches = list(matches)
    kind_of = _requirement_kinds(lexicon)
    # Where the markers' words stand: a marker search where none does is skipped.
    words = TextWords(text)
    sections = line_sections(text)
    line_starts = [line_start for line_start, _, _ in sections]
    notices = boilerplate_spans(text)
    # Travel in the duties and paid travel matter to licence demands only: read at the first
    # licence demand judged (two searches of the whole text saved in an advert with none).
    travel: tuple[bool, bool] | None = None
    evidence = find_band_evidence(text)
    band_text = None
    if band is not None:
        band_text = (
            evidence.describe()
            if evidence is not None and evidence.band == band
            else MSG_BAND_NAMED.format(band=band)
        )
    requirements = []
    demands = [m for m in sorted(matches, key=lambda f: (f.start, f.end)) if m.rule_id in kind_of]
    spans = neighbour_bounds([(m.start, m.end) for m in demands])
    kinds = [kind_of[m.rule_id] for m in demands]
    # For routes, a list of demands of one kind shares its "or equivalent"
    # ("GCSE English, GCSE maths or equivalent"): bounds only from other kinds.
    route_spans = _bounds_of_other_kinds(demands, kinds)
    previous_item: tuple[str | None, Bounds | None] = (None, None)
    for index, (match, bounds) in enumerate(zip(demands, spans, strict=True)):
        kind = kinds[index]
        item = item_bounds(text, match.start, match.end)
        item_end = item[1]
        # Lines are contiguous: the last one starting at or before the demand holds it.
        line = sections[bisect.bisect_right(line_starts, match.start) - 1]
        section, source = section_with_source(
            text, match.start, match.end, sections, bounds, item=item, line=line
        )
        if kind == "physical" and source == "inline":
            # "You will need to stand for long periods" in prose is a description, not an
            # Essential criterion: judged as unmarked.
            section, source = "unspecified", "none"
        route = equivalent_route(
            text, match.start, match.end, route_spans[index], item=item, words=words
        )
        route = route or _alternative_to_neighbour(text, demands, index, item, kinds=kinds)
        cleared = _cleared_because(text, match, item, bounds, notices, kind=kind, words=words)
        # "Driving licence/own car" is one demand; "fit and able to lift" are two.
        same = kind if kind == "driving_licence" else match.rule_id
        if cleared is None and previous_item == (same, item):
            cleared = CLEARED_REPEAT
        previous_item = (same, item)
        severity = None
        travel_mentioned = travel_paid = False  # read by judge() for licence demands only
        if cleared is None and kind == "driving_licence":
            if travel is None:
                travel = _travel(text, matches, words)
            travel_mentioned, travel_paid = travel
        if cleared is None:
            severity = judge(
                kind,
                _demand_text(text, match, item_end),
                section=section,
                equivalent_accepted=route,
                band=band,
                base=match.severity,
                travel_mentioned=travel_mentioned,
                travel_paid=travel_paid,
            )
            if severity is None:
                cleared = CLEARED_REASONABLE
        finding = None
        if severity is not None:
            finding = _judged_finding(
                match,
                kind,
                severity,
                section=section,
                source=source,
                route=route,
                band=band,
                band_text=band_text,
                travel_mentioned=travel_mentioned,
            )
        requirements.append(
            Requirement(kind, match.text, match.start, match.end, section, route, finding, cleared)
        )
    return requirements


def neighbour_bounds_of_other_kinds(
    demands: Sequence[Finding], kinds: Sequence[Kind | None], index: int
) -> Bounds:
    """Like :func:`neighbour_bounds` for one demand, counting only demands of other kinds."""
    start, end = demands[index].start, demands[index].end
    before = [
        d.end for d, k in zip(demands, kinds, strict=True) if k != kinds[index] and d.end <= start
    ]
    after = [
        d.start for d, k in zip(demands, kinds, strict=True) if k != kinds[index] and d.start >= end
    ]
    return max(before, default=0), min(after, default=NO_BOUNDS[1])


def _bounds_of_other_kinds(
    demands: Sequence[Finding], kinds: Sequence[Kind | None]
) -> list[Bounds]:
    """:func:`neighbour_bounds_of_other_kinds` for every demand, with one sort per kind."""
    by_kind: dict[Kind | None, tuple[list[int], list[int]]] = {}
    bounds = []
    for demand, kind in zip(demands, kinds, strict=True):
        if kind not in by_kind:
            others = [d for d, k in zip(demands, kinds, strict=True) if k != kind]
            by_kind[kind] = (sorted(d.end for d in others), sorted(d.start for d in others))
        ends, starts = by_kind[kind]
        below = bisect.bisect_right(ends, demand.start)
        above = bisect.bisect_left(starts, demand.end)
        bounds.append(
            (
                ends[below - 1] if below else 0,
                starts[above] if above < len(starts) else NO_BOUNDS[1],
            )
        )
    return bounds


def _alternative_to_neighbour(
    text: str,
    demands: Sequence[Finding],
    index: int,
    item: Bounds,
    *,
    kinds: Sequence[Kind | None],
) -> bool:
    """Whether the demand and a neighbour in the same item are offered as alternatives:
    "NVQ 2 OR 6 months' experience", "Foundation degree, or a Level 3 qualification plus
    equivalent experience". ``kinds`` are the demands' kinds."""
    match = demands[index]
    kind = kinds[index]
    if index > 0 and demands[index - 1].end >= item[0] and kinds[index - 1] != kind:
        between = text[demands[index - 1].end : match.start]
        if _ALTERNATIVE_BEFORE.search(between) and "\n" not in between:
            return True
    following = demands[index + 1] if index + 1 < len(demands) else None
    if following is not None and following.start <= item[1] and kinds[index + 1] != kind:
        between = text[match.end : demands[index + 1].start]
        if _ALTERNATIVE_AFTER.match(between) and "\n" not in between:
            return True
    return False


def _cleared_because(
    text: str,
    match: Finding,
    item: Bounds,
    bounds: Bounds,
    notices: Sequence[Span],
    *,
    kind: Kind | None,
    words: TextWords | None = None,
) -> str | None:
    """Why a lexicon match is not the applicant's entry demand, or ``None`` when it is
    (``kind``: the match's kind; ``words``: the text's :class:`TextWords`, when made)."""
    notice = notice_at(match.start, notices)
    if notice is not None:
        return CLEARED_NOTICE.format(notice=notice)
    item_start, item_end = item
    if _NEGATED.search(text, max(item_start, bounds[0]), min(item_end, bounds[1])):
        return CLEARED_NEGATED
    if _HELD_BY_OTHERS.search(text[item_start : match.start]):
        return CLEARED_HELD_BY_OTHERS
    # In a run-on item (bullets stripped) only the words near the demand speak for it.
    near = (max(item_start, match.start - NEAR_DEMAND), min(item_end, match.end + NEAR_DEMAND))
    if kind in _TRAINABLE_KINDS and in_post_route(text, near, words=words):
        return CLEARED_IN_POST
    return None


# Demands that training in post can meet (a licence, a physical ability or a language
# level are not gained on a course the employer offers).
_TRAINABLE_KINDS = frozenset(
    {"degree", "qualification_level", "gcse", "care_certificate", "registration", "experience"}
)


def _demand_text(text: str, match: Finding, item_end: int) -> str:
    """The match plus the rest of its item, so "Level 3" or "2 years" after it is seen."""
    line_start = text.rfind("\n", 0, match.start) + 1
    return text[max(line_start, match.start - 20) : max(item_end, match.end)]


def _travel(text: str, matches: Iterable[Finding], words: TextWords) -> tuple[bool, bool]:
    """Whether the duties mention travel (:func:`_travel_outside_licence`) and whether, with
    travel mentioned, it is paid for (mileage, a car allowance). ``words``: the text's
    :class:`TextWords` (the paid-travel words are rare: most texts are not searched)."""
    mentioned = _travel_outside_licence(text, matches)
    paid = mentioned and words.search(_TRAVEL_PAID.regex, _TRAVEL_PAID.words) is not None
    return mentioned, paid


def _travel_outside_licence(text: str, matches: Iterable[Finding]) -> bool:
    """Whether the text mentions travel anywhere but in the licence demand's own words (a
    reason given beside it, "as the post involves travelling to patients' homes", counts)."""
    masked = text
    for match in matches:
        if match.category == "driving_licence":
            masked = masked[: match.start] + " " * (match.end - match.start) + masked[match.end :]
    return _TRAVEL.search(masked) is not None


def _judged_finding(
    match: Finding,
    kind: Kind,
    severity: Severity,
    *,
    section: Section,
    source: SectionSource = "heading",
    route: bool,
    band: int | None,
    band_text: str | None = None,
    travel_mentioned: bool,
) -> Finding:
    band_part = ""
    if band is not None:
        expectation = BAND_EXPECTATION.get(band, "") if kind in BAND_KINDS else ""
        described = band_text or MSG_BAND_NAMED.format(band=band)
        band_part = MSG_BAND.format(band=described, expectation=expectation).rstrip(". ")
    where = (MSG_WHERE_INLINE if source == "inline" else MSG_WHERE)[section]
    context = MSG_CONTEXT.format(
        where=where,
        route=MSG_ROUTE_ACCEPTED if route else MSG_ROUTE_NONE,
        band=band_part,
    )
    explanation = f"{match.explanation.strip()} {context}"
    suggestions = match.suggestions
    if kind == "driving_licence":
        if not travel_mentioned:
            explanation += MSG_NO_TRAVEL
        if not any(SUGGEST_TRAVEL in s for s in suggestions):
            suggestions = (*suggestions, SUGGEST_TRAVEL)
    # Finding(...) rather than dataclasses.replace, which reads every field by name first
    return Finding(
        match.rule_id,
        match.category,
        severity,
        match.start,
        match.end,
        match.text,
        explanation,
        suggestions,
        match.source,
        match.occurrences,
    )
