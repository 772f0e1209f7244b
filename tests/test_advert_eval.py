"""The scoring in benchmarks/advert_eval/run_eval.py, on hand-made findings and judgements."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

RUN_EVAL = Path(__file__).resolve().parent.parent / "benchmarks" / "advert_eval" / "run_eval.py"
_spec = importlib.util.spec_from_file_location("run_eval", RUN_EVAL)
run_eval = importlib.util.module_from_spec(_spec)
sys.modules["run_eval"] = run_eval  # dataclasses look their module up there
_spec.loader.exec_module(run_eval)
Shown = run_eval.Shown


def shown(doc: str, rule: str, category: str, text: str) -> Shown:
    return Shown(doc, "shared", rule, category, "low", text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Fast-Paced", "fast-paced"),
        ("  young\n  team ", "young team"),
        ("word " * 30, ("word " * 16).strip()),  # 80 characters, cut at a space, no trailing space
    ],
)
def test_normalise(text: str, key: str) -> None:
    assert run_eval.normalise(text) == key


def test_precision_counts_every_shown_finding_and_splits_strict_from_lenient() -> None:
    findings = [
        shown("a", "cliche-x", "cliche", "fast-paced"),
        shown("a", "cliche-x", "cliche", "Fast-paced"),  # same key, counted again
        shown("a", "age-y", "age", "dynamic"),
        shown("b", "age-y", "age", "young"),
    ]
    judged = {
        ("a", "cliche-x", "fast-paced"): ("right", ""),
        ("a", "age-y", "dynamic"): ("wrong", ""),
        ("b", "age-y", "young"): ("defensible", ""),
    }
    rows = {r["category"]: r for r in run_eval.precision_rows(findings, judged)}
    assert rows["ALL"]["findings"] == 4
    assert rows["ALL"]["strict"] == pytest.approx(2 / 4)
    assert rows["ALL"]["lenient"] == pytest.approx(3 / 4)
    assert rows["age"]["strict"] == 0
    assert rows["age"]["lenient"] == pytest.approx(1 / 2)


def test_unjudged_findings_are_left_out_of_precision_and_listed() -> None:
    findings = [shown("a", "jargon-z", "jargon", "MDT"), shown("a", "age-y", "age", "young")]
    judged = {("a", "age-y", "young"): ("right", "")}
    rows = {r["category"]: r for r in run_eval.precision_rows(findings, judged)}
    assert rows["ALL"]["unjudged"] == 1
    assert rows["ALL"]["strict"] == 1
    assert rows["jargon"]["strict"] is None
    assert 'text: "mdt"' in run_eval.unjudged_yaml(findings, judged)


def test_recall_needs_a_right_or_defensible_finding_of_a_matching_category() -> None:
    labels = {
        "a": {"present": {"gender": "he", "age": "young team"}},
        "b": {"present": {"gender": "waitress"}},
        "c": {},
    }
    findings = [
        shown("a", "fem-x", "gender_feminine", "support"),  # wrong: does not count
        shown("a", "age-y", "age", "young"),
        shown("b", "gendered-z", "gendered_terms", "waitress"),
    ]
    judged = {
        ("a", "fem-x", "support"): ("wrong", ""),
        ("a", "age-y", "young"): ("right", ""),
        ("b", "gendered-z", "waitress"): ("defensible", ""),
    }
    rows = {
        r["category"]: r for r in run_eval.recall_rows(labels, ["a", "b", "c"], findings, judged)
    }
    assert (rows["gender"]["present"], rows["gender"]["found"], rows["gender"]["any_finding"]) == (
        2,
        1,
        2,
    )
    assert rows["gender"]["missed"] == ["a"]
    assert rows["age"]["recall"] == 1
    assert rows["jargon"]["recall"] is None


def test_a_verdict_outside_the_three_is_refused_with_the_file_named(tmp_path: Path) -> None:
    path = tmp_path / "judgements.yml"
    path.write_text(
        yaml.safe_dump({"judgements": {"a": [{"rule": "r", "text": "t", "verdict": "ok"}]}}),
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exc:
        run_eval.load_judgements(path)
    assert str(exc.value) == run_eval.MSG_BAD_VERDICT.format(
        path=path, doc="a", rule="r", text="t", verdict="ok"
    )


def test_committed_labels_and_judgements_use_known_categories_and_verdicts() -> None:
    labels = yaml.safe_load(run_eval.LABELS.read_text(encoding="utf-8"))
    known = set(labels["categories"])
    assert known == set(run_eval.FINDS_LABEL)
    for doc, entry in labels["adverts"].items():
        assert entry["set"] in {"shared", "nhs_current"}, doc
        assert set(entry.get("present") or {}) <= known, doc
        if entry["set"] == "nhs_current":
            assert entry["url"].startswith("https://"), doc
    judged = run_eval.load_judgements(run_eval.JUDGEMENTS)  # raises on a bad verdict
    assert {verdict for verdict, _ in judged.values()} <= set(run_eval.VERDICTS)
