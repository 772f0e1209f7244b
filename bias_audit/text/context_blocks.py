"""The blocks :func:`bias_audit.text.context.segment` labels an advert with, and look-ups over
them by character offset (:class:`Segments`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple, overload

#: Kinds whose wording describes the applicant sought or the employer (Gaucher et al. 2011
#: coded exactly this wording).
DESCRIBING_KINDS = ("candidate", "organisation")


# "boilerplate" here is wide on purpose: any sentence with a notice cue (visa, DBS, equal
# opportunities, application admin) describes no applicant, so its coded words are not
# counted. The requirements analyser keeps its own, narrower notices
# (bias_audit/text/requirements.py, boilerplate_spans): measured on the eval and example
# adverts, reading demands through these blocks would drop 9 real demand findings, such as
# "two years minimum experience" in a sentence that also asks for a CRB check.
OTHER = "other"


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


_BULLETS = "•◦▪▫●○■□‣⁃∙·✓✔➢➤►*-–—>"


LEAD = re.compile(r"[\s" + re.escape(_BULLETS) + r"]*(?:\(?\d{1,2}[.)]\s+)?")


#: A sentence break: end punctuation then space; a bullet after space; "; " before a capital;
#: three or more spaces before a capital. Written to open with one character class (the
#: alternatives then tell by look-behind which character it was), so the regex engine skips
#: to candidate characters instead of trying every alternative at every position; it matches
#: exactly what ``[.!?]+["'”’)\]]*\s+(?=\S)|\s+[•…]\s*|;\s+(?=[A-Z])|\s{3,}(?=[A-Z])`` does.
_SENTENCE_BREAK = re.compile(
    r"[.!?;\s](?:(?<=[.!?])[.!?]*[\"'”’)\]]*\s+(?=\S)|(?<=\s)\s*[•◦▪▫●○■□‣⁃∙·✓✔➢➤►]\s*"
    r"|(?<=;)\s+(?=[A-Z])|(?<=\s)\s{2,}(?=[A-Z]))"
)


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


#: ``new_block((start, end, kind, cue, section))`` is ``Block(start, end, kind, cue, section)``,
#: built without the named tuple's Python-level ``__new__`` (about three times faster; an
#: advert has about sixty blocks). All five fields must be given.
new_block = functools.partial(tuple.__new__, Block)


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


#: Every character a sentence break holds but " ": end punctuation, bullets, and all the white
#: space ``str.isspace`` (and the regex ``\s``) knows. A stretch holding none of these, no
#: "   ", and end punctuation only as its last character, holds no break (each alternative of
#: _SENTENCE_BREAK needs one of them before the stretch's last character, or three spaces).
_BREAK_CHARS = re.compile(
    "[.!?;•◦▪▫●○■□‣⁃∙·✓✔➢➤►\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a"
    "\u2028\u2029\u202f\u205f\u3000]"
)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]``, without surrounding white space or bullets."""
    # Most pieces are one sentence: two scans in C tell so (see _BREAK_CHARS).
    hint = _BREAK_CHARS.search(text, start, end)
    spaced = text.find("   ", start, end) != -1
    if not spaced and (hint is None or (hint.start() == end - 1 and text[end - 1] in ".!?;")):
        # trim_span(text, start, end), whose answer is plain for a trimmed piece
        if start < end and text[start].isalpha() and not text[end - 1].isspace():
            return [(start, end)]
        span = trim_span(text, start, end)
        return [] if span is None else [span]
    # When the first of _BREAK_CHARS is end punctuation and there is no "   ", no break starts
    # before it: there stands no bullet, no end punctuation, no white space but single and
    # double " " (a bullet break starts at the white space just before its bullet, so after
    # the punctuation). The search may start at the punctuation.
    scan_from = start
    if not spaced and hint is not None and text[hint.start()] in ".!?;":
        scan_from = hint.start()
    spans = []
    cursor = start
    for found in _SENTENCE_BREAK.finditer(text, scan_from, end):
        piece_end = found.start()
        if text[piece_end] in ".!?;":
            piece_end += len(found.group().rstrip())
        # trim_span(text, cursor, piece_end), written out: this runs for every sentence
        if cursor < piece_end and not text[cursor].isalpha():
            cursor = LEAD.match(text, cursor, piece_end).end()  # type: ignore[union-attr]
        while piece_end > cursor and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > cursor:
            spans.append((cursor, piece_end))
        cursor = found.end()
    span = trim_span(text, cursor, end)
    if span is not None:
        spans.append(span)
    return spans


def trim_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without leading bullets and white space or trailing white space."""
    # a letter is no bullet, space or numbering: LEAD would match nothing
    if start < end and not text[start].isalpha():
        lead = LEAD.match(text, start, end)
        if lead:
            start = lead.end()
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    span = trim_span(text, start, end)
    if span is not None:
        yield span
