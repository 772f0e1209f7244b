"""Running the compiled token patterns, prefixes and one-word regexes over a Doc's token table.

Anchored patterns are tried only where their first token holds, exceptions only around the
matches they may excuse; see :mod:`bias_audit.text.matching` for the design and
:mod:`bias_audit.text.match_rules` for the compiled form.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc

from bias_audit.text.match_rules import AnchorRule, CompiledRules, Exceptions
from bias_audit.text.pipeline import in_sorted
from bias_audit.text.table_patterns import TablePattern
from bias_audit.text.word_rows import PREFIX_MEMO_LIMIT


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


#: Up to this many words new to a memo are found in the text with ``list.index`` (in C);
#: more are found in one pass over the tokens.
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


def _plan(rule: AnchorRule, row: list[int] | None) -> tuple[bool, tuple[TablePattern, ...]]:
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
_WordPlan = tuple[
    tuple[int, ...],
    tuple[tuple[AnchorRule, tuple[TablePattern, ...]], ...],
    tuple[AnchorRule, ...],
]

_NOTHING: _WordPlan = ((), (), ())


def _word_plan(rules: tuple[AnchorRule, ...], row: list[int] | None) -> _WordPlan:
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
            goes_on, patterns = _plan(rule, row)
            if goes_on:
                going.append((rule, patterns))
        else:
            per_position.append(rule)
    if not keys and not going and not per_position:
        return _NOTHING
    return keys, tuple(going), tuple(per_position)


def _anchored_matches(
    doc: Doc, compiled: CompiledRules, table: numpy.ndarray
) -> Iterable[tuple[int, int, int]]:
    """Matches of the anchored token patterns, each tried only where its anchor holds."""
    length = len(doc)
    windows: dict[int, list[tuple[int, int]]] = defaultdict(list)  # id(rule) -> windows
    # id(rule) -> (anchor position, the table patterns that may match from there)
    tries: dict[int, list[tuple[int, tuple[TablePattern, ...]]]] = defaultdict(list)
    rules: dict[int, AnchorRule] = {}
    going_at: list[tuple[int, AnchorRule, tuple[TablePattern, ...]]] = []
    rows: dict[int, list[int]] = {}
    by_word = _anchor_positions(doc, compiled, table)
    if by_word is None:
        hits = _anchor_hits_per_position(compiled, table)
        # the rows _plan reads (the token after each anchor), fetched in one numpy call
        rows = _rows_after(table, [p for p, rule in hits if rule.goes_on])
        for position, rule in hits:
            for key in rule.keys:
                yield key, position, position + 1
            if rule.goes_on:
                goes_on, patterns = _plan(rule, rows.get(position + 1))
                if goes_on:
                    going_at.append((position, rule, patterns))
    else:
        positions, orths, memo = by_word
        # What happens at an anchor is, but for rules reading a token attribute of the next
        # token, a fact about the anchor word and the next word: remembered per word pair.
        plans = compiled.anchor_plans
        if len(plans) > PREFIX_MEMO_LIMIT:
            compiled.anchor_plans = plans = {}
        for position in positions:
            after = orths[position + 1] if position + 1 < length else None
            pair = (orths[position], after)
            plan = plans.get(pair)
            if plan is None:
                row = None if after is None else table[position + 1].tolist()
                plan = plans[pair] = _word_plan(memo[pair[0]], row)
            if plan is _NOTHING:
                continue
            keys, going, per_position = plan
            for key in keys:
                yield key, position, position + 1
            for rule, patterns in going:
                going_at.append((position, rule, patterns))
            for rule in per_position:
                row = None if after is None else table[position + 1].tolist()
                goes_on, patterns = _plan(rule, row)
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
    doc: Doc, table: numpy.ndarray, exceptions: Exceptions, windows: list[tuple[int, int]]
) -> Iterable[tuple[int, int, int]]:
    """Matches of one entry's token-pattern exceptions within ``windows`` (token ranges)."""
    for start, end in merge_windows(windows):
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


def raw_matches(
    doc: Doc, compiled: CompiledRules, table: numpy.ndarray
) -> list[tuple[int, int, int]]:
    raw: list[tuple[int, int, int]] = []
    for matcher in compiled.matchers.values():
        if len(matcher):
            raw += matcher(doc)
    lowers = table[:, 0].tolist()
    distinct = set(lowers)
    raw += token_matches(doc, compiled, table, lowers, distinct)
    if compiled.stems:
        raw += _prefix_matches(doc, compiled, lowers, distinct, table[:, 0])
    return raw


def token_matches(
    doc: Doc,
    compiled: CompiledRules,
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


def merge_windows(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
