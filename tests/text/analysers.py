"""Each analyser of the advert check on its own, composed as ``analyse_advert`` composes it.

Production runs one lexicon pass for every category (:func:`analyse_advert`); tests often
want one analyser's output on a parsed text. These helpers run the same production steps
(``match_categories`` for the analyser's categories, then its judging function), and
``tests/text/test_advert.py`` checks that together they give what ``analyse_advert`` gives.
"""

from __future__ import annotations

from bias_audit.lexicon import Lexicon
from bias_audit.lexicon_schema import REQUIREMENT_CATEGORIES
from bias_audit.text import inclusion
from bias_audit.text.context_blocks import Segments
from bias_audit.text.matching import match_categories
from bias_audit.text.requirements import Requirement, judge_requirements
from bias_audit.text.wording import WORDING_CATEGORIES, gender_coding, shown_findings
from bias_audit.types import Finding


def wording_findings(doc, lexicon: Lexicon, *, segments: Segments | None = None) -> list[Finding]:
    """Wording findings as the reader sees them (single gender-coded words left out)."""
    matches = match_categories(doc, lexicon, categories=WORDING_CATEGORIES)
    coding = gender_coding(doc, lexicon, findings=matches, segments=segments)
    return shown_findings(matches, coding)


def requirements(doc, lexicon: Lexicon, *, band: int | None) -> list[Requirement]:
    """Every demand in the text, judged at ``band``."""
    categories = [c for c in REQUIREMENT_CATEGORIES if c in lexicon.categories]
    matches = match_categories(doc, lexicon, categories=categories)
    return judge_requirements(doc.text, matches, band=band, lexicon=lexicon)


def inclusion_signals(doc, lexicon: Lexicon) -> list[inclusion.InclusionSignal]:
    """Which inclusion signals the text shows, one per signal."""
    categories = [inclusion.CATEGORY] if inclusion.CATEGORY in lexicon.categories else []
    matches = match_categories(doc, lexicon, categories=categories) if categories else []
    return inclusion.signals_from_matches(matches, lexicon, text=doc.text)
