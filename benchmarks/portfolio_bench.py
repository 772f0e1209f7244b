"""Portfolio run over 500 job descriptions, beside reading them alone and checking them one
by one.

Writes N documents (default 500) to a temporary folder: the 12 example descriptions of
``example_data/portfolio/descriptions`` (10 text, 2 Word) cycled, each copy with its own ward
number and hours so no two texts are the same. Then times, on the same files:

- ``read alone``: :func:`bias_audit.io.adverts.read_advert_file` for every file (reading
  only, the floor any review has to pay);
- ``check one by one``: :func:`bias_audit.services.check_advert` for every file, the whole
  advert check, as an HR team would run it today, one file at a time;
- ``portfolio run``: :func:`bias_audit.services.audit_portfolio` on the folder (read, parse
  requirements with one spaCy pipeline, matrices, profile check, flags, and the credential
  balance and near-duplicate review);
- ``of which review``: :func:`bias_audit.portfolio.review.review_documents` alone on the
  documents the run read (its part of the portfolio run; not in the ratios).

After a warm-up that loads the pipeline and lexicon, the three are run in turn, ``--repeats``
rounds (default 3), and each keeps its fastest round: the machine is shared, and the fastest
round is the one least disturbed by other work. Prints seconds, documents per second and the
ratios of the portfolio run to the other two.

Usage::

    .venv/bin/python benchmarks/portfolio_bench.py [--documents 500] [--repeats 3]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "example_data" / "portfolio" / "descriptions"


def write_documents(folder: Path, count: int) -> list[Path]:
    """``count`` files cycled from the examples, each text made unique."""
    sources = sorted(EXAMPLES.iterdir())
    written = []
    for index in range(count):
        source = sources[index % len(sources)]
        target = folder / f"{index:04d}_{source.name}"
        if source.suffix == ".docx":
            shutil.copyfile(source, target)
        else:
            text = source.read_text(encoding="utf-8")
            text = text.replace("Hours: ", f"Reference: JD-{index:04d}\nHours: ", 1)
            target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def seconds_of(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def report(label: str, seconds: float, documents: int) -> None:
    print(f"{label:<18} {seconds:8.2f} s  {documents / seconds:8.1f} documents/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from bias_audit.io.adverts import read_advert_file
    from bias_audit.portfolio.review import review_documents
    from bias_audit.services import audit_portfolio, check_advert

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = write_documents(folder, args.documents)
        # Warm-up: pipeline, lexicon, matchers, textstat's dictionary.
        check_advert(files[0])
        audit_portfolio(files[:2])
        n = len(files)
        print(f"{n} job descriptions ({sum(f.suffix == '.docx' for f in files)} Word files)")
        reviews = []
        runs = {
            "read alone": lambda: [read_advert_file(f) for f in files],
            "check one by one": lambda: [check_advert(f) for f in files],
            "portfolio run": lambda: reviews.append(audit_portfolio(folder)),
            "of which review": lambda: review_documents(reviews[-1].documents),
        }
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(args.repeats):  # rounds in turn, so a busy spell hits all three alike
            for label, run in runs.items():
                best[label] = min(best[label], seconds_of(run))
        for label, seconds in best.items():
            report(label, seconds, n)
        read, each, whole = best["read alone"], best["check one by one"], best["portfolio run"]
        review = reviews[-1]
        print(f"portfolio run / read alone:       {whole / read:6.2f}x")
        print(f"portfolio run / check one by one: {whole / each:6.2f}x")
        print(f"review / portfolio run:           {best['of which review'] / whole:6.2f}")
        print(
            f"documents read {len(review.documents)}, excluded {len(review.exclusions)}, "
            f"flags {len(review.flags)}, "
            f"near-duplicate groups {len(review.review.duplicates.groups)}"
        )


if __name__ == "__main__":
    main()
