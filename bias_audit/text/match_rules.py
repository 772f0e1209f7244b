"""The lexicon engine's compiled rules: each entry's patterns, compiled once per lexicon version
and category set (:func:`compiled_rules`), in the form :mod:`bias_audit.text.match_tokens` runs
them (phrase matchers, prefixes, anchored token patterns, exceptions). See
:mod:`bias_audit.text.matching` for how each kind of pattern is run.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy
from spacy.attrs import IDS, IDX, LENGTH, LOWER, ORTH
from spacy.matcher import Matcher, PhraseMatcher
from spacy.strings import get_string_id

from bias_audit.lexicon import Lexicon, LexiconEntry, Pattern
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.table_patterns import TablePattern, table_conditions, table_pattern, value_id
from bias_audit.text.word_rows import IDX_COLUMN, LEXEME_ATTRIBUTES, WordRows, word_flags

#: Token-pattern exceptions are only tried around a match (they must contain it), because
#: running them over the whole text would cost more than every other matcher together. The
#: window reaches as far as the longest exception pattern could; a pattern with an open-ended
#: operator (``*`` or ``+``) is assumed to span at most this many tokens.
OPEN_ENDED_SPAN = 12


#: Compiled (lexicon version, category set) combinations kept before the cache is emptied.
COMPILED_CACHE_LIMIT = 32


@dataclass(frozen=True, slots=True)
class _Prefix:
    before: tuple[str, ...]  # lower-case tokens that must precede the prefix word
    stem: str
    key: int


@dataclass(frozen=True, slots=True)
class AnchorRule:
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
    number: int = 0  # the rule's place among the compiled rules
    # whether the follow conditions read only the word's attributes (not IDX): then whether
    # a pattern may go on is a fact about the next word, remembered in anchor_plans
    follow_by_word: bool = False


@dataclass(frozen=True, slots=True)
class _AnchorGroup:
    """First-token conditions on the same attributes, checked together with numpy."""

    attributes: tuple[int, ...]
    at: tuple[int, ...]  # where the attributes are in the token table (token_table)
    columns: tuple[numpy.ndarray, ...]  # per attribute, every value some anchor wants
    rules: dict[tuple[int, ...], AnchorRule]  # the anchor's values -> what to run


@dataclass(frozen=True, slots=True)
class Exceptions:
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
) -> Exceptions:
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
    return Exceptions(
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
class CompiledRules:
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
    exception_matchers: dict[int, Exceptions]
    extension_conditions: dict[int, tuple[dict[str, object], ...]]  # key -> per-token "_"
    prefixes: dict[str, list[_Prefix]]
    stems: tuple[str, ...]
    prefix_memo: dict[int, tuple[_Prefix, ...]]  # lower-case hash -> prefixes it starts
    prefix_found: set[int]  # the hashes in prefix_memo that start a prefix
    keys: dict[int, tuple[int, bool]]  # matcher key -> (entry index, is exception)
    # the token table's values that depend on the word alone (every column but IDX), per
    # ORTH hash: None when a column holds a token attribute (then Doc.to_array is used)
    word_rows: WordRows | None
    # ORTH hash -> the anchors that hold for the word, in group order; None when an anchor
    # reads a token attribute (not the word's), so anchors are looked for per position
    anchor_memo: dict[int, tuple[AnchorRule, ...]] | None
    # the hashes in anchor_memo with anchors (added before the memo entry, so that a word
    # the memo knows is here too)
    anchor_found: set[int] = field(default_factory=set)
    # (ORTH hash of an anchor word, ORTH hash of the next word or None at the end) -> what
    # the anchors lead to there (word_rows.word_plan), when anchors are looked up per word
    anchor_plans: dict[tuple[int, int | None], tuple[Any, ...]] = field(default_factory=dict)
    # ORTH hash -> the word's anchors, one-word regex keys and prefixes (word_rows.word_facts)
    # for the words with any, filled as word_rows meets new words (word_rows.word_flags)
    word_facts: dict[int, tuple[Any, Any, Any]] = field(default_factory=dict)


_CACHE: dict[tuple[str, frozenset[str]], CompiledRules] = {}


_CACHE_LOCK = threading.Lock()


def compiled_rules(lexicon: Lexicon, categories: frozenset[str]) -> CompiledRules:
    cache_key = (lexicon.version, categories)
    compiled = _CACHE.get(cache_key)
    if compiled is None:
        with _CACHE_LOCK:
            compiled = _CACHE.get(cache_key)
            if compiled is None:
                if len(_CACHE) >= COMPILED_CACHE_LIMIT:  # an edited lexicon leaves old entries
                    _CACHE.clear()
                compiled = compile_rules(lexicon.in_categories(categories))
                _CACHE[cache_key] = compiled
    return compiled


def compile_rules(entries: tuple[LexiconEntry, ...]) -> CompiledRules:
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
    compiled = CompiledRules(
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
        word_rows=WordRows(attributes) if LEXEME_ATTRIBUTES.issuperset(attributes[2:]) else None,
        anchor_memo={}
        if LEXEME_ATTRIBUTES.issuperset(a for group in anchor_groups for a in group.attributes)
        else None,
    )
    if compiled.word_rows is not None and compiled.anchor_memo is not None:
        # every per-word pattern reads the word alone: flag the words as they are first met
        compiled.word_rows.facts = partial(word_flags, compiled)
    return compiled


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
    groups: dict[tuple[int, ...], dict[tuple[int, ...], AnchorRule]] = defaultdict(dict)
    numbered: list[AnchorRule] = []
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
        rule = AnchorRule(
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
