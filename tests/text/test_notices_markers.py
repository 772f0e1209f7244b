"""The notice-marker shortcut: trying the marker regex only where a marker could start finds
exactly the matches a search of the whole text finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.text import notices

RULES = notices._boilerplate_rules()


def test_case_folds_to_ascii_is_every_such_character():
    everything = "".join(map(chr, range(0x80, 0x110000)))
    matched = {m.group() for m in re.finditer("[a-z]", everything, re.IGNORECASE)}
    lowered = {c for c in everything if c.lower() != c and any(x.isascii() for x in c.lower())}
    assert matched | lowered == notices.CASE_FOLDS_TO_ASCII


def test_every_marker_opening_is_lower_case_ascii():
    assert RULES.marker_openings
    assert all(o.isascii() and o == o.lower() for o in RULES.marker_openings)


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
    starts = notices._marker_starts(text, RULES)
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
    starts = notices._marker_starts(text, RULES)
    assert notices._next_marker(text, position, RULES, starts) == _first_by_search(text, position)


def test_text_with_a_folding_character_falls_back_to_the_regex():
    assert notices._marker_starts("ſponsorship", RULES) is None
    assert notices._next_marker("ſponsorship", 0, RULES, None) == 0
