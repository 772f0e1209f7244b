"""Readability: Flesch scores, UK reading age, long sentences as findings; offline."""

import pytest
import textstat
from hypothesis import given
from hypothesis import strategies as st
from pytest_socket import disable_socket, enable_socket

from bias_audit.text import prose_words, readability
from bias_audit.text.prose import split_sentences
from bias_audit.text.readability import analyse_readability, target_for_band

LONG = " ".join(["word"] * 26) + "."  # 26 one-syllable words


@pytest.fixture
def no_network():
    disable_socket()
    yield
    enable_socket()


def test_scores_work_with_the_network_switched_off(no_network):
    result = analyse_readability("You will help patients wash. We train you fully.", band=2)
    assert result.flesch_reading_ease is not None
    assert result.reading_age == pytest.approx(result.flesch_kincaid_grade + 5)


def test_scores_match_textstat_where_both_count_sentences_alike():
    text = "- Help patients to wash and dress\n- Record fluid charts\nWe give full training."
    result = analyse_readability(text)
    scored = "Help patients to wash and dress. Record fluid charts. We give full training."
    assert result.flesch_reading_ease == pytest.approx(
        textstat.flesch_reading_ease(scored), abs=0.06
    )
    assert result.flesch_kincaid_grade == pytest.approx(
        textstat.flesch_kincaid_grade(scored), abs=0.06
    )
    assert (result.words, result.sentences) == (13, 3)


@pytest.mark.parametrize(
    ("counts", "scores"),
    [
        # 206.835 - 1.015*10 - 84.6*1.3 = 86.705; 0.39*10 + 11.8*1.3 - 15.59 = 3.65
        ((100, 10, 130), (86.7, 3.7)),
        # 206.835 - 1.015*25 - 84.6*1.6 = 46.11; 0.39*25 + 11.8*1.6 - 15.59 = 13.04
        ((50, 2, 80), (46.1, 13.0)),
        # 206.835 - 1.015*5 - 84.6*1.0 = 117.16; 0.39*5 + 11.8 - 15.59 = -1.84
        ((5, 1, 5), (117.2, -1.8)),
    ],
)
def test_flesch_formulas_by_hand(counts, scores):
    assert readability.flesch_scores(*counts) == scores


def test_short_headings_and_fields_are_left_out_of_the_scores():
    # Issue 8: "Band 3" is a job-board field and "Main duties" a heading, so only the one
    # prose sentence (6 words) is scored; before, they counted as two 2-word sentences.
    text = "Band 3\nMain duties\nYou will help patients to wash."
    result = analyse_readability(text)
    assert (result.words, result.sentences) == (6, 1)
    assert dict(result.lines_left_out) == {"metadata": 1, "heading": 1, "list_fragment": 0}
    (used,) = result.sentences_used
    assert text[used.start : used.end] == "You will help patients to wash."


def test_bullets_are_sentence_ends_so_lists_do_not_inflate_the_grade():
    bullets = "\n".join(f"- Help patients with task {i}" for i in range(10))
    as_one = " ".join(f"help patients with task {i}" for i in range(10)) + "."
    listed = analyse_readability(bullets)
    run_on = analyse_readability(as_one)
    assert listed.sentences == 10
    assert listed.reading_age < run_on.reading_age
    assert listed.long_sentences == ()
    assert len(run_on.long_sentences) == 1


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("One two. Three four!", [(0, 8, 2), (9, 20, 2)]),
        ("• First item\n• Second item", [(2, 12, 2), (15, 26, 2)]),
        ("1. Wash\n2) Dress\n", [(3, 7, 1), (11, 16, 1)]),
        ("Dr. Smith", [(0, 3, 1), (4, 9, 1)]),
        ("  \n\n -- \n", []),
        ("Rate £24.50/hour, e.g. shifts", [(0, 22, 4), (23, 29, 1)]),
    ],
)
def test_sentence_spans(text, spans):
    assert [(s.start, s.end, s.words) for s in split_sentences(text)] == spans


@pytest.mark.parametrize(
    ("words", "severity"),
    [(25, None), (26, "low"), (39, "low"), (40, "medium"), (41, "medium")],
)
def test_long_sentence_threshold_and_severity(words, severity):
    text = "Intro line.\n" + " ".join(["care"] * words) + "."
    found = analyse_readability(text).long_sentences
    if severity is None:
        assert found == ()
    else:
        (finding,) = found
        assert str(finding.severity) == severity
        assert finding.category == "readability"
        assert finding.rule_id == readability.RULE_LONG_SENTENCE
        assert text[finding.start : finding.end] == finding.text
        assert finding.start == len("Intro line.\n")
        assert finding.explanation == readability.MSG_LONG_SENTENCE.format(words=words, limit=25)


@pytest.mark.parametrize(
    ("band", "target"),
    [(None, (9, 11)), (1, (9, 11)), (2, (9, 11)), (4, (9, 11)), (5, (11, 14)), (8, (11, 14))],
)
def test_reading_age_target_by_band(band, target):
    assert target_for_band(band) == target


def test_summary_names_the_method_and_target():
    result = analyse_readability(LONG, band=3)
    assert result.summary == readability.MSG_TARGET.format(
        age=result.reading_age,
        grade=result.flesch_kincaid_grade,
        who="Band 3",
        low=9,
        high=11,
    )
    assert result.to_dict()["reading_age_method"] == "Flesch–Kincaid grade + 5"


def test_text_without_words_is_not_computable_rather_than_zero():
    result = analyse_readability("🙂 — …")
    assert result.reading_age is None
    assert result.flesch_reading_ease is None
    assert result.meets_target is None
    assert result.summary == readability.MSG_NOT_COMPUTABLE


def test_plain_short_sentences_meet_the_band_3_target_and_jargon_does_not():
    plain = analyse_readability("You will help people to wash. You will make beds.", band=3)
    dense = analyse_readability(
        "Responsible for multidisciplinary interdepartmental communication, documentation "
        "and organisational governance accountability.",
        band=3,
    )
    assert plain.meets_target is True
    assert dense.meets_target is False


@given(st.text(max_size=300))
def test_any_text_gives_offsets_that_point_at_the_sentence(text):
    for finding in analyse_readability(text).long_sentences:
        assert text[finding.start : finding.end] == finding.text


def test_first_use_in_a_fresh_process_needs_no_network():
    # A fresh interpreter, so textstat and its CMU dictionary load with sockets already off.
    import subprocess
    import sys

    code = (
        "from pytest_socket import disable_socket; disable_socket()\n"
        "from bias_audit.text.readability import analyse_readability\n"
        "print(analyse_readability('You help patients to wash. We train you.').reading_age)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 9


def test_labels_are_ascii_so_a_first_letters_test_can_skip_lines() -> None:
    # The line classifier skips the label patterns when a line's first three characters are
    # ASCII and, lower-cased, start no label; that holds only while every label is ASCII.
    assert all(label.isascii() for label in prose_words.METADATA_LABELS)
    assert {"gra", "sal", "pay"} <= prose_words.LABEL_HEADS  # "Grade", "Salary", "Pay"
    assert "zzz" not in prose_words.LABEL_HEADS
