"""Credential balance and near-duplicates of a whole portfolio's documents, in one record.

:func:`review_documents` takes the portfolio run's documents (anything with ``name``,
``text`` and ``band``, e.g. :class:`~bias_audit.portfolio.documents.PortfolioDocument`) and
returns each document's :class:`~bias_audit.portfolio.credentials.CredentialBalance`, the
balance pooled per band, and the near-duplicate groups
(:func:`~bias_audit.portfolio.duplicates.near_duplicates`, bands attached).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from bias_audit.portfolio.credentials import (
    CredentialBalance,
    balance_by_band,
    credential_balances,
)
from bias_audit.portfolio.duplicates import DuplicateReport, near_duplicates


class _Document(Protocol):
    name: str
    text: str
    band: int | None


@dataclass(frozen=True, slots=True)
class DocumentsReview:
    """Per-document and per-band credential balance, and near-duplicate groups."""

    balances: tuple[CredentialBalance, ...]
    by_band: tuple[CredentialBalance, ...]
    duplicates: DuplicateReport

    def to_dict(self) -> dict[str, object]:
        """JSON keys ``credential_balance`` and ``near_duplicates`` (docs/portfolio-review.md)."""
        return {
            "credential_balance": {
                "documents": [b.to_dict() for b in self.balances],
                "bands": [
                    {k: v for k, v in b.to_dict().items() if k != "criteria"} for b in self.by_band
                ],
            },
            "near_duplicates": self.duplicates.to_dict(),
        }


def review_documents(documents: Iterable[_Document]) -> DocumentsReview:
    """Credential balance and near-duplicates of a set of documents.

    >>> from types import SimpleNamespace as D
    >>> job = "Duties\\nWash patients. Make beds. Record charts.\\nEssential\\n- NVQ 2\\n- Kind"
    >>> review = review_documents([D(name="a", text=job, band=2), D(name="b", text=job, band=2)])
    >>> [g.members for g in review.duplicates.groups], review.by_band[0].shares["credential"]
    ([('a', 'b')], 0.5)
    """
    documents = list(documents)
    balances = tuple(credential_balances((d.text, d.name, d.band) for d in documents))
    duplicates = near_duplicates(
        {d.name: d.text for d in documents}, bands={d.name: d.band for d in documents}
    )
    return DocumentsReview(balances, tuple(balance_by_band(balances).values()), duplicates)
