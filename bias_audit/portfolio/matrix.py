"""The requirements matrix: per band, documents × demands, and where they disagree.

Each cell is the most demanding way a document asks for a kind of demand (Essential with no
route, a route accepted, stated but unmarked, Desirable, or absent; see
:data:`bias_audit.portfolio.documents.STATUS_MEANING`). The band's **usual** status for a
kind is the one most of its documents share (a tie goes to the less demanding); a document
that makes a kind Essential where the band usually does not is an outlier, named with what
it adds. A band with one document has nothing to compare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from bias_audit.portfolio.documents import (
    DEMAND_KINDS,
    DEMAND_LABELS,
    STATUS_RANK,
    DemandStatus,
    PortfolioDocument,
    demand_status,
)

BAND_NOT_STATED = "Band not stated"
DOCUMENT_COLUMN = "Document"
TITLE_COLUMN = "Title"


@dataclass(frozen=True, slots=True)
class Cell:
    """One document's demand of one kind: its status and the words that ask for it."""

    status: DemandStatus
    texts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"status": self.status, "texts": list(self.texts)}


@dataclass(frozen=True, slots=True)
class Outlier:
    """A document asking as Essential for kinds its band usually does not."""

    band: int | None
    document: str
    adds: tuple[tuple[str, tuple[str, ...]], ...]
    """(kind, the words asking for it) for each kind added."""
    usual: DemandStatus
    """The band's usual status for the first added kind."""
    sharing: int
    """How many of the band's documents share that usual status."""
    total: int

    def to_dict(self) -> dict[str, object]:
        return {
            "band": self.band,
            "document": self.document,
            "adds": [{"kind": kind, "texts": list(texts)} for kind, texts in self.adds],
            "usual": self.usual,
            "sharing": self.sharing,
            "total": self.total,
        }


@dataclass(frozen=True, slots=True)
class BandMatrix:
    """Documents × demands for one band (``band`` ``None``: the band was not stated)."""

    band: int | None
    documents: tuple[str, ...]
    titles: tuple[str | None, ...]
    cells: tuple[tuple[Cell, ...], ...]
    """One row per document, one cell per kind of :data:`DEMAND_KINDS`."""
    usual: tuple[DemandStatus, ...]
    """The band's usual status per kind (most documents; a tie goes to the less demanding)."""
    outliers: tuple[Outlier, ...]

    @property
    def label(self) -> str:
        return BAND_NOT_STATED if self.band is None else f"Band {self.band}"

    def cell(self, document: str, kind: str) -> Cell:
        return self.cells[self.documents.index(document)][DEMAND_KINDS.index(kind)]

    def frame(self) -> pd.DataFrame:
        """The matrix as a table: a row per document, a column per demand (status words)."""
        rows = [
            {
                DOCUMENT_COLUMN: name,
                TITLE_COLUMN: title or "",
                **{DEMAND_LABELS[k]: c.status for k, c in zip(DEMAND_KINDS, row, strict=True)},
            }
            for name, title, row in zip(self.documents, self.titles, self.cells, strict=True)
        ]
        columns = [DOCUMENT_COLUMN, TITLE_COLUMN, *(DEMAND_LABELS[k] for k in DEMAND_KINDS)]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, object]:
        return {
            "band": self.band,
            "documents": [
                {
                    "name": name,
                    "title": title,
                    "cells": {k: c.to_dict() for k, c in zip(DEMAND_KINDS, row, strict=True)},
                }
                for name, title, row in zip(self.documents, self.titles, self.cells, strict=True)
            ],
            "usual": dict(zip(DEMAND_KINDS, self.usual, strict=True)),
            "outliers": [o.to_dict() for o in self.outliers],
        }


def document_cells(document: PortfolioDocument) -> tuple[Cell, ...]:
    """A document's row: for each kind, its most demanding status and the words used."""
    cells = []
    for kind in DEMAND_KINDS:
        status = document.status(kind)
        texts = tuple(
            dict.fromkeys(
                r.text
                for r in document.requirements
                if r.kind == kind and demand_status(r) == status
            )
        )
        cells.append(Cell(status, texts if status != "absent" else ()))
    return tuple(cells)


def usual_status(statuses: Sequence[DemandStatus]) -> DemandStatus:
    """The status most documents share; of a tie, the less demanding.

    >>> usual_status(["essential", "absent", "absent"]), usual_status(["essential", "desirable"])
    ('absent', 'desirable')
    """
    counts = Counter(statuses)
    return max(counts, key=lambda s: (counts[s], -STATUS_RANK[s]))


def band_matrix(band: int | None, documents: Sequence[PortfolioDocument]) -> BandMatrix:
    """The matrix of one band's documents, its usual statuses and its outliers."""
    rows = [document_cells(d) for d in documents]
    usual = tuple(usual_status([row[i].status for row in rows]) for i in range(len(DEMAND_KINDS)))
    outliers = []
    if len(documents) > 1:
        for document, row in zip(documents, rows, strict=True):
            adds = tuple(
                (kind, cell.texts)
                for kind, cell, norm in zip(DEMAND_KINDS, row, usual, strict=True)
                if cell.status == "essential" and norm != "essential"
            )
            if adds:
                first = DEMAND_KINDS.index(adds[0][0])
                sharing = sum(1 for r in rows if r[first].status == usual[first])
                outliers.append(
                    Outlier(band, document.name, adds, usual[first], sharing, len(documents))
                )
    return BandMatrix(
        band,
        tuple(d.name for d in documents),
        tuple(d.title for d in documents),
        tuple(rows),
        usual,
        tuple(outliers),
    )


def band_matrices(documents: Iterable[PortfolioDocument]) -> tuple[BandMatrix, ...]:
    """One matrix per band, lowest band first, documents in the order given; documents
    whose band is not stated form the last matrix (not compared with any band's)."""
    by_band: dict[int | None, list[PortfolioDocument]] = {}
    for document in documents:
        by_band.setdefault(document.band, []).append(document)
    order = sorted(by_band, key=lambda b: (b is None, b or 0))
    return tuple(band_matrix(band, by_band[band]) for band in order)
