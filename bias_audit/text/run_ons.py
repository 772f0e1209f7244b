"""Cutting a run-on "sentence" where stripped bullets ran a list, its heading or job-board fields
into it (:func:`run_on_pieces`), for readability (:mod:`bias_audit.text.prose`).
"""

from __future__ import annotations

import re

from bias_audit.text.prose_words import (
    CLAUSE_WORD_FORMS,
    CLAUSE_WORDS,
    DUTY_VERBS,
    HEADING_STARTS,
    KNOWN_COLON,
    METADATA_FIELD,
    WORD,
    Sentence,
    ends_sentence,
    find_words,
)

RUN_IN_LABEL_MAX_WORDS = 5
"""Longest run-in heading before a colon ("Your role will include:", "Essential Requirements:")."""


COLON_LIST_ITEM_MAX_WORDS = 4
"""A colon followed to the sentence end by short comma-separated names is a list inside a
sentence ("clients including: BBC, Sony, Getty Images"), not a run-in heading."""


_TOKEN = re.compile(r"\S+")


_ROUND_BULLETS = frozenset("•·▪●◦‣")


_EDGE_PUNCTUATION = "\"'’‘“”()[],.;:!?"


_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "and",
        "or",
        "nor",
        "our",
        "your",
        "their",
        "its",
        "his",
        "her",
        "as",
        "from",
        "into",
        "onto",
        "than",
        "via",
        "per",
        "within",
        "across",
        "about",
        "around",
        "between",
        "under",
        "over",
        "through",
        "throughout",
        "during",
        "including",
        "towards",
        "alongside",
        "among",
        "without",
        "upon",
        "near",
    ]
)
"""Words after which a capitalised word continues the clause ("the Trust", "to Oxford",
"within Working Age Adults services")."""


_ITEM_STARTS = (
    (CLAUSE_WORDS - {"i"})
    | DUTY_VERBS
    | HEADING_STARTS
    | frozenset(
        [
            "the",
            "a",
            "an",
            "to",
            "if",
            "this",
            "these",
            "then",
            "so",
            "please",
            "ability",
            "able",
            "experience",
            "knowledge",
            "excellent",
            "good",
            "previous",
            "minimum",
            "flexible",
            "full",
            "strong",
            "willingness",
            "understanding",
            "commitment",
            "desirable",
            "essential",
            "required",
            "free",
            "paid",
            "regular",
            "lots",
            "salary",
            "closing",
            "hours",
            "as",
            "with",
            "for",
            "in",
            "due",
            "when",
            "while",
            "all",
            "each",
            "there",
            "applicants",
            "candidates",
            "successful",
            "ideal",
            "training",
        ]
    )
)
"""Capitalised words that start a new list item or clause when run in after a lower-case
word with no punctuation ("…care industry Must have…", "…shift The Candidate:")."""


_CAPITALS_WORD = re.compile(r"[A-Z][A-Z'’]+:?|&")


_SENTENCE_STARTS = frozenset(["if", "we", "you", "this", "then", "please", "our", "the"])
"""Capitalised words that start a new sentence even after a capitalised word ("…Dartford,
Kent We are seeking…", "…Area Manager If you are…"): a name does not go on with them."""


_REQUIREMENT_STARTS = frozenset(
    [
        "ability",
        "able",
        "experience",
        "knowledge",
        "understanding",
        "willingness",
        "commitment",
        "excellent",
        "good",
        "previous",
        "minimum",
        "desirable",
        "essential",
    ]
)
"""First words of person-specification items ("Ability to communicate … as appropriate.")."""


CUT = "cut"
COLON = "colon"


def cut_before(before: str, word: str, gap: str) -> str | None:
    """Whether a capitalised ``word`` starts a new piece after the token ``before``, with
    ``gap`` (the white space) between them: :data:`CUT`, :data:`COLON` (a cut if what
    follows the colon is not a list written into the sentence; see :func:`run_on_pieces`),
    or ``None``.

    >>> cut_before("checks", "Must", " "), cut_before("include:", "Helping", " ")
    ('cut', 'colon')
    >>> cut_before("in", "Oxford", " ") is None
    True
    """
    bare_before = before.strip(_EDGE_PUNCTUATION).lower()
    bare = word.strip(_EDGE_PUNCTUATION)
    starts_item = bare[:1].isupper() and bare != "I" and bare.lower() in _ITEM_STARTS
    stripped_bullet = len(gap) >= 2 and (bare_before not in _FUNCTION_WORDS or starts_item)
    if stripped_bullet or before.endswith(";"):
        return CUT
    if before.endswith(":"):
        return COLON
    if (
        (before[-1:].isalnum() or before[-1:] == "*")
        and not before[:1].isupper()
        and bare_before not in _FUNCTION_WORDS
    ):
        return CUT if starts_item else None
    if (
        before[-1:].isalnum()
        and bare_before not in _FUNCTION_WORDS
        and bare[:1].isupper()
        and bare.lower() in _SENTENCE_STARTS
    ):
        return CUT
    return None


def run_on_pieces(text: str, sentence: Sentence) -> list[tuple[Sentence, list[str], bool]]:
    """A long "sentence" cut where stripped bullets ran list items into it, each piece with its
    words and whether it is prose.

    Adverts whose bullets were stripped (plain-text exports, old job boards) run a list and
    its heading into one line. The cuts, inside ``text[sentence.start:sentence.end]``:

    - two or more spaces before a capital letter, after a word that is not a function word
      ("…offer support  To take…"; not "role on  Swinley Ward") or before an item start
      ("…come into contact with  To undertake…");
    - a round bullet (• · ▪ ● ◦ ‣) inside the line, and a semicolon before a capital letter
      ("test harnesses; Supporting design");
    - a run-in heading: a colon before a capital letter ends a lead-in, and the heading of up
      to :data:`RUN_IN_LABEL_MAX_WORDS` words before the colon is cut off from the text
      before it ("…expanding organisation | Your role will include: | Assist…") — unless
      the colon introduces a list written into the sentence, up to its end ("clients
      including: BBC, Sony, Getty Images"; "contracts of: Permanent, Fixed Term and
      flexible working");
    - a capitalised item start (a pronoun, modal, duty verb, "The", "Ability",
      "Experience"…) straight after a lower-case word or number with no punctuation
      ("…CRB checks | Must be able…", "…on experience | If you think…"); "I", proper
      nouns ("in Oxford to support") and words after a function word do not cut;
    - a sentence start ("We", "If", "The", "Our"…) after a capitalised word ("…Dartford,
      Kent | We are seeking…");
    - the edges of a heading of two or more words in capitals before a capitalised word
      (:func:`_capitals_run_edges`).

    A last piece of one word is not cut off ("…and associated  GAU."). A piece is prose if
    it has a pronoun, auxiliary or modal, starts with a duty verb followed by a lower-case
    word, or carries the full stop and does not start like a person-specification item
    ("Ability to …", "Experience of …"); a heading (up to :data:`RUN_IN_LABEL_MAX_WORDS`
    words ending in a colon, or in capitals) or a job-board field is not; otherwise it is a
    list fragment. A sentence with no cut is one piece, and prose unless it is a run of
    job-board fields (it starts with a field label and has no verb and no full stop:
    "Employer … Site … Town … Salary …").

    >>> from bias_audit.text.prose import split_sentences
    >>> t = "We are a small home Your role will include: Helping at meals"
    >>> [(t[p.start : p.end], prose) for p, _, prose in run_on_pieces(t, split_sentences(t)[0])]
    [('We are a small home', True), ('Your role will include:', False), ('Helping at meals', False)]
    """
    tokens = list(_TOKEN.finditer(text, sentence.start, sentence.end))
    strings = list(map(re.Match.group, tokens))
    cuts: set[int] = set()
    skip: set[int] = set()
    colons: list[int] = []
    for index in range(1, len(tokens)):
        word = strings[index]
        first = word[0]
        # a token of round bullets starts with one (most tokens are ruled out by that test)
        if first in _ROUND_BULLETS and all(c in _ROUND_BULLETS for c in word):
            cuts.add(index)
            skip.add(index)
            continue
        if not (first.isupper() or first == "*"):  # only a capitalised word is cut before
            continue
        gap = text[tokens[index - 1].end() : tokens[index].start()]
        found = cut_before(strings[index - 1], word, gap)
        if found == CUT:
            cuts.add(index)
        elif found == COLON:
            colons.append(index)
    cuts.update(_capitals_run_edges(tokens, strings))
    for index in reversed(colons):
        # A list written into the sentence ends it, with no other cut after the colon.
        if any(cut > index for cut in cuts) or not _colon_list(tokens[index:]):
            cuts.add(index)
            label = _run_in_label_start(tokens, index - 1)
            if label is not None:
                cuts.add(label)
    if not cuts:
        body = text[sentence.start : sentence.end]
        words = find_words(body)
        fields = (
            (METADATA_FIELD.match(body) is not None or KNOWN_COLON.match(body) is not None)
            and not ends_sentence(body)
            and CLAUSE_WORD_FORMS.isdisjoint(words)
        )
        return [(sentence, words, not fields)]
    pieces: list[tuple[Sentence, list[str], bool]] = []
    # A last piece of one word ("…and associated  GAU.") is the end of the sentence before it.
    cuts.discard(len(tokens) - 1)
    if not cuts:
        return [(sentence, find_words(text[sentence.start : sentence.end]), True)]
    bounds = sorted(cuts | {0})
    for number, first_index in enumerate(bounds):
        last_index = bounds[number + 1] - 1 if number + 1 < len(bounds) else len(tokens) - 1
        kept = [tokens[i] for i in range(first_index, last_index + 1) if i not in skip]
        if not kept:
            continue
        start, end = kept[0].start(), kept[-1].end()
        body = text[start:end]
        words = find_words(body)
        if words:
            piece = Sentence(start, end, len(words))
            pieces.append((piece, words, _piece_is_prose(body, words)))
    return pieces


def _capitals_run_edges(tokens: list[re.Match[str]], strings: list[str]) -> set[int]:
    """Where a run of two or more words in capitals ("MAIN DUTIES AND RESPONSIBILITIES") starts
    and ends inside a sentence, before a capitalised word: a run-in heading ("…Tring MAIN
    DUTIES To participate…"; not "…be LEICESTER GENERAL HOSPITAL but you…"). Words with a
    comma or digits ("MTV, TV4") are names in a list, not heading words. ``strings`` are the
    tokens' texts."""
    # the pattern matches only a token that starts with A-Z or is "&": most are ruled out
    capitals = [
        ("A" <= word[0] <= "Z" or word == "&") and _CAPITALS_WORD.fullmatch(word) is not None
        for word in strings
    ]
    edges: set[int] = set()
    index = 0
    while True:
        try:  # the next word in capitals (list.index runs in C over the rest)
            index = capitals.index(True, index)
        except ValueError:
            break
        end = index
        while end < len(tokens) and capitals[end]:
            end += 1
        heading = end == len(tokens) or strings[end][:1].isupper()
        if end - index >= 2 and heading:
            edges.update(edge for edge in (index, end) if 0 < edge < len(tokens))
        index = end
    return edges


def _colon_list(after: list[re.Match[str]]) -> bool:
    """Whether the tokens after a colon are a list written into the sentence: short names
    between commas, or items between commas with "and" or "or" before the last, and no
    pronoun, auxiliary or modal (a clause after a colon starts a new piece)."""
    items = " ".join(token.group() for token in after).split(",")
    short_names = len(items) >= 3 and all(
        0 < len(item.split()) <= COLON_LIST_ITEM_MAX_WORDS for item in items
    )
    # "…of: Permanent, Fixed Term and flexible working." — a list written into the sentence.
    joined = len(items) >= 2 and re.search(r"\s(?:and|or)\s", items[-1]) is not None
    clause = not CLAUSE_WORDS.isdisjoint(
        word.lower() for token in after for word in WORD.findall(token.group())
    )
    return (short_names or joined) and not clause


def _run_in_label_start(tokens: list[re.Match[str]], colon_index: int) -> int | None:
    """Where the run-in heading ending at ``tokens[colon_index]`` starts: the farthest
    capitalised word within :data:`RUN_IN_LABEL_MAX_WORDS` words, with no punctuation
    between, going back no further than a capitalised word after a lower-case one;
    ``None`` if it starts the sentence or there is none."""
    start: int | None = None
    for index in range(colon_index, max(-1, colon_index - RUN_IN_LABEL_MAX_WORDS), -1):
        word = tokens[index].group()
        if index != colon_index and word[-1:] in _EDGE_PUNCTUATION:
            break
        if word[:1].isupper():
            start = index
            if index > 0 and not tokens[index - 1].group()[:1].isupper():
                break  # "…rooms tidy | The Candidate:", "…organisation | Your role will include:"
    return None if start in (None, 0) else start


def _piece_is_prose(body: str, words: list[str]) -> bool:
    """Whether a piece of a run-on is prose (see :func:`run_on_pieces`)."""
    if (body.endswith(":") and len(words) <= RUN_IN_LABEL_MAX_WORDS) or (
        body.upper() == body and sum(map(str.isalpha, body)) >= 2
    ):
        return False
    has_clause_word = not CLAUSE_WORD_FORMS.isdisjoint(words)
    if not has_clause_word and (
        KNOWN_COLON.match(body) is not None or METADATA_FIELD.match(body) is not None
    ):
        return False
    if has_clause_word:
        return True
    first = words[0].lower()
    if first in DUTY_VERBS and len(words) >= 2 and not words[1][:1].isupper():
        return True
    # The full stop at the end of a run-on belongs to its last piece, which may be a
    # person-specification item ("Ability to communicate … as appropriate.").
    return ends_sentence(body) and first not in _REQUIREMENT_STARTS


def prose_pieces(
    text: str, sentence: Sentence, words: list[str]
) -> list[tuple[Sentence, list[str]]]:
    """The prose pieces of a long sentence (:func:`run_on_pieces`), with their words."""
    return [(piece, found) for piece, found, prose in run_on_pieces(text, sentence) if prose]
