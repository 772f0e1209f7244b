"""Requirement markers, kept as data: the words around a demand that the analyser reads.

``bias_audit/data/requirement_markers.yml`` lists, per marker, regular expressions tried
as alternatives ("or equivalent" routes, desirable and essential markers, training given in
post, "not needed", travel in the duties, mileage paid, people other than the applicant),
with a description, a cited source and example sentences. :func:`load_markers` validates the
file and compiles each marker once.

Each compiled marker starts with a look-ahead for the characters its alternatives can start
with (worked out from the expressions), so the regex engine skips other positions fast; a
marker one of whose alternatives can start with anything gets no look-ahead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from bias_audit.errors import LexiconError
from bias_audit.lexicon_schema import cited_sources
from bias_audit.text.regex_words import CASE_FOLDS_TO_ASCII, required_words
from bias_audit.yaml_files import load_yaml

try:  # Python 3.11+: the regex parser moved; it is the one `re` itself uses
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

MARKERS_FILE = "data/requirement_markers.yml"
#: Every marker the requirements analyser reads.
MARKER_NAMES = (
    "desirable_before",
    "desirable_after",
    "essential_inline",
    "equivalent_route",
    "gained_in_post",
    "funded_in_post",
    "not_needed",
    "travel_in_duties",
    "travel_paid",
    "other_people",
    "other_headings",
)
FILE_KEYS = ("sources", "markers")
MARKER_KEYS = ("description", "source", "patterns", "examples")

MARKERS_NOT_A_MAPPING = (
    "{file}: the file must be a mapping with the keys sources and markers; restore it from "
    "the repository."
)
MARKERS_MISSING = (
    "{file}: marker(s) {names} are missing; the requirements analyser reads each of them. "
    "Restore them from the repository."
)
MARKERS_UNKNOWN = (
    "{file}: marker(s) {names} are not read by the requirements analyser; use one of {allowed}."
)
MARKER_BAD_KEYS = "{file}: marker {name!r} must have exactly the keys {keys}."
MARKER_NO_PATTERNS = (
    "{file}: marker {name!r} has no patterns; list at least one regular expression."
)
MARKER_BAD_REGEX = (
    "{file}: marker {name!r} pattern {pattern!r} is not a valid regular expression "
    "({detail}); fix it."
)
MARKER_NO_EXAMPLES = (
    "{file}: marker {name!r} needs examples with non-empty match and no_match lists of sentences."
)


@dataclass(frozen=True, slots=True)
class Marker:
    """One marker: its expressions (as written), their compiled union, and its examples."""

    name: str
    description: str
    source: str
    patterns: tuple[str, ...]
    regex: re.Pattern[str]
    match_examples: tuple[str, ...]
    no_match_examples: tuple[str, ...]
    words: tuple[str, ...] | None = None
    """Lower-case words one of which every match holds (:func:`search_words`), or ``None``."""


def first_characters(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, or ``None`` if not known.

    Zero-width assertions (``\\b``, ``^``, look-arounds) are skipped; an optional element
    adds its first characters to those of what follows; a negated class, a category
    (``\\w``) or a pattern that can match the empty string gives ``None``.

    Examples
    --------
    >>> sorted(first_characters(r"\\b(or|and)\\s+equivalent"))
    ['a', 'o']
    >>> sorted(first_characters(r"\\b(we\\s+)?value"))
    ['v', 'w']
    >>> first_characters(r"\\w+ing") is None
    True
    """
    characters, can_be_empty = _first(_sre_parse.parse(pattern))
    return None if characters is None or can_be_empty else characters


def _first(items: Iterable[tuple[object, object]]) -> tuple[frozenset[str] | None, bool]:
    """(first characters or None if unknown, whether ``items`` can match nothing)."""
    found: frozenset[str] = frozenset()
    for op, value in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue
        if op is _sre.LITERAL:
            return found | {chr(value)}, False  # type: ignore[arg-type]
        if op is _sre.IN:
            characters = _class_characters(value)  # type: ignore[arg-type]
            return (None if characters is None else found | characters), False
        if op is _sre.SUBPATTERN:
            characters, can_be_empty = _first(value[-1])  # type: ignore[index]
        elif op is _sre.BRANCH:
            characters, can_be_empty = frozenset(), False
            for branch in value[1]:  # type: ignore[index]
                branch_characters, branch_empty = _first(branch)
                if branch_characters is None:
                    return None, False
                characters |= branch_characters
                can_be_empty = can_be_empty or branch_empty
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, _, item = value  # type: ignore[misc]
            characters, can_be_empty = _first(item)
            can_be_empty = can_be_empty or low == 0
        else:
            return None, False
        if characters is None:
            return None, False
        found |= characters
        if not can_be_empty:
            return found, False
    return found, True


def _class_characters(items: Iterable[tuple[object, object]]) -> frozenset[str] | None:
    found: set[str] = set()
    for op, value in items:
        if op is _sre.LITERAL:
            found.add(chr(value))  # type: ignore[arg-type]
        elif op is _sre.RANGE and value[1] - value[0] < 128:  # type: ignore[index,operator]
            found |= {chr(code) for code in range(value[0], value[1] + 1)}  # type: ignore[index]
        else:
            return None
    return frozenset(found)


def compile_marker(patterns: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive regex trying ``patterns`` in order, with a first-character
    look-ahead when every alternative's first characters are known.

    Examples
    --------
    >>> compile_marker([r"\\bor\\s+equivalent\\b", r"\\bfunctional\\s+skills\\b"]).pattern
    '(?=[fo])(?:\\\\bor\\\\s+equivalent\\\\b|\\\\bfunctional\\\\s+skills\\\\b)'
    """
    patterns = tuple(patterns)
    union = "(?:" + "|".join(patterns) + ")"
    starts: set[str] = set()
    for pattern in patterns:
        characters = first_characters(pattern)
        if characters is None:
            return re.compile(union, re.IGNORECASE)
        starts |= {character.lower() for character in characters}
    lookahead = "(?=[" + "".join(re.escape(c) for c in sorted(starts)) + "])"
    return re.compile(lookahead + union, re.IGNORECASE)


@functools.cache
def load_markers() -> Mapping[str, Marker]:
    """Load, validate and compile ``requirement_markers.yml`` (once per process).

    Raises
    ------
    LexiconError
        When the file breaks its schema; the message names the file, the marker and the fix.

    Examples
    --------
    >>> markers = load_markers()
    >>> bool(markers["equivalent_route"].regex.search("GCSE maths or equivalent"))
    True
    """
    text = resources.files("bias_audit").joinpath(MARKERS_FILE).read_text("utf-8")
    return parse_markers(f"bias_audit/text/{MARKERS_FILE}", text)


def parse_markers(file: str, text: str) -> dict[str, Marker]:
    """Validate and compile the markers in ``text`` (the YAML of ``file``)."""
    document = load_yaml(text)
    if not isinstance(document, dict) or set(document) != set(FILE_KEYS):
        raise LexiconError(MARKERS_NOT_A_MAPPING.format(file=file))
    sources, raw_markers = document["sources"], document["markers"]
    if not isinstance(sources, dict) or not isinstance(raw_markers, dict):
        raise LexiconError(MARKERS_NOT_A_MAPPING.format(file=file))
    missing = [name for name in MARKER_NAMES if name not in raw_markers]
    if missing:
        raise LexiconError(MARKERS_MISSING.format(file=file, names=", ".join(missing)))
    unknown = [str(name) for name in raw_markers if name not in MARKER_NAMES]
    if unknown:
        raise LexiconError(
            MARKERS_UNKNOWN.format(
                file=file, names=", ".join(unknown), allowed=", ".join(MARKER_NAMES)
            )
        )
    return {name: _marker(file, name, raw_markers[name], sources) for name in MARKER_NAMES}


def _marker(file: str, name: str, raw: object, sources: Mapping[str, str]) -> Marker:
    if not isinstance(raw, dict) or set(raw) != set(MARKER_KEYS):
        raise LexiconError(
            MARKER_BAD_KEYS.format(file=file, name=name, keys=", ".join(MARKER_KEYS))
        )
    patterns = raw["patterns"]
    if not isinstance(patterns, list) or not patterns:
        raise LexiconError(MARKER_NO_PATTERNS.format(file=file, name=name))
    for pattern in patterns:
        try:
            re.compile(str(pattern))
        except re.error as error:
            raise LexiconError(
                MARKER_BAD_REGEX.format(file=file, name=name, pattern=pattern, detail=error)
            ) from None
    cited = cited_sources(file, f"marker {name!r}", raw["source"], sources)
    examples = raw["examples"]
    if (
        not isinstance(examples, dict)
        or set(examples) != {"match", "no_match"}
        or not all(isinstance(v, list) and v for v in examples.values())
    ):
        raise LexiconError(MARKER_NO_EXAMPLES.format(file=file, name=name))
    return Marker(
        name=name,
        description=" ".join(str(raw["description"]).split()),
        source="; ".join(" ".join(text.split()) for text in cited),
        patterns=tuple(str(p) for p in patterns),
        regex=compile_marker(str(p) for p in patterns),
        match_examples=tuple(map(str, examples["match"])),
        no_match_examples=tuple(map(str, examples["no_match"])),
        words=search_words("(?:" + "|".join(str(p) for p in patterns) + ")"),
    )


def search_words(pattern: str) -> tuple[str, ...] | None:
    """Lower-case ASCII words one of which every match of ``pattern`` holds (read from the
    parsed pattern by :func:`bias_audit.text.regex_words.required_words`), or ``None``.

    Lower-cased because the markers match case-insensitively; ``None`` when some match holds
    no fixed text or a word is not ASCII (then the regex always runs).

    >>> search_words(r"(?:\\bor\\s+equivalent\\b|\\((?-i:D)\\))")
    ('(d)', 'equivalent')
    >>> search_words(r"\\w+|x") is None
    True
    """
    words = required_words(pattern)
    if words is None or not all(word and word.isascii() for word in words):
        return None
    return tuple(sorted({word.lower() for word in words}))


_END = 2**62  # "to the end of the text" for ``regex.search`` (any end past the text will do)


class TextWords:
    """The lower-case text, to tell where a marker's words (:func:`search_words`) stand.

    A regex search of a stretch of the text holding none of a marker's words cannot match,
    so :meth:`search` skips it and returns ``None`` at once, the answer of the search. The
    check is ``word in stretch`` for each word (``str`` methods in C): on a long stretch
    (the whole text, a paragraph, the words around a demand) several times quicker than
    the regex engine trying a marker's alternatives at every position; on a stretch of a
    few words the regex is as quick, so callers search those directly.

    Exact when the lower-case text lines up with the text and case-insensitive matching of
    an ASCII letter is equality of lower case, which holds unless the text has one of
    :data:`~bias_audit.text.regex_words.CASE_FOLDS_TO_ASCII` (or a character whose lower
    case is longer): such a text is always searched with the regex.

    >>> words = TextWords("GCSE maths. Or equivalent")
    >>> marker = load_markers()["equivalent_route"]
    >>> words.search(marker.regex, marker.words, 0, 11) is None
    True
    >>> words.search(marker.regex, marker.words, 12).group(0)
    'Or equivalent'
    """

    __slots__ = ("lower", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        lower = text.lower()
        exact = len(lower) == len(text) and not any(c in text for c in CASE_FOLDS_TO_ASCII)
        self.lower: str | None = lower if exact else None
        """The lower-case text, or ``None`` when it cannot tell (see the class)."""

    def may_match(self, words: tuple[str, ...] | None, start: int = 0, end: int = _END) -> bool:
        """Whether ``text[start:end]`` holds one of ``words`` (``True`` when not known)."""
        lower = self.lower
        if words is None or lower is None:
            return True
        stretch = lower[max(start, 0) : end]  # a search's negative start counts as 0
        for word in words:  # noqa: SIM110 (a loop is quicker than any() over a few words)
            if word in stretch:
                return True
        return False

    def search(
        self,
        regex: re.Pattern[str],
        words: tuple[str, ...] | None,
        start: int = 0,
        end: int = _END,
    ) -> re.Match[str] | None:
        """``regex.search(text, start, end)``, skipped when the stretch holds none of
        ``words`` (every match of ``regex`` holds one of them)."""
        if not self.may_match(words, start, end):
            return None
        return regex.search(self.text, start, end)
