"""`bias-audit portfolio`: formats, progress, exclusions, escaping, exit statuses."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from bias_audit.cli import app, main
from bias_audit.commands.portfolio import MSG_BINARY_NEEDS_OUT

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example_data" / "portfolio"
HOSTILE = "=HYPERLINK(1)<script>alert(1)</script>"


@pytest.fixture
def folder(tmp_path):
    jds = tmp_path / "jds"
    jds.mkdir()
    (jds / "a.txt").write_text(
        f"Job title: {HOSTILE}\nBand 2\nEssential\n- Kind\n", encoding="utf-8"
    )
    (jds / "b.txt").write_text(
        "Job title: HCA\nBand 2\nEssential\n- A degree in care\n", encoding="utf-8"
    )
    (jds / "c.txt").write_bytes(b"")
    return jds


def test_text_output_on_the_example(tmp_path):
    result = runner.invoke(
        app, ["portfolio", str(EXAMPLE / "descriptions"), "--bands", str(EXAMPLE / "bands.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "12 job description(s) read, 0 excluded; 6 flag(s)." in result.output
    assert "Band 2 — 5 description(s)" in result.output
    assert "[above profile] senior_hcsw_emergency.txt" in result.output


def test_json_output_counts_and_names_the_excluded_file(folder):
    result = runner.invoke(app, ["portfolio", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == {
        "documents": 2,
        "excluded": 1,
        "flags": {
            "different essentials": 1,
            "above profile": 1,
            "no equivalent route": 0,
            "licence without travel": 0,
        },
    }
    assert data["exclusions"][0]["name"] == "c.txt"
    assert data["documents"][0]["title"] == HOSTILE
    assert set(data["documents"][0]) >= {
        "name",
        "title",
        "band",
        "staff_group",
        "demands",
        "criteria",
    }


def test_html_escapes_text_from_the_files(folder, tmp_path):
    out = tmp_path / "review.html"
    result = runner.invoke(app, ["portfolio", str(folder), "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_xlsx_neutralises_formula_cells(folder, tmp_path):
    result = runner.invoke(
        app, ["portfolio", str(folder), "--format", "xlsx", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("bias-audit_portfolio_jds_*.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(written.read_bytes()))
    assert book.sheetnames == [
        "About",
        "Flags",
        "Band 2",
        "Profile check",
        "Credential balance",
        "Credential criteria",
        "Near-duplicates",
        "Documents",
        "Files left out",
    ]
    titles = [row[1] for row in book["Documents"].iter_rows(min_row=2, values_only=True)]
    assert "'" + HOSTILE in titles
    assert all(
        not str(v).startswith("=")
        for row in book["Band 2"].iter_rows(values_only=True)
        for v in row
        if v
    )


def test_xlsx_without_out_exits_2(folder, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["portfolio", str(folder), "--format", "xlsx"])
    assert caught.value.code == 2
    assert MSG_BINARY_NEEDS_OUT.format(fmt="xlsx") in capsys.readouterr().err


def test_a_bad_bands_file_exits_2_without_a_traceback(folder, tmp_path, capsys):
    bands = tmp_path / "bands.csv"
    bands.write_text("file,band\na.txt,eleven\n", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        main(["portfolio", str(folder), "--bands", str(bands)])
    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert "row 2: 'eleven' in the band column is not an Agenda for Change band" in err
    assert "Traceback" not in err


def test_help_is_one_sentence_with_examples_that_parse():
    import typer

    from bias_audit.commands.help import example_arguments

    command = typer.main.get_command(app).commands["portfolio"]
    assert "\n" not in command.help and command.help.endswith(".")
    result = runner.invoke(app, ["portfolio", "--help"], env={"COLUMNS": "240"})
    assert result.exit_code == 0
    assert "<path>" not in result.output.lower() and "list[" not in result.output
    found = example_arguments(command.epilog)
    assert len(found) == 4
    for args in found:
        command.make_context("portfolio", list(args[1:]), parent=None)
