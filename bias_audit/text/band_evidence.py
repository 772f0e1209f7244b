"""The Agenda for Change band of a post, read from the text: "Band 3", "AfC Band 2", "Band 2
or 3" (judged at the higher), or a salary equal to pay points of ``data/afc_pay_scales.yml``.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from bias_audit.text.markers import TextWords, search_words
from bias_audit.text.notices import PAY_NOTICE_KINDS, boilerplate_spans, notice_at
from bias_audit.yaml_files import load_yaml

# "Band 3", "AfC Band 2", "Agenda for Change band: 4", "Banding 2", "AfC 3", "Band 8a", and
# two bands offered together: "Band 2 or 3", "Band 2/3", "Bands 5-6", "Band 2 to Band 3".
_ONE_BAND = r"([1-9])[a-d]?(?!\d|[.,:]\d)"


_BAND_RE = re.compile(
    r"(?=[ab])(?:"  # the letters a match starts with: other places are skipped fast
    r"\b(?:(?:afc|agenda\s+for\s+change)\s*:?\s*)?(?:band(?:ing|s)?|afc)\s*:?\s*"
    + _ONE_BAND
    + r"(?:\s*(?:or|/|-|–|to|and|&)\s*(?:band\s*)?"
    + _ONE_BAND
    + ")?)",
    re.IGNORECASE,
)


# Words one of which every band match holds ("band", "afc"): where none stands after the
# first match, there is no second one and the rest of the text is not searched.
_BAND_WORDS = search_words(_BAND_RE.pattern)


# A pound amount of a yearly salary: "£24,937", "£26598", "£24,937.00".
_SALARY_RE = re.compile(r"£\s?(\d{1,3}(?:,\d{3})+|\d{5,6})(?:\.\d{2})?(?![\d,])")


_SALARY_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|to|and|up\s+to)\s*(?:£\s?)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PayScale:
    """One year of Agenda for Change annual pay points (England), from ``afc_pay_scales.yml``."""

    year: str
    effective: str
    source: str
    points: dict[int, tuple[int, ...]]

    def bands_paying(self, amount: int) -> tuple[int, ...]:
        """The bands with ``amount`` as one of their pay points (Band 1 is paid as Band 2)."""
        return tuple(band for band, points in self.points.items() if amount in points)


@functools.cache
def pay_scales() -> tuple[PayScale, ...]:
    """The shipped pay scales, current year first (``bias_audit/data/afc_pay_scales.yml``)."""
    data = load_yaml(
        resources.files("bias_audit").joinpath("data/afc_pay_scales.yml").read_text("utf-8")
    )
    return tuple(
        PayScale(
            str(year["year"]),
            str(year["effective"]),
            " ".join(str(year["source"]).split()),
            {int(band): tuple(int(p) for p in points) for band, points in year["bands"].items()},
        )
        for year in data["years"]
    )


BandHow = Literal["stated", "salary"]


MSG_BAND_NAMED = "Band {band}"


MSG_BANDS_NAMED = "Band {named} (judged at Band {band}, the higher)"


MSG_BAND_FROM_SALARY = (
    "Band {named} (read from the salary {salary}, which matches the Agenda for Change "
    "{year} pay scale for England{judged})"
)


@dataclass(frozen=True, slots=True)
class BandEvidence:
    """The Agenda for Change band an advert states or implies, and where.

    ``band`` is the band demands are judged at: the highest of ``named`` when two bands are
    offered ("Band 2 or 3"). ``how`` is ``"stated"`` (the text names the band) or
    ``"salary"`` (the salary equals pay points of the ``pay_year`` scale).
    """

    band: int
    named: tuple[int, ...]
    how: BandHow
    text: str
    start: int
    end: int
    pay_year: str | None = None

    def describe(self) -> str:
        """How the band reads in an explanation.

        >>> BandEvidence(3, (2, 3), "stated", "Band 2 or 3", 0, 11).describe()
        'Band 2 or 3 (judged at Band 3, the higher)'
        """
        named = " or ".join(str(b) for b in self.named)
        if self.how == "salary":
            judged = f"; judged at Band {self.band}, the higher" if len(self.named) > 1 else ""
            return MSG_BAND_FROM_SALARY.format(
                named=named, salary=self.text, year=self.pay_year, judged=judged
            )
        if len(self.named) > 1:
            return MSG_BANDS_NAMED.format(named=named, band=self.band)
        return MSG_BAND_NAMED.format(band=self.band)

    def to_dict(self) -> dict[str, object]:
        return {
            "band": self.band,
            "named": list(self.named),
            "how": self.how,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "pay_year": self.pay_year,
            "description": self.describe(),
        }


def _stated_band(text: str) -> BandEvidence | None:
    # The first band outside notices ("Band 3 roles are not eligible for sponsorship" may
    # describe other posts), else the first anywhere.
    # Matches are read only as far as the first one outside notices.
    found = _BAND_RE.finditer(text)
    first = next(found, None)
    if first is None:
        return None
    # The next match starts after the first (a match is never empty) and holds a band word.
    after_first = TextWords(text).may_match(_BAND_WORDS, first.end())
    return _band_outside_notices(text, first, found if after_first else iter(()))


def _band_outside_notices(
    text: str, first: re.Match[str], later: Iterator[re.Match[str]]
) -> BandEvidence:
    """The band of ``first``, or when it lies in a notice, of the first of the ``later``
    matches that does not (``first``'s again if none)."""
    match = first
    second = next(later, None)
    if second is not None:
        notices = boilerplate_spans(text)
        if notice_at(first.start(), notices) is not None:
            rest = itertools.chain((second,), later)
            match = next((m for m in rest if notice_at(m.start(), notices) is None), first)
    named = tuple(sorted({int(g) for g in match.groups() if g is not None}))
    return BandEvidence(max(named), named, "stated", match.group(0), match.start(), match.end())


def _salary_band(text: str) -> BandEvidence | None:
    skipped = boilerplate_spans(text, kinds=PAY_NOTICE_KINDS)
    amounts = [
        (m.start(), m.end(), int(m.group(1).replace(",", "")))
        for m in _SALARY_RE.finditer(text)
        if not notice_at(m.start(), skipped)
    ]
    for scale in pay_scales():
        for index, (start, end, amount) in enumerate(amounts):
            bands = scale.bands_paying(amount)
            if not bands:
                continue
            if index + 1 < len(amounts):
                next_start, next_end, next_amount = amounts[index + 1]
                next_bands = scale.bands_paying(next_amount)
                if next_bands and _SALARY_RANGE_GAP.match(text[end:next_start]):
                    bands = (*bands, *next_bands)
                    end = next_end
            named = tuple(sorted(set(bands)))
            return BandEvidence(
                max(named), named, "salary", text[start:end], start, end, scale.year
            )
    return None


def find_band_evidence(text: str) -> BandEvidence | None:
    """The band an advert states ("Band 2 or 3", "Banding 2", "AfC 3"), or else the band
    its salary matches on the current Agenda for Change pay scale, or ``None``.

    >>> find_band_evidence("HCSW, Band 2/3").named
    (2, 3)
    >>> e = find_band_evidence("Salary £24,937 - £26,598 a year")
    >>> e.band, e.how, e.pay_year
    (3, 'salary', '2025/26')
    """
    return _band_evidence(text)


@functools.lru_cache(maxsize=16)
def _band_evidence(text: str) -> BandEvidence | None:
    return _stated_band(text) or _salary_band(text)


def find_band(text: str) -> int | None:
    """The Agenda for Change band to judge an advert at, or ``None`` (see
    :func:`find_band_evidence`; of two bands offered, the higher).

    >>> find_band("Healthcare Support Worker, AfC Band 3, 37.5 hours"), find_band("wristband")
    (3, None)
    >>> find_band("Band 2 or 3 HCA"), find_band("Banding 2"), find_band("£24,465 per annum")
    (3, 2, 2)
    """
    evidence = find_band_evidence(text)
    return None if evidence is None else evidence.band
