"""What literal text every match of a regular expression holds, or starts with.

Python's regular expressions try a long alternation of ``\\b...`` cues at every position of a
text; most texts match none. Every match of such a pattern contains one of a few literal
words ("patient", "visa", "equal opportunit"), found here by reading the parsed pattern, and
``word in text`` checks those in C. A regex then runs only on text holding one, so the result
is the same, at a fraction of the cost. Used by :mod:`bias_audit.text.context` (cue groups run
only on sentences holding their words) and :mod:`bias_audit.text.notices` (no notice marker
is searched for in a text holding none of their words).
"""

from __future__ import annotations

import bisect
import re
import re._constants as sre_constants
import re._parser as sre_parser

#: Matches nothing: stands in for a scope with no patterns.
NOTHING = "(?!)"

#: Give up enumerating the exact strings of a part once there are more than this many.
_MAX_STRINGS = 64
#: The same for the texts a match may start with (``str.startswith`` checks them all in C).
_MAX_OPENINGS = 512
_ZERO_WIDTH = frozenset({sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT})
_REPEATS = frozenset(
    {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
)


def required_words(pattern: str) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` (no flags) contains, or ``None``.

    ``None`` means the pattern has a match holding no fixed text (then it must always run).
    Of the possible sets the cheapest to check is kept (:func:`_best`), and a string holding
    another of the set is dropped (the other is then present too).

    >>> required_words(r"\\b(?:patients?|service users?)\\b")
    ('patient', 'service user')
    >>> required_words(r"\\bwe (?:want|need)\\b|^to [a-z]+")
    ('to ', 'we need', 'we want')
    >>> required_words(r"[a-z]+ed\\b|x")
    ('x', 'ed')
    >>> required_words(r"[a-z]+|x") is None
    True
    """
    parsed = sre_parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    _, required = _strings(parsed)
    if required is None or "" in required:
        return None
    return tuple(sorted(_minimal(required), key=lambda word: (len(word), word)))


_Strings = frozenset[str] | None


def _strings(sequence: sre_parser.SubPattern | list) -> tuple[_Strings, _Strings]:
    """For a parsed sequence: (the exact strings it can match or None, required strings).

    Zero-width items (``\\b``, ``^``, look-arounds) consume nothing, so the literals either
    side of them are contiguous in the match. Every stretch of items with exact strings is a
    candidate, and so is each item's own requirement; :func:`_best` picks one.
    """
    exact: _Strings = frozenset({""})  # every string the items so far can match, in order
    run = frozenset({""})  # the same since the last item with no exact strings
    candidates: list[frozenset[str]] = []
    for op, argument in sequence:
        item_exact, item_required = _item_strings(op, argument)
        if item_required is not None:
            candidates.append(item_required)
        if item_exact is None:
            candidates.append(run)
            run, exact = frozenset({""}), None
            continue
        candidates.append(run)  # the stretch so far, before it grows
        joined = frozenset(a + b for a in run for b in item_exact)
        run = joined if len(joined) <= _MAX_STRINGS else item_exact
        if exact is not None:
            exact = frozenset(a + b for a in exact for b in item_exact)
            if len(exact) > _MAX_STRINGS:
                exact = None
    candidates.append(run)
    if exact is not None:
        candidates.append(exact)
    return exact, _best(candidates)


def _item_strings(op: object, argument: object) -> tuple[_Strings, _Strings]:
    """(exact strings, required strings) of one parsed item."""
    if op is sre_constants.LITERAL:
        return frozenset({chr(argument)}), frozenset({chr(argument)})  # type: ignore[arg-type]
    if op in _ZERO_WIDTH:
        return frozenset({""}), None
    if op is sre_constants.SUBPATTERN:
        _group_number, add_flags, _del_flags, inner = argument  # type: ignore[misc]
        if add_flags & re.IGNORECASE:
            return None, None
        return _strings(inner)
    if op is sre_constants.ATOMIC_GROUP:
        return _strings(argument)  # type: ignore[arg-type]
    if op is sre_constants.BRANCH:
        exacts, requireds = zip(*(_strings(branch) for branch in argument[1]), strict=True)  # type: ignore[index]
        exact = None if None in exacts else frozenset().union(*exacts)
        if exact is not None and len(exact) > _MAX_STRINGS:
            exact = None
        required = None if None in requireds else frozenset().union(*requireds)
        return exact, required
    if op in _REPEATS:
        low, high, inner = argument  # type: ignore[misc]
        inner_exact, inner_required = _strings(inner)
        if low == 0 and high == 1 and inner_exact is not None:
            return inner_exact | {""}, None
        if low == 1 and high == 1:
            return inner_exact, inner_required
        return None, (inner_required if low >= 1 else None)
    return None, None


def _best(candidates: list[frozenset[str]]) -> _Strings:
    """The cheapest candidate to check: the longest shortest string (up to 6), then the fewest.

    Of two sets of equally many strings, the one whose shortest string is longest wins
    (longer strings turn up by chance less often).
    """
    useful = [c for c in candidates if c and "" not in c]
    if not useful:
        return None
    return max(useful, key=lambda c: (min(6, *map(len, c)), -len(c), min(map(len, c))))


def _minimal(words: frozenset[str]) -> frozenset[str]:
    """Drop every word that holds another of the words: the other one is then present too."""
    return frozenset(
        word for word in words if not any(other != word and other in word for other in words)
    )


def starting_texts(pattern: str) -> tuple[str, ...] | None:
    """Texts one of which every match of ``pattern`` (no flags) starts with, or ``None``.

    ``()`` for a pattern that never matches (``(?!)``).

    >>> starting_texts(r"^(?:you will|you'll) (?!be\\b)[a-z]+|^to [a-z]+")
    ('to ', 'you will ', "you'll ")
    >>> starting_texts(r"^(?:an? )?[a-z]+") is None
    True
    """
    if pattern == NOTHING:
        return ()
    parsed = sre_parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return None
    found, _complete = _sequence_openings(parsed)
    if found is None or "" in found:
        return None
    return tuple(sorted(found))


def _sequence_openings(sequence: sre_parser.SubPattern | list) -> tuple[_Strings, bool]:
    """(texts the sequence's matches start with, whether they are the whole match)."""
    found = frozenset({""})
    for op, argument in sequence:
        if op in _ZERO_WIDTH:
            continue
        item, complete = _item_openings(op, argument)
        if item is None:
            return found, False
        joined = frozenset(a + b for a in found for b in item)
        if len(joined) > _MAX_OPENINGS:
            return found, False
        found = joined
        if not complete:
            return found, False
    return found, True


def _item_openings(op: object, argument: object) -> tuple[_Strings, bool]:
    if op is sre_constants.SUBPATTERN:
        _group_number, add_flags, _del_flags, inner = argument  # type: ignore[misc]
        if add_flags & re.IGNORECASE:
            return None, False
        return _sequence_openings(inner)
    if op is sre_constants.BRANCH:
        results = [_sequence_openings(branch) for branch in argument[1]]  # type: ignore[index]
        if any(found is None for found, _ in results):
            return None, False
        union = frozenset().union(*(found for found, _ in results))  # type: ignore[arg-type]
        if len(union) > _MAX_OPENINGS:
            return None, False
        return union, all(complete for _, complete in results)
    exact, _required = _item_strings(op, argument)
    return exact, exact is not None


#: The characters other than ASCII letters that case-insensitive matching takes for an ASCII
#: letter, or whose lower case holds one ("İ" -> "i̇", "ı" ~ "i", "ſ" ~ "s", the Kelvin sign):
#: found by testing every code point (tests/text/test_notices_markers.py does it again).
CASE_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")
_FOLDS_TO_ASCII = re.compile("[" + "".join(sorted(CASE_FOLDS_TO_ASCII)) + "]")


class OpeningSearch:
    """``regex.search`` for a case-insensitive regex, tried only where a match could start.

    A search tries the regex at every position in turn. When every match starts with one of
    a few ASCII texts (:func:`starting_texts` of ``source``, the regex written without
    flags), ``str.find`` on the lower-case text finds those places many times faster, and
    trying the regex there (``regex.match``) gives the same first match. Case-insensitive
    matching of ASCII text is equality of the lower-cased text, except for the characters
    of :data:`CASE_FOLDS_TO_ASCII`: a text holding one is searched with the regex.

    >>> finder = OpeningSearch(re.compile(r"\\bvisas?\\b", re.I), r"\\bvisas?\\b")
    >>> finder.search("No VISA needed; visas later.").span()
    (3, 7)
    >>> finder.starts("a Visa, visas") == [2, 8]
    True
    """

    __slots__ = ("openings", "regex")

    def __init__(self, regex: re.Pattern[str], source: str) -> None:
        self.regex = regex
        found = starting_texts(source)
        openings = None
        if found:
            lowered = {opening.lower() for opening in found}
            # an opening starting with another adds nothing: where it stands, so does the other
            openings = tuple(
                sorted(o for o in lowered if not any(o != p and o.startswith(p) for p in lowered))
            )
            if not all(o and o.isascii() for o in openings):
                openings = None
        self.openings: tuple[str, ...] | None = openings

    def starts(self, text: str) -> list[int] | None:
        """Every place a match could start, in order; ``None`` when that cannot be told."""
        if self.openings is None or _FOLDS_TO_ASCII.search(text) is not None:
            return None
        lower = text.lower()
        if len(lower) != len(text):
            return None
        found = []
        for opening in self.openings:
            at = lower.find(opening)
            while at != -1:
                found.append(at)
                at = lower.find(opening, at + 1)
        found.sort()
        return found

    def search(self, text: str, position: int = 0) -> re.Match[str] | None:
        """``self.regex.search(text, position)``."""
        return self.search_from(text, position, self.starts(text))

    def search_from(
        self, text: str, position: int, starts: list[int] | None
    ) -> re.Match[str] | None:
        """``self.regex.search(text, position)``, with :meth:`starts` of the text known."""
        if starts is None:
            return self.regex.search(text, position)
        for at in starts[bisect.bisect_left(starts, position) :]:
            found = self.regex.match(text, at)
            if found is not None:
                return found
        return None
