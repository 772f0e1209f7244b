"""Open a user's file, once for every reader: there, a file, within the limit, not empty.

Both readers — recruitment extracts (:mod:`bias_audit.io.files`) and adverts
(:mod:`bias_audit.io.adverts`) — take a path, the bytes of an upload or an open binary file,
and refuse the same problems with the same words: the file is missing, a folder, too large,
empty, not text, undecodable, password-protected or old-format Office, named as one kind but
holding another, or a zip/XML bomb. Each message names the file and says how to fix it; what
differs between readers (the kind of document, the application to re-save from, the formats
to save as) comes from the reader's :class:`FileKind`.

Nothing is written to disk: bytes stay in memory and paths are read in place.

Examples
--------
>>> kind = FileKind(
...     what="an advert", application="Word", old_format=".doc (Word 97–2003)",
...     save_as=".docx, .txt or .pdf", smaller="Save just the advert as a smaller file",
...     unnamed="pasted text", max_bytes=1024)
>>> src = open_source(b"Band 3 HCSW", kind=kind, name="advert.txt")
>>> src.name, src.size, src.suffix, src.read()
('advert.txt', 11, '.txt', b'Band 3 HCSW')
>>> open_source(b" \\n", kind=kind, name="blank.txt")
Traceback (most recent call last):
...
bias_audit.errors.InputDataError: blank.txt: the file is empty. Check that you chose the \
file that holds an advert, or save it again.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import BinaryIO

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io import safety

MSG_NOT_FOUND = "{file}: file not found. Check the path and try again."
MSG_NOT_A_FILE = "{file}: is a folder, not a file. Give the path of the file that holds {what}."
MSG_UNREADABLE = (
    "{file}: the file could not be opened ({reason}). Check that you may read it, or save a "
    "copy where you can."
)
MSG_EMPTY = (
    "{file}: the file is empty. Check that you chose the file that holds {what}, or save it again."
)
MSG_TOO_BIG = "{file}: the file is {size}, over the {limit} limit for {what}. {fix}."
FIX_TOO_BIG_OPTION = (
    "{smaller}, or, if you trust the file, raise the limit with {option} {suggest} (in "
    "Python: max_bytes=)"
)
MSG_BAD_SIZE = (
    "--max-size {value!r} is not a size; write a number with a unit, e.g. --max-size 500MB "
    "or --max-size 1.5GB."
)
MSG_NOT_TEXT = (
    "{file}: this is not a text file (it looks like {found}). Save it as {save_as} and try again."
)
MSG_BAD_ENCODING = (
    "{file}: the text could not be decoded ({why}). Save it again in UTF-8, or as "
    "{save_as}, and try again."
)
MSG_OLE2 = (
    "{file}: this is a password-protected Office file or an old {old_format} file, which "
    "cannot be read. Remove the password, or open it in {application} and save it as "
    "{save_as}."
)
MSG_MISLABELLED = (
    "{file}: the file is named {suffix} but is not {expected} ({why}). Check that you chose "
    "the right file, or save it again as {save_as}."
)
NOTE_MISLABELLED = (
    "{file}: the file holds {found}, although its name does not end in {proper}; it was read "
    "as one. Rename it to end in {proper} to avoid this note."
)
MSG_ZIP_BOMB = (
    "{file}: refused: the file would expand to an unsafe size or number of parts ({why}), "
    "which no {application} file does (possible zip bomb); it was not opened. Save it again "
    "from {application}."
)
MSG_XML_DTD = (
    "{file}: refused: the file contains XML DOCTYPE/ENTITY declarations ({why}), which "
    "{application} never writes (possible XML bomb). Save it again from {application}."
)

_CHUNK = 16 * 1024 * 1024
TEXT_SAMPLE_BYTES = 8192
# Binary formats people upload by mistake, named by their first bytes.
MAGIC_KINDS = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (safety.ZIP_MAGIC, "a zip archive"),
)


@dataclass(frozen=True)
class FileKind:
    """The kind of file a reader expects, in the words its messages use.

    Attributes
    ----------
    what : str
        The document, with its article: "a recruitment extract", "an advert".
    application : str
        Where such files are made and re-saved: "Excel", "Word".
    old_format : str
        The old binary format of that application: ".xls (Excel 97–2003)".
    save_as : str
        The formats the reader takes, as advice: ".docx, .txt or .pdf".
    smaller : str
        How to make a smaller file: "Export a shorter period or fewer columns".
    unnamed : str
        The name used in messages for bytes without one: "uploaded file".
    max_bytes : int
        The default size limit.
    size_option : str or None
        The command-line option that raises the limit, if the command has one.
    rows : str
        What a table of such a file holds, for messages about sheets and empty tables:
        "applications", "staff".
    """

    what: str
    application: str
    old_format: str
    save_as: str
    smaller: str
    unnamed: str
    max_bytes: int
    size_option: str | None = None
    rows: str = "applications"

    def words(self) -> dict[str, object]:
        """The fields, for ``MSG_….format(file=..., **kind.words())``."""
        return asdict(self)


@dataclass
class Source:
    """The file being read: its display name and either a path or bytes."""

    name: str
    path: str | None
    data: bytes | None
    size: int
    suffix: str
    kind: FileKind

    def head(self, n: int) -> bytes:
        """The first ``n`` bytes."""
        if self.data is not None:
            return self.data[:n]
        with open(self.path, "rb") as handle:  # type: ignore[arg-type]
            return handle.read(n)

    def chunks(self) -> Iterator[bytes]:
        """The whole content in pieces, without holding a path's file in memory at once."""
        if self.data is not None:
            for start in range(0, len(self.data), _CHUNK):
                yield self.data[start : start + _CHUNK]
            return
        with open(self.path, "rb") as handle:  # type: ignore[arg-type]
            while block := handle.read(_CHUNK):
                yield block

    def open(self) -> io.BufferedIOBase:
        """A binary stream over the content (a real file or an in-memory buffer)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        return open(self.path, "rb")  # type: ignore[arg-type]

    def read(self) -> bytes:
        """The whole content (small files only: the size limit has been checked)."""
        if self.data is not None:
            return self.data
        try:
            with open(self.path, "rb") as handle:  # type: ignore[arg-type]
                return handle.read()
        except OSError as err:
            raise InputDataError(
                MSG_UNREADABLE.format(file=self.name, reason=err.strerror or err)
            ) from None

    def refusal(self, message: str, **fields: object) -> InputDataError:
        """An :class:`InputDataError` with ``message`` filled in for this file and kind."""
        return InputDataError(message.format(**{**self.kind.words(), **fields, "file": self.name}))


def open_source(
    source: str | os.PathLike[str] | bytes | BinaryIO,
    *,
    kind: FileKind,
    name: str | None = None,
    max_bytes: int | None = None,
) -> Source:
    """Check a path, bytes or binary file object is there, a file, within the limit, not empty.

    A file object (an upload) is read into memory, at most ``max_bytes + 1`` bytes of it. A
    file of only blank space (spaces, tabs, line ends) is empty. ``max_bytes`` defaults to
    ``kind.max_bytes``. Messages name a missing path as given; afterwards the file is called
    ``name``, else the path's base name, else ``kind.unnamed``.
    """
    limit = kind.max_bytes if max_bytes is None else max_bytes
    if hasattr(source, "read"):  # an open binary file or an upload object
        own_name = os.path.basename(str(getattr(source, "name", "") or ""))
        name = name if name is not None else (own_name or None)
        source = source.read(limit + 1)
        if isinstance(source, str):
            source = source.encode("utf-8")
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        display = name if name is not None else kind.unnamed
        path = None
        size = len(data)
    else:
        path = os.fspath(source)
        given = name if name is not None else path
        display = name if name is not None else os.path.basename(path)
        data = None
        try:
            size = os.stat(path).st_size
        except FileNotFoundError:
            raise InputDataError(MSG_NOT_FOUND.format(file=given)) from None
        except OSError as err:
            raise InputDataError(
                MSG_UNREADABLE.format(file=given, reason=err.strerror or err)
            ) from None
        if os.path.isdir(path):
            raise InputDataError(MSG_NOT_A_FILE.format(file=given, what=kind.what))
    if size > limit:
        raise InputDataError(too_big_message(display, size, limit, kind=kind))
    result = Source(display, path, data, size, os.path.splitext(display)[1].lower(), kind)
    if size == 0 or (
        not result.head(4096).strip()
        and (size <= 4096 or not any(block.strip() for block in result.chunks()))
    ):
        raise InputDataError(MSG_EMPTY.format(file=display, what=kind.what))
    return result


def not_text(sample: bytes) -> str | None:
    """What binary bytes look like ("a PNG image", "binary data"), or None for text.

    Text with a UTF-16 byte-order mark is text, although half its bytes are NUL.

    >>> not_text(b"%PDF-1.7"), not_text(bytes(range(1, 9)) * 4), not_text(b"Band 3")
    ('a PDF document', 'binary data', None)
    """
    for magic, found in MAGIC_KINDS:
        if sample.startswith(magic):
            return found
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    return None if safety.looks_like_text(sample) else "binary data"


def archive_refusal(
    refusal: safety.UnsafeFile, *, file: str, kind: FileKind
) -> InputDataError | None:
    """The shared refusal of a zip or XML bomb; None for other archive problems, which
    each reader words for its own format (a damaged workbook, a damaged Word file)."""
    if refusal.problem == "bomb":
        message = MSG_ZIP_BOMB
    elif refusal.problem == "xml_dtd":
        message = MSG_XML_DTD
    else:
        return None
    return InputDataError(message.format(**{**kind.words(), "file": file, "why": refusal.why}))


_SIZE_UNITS = {"": 1, "b": 1, "kb": 2**10, "k": 2**10, "mb": 2**20, "m": 2**20}
_SIZE_UNITS |= {"gb": 2**30, "g": 2**30, "kib": 2**10, "mib": 2**20, "gib": 2**30}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")


def parse_size(value: str) -> int:
    """Bytes from a human size ("500MB", "1.5 GB", "800k", "1048576"); binary units.

    >>> parse_size("500MB"), parse_size("1.5GB"), parse_size("2048")
    (524288000, 1610612736, 2048)
    """
    match = _SIZE.match(str(value).lower())
    if match is None or match.group(2) not in _SIZE_UNITS or float(match.group(1)) <= 0:
        raise OptionError(MSG_BAD_SIZE.format(value=value))
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2)])


def human_size(n: int) -> str:
    """A byte count as people write it: "250 MB", "1.5 GB", "900 KB", "12 bytes".

    >>> human_size(250 * 2**20), human_size(1536 * 2**20), human_size(1000)
    ('250 MB', '1.5 GB', '1000 bytes')
    """
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def too_big_message(file: str, size: int, limit: int, *, kind: FileKind) -> str:
    """MSG_TOO_BIG filled in; where the command has a size option, it suggests a value just
    above the file's size."""
    fix = kind.smaller
    if kind.size_option is not None:
        step = 100 * 2**20 if size >= 100 * 2**20 else 2**20
        suggest = human_size(-(-(size + 1) // step) * step).replace(" ", "")
        fix = FIX_TOO_BIG_OPTION.format(
            smaller=kind.smaller, option=kind.size_option, suggest=suggest
        )
    return MSG_TOO_BIG.format(
        file=file, size=human_size(size), limit=human_size(limit), what=kind.what, fix=fix
    )
