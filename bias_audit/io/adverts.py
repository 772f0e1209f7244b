"""Read a job advert, job description or person specification into plain text.

Supported: plain text and Markdown (UTF-8, UTF-16 with a byte-order mark, Windows-1252),
Word ``.docx`` (paragraphs and tables in document order) and PDF (the text layer). Anything
else, or a file that cannot be used, raises :class:`~bias_audit.errors.InputDataError` with a
message that names the file and says how to fix it. Opening the file (missing, a folder, too
large, empty) and the refusals shared with the extract reader (not text, undecodable,
encrypted or old-format Office, mislabelled, zip or XML bomb) are worded once, in
:mod:`bias_audit.io.source`; :data:`ADVERT_FILE` gives them an advert's words.

Word files are zip archives of XML. Before python-docx sees one, :mod:`bias_audit.io.safety`
checks the archive's size, entry count and compression ratio (a "zip bomb") and refuses
``DOCTYPE``/``ENTITY`` declarations in its XML parts ("billion laughs" XML bombs); an
encrypted or old-format Office file is named as such.

A file is read by what it holds, not only by its name: a PDF or Word document saved with a
``.txt`` name (or piped to standard input) is read as a PDF or Word document and a note says
so (:func:`read_advert_file`); an old-format Office file or another zip archive under a text
name is refused with the reason. A file of only blank space is empty; one with no words at
all (a byte-order mark, zero-width or no-break spaces, punctuation) is refused too: it would
be "checked" and pass.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bias_audit.errors import InputDataError
from bias_audit.io import safety
from bias_audit.io.source import (
    MSG_BAD_ENCODING,
    MSG_MISLABELLED,
    MSG_NOT_TEXT,
    MSG_OLE2,
    NOTE_MISLABELLED,
    FileKind,
    archive_refusal,
    not_text,
    open_source,
)

MAX_BYTES = 10 * 1024 * 1024
"""Largest advert file accepted (10 MB): a long job description is well under 1 MB."""

MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_COMPRESSION_RATIO = 200
DOCX_LIMITS = safety.ZipLimits(
    MAX_ZIP_ENTRIES, MAX_UNZIPPED_BYTES, MAX_COMPRESSION_RATIO, ratio_floor=1024 * 1024
)

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ""})

ADVERT_FILE = FileKind(
    what="an advert",
    application="Word",
    old_format=".doc (Word 97–2003)",
    save_as=".docx, .txt or .pdf",
    smaller="Save just the advert or person specification as a smaller file, or paste the text",
    unnamed="pasted text",
    max_bytes=MAX_BYTES,
)
"""How messages shared with the extract reader (:mod:`bias_audit.io.source`) speak of adverts."""

MSG_NO_TEXT = (
    "{file}: the file holds no words (only spaces, blank lines, punctuation or invisible "
    "characters such as a byte-order mark, zero-width or no-break spaces). Check that you "
    "chose the file with the advert text, or paste the text instead."
)
MSG_UNSUPPORTED = (
    "{file}: unsupported file type '{suffix}'. Use a .txt, .md, .docx or .pdf file, or paste "
    "the text instead."
)
MSG_DOC_LEGACY = (
    "{file}: old-style Word .doc files are not supported. Open it in Word and save it as "
    ".docx, or save it as .txt or .pdf."
)
MSG_DOCX_BROKEN = (
    "{file}: the Word file is damaged or not a Word document ({reason}). Open it in Word and "
    "save it again as .docx."
)
MSG_PDF_BROKEN = (
    "{file}: the PDF file is damaged or not a PDF ({reason}). Export the advert to PDF again, "
    "or save it as .txt or .docx."
)
MSG_PDF_ENCRYPTED = (
    "{file}: the PDF is password-protected. Remove the password (or export an unprotected copy) "
    "and try again."
)
MSG_PDF_SCANNED = (
    "{file}: the PDF has no text layer (it looks like a scanned image), so there is nothing to "
    "check. Use the original Word or text file, or run the PDF through text recognition (OCR) "
    "first."
)


_WORD_CHARACTER = re.compile(r"[^\W_]")
"""A letter or digit in any script: a text with none has no words to check."""

KIND_PDF = "PDF"
KIND_WORD = "Word"
# Each document kind a text-named file may hold: how messages call it, its proper suffix.
_DOCUMENTS = {KIND_PDF: ("a PDF document", ".pdf"), KIND_WORD: ("a Word document", ".docx")}
ZIP_FOUND = "a zip archive (such as a spreadsheet)"


def _refusal(message: str, name: str, **fields: object) -> InputDataError:
    """A shared message (:mod:`bias_audit.io.source`) in an advert's words."""
    return InputDataError(message.format(**{**ADVERT_FILE.words(), **fields, "file": name}))


@dataclass(frozen=True, slots=True)
class AdvertFile:
    """An advert's text and any notes about how it was read (for the user to see)."""

    text: str
    notes: tuple[str, ...] = ()


def sniff_document(data: bytes) -> str | None:
    """What a file holds when its bytes say it is a document, whatever its name.

    Returns :data:`KIND_PDF` for ``%PDF`` (after leading white space), :data:`KIND_WORD` for
    a zip archive with a ``word/document.xml`` part, ``"ole2"`` for an old-format or
    encrypted Office file, ``"zip"`` for any other zip archive, and ``None`` otherwise.

    >>> sniff_document(b"%PDF-1.7 ..."), sniff_document(b"Band 3 HCSW")
    ('PDF', None)
    """
    if data.lstrip()[:5].startswith(b"%PDF"):
        return KIND_PDF
    if safety.is_ole2(data):
        return "ole2"
    if data.startswith(b"PK\x03\x04"):
        try:  # reads the central directory only; nothing is decompressed here
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        return KIND_WORD if "word/document.xml" in names else "zip"
    return None


def content_note(data: bytes, name: str) -> str | None:
    """The note :func:`read_advert_file` gives for a PDF or Word file under a text name.

    >>> print(content_note(b"%PDF-1.7", "advert.txt"))
    advert.txt: the file holds a PDF document, although its name does not end in .pdf; it \
was read as one. Rename it to end in .pdf to avoid this note.
    >>> content_note(b"%PDF-1.7", "advert.pdf") is None
    True
    """
    if Path(name).suffix.lower() not in TEXT_SUFFIXES:
        return None
    kind = sniff_document(data)
    if kind not in _DOCUMENTS:
        return None
    found, proper = _DOCUMENTS[kind]
    return NOTE_MISLABELLED.format(file=name, found=found, proper=proper)


def read_advert(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> str:
    """Read an advert file (or its bytes) into plain text.

    The same as :func:`read_advert_file` without the notes.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A path to a ``.txt``, ``.md``, ``.docx`` or ``.pdf`` file, or the file's bytes (for
        uploads and standard input).
    name : str, optional
        The name shown in messages and used to pick the format for ``bytes``; defaults to the
        path. Bytes without a name are read as text, unless they hold a PDF or Word file.

    Returns
    -------
    str
        The text, with Windows line endings normalised to ``\\n``. Word tables are written
        one row per line; see :func:`docx_text`.

    Raises
    ------
    InputDataError
        The file is missing, empty, has no words, is too large, binary junk, a damaged,
        encrypted or scanned PDF, an unsafe Word file, or of an unsupported type.

    Examples
    --------
    >>> read_advert(b"Band 3 Healthcare Support Worker\\r\\n", name="advert.txt")
    'Band 3 Healthcare Support Worker\\n'
    """
    return read_advert_file(source, name=name).text


def read_advert_file(
    source: str | os.PathLike[str] | bytes, *, name: str | None = None
) -> AdvertFile:
    """Read an advert file (or its bytes) into plain text, with notes on how it was read.

    Parameters and errors are those of :func:`read_advert`. The file is opened and checked
    (missing, a folder, too large, empty) by :func:`bias_audit.io.source.open_source`. A
    text-named file (or bytes without a name) whose content is a PDF or a Word document is
    read as one, with a note (:data:`~bias_audit.io.source.NOTE_MISLABELLED`); one holding an
    old-format or encrypted Office file or another zip archive is refused. A text with no
    letters or digits is refused (:data:`MSG_NO_TEXT`).

    >>> read_advert_file(b"Band 3 HCSW\\n", name="advert.txt")
    AdvertFile(text='Band 3 HCSW\\n', notes=())
    """
    pasted = isinstance(source, bytes | bytearray) and name is None
    if name is None and not isinstance(source, bytes | bytearray):
        name = os.fspath(source)  # messages name the path as given
    src = open_source(source, kind=ADVERT_FILE, name=name)
    data, label, suffix = src.read(), src.name, src.suffix
    notes: tuple[str, ...] = ()
    if suffix in TEXT_SUFFIXES or pasted:
        kind = sniff_document(data)
        if kind == "ole2":
            raise src.refusal(MSG_OLE2)
        if kind == "zip":
            raise src.refusal(MSG_NOT_TEXT, found=ZIP_FOUND)
        if kind is not None:
            found, suffix = _DOCUMENTS[kind]
            notes = (NOTE_MISLABELLED.format(file=label, found=found, proper=suffix),)
    if suffix == ".docx":
        text = docx_text(data, name=label)
    elif suffix == ".pdf":
        text = pdf_text(data, name=label)
    elif suffix == ".doc":
        raise InputDataError(MSG_DOC_LEGACY.format(file=label))
    elif suffix in TEXT_SUFFIXES or pasted:
        text = decode_text(data, name=label)
    else:
        raise InputDataError(MSG_UNSUPPORTED.format(file=label, suffix=suffix))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _WORD_CHARACTER.search(text) is None:
        raise InputDataError(MSG_NO_TEXT.format(file=label))
    return AdvertFile(text, notes)


def decode_text(data: bytes, *, name: str) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, Windows-1252, Latin-1.

    Raises :class:`InputDataError` when the bytes are binary rather than text.

    >>> decode_text("Café – £24,071".encode("cp1252"), name="a.txt")
    'Café – £24,071'
    """
    found = not_text(data)
    if found is not None:
        raise _refusal(MSG_NOT_TEXT, name, found=found)
    try:
        text, _ = safety.decode_bytes(data)
    except UnicodeDecodeError as err:
        raise _refusal(MSG_BAD_ENCODING, name, why=f"{err.encoding}: {err.reason}") from None
    if not safety.looks_like_text(text):  # UTF-16 that decodes to control characters
        raise _refusal(MSG_NOT_TEXT, name, found="binary data")
    return safety.blank_controls(text)


def _check_docx_archive(data: bytes, name: str) -> None:
    if safety.is_ole2(data):
        raise _refusal(MSG_OLE2, name)
    try:
        safety.check_zip(io.BytesIO(data), limits=DOCX_LIMITS)
    except safety.UnsafeFile as refusal:
        if refusal.problem == "not_zip":
            raise _refusal(
                MSG_MISLABELLED,
                name,
                suffix=Path(name).suffix.lower() or "''",
                expected="a Word document",
                why="it is not a zip archive",
            ) from None
        shared = archive_refusal(refusal, file=name, kind=ADVERT_FILE)
        if shared is not None:
            raise shared from None
        raise InputDataError(MSG_DOCX_BROKEN.format(file=name, reason=refusal.why)) from None


def docx_text(data: bytes, *, name: str) -> str:
    """The text of a Word document: paragraphs and tables in document order.

    A table whose header row names an ``Essential`` or ``Desirable`` column is written row by
    row as the row's label, then ``Essential: …`` / ``Desirable: …`` lines, so the
    requirements analyser can tell the two apart; a table with an ``E``/``D`` marker column
    becomes ``Essential: <criterion>`` lines. Other tables are written one row per line with
    cells joined by `` | ``.
    """
    _check_docx_archive(data, name)
    import docx  # python-docx; lazy so that reading text files stays light
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
                lines.append("")
            else:
                lines.append(block.text)
    except InputDataError:
        raise
    except Exception as err:  # python-docx raises many types for damaged parts
        raise InputDataError(MSG_DOCX_BROKEN.format(file=name, reason=type(err).__name__)) from None
    return "\n".join(lines).strip("\n") + "\n"


_ED_HEADER = re.compile(r"^\s*(essential|desirable)\b", re.IGNORECASE)
_ED_MARKER_HEADER = re.compile(r"^\s*(e\s*/\s*d|essential\s*/\s*desirable)\s*$", re.IGNORECASE)
_ED_VALUE = {"e": "Essential", "essential": "Essential", "d": "Desirable", "desirable": "Desirable"}


def _cell_text(cell) -> str:
    """A cell's paragraphs, one per line; a table nested in the cell becomes its rows."""
    from docx.table import Table

    lines: list[str] = []
    for block in cell.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    return "\n".join(lines).strip()


def _unique_cells(row) -> list:
    # Merged cells repeat the same underlying cell; keep each once, in order.
    seen: list = []
    for cell in row.cells:
        if all(cell._tc is not other._tc for other in seen):
            seen.append(cell)
    return seen


def _table_lines(table) -> list[str]:
    rows = [_unique_cells(row) for row in table.rows]
    if not rows:
        return []
    header = [_cell_text(cell) for cell in rows[0]]
    lines: list[str] = []
    ed_columns = {i: h for i, h in enumerate(header) if _ED_HEADER.match(h)}
    marker_column = next((i for i, h in enumerate(header) if _ED_MARKER_HEADER.match(h)), None)
    if ed_columns:
        for cells in rows[1:]:
            for i, cell in enumerate(cells):
                text = _cell_text(cell)
                if not text:
                    continue
                if i in ed_columns:
                    label = _ED_HEADER.match(ed_columns[i]).group(1).capitalize()
                    lines.append(f"{label}:")
                    lines.extend(text.split("\n"))
                else:
                    lines.append(text)
        return lines
    if marker_column is not None:
        for cells in rows[1:]:
            texts = [_cell_text(cell) for cell in cells]
            marker = texts[marker_column].strip().lower() if marker_column < len(texts) else ""
            rest = " | ".join(t for i, t in enumerate(texts) if i != marker_column and t)
            label = _ED_VALUE.get(marker)
            lines.append(f"{label}: {rest}" if label is not None else rest)
        return lines
    return [" | ".join(t for t in (_cell_text(c) for c in cells) if t) for cells in rows]


def pdf_text(data: bytes, *, name: str) -> str:
    """The text layer of a PDF, page by page; refuses encrypted and scanned (image-only) PDFs."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise _refusal(
            MSG_MISLABELLED,
            name,
            suffix=Path(name).suffix.lower() or "''",
            expected="a PDF document",
            why="no PDF header",
        )
    import logging

    import pypdf

    # pypdf logs recoverable damage as warnings; the user sees our message instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputDataError(MSG_PDF_ENCRYPTED.format(file=name))
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputDataError:
        raise
    except pypdf.errors.FileNotDecryptedError:
        raise InputDataError(MSG_PDF_ENCRYPTED.format(file=name)) from None
    except Exception as err:  # pypdf raises many types for damaged files
        raise InputDataError(MSG_PDF_BROKEN.format(file=name, reason=type(err).__name__)) from None
    text = "\n\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise InputDataError(MSG_PDF_SCANNED.format(file=name))
    return text + "\n"
