"""Workshop mode in AppTest: the address and the toggle switch it; it moves text, not data.

Layout and type size need a browser: tests/browser/test_app_browser.py measures those.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bias_audit.report.html_report import SUPPRESSION_ON
from bias_audit.ui import workshop
from bias_audit.ui.components import ABOUT_PAGE
from bias_audit.ui.recruitment_page import SUPPRESSION_ON_LABEL

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PAGES = {
    "advert": "bias_audit/ui/pages/advert_checker.py",
    "recruitment": "bias_audit/ui/pages/recruitment_audit.py",
}


def _toggle(at: AppTest):
    return next(t for t in at.sidebar.toggle if t.label == workshop.TOGGLE_LABEL)


def _expander_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


@pytest.fixture
def open_with(monkeypatch):
    monkeypatch.chdir(ROOT)

    def _open(page: str, **params: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        if page != "advert":
            at.switch_page(PAGES[page])
            at.run()
        assert not at.exception, at.exception
        return at

    return _open


@pytest.mark.parametrize(
    ("value", "on"), [("1", True), ("true", True), ("0", False), ("no", False)]
)
def test_the_address_switches_workshop_mode(open_with, value, on):
    at = open_with("advert", workshop=value)
    assert _toggle(at).value is on
    assert (ABOUT_PAGE in _expander_labels(at)) is on


def test_off_by_default_and_the_toggle_switches_it_on_and_writes_the_address(open_with):
    at = open_with("advert")
    assert _toggle(at).value is False
    assert ABOUT_PAGE not in _expander_labels(at)
    _toggle(at).set_value(True).run()
    assert ABOUT_PAGE in _expander_labels(at)
    assert at.query_params[workshop.PARAM] in ("1", ["1"])
    _toggle(at).set_value(False).run()
    assert workshop.PARAM not in at.query_params


def test_the_mode_survives_moving_to_another_page(open_with):
    at = open_with("advert", workshop="1")
    at.query_params.clear()  # st.navigation drops the query string on a page change
    at.switch_page(PAGES["recruitment"]).run()
    assert _toggle(at).value is True
    assert SUPPRESSION_ON_LABEL in _expander_labels(at)


def test_recruitment_suppression_paragraph_is_folded_away_only_in_workshop_mode(open_with):
    normal = open_with("recruitment")
    assert SUPPRESSION_ON in [i.value for i in normal.info]
    room = open_with("recruitment", workshop="1")
    assert SUPPRESSION_ON not in [i.value for i in room.info]
    folded = next(e for e in room.expander if e.label == SUPPRESSION_ON_LABEL)
    assert SUPPRESSION_ON in [m.value for m in folded.markdown]


def test_workshop_mode_shows_the_same_figures(open_with):
    normal = open_with("recruitment")
    room = open_with("recruitment", workshop="1")
    assert [m.value for m in room.metric] == [m.value for m in normal.metric]
    assert len(room.get("plotly_chart")) == len(normal.get("plotly_chart"))


@pytest.mark.parametrize(
    ("on", "needle"), [(False, "24px"), (True, "24px")], ids=["normal", "workshop"]
)
def test_style_adds_large_type_only_in_workshop_mode(on, needle):
    css = workshop.style(workshop=on)
    assert (needle in css) is on
    assert "#212b32" in css  # dark captions in both modes


def _chart_script(with_table: bool) -> None:
    from types import SimpleNamespace

    import pandas as pd
    import plotly.graph_objects as go

    from bias_audit.ui.components import show_chart

    table = pd.DataFrame({"Group": ["BME", "White"], "Rate": [0.25, 0.5]})
    chart = SimpleNamespace(figure=go.Figure(), title="T", takeaway="W", empty=False)
    if with_table:
        chart.table = table
    show_chart(chart, key="c")
