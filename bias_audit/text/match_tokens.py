"""Running the compiled token patterns, prefixes and one-word regexes over a Doc's token table.

Anchored patterns are tried only where their first token holds, exceptions only around the
matches they may excuse; see :mod:`bias_audit.text.matching` for the design and
:mod:`bias_audit.text.match_rules` for the compiled form.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc

from bias_audit.text.match_rules import AnchorRule, CompiledRules, Exceptions
from bias_audit.text.pipeline import in_sorted
from bias_audit.text.table_patterns import TablePattern
from bias_audit.text.word_rows import (
    NOTHING,
    PREFIX_MEMO_LIMIT,
    anchor_plan,
    word_anchors,
    word_facts,
    word_plan,
    word_prefixes,
    word_regex_keys,
)


def _rows_after(table: numpy.ndarray, positions: list[int]) -> dict[int, list[int]]:
    """The token table's rows just after ``positions`` (those that exist), as lists."""
    wanted = sorted({p + 1 for p in positions if p + 1 < len(table)})
    return dict(zip(wanted, table[wanted].tolist(), strict=True)) if wanted else {}


def token_table(doc: Doc, compiled: CompiledRules) -> numpy.ndarray:
    """One row per token, one column per attribute in ``compiled.attributes``.

    ``Doc.to_array`` costs about 40 ns per token and attribute, so for a dozen attributes
    a tenth of tokenising. Every attribute but ``IDX`` is the word's (the lexeme's), so
    only ``ORTH`` and ``IDX`` are read from the Doc, and the rest come from the rows
    remembered per distinct word (:class:`WordRows`).
    """
    if compiled.word_rows is None or not compiled.word_rows.serves(doc):
        return doc.to_array(list(compiled.attributes)).reshape(len(doc), -1)
    return compiled.word_rows.table(doc)


def token_table_and_flags(
    doc: Doc, compiled: CompiledRules
) -> tuple[numpy.ndarray, numpy.ndarray | None]:
    """:func:`token_table`, and each token's word flags (:func:`word_rows.word_flags`) when
    the per-word patterns can be looked up from them (else ``None``)."""
    rows = compiled.word_rows
    if rows is None or rows.facts is None or not rows.serves(doc):
        return token_table(doc, compiled), None
    return rows.table_and_flags(doc)


#: Up to this many new words are found with ``list.index`` (in C), more in one pass.
FEW_NEW_WORDS = 8


def anchor_hits(
    doc: Doc, compiled: CompiledRules, table: numpy.ndarray | None = None
) -> list[tuple[int, AnchorRule]]:
    """Every token position where an anchor holds, with what to run there."""
    if table is None:
        table = token_table(doc, compiled)
    return _anchor_hits_and_words(doc, compiled, table)[0]


def _anchor_hits_and_words(
    doc: Doc, compiled: CompiledRules, table: numpy.ndarray
) -> tuple[list[tuple[int, AnchorRule]], list[int] | None]:
    """:func:`anchor_hits`, and the ORTH hash of every token when the anchors that hold
    were looked up per word (``None`` when they were found per position)."""
    by_word = _anchor_positions(doc, compiled, table)
    if by_word is not None:
        positions, orths, memo = by_word
        return [(position, rule) for position in positions for rule in memo[orths[position]]], orths
    return _anchor_hits_per_position(compiled, table), None


def _anchor_positions(
    doc: Doc, compiled: CompiledRules, table: numpy.ndarray
) -> tuple[list[int], list[int], dict[int, tuple[AnchorRule, ...]]] | None:
    """Where an anchor holds, when that can be looked up per word: the positions, the ORTH
    hash of every token and the memo of each word's anchors (``None``: it cannot, as an
    anchor reads a token attribute)."""
    memo = compiled.anchor_memo
    if memo is None or compiled.word_rows is None or not compiled.word_rows.serves(doc):
        return None
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
        return [], orths, memo
    wanted = numpy.array(sorted(holding), dtype="uint64")
    return numpy.flatnonzero(in_sorted(column, wanted)).tolist(), orths, memo


def _anchor_hits_per_position(
    compiled: CompiledRules, table: numpy.ndarray
) -> list[tuple[int, AnchorRule]]:
    """Every (position, rule) where an anchor holds, found with numpy per anchor group."""
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
    return found_at


def _remember_anchors(
    compiled: CompiledRules, table: numpy.ndarray, orths: list[int], missing: set[int]
) -> tuple[set[int], dict[int, tuple[AnchorRule, ...]]]:
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
        rules = word_anchors(compiled, table[position].tolist())
        if rules:
            found.add(orth)
        memo[orth] = rules
    return found, memo


#: Where anchors hold, per word: (position, ORTH hash, the next's or None, the anchors).
_Anchored = list[tuple[int, int, int | None, tuple[AnchorRule, ...]]]


def _anchored_matches(
    doc: Doc, compiled: CompiledRules, table: numpy.ndarray, anchored: _Anchored | None = None
) -> Iterable[tuple[int, int, int]]:
    """Matches of the anchored token patterns, each tried only where its anchor holds
    (``anchored``, when the caller has looked them up per word)."""
    length = len(doc)
    windows: dict[int, list[tuple[int, int]]] = defaultdict(list)  # id(rule) -> windows
    # id(rule) -> (anchor position, the table patterns that may match from there)
    tries: dict[int, list[tuple[int, tuple[TablePattern, ...]]]] = defaultdict(list)
    rules: dict[int, AnchorRule] = {}
    going_at: list[tuple[int, AnchorRule, tuple[TablePattern, ...]]] = []
    rows: dict[int, list[int]] = {}
    by_word = None if anchored is not None else _anchor_positions(doc, compiled, table)
    if anchored is None and by_word is None:
        hits = _anchor_hits_per_position(compiled, table)
        # the rows anchor_plan reads (the token after each anchor), fetched in one numpy call
        rows = _rows_after(table, [p for p, rule in hits if rule.goes_on])
        for position, rule in hits:
            for key in rule.keys:
                yield key, position, position + 1
            if rule.goes_on:
                goes_on, patterns = anchor_plan(rule, rows.get(position + 1))
                if goes_on:
                    going_at.append((position, rule, patterns))
    else:
        if anchored is None:
            assert by_word is not None
            positions, orths, memo = by_word
            anchored = [
                (p, orths[p], orths[p + 1] if p + 1 < length else None, memo[orths[p]])
                for p in positions
            ]
        # What happens at an anchor is, but for rules reading a token attribute of the next
        # token, a fact about the anchor word and the next word: remembered per word pair.
        plans = compiled.anchor_plans
        if len(plans) > PREFIX_MEMO_LIMIT:
            compiled.anchor_plans = plans = {}
        for position, word, after, anchors in anchored:
            pair = (word, after)
            plan = plans.get(pair)
            if plan is None:
                row = None if after is None else table[position + 1].tolist()
                plan = plans[pair] = word_plan(anchors, row)
            if plan is NOTHING:
                continue
            keys, going, per_position = plan
            for key in keys:
                yield key, position, position + 1
            for rule, patterns in going:
                going_at.append((position, rule, patterns))
            for rule in per_position:
                row = None if after is None else table[position + 1].tolist()
                goes_on, patterns = anchor_plan(rule, row)
                if goes_on:
                    going_at.append((position, rule, patterns))
    for position, rule, patterns in going_at:
        rules[id(rule)] = rule
        windows[id(rule)].append((position, min(length, position + rule.reach)))
        if patterns:
            tries[id(rule)].append((position, patterns))
    for number, rule in rules.items():
        # Every match of this rule's patterns starts where its anchor holds, so overlapping
        # windows can be run as one (as far as the merged window reaches, as the Matcher
        # would run over it).
        tried = tries.get(number, ())
        for start, end in merge_windows(windows[number]):
            window_rows: list[list[int]] | None = None
            for position, patterns in tried:
                if start <= position < end:
                    if window_rows is None:
                        window_rows = table[start:end].tolist()
                    for pattern in patterns:
                        for last in pattern.ends(window_rows, position - start, end - start):
                            yield pattern.key, position, start + last
            if rule.matcher is not None:
                found = rule.matcher(doc[start:end])
                yield from ((key, start + first, start + last) for key, first, last in found)


def exception_matches(
    doc: Doc,
    table: numpy.ndarray,
    exceptions: Exceptions,
    windows: list[tuple[int, int]] | list[tuple[int, int, int]],
) -> Iterable[tuple[int, int, int]]:
    """Matches of one entry's token-pattern exceptions within ``windows`` (token ranges).

    A window may carry the first token of the match it was drawn around: an exception only
    excuses a match it holds, and the entry's matches in a merged window start by the
    latest of these, so on table rows no exception is tried from after it."""
    for start, end, latest in _merged_with_latest(windows):
        if exceptions.table:
            # The order of the matches does not matter: they only excuse matches they hold.
            window_rows = table[start:end].tolist()
            stop = end - start
            firsts = min(latest - start + 1, stop)
            by_first, anywhere = exceptions.by_first, exceptions.anywhere
            if len(by_first) == 1 and not anywhere:  # most entries: one column to look up
                ((at, starting),) = by_first
                for first in range(firsts):
                    patterns = starting.get(window_rows[first][at])
                    if patterns is not None:
                        for pattern in patterns:
                            for last in pattern.ends(window_rows, first, stop):
                                yield pattern.key, start + first, start + last
            else:
                for first in range(firsts):
                    row = window_rows[first]
                    for at, starting in by_first:
                        for pattern in starting.get(row[at], ()):
                            for last in pattern.ends(window_rows, first, stop):
                                yield pattern.key, start + first, start + last
                    for pattern in anywhere:
                        for last in pattern.ends(window_rows, first, stop):
                            yield pattern.key, start + first, start + last
        if exceptions.matcher is not None:
            found = exceptions.matcher(doc[start:end])
            yield from ((key, start + first, start + last) for key, first, last in found)


def _merged_with_latest(
    windows: list[tuple[int, int]] | list[tuple[int, int, int]],
) -> list[tuple[int, int, int]]:
    """:func:`merge_windows`, each with the latest third number in it (or its end - 1).

    >>> _merged_with_latest([(0, 5, 2), (4, 9, 6), (12, 15, 13), (20, 22)])
    [(0, 9, 6), (12, 15, 13), (20, 22, 21)]
    """
    merged: list[tuple[int, int, int]] = []
    for window in sorted(windows):
        start, end = window[0], window[1]
        latest = window[2] if len(window) > 2 else end - 1  # type: ignore[misc]
        if merged and start <= merged[-1][1]:
            low, high, last = merged[-1]
            merged[-1] = (low, max(end, high), max(latest, last))
        else:
            merged.append((start, end, latest))
    return merged


def _word_regex_matches(
    doc: Doc, compiled: CompiledRules, lowers: list[int], distinct: set[int], column: numpy.ndarray
) -> Iterable[tuple[int, int, int]]:
    """Matches of the one-token regex patterns, from the lower-case hashes of the tokens
    (``lowers``; ``distinct`` the set of them, ``column`` the same as an array)."""
    strings = doc.vocab.strings
    memo, found = compiled.word_regex_memo, compiled.word_regex_found
    if len(memo) > PREFIX_MEMO_LIMIT:
        memo.clear()
        found.clear()
    for word_hash in distinct.difference(memo):
        keys = word_regex_keys(compiled, strings[word_hash])
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


def raw_matches(
    doc: Doc, compiled: CompiledRules, table: numpy.ndarray, flags: numpy.ndarray | None = None
) -> list[tuple[int, int, int]]:
    """Every match of the entries' patterns (not the exceptions); ``flags`` as
    :func:`token_table_and_flags` gives them, when it does."""
    raw: list[tuple[int, int, int]] = []
    for matcher in compiled.matchers.values():
        if len(matcher):
            raw += matcher(doc)
    if flags is not None:
        found, prefixed = _flagged_matches(doc, compiled, table, flags)
        return raw + found + prefixed
    lowers = table[:, 0].tolist()
    distinct = set(lowers)
    raw += token_matches(doc, compiled, table, lowers, distinct)
    if compiled.stems:
        raw += _prefix_matches(doc, compiled, lowers, distinct, table[:, 0])
    return raw


def _flagged_matches(
    doc: Doc, compiled: CompiledRules, table: numpy.ndarray, flags: numpy.ndarray
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """The token patterns' matches (as :func:`token_matches`) and the prefix patterns'
    (as :func:`_prefix_matches`), from the words' flags: only the flagged positions are
    visited, with the facts remembered for their words (no per-text sets of words)."""
    found: list[tuple[int, int, int]] = []
    if len(compiled.free_matcher):
        found += checked(doc, compiled.free_matcher(doc), compiled)
    positions = numpy.flatnonzero(flags)
    if not len(positions):
        return found, []
    length = len(doc)
    orth_at = compiled.attributes.index(ORTH)
    rows = table[positions].tolist()
    afters = table[numpy.minimum(positions + 1, length - 1), orth_at].tolist()
    strings = doc.vocab.strings
    memo = compiled.word_facts
    regex_hits: list[tuple[int, int, int]] = []
    prefixed: list[tuple[int, int, int]] = []
    anchored: _Anchored = []
    for position, row, after in zip(positions.tolist(), rows, afters, strict=True):
        facts = memo.get(row[orth_at])
        if facts is None:  # the memo was emptied since the word was flagged
            facts = word_facts(compiled, row, strings)
        anchors, keys, prefixes = facts
        for key in keys:
            regex_hits.append((key, position, position + 1))
        for prefix in prefixes:
            first = _prefix_start(prefix, position, lambda at: strings[int(table[at, 0])])
            if first is not None:
                prefixed.append((prefix.key, first, position + 1))
        if anchors:
            after_word = after if position + 1 < length else None
            anchored.append((position, row[orth_at], after_word, anchors))
    if regex_hits:
        found += checked(doc, regex_hits, compiled)
    found += checked(doc, _anchored_matches(doc, compiled, table, anchored), compiled)
    return found, prefixed


def token_matches(
    doc: Doc,
    compiled: CompiledRules,
    table: numpy.ndarray,
    lowers: list[int] | None = None,
    distinct: set[int] | None = None,
    flags: numpy.ndarray | None = None,
) -> list[tuple[int, int, int]]:
    """Matches of every token pattern (not the exceptions), custom attributes checked.

    The same as one Matcher holding them all, run over the whole text, would find.
    ``lowers``: the table's LOWER column as a list, ``distinct`` its set (when known);
    ``flags``: the words' flags (:func:`token_table_and_flags`), when known.
    """
    if flags is not None:
        return _flagged_matches(doc, compiled, table, flags)[0]
    if lowers is None or distinct is None:
        lowers = table[:, 0].tolist()
        distinct = set(lowers)
    found: list[tuple[int, int, int]] = []
    if len(compiled.free_matcher):
        found += checked(doc, compiled.free_matcher(doc), compiled)
    if compiled.word_regexes:
        found += checked(
            doc, _word_regex_matches(doc, compiled, lowers, distinct, table[:, 0]), compiled
        )
    found += checked(doc, _anchored_matches(doc, compiled, table), compiled)
    return found


def checked(
    doc: Doc, matches: Iterable[tuple[int, int, int]], compiled: CompiledRules
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
    doc: Doc, compiled: CompiledRules, lowers: list[int], distinct: set[int], column: numpy.ndarray
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
        prefixes = word_prefixes(compiled, strings[word_hash])
        if prefixes:  # into the set before the memo: a word the memo knows is in the set
            found.add(word_hash)
        memo[word_hash] = prefixes
    for position in _positions(column, distinct & found):
        for prefix in memo[lowers[position]]:
            first = _prefix_start(prefix, position, lambda at: strings[lowers[at]])
            if first is not None:
                yield prefix.key, first, position + 1


def _prefix_start(prefix: Any, position: int, word_at: Callable[[int], str]) -> int | None:
    """Where a match of ``prefix`` ending with the word at ``position`` starts, if the words
    before it (``word_at``: a position's lower-case word) are the prefix's; else ``None``."""
    first = position - len(prefix.before)
    if first >= 0 and all(word_at(first + n) == word for n, word in enumerate(prefix.before)):
        return first
    return None


def merge_windows(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
