"""Inclusion signals: good practice an advert shows, reported as present or missing.

The phrases live in ``lexicons/inclusion_signals.yml``; each entry names the signal it shows
in its ``signal:`` field (one of :data:`bias_audit.lexicon_schema.INCLUSION_SIGNALS`, checked at
load). These are never problems: a missing signal is a suggestion, so they are kept out of an
advert's findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bias_audit.lexicon_schema import INCLUSION_CATEGORY
from bias_audit.text.notices import PAY_NOTICE_KINDS, boilerplate_spans, notice_at
from bias_audit.types import Finding

if TYPE_CHECKING:
    from bias_audit.lexicon import Lexicon

CATEGORY = INCLUSION_CATEGORY


@dataclass(frozen=True, slots=True)
class SignalSpec:
    """What one signal is called (``name``: the entries' ``signal:`` value), its label, and
    what to add when it is missing."""

    name: str
    label: str
    missing_suggestion: str


SIGNALS: tuple[SignalSpec, ...] = (
    SignalSpec(
        "salary",
        "Salary stated",
        'State the band and salary, e.g. "Band 3, £24,937 to £26,598 a year, pro rata".',
    ),
    SignalSpec(
        "flexible_working",
        "Flexible working offered",
        "Say which flexible patterns are possible (part-time, job share, set shifts).",
    ),
    SignalSpec(
        "adjustments",
        "Reasonable adjustments / Disability Confident / guaranteed interview",
        "Add a reasonable-adjustments statement with a named contact, and mention "
        "Disability Confident or a guaranteed-interview scheme if the trust has one.",
    ),
    SignalSpec(
        "entry_route",
        'Apprenticeship or "no experience needed" route',
        'Say "No experience needed: full training given", or mention the apprenticeship route.',
    ),
    SignalSpec(
        "welcome",
        "Welcome to under-represented groups",
        "Add a welcome to groups under-represented in the team (lawful positive action, "
        "Equality Act s.158).",
    ),
)


@dataclass(frozen=True, slots=True)
class InclusionSignal:
    """One signal: present or not, the matches that show it, and a suggestion if missing."""

    name: str
    label: str
    present: bool
    evidence: tuple[Finding, ...]
    suggestion: str | None

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "present": self.present,
            "evidence": [
                {"rule_id": f.rule_id, "start": f.start, "end": f.end, "text": f.text}
                for f in self.evidence
            ],
            "suggestion": self.suggestion,
        }


def signals_from_matches(
    matches: Iterable[Finding], lexicon: Lexicon, *, text: str | None = None
) -> list[InclusionSignal]:
    """Group inclusion-signal matches into one :class:`InclusionSignal` per known signal.

    Each match counts for the signal its lexicon entry names (``signal:``). With the analysed
    ``text``, pay figures inside visa and sponsorship notices (a visa salary threshold) are
    not taken as the job's salary.

    Examples
    --------
    >>> from bias_audit.lexicon import load_lexicon
    >>> from bias_audit.types import Severity
    >>> pay = Finding("inclusion-salary-amount", CATEGORY, Severity.LOW, 7, 14, "£24,071",
    ...               "", (), "")
    >>> [(s.name, s.present) for s in signals_from_matches([pay], load_lexicon())][:2]
    [('salary', True), ('flexible_working', False)]
    """
    signal_of = _signal_of(lexicon)
    matches = [m for m in matches if m.category == CATEGORY]
    if text is not None:
        notices = boilerplate_spans(text, kinds=PAY_NOTICE_KINDS)
        matches = [
            m
            for m in matches
            if not (signal_of.get(m.rule_id) == "salary" and notice_at(m.start, notices))
        ]
    signals = []
    for spec in SIGNALS:
        evidence = tuple(
            sorted(
                (m for m in matches if signal_of.get(m.rule_id) == spec.name),
                key=lambda f: (f.start, f.end),
            )
        )
        present = bool(evidence)
        signals.append(
            InclusionSignal(
                spec.name,
                spec.label,
                present,
                evidence,
                None if present else spec.missing_suggestion,
            )
        )
    return signals


# lexicon version -> rule id -> the signal its matches count for (asked for on every advert)
_SIGNALS_BY_VERSION: dict[str, dict[str, str | None]] = {}


def _signal_of(lexicon: Lexicon) -> dict[str, str | None]:
    """Rule id -> the signal its matches count for, kept per lexicon version (read only)."""
    signal_of = _SIGNALS_BY_VERSION.get(lexicon.version)
    if signal_of is None:
        if len(_SIGNALS_BY_VERSION) >= 8:  # an edited lexicon leaves old versions behind
            _SIGNALS_BY_VERSION.clear()
        signal_of = {entry.id: entry.signal for entry in lexicon.in_categories([CATEGORY])}
        _SIGNALS_BY_VERSION[lexicon.version] = signal_of
    return signal_of
