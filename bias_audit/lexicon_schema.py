"""The lexicon schema: which keys a rules file and a ``context.yml`` may hold, the values
they allow, and the checks (with their messages) that refuse anything else.

:mod:`bias_audit.lexicon` reads the files and builds the records; every check here names the
file, the entry and the fix in a :class:`~bias_audit.errors.LexiconError`. The messages are
module constants so that tests (and ``bias-audit lexicon check``) can assert them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal, get_args

import yaml
from spacy.errors import MatchPatternError
from spacy.matcher import Matcher
from spacy.vocab import Vocab

from bias_audit.errors import LexiconError
from bias_audit.types import Severity
from bias_audit.yaml_files import load_yaml

FILE_KEYS_REQUIRED = ("category", "title", "sources", "default_severity", "entries")
#: ``summary`` (what the file flags, with examples) and ``main_sources`` (a short credit line)
#: fill the category table in docs/adverts.md (scripts/lexicon_tables.py writes it).
FILE_KEYS_OPTIONAL = ("description", "summary", "main_sources")
ENTRY_KEYS_REQUIRED = ("id", "patterns", "explanation", "suggestions", "source", "examples")
ENTRY_KEYS_OPTIONAL = (
    "severity",
    "condition",
    "unless",
    "skip_headings",
    "acronym",
    "common_words_in_lists_only",
    "context",
    "list",
    "kind",
    "signal",
)
EXAMPLE_KEYS = ("match", "no_match")

#: What a demand found by a requirement entry is (``kind:``), and so how the requirements
#: analyser judges it against the band. Every entry of these categories names one.
REQUIREMENT_CATEGORIES = (
    "qualification_degree",
    "qualification_no_equivalent",
    "experience_years",
    "driving_licence",
    "physical_requirements",
    "language_level",
)
RequirementKind = Literal[
    "degree",
    "qualification_level",
    "gcse",
    "care_certificate",
    "registration",
    "experience",
    "driving_licence",
    "physical",
    "language",
]
"""What a requirement entry demands (its ``kind:``)."""
REQUIREMENT_KINDS: tuple[str, ...] = get_args(RequirementKind)
#: Which good practice an inclusion entry shows (``signal:``); every entry of the category
#: names one, and an advert is told which signals it is missing.
INCLUSION_CATEGORY = "inclusion_signals"
INCLUSION_SIGNALS = ("salary", "flexible_working", "adjustments", "entry_route", "welcome")
#: field -> (the categories whose entries must have it, its allowed values)
CATEGORY_FIELDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "kind": (REQUIREMENT_CATEGORIES, REQUIREMENT_KINDS),
    "signal": ((INCLUSION_CATEGORY,), INCLUSION_SIGNALS),
}
PATTERN_DICT_KINDS = ("lemma", "orth")
MIN_PREFIX_LENGTH = 3
INVALID_YAML = "{file}: not valid YAML ({detail}); fix the syntax at the line shown."
NOT_A_MAPPING = (
    "{file}: {where} must be a mapping (key: value lines); the file needs the keys "
    "category, title, sources, default_severity and entries."
)
UNKNOWN_KEYS = "{file}: {where} has unknown key(s) {keys}; allowed keys are {allowed}."
MISSING_KEYS = "{file}: {where} is missing required key(s) {keys}."
WRONG_TYPE = "{file}: {where}: {key} must be {expected}."
CATEGORY_MISMATCH = (
    "{file}: category {category!r} must equal the file name {stem!r}; rename the file or "
    "change the category."
)
EMPTY_CITATION = "{file}: source {key!r} has no citation; give the full reference."
UNKNOWN_SEVERITY = (
    "{file}: {where} has unknown severity {value!r}; choose one of low, medium or high."
)
DUPLICATE_ID = (
    "{file}: entry id {rule_id!r} is already used in {other}; ids must be unique across all "
    "lexicon files (and are never reused once published)."
)
DUPLICATE_PHRASE = (
    "{file}: {where} repeats the pattern {phrase!r}, already listed by {other} in the same "
    "category; keep each phrase in one entry."
)
UNRESOLVED_SOURCE = (
    "{file}: {where} cites source {key!r}, which is not among the file's sources ({known}); "
    "add it under sources: or fix the key."
)
EMPTY_EXAMPLES = (
    "{file}: {where} has no examples under examples.{kind}; every entry lists at least one "
    "sentence it must flag (match) and one it must leave alone (no_match)."
)
EMPTY_PATTERNS = "{file}: {where} has no patterns; list at least one phrase."
BAD_CONTEXT = (
    "{file}: {where} context must be a non-empty list of plain phrases (the entry then "
    "applies only to texts containing one of them), e.g. context: [nhs, patients]."
)
BAD_PATTERN_FORM = (
    "{file}: {where} pattern {pattern!r} is not a phrase, a word* prefix, a "
    "{{lemma: ...}} or {{orth: ...}} phrase, or a list of token dicts."
)
SHORT_PREFIX = (
    "{file}: {where} prefix pattern {pattern!r} is shorter than {minimum} letters and would "
    "catch unrelated words; lengthen it or list whole words."
)
INVALID_SPACY_PATTERN = (
    "{file}: {where} pattern {pattern} is not a valid spaCy token pattern: {detail}"
)
EXTENSION_WITH_OPERATOR = (
    "{file}: {where} pattern {pattern} combines a custom attribute (_) with an operator (OP); "
    "use _ only in patterns whose tokens each match exactly once."
)
UNSUPPORTED_ATTRIBUTE = (
    "{file}: {where} pattern uses {attributes}, which the offline pipeline never sets (it "
    "has no tagger, parser or entity recogniser), so it could never match; use LOWER, ORTH, "
    "LEMMA, IS_*, SHAPE or _.is_english_word instead."
)

UNKNOWN_FIELD_VALUE = (
    "{file}: {where} has {key} {value!r}, which the checker does not know; choose one of {allowed}."
)
MISSING_CATEGORY_FIELD = (
    "{file}: {where} needs a {key}: line (one of {allowed}): every entry in category "
    "{category!r} says which {key} it finds, so the checker knows how to report it."
)
FIELD_NOT_FOR_CATEGORY = (
    "{file}: {where} has a {key}: line, which only entries in {categories} use; remove it, "
    "or move the entry to one of those files."
)

UNKNOWN_LIST = (
    "{file}: {where} names word list {value!r}, which is not among the file's sources "
    "({known}); use one of those keys."
)
CONTEXT_KEYS_REQUIRED = ("title", "kinds", "precedence", "sources", "cues")
CUE_KEYS_REQUIRED = ("id", "kind", "scope", "patterns", "reason", "source", "examples")
CUE_SCOPES = ("heading", "metadata", "line", "sentence", "phrase")
#: The kinds the context module relies on; a context file may describe more.
CONTEXT_KINDS_REQUIRED = (
    "metadata",
    "heading",
    "candidate",
    "organisation",
    "duties",
    "patients",
    "values",
    "boilerplate",
    "other",
)
CONTEXT_MISSING_KINDS = "{file}: kinds must include {kinds}; add a one-line description of each."
CONTEXT_UNKNOWN_KIND = (
    "{file}: {where} has kind {value!r}, which is not listed under kinds ({known})."
)
CONTEXT_UNKNOWN_SCOPE = "{file}: {where} has scope {value!r}; choose one of {scopes}."
CONTEXT_BAD_REGEX = (
    "{file}: {where} pattern {pattern!r} is not a valid regular expression ({detail}); "
    "fix it, or write a plain phrase with scope heading or metadata."
)

#: Token attributes the offline pipeline (:func:`bias_audit.text.pipeline.get_pipeline`) sets;
#: lexicon token patterns may use only these. The pipeline has no tagger, parser or entity
#: recogniser, so POS, TAG, DEP, MORPH and ENT_TYPE would never match.
PIPELINE_TOKEN_ATTRIBUTES = frozenset(
    {
        "ORTH",
        "TEXT",
        "LOWER",
        "NORM",
        "SHAPE",
        "PREFIX",
        "SUFFIX",
        "LENGTH",
        "LEMMA",
        "IS_ALPHA",
        "IS_ASCII",
        "IS_DIGIT",
        "IS_LOWER",
        "IS_UPPER",
        "IS_TITLE",
        "IS_PUNCT",
        "IS_SPACE",
        "IS_STOP",
        "IS_SENT_START",
        "LIKE_NUM",
        "LIKE_URL",
        "LIKE_EMAIL",
        "OP",
    }
)

#: Custom token attributes the pipeline registers; patterns may use them under ``"_"``.
#: ``is_english_word``: the lower-case form is in the lemma table (as a form or a lemma), so
#: "HAVE" or "TITLE" written in capitals is a shouted word, not an acronym.
PIPELINE_EXTENSIONS = frozenset({"is_english_word"})


def yaml_document(file: str, data: bytes) -> Any:
    """The YAML document in ``data``; a syntax error names the file and the place."""
    try:
        return load_yaml(data)
    except yaml.YAMLError as error:
        detail = " ".join(str(error).split())
        raise LexiconError(INVALID_YAML.format(file=file, detail=detail)) from None


def check_keys(
    file: str,
    where: str,
    raw: object,
    required: tuple[str, ...],
    optional: tuple[str, ...],
) -> None:
    if not isinstance(raw, dict):
        raise LexiconError(NOT_A_MAPPING.format(file=file, where=where))
    allowed = required + optional
    unknown = [str(key) for key in raw if key not in allowed]
    if unknown:
        raise LexiconError(
            UNKNOWN_KEYS.format(
                file=file, where=where, keys=", ".join(unknown), allowed=", ".join(allowed)
            )
        )
    missing = [key for key in required if key not in raw]
    if missing:
        raise LexiconError(MISSING_KEYS.format(file=file, where=where, keys=", ".join(missing)))


def valid_sources(file: str, sources: object) -> dict[str, str]:
    """A file's ``sources`` mapping (key -> full citation), checked: not empty, no blank
    citation."""
    if not isinstance(sources, dict) or not sources:
        raise LexiconError(
            WRONG_TYPE.format(
                file=file, where="the file", key="sources", expected="a mapping key: citation"
            )
        )
    for key, citation in sources.items():
        if not isinstance(citation, str) or not citation.strip():
            raise LexiconError(EMPTY_CITATION.format(file=file, key=key))
    return sources


def cited_sources(file: str, where: str, cited: object, sources: Mapping[str, str]) -> list[str]:
    """The texts of the source keys an entry cites (one key or a list); an unknown key is
    refused with :data:`UNRESOLVED_SOURCE`."""
    keys = cited if isinstance(cited, list) else [cited]
    for key in keys:
        if key not in sources:
            raise LexiconError(
                UNRESOLVED_SOURCE.format(
                    file=file, where=where, key=key, known=", ".join(map(str, sources))
                )
            )
    return [str(sources[key]).strip() for key in keys]


def valid_text(file: str, where: str, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LexiconError(
            WRONG_TYPE.format(file=file, where=where, key=key, expected="non-empty text")
        )
    return value.strip()


def valid_flag(file: str, where: str, key: str, value: object) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise LexiconError(
            WRONG_TYPE.format(file=file, where=where, key=key, expected="true or false")
        )
    return value


def valid_context(file: str, where: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(item, str) and item.strip() for item in value)
    ):
        raise LexiconError(BAD_CONTEXT.format(file=file, where=where))
    return tuple(" ".join(item.lower().split()) for item in value)


def valid_severity(file: str, where: str, value: object) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError:
        raise LexiconError(UNKNOWN_SEVERITY.format(file=file, where=where, value=value)) from None


def valid_category_field(
    file: str, where: str, category: str, key: str, value: object
) -> str | None:
    """A field only some categories use (``kind``, ``signal``): required there, refused
    elsewhere, and one of its known values."""
    categories, allowed = CATEGORY_FIELDS[key]
    if category not in categories:
        if value is None:
            return None
        raise LexiconError(
            FIELD_NOT_FOR_CATEGORY.format(
                file=file, where=where, key=key, categories=", ".join(categories)
            )
        )
    if value is None:
        raise LexiconError(
            MISSING_CATEGORY_FIELD.format(
                file=file, where=where, key=key, allowed=", ".join(allowed), category=category
            )
        )
    if value not in allowed:
        raise LexiconError(
            UNKNOWN_FIELD_VALUE.format(
                file=file, where=where, key=key, value=value, allowed=", ".join(allowed)
            )
        )
    return str(value)


@lru_cache(maxsize=1)
def _validation_vocab() -> Vocab:
    return Vocab()


def check_token_pattern(file: str, where: str, tokens: tuple[dict[str, Any], ...]) -> None:
    shown = json.dumps(list(tokens))
    # spaCy checks a pattern's shape against its schema, whatever the vocabulary: a blank
    # one keeps this module free of the text pipeline (which sits above it).
    matcher = Matcher(_validation_vocab(), validate=True)
    try:
        matcher.add("check", [list(tokens)])
    except (MatchPatternError, ValueError) as error:
        detail = " ".join(str(error).split())
        raise LexiconError(
            INVALID_SPACY_PATTERN.format(file=file, where=where, pattern=shown, detail=detail)
        ) from None
    if any("_" in token for token in tokens) and any("OP" in token for token in tokens):
        raise LexiconError(EXTENSION_WITH_OPERATOR.format(file=file, where=where, pattern=shown))
    used = {key for token in tokens for key in token if key != "_"}
    used |= {f"_.{name}" for token in tokens for name in token.get("_", {})}
    allowed = PIPELINE_TOKEN_ATTRIBUTES | {f"_.{name}" for name in PIPELINE_EXTENSIONS}
    unsupported = sorted(used - allowed)
    if unsupported:
        raise LexiconError(
            UNSUPPORTED_ATTRIBUTE.format(
                file=file, where=where, pattern=shown, attributes=", ".join(unsupported)
            )
        )
