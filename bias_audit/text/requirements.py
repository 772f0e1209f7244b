"""Person-specification demands, judged against the Agenda for Change band.

The lexicon files ``qualification_degree``, ``qualification_no_equivalent``,
``experience_years``, ``driving_licence``, ``physical_requirements`` and ``language_level``
say *what* a demand looks like. This module adds what a phrase list cannot know:

- the **section**: is the demand under an *Essential* or *Desirable* heading (a list, or a
  Word table written out by :func:`bias_audit.io.adverts.docx_text`), marked inline
  ("… is essential", "… would be an advantage"), or neither (``unspecified``);
- whether an **equivalent route** is accepted in the same item ("or equivalent",
  "or working towards", "or equivalent experience", "or willing to complete",
  "or the ability to travel between sites", Functional Skills, O levels, …);
- the **band** (given, or found in the text as "Band 3" / "AfC Band 2"), and so how far the
  demand goes beyond what the national job profiles expect.

Band expectations (NHS Job Evaluation Handbook, factor 2 Knowledge, Training & Experience;
2004–06 and 2021 national profiles for nursing support workers; NHS Health Careers): Band 2
has no set entry requirements ("NVQ2 or equivalent experience"); Band 3 expects a base of
theoretical knowledge from formal training *or equivalent experience* ("NVQ3 or
equivalent"); Band 4 assistant practitioners hold *or work towards* a Level 5 qualification.
No Band 1–4 support role needs a degree. The band policy (expectations and the severity
table :data:`SEVERITY_RULES`) is data in ``bias_audit/data/band_policy.yml``.

A band is read from the text ("Band 3", "Band 2 or 3" judged at the higher, "Banding 2",
"AfC 3") or from a salary equal to pay points of the Agenda for Change scales in
``data/afc_pay_scales.yml`` (2025/26 first; the explanation names the year). Demands inside
standard notices (visa and sponsorship, right to work, visa pay thresholds, equal
opportunities: ``data/advert_boilerplate.yml``), qualifications held by someone else, and
qualifications gained in post (training, funding, apprenticeships) are recorded with
``cleared_because`` instead of a finding.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Literal

import yaml

from bias_audit.types import Finding, Severity

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from bias_audit.lexicon import Lexicon

Section = Literal["essential", "desirable", "unspecified"]
Kind = Literal[
    "degree",
    "qualification_level",
    "gcse",
    "care_certificate",
    "registration",
    "experience",
    "driving_licence",
    "physical",
    "language",
]

REQUIREMENT_CATEGORIES = (
    "qualification_degree",
    "qualification_no_equivalent",
    "experience_years",
    "driving_licence",
    "physical_requirements",
    "language_level",
)

# Rule ids in qualification_no_equivalent name their kind: "qualification_no_equivalent.gcse…".
_KIND_BY_CATEGORY: dict[str, Kind] = {
    "qualification_degree": "degree",
    "experience_years": "experience",
    "driving_licence": "driving_licence",
    "physical_requirements": "physical",
    "language_level": "language",
}
_QUALIFICATION_KINDS: tuple[Kind, ...] = (
    "gcse",
    "care_certificate",
    "registration",
    "qualification_level",
)

MSG_CONTEXT = "Here it is {where}{route}{band}."
MSG_WHERE = {
    "essential": "listed as essential",
    "desirable": "listed as desirable",
    "unspecified": "mentioned without an Essential or Desirable marker",
}
MSG_WHERE_INLINE = {
    "essential": 'stated as needed in its own sentence ("must", "essential", "required")',
    "desirable": 'stated as desirable in its own sentence ("ideally", "an advantage")',
    "unspecified": MSG_WHERE["unspecified"],
}
MSG_ROUTE_NONE = ", with no equivalent route accepted"
MSG_ROUTE_ACCEPTED = ", although an equivalent route is accepted"
MSG_BAND = " for a {band} post. {expectation}"
MSG_NO_TRAVEL = " The duties described never mention travel, so driving may not be needed."
SUGGEST_TRAVEL = "or the ability to travel between sites"
# Why a demand found by the lexicon is recorded without a finding (Requirement.cleared_because).
CLEARED_NOTICE = "it is inside {notice}, not an entry criterion"
CLEARED_IN_POST = "it is gained in post (training, funding or an apprenticeship is offered)"
CLEARED_HELD_BY_OTHERS = "it describes someone else (the manager or the team), not the applicant"
CLEARED_NEGATED = "the text says it is not needed"
CLEARED_REPEAT = "it repeats the demand before it in the same item"
CLEARED_REASONABLE = "it is reasonable for the band, section and route as stated"

# --- context patterns (what surrounds a demand) -------------------------------------------

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
# A pound amount of a yearly salary: "£24,937", "£26598", "£24,937.00".
_SALARY_RE = re.compile(r"£\s?(\d{1,3}(?:,\d{3})+|\d{5,6})(?:\.\d{2})?(?![\d,])")
_SALARY_RANGE_GAP = re.compile(r"^\s*(?:-|–|—|to|and|up\s+to)\s*(?:£\s?)?$", re.IGNORECASE)
_BULLET_PREFIX = r"^[\s#>*•◦▪●·\-–—]*"
_SECTION_HEADING = re.compile(_BULLET_PREFIX + r"(essential|desirable)\b", re.IGNORECASE)
# Headings that leave the person specification (job description and advert parts).
_OTHER_HEADING = re.compile(
    _BULLET_PREFIX + r"(main\s+|key\s+)?(duties|responsibilities|about\b|job\s+(purpose|summary|"
    r"overview|description)|what\s+we\s+offer|benefits|how\s+to\s+apply|working\s+for|"
    r"the\s+role|contact|further\s+information)[^\n.]{0,40}$",
    re.IGNORECASE,
)
# Desirable markers: some come before what they qualify ("ideally a driving licence"), most
# after it ("NVQ 2 would be an advantage").
_DESIRABLE_BEFORE = re.compile(
    r"\b(desirable|ideally|preferably|an\s+advantage\s+(if|to)|it\s+would\s+be\s+"
    r"(nice|helpful|useful|good)\s+(if|to)|(we\s+)?(would|will)\s+(also\s+)?(highly\s+)?"
    r"value|nice\s+to\s+have|bonus\s+(if|points))\b",
    re.IGNORECASE,
)
_DESIRABLE_AFTER = re.compile(
    r"\b(desirable|advantage(ous)?|an\s+asset|preferred|preferable|would\s+be\s+"
    r"(nice|helpful|beneficial|useful)|beneficial|not\s+essential)\b"
    r"|\((?-i:D)\)",  # a person-specification column mark: "(D)"
    re.IGNORECASE,
)
_INLINE_ESSENTIAL = re.compile(
    r"\b(essential|must|required|requirement|necessary|mandatory|you\s+will\s+need|"
    r"you\s+need|you\s+will\s+have|you'll\s+(need|have)|should\s+(have|hold)|applicants\s+"
    r"(need|should|will))\b"
    r"|\((?-i:E)\)",  # "(E)"
    re.IGNORECASE,
)
# An equivalent route for the demand, searched from the demand to the end of its item
# (sentence or bullet) and in following lines that start with "or" or name an equivalent.
_EQUIVALENT = re.compile(
    r"(?=[acefilnopruvw])(?:"  # the letters a match starts with: other places are skipped fast
    r"\bor\s+(an?\s+|any\s+)?equivalent\b|\bequivalent\s+(experience|qualifications?|level|knowledge)"
    r"|\bor\s+(be\s+)?(currently\s+)?working\s+towards?\b"
    r"|\bwilling(ness)?\s+to\s+(work\s+towards?|complete|undertake|achieve|gain|train|study|learn)"
    r"|\bfunctional\s+skills\b|\bo[\s-]?levels?\b|\bcse\b|\b(uk\s+)?enic\b|\bnaric\b"
    r"|\bor\s+(relevant\s+|demonstrable\s+|proven\s+|equivalent\s+|transferable\s+|similar\s+)"
    r"(experience|skills|knowledge)"
    r"|\bor\s+(at\s+least\s+|a\s+minimum\s+of\s+)?(\d{1,2}|one|two|three|six|twelve)\s*"
    r"(months?|years?)['’]?\s+(of\s+)?(\w+\s+)?experience"
    r"|\bplus\s+(equivalent|relevant)\s+experience"
    r"|\bor\s+(an?\s+)?(equivalent|comparable|similar|relevant)\s+(\w+\s+)?qualifications?"
    r"|\bor\s+(the\s+)?abilit(y|ies)\s+to\s+travel\b|\bor\s+(have\s+)?access\s+to\s+"
    r"(a\s+)?(suitable\s+)?(means\s+of\s+)?transport"
    r"|\bor\s+(a\s+)?willing(ness)?\s+to\s+travel\b"
    r"|\b(comparable|overseas|international)\s+qualifications?\b"
    r"|\b(recognition\s+of|accredited)\s+prior\s+learning\b"
    # Experience of any kind counts: "paid or unpaid", "including caring for family".
    r"|\bpaid\s+or\s+unpaid\b|\b(unpaid|voluntary|volunteer\w*|life|lived)\s+(care\s+)?experience\b"
    r"|\bincluding\s+(caring\s+for\s+)?(family|friends|relatives|voluntary|volunteer)" + ")",
    re.IGNORECASE,
)
# The qualification is gained in post: searched in the demand's item (before or after the
# demand) and the sentence after it ("... a Level 5 qualification. We pay for the course.").
_IN_POST = re.compile(
    r"(?=[acdefhiloqstwy])(?:"  # the letters a match starts with: other places are skipped fast
    r"\b(support|help|train|enable|fund|sponsor)\s+you\s+(to\s+|through\s+|with\s+)?"
    r"(complete|gain|achieve|get|work\s+towards?|study|undertake)"
    r"|\byou\s+will\s+(complete|gain|achieve|undertake|work\s+towards?|study|be\s+supported|"
    r"be\s+trained|receive|be\s+enrolled)\b"
    r"|\bwilling(ness)?\s+to\s+(work\s+towards?|complete|undertake|achieve|gain|study)\b"
    r"|\b(during|as\s+part\s+of|on\s+completion\s+of|after)\s+(your\s+|the\s+)?"
    r"(induction|training|apprenticeship|probation\w*)"
    r"|\blead(s|ing)?\s+to\s+(the\s+|an?\s+)?"
    r"|\b(while|whilst)\s+(you\s+)?(study|studying|train|training|work\s+towards)"
    r"|\bstudy(ing)?\s+(for|towards)\b"
    r"|\bopportunit(y|ies)\s+to\s+(gain|achieve|complete|study|undertake|work\s+towards)"
    r"|\b(training|course|qualification|study|tuition|studies)\s+(is\s+|are\s+|will\s+be\s+)?"
    r"(provided|given|funded|paid\s+for|offered|available)\b"
    r"|\b(fully[\s-]+)?funded\s+(\w+\s+){0,2}(training|course|qualifications?|apprenticeships?|"
    r"places?|programmes?)"
    r"|\bwe\s+(will\s+|can\s+|may\s+|would\s+)?(pay|fund)\s+(for\s+)?(this|it|the|your)\b"
    r"|\b(in[\s-]house|on[\s-]the[\s-]job)\s+training"
    r"|\bapprentice(ship)?s?\b" + ")",
    re.IGNORECASE,
)
# The demand is explicitly not a requirement ("no previous experience needed").
_NEGATED = re.compile(
    r"(?=[dnw])(?:"  # the letters a match starts with: other places are skipped fast
    r"\b(not|no|never)\s+(be\s+)?(needed|necessary|required|essential|a\s+requirement)\b"
    r"|\bno\b[^.;\n]{0,60}\b(is\s+|are\s+)?(needed|necessary|required)\b"
    r"|\b(do|does|will)\s+not\s+need\b|\bdon['’]t\s+need\b"
    r"|\bno\s+(formal\s+|set\s+)?(entry\s+)?requirements?\b" + ")",
    re.IGNORECASE,
)
# The qualification belongs to someone else: "our ward manager, who holds a Master's degree",
# "you will work with nurses who have NVQ 3". Searched from the item start to the demand;
# "you" in between means the demand is the applicant's again.
_OTHER_PEOPLE = (
    r"manager|managers|lead|leads|leader|sister|matron|team|staff|colleagues|nurses|"
    r"consultants?|doctors?|director|supervisors?|mentors?|practitioners?|clinicians|"
    r"therapists|members|workforce|assessors?|tutors?|educators?"
)
_APPLICANT = r"(?!\byou|\bsomeone|\bperson|\bindividual|\bcandidate|\bapplicant|\bpeople\s+who)"
_HELD_BY_OTHERS = re.compile(
    r"\b(" + _OTHER_PEOPLE + r")\b(?:" + _APPLICANT + r"[^.;\n]){0,60}?\b(who\s+|that\s+)?"
    r"(holds?|has|have|completed|gained|are\s+educated|is\s+educated|all\s+hold)\b"
    r"(?:" + _APPLICANT + r"[^.;\n]){0,40}$",
    re.IGNORECASE,
)
# Travel is plainly part of the job and paid for: then a licence or car is not flagged.
# Mileage and car allowances are paid for driving at work; paid fares ("we pay for your
# travel") are not evidence that the job needs a driver.
_TRAVEL_PAID = re.compile(
    r"\b(?=[mcpb])(mileage|car\s+allowance|pool\s+cars?|business\s+miles)\b",
    re.IGNORECASE,
)
_ALTERNATIVE_BEFORE = re.compile(
    r"\bor\s+(an?\s+|the\s+|at\s+least\s+|a\s+minimum\s+of\s+)?$", re.I
)
_ALTERNATIVE_AFTER = re.compile(r"^[^.;\n]{0,40}\bor\b", re.IGNORECASE)
# Duties that involve getting about: then a licence demand is more likely to be justified.
# The lookahead holds every alternative's first letter, so the engine skips other words fast.
_TRAVEL = re.compile(
    r"\b(?=[abcdhmpstv])(travel\w*|community\s+(setting|team|service|nursing|based)|home\s+visits?|"
    r"(patients|people|clients|service\s+users)['’]?\s+(own\s+)?homes|visit(ing)?\s+"
    r"(patients|people|clients)|between\s+(sites|bases|locations|hospitals|clinics)|"
    r"across\s+(sites|the\s+(trust|county|borough|area|region))|pool\s+cars?|mileage|"
    r"drive\s+(to|between|patients)|driving\s+(to|between|patients))\b",
    re.IGNORECASE,
)
_LEVEL_RE = re.compile(r"\b(?:level|nvq|svq|rqf|qcf|l)\s*-?\s*([1-8])\b", re.IGNORECASE)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "eighteen": 18,
}
_DURATION_RE = re.compile(
    r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\+?\s*(?:-|to|or)?\s*(?:\d{1,2}\s*)?"
    r"(years?|yrs?|months?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One demand in an advert or person specification.

    ``text == analysed_text[start:end]``; ``finding`` is the flag raised for it, or ``None``
    when the demand is reasonable for the band or is not the applicant's demand (it is still
    recorded, with ``cleared_because`` saying why).
    """

    kind: Kind
    text: str
    start: int
    end: int
    section: Section
    equivalent_accepted: bool
    finding: Finding | None
    cleared_because: str | None = None
    """Why a demand has no finding (a ``CLEARED_*`` phrase), or ``None`` when it has one."""

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "section": self.section,
            "equivalent_accepted": self.equivalent_accepted,
            "finding": None if self.finding is None else self.finding.to_dict(),
            "cleared_because": self.cleared_because,
        }


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
    data = yaml.safe_load(
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
PAY_NOTICE_KINDS = ("visa", "pay_threshold")
"""Notices whose pound figures are not the job's pay (visa salary thresholds)."""
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
    second = next(found, None)
    match = first
    if second is not None:
        notices = boilerplate_spans(text)
        if notice_at(first.start(), notices) is not None:
            later = itertools.chain((second,), found)
            match = next((m for m in later if notice_at(m.start(), notices) is None), first)
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


# --- boilerplate: standard notices that are not entry criteria -------------------------------
# Data in bias_audit/data/advert_boilerplate.yml. This decides where demands are not read.
# Why not the "boilerplate" blocks of bias_audit.text.context.segment (lexicons/context.yml)?
# Measured on the 40 adverts of ../shared/eval and example_data/adverts: those blocks hold
# 99.8% of the characters of these notices but are 16 times larger (DBS checks, application
# admin, whole run-on sentences), which is right for gender coding (no word there describes
# the applicant) and wrong for demands. Reading demands through them changed 8 of the 43
# reports and dropped 9 real demand findings in 5 adverts ("Minimum of NVQ ... Own transport
# ... Previous experience necessary ... please click apply today"; "You must have an enhanced
# CRB ... and have two years minimum experience"). The segmenter also has no notice kinds,
# which the salary band and the salary signal need (a visa pay threshold is not the pay).


@dataclass(frozen=True, slots=True)
class _BoilerplateRules:
    max_paragraph_words: int
    markers: tuple[tuple[str, str, bool, re.Pattern[str]], ...]  # kind, label, paragraph, regex
    headings: re.Pattern[str]
    any_marker: re.Pattern[str]  # every marker of every kind, to skip clean text fast
    any_heading: re.Pattern[str]  # the headings, at the start of any line


@functools.cache
def _boilerplate_rules() -> _BoilerplateRules:
    data = yaml.safe_load(
        resources.files("bias_audit").joinpath("data/advert_boilerplate.yml").read_text("utf-8")
    )
    markers = tuple(
        (
            kind,
            str(spec["label"]),
            spec.get("scope", "paragraph") == "paragraph",
            re.compile("|".join(f"(?:{m})" for m in spec["markers"]), re.IGNORECASE),
        )
        for kind, spec in data["kinds"].items()
    )
    headings = re.compile("|".join(f"(?:{h})" for h in data["headings"]), re.IGNORECASE)
    every = [m for spec in data["kinds"].values() for m in spec["markers"]]
    firsts = {re.sub(r"^(\\b|\()+", "", m)[:1].lower() for m in every}
    # A lookahead on the markers' first letters lets the engine skip most positions.
    ahead = f"(?=[{''.join(sorted(firsts))}])" if all(f.isalpha() for f in firsts) else ""
    any_marker = re.compile(
        r"\b" + ahead + "(?:" + "|".join(f"(?:{m})" for m in every) + ")", re.IGNORECASE
    )
    any_heading = re.compile(headings.pattern, re.IGNORECASE | re.MULTILINE)
    return _BoilerplateRules(
        int(data["max_paragraph_words"]), markers, headings, any_marker, any_heading
    )


Span = tuple[int, int, str]
"""``(start, end, label)`` of a passage, the label saying what kind of notice it is."""

_LONG_SENTENCE_WORDS = 50
_NEAR_BEFORE, _NEAR_AFTER = 10, 120
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\n")
_HEADING_LIKE = re.compile(r"^[\s#>*•\-–—]*[^\s.!?;:][^.!?;]{0,60}:?\s*$")
_LIST_LINE = re.compile(r"^\s*([-*•◦▪●·]|\d+[.)])\s|^\s*(essential|desirable)\b", re.I | re.M)


def boilerplate_spans(text: str, *, kinds: Iterable[str] | None = None) -> list[Span]:
    """Passages that are standard notices (visa and sponsorship, right to work, visa pay
    thresholds, equal opportunities), where no entry demand is read.

    A sentence with a marker is a notice; so is a short prose paragraph with a paragraph-scope
    marker (a visa notice whose other sentences mention "12 months"), and every line under a
    notice heading ("Visa sponsorship", "Equal opportunities") up to the next heading.
    ``kinds`` limits the notices to some kinds of ``advert_boilerplate.yml`` ("visa", …).

    >>> text = "Essential\\n- NVQ 2\\n\\nSkilled Worker visas: 12 months' residence abroad."
    >>> [(text[s:e], label) for s, e, label in boilerplate_spans(text)]
    [("Skilled Worker visas: 12 months' residence abroad.", 'a visa or sponsorship notice')]
    """
    return list(_boilerplate_spans(text, None if kinds is None else tuple(sorted(kinds))))


@functools.lru_cache(maxsize=16)
def _boilerplate_spans(text: str, kinds: tuple[str, ...] | None) -> tuple[Span, ...]:
    """:func:`boilerplate_spans`, cached: the analyser asks for one text's notices often."""
    rules = _boilerplate_rules()
    if kinds is not None:
        labels = {label for kind, label, *_ in rules.markers if kind in kinds}
        return tuple(span for span in _boilerplate_spans(text, None) if span[2] in labels)
    markers = rules.markers
    spans: list[Span] = []
    # Lines under a notice heading.
    position, label = 0, None
    for line in text.split("\n") if rules.any_heading.search(text) else ():
        end = position + len(line)
        if rules.headings.match(line):
            label = next(
                (lab for _, lab, _, rx in rules.markers if rx.search(line)), rules.markers[0][1]
            )
        elif line.strip() and _HEADING_LIKE.match(line) and len(line.split()) <= 8:
            label = None
        if label is not None and line.strip():
            spans.append((position, end, label))
        position = end + 1
    # Short prose paragraphs, then sentences. ``hit`` is where the whole text's first marker
    # at or after the current paragraph or sentence starts: one that ends before ``hit``
    # holds no marker, so is not searched. (Exact: every paragraph and sentence starts after a
    # non-word character and ends before one or after a non-word character, and every
    # marker starts and ends with \b, so a marker inside one is a marker of the whole text.)
    any_marker = rules.any_marker
    first = any_marker.search(text)
    if first is None:
        return tuple(sorted(set(spans)))
    hit = first.start()
    for start, end in _paragraphs(text, rules.max_paragraph_words):
        if hit < start:
            found = any_marker.search(text, start)
            hit = len(text) if found is None else found.start()
        if hit >= end:
            continue
        paragraph = text[start:end]
        if not any_marker.search(paragraph):
            continue
        whole = len(paragraph.split()) <= rules.max_paragraph_words and not _LIST_LINE.search(
            paragraph
        )
        sentence_start = start
        for stop in [*(m.end() for m in _SENTENCE_END.finditer(paragraph)), len(paragraph)]:
            sentence_end = start + stop
            if hit < sentence_start:
                found = any_marker.search(text, sentence_start)
                hit = len(text) if found is None else found.start()
            if hit >= sentence_end:
                sentence_start = sentence_end
                continue
            sentence = text[sentence_start:sentence_end]
            if not any_marker.search(sentence):
                sentence_start = sentence_end
                continue
            for _, lab, paragraph_scope, regex in markers:
                marker = regex.search(sentence)
                if marker is None:
                    continue
                if whole and paragraph_scope:
                    spans.append((start, end, lab))
                elif paragraph_scope and len(sentence.split()) <= _LONG_SENTENCE_WORDS:
                    spans.append((sentence_start, sentence_end, lab))
                else:
                    # A run-on "sentence" (bullets stripped), or a notice that is often one
                    # item of a list ("the right to work in the UK"): the words from the
                    # marker on.
                    near_start = sentence_start + max(0, marker.start() - _NEAR_BEFORE)
                    near_end = sentence_start + min(len(sentence), marker.end() + _NEAR_AFTER)
                    spans.append((near_start, near_end, lab))
                break
            sentence_start = sentence_end
    return tuple(sorted(set(spans)))


def _paragraphs(text: str, max_words: int) -> list[Bounds]:
    """Blocks between blank lines; a block holding list lines or headings, or longer than
    ``max_words``, is split into its lines (NHS Jobs puts each paragraph on one line)."""
    breaks = [m.span() for m in _PARAGRAPH_BREAK.finditer(text)]
    starts = [0, *(end for _, end in breaks)]
    ends = [*(start for start, _ in breaks), len(text)]
    paragraphs: list[Bounds] = []
    for start, end in zip(starts, ends, strict=True):
        block = text[start:end]
        lines = block.split("\n")
        mixed = _LIST_LINE.search(block) or any(
            line.strip() and _HEADING_LIKE.match(line) for line in lines
        )
        if len(lines) > 1 and (mixed or len(block.split()) > max_words):
            position = start
            for line in lines:
                paragraphs.append((position, position + len(line)))
                position += len(line) + 1
        else:
            paragraphs.append((start, end))
    return paragraphs


def notice_at(position: int, spans: Sequence[Span]) -> str | None:
    """The label of the first span holding ``position``, or ``None``."""
    for start, end, label in spans:
        if start <= position < end:
            return label
    return None


# --- sections --------------------------------------------------------------------------------


def line_sections(text: str) -> list[tuple[int, int, Section]]:
    """``(line_start, line_end, section)`` for every line, from Essential/Desirable headings.

    A heading line ("Essential", "Desirable criteria:", "Essential: GCSE English") opens a
    section that lasts until the next such heading or a heading that leaves the person
    specification ("Main duties", "About us", "How to apply", …).

    >>> [s for _, _, s in line_sections("Essential\\n- GCSEs\\nDesirable: NVQ 3\\nAbout us")]
    ['essential', 'essential', 'desirable', 'unspecified']
    """
    spans: list[tuple[int, int, Section]] = []
    current: Section = "unspecified"
    position = 0
    for line in text.split("\n"):
        heading = _SECTION_HEADING.match(line) if line else None  # an empty line is neither
        if heading is not None:
            current = heading.group(1).lower()  # type: ignore[assignment]
        elif line and _OTHER_HEADING.match(line):
            current = "unspecified"
        spans.append((position, position + len(line), current))
        position += len(line) + 1
    return spans


_OR_LINE = re.compile(r"^[\s\-•*]*(\(?\s*or\b|equivalent\b)", re.IGNORECASE)
# Sentences end items; so do bullets run into one line ("Essential skills: • A • B").
_ITEM_BREAK = re.compile(r"[.!?;]\s|\s[•▪◦●]\s")
_ITEM_END = re.compile(r"[.!?;](\s|$)|\s[•▪◦●]\s")


def _item_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence or bullet item around ``text[start:end]`` (never crossing a line)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    item_start = line_start
    for match in _ITEM_BREAK.finditer(text[line_start:start]):
        item_start = line_start + match.end()
    stop = _ITEM_END.search(text[end:line_end])
    item_end = line_end if stop is None else end + stop.start() + 1
    return item_start, item_end


def _next_line(text: str, line_end: int) -> str:
    if line_end >= len(text):
        return ""
    following = text.find("\n", line_end + 1)
    return text[line_end + 1 : len(text) if following == -1 else following]


Bounds = tuple[int, int]
"""Where a demand's own words may lie: from the end of the previous demand in the same item
to the start of the next one, so "Licence required, NVQ 2 an advantage" gives each its own
marker."""

_NO_BOUNDS: Bounds = (0, 2**62)


SectionSource = Literal["heading", "inline", "none"]


def section_with_source(
    text: str,
    start: int,
    end: int,
    sections: Sequence[tuple[int, int, Section]],
    bounds: Bounds = _NO_BOUNDS,
    *,
    item: Bounds | None = None,
    line: tuple[int, int, Section] | None = None,
) -> tuple[Section, SectionSource]:
    """The section of a demand and where it comes from: an Essential/Desirable heading or
    column (``"heading"``), a marker in the demand's own sentence (``"inline"``), or neither.

    A desirable marker ("… would be an advantage") counts only between the neighbouring
    demands (``bounds``); an essential marker ("must", "required") anywhere in the item
    (the sentence or bullet around the demand; pass ``item`` when it is already known).
    ``line`` is the entry of ``sections`` (from :func:`line_sections`) holding ``start``,
    when already known: then the others are not looked at.
    """
    item_start, item_end = _item_bounds(text, start, end) if item is None else item
    if line is not None:
        sections = (line,)
    if _DESIRABLE_BEFORE.search(text, max(item_start, bounds[0]), start) or (
        _DESIRABLE_AFTER.search(text, end, min(item_end, bounds[1]))
    ):
        for line_start, line_end, section in sections:
            if line_start <= start <= line_end and section == "desirable":
                return "desirable", "heading"
        return "desirable", "inline"
    for line_start, line_end, section in sections:
        if line_start <= start <= line_end:
            if section == "unspecified":
                if _INLINE_ESSENTIAL.search(text, item_start, item_end):
                    return "essential", "inline"
                return "unspecified", "none"
            return section, "heading"
    return "unspecified", "none"


def section_of(
    text: str,
    start: int,
    end: int,
    sections: Sequence[tuple[int, int, Section]],
    bounds: Bounds = _NO_BOUNDS,
    *,
    item: Bounds | None = None,
) -> Section:
    """The section of a demand: an inline marker in its item wins over the heading above
    (see :func:`section_with_source`).

    >>> text = "Licence required and NVQ 2 would be an advantage."
    >>> section_of(text, 0, 7, line_sections(text), (0, 21)), section_of(
    ...     text, 21, 26, line_sections(text), (7, 50))
    ('essential', 'desirable')
    """
    return section_with_source(text, start, end, sections, bounds, item=item)[0]


def equivalent_route(
    text: str, start: int, end: int, bounds: Bounds = _NO_BOUNDS, *, item: Bounds | None = None
) -> bool:
    """Whether an equivalent or in-post route goes with the demand.

    Searched from the demand to the end of its item (or the next demand, see ``bounds``),
    in a following line that starts with "or", and, for in-post routes ("willing to
    complete", "we will support you to gain"), also before the demand. ``item`` is the
    sentence or bullet around the demand, when already known.

    >>> equivalent_route("GCSE maths (or equivalent)", 0, 11)
    True
    >>> equivalent_route("GCSE maths grade C. Or equivalent NVQ", 0, 11)
    False
    """
    item_start, item_end = _item_bounds(text, start, end) if item is None else item
    own_end = min(item_end, bounds[1])
    near_start = max(item_start, bounds[0], start - _NEAR_DEMAND)
    if _IN_POST.search(text, near_start, min(own_end, end + _NEAR_DEMAND)):
        return True
    window = text[start:own_end]
    line_end = text.find("\n", end)
    # A list of accepted equivalents may run on over the next lines ("or equivalent",
    # "Functional Skills Level 2", "NARIC/ENIC comparison"): up to three such lines.
    for _ in range(3):
        if line_end == -1 or own_end < line_end:
            break
        following = _next_line(text, line_end)
        if not (_OR_LINE.match(following) or _EQUIVALENT.search(following)):
            break
        window += " " + following
        line_end = text.find("\n", line_end + 1)
        own_end = len(text) if line_end == -1 else line_end
    return _EQUIVALENT.search(window) is not None


def in_post_route(text: str, item: Bounds) -> bool:
    """Whether the demand's item, or the sentence after it in the same paragraph, offers it
    in post: "leads to the Care Certificate", "you will undertake a Level 2 apprenticeship",
    "(training provided)", "fully funded QCF training", "we can fund this".

    >>> in_post_route("Care Certificate (training provided)", (0, 36))
    True
    >>> in_post_route("Care Certificate essential", (0, 26))
    False
    """
    start, end = item
    if _IN_POST.search(text, start, end):
        return True
    paragraph_end = text.find("\n\n", end)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    stop = _ITEM_END.search(text, min(end + 1, len(text)), paragraph_end)
    next_end = paragraph_end if stop is None else stop.end()
    return _FUNDED.search(text, end, next_end) is not None


# In the sentence after a demand only a promise to pay counts ("We pay for the course."),
# not a general "training provided", which may be about something else.
_FUNDED = re.compile(
    r"(?=[cftw])(?:"  # the letters a match starts with
    r"\bwe\s+(will\s+|can\s+|would\s+)?(pay|fund)\b|\bfully[\s-]+funded\b|"
    r"\b(course|tuition)\s+fees\s+(are\s+)?(paid|covered|funded)\b" + ")",
    re.IGNORECASE,
)


def neighbour_bounds(spans: Sequence[Bounds]) -> list[Bounds]:
    """For each ``(start, end)`` span, the end of the one before and the start of the next.

    >>> neighbour_bounds([(0, 7), (21, 26), (30, 35)])
    [(0, 21), (7, 30), (26, 4611686018427387904)]
    """
    ends = sorted(end for _, end in spans)
    starts = sorted(start for start, _ in spans)
    bounds = []
    for index, (start, end) in enumerate(spans):
        if end <= start:  # an empty span could be its own neighbour: leave it out by index
            before = [e for i, (_, e) in enumerate(spans) if i != index and e <= start]
            after = [s for i, (s, _) in enumerate(spans) if i != index and s >= end]
            bounds.append((max(before, default=0), min(after, default=_NO_BOUNDS[1])))
            continue
        # A span is never its own neighbour here (its end is after its start).
        below = bisect.bisect_right(ends, start)
        above = bisect.bisect_left(starts, end)
        bounds.append(
            (
                ends[below - 1] if below else 0,
                starts[above] if above < len(starts) else _NO_BOUNDS[1],
            )
        )
    return bounds


# --- judging ---------------------------------------------------------------------------------


def kind_of(finding: Finding) -> Kind | None:
    """The requirement kind of a lexicon match, from its category (and rule id)."""
    kind = _KIND_BY_CATEGORY.get(finding.category)
    if kind is not None:
        return kind
    if finding.category == "qualification_no_equivalent":
        rule = finding.rule_id.lower().replace("-", "_")
        for candidate in _QUALIFICATION_KINDS:
            if candidate in rule:
                return candidate
        return "qualification_level"
    return None


def qualification_level(text: str) -> int | None:
    """The RQF/NVQ level a demand names ("NVQ Level 3" -> 3, "foundation degree" -> 5,
    "A levels" -> 3)."""
    match = _LEVEL_RE.search(text)
    if match is not None:
        return int(match.group(1))
    if re.search(r"foundation\s+degree|dip\s?he|\bhnd\b", text, re.IGNORECASE):
        return 5
    if re.search(r"\bhnc\b|cert\s?he", text, re.IGNORECASE):
        return 4
    if re.search(r"\ba[\s-]levels?\b", text, re.IGNORECASE):
        return 3
    return None


def duration_months(text: str) -> int | None:
    """Months of experience a demand names ("2 years'" -> 24, "six months" -> 6)."""
    match = _DURATION_RE.search(text)
    if match is None:
        return None
    number = match.group(1).lower()
    value = _NUMBER_WORDS.get(number) or int(number)
    return value * 12 if match.group(2).lower().startswith(("y", "yr")) else value


Judgement = tuple[Severity | None, Severity | None, Severity | None]
"""Severity when essential with no route, essential with a route, and desirable."""

H, M, L = Severity.HIGH, Severity.MEDIUM, Severity.LOW
_GROUP_KEYS: dict[str, object] = {
    "entry": "entry",
    "band_3": 3,
    "band_4": 4,
    "registered": "registered",
    "not_stated": None,
}


def _severity(value: object) -> Severity | None:
    return None if value is None else Severity.parse(str(value))


@functools.cache
def _band_policy() -> dict[str, object]:
    """``bias_audit/data/band_policy.yml``: band expectations and severity rules."""
    return yaml.safe_load(
        resources.files("bias_audit").joinpath("data/band_policy.yml").read_text("utf-8")
    )


BAND_EXPECTATION: dict[int, str] = {
    int(band): " ".join(str(text).split())
    for band, text in _band_policy()["expectations"].items()  # type: ignore[union-attr]
}
"""What each band needs at entry, quoted in explanations (from ``band_policy.yml``)."""

SEVERITY_RULES: dict[str, dict[object, Judgement]] = {
    kind: {
        _GROUP_KEYS[group]: tuple(_severity(v) for v in rule)  # type: ignore[misc]
        for group, rule in groups.items()
    }
    for kind, groups in _band_policy()["severity"].items()  # type: ignore[union-attr]
}
"""kind -> band group -> (essential no route, essential with route, desirable); band groups
"entry" (Bands 1–2), 3, 4, "registered" (Band 5 and above) and ``None`` (not stated)."""

# Kinds whose judgement depends on the band, so the explanation quotes the band's expectation.
_BAND_KINDS = frozenset({*SEVERITY_RULES, "qualification_level"})
# Qualification levels: above the band's level = over-demand; at or below it = fine with a route.
_LEVEL_FOR_BAND: dict[int, int] = {
    int(k): int(v)
    for k, v in _band_policy()["qualification_level"]["without_route"].items()  # type: ignore[index]
}
_LEVEL_WITH_ROUTE_FOR_BAND: dict[int, int] = {
    int(k): int(v)
    for k, v in _band_policy()["qualification_level"]["with_route"].items()  # type: ignore[index]
}
# Essential experience with no length ("experience of working with children"), by band group.
_UNNUMBERED_EXPERIENCE: dict[object, Severity | None] = {
    _GROUP_KEYS[group]: _severity(value)
    for group, value in _band_policy()["unnumbered_experience"].items()  # type: ignore[union-attr]
}


def _band_group(band: int | None) -> object:
    if band is None:
        return None
    if band <= 2:
        return "entry"
    if band >= 5:
        return "registered"
    return band


def _lower(severity: Severity | None) -> Severity | None:
    if severity is None or severity == Severity.LOW:
        return None if severity is None else Severity.LOW
    return Severity(severity - 1)


def _pick(rule: Judgement, section: Section, route: bool) -> Severity | None:
    if section == "desirable":
        return rule[2]
    severity = rule[1] if route else rule[0]
    # A demand under no heading and with no "must"/"essential" may be a description of the
    # job rather than an entry criterion: one step milder.
    return _lower(severity) if section == "unspecified" else severity


def judge(
    kind: Kind,
    matched: str,
    *,
    section: Section,
    equivalent_accepted: bool,
    band: int | None,
    base: Severity,
    travel_mentioned: bool = False,
    travel_paid: bool = False,
) -> Severity | None:
    """The severity of one demand, or ``None`` when it is reasonable for the band.

    Examples
    --------
    >>> low = Severity.LOW
    >>> str(judge("degree", "degree", section="essential", equivalent_accepted=False, band=3,
    ...           base=low))
    'high'
    >>> judge("gcse", "GCSE", section="essential", equivalent_accepted=True, band=3, base=low)
    """
    group = _band_group(band)
    if kind in SEVERITY_RULES:
        rule = SEVERITY_RULES[kind][group]
        if kind == "experience":
            months = duration_months(matched)
            if months is None:
                # "Essential: experience of working with children": a barrier for an entry
                # role when it is essential with no "or willingness to learn"; not a
                # length-of-service rule, so one step milder, and fine from Band 4 up.
                if section != "essential" or equivalent_accepted:
                    return None
                return _UNNUMBERED_EXPERIENCE.get(group)
            if band is not None and 3 <= band <= 4 and months <= 6:
                rule = (L, None, None)
        return _pick(rule, section, equivalent_accepted)
    if kind == "qualification_level":
        level = qualification_level(matched)
        if band is None or band >= 5:
            rule = (M if band is None else L, None, None)
        elif level is None:
            rule = (M, None, None)
        else:
            allowed = (_LEVEL_WITH_ROUTE_FOR_BAND if equivalent_accepted else _LEVEL_FOR_BAND)[band]
            rule = (H, M, L) if level > allowed else (M, None, None)
        return _pick(rule, section, equivalent_accepted)
    if kind == "driving_licence":
        # Medium when the duties never mention travel, low when they do, nothing when the
        # travel is paid for (mileage), when only preferred, or with an alternative route.
        if travel_paid:
            return None
        rule = (L, None, None) if travel_mentioned else (M, None, None)
        return _pick(rule, section, equivalent_accepted)
    # Physical demands and language level: the lexicon's severity, milder when desirable.
    return _pick((base, base, _lower(base)), section, equivalent_accepted)


def judge_requirements(
    text: str, matches: Iterable[Finding], *, band: int | None
) -> list[Requirement]:
    """Turn lexicon matches of requirement categories into judged :class:`Requirement` records.

    Parameters
    ----------
    text : str
        The analysed text (the matches' offsets point into it).
    matches : iterable of Finding
        Lexicon matches in :data:`REQUIREMENT_CATEGORIES`; others are ignored.
    band : int, optional
        Agenda for Change band.

    Returns
    -------
    list of Requirement
        In text order. Each ``finding`` carries the band-judged severity and an explanation
        that says where the demand sits and the band (both bands of "Band 2 or 3"; the
        pay-scale year of a band read from the salary), or is ``None`` with
        ``cleared_because`` saying why: inside a notice, negated, someone else's, gained in
        post, a repeat, or reasonable for the band.
    """
    matches = list(matches)
    sections = line_sections(text)
    line_starts = [line_start for line_start, _, _ in sections]
    notices = boilerplate_spans(text)
    travel_mentioned = _travel_outside_licence(text, matches)
    travel_paid = travel_mentioned and _TRAVEL_PAID.search(text) is not None
    evidence = find_band_evidence(text)
    band_text = None
    if band is not None:
        band_text = (
            evidence.describe()
            if evidence is not None and evidence.band == band
            else MSG_BAND_NAMED.format(band=band)
        )
    requirements = []
    demands = [m for m in sorted(matches, key=lambda f: (f.start, f.end)) if kind_of(m)]
    spans = neighbour_bounds([(m.start, m.end) for m in demands])
    kinds = [kind_of(m) for m in demands]
    # For routes, a list of demands of one kind shares its "or equivalent"
    # ("GCSE English, GCSE maths or equivalent"): bounds only from other kinds.
    route_spans = _bounds_of_other_kinds(demands, kinds)
    previous_item: tuple[str | None, Bounds | None] = (None, None)
    for index, (match, bounds) in enumerate(zip(demands, spans, strict=True)):
        kind = kinds[index]
        item = _item_bounds(text, match.start, match.end)
        item_end = item[1]
        # Lines are contiguous: the last one starting at or before the demand holds it.
        line = sections[bisect.bisect_right(line_starts, match.start) - 1]
        section, source = section_with_source(
            text, match.start, match.end, sections, bounds, item=item, line=line
        )
        if kind == "physical" and source == "inline":
            # "You will need to stand for long periods" in prose is a description, not an
            # Essential criterion: judged as unmarked.
            section, source = "unspecified", "none"
        route = equivalent_route(text, match.start, match.end, route_spans[index], item=item)
        route = route or _alternative_to_neighbour(text, demands, index, item, kinds=kinds)
        cleared = _cleared_because(text, match, item, bounds, notices, kind=kind)
        # "Driving licence/own car" is one demand; "fit and able to lift" are two.
        same = kind if kind == "driving_licence" else match.rule_id
        if cleared is None and previous_item == (same, item):
            cleared = CLEARED_REPEAT
        previous_item = (same, item)
        severity = None
        if cleared is None:
            severity = judge(
                kind,
                _demand_text(text, match, item_end),
                section=section,
                equivalent_accepted=route,
                band=band,
                base=match.severity,
                travel_mentioned=travel_mentioned,
                travel_paid=travel_paid,
            )
            if severity is None:
                cleared = CLEARED_REASONABLE
        finding = None
        if severity is not None:
            finding = _judged_finding(
                match,
                kind,
                severity,
                section=section,
                source=source,
                route=route,
                band=band,
                band_text=band_text,
                travel_mentioned=travel_mentioned,
            )
        requirements.append(
            Requirement(kind, match.text, match.start, match.end, section, route, finding, cleared)
        )
    return requirements


def neighbour_bounds_of_other_kinds(
    demands: Sequence[Finding], kinds: Sequence[Kind | None], index: int
) -> Bounds:
    """Like :func:`neighbour_bounds` for one demand, counting only demands of other kinds."""
    start, end = demands[index].start, demands[index].end
    before = [
        d.end for d, k in zip(demands, kinds, strict=True) if k != kinds[index] and d.end <= start
    ]
    after = [
        d.start for d, k in zip(demands, kinds, strict=True) if k != kinds[index] and d.start >= end
    ]
    return max(before, default=0), min(after, default=_NO_BOUNDS[1])


def _bounds_of_other_kinds(
    demands: Sequence[Finding], kinds: Sequence[Kind | None]
) -> list[Bounds]:
    """:func:`neighbour_bounds_of_other_kinds` for every demand, with one sort per kind."""
    by_kind: dict[Kind | None, tuple[list[int], list[int]]] = {}
    bounds = []
    for demand, kind in zip(demands, kinds, strict=True):
        if kind not in by_kind:
            others = [d for d, k in zip(demands, kinds, strict=True) if k != kind]
            by_kind[kind] = (sorted(d.end for d in others), sorted(d.start for d in others))
        ends, starts = by_kind[kind]
        below = bisect.bisect_right(ends, demand.start)
        above = bisect.bisect_left(starts, demand.end)
        bounds.append(
            (
                ends[below - 1] if below else 0,
                starts[above] if above < len(starts) else _NO_BOUNDS[1],
            )
        )
    return bounds


def _alternative_to_neighbour(
    text: str,
    demands: Sequence[Finding],
    index: int,
    item: Bounds,
    *,
    kinds: Sequence[Kind | None] | None = None,
) -> bool:
    """Whether the demand and a neighbour in the same item are offered as alternatives:
    "NVQ 2 OR 6 months' experience", "Foundation degree, or a Level 3 qualification plus
    equivalent experience". ``kinds`` are the demands' kinds, when already known."""
    if kinds is None:
        kinds = [kind_of(demand) for demand in demands]
    match = demands[index]
    kind = kinds[index]
    if index > 0 and demands[index - 1].end >= item[0] and kinds[index - 1] != kind:
        between = text[demands[index - 1].end : match.start]
        if _ALTERNATIVE_BEFORE.search(between) and "\n" not in between:
            return True
    following = demands[index + 1] if index + 1 < len(demands) else None
    if following is not None and following.start <= item[1] and kinds[index + 1] != kind:
        between = text[match.end : demands[index + 1].start]
        if _ALTERNATIVE_AFTER.match(between) and "\n" not in between:
            return True
    return False


def _cleared_because(
    text: str,
    match: Finding,
    item: Bounds,
    bounds: Bounds,
    notices: Sequence[Span],
    *,
    kind: Kind | None = None,
) -> str | None:
    """Why a lexicon match is not the applicant's entry demand, or ``None`` when it is
    (``kind``: the match's kind, when already known)."""
    if kind is None:
        kind = kind_of(match)
    notice = notice_at(match.start, notices)
    if notice is not None:
        return CLEARED_NOTICE.format(notice=notice)
    item_start, item_end = item
    if _NEGATED.search(text, max(item_start, bounds[0]), min(item_end, bounds[1])):
        return CLEARED_NEGATED
    if _HELD_BY_OTHERS.search(text[item_start : match.start]):
        return CLEARED_HELD_BY_OTHERS
    # In a run-on item (bullets stripped) only the words near the demand speak for it.
    near = (max(item_start, match.start - _NEAR_DEMAND), min(item_end, match.end + _NEAR_DEMAND))
    if kind in _TRAINABLE_KINDS and in_post_route(text, near):
        return CLEARED_IN_POST
    return None


_NEAR_DEMAND = 120
# Demands that training in post can meet (a licence, a physical ability or a language
# level are not gained on a course the employer offers).
_TRAINABLE_KINDS = frozenset(
    {"degree", "qualification_level", "gcse", "care_certificate", "registration", "experience"}
)


def _demand_text(text: str, match: Finding, item_end: int) -> str:
    """The match plus the rest of its item, so "Level 3" or "2 years" after it is seen."""
    line_start = text.rfind("\n", 0, match.start) + 1
    return text[max(line_start, match.start - 20) : max(item_end, match.end)]


def _travel_outside_licence(text: str, matches: Iterable[Finding]) -> bool:
    """Whether the text mentions travel anywhere but in the licence demand's own words (a
    reason given beside it, "as the post involves travelling to patients' homes", counts)."""
    masked = text
    for match in matches:
        if match.category == "driving_licence":
            masked = masked[: match.start] + " " * (match.end - match.start) + masked[match.end :]
    return _TRAVEL.search(masked) is not None


def _judged_finding(
    match: Finding,
    kind: Kind,
    severity: Severity,
    *,
    section: Section,
    source: SectionSource = "heading",
    route: bool,
    band: int | None,
    band_text: str | None = None,
    travel_mentioned: bool,
) -> Finding:
    band_part = ""
    if band is not None:
        expectation = BAND_EXPECTATION.get(band, "") if kind in _BAND_KINDS else ""
        described = band_text or MSG_BAND_NAMED.format(band=band)
        band_part = MSG_BAND.format(band=described, expectation=expectation).rstrip(". ")
    where = (MSG_WHERE_INLINE if source == "inline" else MSG_WHERE)[section]
    context = MSG_CONTEXT.format(
        where=where,
        route=MSG_ROUTE_ACCEPTED if route else MSG_ROUTE_NONE,
        band=band_part,
    )
    explanation = f"{match.explanation.strip()} {context}"
    suggestions = match.suggestions
    if kind == "driving_licence":
        if not travel_mentioned:
            explanation += MSG_NO_TRAVEL
        if not any(SUGGEST_TRAVEL in s for s in suggestions):
            suggestions = (*suggestions, SUGGEST_TRAVEL)
    return replace(match, severity=severity, explanation=explanation, suggestions=suggestions)


def find_requirements(doc: Doc, lexicon: Lexicon, *, band: int | None) -> list[Requirement]:
    """Find and judge every demand in a parsed advert.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The advert parsed by :func:`bias_audit.text.pipeline.get_pipeline`.
    lexicon : Lexicon
        The loaded lexicon (its requirement categories are used).
    band : int, optional
        Agenda for Change band, given or found with :func:`find_band`.
    """
    from bias_audit.text.matching import match_categories

    categories = [c for c in REQUIREMENT_CATEGORIES if c in lexicon.categories]
    matches = match_categories(doc, lexicon, categories=categories)
    return judge_requirements(doc.text, matches, band=band)
