"""Build ``band3_hcsw_person_spec.docx``: a Band 3 person specification with an
Essential/Desirable table, the layout many NHS trusts use.

Run from the repository root::

    .venv/bin/python example_data/adverts/make_person_spec.py

The demands are chosen to exercise the requirements analyser: some are fair for Band 3
(with "or equivalent" routes), some go beyond it (a degree, years of experience, a driving
licence for a ward post with no travel).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import docx

OUTPUT = Path(__file__).with_name("band3_hcsw_person_spec.docx")

ROWS = [
    (
        "Qualifications",
        [
            "GCSE English and maths at grade 4/C or equivalent",
            "NVQ Level 3 in Health and Social Care",
            "A degree in a health-related subject",
        ],
        ["Care Certificate"],
    ),
    (
        "Experience",
        ["At least 2 years' experience in a hospital setting"],
        ["Experience of caring for people with dementia, paid or unpaid"],
    ),
    (
        "Skills and abilities",
        [
            "Able to communicate clearly with patients and their families",
            "Able to record observations accurately",
        ],
        [],
    ),
    (
        "Other",
        ["Full UK driving licence"],
        ["Willing to work a mix of day and night shifts"],
    ),
]


def build(path: Path = OUTPUT) -> Path:
    """Write the example person specification and return its path."""
    document = docx.Document()
    document.add_heading("Person specification", level=1)
    document.add_paragraph("Senior Healthcare Support Worker, Band 3, Ward 12 (Elderly Care)")
    document.add_paragraph(
        "The main duties are personal care, taking and recording observations, and helping "
        "patients to eat and drink on the ward."
    )
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, heading in zip(
        table.rows[0].cells, ("Criteria", "Essential", "Desirable"), strict=True
    ):
        cell.text = heading
    for label, essential, desirable in ROWS:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = "\n".join(essential)
        cells[2].text = "\n".join(desirable)
    document.add_paragraph("Assessed at application (A) and interview (I).")
    # Fixed document properties, so a rebuilt file differs only in zip timestamps.
    fixed = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.core_properties.author = "bias-audit contributors"
    document.save(path)
    return path


if __name__ == "__main__":
    print(build())
