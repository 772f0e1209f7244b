"""Where to put the near-duplicate threshold (docs/portfolio-review.md).

Prints the highest TF-IDF cosine similarity between any two *unrelated* documents (the real
evaluation adverts, outside the repository; folders as arguments) and the similarity of
planted near-copies made from each of them by a fixed set of edits (drop one sentence, add
one, reword one, and all three together).

    python benchmarks/duplicate_threshold.py [ADVERT_DIR ...]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from bias_audit.portfolio.duplicates import (
    SIMILARITY_THRESHOLD,
    job_text,
    sentences,
    similarity_matrix,
)

ADDED = "You will also help with ordering stock and answering the ward phone."


def planted_copies(text: str, rng: random.Random) -> dict[str, str]:
    parts = sentences(job_text(text))
    if len(parts) < 4:
        return {}
    drop = rng.randrange(len(parts))
    reword = rng.randrange(len(parts))
    dropped = [p for i, p in enumerate(parts) if i != drop]
    added = [*parts[:2], ADDED, *parts[2:]]
    reworded = [
        p.replace("the", "our", 1) + " (see the job description)" if i == reword else p
        for i, p in enumerate(parts)
    ]
    all_three = [p for i, p in enumerate(reworded) if i != drop] + [ADDED]
    return {
        "drop one": " ".join(dropped),
        "add one": " ".join(added),
        "reword one": " ".join(reworded),
        "all three": " ".join(all_three),
    }


def main(folders: list[str]) -> None:
    folders = folders or ["/work/shared/eval/adverts", "/work/eval-cache/nhs"]
    texts = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.txt")):
            body = path.read_text(encoding="utf-8").split("\n", 1)[-1]  # line 1 names the source
            texts[path.name] = body
    names = list(texts)
    similarity = similarity_matrix([job_text(texts[n]) for n in names])
    pairs = sorted(
        (
            (similarity[i, j], names[i], names[j])
            for i in range(len(names))
            for j in range(i + 1, len(names))
        ),
        reverse=True,
    )
    print(f"unrelated documents: {len(names)}, pairs: {len(pairs)}")
    above = sum(1 for value, *_ in pairs if value >= SIMILARITY_THRESHOLD)
    print(f"  pairs at or above the threshold {SIMILARITY_THRESHOLD}: {above}")
    for value, a, b in pairs[:5]:
        print(f"  highest: {value:.3f} {a} ~ {b}")
    rng = random.Random(13)
    scores: dict[str, list[tuple[float, str]]] = {}
    for name in names:
        copies = planted_copies(texts[name], rng)
        if not copies:
            continue
        # scored among all unrelated documents, as in a real portfolio
        block = [job_text(texts[n]) for n in names] + list(copies.values())
        matrix = similarity_matrix(block)
        original = names.index(name)
        for offset, edit in enumerate(copies):
            value = matrix[original, len(names) + offset]
            scores.setdefault(edit, []).append((float(value), name))
    for edit, values in scores.items():
        values.sort()
        low, tenth = values[0], values[len(values) // 10]
        print(
            f"planted copies, {edit}: n={len(values)} lowest {low[0]:.3f} ({low[1]}), "
            f"10th percentile {tenth[0]:.3f}, median {values[len(values) // 2][0]:.3f}, "
            f"found at {SIMILARITY_THRESHOLD}: {sum(v >= SIMILARITY_THRESHOLD for v, _ in values)}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
