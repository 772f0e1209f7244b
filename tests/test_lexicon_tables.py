"""The tables of lexicon contents in the docs are what scripts/lexicon_tables.py writes."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location(
        "lexicon_tables", ROOT / "scripts" / "lexicon_tables.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_docs_tables_match_the_lexicon_files(script):
    for file, text in script.expected_documents().items():
        assert file.read_text(encoding="utf-8") == text, script.OUT_OF_DATE.format(
            file=file.relative_to(ROOT), name="all"
        )


def test_a_changed_file_changes_its_rows(script, tmp_path):
    folder = tmp_path / "lexicons"
    shutil.copytree(ROOT / "lexicons", folder)
    age = folder / "age.yml"
    age.write_text(
        age.read_text(encoding="utf-8").replace(
            "default_severity: medium", "default_severity: high", 1
        ),
        encoding="utf-8",
    )
    lexicon = script.load_lexicon(folder)
    headers = script._headers(folder)
    files = script.file_table(lexicon, headers).splitlines()
    entries = lexicon.in_categories(["age"])
    patterns = sum(len(e.patterns) for e in entries)
    assert f"| `age.yml` | Age-coded wording | high | {len(entries)} | {patterns} |" in files
    categories = script.category_table(lexicon, headers)
    assert "| `age` | Age | high | " in categories
    assert categories.splitlines()[2].startswith("| `gender_masculine` | Masculine-coded wording |")


def test_missing_markers_are_named(script, tmp_path):
    with pytest.raises(SystemExit) as caught:
        script.rendered("no markers here", "files", "| x |", file=tmp_path / "a.md")
    assert str(caught.value).startswith(f"{tmp_path / 'a.md'}: the markers of table 'files'")
