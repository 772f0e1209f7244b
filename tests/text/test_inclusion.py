"""Inclusion signals: reported present (with evidence offsets) or missing, never as problems."""

import pytest
from analysers import inclusion_signals as find_signals

from bias_audit.lexicon import load_lexicon
from bias_audit.text.inclusion import SIGNALS
from bias_audit.text.pipeline import get_pipeline

NAMES = [spec.name for spec in SIGNALS]


def signals(text: str) -> dict:
    found = find_signals(get_pipeline()(text), load_lexicon())
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


@pytest.mark.parametrize(
    ("text", "salary"),
    [
        ("Salary: competitive, paid per annum.", False),
        ("Paid per hour, rates on request.", False),
        ("Pay 12.50 per hour.", True),
        ("Salary £24,937 to £26,598 a year.", True),
        # A visa pay threshold is not the job's pay, in a sentence or under a notice heading.
        ("This post meets the Skilled Worker salary threshold of £25,600.", False),
        ("Visa sponsorship\nApplicants must be paid at least £38,700 to be sponsored.\n", False),
        (
            "Salary £24,465 a year.\n\nVisa sponsorship\nThe threshold is £25,600.\n",
            True,
        ),
    ],
)
def test_salary_means_a_figure_for_the_job(text, salary):
    found = signals(text)["salary"]
    assert found.present is salary
    assert all("25,600" not in e.text and "38,700" not in e.text for e in found.evidence)


def test_no_formal_entry_requirements_is_credited_as_a_route():
    assert signals("There are no formal entry requirements for this role.")["entry_route"].present


def test_the_signal_list_is_the_one_the_lexicon_validates():
    from bias_audit.lexicon_schema import INCLUSION_SIGNALS

    assert tuple(NAMES) == INCLUSION_SIGNALS


def test_a_signal_comes_from_the_entry_field_not_its_id(tmp_path):
    """Renaming a rule id changes nothing; changing its signal: field moves the evidence."""
    import shutil

    from bias_audit.lexicon import DEFAULT_LEXICON_DIR

    shutil.copytree(DEFAULT_LEXICON_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "inclusion_signals.yml"
    text = path.read_text(encoding="utf-8")
    renamed = text.replace("id: inclusion-salary-amount", "id: trust-pay-figure")
    path.write_text(renamed, encoding="utf-8")
    doc = get_pipeline()("Salary: £24,071 a year.")
    found = {s.name: s for s in find_signals(doc, load_lexicon(tmp_path))}
    assert [e.rule_id for e in found["salary"].evidence] == ["trust-pay-figure"]
    path.write_text(renamed.replace("signal: salary", "signal: welcome", 1), encoding="utf-8")
    found = {s.name: s for s in find_signals(doc, load_lexicon(tmp_path, rescan=True))}
    assert found["salary"].present is False
    assert [e.rule_id for e in found["welcome"].evidence] == ["trust-pay-figure"]
