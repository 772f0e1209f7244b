"""Imports point down only (docs: DESIGN.md "Layers"), read from the source with ``ast``.

Every ``import`` and ``from … import`` counts, wherever it stands: at module level, inside a
function (the lazy imports that keep start-up fast) or under ``TYPE_CHECKING``. Each rule
is one test per module, so a failure names the module, the rule and the offending line.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bias_audit"


@dataclass(frozen=True)
class Rule:
    """Modules in ``where`` (a dotted name or a package of them), less those in ``exempt``,
    may not import any module in ``forbidden``."""

    name: str
    where: tuple[str, ...]
    forbidden: tuple[str, ...]
    exempt: tuple[str, ...] = ()


# What a service puts together; callers above services/ use the service instead.
WORKFLOW_INTERNALS = (
    "bias_audit.io.extract.read_funnel",
    "bias_audit.text.advert.analyse_advert",
    "bias_audit.stats.comparisons",
    "bias_audit.report.publish",
    "bias_audit.report.publication",
    "bias_audit.report.recruitment_warnings",
    "bias_audit.services.recruitment",
    "bias_audit.services.advert",
    # the portfolio run works out the credential balance and near-duplicates once
    # (Portfolio.review); the app and the CLI show that, never a second computation
    "bias_audit.portfolio.review.review_documents",
)
ABOVE_STATS = ("io", "report", "ui", "commands", "services", "cli")
RULES = (
    Rule(
        "stats/ imports nothing above it",
        ("bias_audit.stats",),
        tuple(f"bias_audit.{p}" for p in ABOVE_STATS),
    ),
    Rule(
        "text/ imports nothing above it",
        ("bias_audit.text",),
        tuple(f"bias_audit.{p}" for p in ABOVE_STATS),
    ),
    Rule(
        "lexicon.py, lexicon_schema.py and lexicon_context.py sit below text/ and import "
        "nothing above them",
        ("bias_audit.lexicon", "bias_audit.lexicon_schema", "bias_audit.lexicon_context"),
        tuple(f"bias_audit.{p}" for p in ("text", *ABOVE_STATS)),
    ),
    Rule(
        "report/ imports nothing from the app, the CLI or the services",
        ("bias_audit.report",),
        tuple(f"bias_audit.{p}" for p in ("ui", "commands", "services", "cli")),
    ),
    Rule(
        "io/ imports nothing from report/ or above",
        ("bias_audit.io",),
        tuple(f"bias_audit.{p}" for p in ("report", "ui", "commands", "services", "cli")),
    ),
    Rule(
        "engine/ (out-of-core counting, beside io/) imports nothing from report/ or above",
        ("bias_audit.engine",),
        tuple(f"bias_audit.{p}" for p in ("report", "ui", "commands", "services", "cli")),
    ),
    Rule(
        "services import nothing from the app or the CLI",
        ("bias_audit.services",),
        tuple(f"bias_audit.{p}" for p in ("ui", "commands", "cli")),
    ),
    Rule(
        "the CLI and the app run a workflow only through services/",
        ("bias_audit.commands", "bias_audit.ui", "bias_audit.cli", "app"),
        WORKFLOW_INTERNALS,
    ),
    Rule(
        "types.py and errors.py import nothing else of the package",
        ("bias_audit.types", "bias_audit.errors"),
        ("bias_audit",),
    ),
    Rule(
        "streamlit is imported only under ui/ and by app.py",
        ("bias_audit", "app"),
        ("streamlit",),
        exempt=("bias_audit.ui", "app"),
    ),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    found["app"] = ROOT / "app.py"
    return found


def imports(name: str, path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in the file; ``from a import b`` gives
    ``a.b`` (``b`` may be a submodule), relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def within(name: str, package: str) -> bool:
    """``name`` is ``package`` or a module inside it."""
    return name == package or name.startswith(package + ".")


def applies(rule: Rule, name: str) -> bool:
    return any(within(name, w) for w in rule.where) and not any(
        within(name, e) for e in rule.exempt
    )


def matches(imported: str, forbidden: str) -> bool:
    return within(imported, forbidden)


MODULES = modules()
CASES = [
    pytest.param(rule, name, id=f"{name}: {rule.name}")
    for rule in RULES
    for name in MODULES
    if applies(rule, name)
]


@pytest.mark.parametrize(("rule", "name"), CASES)
def test_imports_point_down(rule: Rule, name: str) -> None:
    path = MODULES[name]
    offending = [
        f"{path.relative_to(ROOT)}:{line}: imports {imported}"
        for line, imported in imports(name, path)
        if any(matches(imported, f) for f in rule.forbidden)
    ]
    assert not offending, f"{rule.name}:\n" + "\n".join(offending)


def test_the_public_api_runs_workflows_through_services():
    import bias_audit

    workflows = ("audit_extract", "audit_recruitment", "check_advert")
    assert {name: bias_audit._LAZY[name] for name in workflows} == dict.fromkeys(
        workflows, "bias_audit.services"
    )
    assert not {"analyse_advert", "audit_file"} & set(bias_audit.__all__)


# ------------------------------------------------------------------ the checker itself


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        ("import streamlit as st", "bias_audit.stats.x", [(1, "streamlit")]),
        ("from bias_audit.io import extract", "bias_audit.stats.x", [(1, "bias_audit.io.extract")]),
        ("from ..report import publish", "bias_audit.stats.x", [(1, "bias_audit.report.publish")]),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bias_audit.ui import a",
            "bias_audit.stats.x",
            [(1, "typing.TYPE_CHECKING"), (3, "bias_audit.ui.a")],
        ),
        ("def f():\n    import bias_audit.cli", "bias_audit.text.x", [(2, "bias_audit.cli")]),
    ],
)
def test_every_kind_of_import_is_read(tmp_path, source, name, expected):
    path = tmp_path / "x.py"
    path.write_text(source, encoding="utf-8")
    assert imports(name, path) == expected


@pytest.mark.parametrize(
    ("name", "imported", "breaks"),
    [
        ("bias_audit.stats.rates", "bias_audit.report.suppression.count_label", True),
        ("bias_audit.stats.rates", "bias_audit.stats.schema", False),
        ("bias_audit.report.publish", "bias_audit.services.audit_extract", True),
        ("bias_audit.report.publish", "bias_audit.stats.results", False),
        ("bias_audit.io.extract", "bias_audit.report.suppression", True),
        ("bias_audit.services.recruitment", "bias_audit.commands.recruitment", True),
        ("bias_audit.commands.advert", "streamlit", True),
        ("bias_audit.ui.advert_page", "streamlit", False),
        ("app", "streamlit", False),
        ("bias_audit.lexicon", "bias_audit.text.pipeline", True),
        ("bias_audit.lexicon_schema", "bias_audit.text.pipeline", True),
        ("bias_audit.lexicon_context", "bias_audit.text.context", True),
        ("bias_audit.stats.rates", "bias_audit.iota", False),
        ("bias_audit.commands.advert", "bias_audit.text.advert.analyse_advert", True),
        ("bias_audit.ui.resources", "bias_audit.services.check_advert", False),
    ],
)
def test_rules_catch_what_they_name(name, imported, breaks):
    broken = [
        rule
        for rule in RULES
        if applies(rule, name) and any(matches(imported, f) for f in rule.forbidden)
    ]
    assert bool(broken) is breaks
