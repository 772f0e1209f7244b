"""Checks shared by every reader before bytes are trusted: archives, Office magic, encodings.

Both the advert reader (Word ``.docx``) and the extract reader (``.xlsx``/``.ods``) open zip
archives of XML, and both read text files whose encoding nobody states. The checks live here
once, and each reader turns a refusal into its own message (a Word file and a workbook need
different advice).

Zip archives are judged from the central directory (entry count, declared expanded size,
compression ratio) *before* anything is decompressed; then only the prolog of each XML part
is decompressed, to refuse ``DOCTYPE``/``ENTITY`` declarations, which genuine Office files
never contain and which "billion laughs" XML bombs need. A DTD can only appear in the
prolog, before the root element, so reading the prolog is enough.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO, Literal

Encoding = Literal["utf-8", "utf-16", "cp1252", "latin-1"]
Problem = Literal["not_zip", "bomb", "xml_dtd", "damaged"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""Compound File header: a legacy .doc/.xls, or an encrypted (password-protected) .docx/.xlsx,
which Office wraps in this container."""
ZIP_MAGIC = b"PK\x03\x04"
MAX_PROLOG_BYTES = 64 * 1024
"""A genuine Office XML part starts its root element within a few hundred bytes."""

# Windows-1252 leaves these five byte values undefined.
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
# C0 control characters other than tab, newline, form feed and carriage return.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_CONTROL_RE = re.compile("[" + re.escape(_CONTROL_BYTES.decode("ascii")) + "]")
# XML "Misc" items allowed before (and after) a DOCTYPE: space, comments, processing
# instructions (the <?xml ...?> declaration is one).
_PROLOG_MISC = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)", re.DOTALL)
_DTD_START = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_:]")


class UnsafeFile(Exception):
    """A file refused by a check here; the reader turns it into its own message.

    Attributes
    ----------
    problem : {"not_zip", "bomb", "xml_dtd", "damaged"}
        What is wrong.
    why : str
        A short reason for the message ("12,000 parts", "compression ratio 900:1").
    expanded, packed : int
        Declared expanded and compressed sizes of the archive, in bytes.
    """

    def __init__(self, problem: Problem, why: str, *, expanded: int = 0, packed: int = 0) -> None:
        super().__init__(why)
        self.problem = problem
        self.why = why
        self.expanded = expanded
        self.packed = packed


@dataclass(frozen=True)
class ZipLimits:
    """What a zip archive may declare before it is refused as a bomb.

    ``max_ratio`` is judged only once the archive expands to more than ``ratio_floor``
    bytes: a tiny, highly repetitive part is harmless.
    """

    max_entries: int
    max_expanded: int
    max_ratio: float
    ratio_floor: int = 0


def is_ole2(head: bytes) -> bool:
    """True for a password-protected or old-format (97–2003) Office file.

    >>> is_ole2(OLE2_MAGIC + bytes(8))
    True
    """
    return head.startswith(OLE2_MAGIC)


def check_zip(stream: BinaryIO, *, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """Check an archive's declared sizes, then its XML prologs; return its entries.

    Parameters
    ----------
    stream : binary file object
        The archive, seekable.
    limits : ZipLimits
        Entry count, expanded size and ratio allowed.

    Returns
    -------
    list of zipfile.ZipInfo
        The entries, for the caller to check the archive is the kind it expects.

    Raises
    ------
    UnsafeFile
        ``not_zip`` (no zip directory), ``bomb`` (limits exceeded), ``xml_dtd`` (a
        DOCTYPE/ENTITY declaration) or ``damaged`` (a part cannot be decompressed).

    Examples
    --------
    >>> import io
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as archive:
    ...     archive.writestr("a.xml", '<?xml version="1.0"?><a/>')
    >>> [i.filename for i in check_zip(buffer, limits=ZipLimits(10, 2**20, 100))]
    ['a.xml']
    """
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as err:
        raise UnsafeFile("not_zip", str(err) or type(err).__name__) from None
    with archive:
        infos = archive.infolist()
        expanded = sum(info.file_size for info in infos)
        packed = max(1, sum(info.compress_size for info in infos))
        why = None
        if len(infos) > limits.max_entries:
            why = f"{len(infos):,} parts"
        elif expanded > limits.max_expanded:
            why = f"over {limits.max_expanded / 2**20:,.0f} MB expanded"
        elif expanded > limits.ratio_floor and expanded / packed > limits.max_ratio:
            why = f"compression ratio {expanded / packed:,.0f}:1"
        if why is not None:
            raise UnsafeFile("bomb", why, expanded=expanded, packed=packed)
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                _check_prolog(archive, info, expanded=expanded, packed=packed)
    return infos


def _check_prolog(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, expanded: int, packed: int
) -> None:
    try:
        with archive.open(info) as part:
            head = part.read(MAX_PROLOG_BYTES)
    except Exception as err:  # zlib, bz2, lzma and zipfile each raise their own types
        raise UnsafeFile("damaged", f"{info.filename}: {err}") from None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Office may write UTF-16 XML; look at it as ASCII-compatible bytes.
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    head = head.removeprefix(codecs.BOM_UTF8)
    position = 0
    while match := _PROLOG_MISC.match(head, position):
        position = match.end()
    if _DTD_START.match(head, position):
        raise UnsafeFile("xml_dtd", info.filename, expanded=expanded, packed=packed)
    if not _ROOT_START.match(head, position) and len(head) >= MAX_PROLOG_BYTES:
        # Tens of kilobytes of comments before the root element is not an Office file, and
        # a declaration could hide beyond what was read.
        raise UnsafeFile(
            "bomb", f"{info.filename}: oversized XML prolog", expanded=expanded, packed=packed
        )


def looks_like_text(sample: bytes | str) -> bool:
    """False for binary data: a NUL, or more than 1% (at least 2) other control characters.

    >>> looks_like_text("Band 3\\tHCSW\\r\\n"), looks_like_text(bytes(range(1, 9)) * 4)
    (True, False)
    """
    if isinstance(sample, str):
        sample = sample.encode("utf-8", errors="replace")
    if b"\x00" in sample:
        return False
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control <= max(2, len(sample) // 100)


def detect_encoding(blocks: Callable[[], Iterable[bytes]]) -> tuple[Encoding, bool]:
    """The encoding of text bytes, and whether it starts with a byte-order mark.

    The chain: UTF-16 with a BOM; UTF-8 (with or without BOM) if every byte decodes;
    Windows-1252 (Excel's "CSV" on Windows); Latin-1 when a byte cp1252 leaves undefined is
    present. ``blocks`` is called once per pass so a large file is never held whole.

    Examples
    --------
    >>> detect_encoding(lambda: ["Café – £24,071".encode("cp1252")])
    ('cp1252', False)
    >>> detect_encoding(lambda: ["Café".encode("utf-8-sig")])
    ('utf-8', True)
    """
    head = next(iter(blocks()), b"")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for block in blocks():
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", head.startswith(codecs.BOM_UTF8)
    # A byte search is much faster than decoding the file a second time.
    for block in blocks():
        if any(block.find(byte) >= 0 for byte in _CP1252_UNDEFINED):
            return "latin-1", False
    return "cp1252", False


def decode_bytes(data: bytes) -> tuple[str, Encoding]:
    """Decode text bytes along :func:`detect_encoding`'s chain; a BOM is dropped.

    Raises ``UnicodeDecodeError`` only for UTF-16 with a BOM and an odd tail.

    >>> decode_bytes("Café – £24,071".encode("cp1252"))
    ('Café – £24,071', 'cp1252')
    """
    encoding, _ = detect_encoding(lambda: [data])
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    return data.decode(codec), encoding


def blank_controls(text: str) -> str:
    """Control characters (other than tab and line ends) replaced by spaces, offsets kept.

    >>> blank_controls("a\\x07b")
    'a b'
    """
    return _CONTROL_RE.sub(" ", text)
