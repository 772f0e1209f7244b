"""Long sentences made by stripped bullets are cut into pieces before their length is judged.

Issue 8, acceptance 6 and 7. Adverts whose bullets were stripped run a list, its heading and
job-board fields into one "sentence"; on the real-advert evaluation those were most of the
wrong long-sentence findings. ``run_on_pieces`` cuts them where a bullet was (see its
docstring); only prose pieces are judged and scored, and real long prose stays one finding.
All example texts are written for these tests.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.text import prose_words, readability
from bias_audit.text.prose import split_sentences
from bias_audit.text.readability import analyse_readability
from bias_audit.text.run_ons import run_on_pieces


def pieces(text: str) -> list[tuple[str, bool]]:
    (sentence,) = split_sentences(text)
    return [(text[p.start : p.end], prose) for p, _, prose in run_on_pieces(text, sentence)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two spaces where bullets were, after a run-in heading ending in a colon
        (
            "Duties include:  Help residents to wash and dress  Keep care records up to date  "
            "Take part in team meetings and training  Answer the phone and greet visitors",
            [
                ("Duties include:", False),
                ("Help residents to wash and dress", True),
                ("Keep care records up to date", True),
                ("Take part in team meetings and training", True),
                ("Answer the phone and greet visitors", True),
            ],
        ),
        # run-in headings ("Your role will include:", "The Candidate:") and capitalised item
        # starts after a lower-case word with no punctuation
        (
            "We are a small family care home in a quiet village Your role will include: "
            "Helping residents with meals Keeping rooms tidy The Candidate: Must hold a "
            "driving licence Must be able to work weekends",
            [
                ("We are a small family care home in a quiet village", True),
                ("Your role will include:", False),
                ("Helping residents with meals Keeping rooms tidy", False),
                ("The Candidate:", False),
                ("Must hold a driving licence", True),
                ("Must be able to work weekends", True),
            ],
        ),
        # a heading in capitals run in between two sentences
        (
            "We have room for you in our friendly team KEY DUTIES To help residents with "
            "their daily routines and to keep clear records of the care given to each person "
            "living in the home.",
            [
                ("We have room for you in our friendly team", True),
                ("KEY DUTIES", False),
                (
                    "To help residents with their daily routines and to keep clear records of "
                    "the care given to each person living in the home.",
                    True,
                ),
            ],
        ),
        # semicolons before capitals separate list items
        (
            "Working with the project team on test plans; Supporting code reviews with senior "
            "staff; Writing clear user guides for new systems; Keeping the issue log up to date "
            "every week",
            [
                ("Working with the project team on test plans;", False),
                ("Supporting code reviews with senior staff;", False),
                ("Writing clear user guides for new systems;", False),
                ("Keeping the issue log up to date every week", False),
            ],
        ),
        # round bullets inside the line are cut out
        (
            "Benefits • Free parking on site • Paid breaks and a yearly bonus • Free meals on "
            "every shift • A pension with a generous employer share and life cover",
            [
                ("Benefits", False),
                ("Free parking on site", False),
                ("Paid breaks and a yearly bonus", False),
                ("Free meals on every shift", False),
                ("A pension with a generous employer share and life cover", False),
            ],
        ),
        # a person-specification item keeps the run-on's full stop but is not prose
        (
            "You will be part of a kind team Ability to explain care plans clearly to patients, "
            "their families and other staff in person and in writing.",
            [
                ("You will be part of a kind team", True),
                (
                    "Ability to explain care plans clearly to patients, their families and "
                    "other staff in person and in writing.",
                    False,
                ),
            ],
        ),
        # a line of job-board fields: starts with a field label, no verb, no full stop
        (
            "Employer Hilltop Hospitals NHS Trust Site Riverside General Hospital Town Newbury "
            "Salary £24,000 to £26,000 a year pro rata Contract Permanent Staff group Nursing",
            [
                (
                    "Employer Hilltop Hospitals NHS Trust Site Riverside General Hospital Town "
                    "Newbury Salary £24,000 to £26,000 a year pro rata Contract Permanent Staff "
                    "group Nursing",
                    False,
                ),
            ],
        ),
    ],
)
def test_run_ons_are_cut_where_bullets_were(text, expected):
    assert pieces(text) == expected
    (sentence,) = split_sentences(text)
    assert sentence.words > prose_words.LONG_SENTENCE_WORDS  # each one used to be a finding
    found = analyse_readability(text).long_sentences
    assert found == ()


REAL_PROSE = [
    "If you have cared for a relative or a friend, or helped out in your community, you "
    "already have many of the skills we look for, and we will give you all the training you "
    "need to start.",
    "Our trust runs three hospitals and more than twenty community clinics across the county, "
    "and we employ over nine thousand staff who care for half a million people every year, "
    "from newborn babies to people at the end of their lives.",
    # a list written into the sentence after a colon
    "We offer a range of contracts to suit you, including: Permanent, Fixed Term, Bank and "
    "part-time posts, with flexible working for carers and for parents of young children.",
    # proper nouns after function words
    "Applicants who live in Oxford or Banbury can travel to the Royal Hospital by the free "
    "shuttle bus that runs every twenty minutes from the station, and staff parking is also "
    "available at the Park and Ride.",
    # "I" after a lower-case word starts no item
    "When I started here as a support worker I had never worked in a hospital, but my team "
    "showed me everything and I now train new starters in the same way every month.",
    # two spaces after a function word, and a one-word last piece, are not bullets
    "You will be based on  Willow Ward and you will work with nurses, doctors and therapists "
    "to give safe and kind care to older people who are recovering from an illness on  CCU.",
    # a team name starting with an item-start word, after a preposition
    "You will join our community team within Working Age Adults services, visiting people "
    "in their own homes and helping them to stay well, safe and connected to the people "
    "they love.",
    # a capitalised name in the middle of a sentence
    "Sherwood Lodge has four wards for older people and a day unit where patients who are "
    "recovering from a stroke or a fall come for therapy before they go back home.",
]


@pytest.mark.parametrize("text", REAL_PROSE)
def test_real_long_prose_is_still_one_finding(text):
    (sentence,) = split_sentences(text)
    assert sentence.words > prose_words.LONG_SENTENCE_WORDS
    assert [(p.start, p.end, prose) for p, _, prose in run_on_pieces(text, sentence)] == [
        (sentence.start, sentence.end, True)
    ]
    (finding,) = analyse_readability(text).long_sentences
    assert (finding.start, finding.end) == (sentence.start, sentence.end)
    assert finding.text == text


def test_a_run_on_keeps_its_long_prose_piece_as_the_finding():
    prose = (
        "As a ward helper you will make sure that every patient has fresh water, a clean "
        "bed and a hot meal, and you will let the nurses know at once if anyone seems unwell "
        "or upset."
    )
    text = "Ward Helper  Band 2 The role: " + prose
    (finding,) = analyse_readability(text).long_sentences
    assert finding.text == prose
    assert finding.explanation == readability.MSG_LONG_SENTENCE.format(words=36, limit=25)


def test_pieces_are_scored_and_fragments_are_left_out():
    text = (
        "We are a small family care home in a quiet village Your role will include: "
        "Helping residents with meals Keeping rooms tidy The Candidate: Must hold a "
        "driving licence Must be able to work weekends"
    )
    result = analyse_readability(text)
    used = [text[s.start : s.end] for s in result.sentences_used]
    assert used == [
        "We are a small family care home in a quiet village",
        "Must hold a driving licence",
        "Must be able to work weekends",
    ]
    assert (result.words, result.sentences) == (11 + 5 + 6, 3)
    # A line of list items only is a list fragment.
    items = "Free parking on site  Paid breaks and a bonus  Free meals on every shift  " * 2
    assert dict(analyse_readability(items.strip()).lines_left_out)["list_fragment"] == 1


WORDS = st.sampled_from(["care", "help", "the", "ward", "team", "and", "patients", "to"])


@settings(max_examples=40, deadline=None)
@given(st.lists(WORDS, min_size=26, max_size=60).map(" ".join))
def test_lower_case_prose_is_never_cut(text):
    (sentence,) = split_sentences(text)
    assert [(p.start, p.end) for p, _, _ in run_on_pieces(text, sentence)] == [
        (sentence.start, sentence.end)
    ]


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="Ab c:;•.\n ", max_size=200))
def test_pieces_lie_inside_their_sentence_in_order(text):
    for sentence in split_sentences(text):
        found = run_on_pieces(text, sentence)
        ends = [sentence.start]
        for piece, words, _ in found:
            assert ends[-1] <= piece.start < piece.end <= sentence.end
            assert piece.words == len(words) > 0
            ends.append(piece.end)
    for finding in analyse_readability(text).long_sentences:
        assert text[finding.start : finding.end] == finding.text
