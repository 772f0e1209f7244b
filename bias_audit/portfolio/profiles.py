"""Each essential demand judged against the band's Agenda for Change national profile.

The profiles' knowledge, training and experience level for support-worker roles (Bands 1–4)
is data, ``bias_audit/data/afc_profiles.yml``, with its sources (NHS Employers national job
profiles; NHS Job Evaluation Handbook factor 2). A demand is judged by the level of
knowledge it names (RQF: "NVQ 3" → 3, "foundation degree" → 5, a degree → 6) against the
profile's level, and by whether it leaves the profile's "or equivalent experience" route
open. Driving, physical and language demands are not knowledge, training or experience:
the profiles do not judge them (the portfolio's other checks do).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from bias_audit.errors import LexiconError
from bias_audit.portfolio.documents import PortfolioDocument, demand_status
from bias_audit.text.band_policy import qualification_level
from bias_audit.text.requirements import CLEARED_REPEAT, Requirement
from bias_audit.yaml_files import load_yaml

PROFILES_FILE = "data/afc_profiles.yml"
BAND_KEYS = (
    "kte_level",
    "qualification_level",
    "equivalent_experience",
    "prior_experience",
    "profiles",
    "summary",
    "sources",
    "checked",
)
LEVEL_KEYS = (
    "degree",
    "gcse",
    "care_certificate",
    "registration",
    "registration_nursing_associate",
)
KNOWLEDGE_KINDS = frozenset(
    {"degree", "qualification_level", "gcse", "care_certificate", "registration"}
)

MSG_PROFILES_BROKEN = (
    "{file}: {where} {problem}. Restore the file from the repository or fix that entry."
)

Verdict = Literal["above profile", "no equivalent route", "within profile", "not judged"]

WHY_ABOVE_LEVEL = (
    "asks for RQF Level {level} knowledge; the Band {band} national profile expects {summary}"
)
WHY_ABOVE_REGISTRATION = (
    "asks for professional registration, the level of a registered practitioner (RQF Level "
    "{level}); the Band {band} national profile expects {summary}"
)
WHY_NO_ROUTE = (
    "asks for a Level {level} qualification with no equivalent route; the Band {band} "
    "national profile accepts equivalent experience ({summary})"
)
WHY_PRIOR_EXPERIENCE = (
    "asks for experience before appointment; the Band {band} national profile expects the "
    "job to be learnt in post ({summary})"
)
WHY_WITHIN = "within the Band {band} national profile ({summary})"
WHY_NOT_KTE = (
    "not a knowledge, training or experience demand: the national profiles do not judge it"
)
WHY_NO_PROFILE = "no national support-worker profile for {band}: not judged"
WHY_LEVEL_UNREAD = "the level of the qualification could not be read: not judged"


@dataclass(frozen=True, slots=True)
class BandProfile:
    """What the national profiles expect of one band (see ``afc_profiles.yml``)."""

    band: int
    kte_level: int
    qualification_level: int | None
    equivalent_experience: bool
    prior_experience: bool
    profiles: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    checked: str

    def to_dict(self) -> dict[str, object]:
        return {
            "band": self.band,
            "kte_level": self.kte_level,
            "qualification_level": self.qualification_level,
            "equivalent_experience": self.equivalent_experience,
            "prior_experience": self.prior_experience,
            "profiles": list(self.profiles),
            "summary": self.summary,
            "sources": list(self.sources),
            "checked": self.checked,
        }


@dataclass(frozen=True, slots=True)
class NationalProfiles:
    bands: Mapping[int, BandProfile]
    sources: Mapping[str, str]
    demand_levels: Mapping[str, int]

    def cite(self, band: int) -> str:
        """The sources of a band's entry, as text."""
        return "; ".join(self.sources[key] for key in self.bands[band].sources)


@dataclass(frozen=True, slots=True)
class ProfileJudgement:
    """One essential demand of one document against its band's national profile."""

    document: str
    band: int | None
    kind: str
    text: str
    start: int
    level: int | None
    verdict: Verdict
    why: str
    source: str

    def to_dict(self) -> dict[str, object]:
        return {
            "document": self.document,
            "band": self.band,
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "level": self.level,
            "verdict": self.verdict,
            "why": self.why,
            "source": self.source,
        }


def _broken(where: str, problem: str) -> LexiconError:
    return LexiconError(
        MSG_PROFILES_BROKEN.format(file=f"bias_audit/{PROFILES_FILE}", where=where, problem=problem)
    )


@functools.cache
def load_profiles() -> NationalProfiles:
    """The shipped national profile levels, validated (once per process).

    >>> profiles = load_profiles()
    >>> profiles.bands[3].qualification_level, profiles.bands[4].qualification_level
    (3, 5)
    """
    text = resources.files("bias_audit").joinpath(PROFILES_FILE).read_text("utf-8")
    return parse_profiles(text)


def parse_profiles(text: str) -> NationalProfiles:
    """Validate the YAML of ``afc_profiles.yml``; :class:`LexiconError` names what is wrong."""
    data = load_yaml(text)
    if not isinstance(data, dict) or not {"sources", "bands", "demand_levels"} <= set(data):
        raise _broken("the file", "must hold sources, bands and demand_levels")
    sources = {str(k): " ".join(str(v).split()) for k, v in data["sources"].items()}
    bands = {}
    for band, raw in data["bands"].items():
        where = f"bands.{band}"
        if not isinstance(raw, dict) or sorted(raw) != sorted(BAND_KEYS):
            raise _broken(where, f"must have exactly the keys {', '.join(BAND_KEYS)}")
        unknown = [key for key in raw["sources"] if key not in sources]
        if unknown:
            raise _broken(where, f"cites unknown source(s) {', '.join(unknown)}")
        level = raw["qualification_level"]
        if level is not None and not (isinstance(level, int) and 1 <= level <= 8):
            raise _broken(where, f"has qualification_level {level!r}; give 1 to 8 or null")
        bands[int(band)] = BandProfile(
            band=int(band),
            kte_level=int(raw["kte_level"]),
            qualification_level=level,
            equivalent_experience=bool(raw["equivalent_experience"]),
            prior_experience=bool(raw["prior_experience"]),
            profiles=tuple(str(p) for p in raw["profiles"]),
            summary=" ".join(str(raw["summary"]).split()),
            sources=tuple(raw["sources"]),
            checked=str(raw["checked"]),
        )
    levels = data["demand_levels"]
    if not isinstance(levels, dict) or sorted(levels) != sorted(LEVEL_KEYS):
        raise _broken("demand_levels", f"must have exactly the keys {', '.join(LEVEL_KEYS)}")
    return NationalProfiles(bands, sources, {str(k): int(v) for k, v in levels.items()})


_POSTGRADUATE = re.compile(r"\b(master'?s|postgraduate|msc|m\.sc|ma|phd|doctorate)\b", re.I)
_NURSING_ASSOCIATE = re.compile(r"\bnursing\s+associate", re.IGNORECASE)


def demand_level(text: str, requirement: Requirement, profiles: NationalProfiles) -> int | None:
    """The RQF level of knowledge a demand stands for: the level its words name, else the
    kind's usual level (``demand_levels``); ``None`` when it cannot be read.

    >>> from bias_audit.text.requirements import CLEARED_REPEAT, Requirement
    >>> t = "Essential: NVQ Level 3 in care"
    >>> demand_level(t, Requirement("qualification_level", "NVQ Level 3", 11, 22,
    ...              "essential", False, None), load_profiles())
    3
    """
    line_start = text.rfind("\n", 0, requirement.start) + 1
    line_end = text.find("\n", requirement.end)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    own = text[requirement.start : len(text) if line_end == -1 else line_end]
    levels = profiles.demand_levels
    if requirement.kind == "degree":
        named = qualification_level(requirement.text)
        if named is not None:
            return named
        return 7 if _POSTGRADUATE.search(line) else levels["degree"]
    if requirement.kind == "qualification_level":
        return qualification_level(own)
    if requirement.kind == "registration":
        if _NURSING_ASSOCIATE.search(line):
            return levels["registration_nursing_associate"]
        return levels["registration"]
    if requirement.kind in levels:
        return levels[requirement.kind]
    return None


def judge_demand(
    document: PortfolioDocument, requirement: Requirement, profiles: NationalProfiles
) -> ProfileJudgement:
    """One demand against the national profile of the document's band."""
    band = document.band
    status = demand_status(requirement)
    level = (
        demand_level(document.text, requirement, profiles)
        if requirement.kind in KNOWLEDGE_KINDS
        else None
    )

    def result(verdict: Verdict, why: str, source: str = "") -> ProfileJudgement:
        return ProfileJudgement(
            document.name,
            band,
            requirement.kind,
            requirement.text,
            requirement.start,
            level,
            verdict,
            why,
            source,
        )

    if band is None or band not in profiles.bands:
        named = "an unstated band" if band is None else f"Band {band}"
        return result("not judged", WHY_NO_PROFILE.format(band=named))
    profile = profiles.bands[band]
    source = profiles.cite(band)
    fields = {"band": band, "summary": profile.summary, "level": level}
    if requirement.kind == "experience":
        if status == "essential" and not profile.prior_experience:
            return result("above profile", WHY_PRIOR_EXPERIENCE.format(**fields), source)
        # A length of experience is judged by the advert checker's band policy.
        return result("within profile", WHY_WITHIN.format(**fields), source)
    if requirement.kind not in KNOWLEDGE_KINDS:
        return result("not judged", WHY_NOT_KTE)
    if level is None:
        return result("not judged", WHY_LEVEL_UNREAD)
    allowed = profile.qualification_level or 1
    if level > allowed:
        why = WHY_ABOVE_REGISTRATION if requirement.kind == "registration" else WHY_ABOVE_LEVEL
        return result("above profile", why.format(**fields), source)
    # Registration is a legal status: no equivalent route can stand in for it.
    if (
        status == "essential"
        and profile.equivalent_experience
        and requirement.kind != "registration"
    ):
        return result("no equivalent route", WHY_NO_ROUTE.format(**fields), source)
    return result("within profile", WHY_WITHIN.format(**fields), source)


def judge_document(
    document: PortfolioDocument, profiles: NationalProfiles | None = None
) -> tuple[ProfileJudgement, ...]:
    """Every essential demand of a document (Essential, with or without a route) judged
    against its band's national profile, in text order."""
    profiles = load_profiles() if profiles is None else profiles
    return tuple(
        judge_demand(document, r, profiles)
        for r in document.requirements
        if demand_status(r) in ("essential", "route accepted")
        and r.cleared_because != CLEARED_REPEAT
    )
