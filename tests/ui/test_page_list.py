"""The shared page list (tests/ui/conftest.py PAGES) names every page app.py navigates to,
and each opens through the shared fixture."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEW_PAGES = {
    "region": "bias_audit.ui.region_page",
    "portfolio": "bias_audit.ui.portfolio_page",
    "compare": "bias_audit.ui.compare_page",
    "workforce": "bias_audit.ui.workforce_page",
}


def test_every_page_of_the_app_is_in_the_shared_list(app_pages):
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    in_app = re.findall(r'st\.Page\(PAGES / "([a-z_]+\.py)"', app)
    assert len(in_app) >= 6
    assert sorted(in_app) == sorted(path.rsplit("/", 1)[1] for path in app_pages.values())


@pytest.mark.parametrize("page", NEW_PAGES)
def test_the_new_pages_open_through_the_shared_fixture(open_page, page):
    at = open_page(page)  # the fixture asserts no exception
    assert at.title[0].value == importlib.import_module(NEW_PAGES[page]).TITLE
