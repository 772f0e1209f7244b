"""The generic lexicon engine: compile entries once, then turn a Doc into Findings.

Every analyser that works from a lexicon calls :func:`match_categories`; no analyser names a
word. Entries are compiled once per lexicon version and category set:

* phrases go to spaCy ``PhraseMatcher`` objects (on ``LOWER``, ``LEMMA`` or ``ORTH``);
* word prefixes (``compet*``) are tested with ``str.startswith`` on a tuple of all
  prefixes — one regex pattern per prefix would be about forty times slower (research:
  ``ecosystem.md`` §1.3) — once per distinct word, as are one-word regexes and which anchors
  (below) hold: the first time a word is met, its flags are kept beside its token-table row
  (:mod:`bias_audit.text.word_rows`), so a text's pass visits only its flagged positions;
* token patterns are grouped by their first token ("anchor"). The positions where an anchor
  holds are found with numpy over token arrays; there, a one-token pattern has matched
  already, and longer ones go to a small ``Matcher`` holding only that anchor's patterns,
  run over just as many tokens as they can span, and only where the next token could
  continue one of them (a number is rarely followed by "years"; what an anchor word followed
  by a word leads to is remembered per word pair). spaCy's Matcher costs
  several microseconds per token it is given (it builds a Token object per position and
  tries every pattern it holds), so feeding it the whole text, or all patterns at every
  anchor, would cost more than tokenising;
* ``unless`` token patterns run only around matches they could excuse, each entry's with a
  Matcher of its own, and custom-attribute (``_``) conditions are checked on candidate
  matches only.

The rules are compiled in :mod:`bias_audit.text.match_rules`, run over a Doc's token table in
:mod:`bias_audit.text.match_tokens` (the word columns remembered per word in
:mod:`bias_audit.text.word_rows`); this module is the entry point and what follows the raw
matches: exceptions, headings, acronyms, overlaps and findings.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable
from functools import lru_cache

import numpy
from spacy.tokens import Doc

from bias_audit.errors import OptionError
from bias_audit.lexicon import Lexicon, LexiconEntry
from bias_audit.text import acronyms
from bias_audit.text.match_rules import CompiledRules, compiled_rules
from bias_audit.text.match_tokens import (
    checked,
    exception_matches,
    raw_matches,
    token_table_and_flags,
)
from bias_audit.text.pipeline import doc_text
from bias_audit.types import Finding

CATEGORIES_NOT_A_LIST = (
    "categories must be a list of category names, not the single string {value!r}; "
    "write categories=[{value!r}]."
)


#: A heading line holds at most this many words ("Main duties and responsibilities").
HEADING_MAX_WORDS = 6


_LINE_OPENERS = tuple("•◦▪●○■□‣⁃∙·✓✔➢➤►*-–—>")


_SENTENCE_END = (".", "!", "?", ",", ";")


def match_categories(doc: Doc, lexicon: Lexicon, *, categories: Collection[str]) -> list[Finding]:
    """Find every match of the lexicon's entries in ``categories`` within ``doc``.

    Parameters
    ----------
    doc
        A Doc from :func:`bias_audit.text.pipeline.get_pipeline` (lemmas and sentence
        starts set).
    lexicon
        The loaded lexicon; its matchers are compiled once per version and category set.
    categories
        Category names (lexicon file stems) to look for; names the lexicon does not have
        match nothing (a trust's own lexicon folder may leave categories out).

    Returns
    -------
    list of Finding
        Sorted by ``(start, -severity)``. Within one category overlapping matches are
        resolved (the longest wins; on a tie the more severe, then the earlier entry); an
        entry's ``unless`` exceptions, ``skip_headings`` and ``acronym`` rules are applied.
        An acronym is one finding at its first use, its other uses in ``occurrences``.
        Character offsets index ``doc.text``, and ``finding.text == doc.text[start:end]``.
        A token pattern matches at most ``OPEN_ENDED_SPAN`` tokens.

    Raises
    ------
    OptionError
        If ``categories`` is a single string rather than a collection of names.

    Examples
    --------
    >>> from bias_audit.lexicon import load_lexicon
    >>> from bias_audit.text.pipeline import get_pipeline
    >>> doc = get_pipeline()("Native English speaker essential.")
    >>> [f.rule_id for f in match_categories(doc, load_lexicon(),
    ...                                      categories=["nationality_race_religion"])]
    ['nationality-native-english-speaker']
    """
    if isinstance(categories, str):
        raise OptionError(CATEGORIES_NOT_A_LIST.format(value=categories))
    compiled = compiled_rules(lexicon, frozenset(categories))
    if not compiled.entries or not len(doc):
        return []
    hits: list[tuple[int, int, int]] = []  # (entry index, start char, end char)
    exceptions: dict[int, list[tuple[int, int]]] = defaultdict(list)
    table, flags = token_table_and_flags(doc, compiled)
    raw = _candidates(doc, compiled, table, flags)
    offsets, lengths = table[:, 1].tolist(), table[:, 2].tolist()
    for key, start, end in raw:
        index, is_exception = compiled.keys[key]
        span = (offsets[start], offsets[end - 1] + lengths[end - 1])
        if is_exception:
            exceptions[index].append(span)
        else:
            hits.append((index, *span))
    text = doc_text(doc)
    memo: dict[tuple[str, str], bool] = {}  # per text: acronyms explained, contexts absent
    kept = [
        hit
        for hit in hits
        if not _excused(hit, compiled.entries[hit[0]], exceptions.get(hit[0], ()), text, memo)
    ]
    resolved = sorted(_resolve_overlaps(kept, compiled.entries), key=lambda hit: hit[1])
    findings = [
        _finding(compiled.entries[index], start, end, text, occurrences)
        for index, start, end, occurrences in _one_per_acronym(resolved, compiled.entries, text)
    ]
    findings.sort(key=lambda finding: (finding.start, -finding.severity, finding.end))
    return findings


def _candidates(
    doc: Doc, compiled: CompiledRules, table: numpy.ndarray, flags: numpy.ndarray | None = None
) -> list[tuple[int, int, int]]:
    """Every (matcher key, start token, end token) before post-processing: the entries'
    matches, then each entry's token-pattern exceptions tried around its own matches."""
    raw = raw_matches(doc, compiled, table, flags)
    # per entry, token ranges where its token-pattern exceptions may apply
    # (and where the match starts: an exception must hold it)
    windows: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for key, start, end in raw:
        index, is_exception = compiled.keys[key]
        if not is_exception and index in compiled.exception_matchers:
            reach = compiled.exception_matchers[index].reach
            windows[index].append((max(0, start - reach), min(len(doc), end + reach), start))
    for index, entry_windows in windows.items():
        raw.extend(
            checked(
                doc,
                exception_matches(doc, table, compiled.exception_matchers[index], entry_windows),
                compiled,
            )
        )
    return raw


def _one_per_acronym(
    hits: list[tuple[int, int, int]], entries: tuple[LexiconEntry, ...], text: str
) -> list[tuple[int, int, int, tuple[tuple[int, int], ...]]]:
    """Fold the uses of one acronym into its first: one finding, the others as occurrences.

    ``hits`` are in text order; "NEWS 2" and "NEWS2", "HCA" and "HCAs" are one acronym.
    """
    first: dict[tuple[int, str], int] = {}
    folded: list[tuple[int, int, int, list[tuple[int, int]]]] = []
    for index, start, end in hits:
        if not entries[index].acronym:
            folded.append((index, start, end, []))
            continue
        key = (index, acronyms.acronym_key(text[start:end]))
        if key in first:
            folded[first[key]][3].append((start, end))
        else:
            first[key] = len(folded)
            folded.append((index, start, end, []))
    return [(index, start, end, tuple(others)) for index, start, end, others in folded]


def _excused(
    hit: tuple[int, int, int],
    entry: LexiconEntry,
    exceptions: Iterable[tuple[int, int]],
    text: str,
    memo: dict[tuple[str, str], bool],
) -> bool:
    _, start, end = hit
    if exceptions and any(low <= start and end <= high for low, high in exceptions):
        return True
    if entry.context:
        key = ("context", entry.id)
        if key not in memo:
            memo[key] = not _in_context(text, entry.context)
        if memo[key]:
            return True
    if entry.skip_headings and _on_heading_line(text, start):
        return True
    if not entry.acronym:
        return False
    key = ("acronym", acronyms.compact_form(text[start:end]))
    if key not in memo:
        memo[key] = acronyms.is_explained(text, key[1])
    if (
        memo[key]
        or acronyms.is_shouted(text, start, end)
        or acronyms.is_reference(text, start, end)
    ):
        return True
    if entry.common_words_in_lists_only:
        if acronyms.is_spam_warning(text, start):
            return True
        return acronyms.is_everyday_word(text[start:end]) and not acronyms.in_capital_list(
            text, start, end
        )
    return False


def _in_context(text: str, phrases: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``phrases`` as whole words, in any case."""
    return _context_regex(phrases).search(text) is not None


@lru_cache(maxsize=256)
def _context_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    pattern = r"(?<!\w)(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(pattern + r")(?!\w)", re.IGNORECASE)


def _line_at(text: str, position: int) -> str:
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    return text[line_start : len(text) if line_end == -1 else line_end].strip()


def _on_heading_line(text: str, position: int) -> bool:
    """A short line that is not a bullet and does not end like a sentence."""
    line = _line_at(text, position)
    if line.startswith(_LINE_OPENERS) or line.endswith(_SENTENCE_END):
        return False
    return len(line.split()) <= HEADING_MAX_WORDS


def _resolve_overlaps(
    hits: list[tuple[int, int, int]], entries: tuple[LexiconEntry, ...]
) -> list[tuple[int, int, int]]:
    """Keep, per category, the longest of overlapping matches (then most severe, earliest).

    The spans kept in a category never overlap, so sorted by start they are sorted by end
    too, and a new span can only overlap the kept one starting at or before it and the one
    after that, found by binary search. That needs spans that are not empty (a match holds
    a token, and tokens are not empty); a category that keeps an empty one is checked span
    by span, as written in the overlap test.
    """
    severity = {index: -int(entries[index].severity) for index, _, _ in hits}
    ranked = sorted(
        set(hits),
        key=lambda hit: (hit[1] - hit[2], severity[hit[0]], hit[0], hit[1]),
    )
    taken: dict[str, tuple[list[int], list[int]]] = {}  # category -> kept starts, ends
    span_by_span: set[str] = set()  # categories holding an empty span
    kept = []
    for index, start, end in ranked:
        category = entries[index].category
        spans = taken.get(category)
        if spans is None:
            spans = taken[category] = ([], [])
        starts, ends = spans
        at = bisect_right(starts, start)
        if category in span_by_span or start >= end:
            if any(
                start < other_end and other_start < end
                for other_start, other_end in zip(starts, ends, strict=True)
            ):
                continue
            span_by_span.add(category)
        elif (at and ends[at - 1] > start) or (at < len(starts) and starts[at] < end):
            continue
        starts.insert(at, start)
        ends.insert(at, end)
        kept.append((index, start, end))
    return kept


def _finding(
    entry: LexiconEntry,
    start: int,
    end: int,
    text: str,
    occurrences: tuple[tuple[int, int], ...] = (),
) -> Finding:
    explanation = entry.explanation
    if entry.condition is not None:
        explanation = f"{explanation} ({entry.condition})"
    return Finding(
        rule_id=entry.id,
        category=entry.category,
        severity=entry.severity,
        start=start,
        end=end,
        text=text[start:end],
        explanation=explanation,
        suggestions=entry.suggestions,
        source=entry.source,
        occurrences=occurrences,
    )
