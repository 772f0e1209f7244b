"""spaCy token patterns checked on rows of a token table, for short stretches of text.

spaCy's ``Matcher`` costs about ten microseconds per call before it looks at a token, and
each ``{"IN": [...]}`` condition is a Python predicate it calls at every token for every
pattern. The lexicon engine (:mod:`bias_audit.text.matching`) tries longer patterns only in
short windows around an anchor word and exceptions only around a match, so most of its
matcher time went on that overhead. A pattern whose conditions are plain values or ``IN``
lists on attributes ``Doc.to_array`` can export, with the operators ``?``, ``*`` and ``+``,
is checked here instead: each token is a row of integers (one column per attribute) and a
pattern is a small non-deterministic automaton over the rows. The matches are the same as
the Matcher's (``tests/text/test_table_patterns.py`` compares them on every lexicon pattern
over real and generated text); anything else (``REGEX``, ``NOT_IN``, ``IS_SENT_START``,
``{n,m}`` counts, ``!``) stays with spaCy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import IDS
from spacy.strings import get_string_id

#: Operators the automaton handles: whether the token may be left out, and may repeat.
_OPERATORS: dict[str | None, tuple[bool, bool]] = {
    None: (False, False),
    "?": (True, False),
    "*": (True, True),
    "+": (False, True),
}

#: (token table column, values the attribute may take) pairs that must all hold.
Conditions = tuple[tuple[int, frozenset[int]], ...]


@dataclass(frozen=True, slots=True)
class TablePattern:
    """One token pattern as steps over token-table rows, reported under ``key``."""

    key: int
    # per token: its conditions, whether it may be left out, whether it may repeat
    steps: tuple[tuple[Conditions, bool, bool], ...]
    fixed: bool = False  # no token may be left out or repeat: one possible length
    # the first token's one condition when it has exactly one and may not be left out: a
    # caller trying many positions rules most out with one look-up (None: call ends())
    first_at: int | None = None
    first_allowed: frozenset[int] = frozenset()
    # Derived from ``steps`` (__post_init__), so that ends() does no set-up per call:
    # a fixed pattern's checks as (row offset, column, allowed values), flat;
    checks: tuple[tuple[int, int, frozenset[int]], ...] = field(init=False, default=())
    # per state (steps taken), it and every state reached from it by leaving out optional
    # tokens (the automaton's epsilon closure);
    closures: tuple[frozenset[int], ...] = field(init=False, default=())
    # what the token after the first must be for a match longer than the first token (any
    # of these conditions, those of the tokens after the first up to the first that may not
    # be left out): None when every token after the first may be left out, or the first
    # may be left out or repeat
    after_first: tuple[Conditions, ...] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        steps = self.steps
        checks = tuple(
            (offset, at, allowed)
            for offset, (conditions, _, _) in enumerate(steps)
            for at, allowed in conditions
        )
        closures = []
        for state in range(len(steps) + 1):
            reached = {state}
            while state < len(steps) and steps[state][1]:
                state += 1
                reached.add(state)
            closures.append(frozenset(reached))
        after_first: list[Conditions] | None = []
        for conditions, optional, _ in steps[1:]:
            after_first.append(conditions)
            if not optional:
                break
        else:
            after_first = None
        if steps and (steps[0][1] or steps[0][2]):
            # the first token may be left out, or repeat: the next token may be either
            after_first = None
        object.__setattr__(self, "checks", checks)
        object.__setattr__(self, "closures", tuple(closures))
        object.__setattr__(self, "after_first", None if after_first is None else tuple(after_first))

    def ends(self, rows: Sequence[Sequence[int]], first: int, stop: int) -> tuple[int, ...]:
        """Row numbers just past every match that starts at row ``first``, before ``stop``.

        >>> five, six = ((0, frozenset({5})),), ((0, frozenset({6})),)
        >>> pattern = TablePattern(1, ((five, False, False), (six, True, True)))
        >>> pattern.ends([[5], [6], [6], [9]], 0, 4)
        (1, 2, 3)
        >>> TablePattern(1, ((five, False, False), (six, False, False))).ends([[5], [6]], 0, 2)
        (2,)
        """
        if self.fixed:  # most patterns: one condition set per token, no operators
            end = first + len(self.steps)
            if end > stop:
                return ()
            for offset, at, allowed in self.checks:
                if rows[first + offset][at] not in allowed:
                    return ()
            return (end,)
        steps, closures = self.steps, self.closures
        last = len(steps)
        current = closures[0]
        position = first
        ends = []
        while position < stop:
            row = rows[position]
            following: set[int] = set()
            for state in current:
                if state == last:
                    continue
                conditions, _, repeats = steps[state]
                for at, allowed in conditions:
                    if row[at] not in allowed:
                        break
                else:
                    following |= closures[state + 1]
                    if repeats:
                        following |= closures[state]
            if not following:
                break
            position += 1
            current = following
            if last in current:
                ends.append(position)
        return tuple(ends)

    def may_go_on(self, row: Sequence[int] | None) -> bool:
        """Whether a match from the row before ``row`` (the next token's; None: there is
        none) may be longer than the first token: ``row`` meets ``after_first``.

        >>> five, six = ((0, frozenset({5})),), ((0, frozenset({6})),)
        >>> pattern = TablePattern(1, ((five, False, False), (six, False, False)))
        >>> pattern.may_go_on([6]), pattern.may_go_on([5]), pattern.may_go_on(None)
        (True, False, False)
        """
        after = self.after_first
        if after is None:
            return True
        if row is None:
            return False
        return any(all(row[at] in allowed for at, allowed in c) for c in after)


def table_pattern(
    key: int, tokens: Sequence[Mapping[str, Any]], columns: Mapping[int, int]
) -> TablePattern | None:
    """``tokens`` (a spaCy token pattern) as a :class:`TablePattern`, or ``None`` if it uses
    anything the automaton does not handle or an attribute ``columns`` has no column for.

    ``columns`` maps a spaCy attribute id to its column in the token table.

    >>> from spacy.attrs import LOWER
    >>> p = table_pattern(7, [{"LOWER": "support"}, {"LOWER": {"IN": ["worker", "staff"]}}],
    ...                   {LOWER: 0})
    >>> len(p.steps), p.steps[0][1:]
    (2, (False, False))
    >>> table_pattern(7, [{"LOWER": {"REGEX": "^sup"}}], {LOWER: 0}) is None
    True
    """
    steps = []
    for token in tokens:
        operator = token.get("OP")
        if operator not in _OPERATORS:
            return None
        conditions = table_conditions(token)
        if conditions is None or any(attribute not in columns for attribute, _ in conditions):
            return None
        optional, repeats = _OPERATORS[operator]
        steps.append(
            (
                tuple((columns[attribute], allowed) for attribute, allowed in conditions),
                optional,
                repeats,
            )
        )
    if not steps or all(optional for _, optional, _ in steps):
        return None  # the Matcher's handling of all-optional patterns is its own
    fixed = not any(optional or repeats for _, optional, repeats in steps)
    first_conditions, first_optional, _ = steps[0]
    if len(first_conditions) == 1 and not first_optional:
        ((first_at, first_allowed),) = first_conditions
        return TablePattern(key, tuple(steps), fixed, first_at, first_allowed)
    return TablePattern(key, tuple(steps), fixed)


def table_conditions(token: Mapping[str, Any]) -> tuple[tuple[int, frozenset[int]], ...] | None:
    """A token's conditions as (attribute id, allowed values) pairs; ``None`` if one is not
    a plain value or an ``IN`` list, or is a sentence start (not held as a plain value).

    >>> from spacy.attrs import IS_ALPHA
    >>> table_conditions({"IS_ALPHA": True, "OP": "?"}) == ((IS_ALPHA, frozenset({1})),)
    True
    """
    pairs = []
    for name, value in token.items():
        if name == "OP":
            continue
        attribute = IDS.get("ORTH" if name == "TEXT" else name)
        if attribute is None or name == "IS_SENT_START":
            return None
        if isinstance(value, dict):
            if list(value) != ["IN"]:
                return None
            allowed = frozenset(value_id(v) for v in value["IN"])
        else:
            allowed = frozenset({value_id(value)})
        pairs.append((attribute, allowed))
    return tuple(pairs)


def value_id(value: object) -> int:
    """A pattern value as ``Doc.to_array`` holds it (the Matcher compares the same).

    >>> value_id(True), value_id("nurse") == get_string_id("nurse")
    (1, True)
    """
    if isinstance(value, bool | int):
        return int(value)
    return get_string_id(str(value))
