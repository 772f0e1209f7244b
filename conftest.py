"""Collection rules, the Hypothesis budget and shared fixtures for the whole repository.

This file sits at the root rather than in tests/: --doctest-modules imports every module it
collects, and a tests/conftest.py would clash by name with tests/browser/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# The Streamlit page scripts call render() when imported; st.navigation runs them, and the
# AppTest and browser tests cover them; --doctest-modules must not import them (no examples).
collect_ignore = ["bias_audit/ui/pages", "app.py"]

EXAMPLE_EXTRACT = Path(__file__).resolve().parent / "example_data" / "recruitment_extract.csv"

# Fifty examples per property unless a test says otherwise (COMMON.md's ceiling). No deadline:
# the suite shares two cores, so a per-example deadline would fail on load, not on the code.
settings.register_profile("bias-audit", max_examples=50, deadline=None)
settings.load_profile("bias-audit")


@pytest.fixture(scope="session")
def example_audits():
    """The checked-in example extract audited once per run, ``{suppression: audit}``:
    published (True) and analyst (False) mode, through the public API (which stays put while
    modules move behind it). Read only — tests must not change them."""
    import bias_audit

    return {
        mode: bias_audit.audit_extract(EXAMPLE_EXTRACT, suppression=mode) for mode in (True, False)
    }
