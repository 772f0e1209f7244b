"""Furthest stage reached: from outcome texts, per-stage flags or dates, or stage counts.

Outcome vocabulary follows what TRAC, NHS Jobs and Oleeo exports show (e.g. TRAC's
"Shortlisting: Rejected", "Interview: Reserve", "Offer", "Starting"); see
``research/ecosystem.md`` §6.1. Anything the rules do not understand is *not* guessed: it is
counted, listed in the warnings and left out of the statistics, and the user can map it with
``--stages "Outcome text=stage"``.

Like :mod:`bias_audit.io.codes`, every function here looks at distinct values only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files

import numpy as np

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io.codes import clean_text
from bias_audit.stats import schema
from bias_audit.yaml_files import load_yaml

# Canonical stages the outcome rules know, in order; configured stages are matched to these.
CANONICAL_STAGES: tuple[str, ...] = schema.DEFAULT_STAGES
_STAGE_NAME_SYNONYMS: dict[str, str] = {
    "applied": "applied",
    "application": "applied",
    "applications": "applied",
    "applicants": "applied",
    "shortlisted": "shortlisted",
    "shortlist": "shortlisted",
    "shortlisting": "shortlisted",
    "invited to interview": "shortlisted",
    "invited for interview": "shortlisted",
    "interviewed": "interviewed",
    "interview": "interviewed",
    "interviews": "interviewed",
    "offered": "offered",
    "offer": "offered",
    "offers": "offered",
    "appointed": "appointed",
    "appointment": "appointed",
    "appointments": "appointed",
    "hired": "appointed",
    "started": "appointed",
}

MSG_STAGES_TOO_FEW = (
    "--stages needs at least two stage names (got {given!r}); for example "
    "--stages applied,shortlisted,interviewed,offered,appointed."
)
MSG_STAGES_DUPLICATE = "--stages names the stage {stage!r} twice; give each stage once."
MSG_UNKNOWN_STAGE_IN_MAPPING = (
    "{file}: the --stages mapping {entry!r} sends outcome text to the stage {stage!r}, which "
    "is not one of the stages ({stages}). Use one of those names, e.g. "
    '"{text}={first}".'
)
MSG_UNKNOWN_LEFT_BY = (
    "{file}: the --stages mapping {entry!r} says the application left by {left!r}; use one "
    "of {choices}."
)
MSG_BAD_MAPPING = (
    '{file}: the --stages entry {entry!r} is not of the form "Outcome text=stage" or '
    '"Outcome text=stage:withdrew".'
)

WARN_UNKNOWN_OUTCOMES = (
    "{count} applications have an outcome the tool does not recognise in column "
    '"{column}" and were left out of every statistic: {examples}. Map them with '
    '--stages "Outcome text=stage" (stages: {stages}).'
)
WARN_BLANK_OUTCOMES = (
    '{count} applications have a blank "{column}" and were left out of every statistic.'
)
WARN_BEFORE_FIRST_STAGE = (
    "{count} applications ended before the first stage ({first}) and were left out: {examples}."
)
WARN_STAGE_HOLE = (
    '{count} applications reached "{later}" with no "{stage}" record in column "{column}"; '
    'they were counted as reaching "{later}" (and every stage before it). Check the extract.'
)
WARN_VACANCY_WITHDRAWN = (
    "{count} applications were on vacancies withdrawn by the employer; they are counted as "
    "withdrawals, so they leave the denominator of the step they were at."
)
WARN_MORE_THAN_BEFORE = (
    'More people reached "{later}" ({later_n}) than "{stage}" ({stage_n}) for {cell}; the '
    "counts cannot all be right. Those cells were treated as nobody stopping at "
    '"{stage}". Check the count table.'
)


@dataclass(frozen=True)
class StagePlan:
    """The configured stage ladder, plus user outcome mappings.

    ``canonical_index[c]`` is the configured stage index an outcome at canonical stage ``c``
    lands on (the furthest configured stage at or before it), or -1 when the ladder starts
    later than that.
    """

    stages: tuple[str, ...]
    canonical_index: dict[str, int]
    outcome_map: dict[str, tuple[int, str]] = field(default_factory=dict)

    def exact_index(self, key: str) -> int | None:
        """Index of the configured stage whose key is exactly ``key``, if any."""
        for i, stage in enumerate(self.stages):
            if stage_key(stage) == key:
                return i
        return None

    def index_of(self, name: str) -> int | None:
        """Index of a configured stage given by name or synonym (case-insensitive)."""
        key = stage_key(name)
        exact = self.exact_index(key)
        if exact is not None:
            return exact
        canonical = _STAGE_NAME_SYNONYMS.get(key)
        if canonical is not None:
            for i, stage in enumerate(self.stages):
                if _STAGE_NAME_SYNONYMS.get(stage_key(stage)) == canonical:
                    return i
        return None


def stage_key(text: object) -> str:
    """Lower-case words only: the comparison key for stage names and outcome texts."""
    return re.sub(r"[^a-z0-9]+", " ", clean_text(text)).strip()


def make_stage_plan(
    stages: Sequence[str] | None, *, file: str = "", outcome_map: Mapping[str, str] | None = None
) -> StagePlan:
    """Build the stage ladder from ``--stages``.

    Entries without ``=`` name stages in order; entries ``"Outcome text=stage"`` or
    ``"Outcome text=stage:withdrew"`` map an outcome text the rules do not know.

    Examples
    --------
    >>> plan = make_stage_plan(["applied", "shortlisted", "appointed", "Pending=applied"])
    >>> plan.stages, plan.canonical_index["offered"], plan.outcome_map["pending"]
    (('applied', 'shortlisted', 'appointed'), 1, (0, 'not_progressed'))
    """
    given = list(schema.DEFAULT_STAGES if stages is None else stages)
    names = [s.strip() for s in given if "=" not in s and s.strip()]
    mappings = [s for s in given if "=" in s]
    if stages is not None and not names:
        names = list(schema.DEFAULT_STAGES)
    if len(names) < 2:
        raise OptionError(MSG_STAGES_TOO_FEW.format(given=",".join(given)))
    keys = [stage_key(n) for n in names]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise OptionError(MSG_STAGES_DUPLICATE.format(stage=names[i]))
    canonical_index: dict[str, int] = {}
    for rank, canonical in enumerate(CANONICAL_STAGES):
        best = -1
        for i, key in enumerate(keys):
            known = _STAGE_NAME_SYNONYMS.get(key)
            if known is not None and CANONICAL_STAGES.index(known) <= rank:
                best = i
        canonical_index[canonical] = best
    plan = StagePlan(tuple(names), canonical_index)
    for entry in [*mappings, *(f"{k}={v}" for k, v in (outcome_map or {}).items())]:
        text, _, target = entry.rpartition("=")
        stage_name, _, left = target.partition(":")
        if not text.strip() or not stage_name.strip():
            raise OptionError(MSG_BAD_MAPPING.format(file=file, entry=entry))
        index = plan.index_of(stage_name)
        if index is None:
            raise UnknownStageError(
                MSG_UNKNOWN_STAGE_IN_MAPPING.format(
                    file=file,
                    entry=entry,
                    stage=stage_name.strip(),
                    stages=", ".join(names),
                    text=text.strip(),
                    first=names[0],
                )
            )
        left = left.strip() or (
            schema.LEFT_BY_COMPLETED if index == len(names) - 1 else schema.LEFT_BY_NOT_PROGRESSED
        )
        if left not in schema.LEFT_BY_VALUES:
            raise OptionError(
                MSG_UNKNOWN_LEFT_BY.format(
                    file=file, entry=entry, left=left, choices=", ".join(schema.LEFT_BY_VALUES)
                )
            )
        plan.outcome_map[stage_key(text)] = (index, left)
    return plan


class UnknownStageError(OptionError, InputDataError):
    """A --stages outcome mapping names a stage that is not in the stage list."""


# Outcome rules: (canonical stage, how it left) from the words of an outcome text.
_NEGATIVE = {"unsuccessful", "rejected", "reject", "regret", "not", "failed", "fail", "no"}
_AFTER_INTERVIEW = {"after", "post", "following", "completed", "attended", "feedback", "held"}
_APPOINTED_WORDS = {
    "appointed",
    "appointment",
    "started",
    "starting",
    "starter",
    "commenced",
    "hired",
    "successful",
    "accepted",
    "contract",
    "onboarding",
    "onboarded",
}
_OFFER_WORDS = {"offer", "offered", "conditional", "unconditional", "checks", "clearance"}
_VACANCY_WORDS = {"vacancy", "post", "advert", "job", "role", "position", "requisition"}

# Canonical stage for outcomes that are "vacancy withdrawn" (reported separately).
VACANCY_WITHDRAWN = "vacancy withdrawn"


def classify_outcome(text: object) -> tuple[str, str] | None:
    """Canonical (stage, left_by) an outcome text means, or ``None`` if not understood.

    Examples
    --------
    >>> classify_outcome("Interviewed - unsuccessful")
    ('interviewed', 'not_progressed')
    >>> classify_outcome("Shortlisting: Rejected")
    ('applied', 'not_progressed')
    >>> classify_outcome("Offer declined")
    ('offered', 'declined_offer')
    >>> [classify_outcome(t) for t in ("Withdrawn after shortlisting", "Withdrew at shortlisting")]
    [('shortlisted', 'withdrew'), ('applied', 'withdrew')]
    >>> classify_outcome("Unsuccessful") is None
    True
    """
    key = stage_key(text)
    words = set(key.split())
    if not words:
        return None
    negative = bool(words & _NEGATIVE)
    mentions_offer = bool(words & {"offer", "offered"})
    # An assessment centre is the interview step in some trusts' ladders.
    mentions_interview = any(w.startswith(("interview", "assessment")) for w in words)
    if words & {"withdrawn", "withdrew", "withdraw", "withdrawal", "retracted", "rescinded"} or (
        "did not attend" in key or "no show" in key or "failed to attend" in key or "dna" in words
    ):
        by_candidate = bool(words & {"candidate", "applicant", "withdrew", "self"})
        if mentions_offer and not by_candidate:
            return "offered", schema.LEFT_BY_NOT_PROGRESSED  # the employer withdrew the offer
        if words & _VACANCY_WORDS and not by_candidate:
            return VACANCY_WITHDRAWN, schema.LEFT_BY_WITHDREW
        if mentions_offer:
            return "offered", schema.LEFT_BY_WITHDREW
        if "interviewed" in words or (mentions_interview and words & _AFTER_INTERVIEW):
            return "interviewed", schema.LEFT_BY_WITHDREW
        after_shortlisting = words & _AFTER_INTERVIEW and any(
            w.startswith("shortlist") for w in words
        )
        if (
            mentions_interview
            or after_shortlisting
            or words & {"shortlisted", "attend", "dna", "show"}
        ):
            return "shortlisted", schema.LEFT_BY_WITHDREW
        return "applied", schema.LEFT_BY_WITHDREW
    if words & {"declined", "decline", "declines"} or "turned down" in key:
        if mentions_offer or words & {"candidate", "applicant"}:
            return "offered", schema.LEFT_BY_DECLINED
        if mentions_interview:
            return "shortlisted", schema.LEFT_BY_WITHDREW
        return None
    if mentions_offer and words & {"rejected", "refused"} and words & {"candidate", "by"}:
        return "offered", schema.LEFT_BY_DECLINED
    # "Shortlisted - rejected at interview" got past shortlisting: only a negative about the
    # shortlisting itself, with no later step named, means it ended there.
    not_shortlisted = "not shortlisted" in key or "unshortlisted" in words
    later_step = mentions_interview or mentions_offer
    if any(w.startswith(("shortlist", "longlist", "sift")) for w in words) and (
        not_shortlisted or (negative and not later_step)
    ):
        return "applied", schema.LEFT_BY_NOT_PROGRESSED
    if "not interviewed" in key and "shortlisted" in words:
        return "shortlisted", schema.LEFT_BY_NOT_PROGRESSED  # shortlisted, never interviewed
    if "not invited" in key:
        return "applied", schema.LEFT_BY_NOT_PROGRESSED
    if "successful" in words and mentions_interview and not negative:
        return "offered", schema.LEFT_BY_NOT_PROGRESSED  # passed interview, offer to follow
    if words & _APPOINTED_WORDS and not negative:
        return "appointed", schema.LEFT_BY_COMPLETED
    if "start date" in key or "in post" in key or "ready to start" in key:
        return "appointed", schema.LEFT_BY_COMPLETED
    if words & _OFFER_WORDS or "pre employment" in key:
        return "offered", schema.LEFT_BY_NOT_PROGRESSED
    if (
        "interviewed" in words
        or "reserve" in words
        or (mentions_interview and (negative or words & _AFTER_INTERVIEW))
    ):
        return "interviewed", schema.LEFT_BY_NOT_PROGRESSED
    if mentions_interview or words & {"shortlisted", "shortlist", "invited"}:
        return "shortlisted", schema.LEFT_BY_NOT_PROGRESSED
    if words & {"applied", "application", "submitted", "received", "new", "longlisted"} or (
        words & {"pile", "shortlisting", "longlisting", "sift", "review", "evaluate"}
        or words & {"pending", "awaiting", "screening", "progress"}
    ):
        return "applied", schema.LEFT_BY_NOT_PROGRESSED
    return None


VOCABULARY_FILE = files("bias_audit").joinpath("data/outcome_vocabulary.yml")


@dataclass(frozen=True)
class VocabularyEntry:
    """One status text of a recruitment system and what it means."""

    system: str
    text: str
    stage: str  # canonical stage
    left_by: str


@functools.cache
def _vocabulary_document() -> dict:
    """``outcome_vocabulary.yml`` as read (once per process: two look-ups use it)."""
    return load_yaml(VOCABULARY_FILE.read_text(encoding="utf-8"))


@functools.cache
def vocabulary_entries() -> tuple[VocabularyEntry, ...]:
    """Every status of ``outcome_vocabulary.yml`` (TRAC, NHS Jobs, Oleeo, ESR)."""
    data = _vocabulary_document()
    return tuple(
        VocabularyEntry(system["system"], str(s["text"]), s["stage"], s["left_by"])
        for system in data["systems"]
        for s in system["statuses"]
    )


@functools.cache
def _vocabulary() -> dict[str, tuple[str, str]]:
    return {stage_key(e.text): (e.stage, e.left_by) for e in vocabulary_entries()}


@functools.cache
def binary_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Keys of the appointed and the not-appointed words of a binary outcome column."""
    data = _vocabulary_document()["binary"]
    return (
        frozenset(stage_key(t) for t in data["appointed"]),
        frozenset(stage_key(t) for t in data["not_appointed"]),
    )


def binary_meaning(text: object) -> int:
    """+1 for an "appointed" word, -1 for a "not appointed" word, 0 otherwise.

    >>> [binary_meaning(t) for t in ("Appointed", "Not appointed", "NO", "Interviewed")]
    [1, -1, -1, 0]
    """
    yes, no = binary_vocabulary()
    key = stage_key(text)
    return 1 if key in yes else -1 if key in no else 0


def read_status(text: object) -> tuple[str, str] | None:
    """Canonical (stage, left_by) of a status: the vocabulary table, then the word rules.

    >>> read_status("Reserve shortlist"), read_status("Interview: Reserve")
    (('applied', 'not_progressed'), ('interviewed', 'not_progressed'))
    """
    found = _vocabulary().get(stage_key(text))
    return found if found is not None else classify_outcome(text)


@dataclass(frozen=True)
class OutcomeCodes:
    """Per distinct outcome text: configured stage index (-1 = left out) and left_by index.

    ``reason`` holds why a text was left out: "unknown", "blank", "before first stage".
    """

    stage: np.ndarray
    left_by: np.ndarray
    reason: tuple[str, ...]


def outcome_codes(values: Sequence[object], plan: StagePlan) -> OutcomeCodes:
    """Classify distinct outcome texts against the configured ladder.

    Examples
    --------
    >>> codes = outcome_codes(["Appointed", "Withdrawn", "Gone fishing"], make_stage_plan(None))
    >>> codes.stage.tolist(), codes.left_by.tolist(), codes.reason
    ([4, 0, -1], [3, 1, -1], ('', '', 'unknown'))
    """
    last = len(plan.stages) - 1
    stage = np.full(len(values), -1, dtype=np.int8)
    left = np.full(len(values), -1, dtype=np.int8)
    reasons: list[str] = []
    for i, raw in enumerate(values):
        key = stage_key(raw)
        reason = ""
        if key in plan.outcome_map:
            stage[i], left_name = plan.outcome_map[key]
            left[i] = schema.LEFT_BY_VALUES.index(left_name)
        elif key and plan.exact_index(key) is not None:
            stage[i] = plan.exact_index(key)
            left[i] = schema.LEFT_BY_VALUES.index(
                schema.LEFT_BY_COMPLETED if stage[i] == last else schema.LEFT_BY_NOT_PROGRESSED
            )
        elif not key:
            reason = "blank"
        else:
            found = read_status(raw)
            if found is None:
                reason = "unknown"
            else:
                canonical, left_name = found
                if canonical == VACANCY_WITHDRAWN:
                    reason = "vacancy"
                    canonical = "applied"
                index = plan.canonical_index[canonical]
                if index < 0:
                    reason = "before first stage"
                else:
                    if index == last and left_name == schema.LEFT_BY_NOT_PROGRESSED:
                        left_name = schema.LEFT_BY_COMPLETED
                    stage[i] = index
                    left[i] = schema.LEFT_BY_VALUES.index(left_name)
        reasons.append(reason)
    return OutcomeCodes(stage, left, tuple(reasons))


_FLAG_NO = frozenset(
    {"", "n", "no", "false", "f", "0", "none", "not", "na", "n a", "nan", "nat", "null"}
)


def flag_reached(value: object) -> bool:
    """Whether a per-stage flag or date cell says the stage was reached.

    Blank, "N", "No", "False", "0" and "not …" mean no; a date, "Y", "Yes" or any other
    value means yes.

    >>> [flag_reached(v) for v in ("Y", "12/03/2024", "", "No", "Not attended", 1)]
    [True, True, False, False, False, True]
    """
    key = stage_key(value)
    return not (key in _FLAG_NO or key.startswith(("not ", "no ")))
