"""Shared look: a colour-blind-safe palette, severity marks and the report CSS.

Colours come from the Okabe & Ito (2008) palette ("Color Universal Design"), which stays
distinguishable for the common forms of colour-vision deficiency. Colour is never the only
signal: every severity also has an icon, a word and an underline style.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from bias_audit.stats import schema
from bias_audit.types import Severity

# Okabe & Ito (2008), https://jfly.uni-koeln.de/color/ — safe for deuteranopia/protanopia.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

# Projector-legible sizes (px) used by every chart.
FONT_FAMILY = "Arial, Helvetica, sans-serif"
FONT_SIZE = 18
TITLE_SIZE = 22
BAND_FILL = "rgba(0, 158, 115, 0.15)"  # the 0.80–1.25 "no adverse impact" band
TEXT_COLOUR = "#212b32"  # NHS identity "dark grey"


@dataclass(frozen=True, slots=True)
class SeverityMark:
    """How one severity is shown: never by colour alone."""

    label: str
    icon: str
    colour: str
    background: str
    underline: str


SEVERITY_MARKS: dict[Severity, SeverityMark] = {
    Severity.HIGH: SeverityMark("High", "▲", "#D55E00", "#fbe3d6", "solid"),
    Severity.MEDIUM: SeverityMark("Medium", "◆", "#E69F00", "#fdf0d2", "dashed"),
    Severity.LOW: SeverityMark("Low", "●", "#0072B2", "#dcebf6", "dotted"),
}


def severity_mark(severity: Severity | str) -> SeverityMark:
    """Return the icon, label and colours for a severity (enum or its name).

    Examples
    --------
    >>> severity_mark("high").label
    'High'
    """
    return SEVERITY_MARKS[Severity.parse(severity)]


# --- categories --------------------------------------------------------------------------
# Colour stands for severity only (above), so a category is named in words, never coloured:
# two colour meanings on one highlight would be unreadable and fail colour-blind readers.

CATEGORY_LABELS: dict[str, str] = {
    "gender_masculine": "Masculine-coded wording",
    "gender_feminine": "Feminine-coded wording",
    "gendered_terms": "Gendered terms",
    "age": "Age",
    "disability": "Disability",
    "health_screening": "Health screening before an offer",
    "nationality_race_religion": "Nationality, race, religion or language",
    "sexual_orientation": "Sexual orientation and gender identity",
    "jargon": "Jargon and acronyms",
    "cliche": "Cliché",
    "process_barriers": "Application and interview barriers",
    "qualification_degree": "Degree demand",
    "qualification_no_equivalent": "Qualification without an equivalent",
    "experience_years": "Length of experience",
    "driving_licence": "Driving licence or car",
    "physical_requirements": "Physical demand",
    "language_level": "English level",
    "inclusion_signals": "Inclusion signal",
    "readability": "Readability",
}
"""How each finding category is named to readers (every ``lexicons/*.yml`` category has one;
``tests/report/test_categories.py`` checks)."""


def category_label(category: str) -> str:
    """A category's name for readers; an unknown one is spelt out from its id.

    >>> category_label("health_screening"), category_label("new_thing")
    ('Health screening before an offer', 'New thing')
    """
    return CATEGORY_LABELS.get(category, category.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    """One lexicon category as readers see it: id, short name, file title, default severity."""

    category: str
    label: str
    title: str
    default_severity: Severity


_HEADER_KEY = re.compile(r"^(category|title|default_severity):\s*(.+?)\s*$", re.MULTILINE)


@functools.cache
def lexicon_categories(directory: Path | None = None) -> tuple[CategoryInfo, ...]:
    """Every category file in ``lexicons/`` (or ``directory``) with its default severity, in
    the order of :data:`CATEGORY_LABELS` (new categories last, by id). The context cue file
    (``context.yml``, no category) is not a category.

    >>> [c.default_severity.name for c in lexicon_categories() if c.category == "health_screening"]
    ['HIGH']
    """
    from bias_audit.lexicon import DEFAULT_LEXICON_DIR

    folder = DEFAULT_LEXICON_DIR if directory is None else directory
    found = []
    for path in sorted(folder.glob("*.yml")):
        # Only the file's top-level header keys are read (the entries can be long).
        header = dict(_HEADER_KEY.findall(path.read_text("utf-8")))
        if "category" not in header:
            continue
        category = header["category"]
        found.append(
            CategoryInfo(
                category,
                category_label(category),
                header.get("title", ""),
                Severity.parse(header["default_severity"]),
            )
        )
    order = {category: n for n, category in enumerate(CATEGORY_LABELS)}
    return tuple(sorted(found, key=lambda c: (order.get(c.category, len(order)), c.category)))


def _severity_css() -> str:
    rules = []
    for severity, mark in SEVERITY_MARKS.items():
        name = str(severity)
        rules.append(
            f"mark.ba-{name}{{background:{mark.background};"
            f"border-bottom:3px {mark.underline} {mark.colour};color:inherit;padding:0 2px}}"
            f".ba-badge-{name}{{background:{mark.background};color:#212b32;"
            f"border:2px {mark.underline} {mark.colour}}}"
        )
    return "\n".join(rules)


REPORT_CSS = """
.ba-root{font-family:Arial,Helvetica,sans-serif;color:#212b32;line-height:1.5}
.ba-advert{white-space:pre-wrap;font-size:1.05rem;border:1px solid #d8dde0;
  padding:1rem;border-radius:4px;background:#fff;color:#212b32}
.ba-advert mark{cursor:help}
.ba-icon{font-size:.75em;margin-left:2px;vertical-align:super}
.ba-badge{display:inline-block;border-radius:3px;padding:0 .4em;font-size:.85em;
  font-weight:bold;margin-right:.4em}
.ba-findings{padding-left:1.2rem}
.ba-findings li{margin-bottom:.6rem}
.ba-muted{color:#4c6272}
.ba-legend span{margin-right:1rem}
.ba-table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0 1rem}
.ba-table th,.ba-table td{border:1px solid #d8dde0;padding:.3rem .45rem;text-align:left;
  vertical-align:top}
.ba-table th{background:#e8edee}
.ba-requirements{table-layout:fixed}
.ba-requirements td{overflow-wrap:anywhere}
.ba-requirements th{overflow-wrap:break-word}
.ba-requirements th:nth-child(1){width:11%}
.ba-requirements th:nth-child(2){width:24%}
.ba-requirements th:nth-child(3){width:14%}
.ba-requirements th:nth-child(4){width:14%}
""" + _severity_css()

PRINT_CSS = """
@page{size:A4;margin:15mm}
@media print{
  body{font-size:11pt}
  .ba-noprint{display:none}
  section,figure,table,.ba-card{break-inside:avoid}
  h2{break-before:auto;break-after:avoid}
  a{color:inherit;text-decoration:none}
  .plotly-graph-div{max-width:100%}
  .ba-table{font-size:8.5pt}
  main{max-width:none;padding:0}
  body{background:#fff}
}
"""


#: Each attribute view's name in words (chart labels, workbook sheet names — each within
#: Excel's 31 characters and free of : \ / ? * [ ] —, HTML and app captions).
ATTRIBUTE_LABELS = {
    schema.ETHNICITY_WRES: "Ethnicity (WRES)",
    schema.ETHNICITY_GROUP: "Ethnic group",
    schema.ETHNICITY_DETAILED: "Ethnicity (detailed)",
    schema.GENDER: "Gender",
    schema.DISABILITY: "Disability",
    schema.AGE_BAND: "Age band",
    schema.RELIGION: "Religion or belief",
    schema.SEXUAL_ORIENTATION: "Sexual orientation",
    schema.ETHNICITY_X_GENDER: "Ethnicity × gender",
}
