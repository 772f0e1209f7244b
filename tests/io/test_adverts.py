"""Reading adverts from txt/md, docx and pdf, and refusing bad files with clear messages."""

import io
import re
import zipfile

import docx
import pypdf
import pytest

from bias_audit.errors import InputDataError
from bias_audit.io import adverts, source
from bias_audit.io.adverts import read_advert

WORDS = adverts.ADVERT_FILE.words()
NOT_TEXT = source.MSG_NOT_TEXT


def text_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a real text layer (Helvetica, one line per entry)."""
    content = "BT /F1 12 Tf 72 720 Td " + " ".join(f"({s}) Tj 0 -16 Td" for s in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return out


def docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, part: str, transform) -> bytes:
    """Rewrite one part of a zip archive (used to plant an XML bomb in a real docx)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info.filename, transform(body) if info.filename == part else body)
    return out.getvalue()


# ------------------------------------------------------------------------------- text files


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Band 3 – £24,071\n".encode(), "Band 3 – £24,071\n"),
        ("\ufeffBand 3 – café\r\n".encode(), "Band 3 – café\n"),
        ("Band 3 – café\r\n".encode("utf-16"), "Band 3 – café\n"),
        ("Band 3 – café £\r".encode("cp1252"), "Band 3 – café £\n"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "windows-1252"],
)
def test_text_encodings_are_decoded(data, expected):
    assert read_advert(data, name="advert.txt") == expected


def test_text_and_markdown_files_are_read_from_disk(tmp_path):
    path = tmp_path / "advert.md"
    path.write_text("# Healthcare Support Worker\n\n- Band 2\n", encoding="utf-8")
    assert read_advert(path) == "# Healthcare Support Worker\n\n- Band 2\n"
    assert read_advert(str(path)) == read_advert(path)


def test_bytes_without_a_name_are_pasted_text():
    assert read_advert(b"Pasted advert") == "Pasted advert"


@pytest.mark.parametrize(
    ("name", "data", "message", "fields"),
    [
        ("empty.txt", b"", source.MSG_EMPTY, {}),
        ("blank.txt", b" \n\t\n", source.MSG_EMPTY, {}),
        ("junk.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", NOT_TEXT, {"found": "a PNG image"}),
        ("noise.txt", bytes(range(1, 9)) * 40, NOT_TEXT, {"found": "binary data"}),
        ("advert.doc", b"\xd0\xcf\x11\xe0 legacy", adverts.MSG_DOC_LEGACY, {}),
        (
            "not-a-zip.docx",
            b"Just some text named docx",
            source.MSG_MISLABELLED,
            {"suffix": ".docx", "expected": "a Word document", "why": "it is not a zip archive"},
        ),
        (
            "not-a-pdf.pdf",
            b"plain text named pdf",
            source.MSG_MISLABELLED,
            {"suffix": ".pdf", "expected": "a PDF document", "why": "no PDF header"},
        ),
    ],
)
def test_unusable_bytes_get_a_named_message(name, data, message, fields):
    with pytest.raises(InputDataError) as caught:
        read_advert(data, name=name)
    assert str(caught.value) == message.format(file=name, **WORDS, **fields)


def test_unsupported_suffix_names_the_type():
    with pytest.raises(InputDataError) as caught:
        read_advert(b"{\\rtf1 advert}", name="advert.rtf")
    assert str(caught.value) == adverts.MSG_UNSUPPORTED.format(file="advert.rtf", suffix=".rtf")


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(adverts.MAX_BYTES + 1)  # sparse: no 10 MB written
    with pytest.raises(InputDataError) as caught:
        read_advert(path)
    assert str(caught.value) == (
        f"{path}: the file is 10 MB, over the 10 MB limit for an advert. Save just the advert "
        "or person specification as a smaller file, or paste the text."
    )


def test_oversized_bytes_are_refused():
    with pytest.raises(InputDataError, match="over the 10 MB limit"):
        read_advert(b"a" * (adverts.MAX_BYTES + 1), name="big.txt")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.txt", source.MSG_NOT_FOUND),
        (lambda p: p, source.MSG_NOT_A_FILE),
    ],
    ids=["missing", "folder"],
)
def test_missing_paths_and_folders(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputDataError) as caught:
        read_advert(path)
    assert str(caught.value) == message.format(file=str(path), what="an advert")


# ------------------------------------------------------------------------------------- docx


def test_docx_paragraphs_and_tables_keep_document_order():
    def build(document):
        document.add_paragraph("Healthcare Support Worker, Band 3")
        table = document.add_table(rows=3, cols=3)
        for cell, value in zip(
            table.rows[0].cells, ["Criteria", "Essential", "Desirable"], strict=True
        ):
            cell.text = value
        for cell, value in zip(
            table.rows[1].cells,
            ["Qualifications", "GCSE English or equivalent", "NVQ Level 3"],
            strict=True,
        ):
            cell.text = value
        table.rows[2].cells[0].text = "Experience"
        table.rows[2].cells[2].text = "Care experience, paid or unpaid"
        document.add_paragraph("How to apply: online.")

    text = read_advert(docx_bytes(build), name="spec.docx")
    assert text == (
        "Healthcare Support Worker, Band 3\n"
        "Qualifications\nEssential:\nGCSE English or equivalent\nDesirable:\nNVQ Level 3\n"
        "Experience\nDesirable:\nCare experience, paid or unpaid\n\n"
        "How to apply: online.\n"
    )


def test_docx_marker_column_tables_become_labelled_lines():
    def build(document):
        table = document.add_table(rows=3, cols=2)
        rows = [("Criterion", "E/D"), ("Full driving licence", "E"), ("NVQ 2", "D")]
        for row, values in zip(table.rows, rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value

    text = read_advert(docx_bytes(build), name="spec.docx")
    assert text == "Essential: Full driving licence\nDesirable: NVQ 2\n"


def test_docx_table_nested_in_a_cell_is_kept():
    def build(document):
        outer = document.add_table(rows=1, cols=1)
        cell = outer.rows[0].cells[0]
        cell.paragraphs[0].text = "Qualifications"
        inner = cell.add_table(rows=1, cols=2)
        inner.rows[0].cells[0].text = "GCSE maths"
        inner.rows[0].cells[1].text = "or equivalent"

    text = read_advert(docx_bytes(build), name="nested.docx")
    assert text == "Qualifications\nGCSE maths | or equivalent\n"


def test_docx_with_a_doctype_is_refused_as_an_xml_bomb():
    real = docx_bytes(lambda d: d.add_paragraph("Band 2"))
    bomb = replace_part(
        real,
        "word/document.xml",
        lambda body: body.replace(
            b"?>", b'?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>', 1
        ),
    )
    with pytest.raises(InputDataError) as caught:
        read_advert(bomb, name="bomb.docx")
    assert str(caught.value) == source.MSG_XML_DTD.format(
        file="bomb.docx", why="word/document.xml", application="Word"
    )


def test_docx_that_expands_hugely_is_refused_as_a_zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (5 * 1024 * 1024))
    with pytest.raises(InputDataError) as caught:
        read_advert(out.getvalue(), name="zipbomb.docx")
    # The ratio depends on zlib's output size: any ratio over the 200:1 limit.
    expected = re.escape(
        source.MSG_ZIP_BOMB.format(file="zipbomb.docx", why="RATIO", application="Word")
    ).replace("RATIO", r"compression ratio [\d,]+:1")
    assert re.fullmatch(expected, str(caught.value))


def test_zip_that_is_not_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not word")
    with pytest.raises(InputDataError, match=r"^other\.docx: the Word file is damaged"):
        read_advert(out.getvalue(), name="other.docx")


# -------------------------------------------------------------------------------------- pdf


def test_pdf_text_layer_is_read():
    data = text_pdf(["Band 3 Healthcare Support Worker", "A degree is essential."])
    assert read_advert(data, name="advert.pdf") == (
        "Band 3 Healthcare Support Worker\nA degree is essential.\n"
    )


def scanned_pdf() -> pypdf.PdfWriter:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)  # an image-only scan has no text layer either
    return writer


def encrypted_pdf() -> pypdf.PdfWriter:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf(["Secret advert"])))
    writer.encrypt(user_password="secret", owner_password="owner")
    return writer


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (scanned_pdf, "scan.pdf", adverts.MSG_PDF_SCANNED),
        (encrypted_pdf, "locked.pdf", adverts.MSG_PDF_ENCRYPTED),
    ],
)
def test_scanned_and_encrypted_pdfs_get_a_clear_message(make, name, message):
    buffer = io.BytesIO()
    make().write(buffer)
    with pytest.raises(InputDataError) as caught:
        read_advert(buffer.getvalue(), name=name)
    assert str(caught.value) == message.format(file=name)


def test_truncated_pdf_is_refused_without_a_traceback():
    data = text_pdf(["Band 3"])[:40]
    with pytest.raises(InputDataError, match=r"^cut\.pdf: "):
        read_advert(data, name="cut.pdf")
