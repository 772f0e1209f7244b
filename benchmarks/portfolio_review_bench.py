"""Time the credential balance and near-duplicate review of 500 job descriptions.

The 14 example descriptions and the evaluation adverts (if present) are repeated, each copy
made unique by one line, so many near-duplicate groups form (the slow path: every group's
differences are worked out).

    python benchmarks/portfolio_review_bench.py [COUNT]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import SimpleNamespace

from bias_audit.io.adverts import read_advert_file
from bias_audit.portfolio.review import review_documents
from bias_audit.shipped import shipped_path


def main(count: int) -> None:
    folder = shipped_path("example_data") / "portfolio" / "descriptions"
    texts = [
        read_advert_file(str(p)).text
        for p in sorted(folder.iterdir())
        if p.suffix in {".txt", ".docx"}
    ]
    texts += [
        p.read_text(encoding="utf-8")
        for p in sorted(Path("/work/shared/eval/adverts").glob("*.txt"))
    ]
    documents = [
        SimpleNamespace(
            name=f"doc{i}.txt",
            text=texts[i % len(texts)] + f"\nReference {i}: w{i}x",
            band=2 + i % 3,
        )
        for i in range(count)
    ]
    review_documents(documents[:5])  # load spaCy and the rules once
    start = time.perf_counter()
    review = review_documents(documents)
    seconds = time.perf_counter() - start
    criteria = sum(len(b.criteria) for b in review.balances)
    print(
        f"{count} documents ({len(texts)} distinct), {criteria} essential criteria, "
        f"{len(review.duplicates.groups)} near-duplicate groups: {seconds:.1f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
