"""The Region page through AppTest: the one-click example, its funnel plot and the trend."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bias_audit import synthetic_region as synth
from bias_audit.ui import region_page

ROOT = Path(__file__).resolve().parents[2]
PAGE = "bias_audit/ui/pages/region.py"


@pytest.fixture
def region_page_app(monkeypatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def test_example_shows_funnel_outlier_and_trend(region_page_app: AppTest) -> None:
    at = region_page_app
    assert at.title[0].value == region_page.TITLE
    assert [h.value for h in at.subheader] == [
        "WRES indicator 2",
        "WDES metric 2",
        "Shortlisting (White vs BME)",
    ]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert f"Outside the 99.8% limits: {synth.OUTLIER_TRUST}" in text
    # Funnel plot and trend per metric, with their takeaways.
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    assert "Outside the 99.8% limits: Synthetic Trust E" in captions
    assert "The ratio changes by a factor of" in captions
    assert len(at.dataframe) == 3


def test_overdispersed_example_says_the_limits_widened(region_page_app: AppTest) -> None:
    at = region_page_app
    at.radio(key="region_source").set_value(region_page.SOURCE_OVERDISPERSED).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Over-dispersed" in text
    assert "Without the adjustment" in text


def test_upload_mode_asks_for_files(region_page_app: AppTest) -> None:
    at = region_page_app
    at.radio(key="region_source").set_value(region_page.SOURCE_UPLOAD).run()
    assert not at.exception
    assert region_page.UPLOAD_EMPTY in [i.value for i in at.info]
