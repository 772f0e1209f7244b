"""Check a folder of rules (a trust's own copy of ``lexicons/``) before the advert checker uses it.

:func:`bias_audit.lexicon.load_lexicon` refuses a file that breaks the schema (unknown keys,
duplicate ids, pattern syntax, unresolved sources, …). This module adds what only the text
side can know:

- every category file is one the advert checker reports (a file of an unknown category would
  be loaded and never used);
- every entry's examples behave as stated when run through the real matcher: each
  ``examples.match`` sentence is flagged by the entry, no ``examples.no_match`` sentence is;
  likewise every ``context.yml`` cue's examples through the segmenter.

A rules folder replaces the shipped set as a whole (copy the shipped ``lexicons/`` folder and
edit it): it holds the category files and ``context.yml``. A category file the folder leaves
out is simply not checked; :func:`check_rule_folder` says so in a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bias_audit.errors import LexiconError
from bias_audit.lexicon import CONTEXT_FILE, Lexicon, LexiconEntry, load_lexicon
from bias_audit.lexicon_context import ContextCues, load_context
from bias_audit.lexicon_schema import INCLUSION_CATEGORY, REQUIREMENT_CATEGORIES
from bias_audit.text.context import segment
from bias_audit.text.matching import match_categories
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.wording import WORDING_CATEGORIES

#: Every category the advert checker reports, in report order.
CHECKED_CATEGORIES = (*WORDING_CATEGORIES, *REQUIREMENT_CATEGORIES, INCLUSION_CATEGORY)

UNKNOWN_CATEGORY = (
    "{file}: category {category!r} is not one the advert checker reports, so its entries "
    "would never be used; move them into one of the category files ({known})."
)
EXAMPLE_NOT_MATCHED = (
    "{file}, entry {rule_id}: the example {sentence!r} was not matched; check the patterns "
    "(a phrase matches word for word, {{lemma: ...}} also matches other forms of the words, "
    '"word*" matches words starting with it) and any unless: exceptions, or correct the '
    "example."
)
EXAMPLE_WRONGLY_MATCHED = (
    "{file}, entry {rule_id}: the example {sentence!r} should be left alone, but {found} was "
    "flagged; narrow the pattern, add an unless: exception, or correct the example."
)
CUE_EXAMPLE_NOT_DECIDED = (
    "{file}, cue {cue_id}: the example {sentence!r} was not labelled by this cue; check its "
    "patterns (and the cues of higher precedence), or correct the example."
)
CUE_EXAMPLE_WRONGLY_DECIDED = (
    "{file}, cue {cue_id}: the example {sentence!r} should not be labelled by this cue, but "
    "it was; narrow the patterns, or correct the example."
)
CATEGORY_LEFT_OUT = (
    "{folder} has no {category}.yml, so adverts checked with this folder are not checked for "
    "{category}; copy the file from the shipped lexicons/ folder to keep that check."
)


@dataclass(frozen=True, slots=True)
class RuleFolderCheck:
    """What :func:`check_rule_folder` found: ``problems`` to fix (the folder cannot be used
    until they are) and ``notes`` worth knowing."""

    folder: Path
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    entries: int
    examples: int

    @property
    def clean(self) -> bool:
        """No problems: the folder can be used as it is."""
        return not self.problems


def load_rule_folder(directory: Path) -> tuple[Lexicon, ContextCues]:
    """Load a rules folder for the advert checker: its categories and its ``context.yml``.

    Raises
    ------
    LexiconError
        When a file breaks the schema, ``context.yml`` is missing or broken, or a file holds
        a category the advert checker does not report.
    """
    lexicon = load_lexicon(directory)
    cues = load_context(directory)
    for category in lexicon.categories:
        if category not in CHECKED_CATEGORIES:
            raise LexiconError(
                UNKNOWN_CATEGORY.format(
                    file=Path(directory) / f"{category}.yml",
                    category=category,
                    known=", ".join(CHECKED_CATEGORIES),
                )
            )
    return lexicon, cues


def example_problems(entry: LexiconEntry, lexicon: Lexicon, *, file: str) -> list[str]:
    """Run one entry's examples through the matcher; a message for each that misbehaves.

    Examples
    --------
    >>> lexicon = load_lexicon()
    >>> entry = next(e for e in lexicon.entries if e.id == "age-digital-native")
    >>> example_problems(entry, lexicon, file="age.yml")
    []
    """
    nlp = get_pipeline()
    problems = []
    for sentence in entry.examples.match:
        found = match_categories(nlp(sentence), lexicon, categories=[entry.category])
        if entry.id not in [finding.rule_id for finding in found]:
            problems.append(
                EXAMPLE_NOT_MATCHED.format(file=file, rule_id=entry.id, sentence=sentence)
            )
    for sentence in entry.examples.no_match:
        found = match_categories(nlp(sentence), lexicon, categories=[entry.category])
        flagged = [finding.text for finding in found if finding.rule_id == entry.id]
        if flagged:
            problems.append(
                EXAMPLE_WRONGLY_MATCHED.format(
                    file=file,
                    rule_id=entry.id,
                    sentence=sentence,
                    found=", ".join(repr(text) for text in flagged),
                )
            )
    return problems


def cue_example_problems(cues: ContextCues, *, file: str) -> list[str]:
    """Run every ``context.yml`` cue's examples through the segmenter; a message for each
    example the cue does not decide (match) or decides (no_match)."""
    problems = []
    for cue in cues.cues:
        for sentence in cue.examples.match:
            if cue.id not in [block.cue for block in segment(sentence, cues=cues)]:
                problems.append(
                    CUE_EXAMPLE_NOT_DECIDED.format(file=file, cue_id=cue.id, sentence=sentence)
                )
        for sentence in cue.examples.no_match:
            if cue.id in [block.cue for block in segment(sentence, cues=cues)]:
                problems.append(
                    CUE_EXAMPLE_WRONGLY_DECIDED.format(file=file, cue_id=cue.id, sentence=sentence)
                )
    return problems


def check_rule_folder(directory: Path) -> RuleFolderCheck:
    """Validate a folder of rule files and run every entry's examples.

    Parameters
    ----------
    directory
        A folder laid out like the shipped ``lexicons/`` (category files and ``context.yml``).

    Returns
    -------
    RuleFolderCheck
        A schema error stops the check at that error (one message); otherwise every example
        is run and each one that misbehaves is a problem.

    Examples
    --------
    >>> check = check_rule_folder(Path("no-such-folder"))
    >>> check.clean, check.problems[0].startswith("Lexicon folder")
    (False, True)
    """
    folder = Path(directory)
    try:
        lexicon, cues = load_rule_folder(folder)
    except LexiconError as error:
        return RuleFolderCheck(folder, (str(error),), (), 0, 0)
    problems = cue_example_problems(cues, file=str(folder / CONTEXT_FILE))
    for entry in lexicon.entries:
        problems.extend(
            example_problems(entry, lexicon, file=str(folder / f"{entry.category}.yml"))
        )
    notes = tuple(
        CATEGORY_LEFT_OUT.format(folder=folder, category=category)
        for category in CHECKED_CATEGORIES
        if category not in lexicon.categories
    )
    examples = sum(len(e.examples.match) + len(e.examples.no_match) for e in lexicon.entries)
    examples += sum(len(c.examples.match) + len(c.examples.no_match) for c in cues.cues)
    return RuleFolderCheck(folder, tuple(problems), notes, len(lexicon.entries), examples)
