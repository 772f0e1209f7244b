"""Advert checker throughput: full analysis beside spaCy tokenisation alone, same texts, same run.

Generates varied, real-length (about 600 to 1,100 words) NHS support-worker adverts from a
seeded bank of sentences, so the numbers are reproducible and no text is read twice (textstat
caches scores per text). Optionally adds real adverts from a folder (``--extra DIR``).

Prints adverts per second and p50/p95 milliseconds per advert for:

- ``tokenise``: ``nlp.make_doc(text)`` (spaCy's tokenizer alone);
- ``pipeline``: the offline pipeline (tokenizer, sentences, lemmas);
- ``analyse_advert``: the whole check (wording, gender coding, requirements, readability,
  inclusion signals, allow list).

Targets (issue 8, point 1; issue 3, point 11): full analysis within 2.5x of tokenisation
alone; single-advert latency under 100 ms. Last measured (7 December 2026, 23:39 UTC, load
average about 1): 2.47x, 2.40x, 2.37x in three runs alternated with the code before the last
speed round (2.79x, 2.81x, 2.81x); p50 8.4-12.3 ms, p95 12.5-15.8 ms; 2.48-2.52x on the 105
real evaluation adverts (``--adverts 0 --extra DIR``). Single runs vary by about 0.1x.
``benchmarks/advert_stages.py`` times each step on its own.

The machine is often shared: compare two versions run by run, alternated, in the same
minutes, and note the load average. ``benchmarks/advert_snapshot.py`` shows that a speed
change leaves every result as it was.

Usage::

    .venv/bin/python benchmarks/advert_bench.py [--adverts 200] [--seed 7] [--extra DIR]
        [--profile [N]]

``--profile`` then runs ``analyse_advert`` over the same texts once more under ``cProfile``
and prints the N functions (default 25) that take the most time of their own.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

TITLES = [
    "Healthcare Support Worker",
    "Senior Healthcare Support Worker",
    "Clinical Support Worker",
    "Nursing Assistant",
    "Maternity Support Worker",
    "Theatre Support Worker",
    "Assistant Practitioner",
    "Mental Health Support Worker",
]
WARDS = [
    "Ward 4 (Respiratory)",
    "Elderly Care",
    "Acute Medical Unit",
    "Day Surgery",
    "Community Nursing Team",
    "Emergency Department",
    "Stroke Unit",
    "Maternity Unit",
]
INTRO = [
    "We are looking for a caring and reliable person to join our friendly team.",
    "Our ward cares for adults who are very unwell, many of them older people.",
    "You will work with nurses, doctors and therapists to give safe, kind care.",
    "This is a busy post and no two shifts are the same.",
    "We are looking for a dynamic, competitive individual to lead by example in a fast-paced "
    "environment.",
    "The successful candidate will be expected to hit the ground running and work under pressure.",
    "You will be part of a young, energetic team that is passionate about patient care.",
    "The Trust is one of the largest employers in the region and serves a diverse population.",
    "We believe in compassion, respect and working together for patients.",
    "You will join the multidisciplinary team (MDT) and take part in daily safety huddles.",
]
DUTIES = [
    "Help patients to wash, dress and use the toilet, protecting their privacy and dignity.",
    "Take and record observations such as temperature, pulse, blood pressure and oxygen levels.",
    "Check blood sugar and report any changes to the nurse in charge.",
    "Help patients to eat and drink, and keep accurate food and fluid charts.",
    "Remove urinary catheters and cannulas when asked to by a registered nurse.",
    "Apply simple dressings and report any concerns about a wound.",
    "Support patients to move safely using hoists, slide sheets and other equipment.",
    "Keep the ward clean and tidy and follow infection prevention and control policies.",
    "Escort patients to other departments and help with admissions and discharges.",
    "Talk with patients and their families, giving information in a way they understand.",
    "Use the electronic patient record to document care accurately and on time.",
    "Take part in training and keep your mandatory training up to date.",
    "Travel between the hospital and community clinics when the service needs it.",
    "Undertake venepuncture and ECGs once trained and assessed as competent.",
    "Provide personal care in patients' own homes across the district.",
]
ESSENTIAL = [
    "GCSE English and maths at grade 4/C or equivalent",
    "GCSE English and maths at grade C",
    "NVQ Level 2 in Health and Social Care, or equivalent experience",
    "NVQ Level 3 in Health and Social Care",
    "A degree in health or social care",
    "Care Certificate, or willing to complete it during induction",
    "Care Certificate",
    "2 years' experience as a healthcare assistant",
    "Experience of caring for people, paid or unpaid",
    "Full UK driving licence",
    "Full UK driving licence or the ability to travel between sites",
    "Must be physically fit and able to lift heavy patients",
    "Able to communicate clearly in spoken and written English",
    "Excellent written English",
    "Current NMC registration",
    "Good literacy and numeracy skills",
    "Able to work a mix of day and night shifts",
]
DESIRABLE = [
    "Level 3 Diploma in Adult Care, or working towards it",
    "Experience of working in the NHS",
    "Knowledge of NEWS2 and the SystmOne record",
    "Phlebotomy and ECG skills",
    "Foundation degree in health",
    "6 months' experience in a care setting",
]
BENEFITS = [
    "Salary: £24,071 to £25,674 a year, pro rata.",
    "We are happy to talk about flexible working, part-time hours and job shares.",
    "We are a Disability Confident Leader and will make reasonable adjustments.",
    "No experience needed: full training is given, including the Care Certificate.",
    "You can join us through our Level 2 Healthcare Support Worker apprenticeship.",
    "We particularly welcome applications from disabled people and from Black, Asian and "
    "minority ethnic people, who are under-represented in our support workforce.",
    "You will have 27 days of annual leave plus bank holidays, rising with service.",
    "You will join the NHS Pension Scheme, one of the best pension schemes in the UK.",
    "We offer free health and wellbeing support, and discounts at local shops.",
    "Interviews will be held on site; we will tell you the date if you are shortlisted.",
]
ABOUT = (
    "About us. Our hospitals care for around half a million people each year across the city "
    "and the surrounding towns. We employ more than ten thousand staff in clinical and "
    "support roles, and we are proud of our teaching and research. Our values are kindness, "
    "respect, teamwork and always improving, and we expect everyone to live them each day. "
    "We invest in our people with training, coaching and clear routes to progress, from "
    "support roles to registered professions."
)


def generate_adverts(count: int, seed: int) -> list[str]:
    """``count`` different adverts of roughly 600 to 1,100 words."""
    rng = random.Random(seed)
    adverts = []
    for number in range(count):
        band = rng.choice([2, 2, 3, 3, 4])
        parts = [
            f"{rng.choice(TITLES)} (reference {number:04d})",
            f"Band {band} | {rng.choice(WARDS)} | {rng.choice(['Full time', 'Part time'])}",
            "",
            "Job overview",
            " ".join(rng.sample(INTRO, k=rng.randint(4, 7))),
            "",
            "Main duties",
            *(f"- {d}" for d in rng.sample(DUTIES, k=rng.randint(8, 13))),
            "",
            "Person specification",
            "Essential",
            *(f"- {e}" for e in rng.sample(ESSENTIAL, k=rng.randint(6, 10))),
            "Desirable",
            *(f"- {d}" for d in rng.sample(DESIRABLE, k=rng.randint(2, 4))),
            "",
            "What we offer",
            *rng.sample(BENEFITS, k=rng.randint(3, 8)),
            "",
            *[ABOUT] * rng.randint(2, 4),
        ]
        adverts.append("\n".join(parts) + "\n")
    return adverts


def timed(fns: Sequence[Callable[[str], object]], texts: Sequence[str]) -> list[list[float]]:
    """Milliseconds per text for each function, interleaved text by text.

    Interleaving means a busy machine slows every measurement alike, so the ratio between
    them stays fair even when the absolute numbers move.
    """
    times: list[list[float]] = [[] for _ in fns]
    for text in texts:
        for fn, bucket in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn(text)
            bucket.append((time.perf_counter() - start) * 1000)
    return times


def summary(name: str, times: list[float]) -> str:
    total_s = sum(times) / 1000
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
    return (
        f"{name:<15} {len(times) / total_s:9.1f} adverts/s   p50 {p50:7.2f} ms   p95 {p95:7.2f} ms"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--adverts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--extra", type=Path, help="folder of real .txt adverts to add")
    parser.add_argument(
        "--profile",
        type=int,
        nargs="?",
        const=25,
        metavar="N",
        help="also profile analyse_advert and print its N costliest functions",
    )
    args = parser.parse_args(argv)

    from bias_audit.text.advert import analyse_advert
    from bias_audit.text.pipeline import get_pipeline

    texts = generate_adverts(args.adverts, args.seed)
    if args.extra is not None:
        texts += [p.read_text(encoding="utf-8") for p in sorted(args.extra.glob("*.txt"))]
    nlp = get_pipeline()
    # Warm up: build the pipeline, lexicon matchers and textstat's dictionary once, on a text
    # that is not measured.
    analyse_advert(generate_adverts(1, args.seed + 1)[0])
    words = [len(t.split()) for t in texts]
    print(
        f"{len(texts)} adverts, {statistics.mean(words):.0f} words on average "
        f"({min(words)} to {max(words)})"
    )
    tokenise, pipeline, full = timed([nlp.make_doc, nlp, analyse_advert], texts)
    print(summary("tokenise", tokenise))
    print(summary("pipeline", pipeline))
    print(summary("analyse_advert", full))
    ratio = sum(full) / sum(tokenise)
    print(f"full analysis / tokenisation alone: {ratio:.2f}x (target <= 2.5x)")
    print(f"full analysis / offline pipeline: {sum(full) / sum(pipeline):.2f}x")
    print(
        f"single-advert p95 latency: {statistics.quantiles(full, n=20)[-1]:.1f} ms "
        "(target < 100 ms)"
    )
    if args.profile is not None:
        profile(analyse_advert, texts, top=args.profile)


def profile(fn: Callable[[str], object], texts: Sequence[str], *, top: int) -> None:
    """Run ``fn`` over the texts under cProfile; print the ``top`` functions by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        fn(text)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    main()
