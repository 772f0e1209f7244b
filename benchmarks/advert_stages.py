"""Where the advert checker's time goes: each step of ``analyse_advert``, timed on its own.

Runs the steps of :func:`bias_audit.text.advert.analyse_advert` one by one over the
generated adverts of ``advert_bench.py`` (the same calls, in the same order, on the same
inputs), and prints each step's process time as a multiple of spaCy tokenisation alone
(``nlp.make_doc``) of the same texts, best of ``--rounds`` rounds. Process time, not wall
time, so another job on the machine moves the figures less; the ratios are what to
compare between two versions of the code.

Usage::

    .venv/bin/python benchmarks/advert_stages.py [--adverts 200] [--seed 7] [--rounds 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

from advert_bench import generate_adverts

STEPS = (
    "tokenise",
    "pipeline",
    "band",
    "match",
    "segment",
    "gender",
    "requirements",
    "readability",
    "signals",
    "full",
)


def step_times(texts: Sequence[str]) -> dict[str, float]:
    """Process seconds per step over ``texts`` (one round)."""
    from bias_audit.text import advert
    from bias_audit.text.pipeline import get_pipeline

    nlp = get_pipeline()
    lexicon = advert.load_lexicon()
    totals = dict.fromkeys(STEPS, 0.0)

    def timed(step: str, fn: Callable[..., object], *args: object, **kwargs: object) -> object:
        start = time.process_time()
        result = fn(*args, **kwargs)
        totals[step] += time.process_time() - start
        return result

    for text in texts:
        timed("tokenise", nlp.make_doc, text)
        evidence = timed("band", advert.find_band_evidence, text)
        band = None if evidence is None else evidence.band  # type: ignore[attr-defined]
        doc = timed("pipeline", nlp, text)
        matches = timed(
            "match", advert.match_categories, doc, lexicon, categories=advert.CHECKED_CATEGORIES
        )
        wording = [m for m in matches if m.category in advert.WORDING_CATEGORIES]  # type: ignore[attr-defined]
        segments = timed("segment", advert.segment, doc, cues=None)
        timed("gender", advert.gender_coding, doc, lexicon, findings=wording, segments=segments)
        requirement_matches = [
            m
            for m in matches  # type: ignore[attr-defined]
            if m.category in advert.REQUIREMENT_CATEGORIES
        ]
        timed(
            "requirements",
            advert.judge_requirements,
            text,
            requirement_matches,
            band=band,
            lexicon=lexicon,
        )
        timed("readability", advert.analyse_readability, text, band=band)
        signal_matches = [
            m
            for m in matches  # type: ignore[attr-defined]
            if m.category == advert.inclusion.CATEGORY
        ]
        timed("signals", _signals, signal_matches, lexicon, text)
        timed("full", advert.analyse_advert, text)
    return totals


def _signals(matches: list[object], lexicon: object, text: str) -> list[object]:
    from bias_audit.text import advert

    return list(advert.signals_from_matches(matches, lexicon, text=text))  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--adverts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    from bias_audit.text.advert import analyse_advert

    texts = generate_adverts(args.adverts, args.seed)
    analyse_advert(generate_adverts(1, args.seed + 1)[0])  # build everything once
    best = dict.fromkeys(STEPS, float("inf"))
    for _ in range(args.rounds):
        for step, seconds in step_times(texts).items():
            best[step] = min(best[step], seconds)
    tokenise = best["tokenise"]
    print(f"{len(texts)} adverts, best of {args.rounds} rounds (process time)")
    for step in STEPS:
        per_advert = best[step] / len(texts) * 1000
        print(f"{step:<13} {best[step] / tokenise:5.2f}x   {per_advert:6.2f} ms per advert")
    parts = sum(best[s] for s in STEPS if s not in ("tokenise", "full"))
    print(f"{'steps summed':<13} {parts / tokenise:5.2f}x (full analysis: target <= 2.5x)")


if __name__ == "__main__":
    main()
