"""Near-duplicate job descriptions: the same job described more than once.

Documents are compared over their duties and requirements (the trust's boilerplate — "About
us", "How to apply", benefits, equality statements — is left out, since every document of a
trust shares it). Each document becomes a TF-IDF vector of its words and word pairs
(scikit-learn ``TfidfVectorizer``: English stop words removed, sub-linear term frequency),
and two documents are linked when the cosine similarity of their vectors is at least
:data:`SIMILARITY_THRESHOLD`. Groups are the connected components of those links (scipy),
so a chain A~B~C is one group even if A and C differ more; each group reports its lowest
pairwise similarity so a reader can see how tight it is.

Each group names a reference member (the one most similar to the rest on average) and, for
every other member, the sentences only in the reference and only in that member
(``difflib`` over normalised sentences): the candidates for "one description per band".

Threshold: 0.7, measured by ``benchmarks/duplicate_threshold.py`` (docs/portfolio-review.md)
over 65 real adverts kept outside the repository: of their 2,080 pairs only one scores 0.7 or
more, and it is a real near-copy (one agency advert posted twice, once with "Male" added);
the next pairs (0.64, 0.61) share an agency's or a trust's boilerplate, not a job. Planted
copies of each advert with one sentence dropped, one added or one reworded score a median
0.97–0.99 and are found 62–64 times in 64; with all three edits at once, 60 in 64.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

SIMILARITY_THRESHOLD = 0.7
MIN_DOCUMENTS = 2
MSG_TOO_FEW = "not computable: near-duplicates need at least 2 documents, got {count}"
MSG_BAD_THRESHOLD = "the similarity threshold must be between 0 and 1 (got {threshold})"

# Sections every document of a trust shares; left out of the comparison.
_SKIPPED_HEADING = re.compile(
    r"^[\s#>*•\-–—]*(about us|about the (trust|organisation|team)|how to apply|"
    r"benefits|why (work|join)|what we offer|equal(ity)? (opportunit|and diversity)|"
    r"equality|diversity|our values|contact|further information|closing date|"
    r"additional information|employer (details|name)|documents to download)\b",
    re.IGNORECASE,
)
# Sections that are the job again: duties, responsibilities, the person specification.
_JOB_HEADING = re.compile(
    r"^[\s#>*•\-–—]*(main |key |job )?(duties|responsibilities|purpose|summary|role|"
    r"person specification|essential|desirable|qualifications|experience|skills|knowledge|"
    r"job description|the role|about the role|main duties)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_BULLET = re.compile(r"^[\s#>*•◦▪●·\-–—]*(\d+[.)]\s+)?")
_SPACES = re.compile(r"\s+")


def job_text(text: str) -> str:
    """The text without the sections every document of a trust shares.

    >>> job_text("Main duties\\nWash patients\\nAbout us\\nWe are big\\nEssential\\n- Kind")
    'Main duties\\nWash patients\\nEssential\\n- Kind'
    """
    kept, skipping = [], False
    for line in text.split("\n"):
        if _SKIPPED_HEADING.match(line):
            skipping = True
        elif _JOB_HEADING.match(line) and len(line) < 80:
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept)


def sentences(text: str) -> list[str]:
    """The lines and sentences of a text, bullets stripped, empty ones left out."""
    found = []
    for line in text.split("\n"):
        for part in _SENTENCE_END.split(line):
            part = part[_BULLET.match(part).end() :].strip()
            if part:
                found.append(part)
    return found


def _key(sentence: str) -> str:
    return _SPACES.sub(" ", sentence.lower()).strip(" .;")


@dataclass(frozen=True, slots=True)
class MemberDifference:
    """What one group member says that the group's reference does not, and vice versa."""

    reference: str
    member: str
    similarity: float
    only_in_reference: tuple[str, ...]
    only_in_member: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "member": self.member,
            "similarity": round(self.similarity, 4),
            "only_in_reference": list(self.only_in_reference),
            "only_in_member": list(self.only_in_member),
        }


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Documents that describe the same job (members in input order)."""

    members: tuple[str, ...]
    reference: str
    lowest_similarity: float
    differences: tuple[MemberDifference, ...]
    bands: tuple[int | None, ...] = ()
    """The band of each member, when known; differing bands for the same job are worth a
    look (equal pay) as well as a rewrite."""

    @property
    def bands_differ(self) -> bool:
        return len({b for b in self.bands if b is not None}) > 1

    def to_dict(self) -> dict[str, object]:
        return {
            "members": list(self.members),
            "reference": self.reference,
            "lowest_similarity": round(self.lowest_similarity, 4),
            "bands": list(self.bands),
            "bands_differ": self.bands_differ,
            "differences": [d.to_dict() for d in self.differences],
        }


@dataclass(frozen=True, slots=True)
class DuplicateReport:
    """Near-duplicate groups across a portfolio, and the threshold used."""

    threshold: float
    documents: int
    groups: tuple[DuplicateGroup, ...]
    not_computable: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "documents": self.documents,
            "not_computable": self.not_computable,
            "groups": [g.to_dict() for g in self.groups],
        }


def similarity_matrix(texts: list[str]):
    """Pairwise cosine similarity of the TF-IDF vectors of ``texts`` (a numpy array)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    vectoriser = TfidfVectorizer(
        ngram_range=(1, 2), stop_words="english", sublinear_tf=True, lowercase=True
    )
    try:
        vectors = vectoriser.fit_transform(texts)
    except ValueError:  # no words at all (every document empty or only stop words)
        import numpy

        return numpy.zeros((len(texts), len(texts)))
    return cosine_similarity(vectors)


def sentence_difference(reference: str, member: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Sentences only in ``reference`` and only in ``member`` (``difflib``, case and spacing
    ignored), each in its own document's order.

    >>> sentence_difference("Wash patients. Make beds.", "Wash patients. Drive the van.")
    (('Make beds.',), ('Drive the van.',))
    """
    left, right = sentences(reference), sentences(member)
    matcher = difflib.SequenceMatcher(
        a=[_key(s) for s in left], b=[_key(s) for s in right], autojunk=False
    )
    only_left, only_right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            only_left.extend(left[i1:i2])
        if tag in ("insert", "replace"):
            only_right.extend(right[j1:j2])
    # a sentence that only moved is in both: not a difference
    moved = {_key(s) for s in only_left} & {_key(s) for s in only_right}
    return (
        tuple(s for s in only_left if _key(s) not in moved),
        tuple(s for s in only_right if _key(s) not in moved),
    )


def near_duplicates(
    documents: Mapping[str, str],
    *,
    threshold: float = SIMILARITY_THRESHOLD,
    bands: Mapping[str, int | None] | None = None,
) -> DuplicateReport:
    """Group documents that describe the same job (see the module docstring).

    Parameters
    ----------
    documents
        Document name → its text, in the order to report them.
    threshold
        Lowest cosine similarity that links two documents (0–1).
    bands
        Document name → its band, when known (shown per group).

    >>> copy = "Main duties\\nWash and dress patients. Make beds. Record fluid charts."
    >>> report = near_duplicates({"a": copy, "b": copy + " Answer the phone.", "c": "Drive a van."})
    >>> [g.members for g in report.groups], report.groups[0].differences[0].only_in_member
    ([('a', 'b')], ('Answer the phone.',))
    """
    if not 0 <= threshold <= 1:
        raise ValueError(MSG_BAD_THRESHOLD.format(threshold=threshold))
    names = list(documents)
    if len(names) < MIN_DOCUMENTS:
        return DuplicateReport(threshold, len(names), (), MSG_TOO_FEW.format(count=len(names)))
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    texts = [job_text(documents[name]) for name in names]
    similarity = similarity_matrix(texts)
    linked = (similarity >= threshold).astype(int)
    _, component = connected_components(csr_matrix(linked), directed=False)
    groups = []
    for label in sorted(set(component), key=lambda c: list(component).index(c)):
        indices = [i for i, c in enumerate(component) if c == label]
        if len(indices) < 2:
            continue
        mean = {
            i: sum(similarity[i, j] for j in indices if j != i) / (len(indices) - 1)
            for i in indices
        }
        reference = max(indices, key=lambda i: (mean[i], -i))
        lowest = min(similarity[i, j] for i in indices for j in indices if i < j)
        differences = []
        for i in indices:
            if i == reference:
                continue
            only_ref, only_member = sentence_difference(texts[reference], texts[i])
            differences.append(
                MemberDifference(
                    names[reference],
                    names[i],
                    float(similarity[reference, i]),
                    only_ref,
                    only_member,
                )
            )
        groups.append(
            DuplicateGroup(
                members=tuple(names[i] for i in indices),
                reference=names[reference],
                lowest_similarity=float(lowest),
                differences=tuple(differences),
                bands=tuple((bands or {}).get(names[i]) for i in indices),
            )
        )
    return DuplicateReport(threshold, len(names), tuple(groups))
