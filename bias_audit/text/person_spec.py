"""Where a demand stands in a person specification and what surrounds it.

Essential / Desirable sections (lists, or Word tables written out by
:func:`bias_audit.io.adverts.docx_text`), inline markers ("... is essential", "... would be an
advantage"), the item (sentence or bullet) a demand belongs to, and whether an equivalent
route is accepted or the qualification is gained in post. The marker phrases are data:
``data/requirement_markers.yml`` (:mod:`bias_audit.text.markers`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Literal

from bias_audit.text.markers import Marker, TextWords, first_characters, load_markers
from bias_audit.text.notices import NO_BOUNDS, Bounds
from bias_audit.text.regex_words import CASE_FOLDS_TO_ASCII

Section = Literal["essential", "desirable", "unspecified"]


# What a heading line may start with, besides white space.
_BULLET_CHARS = "#>*•◦▪●·-–—"


_BULLET_PREFIX = r"^[\s" + re.escape(_BULLET_CHARS) + "]*"


_SECTION_BODY = r"(essential|desirable)\b"


_SECTION_HEADING = re.compile(_BULLET_PREFIX + _SECTION_BODY, re.IGNORECASE)


_MARKERS = load_markers()

# Headings that leave the person specification (job description and advert parts).
_OTHER_BODY = (
    r"(main\s+|key\s+)?(" + "|".join(_MARKERS["other_headings"].patterns) + r")[^\n.]{0,40}$"
)
_OTHER_HEADING = re.compile(_BULLET_PREFIX + _OTHER_BODY, re.IGNORECASE)


def _opening_characters(body: str) -> frozenset[str] | None:
    """The characters a heading's words (``body``, after the bullets) may start with, in
    either case or folded (``None``: any, then the heading regex is always tried).

    Each heading regex is the bullet prefix then ``body``; the prefix takes every bullet and
    white-space character at the start of the line (``body`` starts with neither), so the
    regex can match only when the first other character is one of these.
    """
    firsts = first_characters(body)
    if firsts is None or not all(c.isascii() and c.isalnum() for c in firsts):
        return None
    cased = {variant for c in firsts for variant in (c.lower(), c.upper())}
    return frozenset(cased | CASE_FOLDS_TO_ASCII)


_SECTION_OPENINGS = _opening_characters(_SECTION_BODY)


_OTHER_OPENINGS = _opening_characters(_OTHER_BODY)


# Every character the regex ``\\s`` matches (those of ``str.isspace``; a test checks every
# code point), so that one ``str.lstrip`` takes what the bullet prefix takes.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


_PREFIX_CHARS = WHITE_SPACE + _BULLET_CHARS


# Desirable markers: some come before what they qualify ("ideally a driving licence"), most
# after it ("NVQ 2 would be an advantage").
_DESIRABLE_BEFORE = _MARKERS["desirable_before"].regex


_DESIRABLE_AFTER = _MARKERS["desirable_after"].regex


_INLINE_ESSENTIAL = _MARKERS["essential_inline"].regex


# An equivalent route for the demand, searched from the demand to the end of its item
# (sentence or bullet) and in following lines that start with "or" or name an equivalent.
_EQUIVALENT = _MARKERS["equivalent_route"]


# The qualification is gained in post: searched in the demand's item (before or after the
# demand) and the sentence after it ("... a Level 5 qualification. We pay for the course.").
_IN_POST = _MARKERS["gained_in_post"]


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
        heading = None
        if line:  # an empty line is neither; a regex is tried only where its words may start
            first = line.lstrip(_PREFIX_CHARS)[:1]  # the first after bullets and white space
            if _SECTION_OPENINGS is None or first in _SECTION_OPENINGS:
                heading = _SECTION_HEADING.match(line)
            if heading is not None:
                current = heading.group(1).lower()  # type: ignore[assignment]
            elif (_OTHER_OPENINGS is None or first in _OTHER_OPENINGS) and _OTHER_HEADING.match(
                line
            ):
                current = "unspecified"
        spans.append((position, position + len(line), current))
        position += len(line) + 1
    return spans


# A new bullet or numbered item (not one that starts "or …").
_LIST_ITEM = re.compile(r"^\s*(?:[-•*▪·]|\d{1,2}[.)])\s+")
_OR_LINE = re.compile(r"^[\s\-•*]*(\(?\s*or\b|equivalent\b)", re.IGNORECASE)


# Sentences end items; so do bullets run into one line ("Essential skills: • A • B").
_ITEM_BREAK = re.compile(r"[.!?;]\s|\s[•▪◦●]\s")


_ITEM_END = re.compile(r"[.!?;](\s|$)|\s[•▪◦●]\s")


def item_bounds(text: str, start: int, end: int) -> tuple[int, int]:
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


SectionSource = Literal["heading", "inline", "none"]


def section_with_source(
    text: str,
    start: int,
    end: int,
    sections: Sequence[tuple[int, int, Section]],
    bounds: Bounds = NO_BOUNDS,
    *,
    item: Bounds | None = None,
    line: tuple[int, int, Section] | None = None,
) -> tuple[Section, SectionSource]:
    """The section of a demand and where it comes from: an Essential/Desirable heading or
    column (``"heading"``), a marker in the demand's own sentence (``"inline"``), or neither.

    A desirable marker ("… would be an advantage") counts only between the neighbouring
    demands (``bounds``); an essential marker ("must", "required") anywhere in the item
    (the sentence or bullet around the demand; pass ``item`` when it is already known).
    ``line`` is the entry of ``sections`` (from :func:`line_sections`) holding ``start``,
    when already known: then the others are not looked at.
    """
    item_start, item_end = item_bounds(text, start, end) if item is None else item
    if line is not None:
        sections = (line,)
    if _DESIRABLE_BEFORE.search(text, max(item_start, bounds[0]), start) or (
        _DESIRABLE_AFTER.search(text, end, min(item_end, bounds[1]))
    ):
        for line_start, line_end, section in sections:
            if line_start <= start <= line_end and section == "desirable":
                return "desirable", "heading"
        return "desirable", "inline"
    for line_start, line_end, section in sections:
        if line_start <= start <= line_end:
            if section == "unspecified":
                if _INLINE_ESSENTIAL.search(text, item_start, item_end):
                    return "essential", "inline"
                return "unspecified", "none"
            return section, "heading"
    return "unspecified", "none"


def section_of(
    text: str,
    start: int,
    end: int,
    sections: Sequence[tuple[int, int, Section]],
    bounds: Bounds = NO_BOUNDS,
    *,
    item: Bounds | None = None,
) -> Section:
    """The section of a demand: an inline marker in its item wins over the heading above
    (see :func:`section_with_source`).

    >>> text = "Licence required and NVQ 2 would be an advantage."
    >>> section_of(text, 0, 7, line_sections(text), (0, 21)), section_of(
    ...     text, 21, 26, line_sections(text), (7, 50))
    ('essential', 'desirable')
    """
    return section_with_source(text, start, end, sections, bounds, item=item)[0]


def equivalent_route(
    text: str,
    start: int,
    end: int,
    bounds: Bounds = NO_BOUNDS,
    *,
    item: Bounds | None = None,
    words: TextWords | None = None,
) -> bool:
    """Whether an equivalent or in-post route goes with the demand.

    Searched from the demand to the end of its item (or the next demand, see ``bounds``),
    in a following line that starts with "or", and, for in-post routes ("willing to
    complete", "we will support you to gain"), also before the demand. ``item`` is the
    sentence or bullet around the demand, when already known; ``words`` the text's
    :class:`TextWords`.

    >>> equivalent_route("GCSE maths (or equivalent)", 0, 11)
    True
    >>> equivalent_route("GCSE maths grade C. Or equivalent NVQ", 0, 11)
    False
    >>> spec = "- GCSE maths grade 4\\n- Care Certificate, or willing to complete it in post"
    >>> equivalent_route(spec, 2, 6)
    False
    """
    item_start, item_end = item_bounds(text, start, end) if item is None else item
    own_end = min(item_end, bounds[1])
    near_start = max(item_start, bounds[0], start - NEAR_DEMAND)
    if _search(words, _IN_POST, text, near_start, min(own_end, end + NEAR_DEMAND)):
        return True
    window = text[start:own_end]
    line_end = text.find("\n", end)
    # A list of accepted equivalents may run on over the next lines ("or equivalent",
    # "Functional Skills Level 2", "NARIC/ENIC comparison"): up to three such lines.
    for _ in range(3):
        if line_end == -1 or own_end < line_end:
            break
        following = _next_line(text, line_end)
        # ``following`` is text[line_end + 1 : following_end]: its words are the text's there
        following_end = line_end + 1 + len(following)
        if not (
            _OR_LINE.match(following)
            or (
                _may_match(words, _EQUIVALENT, line_end + 1, following_end)
                and _EQUIVALENT.regex.search(following)
            )
        ):
            break
        if (
            _LIST_ITEM.match(following)
            and _may_match(words, _IN_POST, line_end + 1, following_end)
            and _IN_POST.regex.search(following)
        ):
            break  # "- Care Certificate, or willing to complete it": that item's own route
        window += " " + following
        line_end = text.find("\n", line_end + 1)
        own_end = len(text) if line_end == -1 else line_end
    return _EQUIVALENT.regex.search(window) is not None


def in_post_route(text: str, item: Bounds, *, words: TextWords | None = None) -> bool:
    """Whether the demand's item, or the sentence after it in the same paragraph, offers it
    in post: "leads to the Care Certificate", "you will undertake a Level 2 apprenticeship",
    "(training provided)", "fully funded QCF training", "we can fund this".

    >>> in_post_route("Care Certificate (training provided)", (0, 36))
    True
    >>> in_post_route("Care Certificate essential", (0, 26))
    False

    ``words``: the text's :class:`TextWords`, when already made.
    """
    start, end = item
    if _search(words, _IN_POST, text, start, end):
        return True
    paragraph_end = text.find("\n\n", end)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    # The next sentence ends by the paragraph's end: no funding word before that, no promise.
    if not _may_match(words, _FUNDED, end, paragraph_end):
        return False
    stop = _ITEM_END.search(text, min(end + 1, len(text)), paragraph_end)
    next_end = paragraph_end if stop is None else stop.end()
    return _search(words, _FUNDED, text, end, next_end) is not None


def _may_match(words: TextWords | None, marker: Marker, start: int, end: int) -> bool:
    """Whether ``marker`` may match in the text's ``[start, end)`` (``True``: not known)."""
    return words is None or words.may_match(marker.words, start, end)


def _search(
    words: TextWords | None, marker: Marker, text: str, start: int, end: int
) -> re.Match[str] | None:
    """``marker.regex.search(text, start, end)``, skipped where none of its words stands."""
    if words is None:
        return marker.regex.search(text, start, end)
    return words.search(marker.regex, marker.words, start, end)


# In the sentence after a demand only a promise to pay counts ("We pay for the course."),
# not a general "training provided", which may be about something else.
_FUNDED = _MARKERS["funded_in_post"]


def neighbour_bounds(spans: Sequence[Bounds]) -> list[Bounds]:
    """For each ``(start, end)`` span, the end of the one before and the start of the next.

    >>> neighbour_bounds([(0, 7), (21, 26), (30, 35)])
    [(0, 21), (7, 30), (26, 4611686018427387904)]
    """
    ends = sorted(end for _, end in spans)
    starts = sorted(start for start, _ in spans)
    bounds = []
    for index, (start, end) in enumerate(spans):
        if end <= start:  # an empty span could be its own neighbour: leave it out by index
            before = [e for i, (_, e) in enumerate(spans) if i != index and e <= start]
            after = [s for i, (s, _) in enumerate(spans) if i != index and s >= end]
            bounds.append((max(before, default=0), min(after, default=NO_BOUNDS[1])))
            continue
        # A span is never its own neighbour here (its end is after its start).
        below = bisect.bisect_right(ends, start)
        above = bisect.bisect_left(starts, end)
        bounds.append(
            (
                ends[below - 1] if below else 0,
                starts[above] if above < len(starts) else NO_BOUNDS[1],
            )
        )
    return bounds


NEAR_DEMAND = 120
