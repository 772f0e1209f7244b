"""The acronym checks' fast paths give the answers of the straightforward versions.

``is_shouted`` walks the line's chunks with ``str.split`` (not a regex), checks the
all-capitals line stopping at its first lower-case word, and the capitalised-run regex takes
word characters possessively; ``is_explained`` is asked once per compact form. Each is
compared here with the version it replaced, on texts made to hit their edges.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bias_audit.text import acronyms

# --- the versions replaced (reference) -------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r"\S+")
_CAPITAL_WORD = re.compile(r"[A-Z][A-Z'’]*")
_GREEDY_RUN = re.compile(
    r"[A-Z](?<!\w[A-Z])[\w'’-]*(?:\s+(?:(?:"
    + "|".join(sorted(acronyms.GLOSS_FILLERS - {"&"}))
    + r"|&)\s+)?[A-Z][\w'’-]*)+"
)


def _reference_is_shouted(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    alphabetic = [word for word in _WORD.findall(line) if word.isalpha()]
    if len(alphabetic) >= 3 and all(word.isupper() for word in alphabetic):
        return True
    chunks = list(_CHUNK.finditer(line))
    at = next(
        (n for n, chunk in enumerate(chunks) if chunk.start() <= start - line_start < chunk.end()),
        None,
    )
    if at is None:
        return False

    def capital(n: int) -> bool:
        core = chunks[n].group(0).strip(".,;:!?()[]\"'“”‘’")
        return bool(_CAPITAL_WORD.fullmatch(core)) and len(core) > 0

    def joined(left: int, right: int) -> bool:
        return not re.search(r"[.,;:!?)\]\"”’]$", chunks[left].group(0)) and not re.match(
            r"[(\[\"“‘]", chunks[right].group(0)
        )

    if not capital(at):
        return False
    first, last = acronyms.capitals_run(at, len(chunks), capital, joined)
    others = [
        chunks[n].group(0).strip(".,;:!?()[]\"'“”‘’") for n in range(first, last + 1) if n != at
    ]
    everyday = sum(len(word) > 1 and acronyms.is_everyday_word(word) for word in others)
    return everyday >= acronyms.SHOUTED_RUN_WORDS


# --- texts at the edges ------------------------------------------------------------------------

PIECES = [
    "NHS", "MDT", "ECG", "ECGs", "NEWS 2", "IMPORTANT", "PLEASE", "READ", "TRAINING", "RESPONSIBLE",
    "TO", "A", "I", "Care", "Team", "and", "of", "the", "nurse", "(MDT)", "MDT,", "“NHS”", "‘ESR’",
    "NHS.", "X-RAY", "O'NEIL", "MUST’VE", "2", "NEWS2", "£25", "Band", "5", "é", "ÉCOLE", "日本",
    "Multi-disciplinary", "Team's", "Ref:", "ABC-123",
]  # fmt: skip
SPACES = [" ", "  ", "\n", "\t", "\u00a0", "\u2003", " \n ", "\r\n", "\x1c"]

texts = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from(SPACES)), min_size=1, max_size=14
).map(lambda parts: "".join(word + space for word, space in parts))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.data())
def test_is_shouted_agrees_with_the_chunk_list_version(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start, len(text)))
    assert acronyms.is_shouted(text, start, end) == _reference_is_shouted(text, start, end)


@pytest.mark.parametrize("start", range(0, 60, 3))
def test_is_shouted_agrees_at_every_kind_of_position(start):
    text = "IMPORTANT PLEASE READ.\nWork with the MDT and ESR TRAINING, “NHS” (MDT) REF: NO"
    assert acronyms.is_shouted(text, start, start + 3) == _reference_is_shouted(
        text, start, start + 3
    )


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_possessive_run_regex_finds_the_runs_the_greedy_one_finds(text):
    assert [m.span() for m in acronyms._CAPITALISED_RUN.finditer(text)] == [
        m.span() for m in _GREEDY_RUN.finditer(text)
    ]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(["MDT", "MDTs", "NEWS 2", "NEWS2", "ECGs", "AfC", "PALS", "HCAs"]))
def test_an_acronym_is_explained_as_its_compact_form_is(text, acronym):
    glossed = f"{text} {acronym} (multi disciplinary team) Healthcare Assistants {acronym}"
    for candidate in (text, glossed):
        assert acronyms.is_explained(candidate, acronym) == acronyms.is_explained(
            candidate, acronyms.compact_form(acronym)
        )
