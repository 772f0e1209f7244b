"""Near-duplicate job descriptions (issue 13 point 5): planted copies are grouped with their
differences; unrelated documents are not."""

from __future__ import annotations

import pytest

from bias_audit.portfolio.duplicates import (
    MSG_BAD_THRESHOLD,
    MSG_TOO_FEW,
    SIMILARITY_THRESHOLD,
    job_text,
    near_duplicates,
    sentence_difference,
)

WARD_HCA = """Healthcare Assistant, Ward 7
Main duties
- Help patients with washing, dressing and eating.
- Make beds and keep the bay clean and tidy.
- Record fluid balance and food charts.
- Report changes in a patient's condition to the nurse in charge.
- Help patients to move safely using hoists and slide sheets.
Person specification
Essential
- Kind and patient with people who are unwell
- Able to read and write well enough to keep charts
- Willing to work shifts including nights
Desirable
- Experience of caring for someone
About us
Our hospital serves a large city and has a friendly team of 9,000 staff.
How to apply
Apply on NHS Jobs by the closing date.
"""

# The same job written up by another ward: one duty added, one reworded, one criterion added.
WARD_HCA_COPY = """Healthcare Assistant, Ward 9
Main duties
- Help patients with washing, dressing and eating.
- Make beds and keep the bay clean and tidy.
- Record fluid balance and food charts.
- Report changes in a patient's condition to the registered nurse.
- Help patients to move safely using hoists and slide sheets.
- Restock the linen cupboard.
Person specification
Essential
- Kind and patient with people who are unwell
- Able to read and write well enough to keep charts
- Willing to work shifts including nights
- NVQ Level 3 in Health and Social Care
Desirable
- Experience of caring for someone
About us
Our hospital serves a large city and has a friendly team of 9,000 staff.
How to apply
Apply on NHS Jobs by the closing date.
"""

PORTER = """Porter
Main duties
- Move patients between departments in wheelchairs and on trolleys.
- Deliver post, specimens and medical gases around the site.
- Collect waste and take it to the compound.
Person specification
Essential
- Able to push heavy trolleys safely after training
- Good timekeeping
About us
Our hospital serves a large city and has a friendly team of 9,000 staff.
How to apply
Apply on NHS Jobs by the closing date.
"""

MEDICAL_SECRETARY = """Medical Secretary, Cardiology
Main duties
- Type clinic letters from digital dictation within five working days.
- Book outpatient appointments and manage the consultant's diary.
- Answer telephone queries from patients and GPs.
Person specification
Essential
- Touch typing at 50 words a minute
- Good knowledge of Microsoft Word and Outlook
About us
Our hospital serves a large city and has a friendly team of 9,000 staff.
How to apply
Apply on NHS Jobs by the closing date.
"""

DOMESTIC = """Domestic Assistant
Main duties
- Clean wards, toilets and offices to the national cleanliness standards.
- Serve meals and drinks to patients at set times.
- Use cleaning chemicals safely and store them correctly.
Person specification
Essential
- Able to follow a cleaning schedule
- Reliable
About us
Our hospital serves a large city and has a friendly team of 9,000 staff.
How to apply
Apply on NHS Jobs by the closing date.
"""


def test_planted_near_copy_is_one_group_with_its_differences():
    report = near_duplicates(
        {"ward7.txt": WARD_HCA, "porter.txt": PORTER, "ward9.txt": WARD_HCA_COPY},
        bands={"ward7.txt": 2, "ward9.txt": 3, "porter.txt": 2},
    )
    assert report.not_computable is None and report.threshold == SIMILARITY_THRESHOLD
    assert len(report.groups) == 1
    group = report.groups[0]
    assert group.members == ("ward7.txt", "ward9.txt")
    assert group.lowest_similarity >= SIMILARITY_THRESHOLD
    assert group.bands == (2, 3) and group.bands_differ
    (difference,) = group.differences
    assert {difference.reference, difference.member} == {"ward7.txt", "ward9.txt"}
    only_copy = (
        difference.only_in_member
        if difference.member == "ward9.txt"
        else difference.only_in_reference
    )
    only_original = (
        difference.only_in_reference
        if difference.member == "ward9.txt"
        else difference.only_in_member
    )
    assert set(only_copy) == {
        "Healthcare Assistant, Ward 9",
        "Report changes in a patient's condition to the registered nurse.",
        "Restock the linen cupboard.",
        "NVQ Level 3 in Health and Social Care",
    }
    assert set(only_original) == {
        "Healthcare Assistant, Ward 7",
        "Report changes in a patient's condition to the nurse in charge.",
    }
    # the shared boilerplate is left out of the comparison
    assert not any("NHS Jobs" in s for s in only_copy + only_original)


def test_unrelated_documents_sharing_boilerplate_form_no_group():
    report = near_duplicates(
        {"porter": PORTER, "secretary": MEDICAL_SECRETARY, "domestic": DOMESTIC, "hca": WARD_HCA}
    )
    assert report.groups == ()
    assert report.documents == 4


def test_boilerplate_is_left_out_of_the_comparison():
    assert "friendly team" not in job_text(PORTER)
    assert "Move patients between departments" in job_text(PORTER)
    assert "Good timekeeping" in job_text(PORTER)


def test_two_groups_and_chains_are_connected_components():
    slightly_different = WARD_HCA.replace("Make beds", "Change beds")
    report = near_duplicates(
        {
            "a": WARD_HCA,
            "b": WARD_HCA_COPY,
            "c": slightly_different,
            "porter": PORTER,
            "porter2": PORTER.replace("Good timekeeping", "Good timekeeping and reliable"),
        }
    )
    assert [g.members for g in report.groups] == [("a", "b", "c"), ("porter", "porter2")]
    assert report.groups[0].reference == "a"  # the most like the others
    assert len(report.groups[0].differences) == 2


@pytest.mark.parametrize("count", [0, 1])
def test_fewer_than_two_documents_is_not_computable(count):
    documents = dict(list({"a": WARD_HCA, "b": PORTER}.items())[:count])
    report = near_duplicates(documents)
    assert report.groups == ()
    assert report.not_computable == MSG_TOO_FEW.format(count=count)


def test_bad_threshold_is_refused():
    with pytest.raises(ValueError) as err:
        near_duplicates({"a": "x", "b": "y"}, threshold=70)
    assert str(err.value) == MSG_BAD_THRESHOLD.format(threshold=70)


def test_documents_without_words_do_not_crash():
    assert near_duplicates({"a": "", "b": "the and of"}).groups == ()


def test_sentence_difference_ignores_case_spacing_and_moves():
    left = "Make beds. Wash patients.\n- Record charts."
    right = "wash  patients. Make beds.\n- Record charts. Drive."
    assert sentence_difference(left, right) == ((), ("Drive.",))


def test_to_dict_rounds_and_names_members():
    report = near_duplicates({"a": WARD_HCA, "b": WARD_HCA_COPY})
    data = report.to_dict()
    assert data["groups"][0]["members"] == ["a", "b"]
    assert 0.7 <= data["groups"][0]["lowest_similarity"] <= 1
    assert data["groups"][0]["bands"] == [None, None] and not data["groups"][0]["bands_differ"]
