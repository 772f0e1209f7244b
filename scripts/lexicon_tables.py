"""Write the tables of lexicon contents in the docs from the lexicon files themselves.

Run from the repository root after editing a file in ``lexicons/``::

    python scripts/lexicon_tables.py          # rewrite the tables
    python scripts/lexicon_tables.py --check  # exit 1 if a table is out of date

Each table sits between two HTML comments in its Markdown file (``START`` and ``END`` below);
everything outside them is left alone. ``tests/test_lexicon_tables.py`` fails when the docs
differ from what this script would write.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from bias_audit.lexicon import CONTEXT_FILE, Lexicon, load_lexicon
from bias_audit.report.style import CATEGORY_LABELS, category_label

ROOT = Path(__file__).resolve().parents[1]
LEXICON_DIR = ROOT / "lexicons"
START = (
    "<!-- table {name}: generated from lexicons/*.yml by scripts/lexicon_tables.py; "
    "edit the YAML files and run the script, not this table -->"
)
END = "<!-- end of table {name} -->"
MISSING_MARKERS = (
    "{file}: the markers of table {name!r} are missing; put the two lines\n{start}\n{end}\n"
    "where the table belongs."
)
OUT_OF_DATE = "{file}: table {name!r} is out of date; run python scripts/lexicon_tables.py"


def _headers(directory: Path) -> dict[str, dict]:
    """category -> the file's header keys (title, summary, default_severity, …)."""
    headers = {}
    for path in sorted(directory.glob("*.yml")):
        if path.name == CONTEXT_FILE:
            continue
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        headers[document["category"]] = document
    return headers


def _reader_order(categories: list[str]) -> list[str]:
    """Categories in the order readers meet them (report.style), any others after, A–Z."""
    known = [c for c in CATEGORY_LABELS if c in categories]
    return known + sorted(c for c in categories if c not in CATEGORY_LABELS)


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def category_table(lexicon: Lexicon, headers: dict[str, dict]) -> str:
    """The category table of docs/adverts.md."""
    lines = [
        "| Category | Shown as | Default severity | Examples of what is flagged | Main sources |",
        "|---|---|---|---|---|",
    ]
    for category in _reader_order(list(lexicon.categories)):
        header = headers[category]
        lines.append(
            f"| `{category}` | {category_label(category)} | {header['default_severity']} | "
            f"{_cell(header.get('summary', header['title']))} | "
            f"{_cell(header.get('main_sources', ''))} |"
        )
    return "\n".join(lines)


def file_table(lexicon: Lexicon, headers: dict[str, dict]) -> str:
    """The file table of lexicons/README.md: title, default severity and size of each file."""
    lines = [
        "| File | Title | Default severity | Entries | Patterns |",
        "|---|---|---|---:|---:|",
    ]
    for category in _reader_order(list(lexicon.categories)):
        entries = lexicon.in_categories([category])
        patterns = sum(len(entry.patterns) for entry in entries)
        lines.append(
            f"| `{category}.yml` | {_cell(headers[category]['title'])} | "
            f"{headers[category]['default_severity']} | {len(entries)} | {patterns} |"
        )
    return "\n".join(lines)


#: (Markdown file, table name, the function that writes the table)
TABLES: tuple[tuple[Path, str, Callable[[Lexicon, dict[str, dict]], str]], ...] = (
    (ROOT / "docs" / "adverts.md", "categories", category_table),
    (ROOT / "lexicons" / "README.md", "files", file_table),
)


def rendered(text: str, name: str, table: str, *, file: Path) -> str:
    """``text`` with the table called ``name`` replaced by ``table``."""
    start, end = START.format(name=name), END.format(name=name)
    if start not in text or end not in text:
        raise SystemExit(MISSING_MARKERS.format(file=file, name=name, start=start, end=end))
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{table}\n{end}{after}"


def expected_documents(directory: Path = LEXICON_DIR) -> dict[Path, str]:
    """Every Markdown file that holds a table, as this script would write it."""
    lexicon = load_lexicon(directory)
    headers = _headers(directory)
    documents: dict[Path, str] = {}
    for file, name, make in TABLES:
        text = documents.get(file) or file.read_text(encoding="utf-8")
        documents[file] = rendered(text, name, make(lexicon, headers), file=file)
    return documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale tables")
    args = parser.parse_args(argv)
    stale = 0
    for file, text in expected_documents().items():
        if file.read_text(encoding="utf-8") == text:
            continue
        if args.check:
            print(OUT_OF_DATE.format(file=file.relative_to(ROOT), name="all"), file=sys.stderr)
            stale += 1
        else:
            file.write_text(text, encoding="utf-8")
            print(f"wrote {file.relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
