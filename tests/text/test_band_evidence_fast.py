"""Reading the band skips the search for a second band match where no band word follows the
first: the band found is the one the full search finds, on adversarial texts (band words in
any case, the characters case-insensitive matching folds to ASCII, notices)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.text import band_evidence as be

PIECES = [
    "Band 3",
    "BAND 2 or 3",
    "AfC 4",
    "Agenda for Change band: 5",
    "bands 5-6",
    "wristband",
    "Ban\u212a",
    "Bandſ 2",
    "\u0130",
    "Skilled Worker visa sponsorship is not available for Band 3 roles.",
    "Equal opportunities",
    "£24,937 - £26,598",
    "HCSW",
    ".",
    "\n",
    "\n\n",
]


def _stated_band_slow(text):
    """``_stated_band`` reading every match it needs, with no skipping."""
    found = be._BAND_RE.finditer(text)
    first = next(found, None)
    if first is None:
        return None
    return be._band_outside_notices(text, first, found)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=10).map(" ".join))
def test_stated_band_is_the_full_search(text):
    assert be._stated_band(text) == _stated_band_slow(text)


def test_a_notice_band_then_the_posts_band():
    text = "Skilled Worker visa sponsorship is not available for Band 3 roles.\n\nHCSW Band 2"
    assert be._stated_band(text) == _stated_band_slow(text)
    assert be._stated_band(text).band == 2
