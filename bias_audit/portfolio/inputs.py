"""What a portfolio run reads: folders, files, zip archives and a bands file.

A folder is read with its subfolders (hidden and Office lock files skipped and counted); a
``.zip`` (a path or uploaded bytes) is checked by :func:`bias_audit.io.safety.check_zip`
from its central directory before anything is decompressed (entry count, expanded size,
compression ratio), and its members are read in memory, never written to disk. Each file
is read later, one by one, so that one bad file is an exclusion, not the end of the run.

The bands file is a CSV of file → band ("file,band" / "hca_ward7.docx,Band 2"); a row is
matched to a document by its path as given or by its file name alone.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bias_audit.errors import InputDataError
from bias_audit.io import safety

MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_EXPANDED = 500 * 1024 * 1024
MAX_ZIP_RATIO = 200
ZIP_LIMITS = safety.ZipLimits(
    MAX_ZIP_MEMBERS, MAX_ZIP_EXPANDED, MAX_ZIP_RATIO, ratio_floor=1024 * 1024
)
MAX_BANDS_BYTES = 5 * 1024 * 1024

MSG_NOTHING = (
    "{what}: no files to read. Give a folder of job descriptions (.txt, .docx, .pdf), the "
    "files themselves, or a .zip of them."
)
MSG_MISSING = "{path}: no such file or folder. Check the path and try again."
MSG_ZIP_UNSAFE = (
    "{file}: the zip archive was refused ({why}); it may be a 'zip bomb'. Zip up to "
    f"{MAX_ZIP_MEMBERS:,} job descriptions, under {MAX_ZIP_EXPANDED // 2**20} MB unpacked, "
    "or upload the files themselves."
)
MSG_ZIP_BROKEN = "{file}: the zip archive is damaged ({why}). Make the zip again and retry."
NOTE_SKIPPED = (
    "{n} hidden or system file(s) skipped (names starting with '.', '~$' Office lock files, "
    "__MACOSX folders): {names}."
)
MSG_BANDS_COLUMNS = (
    "{file}: the bands file needs a column naming the file (file, document, filename or "
    "name) and a column 'band'; its header is {found}. Add a header row such as 'file,band'."
)
MSG_BANDS_VALUE = (
    "{file}, row {row}: '{value}' in the band column is not an Agenda for Change band. Give "
    "a whole number from 1 to 9 ('3' or 'Band 3'), or leave the cell empty to find the band "
    "in the text."
)
MSG_BANDS_TWICE = (
    "{file}, row {row}: '{name}' is listed twice with different bands ({first} and "
    "{second}); keep one row per file."
)
MSG_BANDS_NOT_TEXT = (
    "{file}: the bands file is not a text CSV ({why}). Save it as CSV (comma separated) and "
    "try again."
)
NOTE_BANDS_UNMATCHED = (
    "{file}: {n} row(s) name no document in the portfolio, so they were not used: {names}."
)

_FILE_HEADERS = ("file", "document", "filename", "file name", "name", "path")
_BAND_VALUE = re.compile(r"^\s*(?:afc\s*)?(?:band\s*)?([1-9])[a-d]?\s*$", re.IGNORECASE)
_SKIPPED = re.compile(r"(^|/)(\.|~\$|__MACOSX/)")


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: its name as shown, and either its bytes or its path."""

    name: str
    data: bytes | None = None
    path: Path | None = None

    @property
    def source(self) -> bytes | Path:
        return self.data if self.data is not None else self.path  # type: ignore[return-value]


def _is_zip_name(name: str) -> bool:
    return name.lower().endswith(".zip")


def zip_members(data: bytes, *, name: str) -> tuple[list[InputFile], list[str]]:
    """The files of a zip archive (in memory) and the names of those skipped.

    Raises :class:`InputDataError` for an unsafe or damaged archive (the whole upload is
    unusable, so it is refused rather than counted).
    """
    try:
        infos = safety.check_zip(io.BytesIO(data), limits=ZIP_LIMITS)
    except safety.UnsafeFile as refusal:
        message = MSG_ZIP_UNSAFE if refusal.problem == "bomb" else MSG_ZIP_BROKEN
        raise InputDataError(message.format(file=name, why=refusal.why)) from None
    files, skipped = [], []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in infos:
            if info.is_dir():
                continue
            member = PurePosixPath(info.filename).as_posix()
            if _SKIPPED.search(member):
                skipped.append(member)
                continue
            try:
                content = archive.read(info)
            except Exception as err:  # zlib, bz2 and zipfile each raise their own
                raise InputDataError(MSG_ZIP_BROKEN.format(file=name, why=err)) from None
            files.append(InputFile(f"{name}/{member}", data=content))
    return files, skipped


def collect(
    sources: Iterable[str | os.PathLike[str] | tuple[str, bytes]],
    *,
    leave_out: Iterable[Path] = (),
) -> tuple[list[InputFile], list[str]]:
    """Every file to read, in order (a folder's files sorted), and notes on skipped files.

    ``sources`` are paths (files, folders, ``.zip`` files) or ``(name, bytes)`` uploads
    (a ``.zip`` name is unpacked). ``leave_out`` are paths not to read (the bands file when
    it sits in the folder).
    """
    left_out = {p.resolve() for p in leave_out}
    files: list[InputFile] = []
    skipped: list[str] = []
    for source in sources:
        if isinstance(source, tuple):
            name, data = source
            if _is_zip_name(name):
                members, passed = zip_members(data, name=name)
                files += members
                skipped += passed
            else:
                files.append(InputFile(name, data=data))
            continue
        path = Path(source)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = found.relative_to(path).as_posix()
                if _SKIPPED.search(relative):
                    skipped.append(found.as_posix())
                elif found.resolve() not in left_out:
                    files.append(InputFile(relative, path=found))
        elif path.is_file() and _is_zip_name(path.name):
            members, passed = zip_members(path.read_bytes(), name=os.fspath(source))
            files += members
            skipped += passed
        elif not path.exists():
            raise InputDataError(MSG_MISSING.format(path=os.fspath(source)))
        else:
            files.append(InputFile(os.fspath(source), path=path))
    notes = []
    if skipped:
        shown = ", ".join(skipped[:5]) + (", …" if len(skipped) > 5 else "")
        notes.append(NOTE_SKIPPED.format(n=len(skipped), names=shown))
    return files, notes


def read_bands(data: bytes, *, name: str) -> dict[str, int]:
    """File name → band from a bands CSV (empty band cells are left out).

    >>> read_bands(b"file,band\\nhca.txt,Band 2\\nsenior.docx,3\\nother.pdf,\\n", name="b.csv")
    {'hca.txt': 2, 'senior.docx': 3}
    """
    if len(data) > MAX_BANDS_BYTES or not safety.looks_like_text(data[:4096]):
        raise InputDataError(MSG_BANDS_NOT_TEXT.format(file=name, why="binary or too large"))
    try:
        text, _ = safety.decode_bytes(data)
    except UnicodeDecodeError as err:
        raise InputDataError(MSG_BANDS_NOT_TEXT.format(file=name, why=err.reason)) from None
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    file_column = next((header.index(h) for h in _FILE_HEADERS if h in header), None)
    if file_column is None or "band" not in header:
        raise InputDataError(MSG_BANDS_COLUMNS.format(file=name, found=rows[0] if rows else []))
    band_column = header.index("band")
    bands: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) <= max(file_column, band_column) or not row[file_column].strip():
            continue
        file, value = row[file_column].strip(), row[band_column].strip()
        if not value:
            continue
        match = _BAND_VALUE.match(value)
        if match is None:
            raise InputDataError(MSG_BANDS_VALUE.format(file=name, row=number, value=value))
        band = int(match.group(1))
        if bands.get(file, band) != band:
            raise InputDataError(
                MSG_BANDS_TWICE.format(
                    file=name, row=number, name=file, first=bands[file], second=band
                )
            )
        bands[file] = band
    return bands


def band_for(name: str, bands: dict[str, int]) -> str | None:
    """The bands-file key that names this document: its path as given, the path inside a
    zip, or its file name alone."""
    if name in bands:
        return name
    parts = PurePosixPath(name.replace("\\", "/")).parts
    for start in range(1, len(parts)):
        tail = "/".join(parts[start:])
        if tail in bands:
            return tail
    return None


def unmatched_note(bands: dict[str, int], used: Sequence[str], *, name: str) -> str | None:
    """The note for bands-file rows that named no document, or ``None``."""
    unused = [key for key in bands if key not in set(used)]
    if not unused:
        return None
    shown = ", ".join(unused[:5]) + (", …" if len(unused) > 5 else "")
    return NOTE_BANDS_UNMATCHED.format(file=name, n=len(unused), names=shown)
