"""The advert-checking workflow: a file (or pasted text) to an advert report."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from bias_audit.text.advert import AdvertReport, analyse_advert

NEEDS_ONE_INPUT = "check_advert: give either a file (source) or text=, not {given}"


def check_advert(
    source: str | os.PathLike[str] | bytes | None = None,
    *,
    text: str | None = None,
    name: str | None = None,
    band: int | None = None,
    allow: Iterable[str] = (),
    notes: list[str] | None = None,
    lexicon_dir: str | os.PathLike[str] | None = None,
) -> AdvertReport:
    """Check a job advert, job description or person specification.

    Parameters
    ----------
    source
        A ``.txt``, ``.md``, ``.docx`` or ``.pdf`` file (path or bytes), read with
        :func:`bias_audit.io.adverts.read_advert_file`; or ``None`` with ``text``.
    text
        The advert text itself (pasted), instead of ``source``.
    name
        Where the advert came from, shown in reports and messages (default: the path, or
        "pasted text"); for bytes it also picks the format.
    band
        Agenda for Change band of the post; ``None`` looks for "Band N" in the text.
    allow
        Rule ids or phrases (case-insensitive) a trust has reviewed and wants silenced.
    notes
        When given, filled in with the reader's notes on how the file was read (e.g. a PDF
        saved as ``.txt``, read as a PDF).
    lexicon_dir
        A trust's own folder of rules used instead of the shipped ``lexicons/`` (check it
        first with ``bias-audit lexicon check DIR``); ``None`` uses the shipped rules.

    Returns
    -------
    AdvertReport

    Raises
    ------
    InputDataError
        The file cannot be read (see :func:`bias_audit.io.adverts.read_advert`).
    ValueError
        Both or neither of ``source`` and ``text`` were given.

    Examples
    --------
    >>> report = check_advert(text="We want a young, energetic team player.", band=3)
    >>> "age-energetic" in {f.rule_id for f in report.findings}
    True
    >>> check_advert(b"Band 3 support worker\\n", name="advert.txt").source
    'advert.txt'
    """
    if (source is None) == (text is None):
        given = "both" if text is not None else "neither"
        raise ValueError(NEEDS_ONE_INPUT.format(given=given))
    if text is None:
        from bias_audit.io.adverts import read_advert_file

        read = read_advert_file(source, name=name)  # type: ignore[arg-type]
        text = read.text
        if notes is not None:
            notes.extend(read.notes)
        label = name if name is not None else os.fspath(source)  # type: ignore[arg-type]
    else:
        label = "pasted text" if name is None else name
    folder = None if lexicon_dir is None else Path(lexicon_dir)
    return analyse_advert(text, band=band, source=label, allow=tuple(allow), lexicon_dir=folder)
