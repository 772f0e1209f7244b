"""`bias-audit recruitment` and `bias-audit demo` end to end."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from bias_audit.cli import app
from bias_audit.commands import recruitment as cmd
from bias_audit.errors import OptionError

runner = CliRunner()

EXTRACT = """Applicant ID,Ethnic Origin,Sex,Disability,Application Status
{rows}
"""
OUTCOMES = ["Appointed", "Not shortlisted", "Interviewed - unsuccessful", "Withdrawn"]


def write_extract(path: Path) -> Path:
    rows = []
    people = [
        ("A White - British", "Female", "No"),
        ("N Black or Black British - African", "Male", "No"),
        ("H Asian or Asian British - Indian", "Female", "Yes"),
    ]
    number = 0
    for eth, sex, dis in people:
        for outcome, n in zip(OUTCOMES, (12, 30, 15, 2), strict=True):
            for _ in range(n):
                number += 1
                rows.append(f"{number},{eth},{sex},{dis},{outcome}")
    path.write_text(EXTRACT.format(rows="\n".join(rows)), encoding="utf-8")
    return path


def test_json_contract_and_no_spacy_or_streamlit(tmp_path):
    extract = write_extract(tmp_path / "extract.csv")
    code = (
        "import sys\n"
        "from bias_audit import cli\n"
        "try:\n"
        f"    cli.main(['recruitment', {str(extract)!r}, '--format', 'json'])\n"
        "except SystemExit as done:\n"
        "    assert done.code in (0, None), done.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'streamlit'))\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr
    data = json.loads(done.stdout)
    assert data["stages"] == ["applied", "shortlisted", "interviewed", "offered", "appointed"]
    block = data["transitions"][0]
    assert (block["attribute"], block["from"], block["to"]) == (
        "ethnicity_wres",
        "applied",
        "shortlisted",
    )
    white = next(g for g in block["groups"] if g["group"] == "White")
    assert white["entered"] == 55  # 59 applied, 2 withdrew: 57 entered, rounded to 55
    assert data["wres_indicator_2"]["White"]["appointed"] == 10  # 12 rounded
    assert "ethnicity: Ethnic Origin" in done.stderr  # the printed account of choices
    # ... and the same account inside the JSON
    chosen = {c["role"]: (c["column"], c["chosen"]) for c in data["reading"]["columns"]}
    assert chosen["ethnicity"] == ("Ethnic Origin", "auto")
    assert any("utf-8" in note for note in data["reading"]["notes"])


def test_console_script_exits_2_with_message_and_no_traceback(tmp_path):
    # The suite's one run of the installed `bias-audit` script as a real process (exit
    # status, streams); every other bad input goes through cli.main in-process.
    script = Path(sys.executable).with_name("bias-audit")
    assert script.is_file(), f"{script} is missing: pip install -e . (see the README)"
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    done = subprocess.run(
        [str(script), "recruitment", str(binary)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("bias-audit: error: ")
    assert "binary.csv" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_a_format_that_needs_out_exits_2_before_reading(tmp_path, capsys):
    from bias_audit import cli

    with pytest.raises(SystemExit) as stop:
        cli.main(["recruitment", str(tmp_path / "nope.csv"), "--format", "xlsx"])
    assert stop.value.code == 2
    assert cmd.MSG_NEEDS_OUT.format(fmt="xlsx") in capsys.readouterr().err


def test_xlsx_and_csv_exports(tmp_path):
    extract = write_extract(tmp_path / "extract.csv")
    out = tmp_path / "report.xlsx"
    result = runner.invoke(
        app, ["recruitment", str(extract), "--format", "xlsx", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert {"About this workbook", "Ethnicity (WRES)", "WRES 2 and WDES 2"} <= set(book.sheetnames)
    result = runner.invoke(app, ["recruitment", str(extract), "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.lstrip("\ufeff").startswith("attribute,from,to,step,reference,group")


def test_no_suppression_and_reference_option(tmp_path):
    extract = write_extract(tmp_path / "extract.csv")
    result = runner.invoke(
        app,
        [
            "recruitment",
            str(extract),
            "--format",
            "json",
            "--no-suppression",
            "--reference",
            "gender=Male",
            "--adverse-band",
            "0.9,1.1",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["suppression"] is False
    assert data["adverse_band"] == [0.9, 1.1]
    gender = next(b for b in data["transitions"] if b["attribute"] == "gender")
    assert gender["reference"] == "Male"
    assert data["wres_indicator_2"]["White"] == {"shortlisted": 27, "appointed": 12}


def test_text_report_says_directions(tmp_path):
    extract = write_extract(tmp_path / "extract.csv")
    result = runner.invoke(app, ["recruitment", str(extract), "--no-suppression"])
    assert result.exit_code == 0, result.output
    assert "WRES indicator 2: White shortlisted applicants were" in result.stdout
    assert "times as likely to be appointed as BME shortlisted applicants" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--column", "ethnicity"], cmd.MSG_BAD_COLUMN.format(value="ethnicity")),
        (["--adverse-band", "high"], cmd.MSG_BAD_BAND.format(value="high")),
        (["--band", "0.8,1.25"], cmd.MSG_BAND_RENAMED.format(value="0.8,1.25")),
        (["--reference", "gender"], "is not of the form attribute=group"),
    ],
)
def test_bad_options_raise_option_errors(tmp_path, args, message):
    extract = write_extract(tmp_path / "extract.csv")
    result = runner.invoke(app, ["recruitment", str(extract), *args])
    assert isinstance(result.exception, OptionError)
    assert message in str(result.exception)


def test_json_with_suppression_publishes_rounded_numbers(tmp_path):
    # Per group: 12 appointed, 15 interviewed but not appointed, 30 not shortlisted and 2
    # withdrawn. WRES shortlisted → appointed: White 27 → 25 and 12 → 10; BME (two groups)
    # 54 → 55 and 24 → 25. The value comes from the published counts, never the exact ones
    # (exact: (12/27) / (24/54) = 1): (10/25) / (25/55) = 0.88.
    extract = write_extract(tmp_path / "extract.csv")
    result = runner.invoke(app, ["recruitment", str(extract), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    wres = data["wres_indicator_2"]
    assert wres["White"] == {"shortlisted": 25, "appointed": 10}
    assert wres["BME"] == {"shortlisted": 55, "appointed": 25}
    assert wres["value"] == 0.88
    for block in data["transitions"]:
        for g in block["groups"]:
            assert g["withdrawn"] is None  # per group withheld; published as one total
            if g["rate"] is not None:
                assert g["rate"] == g["progressed"] / g["entered"]
            for name in ("relative_likelihood", "impact_ratio", "ci_low", "ci_high"):
                assert g[name] is None or g[name] == round(g[name], 2)
            p = g["p_value"]
            assert p is None or p == float(f"{p:.2g}")
