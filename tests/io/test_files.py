"""Extract sniffing and safety: junk, workbooks, zip bombs, encodings, header rows.

Opening the file (missing, folder, size, empty) is shared with the advert reader and tested
in ``test_source.py``; here it is opened as a recruitment extract.
"""

import io
import struct
import zipfile

import openpyxl
import pytest

from bias_audit.errors import InputDataError
from bias_audit.io import source
from bias_audit.io.files import (
    EXTRACT_FILE,
    NOTE_SHEETS_SKIPPED,
    NOTE_WORKBOOK,
    ZIP_MAX_RATIO,
    describe_reading,
    find_header_row,
    open_table,
    sniff,
    unique_headers,
)
from bias_audit.io.source import (
    MSG_MISLABELLED,
    MSG_NOT_TEXT,
    MSG_OLE2,
    MSG_ZIP_BOMB,
    NOTE_MISLABELLED,
)

WORDS = EXTRACT_FILE.words()


def open_source(data, **kwargs):
    return source.open_source(data, kind=EXTRACT_FILE, **kwargs)


TEXT = "Ethnic Origin,Application Status\nA White – British,Appointed\nN,Withdrawn\n"


def workbook_bytes(rows, *, title="Sheet1"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sniffed(data, name="x.csv", **kwargs):
    return sniff(open_source(data, name=name), **kwargs)


@pytest.mark.parametrize(
    ("encoded", "encoding", "bom"),
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (TEXT.encode("utf-8-sig"), "utf-8", True),
        (TEXT.encode("cp1252"), "cp1252", False),  # en dash is byte 0x96
        (TEXT.encode("cp1252") + "Cafe\x81\n".encode("latin-1"), "latin-1", False),
        (TEXT.encode("utf-16"), "utf-16", True),
    ],
)
def test_encoding_detected(encoded, encoding, bom):
    result = sniffed(encoded)
    assert (result.kind, result.encoding, result.bom) == ("csv", encoding, bom)


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_separator_sniffed(separator):
    text = TEXT.replace(",", separator)
    src = open_source(text.encode(), name="x.csv")
    table = open_table(src, sniff(src))
    assert table.sniffed.separator == separator
    assert table.headers == ["Ethnic Origin", "Application Status"]


def test_comma_inside_quotes_does_not_fool_the_sniffer():
    text = 'Ethnic Origin;Status\n"White: English, Welsh, Scottish";Appointed\nN;Withdrawn\n'
    src = open_source(text.encode(), name="x.csv")
    assert open_table(src, sniff(src)).sniffed.separator == ";"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (bytes(range(256)) * 8, "binary data"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "a PNG image"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 20, "a gzip archive"),
    ],
)
def test_binary_named_csv(data, kind):
    with pytest.raises(InputDataError) as err:
        sniffed(data, name="extract.csv")
    assert str(err.value) == MSG_NOT_TEXT.format(file="extract.csv", found=kind, **WORDS)


def test_text_named_xlsx_is_not_a_workbook():
    with pytest.raises(InputDataError) as err:
        sniffed(TEXT.encode(), name="extract.xlsx")
    assert str(err.value) == MSG_MISLABELLED.format(
        file="extract.xlsx",
        suffix=".xlsx",
        expected="an Excel workbook",
        why="it is plain text",
        **WORDS,
    )


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(InputDataError, match=r"extract\.xlsx: .*not an Excel workbook"):
        sniffed(buffer.getvalue(), name="extract.xlsx")


def test_encrypted_or_legacy_workbook():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    with pytest.raises(InputDataError) as err:
        sniffed(data, name="locked.xlsx")
    assert str(err.value) == MSG_OLE2.format(file="locked.xlsx", **WORDS)
    assert "password-protected" in str(err.value)


def declare_size(data: bytes, size: int) -> bytes:
    """Rewrite every central-directory entry's declared uncompressed size."""
    out = bytearray(data)
    start = 0
    while (at := out.find(b"PK\x01\x02", start)) >= 0:
        out[at + 24 : at + 28] = struct.pack("<I", size)
        start = at + 4
    return bytes(out)


def test_zip_bomb_by_declared_size():
    bomb = declare_size(workbook_bytes([["Ethnicity", "Outcome"], ["A", "Appointed"]]), 2**32 - 1)
    with pytest.raises(InputDataError) as err:
        sniffed(bomb, name="bomb.xlsx", max_bytes=10 * 2**20)
    assert str(err.value) == MSG_ZIP_BOMB.format(
        file="bomb.xlsx", why="over 80 MB expanded", application="Excel"
    )


def test_zip_bomb_by_compression_ratio():
    small = workbook_bytes([["Ethnicity", "Outcome"], ["A", "Appointed"]])
    bomb = declare_size(small, 200 * 2**20)  # every part claims 200 MB
    with pytest.raises(InputDataError, match="compression ratio") as err:
        sniffed(bomb, name="bomb.xlsx")
    ratio = int(str(err.value).split("compression ratio ")[1].split(":")[0].replace(",", ""))
    assert ratio > ZIP_MAX_RATIO


def test_workbook_named_csv_is_read_as_workbook():
    data = workbook_bytes([["Ethnicity", "Outcome"], ["A", "Appointed"]])
    result = sniffed(data, name="export.csv")
    assert result.kind == "xlsx"
    assert result.notes == [
        NOTE_MISLABELLED.format(file="export.csv", found="an Excel workbook", proper=".xlsx")
    ]


def test_header_found_under_title_lines_in_csv():
    text = "Recruitment report\nTrust: Example NHS FT,,\n\n" + TEXT
    src = open_source(text.encode(), name="x.csv")
    table = open_table(src, sniff(src))
    assert table.header_row == 3
    assert table.headers == ["Ethnic Origin", "Application Status"]


def test_header_found_under_title_lines_in_workbook():
    data = workbook_bytes(
        [
            ["Equal opportunities report"],
            ["Run on 01/04/2025"],
            [None],
            ["Ethnicity", "Outcome"],
            ["A", "Appointed"],
        ]
    )
    src = open_source(data, name="x.xlsx")
    table = open_table(src, sniff(src))
    assert (table.header_row, table.headers) == (3, ["Ethnicity", "Outcome"])


def test_find_header_row_prefers_recognised_headers():
    rows = [["Report", "2025"], ["Ethnic Group", "Sex", "Outcome"], ["A", "F", "Appointed"]]
    assert find_header_row(rows, file="x") == 1
    assert find_header_row([["a", "b"], ["c", "d"]], file="x") == 0
    title = [["Ethnicity monitoring report", ""], ["Ethnic Origin", "Notes"], ["A", "x"]]
    assert find_header_row(title, file="x") == 1


def test_unique_headers_like_pandas():
    assert unique_headers(["Stage", "", "Stage", None, "Stage"]) == [
        "Stage",
        "Unnamed: 1",
        "Stage.1",
        "Unnamed: 3",
        "Stage.2",
    ]


def test_bare_carriage_return_line_ends():
    src = open_source(TEXT.replace("\n", "\r").encode(), name="mac.csv")
    table = open_table(src, sniff(src))
    assert table.headers == ["Ethnic Origin", "Application Status"]


def test_cover_sheet_is_skipped_with_a_note():
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.active.append(["Recruitment monitoring report"])
    data = book.create_sheet("Data")
    data.append(["Ethnicity", "Outcome"])
    data.append(["A", "Appointed"])
    buffer = io.BytesIO()
    book.save(buffer)
    src = open_source(buffer.getvalue(), name="book.xlsx")
    table = open_table(src, sniff(src))
    assert (table.sheet_name, table.sheets_skipped) == ("Data", ("Cover",))
    assert describe_reading(src, table)[0] == NOTE_WORKBOOK.format(
        sheet="Data", extra=NOTE_SHEETS_SKIPPED.format(rows="applications", skipped='"Cover"')
    )


def test_file_objects_are_read_with_their_name(tmp_path):
    path = tmp_path / "upload.csv"
    path.write_bytes(TEXT.encode())
    with open(path, "rb") as handle:
        src = open_source(handle)
    assert (src.name, src.data, src.path) == ("upload.csv", TEXT.encode(), None)
    assert open_source(io.BytesIO(TEXT.encode())).name == "uploaded file"
    assert open_source(io.BytesIO(TEXT.encode()), name="mine.csv").name == "mine.csv"


def test_file_object_over_the_limit():
    with pytest.raises(InputDataError, match=r"big\.csv: the file is"):
        open_source(io.BytesIO(b"x" * 2000), name="big.csv", max_bytes=1000)


def ods_bytes(rows):
    """A minimal OpenDocument spreadsheet, built by hand (no ODS writer is installed)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{cell}</text:p>'
            "</table:table-cell>"
            for cell in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
        '<office:body><office:spreadsheet><table:table table:name="Applications">'
        f"{body}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            "<manifest:manifest "
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return buffer.getvalue()


def test_ods_workbook_is_read():
    data = ods_bytes([["Report"], ["Ethnicity", "Outcome"], ["A", "Appointed"]])
    src = open_source(data, name="export.ods")
    table = open_table(src, sniff(src))
    assert (table.sheet_name, table.header_row, table.headers) == (
        "Applications",
        1,
        ["Ethnicity", "Outcome"],
    )


def test_opendocument_text_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(InputDataError, match=r"letter\.ods: .*not an Excel workbook"):
        sniffed(buffer.getvalue(), name="letter.ods")
