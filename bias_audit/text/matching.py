"""The generic lexicon engine: compile entries once, then turn a Doc into Findings.

Every analyser that works from a lexicon calls :func:`match_categories`; no analyser names a
word. Entries are compiled once per lexicon version and category set:

* phrases go to spaCy ``PhraseMatcher`` objects (on ``LOWER``, ``LEMMA`` or ``ORTH``);
* word prefixes (``compet*``) go to one memoised pass over the lower-case token hashes with
  ``str.startswith`` on a tuple of all prefixes — one regex pattern per prefix would be about
  forty times slower (research: ``ecosystem.md`` §1.3);
* token patterns are grouped by their first token ("anchor"). The positions where an anchor
  holds are found with numpy over token arrays; there, a one-token pattern has matched
  already, and longer ones go to a small ``Matcher`` holding only that anchor's patterns,
  run over just as many tokens as they can span, and only where the next token could
  continue one of them (a number is rarely followed by "years"). spaCy's Matcher costs
  several microseconds per token it is given (it builds a Token object per position and
  tries every pattern it holds), so feeding it the whole text, or all patterns at every
  anchor, would cost more than tokenising;
* ``unless`` token patterns run only around matches they could excuse, each entry's with a
  Matcher of its own, and custom-attribute (``_``) conditions are checked on candidate
  matches only.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy
from spacy.attrs import IDS, IDX, LENGTH, LOWER, ORTH
from spacy.matcher import Matcher, PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

from bias_audit.errors import OptionError
from bias_audit.lexicon import Lexicon, LexiconEntry, Pattern
from bias_audit.text import acronyms
from bias_audit.text.pipeline import doc_text, get_pipeline, in_sorted
from bias_audit.text.table_patterns import TablePattern, table_conditions, table_pattern, value_id
from bias_audit.types import Finding

CATEGORIES_NOT_A_LIST = (
    "categories must be a list of category names, not the single string {value!r}; "
    "write categories=[{value!r}]."
)
#: Token-pattern exceptions are only tried around a match (they must contain it), because
#: running them over the whole text would cost more than every other matcher together. The
#: window reaches as far as the longest exception pattern could; a pattern with an open-ended
#: operator (``*`` or ``+``) is assumed to span at most this many tokens.
OPEN_ENDED_SPAN = 12
#: Compiled (lexicon version, category set) combinations kept before the cache is emptied.
COMPILED_CACHE_LIMIT = 32
#: Distinct words remembered by the prefix pass before its memo is emptied.
PREFIX_MEMO_LIMIT = 200_000
#: A heading line holds at most this many words ("Main duties and responsibilities").
HEADING_MAX_WORDS = 6
_LINE_OPENERS = tuple("•◦▪●○■□‣⁃∙·✓✔➢➤►*-–—>")
_SENTENCE_END = (".", "!", "?", ",", ";")


@dataclass(frozen=True, slots=True)
class _Prefix:
    before: tuple[str, ...]  # lower-case tokens that must precede the prefix word
    stem: str
    key: int


@dataclass(frozen=True, slots=True)
class _AnchorRule:
    """What to run where one anchor (a first token's plain conditions) holds."""

    keys: tuple[int, ...]  # one-token patterns: where the anchor holds, they have matched
    # the longer patterns starting with this anchor: those checked on token-table rows
    # (bias_audit.text.table_patterns), and the others in a Matcher (None: there are none)
    table: tuple[TablePattern, ...]
    matcher: Matcher | None
    reach: int  # the most tokens one of these patterns can match
    # What the next token must be for a longer pattern to go on: any of these conditions,
    # each (token table column, allowed values) pairs that must all hold; None: anything.
    follow: tuple[tuple[tuple[int, frozenset[int]], ...], ...] | None
    # the same when each condition is one (column, allowed values) pair: per column, the
    # values any condition on it allows (one look-up per column instead of per condition)
    follow_columns: tuple[tuple[int, frozenset[int]], ...] | None = None
    goes_on: bool = False  # whether the anchor starts patterns longer than one token
    number: int = 0  # the rule's place among the compiled rules (a key for follow_memo)
    # whether the follow conditions read only the word's attributes (not IDX): then whether
    # a pattern may go on is a fact about the next word, remembered in follow_memo
    follow_by_word: bool = False


@dataclass(frozen=True, slots=True)
class _AnchorGroup:
    """First-token conditions on the same attributes, checked together with numpy."""

    attributes: tuple[int, ...]
    at: tuple[int, ...]  # where the attributes are in the token table (_token_table)
    columns: tuple[numpy.ndarray, ...]  # per attribute, every value some anchor wants
    rules: dict[tuple[int, ...], _AnchorRule]  # the anchor's values -> what to run


@dataclass(frozen=True, slots=True)
class _Exceptions:
    """One entry's token-pattern exceptions, tried only around its matches."""

    table: tuple[TablePattern, ...]
    matcher: Matcher | None
    reach: int  # how many tokens they may extend beyond the match they excuse
    # the table patterns with one condition on their first token, by its column and then
    # by each value it allows (a row tries only the patterns its values may start), and
    # the other table patterns (tried at every row)
    by_first: tuple[tuple[int, dict[int, tuple[TablePattern, ...]]], ...] = ()
    anywhere: tuple[TablePattern, ...] = ()


def _exceptions(
    patterns: list[tuple[str, list[dict[str, Any]]]], attributes: tuple[int, ...]
) -> _Exceptions:
    """One entry's exceptions compiled: on token-table rows where they can be, else a Matcher."""
    table, matcher = _split_by_table(patterns, attributes)
    by_first: dict[int, dict[int, list[TablePattern]]] = defaultdict(lambda: defaultdict(list))
    anywhere = []
    for pattern in table:
        if pattern.first_at is None:
            anywhere.append(pattern)
            continue
        for value in pattern.first_allowed:
            by_first[pattern.first_at][value].append(pattern)
    return _Exceptions(
        table,
        matcher,
        reach=max(_longest(tuple(pattern)) for _, pattern in patterns) - 1,
        by_first=tuple(
            (at, {value: tuple(found) for value, found in values.items()})
            for at, values in sorted(by_first.items())
        ),
        anywhere=tuple(anywhere),
    )


@dataclass(slots=True)
class _Compiled:
    entries: tuple[LexiconEntry, ...]
    matchers: dict[str, PhraseMatcher]
    free_matcher: Matcher
    # one-token patterns that are a regex on the lower-case word: (regex, matcher key)
    word_regexes: tuple[tuple[re.Pattern[str], int], ...]
    word_regex_memo: dict[int, tuple[int, ...]]  # lower-case hash -> keys of its regexes
    word_regex_found: set[int]  # the hashes in word_regex_memo with keys
    anchor_groups: tuple[_AnchorGroup, ...]
    # the token table's columns: LOWER, IDX, LENGTH, then what anchors read
    attributes: tuple[int, ...]
    # entry index -> its token-pattern exceptions (on token-table rows, and in a Matcher
    # those rows cannot decide), and how many tokens they may extend beyond the match
    exception_matchers: dict[int, _Exceptions]
    extension_conditions: dict[int, tuple[dict[str, object], ...]]  # key -> per-token "_"
    prefixes: dict[str, list[_Prefix]]
    stems: tuple[str, ...]
    prefix_memo: dict[int, tuple[_Prefix, ...]]  # lower-case hash -> prefixes it starts
    prefix_found: set[int]  # the hashes in prefix_memo that start a prefix
    keys: dict[int, tuple[int, bool]]  # matcher key -> (entry index, is exception)
    # the token table's values that depend on the word alone (every column but IDX), per
    # ORTH hash: None when a column holds a token attribute (then Doc.to_array is used)
    word_rows: _WordRows | None
    # ORTH hash -> the anchors that hold for the word, in group order; None when an anchor
    # reads a token attribute (not the word's), so anchors are looked for per position
    anchor_memo: dict[int, tuple[_AnchorRule, ...]] | None
    # the hashes in anchor_memo with anchors (added before the memo entry, so that a word
    # the memo knows is here too)
    anchor_found: set[int] = field(default_factory=set)
    # (rule number, ORTH hash of the next word) -> whether a longer pattern of the rule may
    # go on there (_may_go_on), when the rule's conditions read only the word's attributes
    follow_memo: dict[tuple[int, int], bool] = field(default_factory=dict)


_CACHE: dict[tuple[str, frozenset[str]], _Compiled] = {}
_CACHE_LOCK = threading.Lock()


def match_categories(doc: Doc, lexicon: Lexicon, *, categories: Collection[str]) -> list[Finding]:
    """Find every match of the lexicon's entries in ``categories`` within ``doc``.

    Parameters
    ----------
    doc
        A Doc from :func:`bias_audit.text.pipeline.get_pipeline` (lemmas and sentence
        starts set).
    lexicon
        The loaded lexicon; its matchers are compiled once per version and category set.
    categories
        Category names (lexicon file stems) to look for; names the lexicon does not have
        match nothing (a trust's own lexicon folder may leave categories out).

    Returns
    -------
    list of Finding
        Sorted by ``(start, -severity)``. Within one category overlapping matches are
        resolved (the longest wins; on a tie the more severe, then the earlier entry); an
        entry's ``unless`` exceptions, ``skip_headings`` and ``acronym`` rules are applied.
        An acronym is one finding at its first use, its other uses in ``occurrences``.
        Character offsets index ``doc.text``, and ``finding.text == doc.text[start:end]``.
        A token pattern matches at most ``OPEN_ENDED_SPAN`` tokens.

    Raises
    ------
    OptionError
        If ``categories`` is a single string rather than a collection of names.

    Examples
    --------
    >>> from bias_audit.lexicon import load_lexicon
    >>> doc = get_pipeline()("Native English speaker essential.")
    >>> [f.rule_id for f in match_categories(doc, load_lexicon(),
    ...                                      categories=["nationality_race_religion"])]
    ['nationality-native-english-speaker']
    """
    if isinstance(categories, str):
        raise OptionError(CATEGORIES_NOT_A_LIST.format(value=categories))
    compiled = _compiled(lexicon, frozenset(categories))
    if not compiled.entries or not len(doc):
        return []
    hits: list[tuple[int, int, int]] = []  # (entry index, start char, end char)
    exceptions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    table = _token_table(doc, compiled)
    raw = _candidates(doc, compiled, table)
    offsets, lengths = table[:, 1].tolist(), table[:, 2].tolist()
    for key, start, end in raw:
        index, is_exception = compiled.keys[key]
        span = (offsets[start], offsets[end - 1] + lengths[end - 1])
        if is_exception:
            exceptions[index].append(span)
        else:
            hits.append((index, *span))
    text = doc_text(doc)
    memo: dict[tuple[str, str], bool] = {}  # per text: acronyms explained, contexts absent
    kept = [
        hit
        for hit in hits
        if not _excused(hit, compiled.entries[hit[0]], exceptions.get(hit[0], ()), text, memo)
    ]
    resolved = sorted(_resolve_overlaps(kept, compiled.entries), key=lambda hit: hit[1])
    findings = [
        _finding(compiled.entries[index], start, end, text, occurrences)
        for index, start, end, occurrences in _one_per_acronym(resolved, compiled.entries, text)
    ]
    findings.sort(key=lambda finding: (finding.start, -finding.severity, finding.end))
    return findings


def _candidates(doc: Doc, compiled: _Compiled, table: numpy.ndarray) -> list[tuple[int, int, int]]:
    """Every (matcher key, start token, end token) before post-processing: the entries'
    matches, then each entry's token-pattern exceptions tried around its own matches."""
    raw = _raw_matches(doc, compiled, table)
    # per entry, token ranges where its token-pattern exceptions may apply
    windows: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for key, start, end in raw:
        index, is_exception = compiled.keys[key]
        if not is_exception and index in compiled.exception_matchers:
            reach = compiled.exception_matchers[index].reach
            windows[index].append((max(0, start - reach), min(len(doc), end + reach)))
    for index, entry_windows in windows.items():
        raw.extend(
            _checked(
                doc,
                _exception_matches(doc, table, compiled.exception_matchers[index], entry_windows),
                compiled,
            )
        )
    return raw


def _one_per_acronym(
    hits: list[tuple[int, int, int]], entries: tuple[LexiconEntry, ...], text: str
) -> list[tuple[int, int, int, tuple[tuple[int, int], ...]]]:
    """Fold the uses of one acronym into its first: one finding, the others as occurrences.

    ``hits`` are in text order; "NEWS 2" and "NEWS2", "HCA" and "HCAs" are one acronym.
    """
    first: dict[tuple[int, str], int] = {}
    folded: list[tuple[int, int, int, list[tuple[int, int]]]] = []
    for index, start, end in hits:
        if not entries[index].acronym:
            folded.append((index, start, end, []))
            continue
        key = (index, acronyms.acronym_key(text[start:end]))
        if key in first:
            folded[first[key]][3].append((start, end))
        else:
            first[key] = len(folded)
            folded.append((index, start, end, []))
    return [(index, start, end, tuple(others)) for index, start, end, others in folded]


def _compiled(lexicon: Lexicon, categories: frozenset[str]) -> _Compiled:
    cache_key = (lexicon.version, categories)
    compiled = _CACHE.get(cache_key)
    if compiled is None:
        with _CACHE_LOCK:
            compiled = _CACHE.get(cache_key)
            if compiled is None:
                if len(_CACHE) >= COMPILED_CACHE_LIMIT:  # an edited lexicon leaves old entries
                    _CACHE.clear()
                compiled = _compile(lexicon.in_categories(categories))
                _CACHE[cache_key] = compiled
    return compiled


def _compile(entries: tuple[LexiconEntry, ...]) -> _Compiled:
    nlp = get_pipeline()
    matchers = {
        "phrase": PhraseMatcher(nlp.vocab, attr="LOWER"),
        "lemma": PhraseMatcher(nlp.vocab, attr="LEMMA"),
        "orth": PhraseMatcher(nlp.vocab, attr="ORTH"),
    }
    free_matcher = Matcher(nlp.vocab)  # patterns run over the whole text
    word_regexes: list[tuple[re.Pattern[str], int]] = []
    # anchor -> (label, pattern) for every pattern starting with it
    anchored: dict[tuple[tuple[int, int], ...], list[tuple[str, list[dict[str, Any]]]]] = (
        defaultdict(list)
    )
    unless: dict[int, list[tuple[str, list[dict[str, Any]]]]] = defaultdict(list)
    prefixes: dict[str, list[_Prefix]] = defaultdict(list)
    keys: dict[int, tuple[int, bool]] = {}
    extension_conditions: dict[int, tuple[dict[str, object], ...]] = {}
    for index, entry in enumerate(entries):
        for is_exception, patterns in ((False, entry.patterns), (True, entry.unless)):
            name = f"{entry.id}#{'unless' if is_exception else 'match'}"
            key = nlp.vocab.strings.add(name)
            keys[key] = (index, is_exception)
            for number, pattern in enumerate(patterns):
                if pattern.kind == "tokens":
                    tokens = [dict(token) for token in pattern.tokens]
                    conditions = tuple(token.pop("_", {}) for token in tokens)
                    label = name
                    if any(conditions):
                        # its own key, so that matches can be checked against the conditions
                        label = f"{name}#{number}"
                        keys[nlp.vocab.strings.add(label)] = (index, is_exception)
                        extension_conditions[nlp.vocab.strings[label]] = conditions
                    if is_exception:  # tried around matches only: no anchors needed
                        unless[index].append((label, tokens))
                        continue
                    for expanded in _expand_first_token(tokens):
                        anchor = _anchor(expanded[0])
                        if anchor is None and (word := _word_regex(expanded)) is not None:
                            word_regexes.append((word, nlp.vocab.strings.add(label)))
                        elif anchor is None:
                            free_matcher.add(label, [expanded])
                        else:
                            anchored[anchor].append((label, expanded))
                else:
                    _add_phrase_or_prefix(pattern, name, key, matchers, prefixes)
    stems = tuple(sorted({p.stem for group in prefixes.values() for p in group}))
    follows = {
        anchor: _follow([pattern for _, pattern in patterns if len(pattern) > 1])
        for anchor, patterns in anchored.items()
    }
    read = {attribute for anchor in anchored for attribute, _ in anchor} | {
        attribute
        for follow in follows.values()
        for condition in follow or ()
        for attribute, _ in condition
    }
    # what the longer anchored patterns and the exceptions test, where the rows can hold it
    for _, pattern in (
        *(labelled for patterns in anchored.values() for labelled in patterns),
        *(labelled for patterns in unless.values() for labelled in patterns),
    ):
        conditions = [table_conditions(token) for token in pattern]
        if all(condition is not None for condition in conditions):
            read |= {attribute for condition in conditions for attribute, _ in condition or ()}
    # ORTH always: the anchors holding for a word are remembered per ORTH hash
    attributes = (LOWER, IDX, LENGTH, *sorted((read | {ORTH}) - {LOWER, IDX, LENGTH}))
    anchor_groups = _group_anchors(anchored, follows, attributes)
    return _Compiled(
        entries=entries,
        matchers=matchers,
        free_matcher=free_matcher,
        word_regexes=tuple(word_regexes),
        word_regex_memo={},
        word_regex_found=set(),
        anchor_groups=anchor_groups,
        attributes=attributes,
        exception_matchers={
            index: _exceptions(patterns, attributes) for index, patterns in unless.items()
        },
        extension_conditions=extension_conditions,
        prefixes=dict(prefixes),
        stems=stems,
        prefix_memo={},
        prefix_found=set(),
        keys=keys,
        word_rows=_WordRows(attributes) if LEXEME_ATTRIBUTES.issuperset(attributes[2:]) else None,
        anchor_memo={}
        if LEXEME_ATTRIBUTES.issuperset(a for group in anchor_groups for a in group.attributes)
        else None,
    )


def _anchor(first: dict[str, Any]) -> tuple[tuple[int, int], ...] | None:
    """The first token's conditions as (attribute id, value) pairs, if all are plain values.

    A pattern can only start where its first token's conditions hold, so the Matcher need
    only run from those positions; predicates (``IN``, ``REGEX``, comparisons), operators
    and sentence starts are not plain values and keep the pattern in the free matcher.
    """
    if "OP" in first or "IS_SENT_START" in first:
        return None
    pairs = []
    for name, value in first.items():
        attribute = IDS.get("ORTH" if name == "TEXT" else name)
        if attribute is None or isinstance(value, dict):
            return None
        pairs.append((attribute, value_id(value)))
    return tuple(sorted(pairs))


def _matcher(patterns: Iterable[tuple[str, list[dict[str, Any]]]]) -> Matcher:
    matcher = Matcher(get_pipeline().vocab)
    for label, pattern in patterns:
        matcher.add(label, [pattern])
    return matcher


def _split_by_table(
    patterns: list[tuple[str, list[dict[str, Any]]]], table_attributes: tuple[int, ...]
) -> tuple[tuple[TablePattern, ...], Matcher | None]:
    """The patterns the token table's rows can decide, and a Matcher for the rest."""
    columns = {attribute: at for at, attribute in enumerate(table_attributes)}
    on_rows: list[TablePattern] = []
    rest = []
    for label, pattern in patterns:
        compiled = table_pattern(get_string_id(label), pattern, columns)
        if compiled is None:
            rest.extend((label, expanded) for expanded in _expand_first_token(pattern))
        else:
            on_rows.append(compiled)
    return tuple(on_rows), (_matcher(rest) if rest else None)


def _group_anchors(
    anchored: dict[tuple[tuple[int, int], ...], list[tuple[str, list[dict[str, Any]]]]],
    follows: dict[tuple[tuple[int, int], ...], _Conditions | None],
    table_attributes: tuple[int, ...],
) -> tuple[_AnchorGroup, ...]:
    groups: dict[tuple[int, ...], dict[tuple[int, ...], _AnchorRule]] = defaultdict(dict)
    numbered: list[_AnchorRule] = []
    for anchor, patterns in anchored.items():
        longer = [(label, pattern) for label, pattern in patterns if len(pattern) > 1]
        # A one-token pattern with an anchor is nothing but plain conditions on one token.
        single = {label for label, pattern in patterns if len(pattern) == 1}
        on_rows, matcher = _split_by_table(longer, table_attributes)
        follow = (
            None
            if follows[anchor] is None
            else tuple(
                tuple((table_attributes.index(attribute), allowed) for attribute, allowed in c)
                for c in follows[anchor]
            )
        )
        rule = _AnchorRule(
            keys=tuple(sorted(get_string_id(label) for label in single)),
            table=on_rows,
            matcher=matcher,
            reach=max(_longest(tuple(pattern)) for _, pattern in patterns),
            follow=follow,
            follow_columns=_by_column(follow),
            goes_on=bool(on_rows) or matcher is not None,
            number=len(numbered),
            follow_by_word=follow is not None
            and all(at != IDX_COLUMN for condition in follow for at, _ in condition),
        )
        numbered.append(rule)
        groups[tuple(attribute for attribute, _ in anchor)][tuple(v for _, v in anchor)] = rule
    return tuple(
        _AnchorGroup(
            attributes,
            tuple(table_attributes.index(attribute) for attribute in attributes),
            tuple(
                numpy.array(sorted({values[n] for values in rules}), dtype="uint64")
                for n in range(len(attributes))
            ),
            rules,
        )
        for attributes, rules in sorted(groups.items())
    )


_Conditions = tuple[tuple[tuple[int, frozenset[int]], ...], ...]
"""Token conditions, any of which may hold: each a tuple of (attribute id, allowed values)."""


def _by_column(
    conditions: _Conditions | None,
) -> tuple[tuple[int, frozenset[int]], ...] | None:
    """Conditions of one (column, allowed values) pair each, as one pair per column.

    Any of them holds exactly when, for some column, the value is in the union of the
    values its conditions allow. ``None`` when some condition has more or fewer pairs.

    >>> _by_column((((0, frozenset({1})),), ((2, frozenset({5})),), ((0, frozenset({3})),)))
    ((0, frozenset({1, 3})), (2, frozenset({5})))
    """
    if conditions is None or any(len(condition) != 1 for condition in conditions):
        return None
    columns: dict[int, frozenset[int]] = {}
    for ((column, allowed),) in conditions:
        columns[column] = columns.get(column, frozenset()) | allowed
    return tuple(sorted(columns.items()))


_FOLLOW_OPERATORS = {None: True, "+": True, "?": False, "*": False}  # op -> token required


def _follow(patterns: list[list[dict[str, Any]]]) -> _Conditions | None:
    """What the token after the anchor must be for any of ``patterns`` to match.

    The tokens after the first, up to and including the first one that must be there, are
    the candidates. ``None`` (no filter) when a pattern could match its first token alone,
    or uses a condition that is not a plain value or ``IN`` list.
    """
    conditions = []
    for pattern in patterns:
        for token in pattern[1:]:
            operator = token.get("OP")
            if operator not in _FOLLOW_OPERATORS:
                return None
            condition = table_conditions(token)
            if condition is None:
                return None
            conditions.append(condition)
            if _FOLLOW_OPERATORS[operator]:
                break
        else:
            return None
    return tuple(conditions)


def _rows_after(table: numpy.ndarray, positions: list[int]) -> dict[int, list[int]]:
    """The token table's rows just after ``positions`` (those that exist), as lists."""
    wanted = sorted({p + 1 for p in positions if p + 1 < len(table)})
    return dict(zip(wanted, table[wanted].tolist(), strict=True)) if wanted else {}


def _may_go_on(rows: dict[int, list[int]], position: int, rule: _AnchorRule) -> bool:
    """Whether a longer pattern of ``rule`` could match from its anchor at ``position``.

    ``rows`` holds the token table's row after every anchor position (:func:`_rows_after`);
    there is none after the last token.
    """
    if rule.follow is None:
        return True
    row = rows.get(position + 1)
    if row is None:
        return False
    if rule.follow_columns is not None:
        return any(row[at] in allowed for at, allowed in rule.follow_columns)
    return any(all(row[at] in allowed for at, allowed in c) for c in rule.follow)


def _token_table(doc: Doc, compiled: _Compiled) -> numpy.ndarray:
    """One row per token, one column per attribute in ``compiled.attributes``.

    ``Doc.to_array`` costs about 40 ns per token and attribute, so for a dozen attributes
    a tenth of tokenising. Every attribute but ``IDX`` is the word's (the lexeme's), so
    only ``ORTH`` and ``IDX`` are read from the Doc, and the rest come from the rows
    remembered per distinct word (:class:`_WordRows`).
    """
    if compiled.word_rows is None or not compiled.word_rows.serves(doc):
        return doc.to_array(list(compiled.attributes)).reshape(len(doc), -1)
    return compiled.word_rows.table(doc)


#: The token table's column of ``IDX`` (the one column that is not the word's).
IDX_COLUMN = 1
#: Up to this many words new to a memo are found in the text with ``list.index`` (in C);
#: more are found in one pass over the tokens.
FEW_NEW_WORDS = 8

#: Token attributes that are the lexeme's: the same for every token of one word (ORTH).
LEXEME_ATTRIBUTES = frozenset(
    IDS[name]
    for name in (
        "ORTH", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX", "LENGTH", "IS_ALPHA",
        "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
        "IS_STOP", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
    )
)  # fmt: skip


class _WordRows:
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
        picked, missing = _look_up(self.main, words)
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
            picked, missing = _look_up(self.recent, words)
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
            picked, _ = _look_up(self.recent, words)
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


def _look_up(
    known: tuple[numpy.ndarray, numpy.ndarray], words: numpy.ndarray
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The rows of ``words`` in ``known`` (sorted hashes, rows), and which are not there."""
    orths, rows = known
    if not len(orths):
        return numpy.zeros((len(words), rows.shape[1]), "uint64"), numpy.ones(len(words), bool)
    at = numpy.minimum(orths.searchsorted(words), len(orths) - 1)
    return rows[at], orths[at] != words


def _anchor_hits(
    doc: Doc, compiled: _Compiled, table: numpy.ndarray | None = None
) -> list[tuple[int, _AnchorRule]]:
    """Every token position where an anchor holds, with what to run there."""
    if table is None:
        table = _token_table(doc, compiled)
    return _anchor_hits_and_words(doc, compiled, table)[0]


def _anchor_hits_and_words(
    doc: Doc, compiled: _Compiled, table: numpy.ndarray
) -> tuple[list[tuple[int, _AnchorRule]], list[int] | None]:
    """:func:`_anchor_hits`, and the ORTH hash of every token when the anchors that hold
    were looked up per word (``None`` when they were found per position)."""
    memo = compiled.anchor_memo
    if memo is not None and compiled.word_rows is not None and compiled.word_rows.serves(doc):
        # Anchors read only the word's attributes, so which hold is a fact per word.
        column = table[:, compiled.attributes.index(ORTH)]
        orths = column.tolist()
        distinct = set(orths)
        found = compiled.anchor_found  # read before the memo (see _remember_anchors)
        missing = distinct.difference(memo)
        if missing:
            found, memo = _remember_anchors(compiled, table, orths, missing)
        holding = distinct & found
        if not holding:
            return [], orths
        wanted = numpy.array(sorted(holding), dtype="uint64")
        positions = numpy.flatnonzero(in_sorted(column, wanted)).tolist()
        return [(position, rule) for position in positions for rule in memo[orths[position]]], orths
    found_at = []
    for group in compiled.anchor_groups:
        possible = in_sorted(table[:, group.at[0]], group.columns[0])
        for at, wanted in zip(group.at[1:], group.columns[1:], strict=True):
            possible &= in_sorted(table[:, at], wanted)
        positions = numpy.flatnonzero(possible)
        rows = table[numpy.ix_(positions, group.at)].tolist()
        # each column holds a wanted value, but maybe not all of the same anchor
        for position, values in zip(positions.tolist(), rows, strict=True):
            rule = group.rules.get(tuple(values))
            if rule is not None:
                found_at.append((position, rule))
    return found_at, None


def _remember_anchors(
    compiled: _Compiled, table: numpy.ndarray, orths: list[int], missing: set[int]
) -> tuple[set[int], dict[int, tuple[_AnchorRule, ...]]]:
    """Add the anchors of the words in ``missing`` (ORTH hashes) to the memo.

    Another thread may be reading: a word goes into ``anchor_found`` before its memo entry,
    and on emptying, the new memo is published before the new set, so a word the memo
    knows is always in the set read before it.
    """
    memo = compiled.anchor_memo
    assert memo is not None
    found = compiled.anchor_found
    if len(memo) + len(missing) > PREFIX_MEMO_LIMIT:
        # new containers, not clear(): another thread may be reading the old ones
        compiled.anchor_memo = memo = {}
        compiled.anchor_found = found = set()
        missing = set(orths)
    if len(missing) <= FEW_NEW_WORDS:
        positions = [orths.index(orth) for orth in missing]
    else:
        positions = [p for p, orth in enumerate(orths) if orth in missing]
        missing = set()
    for position in positions:
        orth = orths[position]
        if orth in memo:
            continue
        row = table[position].tolist()
        rules = tuple(
            rule
            for group in compiled.anchor_groups
            if (rule := group.rules.get(tuple(row[at] for at in group.at))) is not None
        )
        if rules:
            found.add(orth)
        memo[orth] = rules
    return found, memo


def _anchored_matches(
    doc: Doc, compiled: _Compiled, table: numpy.ndarray
) -> Iterable[tuple[int, int, int]]:
    """Matches of the anchored token patterns, each tried only where its anchor holds."""
    length = len(doc)
    windows: dict[int, list[tuple[int, int]]] = defaultdict(list)  # id(rule) -> windows
    rules: dict[int, _AnchorRule] = {}
    hits, orths = _anchor_hits_and_words(doc, compiled, table)
    rows: dict[int, list[int]] = {}
    if orths is None:
        # the rows _may_go_on reads (the token after each anchor), fetched in one numpy call
        rows = _rows_after(
            table, [p for p, rule in hits if rule.follow is not None and rule.goes_on]
        )
    follow_memo = compiled.follow_memo
    if len(follow_memo) > PREFIX_MEMO_LIMIT:
        compiled.follow_memo = follow_memo = {}
    for position, rule in hits:
        for key in rule.keys:
            yield key, position, position + 1
        if not rule.goes_on:
            continue
        if rule.follow is None:
            goes_on = True
        elif position + 1 >= length:
            goes_on = False
        elif orths is not None and rule.follow_by_word:
            key = (rule.number, orths[position + 1])
            goes_on = follow_memo.get(key)  # type: ignore[assignment]
            if goes_on is None:
                goes_on = follow_memo[key] = _may_go_on(
                    {position + 1: table[position + 1].tolist()}, position, rule
                )
        else:
            if position + 1 not in rows:
                rows[position + 1] = table[position + 1].tolist()
            goes_on = _may_go_on(rows, position, rule)
        if goes_on:
            rules[id(rule)] = rule
            windows[id(rule)].append((position, min(length, position + rule.reach)))
    for number, rule in rules.items():
        # Every match of this rule's patterns starts where its anchor holds, so overlapping
        # windows can be run as one (as far as the merged window reaches, as the Matcher
        # would run over it).
        starts = sorted(position for position, _ in windows[number])
        for start, end in _merge(windows[number]):
            if rule.table:
                window_rows = table[start:end].tolist()
                for position in starts:
                    if start <= position < end:
                        for pattern in rule.table:
                            for last in pattern.ends(window_rows, position - start, end - start):
                                yield pattern.key, position, start + last
            if rule.matcher is not None:
                found = rule.matcher(doc[start:end])
                yield from ((key, start + first, start + last) for key, first, last in found)


def _exception_matches(
    doc: Doc, table: numpy.ndarray, exceptions: _Exceptions, windows: list[tuple[int, int]]
) -> Iterable[tuple[int, int, int]]:
    """Matches of one entry's token-pattern exceptions within ``windows`` (token ranges)."""
    for start, end in _merge(windows):
        if exceptions.table:
            # The order of the matches does not matter: they only excuse matches they hold.
            window_rows = table[start:end].tolist()
            stop = end - start
            for first, row in enumerate(window_rows):
                for at, starting in exceptions.by_first:
                    for pattern in starting.get(row[at], ()):
                        for last in pattern.ends(window_rows, first, stop):
                            yield pattern.key, start + first, start + last
                for pattern in exceptions.anywhere:
                    for last in pattern.ends(window_rows, first, stop):
                        yield pattern.key, start + first, start + last
        if exceptions.matcher is not None:
            found = exceptions.matcher(doc[start:end])
            yield from ((key, start + first, start + last) for key, first, last in found)


def _longest(tokens: tuple[dict[str, Any], ...]) -> int:
    """The most tokens a pattern can match."""
    if any(token.get("OP") in {"*", "+"} or "{" in str(token.get("OP", "")) for token in tokens):
        return OPEN_ENDED_SPAN
    return len(tokens)


def _expand_first_token(tokens: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rewrite a leading ``{ATTR: {IN: [a, b]}}`` as one pattern per value, and a leading
    optional token (``OP: "?"``) as one pattern with it and one without.

    The Matcher tries every pattern at every token; a plain attribute value is compared in
    C, while an ``IN`` set is a Python predicate called for each token, several times
    slower. Expanding the first token keeps the semantics and skips that cost. A pattern
    with an optional first token matches from every token (the Matcher reports the match
    with and the one without it); the two patterns each have a plain first token, so both
    can be anchored (:func:`_anchor`) and tried only where it holds.
    """
    first = tokens[0]
    if first.get("OP") == "?" and len(tokens) > 1:
        required = {name: value for name, value in first.items() if name != "OP"}
        return [*_expand_first_token([required, *tokens[1:]]), *_expand_first_token(tokens[1:])]
    if len(first) == 1:
        ((attribute, condition),) = first.items()
        if isinstance(condition, dict) and list(condition) == ["IN"]:
            return [[{attribute: value}, *tokens[1:]] for value in condition["IN"]]
    return [tokens]


_WORD_ATTRIBUTES = {"LOWER"}


def _word_regex(tokens: list[dict[str, Any]]) -> re.Pattern[str] | None:
    """The regex of a one-token pattern ``{LOWER: {REGEX: ...}}``, or ``None``.

    spaCy's Matcher calls a Python predicate for such a token at every position of every
    text; the same ``re.search`` on each distinct lower-case word, remembered across texts
    (:func:`_word_regex_matches`), finds the same tokens.
    """
    if len(tokens) != 1 or len(tokens[0]) != 1:
        return None
    ((attribute, condition),) = tokens[0].items()
    if attribute not in _WORD_ATTRIBUTES or not isinstance(condition, dict):
        return None
    if list(condition) != ["REGEX"]:
        return None
    return re.compile(condition["REGEX"])


def _word_regex_matches(
    doc: Doc, compiled: _Compiled, lowers: list[int], distinct: set[int], column: numpy.ndarray
) -> Iterable[tuple[int, int, int]]:
    """Matches of the one-token regex patterns, from the lower-case hashes of the tokens
    (``lowers``; ``distinct`` the set of them, ``column`` the same as an array)."""
    strings = doc.vocab.strings
    memo, found = compiled.word_regex_memo, compiled.word_regex_found
    if len(memo) > PREFIX_MEMO_LIMIT:
        memo.clear()
        found.clear()
    for word_hash in distinct.difference(memo):
        lower = strings[word_hash]
        keys = tuple(key for regex, key in compiled.word_regexes if regex.search(lower))
        if keys:  # into the set before the memo: a word the memo knows is in the set
            found.add(word_hash)
        memo[word_hash] = keys
    for position in _positions(column, distinct & found):
        for key in memo[lowers[position]]:
            yield key, position, position + 1


def _positions(column: numpy.ndarray, words: set[int]) -> list[int]:
    """The positions in ``column`` (hashes, one per token) holding one of ``words``.

    >>> _positions(numpy.array([5, 3, 5, 9], dtype="uint64"), {5, 9})
    [0, 2, 3]
    """
    if not words:
        return []
    wanted = numpy.array(sorted(words), dtype="uint64")
    return numpy.flatnonzero(in_sorted(column, wanted)).tolist()


def _add_phrase_or_prefix(
    pattern: Pattern,
    name: str,
    key: int,
    matchers: dict[str, PhraseMatcher],
    prefixes: dict[str, list[_Prefix]],
) -> None:
    nlp = get_pipeline()
    if pattern.kind == "prefix":
        words = tuple(token.lower_ for token in nlp.make_doc(pattern.text))
        prefixes[words[-1][0]].append(_Prefix(words[:-1], words[-1], key))
    elif pattern.kind == "lemma":
        matchers["lemma"].add(name, [nlp(pattern.text)])
    else:
        matchers[pattern.kind].add(name, [nlp.make_doc(pattern.text)])


def _raw_matches(doc: Doc, compiled: _Compiled, table: numpy.ndarray) -> list[tuple[int, int, int]]:
    raw: list[tuple[int, int, int]] = []
    for matcher in compiled.matchers.values():
        if len(matcher):
            raw += matcher(doc)
    lowers = table[:, 0].tolist()
    distinct = set(lowers)
    raw += _token_matches(doc, compiled, table, lowers, distinct)
    if compiled.stems:
        raw += _prefix_matches(doc, compiled, lowers, distinct, table[:, 0])
    return raw


def _token_matches(
    doc: Doc,
    compiled: _Compiled,
    table: numpy.ndarray,
    lowers: list[int] | None = None,
    distinct: set[int] | None = None,
) -> list[tuple[int, int, int]]:
    """Matches of every token pattern (not the exceptions), custom attributes checked.

    The same as one Matcher holding them all, run over the whole text, would find.
    ``lowers``: the table's LOWER column as a list, ``distinct`` its set (when known).
    """
    if lowers is None or distinct is None:
        lowers = table[:, 0].tolist()
        distinct = set(lowers)
    found: list[tuple[int, int, int]] = []
    if len(compiled.free_matcher):
        found += _checked(doc, compiled.free_matcher(doc), compiled)
    if compiled.word_regexes:
        found += _checked(
            doc, _word_regex_matches(doc, compiled, lowers, distinct, table[:, 0]), compiled
        )
    found += _checked(doc, _anchored_matches(doc, compiled, table), compiled)
    return found


def _checked(
    doc: Doc, matches: Iterable[tuple[int, int, int]], compiled: _Compiled
) -> list[tuple[int, int, int]]:
    """Apply custom-attribute (``_``) conditions to the Matcher's candidate matches.

    spaCy would call the Python getter for every token of every text; checking only the
    few candidates keeps the cost negligible. The loader allows ``_`` only in patterns
    without operators, so token positions within a match are fixed. (A list, not a
    generator: most matches have no such condition, and a generator costs a frame switch
    per match.)
    """
    conditions_of = compiled.extension_conditions
    return [
        match
        for match in matches
        if (conditions := conditions_of.get(match[0])) is None
        or _extensions_hold(doc, match[1], conditions)
    ]


def _extensions_hold(doc: Doc, start: int, conditions: tuple[dict[str, object], ...]) -> bool:
    """Whether the tokens from ``start`` meet their custom-attribute conditions."""
    return all(
        getattr(doc[start + offset]._, name) == value
        for offset, names in enumerate(conditions)
        for name, value in names.items()
    )


def _prefix_matches(
    doc: Doc, compiled: _Compiled, lowers: list[int], distinct: set[int], column: numpy.ndarray
) -> Iterable[tuple[int, int, int]]:
    # Work on the lower-case hashes (``lowers``, from one C call) and remember, per distinct
    # word, which prefixes it starts with: texts repeat words, and creating a Token per word
    # is the main cost of a Python loop over a Doc.
    strings = doc.vocab.strings
    memo, found = compiled.prefix_memo, compiled.prefix_found
    if len(memo) > PREFIX_MEMO_LIMIT:
        memo.clear()
        found.clear()
    for word_hash in distinct.difference(memo):
        lower = strings[word_hash]
        prefixes = (
            tuple(
                prefix
                for prefix in compiled.prefixes.get(lower[0], ())
                if lower.startswith(prefix.stem)
            )
            if lower.startswith(compiled.stems)
            else ()
        )
        if prefixes:  # into the set before the memo: a word the memo knows is in the set
            found.add(word_hash)
        memo[word_hash] = prefixes
    for position in _positions(column, distinct & found):
        for prefix in memo[lowers[position]]:
            first = position - len(prefix.before)
            if first >= 0 and all(
                strings[lowers[first + n]] == word for n, word in enumerate(prefix.before)
            ):
                yield prefix.key, first, position + 1


def _excused(
    hit: tuple[int, int, int],
    entry: LexiconEntry,
    exceptions: Iterable[tuple[int, int]],
    text: str,
    memo: dict[tuple[str, str], bool],
) -> bool:
    _, start, end = hit
    if exceptions and any(low <= start and end <= high for low, high in exceptions):
        return True
    if entry.context:
        key = ("context", entry.id)
        if key not in memo:
            memo[key] = not _in_context(text, entry.context)
        if memo[key]:
            return True
    if entry.skip_headings and _on_heading_line(text, start):
        return True
    if not entry.acronym:
        return False
    key = ("acronym", text[start:end])
    if key not in memo:
        memo[key] = acronyms.is_explained(text, text[start:end])
    if (
        memo[key]
        or acronyms.is_shouted(text, start, end)
        or acronyms.is_reference(text, start, end)
    ):
        return True
    if entry.common_words_in_lists_only:
        if acronyms.is_spam_warning(text, start):
            return True
        return acronyms.is_everyday_word(text[start:end]) and not acronyms.in_capital_list(
            text, start, end
        )
    return False


def _in_context(text: str, phrases: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``phrases`` as whole words, in any case."""
    return _context_regex(phrases).search(text) is not None


@lru_cache(maxsize=256)
def _context_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    pattern = r"(?<!\w)(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(pattern + r")(?!\w)", re.IGNORECASE)


def _line_at(text: str, position: int) -> str:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    return text[line_start : len(text) if line_end == -1 else line_end].strip()


def _on_heading_line(text: str, position: int) -> bool:
    """A short line that is not a bullet and does not end like a sentence."""
    line = _line_at(text, position)
    if line.startswith(_LINE_OPENERS) or line.endswith(_SENTENCE_END):
        return False
    return len(line.split()) <= HEADING_MAX_WORDS


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _resolve_overlaps(
    hits: list[tuple[int, int, int]], entries: tuple[LexiconEntry, ...]
) -> list[tuple[int, int, int]]:
    """Keep, per category, the longest of overlapping matches (then most severe, earliest)."""
    ranked = sorted(
        set(hits),
        key=lambda hit: (hit[1] - hit[2], -entries[hit[0]].severity, hit[0], hit[1]),
    )
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    kept = []
    for index, start, end in ranked:
        spans = taken[entries[index].category]
        if any(start < other_end and other_start < end for other_start, other_end in spans):
            continue
        spans.append((start, end))
        kept.append((index, start, end))
    return kept


def _finding(
    entry: LexiconEntry,
    start: int,
    end: int,
    text: str,
    occurrences: tuple[tuple[int, int], ...] = (),
) -> Finding:
    explanation = entry.explanation
    if entry.condition is not None:
        explanation = f"{explanation} ({entry.condition})"
    return Finding(
        rule_id=entry.id,
        category=entry.category,
        severity=entry.severity,
        start=start,
        end=end,
        text=text[start:end],
        explanation=explanation,
        suggestions=entry.suggestions,
        source=entry.source,
        occurrences=occurrences,
    )
