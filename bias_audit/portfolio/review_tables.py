"""Rows for the credential-balance and near-duplicate tables, shared by the app, text and
HTML outputs (all formatting here, so the app page stays free of arithmetic)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bias_audit.portfolio.credentials import CredentialBalance
from bias_audit.portfolio.duplicates import DuplicateGroup, DuplicateReport

BALANCE_HEADERS = (
    "Document",
    "Band",
    "Essential criteria",
    "Credential",
    "Competence",
    "Value / behaviour",
    "Not classified",
)
CREDENTIAL_HEADERS = ("Document", "Criterion", "Equivalent route", "Suggested wording")
GROUP_HEADERS = ("Group", "Documents", "Bands", "Lowest similarity", "Reference")
DIFFERENCE_HEADERS = ("Compared", "Only in the reference", "Only in this document")
NO_BAND = "not known"
NONE_FOUND = "—"

# Headings and captions shared by the app page, the HTML page and the workbook.
BALANCE_TITLE = "Competence or credential? Essential criteria by kind"
BALANCE_CAPTION = (
    "Credential: a qualification, registration, licence or length of experience. Competence: "
    "something a person can show they can do. Value: an attitude or behaviour. The rules are "
    "in data/criteria_kinds.yml; agreement with hand labels is in docs/portfolio-review.md."
)
BALANCE_DOCUMENTS_TITLE = "Per document"
BALANCE_BANDS_TITLE = "Per band (all its descriptions' essential criteria together)"
CREDENTIALS_TITLE = "Credentials, with a competence-based wording to consider"
NO_CREDENTIALS = "No essential criterion is a credential only."
DUPLICATES_TITLE = "Near-duplicates: candidates for one description per band"
DUPLICATES_CAPTION = (
    "Documents whose duties and requirements are at least {threshold} similar (TF-IDF cosine; "
    "shared boilerplate left out). Different bands for the same job are worth a look too."
)
NO_DUPLICATES = "No two documents describe the same job."
BANDS_DIFFER = "Group {number}: the same job is described at different bands ({bands})."
GROUP_TITLE = "Group {number}: {members}"


def _percent(balance: CredentialBalance, kind: str) -> str:
    if balance.shares is None:
        return NONE_FOUND
    return f"{balance.shares[kind]:.0%} ({balance.counts[kind]})"


def balance_rows(balances: Iterable[CredentialBalance]) -> list[tuple[str, ...]]:
    """One row per document (or band): how many essential criteria, and each kind's share.

    >>> from bias_audit.portfolio.credentials import credential_balance
    >>> balance_rows([credential_balance("Essential\\n- NVQ 2\\n- Kind", source="a", band=2)])
    [('a', '2', '2', '50% (1)', '0% (0)', '50% (1)', '0% (0)')]
    """
    rows = []
    for balance in balances:
        total = sum(balance.counts.values())
        rows.append(
            (
                balance.source,
                NO_BAND if balance.band is None else str(balance.band),
                str(total) if total else f"0 ({balance.not_computable})",
                *(_percent(balance, kind) for kind in ("credential", "competence", "value")),
                _percent(balance, "unclassified"),
            )
        )
    return rows


def credential_rows(balances: Iterable[CredentialBalance]) -> list[tuple[str, ...]]:
    """Every credential criterion with its suggested competence-based wording."""
    return [
        (
            balance.source,
            criterion.text,
            "yes" if criterion.route_accepted else "no",
            criterion.rewording,
        )
        for balance in balances
        for criterion in balance.credentials
    ]


def group_rows(report: DuplicateReport) -> list[tuple[str, ...]]:
    """One row per near-duplicate group."""
    return [
        (
            str(number),
            ", ".join(group.members),
            ", ".join(NO_BAND if b is None else str(b) for b in group.bands) or NO_BAND,
            f"{group.lowest_similarity:.2f}",
            group.reference,
        )
        for number, group in enumerate(report.groups, start=1)
    ]


def bands_differ_note(number: int, group: DuplicateGroup) -> str | None:
    """The warning for a group whose members are at different bands, else ``None``.

    >>> from bias_audit.portfolio.duplicates import DuplicateGroup
    >>> bands_differ_note(1, DuplicateGroup(("a", "b"), "a", 0.9, (), (2, 3)))
    'Group 1: the same job is described at different bands (2, 3).'
    """
    if not group.bands_differ:
        return None
    return BANDS_DIFFER.format(
        number=number, bands=", ".join(str(b) for b in group.bands if b is not None)
    )


def difference_rows(group: DuplicateGroup) -> list[tuple[str, ...]]:
    """Per member, the sentences only in the reference and only in that member."""
    return [
        (
            f"{d.member} vs {d.reference} (similarity {d.similarity:.2f})",
            "\n".join(d.only_in_reference) or NONE_FOUND,
            "\n".join(d.only_in_member) or NONE_FOUND,
        )
        for d in group.differences
    ]


def _block(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = [title]
    if not rows:
        return [*lines, "  (none)"]
    for row in rows:
        lines.append("  " + " | ".join(f"{h}: {c}" for h, c in zip(headers, row, strict=True)))
    return lines


def review_text(
    balances: Sequence[CredentialBalance],
    by_band: Sequence[CredentialBalance],
    duplicates: DuplicateReport,
) -> str:
    """The credential balance and near-duplicate groups as plain text (for the CLI)."""
    lines = _block("Credential balance per document", BALANCE_HEADERS, balance_rows(balances))
    lines += _block("Credential balance per band", BALANCE_HEADERS, balance_rows(by_band))
    lines += _block(
        "Credentials and suggested wording", CREDENTIAL_HEADERS, credential_rows(balances)
    )
    if duplicates.not_computable:
        lines.append(f"Near-duplicates: {duplicates.not_computable}")
    else:
        lines += _block(
            f"Near-duplicate groups (similarity {duplicates.threshold} or more)",
            GROUP_HEADERS,
            group_rows(duplicates),
        )
        for number, group in enumerate(duplicates.groups, start=1):
            lines += _block(
                f"Group {number} differences", DIFFERENCE_HEADERS, difference_rows(group)
            )
    return "\n".join(lines) + "\n"
