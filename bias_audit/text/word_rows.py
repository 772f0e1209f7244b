"""The token table's word columns, remembered per distinct word (ORTH hash), with what the
lexicon's per-word patterns make of each word (its flags and facts, worked out once as the
word is first met) and the plans for what an anchor word followed by a word leads to.

Every token attribute the lexicon engine reads but ``IDX`` belongs to the word (the lexeme), so
rows are read once per new word and looked up per token with one binary search
(:class:`WordRows`). Used by :mod:`bias_audit.text.match_rules` and
:mod:`bias_audit.text.match_tokens`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy
from spacy.attrs import IDS, IDX, ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

if TYPE_CHECKING:
    from bias_audit.text.match_rules import AnchorRule, CompiledRules
    from bias_audit.text.table_patterns import TablePattern

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

    def __init__(
        self,
        attributes: tuple[int, ...],
        facts: Callable[[list[list[int]], list[int], Any], list[int]] | None = None,
    ) -> None:
        if attributes[1] != IDX:
            raise ValueError("the token table's second column must be IDX")
        self.attributes = attributes
        self.lexical = [attributes[0], *attributes[2:]]
        # Called (under the lock) with the token-table rows, ORTH hashes and string store of
        # new words, it gives each a number kept beside its row (the word's flags,
        # :func:`word_flags`), handed out per token by table_and_flags. It may be set after
        # construction, but before the first table is asked for.
        self.facts = facts
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
        # the lexical columns, then the flags column
        return numpy.zeros(0, dtype="uint64"), numpy.zeros((0, len(self.lexical) + 1), "uint64")

    def table(self, doc: Doc) -> numpy.ndarray:
        """The token table of ``doc`` (as ``doc.to_array(attributes)`` gives it)."""
        return self.table_and_flags(doc)[0]

    def table_and_flags(self, doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray]:
        """The token table of ``doc``, and each token's word flags (zero without ``facts``)."""
        base = doc.to_array([ORTH, IDX])
        words = base[:, 0]
        picked, missing = look_up_rows(self.main, words)
        if missing.any():
            picked[missing] = self._recent_rows(doc, words[missing])
        table = numpy.empty((len(doc), len(self.attributes)), dtype="uint64")
        table[:, 0] = picked[:, 0]
        table[:, 1] = base[:, 1]
        table[:, 2:] = picked[:, 1:-1]
        return table, picked[:, -1]

    def _recent_rows(self, doc: Doc, words: numpy.ndarray) -> numpy.ndarray:
        """Rows of words not in the main table, read from the Doc if not seen before."""
        with self.lock:
            picked, missing = look_up_rows(self.recent, words)
            if not missing.any():
                return picked
            new = numpy.unique(words[missing])
            strings = doc.vocab.strings
            found = Doc(doc.vocab, words=[strings[orth] for orth in new.tolist()])
            lexical = found.to_array(self.lexical).reshape(len(new), -1)
            flags = numpy.zeros((len(new), 1), dtype="uint64")
            if self.facts is not None:
                # the rows as the token table holds them (IDX, not the word's, left at 0)
                in_table = numpy.insert(lexical, 1, 0, axis=1).tolist()
                flags[:, 0] = self.facts(in_table, new.tolist(), strings)
            orths, rows = self.recent
            at = orths.searchsorted(new)
            self.recent = (
                numpy.insert(orths, at, new),
                numpy.insert(rows, at, numpy.hstack((lexical, flags)), 0),
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


#: Word flags: the word starts an anchored token pattern, matches a one-word regex, starts
#: with a prefix pattern's last word.
ANCHORED, REGEX_WORD, PREFIXED = 1, 2, 4

#: Words whose facts are remembered (in ``CompiledRules.word_facts``) before it is emptied.
WORD_FACTS_LIMIT = PREFIX_MEMO_LIMIT


def word_anchors(compiled: CompiledRules, row: list[int]) -> tuple[AnchorRule, ...]:
    """The anchored rules whose anchor holds for the word whose token-table row is ``row``."""
    return tuple(
        rule
        for group in compiled.anchor_groups
        if (rule := group.rules.get(tuple(row[at] for at in group.at))) is not None
    )


def word_regex_keys(compiled: CompiledRules, lower: str) -> tuple[int, ...]:
    """The keys of the one-word regexes the lower-case word ``lower`` matches."""
    return tuple(key for regex, key in compiled.word_regexes if regex.search(lower))


def word_prefixes(compiled: CompiledRules, lower: str) -> tuple[Any, ...]:
    """The prefix patterns whose last word the lower-case word ``lower`` starts."""
    if not compiled.stems or not lower.startswith(compiled.stems):
        return ()
    return tuple(
        prefix for prefix in compiled.prefixes.get(lower[0], ()) if lower.startswith(prefix.stem)
    )


def word_facts(compiled: CompiledRules, row: list[int], strings: Any) -> tuple[Any, Any, Any]:
    """What the lexicon's per-word patterns make of the word whose token-table row is
    ``row``: the anchors that hold for it, the keys of the one-word regexes it matches, and
    the prefix patterns whose last word it starts (the same three functions the per-text
    path of :mod:`bias_audit.text.match_tokens` asks)."""
    lower = strings[row[0]]
    return (
        word_anchors(compiled, row),
        word_regex_keys(compiled, lower),
        word_prefixes(compiled, lower),
    )


def word_flags(
    compiled: CompiledRules, rows: list[list[int]], orths: list[int], strings: Any
) -> list[int]:
    """The flags of new words (:data:`ANCHORED` ...), their facts remembered per ORTH hash;
    ``rows`` are their token-table rows, ``strings`` the vocabulary's string store."""
    memo = compiled.word_facts
    if len(memo) + len(orths) > WORD_FACTS_LIMIT:
        # a new dict, not clear(): another thread may be reading; a word whose facts are
        # not remembered has them worked out again where it stands (match_tokens)
        compiled.word_facts = memo = {}
    flags = []
    for row, orth in zip(rows, orths, strict=True):
        anchors, keys, prefixes = facts = word_facts(compiled, row, strings)
        flag = (ANCHORED if anchors else 0) | (REGEX_WORD if keys else 0)
        flag |= PREFIXED if prefixes else 0
        if flag:
            memo[orth] = facts
        flags.append(flag)
    return flags


def anchor_plan(rule: AnchorRule, row: list[int] | None) -> tuple[bool, tuple[TablePattern, ...]]:
    """Whether a longer pattern of ``rule`` may match from its anchor, given ``row``, the
    token table's row of the next token (None: the anchor is the last token), and which of
    the rule's table patterns may: the others need a next token ``row`` does not meet, so
    trying them there finds nothing."""
    if rule.follow is not None:
        if row is None:
            return False, ()
        if rule.follow_columns is not None:
            goes_on = any(row[at] in allowed for at, allowed in rule.follow_columns)
        else:
            goes_on = any(all(row[at] in allowed for at, allowed in c) for c in rule.follow)
        if not goes_on:
            return False, ()
    return True, tuple(pattern for pattern in rule.table if pattern.may_go_on(row))


#: What an anchor word followed by a word leads to: the keys of its one-token patterns,
#: (rule, table patterns to try) for the rules that go on there, and the rules whose going
#: on depends on more than the two words (decided per position).
WordPlan = tuple[
    tuple[int, ...],
    tuple[tuple["AnchorRule", tuple["TablePattern", ...]], ...],
    tuple["AnchorRule", ...],
]

NOTHING: WordPlan = ((), (), ())


def word_plan(rules: tuple[AnchorRule, ...], row: list[int] | None) -> WordPlan:
    """The plan for an anchor word whose anchors are ``rules``, followed by the word whose
    token-table row is ``row`` (None: none follows). A rule whose follow conditions read
    only the word's attributes (``follow_by_word``) is decided here, from ``row``."""
    keys = tuple(key for rule in rules for key in rule.keys)
    going = []
    per_position = []
    for rule in rules:
        if not rule.goes_on:
            continue
        if rule.follow_by_word:
            goes_on, patterns = anchor_plan(rule, row)
            if goes_on:
                going.append((rule, patterns))
        else:
            per_position.append(rule)
    if not keys and not going and not per_position:
        return NOTHING
    return keys, tuple(going), tuple(per_position)
