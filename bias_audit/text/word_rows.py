"""The token table's word columns, remembered per distinct word (ORTH hash).

Every token attribute the lexicon engine reads but ``IDX`` belongs to the word (the lexeme), so
rows are read once per new word and looked up per token with one binary search
(:class:`WordRows`). Used by :mod:`bias_audit.text.match_rules` and
:mod:`bias_audit.text.match_tokens`.
"""

from __future__ import annotations

import threading

import numpy
from spacy.attrs import IDS, IDX, ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

#: The token table's column of ``IDX`` (the one column that is not the word's).
IDX_COLUMN = 1


#: Token attributes that are the lexeme's: the same for every token of one word (ORTH).
LEXEME_ATTRIBUTES = frozenset(
    IDS[name]
    for name in (
        "ORTH", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "LENGTH", "IS_ALPHA",
        "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
        "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
    )
)  # fmt: skip


#: Distinct words remembered by the prefix pass before its memo is emptied.
PREFIX_MEMO_LIMIT = 200_000


class WordRows:
    """The token-table columns after ``IDX`` (the lexeme's attributes), per ORTH hash.

    Rows are read from ``Doc.to_array`` (on a Doc of the words not seen before), so they
    are what that call gives. The ORTH hashes are kept sorted, with their rows in the same
    order, so one binary search per token finds them all. New words wait in a small sorted
    table of their own, merged into the main one when it reaches an eighth of its size (so
    a new word costs no copy of the main table); at most :data:`PREFIX_MEMO_LIMIT` words
    are kept.
    """

    def __init__(self, attributes: tuple[int, ...]) -> None:
        if attributes[1] != IDX:
            raise ValueError("the token table's second column must be IDX")
        self.attributes = attributes
        self.lexical = [attributes[0], *attributes[2:]]
        self.lock = threading.Lock()
        self.main = self.recent = self._empty()  # each (sorted ORTH hashes, their rows)
        self.vocab: Vocab | None = None  # the vocabulary the rows are read from

    def serves(self, doc: Doc) -> bool:
        """Whether rows of ``doc``'s words may come from here: the first Doc's vocabulary
        (a word's attributes are its lexeme's, which belongs to a vocabulary)."""
        if self.vocab is None:
            self.vocab = doc.vocab
        return doc.vocab is self.vocab

    def _empty(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        return numpy.zeros(0, dtype="uint64"), numpy.zeros((0, len(self.lexical)), "uint64")

    def table(self, doc: Doc) -> numpy.ndarray:
        """The token table of ``doc`` (as ``doc.to_array(attributes)`` gives it)."""
        base = doc.to_array([ORTH, IDX])
        words = base[:, 0]
        picked, missing = look_up_rows(self.main, words)
        if missing.any():
            picked[missing] = self._recent_rows(doc, words[missing])
        table = numpy.empty((len(doc), len(self.attributes)), dtype="uint64")
        table[:, 0] = picked[:, 0]
        table[:, 1] = base[:, 1]
        table[:, 2:] = picked[:, 1:]
        return table

    def _recent_rows(self, doc: Doc, words: numpy.ndarray) -> numpy.ndarray:
        """Rows of words not in the main table, read from the Doc if not seen before."""
        with self.lock:
            picked, missing = look_up_rows(self.recent, words)
            if not missing.any():
                return picked
            new = numpy.unique(words[missing])
            strings = doc.vocab.strings
            found = Doc(doc.vocab, words=[strings[orth] for orth in new.tolist()])
            orths, rows = self.recent
            at = orths.searchsorted(new)
            self.recent = (
                numpy.insert(orths, at, new),
                numpy.insert(rows, at, found.to_array(self.lexical).reshape(len(new), -1), 0),
            )
            picked, _ = look_up_rows(self.recent, words)
            main_orths, main_rows = self.main
            if len(main_orths) + len(self.recent[0]) > PREFIX_MEMO_LIMIT:
                self.main = self.recent
                self.recent = self._empty()
            elif len(self.recent[0]) * 8 > len(main_orths):
                orths, rows = (
                    numpy.concatenate((main_orths, self.recent[0])),
                    numpy.concatenate((main_rows, self.recent[1])),
                )
                order = orths.argsort(kind="stable")
                self.main = (orths[order], rows[order])
                self.recent = self._empty()
            return picked


def look_up_rows(
    known: tuple[numpy.ndarray, numpy.ndarray], words: numpy.ndarray
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The rows of ``words`` in ``known`` (sorted hashes, rows), and which are not there."""
    orths, rows = known
    if not len(orths):
        return numpy.zeros((len(words), rows.shape[1]), "uint64"), numpy.ones(len(words), bool)
    at = numpy.minimum(orths.searchsorted(words), len(orths) - 1)
    return rows[at], orths[at] != words
