"""Before and after: what a rewrite of an advert or person specification changed.

Findings are matched by rule id and matched text (case and spacing ignored), never by
position, so a finding that moved because text was added above it is *kept*, not removed
and added again. A finding kept at a different severity says so. Beside the findings: the
change in reading age, in the gender-coding gauge (score and verdict) and in the share of
essential criteria that are credentials (:mod:`bias_audit.portfolio.credentials`).

The record is built from two :class:`~bias_audit.text.advert.AdvertReport` objects by
:func:`compare_reports`; :func:`bias_audit.services.compare.compare_adverts` reads the two
texts and checks them. Text, JSON and HTML renderers are here too (HTML escapes every piece
of advert text).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bias_audit.portfolio.credentials import CredentialBalance

if TYPE_CHECKING:
    from bias_audit.text.advert import AdvertReport
    from bias_audit.types import Finding

MSG_NOT_COMPUTABLE = "not computable ({reason})"
REASON_NO_READING_AGE = "no prose to score in {which}"
REASON_NO_CRITERIA = "no essential criteria found in {which}"
EITHER_VERSION = "either version"
_SPACES = re.compile(r"\s+")


def _which(missing: list[str]) -> str:
    return EITHER_VERSION if len(missing) > 1 else missing[0]


def finding_key(finding: Finding) -> tuple[str, str]:
    """What makes two findings "the same" across versions: rule id and matched text.

    >>> from bias_audit.types import Finding, Severity
    >>> finding_key(Finding("age-young", "age", Severity.LOW, 9, 14, "Young  ", "", (), ""))
    ('age-young', 'young')
    """
    return finding.rule_id, _SPACES.sub(" ", finding.text).strip().lower()


@dataclass(frozen=True, slots=True)
class KeptFinding:
    """A finding in both versions (the old and the new finding)."""

    old: Finding
    new: Finding

    @property
    def severity_changed(self) -> bool:
        return self.old.severity != self.new.severity


@dataclass(frozen=True, slots=True)
class Change:
    """One measure before and after; ``difference`` is ``new - old`` or ``None`` with a reason."""

    name: str
    old: float | None
    new: float | None
    not_computable: str | None = None

    @property
    def difference(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    def to_dict(self) -> dict[str, object]:
        return {
            "old": self.old,
            "new": self.new,
            "difference": None if self.difference is None else round(self.difference, 4),
            "not_computable": self.not_computable,
        }


@dataclass(frozen=True, slots=True)
class AdvertComparison:
    """An old and a new version of one advert, compared (see the module docstring)."""

    old_source: str
    new_source: str
    band: int | None
    removed: tuple[Finding, ...]
    added: tuple[Finding, ...]
    kept: tuple[KeptFinding, ...]
    reading_age: Change
    gender_score: Change
    gender_verdict: tuple[str, str]
    credential_share: Change
    old_balance: CredentialBalance
    new_balance: CredentialBalance

    def to_dict(self) -> dict[str, object]:
        """Plain JSON (see docs/json-contract.md, "compare")."""
        return {
            "old_source": self.old_source,
            "new_source": self.new_source,
            "band": self.band,
            "counts": {
                "removed": len(self.removed),
                "added": len(self.added),
                "kept": len(self.kept),
            },
            "removed": [f.to_dict() for f in self.removed],
            "added": [f.to_dict() for f in self.added],
            "kept": [
                {
                    "rule_id": k.new.rule_id,
                    "text": k.new.text,
                    "old_severity": str(k.old.severity),
                    "new_severity": str(k.new.severity),
                    "old_start": k.old.start,
                    "new_start": k.new.start,
                }
                for k in self.kept
            ],
            "reading_age": self.reading_age.to_dict(),
            "gender_coding": {
                **self.gender_score.to_dict(),
                "old_verdict": self.gender_verdict[0],
                "new_verdict": self.gender_verdict[1],
            },
            "credential_share": self.credential_share.to_dict(),
            "old_credentials": self.old_balance.to_dict(),
            "new_credentials": self.new_balance.to_dict(),
        }


def _share_change(old: CredentialBalance, new: CredentialBalance) -> Change:
    missing = [
        w for w, b in (("the old version", old), ("the new version", new)) if b.shares is None
    ]
    reason = None
    if missing:
        reason = MSG_NOT_COMPUTABLE.format(reason=REASON_NO_CRITERIA.format(which=_which(missing)))
    return Change("credential share", old.credential_share, new.credential_share, reason)


def compare_reports(
    old: AdvertReport,
    new: AdvertReport,
    *,
    old_balance: CredentialBalance,
    new_balance: CredentialBalance,
) -> AdvertComparison:
    """Compare two checked versions of an advert (see the module docstring).

    Findings under the same key more than once in a version (the same rule and phrase judged
    at two severities) are paired in text order; extra ones are removed or added.
    """
    unmatched_new: dict[tuple[str, str], list[Finding]] = {}
    for finding in sorted(new.findings, key=lambda f: f.start):
        unmatched_new.setdefault(finding_key(finding), []).append(finding)
    removed, kept = [], []
    for finding in sorted(old.findings, key=lambda f: f.start):
        partners = unmatched_new.get(finding_key(finding))
        if partners:
            kept.append(KeptFinding(finding, partners.pop(0)))
        else:
            removed.append(finding)
    added = sorted((f for group in unmatched_new.values() for f in group), key=lambda f: f.start)
    missing = [
        which
        for which, report in (("the old version", old), ("the new version", new))
        if report.readability.reading_age is None
    ]
    reading_reason = None
    if missing:
        reading_reason = MSG_NOT_COMPUTABLE.format(
            reason=REASON_NO_READING_AGE.format(which=_which(missing))
        )
    return AdvertComparison(
        old_source=old.source,
        new_source=new.source,
        band=new.band if new.band is not None else old.band,
        removed=tuple(removed),
        added=tuple(added),
        kept=tuple(kept),
        reading_age=Change(
            "reading age", old.readability.reading_age, new.readability.reading_age, reading_reason
        ),
        gender_score=Change(
            "gender-coding score", old.gender_coding.score, new.gender_coding.score
        ),
        gender_verdict=(old.gender_coding.verdict, new.gender_coding.verdict),
        credential_share=_share_change(old_balance, new_balance),
        old_balance=old_balance,
        new_balance=new_balance,
    )


def _number(value: float | None, *, percent: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:.0%}" if percent else f"{value:.1f}"


def _signed(value: float | None, *, percent: bool = False) -> str:
    if value is None:
        return "–"
    if percent:
        return f"{value * 100:+.0f} points"
    return f"{value:+.1f}"


def change_rows(comparison: AdvertComparison) -> list[tuple[str, str, str, str]]:
    """(measure, before, after, change) rows for the text, HTML and app views."""
    rows = []
    for change, percent in (
        (comparison.reading_age, False),
        (comparison.gender_score, False),
        (comparison.credential_share, True),
    ):
        after = _signed(change.difference, percent=percent)
        rows.append(
            (
                change.name,
                _number(change.old, percent=percent),
                _number(change.new, percent=percent),
                change.not_computable or after,
            )
        )
    old_verdict, new_verdict = comparison.gender_verdict
    rows.append(
        (
            "gender-coding verdict",
            old_verdict,
            new_verdict,
            "same" if old_verdict == new_verdict else "changed",
        )
    )
    return rows


def _finding_line(finding: Finding) -> str:
    return f"[{finding.severity}] {finding.rule_id}: {finding.text!r}"


def render_text(comparison: AdvertComparison) -> str:
    """The comparison as plain text."""
    lines = [
        f"Before: {comparison.old_source}",
        f"After:  {comparison.new_source}",
        "",
        f"Findings: {len(comparison.removed)} removed, {len(comparison.added)} added, "
        f"{len(comparison.kept)} kept",
    ]
    for title, findings in (("Removed", comparison.removed), ("Added", comparison.added)):
        lines.append(f"{title}:")
        lines.extend(f"  - {_finding_line(f)}" for f in findings)
        if not findings:
            lines.append("  (none)")
    lines.append("Kept:")
    for kept in comparison.kept:
        change = f" (was {kept.old.severity})" if kept.severity_changed else ""
        lines.append(f"  - {_finding_line(kept.new)}{change}")
    if not comparison.kept:
        lines.append("  (none)")
    lines.append("")
    for measure, before, after, change in change_rows(comparison):
        lines.append(f"{measure}: {before} -> {after} ({change})")
    return "\n".join(lines) + "\n"


def render_json(comparison: AdvertComparison) -> str:
    return json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _table(headers: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table class="ba-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _finding_rows(findings: tuple[Finding, ...]) -> list[tuple[object, ...]]:
    return [(str(f.severity), f.rule_id, f.text, f.explanation) for f in findings]


def render_html(comparison: AdvertComparison) -> str:
    """A self-contained HTML page of the comparison; every piece of advert text is escaped."""
    from bias_audit import __version__
    from bias_audit.report.style import PRINT_CSS, REPORT_CSS

    headers = ("Severity", "Rule", "Text", "Why")
    kept_rows = [
        (
            str(k.new.severity),
            k.new.rule_id,
            k.new.text,
            f"was {k.old.severity}" if k.severity_changed else "",
        )
        for k in comparison.kept
    ]
    body = (
        f"<p>Before: <b>{html.escape(comparison.old_source)}</b>; after: "
        f"<b>{html.escape(comparison.new_source)}</b></p>"
        "<h2>Measures</h2>"
        + _table(("Measure", "Before", "After", "Change"), list(change_rows(comparison)))
        + f"<h2>Removed ({len(comparison.removed)})</h2>"
        + _table(headers, _finding_rows(comparison.removed))
        + f"<h2>Added ({len(comparison.added)})</h2>"
        + _table(headers, _finding_rows(comparison.added))
        + f"<h2>Kept ({len(comparison.kept)})</h2>"
        + _table(("Severity", "Rule", "Text", "Severity change"), kept_rows)
    )
    title = "Before and after"
    generated = (
        f"Generated by bias-audit {__version__} on {dt.datetime.now(dt.UTC):%d %B %Y %H:%M UTC}."
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{REPORT_CSS}{PRINT_CSS}</style></head>"
        f'<body class="ba-root"><main><h1>{title}</h1>'
        f'<p class="ba-muted">{html.escape(generated)}</p>'
        f"{body}</main></body></html>\n"
    )
