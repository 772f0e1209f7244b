"""End to end in Chromium: paste an advert, audit the example extract, download the report.

Also takes the README screenshots (docs/screenshots/) and checks two sessions stay apart.
"""

from __future__ import annotations

import re

import pytest
from browser_support import ROOT, wait_idle
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "docs" / "screenshots"
SECRET = "Zebracorn Ward"
ADVERT = (
    "Healthcare Support Worker, Band 3, Elderly Care.\n\n"
    "We are looking for a dynamic, competitive and energetic young team player who is a "
    "native English speaker.\n\n"
    "Essential: a degree in health and social care; 5 years' experience in an acute "
    "setting; full UK driving licence.\n"
    "Desirable: NVQ Level 3 or equivalent.\n\n"
    "Salary £24,071 a year. We offer flexible working and make reasonable adjustments."
)
HOSTILE = f"{SECRET}: <script>alert('x')</script> <img src=x onerror=alert(1)>\n\n{ADVERT}"


def charts_drawn(page) -> None:
    """Wait until every plotly chart on the page has drawn its SVG (for screenshots)."""
    charts = page.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for()


def paste_advert(page, text: str) -> None:
    page.get_by_text("Paste text", exact=True).click()
    wait_idle(page)
    page.get_by_label("Advert text").fill(text)
    page.get_by_role("button", name="Check advert").click()
    wait_idle(page)


def test_advert_then_recruitment_then_report(new_page, tmp_path):
    page = new_page()
    paste_advert(page, ADVERT)
    marks = page.locator(".ba-advert mark")
    expect(marks.first).to_be_visible()
    assert marks.count() >= 3
    assert page.locator(".ba-advert mark.ba-high").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    charts_drawn(page)
    page.screenshot(path=SCREENSHOTS / "advert-checker.png")

    page.get_by_role("link", name="Recruitment audit").click()
    wait_idle(page)
    expect(page.get_by_text("WRES indicator 2").first).to_be_visible()
    metric = page.get_by_test_id("stMetricValue").first
    expect(metric).to_have_text(re.compile(r"^(\d+\.\d\d|not computable|hidden)$"))
    charts_drawn(page)
    page.screenshot(path=SCREENSHOTS / "recruitment-audit.png")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download report (HTML)").click()
    saved = tmp_path / "report.html"
    info.value.save_as(saved)
    report = saved.read_text(encoding="utf-8")
    assert "WRES indicator 2" in report
    assert report.count("Plotly.newPlot") >= 2
    assert report.count("plotly.js v") == 1  # the library is embedded once


def test_hostile_advert_is_text_and_sessions_never_share_data(new_page):
    first = new_page()
    dialogs = []
    first.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    paste_advert(first, HOSTILE)
    advert = first.locator(".ba-advert")
    expect(advert).to_contain_text("<script>alert('x')</script>")
    expect(advert).to_contain_text("<img src=x onerror=alert(1)>")
    assert first.locator(".ba-advert img, .ba-advert script").count() == 0
    assert dialogs == []

    second = new_page()
    second.get_by_text("Paste text", exact=True).click()
    wait_idle(second)
    expect(second.get_by_label("Advert text")).to_have_value("")
    assert SECRET not in second.content()
    assert second.locator(".ba-advert mark").count() == 0
