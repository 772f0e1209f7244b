"""The offline spaCy pipeline every text analyser shares.

Trained English pipelines are not published on PyPI, so the default is ``spacy.blank("en")``
plus three small components that need no model and no network:

1. ``sentencizer`` (spaCy's punctuation-based splitter);
2. ``bias_audit_line_breaks``: adverts are bullet lists and headings more than prose, so a
   newline or a bullet character also starts a sentence;
3. ``bias_audit_lemmatizer``: a lookup lemmatiser over the vendored English table from
   ``spacy-lookups-data`` (``data/en_lemma_lookup.json.gz``, MIT/WordNet). spaCy's own lookup
   lemmatiser looks words up by their exact text, so "Leaders" would stay "Leaders"; this one
   looks up the lower-case form, so lemmas are case-insensitive.

Lexicon patterns may therefore use tokenizer attributes (``LOWER``, ``ORTH``, ``IS_*``, …),
``IS_SENT_START`` and ``LEMMA`` — nothing a trained model would add (POS, TAG, DEP, MORPH,
ENT_TYPE) — plus the custom ``_.is_english_word`` flag. ``en_core_web_sm`` is never
required.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

LEMMA_TABLE_PATH = Path(__file__).with_name("data") / "en_lemma_lookup.json.gz"

#: Token attributes the default pipeline sets; lexicon token patterns may use only these.
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

#: Custom token attributes the pipeline provides; patterns may use them under ``"_"``.
#: ``is_english_word``: the lower-case form is in the lemma table (as a form or a lemma), so
#: "HAVE" or "TITLE" written in capitals is a shouted word, not an acronym.
PIPELINE_EXTENSIONS = frozenset({"is_english_word"})

# Bullet glyphs. PDF and docx conversion often runs a list onto one line ("• a • b"), so a
# glyph starts a sentence wherever it stands; plain hyphens only count after a newline,
# which the newline rule already covers.
BULLET_CHARACTERS = frozenset("•◦▪▫●○■□‣⁃∙·✓✔➢➤►")


@lru_cache(maxsize=1)
def load_lemma_table() -> dict[str, str]:
    """Return the vendored English lemma lookup table (lower-case form -> lemma).

    Examples
    --------
    >>> load_lemma_table()["nurses"]
    'nurse'
    """
    with gzip.open(LEMMA_TABLE_PATH, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every word form and lemma in the vendored lemma table (about 67,000 words)."""
    table = load_lemma_table()
    return frozenset(table) | frozenset(table.values())


def _is_english_word(token: Token) -> bool:
    return token.lower_ in english_words()


if not Token.has_extension("is_english_word"):
    Token.set_extension("is_english_word", getter=_is_english_word)


@Language.component("bias_audit_line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every newline and at every bullet that opens a line."""
    after_break = False
    for token in doc:
        if token.i > 0 and (after_break or token.text in BULLET_CHARACTERS):
            token.is_sent_start = True
        # spaCy keeps runs of newlines as whitespace tokens; a single trailing newline can
        # also sit in a token's trailing whitespace.
        after_break = "\n" in token.text_with_ws if token.is_space else "\n" in token.whitespace_
    return doc


@Language.component("bias_audit_lemmatizer")
def _lower_case_lemmatizer(doc: Doc) -> Doc:
    """Set each token's lemma from the lookup table, keyed by its lower-case form."""
    table = load_lemma_table()
    for token in doc:
        lower = token.lower_
        token.lemma_ = table.get(lower, lower)
    return doc


@lru_cache(maxsize=1)
def get_pipeline() -> Language:
    """Build (once per process) the offline English pipeline used by every text analyser.

    Returns
    -------
    spacy.language.Language
        ``spacy.blank("en")`` with sentence splitting (punctuation, newlines, bullets) and a
        case-insensitive lookup lemmatiser. No network access and no trained model needed.

    Examples
    --------
    >>> doc = get_pipeline()("Leaders WANTED\\n• Caring nurses")
    >>> [t.lemma_ for t in doc if not t.is_space]
    ['leader', 'want', '•', 'care', 'nurse']
    >>> [s.text.strip() for s in doc.sents]
    ['Leaders WANTED', '• Caring nurses']
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("bias_audit_line_breaks")
    nlp.add_pipe("bias_audit_lemmatizer")
    load_lemma_table()
    return nlp
