"""Requirements in words: each demand's kind, section, route and verdict as a reader sees them.

Shared by the terminal report (:mod:`bias_audit.report.advert_text`) and the requirements
table (:mod:`bias_audit.report.requirement_table`); never an internal code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bias_audit.text.band_evidence import MSG_BAND_NAMED
from bias_audit.text.requirements import (
    CLEARED_HELD_BY_OTHERS,
    CLEARED_IN_POST,
    CLEARED_NEGATED,
    CLEARED_NOTICE,
    CLEARED_REASONABLE,
    CLEARED_REPEAT,
)

if TYPE_CHECKING:
    from bias_audit.text.requirements import Requirement


KIND_WORDS: dict[str, str] = {
    "degree": "Degree",
    "qualification_level": "Qualification level",
    "gcse": "GCSE",
    "care_certificate": "Care Certificate",
    "registration": "Professional registration",
    "experience": "Experience",
    "driving_licence": "Driving licence or car",
    "physical": "Physical demand",
    "language": "Language level",
}
"""How each requirement kind reads in a report (never the internal code)."""

SECTION_WORDS = {"essential": "Essential", "desirable": "Desirable", "unspecified": "Not marked"}
ROUTE_WORDS = {True: "equivalent accepted", False: "no equivalent route"}

# Why a demand has no finding, in a few words (from Requirement.cleared_because).
CLEARED_WORDS_NOTICE = "in {notice}: not a demand"
CLEARED_WORDS: dict[str, str] = {
    CLEARED_IN_POST: "route accepted: in-post training",
    CLEARED_NEGATED: "not needed: the text says so",
    CLEARED_REPEAT: "repeats the demand before it",
}
CLEARED_WORDS_OTHERS = "someone else's {thing}, not the applicant's"
CLEARED_WORDS_DESIRABLE = "desirable only: reasonable for {band}"
CLEARED_WORDS_ROUTE = "route accepted: an equivalent counts"
CLEARED_WORDS_FITS = "fits {band}"
BAND_UNKNOWN_WORDS = "a post whose band is not stated"
_QUALIFICATION_KINDS = frozenset(
    {"degree", "qualification_level", "gcse", "care_certificate", "registration"}
)
_NOTICE_REASON = re.compile(
    re.escape(CLEARED_NOTICE).replace(re.escape("{notice}"), "(?P<notice>.+)")
)


def kind_words(kind: str) -> str:
    """A requirement kind in words.

    >>> kind_words("gcse"), kind_words("driving_licence")
    ('GCSE', 'Driving licence or car')
    """
    return KIND_WORDS.get(kind, kind.replace("_", " ").capitalize())


def cleared_words(requirement: Requirement, *, band: int | None) -> str:
    """Why a demand has no finding, in a few words a reader takes in at a glance.

    ``band`` is the band the advert was judged at. A reason this module does not know is
    shown as it is, never dropped.

    >>> from bias_audit.text.requirements import Requirement, CLEARED_NOTICE, CLEARED_REASONABLE
    >>> visa = CLEARED_NOTICE.format(notice="a visa or sponsorship notice")
    >>> r = Requirement("experience", "12 months", 0, 9, "unspecified", False, None, visa)
    >>> cleared_words(r, band=3)
    'in a visa or sponsorship notice: not a demand'
    >>> r = Requirement("gcse", "GCSE", 0, 4, "essential", False, None, CLEARED_REASONABLE)
    >>> cleared_words(r, band=3)
    'fits Band 3'
    """
    reason = requirement.cleared_because
    if reason is None:
        return ""
    notice = _NOTICE_REASON.fullmatch(reason)
    if notice is not None:
        return CLEARED_WORDS_NOTICE.format(notice=notice.group("notice"))
    if reason in CLEARED_WORDS:
        return CLEARED_WORDS[reason]
    if reason == CLEARED_HELD_BY_OTHERS:
        thing = (
            "qualification"
            if requirement.kind in _QUALIFICATION_KINDS
            else kind_words(requirement.kind).lower()
        )
        return CLEARED_WORDS_OTHERS.format(thing=thing)
    if reason == CLEARED_REASONABLE:
        band_words = BAND_UNKNOWN_WORDS if band is None else MSG_BAND_NAMED.format(band=band)
        if requirement.section == "desirable":
            return CLEARED_WORDS_DESIRABLE.format(band=band_words)
        if requirement.equivalent_accepted:
            return CLEARED_WORDS_ROUTE
        return CLEARED_WORDS_FITS.format(band=band_words)
    return reason


def requirement_verdict(requirement: Requirement, *, band: int | None) -> str:
    """One demand's verdict in words: the severity and route of a finding, or why none.

    >>> from bias_audit.text.requirements import Requirement, CLEARED_IN_POST
    >>> r = Requirement("care_certificate", "Care Certificate", 0, 16, "essential", True,
    ...                 None, CLEARED_IN_POST)
    >>> requirement_verdict(r, band=2)
    'route accepted: in-post training'
    """
    if requirement.finding is None:
        return cleared_words(requirement, band=band)
    severity = str(requirement.finding.severity).upper()
    return f"{severity}: {ROUTE_WORDS[requirement.equivalent_accepted]} (see the finding above)"
