"""Competence versus credential balance of a person specification's essential criteria.

Each essential criterion is classified as a **credential** (a qualification, registration,
licence or car, or a length of previous experience: something held), a **competence**
(something the person can show they can do or know) or a **value** (an attitude or
behaviour); a criterion none of the rules recognise is ``unclassified``. The rules are data,
``bias_audit/data/criteria_kinds.yml`` (regular expressions over the criterion's spaCy
lemmas and its lower-case text, each with a source and examples that the tests run), and so
are the competence-based rewordings suggested for every credential.

Why it matters: national job evaluation counts knowledge gained "through formal training or
equivalent experience" (NHS Job Evaluation Handbook, factor 2), and NHS England's support
worker programme asks employers to recruit for values and train skills in post; a person
specification made mostly of credentials shuts out people who could do the job.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Literal

from bias_audit.errors import LexiconError
from bias_audit.text.markers import load_markers
from bias_audit.text.person_spec import line_sections
from bias_audit.text.pipeline import get_pipeline
from bias_audit.yaml_files import load_yaml

CriterionKind = Literal["credential", "competence", "value", "unclassified"]
KINDS: tuple[CriterionKind, ...] = ("credential", "competence", "value", "unclassified")
RULES_FILE = "data/criteria_kinds.yml"

MSG_RULES_SHAPE = (
    "{file}: the file must be a mapping with the keys sources, rules and rewordings; "
    "restore it from the repository."
)
MSG_RULE_KEYS = "{file}: rule {where} must have exactly the keys {keys}; it has {found}."
MSG_RULE_KIND = (
    "{file}: rule {rule_id!r} has kind {kind!r}; use one of credential, competence, value."
)
MSG_RULE_REGEX = "{file}: {where} pattern {pattern!r} is not a valid regular expression ({detail})."
MSG_RULE_SOURCE = "{file}: {where} cites source {source!r}, which is not listed under sources:."
MSG_RULE_DUPLICATE = "{file}: the id {rule_id!r} is used twice; give each rule its own id."
MSG_NOT_COMPUTABLE = "not computable: no essential criteria were found"

_RULE_KEYS = ("id", "kind", "priority", "description", "source", "patterns", "examples")
_REWORD_KEYS = ("id", "pattern", "template", "source")
_SPACE = re.compile(r"\s+")
_BULLET = re.compile(r"^[\s#>*•◦▪●·\-–—]*(\d+[.)]\s+)?")
_HEADING_ONLY = re.compile(
    r"^[\s#>*•◦▪●·\-–—]*(essential|desirable)\b[^:\w]*(criteria)?\s*:?\s*$", re.I
)
_HEADING_PREFIX = re.compile(r"^[\s#>*•◦▪●·\-–—]*(essential|desirable)(\s+criteria)?\s*:\s*", re.I)
# A person specification row often names its area before the criteria ("Qualifications:").
_AREA_LABEL = re.compile(
    r"^(qualifications?( and training)?|education|experience|skills?( and abilities)?|"
    r"knowledge|abilities|attributes|personal (qualities|attributes)|values|other)\s*[:|]?\s*$",
    re.I,
)
_ITEM_SPLIT = re.compile(r"\s*(?:;|\s[•▪◦●]\s)\s*")


@dataclass(frozen=True, slots=True)
class KindRule:
    """One classification rule from the data file."""

    rule_id: str
    kind: CriterionKind
    priority: int
    description: str
    source: str
    patterns: tuple[re.Pattern[str], ...]
    match_examples: tuple[str, ...]
    no_match_examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rewording:
    """A competence-based wording suggested for credentials its pattern matches."""

    rewording_id: str
    pattern: re.Pattern[str]
    template: str
    source: str


@dataclass(frozen=True, slots=True)
class CriteriaRules:
    rules: tuple[KindRule, ...]
    rewordings: tuple[Rewording, ...]
    sources: Mapping[str, str]


@functools.lru_cache(maxsize=1)
def load_criteria_rules() -> CriteriaRules:
    """Read and check ``data/criteria_kinds.yml`` (once per process).

    Raises
    ------
    LexiconError
        The file breaks its shape; the message names the file, the rule and the fix.
    """
    raw = resources.files("bias_audit").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return parse_criteria_rules(load_yaml(raw), file=RULES_FILE)


def _compile(file: str, where: str, pattern: object) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern), re.IGNORECASE)
    except re.error as err:
        raise LexiconError(
            MSG_RULE_REGEX.format(file=file, where=where, pattern=pattern, detail=err)
        ) from None


def parse_criteria_rules(data: object, *, file: str = RULES_FILE) -> CriteriaRules:
    """Validate the parsed YAML of a criteria-kinds file (see :func:`load_criteria_rules`)."""
    if not isinstance(data, dict) or set(data) != {"sources", "rules", "rewordings"}:
        raise LexiconError(MSG_RULES_SHAPE.format(file=file))
    sources = {str(k): str(v) for k, v in (data["sources"] or {}).items()}
    seen: set[str] = set()
    rules = []
    for index, entry in enumerate(data["rules"] or ()):
        where = (
            repr(entry.get("id", f"#{index + 1}")) if isinstance(entry, dict) else f"#{index + 1}"
        )
        if not isinstance(entry, dict) or set(entry) != set(_RULE_KEYS):
            found = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise LexiconError(
                MSG_RULE_KEYS.format(
                    file=file, where=where, keys=", ".join(_RULE_KEYS), found=found
                )
            )
        rule_id = str(entry["id"])
        if rule_id in seen:
            raise LexiconError(MSG_RULE_DUPLICATE.format(file=file, rule_id=rule_id))
        seen.add(rule_id)
        if entry["kind"] not in KINDS[:3]:
            raise LexiconError(MSG_RULE_KIND.format(file=file, rule_id=rule_id, kind=entry["kind"]))
        if entry["source"] not in sources:
            raise LexiconError(
                MSG_RULE_SOURCE.format(file=file, where=where, source=entry["source"])
            )
        examples = entry["examples"] or {}
        rules.append(
            KindRule(
                rule_id=rule_id,
                kind=entry["kind"],
                priority=int(entry["priority"]),
                description=" ".join(str(entry["description"]).split()),
                source=str(entry["source"]),
                patterns=tuple(_compile(file, where, p) for p in entry["patterns"]),
                match_examples=tuple(examples.get("match", ())),
                no_match_examples=tuple(examples.get("no_match", ())),
            )
        )
    rewordings = []
    for index, entry in enumerate(data["rewordings"] or ()):
        where = f"rewording #{index + 1}"
        if not isinstance(entry, dict) or set(entry) != set(_REWORD_KEYS):
            found = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise LexiconError(
                MSG_RULE_KEYS.format(
                    file=file, where=where, keys=", ".join(_REWORD_KEYS), found=found
                )
            )
        if entry["source"] not in sources:
            raise LexiconError(
                MSG_RULE_SOURCE.format(file=file, where=where, source=entry["source"])
            )
        rewordings.append(
            Rewording(
                rewording_id=str(entry["id"]),
                pattern=_compile(file, where, entry["pattern"]),
                template=" ".join(str(entry["template"]).split()),
                source=str(entry["source"]),
            )
        )
    return CriteriaRules(tuple(rules), tuple(rewordings), sources)


@dataclass(frozen=True, slots=True)
class Classification:
    """The kind of one criterion and the rule that decided it (``None`` when unclassified)."""

    kind: CriterionKind
    rule_id: str | None
    matched_rules: tuple[str, ...]


def _forms(texts: Sequence[str]) -> list[tuple[str, str]]:
    """(lemma string, lower-case text) per text, lemmas from the shared spaCy pipeline."""
    nlp = get_pipeline()
    forms = []
    for text, doc in zip(texts, nlp.pipe(texts), strict=True):
        lemmas = " ".join(t.lemma_.lower() for t in doc if not t.is_space)
        forms.append((lemmas, _SPACE.sub(" ", text.lower()).strip()))
    return forms


def _matches(rule_patterns: Iterable[re.Pattern[str]], forms: tuple[str, str]) -> bool:
    return any(p.search(form) for p in rule_patterns for form in forms)


def classify_criteria(texts: Sequence[str]) -> list[Classification]:
    """Classify each criterion text; the matching rule with the highest priority decides.

    >>> [c.kind for c in classify_criteria(["NVQ Level 3", "Able to record observations",
    ...                                       "Kind and reliable", "Band 3"])]
    ['credential', 'competence', 'value', 'unclassified']
    """
    return [decided for decided, _ in _classified(texts)]


def _classified(texts: Sequence[str]) -> list[tuple[Classification, tuple[str, str]]]:
    """Each text's classification and its forms; each distinct text is parsed and matched
    once (a portfolio repeats criteria: the same Care Certificate line in most documents)."""
    rules = load_criteria_rules().rules
    distinct = list(dict.fromkeys(texts))
    decided: dict[str, tuple[Classification, tuple[str, str]]] = {}
    for text, forms in zip(distinct, _forms(distinct), strict=True):
        hits = [rule for rule in rules if _matches(rule.patterns, forms)]
        best = max(hits, key=lambda r: (r.priority, -KINDS.index(r.kind)), default=None)
        found = Classification("unclassified", None, ())
        if best is not None:
            found = Classification(best.kind, best.rule_id, tuple(r.rule_id for r in hits))
        decided[text] = (found, forms)
    return [decided[text] for text in texts]


def suggest_rewording(text: str) -> tuple[str, str]:
    """``(rewording id, competence-based wording)`` for a credential criterion.

    >>> suggest_rewording("NVQ Level 3 in Health and Social Care")[1][:50]
    'Able to show the knowledge and skills of a Level 3'
    """
    (forms,) = _forms([text])
    return _rewording(forms)


def _rewording(forms: tuple[str, str]) -> tuple[str, str]:
    lemmas, lower = forms
    for rewording in load_criteria_rules().rewordings:
        found = rewording.pattern.search(lower) or rewording.pattern.search(lemmas)
        if found is None:
            continue
        groups = {k: v for k, v in found.groupdict().items() if v}
        level = next(iter(groups.values()), "")
        return rewording.rewording_id, rewording.template.format(level=level)
    return "", ""


@dataclass(frozen=True, slots=True)
class Criterion:
    """One essential criterion of a document: ``document_text[start:end] == text``."""

    text: str
    start: int
    end: int
    line: int
    kind: CriterionKind = "unclassified"
    rule_id: str | None = None
    route_accepted: bool = False
    rewording: str = ""
    rewording_id: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "kind": self.kind,
            "rule_id": self.rule_id,
            "route_accepted": self.route_accepted,
            "rewording": self.rewording or None,
            "rewording_id": self.rewording_id or None,
        }


def essential_items(text: str) -> list[Criterion]:
    """The essential criteria of a person specification, unclassified, in text order.

    Items are the non-empty lines (bullets; several bullets or ``;``-separated parts of
    one line are separate items) under an *Essential* heading or column, as found by
    :func:`bias_audit.text.person_spec.line_sections`. A document with no Essential section
    (an advert in prose) gives instead its sentences that say they are needed ("... is
    essential", "must have"); with a section, such sentences elsewhere are duties or
    notices ("complete the mandatory training"), not criteria. Desirable-marked items, bare
    headings and area labels ("Qualifications:") are left out.

    >>> [c.text for c in essential_items("Essential\\n- NVQ 2; kind\\nDesirable\\n- degree")]
    ['NVQ 2', 'kind']
    """
    markers = load_markers()
    desirable = (markers["desirable_before"].regex, markers["desirable_after"].regex)
    inline = markers["essential_inline"].regex
    items: list[Criterion] = []
    sections = line_sections(text)
    structured = any(section == "essential" for _, _, section in sections)
    for number, (start, end, section) in enumerate(sections, start=1):
        line = text[start:end]
        if not line.strip() or _HEADING_ONLY.match(line):
            continue
        if section == "essential":
            offset = start + (_HEADING_PREFIX.match(line) or _BULLET.match(line)).end()
            parts = _split_parts(text, offset, end)
        elif not structured and section == "unspecified" and inline.search(line):
            parts = [(s, e) for s, e in _sentences(text, start, end) if inline.search(text, s, e)]
        else:
            continue
        for part_start, part_end in parts:
            part = text[part_start:part_end]
            if _AREA_LABEL.match(part) or any(d.search(part) for d in desirable):
                continue
            items.append(Criterion(part, part_start, part_end, number))
    return items


_LEADING_BULLET = re.compile(r"[\s#>*•◦▪●·\-–—]*(\d+[.)]\s+)?")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    start = _LEADING_BULLET.match(text, start, end).end()
    while end > start and text[end - 1] in " \t.;,":
        end -= 1
    while start < end and text[start] in " \t":
        start += 1
    return start, end


def _split_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts, cursor = [], start
    for found in _ITEM_SPLIT.finditer(text, start, end):
        parts.append(_trimmed(text, cursor, found.start()))
        cursor = found.end()
    parts.append(_trimmed(text, cursor, end))
    return [(s, e) for s, e in parts if e - s >= 2]


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for found in re.finditer(r"[.!?](\s|$)", text[start:end]):
        spans.append(_trimmed(text, cursor, start + found.end()))
        cursor = start + found.end()
    spans.append(_trimmed(text, cursor, end))
    return [(s, e) for s, e in spans if e - s >= 2]


@dataclass(frozen=True, slots=True)
class CredentialBalance:
    """The essential criteria of one document (or all documents of a band), by kind.

    ``shares`` is each kind's fraction of the essential criteria (``None`` with
    ``not_computable`` set when there are none).
    """

    source: str
    band: int | None
    criteria: tuple[Criterion, ...]
    counts: Mapping[str, int]
    shares: Mapping[str, float] | None
    not_computable: str | None = None

    @property
    def credential_share(self) -> float | None:
        return None if self.shares is None else self.shares["credential"]

    @property
    def credentials(self) -> tuple[Criterion, ...]:
        """The credential criteria, each with its suggested competence-based rewording."""
        return tuple(c for c in self.criteria if c.kind == "credential")

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "band": self.band,
            "counts": dict(self.counts),
            "shares": None if self.shares is None else dict(self.shares),
            "not_computable": self.not_computable,
            "criteria": [c.to_dict() for c in self.criteria],
        }


def _tally(source: str, band: int | None, criteria: Sequence[Criterion]) -> CredentialBalance:
    counts = Counter(c.kind for c in criteria)
    full = {kind: counts.get(kind, 0) for kind in KINDS}
    total = len(criteria)
    if total == 0:
        return CredentialBalance(source, band, (), full, None, MSG_NOT_COMPUTABLE)
    shares = {kind: full[kind] / total for kind in KINDS}
    return CredentialBalance(source, band, tuple(criteria), full, shares)


def credential_balance(
    text: str, *, source: str = "pasted text", band: int | None = None
) -> CredentialBalance:
    """Classify the essential criteria of one person specification and count each kind.

    >>> spec = "Essential\\n- NVQ Level 3\\n- Able to record obs\\n- Kind\\n- Care Certificate"
    >>> balance = credential_balance(spec, band=3)
    >>> dict(balance.counts), balance.credential_share
    ({'credential': 2, 'competence': 1, 'value': 1, 'unclassified': 0}, 0.5)
    >>> balance.credentials[0].rewording_id
    'reword-level-qualification'
    """
    (balance,) = credential_balances([(text, source, band)])
    return balance


def credential_balances(
    documents: Iterable[tuple[str, str, int | None]],
) -> list[CredentialBalance]:
    """:func:`credential_balance` of many ``(text, source, band)`` documents at once: all
    their criteria go through the spaCy pipeline in one batch, each distinct text once.

    >>> [b.credential_share for b in credential_balances(
    ...     [("Essential\\n- NVQ 2\\n- Kind", "a", 2), ("Essential\\n- NVQ 2", "b", 2)])]
    [0.5, 1.0]
    """
    documents = list(documents)
    items = [essential_items(text) for text, _, _ in documents]
    decided = iter(_classified([c.text for found in items for c in found]))
    route = load_markers()["equivalent_route"].regex
    balances = []
    for (_, source, band), found in zip(documents, items, strict=True):
        criteria = []
        for item in found:
            kind, forms = next(decided)
            reword_id, reword = _rewording(forms) if kind.kind == "credential" else ("", "")
            criteria.append(
                replace(
                    item,
                    kind=kind.kind,
                    rule_id=kind.rule_id,
                    route_accepted=route.search(item.text) is not None,
                    rewording=reword,
                    rewording_id=reword_id,
                )
            )
        balances.append(_tally(source, band, criteria))
    return balances


def balance_by_band(balances: Iterable[CredentialBalance]) -> dict[int | None, CredentialBalance]:
    """All documents' essential criteria pooled per band (``None``: band not known).

    >>> a = credential_balance("Essential\\n- NVQ 2\\n- Kind", source="a", band=2)
    >>> b = credential_balance("Essential\\n- Able to listen", source="b", band=2)
    >>> balance_by_band([a, b])[2].shares["credential"]
    0.3333333333333333
    """
    pooled: dict[int | None, list[Criterion]] = {}
    for balance in balances:
        pooled.setdefault(balance.band, []).extend(balance.criteria)
    return {
        band: _tally(f"Band {band}" if band is not None else "band not known", band, criteria)
        for band, criteria in sorted(
            pooled.items(), key=lambda item: (item[0] is None, item[0] or 0)
        )
    }


@dataclass(frozen=True, slots=True)
class Agreement:
    """How often the classifier agrees with hand labels."""

    n: int
    accuracy: float
    kappa: float
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]
    """Rows: hand label; columns: classifier, both in the order of ``labels``."""


def agreement(hand: Sequence[str], predicted: Sequence[str]) -> Agreement:
    """Accuracy, Cohen's kappa and the confusion matrix (scikit-learn) of two labellings.

    >>> a = agreement(["credential", "value", "value"], ["credential", "value", "competence"])
    >>> round(a.accuracy, 3), a.confusion[2]
    (0.667, (0, 1, 1, 0))
    """
    from sklearn.metrics import accuracy_score, cohen_kappa_score, confusion_matrix

    labels = list(KINDS)
    matrix = confusion_matrix(hand, predicted, labels=labels)
    return Agreement(
        n=len(hand),
        accuracy=float(accuracy_score(hand, predicted)),
        kappa=float(cohen_kappa_score(hand, predicted, labels=labels)),
        labels=tuple(labels),
        confusion=tuple(tuple(int(v) for v in row) for row in matrix),
    )
