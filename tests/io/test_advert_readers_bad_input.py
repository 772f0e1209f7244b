"""Readers refuse files with no words and read documents by their content, not their name.

Issue 8, acceptance 8: a file of spaces, a byte-order mark, zero-width characters or no-break
spaces is refused (CLI exit 2, the file named); a PDF or Word document saved as ``.txt`` is
read as what it is, with a note, and never scored as text.
"""

from __future__ import annotations

import codecs
import json

import pytest
from test_adverts import docx_bytes, text_pdf  # same folder (pytest prepend import mode)

from bias_audit.cli import main
from bias_audit.errors import InputDataError
from bias_audit.io import adverts, source
from bias_audit.io.adverts import read_advert, read_advert_file, sniff_document
from bias_audit.io.source import NOTE_MISLABELLED

ADVERT_LINES = ["Band 3 Healthcare Support Worker", "A degree is essential."]

# Only ASCII blank space is an empty file (source.MSG_EMPTY, tested in test_source.py).
NO_WORDS = [
    pytest.param(codecs.BOM_UTF8, id="utf8-bom-only"),
    pytest.param(codecs.BOM_UTF8 + b" \n", id="utf8-bom-and-space"),
    pytest.param("\ufeff\ufeff".encode("utf-16"), id="utf16-boms"),
    pytest.param("\u200b\u200c\u200d\u2060\n".encode(), id="zero-width"),
    pytest.param("\u00a0\u00a0\n\u202f".encode(), id="utf8-nbsp"),
    pytest.param(b"\xa0\xa0\r\n", id="cp1252-nbsp"),
    pytest.param("\u3000\u2003\n".encode(), id="ideographic-and-em-space"),
    pytest.param(b"- * -\n...\n", id="punctuation"),
]


@pytest.mark.parametrize("data", NO_WORDS)
def test_a_file_with_no_words_is_refused_naming_the_file(data):
    with pytest.raises(InputDataError) as caught:
        read_advert(data, name="blank.txt")
    assert str(caught.value) == adverts.MSG_NO_TEXT.format(file="blank.txt")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("\u200bBand\u00a03\n".encode(), "\u200bBand\u00a03\n"),  # one word is enough
        ("\ufeffé\n".encode(), "é\n"),
        ("٣\n".encode(), "٣\n"),  # a digit in another script
    ],
)
def test_a_single_word_or_digit_is_enough(data, expected):
    assert read_advert(data, name="short.txt") == expected


@pytest.mark.parametrize("data", NO_WORDS)
def test_cli_exits_2_on_a_file_with_no_words(tmp_path, capsys, data):
    path = tmp_path / "blank.txt"
    path.write_bytes(data)
    with pytest.raises(SystemExit) as stopped:
        main(["advert", str(path)])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.err == f"bias-audit: error: {adverts.MSG_NO_TEXT.format(file=path)}\n"
    assert captured.out == ""


def word_document() -> bytes:
    def build(document):
        for line in ADVERT_LINES:
            document.add_paragraph(line)

    return docx_bytes(build)


@pytest.mark.parametrize(
    ("make", "found", "proper"),
    [
        (lambda: text_pdf(ADVERT_LINES), "a PDF document", ".pdf"),
        (lambda: b"\n  " + text_pdf(ADVERT_LINES), "a PDF document", ".pdf"),
        (word_document, "a Word document", ".docx"),
    ],
    ids=["pdf", "pdf-after-blank-lines", "docx"],
)
@pytest.mark.parametrize("name", ["advert.txt", "advert.md", "advert", None])
def test_a_document_named_as_text_is_read_by_its_content_with_a_note(make, found, proper, name):
    read = read_advert_file(make(), name=name)
    assert read.text == "\n".join(ADVERT_LINES) + "\n"
    label = "pasted text" if name is None else name
    assert read.notes == (NOTE_MISLABELLED.format(file=label, found=found, proper=proper),)


def test_a_plain_text_file_gets_no_note():
    assert read_advert_file(b"Band 3 HCSW\n", name="advert.txt").notes == ()


def test_a_damaged_pdf_named_as_text_is_refused_as_a_pdf_not_scored_as_text():
    with pytest.raises(InputDataError) as caught:
        read_advert(text_pdf(ADVERT_LINES)[:60], name="advert.txt")
    assert str(caught.value).startswith("advert.txt: the PDF file is damaged")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (adverts.safety.OLE2_MAGIC + bytes(504), source.MSG_OLE2),
        ("zip", source.MSG_NOT_TEXT),
        (b"PK\x03\x04 broken archive", source.MSG_NOT_TEXT),
    ],
    ids=["ole2-doc", "spreadsheet-zip", "broken-zip"],
)
def test_other_office_files_named_as_text_are_refused_with_the_reason(data, message):
    if data == "zip":
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
        data = buffer.getvalue()
    with pytest.raises(InputDataError) as caught:
        read_advert(data, name="advert.txt")
    assert str(caught.value) == message.format(
        file="advert.txt", found=adverts.ZIP_FOUND, **adverts.ADVERT_FILE.words()
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4\n", "PDF"),
        (b"  \n%PDF-1.7", "PDF"),
        (b"Band 3 %PDF mentioned in passing", None),
        (b"PK is a text that starts like a zip", None),
        (b"", None),
    ],
)
def test_sniff_document(data, kind):
    assert sniff_document(data) == kind


@pytest.mark.parametrize(
    ("make", "found", "proper"),
    [
        (lambda: text_pdf(ADVERT_LINES), "a PDF document", ".pdf"),
        (word_document, "a Word document", ".docx"),
    ],
    ids=["pdf", "docx"],
)
def test_cli_reads_a_mislabelled_document_by_content_and_says_so(
    tmp_path, capsys, make, found, proper
):
    path = tmp_path / "advert.txt"
    path.write_bytes(make())
    main_exit = None
    try:
        main(["advert", str(path), "--format", "json"])
    except SystemExit as stopped:  # typer may exit 0 explicitly
        main_exit = stopped.code
    assert main_exit in (None, 0)
    captured = capsys.readouterr()
    note = NOTE_MISLABELLED.format(file=path, found=found, proper=proper)
    assert captured.err == f"bias-audit: note: {note}\n"
    (report,) = json.loads(captured.out)
    assert report["text"] == "\n".join(ADVERT_LINES) + "\n"
    assert "degree-required" in {f["rule_id"] for f in report["findings"]}
