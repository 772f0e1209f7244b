"""The Examples blocks in the UI and report modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "bias_audit.report.style",
    "bias_audit.report.highlight",
    "bias_audit.ui.components",
    "bias_audit.ui.recruitment_page",
    "bias_audit.commands.app_command",
    "bias_audit.commands.app_workers",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
