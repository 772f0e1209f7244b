"""A whole portfolio reviewed: documents, exclusions, matrices per band, and flags.

Flags, each naming the document and saying why:

- ``different essentials``: a document asks as Essential for what its band's other
  descriptions usually do not (:mod:`bias_audit.portfolio.matrix`);
- ``above profile``: an essential demand above the band's national profile level, or
  experience before appointment where the profile expects the job learnt in post;
- ``no equivalent route``: a qualification at the profile's level with no equivalent route,
  where the profile accepts equivalent experience (:mod:`bias_audit.portfolio.profiles`);
- ``licence without travel``: a driving licence or car asked for (not only desirable, and
  with no alternative) in a description whose duties never mention travel (the advert
  checker's own travel markers, ``data/requirement_markers.yml``).

Beside the flags, the run holds the review of the same documents
(:func:`bias_audit.portfolio.review.review_documents`): each person specification's
competence-versus-credential balance, per document and per band, and the near-duplicate
groups — worked out once here, for every output to lay out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bias_audit.portfolio.documents import (
    DEMAND_LABELS,
    Exclusion,
    PortfolioDocument,
    demand_status,
)
from bias_audit.portfolio.matrix import BandMatrix, band_matrices
from bias_audit.portfolio.profiles import ProfileJudgement, judge_document, load_profiles
from bias_audit.portfolio.review import DocumentsReview, review_documents
from bias_audit.text.markers import load_markers

FlagKind = Literal[
    "different essentials", "above profile", "no equivalent route", "licence without travel"
]
FLAG_KINDS: tuple[FlagKind, ...] = (
    "different essentials",
    "above profile",
    "no equivalent route",
    "licence without travel",
)

MSG_DIFFERENT = (
    "{document} makes {adds} essential, which {band} descriptions usually do not: for "
    "{first}, {sharing} of {total} have '{usual}'."
)
MSG_PROFILE = "{document}: '{text}' {why}."
MSG_LICENCE = (
    "{document} asks for '{text}' but its duties never mention travel; drop it, or say why "
    "the job needs driving and accept another way to travel."
)


@dataclass(frozen=True, slots=True)
class Flag:
    """One thing a reviewer should look at, in words, with the document it is about."""

    kind: FlagKind
    band: int | None
    document: str
    message: str
    demands: tuple[str, ...] = ()
    """The demand kinds involved."""
    texts: tuple[str, ...] = ()
    """The words in the document that ask for them."""
    source: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "band": self.band,
            "document": self.document,
            "message": self.message,
            "demands": list(self.demands),
            "texts": list(self.texts),
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Portfolio:
    """Everything the portfolio review found (what every output lays out)."""

    documents: tuple[PortfolioDocument, ...]
    exclusions: tuple[Exclusion, ...]
    matrices: tuple[BandMatrix, ...]
    judgements: tuple[ProfileJudgement, ...]
    flags: tuple[Flag, ...]
    notes: tuple[str, ...] = ()
    profiles: dict[int, dict[str, object]] = field(default_factory=dict)
    """The national profile entries used, by band (for the reader to see the standard)."""
    review: DocumentsReview = field(default_factory=lambda: review_documents(()))
    """Credential balance (per document, per band) and near-duplicate groups."""

    def flags_of(self, kind: FlagKind) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.kind == kind)

    def to_dict(self) -> dict[str, object]:
        return {
            "documents": [d.to_dict() for d in self.documents],
            "exclusions": [e.to_dict() for e in self.exclusions],
            "matrices": [m.to_dict() for m in self.matrices],
            "profile_judgements": [j.to_dict() for j in self.judgements],
            "flags": [f.to_dict() for f in self.flags],
            "notes": list(self.notes),
            "national_profiles": {str(b): p for b, p in self.profiles.items()},
            **self.review.to_dict(),  # "credential_balance", "near_duplicates"
            "counts": {
                "documents": len(self.documents),
                "excluded": len(self.exclusions),
                "flags": {kind: len(self.flags_of(kind)) for kind in FLAG_KINDS},
            },
        }


def _label(kind: str) -> str:
    return DEMAND_LABELS[kind].lower().replace("nvq/rqf", "NVQ/RQF").replace("gcse", "GCSE")


def _joined(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def consistency_flags(matrices: Iterable[BandMatrix]) -> list[Flag]:
    """A ``different essentials`` flag per outlier (never for the band-not-stated group)."""
    flags = []
    for matrix in matrices:
        if matrix.band is None:
            continue
        for outlier in matrix.outliers:
            adds = [
                f"{_label(kind)} ('{' / '.join(texts)}')" if texts else _label(kind)
                for kind, texts in outlier.adds
            ]
            flags.append(
                Flag(
                    "different essentials",
                    matrix.band,
                    outlier.document,
                    MSG_DIFFERENT.format(
                        document=outlier.document,
                        adds=_joined(adds),
                        band=matrix.label,
                        first=_label(outlier.adds[0][0]),
                        usual=outlier.usual,
                        sharing=outlier.sharing,
                        total=outlier.total,
                    ),
                    tuple(kind for kind, _ in outlier.adds),
                    tuple(t for _, texts in outlier.adds for t in texts),
                )
            )
    return flags


def profile_flags(judgements: Iterable[ProfileJudgement]) -> list[Flag]:
    """A flag for every judgement above the profile or closing its equivalent route."""
    return [
        Flag(
            j.verdict,  # type: ignore[arg-type]
            j.band,
            j.document,
            MSG_PROFILE.format(document=j.document, text=j.text, why=j.why),
            (j.kind,),
            (j.text,),
            j.source,
        )
        for j in judgements
        if j.verdict in ("above profile", "no equivalent route")
    ]


def travel_in_duties(document: PortfolioDocument) -> bool:
    """Whether the text mentions travel outside the words of its licence demands."""
    masked = document.text
    for r in document.requirements:
        if r.kind == "driving_licence":
            masked = masked[: r.start] + " " * (r.end - r.start) + masked[r.end :]
    return load_markers()["travel_in_duties"].regex.search(masked) is not None


def licence_flags(documents: Iterable[PortfolioDocument]) -> list[Flag]:
    """A flag per document that asks for a licence (not only desirable, no alternative)
    although its duties never mention travel."""
    flags = []
    for document in documents:
        asked = [
            r
            for r in document.requirements
            if r.kind == "driving_licence" and demand_status(r) in ("essential", "unmarked")
        ]
        if asked and not travel_in_duties(document):
            flags.append(
                Flag(
                    "licence without travel",
                    document.band,
                    document.name,
                    MSG_LICENCE.format(document=document.name, text=asked[0].text),
                    ("driving_licence",),
                    tuple(dict.fromkeys(r.text for r in asked)),
                    load_markers()["travel_in_duties"].source,
                )
            )
    return flags


def build_portfolio(
    documents: Sequence[PortfolioDocument],
    exclusions: Sequence[Exclusion] = (),
    *,
    notes: Sequence[str] = (),
) -> Portfolio:
    """Review parsed documents: matrices per band, national profile judgements, flags, and
    the credential balance and near-duplicate review.

    Flags come band by band (lowest first): consistency, then profile, then licence.
    """
    profiles = load_profiles()
    matrices = band_matrices(documents)
    judgements = tuple(j for d in documents for j in judge_document(d, profiles))
    flags = [*consistency_flags(matrices), *profile_flags(judgements), *licence_flags(documents)]
    flags.sort(key=lambda f: (f.band is None, f.band or 0, FLAG_KINDS.index(f.kind)))
    bands = sorted({d.band for d in documents if d.band in profiles.bands})
    return Portfolio(
        tuple(documents),
        tuple(exclusions),
        matrices,
        judgements,
        tuple(flags),
        tuple(notes),
        {band: profiles.bands[band].to_dict() for band in bands},  # type: ignore[index]
        review_documents(documents),
    )
