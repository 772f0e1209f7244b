"""Readability on prose only: job-board fields, headings and bullet fragments are left out.

Issue 8, acceptance 6. Each line of an advert is metadata, a heading, a bullet fragment or
prose (see the module docstring of ``bias_audit.text.prose``); only prose is scored,
the sentences used are listed, and long-sentence findings are found in every line as before.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.text import prose, prose_words, readability
from bias_audit.text.prose import prose_sentences, split_sentences
from bias_audit.text.readability import analyse_readability, flesch_scores, syllables

M, H, F, P = "metadata", "heading", "list_fragment", None


def reason(line: str) -> str | None:
    (only,) = prose.classify_lines(line)
    return only[0]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # job-board fields: known labels with or without a colon, label: value, | fields
        ("Grade: Band 3", M),
        ("Band: 3", M),
        ("Band 3", M),
        ("AfC Band 3", M),
        ("Contract: Permanent", M),
        ("Salary: £24,071 to £25,674 a year pro rata", M),
        ("Salary £24,071 - £25,674 per annum", M),
        ("Closing date: 12 March 2026", M),
        ("Closing date 12/03/2026", M),
        ("Job reference 123-ABC-4567", M),
        ("Job reference: 123-ABC-4567", M),
        ("Working pattern: Full time, part time, flexible working", M),
        ("Staff group: Additional Clinical Services", M),
        ("Interview date: 20 March 2026.", M),  # a known label keeps even a full stop
        ("Essential: NVQ Level 3 in Health and Social Care", M),  # short label: value
        ("AfC Band 3 | Ward 7 (Acute Medicine) | Full time, 37.5 hours", M),
        ("- Location: St Mary's Hospital", M),
        # headings: short, no full stop, no verb; ALL CAPS; short with a colon
        ("About the role", H),
        ("Person specification", H),
        ("Main duties and responsibilities", H),
        ("What you will do", H),  # starts like a heading though it has a verb
        ("About you", H),
        ("IMPORTANT PLEASE READ", H),
        ("JOB PURPOSE AND SUMMARY OF THE ROLE", H),
        ("Duties include:", H),
        ("Essential", H),
        # bullet items: a sentence only if it is one
        ("- Full UK driving licence", F),
        ("• GCSE English and maths at grade C or above", F),
        ("- Care Certificate", F),
        ("- Ability to communicate clearly", F),
        # list items without a bullet marker (Word tables, stripped bullets) likewise
        ("A degree in a health-related subject", F),
        ("Able to record observations accurately", F),
        ("Experience of caring for people with dementia, paid or unpaid", F),
        ("Care Certificate, or willing to complete it when you start", P),
        ("Senior Healthcare Support Worker, Band 3, Ward 12 (Elderly Care)", H),
        ("Care Assistants needed in Clacton", F),  # a title, but not Title Case: left out
        ("- Help patients to wash and dress", P),  # starts with a duty verb
        ("- Record fluid charts", P),
        ("- You will work closely with the nurse in charge", P),  # has a pronoun and modal
        ("- Good communication skills.", P),  # ends with a full stop
        # prose
        ("We care.", P),
        ("We want you to feel welcome", P),  # no full stop, but a clause
        ("Salary is paid monthly into your bank account.", P),  # not the field "Salary"
        ("Band 3 posts are open to people with no experience.", P),
        ("Contact us if you have any questions about the role.", P),
        ("You will help patients to wash, dress and eat, and keep them safe on the ward", P),
    ],
)
def test_each_line_is_classified(line, expected):
    assert reason(line) == expected


@pytest.mark.parametrize(
    ("text", "reasons"),
    [
        # NHS Jobs writes each label on its own line and the value on the next.
        ("- Grade\n- Band 3\n- Contract\n- Permanent", [M, M, M, M]),
        ("Salary\n£24,937 - £26,598 per annum / pro rata\nClosing\n09/09/2025 23:59", [M] * 4),
        ("Employer\nNorthern Care Alliance NHS Foundation Trust\nJob overview", [M, M, H]),
        # A full sentence after a label is prose, not the label's value.
        ("Reference\nWe will ask for two references.", [M, P]),
        # Only the line straight after a bare label is its value.
        ("Grade\nBand 3\nPermanent contract", [M, M, H]),  # 2 words, no verb: a heading
    ],
)
def test_a_label_alone_on_its_line_and_its_value(text, reasons):
    assert [reason for reason, _ in prose.classify_lines(text)] == reasons


def test_a_fragment_over_25_words_is_a_long_sentence_and_is_scored():
    item = "- " + " ".join(["Experience"] * 26)
    assert reason(item) is None
    assert len(analyse_readability(item).long_sentences) == 1


NHS_JOBS_LAYOUT = (
    "Healthcare Support Worker\n"
    "Band: Band 3\n"
    "Contract: Permanent\n"
    "Salary: £24,071 to £25,674 a year\n"
    "Closing date: 12 March 2026\n"
    "Job reference: 123-ABC-4567\n"
    "\n"
    "Job overview\n"
    "You will join a friendly team on a busy medical ward. "
    "You will help patients with washing, dressing and eating.\n"
    "\n"
    "Person specification\n"
    "Essential\n"
    "- Care Certificate\n"
    "- Good communication skills\n"
    "- Help patients to move safely\n"
)


def test_nhs_jobs_layout_scores_only_its_prose_by_hand():
    result = analyse_readability(NHS_JOBS_LAYOUT, band=3)
    used = [NHS_JOBS_LAYOUT[s.start : s.end] for s in result.sentences_used]
    assert used == [
        "You will join a friendly team on a busy medical ward.",
        "You will help patients with washing, dressing and eating.",
        "Help patients to move safely",
    ]
    assert dict(result.lines_left_out) == {"metadata": 5, "heading": 4, "list_fragment": 2}
    # Words: 11 + 9 + 5 = 25 in 3 sentences; syllables counted word by word by textstat.
    words = [w for s in used for w in prose_words.WORD.findall(s)]
    assert (result.words, result.sentences) == (len(words), 3) == (25, 3)
    expected = flesch_scores(25, 3, sum(syllables(w.lower()) for w in words))
    assert (result.flesch_reading_ease, result.flesch_kincaid_grade) == expected
    # The old way scored every line: 14 sentences, 11 of them fields, headings, fragments.
    assert len(split_sentences(NHS_JOBS_LAYOUT)) == 14


def test_json_lists_the_sentences_used_and_the_lines_left_out():
    data = json.loads(json.dumps(analyse_readability(NHS_JOBS_LAYOUT).to_dict()))
    assert data["sentences"] == len(data["sentences_used"]) == 3
    first = data["sentences_used"][0]
    assert set(first) == {"start", "end", "words"}
    assert NHS_JOBS_LAYOUT[first["start"] : first["end"]].startswith("You will join")
    assert data["lines_left_out"] == {"metadata": 5, "heading": 4, "list_fragment": 2}


def test_no_prose_is_not_computable_with_the_reason():
    result = analyse_readability("Band 3\nEssential\n- Care Certificate\n- NVQ Level 2")
    assert result.reading_age is None and result.meets_target is None
    assert result.summary == readability.MSG_NO_PROSE.format(lines=4)
    assert dict(result.lines_left_out) == {"metadata": 1, "heading": 1, "list_fragment": 2}


LINES = st.sampled_from(
    [
        "Band 3",
        "About the role",
        "- Care Certificate",
        "- Help patients to wash",
        "We train you.",
        " ".join(["care"] * 30) + ".",
        "Salary: £24,071",
        "You will work with a team of nurses and support workers, and you will be kind, "
        "patient and willing to learn about the many needs of older patients on the ward.",
        "",
    ]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(LINES, max_size=12).map("\n".join))
def test_long_sentences_without_run_ons_are_found_in_every_line_as_before(text):
    expected = [s for s in split_sentences(text) if s.words > prose_words.LONG_SENTENCE_WORDS]
    found = analyse_readability(text).long_sentences
    assert [(f.start, f.end) for f in found] == [(s.start, s.end) for s in expected]
    used, left_out = prose_sentences(text)
    lines_with_words = sum(1 for line in text.split("\n") if prose_words.WORD.search(line))
    # Every line with words is either scored (it has at least one sentence used) or left out.
    scored_lines = {text.count("\n", 0, s.start) for s, _ in used}
    assert len(scored_lines) + sum(left_out.values()) == lines_with_words
