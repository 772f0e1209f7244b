"""The status vocabularies of TRAC, NHS Jobs, Oleeo and ESR, and binary outcome columns
(appointed / not appointed) read as a one-step comparison."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bias_audit.errors import InputDataError, OptionError
from bias_audit.io import stages
from bias_audit.io.extract import (
    MSG_NOT_SHORTLISTED,
    MSG_ROWS_ARE,
    MSG_ROWS_ARE_NO_SHORTLIST,
    NOTE_ONE_STEP,
    NOTE_ONE_STEP_APPLICATIONS,
    NOTE_ONE_STEP_SHORTLISTED,
    REASON_NOT_SHORTLISTED,
    read_funnel,
)
from bias_audit.services import audit_recruitment
from bias_audit.stats import schema

ENTRIES = stages.vocabulary_entries()
SYSTEMS = ("TRAC", "NHS Jobs", "Oleeo", "ESR")


def test_every_system_is_in_the_table_with_a_source():
    data = yaml.safe_load(stages.VOCABULARY_FILE.read_text(encoding="utf-8"))
    assert tuple(s["system"] for s in data["systems"]) == SYSTEMS
    for system in data["systems"]:
        assert len(system["source"]) > 40
        assert len(system["statuses"]) >= 6


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.system}:{e.text}")
def test_status_is_read_as_the_table_says(entry):
    assert entry.stage in stages.CANONICAL_STAGES
    assert entry.left_by in schema.LEFT_BY_VALUES
    assert stages.read_status(entry.text) == (entry.stage, entry.left_by)
    # Through the reader's look-up on the default ladder too (case and spacing folded).
    codes = stages.outcome_codes([f"  {entry.text.upper()} "], stages.make_stage_plan(None))
    assert codes.reason == ("",)
    assert stages.CANONICAL_STAGES[codes.stage[0]] == entry.stage
    assert schema.LEFT_BY_VALUES[codes.left_by[0]] == entry.left_by


def test_the_same_text_never_means_two_things():
    meaning: dict[str, tuple[str, str]] = {}
    for entry in ENTRIES:
        key = stages.stage_key(entry.text)
        assert meaning.setdefault(key, (entry.stage, entry.left_by)) == (
            entry.stage,
            entry.left_by,
        ), entry.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The table corrects the word rules where they would misread a system's status.
        ("Reserve shortlist", ("applied", "not_progressed")),
        ("Interview", ("shortlisted", "not_progressed")),
        ("Interview2", ("interviewed", "not_progressed")),
        ("Terminate Application", ("applied", "not_progressed")),
        ("Accepted", ("appointed", "completed")),
    ],
)
def test_table_entries_the_rules_alone_do_not_know(text, expected):
    assert stages.read_status(text) == expected


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("Appointed", 1),
        ("Successful", 1),
        ("HIRED", 1),
        ("yes", 1),
        ("Offer accepted", 1),
        ("Not appointed", -1),
        ("Unsuccessful", -1),
        ("Rejected", -1),
        ("No", -1),
        ("not successful", -1),
        ("Interviewed", 0),
        ("Withdrawn", 0),
    ],
)
def test_binary_words(text, meaning):
    assert stages.binary_meaning(text) == meaning


# --------------------------------------------------------------- binary outcome columns

ETHNICITIES = ("A", "A", "A", "B", "N", "N", "H", "Z")


def binary_csv(header: str, yes: str, no: str) -> tuple[bytes, dict[tuple[str, str], int]]:
    """Rows cycling through ETHNICITIES; White rows appointed every third row, the others
    every sixth. Returns the CSV and the count per (WRES group, stage), kept by hand."""
    lines = [f"Ethnicity,Sex,{header}"]
    expected: dict[tuple[str, str], int] = {}
    for i in range(48):
        code = ETHNICITIES[i % len(ETHNICITIES)]
        appointed = i % 3 == 0 if code in "AB" else i % 6 == 0
        lines.append(f"{code},{'Female' if i % 2 else 'Male'},{yes if appointed else no}")
        wres = "White" if code in "AB" else "BME" if code != "Z" else "Not stated"
        key = (wres, "appointed" if appointed else "considered")
        expected[key] = expected.get(key, 0) + 1
    return ("\n".join(lines) + "\n").encode(), expected


BINARY_CASES = [
    ("Outcome", "Appointed", "Not appointed"),
    ("Outcome", "Successful", "Unsuccessful"),
    ("Application Status", "Hired", "Rejected"),
    ("Appointed?", "Yes", "No"),
    ("Appointed Y/N", "Y", "N"),
    ("Status", "Offer accepted", "Rejected at shortlisting"),
]


def wres_counts(funnel):
    table = funnel.counts.groupby([schema.ETHNICITY_WRES, schema.FURTHEST_STAGE], observed=True)
    return {k: int(v) for k, v in table[schema.COUNT].sum().items() if v}


@pytest.mark.parametrize(("header", "yes", "no"), BINARY_CASES)
def test_binary_column_is_a_one_step_comparison(header, yes, no):
    data, expected = binary_csv(header, yes, no)
    funnel = read_funnel(data, name="binary.csv")
    assert funnel.stages == ("considered", "appointed")
    assert funnel.one_step is True
    assert funnel.rows_are == "applications"
    assert funnel.excluded == {}  # nothing dropped as "not recognised"
    assert wres_counts(funnel) == expected
    # Hand count: White rows are i % 8 in 0..3 (24 rows), appointed when i % 3 == 0: i % 24
    # in {0, 3, 9, 18} -> 8; BME rows i % 8 in 4..6 (18), appointed when i % 6 == 0:
    # i in {6, 12, 30, 36} -> 4.
    assert sum(expected.values()) == 48
    assert expected[("White", "appointed")] == 8
    assert expected[("BME", "appointed")] == 4
    one_step_note = next(n for n in funnel.notes if "one-step comparison" in n)
    assert one_step_note.startswith(f'"{header}" only says whether each application ended')
    assert one_step_note.endswith(NOTE_ONE_STEP_APPLICATIONS)


@pytest.mark.parametrize(("header", "yes", "no"), BINARY_CASES[:4])
def test_shortlisted_rows_give_the_appointment_from_shortlisting_step(header, yes, no):
    data, _ = binary_csv(header, yes, no)
    funnel = read_funnel(data, name="binary.csv", rows_are="shortlisted")
    assert funnel.stages == ("shortlisted", "appointed")
    assert (funnel.rows_are, funnel.one_step) == ("shortlisted", True)
    note = NOTE_ONE_STEP_SHORTLISTED.format(first="shortlisted", last="appointed")
    assert any(n.endswith(note) for n in funnel.notes)
    audit = audit_recruitment(funnel, suppression=False)
    wres = audit.wres_indicator_2
    # White 8 of 24 appointed, BME 4 of 18: (8/24) / (4/18) = 1.5.
    assert wres["value"] == pytest.approx(1.5)
    assert wres["White"]["shortlisted"] == 24
    assert wres["BME"]["appointed"] == 4


def test_applications_rows_leave_wres_not_computable():
    data, _ = binary_csv("Outcome", "Appointed", "Not appointed")
    audit = audit_recruitment(read_funnel(data, name="b.csv"), suppression=False)
    assert audit.wres_indicator_2["value"] is None
    assert audit.wres_indicator_2["reason"]
    # The one step itself is computed: considered -> appointed, with real rates.
    white = audit.transitions[
        (audit.transitions["attribute"] == schema.ETHNICITY_WRES)
        & (audit.transitions["group"] == "White")
    ]
    assert white[["from", "to", "entered", "progressed"]].to_dict("records") == [
        {"from": "considered", "to": "appointed", "entered": 24, "progressed": 8}
    ]


def test_binary_column_keeps_withdrawals_and_declined_offers():
    text = (
        "Ethnicity,Outcome\nA,Appointed\nA,Not appointed\nA,Offer declined\n"
        "N,Withdrawn\nN,Not appointed\nN,Appointed\n"
    )
    funnel = read_funnel(text.encode(), name="b.csv")
    assert funnel.stages == ("considered", "appointed")
    left = funnel.counts.groupby(schema.LEFT_BY)[schema.COUNT].sum().to_dict()
    assert left == {"completed": 2, "declined_offer": 1, "not_progressed": 2, "withdrew": 1}


def test_unsuccessful_beside_real_stages_stays_unread():
    # "Unsuccessful" next to interview outcomes does not say at which step.
    text = "Ethnicity,Outcome\nA,Appointed\nA,Interview - unsuccessful\nN,Unsuccessful\n"
    funnel = read_funnel(text.encode(), name="s.csv")
    assert funnel.stages == schema.DEFAULT_STAGES
    assert funnel.one_step is False
    assert funnel.excluded == {"outcome not recognised": 1}


def test_one_step_note_names_column_and_values():
    data, _ = binary_csv("Outcome", "Appointed", "Not appointed")
    funnel = read_funnel(data, name="b.csv")
    expected = NOTE_ONE_STEP.format(
        column="Outcome",
        values='"Appointed", "Not appointed"',
        first="considered",
        last="appointed",
    )
    assert expected + NOTE_ONE_STEP_APPLICATIONS in funnel.notes


def test_full_funnel_with_shortlisted_rows_starts_at_shortlisting():
    text = (
        "Ethnicity,Outcome\nA,Appointed\nA,Interview - unsuccessful\nN,Invited to interview\n"
        "N,Offer declined\n"
    )
    funnel = read_funnel(text.encode(), name="s.csv", rows_are="shortlisted")
    assert funnel.stages == ("shortlisted", "interviewed", "offered", "appointed")
    assert funnel.one_step is False
    stage_counts = funnel.counts.groupby(schema.FURTHEST_STAGE, observed=True)[schema.COUNT].sum()
    assert stage_counts.to_dict() == {
        "shortlisted": 1,
        "interviewed": 1,
        "offered": 1,
        "appointed": 1,
    }


def test_rows_are_is_checked():
    with pytest.raises(OptionError) as err:
        read_funnel(b"Ethnicity,Outcome\nA,Appointed\n", name="x.csv", rows_are="everyone")
    assert str(err.value) == MSG_ROWS_ARE.format(
        value="everyone", choices="applications, shortlisted"
    )
    with pytest.raises(OptionError) as err:
        read_funnel(
            b"Ethnicity,Outcome\nA,Appointed\n",
            name="x.csv",
            rows_are="shortlisted",
            stages=["applied", "interviewed", "appointed"],
        )
    assert str(err.value) == MSG_ROWS_ARE_NO_SHORTLIST.format(
        stages="applied, interviewed, appointed"
    )


# ------------------------------------------------------------------- a TRAC-like extract

TRAC_ROWS = [
    # (Applicant ID, Ethnic Origin, Sex, Stage) as a TRAC "Application status" report shows
    ("T001", "A White - British", "Female", "Starting"),
    ("T002", "A White - British", "Male", "Shortlisting: Rejected"),
    ("T003", "N Black or Black British - African", "Female", "Interview: Reserve"),
    ("T004", "H Asian or Asian British - Indian", "Female", "Offer: Declined"),
    ("T005", "C White - Any other White background", "Male", "Pile 3. Meets no essential criteria"),
    ("T006", "N Black or Black British - African", "Male", "Invited for Interview"),
    ("T007", "Z Not Stated", "Female", "Outcome: Withdrawn"),
    ("T008", "A White - British", "Female", "Offer"),
    ("T009", "M Black or Black British - Caribbean", "Female", "Interview: Rejected"),
    ("T010", "A White - British", "Male", "Starting"),
]


def test_trac_like_extract_reads_every_status():
    lines = ["Vacancy: HCSW Band 3 (ref 123-ABC),,,", "Applicant ID,Ethnic Origin,Sex,Stage"]
    lines += [",".join(row) for row in TRAC_ROWS]
    funnel = read_funnel(("\n".join(lines) + "\n").encode(), name="trac.csv")
    assert funnel.excluded == {}
    assert funnel.one_step is False
    table = funnel.counts.groupby([schema.FURTHEST_STAGE, schema.LEFT_BY], observed=True)
    found = {k: int(v) for k, v in table[schema.COUNT].sum().items() if v}
    assert found == {
        ("applied", "not_progressed"): 2,
        ("applied", "withdrew"): 1,
        ("shortlisted", "not_progressed"): 1,
        ("interviewed", "not_progressed"): 2,
        ("offered", "declined_offer"): 1,
        ("offered", "not_progressed"): 1,
        ("appointed", "completed"): 2,
    }


@pytest.mark.parametrize("rows_are", ["applications", "shortlisted"])
@pytest.mark.parametrize(
    ("header", "yes", "no"),
    [("Outcome", "Appointed", "Not appointed"), ("Appointed?", "Yes", "No")],
)
def test_count_table_of_appointed_and_not_appointed(rows_are, header, yes, no):
    text = f"Ethnicity,{header},Count\nWhite,{yes},30\nWhite,{no},70\nBME,{yes},12\nBME,{no},48\n"
    funnel = read_funnel(text.encode(), name="c.csv", rows_are=rows_are)
    first = "shortlisted" if rows_are == "shortlisted" else "considered"
    assert funnel.stages == (first, "appointed")
    assert (funnel.one_step, funnel.excluded) == (True, {})
    assert wres_counts(funnel) == {
        ("White", first): 70,
        ("White", "appointed"): 30,
        ("BME", first): 48,
        ("BME", "appointed"): 12,
    }
    value = audit_recruitment(funnel, suppression=False).wres_indicator_2["value"]
    if rows_are == "shortlisted":
        assert value == pytest.approx((30 / 100) / (12 / 60))  # 1.5
    else:
        assert value is None


@settings(max_examples=15, deadline=None)
@given(
    case=st.sampled_from(BINARY_CASES[:5]),
    rows=st.lists(
        st.tuples(st.sampled_from(["A", "B", "N", "H", "Z"]), st.booleans()),
        min_size=1,
        max_size=40,
    ),
    rows_are=st.sampled_from(["applications", "shortlisted"]),
)
def test_binary_reading_counts_every_row(case, rows, rows_are):
    assume(any(e != "Z" for e, _ in rows))  # all not stated is refused (tested elsewhere)
    header, yes, no = case
    lines = [f"Ethnicity,{header}"] + [f"{e},{yes if a else no}" for e, a in rows]
    funnel = read_funnel(("\n".join(lines) + "\n").encode(), name="h.csv", rows_are=rows_are)
    first = "shortlisted" if rows_are == "shortlisted" else "considered"
    assert funnel.stages == (first, "appointed")
    assert funnel.excluded == {}
    tally: dict[tuple[str, str], int] = {}
    for e, a in rows:
        key = (e, "appointed" if a else first)
        tally[key] = tally.get(key, 0) + 1
    table = funnel.counts.groupby([schema.ETHNICITY_DETAILED, schema.FURTHEST_STAGE], observed=True)
    code = {
        "White - British": "A",
        "White - Irish": "B",
        "Black or Black British - African": "N",
        "Asian or Asian British - Indian": "H",
        schema.NOT_STATED: "Z",
    }
    found = {
        (code[detailed], stage): int(n)
        for (detailed, stage), n in table[schema.COUNT].sum().items()
        if n
    }
    assert found == tally


def test_rows_that_contradict_shortlisted_rows_are_flagged_or_refused():
    def text(not_shortlisted: int) -> bytes:
        lines = ["Ethnicity,Outcome"]
        lines += [f"{'A' if i % 2 else 'N'},Not shortlisted" for i in range(not_shortlisted)]
        lines += [f"{'A' if i % 2 else 'N'},Interview - unsuccessful" for i in range(40)]
        lines += [f"{'A' if i % 2 else 'N'},Appointed" for i in range(60 - not_shortlisted)]
        return ("\n".join(lines) + "\n").encode()

    clean = read_funnel(text(0), name="s.csv", rows_are="shortlisted")
    assert clean.not_computable == {}
    flagged = read_funnel(text(10), name="s.csv", rows_are="shortlisted")  # 10%
    assert flagged.not_computable == {"outcome": REASON_NOT_SHORTLISTED}
    with pytest.raises(InputDataError) as err:
        read_funnel(text(55), name="s.csv", rows_are="shortlisted")  # 55%
    assert str(err.value) == MSG_NOT_SHORTLISTED.format(file="s.csv", share=0.55)
    # Read as applications, the same rows are a normal funnel.
    assert read_funnel(text(55), name="s.csv").not_computable == {}


def test_not_appointed_beside_a_shortlisted_column_takes_the_stage_from_that_column():
    """ "Appointed / Not appointed" with a "Shortlisted (Y/N)" column (a common return): a
    "not appointed" row's furthest stage is what the column says, never "applied" for
    someone shortlisted, and nothing is left unread."""
    from bias_audit.io.layouts.outcomes import NOTE_STAGES_WITHOUT_EVIDENCE
    from bias_audit.io.layouts.rows import NOTE_NOT_APPOINTED_FROM_FLAGS

    lines = ["Ethnic Origin,Shortlisted (Y/N),Outcome"]
    # 10 White: 6 shortlisted, 3 of them appointed; 10 BME: 5 shortlisted, 1 appointed
    for group, shortlisted, appointed in (("A", 6, 3), ("H", 5, 1)):
        for i in range(10):
            flag = "Y" if i < shortlisted else "N"
            outcome = "Appointed" if i < appointed else "Not appointed"
            lines.append(f"{group},{flag},{outcome}")
    funnel = read_funnel(("\n".join(lines) + "\n").encode(), name="q3.csv")
    assert funnel.excluded == {}
    assert wres_counts(funnel) == {
        ("White", "applied"): 4,
        ("White", "shortlisted"): 3,
        ("White", "appointed"): 3,
        ("BME", "applied"): 5,
        ("BME", "shortlisted"): 4,
        ("BME", "appointed"): 1,
    }
    assert (
        NOTE_NOT_APPOINTED_FROM_FLAGS.format(
            texts='"Not appointed"',
            say="says",
            column="Outcome",
            columns='"Shortlisted (Y/N)"',
            count=16,
        )
        in funnel.notes
    )
    # Nothing says who was interviewed or offered: those steps are left out (not shown at
    # 100%), and the appointment gap is the shortlisted → appointed step, named so.
    assert funnel.stages == ("applied", "shortlisted", "appointed")
    assert (
        NOTE_STAGES_WITHOUT_EVIDENCE.format(
            stages="interviewed and offered",
            them="them",
            they="they",
            they_are="they are",
            kept="applied → shortlisted → appointed",
            first="interviewed",
        )
        in funnel.notes
    )


@pytest.mark.parametrize(
    ("header", "rows", "stages"),
    [
        # An interview column and appointed / not appointed: offered has no evidence.
        (
            "Ethnicity,Interviewed,Outcome",
            ["A,Y,Appointed", "A,Y,Not appointed", "A,N,Not appointed", "H,N,Not appointed"],
            ("applied", "shortlisted", "interviewed", "appointed"),
        ),
        # "Not shortlisted" speaks of shortlisting, "Not appointed" of those who got past
        # it; nothing of interviews or offers.
        (
            "Ethnicity,Outcome",
            ["A,Not shortlisted", "A,Appointed", "H,Not appointed", "H,Not shortlisted"],
            ("applied", "shortlisted", "appointed"),
        ),
        # Without a "not appointed" word nobody stopped after shortlisting: one comparison.
        (
            "Ethnicity,Outcome",
            ["A,Not shortlisted", "A,Appointed", "H,Appointed", "H,Not shortlisted"],
            ("considered", "appointed"),
        ),
        # A declined offer speaks of offers; "Interview - unsuccessful" of interviews and
        # offers: nothing is left out, and "shortlisted" stays as what an interview implies.
        (
            "Ethnicity,Outcome",
            ["A,Interview - unsuccessful", "A,Appointed", "H,Offer declined", "H,Not shortlisted"],
            ("applied", "shortlisted", "interviewed", "offered", "appointed"),
        ),
    ],
)
def test_the_stages_are_those_the_outcomes_speak_of(header, rows, stages):
    funnel = read_funnel(("\n".join([header, *rows]) + "\n").encode(), name="e.csv")
    assert funnel.stages == stages
    assert int(funnel.counts[schema.COUNT].sum()) == len(rows)


def test_not_shortlisted_beside_not_appointed_gives_appointment_from_shortlisting():
    """A common NHS Jobs return: "Not shortlisted" / "Not appointed" / "Appointed". Those not
    turned down at shortlisting got past it, so WRES indicator 2 is computable."""
    from bias_audit.io.extract import NOTE_SIFT

    lines = ["Ethnic Origin,Application Outcome"]
    # White: 12 not shortlisted, 5 not appointed, 3 appointed; BME: 15, 6, 1.
    for group, sifted, not_appointed, appointed in (("A", 12, 5, 3), ("N", 15, 6, 1)):
        lines += [f"{group},Not shortlisted"] * sifted
        lines += [f"{group},Not appointed"] * not_appointed
        lines += [f"{group},Appointed"] * appointed
    funnel = read_funnel(("\n".join(lines) + "\n").encode(), name="nhsjobs.csv")
    assert funnel.stages == ("applied", "shortlisted", "appointed")
    assert not funnel.one_step
    assert wres_counts(funnel) == {
        ("White", "applied"): 12,
        ("White", "shortlisted"): 5,
        ("White", "appointed"): 3,
        ("BME", "applied"): 15,
        ("BME", "shortlisted"): 6,
        ("BME", "appointed"): 1,
    }
    assert (
        NOTE_SIFT.format(
            column="Application Outcome",
            sifted='"Not shortlisted"',
            stages="applied → shortlisted → appointed",
            not_appointed='"Not appointed" are',
        )
        in funnel.notes
    )
