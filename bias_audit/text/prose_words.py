"""The words and labels by which an advert's lines are told apart (prose, metadata, headings,
list items), shared by line classification (:mod:`bias_audit.text.prose`) and run-on cutting
(:mod:`bias_audit.text.run_ons`), and the :class:`Sentence` span both return.
"""

from __future__ import annotations

import re
from typing import NamedTuple

LONG_SENTENCE_WORDS = 25
"""Sentences with more words than this are flagged (Nottinghamshire CC and GOV.UK style).

Kept as the finding threshold, not raised to the 40 words of the evaluation's labelling
rule: 25 is the limit the cited plain-English guides give, so an HR lead can look it up, and
on real adverts the 26–39-word findings were judged debatable, never wrong, once run-ons
were cut. They are low severity and listed after everything else; the sentences a reviewer
would change are the medium ones from
:data:`~bias_audit.text.readability.VERY_LONG_SENTENCE_WORDS` words."""


# Possessive (++, *+): giving back letters never helps the match, so the engine does not try.
WORD = re.compile(r"[^\W_]++(?:['’.-][^\W_]++)*+")


METADATA_LABELS = (
    "agenda for change band",
    "afc band",
    "band",
    "banding",
    "pay band",
    "grade",
    "contract",
    "contract type",
    "type of contract",
    "salary",
    "pay",
    "pay scheme",
    "closing date",
    "closing",
    "date posted",
    "posted",
    "job reference",
    "job ref",
    "reference",
    "reference number",
    "ref",
    "vacancy reference",
    "location",
    "site",
    "town",
    "base",
    "hours",
    "working hours",
    "hours per week",
    "working pattern",
    "staff group",
    "specialty",
    "speciality",
    "specialty/function",
    "department",
    "directorate",
    "division",
    "employer",
    "employer name",
    "employer type",
    "job type",
    "job title",
    "interview date",
    "interview dates",
    "start date",
    "duration",
    "main area",
    "profession",
    "deadline",
    "posted date",
    "salary period",
    "hours of work",
    "grade/band",
    "apply by",
    "contact",
    "email",
    "telephone",
    "phone",
    "website",
    "address",
)
"""Job-board field labels (NHS Jobs, Trac and trust sites), lower case."""


_LABELS = "|".join(re.escape(label) for label in sorted(METADATA_LABELS, key=len, reverse=True))


# A known label, then a colon (or dash or bar) and any value, or a space and a value that does
# not start with a lower-case word ("Closing date 12 March", "Band 3"; not "Salary is paid…").
METADATA_FIELD = re.compile(rf"(?i:{_LABELS})\s+(?![a-z])\S")


BARE_LABEL = re.compile(rf"(?:{_LABELS})\s*:?", re.IGNORECASE)


KNOWN_COLON = re.compile(rf"(?:{_LABELS})(?:\s*[:|]|\s+[–—-])\s*\S", re.IGNORECASE)


LABEL_VALUE = re.compile(r"[^\W_][^:.!?]{0,40}?:\s*\S")


# A known label at the start: the three patterns above match only where this does, so one
# test rules all three out on most lines.
LABEL_START = re.compile(rf"(?:{_LABELS})", re.IGNORECASE)


# An ASCII character not in this set cannot start a known label (the labels are ASCII), nor
# an upper-case ASCII letter a bullet marker: such lines skip those tests.
LABEL_FIRSTS = frozenset(
    char for label in METADATA_LABELS for char in (label[0].lower(), label[0].upper())
)


SENTENCE_FINAL = re.compile(r"[.!?][\"'’”)\]]*\s*$")


CLAUSE_WORDS = frozenset(
    [
        "i",
        "you",
        "we",
        "they",
        "he",
        "she",
        "it",
        "is",
        "are",
        "am",
        "was",
        "were",
        "be",
        "been",
        "being",
        "will",
        "can",
        "could",
        "must",
        "should",
        "would",
        "may",
        "might",
        "shall",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
    ]
)
"""Pronouns, auxiliaries and modals: a line with one has a verb (a clause), not a label."""


HEADING_STARTS = frozenset(
    [
        "about",
        "what",
        "why",
        "how",
        "who",
        "where",
        "when",
        "which",
        "our",
        "your",
        "key",
        "main",
        "job",
        "working",
        "further",
        "additional",
        "detailed",
    ]
)
"""First words of short headings ("What you will do", "Working for our organisation")."""


DUTY_VERBS = frozenset(
    [
        "act",
        "answer",
        "arrange",
        "assist",
        "attend",
        "book",
        "care",
        "carry",
        "check",
        "clean",
        "collect",
        "communicate",
        "complete",
        "contribute",
        "deal",
        "deliver",
        "develop",
        "document",
        "dress",
        "encourage",
        "ensure",
        "escalate",
        "escort",
        "feed",
        "follow",
        "get",
        "give",
        "greet",
        "handle",
        "help",
        "identify",
        "keep",
        "liaise",
        "maintain",
        "make",
        "manage",
        "measure",
        "monitor",
        "move",
        "observe",
        "order",
        "participate",
        "perform",
        "plan",
        "prepare",
        "promote",
        "provide",
        "record",
        "recognise",
        "recognize",
        "report",
        "respond",
        "show",
        "support",
        "take",
        "treat",
        "undertake",
        "use",
        "wash",
        "work",
        "write",
    ]
)
"""Common duty verbs that start an imperative bullet ("Take and record observations")."""


class Sentence(NamedTuple):
    """A sentence span in the analysed text (``text[start:end]``) and its word count.

    A named tuple (immutable, like a frozen dataclass, and made several times faster: an
    advert has about fifty sentences).
    """

    start: int
    end: int
    words: int
