"""Standard notices in adverts that are not entry criteria (visa and sponsorship, right to
work, pay thresholds, equal opportunities), from ``data/advert_boilerplate.yml``.

The requirements analyser records demands inside them as cleared, and the salary inclusion
signal ignores pay figures inside visa notices.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import yaml

from bias_audit.text.regex_words import starting_texts

PAY_NOTICE_KINDS = ("visa", "pay_threshold")
"""Notices whose pound figures are not the job's pay (visa salary thresholds)."""


@dataclass(frozen=True, slots=True)
class _BoilerplateRules:
    max_paragraph_words: int
    markers: tuple[tuple[str, str, bool, re.Pattern[str]], ...]  # kind, label, paragraph, regex
    headings: re.Pattern[str]
    any_marker: re.Pattern[str]  # every marker of every kind, to skip clean text fast
    any_heading: re.Pattern[str]  # the headings, at the start of any line
    # lower-case texts one of which every marker starts with (None: no such list)
    marker_openings: tuple[str, ...] | None = None


@functools.cache
def _boilerplate_rules() -> _BoilerplateRules:
    data = yaml.safe_load(
        resources.files("bias_audit").joinpath("data/advert_boilerplate.yml").read_text("utf-8")
    )
    markers = tuple(
        (
            kind,
            str(spec["label"]),
            spec.get("scope", "paragraph") == "paragraph",
            re.compile("|".join(f"(?:{m})" for m in spec["markers"]), re.IGNORECASE),
        )
        for kind, spec in data["kinds"].items()
    )
    headings = re.compile("|".join(f"(?:{h})" for h in data["headings"]), re.IGNORECASE)
    every = [m for spec in data["kinds"].values() for m in spec["markers"]]
    firsts = {re.sub(r"^(\\b|\()+", "", m)[:1].lower() for m in every}
    # A lookahead on the markers' first letters lets the engine skip most positions.
    ahead = f"(?=[{''.join(sorted(firsts))}])" if all(f.isalpha() for f in firsts) else ""
    any_marker = re.compile(
        r"\b" + ahead + "(?:" + "|".join(f"(?:{m})" for m in every) + ")", re.IGNORECASE
    )
    any_heading = re.compile(headings.pattern, re.IGNORECASE | re.MULTILINE)
    openings = starting_texts("|".join(f"(?:{m})" for m in every))
    if openings is not None:
        lowered = {opening.lower() for opening in openings}
        # one opening starting with another adds nothing: where it stands, so does the other
        openings = tuple(
            sorted(o for o in lowered if not any(o != p and o.startswith(p) for p in lowered))
        )
        if not all(o.isascii() and o for o in openings):
            openings = None
    return _BoilerplateRules(
        int(data["max_paragraph_words"]), markers, headings, any_marker, any_heading, openings
    )


#: The characters other than ASCII letters that case-insensitive matching takes for an ASCII
#: letter, or whose lower case holds one ("İ" -> "i̇", "ı" ~ "i", "ſ" ~ "s", the Kelvin sign):
#: found by testing every code point (tests/text/test_notices_vs_segments.py does it again).
CASE_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f\u212a")
_FOLDS_TO_ASCII = re.compile("[" + "".join(sorted(CASE_FOLDS_TO_ASCII)) + "]")


def _marker_starts(text: str, rules: _BoilerplateRules) -> list[int] | None:
    """Every place a notice marker could start: where one of the markers' openings stands
    (in any case), in order; ``None`` when that cannot be told from the lower-case text.

    Case-insensitive matching of an ASCII opening is equality of the lower-cased text, except
    for the characters of :data:`CASE_FOLDS_TO_ASCII`; ``str.find`` finds the openings many
    times faster than the marker regex scans the text.
    """
    if rules.marker_openings is None or _FOLDS_TO_ASCII.search(text) is not None:
        return None
    lower = text.lower()
    if len(lower) != len(text):
        return None
    starts = []
    for opening in rules.marker_openings:
        at = lower.find(opening)
        while at != -1:
            starts.append(at)
            at = lower.find(opening, at + 1)
    starts.sort()
    return starts


def _next_marker(
    text: str, position: int, rules: _BoilerplateRules, starts: list[int] | None
) -> int:
    """Where the first marker at or after ``position`` starts, or ``len(text)``.

    ``starts``: :func:`_marker_starts` of the text. A search tries the regex at every
    position in turn; trying it only where a marker could start finds the same match.
    """
    if starts is None:
        found = rules.any_marker.search(text, position)
        return len(text) if found is None else found.start()
    for at in starts[bisect.bisect_left(starts, position) :]:
        if rules.any_marker.match(text, at) is not None:
            return at
    return len(text)


Span = tuple[int, int, str]
"""``(start, end, label)`` of a passage, the label saying what kind of notice it is."""


_LONG_SENTENCE_WORDS = 50


_NEAR_BEFORE, _NEAR_AFTER = 10, 120


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")


_HEADING_LIKE = re.compile(r"^[\s#>*•\-–—]*[^\s.!?;:][^.!?;]{0,60}:?\s*$")


_LIST_LINE = re.compile(r"^\s*([-*•◦▪●·]|\d+[.)])\s|^\s*(essential|desirable)\b", re.I | re.M)


def boilerplate_spans(text: str, *, kinds: Iterable[str] | None = None) -> list[Span]:
    """Passages that are standard notices (visa and sponsorship, right to work, visa pay
    thresholds, equal opportunities), where no entry demand is read.

    A sentence with a marker is a notice; so is a short prose paragraph with a paragraph-scope
    marker (a visa notice whose other sentences mention "12 months"), and every line under a
    notice heading ("Visa sponsorship", "Equal opportunities") up to the next heading.
    ``kinds`` limits the notices to some kinds of ``advert_boilerplate.yml`` ("visa", …).

    >>> text = "Essential\\n- NVQ 2\\n\\nSkilled Worker visas: 12 months' residence abroad."
    >>> [(text[s:e], label) for s, e, label in boilerplate_spans(text)]
    [("Skilled Worker visas: 12 months' residence abroad.", 'a visa or sponsorship notice')]
    """
    return list(_boilerplate_spans(text, None if kinds is None else tuple(sorted(kinds))))


@functools.lru_cache(maxsize=16)
def _boilerplate_spans(text: str, kinds: tuple[str, ...] | None) -> tuple[Span, ...]:
    """:func:`boilerplate_spans`, cached: the analyser asks for one text's notices often."""
    rules = _boilerplate_rules()
    if kinds is not None:
        labels = {label for kind, label, *_ in rules.markers if kind in kinds}
        return tuple(span for span in _boilerplate_spans(text, None) if span[2] in labels)
    markers = rules.markers
    spans: list[Span] = []
    # Lines under a notice heading.
    position, label = 0, None
    for line in text.split("\n") if rules.any_heading.search(text) else ():
        end = position + len(line)
        if rules.headings.match(line):
            label = next(
                (lab for _, lab, _, rx in rules.markers if rx.search(line)), rules.markers[0][1]
            )
        elif line.strip() and _HEADING_LIKE.match(line) and len(line.split()) <= 8:
            label = None
        if label is not None and line.strip():
            spans.append((position, end, label))
        position = end + 1
    # Short prose paragraphs, then sentences. ``hit`` is where the whole text's first marker
    # at or after the current paragraph or sentence starts: one that ends before ``hit``
    # holds no marker, so is not searched. (Exact: every paragraph and sentence starts after a
    # non-word character and ends before one or after a non-word character, and every
    # marker starts and ends with \b, so a marker inside one is a marker of the whole text.)
    any_marker = rules.any_marker
    starts = _marker_starts(text, rules)
    hit = _next_marker(text, 0, rules, starts)
    if hit == len(text):
        return tuple(sorted(set(spans)))
    for start, end in _paragraphs(text, rules.max_paragraph_words):
        if hit < start:
            hit = _next_marker(text, start, rules, starts)
        if hit >= end:
            continue
        paragraph = text[start:end]
        if not any_marker.search(paragraph):
            continue
        whole = len(paragraph.split()) <= rules.max_paragraph_words and not _LIST_LINE.search(
            paragraph
        )
        sentence_start = start
        for stop in [*(m.end() for m in _SENTENCE_END.finditer(paragraph)), len(paragraph)]:
            sentence_end = start + stop
            if hit < sentence_start:
                hit = _next_marker(text, sentence_start, rules, starts)
            if hit >= sentence_end:
                sentence_start = sentence_end
                continue
            sentence = text[sentence_start:sentence_end]
            if not any_marker.search(sentence):
                sentence_start = sentence_end
                continue
            for _, lab, paragraph_scope, regex in markers:
                marker = regex.search(sentence)
                if marker is None:
                    continue
                if whole and paragraph_scope:
                    spans.append((start, end, lab))
                elif paragraph_scope and len(sentence.split()) <= _LONG_SENTENCE_WORDS:
                    spans.append((sentence_start, sentence_end, lab))
                else:
                    # A run-on "sentence" (bullets stripped), or a notice that is often one
                    # item of a list ("the right to work in the UK"): the words from the
                    # marker on.
                    near_start = sentence_start + max(0, marker.start() - _NEAR_BEFORE)
                    near_end = sentence_start + min(len(sentence), marker.end() + _NEAR_AFTER)
                    spans.append((near_start, near_end, lab))
                break
            sentence_start = sentence_end
    return tuple(sorted(set(spans)))


def _paragraphs(text: str, max_words: int) -> list[Bounds]:
    """Blocks between blank lines; a block holding list lines or headings, or longer than
    ``max_words``, is split into its lines (NHS Jobs puts each paragraph on one line)."""
    breaks = [m.span() for m in _PARAGRAPH_BREAK.finditer(text)]
    starts = [0, *(end for _, end in breaks)]
    ends = [*(start for start, _ in breaks), len(text)]
    paragraphs: list[Bounds] = []
    for start, end in zip(starts, ends, strict=True):
        block = text[start:end]
        lines = block.split("\n")
        mixed = _LIST_LINE.search(block) or any(
            line.strip() and _HEADING_LIKE.match(line) for line in lines
        )
        if len(lines) > 1 and (mixed or len(block.split()) > max_words):
            position = start
            for line in lines:
                paragraphs.append((position, position + len(line)))
                position += len(line) + 1
        else:
            paragraphs.append((start, end))
    return paragraphs


def notice_at(position: int, spans: Sequence[Span]) -> str | None:
    """The label of the first span holding ``position``, or ``None``."""
    for start, end, label in spans:
        if start <= position < end:
            return label
    return None


Bounds = tuple[int, int]
"""Where a demand's own words may lie: from the end of the previous demand in the same item
to the start of the next one, so "Licence required, NVQ 2 an advantage" gives each its own
marker."""


NO_BOUNDS: Bounds = (0, 2**62)
