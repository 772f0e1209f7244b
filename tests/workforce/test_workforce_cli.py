"""`bias-audit workforce` through the real command line: formats, options and bad input.

Every bad-input row names the file or option, says what to do, and exits 2 with no
traceback (the central BiasAuditError handling of ``bias_audit.cli.main``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from bias_audit import cli
from bias_audit.commands import workforce as command
from bias_audit.io import files, source
from bias_audit.io import workforce as reader
from bias_audit.io import workforce_columns as wc

REPO = Path(__file__).resolve().parents[2]
RECRUITMENT = REPO / "example_data" / "recruitment_extract.csv"
HEADER = "Assignment Number,Ethnic Origin,Disability Flag,Pay Band,Staff Group,Hire Date\n"
ROW = "{i},{eth},No,Band 3,Additional Clinical Services,01/04/2020\n"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Run:
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    stderr = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            cli.main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else int(done.code is not None)
    stdout.flush()
    return Run(code, raw.getvalue().decode("utf-8"), stderr.getvalue())


@pytest.fixture(scope="module")
def example_json():
    run = run_cli("workforce", "--example", "--format", "json")
    assert run.code == 0, run.stderr
    return json.loads(run.stdout)


def test_json_keys_exactly(example_json):
    for key in (
        "wres_indicator_1",
        "wres_indicator_3",
        "wres_indicator_4",
        "wres_indicator_9",
        "wdes_metric_1",
        "wdes_metric_3",
        "wdes_metric_10",
        "wres_indicator_2",
        "wdes_metric_2",
        "retention",
        "progression",
        "warnings",
    ):
        assert key in example_json, key
    for key in ("wres_indicator_3", "wres_indicator_4", "wdes_metric_3"):
        result = example_json[key]
        for field in ("value", "reference", "focal", "ci_low", "ci_high", "p_value", "direction"):
            assert field in result, (key, field)
        assert result[result["focal"]]["staff"] > 0
    assert example_json["wres_indicator_3"]["value"] == 1.59
    assert example_json["wres_indicator_2"]["value"] is None
    assert "--recruitment" in example_json["wres_indicator_2"]["reason"]
    retention, progression = example_json["retention"], example_json["progression"]
    for key in (
        "definition", "cohort", "horizons_months", "min_at_risk", "curve_note", "groups",
        "tests", "leaving_reasons", "curves", "suppressed", "reason", "takeaway",
    ):  # fmt: skip
        assert key in retention, key
    for key in (
        "definition", "direction", "moves", "phrases", "people", "excluded", "rows",
        "suppressed", "reason", "takeaway",
    ):  # fmt: skip
        assert key in progression, key
    assert retention["reason"] == "" and progression["reason"] == ""
    assert retention["horizons_months"] == [3, 6, 12] and retention["min_at_risk"] == 8
    assert retention["suppressed"] is True and progression["suppressed"] is True
    assert "value" not in retention and "value" not in progression


def test_recruitment_links_wres_2_and_wdes_2():
    run = run_cli("workforce", "--example", "--recruitment", str(RECRUITMENT), "--format", "json")
    assert run.code == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["wres_indicator_2"]["value"] == 1.5  # the recruitment example's planted 1.5
    assert data["wdes_metric_2"]["focal"] == "Disabled"


def test_recruitment_columns_are_passed_on():
    run = run_cli(
        "workforce",
        "--example",
        "--recruitment",
        str(RECRUITMENT),
        "--recruitment-column",
        "ethnicity=No Such Column",
    )
    assert run.code == 2
    assert "recruitment_extract.csv" in run.stderr and "No Such Column" in run.stderr


@pytest.mark.parametrize("fmt", ["text", "csv", "html"])
def test_formats(fmt):
    run = run_cli("workforce", "--example", "--format", fmt)
    assert run.code == 0, run.stderr
    assert "Ethnic Origin (auto)" in run.stderr
    if fmt == "text":
        assert "WRES indicator 3: 1.59" in run.stdout
        assert "BME rate ÷ White rate" in run.stdout
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(run.stdout.lstrip("\ufeff"))))
        assert {r["indicator"] for r in rows} >= {"wres_indicator_1", "wdes_metric_3"}
    else:
        assert run.stdout.startswith("<!DOCTYPE html>")
        assert "WRES indicator 4" in run.stdout


def test_html_escapes_user_text(tmp_path):
    path = tmp_path / "<script>.csv"
    rows = "".join(ROW.format(i=i, eth="A" if i % 2 else "<b>N</b>") for i in range(40))
    path.write_text(HEADER + rows, encoding="utf-8")
    run = run_cli("workforce", str(path), "--format", "html")
    assert run.code == 0, run.stderr
    assert "<script>.csv" not in run.stdout and "&lt;script&gt;.csv" in run.stdout


def test_csv_neutralises_formulas(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(HEADER + ROW.format(i=1, eth="A"), encoding="utf-8")
    run = run_cli("workforce", str(path), "--format", "csv", "--no-suppression")
    assert run.code == 0, run.stderr
    assert "\n=" not in run.stdout and ",=" not in run.stdout


def test_no_suppression_shows_exact_counts(tmp_path):
    path = tmp_path / "staff.csv"
    rows = "".join(ROW.format(i=i, eth="A" if i < 30 else "N") for i in range(33))
    path.write_text(HEADER + rows, encoding="utf-8")
    exact = json.loads(
        run_cli("workforce", str(path), "--format", "json", "--no-suppression").stdout
    )
    shown = json.loads(run_cli("workforce", str(path), "--format", "json").stdout)
    band = next(r for r in exact["wres_indicator_1"]["bands"] if r["band"] == "Band 3")
    assert (band["White"], band["BME"]) == (30, 3)
    band = next(r for r in shown["wres_indicator_1"]["bands"] if r["band"] == "Band 3")
    assert band["BME"] == "≤7" and band["White"] in (30, "*")


def _err(template: str, **values: object) -> str:
    """The first words of a message template, filled in, to look for in stderr."""
    return template.format(**values).split("{")[0][:60]


def _workbook_with_only_cover() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["ESR report"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BAD = [
    ("empty.csv", b"", source.MSG_EMPTY.split("{what}")[0].format(file="empty.csv")),
    ("header.csv", HEADER.encode(), files.MSG_HEADER_ONLY.format(file="header.csv", rows="staff")),
    (
        "noeth.csv",
        b"Pay Band,Gender\nBand 2,F\n",
        "noeth.csv: no ethnicity or disability column found",
    ),
    (
        "dates.csv",
        (HEADER + "1,A,No,Band 3,Additional Clinical Services,soon\n").encode(),
        'dates.csv: none of the 1 values in column "Hire Date"',
    ),
    (
        "counts.csv",
        b"Ethnic Origin,Pay Band,Headcount\nA,Band 2,lots\n",
        'counts.csv: column "Headcount" holds counts',
    ),
    (
        "dupes.csv",
        (HEADER + ROW.format(i=1, eth="A") + ROW.format(i=1, eth="N")).encode(),
        'dupes.csv: 1 identifier(s) in column "Assignment Number"',
    ),
    ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(200), "photo.csv: this is not a text file"),
    ("cover.xlsx", _workbook_with_only_cover(), "cover.xlsx: no ethnicity or disability column"),
    (
        "locked.xlsx",
        bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024),
        "locked.xlsx: this is a password-protected Office file",
    ),
    ("text.xlsx", HEADER.encode(), "text.xlsx: the file is named .xlsx but is not"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_exit_2_naming_the_file(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    run = run_cli("workforce", str(path))
    assert run.code == 2, run.stderr
    assert message in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), command.MSG_NO_FILE),
        (("staff.csv", "--example"), command.MSG_FILE_AND_EXAMPLE),
        (("--example", "--format", "xlsx", "--out", "x.xlsx"), command.MSG_XLSX_PUBLISHED),
        (("--example", "--format", "xlsx", "--no-suppression"), command.MSG_XLSX_NEEDS_OUT),
        (("--example", "--column", "wage=Pay Band"), "'wage' is not a staff-extract column role"),
        (("--example", "--column", "band=Pay Scale"), "there is no column with that header"),
        (("--example", "--column", "band"), "is not of the form role=column"),
        (("--example", "--extract-date", "someday"), "extract date 'someday' is not a date"),
        (("missing.csv",), "missing.csv: file not found"),
    ],
)
def test_bad_options_exit_2(args, message):
    run = run_cli("workforce", *args)
    assert run.code == 2, (run.stdout, run.stderr)
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_xlsx_hook_says_what_is_missing(tmp_path):
    run = run_cli(
        "workforce",
        "--example",
        "--format",
        "xlsx",
        "--no-suppression",
        "--out",
        str(tmp_path / "r.xlsx"),
    )
    try:
        import bias_audit.report.workforce_returns  # noqa: F401
    except ModuleNotFoundError:
        assert run.code == 2 and command.MSG_XLSX_MISSING in run.stderr
    else:  # the national-returns workbook is there (wfflow's branch merged)
        assert run.code == 0 and (tmp_path / "r.xlsx").exists()


def test_unread_values_and_bad_dates_are_counted_and_named(tmp_path):
    path = tmp_path / "staff.csv"
    rows = "".join(ROW.format(i=i, eth="A") for i in range(20))
    rows += "99,Martian,No,Band 12,Additional Clinical Services,31/02/2020\n"
    path.write_text(HEADER + rows, encoding="utf-8")
    staff = reader.read_staff(path)
    assert staff.exclusions["unread_ethnicity"] == 1
    assert staff.exclusions["unread_band"] == 1
    assert staff.exclusions["bad_dates_start_date"] == 1
    run = run_cli("workforce", str(path), "--format", "json", "--no-suppression")
    warnings = json.loads(run.stdout)["warnings"]
    assert any('column "Ethnic Origin"' in w for w in warnings)
    assert any('column "Hire Date"' in w for w in warnings)
    published = json.loads(run_cli("workforce", str(path), "--format", "json").stdout)
    assert any('≤7 value(s) in column "Pay Band"' in w for w in published["warnings"])


def test_every_role_is_documented_in_the_help():
    help_text = run_cli("workforce", "--help").stdout
    for role in wc.STAFF_ROLES:
        assert role in help_text.replace("\n", " ").replace("  ", " "), role
