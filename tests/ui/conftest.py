"""AppTest harness: the real app script, a generous first-run timeout, absolute paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PAGES = {
    "advert": "bias_audit/ui/pages/advert_checker.py",
    "recruitment": "bias_audit/ui/pages/recruitment_audit.py",
    "region": "bias_audit/ui/pages/region.py",
    "portfolio": "bias_audit/ui/pages/portfolio.py",
    "compare": "bias_audit/ui/pages/compare.py",
    "workforce": "bias_audit/ui/pages/workforce.py",
    "method": "bias_audit/ui/pages/method.py",
}


@pytest.fixture
def app_pages() -> dict[str, str]:
    """The page list above: name → page script, as ``open_page`` takes them."""
    return dict(PAGES)


@pytest.fixture
def open_page(monkeypatch):
    """Return a function that starts a fresh session on one page and runs it."""
    # AppTest reads .streamlit/config.toml from the working directory.
    monkeypatch.chdir(ROOT)

    def _open(page: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.run()
        if page != "advert":
            at.switch_page(PAGES[page])
            at.run()
        assert not at.exception, at.exception
        return at

    return _open
