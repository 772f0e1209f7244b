"""What each part of an advert describes: the applicant, the employer, duties, patients, notices.

An advert mixes several kinds of text: job-board fields ("Grade: Band 3"), headings, a
description of the person sought ("About you", "we are looking for a ... person"), of the
employer and team ("About us", "a friendly team"), the duties ("Main duties", "To support
registered staff"), the patients and services, the employer's values and standard notices
(equal opportunities, visas, DBS). A word means different things in each: "support" in a duty
list is a task, in "a supportive team" it describes the team. :func:`segment` labels every
stretch of text with one kind, so that an analyser can judge a match by where it stands.

The headings and cue phrases are data, in ``lexicons/context.yml`` (each with a reason, a
source and examples), validated by :func:`bias_audit.lexicon_context.load_context`. The method, in
order:

1. each line is a job-board field (``metadata``), a recognised heading, or prose; a heading
   sets the kind of the section that follows it, up to the next recognised heading. Headings
   and fields written inline, as in adverts whose line breaks were lost ("Location: Leeds
   The Role; You will ..."), split the line;
2. prose is split into sentences (end punctuation, bullets); a sentence cue decides its kind
   in the file's ``precedence`` order (boilerplate, values, duties, candidate, organisation,
   patients), except that a patients cue never overrides a section about the applicant, the
   employer or the duties; a sentence no cue decides takes its section's kind (``other``
   outside any section);
3. phrase cues ("a friendly, supportive team", "a confident individual", the NHS
   Constitution value names) give their words their own kind inside any prose sentence.

Blocks never overlap and are in text order; white space between them belongs to none
(:meth:`Segments.kind_at` says ``"other"`` there). Everything is regular expressions over the
text (lower-cased once); a cue group's regex runs only on sentences that hold one of the
literal words every match of it contains (read from the parsed patterns), which leaves the
results unchanged and skips most searches. One Aho-Corasick pass (``pyahocorasick``) finds
every place of those words in the text; a sentence holds a word when one of its places lies
inside the sentence.

Examples
--------
>>> from bias_audit.text.context import segment
>>> advert = (
...     "Grade: Band 3\\n"
...     "Main duties\\n"
...     "- To support registered staff with personal care.\\n"
...     "About you\\n"
...     "You are confident and kind.\\n"
...     "We are an equal opportunities employer."
... )
>>> segments = segment(advert)
>>> [(block.kind, advert[block.start:block.end]) for block in segments]
... # doctest: +NORMALIZE_WHITESPACE
[('metadata', 'Grade: Band 3'), ('heading', 'Main duties'),
 ('duties', 'To support registered staff with personal care.'), ('heading', 'About you'),
 ('candidate', 'You are confident and kind.'),
 ('boilerplate', 'We are an equal opportunities employer.')]
>>> segments.kind_at(advert.index("confident")), segments.kind_at(advert.index("support"))
('candidate', 'duties')
"""

from __future__ import annotations

import bisect
import re
import re._constants as sre_constants
import re._parser as sre_parser
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, overload

import ahocorasick
from spacy.tokens import Doc

from bias_audit.lexicon_context import ContextCue, ContextCues, load_context
from bias_audit.text.pipeline import doc_text
from bias_audit.text.regex_words import NOTHING, required_words, starting_texts

#: Kinds whose wording describes the applicant sought or the employer (Gaucher et al. 2011
#: coded exactly this wording).
DESCRIBING_KINDS = ("candidate", "organisation")
#: Kinds a sentence cue may not take over from a section of these kinds ("patients" in a
#: person specification still describes the applicant's skills).
SECTION_KINDS_KEPT_FROM = {"patients": frozenset({"candidate", "organisation", "duties"})}
#: Kinds a phrase cue never overrides.
FIXED_KINDS = frozenset({"metadata", "heading", "boilerplate"})
# "boilerplate" here is wide on purpose: any sentence with a notice cue (visa, DBS, equal
# opportunities, application admin) describes no applicant, so its coded words are not
# counted. The requirements analyser keeps its own, narrower notices
# (bias_audit/text/requirements.py, boilerplate_spans): measured on the eval and example
# adverts, reading demands through these blocks would drop 9 real demand findings, such as
# "two years minimum experience" in a sentence that also asks for a CRB check.
OTHER = "other"

_BULLETS = "•◦▪▫●○■□‣⁃∙·✓✔➢➤►*-–—>"
_LEAD = re.compile(r"[\s" + re.escape(_BULLETS) + r"]*(?:\(?\d{1,2}[.)]\s+)?")
#: A sentence break: end punctuation then space; a bullet after space; "; " before a capital;
#: three or more spaces before a capital. Written to open with one character class (the
#: alternatives then tell by look-behind which character it was), so the regex engine skips
#: to candidate characters instead of trying every alternative at every position; it matches
#: exactly what ``[.!?]+["'”’)\]]*\s+(?=\S)|\s+[•…]\s*|;\s+(?=[A-Z])|\s{3,}(?=[A-Z])`` does.
_SENTENCE_BREAK = re.compile(
    r"[.!?;\s](?:(?<=[.!?])[.!?]*[\"'”’)\]]*\s+(?=\S)|(?<=\s)\s*[•◦▪▫●○■□‣⁃∙·✓✔➢➤►]\s*"
    r"|(?<=;)\s+(?=[A-Z])|(?<=\s)\s{2,}(?=[A-Z]))"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_HEADING_END = re.compile(r"[\s:;.?!–—-]*$")
_UPPER_PAIR = re.compile(r"[A-Z]{2}")
#: ASCII white space (as ``str.isspace`` counts it) other than " " and "\n".
_OTHER_ASCII_SPACE = re.compile(
    "[" + "".join(chr(n) for n in range(128) if chr(n).isspace() and chr(n) not in " \n") + "]"
)
#: A run of capitals (with the commas and apostrophes heading openers hold): a heading opener
#: written in a line lies inside one.
_CAPITALS_RUN = re.compile(r"[A-Z,']{2,}")


class Block(NamedTuple):
    """A stretch of the text (``text[start:end]``) and what it describes.

    ``cue`` is the id of the ``context.yml`` cue that decided the kind, ``section:<id>``
    when the kind comes from the section heading above, or ``""`` when nothing did
    (kind ``other``). ``section`` is the kind of the section the block lies in.

    A named tuple (immutable, like a frozen dataclass, and made several times faster: an
    advert has about sixty blocks).
    """

    start: int
    end: int
    kind: str
    cue: str = ""
    section: str = OTHER


class Segments(Sequence[Block]):
    """The blocks of one text, in order, with look-ups by character offset."""

    __slots__ = ("_blocks", "_starts", "text")

    def __init__(self, text: str, blocks: Sequence[Block]) -> None:
        self.text = text
        self._blocks = tuple(blocks)
        self._starts = [block.start for block in self._blocks]

    @overload
    def __getitem__(self, index: int) -> Block: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Block]: ...
    def __getitem__(self, index: int | slice) -> Block | Sequence[Block]:
        return self._blocks[index]

    def __len__(self) -> int:
        return len(self._blocks)

    def __iter__(self) -> Iterator[Block]:
        return iter(self._blocks)

    def __repr__(self) -> str:
        return f"Segments({list(self._blocks)!r})"

    def block_at(self, offset: int) -> Block | None:
        """The block holding the character at ``offset``, or ``None`` (white space)."""
        at = bisect.bisect_right(self._starts, offset) - 1
        if at >= 0 and offset < self._blocks[at].end:
            return self._blocks[at]
        return None

    def kind_at(self, offset: int) -> str:
        """The kind of the block holding ``offset``; ``"other"`` between blocks."""
        block = self.block_at(offset)
        return OTHER if block is None else block.kind

    def passages(self, kind: str) -> list[tuple[int, int]]:
        """Runs of consecutive blocks of ``kind`` (only white space between), as spans.

        A description of the applicant often runs over several sentences or bullets; this
        is that description as one stretch.
        """
        spans: list[tuple[int, int]] = []
        previous: Block | None = None
        for block in self._blocks:
            if block.kind == kind:
                joined = (
                    previous is not None
                    and previous.kind == kind
                    and not self.text[previous.end : block.start].strip()
                )
                if joined:
                    spans[-1] = (spans[-1][0], block.end)
                else:
                    spans.append((block.start, block.end))
            previous = block
        return spans

    def word_count(self, kinds: Sequence[str]) -> int:
        """How many words lie in blocks of the given kinds.

        Blocks with only white space between them are counted in one pass (no word holds
        white space, so the count is the same as block by block).
        """
        text, total = self.text, 0
        run: list[int] | None = None  # [start, end] of the blocks being joined
        for block in self._blocks:
            if block.kind not in kinds:
                if run is not None:
                    total += len(_WORD.findall(text, run[0], run[1]))
                    run = None
            elif run is not None and text[run[1] : block.start].isspace():
                run[1] = block.end
            else:
                if run is not None:
                    total += len(_WORD.findall(text, run[0], run[1]))
                run = [block.start, block.end]
        if run is not None:
            total += len(_WORD.findall(text, run[0], run[1]))
        return total


def segment(doc: Doc | str, *, cues: ContextCues | None = None) -> Segments:
    """Label every stretch of an advert with what it describes.

    Parameters
    ----------
    doc
        A Doc from :func:`bias_audit.text.pipeline.get_pipeline`, or the text itself.
    cues
        Loaded context cues; ``None`` loads ``lexicons/context.yml``.

    Returns
    -------
    Segments
        The blocks in text order (a sequence of :class:`Block`), with
        :meth:`Segments.kind_at` and :meth:`Segments.passages`.

    Examples
    --------
    >>> text = "About us\\nWe are a small, friendly team.\\nResponding to emergencies."
    >>> [(b.kind, b.cue) for b in segment(text)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('heading', 'heading-organisation'), ('organisation', 'organisation-we-are'),
     ('duties', 'duties-you-will')]
    """
    text = doc if isinstance(doc, str) else doc_text(doc)
    compiled = _compile(load_context() if cues is None else cues)
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two ("İ"): keep those
        lower = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    # Keyword pre-filter: of each cue group's required words, those the text holds at all. A
    # sentence holding none of them cannot match the group's regex, which then is not run.
    # A rule none of whose words the text holds, and none of whose anchored cues can start
    # a sentence (openings empty), cannot decide any sentence here: it is left out.
    # One pass of the keyword automaton finds every place each keyword stands; a sentence
    # holds a keyword when one of its places lies inside the sentence.
    places = compiled.keyword_places(lower)
    sentence_rules = [
        (
            rule.kind,
            rule.kept_from,
            None if rule.openings is not None and not rule.openings else rule.anchored,
            rule.openings,
            rule.opening_length,
            None if rule.keywords is None else frozenset(rule.keywords),
            rule.anywhere,
            rule.by_group,
        )
        for rule in compiled.sentence
        if rule.keywords is None
        or not places.held.isdisjoint(rule.keywords)
        or rule.openings is None
        or rule.openings
    ]
    ascii_text = text.isascii()
    headings_ascii = compiled.heading_phrases is not None
    plain_spaces = headings_ascii and ascii_text and _OTHER_ASCII_SPACE.search(text) is None
    longest_heading = compiled.heading_longest
    blocks: list[Block] = []
    section, section_cue = OTHER, ""
    section_rules: dict[str, tuple[list[_Rule], list[_Rule]]] = {}
    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        lead = _LEAD.match(line)
        begin = lead.end() if lead else 0
        stripped = line[begin:].rstrip()
        if not stripped:
            continue
        start, end = line_start + begin, line_start + begin + len(stripped)
        line_cue = compiled.match_line(stripped)
        if line_cue is not None:
            blocks.append(Block(start, end, line_cue.kind, line_cue.id, section))
            continue
        # In ASCII text whose only white space is " " and line breaks, a line holding more
        # non-space characters than the longest heading, not ending in a heading end (so
        # stripping that changes nothing), is no heading: whole_heading says so, slower.
        # (Asked of the line itself when the whole text is not such: most lines of an
        # advert with a "£" or a dash are.)
        heading = (
            None
            if stripped[-1] not in _HEADING_END_CHARS
            and len(stripped) - stripped.count(" ") > longest_heading
            and (
                plain_spaces
                or (
                    headings_ascii
                    and stripped.isascii()
                    and _OTHER_ASCII_SPACE.search(stripped) is None
                )
            )
            else compiled.whole_heading(stripped)
        )
        if heading is not None:
            blocks.append(Block(start, end, "heading", heading.id, heading.kind))
            section, section_cue = heading.kind, heading.id
            continue
        if compiled.label_free(text, start, end, ascii_text=ascii_text):
            span = _trim(text, start, end)
            pieces = () if span is None else ((span[0], span[1], None),)
        else:
            pieces = compiled.pieces(text, lower, start, end)
        for piece_start, piece_end, label in pieces:
            if label is not None and label.scope == "heading":
                blocks.append(Block(piece_start, piece_end, "heading", label.id, label.kind))
                section, section_cue = label.kind, label.id
            elif label is not None:  # a job-board field
                blocks.append(Block(piece_start, piece_end, label.kind, label.id, section))
            else:
                # the rules a cue of which may take a sentence over from this section
                # (and of those, the ones that may match a sentence holding no keyword)
                rules = section_rules.get(section)
                if rules is None:
                    allowed = [rule for rule in sentence_rules if section not in rule[1]]
                    rules = section_rules[section] = (
                        allowed,
                        [rule for rule in allowed if rule[2] is not None or rule[5] is None],
                    )
                for sentence_start, sentence_end in _sentences(text, piece_start, piece_end):
                    kind, cue = _classify(rules, lower, sentence_start, sentence_end, places)
                    if cue is None:
                        kind, cue = section, f"section:{section_cue}" if section_cue else ""
                    blocks.append(Block(sentence_start, sentence_end, kind, cue, section))
    return Segments(text, compiled.carve_phrases(lower, blocks, places))


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, without surrounding white space or bullets."""
    spans = []
    cursor = start
    for found in _SENTENCE_BREAK.finditer(text, start, end):
        piece_end = found.start()
        if text[piece_end] in ".!?;":
            piece_end += len(found.group().rstrip())
        # _trim(text, cursor, piece_end), written out: this runs for every sentence
        if cursor < piece_end and not text[cursor].isalpha():
            cursor = _LEAD.match(text, cursor, piece_end).end()  # type: ignore[union-attr]
        while piece_end > cursor and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > cursor:
            spans.append((cursor, piece_end))
        cursor = found.end()
    span = _trim(text, cursor, end)
    if span is not None:
        spans.append(span)
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without leading bullets and white space or trailing white space."""
    # a letter is no bullet, space or numbering: _LEAD would match nothing
    if start < end and not text[start].isalpha():
        lead = _LEAD.match(text, start, end)
        if lead:
            start = lead.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    span = _trim(text, start, end)
    if span is not None:
        yield span


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
class _Compiled:
    # each line cue with its patterns, and whether each can only match at the line start
    line_patterns: tuple[tuple[ContextCue, tuple[tuple[re.Pattern[str], bool], ...]], ...]
    headings: re.Pattern[str]  # a whole line that is a heading, one group per cue
    # every heading phrase, lower case, words joined by one space: a line written in ASCII
    # that is not one of these is no heading, without running ``headings``
    heading_phrases: frozenset[str] | None
    heading_longest: int  # the longest of heading_phrases
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
    # each phrase cue's own required words; a cue none of whose words a block holds cannot
    # match in it, and the regex of the other cues finds the same matches there
    phrase_parts: tuple[tuple[ContextCue, tuple[str, ...] | None], ...]
    phrase_groups: dict[str, str]
    phrase_subsets: dict[tuple[bool, ...], re.Pattern[str]]  # filled as needed
    all_keywords: tuple[str, ...]  # every rule's and phrase cue's keywords, once each
    # finds every place of all_keywords in one pass (None: there are none); read only
    keyword_automaton: ahocorasick.Automaton | None
    phrase_cues: dict[str, ContextCue]

    def match_line(self, line: str) -> ContextCue | None:
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
        while end and (line[end - 1] in _HEADING_END_CHARS or line[end - 1].isspace()):
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
        if _UPPER_PAIR.search(text, start, end) is None:
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
            span = _trim(text, start, end)
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
                yield from ((s, e, None) for s, e in _trimmed(text, cursor, found_start))
            else:
                yield from _field(text, cursor, found_start, label)
            if cue.scope == "heading":
                yield found_start, found_end, cue
                cursor, label = found_end, None
            else:
                cursor, label = found_start, cue
        if label is None:
            yield from ((s, e, None) for s, e in _trimmed(text, cursor, end))
        else:
            yield from _field(text, cursor, end, label)

    def _phrase_regex(self, may_match: tuple[bool, ...]) -> re.Pattern[str]:
        """The combined phrase regex of the cues flagged in ``may_match`` (in file order)."""
        found = self.phrase_subsets.get(may_match)
        if found is None:
            if all(may_match):
                found = self.phrases
            else:
                cues = [
                    cue for (cue, _), kept in zip(self.phrase_parts, may_match, strict=True) if kept
                ]
                found = _combined(cues, self.phrase_groups, anchored=None)
            self.phrase_subsets[may_match] = found  # type: ignore[assignment]
        return found  # type: ignore[return-value]

    def keyword_places(self, text: str) -> _KeywordPlaces:
        """Every place (overlaps too) one of ``all_keywords`` stands in ``text``."""
        found = []
        if self.keyword_automaton is not None:
            found = [
                (last + 1 - len(word), last + 1, word)
                for last, word in self.keyword_automaton.iter(text)
            ]
            found.sort()
        return _KeywordPlaces(found)

    def carve_phrases(
        self, text: str, blocks: list[Block], places: _KeywordPlaces | None = None
    ) -> list[Block]:
        """Give phrase cues' words their own kind (``text`` in lower case).

        ``places``: :meth:`keyword_places` of ``text``, if already known.
        """
        if self.phrases is None:
            return blocks
        if places is None:
            places = self.keyword_places(text)
        # a block holds one of a cue's words when one of the word's places lies inside it
        parts = [None if words is None else frozenset(words) for _, words in self.phrase_parts]
        always = None in parts
        phrase_words = frozenset().union(*(words for words in parts if words is not None))
        carved: list[Block] = []
        for block in blocks:
            if block.kind in FIXED_KINDS:
                carved.append(block)
                continue
            # (the sentence's keywords were found when it was classified: asked again, the
            # places give them from memory)
            inside = places.inside(block.start, block.end) & phrase_words
            if not (inside or always):
                carved.append(block)
                continue
            may_match = tuple(words is None or not words.isdisjoint(inside) for words in parts)
            if not any(may_match):
                carved.append(block)
                continue
            phrases = self._phrase_regex(may_match)
            cursor = block.start
            for found in phrases.finditer(text, block.start, block.end):
                cue = self.phrase_cues[found.lastgroup or ""]
                if cue.kind == block.kind:
                    continue
                carved.extend(
                    Block(s, e, block.kind, block.cue, block.section)
                    for s, e in _trimmed(text, cursor, found.start())
                )
                carved.append(Block(found.start(), found.end(), cue.kind, cue.id, block.section))
                cursor = found.end()
            if cursor == block.start:
                carved.append(block)
            else:
                carved.extend(
                    Block(s, e, block.kind, block.cue, block.section)
                    for s, e in _trimmed(text, cursor, block.end)
                )
        return carved


#: One sentence rule as :func:`_classify` reads it: kind, section kinds it may not take over,
#: the anchored regex (``None``: it cannot match), the openings and their length, the keywords
#: one of which any match of the other regex holds (``None``: no pre-filter), the regex for cues
#: found anywhere, and the cue by group name.
_Rule = tuple[
    str,
    frozenset[str],
    re.Pattern[str] | None,
    frozenset[str] | None,
    int,
    frozenset[str] | None,
    re.Pattern[str],
    dict[str, ContextCue],
]


def _classify(
    rules: tuple[Sequence[_Rule], Sequence[_Rule]],
    lower: str,
    start: int,
    end: int,
    places: _KeywordPlaces,
) -> tuple[str | None, str | None]:
    """The kind a sentence cue gives ``lower[start:end]`` (lower case), and the cue's id.

    ``rules``: those that may take the sentence over from its section, and of those the
    ones that may match a sentence holding none of the keywords. ``(None, None)`` when no
    cue decides.
    """
    if lower[start].isalpha():  # _LEAD strips only white space, bullets and numbering
        body = lower[start:end]
    else:
        lead = _LEAD.match(lower, start, end)
        body = lower[lead.end() if lead else start : end]
    inside = places.inside(end - len(body), end)
    for kind, _kept_from, anchored, openings, length, keywords, anywhere, by_group in (
        rules[0] if inside else rules[1]
    ):
        found = None
        if anchored is not None and (openings is None or body[:length] in openings):
            found = anchored.match(body)
        if found is None and (keywords is None or not keywords.isdisjoint(inside)):
            found = anywhere.search(body)
        if found is not None:
            return kind, by_group[found.lastgroup or ""].id
    return None, None


class _KeywordPlaces:
    """The places of the cue keywords in one text (:meth:`_Compiled.keyword_places`).

    A stretch of the text holds a keyword exactly when one of the keyword's places lies
    wholly inside it, so :meth:`inside` answers ``word in text[start:end]`` for every
    keyword at once.

    >>> places = _KeywordPlaces([(0, 2, "aa"), (1, 3, "aa"), (3, 4, "b")])
    >>> sorted(places.held), sorted(places.inside(1, 4)), sorted(places.inside(0, 1))
    (['aa', 'b'], ['aa', 'b'], [])
    """

    __slots__ = ("_ends", "_seen", "_starts", "_words", "held")

    def __init__(self, found: Sequence[tuple[int, int, str]]) -> None:
        """``found``: (start, end, word) of every place, sorted."""
        self._starts = [start for start, _, _ in found]
        self._ends = [end for _, end, _ in found]
        self._words = [word for _, _, word in found]
        self.held = frozenset(self._words)
        self._seen: dict[tuple[int, int], frozenset[str]] = {}  # (start, end) -> inside()

    def inside(self, start: int, end: int) -> frozenset[str]:
        """The keywords ``text[start:end]`` holds (remembered per stretch)."""
        found = self._seen.get((start, end))
        if found is not None:
            return found
        starts, ends, words = self._starts, self._ends, self._words
        at = bisect.bisect_left(starts, start)
        held = []
        while at < len(starts) and starts[at] < end:
            if ends[at] <= end:
                held.append(words[at])
            at += 1
        found = self._seen[start, end] = frozenset(held)
        return found


def _field(
    text: str, start: int, end: int, cue: ContextCue
) -> Iterator[tuple[int, int, ContextCue | None]]:
    """A "Field: value" piece ends at the end of its first sentence; the rest is prose."""
    sentence_end = next(iter(_sentences(text, start, end)), (start, end))[1]
    yield start, sentence_end, cue
    yield from ((s, e, None) for s, e in _trimmed(text, sentence_end, end))


_CACHE: dict[str, _Compiled] = {}
_CACHE_LOCK = threading.Lock()


def _compile(cues: ContextCues) -> _Compiled:
    compiled = _CACHE.get(cues.version)
    if compiled is None:
        with _CACHE_LOCK:
            compiled = _CACHE.setdefault(cues.version, _build(cues))
    return compiled


def _group(number: int) -> str:
    return f"c{number}"


_HEADING_END_CHARS = ":;.?!–—-"


def _only_at_start(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` opens with ``^`` outside any alternation (and is not MULTILINE)."""
    if pattern.flags & re.MULTILINE:
        return False
    parsed = sre_parser.parse(pattern.pattern, pattern.flags)
    return len(parsed) > 0 and parsed[0] == (sre_constants.AT, sre_constants.AT_BEGINNING)


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


def _build(cues: ContextCues) -> _Compiled:
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
    label_pattern = re.compile(
        "|".join(
            (r"(?:^|(?<=\s))")
            + f"(?P<{groups[c.id]}>(?:{_alternation(c).lower()})\\s*"
            + (r"(?:[:;]|(?=\s))" if c.scope == "heading" else ":")
            + ")"
            for c in sorted(labelled, key=lambda c: c.scope != "heading")
        )  # phrases, escaped, lowered: the text searched is lower case
        or NOTHING,
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
    all_keywords = tuple(
        sorted(
            {word for rule in sentence for word in rule.keywords or ()}
            | {word for _, words in phrase_parts for word in words or ()}
        )
    )
    return _Compiled(
        line_patterns=tuple(
            (c, tuple((p, _only_at_start(p)) for p in c.patterns))
            for c in cues.cues
            if c.scope == "line"
        ),
        headings=heading_pattern,
        heading_phrases=heading_phrases,
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
            rf".*[^\s{re.escape(_HEADING_END_CHARS)}]",
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
        keyword_automaton=_automaton(all_keywords),
    )


def _automaton(words: Sequence[str]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton reporting each of ``words`` (as itself) wherever it stands."""
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton
