"""What a room sees: first screen at projector sizes in both modes, and a WCAG 2.2 AA check.

Writes the README tour screenshots (docs/screenshots/<page>-<mode>-<width>x<height>.png).
The accessibility check runs axe-core (from the PyPI package axe-playwright-python, so the
test downloads nothing) on every page in both modes and on both HTML reports; any serious
or critical violation fails.
"""

from __future__ import annotations

import re

import pytest
from browser_support import ROOT, axe_violations, wait_idle
from playwright.sync_api import expect

from bias_audit.report.html_report import advert_report_html, recruitment_report_html
from bias_audit.services import audit_extract, check_advert
from bias_audit.ui.resources import EXAMPLE_ADVERTS, EXAMPLE_EXTRACT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "docs" / "screenshots"
SIZES = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}
MODES = {"normal": "", "workshop": "?workshop=1"}
PAGES = {"advert": "", "recruitment": "recruitment_audit", "method": "method"}
MIN_WORKSHOP_BODY_PX = 24


@pytest.fixture(scope="module")
def open_view(chromium, app_server):
    """A page of the app at a viewport size, each in its own context (its own session);
    opened once per module and shared by the layout and accessibility tests."""
    opened = {}

    def _open(page_name: str, mode: str, size: str):
        if (page_name, mode, size) in opened:
            return opened[page_name, mode, size]
        width, height = SIZES[size]
        context = chromium.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{app_server}/{PAGES[page_name]}{MODES[mode]}")
        wait_idle(page)
        opened[page_name, mode, size] = page
        return page

    yield _open
    for page in opened.values():
        page.context.close()


def _charts_drawn(page) -> None:
    charts = page.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for()


def _headline(page, page_name: str):
    if page_name == "advert":  # "N findings: … · Band …"
        return page.get_by_test_id("stHeading").filter(has_text=re.compile(r"finding"))
    return page.get_by_test_id("stMetric").filter(has_text="WRES indicator 2")


def _in_first_screen(page, locator) -> dict:
    box = locator.first.bounding_box()
    assert box is not None, "not drawn"
    height = page.viewport_size["height"]
    return {"top": box["y"], "bottom": box["y"] + box["height"], "screen": height}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page_name", ["advert", "recruitment"])
def test_headline_on_the_first_screen_and_screenshot(open_view, page_name, mode, size):
    page = open_view(page_name, mode, size)
    headline = _headline(page, page_name)
    expect(headline.first).to_be_visible()
    _charts_drawn(page)
    where = _in_first_screen(page, headline)
    assert where["top"] >= 0 and where["bottom"] <= where["screen"], where
    if mode == "workshop":
        # …and its chart starts on the first screen too, in type a room can read.
        chart = _in_first_screen(page, page.get_by_test_id("stPlotlyChart"))
        assert chart["top"] < chart["screen"] - 150, chart
        body = page.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer'] p").filter(
            has_text=re.compile(r"\w{4}")
        )
        sizes = body.evaluate_all("ps => ps.map(p => parseFloat(getComputedStyle(p).fontSize))")
        assert sizes and min(sizes) >= MIN_WORKSHOP_BODY_PX, sizes
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{page_name}-{mode}-{size}.png")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page_name", PAGES)
def test_app_pages_have_no_serious_wcag_violations(open_view, page_name, mode):
    page = open_view(page_name, mode, "1280x720")
    _charts_drawn(page)
    assert axe_violations(page) == []


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("reports")
    advert = EXAMPLE_ADVERTS / sorted(p.name for p in EXAMPLE_ADVERTS.glob("*.txt"))[0]
    checked = check_advert(text=advert.read_text(encoding="utf-8"), name=advert.name)
    audit = audit_extract(EXAMPLE_EXTRACT, name=EXAMPLE_EXTRACT.name)
    paths = {"advert": folder / "advert.html", "recruitment": folder / "recruitment.html"}
    paths["advert"].write_text(advert_report_html([checked]), encoding="utf-8")
    paths["recruitment"].write_text(recruitment_report_html(audit), encoding="utf-8")
    return paths


@pytest.mark.parametrize("report", ["advert", "recruitment"])
def test_html_reports_have_no_serious_wcag_violations(chromium, reports, report):
    context = chromium.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto(reports[report].as_uri())
        page.locator(".main-svg").first.wait_for()
        assert axe_violations(page) == []
    finally:
        context.close()


def test_the_accessibility_check_finds_what_it_should(chromium):
    """The check itself can fail: an image without alt text and pale grey text are caught."""
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<html lang="en"><head><title>t</title></head><body><main>'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
            '<p style="color:#bbb;background:#fff">Pale grey text</p></main></body></html>'
        )
        found = {v["id"] for v in axe_violations(page)}
        assert {"image-alt", "color-contrast"} <= found
    finally:
        context.close()
