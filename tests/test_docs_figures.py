"""The figures the docs quote are the ones the code prints: README's WRES and WDES
sentences are `bias-audit demo`'s, the demo is the example extract, and docs/recruitment.md
quotes the example extract's (both modes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bias_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def example(example_audits):
    """The example extract audited in published (True) and analyst (False) mode (once per
    run: conftest.py at the root)."""
    return example_audits


def quotes(path: Path, opening: str) -> list[str]:
    """Every Markdown block quote in ``path`` that starts with ``opening``, as one line."""
    blocks: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("> "):
            blocks[-1].append(line[2:].strip())
        elif blocks[-1]:
            blocks.append([])
    joined = [" ".join(block) for block in blocks if block]
    return [text for text in joined if text.startswith(opening)]


def test_quotes_reads_a_wrapped_block_quote(tmp_path):
    page = tmp_path / "x.md"
    page.write_text("Intro\n\n> WRES indicator 2: one\n> two.\n\n> Other\n", encoding="utf-8")
    assert quotes(page, "WRES indicator 2") == ["WRES indicator 2: one two."]


@pytest.fixture(scope="module")
def demo_output() -> str:
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("indicator", ["WRES indicator 2", "WDES metric 2"])
def test_readme_quotes_are_what_the_demo_prints(demo_output, indicator):
    printed = [line[2:] for line in demo_output.splitlines() if line.startswith(f"* {indicator}")]
    assert len(printed) == 1
    assert quotes(ROOT / "README.md", indicator) == printed


def test_every_figure_the_readme_quotes_from_the_demo_is_printed(demo_output):
    """No figure in the README's demo quotes that the demo does not print."""
    quoted = " ".join(
        quotes(ROOT / "README.md", "WRES indicator 2") + quotes(ROOT / "README.md", "WDES metric 2")
    )
    figures = re.findall(r"\d+(?:\.\d+)?", quoted)
    assert len(figures) >= 16
    for figure in figures:
        assert figure in demo_output


def test_the_demo_is_the_example_extract(example, demo_output):
    """Same data as the app's example and docs/recruitment.md: the demo's defaults are the
    example's size and seed, so every sentence (all but the title line) is the same."""
    from bias_audit.commands.recruitment import DEMO_POPULATION, DEMO_ROWS, DEMO_SEED
    from bias_audit.report.recruitment_text import text_report
    from bias_audit.services import audit_extract
    from bias_audit.synthetic import EXAMPLE_APPLICATIONS, EXAMPLE_SEED

    assert (DEMO_ROWS, DEMO_SEED) == (EXAMPLE_APPLICATIONS, EXAMPLE_SEED)
    # the demo also compares with a real area; the rest is the example's report as it is
    example_report = text_report(
        audit_extract(ROOT / "example_data" / "recruitment_extract.csv", population=DEMO_POPULATION)
    )
    assert demo_output.splitlines()[1:] == example_report.splitlines()[1:]
    assert "King's College Hospital NHS Foundation Trust (RJZ)" in demo_output
    assert text_report(example[True]).splitlines()[1:] != example_report.splitlines()[1:]


def test_the_demo_can_leave_the_population_out(example):
    from bias_audit.report.recruitment_text import text_report

    result = CliRunner().invoke(app, ["demo", "--population", "none"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == text_report(example[True]).splitlines()[1:]


@pytest.mark.parametrize("suppression", [True, False])
def test_recruitment_doc_quotes_the_example_in_both_modes(example, suppression):
    sentence = example[suppression].wres_indicator_2["sentence"]
    assert sentence in quotes(ROOT / "docs" / "recruitment.md", "WRES indicator 2")


def test_method_page_and_docs_cost_figures_match_the_example(example):
    from bias_audit.ui.method_page import SECTIONS

    published, exact = example[True], example[False]
    shown = {
        name: (getattr(published, name)["value"], getattr(exact, name)["value"])
        for name in ("wres_indicator_2", "wdes_metric_2")
    }
    wres = "WRES indicator 2 reads {:.2f} against {:.2f} exact".format(*shown["wres_indicator_2"])
    wdes = "WDES metric 2 reads {:.2f} against {:.2f} exact".format(*shown["wdes_metric_2"])
    disclosure = dict(SECTIONS)["Small numbers are suppressed"]
    assert wres in disclosure and wdes in disclosure
    doc = " ".join((ROOT / "docs" / "recruitment.md").read_text(encoding="utf-8").split())
    assert "WRES indicator 2 reads {:.2f}".format(shown["wres_indicator_2"][0]) in doc
    assert "WDES metric 2 reads {:.2f} (exact {:.2f},".format(*shown["wdes_metric_2"]) in doc
    # The old definition's figure, quoted on the Method page, is the analyst sensitivity.
    sensitivity = exact.wdes_metric_2["sensitivity"]["value"]
    changed = dict(SECTIONS)["What changed in this version"]
    assert f"1.32, outside the 0.80–1.25 band, to {sensitivity:.2f}, inside it" in changed
