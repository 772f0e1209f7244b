"""Age band, religion or belief and sexual orientation as attribute views with the same
statistics; the Disability Confident guaranteed interview scheme table."""

from __future__ import annotations

import pytest

from bias_audit.io import characteristics
from bias_audit.io.columns import detect_columns
from bias_audit.io.extract import read_funnel
from bias_audit.io.stages import make_stage_plan
from bias_audit.services import audit_recruitment
from bias_audit.stats import schema
from bias_audit.stats.rates import (
    GUARANTEED_INTERVIEW_GROUP,
    NO_INTERVIEW_STAGE,
    guaranteed_interview_table,
)

NS = schema.NOT_STATED


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<=20 Years", "20 and under"),
        ("21-25", "21-25"),
        ("21 - 25 Years", "21-25"),
        ("16 to 19", "16-19"),
        (">=71 Years", "71 and over"),
        ("65+", "65 and over"),
        ("Under 25", "Under 25"),
        ("Over 65", "Over 65"),
        ("20", "20 and under"),
        ("34", "31-35"),
        ("70", "66-70"),
        ("80", "71 and over"),
        ("Prefer not to say", NS),
        ("I do not wish to disclose my age", NS),
        ("", NS),
    ],
)
def test_age_band(raw, expected):
    placed = characteristics.place_age_band(raw)
    assert placed.views == (expected,)
    assert placed.placed


@pytest.mark.parametrize("raw", ["Martian", "150", "7", "40-30"])
def test_age_band_unreadable(raw):
    assert not characteristics.place_age_band(raw).placed


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Christianity", "Christianity"),
        ("Christian", "Christianity"),
        ("Roman Catholic", "Christianity"),
        ("Church of England", "Christianity"),
        ("Islam", "Islam"),
        ("Muslim", "Islam"),
        ("Hindu", "Hinduism"),
        ("Sikhism", "Sikhism"),
        ("Jewish", "Judaism"),
        ("Buddhism", "Buddhism"),
        ("Jainism", "Jainism"),
        ("Atheism", "Atheism"),
        ("None", "No religion"),
        ("No religion", "No religion"),
        ("Other", "Other"),
        ("I do not wish to disclose my religion/belief", NS),
        ("Unspecified", NS),
        ("Prefer not to say", NS),
    ],
)
def test_religion(raw, expected):
    placed = characteristics.place_religion(raw)
    assert (placed.views, placed.placed) == ((expected,), True)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", "Heterosexual or straight"),
        ("2", "Gay or lesbian"),
        ("3", "Bisexual"),
        ("4", "Other sexual orientation"),
        ("U", "Undecided or not sure"),
        ("Z", NS),
        ("9", NS),
        ("Heterosexual or Straight", "Heterosexual or straight"),
        ("Gay or Lesbian", "Gay or lesbian"),
        ("Lesbian", "Gay or lesbian"),
        ("Bisexual", "Bisexual"),
        ("Other sexual orientation not listed", "Other sexual orientation"),
        ("Undecided", "Undecided or not sure"),
        ("Not stated (person asked but declined to provide a response)", NS),
        ("I do not wish to disclose my sexual orientation", NS),
        ("Unspecified", NS),
    ],
)
def test_sexual_orientation(raw, expected):
    placed = characteristics.place_sexual_orientation(raw)
    assert (placed.views, placed.placed) == ((expected,), True)


def test_unknown_religion_and_orientation_are_unplaced():
    assert not characteristics.place_religion("Jedi knight").placed
    assert not characteristics.place_sexual_orientation("Martian").placed


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Age Band", "age_band"),
        ("Age Group", "age_band"),
        ("Religious Belief", "religion"),
        ("Religion or Belief", "religion"),
        ("Sexual Orientation", "sexual_orientation"),
        ("Disability Confident", "guaranteed_interview"),
        ("Guaranteed Interview Scheme", "guaranteed_interview"),
        ("GIS", "guaranteed_interview"),
    ],
)
def test_new_columns_are_detected(header, role):
    choice = detect_columns(
        ["Ethnicity", "Disability", header, "Outcome", "Date of Birth"],
        plan=make_stage_plan(None),
        file="x.csv",
    )
    assert choice.roles[role] == header
    assert choice.roles["disability"] == "Disability"
    assert "Date of Birth" not in choice.roles.values()


# --------------------------------------------------------------- an ESR-style extract

AGES = ("<=20 Years", "21-25", "26-30", "31-35", "36-40", ">=71 Years")
RELIGIONS = (
    "Christianity",
    "Islam",
    "Atheism",
    "I do not wish to disclose my religion/belief",
    "Hinduism",
    "Christianity",
)
ORIENTATIONS = ("Heterosexual or Straight", "Gay or Lesbian", "Z", "Heterosexual or Straight")
STATUSES = (
    "Appointed",
    "Not shortlisted",
    "Interview - unsuccessful",
    "Invited to interview",
    "Offer declined",
    "Withdrawn",
    "Not shortlisted",
)


def esr_extract(n: int = 84) -> bytes:
    header = (
        "Assignment Number,Ethnic Origin,Gender,Disability,Age Band,Religious Belief,"
        "Sexual Orientation,Disability Confident,Application Status"
    )
    lines = [header]
    for i in range(n):
        lines.append(
            ",".join(
                [
                    f"E{i:05d}",
                    "A White - British" if i % 2 else "H Asian or Asian British - Indian",
                    "Female" if i % 3 else "Male",
                    "Yes" if i % 4 == 0 else "No",
                    AGES[i % 6],
                    RELIGIONS[i % 6],
                    ORIENTATIONS[i % 4],
                    "Yes" if i % 4 == 0 else "No",
                    STATUSES[i % 7],
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode()


def group_sizes(funnel, attribute):
    sizes = funnel.counts.groupby(attribute)[schema.COUNT].sum()
    return {k: int(v) for k, v in sizes.items() if v}


def test_esr_extract_gives_the_new_views():
    funnel = read_funnel(esr_extract(), name="esr.csv")
    assert funnel.attributes == schema.ATTRIBUTE_VIEWS
    assert funnel.unread == {}
    # 84 rows cycle every 6 for age and religion (14 each), every 4 for orientation (21).
    assert group_sizes(funnel, schema.AGE_BAND) == {
        "20 and under": 14,
        "21-25": 14,
        "26-30": 14,
        "31-35": 14,
        "36-40": 14,
        "71 and over": 14,
    }
    assert group_sizes(funnel, schema.RELIGION) == {
        "Christianity": 28,
        "Islam": 14,
        "Atheism": 14,
        NS: 14,
        "Hinduism": 14,
    }
    assert group_sizes(funnel, schema.SEXUAL_ORIENTATION) == {
        "Heterosexual or straight": 42,
        "Gay or lesbian": 21,
        NS: 21,
    }


def test_new_views_get_the_same_statistics():
    funnel = read_funnel(esr_extract(), name="esr.csv")
    audit = audit_recruitment(funnel, suppression=False)
    assert audit.references[schema.RELIGION] == "Christianity"  # the largest group
    assert audit.references[schema.SEXUAL_ORIENTATION] == "Heterosexual or straight"
    table = audit.transitions
    first = table[(table["attribute"] == schema.RELIGION) & (table["step"] == 0)]
    rows = {r["group"]: r for r in first.to_dict("records")}
    # Hand count, applied -> shortlisted, religion Islam (i % 6 == 1): i = 1, 7, …, 79.
    islam = [i for i in range(84) if i % 6 == 1]
    withdrawn = sum(1 for i in islam if STATUSES[i % 7] == "Withdrawn")
    shortlisted = sum(1 for i in islam if STATUSES[i % 7] not in ("Not shortlisted", "Withdrawn"))
    assert rows["Islam"]["entered"] == len(islam) - withdrawn
    assert rows["Islam"]["progressed"] == shortlisted
    assert rows["Islam"]["relative_likelihood"] is not None
    assert rows[NS]["relative_likelihood"] is None  # not stated: visible, not compared
    assert any("no stated sexual orientation" in w for w in audit.warnings)


# ------------------------------------------------------- guaranteed interview scheme


def test_guaranteed_interview_table_hand_counted():
    funnel = read_funnel(esr_extract(), name="esr.csv")
    table = guaranteed_interview_table(funnel)
    flagged = [i for i in range(84) if i % 4 == 0]
    status = [STATUSES[i % 7] for i in flagged]
    reached = sum(s in ("Appointed", "Interview - unsuccessful", "Offer declined") for s in status)
    withdrew = sum(s == "Withdrawn" for s in status)
    assert table.to_dict("records") == [
        {
            "group": GUARANTEED_INTERVIEW_GROUP,
            "stage": "interviewed",
            "applicants": 21,
            "reached": reached,
            "not_reached": 21 - reached,
            "withdrew_before": withdrew,
            "share": reached / 21,
            "not_computable": "",
        }
    ]
    assert (reached, withdrew) == (9, 3)


def test_guaranteed_interview_published_through_the_count_labels():
    funnel = read_funnel(esr_extract(), name="esr.csv")
    shown = audit_recruitment(funnel, suppression=True).guaranteed_interview
    row = shown.to_dict("records")[0]
    # 21 applicants -> 20; 9 reached -> 10; 12 not reached -> 10; 3 withdrew -> "≤7".
    assert (row["applicants"], row["reached"], row["not_reached"]) == (20, 10, 10)
    assert row["withdrew_before"] == "≤7"
    assert row["share"] == pytest.approx(10 / 20)
    small = read_funnel(esr_extract(28), name="esr.csv")
    row = audit_recruitment(small, suppression=True).guaranteed_interview.iloc[0]
    # 7 flagged: every count is small, the share is withheld.
    assert row["applicants"] == "≤7"
    assert row["share"] is None
    exact = audit_recruitment(funnel, suppression=False).to_dict()["guaranteed_interview"]
    assert exact[0]["applicants"] == 21


def test_guaranteed_interview_needs_an_interview_stage():
    text = "Ethnicity,GIS,Outcome\nA,Yes,Appointed\nN,Yes,Not appointed\nA,No,Not appointed\n"
    funnel = read_funnel(text.encode(), name="g.csv")
    table = guaranteed_interview_table(funnel)
    assert table.iloc[0]["not_computable"] == NO_INTERVIEW_STAGE
    assert table.iloc[0]["share"] is None


def test_no_scheme_column_no_table():
    funnel = read_funnel(b"Ethnicity,Outcome\nA,Appointed\nN,Interviewed\n", name="x.csv")
    assert guaranteed_interview_table(funnel) is None
    assert audit_recruitment(funnel).to_dict()["guaranteed_interview"] is None


def test_cli_and_python_api_carry_the_new_views(tmp_path, capsys):
    import json

    from bias_audit import cli
    from bias_audit.services import audit_extract

    path = tmp_path / "esr.csv"
    path.write_bytes(esr_extract())
    with pytest.raises(SystemExit) as done:
        cli.main(["recruitment", str(path), "--format", "json"])
    assert done.value.code in (0, None)
    report = json.loads(capsys.readouterr().out)
    attributes = {block["attribute"] for block in report["transitions"]}
    assert {schema.AGE_BAND, schema.RELIGION, schema.SEXUAL_ORIENTATION} <= attributes
    assert report["guaranteed_interview"][0]["applicants"] == 20  # 21, published rounded
    api = audit_extract(str(path), suppression=False, rows_are="applications", max_bytes=10**6)
    assert api.guaranteed_interview.iloc[0]["applicants"] == 21
