"""Agreement of the criteria classifier with hand labels (docs/portfolio-review.md).

Labels: ``tests/portfolio/review_labels_synthetic.csv`` (text in the repository),
``tests/portfolio/review_labels_external.csv`` and ``review_labels_heldout.csv`` (the
second labelled after the rules existed, then run once; file name and character offsets only: the
real adverts stay outside the repository, in /work/shared/eval/adverts and
/work/eval-cache/nhs, or in folders given as arguments). Prints accuracy, Cohen's kappa and
the confusion matrix for each set and for all together, and every disagreement.

    python benchmarks/criteria_agreement.py [SHARED_EVAL_DIR NHS_DIR]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from bias_audit.portfolio.credentials import agreement, classify_criteria

HERE = Path(__file__).resolve().parents[1] / "tests" / "portfolio"


def external_texts(
    shared: Path, nhs: Path, *, file: str = "review_labels_external.csv"
) -> list[tuple[str, str, str]]:
    folders = {"shared-eval": shared, "eval-cache-nhs": nhs}
    rows = []
    for row in csv.DictReader((HERE / file).open(encoding="utf-8")):
        path = folders[row["folder"]] / row["file"]
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")[int(row["start"]) : int(row["end"])].strip()
        rows.append((f"{row['file']}@{row['start']}", text, row["label"]))
    return rows


def synthetic_texts() -> list[tuple[str, str, str]]:
    reader = csv.DictReader((HERE / "review_labels_synthetic.csv").open(encoding="utf-8"))
    return [(f"synthetic#{i}", r["text"], r["label"]) for i, r in enumerate(reader, start=1)]


def report(name: str, rows: list[tuple[str, str, str]]) -> None:
    if not rows:
        print(f"{name}: no labels found")
        return
    predicted = [c.kind for c in classify_criteria([text for _, text, _ in rows])]
    result = agreement([label for *_, label in rows], predicted)
    print(f"{name}: n={result.n} accuracy={result.accuracy:.3f} kappa={result.kappa:.3f}")
    print("  hand \\ classifier", " ".join(f"{k[:5]:>6}" for k in result.labels))
    for label, row in zip(result.labels, result.confusion, strict=True):
        print(f"  {label:>17}", " ".join(f"{v:>6}" for v in row))
    for (where, text, label), guess in zip(rows, predicted, strict=True):
        if guess != label:
            print(f"  - {where}: hand {label}, classifier {guess}: {text[:90]!r}")


def main(argv: list[str]) -> None:
    shared = Path(argv[0]) if argv else Path("/work/shared/eval/adverts")
    nhs = Path(argv[1]) if len(argv) > 1 else Path("/work/eval-cache/nhs")
    external, synthetic = external_texts(shared, nhs), synthetic_texts()
    heldout = external_texts(shared, nhs, file="review_labels_heldout.csv")
    report("real adverts", external)
    report("synthetic", synthetic)
    report("held out (labelled after the rules were written)", heldout)
    report("all", external + synthetic + heldout)


if __name__ == "__main__":
    main(sys.argv[1:])
