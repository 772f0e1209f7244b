"""Standard notices in adverts that are not entry criteria (visa and sponsorship, right to
work, pay thresholds, equal opportunities), from ``data/advert_boilerplate.yml``.

The requirements analyser records demands inside them as cleared, and the salary inclusion
signal ignores pay figures inside visa notices.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

from bias_audit.text.regex_words import OpeningSearch
from bias_audit.yaml_files import load_yaml

PAY_NOTICE_KINDS = ("visa", "pay_threshold")
"""Notices whose pound figures are not the job's pay (visa salary thresholds)."""


@dataclass(frozen=True, slots=True)
class _BoilerplateRules:
    max_paragraph_words: int
    markers: tuple[tuple[str, str, bool, re.Pattern[str]], ...]  # kind, label, paragraph, regex
    headings: re.Pattern[str]
    any_marker: re.Pattern[str]  # every marker of every kind, to skip clean text fast
    any_heading: re.Pattern[str]  # the headings, at the start of any line
    # any_marker searched only where one of the markers' openings stands
    marker_search: OpeningSearch


@functools.cache
def _boilerplate_rules() -> _BoilerplateRules:
    data = load_yaml(
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
    return _BoilerplateRules(
        int(data["max_paragraph_words"]),
        markers,
        headings,
        any_marker,
        any_heading,
        OpeningSearch(any_marker, "|".join(f"(?:{m})" for m in every)),
    )


def _next_marker(
    text: str, position: int, rules: _BoilerplateRules, starts: list[int] | None
) -> int:
    """Where the first marker at or after ``position`` starts, or ``len(text)``.

    ``starts``: where a marker could start (:meth:`OpeningSearch.starts` of the text).
    """
    found = rules.marker_search.search_from(text, position, starts)
    return len(text) if found is None else found.start()


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
    starts = rules.marker_search.starts(text)
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
