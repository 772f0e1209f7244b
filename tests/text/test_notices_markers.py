"""The notice-marker shortcut: trying the marker regex only where a marker could start finds
exactly the matches a search of the whole text finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.text import notices, regex_words

RULES = notices._boilerplate_rules()


def test_case_folds_to_ascii_is_every_such_character():
    everything = "".join(map(chr, range(0x80, 0x110000)))
    matched = {m.group() for m in re.finditer("[a-z]", everything, re.IGNORECASE)}
    lowered = {c for c in everything if c.lower() != c and any(x.isascii() for x in c.lower())}
    assert matched | lowered == regex_words.CASE_FOLDS_TO_ASCII


def test_every_marker_opening_is_lower_case_ascii():
    openings = RULES.marker_search.openings
    assert openings
    assert all(o.isascii() and o == o.lower() for o in openings)


def _first_by_search(text: str, position: int) -> int:
    found = RULES.any_marker.search(text, position)
    return len(text) if found is None else found.start()


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("Skilled Worker VISA applicants welcome.", 0),
        ("We welcome applications from all. Visas: no.", 5),
        ("Equal Opportunities employer; Right to Work checks.", 3),
        ("no markers here, just work and pay", 0),
        ("UKVI", 1),
    ],
)
def test_next_marker_table(text, position):
    starts = RULES.marker_search.starts(text)
    assert starts is not None
    assert notices._next_marker(text, position, RULES, starts) == _first_by_search(text, position)


_FRAGMENTS = [
    "visa",
    "VISAS",
    "Sponsor",
    "sponsorship",
    "skilled worker",
    "Right to work",
    "right  to live",
    "eligible to work",
    "equal opportunities",
    "Equality, diversity and inclusion",
    "regardless of age",
    "going rate",
    "home office",
    "work",
    "pay",
    "£25,000",
    "İ",
    "ı",
    "ſ",
    "\u212a",
    " ",
    "\n",
    ".",
    "-",
    "x",
]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14), st.integers(0, 40))
def test_next_marker_is_the_first_search_match(parts, position):
    text = "".join(parts)
    position = min(position, len(text))
    starts = RULES.marker_search.starts(text)
    assert notices._next_marker(text, position, RULES, starts) == _first_by_search(text, position)


def test_text_with_a_folding_character_falls_back_to_the_regex():
    assert RULES.marker_search.starts("ſponsorship") is None
    assert notices._next_marker("ſponsorship", 0, RULES, None) == 0


# --- every opening search, on text built from each regex's own examples ---------------------

from bias_audit.text.markers import load_markers  # noqa: E402
from bias_audit.text.regex_words import OpeningSearch  # noqa: E402


def _search_of(name: str) -> OpeningSearch:
    marker = load_markers()[name]
    return OpeningSearch(marker.regex, "|".join(f"(?:{p})" for p in marker.patterns))


SEARCHES = {
    "notices": RULES.marker_search,
    "travel_in_duties": _search_of("travel_in_duties"),
    "travel_paid": _search_of("travel_paid"),
}
_WORDS = [
    "Travel",
    "travelling",
    "community team",
    "home visits",
    "patients' homes",
    "MILEAGE",
    "car allowance",
    "pool car",
    "business miles",
    "drive",
    "between sites",
    "people",
    "service users",
    "ſ",
    "ı",
    " ",
    ", ",
    "\n",
    "x",
]


@pytest.mark.parametrize("name", sorted(SEARCHES))
@settings(max_examples=50, deadline=None)
@given(
    parts=st.lists(st.sampled_from(_WORDS + _FRAGMENTS), max_size=12), position=st.integers(0, 30)
)
def test_opening_search_finds_what_the_regex_search_finds(name, parts, position):
    finder = SEARCHES[name]
    text = "".join(parts)
    expected = finder.regex.search(text, position)
    found = finder.search(text, position)
    assert (None if found is None else found.span()) == (
        None if expected is None else expected.span()
    )


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_opening_searches_have_openings(name):
    assert SEARCHES[name].openings
