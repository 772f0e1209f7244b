"""Job description portfolio page in AppTest: example, uploads (files, zip), bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bias_audit.portfolio.inputs import MSG_BANDS_VALUE
from bias_audit.ui import portfolio_page as page
from bias_audit.ui.components import plain

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
PAGE = "bias_audit/ui/pages/portfolio.py"
GOOD = b"Job title: HCA\nBand 2\nEssential\n- Kind and patient\n"
DEGREE = b"Job title: Senior HCSW\nBand 3\nEssential\n- A degree in nursing\n"


@pytest.fixture
def portfolio_page(monkeypatch):
    monkeypatch.chdir(ROOT)  # AppTest reads .streamlit/config.toml from here
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, files, bands=None) -> AppTest:
    at.radio(key="portfolio_source").set_value(page.SOURCE_UPLOAD).run()
    at.file_uploader(key="portfolio_upload").set_value(files)
    if bands is not None:
        at.file_uploader(key="portfolio_bands").set_value(bands)
    at.run()
    assert not at.exception, at.exception
    return at


def test_example_loads_with_one_click(portfolio_page):
    at = portfolio_page
    assert at.title[0].value == page.TITLE
    assert at.subheader[0].value == "12 job description(s) read, 0 excluded; 6 flag(s)."
    # one matrix per band, the profile check and the documents read (other sections may
    # add tables of their own)
    columns = [tuple(frame.value.columns) for frame in at.dataframe]
    assert sum("Degree" in c for c in columns) == 3
    assert sum("Verdict" in c for c in columns) == 1
    assert sum("Band from" in c for c in columns) == 1
    assert len(at.dataframe) == 5 + 5  # + the review's sections (ui/portfolio_review.py)
    shown = "\n".join(m.value for m in at.markdown)
    assert "**above profile**" in shown and plain("senior_hcsw_emergency.txt") in shown
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download review (HTML)", "Download review (Excel)"]


def test_sections_are_a_list_others_can_extend():
    titles = [s.title for s in page.sections()]
    assert titles[0] == page.MATRIX_HEADING
    assert titles[-2:] == [page.PROFILE_HEADING, page.DOCUMENTS_HEADING]


def test_many_files_with_a_bad_one(portfolio_page):
    at = upload(
        portfolio_page,
        [
            ("a.txt", GOOD, "text/plain"),
            ("b.txt", DEGREE, "text/plain"),
            ("c.txt", b"", "text/plain"),
        ],
    )
    assert at.subheader[0].value == "2 job description(s) read, 1 excluded; 1 flag(s)."
    assert [w.value.startswith(plain("c.txt:")) for w in at.warning] == [True]


def test_a_zip_upload(portfolio_page):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("jds/a.txt", GOOD)
        archive.writestr("jds/b.txt", DEGREE)
    at = upload(portfolio_page, [("jds.zip", buffer.getvalue(), "application/zip")])
    assert at.subheader[0].value == "2 job description(s) read, 0 excluded; 1 flag(s)."


def test_a_bad_bands_file_is_an_error_not_an_exception(portfolio_page):
    at = upload(
        portfolio_page,
        [("a.txt", GOOD, "text/plain")],
        bands=("bands.csv", b"file,band\na.txt,x\n", "text/csv"),
    )
    assert [e.value for e in at.error] == [
        plain(MSG_BANDS_VALUE.format(file="bands.csv", row=2, value="x"))
    ]


def test_another_modules_sections_come_after_the_matrix(monkeypatch):
    import importlib.machinery
    import sys
    import types

    module = types.ModuleType(page.EXTRA_SECTIONS_MODULE)
    module.__spec__ = importlib.machinery.ModuleSpec(page.EXTRA_SECTIONS_MODULE, None)
    extra = page.PortfolioSection("Near-duplicates", lambda review: None)
    setattr(module, page.EXTRA_SECTIONS_NAME, [extra])
    monkeypatch.setitem(sys.modules, page.EXTRA_SECTIONS_MODULE, module)
    titles = [s.title for s in page.sections()]
    assert titles == [
        page.MATRIX_HEADING,
        "Near-duplicates",
        page.PROFILE_HEADING,
        page.DOCUMENTS_HEADING,
    ]


def test_uploads_are_cached_for_the_session_only():
    import ast

    tree = ast.parse((ROOT / "bias_audit" / "ui" / "portfolio_page.py").read_text(encoding="utf-8"))
    caches = {
        node.name: (deco.func.attr, {k.arg: getattr(k.value, "value", None) for k in deco.keywords})
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        for deco in node.decorator_list
        if isinstance(deco, ast.Call) and getattr(deco.func, "attr", "").startswith("cache_")
    }
    assert caches["upload_review"][0] == "cache_data"
    assert caches["upload_review"][1]["scope"] == "session"
    # only the bundled synthetic example is shared between sessions
    assert set(caches) == {"upload_review", "example_review"}


def test_the_review_sections_show_the_review_the_run_holds(portfolio_page):
    from bias_audit.portfolio.review_tables import (
        BALANCE_HEADERS,
        GROUP_HEADERS,
        balance_rows,
        group_rows,
    )
    from bias_audit.services import audit_portfolio

    held = audit_portfolio(
        page.EXAMPLE_FOLDER / "descriptions", bands=page.EXAMPLE_FOLDER / "bands.csv"
    ).review
    frames = [f.value for f in portfolio_page.dataframe]
    balances = [f for f in frames if tuple(f.columns) == BALANCE_HEADERS]
    assert [list(map(tuple, f.itertuples(index=False))) for f in balances] == [
        balance_rows(held.balances),
        balance_rows(held.by_band),
    ]
    (groups,) = [f for f in frames if tuple(f.columns) == GROUP_HEADERS]
    assert list(map(tuple, groups.itertuples(index=False))) == group_rows(held.duplicates)
