"""The requirement judge's fast paths give the answers of the plain regex searches.

:class:`TextWords` skips a marker search where none of the marker's words stands, and
:func:`line_sections` tries a heading regex only on lines whose first character after the
bullets could start it. Both are compared here with the plain searches on adversarial text:
marker words in any case, the characters that case-insensitive matching folds to ASCII
("K" the Kelvin sign, "ſ", "İ", "ı"), bullets and unusual white space.
"""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.text import person_spec as ps
from bias_audit.text.markers import MARKER_NAMES, TextWords, load_markers, search_words

MARKERS = load_markers()

# Pieces the texts are built from: marker words and their neighbours, cased and folded.
PIECES = [
    "or equivalent",
    "OR EQUIVALENT",
    "willing to complete",
    "we will pay for the course",
    "fully-funded training",
    "mileage",
    "MILEAGE",
    "mileaģe",
    "ſponsor",
    "bonus if",
    "not needed",
    "(D)",
    "(d)",
    "you will need",
    "apprenticeships",
    "NVQ Level 3",
    "GCSE",
    "Key duties",
    "Essential",
    "DESIRABLE:",
    "Desirable criteria",
    "About us",
    "ABOUT",
    "ℹ",
    "K",
    "İ",
    "ı",
    "\u00a0",
    "\u2003",
    "\t",
    ".",
    "\n",
    "\n\n",
    "- ",
    "• ",
    "–",
    "#",
    "> ",
    "·",
]

texts = st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join)


def _span(found: re.Match[str] | None) -> tuple[int, int] | None:
    return None if found is None else found.span()


@settings(max_examples=50, deadline=None)
@given(texts, st.integers(-5, 120), st.integers(-5, 140), st.sampled_from(MARKER_NAMES))
def test_text_words_search_is_the_regex_search(text, start, end, name):
    marker = MARKERS[name]
    fast = TextWords(text).search(marker.regex, marker.words, start, end)
    assert _span(fast) == _span(marker.regex.search(text, start, end))


@pytest.mark.parametrize("name", MARKER_NAMES)
def test_every_marker_has_search_words(name):
    # Without words every search runs: still right, but the fast path is lost.
    assert MARKERS[name].words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mileage paid", True),
        ("MILEAGE paid", True),
        ("no travel costs", False),
        ("mi\u212aeage", True),  # a folding character: not told by the lower-case text
    ],
)
def test_text_words_may_match(text, expected):
    assert TextWords(text).may_match(MARKERS["travel_paid"].words) is expected


def test_search_words_are_lower_case_ascii_or_none():
    assert search_words(r"(?:\bMileage\b|\bcar\s+allowance\b)") == ("allowance", "mileage")
    assert search_words(r"\bcafé\b") is None
    assert search_words(r"\w+") is None


def test_white_space_is_what_the_regex_takes_for_white_space():
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c)))
    assert every == ps.WHITE_SPACE


def _line_sections_slow(text: str) -> list[tuple[int, int, str]]:
    """:func:`ps.line_sections` as it was: both heading regexes on every line."""
    spans = []
    current = "unspecified"
    position = 0
    for line in text.split("\n"):
        heading = ps._SECTION_HEADING.match(line) if line else None
        if heading is not None:
            current = heading.group(1).lower()
        elif line and ps._OTHER_HEADING.match(line):
            current = "unspecified"
        spans.append((position, position + len(line), current))
        position += len(line) + 1
    return spans


@settings(max_examples=50, deadline=None)
@given(texts)
def test_line_sections_match_trying_every_line(text):
    assert ps.line_sections(text) == _line_sections_slow(text)


@pytest.mark.parametrize(
    "line",
    [
        "Essential",
        " \u00a0- • Essential: GCSEs",
        "\u2003#>DESIRABLE",
        "–—·Desirable criteria",
        "- \tKey responsibilities",
        "\u212aey duties",  # the Kelvin sign matches "k" case-insensitively
        "ABOUT US",
        "- ",
        "   ",
        "Main duties of the job.",
    ],
)
def test_line_sections_on_heading_like_lines(line):
    text = f"Essential\n{line}\n- NVQ 3"
    assert ps.line_sections(text) == _line_sections_slow(text)


@settings(max_examples=50, deadline=None)
@given(texts, st.data())
def test_routes_with_text_words_are_the_plain_routes(text, data):
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start, len(text)))
    words = TextWords(text)
    assert ps.equivalent_route(text, start, end, words=words) == ps.equivalent_route(
        text, start, end
    )
    item = ps.item_bounds(text, start, end)
    assert ps.in_post_route(text, item, words=words) == ps.in_post_route(text, item)
