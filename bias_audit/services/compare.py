"""The before-and-after workflow: two versions of an advert to an :class:`AdvertComparison`."""

from __future__ import annotations

import os

from bias_audit.portfolio.compare import AdvertComparison, compare_reports
from bias_audit.portfolio.credentials import credential_balance
from bias_audit.services.advert import check_advert

MSG_ONE_INPUT_EACH = "compare_adverts: give each version as a file or as text, not {given}"


def compare_adverts(
    old: str | os.PathLike[str] | bytes | None = None,
    new: str | os.PathLike[str] | bytes | None = None,
    *,
    old_text: str | None = None,
    new_text: str | None = None,
    old_name: str | None = None,
    new_name: str | None = None,
    band: int | None = None,
    notes: list[str] | None = None,
) -> AdvertComparison:
    """Check an old and a new version of an advert and say what changed.

    Parameters
    ----------
    old, new
        The two versions as files (``.txt``, ``.md``, ``.docx``, ``.pdf``; path or bytes),
        or ``None`` with ``old_text`` / ``new_text``.
    old_text, new_text
        The two versions as pasted text.
    old_name, new_name
        What to call each version in reports (default: the path, or "before" / "after").
    band
        Agenda for Change band of the post, for both versions; ``None`` reads it from each
        text.
    notes
        When given, filled in with the reader's notes on how the files were read.

    Returns
    -------
    AdvertComparison
        Findings removed, added and kept (matched by rule id and matched text), and the
        change in reading age, gender-coding gauge and credential share.

    Raises
    ------
    InputDataError
        A file cannot be read or a version is empty.
    ValueError
        A version was given both as a file and as text, or neither way.

    Examples
    --------
    >>> result = compare_adverts(old_text="Band 3. We want a young, energetic team.",
    ...                          new_text="Band 3. We want a friendly, caring team.")
    >>> [f.rule_id for f in result.removed]
    ['age-young', 'age-energetic']
    """
    reports = []
    for source, text, name, fallback in (
        (old, old_text, old_name, "before"),
        (new, new_text, new_name, "after"),
    ):
        if (source is None) == (text is None):
            given = "both" if text is not None else "neither"
            raise ValueError(MSG_ONE_INPUT_EACH.format(given=given))
        label = name if name is not None or source is not None else fallback
        reports.append(check_advert(source, text=text, name=label, band=band, notes=notes))
    old_report, new_report = reports
    balances = [
        credential_balance(report.text, source=report.source, band=report.band)
        for report in reports
    ]
    return compare_reports(old_report, new_report, old_balance=balances[0], new_balance=balances[1])
