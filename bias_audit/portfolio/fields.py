"""A job description's title and staff group, read from its text.

The labels and names are data, ``bias_audit/data/jd_fields.yml`` (the ESR staff groups
published by NHS England): a labelled line ("Job title: …", "Staff group: …") wins; else
the title is the first line that is not a generic heading ("Job description and person
specification"), and the staff group is a line that is an ESR staff group's name alone.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from bias_audit.yaml_files import load_yaml

FIELDS_FILE = "data/jd_fields.yml"
MAX_TITLE_CHARS = 120
"""A longer first line is a paragraph, not a title."""

_BULLET = r"^[\s#>*•◦▪●·\-–—|]*"


@dataclass(frozen=True, slots=True)
class _Fields:
    title_label: re.Pattern[str]
    generic: frozenset[str]
    not_title: re.Pattern[str]
    field_labels: frozenset[str]
    staff_label: re.Pattern[str]
    staff_names: dict[str, str]
    staff_line: re.Pattern[str]


def _label_pattern(labels: list[str]) -> re.Pattern[str]:
    words = "|".join(r"\s+".join(map(re.escape, label.split())) for label in labels)
    return re.compile(_BULLET + r"(?:" + words + r")\s*[:|\-–]\s*(\S.*?)\s*$", re.IGNORECASE)


@functools.cache
def _fields() -> _Fields:
    data = load_yaml(resources.files("bias_audit").joinpath(FIELDS_FILE).read_text("utf-8"))
    names = list(data["staff_groups"]["names"])
    return _Fields(
        title_label=_label_pattern(data["title_labels"]),
        generic=frozenset(_key(h) for h in data["generic_headings"]),
        not_title=re.compile(r"^(?:" + "|".join(data["not_title_lines"]) + r")\s*$", re.IGNORECASE),
        field_labels=frozenset(_key(label) for label in data["field_labels"]),
        staff_label=_label_pattern(data["staff_group_labels"]),
        staff_names={_key(n): n for n in names},
        staff_line=re.compile(
            _BULLET
            + r"("
            + "|".join(r"\s+".join(map(re.escape, n.split())) for n in names)
            + r")[\s.]*$",
            re.IGNORECASE | re.MULTILINE,
        ),
    )


def _key(value: str) -> str:
    return " ".join(re.sub(r"[^\w&]+", " ", value.lower()).split())


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def find_title(text: str) -> str | None:
    """The job title: a "Job title:" line, else the first line that is not a generic heading,
    a web address or the employer's name; ``None`` when the text starts with job-board
    fields ("Main area", "Grade", …), whose title was the page's, not in the text.

    >>> find_title("Job Description\\nJob title: Healthcare Support Worker\\nBand 2")
    'Healthcare Support Worker'
    >>> find_title("Job description and person specification\\nSenior HCSW (Band 3)")
    'Senior HCSW (Band 3)'
    >>> find_title("   \\n") is None
    True
    """
    fields = _fields()
    lines = _lines(text)
    for line in lines[:40]:  # a title is stated near the top
        labelled = fields.title_label.match(line)
        if labelled is not None and _key(labelled.group(1)):
            return labelled.group(1)[:MAX_TITLE_CHARS]
    for line in lines:
        cleaned = re.sub(_BULLET, "", line).strip()
        key = _key(cleaned)
        if not key or key in fields.generic or fields.not_title.match(cleaned):
            continue
        if key in fields.field_labels:
            return None  # job-board fields: the title was the page's, not in the text
        return cleaned if len(cleaned) <= MAX_TITLE_CHARS else None
    return None


def find_staff_group(text: str) -> str | None:
    """The staff group where stated: a "Staff group:" line (an ESR staff group's name is
    given in its standard spelling), else a line that is an ESR staff group's name alone,
    else ``None``. A name inside a sentence ("you will work with allied health
    professionals") is not a statement of the post's staff group.

    >>> find_staff_group("Staff group: additional clinical services")
    'Additional Clinical Services'
    >>> find_staff_group("Staff Group - Nursing support")
    'Nursing support'
    >>> find_staff_group("Therapies\\nAllied Health Professionals\\nBand 4")
    'Allied Health Professionals'
    >>> find_staff_group("You will work with nurses and allied health professionals.") is None
    True
    >>> find_staff_group("Band 3 HCSW") is None
    True
    """
    fields = _fields()
    for line in _lines(text):
        labelled = fields.staff_label.match(line)
        if labelled is not None and _key(labelled.group(1)):
            value = labelled.group(1)
            return fields.staff_names.get(_key(value), value[:MAX_TITLE_CHARS])
    named = fields.staff_line.search(text)
    if named is None:
        return None
    return fields.staff_names[_key(named.group(1))]
