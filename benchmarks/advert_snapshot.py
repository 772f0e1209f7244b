"""Snapshot every advert check as JSON, to show that a speed change leaves results identical.

Runs ``analyse_advert(...).to_dict()`` on the shared evaluation adverts
(``../shared/eval/adverts/*.txt`` when present), the example adverts
(``example_data/adverts/*.txt``) and the benchmark corpus (``advert_bench.generate_adverts``),
and writes one JSON file holding every result, keyed by where the text came from.

Usage::

    .venv/bin/python benchmarks/advert_snapshot.py write SNAPSHOT.json [--eval DIR]
    .venv/bin/python benchmarks/advert_snapshot.py compare SNAPSHOT.json [--eval DIR]

``compare`` exits with status 1 and names every text whose result changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent.parent / "shared" / "eval" / "adverts"


def corpus(eval_dir: Path | None, *, adverts: int, seed: int) -> dict[str, str]:
    """Texts to check, keyed by a stable name."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from advert_bench import generate_adverts

    texts: dict[str, str] = {}
    if eval_dir is not None and eval_dir.is_dir():
        for path in sorted(eval_dir.glob("*.txt")):
            texts[f"eval/{path.name}"] = path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "example_data" / "adverts").glob("*.txt")):
        texts[f"example/{path.name}"] = path.read_text(encoding="utf-8")
    for number, text in enumerate(generate_adverts(adverts, seed)):
        texts[f"bench/{number:04d}"] = text
    return texts


def snapshot(texts: dict[str, str]) -> dict[str, object]:
    from bias_audit.text.advert import analyse_advert

    return {name: analyse_advert(text, source=name).to_dict() for name, text in texts.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["write", "compare"])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="folder of .txt adverts")
    parser.add_argument("--adverts", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    results = snapshot(corpus(args.eval, adverts=args.adverts, seed=args.seed))
    # Round-trip through JSON so tuples and lists compare alike.
    results = json.loads(json.dumps(results, sort_keys=True))
    if args.action == "write":
        args.snapshot.write_text(json.dumps(results, sort_keys=True, indent=1), encoding="utf-8")
        print(f"wrote {len(results)} results to {args.snapshot}")
        return 0
    expected = json.loads(args.snapshot.read_text(encoding="utf-8"))
    changed = sorted(
        name for name in expected.keys() | results.keys() if expected.get(name) != results.get(name)
    )
    for name in changed:
        print(f"changed: {name}")
    print(f"{len(results)} results, {len(changed)} changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
