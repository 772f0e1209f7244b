"""Why the requirements' notices and the segmenter's boilerplate blocks stay apart."""

from __future__ import annotations

from bias_audit.text.advert import analyse_advert
from bias_audit.text.context import segment
from bias_audit.text.notices import boilerplate_spans, notice_at
from bias_audit.text.requirements import CLEARED_NOTICE

# A demand in a sentence that also mentions a check: "boilerplate" for gender coding (it
# describes no applicant), but still an entry demand.
CHECK_AND_DEMAND = (
    "Healthcare Assistant, Band 2\n"
    "You must have an enhanced DBS check or be happy to apply for one and have two years "
    "minimum experience within this field.\n"
)
VISA = (
    "Healthcare Assistant, Band 2\n\n"
    "Applicants who need a Skilled Worker visa must show 12 months' experience of care work.\n"
)


def test_a_demand_beside_a_check_is_boilerplate_to_the_segmenter_but_still_judged():
    at = CHECK_AND_DEMAND.index("two years")
    assert segment(CHECK_AND_DEMAND).kind_at(at) == "boilerplate"
    assert notice_at(at, boilerplate_spans(CHECK_AND_DEMAND)) is None
    (demand,) = [r for r in analyse_advert(CHECK_AND_DEMAND).requirements if r.kind == "experience"]
    assert demand.finding is not None
    assert demand.cleared_because is None


def test_a_visa_notice_is_both_and_its_demand_is_cleared_with_the_notice_kind():
    at = VISA.index("12 months")
    assert segment(VISA).kind_at(at) == "boilerplate"
    (demand,) = analyse_advert(VISA).requirements
    assert demand.finding is None
    assert demand.cleared_because == CLEARED_NOTICE.format(notice="a visa or sponsorship notice")
