"""Bad input through the real command line: every row names the file, says what to do, and
exits 2 (or works, exit 0, where the input is usable) with no traceback, in seconds.

Every row runs in-process through ``bias_audit.cli.main`` (the same function the console
script calls, so the central ``BiasAuditError`` -> exit 2 handling is exercised); the real
console script, as a subprocess, is run once in tests/test_recruitment_cli.py.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from bias_audit import cli
from bias_audit.engine.choice import OUT_OF_CORE_MAX_BYTES
from bias_audit.io import (
    adverts,
    cells,
    codes,
    columns,
    extract,
    files,
    source,
    stages,
    unread,
    views,
)
from bias_audit.io.layouts import rows as row_layout
from bias_audit.report import export, recruitment_warnings
from bias_audit.ui import resources

# Any bad input is refused within FAST_SECONDS of this process's CPU time (all its threads),
# which a loaded machine does not stretch as it stretches the clock; a wait that never ends
# (using no CPU) is caught by HANG_SECONDS of wall-clock time.
FAST_SECONDS = 5.0
HANG_SECONDS = 30.0
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024)
JUNK = bytes(range(256)) * 8
LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
HEADER = "Ethnic Origin,Sex,Application Status\n"
ROWS = (
    "A White - British,Female,Appointed\n"
    "N Black or Black British - Caribbean,Male,Not shortlisted\n"
    "A,Male,Interviewed - unsuccessful\n"
    "H,Female,Shortlisted\n"
)
ADVERT = "Band 3 Healthcare Support Worker – café ward. Support patients with kindness.\n"
SCRIPT = "<script>alert(1)</script>"


# ------------------------------------------------------------------------------ builders


def workbook(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_of(**sheets: list[list[object]]) -> bytes:
    """A workbook with the named sheets, in order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def word(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def repack(data: bytes, *, dtd_in: str | None = None, declare: int | None = None) -> bytes:
    """Rewrite an Office zip: a billion-laughs DOCTYPE in front of one part's root element,
    and/or every entry's expanded size declared as ``declare`` (a bomb on paper only)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == dtd_in:
                declaration, sep, rest = body.partition(b"?>")
                body = declaration + sep + LAUGHS + rest if sep else LAUGHS + body
            target.writestr(info.filename, body)
        if declare is not None:
            # The central directory is written from these records when the archive closes.
            for entry in target.filelist:
                entry.file_size = declare
    return out.getvalue()


def pdf(*, encrypt: bool) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)  # no text layer, as a scan
    if encrypt:
        writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ROWS_WB = [["Ethnic Origin", "Sex", "Application Status"], ["A", "Female", "Appointed"]]
ROWS_WB += [["N", "Male", "Not shortlisted"], ["H", "Female", "Shortlisted"]]


# --------------------------------------------------------------------------------- runner


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    cpu_seconds: float


def run_cli(*args: str) -> Run:
    """``bias-audit ARGS`` in this process, through the console script's ``main``."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    stderr = io.StringIO()
    started, cpu_started = time.perf_counter(), time.process_time()
    code = 0
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            cli.main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else int(done.code is not None)
    stdout.flush()
    return Run(
        code,
        raw.getvalue().decode("utf-8"),
        stderr.getvalue(),
        time.perf_counter() - started,
        time.process_time() - cpu_started,
    )


@pytest.fixture(scope="module", autouse=True)
def warm_pipeline(tmp_path_factory):
    """Build the spaCy pipeline once, so each row's time is the row's own."""
    path = tmp_path_factory.mktemp("warm") / "warm.txt"
    path.write_text(ADVERT, encoding="utf-8")
    assert run_cli("advert", str(path)).code == 0


# ---------------------------------------------------------------------------------- table


@dataclass(frozen=True)
class Case:
    command: str
    name: str
    content: bytes | Callable[[], bytes] | None
    code: int
    message: str  # the expected stderr line (after "bias-audit: error: "), or a note for 0
    extra: tuple[str, ...] = ()


def _fmt(template: str, **values: object) -> str:
    return template.format(**values)


def _r(template: str, **values: object) -> str:
    """A recruitment-extract message (shared wording in source.py, an extract's words)."""
    return template.format(**{**files.EXTRACT_FILE.words(), **values})


def _a(template: str, **values: object) -> str:
    """An advert message, naming the file by its path."""
    return template.format(**{**adverts.ADVERT_FILE.words(), "file": "{path}", **values})


R, A = "recruitment", "advert"
CASES = [
    Case(R, "empty.csv", b"", 2, _r(source.MSG_EMPTY, file="empty.csv")),
    Case(R, "blank.csv", b" \n\n\t \r\n", 2, _r(source.MSG_EMPTY, file="blank.csv")),
    Case(
        R,
        "header.csv",
        HEADER.encode(),
        2,
        _fmt(files.MSG_HEADER_ONLY, file="header.csv", rows="applications"),
    ),
    Case(R, "junk.csv", JUNK, 2, _r(source.MSG_NOT_TEXT, file="junk.csv", found="binary data")),
    Case(
        R,
        "junk.txt",
        JUNK,
        2,
        _r(source.MSG_NOT_TEXT, file="junk.txt", found="binary data"),
    ),
    Case(
        R,
        "junk.docx",
        JUNK,
        2,
        _r(source.MSG_NOT_TEXT, file="junk.docx", found="binary data"),
    ),
    Case(
        R,
        "junk.pdf",
        b"%PDF-1.4\n" + JUNK,
        2,
        _r(source.MSG_NOT_TEXT, file="junk.pdf", found="a PDF document"),
    ),
    Case(
        R,
        "junk.xlsx",
        JUNK,
        2,
        _r(
            source.MSG_MISLABELLED,
            file="junk.xlsx",
            suffix=".xlsx",
            expected="an Excel workbook",
            why="it is not a zip container",
        ),
    ),
    Case(
        R,
        "text.xlsx",
        (HEADER + ROWS).encode(),
        2,
        _r(
            source.MSG_MISLABELLED,
            file="text.xlsx",
            suffix=".xlsx",
            expected="an Excel workbook",
            why="it is plain text",
        ),
    ),
    Case(
        R,
        "zipbomb.xlsx",
        lambda: repack(workbook(ROWS_WB), declare=2**32 - 1),
        2,
        "zipbomb.xlsx: refused: the file would expand to an unsafe size or number of parts",
    ),
    Case(
        R,
        "xmlbomb.xlsx",
        lambda: repack(workbook(ROWS_WB), dtd_in="xl/worksheets/sheet1.xml"),
        2,
        _r(source.MSG_XML_DTD, file="xmlbomb.xlsx", why="xl/worksheets/sheet1.xml"),
    ),
    Case(R, "locked.xlsx", OLE2, 2, _r(source.MSG_OLE2, file="locked.xlsx")),
    Case(
        R,
        "book.csv",
        lambda: workbook(ROWS_WB),
        0,
        _fmt(source.NOTE_MISLABELLED, file="book.csv", found="an Excel workbook", proper=".xlsx"),
    ),
    Case(
        R,
        "utf16.csv",
        (HEADER + ROWS).encode("utf-16"),
        0,
        _fmt(
            files.NOTE_ENCODING,
            kind="CSV",
            encoding="utf-16",
            extra=" with a byte-order mark",
            separator="comma",
        ),
    ),
    Case(
        R,
        "excel.csv",
        (HEADER + ROWS).replace(" - ", " – ").encode("cp1252"),
        0,
        _fmt(files.NOTE_ENCODING, kind="CSV", encoding="cp1252", extra="", separator="comma"),
    ),
    Case(
        R,
        "no-ethnicity.csv",
        b"Sex,Application Status\nFemale,Appointed\nMale,Withdrawn\n",
        2,
        _fmt(
            columns.MSG_NO_ETHNICITY,
            file="no-ethnicity.csv",
            headers='"Sex", "Application Status"',
        ),
    ),
    Case(
        R,
        "no-stage.csv",
        b"Ethnic Origin,Sex\nA,Female\nN,Male\n",
        2,
        _fmt(columns.MSG_NO_STAGE, file="no-stage.csv", headers='"Ethnic Origin", "Sex"'),
    ),
    Case(
        R,
        "local-codes.csv",
        b"Ethnic Origin,Sex,Application Status\nQQ7,Female,Appointed\nXY,Male,Not shortlisted\n"
        b"A,Female,Appointed\nN,Male,Interviewed\nA,Male,Not shortlisted\n",
        0,
        "2 ethnicity value(s) could not be placed and count as Not stated: 'QQ7' (1), 'XY' (1).",
        ("--no-suppression",),
    ),
    Case(
        R,
        "mostly-local-codes.csv",
        b"Ethnic Origin,Sex,Application Status\nQQ7,Female,Appointed\nXY,Male,Not shortlisted\n"
        b"A,Female,Appointed\n",
        2,
        _fmt(
            unread.MSG_MOSTLY_UNREAD,
            file="mostly-local-codes.csv",
            share=2 / 3,
            what="a value",
            column="Ethnic Origin",
            values='"QQ7", "XY"',
            fix=unread.FIX_ATTRIBUTE.format(
                column="Ethnic Origin", label="ethnicity", role="ethnicity", off="", value="QQ7"
            ),
        ),
    ),
    Case(
        R,
        "mostly-unknown-outcomes.csv",
        b"Ethnic Origin,Sex,Application Status\nA,Female,Offer made\nN,Male,Gone fishing\n"
        b"A,Female,Gone fishing\nH,Male,On hold: parked\nN,Male,On hold: parked\n",
        2,
        _fmt(
            unread.MSG_MOSTLY_UNREAD,
            file="mostly-unknown-outcomes.csv",
            share=4 / 5,
            what="an outcome",
            column="Application Status",
            values='"Gone fishing", "On hold: parked"',
            fix=unread.FIX_OUTCOME.format(
                mappings="Gone fishing=<stage>,On hold: parked=<stage>",
                stages="applied, shortlisted, interviewed, offered, appointed",
            ),
        ),
    ),
    Case(
        R,
        "cover.xlsx",
        lambda: workbook_of(
            Cover=[["Recruitment report"], ["Status", "Final"]],
            Applications=[row.split(",") for row in (HEADER + ROWS).splitlines()],
        ),
        0,
        'Read sheet "Applications" of the workbook (the other sheets hold no table of '
        'applications: "Cover").',
    ),
    Case(
        R,
        "two-tables.xlsx",
        lambda: workbook_of(
            Applications=[row.split(",") for row in (HEADER + ROWS).splitlines()],
            Copy=[row.split(",") for row in (HEADER + ROWS).splitlines()],
        ),
        2,
        _fmt(
            files.MSG_SEVERAL_SHEETS,
            file="two-tables.xlsx",
            rows="applications",
            sheets='"Applications", "Copy"',
            first="Applications",
        ),
    ),
    Case(
        R,
        "not-stated.csv",
        b"Ethnic Origin,Application Status\nZ,Appointed\nNot stated,Not shortlisted\n"
        b"99,Shortlisted\n",
        2,
        _fmt(
            views.MSG_ALL_NOT_STATED,
            file="not-stated.csv",
            column="Ethnic Origin",
            label="ethnicity",
            role="ethnicity",
            examples='"99", "Not stated", "Z"',
        ),
    ),
    Case(
        R,
        "mixed-schemes.csv",
        (HEADER + ROWS + "White: English,Female,Shortlisted\n").encode(),
        0,
        codes.NOTE_MIXED_SCHEMES.format(
            attribute="ethnicity", schemes="bare codes and codes with labels and labels"
        ),
    ),
    Case(
        R,
        "nobody-shortlisted.csv",
        (HEADER + "A,Female,Appointed\nA,Male,Shortlisted\nN,Male,Not shortlisted\n").encode(),
        0,
        recruitment_warnings.WARN_NOBODY_PROGRESSED.format(
            group="BME", to="shortlisted", from_stage="applied"
        ),
    ),
    Case(
        R,
        "unclosed-quote.csv",
        (HEADER + 'A,Female,Appointed\nN,"Male,Not shortlisted\n').encode(),
        2,
        "unclosed-quote.csv: the CSV could not be read: ",
    ),
    Case(
        R,
        "odd-utf16.csv",
        HEADER.encode("utf-16") + b"A\x00,",
        2,
        _r(source.MSG_BAD_ENCODING, file="odd-utf16.csv", why="utf-16-le: truncated data"),
    ),
    Case(
        R,
        "sheets.xlsx",
        lambda: workbook(ROWS_WB),
        2,
        files.MSG_NO_SHEET.format(file="sheets.xlsx", sheet="Data", sheets="'Sheet'"),
        ("--sheet", "Data"),
    ),
    Case(A, "empty.txt", b"", 2, _a(source.MSG_EMPTY)),
    Case(A, "blank.txt", b" \n\n\t ", 2, _a(source.MSG_EMPTY)),
    Case(A, "nowords.txt", "\ufeff\u200b\u00a0\n".encode(), 2, _a(adverts.MSG_NO_TEXT)),
    Case(A, "junk.txt", JUNK, 2, _a(source.MSG_NOT_TEXT, found="binary data")),
    Case(A, "junk.csv", JUNK, 2, _a(adverts.MSG_UNSUPPORTED, suffix=".csv")),
    Case(
        A,
        "junk.docx",
        JUNK,
        2,
        _a(
            source.MSG_MISLABELLED,
            suffix=".docx",
            expected="a Word document",
            why="it is not a zip archive",
        ),
    ),
    Case(
        A,
        "junk.pdf",
        JUNK,
        2,
        _a(source.MSG_MISLABELLED, suffix=".pdf", expected="a PDF document", why="no PDF header"),
    ),
    Case(A, "junk.xlsx", JUNK, 2, _a(adverts.MSG_UNSUPPORTED, suffix=".xlsx")),
    Case(
        A,
        "zipbomb.docx",
        lambda: repack(word(ADVERT), declare=2**32 - 1),
        2,
        _a(source.MSG_ZIP_BOMB, why="over 50 MB expanded"),
    ),
    Case(
        A,
        "xmlbomb.docx",
        lambda: repack(word(ADVERT), dtd_in="word/document.xml"),
        2,
        _a(source.MSG_XML_DTD, why="word/document.xml"),
    ),
    Case(A, "locked.docx", OLE2, 2, _a(source.MSG_OLE2)),
    Case(
        A,
        "locked.pdf",
        lambda: pdf(encrypt=True),
        2,
        _a(adverts.MSG_PDF_ENCRYPTED),
    ),
    Case(A, "scan.pdf", lambda: pdf(encrypt=False), 2, _a(adverts.MSG_PDF_SCANNED)),
    Case(A, "utf16.txt", ADVERT.encode("utf-16"), 0, "Worker – café ward", ("--format", "html")),
    Case(A, "excel.txt", ADVERT.encode("cp1252"), 0, "Worker – café ward", ("--format", "html")),
]


def _write(tmp_path: Path, case: Case) -> Path:
    path = tmp_path / case.name
    content = case.content() if callable(case.content) else case.content
    path.write_bytes(content)
    return path


def _assert_clean(run: Run) -> None:
    assert "Traceback" not in run.stderr
    assert "Traceback" not in run.stdout
    assert run.cpu_seconds < FAST_SECONDS and run.seconds < HANG_SECONDS


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.command}-{c.name}")
def test_matrix_row(tmp_path, case):
    path = _write(tmp_path, case)
    run = run_cli(case.command, str(path), *case.extra)
    _assert_clean(run)
    assert run.code == case.code, run.stderr
    expected = case.message.replace("{path}", str(path))
    if case.code == 2:
        assert run.stderr.startswith("bias-audit: error: ")
        line = run.stderr.removeprefix("bias-audit: error: ").strip()
        assert line.startswith(expected), line
        assert case.name in line
        assert run.stdout == ""
    elif case.command == R:
        assert expected in run.stderr + run.stdout
        assert run.stdout.startswith(f"Recruitment audit: {case.name}")
    else:
        assert expected in run.stdout


@pytest.mark.parametrize("command", [R, A])
def test_missing_path_and_folder(tmp_path, command):
    missing = tmp_path / "nope.csv"
    run = run_cli(command, str(missing))
    _assert_clean(run)
    assert run.code == 2
    expected = source.MSG_NOT_FOUND.format(file=missing)
    assert run.stderr.strip() == "bias-audit: error: " + expected
    run = run_cli(command, str(tmp_path))
    _assert_clean(run)
    assert run.code == 2
    what = (files.EXTRACT_FILE if command == R else adverts.ADVERT_FILE).what
    expected = source.MSG_NOT_A_FILE.format(file=tmp_path, what=what)
    assert run.stderr.strip() == "bias-audit: error: " + expected


@pytest.mark.parametrize(
    ("command", "name", "limit", "expected"),
    [
        # Over the in-memory limit, a CSV on disk is counted out of core (issue 14); only a
        # file over the out-of-core limit is refused for its size.
        (
            R,
            "huge.csv",
            OUT_OF_CORE_MAX_BYTES,
            source.too_big_message(
                "huge.csv",
                OUT_OF_CORE_MAX_BYTES + 1,
                OUT_OF_CORE_MAX_BYTES,
                kind=files.EXTRACT_FILE,
            ),
        ),
        (
            A,
            "huge.txt",
            adverts.MAX_BYTES,
            source.too_big_message(
                "{path}", adverts.MAX_BYTES + 1, adverts.MAX_BYTES, kind=adverts.ADVERT_FILE
            ),
        ),
    ],
)
def test_over_the_size_limit_is_refused_before_reading(tmp_path, command, name, limit, expected):
    # A sparse file: its size is real to stat() but nothing is written to disk.
    path = tmp_path / name
    with open(path, "wb") as handle:
        handle.truncate(limit + 1)
    run = run_cli(command, str(path))
    _assert_clean(run)
    assert run.code == 2
    assert run.stderr.strip() == "bias-audit: error: " + expected.replace("{path}", str(path))


def test_max_size_raises_and_lowers_the_limit(tmp_path):
    path = tmp_path / "sized.csv"
    path.write_text(HEADER + ROWS * 100, encoding="utf-8")
    size = path.stat().st_size
    run = run_cli(R, str(path), "--max-size", "1KB")
    _assert_clean(run)
    assert run.code == 2
    expected = source.too_big_message("sized.csv", size, 1024, kind=files.EXTRACT_FILE)
    assert run.stderr.strip() == "bias-audit: error: " + expected
    assert "--max-size" in expected
    # The suggested size works.
    suggest = expected.split("--max-size ")[1].split(" ")[0]
    run = run_cli(R, str(path), "--max-size", suggest, "--format", "json")
    assert run.code == 0, run.stderr
    # A bigger file than the default limit is read when --max-size allows it (sparse file).
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(files.DEFAULT_MAX_BYTES + 1)
    run = run_cli(R, str(big), "--max-size", "1GB")
    assert run.code == 2
    assert "over the" not in run.stderr  # refused for its content, not its size


@pytest.mark.parametrize("value", ["banana", "-3MB", "12 parsecs"])
def test_max_size_that_is_not_a_size(tmp_path, value):
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    run = run_cli(R, str(path), "--max-size", value)
    _assert_clean(run)
    assert run.code == 2
    assert run.stderr.strip() == "bias-audit: error: " + source.MSG_BAD_SIZE.format(value=value)


BINARY_ROWS = "".join(
    f"{code},{sex},{'Appointed' if i % 3 == 0 else 'Not appointed'}\n"
    for i, (code, sex) in enumerate(
        [("A", "Female"), ("A", "Male"), ("N", "Female"), ("H", "Male"), ("Z", "Female")] * 12
    )
)


@pytest.mark.parametrize("rows_are", [None, "applications", "shortlisted"])
def test_rows_are_on_the_command_line(tmp_path, rows_are):
    path = tmp_path / "appointed.csv"
    path.write_text("Ethnicity,Sex,Outcome\n" + BINARY_ROWS, encoding="utf-8")
    extra = () if rows_are is None else ("--rows-are", rows_are)
    run = run_cli(R, str(path), "--format", "json", "--no-suppression", *extra)
    _assert_clean(run)
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    first = "shortlisted" if rows_are == "shortlisted" else "considered"
    assert report["stages"] == [first, "appointed"]
    assert report["reading"]["one_step"] is True
    assert report["reading"]["rows_are"] == (rows_are or "applications")
    assert "one-step comparison" in run.stderr
    assert not any("not recognise" in w for w in report["warnings"])
    wres = report["wres_indicator_2"]
    if rows_are == "shortlisted":
        # Hand count: i % 3 == 0 appointed; White rows i % 5 in {0, 1} (24), appointed 8;
        # BME rows i % 5 in {2, 3} (24), appointed 8: ratio 1.
        assert wres["value"] == pytest.approx(1.0)
        assert wres["White"] == {"shortlisted": 24, "appointed": 8}
    else:
        assert wres["value"] is None


def test_recode_on_the_command_line(tmp_path):
    path = tmp_path / "local.csv"
    path.write_text(
        "Ethnic Origin,Sex,Application Status\nQQ7,Female,Appointed\nXY,Male,Not shortlisted\n"
        "A,Female,Appointed\n",
        encoding="utf-8",
    )
    run = run_cli(R, str(path))
    assert run.code == 2
    assert '--recode "ethnicity:QQ7=<category>"' in run.stderr
    run = run_cli(
        R, str(path), "--recode", "ethnicity:QQ7=H", "--recode", "ethnicity:xy=Not stated"
    )
    _assert_clean(run)
    assert run.code == 0, run.stderr
    assert 'ethnicity: read "QQ7" as "H"; "XY" as "Not stated", as you asked' in run.stderr
    run = run_cli(R, str(path), "--recode", "ethnicity=QQ7")
    assert run.code == 2
    assert run.stderr.strip() == "bias-audit: error: " + extract.MSG_BAD_RECODE.format(
        value="ethnicity=QQ7"
    )


def test_rows_are_refuses_other_words(tmp_path):
    path = tmp_path / "appointed.csv"
    path.write_text("Ethnicity,Sex,Outcome\n" + BINARY_ROWS, encoding="utf-8")
    run = run_cli(R, str(path), "--rows-are", "everyone")
    assert run.code == 2
    assert "everyone" in run.stderr
    assert "Traceback" not in run.stderr


# --------------------------------------------------------------------- markup and formulas


def test_script_in_an_advert_is_data_in_json_and_text_in_html(tmp_path):
    path = tmp_path / "script.txt"
    path.write_text(f"Band 3 support worker. {SCRIPT} <img src=x onerror=alert(2)>\n")
    run = run_cli(A, str(path), "--format", "json")
    _assert_clean(run)
    assert run.code == 0
    assert json.loads(run.stdout)[0]["source"] == str(path)
    run = run_cli(A, str(path), "--format", "html")
    _assert_clean(run)
    assert run.code == 0
    assert SCRIPT not in run.stdout
    assert "<img src=x" not in run.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in run.stdout


def test_script_in_csv_cells_is_data_in_json_and_escaped_in_html(tmp_path):
    path = tmp_path / "script.csv"
    path.write_text(HEADER + ROWS + f"{SCRIPT},Male,Appointed\nA,{SCRIPT},Appointed\n")
    run = run_cli(R, str(path), "--format", "json")
    _assert_clean(run)
    assert run.code == 0
    warnings = json.loads(run.stdout)["warnings"]
    assert any(SCRIPT in w for w in warnings)  # listed as data, a JSON string
    out = tmp_path / "report.html"
    run = run_cli(R, str(path), "--format", "html", "--out", str(out))
    _assert_clean(run)
    assert run.code == 0
    html = out.read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


HYPERLINK = '=HYPERLINK("http://x")'


def test_formula_group_label_never_reaches_an_export_as_a_formula(tmp_path):
    path = tmp_path / "formula.csv"
    quoted = HYPERLINK.replace('"', '""')
    path.write_text(HEADER + ROWS + f'A,"{quoted}",Appointed\n"{quoted}",Male,Appointed\n')
    run = run_cli(R, str(path), "--format", "csv")
    _assert_clean(run)
    assert run.code == 0
    for row in csv.reader(io.StringIO(run.stdout)):
        assert not any(cell.startswith(("=", "@")) for cell in row), row
    out = tmp_path / "report.xlsx"
    run = run_cli(R, str(path), "--format", "xlsx", "--out", str(out))
    _assert_clean(run)
    assert run.code == 0
    book = openpyxl.load_workbook(out)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert any(HYPERLINK in str(c.value) for c in cells)  # the value is kept, as text
    # The label at the start of a cell, as a group label would be: neutralised as text.
    assert export.neutralise_formula(HYPERLINK) != HYPERLINK
    assert HYPERLINK in export.neutralise_formula(HYPERLINK)


# ------------------------------------------------------------- nothing silently dropped

LEDGER_ROWS = [
    # (line, what happens to it)
    ("A White - British,Female,Appointed", "analysed"),
    ("N,Male,Not shortlisted", "analysed"),
    ("", "blank"),
    ("A,Male,Shortlisted", "analysed"),
    (",Female,Appointed", "analysed, ethnicity not stated"),
    (",Male,Interviewed - unsuccessful", "analysed, ethnicity not stated"),
    ("H,Female,Gone fishing", "unknown outcome"),
    ("A,Male,Gone fishing", "unknown outcome"),
    ("N,Female,", "blank outcome"),
    (",,", "blank"),
    ("M,Female,Withdrawn", "analysed"),
    ("Total,,11", "total"),
]


def test_every_input_row_is_counted_in_the_report(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text(HEADER + "\n".join(line for line, _ in LEDGER_ROWS) + "\n", encoding="utf-8")
    run = run_cli(R, str(path), "--format", "json", "--no-suppression")
    _assert_clean(run)
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    warnings = report["warnings"]

    def tally(kind: str) -> int:
        return sum(1 for _, fate in LEDGER_ROWS if fate.startswith(kind))

    column = "Application Status"
    assert (
        stages.WARN_UNKNOWN_OUTCOMES.format(
            count=tally("unknown"),
            column=column,
            examples='"Gone fishing" (2)',
            stages="applied, shortlisted, interviewed, offered, appointed",
        )
        in warnings
    )
    assert stages.WARN_BLANK_OUTCOMES.format(count=tally("blank outcome"), column=column) in (
        warnings
    )
    assert row_layout.WARN_BLANK_ROWS.format(count=tally("blank") - tally("blank outcome")) in (
        warnings
    )
    assert row_layout.WARN_TOTAL_ROWS.format(count=tally("total")) in warnings
    analysed = tally("analysed")
    not_stated = sum(1 for _, fate in LEDGER_ROWS if fate.endswith("not stated"))
    assert (
        recruitment_warnings.WARN_NOT_STATED.format(
            n=not_stated, total=analysed, label="ethnicity", share=1 - not_stated / analysed
        )
        in warnings
    )
    # The analysed applications are the ones that entered the first transition (plus
    # withdrawals, which leave its denominator and are reported separately).
    first = next(
        t
        for t in report["transitions"]
        if t["attribute"] == "ethnicity_wres" and t["from"] == "applied"
    )
    entered = sum(group["entered"] for group in first["groups"])
    withdrawn = sum(1 for line, _ in LEDGER_ROWS if line.endswith("Withdrawn"))
    assert entered + withdrawn == analysed
    left_out = tally("unknown") + tally("blank") + tally("total")
    assert entered + withdrawn + left_out == len(LEDGER_ROWS)
    # The same ledger on standard error, as "N row(s) left out: reason".
    for count, reason in [
        (tally("unknown"), cells.EXCLUDED_UNKNOWN_OUTCOME),
        (tally("blank outcome"), cells.EXCLUDED_BLANK_OUTCOME),
        (tally("blank") - tally("blank outcome"), cells.EXCLUDED_BLANK_ROWS),
        (tally("total"), cells.EXCLUDED_TOTAL_ROWS),
    ]:
        assert views.NOTE_EXCLUDED.format(count=count, reason=reason) in run.stderr


# -------------------------------------------------------------------------------- the app

APP_ROOT = Path(__file__).resolve().parents[1]
APP_PAGES = {R: "bias_audit/ui/pages/recruitment_audit.py", A: None}
UPLOADERS = {R: "extract_upload", A: "advert_upload"}


@pytest.fixture(scope="module")
def app_sessions():
    """One app session per page, reused across rows: each row is a fresh upload."""
    from streamlit.testing.v1 import AppTest

    from bias_audit.ui import advert_page, recruitment_page

    SOURCES = {
        A: ("advert_source", advert_page.SOURCE_UPLOAD),
        R: ("extract_source", recruitment_page.SOURCE_UPLOAD),
    }
    sessions = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(APP_ROOT)  # AppTest reads .streamlit/config.toml from here
        for command, page in APP_PAGES.items():
            at = AppTest.from_file(str(APP_ROOT / "app.py"), default_timeout=60)
            at.run()
            if page is not None:
                at.switch_page(page)
                at.run()
            source_key, choice = SOURCES[command]
            at.radio(key=source_key).set_value(choice).run()
            assert not at.exception, at.exception
            sessions[command] = at
        yield sessions


# The uploaders accept only these types; others never reach the readers in the app.
APP_TYPES = {
    R: tuple(f".{t}" for t in resources.EXTRACT_TYPES),
    A: tuple(f".{t}" for t in resources.ADVERT_TYPES),
}
APP_CASES = [
    c for c in CASES if c.code == 2 and c.name.endswith(APP_TYPES[c.command]) and not c.extra
]


@pytest.mark.parametrize("case", APP_CASES, ids=lambda c: f"{c.command}-{c.name}")
def test_app_upload_row(app_sessions, case):
    from bias_audit.ui.components import plain

    at = app_sessions[case.command]
    content = case.content() if callable(case.content) else case.content
    started, cpu_started = time.perf_counter(), time.process_time()
    at.file_uploader(key=UPLOADERS[case.command]).set_value(
        (case.name, content, "application/octet-stream")
    ).run()
    assert time.process_time() - cpu_started < FAST_SECONDS
    assert time.perf_counter() - started < HANG_SECONDS
    assert not at.exception, at.exception
    expected = plain(case.message.replace("{path}", case.name))
    assert len(at.error) == 1
    assert at.error[0].value.startswith(expected), at.error[0].value
