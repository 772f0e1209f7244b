"""The portfolio workflow: a folder (or files, or a zip) of job descriptions to a review."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from bias_audit.errors import InputDataError
from bias_audit.portfolio.documents import Exclusion, PortfolioDocument, parse_document
from bias_audit.portfolio.inputs import (
    MSG_NOTHING,
    band_for,
    collect,
    read_bands,
    unmatched_note,
)
from bias_audit.portfolio.results import Portfolio, build_portfolio

Progress = Callable[[int, int, str], None]
"""Called after each file with (files done, files in all, the file's name)."""

Source = str | os.PathLike[str] | tuple[str, bytes]


def audit_portfolio(
    sources: Source | Sequence[Source],
    *,
    bands: str | os.PathLike[str] | bytes | None = None,
    bands_name: str | None = None,
    progress: Progress | None = None,
) -> Portfolio:
    """Review a set of job descriptions: each one's title, band, staff group and demands;
    a requirements matrix per band with its outliers; every essential demand judged against
    the band's Agenda for Change national profile.

    Parameters
    ----------
    sources
        A folder (read with its subfolders), a file, a ``.zip``, or a list of these; or
        ``(name, bytes)`` uploads (a ``.zip`` name is unpacked in memory).
    bands
        A CSV of file → band (path or bytes); a document it names is judged at that band,
        the others at the band found in their text.
    bands_name
        How to name the bands file in messages (default: its path; "bands file" for bytes).
    progress
        Called after each file (for a progress bar).

    Returns
    -------
    Portfolio
        Documents read, files excluded with the reason (one bad file never stops the run),
        matrices per band, profile judgements and flags.

    Raises
    ------
    InputDataError
        Nothing to read, a path that does not exist, an unsafe or damaged zip, or a bands
        file that cannot be used (the message names the file, the row and the fix).

    Examples
    --------
    >>> review = audit_portfolio([("hca.txt", b"HCA, Band 2\\nEssential\\n- A degree")])
    >>> [f.kind for f in review.flags]
    ['above profile']
    """
    if isinstance(sources, (str, os.PathLike, tuple)):
        sources = [sources]  # type: ignore[list-item]
    band_of: dict[str, int] = {}
    leave_out: list[Path] = []
    label = bands_name
    if bands is not None:
        if isinstance(bands, bytes):
            label = label or "bands file"
            band_of = read_bands(bands, name=label)
        else:
            label = label or os.fspath(bands)
            band_of = read_bands(_read_bands_file(bands), name=label)
            leave_out.append(Path(bands))
    files, notes = collect(sources, leave_out=leave_out)  # type: ignore[arg-type]
    if not files:
        what = ", ".join(s[0] if isinstance(s, tuple) else os.fspath(s) for s in sources)
        raise InputDataError(MSG_NOTHING.format(what=what or "the portfolio"))
    documents, exclusions, used = _read_all(files, band_of, progress)
    if label is not None:
        note = unmatched_note(band_of, used, name=label)
        if note is not None:
            notes.append(note)
    return build_portfolio(documents, exclusions, notes=notes)


MSG_BANDS_UNREADABLE = "{file}: cannot read the bands file ({reason}). Check the path."


def _read_bands_file(path: str | os.PathLike[str]) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise InputDataError(
            MSG_BANDS_UNREADABLE.format(file=os.fspath(path), reason=err.strerror)
        ) from None


def _read_all(
    files: Sequence, band_of: dict[str, int], progress: Progress | None
) -> tuple[list[PortfolioDocument], list[Exclusion], list[str]]:
    from bias_audit.io.adverts import read_advert_file

    documents, exclusions, used = [], [], []
    for done, file in enumerate(files, start=1):
        key = band_for(file.name, band_of) if band_of else None
        if key is not None:
            used.append(key)
        try:
            read = read_advert_file(file.source, name=file.name)
            documents.append(
                parse_document(
                    read.text,
                    name=file.name,
                    band=None if key is None else band_of[key],
                    notes=tuple(read.notes),
                )
            )
        except InputDataError as err:  # the reader's message names the file and the fix
            exclusions.append(Exclusion(file.name, str(err)))
        if progress is not None:
            progress(done, len(files), file.name)
    return documents, exclusions, used


def read_documents(
    files: Iterable[tuple[str, str]], *, bands: dict[str, int] | None = None
) -> list[PortfolioDocument]:
    """Parse texts already read (``(name, text)`` pairs), e.g. for a benchmark or a test."""
    bands = bands or {}
    return [parse_document(text, name=name, band=bands.get(name)) for name, text in files]
