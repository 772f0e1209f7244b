"""Measure the advert checker's precision and recall on real adverts (issue 8, acceptance 7).

Runs :func:`bias_audit.text.advert.analyse_advert` on two sets of real adverts and scores
what it shows against hand-made labels:

* ``labels.yml`` - document-level labels per LABELLING.md category, made before the checker
  was run (see the file's header).
* ``judgements.yml`` - a verdict for every finding the checker shows: ``right`` (a reviewer
  would change the wording), ``defensible`` (reasonable people differ) or ``wrong``, keyed by
  (document, rule id, matched text normalised).

Printed:

* finding-level precision, strict (right / all) and lenient ((right + defensible) / all),
  overall and per finding category, for each set and both together;
* document-level recall per labelled category: of the adverts labelled present, how many
  have at least one finding of the matching categories judged right or defensible ("found");
  "any" counts a finding of those categories whatever its judgement;
* the number of gender-coded findings and of feminine / strongly feminine verdicts;
* every finding not yet judged, as YAML ready to paste into judgements.yml.

The current NHS adverts are not in the repository. Their text is read from
``$ADVERT_EVAL_CACHE/<id>.txt`` (default ``/work/eval-cache/nhs``), first line the URL;
missing files are listed and the set is scored without them.

Run from the repository root::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/advert_eval/run_eval.py
    PYTHONPATH=$PWD .venv/bin/python benchmarks/advert_eval/run_eval.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from bias_audit.text.advert import analyse_advert

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LABELS = HERE / "labels.yml"
JUDGEMENTS = HERE / "judgements.yml"
SHARED_DIR = REPO.parent.parent / "shared" / "eval" / "adverts"
DEFAULT_SHARED_DIRS = (Path("/work/shared/eval/adverts"), SHARED_DIR)
DEFAULT_CACHE = Path("/work/eval-cache/nhs")

VERDICTS = ("right", "defensible", "wrong")
KEY_TEXT_CHARS = 80
"""Long-sentence findings match whole sentences; their key keeps the first 80 characters."""

#: Finding categories that count as finding each LABELLING.md category (document recall).
#: A finding's category is what the checker files it under; some barriers can be filed in a
#: neighbouring category (a health question under disability, "native speaker" under
#: language level), which still tells the reader the right thing.
FINDS_LABEL: dict[str, frozenset[str]] = {
    "gender": frozenset({"gender_masculine", "gender_feminine", "gendered_terms"}),
    "age": frozenset({"age"}),
    "disability": frozenset({"disability", "health_screening"}),
    "nationality_race_religion": frozenset({"nationality_race_religion", "language_level"}),
    "jargon": frozenset({"jargon"}),
    "cliche": frozenset({"cliche"}),
    "qualification_degree": frozenset({"qualification_degree"}),
    "qualification_no_equivalent": frozenset({"qualification_no_equivalent"}),
    "experience_years": frozenset({"experience_years"}),
    "driving_licence": frozenset({"driving_licence"}),
    "physical_requirements": frozenset({"physical_requirements", "disability"}),
    "health_screening": frozenset({"health_screening", "disability"}),
    "sexual_orientation": frozenset({"sexual_orientation", "gendered_terms"}),
    "long_sentences": frozenset({"readability"}),
}
GENDER_CODED = frozenset({"gender_masculine", "gender_feminine"})
FEMININE_VERDICTS = frozenset({"feminine", "strongly feminine"})

MSG_BAD_VERDICT = (
    "{path}: {doc}: judgement for {rule!r} / {text!r} is {verdict!r}; use one of "
    "right, defensible, wrong."
)
MSG_NO_SHARED = (
    "The shared adverts folder was not found (tried {tried}). Pass --shared-dir with the "
    "folder that holds care_hcsw_01.txt."
)

_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The judgement key for a matched text: lower case, spaces collapsed, first 80 chars."""
    return _SPACES.sub(" ", text).strip().lower()[:KEY_TEXT_CHARS].rstrip()


@dataclass(frozen=True)
class Shown:
    """One finding the checker shows, with the key its judgement is stored under."""

    doc: str
    set_name: str
    rule_id: str
    category: str
    severity: str
    text: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.doc, self.rule_id, normalise(self.text))


def load_judgements(path: Path) -> dict[tuple[str, str, str], tuple[str, str]]:
    """Map (doc, rule_id, normalised text) to (verdict, reason)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    judged: dict[tuple[str, str, str], tuple[str, str]] = {}
    for doc, entries in (data.get("judgements") or {}).items():
        for entry in entries or []:
            verdict = str(entry["verdict"]).strip().lower()
            if verdict not in VERDICTS:
                raise SystemExit(
                    MSG_BAD_VERDICT.format(
                        path=path, doc=doc, rule=entry["rule"], text=entry["text"], verdict=verdict
                    )
                )
            judged[(doc, entry["rule"], normalise(entry["text"]))] = (
                verdict,
                entry.get("why", ""),
            )
    return judged


def advert_text(doc: str, entry: dict, shared_dir: Path, cache: Path) -> str | None:
    """The advert's text without its first line (source note or URL), or None if missing."""
    path = shared_dir / doc if entry["set"] == "shared" else cache / f"{doc}.txt"
    if not path.exists():
        return None
    return path.read_text(encoding="utf-8").split("\n", 1)[1]


def ratio(part: int, whole: int) -> str:
    return "  n/a" if whole == 0 else f"{100 * part / whole:5.1f}%"


def precision_rows(
    shown: list[Shown], judged: dict[tuple[str, str, str], tuple[str, str]]
) -> list[dict[str, object]]:
    """Counts and precision per finding category, plus an "ALL" row, sorted by count."""
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    for finding in shown:
        verdict = judged.get(finding.key, ("unjudged", ""))[0]
        by_category[finding.category][verdict] += 1
        by_category["ALL"][verdict] += 1
    rows = []
    for category, counts in by_category.items():
        total = sum(counts.values())
        judged_total = total - counts["unjudged"]
        rows.append(
            {
                "category": category,
                "findings": total,
                "right": counts["right"],
                "defensible": counts["defensible"],
                "wrong": counts["wrong"],
                "unjudged": counts["unjudged"],
                "strict": None if judged_total == 0 else counts["right"] / judged_total,
                "lenient": None
                if judged_total == 0
                else (counts["right"] + counts["defensible"]) / judged_total,
            }
        )
    rows.sort(key=lambda r: (r["category"] != "ALL", -int(r["findings"]), r["category"]))
    return rows


def recall_rows(
    labels: dict[str, dict],
    docs: list[str],
    shown: list[Shown],
    judged: dict[tuple[str, str, str], tuple[str, str]],
) -> list[dict[str, object]]:
    """Per labelled category: adverts labelled present, found (right/defensible), any."""
    good: dict[str, set[str]] = defaultdict(set)
    anyf: dict[str, set[str]] = defaultdict(set)
    for finding in shown:
        anyf[finding.doc].add(finding.category)
        if judged.get(finding.key, ("",))[0] in ("right", "defensible"):
            good[finding.doc].add(finding.category)
    rows = []
    for category, finders in FINDS_LABEL.items():
        present = [d for d in docs if category in (labels[d].get("present") or {})]
        found = [d for d in present if good[d] & finders]
        seen = [d for d in present if anyf[d] & finders]
        rows.append(
            {
                "category": category,
                "present": len(present),
                "found": len(found),
                "any_finding": len(seen),
                "recall": None if not present else len(found) / len(present),
                "missed": sorted(set(present) - set(found)),
            }
        )
    return rows


def print_precision(title: str, rows: list[dict[str, object]]) -> None:
    print(f"\n{title}")
    print(
        f"  {'category':30} {'n':>4} {'right':>5} {'def':>4} {'wrong':>5} {'unj':>4}"
        f" {'strict':>7} {'lenient':>7}"
    )
    for r in rows:
        judged_n = int(r["findings"]) - int(r["unjudged"])
        print(
            f"  {r['category']:30} {r['findings']:>4} {r['right']:>5} {r['defensible']:>4}"
            f" {r['wrong']:>5} {r['unjudged']:>4} {ratio(int(r['right']), judged_n):>7}"
            f" {ratio(int(r['right']) + int(r['defensible']), judged_n):>7}"
        )


def print_recall(title: str, rows: list[dict[str, object]]) -> None:
    print(f"\n{title}")
    print(f"  {'label category':30} {'present':>7} {'found':>5} {'any':>4} {'recall':>7}  missed")
    for r in rows:
        if not r["present"]:
            continue
        print(
            f"  {r['category']:30} {r['present']:>7} {r['found']:>5} {r['any_finding']:>4}"
            f" {ratio(int(r['found']), int(r['present'])):>7}  {', '.join(r['missed'])}"
        )


def unjudged_yaml(shown: list[Shown], judged: dict) -> str:
    """Stubs for every finding without a judgement, grouped by document."""
    by_doc: dict[str, dict[tuple[str, str], Shown]] = defaultdict(dict)
    for finding in shown:
        if finding.key not in judged:
            by_doc[finding.doc].setdefault((finding.rule_id, normalise(finding.text)), finding)
    lines = []
    for doc in sorted(by_doc):
        lines.append(f"  {doc}:")
        for finding in by_doc[doc].values():
            lines.append(f"    - rule: {finding.rule_id}")
            lines.append(f"      text: {json.dumps(normalise(finding.text), ensure_ascii=False)}")
            lines.append("      verdict: ")
            lines.append(f"      why:   # {finding.category}, {finding.severity}")
    return "\n".join(lines)


def worst_patterns(
    shown: list[Shown], judged: dict[tuple[str, str, str], tuple[str, str]], *, limit: int
) -> list[tuple[str, int, list[str], str]]:
    """Rules with the most findings judged wrong: (rule id, count, examples, main reasons)."""
    wrong: dict[str, list[Shown]] = defaultdict(list)
    for finding in shown:
        if judged.get(finding.key, ("",))[0] == "wrong":
            wrong[finding.rule_id].append(finding)
    ranked = sorted(wrong.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
    rows = []
    for rule_id, found in ranked:
        examples = list(dict.fromkeys(normalise(f.text)[:40] for f in found))[:4]
        reasons = Counter(judged[f.key][1] for f in found).most_common(2)
        rows.append((rule_id, len(found), examples, "; ".join(f"{n}x {r}" for r, n in reasons)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared-dir", type=Path, default=None)
    parser.add_argument(
        "--cache", type=Path, default=Path(os.environ.get("ADVERT_EVAL_CACHE", DEFAULT_CACHE))
    )
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    parser.add_argument(
        "--list-findings", action="store_true", help="print every shown finding and its verdict"
    )
    parser.add_argument(
        "--worst", type=int, default=15, help="how many worst false-positive rules to list"
    )
    args = parser.parse_args(argv)

    shared_dir = args.shared_dir
    if shared_dir is None:
        shared_dir = next((d for d in DEFAULT_SHARED_DIRS if d.is_dir()), None)
        if shared_dir is None:
            raise SystemExit(MSG_NO_SHARED.format(tried=", ".join(map(str, DEFAULT_SHARED_DIRS))))

    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["adverts"]
    judged = load_judgements(JUDGEMENTS)

    shown: list[Shown] = []
    verdicts: dict[str, str] = {}
    docs_by_set: dict[str, list[str]] = defaultdict(list)
    missing: list[str] = []
    seconds = 0.0
    analyse_advert("Band 3 healthcare support worker.")  # load models before timing
    for doc, entry in labels.items():
        text = advert_text(doc, entry, shared_dir, args.cache)
        if text is None:
            missing.append(doc)
            continue
        docs_by_set[entry["set"]].append(doc)
        started = time.perf_counter()
        report = analyse_advert(text, source=doc)
        seconds += time.perf_counter() - started
        verdicts[doc] = report.gender_coding.verdict
        for f in report.findings:
            shown.append(Shown(doc, entry["set"], f.rule_id, f.category, str(f.severity), f.text))

    results: dict[str, object] = {"sets": {}, "missing": missing}
    set_names = [*sorted(docs_by_set), "all"]
    for set_name in set_names:
        docs = (
            [d for s in docs_by_set for d in docs_by_set[s]]
            if set_name == "all"
            else (docs_by_set[set_name])
        )
        in_set = [f for f in shown if f.doc in set(docs)]
        prec = precision_rows(in_set, judged)
        rec = recall_rows(labels, docs, in_set, judged)
        coded = sum(f.category in GENDER_CODED for f in in_set)
        feminine = sum(verdicts[d] in FEMININE_VERDICTS for d in docs)
        verdict_counts = Counter(verdicts[d] for d in docs)
        print(f"\n=== {set_name}: {len(docs)} adverts, {len(in_set)} findings shown")
        print_precision("Finding-level precision (judged findings only)", prec)
        print_recall("Document-level recall (found = a right/defensible finding)", rec)
        print(f"\nGender-coded findings shown: {coded}")
        print(f"Feminine or strongly feminine verdicts: {feminine} of {len(docs)}")
        print("Verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(verdict_counts.items())))
        gender_docs = [d for d in docs if "gender" in (labels[d].get("present") or {})]
        print(
            "Gauge on adverts labelled gender: "
            + ", ".join(f"{d} {verdicts[d]}" for d in gender_docs)
        )
        results["sets"][set_name] = {
            "adverts": len(docs),
            "findings": len(in_set),
            "precision": prec,
            "recall": rec,
            "gender_coded_findings": coded,
            "feminine_verdicts": feminine,
            "verdicts": dict(verdict_counts),
        }
    if missing:
        print(f"\nNot found (scored without them): {', '.join(missing)}")
    print(f"\nChecker time: {seconds:.1f} s for {sum(map(len, docs_by_set.values()))} adverts")

    print(f"\nRules with the most findings judged wrong (top {args.worst}):")
    for rule_id, count, examples, why in worst_patterns(shown, judged, limit=args.worst):
        print(f"  {count:>4}  {rule_id:40} {', '.join(map(repr, examples))}  ({why})")

    if args.list_findings:
        print("\nEvery shown finding:")
        for f in shown:
            verdict, why = judged.get(f.key, ("UNJUDGED", ""))
            print(f"  {f.doc:22} {verdict:10} {f.rule_id:40} {normalise(f.text)!r}  {why}")

    stubs = unjudged_yaml(shown, judged)
    if stubs:
        count = stubs.count("- rule:")
        print(f"\n{count} distinct findings have no judgement; add them to {JUDGEMENTS.name}:")
        print("judgements:\n" + stubs)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
