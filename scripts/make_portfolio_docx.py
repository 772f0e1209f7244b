"""Write the two Word job descriptions of the example portfolio (run from the repository root).

python scripts/make_portfolio_docx.py

The person specifications are Word tables with Essential and Desirable columns, the layout
many trusts use; the advert reader writes such a table out as "Essential:" / "Desirable:"
lines. The files are synthetic.
"""

from __future__ import annotations

from pathlib import Path

import docx

HERE = Path(__file__).resolve().parents[1] / "example_data" / "portfolio" / "descriptions"

DAY_SURGERY = {
    "title": "Healthcare Support Worker, Day Surgery Unit",
    "lines": [
        "Band 2",
        "Staff group: Additional Clinical Services",
        "Hours: 37.5 a week, Monday to Friday",
    ],
    "purpose": (
        "You will help patients before and after day surgery on the Day Surgery Unit, "
        "working under the direction of the registered nurses."
    ),
    "duties": [
        "Welcome patients to the unit and help them change for theatre.",
        "Help patients with personal care, eating and drinking after their operation.",
        "Make beds and keep the recovery bays clean, tidy and safe.",
        "Tell the nurse in charge straight away about any change in a patient's condition.",
        "Keep patient information confidential.",
    ],
    "spec": [
        (
            "Qualifications",
            "Care Certificate, or willing to complete it during your induction",
            "NVQ Level 2 in Health and Social Care",
        ),
        ("Skills", "Good reading, writing and number skills", ""),
        ("Other", "Full UK driving licence", "Experience of caring for others, paid or unpaid"),
        ("Values", "Kind, patient and respectful to everyone", ""),
    ],
}

THEATRES = {
    "title": "Assistant Practitioner, Operating Theatres",
    "lines": [
        "Band 4",
        "Staff group: Allied Health Professionals",
        "Hours: 37.5 a week, days and on-call on a rota",
    ],
    "purpose": (
        "You will work as part of the theatre team, preparing patients and equipment and "
        "caring for patients in the recovery area under the supervision of registered staff."
    ),
    "duties": [
        "Prepare theatres and check equipment before each list.",
        "Look after patients in the recovery area and record their observations.",
        "Supervise theatre support workers and help them learn.",
        "Keep accurate records and keep patient information confidential.",
    ],
    "spec": [
        (
            "Qualifications",
            "Foundation degree in health and social care, or working towards one",
            "",
        ),
        (
            "Experience",
            "Experience of working in a health or care setting, or equivalent transferable skills",
            "Experience of supervising other staff",
        ),
        ("Skills", "Good reading, writing and number skills", ""),
    ],
}


def write(spec: dict, path: Path) -> None:
    document = docx.Document()
    document.add_heading("Job description and person specification", level=1)
    document.add_paragraph(f"Job title: {spec['title']}")
    for line in spec["lines"]:
        document.add_paragraph(line)
    document.add_heading("Job purpose", level=2)
    document.add_paragraph(spec["purpose"])
    document.add_heading("Main duties", level=2)
    for duty in spec["duties"]:
        document.add_paragraph(duty, style="List Bullet")
    document.add_heading("Person specification", level=2)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Criteria", "Essential", "Desirable"), strict=True):
        cell.text = text
    for row in spec["spec"]:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.core_properties.author = "bias-audit example"
    document.save(path)


if __name__ == "__main__":
    write(DAY_SURGERY, HERE / "hca_day_surgery.docx")
    write(THEATRES, HERE / "assistant_practitioner_theatres.docx")
