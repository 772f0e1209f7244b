"""Load the lexicons, the rules of the advert checker kept as data, into checked records.

Each YAML file under ``lexicons/`` holds one category (the file stem). A file header names the
category, a title, the sources its entries cite (key -> full citation) and a default severity;
``entries`` lists the rules. See ``lexicons/README.md`` for the schema with examples.

Pattern forms (in ``patterns`` and ``unless``):

* ``"native english speaker"`` — a phrase, matched case-insensitively token by token;
* ``"compet*"`` — a word prefix (Gaucher et al.'s asterisk); may contain hyphens
  (``"self-confiden*"``), the last word being the prefix;
* ``{lemma: "young team"}`` — a phrase matched on lemmas ("young teams");
* ``{orth: "Trust"}`` — a phrase matched with exact case;
* ``[{LOWER: lead}, {IS_TITLE: true}]`` — a spaCy token pattern, validated by spaCy and limited
  to attributes the offline pipeline sets.

Gender-coded entries may say which published word list they come from (``list:``, a key of
the file's ``sources``), so that explanations credit Gaucher et al. (2011) and Gender Decoder
correctly.

``context.yml`` is not a category: it holds the headings and cue phrases that
:mod:`bias_audit.text.context` uses to label what each part of an advert describes. It is
loaded and validated by :mod:`bias_audit.lexicon_context` (its bytes still count in the lexicon
version).

The loader refuses a broken file with a :class:`~bias_audit.errors.LexiconError` whose message
names the file and entry and says how to fix it; the keys, allowed values and checks are in
:mod:`bias_audit.lexicon_schema`.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from bias_audit.errors import LexiconError
from bias_audit.lexicon_schema import (
    BAD_PATTERN_FORM,
    CATEGORY_MISMATCH,
    DUPLICATE_ID,
    DUPLICATE_PHRASE,
    EMPTY_EXAMPLES,
    EMPTY_PATTERNS,
    ENTRY_KEYS_OPTIONAL,
    ENTRY_KEYS_REQUIRED,
    EXAMPLE_KEYS,
    FILE_KEYS_OPTIONAL,
    FILE_KEYS_REQUIRED,
    MIN_PREFIX_LENGTH,
    PATTERN_DICT_KINDS,
    SHORT_PREFIX,
    UNKNOWN_LIST,
    WRONG_TYPE,
    check_keys,
    check_token_pattern,
    cited_sources,
    valid_category_field,
    valid_context,
    valid_flag,
    valid_severity,
    valid_sources,
    valid_text,
    yaml_document,
)
from bias_audit.shipped import shipped_path
from bias_audit.types import Severity

DEFAULT_LEXICON_DIR = shipped_path("lexicons")


NO_LEXICON_FILES = (
    "Lexicon folder {directory} has no .yml files; point to a folder of category files "
    "(the default is the repository's lexicons/ folder)."
)

CONTEXT_FILE = "context.yml"

PatternKind = Literal["phrase", "prefix", "lemma", "orth", "tokens"]


@dataclass(frozen=True, slots=True)
class Pattern:
    """One compiled-ready pattern of an entry.

    ``kind`` says which matcher handles it; ``text`` holds the phrase or prefix (lower case
    except for ``orth``), ``tokens`` the token dicts of a ``tokens`` pattern.
    """

    kind: PatternKind
    text: str = ""
    tokens: tuple[dict[str, Any], ...] = ()

    @property
    def key(self) -> str:
        """A canonical string used to detect the same pattern listed twice."""
        if self.kind == "tokens":
            return json.dumps(self.tokens, sort_keys=True)
        suffix = "*" if self.kind == "prefix" else ""
        return (self.text if self.kind == "orth" else self.text.lower()) + suffix


@dataclass(frozen=True, slots=True)
class Examples:
    """Sentences an entry must flag (``match``) and must leave alone (``no_match``)."""

    match: tuple[str, ...]
    no_match: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One rule: what to find, how serious it is, why, what instead, and the evidence.

    ``unless`` patterns are exceptions: a match lying inside an ``unless`` match is dropped.
    ``skip_headings`` drops matches on short heading lines ("Key responsibilities");
    ``acronym`` drops a match when the text explains that acronym somewhere, when it sits in
    shouted capitals or when it is part of a reference code; ``common_words_in_lists_only``
    also drops everyday English words in capitals unless they stand in a list of capitalised
    terms (see :mod:`bias_audit.text.acronyms`). A non-empty ``context`` (lower-case
    phrases) limits the entry to texts that contain one of them as whole words.
    """

    id: str
    category: str
    patterns: tuple[Pattern, ...]
    severity: Severity
    explanation: str
    suggestions: tuple[str, ...]
    source: str
    examples: Examples
    unless: tuple[Pattern, ...] = ()
    skip_headings: bool = False
    acronym: bool = False
    condition: str | None = None
    common_words_in_lists_only: bool = False
    context: tuple[str, ...] = ()
    word_list: str | None = None  # the published list a gender-coded word comes from
    kind: str | None = None  # requirement categories: what the demand is (REQUIREMENT_KINDS)
    signal: str | None = None  # inclusion_signals: the good practice shown (INCLUSION_SIGNALS)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All loaded rules, the categories they belong to and a content hash (``version``)."""

    entries: tuple[LexiconEntry, ...]
    version: str
    categories: tuple[str, ...]
    titles: Mapping[str, str] = field(default_factory=dict)

    def in_categories(self, categories: Collection[str]) -> tuple[LexiconEntry, ...]:
        """Return the entries whose category is in ``categories``, in lexicon order."""
        return tuple(entry for entry in self.entries if entry.category in categories)


#: :func:`load_lexicon` looks at a folder's files again at most this often (seconds).
LEXICON_RESCAN_SECONDS = 1.0
#: Folders whose last scan :func:`load_lexicon` remembers (then it forgets them all).
LEXICON_SCANS_KEPT = 8
_LAST_SCAN: dict[str, tuple[float, Lexicon]] = {}  # folder -> (time.monotonic(), lexicon)


def load_lexicon(directory: Path | None = None, *, rescan: bool = False) -> Lexicon:
    """Load and validate every ``*.yml`` category file in ``directory``.

    Parameters
    ----------
    directory
        Folder of category files; ``None`` means the repository's ``lexicons/`` folder.
    rescan
        Look at the folder's files now, even if they were looked at less than
        :data:`LEXICON_RESCAN_SECONDS` ago.

    Returns
    -------
    Lexicon
        Cached per folder and file contents (files are re-read when their size or
        modification time changes), so editing a file gives a new version: at the next
        call from :data:`LEXICON_RESCAN_SECONDS` after the folder was last scanned, or at
        once with ``rescan=True``. (The scan costs about a twentieth of tokenising an
        advert, and the app and the CLI call this for every advert.)

    Raises
    ------
    LexiconError
        When a file breaks the schema; the message names the file, the entry and the fix.

    Examples
    --------
    >>> lexicon = load_lexicon()
    >>> "gender_masculine" in lexicon.categories
    True
    >>> len(lexicon.version)
    16
    """
    folder = DEFAULT_LEXICON_DIR if directory is None else Path(directory).resolve()
    folder_key = str(folder)
    now = time.monotonic()
    last = _LAST_SCAN.get(folder_key)
    if last is not None and not rescan and now - last[0] < LEXICON_RESCAN_SECONDS:
        return last[1]
    # Re-read only when a file's size or modification time changes, so this part is one
    # directory scan.
    try:
        with os.scandir(folder) as entries:
            signature = tuple(
                sorted(
                    (entry.name, stat.st_mtime_ns, stat.st_size)
                    for entry in entries
                    if entry.name.endswith(".yml") and entry.is_file()
                    for stat in (entry.stat(),)
                )
            )
    except (FileNotFoundError, NotADirectoryError):
        signature = ()
    if not signature:
        raise LexiconError(NO_LEXICON_FILES.format(directory=folder))
    lexicon = _load_signed(folder_key, signature)
    if len(_LAST_SCAN) >= LEXICON_SCANS_KEPT and folder_key not in _LAST_SCAN:
        _LAST_SCAN.clear()
    _LAST_SCAN[folder_key] = (now, lexicon)
    return lexicon


@lru_cache(maxsize=8)
def _load_signed(folder: str, signature: tuple[tuple[str, int, int], ...]) -> Lexicon:
    contents = tuple((name, (Path(folder) / name).read_bytes()) for name, _, _ in signature)
    return _load_cached(folder, contents)


def lexicon_version(contents: tuple[tuple[str, bytes], ...]) -> str:
    """Hash file names and bytes: the version stamped on every report."""
    digest = hashlib.sha256()
    for name, data in contents:
        digest.update(name.encode("utf-8") + b"\0" + data + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=8)
def _load_cached(folder: str, contents: tuple[tuple[str, bytes], ...]) -> Lexicon:
    entries: list[LexiconEntry] = []
    titles: dict[str, str] = {}
    ids: dict[str, str] = {}
    phrases: dict[tuple[str, str], str] = {}
    for name, data in contents:
        if name == CONTEXT_FILE:  # cues for bias_audit.text.context, not a category
            continue
        file_label = str(Path(folder) / name)
        category, title, file_entries = _parse_file(file_label, Path(name).stem, data)
        titles[category] = title
        for entry in file_entries:
            if entry.id in ids:
                raise LexiconError(
                    DUPLICATE_ID.format(file=file_label, rule_id=entry.id, other=ids[entry.id])
                )
            ids[entry.id] = file_label
            # A phrase may mean different things to different analysers ("pro rata" is
            # jargon and also a sign that pay is stated), so uniqueness is per category.
            for pattern in entry.patterns:
                seen = (category, pattern.key)
                if seen in phrases:
                    raise LexiconError(
                        DUPLICATE_PHRASE.format(
                            file=file_label,
                            where=f"entry {entry.id!r}",
                            phrase=pattern.key,
                            other=phrases[seen],
                        )
                    )
                phrases[seen] = f"entry {entry.id!r}"
            entries.append(entry)
    return Lexicon(
        entries=tuple(entries),
        version=lexicon_version(contents),
        categories=tuple(titles),
        titles=titles,
    )


def _parse_file(file: str, stem: str, data: bytes) -> tuple[str, str, list[LexiconEntry]]:
    document = yaml_document(file, data)
    check_keys(file, "the file", document, FILE_KEYS_REQUIRED, FILE_KEYS_OPTIONAL)
    category = document["category"]
    if category != stem:
        raise LexiconError(CATEGORY_MISMATCH.format(file=file, category=category, stem=stem))
    title = valid_text(file, "the file", "title", document["title"])
    for key in FILE_KEYS_OPTIONAL:
        if key in document:
            valid_text(file, "the file", key, document[key])
    sources = valid_sources(file, document["sources"])
    default_severity = valid_severity(file, "the file", document["default_severity"])
    raw_entries = document["entries"]
    if not isinstance(raw_entries, list) or not raw_entries:
        raise LexiconError(
            WRONG_TYPE.format(
                file=file, where="the file", key="entries", expected="a non-empty list"
            )
        )
    entries = [
        _parse_entry(file, category, sources, default_severity, number, raw)
        for number, raw in enumerate(raw_entries, start=1)
    ]
    return category, title, entries


def _parse_entry(
    file: str,
    category: str,
    sources: Mapping[str, str],
    default_severity: Severity,
    number: int,
    raw: object,
) -> LexiconEntry:
    where = f"entry #{number}"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        where = f"entry {raw['id']!r}"
    check_keys(file, where, raw, ENTRY_KEYS_REQUIRED, ENTRY_KEYS_OPTIONAL)
    assert isinstance(raw, dict)  # _check_keys refused anything else
    rule_id = valid_text(file, where, "id", raw["id"])
    severity = default_severity
    if raw.get("severity") is not None:
        severity = valid_severity(file, where, raw["severity"])
    patterns = _patterns(file, where, raw["patterns"])
    if not patterns:
        raise LexiconError(EMPTY_PATTERNS.format(file=file, where=where))
    unless = _patterns(file, where, raw.get("unless") or [])
    citations = cited_sources(file, where, raw["source"], sources)
    suggestions = raw["suggestions"]
    if not isinstance(suggestions, list) or not all(isinstance(s, str) for s in suggestions):
        raise LexiconError(
            WRONG_TYPE.format(
                file=file, where=where, key="suggestions", expected="a list of phrases"
            )
        )
    condition = raw.get("condition")
    word_list = raw.get("list")
    if word_list is not None and word_list not in sources:
        raise LexiconError(
            UNKNOWN_LIST.format(
                file=file, where=where, value=word_list, known=", ".join(map(str, sources))
            )
        )
    return LexiconEntry(
        id=rule_id,
        category=category,
        patterns=patterns,
        severity=severity,
        explanation=" ".join(valid_text(file, where, "explanation", raw["explanation"]).split()),
        suggestions=tuple(suggestions),
        source="; ".join(citations),
        examples=parse_examples(file, where, raw["examples"]),
        unless=unless,
        skip_headings=valid_flag(file, where, "skip_headings", raw.get("skip_headings")),
        acronym=valid_flag(file, where, "acronym", raw.get("acronym")),
        common_words_in_lists_only=valid_flag(
            file, where, "common_words_in_lists_only", raw.get("common_words_in_lists_only")
        ),
        context=valid_context(file, where, raw.get("context")),
        condition=None if condition is None else valid_text(file, where, "condition", condition),
        word_list=word_list,
        kind=valid_category_field(file, where, category, "kind", raw.get("kind")),
        signal=valid_category_field(file, where, category, "signal", raw.get("signal")),
    )


def parse_examples(file: str, where: str, raw: object) -> Examples:
    """An entry's or a cue's ``examples``: non-empty ``match`` and ``no_match`` lists of text."""
    check_keys(file, f"{where} examples", raw, EXAMPLE_KEYS, ())
    assert isinstance(raw, dict)
    lists = {}
    for kind in EXAMPLE_KEYS:
        sentences = raw[kind]
        if not isinstance(sentences, list) or not sentences:
            raise LexiconError(EMPTY_EXAMPLES.format(file=file, where=where, kind=kind))
        lists[kind] = tuple(valid_text(file, where, f"examples.{kind}", s) for s in sentences)
    return Examples(match=lists["match"], no_match=lists["no_match"])


def _patterns(file: str, where: str, raw: object) -> tuple[Pattern, ...]:
    if not isinstance(raw, list):
        raise LexiconError(
            WRONG_TYPE.format(file=file, where=where, key="patterns", expected="a list")
        )
    return tuple(_pattern(file, where, item) for item in raw)


def _pattern(file: str, where: str, raw: object) -> Pattern:
    if isinstance(raw, str) and raw.strip():
        text = " ".join(raw.split())
        if text.endswith("*"):
            stem = text.rstrip("*").lower()
            if len(stem.split("-")[-1]) < MIN_PREFIX_LENGTH:
                raise LexiconError(
                    SHORT_PREFIX.format(
                        file=file, where=where, pattern=raw, minimum=MIN_PREFIX_LENGTH
                    )
                )
            return Pattern("prefix", stem)
        return Pattern("phrase", text.lower())
    if isinstance(raw, dict) and len(raw) == 1:
        ((kind, text),) = raw.items()
        if kind in PATTERN_DICT_KINDS and isinstance(text, str) and text.strip():
            text = " ".join(text.split())
            return Pattern(kind, text if kind == "orth" else text.lower())
    if isinstance(raw, list) and raw and all(isinstance(token, dict) for token in raw):
        tokens = tuple({str(key).upper(): value for key, value in token.items()} for token in raw)
        check_token_pattern(file, where, tokens)
        return Pattern("tokens", tokens=tokens)
    raise LexiconError(BAD_PATTERN_FORM.format(file=file, where=where, pattern=raw))
