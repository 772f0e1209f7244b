"""Core records shared by the analysers, the reports and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Severity(IntEnum):
    """How likely a flagged phrase is to deter or exclude applicants; ordered."""

    LOW = 1  # consider
    MEDIUM = 2  # review
    HIGH = 3  # likely to deter or exclude

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """Read ``"low"``, ``"medium"`` or ``"high"`` (any case).

        >>> Severity.parse("High") > Severity.parse("low")
        True
        """
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            choices = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {value!r}; choose one of {choices}") from None


@dataclass(frozen=True, slots=True)
class Finding:
    """One flag in an analysed text: the only thing text analysers emit.

    Invariant: ``analysed_text[start:end] == text``. ``occurrences`` holds the other places
    (``(start, end)``, in text order) where the same rule matched the same phrase, so a phrase
    used five times is one finding with four occurrences; ``start``/``end`` is the first use.
    """

    rule_id: str
    category: str
    severity: Severity
    start: int
    end: int
    text: str
    explanation: str
    suggestions: tuple[str, ...]
    source: str
    occurrences: tuple[tuple[int, int], ...] = ()

    @property
    def uses(self) -> int:
        """How many times the phrase is used: this finding plus its other occurrences."""
        return 1 + len(self.occurrences)

    def to_dict(self) -> dict[str, object]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": str(self.severity),
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "explanation": self.explanation,
            "suggestions": list(self.suggestions),
            "source": self.source,
            "occurrences": [{"start": start, "end": end} for start, end in self.occurrences],
        }
