"""The Workforce page in a real browser: headlines and both charts drawn at 1280×720, and
no serious WCAG 2.2 AA violation (axe-core), in normal and workshop mode."""

from __future__ import annotations

import pytest
from browser_support import axe_violations, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("mode", ["", "?workshop=1"])
def test_workforce_page_draws_and_passes_axe(chromium, app_server, mode):
    context = chromium.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.set_default_timeout(180_000)
        page.goto(f"{app_server}/workforce{mode}")
        wait_idle(page)
        expect(
            page.get_by_test_id("stMetric").filter(has_text="WRES indicator 3").first
        ).to_be_visible()
        charts = page.get_by_test_id("stPlotlyChart")
        expect(charts).to_have_count(2)
        for i in range(2):
            charts.nth(i).locator(".main-svg").first.wait_for()
        # Step curves: the survival chart's lines are drawn with the "hv" shape (SVG paths).
        assert charts.nth(0).locator("path.js-line").count() >= 2
        expect(page.get_by_text("8 or more people", exact=False).first).to_be_attached()
        assert axe_violations(page) == []
    finally:
        context.close()
