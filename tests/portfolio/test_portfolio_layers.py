"""bias_audit/portfolio/ sits below the services: it imports nothing from the app, the CLI
or the services (the service calls it; the app and CLI reach it through the service)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "bias_audit" / "portfolio"
MINE = (
    "__init__",
    "documents",
    "fields",
    "inputs",
    "matrix",
    "profiles",
    "render",
    "results",
    "workbook",
)
FORBIDDEN = (
    "bias_audit.ui",
    "bias_audit.commands",
    "bias_audit.services",
    "bias_audit.cli",
    "streamlit",
)


@pytest.mark.parametrize("module", MINE)
def test_imports_point_down(module):
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    assert [n for n in names if n.startswith(FORBIDDEN)] == []
