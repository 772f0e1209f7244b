"""Matcher choice: spaCy's ``SpanRuler`` against our lexicon engine, same adverts, same run.

Issue 9, point 5 asks for a measured decision between spaCy's ``SpanRuler`` and the custom
engine in :mod:`bias_audit.text.matching`. Both are built once from the same lexicon
(:func:`bias_audit.lexicon.load_lexicon`, every category the advert check uses) and run over
the same parsed Docs, the adverts of ``benchmarks/advert_bench.py``. Parsing is done
beforehand and is not timed.

Every lexicon pattern becomes a SpanRuler token pattern labelled ``<rule id>#match`` (or
``#unless`` for an exception): a phrase → one ``LOWER`` per token, ``{lemma: ...}`` → one
``LEMMA`` per token of the parsed phrase, ``{orth: ...}`` → ``ORTH``, a prefix ``compet*`` →
``LOWER`` for the words before it and ``{"LOWER": {"REGEX": "^compet"}}``; token patterns are
taken as written (custom ``_`` attributes included, which spaCy's Matcher supports).

Printed, per advert (p50 / p95 ms):

- ``engine: match_categories``: what the advert check calls, post-processing included
  (exceptions applied, overlaps resolved, acronyms folded, Findings built);
- ``engine: raw matches``: the engine's matching alone, up to the point where
  ``match_categories`` starts post-processing (the rule matches, and the exception matches
  it looks for around them);
- ``SpanRuler``: ``ruler(doc)`` and reading ``doc.spans`` (matching alone; exceptions run
  over the whole text).

Then whether the matched spans are identical before post-processing: the set of
(rule id, first token, end token) of rule matches, and of the exception matches that could
excuse a rule match (an exception span containing a match of the same rule). Last, the
memory each built matcher holds (``tracemalloc``: Python and spaCy's pooled allocations,
measured while building; the shared spaCy pipeline is loaded before either is built).

The engine's raw matches are read through its private helpers (``_compile``,
``_token_table``, ``_raw_matches``, ``_merge``, ``_checked``), read only: if the engine is
reorganised, update :func:`engine_spans` to match. Nothing here changes the engine.

Usage::

    .venv/bin/python benchmarks/matcher_choice.py [--adverts 200] [--seed 7] [--show 10]
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from advert_bench import generate_adverts  # a sibling script, not a package

SPANS_KEY = "lexicon"
# SpanRuler set-ups measured: every pattern as a token pattern (as the issue asks), and the
# idiomatic one, phrases in the rulers' PhraseMatchers (LOWER, and ORTH for exact case).
VARIANTS: dict[str, tuple[str, ...]] = {
    "SpanRuler: token patterns": (),
    "SpanRuler: phrases in PhraseMatcher": ("phrase", "orth"),
}
# One rule match or exception match: (rule id, "match" or "unless", first token, end token).
Span = tuple[str, str, int, int]


def label(entry_id: str, is_exception: bool) -> str:
    """The SpanRuler label of an entry's patterns (the engine's matcher key names alike)."""
    return f"{entry_id}#{'unless' if is_exception else 'match'}"


def token_pattern(pattern: Any, nlp: Any) -> list[dict[str, Any]]:
    """One lexicon pattern as a spaCy token pattern (see the module docstring)."""
    if pattern.kind == "tokens":
        return [dict(token) for token in pattern.tokens]
    if pattern.kind == "lemma":
        return [{"LEMMA": token.lemma_} for token in nlp(pattern.text)]
    if pattern.kind == "orth":
        return [{"ORTH": token.text} for token in nlp.make_doc(pattern.text)]
    words = [token.lower_ for token in nlp.make_doc(pattern.text)]
    if pattern.kind == "prefix":
        stem = {"LOWER": {"REGEX": "^" + re.escape(words[-1])}}
        return [*({"LOWER": word} for word in words[:-1]), stem]
    return [{"LOWER": word} for word in words]


def span_ruler_patterns(
    entries: Iterable[Any], nlp: Any, *, phrase_kinds: Sequence[str] = ()
) -> dict[str, list[dict[str, Any]]]:
    """Every pattern and exception of ``entries`` as SpanRuler pattern dicts.

    Keyed by the ruler that takes them: ``"tokens"`` (token patterns), and for each kind in
    ``phrase_kinds`` (``"phrase"``, ``"orth"``) the phrase itself as a string pattern, for a
    ruler whose PhraseMatcher reads ``LOWER`` or ``ORTH``.
    """
    patterns: dict[str, list[dict[str, Any]]] = {"tokens": []}
    for entry in entries:
        for is_exception, group in ((False, entry.patterns), (True, entry.unless)):
            for pattern in group:
                name = label(entry.id, is_exception)
                if pattern.kind in phrase_kinds:
                    patterns.setdefault(pattern.kind, []).append(
                        {"label": name, "pattern": pattern.text}
                    )
                else:
                    patterns["tokens"].append(
                        {"label": name, "pattern": token_pattern(pattern, nlp)}
                    )
    return patterns


PHRASE_ATTRIBUTE = {"tokens": "ORTH", "phrase": "LOWER", "orth": "ORTH"}


def build_span_rulers(
    entries: Sequence[Any], nlp: Any, *, phrase_kinds: Sequence[str] = ()
) -> list[Any]:
    """SpanRulers holding the entries' patterns, validated by spaCy, built once.

    One ruler of token patterns, plus one per phrase kind sent to a PhraseMatcher (a
    SpanRuler's PhraseMatcher reads one attribute); the later ones add to the first's spans.
    """
    from spacy.pipeline import SpanRuler

    rulers = []
    for number, (kind, patterns) in enumerate(
        span_ruler_patterns(entries, nlp, phrase_kinds=phrase_kinds).items()
    ):
        ruler = SpanRuler(
            nlp,
            name=f"lexicon_{kind}",
            spans_key=SPANS_KEY,
            phrase_matcher_attr=PHRASE_ATTRIBUTE[kind],
            validate=True,
            overwrite=number == 0,
        )
        ruler.add_patterns(patterns)
        rulers.append(ruler)
    return rulers


def ruler_spans(rulers: Sequence[Any], doc: Any) -> set[Span]:
    """The SpanRulers' matches on ``doc``."""
    for ruler in rulers:
        ruler(doc)
    found = set()
    for span in doc.spans[SPANS_KEY]:
        entry_id, _, kind = span.label_.rpartition("#")
        found.add((entry_id, kind, span.start, span.end))
    return found


def engine_spans(doc: Any, compiled: Any) -> set[Span]:
    """The engine's matches on ``doc`` before post-processing.

    The first step of ``match_categories``: rule matches, then each rule's exceptions
    tried around that rule's matches (``matching._candidates``).
    """
    from bias_audit.text import match_tokens, matching

    raw = matching._candidates(doc, compiled, match_tokens.token_table(doc, compiled))
    found = set()
    for key, start, end in raw:
        index, is_exception = compiled.keys[key]
        found.add((compiled.entries[index].id, "unless" if is_exception else "match", start, end))
    return found


def comparable(spans: set[Span]) -> tuple[set[Span], set[Span]]:
    """Rule matches, and the exception matches that contain a match of the same rule."""
    matches = {s for s in spans if s[1] == "match"}
    by_rule: dict[str, list[Span]] = {}
    for span in matches:
        by_rule.setdefault(span[0], []).append(span)
    excusing = {
        s
        for s in spans
        if s[1] == "unless" and any(s[2] <= m[2] and m[3] <= s[3] for m in by_rule.get(s[0], ()))
    }
    return matches, excusing


def built_size(build: Callable[[], Any]) -> tuple[Any, int]:
    """Build something and return it with the bytes it still holds (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    built = build()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return built, held


def percentiles(times: list[float]) -> str:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
    return f"p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   total {sum(times) / 1000:6.2f} s"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--adverts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=10, help="differences to print at most")
    args = parser.parse_args(argv)

    from bias_audit.lexicon import load_lexicon
    from bias_audit.text import match_rules, matching
    from bias_audit.text.advert import ALL_CATEGORIES
    from bias_audit.text.pipeline import get_pipeline

    nlp = get_pipeline()
    lexicon = load_lexicon()
    entries = lexicon.in_categories(ALL_CATEGORIES)
    nlp("Warm the pipeline up before measuring memory.")

    compiled, engine_bytes = built_size(lambda: match_rules.compile_rules(entries))
    rulers, ruler_bytes = {}, {}
    for name, kinds in VARIANTS.items():
        rulers[name], ruler_bytes[name] = built_size(
            lambda kinds=kinds: build_span_rulers(entries, nlp, phrase_kinds=kinds)
        )
    n_patterns = sum(len(e.patterns) + len(e.unless) for e in entries)
    print(f"{len(entries)} rules, {n_patterns} patterns, categories: {', '.join(ALL_CATEGORIES)}")
    print("memory held by the built matchers:")
    print(f"  {'engine (text.match_rules.compile_rules)':<34} {engine_bytes / 2**20:6.2f} MiB")
    for name, held in ruler_bytes.items():
        print(f"  {name:<34} {held / 2**20:6.2f} MiB")

    texts = generate_adverts(args.adverts, args.seed)
    docs = [nlp(text) for text in texts]
    # Warm up both (the engine's compiled cache and per-word memos; the ruler's matchers).
    warm = nlp(generate_adverts(1, args.seed + 1)[0])
    matching.match_categories(warm, lexicon, categories=ALL_CATEGORIES)
    engine_spans(warm, compiled)
    for built in rulers.values():
        ruler_spans(built, warm)

    runs: dict[str, Callable[[Any], object]] = {
        "engine: match_categories": lambda doc: matching.match_categories(
            doc, lexicon, categories=ALL_CATEGORIES
        ),
        "engine: raw matches": lambda doc: engine_spans(doc, compiled),
    }
    for name, built in rulers.items():
        runs[name] = lambda doc, built=built: ruler_spans(built, doc)
    times: dict[str, list[float]] = {name: [] for name in runs}
    # Interleaved advert by advert: a busy machine slows every measurement alike.
    for doc in docs:
        for name, run in runs.items():
            start = time.perf_counter()
            run(doc)
            times[name].append((time.perf_counter() - start) * 1000)
    words = [len(doc) for doc in docs]
    print(f"{len(docs)} adverts, {statistics.mean(words):.0f} tokens on average")
    for name, measured in times.items():
        print(f"{name:<34} {percentiles(measured)}")
    for name, built in rulers.items():
        compare_spans(name, built, docs, compiled, show=args.show)


def compare_spans(
    name: str, rulers: Sequence[Any], docs: Sequence[Any], compiled: Any, *, show: int
) -> None:
    """Print whether the rulers find the engine's spans, advert by advert."""

    same_matches = same_excusing = 0
    differences: list[str] = []
    totals = [0, 0]
    for number, doc in enumerate(docs):
        ours = comparable(engine_spans(doc, compiled))
        theirs = comparable(ruler_spans(rulers, doc))
        totals[0] += len(ours[0])
        totals[1] += len(ours[1])
        same_matches += ours[0] == theirs[0]
        same_excusing += ours[1] == theirs[1]
        for kind, mine, other in (("match", ours[0], theirs[0]), ("unless", ours[1], theirs[1])):
            for who, extra in (("engine", mine - other), ("SpanRuler", other - mine)):
                for span in sorted(extra):
                    text = doc[span[2] : span[3]].text
                    differences.append(f"advert {number}: {who} only {kind} {span} {text!r}")
    print(f"{name}: spans against the engine's, before post-processing")
    print(
        f"  identical rule matches: {same_matches} of {len(docs)} adverts "
        f"({totals[0]} engine matches in all)"
    )
    print(
        f"  identical excusing exception matches: {same_excusing} of {len(docs)} adverts "
        f"({totals[1]} engine matches in all)"
    )
    print(f"  differences: {len(differences)}")
    for line in differences[:show]:
        print("    " + line)


if __name__ == "__main__":
    main()
