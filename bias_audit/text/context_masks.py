"""Bit masks over the context cues, so that :func:`bias_audit.text.context.segment` tells
which cue groups may decide a sentence with a few integer operations.

Every sentence rule and phrase cue of a compiled cue file gets one bit (:class:`CueMasks`);
each keyword reports the mask of the rules and cues that require it
(:func:`keyword_mask_table`). :class:`KeywordPlaces` hands out, for stretches taken in text
order, the mask of the keywords standing wholly inside each: a rule whose bit is clear there
cannot match there, so its regex is not run, and the results are those of running it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bias_audit.lexicon_context import ContextCue

if TYPE_CHECKING:
    from bias_audit.text.context_rules import _SentenceRule


class KeywordPlaces:
    """The places of the cue keywords in one text, handed out stretch by stretch.

    ``found``: ``(last, (length, mask))`` for every place (overlaps too), in the order of
    ``last`` (the index of the place's last character), as the keyword automaton reports
    them. A stretch holds a keyword exactly when one of the keyword's places lies wholly
    inside it. The stretches must be asked for in text order, not overlapping: a place
    ending before a stretch's end then either lies inside it or starts before it (and so
    lies inside no later stretch either), and :meth:`take` passes each place once.

    >>> places = KeywordPlaces([(1, (2, 1)), (2, (2, 1)), (3, (1, 2))])
    >>> places.take(0, 0, 1), places.take(1, 1, 4), places.take(4, 4, 9)
    ((0, 0), (3, 3), (0, 0))
    >>> places = KeywordPlaces([(1, (2, 1)), (3, (1, 2))])
    >>> places.take(0, 2, 4)  # the whole stretch, and from 2 on
    (3, 2)
    >>> places.next_end > 10**9  # all taken
    True
    """

    __slots__ = ("_at", "_found", "next_end")

    def __init__(self, found: list[tuple[int, tuple[int, int]]]) -> None:
        self._found = found
        self._at = 0
        # the end of the first place not yet taken (past every text when none is left): a
        # stretch ending at or before it holds no keyword, and the caller need not ask
        self.next_end = found[0][0] + 1 if found else sys.maxsize

    def take(self, start: int, body_start: int, end: int) -> tuple[int, int]:
        """The masks of the keywords inside ``[start, end)`` and ``[body_start, end)``.

        ``body_start`` is at least ``start``. Later calls must ask for stretches starting
        at or after ``end``.
        """
        found, at = self._found, self._at
        whole = body = 0
        last_inside = end - 1
        while at < len(found):
            last, (length, mask) = found[at]
            if last > last_inside:
                break
            at += 1
            place_start = last + 1 - length
            if place_start >= start:
                whole |= mask
                if place_start >= body_start:
                    body |= mask
        self._at = at
        self.next_end = found[at][0] + 1 if at < len(found) else sys.maxsize
        return whole, body


class CueMasks:
    """The sentence rules and phrase cues of one cue file as bits (see the module docstring).

    Bit ``i`` stands for the i-th sentence rule (precedence order), bit ``phrase_shift + j``
    for the j-th phrase cue. A rule whose anchored cues may open any sentence
    (``openings`` None) is in ``anchored_always``; one whose other regex has no keyword
    pre-filter is in ``anywhere_always``; a phrase cue with no required word in
    ``phrase_always`` (shifted down). ``openings`` gives, per opening length, the rules
    (as a mask) whose anchored regex may match a sentence opening with that text.
    """

    __slots__ = (
        "_allowed",
        "_kept_from",
        "_rules",
        "anchored_always",
        "anywhere_always",
        "openings",
        "phrase_always",
        "phrase_shift",
        "subsets",
    )

    def __init__(
        self,
        sentence: tuple[_SentenceRule, ...],
        phrase_parts: tuple[tuple[ContextCue, tuple[str, ...] | None], ...],
    ) -> None:
        self.phrase_shift = len(sentence)
        self.phrase_always = sum(
            1 << n for n, (_, words) in enumerate(phrase_parts) if words is None
        )
        self.anchored_always = sum(1 << n for n, r in enumerate(sentence) if r.openings is None)
        self.anywhere_always = sum(1 << n for n, r in enumerate(sentence) if r.keywords is None)
        by_length: dict[int, dict[str, int]] = {}
        for n, rule in enumerate(sentence):
            for opening in rule.openings or ():  # empty: the anchored regex never matches
                table = by_length.setdefault(rule.opening_length, {})
                table[opening] = table.get(opening, 0) | 1 << n
        self.openings = tuple(sorted(by_length.items()))
        self._rules = tuple(
            (1 << n, r.kind, r.anchored, r.anywhere, r.by_group) for n, r in enumerate(sentence)
        )
        self._kept_from = tuple(r.kept_from for r in sentence)
        # rules_of by mask, filled as needed (read directly by classify, a look-up a sentence)
        self.subsets: dict[int, tuple[_RuleEntry, ...]] = {}
        self._allowed: dict[str, int] = {}  # by section kind, filled as needed

    def rules_of(self, mask: int) -> tuple[_RuleEntry, ...]:
        """The rules whose bits ``mask`` sets, in precedence order (remembered per mask)."""
        found = self.subsets.get(mask)
        if found is None:
            found = self.subsets[mask] = tuple(r for r in self._rules if mask & r[0])
        return found

    def allowed(self, section: str) -> int:
        """The rules a cue of which may take a sentence over from a section of this kind."""
        found = self._allowed.get(section)
        if found is None:
            found = self._allowed[section] = sum(
                1 << n for n, kept in enumerate(self._kept_from) if section not in kept
            )
        return found


#: One sentence rule as :meth:`CompiledCues.classify` reads it: its bit, kind, anchored regex,
#: the regex for cues found anywhere, and the cue by group name.
_RuleEntry = tuple[int, str, re.Pattern[str], re.Pattern[str], dict[str, ContextCue]]


def keyword_mask_table(
    sentence: Sequence[_SentenceRule],
    phrase_parts: Sequence[tuple[ContextCue, tuple[str, ...] | None]],
) -> dict[str, int]:
    """Each keyword's mask (:class:`CueMasks`): the rules and phrase cues that require it."""
    masks: dict[str, int] = {}
    for n, rule in enumerate(sentence):
        for word in rule.keywords or ():
            masks[word] = masks.get(word, 0) | 1 << n
    for n, (_, words) in enumerate(phrase_parts, start=len(sentence)):
        for word in words or ():
            masks[word] = masks.get(word, 0) | 1 << n
    return masks
