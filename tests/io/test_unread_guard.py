"""Rows the tool cannot read: counted per part, "not computable until …" above 5%, refused
above 50%; partially usable extracts analysed for what they can give."""

from __future__ import annotations

import pytest

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io.extract import MSG_BAD_RECODE, MSG_RECODE_ROLE, parse_recode, read_funnel
from bias_audit.io.unread import FIX_ATTRIBUTE, FIX_OUTCOME, FIX_SWITCH_OFF, MSG_MOSTLY_UNREAD
from bias_audit.io.views import MSG_ALL_NOT_STATED, NOTE_RECODED, REASON_ALL_NOT_STATED
from bias_audit.report.recruitment_text import headline_sentences
from bias_audit.services import audit_recruitment
from bias_audit.stats import schema
from bias_audit.stats.funnel import OUTCOME_PART, REASON_UNREAD

STAGES = "applied, shortlisted, interviewed, offered, appointed"
OUTCOMES = ("Appointed", "Interview - unsuccessful", "Not shortlisted", "Offer declined")


def extract(n: int, *, unknown: int = 0, bad_sex: int = 0, ethnicity: str | None = None) -> bytes:
    """``n`` rows; the first ``unknown`` have an unreadable outcome and the last ``bad_sex``
    an unreadable sex code; ethnicity alternates A / N unless fixed."""
    lines = ["Ethnicity,Sex,Outcome"]
    for i in range(n):
        code = ethnicity if ethnicity is not None else ("A" if i % 2 else "N")
        sex = "Q9" if i >= n - bad_sex else ("Female" if i % 4 < 2 else "Male")
        outcome = "Gone fishing" if i < unknown else OUTCOMES[i % len(OUTCOMES)]
        lines.append(f"{code},{sex},{outcome}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize(
    ("unknown", "flagged"),
    [(0, False), (5, False), (6, True), (30, True), (50, True)],
)
def test_outcome_threshold_is_more_than_five_percent(unknown, flagged):
    funnel = read_funnel(extract(100, unknown=unknown), name="u.csv")
    if unknown:
        found = funnel.unread[OUTCOME_PART]
        assert (found.count, found.total, found.share) == (unknown, 100, unknown / 100)
        assert found.values == {"Gone fishing": unknown}
        assert found.fix == FIX_OUTCOME.format(mappings="Gone fishing=<stage>", stages=STAGES)
    else:
        assert funnel.unread == {}
    assert (OUTCOME_PART in funnel.not_computable) is flagged
    if flagged:
        assert funnel.not_computable[OUTCOME_PART] == REASON_UNREAD.format(
            what="outcomes", column="Outcome", count=unknown, total=100, fix=found.fix
        )


@pytest.mark.parametrize("unknown", [51, 80])
def test_more_than_half_unread_is_refused(unknown):
    with pytest.raises(InputDataError) as err:
        read_funnel(extract(100, unknown=unknown), name="u.csv")
    assert str(err.value) == MSG_MOSTLY_UNREAD.format(
        file="u.csv",
        share=unknown / 100,
        what="an outcome",
        column="Outcome",
        values='"Gone fishing"',
        fix=FIX_OUTCOME.format(mappings="Gone fishing=<stage>", stages=STAGES),
    )


def test_the_mapping_in_the_fix_makes_it_computable():
    funnel = read_funnel(
        extract(100, unknown=30), name="u.csv", stages=["Gone fishing=applied:withdrew"]
    )
    assert funnel.unread == {}
    assert funnel.not_computable == {}


def test_unread_outcome_makes_every_statistic_not_computable():
    funnel = read_funnel(extract(100, unknown=20), name="u.csv")
    audit = audit_recruitment(funnel, suppression=False)
    table = audit.transitions
    reason = funnel.not_computable[OUTCOME_PART]
    assert (table["not_computable"] == reason).all()
    for column in ("rate", "relative_likelihood", "p_value", "ci_low", "impact_ratio"):
        assert table[column].isna().all(), column
    assert not table["outside_band"].any()
    assert audit.wres_indicator_2["value"] is None
    assert audit.wres_indicator_2["reason"] == reason
    assert all("times as likely" not in s for s in headline_sentences(audit))
    # Counts stay: they are data, not findings.
    assert table["entered"].sum() > 0
    assert audit.stage_counts["share"].isna().all()
    assert audit.stage_counts["reached"].sum() > 0


def test_published_reason_shows_counts_as_published():
    funnel = read_funnel(extract(40, unknown=6), name="u.csv")  # 15% of 40
    shown = audit_recruitment(funnel, suppression=True)
    found = funnel.unread[OUTCOME_PART]
    published = found.reason(count="≤7", total=40)
    assert set(shown.transitions["not_computable"]) == {published}
    assert shown.wres_indicator_2["reason"] == published
    assert published in headline_sentences(shown)[0]  # the reason, not "hidden"
    reading = shown.to_dict()["reading"]
    assert reading["not_computable"] == {OUTCOME_PART: published}
    assert (reading["rows_are"], reading["one_step"]) == ("applications", False)
    assert "(6 of" not in " ".join(shown.warnings)


def test_unreadable_attribute_codes_affect_only_that_attribute():
    funnel = read_funnel(extract(100, bad_sex=20), name="s.csv")
    found = funnel.unread["gender"]
    assert (found.count, found.total, found.values) == (20, 100, {"Q9": 20})
    assert found.fix == FIX_ATTRIBUTE.format(
        column="Sex",
        label="gender",
        role="gender",
        off=FIX_SWITCH_OFF.format(role="gender"),
        value="Q9",
    )
    assert set(funnel.not_computable) == {"gender"}
    audit = audit_recruitment(funnel, suppression=False)
    table = audit.transitions
    hit = table["attribute"].isin([schema.GENDER, schema.ETHNICITY_X_GENDER])
    assert table.loc[hit, "rate"].isna().all()
    assert (table.loc[hit, "not_computable"] == funnel.not_computable["gender"]).all()
    assert table.loc[~hit, "rate"].notna().any()
    # Ethnicity is unaffected: WRES indicator 2 keeps its own reason (here no White
    # shortlisted applicant was appointed), not the gender column's.
    assert audit.wres_indicator_2["reason"] not in ("", funnel.not_computable["gender"])


def test_not_stated_is_never_unread():
    text = "Ethnicity,Sex,Outcome\n" + "".join(
        f"{'A' if i % 2 else 'N'},{'Prefer not to say' if i < 40 else 'Female'},Appointed\n"
        f"A,Male,Not shortlisted\n"
        for i in range(50)
    )
    funnel = read_funnel(text.encode(), name="n.csv")
    assert funnel.unread == {}
    assert funnel.not_computable == {}


# ---------------------------------------------------------------- partially usable extracts


def test_ethnicity_all_not_stated_but_gender_usable_is_analysed():
    funnel = read_funnel(extract(40, ethnicity="Not stated"), name="p.csv")
    assert funnel.not_computable == {
        "ethnicity": REASON_ALL_NOT_STATED.format(label="ethnicity", column="Ethnicity")
    }
    audit = audit_recruitment(funnel, suppression=False)
    table = audit.transitions
    gender = table[table["attribute"] == schema.GENDER]
    assert gender["rate"].notna().sum() >= 8
    assert gender["relative_likelihood"].notna().any()
    assert not gender["not_computable"].str.startswith("every").any()
    ethnic = table["attribute"].str.startswith("ethnicity")
    assert (table.loc[ethnic, "not_computable"] == funnel.not_computable["ethnicity"]).all()
    assert audit.wres_indicator_2["value"] is None
    assert audit.wres_indicator_2["reason"] == funnel.not_computable["ethnicity"]
    assert any(w.startswith("The ethnicity breakdown: not computable") for w in audit.warnings)


def test_nothing_stated_anywhere_is_refused():
    text = "Ethnicity,Sex,Outcome\nZ,Prefer not to say,Appointed\n99,,Not shortlisted\n"
    with pytest.raises(InputDataError) as err:
        read_funnel(text.encode(), name="z.csv")
    assert str(err.value) == MSG_ALL_NOT_STATED.format(
        file="z.csv", label="ethnicity", role="ethnicity", column="Ethnicity", examples='"99", "Z"'
    )


def test_the_recode_in_the_fix_makes_the_attribute_computable():
    data = extract(100, bad_sex=20)
    funnel = read_funnel(data, name="s.csv", recode={"gender": {"q9": "Not stated"}})
    assert funnel.unread == {}
    assert funnel.not_computable == {}
    sizes = funnel.counts.groupby(schema.GENDER)[schema.COUNT].sum().to_dict()
    assert sizes[schema.NOT_STATED] == 20
    assert NOTE_RECODED.format(role="gender", pairs='"Q9" as "Not stated"') in funnel.notes
    female = read_funnel(data, name="s.csv", recode={"gender": {"Q9": "F"}})
    assert female.counts.groupby(schema.GENDER)[schema.COUNT].sum().to_dict() == {
        "Female": 40 + 20,  # rows 0..79: two female, two male in turn; 80..99 recoded
        "Male": 40,
    }


def test_recode_checks_its_role_and_form():
    with pytest.raises(OptionError) as err:
        read_funnel(extract(10), name="s.csv", recode={"star_sign": {"Leo": "A"}})
    assert str(err.value) == MSG_RECODE_ROLE.format(
        role="star_sign",
        roles="ethnicity, gender, disability, age_band, religion, sexual_orientation",
    )
    assert parse_recode(["ethnicity:A: White=A"]) == {"ethnicity": {"A: White": "A"}}
    for bad in ("ethnicity", "ethnicity:W1", ":W1=A", "ethnicity:=A", "ethnicity:W1="):
        with pytest.raises(OptionError) as err:
            parse_recode([bad])
        assert str(err.value) == MSG_BAD_RECODE.format(value=bad)


def test_stratified_tests_of_an_unreadable_part_are_blanked():
    lines = ["Vacancy,Ethnicity,Sex,Outcome"]
    for i in range(120):
        outcome = "Gone fishing" if i % 10 == 0 else OUTCOMES[i % len(OUTCOMES)]
        lines.append(
            f"V{i % 3},{'A' if i % 2 else 'N'},{'Female' if i % 4 < 2 else 'Male'},{outcome}"
        )
    funnel = read_funnel(("\n".join(lines) + "\n").encode(), name="v.csv", stratify="Vacancy")
    assert OUTCOME_PART in funnel.not_computable  # 12 of 120 = 10%
    stratified = audit_recruitment(funnel, suppression=False).stratified
    assert not stratified.empty
    assert stratified["pooled_relative_likelihood"].isna().all()
    assert stratified["cmh_p"].isna().all()
    assert stratified["note"].str.startswith("not computable until").all()
