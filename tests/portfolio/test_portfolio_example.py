"""The example portfolio (example_data/portfolio): the run finds exactly the planted answers.

Planted (see docs/portfolio.md): a Band 3 description demanding a degree; a Band 2 one with
GCSEs and no equivalent; a Band 2 one asking for a driving licence its duties never need;
three near-copies of one HCA description (wards 7, 9 and 12). Everything else agrees within
its band and stays within the national profile.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bias_audit.portfolio.documents import DEMAND_KINDS
from bias_audit.services.portfolio import audit_portfolio

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example_data" / "portfolio"
DESCRIPTIONS = EXAMPLE / "descriptions"
BANDS = EXAMPLE / "bands.csv"

PLANTED = {
    ("different essentials", "hca_day_surgery.docx", ("driving_licence",)),
    ("licence without travel", "hca_day_surgery.docx", ("driving_licence",)),
    ("different essentials", "hca_outpatients.txt", ("gcse",)),
    ("no equivalent route", "hca_outpatients.txt", ("gcse",)),
    ("different essentials", "senior_hcsw_emergency.txt", ("degree",)),
    ("above profile", "senior_hcsw_emergency.txt", ("degree",)),
}


@pytest.fixture(scope="module")
def review():
    return audit_portfolio(DESCRIPTIONS, bands=BANDS)


def test_reads_all_twelve_descriptions_with_none_excluded(review):
    names = [d.name for d in review.documents]
    assert len(names) == 12
    assert sum(n.endswith(".docx") for n in names) == 2
    assert review.exclusions == ()
    assert review.notes == ()


def test_finds_exactly_the_planted_flags(review):
    found = {(f.kind, f.document, f.demands) for f in review.flags}
    assert found == PLANTED


@pytest.mark.parametrize(
    ("name", "title", "band", "band_source", "staff_group"),
    [
        (
            "hca_ward_7.txt",
            "Healthcare Support Worker, Ward 7 (Care of Older People)",
            2,
            "found in text",
            "Additional Clinical Services",
        ),
        (
            "hca_outpatients.txt",
            "Outpatient Clinic Support Worker",
            2,
            "bands file",
            "Additional Clinical Services",
        ),
        (
            "senior_hcsw_surgical.txt",
            "Senior Healthcare Support Worker, Surgical Ward",
            3,
            "bands file",
            "Additional Clinical Services",
        ),
        (
            "assistant_practitioner_theatres.docx",
            "Assistant Practitioner, Operating Theatres",
            4,
            "found in text",
            "Allied Health Professionals",
        ),
    ],
)
def test_each_document_has_title_band_and_staff_group(
    review, name, title, band, band_source, staff_group
):
    document = next(d for d in review.documents if d.name == name)
    assert (document.title, document.band, document.band_source, document.staff_group) == (
        title,
        band,
        band_source,
        staff_group,
    )


@pytest.mark.parametrize(
    ("band", "name", "kind", "status"),
    [
        (2, "hca_outpatients.txt", "gcse", "essential"),
        (2, "hca_ward_7.txt", "gcse", "absent"),
        (2, "hca_ward_7.txt", "care_certificate", "route accepted"),
        (2, "hca_ward_7.txt", "qualification_level", "desirable"),
        (2, "hca_day_surgery.docx", "driving_licence", "essential"),
        (3, "senior_hcsw_emergency.txt", "degree", "essential"),
        (3, "senior_hcsw_community.txt", "driving_licence", "route accepted"),
        (3, "senior_hcsw_medical.txt", "qualification_level", "route accepted"),
        (4, "assistant_practitioner_therapies.txt", "qualification_level", "route accepted"),
        (4, "assistant_practitioner_therapies.txt", "experience", "route accepted"),
    ],
)
def test_matrix_cells(review, band, name, kind, status):
    matrix = next(m for m in review.matrices if m.band == band)
    assert matrix.cell(name, kind).status == status


def test_band_sizes_and_usual_statuses(review):
    sizes = {m.band: len(m.documents) for m in review.matrices}
    assert sizes == {2: 5, 3: 4, 4: 3}
    band_2 = next(m for m in review.matrices if m.band == 2)
    usual = dict(zip(DEMAND_KINDS, band_2.usual, strict=True))
    assert usual == {
        "degree": "absent",
        "qualification_level": "desirable",
        "gcse": "absent",
        "care_certificate": "route accepted",
        "registration": "absent",
        "experience": "desirable",
        "driving_licence": "absent",
        "physical": "absent",
        "language": "absent",
    }


def test_every_profile_flag_names_its_source(review):
    for flag in review.flags:
        if flag.kind in ("above profile", "no equivalent route"):
            assert "NHS Employers" in flag.source or "NHS Staff Council" in flag.source


def test_near_copies_share_their_person_specification(review):
    criteria = {
        d.name: [(c.section, c.text) for c in d.criteria]
        for d in review.documents
        if d.name in ("hca_ward_7.txt", "hca_ward_9.txt", "hca_ward_12.txt")
    }
    assert len(criteria) == 3
    assert criteria["hca_ward_7.txt"] == criteria["hca_ward_9.txt"] == criteria["hca_ward_12.txt"]
    assert ("essential", "Kind, patient and respectful to everyone") in criteria["hca_ward_7.txt"]


def test_without_the_bands_file_unbanded_descriptions_are_set_apart(review):
    bare = audit_portfolio(DESCRIPTIONS)
    unstated = next(m for m in bare.matrices if m.band is None)
    assert set(unstated.documents) == {"hca_outpatients.txt", "senior_hcsw_surgical.txt"}
    assert bare.matrices[-1] is unstated
    # GCSEs are no longer compared with Band 2, and no profile judges an unknown band
    found = {(f.kind, f.document) for f in bare.flags}
    assert ("different essentials", "hca_outpatients.txt") not in found
    assert ("no equivalent route", "hca_outpatients.txt") not in found


def test_the_spacy_pipeline_is_built_once_for_all_documents():
    from bias_audit.text.pipeline import get_pipeline

    get_pipeline()
    before = get_pipeline.cache_info()
    review = audit_portfolio(DESCRIPTIONS, bands=BANDS)
    after = get_pipeline.cache_info()
    assert after.misses == before.misses  # never rebuilt
    assert after.hits - before.hits >= len(review.documents)


NEAR_COPIES = {"hca_ward_7.txt", "hca_ward_9.txt", "hca_ward_12.txt"}


def test_the_near_copies_are_the_only_near_duplicates(review):
    """The answer key for the near-duplicate check: by plain text similarity (difflib), the
    three HCA near-copies are alike (≥ 0.8) and every other pair is clearly apart (< 0.75)."""
    import difflib
    import itertools

    texts = {d.name: d.text for d in review.documents}
    for a, b in itertools.combinations(sorted(texts), 2):
        ratio = difflib.SequenceMatcher(None, texts[a], texts[b]).ratio()
        if {a, b} <= NEAR_COPIES:
            assert ratio >= 0.8, (a, b, ratio)
        else:
            assert ratio < 0.75, (a, b, ratio)


def test_the_licence_flag_cites_the_travel_markers_source(review):
    (flag,) = review.flags_of("licence without travel")
    assert flag.source.startswith("GOV.UK. Recruitment and disabled people")
