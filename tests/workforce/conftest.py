"""The example extract's workforce audit, published and exact, worked out once per test
process (several test modules read it; each would otherwise run both audits again)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bias_audit.services.workforce import audit_workforce

EXAMPLE = Path(__file__).resolve().parents[2] / "example_data" / "workforce_extract.csv"


@pytest.fixture(scope="session")
def example_audits():
    """``{True: published, False: exact}`` audits of example_data/workforce_extract.csv."""
    return {mode: audit_workforce(EXAMPLE, suppression=mode) for mode in (True, False)}
