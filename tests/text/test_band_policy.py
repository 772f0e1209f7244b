"""The band policy is data: validated at load, and it holds the tables the analyser judges by."""

from __future__ import annotations

from pathlib import Path

import pytest

from bias_audit.errors import LexiconError
from bias_audit.text import band_policy as bp
from bias_audit.types import Severity

SOURCE = (Path(bp.__file__).parents[1] / "data" / "band_policy.yml").read_text(encoding="utf-8")
FILE = "band_policy.yml"
H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW


def test_the_shipped_policy_loads_with_every_band_group_and_rule():
    policy = bp.load_band_policy()
    assert set(policy.expectations) == {1, 2, 3, 4}
    assert policy.severity["degree"]["entry"] == (H, M, L)
    assert policy.severity["degree"]["registered"] == (L, None, None)
    assert policy.severity["gcse"][None] == (M, None, None)
    assert policy.unnumbered_experience == {"entry": M, 3: L, 4: None, "registered": None, None: L}
    assert policy.level_with_route == {1: 1, 2: 2, 3: 3, 4: 5}
    assert policy.level_rules["above_band"] == (H, M, L)
    assert policy.driving_no_travel == (M, None, None)
    assert (policy.short_experience_months, policy.short_experience_rule) == (6, (L, None, None))


def _error(text: str) -> str:
    with pytest.raises(LexiconError) as caught:
        bp.parse_band_policy(FILE, text)
    return str(caught.value)


BROKEN = [
    (
        "unknown-severity",
        "    entry: [high, medium, low]\n    band_3: [high, medium, low]\n"
        "    band_4: [high, low, null]",
        "    entry: [high, medium, severe]\n    band_3: [high, medium, low]\n"
        "    band_4: [high, low, null]",
        bp.POLICY_BAD_RULE.format(
            file=FILE, where="severity.degree.entry", value=["high", "medium", "severe"]
        ),
    ),
    (
        "rule-of-two",
        "  travel_in_duties: [low, null, null]",
        "  travel_in_duties: [low, null]",
        bp.POLICY_BAD_RULE.format(
            file=FILE, where="driving_licence.travel_in_duties", value=["low", None]
        ),
    ),
    (
        "unknown-kind",
        "  gcse:\n",
        "  gcses:\n",
        bp.POLICY_UNKNOWN_KIND.format(
            file=FILE, kind="gcses", allowed=", ".join(bp.REQUIREMENT_KINDS)
        ),
    ),
    (
        "missing-group",
        "  band_4: null\n",
        "",
        bp.POLICY_MISSING.format(file=FILE, where="unnumbered_experience", keys="band_4"),
    ),
    (
        "level-out-of-range",
        "  with_route: {1: 1, 2: 2, 3: 3, 4: 5}",
        "  with_route: {1: 1, 2: 2, 3: 3, 4: 9}",
        bp.POLICY_BAD_LEVELS.format(
            file=FILE, where="qualification_level.with_route", value={1: 1, 2: 2, 3: 3, 4: 9}
        ),
    ),
    (
        "unknown-file-key",
        "short_experience:",
        "colour: red\nshort_experience:",
        bp.POLICY_UNKNOWN.format(
            file=FILE, where="the file", keys="colour", allowed=", ".join(bp.POLICY_KEYS)
        ),
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), [pytest.param(*r[1:], id=r[0]) for r in BROKEN])
def test_a_broken_policy_is_refused_with_a_named_message(old, new, message):
    assert SOURCE.count(old) >= 1
    assert _error(SOURCE.replace(old, new, 1)) == message


def test_the_kinds_the_judge_knows_are_the_kinds_the_lexicon_allows():
    from typing import get_args

    assert get_args(bp.Kind) == bp.REQUIREMENT_KINDS
    assert set(bp.SEVERITY_RULES) <= set(bp.REQUIREMENT_KINDS)
