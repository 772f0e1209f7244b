"""read_funnel end to end on hand-built files with hand-counted cells."""

import io
import random

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.errors import BiasAuditError, InputDataError, OptionError
from bias_audit.io.column_choices import NOTE_ETHNICITY_SWITCHED
from bias_audit.io.columns import MSG_NO_ETHNICITY, MSG_NO_STAGE, MSG_UNKNOWN_COLUMN
from bias_audit.io.extract import read_funnel
from bias_audit.io.files import MSG_HEADER_ONLY, MSG_NO_SHEET
from bias_audit.io.layouts.counts import MSG_BAD_COUNT, NOTE_OUTCOME_COUNTS
from bias_audit.io.layouts.outcomes import NOTE_OUTCOMES_READ
from bias_audit.io.layouts.rows import WARN_DUPLICATE_IDS, WARN_FLAG_BEYOND_OUTCOME
from bias_audit.io.stages import WARN_MORE_THAN_BEFORE, WARN_STAGE_HOLE
from bias_audit.io.views import MSG_ALL_NOT_STATED
from bias_audit.stats import schema

ROWS = """Applicant ID,Ethnic Origin,Sex,Disability,Application Status
1,A White - British,Female,No,Appointed
2,A White – British,Female,No,Not shortlisted
3,A,Male,Yes,Interviewed - unsuccessful
4,N Black or Black British - African,Female,No,Not shortlisted
5,N,Female,Prefer not to say,Offer declined
6,Black or Black British - African,Male,No,Withdrawn
7,Z,Female,No,Appointed
8,H Asian or Asian British - Indian,Female,No,Invited for interview
"""


def records(funnel, *columns):
    """Counts summed over the given columns, as a plain dict."""
    table = funnel.counts.groupby(list(columns), observed=True)[schema.COUNT].sum()
    return {key: int(value) for key, value in table.items()}


def workbook_bytes(rows, *, title="Sheet1"):
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_row_level_csv_hand_counted():
    funnel = read_funnel(ROWS.encode("cp1252"), name="rows.csv")
    assert funnel.stages == schema.DEFAULT_STAGES
    assert funnel.attributes == schema.ATTRIBUTE_VIEWS[:5]
    assert records(funnel, schema.ETHNICITY_WRES, schema.FURTHEST_STAGE, schema.LEFT_BY) == {
        ("White", "applied", "not_progressed"): 1,
        ("White", "interviewed", "not_progressed"): 1,
        ("White", "appointed", "completed"): 1,
        ("BME", "applied", "not_progressed"): 1,
        ("BME", "applied", "withdrew"): 1,
        ("BME", "offered", "declined_offer"): 1,
        ("BME", "shortlisted", "not_progressed"): 1,
        ("Not stated", "appointed", "completed"): 1,
    }
    assert records(funnel, schema.DISABILITY) == {"Disabled": 1, "Not disabled": 6, "Not stated": 1}
    assert records(funnel, schema.ETHNICITY_GROUP)["Asian"] == 1
    assert funnel.counts[schema.COUNT].sum() == 8
    assert funnel.counts[schema.FURTHEST_STAGE].cat.ordered
    assert list(funnel.counts[schema.FURTHEST_STAGE].cat.categories) == list(funnel.stages)
    assert funnel.counts[schema.COUNT].dtype == "int64"
    assert funnel.warnings == ()
    assert funnel.source == "rows.csv"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_encodings_and_separators_give_the_same_funnel(encoding, separator):
    expected = read_funnel(ROWS.encode("utf-8"), name="rows.csv").counts
    data = ROWS.replace(",", separator).encode(encoding)
    funnel = read_funnel(data, name="rows.csv")
    assert funnel.counts.equals(expected)
    shown = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
    assert any(f"in {shown}" in note for note in funnel.notes)


def test_path_and_bytes_agree(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(ROWS.encode("cp1252"))
    from_path = read_funnel(path)
    assert from_path.source == "extract.csv"
    assert from_path.counts.equals(read_funnel(ROWS.encode("cp1252"), name="x.csv").counts)


def test_xlsx_under_title_lines_named_sheet():
    rows = [line.split(",") for line in ROWS.strip().splitlines()]
    data = workbook_bytes(
        [["Recruitment monitoring"], ["Trust: Example"], [None], *rows], title="Applications"
    )
    funnel = read_funnel(data, name="export.xlsx", sheet="applications")
    assert funnel.counts.equals(read_funnel(ROWS.encode(), name="x.csv").counts)
    assert any('sheet "Applications"' in note for note in funnel.notes)
    assert any("header is on row 4" in note for note in funnel.notes)
    with pytest.raises(InputDataError) as err:
        read_funnel(data, name="export.xlsx", sheet="Summary")
    assert str(err.value) == MSG_NO_SHEET.format(
        file="export.xlsx", sheet="Summary", sheets="'Applications'"
    )


def test_xlsx_numeric_codes_and_dates():
    data = workbook_bytes(
        [
            ["Ethnicity", "Gender", "Shortlisted", "Interview Date"],
            ["A", "F", "Y", "2024-05-01"],
            [99, "M", "N", None],
            ["N", "F", "Y", None],
        ]
    )
    funnel = read_funnel(data, name="flags.xlsx")
    assert records(funnel, schema.ETHNICITY_WRES, schema.FURTHEST_STAGE) == {
        ("White", "interviewed"): 1,
        ("Not stated", "applied"): 1,
        ("BME", "shortlisted"): 1,
    }


def test_per_stage_flags_and_dates():
    text = """Ethnicity,Shortlisted,Interview Date,Offer Date,Appointed Y/N
A,Y,01/05/2024,03/05/2024,Y
A,N,,,N
N,Yes,02/05/2024,,N
N,No,,,
B,,04/05/2024,06/05/2024,Y
"""
    funnel = read_funnel(text.encode(), name="flags.csv")
    assert records(funnel, schema.ETHNICITY_DETAILED, schema.FURTHEST_STAGE, schema.LEFT_BY) == {
        ("White - British", "appointed", "completed"): 1,
        ("White - British", "applied", "not_progressed"): 1,
        ("Black or Black British - African", "interviewed", "not_progressed"): 1,
        ("Black or Black British - African", "applied", "not_progressed"): 1,
        ("White - Irish", "appointed", "completed"): 1,
    }
    # the last row was appointed with no shortlisting record
    assert (
        WARN_STAGE_HOLE.format(
            count=1, later="appointed", stage="shortlisted", column="Shortlisted"
        )
        in funnel.warnings
    )
    choices = {role: (header, how) for role, header, how in funnel.column_choices}
    assert choices["offered"] == ("Offer Date", "auto")
    assert choices["appointed"] == ("Appointed Y/N", "auto")


def test_outcome_wins_over_dates_except_a_bare_withdrawal():
    text = """Ethnicity,Status,Interview Date
A,Withdrawn,01/05/2024
A,Appointed,
N,Not shortlisted,02/05/2024
N,Did not attend interview,03/05/2024
B,,04/05/2024
"""
    funnel = read_funnel(text.encode(), name="x.csv")
    assert records(funnel, schema.ETHNICITY_DETAILED, schema.FURTHEST_STAGE, schema.LEFT_BY) == {
        ("White - British", "interviewed", "withdrew"): 1,  # the date says when
        ("White - British", "appointed", "completed"): 1,
        ("Black or Black British - African", "applied", "not_progressed"): 1,
        ("Black or Black British - African", "shortlisted", "withdrew"): 1,
        ("White - Irish", "interviewed", "not_progressed"): 1,  # blank outcome, date used
    }
    assert (
        WARN_FLAG_BEYOND_OUTCOME.format(count=2, columns='"Interview Date"', column="Status")
        in funnel.warnings
    )
    assert (
        WARN_STAGE_HOLE.format(
            count=1, later="appointed", stage="interviewed", column="Interview Date"
        )
        in funnel.warnings
    )
    assert funnel.excluded == {}


COUNTS = """Ethnic Group,Sex,Stage,Count
White,Female,Applied,100
White,Female,Shortlisted,40
White,Female,Appointed,12
BME,Female,Applied,80
BME,Female,Shortlisted,20
BME,Female,Appointed,3
Total,,Applied,180
"""


def test_count_table_long_format():
    funnel = read_funnel(COUNTS.replace("BME", "N").encode(), name="counts.csv")
    assert funnel.stages == ("applied", "shortlisted", "appointed")
    assert records(funnel, schema.ETHNICITY_WRES, schema.FURTHEST_STAGE, schema.LEFT_BY) == {
        ("White", "applied", "not_progressed"): 60,
        ("White", "shortlisted", "not_progressed"): 28,
        ("White", "appointed", "completed"): 12,
        ("BME", "applied", "not_progressed"): 60,
        ("BME", "shortlisted", "not_progressed"): 17,
        ("BME", "appointed", "completed"): 3,
    }
    assert funnel.excluded == {"total or subtotal rows": 1}
    assert any("count table" in note for note in funnel.notes)


def test_count_table_stage_with_more_people_than_before():
    text = "Ethnicity,Stage,Number\nA,Applied,10\nA,Shortlisted,12\nA,Appointed,2\nN,Applied,5\n"
    funnel = read_funnel(text.encode(), name="c.csv")
    assert (
        WARN_MORE_THAN_BEFORE.format(
            later="shortlisted",
            later_n=12,
            stage="applied",
            stage_n=10,
            cell="White - British, White, White",
        )
        in funnel.warnings
    )
    assert records(funnel, schema.ETHNICITY_WRES, schema.FURTHEST_STAGE) == {
        ("White", "shortlisted"): 10,
        ("White", "appointed"): 2,
        ("BME", "applied"): 5,
    }


def test_count_table_bad_count_names_the_row():
    text = "Ethnicity,Stage,Count\nA,Applied,10\nA,Shortlisted,lots\n"
    with pytest.raises(InputDataError) as err:
        read_funnel(text.encode(), name="c.csv")
    assert str(err.value) == MSG_BAD_COUNT.format(file="c.csv", column="Count", value="lots", row=3)


def test_stratify_column_kept():
    text = "Vacancy,Ethnicity,Outcome\nV1,A,Appointed\nV1,N,Not shortlisted\nV2,A,Not shortlisted\n"
    funnel = read_funnel(text.encode(), name="s.csv", stratify="vacancy")
    assert funnel.stratified_by == "Vacancy"
    assert records(funnel, schema.STRATUM) == {"V1": 2, "V2": 1}


def test_mixed_code_schemes_work_with_a_note():
    funnel = read_funnel(ROWS.encode(), name="rows.csv")
    assert any("mixes" in note for note in funnel.notes)


def test_group_with_nobody_shortlisted_is_valid():
    text = (
        "Ethnicity,Outcome\nA,Appointed\nA,Not shortlisted\nA,Interview - unsuccessful\n"
        "N,Not shortlisted\nN,Withdrawn\n"
    )
    funnel = read_funnel(text.encode(), name="g.csv")
    bme = records(funnel, schema.ETHNICITY_WRES, schema.FURTHEST_STAGE)
    assert bme[("BME", "applied")] == 2
    assert ("BME", "shortlisted") not in bme


def test_unknown_outcomes_and_unplaced_values_are_counted_and_listed():
    text = (
        "Ethnicity,Outcome\nA,Appointed\nMartian,Appointed\nN,Gone fishing\nN,Gone fishing\n"
        "B,\nA,Shortlisted\n"
    )
    funnel = read_funnel(text.encode(), name="u.csv")
    assert funnel.excluded == {"outcome not recognised": 2, "blank outcome": 1}
    assert funnel.unplaced == {"ethnicity": {"Martian": 1}}
    assert records(funnel, schema.ETHNICITY_WRES) == {"White": 2, "Not stated": 1}
    assert any('"Gone fishing" (2)' in w for w in funnel.warnings)
    assert not any("Martian" in w for w in funnel.warnings)  # the audit words it, once


def test_duplicate_ids_warned_and_kept():
    text = "Application ID,Ethnicity,Outcome\n7,A,Appointed\n7,A,Appointed\n8,N,Withdrawn\n"
    funnel = read_funnel(text.encode(), name="d.csv")
    assert WARN_DUPLICATE_IDS.format(count=1, column="Application ID") in funnel.warnings
    assert not any('"7"' in w for w in funnel.warnings)  # ids are never quoted back
    assert funnel.counts[schema.COUNT].sum() == 3


def test_column_override_and_account():
    text = "Ethnic Group,Ethnic Origin (ESR),Outcome\nWhite,N,Appointed\nWhite,A,Withdrawn\n"
    auto = read_funnel(text.encode(), name="o.csv")
    assert records(auto, schema.ETHNICITY_WRES) == {"White": 2}
    chosen = read_funnel(text.encode(), name="o.csv", columns={"ethnicity": "ethnic origin (esr)"})
    assert records(chosen, schema.ETHNICITY_WRES) == {"White": 1, "BME": 1}
    # what each role was read from and how it was chosen (printed by the CLI's account)
    assert chosen.column_choices == (
        ("ethnicity", "Ethnic Origin (ESR)", "--column"),
        ("stage", "Outcome", "auto"),
    )


def test_gender_switched_off():
    funnel = read_funnel(ROWS.encode(), name="r.csv", columns={"gender": ""})
    assert schema.GENDER not in funnel.attributes
    assert schema.GENDER not in funnel.counts.columns


def test_custom_stages_option():
    funnel = read_funnel(
        ROWS.encode(), name="r.csv", stages=["applied", "shortlisted", "appointed"]
    )
    assert funnel.stages == ("applied", "shortlisted", "appointed")
    assert records(funnel, schema.FURTHEST_STAGE)["shortlisted"] == 3


# --- bad input: each is a BiasAuditError whose message names the file -------------------


def test_header_only():
    with pytest.raises(InputDataError) as err:
        read_funnel(b"Ethnicity,Outcome\n", name="h.csv")
    assert str(err.value) == MSG_HEADER_ONLY.format(file="h.csv", rows="applications")


def test_no_ethnicity_column_lists_headers():
    with pytest.raises(InputDataError) as err:
        read_funnel(b"Sex,Outcome\nF,Appointed\n", name="n.csv")
    assert str(err.value) == MSG_NO_ETHNICITY.format(file="n.csv", headers='"Sex", "Outcome"')


def test_no_stage_information():
    with pytest.raises(InputDataError) as err:
        read_funnel(b"Ethnicity,Sex\nA,F\n", name="n.csv")
    assert str(err.value) == MSG_NO_STAGE.format(file="n.csv", headers='"Ethnicity", "Sex"')


def test_every_ethnicity_not_stated():
    text = "Ethnicity,Outcome\nZ,Appointed\nPrefer not to say,Withdrawn\n,Appointed\n"
    with pytest.raises(InputDataError) as err:
        read_funnel(text.encode(), name="z.csv")
    assert str(err.value) == MSG_ALL_NOT_STATED.format(
        file="z.csv",
        column="Ethnicity",
        examples='"", "Prefer not to say", "Z"',
        label="ethnicity",
        role="ethnicity",
    )


def test_unknown_column_header_lists_headers():
    with pytest.raises(InputDataError) as err:
        read_funnel(ROWS.encode(), name="r.csv", columns={"ethnicity": "Race Code"})
    assert str(err.value) == MSG_UNKNOWN_COLUMN.format(
        file="r.csv",
        option="--column ethnicity=",
        column="Race Code",
        headers='"Applicant ID", "Ethnic Origin", "Sex", "Disability", "Application Status"',
    )


def test_unknown_role():
    with pytest.raises(OptionError, match="'colour' is neither a column role"):
        read_funnel(ROWS.encode(), name="r.csv", columns={"colour": "Sex"})


def test_unknown_stage_in_outcome_mapping():
    with pytest.raises(InputDataError, match=r"r\.csv: .*'hired2'"):
        read_funnel(ROWS.encode(), name="r.csv", stages=["applied", "appointed", "Pending=hired2"])


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "e.csv"),
        (b"\x00\x01\x02binary" * 50, "b.csv"),
        (b"Ethnicity,Outcome\n", "h.csv"),
        (b"not a workbook", "w.xlsx"),
    ],
)
def test_bad_input_always_names_the_file(data, name):
    with pytest.raises(BiasAuditError) as err:
        read_funnel(data, name=name)
    assert str(err.value).startswith(f"{name}: ")


# --- invariants ------------------------------------------------------------------------

ETHNICITIES = ["A", "A White - British", "N", "Black or Black British - African", "Z", "R"]
OUTCOMES = ["Not shortlisted", "Withdrawn", "Interview: Reserve", "Offer declined", "Started"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(ETHNICITIES), st.sampled_from(["F", "M"]), st.sampled_from(OUTCOMES)
        ),
        min_size=1,
        max_size=40,
    ),
    st.randoms(use_true_random=False),
)
def test_row_order_does_not_change_the_funnel(rows, rnd):
    rows = [("A", "F", "Started"), *rows]  # at least one stated ethnicity
    shuffled = list(rows)
    rnd.shuffle(shuffled)

    def as_csv(lines):
        return ("Ethnicity,Sex,Outcome\n" + "".join(",".join(r) + "\n" for r in lines)).encode()

    first = read_funnel(as_csv(rows), name="a.csv")
    second = read_funnel(as_csv(shuffled), name="a.csv")
    assert first.counts.equals(second.counts)
    assert first.counts[schema.COUNT].sum() == len(rows)


def test_total_is_preserved_on_a_bigger_random_file():
    rng = random.Random(5)
    rows = [(rng.choice(ETHNICITIES), rng.choice(OUTCOMES)) for _ in range(2000)]
    text = "Ethnicity,Outcome\n" + "".join(f"{e},{o}\n" for e, o in rows)
    funnel = read_funnel(text.encode(), name="r.csv")
    assert funnel.counts[schema.COUNT].sum() == 2000
    expected_started = sum(1 for _, o in rows if o == "Started")
    assert records(funnel, schema.FURTHEST_STAGE)["appointed"] == expected_started


WIDE = """Equal Opportunities Progress,,,,
Ethnic Group,Applications,Shortlisted,Interviewed,Appointed
White,100,40,30,12
Black or Black British,80,20,15,3
Total,180,60,45,15
"""


def test_wide_count_table():
    funnel = read_funnel(WIDE.encode(), name="wide.csv")
    assert funnel.stages == ("applied", "shortlisted", "interviewed", "appointed")
    assert records(funnel, schema.ETHNICITY_WRES, schema.FURTHEST_STAGE) == {
        ("White", "applied"): 60,
        ("White", "shortlisted"): 10,
        ("White", "interviewed"): 18,
        ("White", "appointed"): 12,
        ("BME", "applied"): 60,
        ("BME", "shortlisted"): 5,
        ("BME", "interviewed"): 12,
        ("BME", "appointed"): 3,
    }
    assert funnel.excluded == {"total or subtotal rows": 1}
    roles = [role for role, _, _ in funnel.column_choices]
    assert roles == ["ethnicity", "applied", "shortlisted", "interviewed", "appointed"]


def test_wide_count_table_bad_cell_names_row_and_column():
    text = WIDE.replace("White,100,40", "White,100,forty")
    with pytest.raises(InputDataError) as err:
        read_funnel(text.encode(), name="wide.csv")
    assert str(err.value) == MSG_BAD_COUNT.format(
        file="wide.csv", column="Shortlisted", value="forty", row=3
    )


def test_zero_one_columns_are_flags_not_counts():
    text = "Ethnicity,Shortlisted,Appointed\nA,1,0\nN,0,0\nA,1,1\n"
    funnel = read_funnel(text.encode(), name="flags.csv")
    assert records(funnel, schema.ETHNICITY_WRES, schema.FURTHEST_STAGE) == {
        ("White", "shortlisted"): 1,
        ("White", "appointed"): 1,
        ("BME", "applied"): 1,
    }


FURTHEST_TEXT = [
    "Not shortlisted",
    "Invited for interview",
    "Interview: Reserve",
    "Offer",
    "Appointed",
]


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "N", "H", "Z"]), st.sampled_from(["F", "M"]), st.integers(0, 4)
        ),
        min_size=1,
        max_size=30,
    )
)
def test_rows_and_their_count_table_give_the_same_funnel(rows):
    # An interviewed row keeps it a funnel (outcomes naming only the first and last stage
    # make a one-step comparison, tested on its own).
    rows = [("A", "F", 4), ("A", "F", 2), *rows]
    row_csv = "Ethnicity,Sex,Outcome\n" + "".join(
        f"{e},{g},{FURTHEST_TEXT[s]}\n" for e, g, s in rows
    )
    count_lines = []
    for e in ["A", "N", "H", "Z"]:
        for g in ["F", "M"]:
            for s, name in enumerate(schema.DEFAULT_STAGES):
                reached = sum(1 for re_, rg, rs in rows if (re_, rg) == (e, g) and rs >= s)
                count_lines.append(f"{e},{g},{name},{reached}\n")
    count_csv = "Ethnicity,Sex,Stage,Count\n" + "".join(count_lines)
    keys = [schema.ETHNICITY_DETAILED, schema.GENDER, schema.FURTHEST_STAGE, schema.LEFT_BY]
    from_rows = records(read_funnel(row_csv.encode(), name="r.csv"), *keys)
    from_counts = records(read_funnel(count_csv.encode(), name="c.csv"), *keys)
    assert from_rows == from_counts


FUZZ_HEADERS = [
    "Ethnicity",
    "Sex",
    "Outcome",
    "Stage",
    "Count",
    "Shortlisted",
    "Interview Date",
    "Applicant ID",
    "Disability",
    "Foo",
    "Applications",
    "",
]
FUZZ_CELLS = [
    "A",
    "N",
    "Z",
    "",
    "Appointed",
    "Withdrawn",
    "x",
    '"q,"',
    "1",
    "Yes",
    "12/03/2024",
    "Total",
    "White - British",
    "Not shortlisted",
    "5",
    "-3",
]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(FUZZ_HEADERS), min_size=1, max_size=6),
    st.lists(st.lists(st.sampled_from(FUZZ_CELLS), max_size=7), max_size=8),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_any_small_table_gives_a_funnel_or_a_clear_refusal(header, rows, sep, encoding):
    text = sep.join(header) + "\n" + "".join(sep.join(row) + "\n" for row in rows)
    try:
        funnel = read_funnel(text.encode(encoding), name="f.csv")
    except BiasAuditError as err:
        assert str(err).startswith(("f.csv: ", "--"))
    else:
        assert (funnel.counts[schema.COUNT] > 0).all()
        assert funnel.counts[schema.FURTHEST_STAGE].notna().all()


def test_count_table_of_final_outcomes():
    text = """Ethnicity,Outcome,Count
White,Not shortlisted,60
White,Withdrawn,5
White,Interviewed - unsuccessful,20
White,Appointed,15
BME,Not shortlisted,70
BME,Appointed,4
BME,Offer declined,2
BME,Mystery,3
"""
    funnel = read_funnel(text.encode(), name="o.csv")
    assert records(funnel, schema.ETHNICITY_WRES, schema.FURTHEST_STAGE, schema.LEFT_BY) == {
        ("White", "applied", "not_progressed"): 60,
        ("White", "applied", "withdrew"): 5,
        ("White", "interviewed", "not_progressed"): 20,
        ("White", "appointed", "completed"): 15,
        ("BME", "applied", "not_progressed"): 70,
        ("BME", "offered", "declined_offer"): 2,
        ("BME", "appointed", "completed"): 4,
    }
    assert funnel.excluded == {"outcome not recognised": 3}
    assert NOTE_OUTCOME_COUNTS.format(column="Outcome") in funnel.notes


def test_the_readable_ethnicity_column_wins():
    text = """Ethnic Origin,Ethnic Group,Outcome
British,White,Appointed
Irish,White,Not shortlisted
African,Black,Withdrawn
Indian,Asian,Appointed
"""
    funnel = read_funnel(text.encode(), name="two.csv")
    assert ("ethnicity", "Ethnic Group", "auto") in funnel.column_choices
    assert (
        NOTE_ETHNICITY_SWITCHED.format(
            chosen="Ethnic Group", first="Ethnic Origin", share=1.0, first_share=0.5
        )
        in funnel.notes
    )
    assert records(funnel, schema.ETHNICITY_WRES) == {"White": 2, "BME": 2}
    assert funnel.unplaced == {}
    # an explicit choice is never second-guessed
    chosen = read_funnel(text.encode(), name="two.csv", columns={"ethnicity": "Ethnic Origin"})
    assert chosen.unplaced == {"ethnicity": {"British": 1, "Irish": 1}}


def test_note_says_what_each_outcome_was_read_as():
    text = "Ethnicity,Outcome\nA,Offer declined\nA,Appointed\nN,Appointed\nN,Huh\nA,Offer made\n"
    funnel = read_funnel(text.encode(), name="o.csv")
    assert (
        NOTE_OUTCOMES_READ.format(
            column="Outcome",
            readings='"Appointed" = appointed; "Offer declined" = offered, declined the offer; '
            '"Offer made" = offered',
        )
        in funnel.notes
    )
