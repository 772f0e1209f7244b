"""The context cues of ``lexicons/context.yml``: the headings and cue phrases that
:mod:`bias_audit.text.context` uses to label what each part of an advert describes.

Loaded and validated like the category files of :mod:`bias_audit.lexicon` (same messages,
from :mod:`bias_audit.lexicon_schema`); its bytes count in the lexicon version.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bias_audit.errors import LexiconError
from bias_audit.lexicon import CONTEXT_FILE, DEFAULT_LEXICON_DIR, Examples, parse_examples
from bias_audit.lexicon_schema import (
    CONTEXT_BAD_REGEX,
    CONTEXT_KEYS_REQUIRED,
    CONTEXT_KINDS_REQUIRED,
    CONTEXT_MISSING_KINDS,
    CONTEXT_UNKNOWN_KIND,
    CONTEXT_UNKNOWN_SCOPE,
    CUE_KEYS_REQUIRED,
    CUE_SCOPES,
    DUPLICATE_ID,
    EMPTY_PATTERNS,
    FILE_KEYS_OPTIONAL,
    WRONG_TYPE,
    check_keys,
    cited_sources,
    valid_sources,
    valid_text,
    yaml_document,
)

NO_CONTEXT_FILE = (
    "{file} is missing; the advert checker needs it to tell what each part of an advert "
    "describes. Restore it from the repository's lexicons/ folder."
)


@dataclass(frozen=True, slots=True)
class ContextCue:
    """One heading list or cue of ``context.yml``: where it applies and the kind it gives.

    ``patterns`` are compiled, case-insensitive: plain phrases for the ``heading`` and
    ``metadata`` scopes (compiled to match the phrase as whole words, spaces flexible),
    regular expressions for ``line``, ``sentence`` and ``phrase``.
    """

    id: str
    kind: str
    scope: str
    patterns: tuple[re.Pattern[str], ...]
    phrases: tuple[str, ...]  # the patterns as written
    reason: str
    source: str
    examples: Examples


@dataclass(frozen=True, slots=True)
class ContextCues:
    """The validated contents of ``context.yml``."""

    kinds: Mapping[str, str]
    precedence: tuple[str, ...]
    cues: tuple[ContextCue, ...]
    version: str

    def in_scope(self, scope: str) -> tuple[ContextCue, ...]:
        """The cues of one scope, in file order."""
        return tuple(cue for cue in self.cues if cue.scope == scope)


def load_context(directory: Path | None = None) -> ContextCues:
    """Load and validate ``context.yml`` from ``directory`` (default: ``lexicons/``).

    Cached per file contents, like :func:`~bias_audit.lexicon.load_lexicon`.

    Raises
    ------
    LexiconError
        When the file is missing or breaks the schema; the message names the file, the cue
        and the fix.

    Examples
    --------
    >>> cues = load_context()
    >>> "candidate" in cues.kinds and cues.precedence[0]
    'boilerplate'
    """
    # the default path is built once: segment() asks for the cues on every advert
    path = (
        _DEFAULT_CONTEXT_PATH
        if directory is None
        else str(Path(directory).resolve() / CONTEXT_FILE)
    )
    try:
        stat = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise LexiconError(NO_CONTEXT_FILE.format(file=path)) from None
    return _load_context_signed(path, stat.st_mtime_ns, stat.st_size)


_DEFAULT_CONTEXT_PATH = str(DEFAULT_LEXICON_DIR / CONTEXT_FILE)


@lru_cache(maxsize=8)
def _load_context_signed(path: str, mtime: int, size: int) -> ContextCues:
    return _parse_context(path, Path(path).read_bytes())


def _parse_context(file: str, data: bytes) -> ContextCues:
    document = yaml_document(file, data)
    check_keys(file, "the file", document, CONTEXT_KEYS_REQUIRED, FILE_KEYS_OPTIONAL)
    valid_text(file, "the file", "title", document["title"])
    kinds = document["kinds"]
    if not isinstance(kinds, dict) or not all(isinstance(v, str) for v in kinds.values()):
        raise LexiconError(
            WRONG_TYPE.format(
                file=file, where="the file", key="kinds", expected="a mapping kind: description"
            )
        )
    missing = [kind for kind in CONTEXT_KINDS_REQUIRED if kind not in kinds]
    if missing:
        raise LexiconError(CONTEXT_MISSING_KINDS.format(file=file, kinds=", ".join(missing)))
    known = ", ".join(kinds)
    precedence = document["precedence"]
    if not isinstance(precedence, list) or not precedence:
        raise LexiconError(
            WRONG_TYPE.format(
                file=file, where="the file", key="precedence", expected="a list of kinds"
            )
        )
    for kind in precedence:
        if kind not in kinds:
            raise LexiconError(
                CONTEXT_UNKNOWN_KIND.format(file=file, where="precedence", value=kind, known=known)
            )
    sources = valid_sources(file, document["sources"])
    raw_cues = document["cues"]
    if not isinstance(raw_cues, list) or not raw_cues:
        raise LexiconError(
            WRONG_TYPE.format(file=file, where="the file", key="cues", expected="a non-empty list")
        )
    cues = []
    ids: set[str] = set()
    for number, raw in enumerate(raw_cues, start=1):
        where = f"cue #{number}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            where = f"cue {raw['id']!r}"
        check_keys(file, where, raw, CUE_KEYS_REQUIRED, ())
        assert isinstance(raw, dict)
        cue_id = valid_text(file, where, "id", raw["id"])
        if cue_id in ids:
            raise LexiconError(DUPLICATE_ID.format(file=file, rule_id=cue_id, other="this file"))
        ids.add(cue_id)
        kind, scope = raw["kind"], raw["scope"]
        if kind not in kinds:
            raise LexiconError(
                CONTEXT_UNKNOWN_KIND.format(file=file, where=where, value=kind, known=known)
            )
        if scope not in CUE_SCOPES:
            raise LexiconError(
                CONTEXT_UNKNOWN_SCOPE.format(
                    file=file, where=where, value=scope, scopes=", ".join(CUE_SCOPES)
                )
            )
        phrases = raw["patterns"]
        if not isinstance(phrases, list) or not phrases:
            raise LexiconError(EMPTY_PATTERNS.format(file=file, where=where))
        compiled = []
        for phrase in phrases:
            if not isinstance(phrase, str) or not phrase.strip():
                raise LexiconError(
                    WRONG_TYPE.format(
                        file=file, where=where, key="patterns", expected="a list of text"
                    )
                )
            expression = phrase
            if scope in ("heading", "metadata"):
                words = [re.escape(word) for word in phrase.split()]
                expression = r"\s+".join(words)
            try:
                compiled.append(re.compile(expression, re.IGNORECASE))
            except re.error as error:
                raise LexiconError(
                    CONTEXT_BAD_REGEX.format(file=file, where=where, pattern=phrase, detail=error)
                ) from None
        cited = cited_sources(file, where, raw["source"], sources)
        cues.append(
            ContextCue(
                id=cue_id,
                kind=kind,
                scope=scope,
                patterns=tuple(compiled),
                phrases=tuple(phrases),
                reason=" ".join(valid_text(file, where, "reason", raw["reason"]).split()),
                source="; ".join(" ".join(text.split()) for text in cited),
                examples=parse_examples(file, where, raw["examples"]),
            )
        )
    return ContextCues(
        kinds=dict(kinds),
        precedence=tuple(precedence),
        cues=tuple(cues),
        version=hashlib.sha256(data).hexdigest()[:16],
    )
