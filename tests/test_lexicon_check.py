"""`bias-audit lexicon check DIR` and `bias-audit advert --lexicon DIR`: a trust's own rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bias_audit import lexicon as lx
from bias_audit import lexicon_context, lexicon_schema
from bias_audit.cli import app, main
from bias_audit.commands import lexicon as command
from bias_audit.text import rule_check

runner = CliRunner()

# A small rules folder: the shipped context.yml and one age entry of the trust's own.
AGE = """\
category: age
title: Age-coded wording
sources:
  trust: "Our trust's recruitment guide, 2026."
default_severity: medium
entries:
  - id: trust-young-people
    patterns: [young people, "youthful*"]
    explanation: Says why.
    suggestions: [people at any stage of their career]
    source: trust
    examples:
      match: [We want young people on the ward.]
      no_match: [We welcome people of every age.]
"""


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    shutil.copy(lx.DEFAULT_LEXICON_DIR / lx.CONTEXT_FILE, folder / lx.CONTEXT_FILE)
    (folder / "age.yml").write_text(AGE, encoding="utf-8")
    return folder


CUES = lexicon_context.load_context()
CUE_EXAMPLES = sum(len(c.examples.match) + len(c.examples.no_match) for c in CUES.cues)


def check(folder: Path):
    return runner.invoke(app, ["lexicon", "check", str(folder)])


def problem_lines(output: str) -> list[str]:
    prefix = command.PROBLEM_PREFIX
    return [line[len(prefix) :] for line in output.splitlines() if line.startswith(prefix)]


def test_a_clean_folder_passes_with_exit_0_and_notes_the_categories_it_leaves_out(rules):
    result = check(rules)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-2:] == [
        command.CHECKED.format(folder=rules, entries=1, examples=2 + CUE_EXAMPLES),
        command.CLEAN,
    ]
    notes = [line for line in lines if line.startswith(command.NOTE_PREFIX)]
    left_out = [c for c in rule_check.CHECKED_CATEGORIES if c != "age"]
    assert notes == [
        command.NOTE_PREFIX + rule_check.CATEGORY_LEFT_OUT.format(folder=rules, category=c)
        for c in left_out
    ]


def test_the_shipped_rules_load_as_a_rules_folder_with_every_checked_category():
    """Their examples run in tests/test_lexicon.py (test_entry_examples), through the same
    :func:`rule_check.example_problems`."""
    lexicon, _ = rule_check.load_rule_folder(lx.DEFAULT_LEXICON_DIR)
    assert set(lexicon.categories) == set(rule_check.CHECKED_CATEGORIES)


def _age(folder: Path) -> str:
    return str(folder / "age.yml")


# (case id, replace this in AGE, with this, the one problem line expected, as a function of the
# folder)
BROKEN = [
    (
        "example-not-matched",
        "match: [We want young people on the ward.]",
        "match: [We want young staff on the ward.]",
        lambda f: rule_check.EXAMPLE_NOT_MATCHED.format(
            file=_age(f), rule_id="trust-young-people", sentence="We want young staff on the ward."
        ),
    ),
    (
        "no-match-example-flagged",
        "no_match: [We welcome people of every age.]",
        "no_match: [Young people and youthful teams.]",
        lambda f: rule_check.EXAMPLE_WRONGLY_MATCHED.format(
            file=_age(f),
            rule_id="trust-young-people",
            sentence="Young people and youthful teams.",
            found="'Young people', 'youthful'",
        ),
    ),
    (
        "unknown-field",
        "    explanation: Says why.",
        "    explanation: Says why.\n    colour: red",
        lambda f: lexicon_schema.UNKNOWN_KEYS.format(
            file=(f / "age.yml").resolve(),
            where="entry 'trust-young-people'",
            keys="colour",
            allowed=", ".join(
                lexicon_schema.ENTRY_KEYS_REQUIRED + lexicon_schema.ENTRY_KEYS_OPTIONAL
            ),
        ),
    ),
    (
        "missing-source",
        "    source: trust",
        "    source: acas",
        lambda f: lexicon_schema.UNRESOLVED_SOURCE.format(
            file=(f / "age.yml").resolve(),
            where="entry 'trust-young-people'",
            key="acas",
            known="trust",
        ),
    ),
    (
        "category-the-checker-never-reports",
        "category: age",
        "category: local",
        None,  # the file is renamed too (see the test)
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [pytest.param(*row[1:], id=row[0]) for row in BROKEN]
)
def test_each_problem_is_reported_with_exit_2(rules, old, new, expected):
    assert old in AGE
    (rules / "age.yml").write_text(AGE.replace(old, new, 1), encoding="utf-8")
    if expected is None:
        (rules / "age.yml").rename(rules / "local.yml")
        expected = lambda f: rule_check.UNKNOWN_CATEGORY.format(  # noqa: E731
            file=f / "local.yml",
            category="local",
            known=", ".join(rule_check.CHECKED_CATEGORIES),
        )
    result = check(rules)
    assert result.exit_code == command.EXIT_PROBLEMS, result.output
    assert problem_lines(result.output) == [expected(rules)]
    assert result.output.splitlines()[-1] == command.PROBLEMS.format(count=1, folder=rules)


def test_duplicate_ids_pattern_syntax_and_missing_files_are_reported(rules):
    second = AGE.replace("category: age", "category: cliche").replace("young people", "rockstar")
    (rules / "cliche.yml").write_text(second, encoding="utf-8")
    result = check(rules)
    assert problem_lines(result.output) == [
        lexicon_schema.DUPLICATE_ID.format(
            file=(rules / "cliche.yml").resolve(),
            rule_id="trust-young-people",
            other=(rules / "age.yml").resolve(),
        )
    ]

    (rules / "cliche.yml").unlink()
    broken = AGE.replace("[young people,", "[[{LOWR: young}],")
    (rules / "age.yml").write_text(broken, encoding="utf-8")
    result = check(rules)
    assert result.exit_code == command.EXIT_PROBLEMS
    (line,) = problem_lines(result.output)
    head = lexicon_schema.INVALID_SPACY_PATTERN.split("{detail}")[0].format(
        file=(rules / "age.yml").resolve(),
        where="entry 'trust-young-people'",
        pattern='[{"LOWR": "young"}]',
    )
    assert line.startswith(head) and "LOWR" in line[len(head) :]

    (rules / "age.yml").write_text(AGE, encoding="utf-8")
    (rules / lx.CONTEXT_FILE).unlink()
    result = check(rules)
    assert problem_lines(result.output) == [
        lexicon_context.NO_CONTEXT_FILE.format(file=(rules / lx.CONTEXT_FILE).resolve())
    ]

    empty = rules / "empty"
    empty.mkdir()
    result = check(empty)
    assert result.exit_code == command.EXIT_PROBLEMS
    assert problem_lines(result.output) == [lx.NO_LEXICON_FILES.format(directory=empty.resolve())]


def test_a_context_cue_example_that_the_cue_does_not_decide_is_reported(rules):
    cue = next(c for c in CUES.cues if c.scope == "sentence")
    example = cue.examples.match[0]
    path = rules / lx.CONTEXT_FILE
    text = path.read_text(encoding="utf-8")
    assert text.count(example) == 1
    path.write_text(text.replace(example, "Qwerty zxcv", 1), encoding="utf-8")
    result = check(rules)
    assert result.exit_code == command.EXIT_PROBLEMS
    assert problem_lines(result.output) == [
        rule_check.CUE_EXAMPLE_NOT_DECIDED.format(
            file=rules / lx.CONTEXT_FILE, cue_id=cue.id, sentence="Qwerty zxcv"
        )
    ]


# --- bias-audit advert --lexicon DIR ----------------------------------------------------------

ADVERT = "Band 3. We want young people who are native English speakers.\n"


def test_advert_uses_the_trust_folder_instead_of_the_shipped_rules(rules, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    advert = tmp_path / "advert.txt"
    advert.write_text(ADVERT, encoding="utf-8")
    shipped = runner.invoke(app, ["advert", str(advert), "--format", "json"])
    own = runner.invoke(app, ["advert", str(advert), "--format", "json", "--lexicon", str(rules)])
    assert shipped.exit_code == own.exit_code == 0, own.output
    shipped_ids = {f["rule_id"] for f in json.loads(shipped.output)[0]["findings"]}
    own_ids = {f["rule_id"] for f in json.loads(own.output)[0]["findings"]}
    assert "nationality-native-english-speaker" in shipped_ids
    assert "trust-young-people" not in shipped_ids
    # replaced, not added: the folder has no nationality file, so that rule is gone
    assert {i for i in own_ids if not i.startswith("readability")} == {"trust-young-people"}


def test_advert_refuses_an_unusable_folder_with_the_check_message(rules, tmp_path, capsys):
    advert = tmp_path / "advert.txt"
    advert.write_text(ADVERT, encoding="utf-8")
    (rules / "age.yml").rename(rules / "local.yml")
    (rules / "local.yml").write_text(AGE.replace("category: age", "category: local"))
    with pytest.raises(SystemExit) as caught:
        main(["advert", str(advert), "--lexicon", str(rules)])
    assert caught.value.code == 2
    expected = rule_check.UNKNOWN_CATEGORY.format(
        file=rules / "local.yml", category="local", known=", ".join(rule_check.CHECKED_CATEGORIES)
    )
    assert capsys.readouterr().err == f"bias-audit: error: {expected}\n"


def test_help_says_the_folder_replaces_the_shipped_rules():
    result = runner.invoke(app, ["advert", "--help"], terminal_width=200)
    assert "INSTEAD OF the shipped set" in " ".join(result.output.replace("│", " ").split())
