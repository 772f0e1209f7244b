"""The offline pipeline: no network, case-insensitive lemmas, line and bullet sentence breaks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_socket import SocketBlockedError, disable_socket, enable_socket

from bias_audit.text import pipeline


@pytest.fixture
def no_network():
    disable_socket()
    try:
        yield
    finally:
        enable_socket()


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_sockets_really_are_blocked(no_network):
    import socket

    with pytest.raises(SocketBlockedError):
        socket.socket()


def test_builds_and_runs_with_no_network(no_network):
    # Build afresh (bypassing the per-process caches, which other tests share).
    assert len(pipeline.load_lemma_table.__wrapped__()) > 40000
    nlp = pipeline.get_pipeline.__wrapped__()
    assert nlp.pipe_names == ["bias_audit_sentences", "bias_audit_lemmatizer"]
    doc = nlp("Nurses lead teams.")
    assert [t.lemma_ for t in doc] == ["nurse", "lead", "team", "."]


def test_built_once_per_process():
    assert pipeline.get_pipeline() is pipeline.get_pipeline()


def test_no_trained_components_are_required():
    nlp = pipeline.get_pipeline()
    assert nlp.meta["name"] != "core_web_sm"
    assert not {"tagger", "parser", "ner", "morphologizer"} & set(nlp.pipe_names)


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("Leaders", "leader"),
        ("LEADERS", "leader"),
        ("leaders", "leader"),
        ("Analysing", "analyse"),
        ("Organised", "organise"),
        ("teams", "team"),
        ("Was", "be"),
        ("HCSW", "hcsw"),  # unknown words lemmatise to their lower-case form
    ],
)
def test_lemmas_are_case_insensitive(word, lemma):
    (token,) = pipeline.get_pipeline()(word)
    assert token.lemma_ == lemma


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Key duties\nWash patients\nMake beds", ["Key duties", "Wash patients", "Make beds"]),
        ("Skills:\n\n- caring\n- kind", ["Skills:", "- caring", "- kind"]),
        ("• caring • kind", ["• caring", "• kind"]),
        ('He said "Stop." Then left.', ['He said "Stop."', "Then left."]),
        ("Hello.\nWorld", ["Hello.", "World"]),
        ("Wait!!! Go? Now", ["Wait!!!", "Go?", "Now"]),
        ("See e.g. this list.", ["See e.g. this list."]),
        ("Hello. • item", ["Hello.", "• item"]),
        ("\n\nStarts late", ["Starts late"]),
        ("A.\n\n  B", ["A.", "B"]),
    ],
)
def test_newlines_and_bullets_start_sentences(text, sentences):
    doc = pipeline.get_pipeline()(text)
    assert [s.text.strip() for s in doc.sents if s.text.strip()] == sentences
    assert all(not s[0].is_space for s in doc.sents if s.start > 0)


def test_lemma_table_is_the_vendored_one():
    table = pipeline.load_lemma_table()
    assert len(table) == 41582
    assert table["nurses"] == "nurse"


@pytest.mark.parametrize(
    ("word", "is_word"),
    [("HAVE", True), ("Titles", True), ("care", True), ("HCSW", False), ("XQZ", False)],
)
def test_english_word_flag_for_telling_shouting_from_acronyms(word, is_word):
    (token,) = pipeline.get_pipeline()(word)
    assert token._.is_english_word is is_word


@pytest.mark.parametrize("text", ["", "a", "  Two  spaces\n\n• bullet\t tab ", "Ünïcödé – ok"])
def test_doc_text_is_the_analysed_string(text):
    nlp = pipeline.get_pipeline()
    doc = nlp(text)
    assert pipeline.doc_text(doc) == doc.text == text
    plain = nlp.make_doc(text)
    plain.user_data.clear()  # a Doc from elsewhere falls back to rebuilding the text
    assert pipeline.doc_text(plain) == text


@pytest.mark.filterwarnings("ignore:.*W102")  # spaCy drops (and mentions) the stored strings
def test_doc_text_of_a_doc_joined_from_others_is_its_own():
    from spacy.tokens import Doc

    nlp = pipeline.get_pipeline()
    joined = Doc.from_docs([nlp("First part."), nlp("Second part.")])
    assert pipeline.doc_text(joined) == joined.text


def test_pipeline_registers_every_extension_lexicon_patterns_may_use():
    from spacy.tokens import Token

    from bias_audit.lexicon_schema import PIPELINE_EXTENSIONS

    pipeline.get_pipeline()
    assert PIPELINE_EXTENSIONS and all(Token.has_extension(name) for name in PIPELINE_EXTENSIONS)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["Nurses", "CARING", "ran", "Qzxv", "care", "é"]) | st.text(max_size=6),
            max_size=12,
        ).map(" ".join),
        min_size=1,
        max_size=3,
    )
)
def test_lemmas_are_the_table_lemma_of_the_lower_case_form(texts):
    # lemmas come from arrays remembered across texts; new words and seen ones alike must
    # get the table's lemma of their lower-case form (the word itself when not listed)
    nlp = pipeline.get_pipeline()
    table = pipeline.load_lemma_table()
    for text in texts:
        doc = nlp(text)
        assert [t.lemma_ for t in doc] == [table.get(t.lower_, t.lower_) for t in doc]
