"""Acronyms: explained anywhere is fine; shouting, references and spam notes are not acronyms;
one finding per acronym with its other uses; words in capitals count in lists of systems."""

from __future__ import annotations

import pytest
from analysers import wording_findings
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.lexicon import load_lexicon
from bias_audit.text import acronyms
from bias_audit.text.matching import match_categories
from bias_audit.text.pipeline import get_pipeline
from bias_audit.types import Finding, Severity

LEXICON = load_lexicon()


def jargon(text: str) -> list[Finding]:
    return [f for f in wording_findings(get_pipeline()(text), LEXICON) if f.category == "jargon"]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # explained, in either order, with or without brackets, anywhere in the advert
        ("Record NEWS 2 (early warning score) every four hours.", []),
        ("Record the National Early Warning Score (NEWS2). Escalate a high NEWS 2.", []),
        ("Escalate a high NEWS 2. Later: National Early Warning Score (NEWS2).", []),
        ("Use the early warning score - NEWS - on every patient.", []),
        ("Use the early warning score – NEWS2.", []),
        ("HCA: healthcare assistant. HCAs work shifts.", []),
        ("PALS stands for Patient Advice and Liaison Service.", []),
        ("Submit ward forms to the QRB (Quality Review Board) weekly.", []),
        ("Submit ward forms to the QRB (our weekly meeting).", ["QRB"]),
        ("The MDT (we meet daily at ten) plans care.", ["MDT"]),
        # a name in full anywhere gives a 3+ letter acronym its meaning, brackets or not
        ("Rother and Wold Hospitals NHS Trust. Join the RWH team on the ward.", []),
        ("Join the RWH team on the ward.", ["RWH"]),
        # not explained: a gloss about something else
        ("Join the MDT (we meet daily).", ["MDT"]),
        ("MDT - meets daily on the ward.", ["MDT"]),
        ("Record NEWS2 (every four hours).", ["NEWS2"]),
        ("The Quality team (XQAU) audits wards.", ["XQAU"]),
        # common English words in capitals are not acronyms
        ("IMPORTANT PLEASE READ before you apply.", []),
        ("IMPORTANT PLEASE READ: emails come from our system.", []),
        ("Please check your Junk and SPAM folders.", []),
        ("Please check your JUNK/SPAM folder regularly.", []),
        ("Emails from TRAC may land in your spam folder.", []),
        ("RESPONSIBLE TO: Ward Manager", []),
        ("If you have not heard within 14 days YOUR APPLICATION HAS BEEN UNSUCCESSFUL.", []),
        ("SKILLS, KNOWLEDGE & QUALIFICATIONS required for the post", []),
        ("The work is URGENT and SPECIAL.", []),
        # reference numbers and job references
        ("Please quote 123-ABC-4567 on your form.", []),
        ("REF: C9-4567", []),
        ("Ref: AA/Clacton", []),
        ("Job reference XJQ 1234", []),
        ("Salary: 9.50 tips Ref 2001CW", []),
        ("Bring photo ID and your PVG form to the ward.", ["PVG"]),
        # a capitalised run with one everyday word is still an acronym
        ("ESR TRAINING is given in week one.", ["ESR"]),
        # acronyms that are also words, in a list of systems
        ("On the ward you will use CLIP, ICE comms and the rota.", ["CLIP", "ICE"]),
        ("Ward systems: SPINE / CLIP.", ["SPINE", "CLIP"]),
        ("A nice clip of ICE and a CLIP on the ward wall.", []),
    ],
)
def test_what_counts_as_an_unexplained_acronym(text, flagged):
    assert [f.text for f in jargon(text)] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Front End Developer: CSS/HTML and PHP, UML.", []),
        ("Front End Developer for our hospital wards: CSS/HTML.", ["CSS", "HTML"]),
        ("Senior analyst: ITIL and SLA. You will work with the MDT.", ["MDT"]),  # named entry
    ],
)
def test_the_catch_all_rule_applies_to_health_and_care_adverts_only(text, flagged):
    assert [f.text for f in jargon(text)] == flagged


def test_one_finding_per_acronym_with_its_other_uses():
    text = "The MDT meets daily. Ask the MDT. MDTs plan care. The MDT, the MDT."
    (finding,) = jargon(text)
    starts = [i for i in range(len(text)) if text.startswith("MDT", i)]
    assert (finding.start, finding.text) == (starts[0], "MDT")
    assert finding.occurrences == tuple(
        (s, s + 4 if text[s + 3] == "s" else s + 3) for s in starts[1:]
    )
    assert finding.uses == 5
    assert all(text[s:e].startswith("MDT") for s, e in finding.occurrences)
    assert finding.to_dict()["occurrences"][0] == {"start": starts[1], "end": starts[1] + 3}


def test_forms_of_one_acronym_are_one_finding_and_different_acronyms_are_two():
    text = "Patients' NEWS2 scores. A NEWS 2 above 5. The XQZ team and the XQZ rota. The QJW."
    assert "patients" in text.lower()  # the catch-all acronym rule needs a care context
    found = [(f.rule_id, f.text, f.uses) for f in jargon(text)]
    assert found == [
        ("jargon-news2", "NEWS2", 2),
        ("jargon-generic-acronym", "XQZ", 2),
        ("jargon-generic-acronym", "QJW", 1),
    ]


def test_a_finding_without_other_uses_serialises_an_empty_list():
    finding = Finding("r", "jargon", Severity.LOW, 0, 3, "MDT", "why", (), "src")
    assert finding.uses == 1
    assert finding.to_dict()["occurrences"] == []


@pytest.mark.parametrize(
    ("word", "everyday"),
    [
        ("IMPORTANT", True),  # not in the lemma table (no inflections); in CMUdict
        ("SPAM", True),
        ("UNSUCCESSFUL", True),
        ("CLIP", True),
        ("HTML", False),  # CMUdict says it letter by letter
        ("MTV", False),
        ("PA", False),  # short CMUdict entries are names or interjections
        ("MDT", False),
        ("ESR", False),
    ],
)
def test_everyday_words_are_told_from_acronyms(word, everyday):
    assert acronyms.is_everyday_word(word) is everyday


@pytest.mark.parametrize(
    ("acronym", "key"),
    [("NEWS 2", "NEWS2"), ("NEWS2", "NEWS2"), ("HCAs", "HCA"), ("PALS", "PALS"), ("AfC", "AFC")],
)
def test_acronym_key_joins_the_forms_of_one_acronym(acronym, key):
    assert acronyms.acronym_key(acronym) == key


LETTERS = st.text(alphabet="BCDFGHJKLMNPQRSTVWXZ", min_size=3, max_size=4)


@settings(max_examples=40, deadline=None)
@given(acronym=LETTERS, uses=st.integers(min_value=1, max_value=5))
def test_an_unknown_acronym_is_one_finding_however_often_it_is_used(acronym, uses):
    text = " ".join(f"Ask the {acronym} team on the ward." for _ in range(uses))
    found = [f for f in jargon(text) if f.rule_id == "jargon-generic-acronym"]
    if acronyms.is_everyday_word(acronym):
        return  # a consonant cluster CMUdict knows as a word: not an acronym outside lists
    doc = get_pipeline()(text)
    if any(
        f.text == acronym and f.rule_id != "jargon-generic-acronym"
        for f in match_categories(doc, LEXICON, categories=LEXICON.categories)
    ):
        return  # an acronym another rule names ("NVQ", a qualification): not unknown
    assert len(found) == 1
    assert found[0].uses == uses
    assert all(text[s:e] == acronym for s, e in found[0].occurrences)


@settings(max_examples=40, deadline=None)
@given(acronym=LETTERS)
def test_a_spelt_out_acronym_is_never_flagged(acronym):
    words = {
        "B": "Blue",
        "C": "Care",
        "D": "Day",
        "F": "Family",
        "G": "Ground",
        "H": "Health",
        "J": "Joint",
        "K": "Key",
        "L": "Local",
        "M": "Medical",
        "N": "North",
        "P": "Patient",
        "Q": "Quality",
        "R": "Rapid",
        "S": "Safety",
        "T": "Team",
        "V": "Visiting",
        "W": "Ward",
        "X": "Xray",
        "Z": "Zone",
    }
    expansion = " ".join(words[letter] for letter in acronym)
    for text in (
        f"The {expansion} ({acronym}) meets. The {acronym} helps.",
        f"The {acronym} ({expansion}) meets. The {acronym} helps.",
    ):
        assert [f.text for f in jargon(text) if f.rule_id == "jargon-generic-acronym"] == []
