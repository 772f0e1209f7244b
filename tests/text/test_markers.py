"""Requirement markers are data: validated at load, examples run, compiled without changing
what they find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.errors import LexiconError
from bias_audit.lexicon_schema import UNRESOLVED_SOURCE
from bias_audit.text import markers as mk

MARKERS = mk.load_markers()
SOURCE = (Path(mk.__file__).parents[1] / "data" / "requirement_markers.yml").read_text(
    encoding="utf-8"
)
FILE = "markers.yml"


@pytest.mark.parametrize("name", mk.MARKER_NAMES)
def test_marker_examples(name):
    marker = MARKERS[name]
    for sentence in marker.match_examples:
        assert marker.regex.search(sentence), f"{name} should find {sentence!r}"
    for sentence in marker.no_match_examples:
        assert not marker.regex.search(sentence), f"{name} should not find {sentence!r}"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bor\s+equivalent", "o"),
        (r"\b(we\s+)?value", "vw"),
        (r"\((?-i:D)\)", "("),
        (r"\b[a-c]x", "abc"),
        (r"\bo[\s-]?levels?", "o"),
        (r"\b(uk\s+)?enic\b|\bnaric\b", "enu"),
        (r"\w+ing", None),
        (r"[^x]y", None),
        (r"(a)?", None),  # can match nothing: could start anywhere
    ],
)
def test_first_characters(pattern, expected):
    found = mk.first_characters(pattern)
    assert (None if found is None else "".join(sorted(found))) == expected


WORDS = ["or", "equivalent", "uk", "enic", "we", "value", "(D)", "(d)", "x", " ", "\n", "."]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))
def test_the_look_ahead_never_changes_what_a_marker_finds(text):
    patterns = [r"\bor\s+(an?\s+)?equivalent\b", r"\b(uk\s+)?enic\b", r"\b(we\s+)?value\b"]
    patterns.append(r"\((?-i:D)\)")
    fast = mk.compile_marker(patterns)
    plain = re.compile("(?:" + "|".join(patterns) + ")", re.IGNORECASE)
    assert fast.pattern.startswith("(?=[")
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def _error(text: str) -> str:
    with pytest.raises(LexiconError) as caught:
        mk.parse_markers(FILE, text)
    return str(caught.value)


BROKEN = [
    (
        "missing-marker",
        "  travel_paid:",
        "  travel_paidd:",
        mk.MARKERS_MISSING.format(file=FILE, names="travel_paid"),
    ),
    (
        "bad-regex",
        "      - '\\bcar\\s+allowance\\b'",
        "      - '\\bcar(\\s+allowance\\b'",
        None,
    ),
    (
        "unresolved-source",
        "    source: gov-uk-recruitment-disabled\n    patterns:\n      - '\\bmileage\\b'",
        "    source: nowhere\n    patterns:\n      - '\\bmileage\\b'",
        UNRESOLVED_SOURCE.format(
            file=FILE,
            where="marker 'travel_paid'",
            key="nowhere",
            known="nhs-health-careers-hca, afc-nursing-profiles, hcsw-programme, "
            "gov-uk-recruitment-disabled",
        ),
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), [pytest.param(*r[1:], id=r[0]) for r in BROKEN])
def test_a_broken_markers_file_is_refused_with_a_named_message(old, new, message):
    assert old in SOURCE
    found = _error(SOURCE.replace(old, new, 1))
    if message is None:
        head = mk.MARKER_BAD_REGEX.split("({detail})")[0].format(
            file=FILE, name="travel_paid", pattern="\\bcar(\\s+allowance\\b"
        )
        assert found.startswith(head)
    else:
        assert found == message


def test_an_unknown_marker_and_a_missing_key_are_refused():
    extra = SOURCE + "  colour:\n    description: x\n"
    assert _error(extra) == mk.MARKERS_UNKNOWN.format(
        file=FILE, names="colour", allowed=", ".join(mk.MARKER_NAMES)
    )
    no_examples = SOURCE.replace('      no_match: ["We pay for your bus fare"]\n', "")
    assert _error(no_examples) == mk.MARKER_NO_EXAMPLES.format(file=FILE, name="travel_paid")
    assert _error("- a list\n") == mk.MARKERS_NOT_A_MAPPING.format(file=FILE)
