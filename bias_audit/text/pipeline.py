"""The offline spaCy pipeline every text analyser shares.

Trained English pipelines are not published on PyPI, so the default is ``spacy.blank("en")``
plus two small components that need no model and no network:

1. ``bias_audit_sentences``: spaCy's ``sentencizer`` rule (end punctuation), and since
   adverts are bullet lists and headings more than prose, a newline or a bullet character
   also starts a sentence;
2. ``bias_audit_lemmatizer``: a lookup lemmatiser over the vendored English table from
   ``spacy-lookups-data`` (``data/en_lemma_lookup.json.gz``, MIT/WordNet). spaCy's own lookup
   lemmatiser looks words up by their exact text, so "Leaders" would stay "Leaders"; this one
   looks up the lower-case form, so lemmas are case-insensitive.

Lexicon patterns may therefore use tokenizer attributes (``LOWER``, ``ORTH``, ``IS_*``, …),
``IS_SENT_START`` and ``LEMMA`` — nothing a trained model would add (POS, TAG, DEP, MORPH,
ENT_TYPE) — plus the custom ``_.is_english_word`` flag (the lists are
:data:`bias_audit.lexicon_schema.PIPELINE_TOKEN_ATTRIBUTES` and ``PIPELINE_EXTENSIONS``, which the
loader checks patterns against). ``en_core_web_sm`` is never
required.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LEMMA, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

LEMMA_TABLE_PATH = files("bias_audit").joinpath("data/en_lemma_lookup.json.gz")
#: Distinct words whose lemma the lemmatiser remembers (bounded, for long-running apps).
LEMMA_MEMO_LIMIT = 500_000
#: Where the pipeline's tokenizer keeps the analysed string (``doc.user_data``).
TEXT_KEY = "bias_audit.text"

# Bullet glyphs. PDF and docx conversion often runs a list onto one line ("• a • b"), so a
# glyph starts a sentence wherever it stands; plain hyphens only count after a newline,
# which the newline rule already covers.
BULLET_CHARACTERS = frozenset("•◦▪▫●○■□‣⁃∙·✓✔➢➤►")


@lru_cache(maxsize=1)
def load_lemma_table() -> dict[str, str]:
    """Return the vendored English lemma lookup table (lower-case form -> lemma).

    Examples
    --------
    >>> load_lemma_table()["nurses"]
    'nurse'
    """
    with gzip.open(LEMMA_TABLE_PATH, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every word form and lemma in the vendored lemma table (about 67,000 words)."""
    table = load_lemma_table()
    return frozenset(table) | frozenset(table.values())


def _is_english_word(token: Token) -> bool:
    return token.lower_ in english_words()


if not Token.has_extension("is_english_word"):
    Token.set_extension("is_english_word", getter=_is_english_word)


@Language.component("bias_audit_sentences")
def _sentences(doc: Doc) -> Doc:
    """Split sentences at end punctuation, newlines and bullet glyphs.

    The punctuation rule is spaCy's ``sentencizer``: after a run of ``.``, ``!``, ``?`` (or
    their equivalents in other scripts) and any closing punctuation, the next word starts a
    sentence. Adverts are mostly headings and bullet lists, so the first word after a
    newline and every bullet glyph also start one. Whitespace tokens never start a sentence.
    The work is done with numpy on token arrays rather than on Token objects: this runs on
    every text, and creating a Token per word would cost about as much as tokenising.
    """
    if not len(doc):
        return doc
    table = doc.to_array([ORTH, IS_PUNCT, IS_SPACE, IDX])
    orths, spaces = table[:, 0], table[:, 2].astype(bool)
    bullets = in_sorted(orths, _BULLET_HASHES)
    ends = in_sorted(orths, _SENTENCE_END_HASHES) & ~bullets & ~spaces
    words = ~(bullets | spaces | ends | table[:, 1].astype(bool))
    # A word starts a sentence when the last bullet, end mark or word before it (spaces and
    # other punctuation do not count) was an end mark; a bullet always starts one.
    events = numpy.flatnonzero(bullets | ends | words)
    after_end = numpy.concatenate(([False], ends[events][:-1]))
    starts = bullets.copy()
    starts[events[words[events] & after_end]] = True
    # The first token that is not white space after each newline starts a sentence too.
    newline_ends = [newline.end() for newline in _NEWLINE.finditer(doc_text(doc))]
    if newline_ends:
        following = numpy.searchsorted(table[:, 3].astype("int64"), newline_ends)
        solid = numpy.flatnonzero(~spaces)
        first_solid = numpy.searchsorted(solid, following)
        starts[solid[first_solid[first_solid < len(solid)]]] = True
    starts[0] = True
    column = numpy.where(starts, 1, -1).astype("int64").astype("uint64")
    doc.from_array([SENT_START], column.reshape(-1, 1))
    return doc


def in_sorted(values: numpy.ndarray, wanted: numpy.ndarray) -> numpy.ndarray:
    """``numpy.isin(values, wanted)`` for a sorted, non-empty array of distinct values.

    A binary search per value, without ``isin``'s set-up cost, which on a few hundred
    tokens is most of its time.

    >>> in_sorted(numpy.array([3, 1, 7, 4]), numpy.array([1, 4, 9])).tolist()
    [False, True, False, True]
    """
    return wanted[numpy.searchsorted(wanted, values) % len(wanted)] == values


_NEWLINE = re.compile("\n")
_BULLET_HASHES = numpy.array(
    sorted({get_string_id(ch) for ch in BULLET_CHARACTERS}), dtype="uint64"
)
_SENTENCE_END_HASHES = numpy.array(
    sorted({get_string_id(ch) for ch in Sentencizer.default_punct_chars}), dtype="uint64"
)


@Language.factory("bias_audit_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> LowerCaseLemmatizer:
    return LowerCaseLemmatizer(nlp.vocab)


class LowerCaseLemmatizer:
    """Set each token's lemma from the lookup table, keyed by its lower-case form.

    The lemmas of the words seen so far are kept as two arrays (lower-case hashes, sorted,
    and their lemma hashes), so one binary search per token finds them and they are written
    back as one array; the component costs a fraction of tokenisation. Words not seen
    before wait in a small table of their own, merged into the main one when it reaches an
    eighth of its size, so a new word costs no copy of the main table.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.strings = vocab.strings
        self.memo: dict[int, int] = {}  # lower-case hash -> lemma hash
        self.lock = threading.Lock()
        empty = (numpy.zeros(0, "uint64"), numpy.zeros(0, "uint64"))
        self.main = self.recent = empty  # each (sorted lower-case hashes, lemma hashes)

    def __call__(self, doc: Doc) -> Doc:
        lowers = doc.to_array(LOWER)
        lemmas, missing = _look_up(self.main, lowers)
        if missing.any():
            lemmas[missing] = self._recent_lemmas(lowers[missing])
        doc.from_array([LEMMA], lemmas.astype(lowers.dtype).reshape(-1, 1))
        return doc

    def _recent_lemmas(self, lowers: numpy.ndarray) -> numpy.ndarray:
        with self.lock:
            lemmas, missing = _look_up(self.recent, lowers)
            if not missing.any():
                return lemmas
            new = numpy.unique(lowers[missing])
            found = numpy.asarray([self._lemma(h) for h in new.tolist()], dtype="uint64")
            keys, values = self.recent
            at = keys.searchsorted(new)
            self.recent = (numpy.insert(keys, at, new), numpy.insert(values, at, found))
            lemmas, _ = _look_up(self.recent, lowers)
            main_keys, main_values = self.main
            if len(main_keys) + len(self.recent[0]) > LEMMA_MEMO_LIMIT:
                self.main = self.recent
                self.recent = (main_keys[:0], main_values[:0])
            elif len(self.recent[0]) * 8 > len(main_keys):
                keys = numpy.concatenate((main_keys, self.recent[0]))
                order = keys.argsort(kind="stable")
                self.main = (keys[order], numpy.concatenate((main_values, self.recent[1]))[order])
                self.recent = (main_keys[:0], main_values[:0])
            return lemmas

    def _lemma(self, lower_hash: int) -> int:
        lemma = self.memo.get(lower_hash)
        if lemma is not None:
            return lemma
        lower = self.strings[lower_hash]
        lemma = self.strings.add(load_lemma_table().get(lower, lower))
        if len(self.memo) < LEMMA_MEMO_LIMIT:
            self.memo[lower_hash] = lemma
        return lemma


def _look_up(
    known: tuple[numpy.ndarray, numpy.ndarray], keys: numpy.ndarray
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The values of ``keys`` in ``known`` (sorted keys, their values; one-dimensional), and
    which keys are not there (their values are then arbitrary).

    >>> values, missing = _look_up((numpy.array([2, 5]), numpy.array([20, 50])),
    ...                            numpy.array([5, 3, 2]))
    >>> values[~missing].tolist(), missing.tolist()
    ([50, 20], [False, True, False])
    """
    sorted_keys, values = known
    if not len(sorted_keys):
        return numpy.zeros(len(keys), values.dtype), numpy.ones(len(keys), bool)
    at = numpy.minimum(sorted_keys.searchsorted(keys), len(sorted_keys) - 1)
    return values[at], sorted_keys[at] != keys


def doc_text(doc: Doc) -> str:
    """Return ``doc.text``, cheaply when the Doc came from :func:`get_pipeline`.

    ``Doc.text`` rebuilds the string from every token, which costs about as much as
    tokenising; the pipeline's tokenizer keeps the original string (identical, because
    spaCy's tokenisation is lossless) in ``doc.user_data``.
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None or not len(doc):
        return doc.text
    # a Doc built from others (Doc.from_docs, copies) may carry another Doc's string
    last = doc[-1]
    return text if len(text) == last.idx + len(last.text_with_ws) else doc.text


class _TextKeepingTokenizer:
    """spaCy's tokenizer, also storing the input string on the Doc (see :func:`doc_text`)."""

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    """Build (once per process) the offline English pipeline used by every text analyser.

    Returns
    -------
    spacy.language.Language
        ``spacy.blank("en")`` with sentence splitting (punctuation, newlines, bullets) and a
        case-insensitive lookup lemmatiser. No network access and no trained model needed.

    Examples
    --------
    >>> doc = get_pipeline()("Leaders WANTED\\n• Caring nurses")
    >>> [t.lemma_ for t in doc if not t.is_space]
    ['leader', 'want', '•', 'care', 'nurse']
    >>> [s.text.strip() for s in doc.sents]
    ['Leaders WANTED', '• Caring nurses']
    """
    nlp = spacy.blank("en")
    nlp.tokenizer = _TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("bias_audit_sentences")
    nlp.add_pipe("bias_audit_lemmatizer")
    load_lemma_table()
    return nlp
