"""The context cues of ``lexicons/context.yml`` compiled for :func:`bias_audit.text.context.segment`
(once per file version): line, heading and label regexes, sentence cue groups with their
keyword pre-filter, phrase cues, and the sentence and label splitting they work on.
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parser
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick

from bias_audit.lexicon_context import ContextCue, ContextCues
from bias_audit.text.context_blocks import Block, sentence_spans, trim_span, trimmed
from bias_audit.text.context_masks import CueMasks, KeywordPlaces, keyword_mask_table
from bias_audit.text.regex_words import NOTHING, required_words, starting_texts

#: Kinds a sentence cue may not take over from a section of these kinds ("patients" in a
#: person specification still describes the applicant's skills).
SECTION_KINDS_KEPT_FROM = {"patients": frozenset({"candidate", "organisation", "duties"})}


#: Kinds a phrase cue never overrides.
FIXED_KINDS = frozenset({"metadata", "heading", "boilerplate"})


#: Two capitals in a row: a line without them (and without ":" or ";") holds no label.
UPPER_PAIR = re.compile(r"[A-Z]{2}")


#: A run of capitals (with the commas and apostrophes heading openers hold): a heading opener
#: written in a line lies inside one.
_CAPITALS_RUN = re.compile(r"[A-Z,']{2,}")


@dataclass(frozen=True, slots=True)
class _SentenceRule:
    """The sentence cues of one kind, compiled for lower-case text.

    ``keywords`` are words at least one of which any match of ``anywhere`` contains
    (:func:`_required_words`), or ``None`` when the patterns have no such words.
    """

    kind: str
    anchored: re.Pattern[str]  # cues that start at the sentence start ("^")
    # the first ``opening_length`` characters of any text ``anchored`` matches are one of
    # ``openings`` (None: no such rule; empty: it never matches)
    openings: frozenset[str] | None
    opening_length: int
    anywhere: re.Pattern[str]  # the others
    keywords: tuple[str, ...] | None
    by_group: dict[str, ContextCue]
    kept_from: frozenset[str]  # section kinds this kind's cues may not take over


@dataclass(frozen=True, slots=True)
class CompiledCues:
    # each line cue with its patterns, and whether each can only match at the line start
    line_patterns: tuple[tuple[ContextCue, tuple[tuple[re.Pattern[str], bool], ...]], ...]
    line_any: re.Pattern[str] | None  # all line patterns in one (None: they cannot be joined)
    headings: re.Pattern[str]  # a whole line that is a heading, one group per cue
    # every heading phrase, lower case, words joined by one space: a line written in ASCII
    # that is not one of these is no heading, without running ``headings``
    heading_phrases: frozenset[str] | None
    heading_longest: int  # the longest of heading_phrases
    # each of heading_phrases with the first heading cue (file order) holding it: the cue
    # ``headings`` gives an ASCII line whose words, lower-cased and joined, are the phrase
    heading_by_phrase: dict[str, ContextCue]
    labels: re.Pattern[str]  # inline "Heading:" / "Field:" at a line or sentence start
    heading_openers: tuple[str, ...]  # the first words of the heading phrases, in capitals
    # heading_openers as one regex, when every one is a run _CAPITALS_RUN matches whole
    heading_opener_regex: re.Pattern[str] | None
    # matches a line with more non-space characters than heading_longest
    heading_too_long: re.Pattern[str]
    # the same for a line before the heading end (":", "." ..., space) is stripped from it
    line_too_long: re.Pattern[str]
    label_cues: dict[str, ContextCue]
    # per kind, in precedence order; compiled for lower-cased text without IGNORECASE (four
    # times faster; the text is lowered once)
    sentence: tuple[_SentenceRule, ...]
    phrases: re.Pattern[str] | None
    phrase_keywords: tuple[str, ...] | None
    # each phrase cue's own required words (None: it may match anywhere); a cue none of whose
    # words a block holds cannot match in it, and the regex of the other cues finds the same
    # matches there
    phrase_parts: tuple[tuple[ContextCue, tuple[str, ...] | None], ...]
    phrase_groups: dict[str, str]
    phrase_subsets: dict[int, re.Pattern[str]]  # by phrase cue bit mask, filled as needed
    all_keywords: tuple[str, ...]  # every rule's and phrase cue's keywords, once each
    # finds every place of all_keywords in one pass (None: there are none); read only. Each
    # word reports (its length, its bit mask): bit i for the i-th sentence rule whose
    # keywords hold it, bit len(sentence) + j for the j-th phrase cue whose words do
    keyword_automaton: ahocorasick.Automaton | None
    phrase_cues: dict[str, ContextCue]
    masks: CueMasks

    def match_line(self, line: str) -> ContextCue | None:
        # Most lines match no line cue: one regex of them all tells so (an alternation fails
        # only where each of its patterns does)
        if self.line_any is not None and self.line_any.search(line) is None:
            return None
        for cue, patterns in self.line_patterns:
            for pattern, at_start in patterns:
                # a pattern that can only match at the start: match() is search() without
                # trying (and failing at) every later position
                if (pattern.match(line) if at_start else pattern.search(line)) is not None:
                    return cue
        return None

    def whole_heading(self, line: str) -> ContextCue | None:
        # Most lines are long prose: one regex tells so before the line is stripped (below).
        if (
            self.heading_phrases is not None
            and line.isascii()
            and self.line_too_long.match(line) is not None
        ):
            return None
        end = len(line)
        while end and (line[end - 1] in HEADING_END_CHARS or line[end - 1].isspace()):
            end -= 1
        bare = line[:end]
        # A line with more non-space characters than the longest heading has is none.
        if (
            self.heading_phrases is not None
            and end > self.heading_longest
            and bare.isascii()
            and self.heading_too_long.match(bare) is not None
        ):
            return None
        # Case-insensitive matching of ASCII text is equality of the lower-cased words, so a
        # set look-up rules out almost every line; other scripts go to the regex.
        if (
            self.heading_phrases is not None
            and bare.isascii()
            and " ".join(bare.lower().split()) not in self.heading_phrases
        ):
            return None
        found = self.headings.fullmatch(bare)
        return None if found is None else self.label_cues[found.lastgroup or ""]

    def label_free(self, text: str, start: int, end: int, *, ascii_text: bool = False) -> bool:
        """Whether ``text[start:end]`` surely holds no inline label (:meth:`pieces`).

        A label needs ":" or ";", or two capitals in a row. Without ":" or ";" only a
        heading in capitals counts, so an ASCII line must hold the first word of one in
        capitals ("MAIN DUTIES"): "NHS" or "GCSE" alone do not make the label regex worth
        running. Such a word lies inside a run of capitals, so only those runs are searched.
        ``ascii_text``: the whole text is known to be ASCII.
        """
        if text.find(":", start, end) != -1 or text.find(";", start, end) != -1:
            return False
        if UPPER_PAIR.search(text, start, end) is None:
            return True
        if not (ascii_text or text[start:end].isascii()):
            return False
        openers = self.heading_opener_regex
        if openers is None:
            line = text[start:end]
            return not any(map(line.__contains__, self.heading_openers))
        return not any(openers.search(run) for run in _CAPITALS_RUN.findall(text, start, end))

    def pieces(
        self, text: str, lower: str, start: int, end: int
    ) -> Iterator[tuple[int, int, ContextCue | None]]:
        """Split a line at inline headings and fields; a field runs to the next split.

        ``lower`` is ``text`` in lower case (same offsets). A label is written capitalised
        and ends in ":" or ";", or is a heading in capitals followed by a capital ("MAIN
        DUTIES Care: ..."); a line with neither a colon nor two capitals in a row has none.
        """
        if self.label_free(text, start, end):
            span = trim_span(text, start, end)
            if span is not None:
                yield span[0], span[1], None
            return
        cursor = start
        label: ContextCue | None = None
        for found in self.labels.finditer(lower[start:end]):
            cue = self.label_cues[found.lastgroup or ""]
            found_start, found_end = start + found.start(), start + found.end()
            if not (found_start == start or text[found_start].isupper()):
                continue
            if found.group().rstrip()[-1] not in ":;":
                after = text[found_end:end].lstrip()[:1]
                if not (text[found_start:found_end].isupper() and after.isupper()):
                    continue  # a heading run into the text must be in capitals
            if label is None:
                yield from ((s, e, None) for s, e in trimmed(text, cursor, found_start))
            else:
                yield from _field(text, cursor, found_start, label)
            if cue.scope == "heading":
                yield found_start, found_end, cue
                cursor, label = found_end, None
            else:
                cursor, label = found_start, cue
        if label is None:
            yield from ((s, e, None) for s, e in trimmed(text, cursor, end))
        else:
            yield from _field(text, cursor, end, label)

    def _phrase_regex(self, may_match: int) -> re.Pattern[str]:
        """The combined phrase regex of the phrase cues whose bits ``may_match`` sets."""
        found = self.phrase_subsets.get(may_match)
        if found is None:
            if may_match == (1 << len(self.phrase_parts)) - 1:
                found = self.phrases
            else:
                cues = [cue for n, (cue, _) in enumerate(self.phrase_parts) if may_match >> n & 1]
                found = _combined(cues, self.phrase_groups, anchored=None)
            self.phrase_subsets[may_match] = found  # type: ignore[assignment]
        return found  # type: ignore[return-value]

    def keyword_places(self, text: str) -> KeywordPlaces:
        """Every place (overlaps too) one of ``all_keywords`` stands in ``text``."""
        if self.keyword_automaton is None:
            return KeywordPlaces([])
        return KeywordPlaces(list(self.keyword_automaton.iter(text)))

    def classify(self, body: str, found: int, allowed: int) -> tuple[str, str] | None:
        """The kind a sentence cue gives ``body`` (lower case) and the cue's id, or ``None``.

        ``found``: the keyword mask of ``body`` (:meth:`KeywordPlaces.take`); ``allowed``:
        :meth:`CueMasks.allowed` of the section. A rule runs its anchored regex only when
        ``body`` opens with one of its openings, its other regex only when ``body`` holds
        one of its keywords: neither can match otherwise, so the first rule in precedence
        order that matches is the one a plain loop over every rule finds.
        """
        masks = self.masks
        anchored_may = masks.anchored_always
        for length, table in masks.openings:
            anchored_may |= table.get(body[:length], 0)
        anywhere_may = found | masks.anywhere_always
        candidates = (anchored_may | anywhere_may) & allowed
        if not candidates:
            return None
        rules = masks.subsets.get(candidates)
        if rules is None:
            rules = masks.rules_of(candidates)
        for bit, kind, anchored, anywhere, by_group in rules:
            match = anchored.match(body) if anchored_may & bit else None
            if match is None and anywhere_may & bit:
                match = anywhere.search(body)
            if match is not None:
                return kind, by_group[match.lastgroup or ""].id
        return None

    def carve(self, text: str, block: Block, found: int, out: list[Block]) -> None:
        """Append ``block`` to ``out``, its phrase cues' words given their own kind.

        ``text`` in lower case; ``found``: the keyword mask of the whole block. A phrase
        cue none of whose words the block holds cannot match in it, and the regex of the
        other cues finds the same matches there.
        """
        may_match = (found >> self.masks.phrase_shift) | self.masks.phrase_always
        if not may_match or block.kind in FIXED_KINDS or self.phrases is None:
            out.append(block)
            return
        cursor = block.start
        for match in self._phrase_regex(may_match).finditer(text, block.start, block.end):
            cue = self.phrase_cues[match.lastgroup or ""]
            if cue.kind == block.kind:
                continue
            out.extend(
                Block(s, e, block.kind, block.cue, block.section)
                for s, e in trimmed(text, cursor, match.start())
            )
            out.append(Block(match.start(), match.end(), cue.kind, cue.id, block.section))
            cursor = match.end()
        if cursor == block.start:
            out.append(block)
        else:
            out.extend(
                Block(s, e, block.kind, block.cue, block.section)
                for s, e in trimmed(text, cursor, block.end)
            )


def _field(
    text: str, start: int, end: int, cue: ContextCue
) -> Iterator[tuple[int, int, ContextCue | None]]:
    """A "Field: value" piece ends at the end of its first sentence; the rest is prose."""
    sentence_end = next(iter(sentence_spans(text, start, end)), (start, end))[1]
    yield start, sentence_end, cue
    yield from ((s, e, None) for s, e in trimmed(text, sentence_end, end))


_CACHE: dict[str, CompiledCues] = {}


_CACHE_LOCK = threading.Lock()


def compile_cues(cues: ContextCues) -> CompiledCues:
    compiled = _CACHE.get(cues.version)
    if compiled is None:
        with _CACHE_LOCK:
            compiled = _CACHE.setdefault(cues.version, _build(cues))
    return compiled


def _group(number: int) -> str:
    return f"c{number}"


HEADING_END_CHARS = ":;.?!–—-"


def _only_at_start(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` opens with ``^`` outside any alternation (and is not MULTILINE)."""
    if pattern.flags & re.MULTILINE:
        return False
    parsed = sre_parser.parse(pattern.pattern, pattern.flags)
    return len(parsed) > 0 and parsed[0] == (sre_constants.AT, sre_constants.AT_BEGINNING)


def _joined(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str] | None:
    """One regex matching where any of ``patterns`` does, or ``None`` if they cannot be joined.

    Patterns with groups (numbered back-references would shift) or different flags are not
    joined. Each pattern keeps its own anchors (``^`` stays the text start under search()).
    """
    if not patterns or any(p.groups for p in patterns):
        return None
    flags = {p.flags for p in patterns}
    if len(flags) != 1:
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags.pop())
    except re.error:  # e.g. inline global flags, allowed only at a pattern's start
        return None


def _heading_by_phrase(headings: Sequence[ContextCue]) -> dict[str, ContextCue]:
    """Each heading phrase (lower case, words joined by one space) -> the first cue with it.

    The heading regex joins the cues in file order, each phrase's words by ``\\s+``, matched
    case-insensitively: on ASCII text it fully matches a line exactly when the line's words,
    lower-cased and joined by one space, are one of the phrases, and the first cue with that
    phrase is the one it names.
    """
    found: dict[str, ContextCue] = {}
    for cue in headings:
        for phrase in cue.phrases:
            found.setdefault(" ".join(phrase.lower().split()), cue)
    return found


def _alternation(cue: ContextCue) -> str:
    return "|".join(f"(?:{p.pattern})" for p in sorted(cue.patterns, key=lambda p: -len(p.pattern)))


_UPPER_LITERAL = re.compile(r"(?<!\\)[A-Z]")


def _combined(
    cues: Sequence[ContextCue], groups: dict[str, str], *, anchored: bool | None
) -> re.Pattern[str]:
    """One regex for the cues' patterns, one named group per cue, for lower-case text.

    ``anchored`` True keeps the patterns that start at the sentence start ("^"), False the
    others, None all. Literal capitals in the patterns are lowered (escapes such as ``\\W``
    are kept), so IGNORECASE is not needed.
    """
    branches = []
    for cue in cues:
        patterns = [
            _UPPER_LITERAL.sub(lambda m: m.group().lower(), p.pattern)
            for p in cue.patterns
            if anchored is None or p.pattern.startswith("^") == anchored
        ]
        if not patterns:
            continue
        patterns.sort(key=len, reverse=True)
        branches.append(f"(?P<{groups[cue.id]}>" + "|".join(f"(?:{p})" for p in patterns) + ")")
    return re.compile("|".join(branches) or NOTHING)


def _build(cues: ContextCues) -> CompiledCues:
    by_group = {_group(n): cue for n, cue in enumerate(cues.cues)}
    groups = {cue.id: name for name, cue in by_group.items()}
    headings = [c for c in cues.cues if c.scope == "heading"]
    labelled = [c for c in cues.cues if c.scope in ("heading", "metadata")]
    heading_pattern = re.compile(
        "|".join(f"(?P<{groups[c.id]}>{_alternation(c)})" for c in headings) or NOTHING,
        re.IGNORECASE,
    )
    phrases_written = [phrase for c in headings for phrase in c.phrases]
    # the look-up equals case-insensitive matching only for ASCII phrases
    heading_phrases = (
        frozenset(" ".join(phrase.lower().split()) for phrase in phrases_written)
        if all(phrase.isascii() for phrase in phrases_written)
        else None
    )
    # Inline labels: "Heading:" or "Heading;" / "Field:" after white space (job boards and
    # stripped bullets run them together); pieces() keeps only those written capitalised.
    # The start condition is written once, before all the cues (not once per cue, as the
    # same zero-width test in front of each alternative): the same matches, three times
    # faster, as each position after a non-space character is ruled out by one test.
    label_pattern = re.compile(
        r"(?<!\S)(?:"  # at the start or after white space
        + "|".join(
            f"(?P<{groups[c.id]}>(?:{_alternation(c).lower()})\\s*"
            + (r"(?:[:;]|(?=\s))" if c.scope == "heading" else ":")
            + ")"
            for c in sorted(labelled, key=lambda c: c.scope != "heading")
        )  # phrases, escaped, lowered: the text searched is lower case
        + ")"
        if labelled
        else NOTHING,
    )
    openers = tuple(sorted({phrase.split()[0].upper() for c in headings for phrase in c.phrases}))
    sentence = []
    for kind in cues.precedence:
        kind_cues = [c for c in cues.cues if c.scope == "sentence" and c.kind == kind]
        if kind_cues:
            anywhere = _combined(kind_cues, groups, anchored=False)
            anchored = _combined(kind_cues, groups, anchored=True)
            openings = starting_texts(anchored.pattern)
            length = min(map(len, openings), default=0) if openings is not None else 0
            sentence.append(
                _SentenceRule(
                    kind=kind,
                    anchored=anchored,
                    openings=None if openings is None else frozenset(o[:length] for o in openings),
                    opening_length=length,
                    anywhere=anywhere,
                    keywords=required_words(anywhere.pattern),
                    by_group={groups[c.id]: c for c in kind_cues},
                    kept_from=SECTION_KINDS_KEPT_FROM.get(kind, frozenset()),
                )
            )
    phrase_cues = [c for c in cues.cues if c.scope == "phrase"]
    phrases = _combined(phrase_cues, groups, anchored=None) if phrase_cues else None
    phrase_parts = tuple(
        (c, required_words(_combined([c], groups, anchored=None).pattern)) for c in phrase_cues
    )
    keyword_masks = keyword_mask_table(sentence, phrase_parts)
    all_keywords = tuple(sorted(keyword_masks))
    return CompiledCues(
        line_patterns=tuple(
            (c, tuple((p, _only_at_start(p)) for p in c.patterns))
            for c in cues.cues
            if c.scope == "line"
        ),
        line_any=_joined([p for c in cues.cues if c.scope == "line" for p in c.patterns]),
        headings=heading_pattern,
        heading_phrases=heading_phrases,
        heading_by_phrase=_heading_by_phrase(headings),
        heading_longest=max(map(len, heading_phrases or ("",))),
        labels=label_pattern,
        heading_openers=openers,
        heading_opener_regex=(
            re.compile("|".join(map(re.escape, openers)))
            if openers and all(_CAPITALS_RUN.fullmatch(word) for word in openers)
            else None
        ),
        heading_too_long=re.compile(rf"(?:\s*\S){{{max(map(len, heading_phrases or ('',))) + 1}}}"),
        # heading_longest non-space characters, then one that stripping the heading end
        # keeps (it is not space): the stripped line has more than heading_longest
        line_too_long=re.compile(
            rf"(?:\s*\S){{{max(map(len, heading_phrases or ('',)))}}}"
            rf".*[^\s{re.escape(HEADING_END_CHARS)}]",
            re.DOTALL,
        ),
        label_cues={groups[c.id]: c for c in labelled},
        sentence=tuple(sentence),
        phrases=phrases,
        phrase_keywords=None if phrases is None else required_words(phrases.pattern),
        phrase_cues={groups[c.id]: c for c in phrase_cues},
        phrase_parts=phrase_parts,
        phrase_groups=groups,
        phrase_subsets={},
        all_keywords=all_keywords,
        keyword_automaton=_automaton(all_keywords, keyword_masks),
        masks=CueMasks(tuple(sentence), phrase_parts),
    )


def _automaton(words: Sequence[str], masks: dict[str, int]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton reporting (length, mask) of each of ``words`` where it stands."""
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, (len(word), masks[word]))
    automaton.make_automaton()
    return automaton
