"""Inclusion signals: reported present (with evidence offsets) or missing, never as problems."""

import pytest

from bias_audit.lexicon import load_lexicon
from bias_audit.text.inclusion import SIGNALS, find_inclusion_signals
from bias_audit.text.pipeline import get_pipeline

NAMES = [spec.name for spec in SIGNALS]


def signals(text: str) -> dict:
    found = find_inclusion_signals(get_pipeline()(text), load_lexicon())
    assert [s.name for s in found] == NAMES
    return {s.name: s for s in found}


@pytest.mark.parametrize(
    ("text", "present"),
    [
        ("Salary: £24,071 to £25,674 per annum.", {"salary"}),
        ("£12.21 per hour, bank shifts.", {"salary"}),
        ("We are happy to talk about flexible working and part-time hours.", {"flexible_working"}),
        ("We are a Disability Confident Leader.", {"adjustments"}),
        ("Ask us about reasonable adjustments.", {"adjustments"}),
        (
            "Disabled applicants who meet the essential criteria get a guaranteed interview.",
            {"adjustments"},
        ),
        ("No experience needed: full training given.", {"entry_route"}),
        ("Join our apprenticeship programme.", {"entry_route"}),
        (
            "We particularly welcome applications from Black and minority ethnic people, who are "
            "under-represented in our nursing team.",
            {"welcome"},
        ),
        ("Apply by Friday. Salary depends on experience.", set()),
    ],
)
def test_each_signal_is_found(text, present):
    found = signals(text)
    assert {name for name, s in found.items() if s.present} == present


def test_present_signals_carry_evidence_offsets_and_missing_ones_a_suggestion():
    text = "Band 2, £24,071 a year. Full training given."
    found = signals(text)
    salary = found["salary"]
    assert salary.suggestion is None
    assert [(e.text, text[e.start : e.end]) for e in salary.evidence] == [("£24,071", "£24,071")]
    assert found["entry_route"].evidence[0].text == "Full training"
    flexible = found["flexible_working"]
    assert flexible.present is False
    assert flexible.evidence == ()
    assert flexible.suggestion == SIGNALS[1].missing_suggestion
    assert flexible.to_dict() == {
        "name": "flexible_working",
        "label": SIGNALS[1].label,
        "present": False,
        "evidence": [],
        "suggestion": SIGNALS[1].missing_suggestion,
    }
