"""Saved column mappings: the TOML file read back as written, and every bad file refused
with a message naming the file and the key."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.errors import InputDataError
from bias_audit.io import mapping as m
from bias_audit.io.extract import read_funnel

FILE = "trac.toml"


def refused(text: str) -> str:
    with pytest.raises(InputDataError) as err:
        m.read_mapping(text.encode("utf-8"), name=FILE)
    return str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'colums = {gender = "Sex"}\n',
            m.MSG_MAPPING_UNKNOWN_KEY.format(
                file=FILE, key="colums", known=", ".join(f'"{k}"' for k in m.KEYS)
            ),
        ),
        (
            "sheet = 3\n",
            m.MSG_MAPPING_WRONG_TYPE.format(
                file=FILE,
                key="sheet",
                expected="text",
                found="a number",
                example=m._EXAMPLES["sheet"],
            ),
        ),
        (
            'columns = "Sex"\n',
            m.MSG_MAPPING_WRONG_TYPE.format(
                file=FILE,
                key="columns",
                expected="a table",
                found="text",
                example=m._EXAMPLES["columns"],
            ),
        ),
        (
            "[columns]\ngender = true\n",
            m.MSG_MAPPING_WRONG_TYPE.format(
                file=FILE,
                key="columns.gender",
                expected="text",
                found="true / false",
                example=m._EXAMPLES["columns"],
            ),
        ),
        (
            'stages = "applied,appointed"\n',
            m.MSG_MAPPING_WRONG_TYPE.format(
                file=FILE,
                key="stages",
                expected="a list of stage names",
                found="text",
                example=m._EXAMPLES["stages"],
            ),
        ),
        ('stages = ["applied"]\n', m.MSG_MAPPING_STAGES.format(file=FILE)),
        ('stages = ["applied", "Applied"]\n', m.MSG_MAPPING_STAGES.format(file=FILE)),
        (
            'rows_are = "shortlist"\n',
            m.MSG_MAPPING_ROWS_ARE.format(
                file=FILE, value="shortlist", choices="applications, shortlisted"
            ),
        ),
        ("version = 2\n", m.MSG_MAPPING_VERSION.format(file=FILE, value=2, supported=1)),
        (
            '[columns]\nsex = "Sex"\n',
            m.MSG_MAPPING_UNKNOWN_ROLE.format(
                file=FILE,
                role="sex",
                roles=", ".join(m.cols.ROLES),
                stages="applied, shortlisted, interviewed, offered, appointed",
            ),
        ),
        ('[columns]\nethnicity = ""\n', m.MSG_MAPPING_ETHNICITY_OFF.format(file=FILE)),
        (
            '[outcomes]\n"Offer made" = "hired"\n',
            m.MSG_MAPPING_UNKNOWN_STAGE.format(
                file=FILE,
                text="Offer made",
                target="hired",
                stage="hired",
                stages="applied, shortlisted, interviewed, offered, appointed",
                first="applied",
            ),
        ),
        (
            '[outcomes]\n"Pulled out" = "interviewed:quit"\n',
            m.MSG_MAPPING_LEFT_BY.format(
                file=FILE,
                text="Pulled out",
                left="quit",
                choices=", ".join(m.schema.LEFT_BY_VALUES),
                stage="interviewed",
            ),
        ),
        (
            '[recode.race]\nW1 = "A"\n',
            m.MSG_MAPPING_RECODE_ROLE.format(
                file=FILE, role="race", roles=", ".join(m.cols.ROLE_LABELS)
            ),
        ),
    ],
)
def test_each_bad_file_gets_its_message(text, message):
    assert refused(text) == message


def test_not_toml_names_the_file_and_the_line():
    message = refused('[columns]\ngender = "Sex\n')
    assert message.startswith(f"{FILE}: this is not a readable TOML mapping (")
    assert "line 2" in message


def test_missing_file_says_how_to_write_one(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(InputDataError) as err:
        m.read_mapping(path)
    assert str(err.value) == m.MSG_MAPPING_MISSING.format(file=str(path))


def test_a_large_file_is_not_a_mapping():
    with pytest.raises(InputDataError) as err:
        m.read_mapping(b"#" * (m.MAX_MAPPING_BYTES + 1), name=FILE)
    assert str(err.value) == m.MSG_MAPPING_TOO_LARGE.format(file=FILE, size=m.MAX_MAPPING_BYTES + 1)


def test_a_stage_name_may_name_its_own_column_in_a_custom_ladder():
    mapping = m.read_mapping(
        b'stages = ["applied", "invited", "appointed"]\n[columns]\ninvited = "Invite sent"\n',
        name=FILE,
    )
    assert mapping.audit_options()["columns"] == {"invited": "Invite sent"}
    assert mapping.audit_options()["stages"] == ["applied", "invited", "appointed"]


headers = st.text(min_size=1, max_size=20)


@settings(max_examples=50, deadline=None)
@given(
    columns=st.dictionaries(st.sampled_from(["ethnicity", "gender", "stage", "id"]), headers),
    outcomes=st.dictionaries(headers, st.sampled_from(["applied", "offered:declined_offer"])),
    recode=st.dictionaries(
        st.sampled_from(["ethnicity", "gender"]),
        st.dictionaries(headers, headers, min_size=1),
        max_size=2,
    ),
    sheet=st.none() | headers,
    rows_are=st.sampled_from([None, "applications", "shortlisted"]),
)
def test_any_mapping_reads_back_as_written(columns, outcomes, recode, sheet, rows_are):
    """Any header text (quotes, backslashes, accents, control characters, '=' and '#')
    survives the writer and tomllib."""
    columns = {r: h for r, h in columns.items() if r != "ethnicity" or h.strip()}
    mapping = m.ColumnMapping(
        columns=columns, outcomes=outcomes, recode=recode, sheet=sheet, rows_are=rows_are
    )
    assert m.read_mapping(m.to_toml(mapping), name=FILE) == mapping


@pytest.mark.parametrize(
    ("saved", "given_options", "expected"),
    [
        # A command-line column wins for its role; the others stay as saved.
        (
            m.ColumnMapping(columns={"gender": "Sex", "stage": "Status"}),
            {"columns": {"gender": "Gender"}},
            {"columns": {"gender": "Gender", "stage": "Status"}},
        ),
        # Outcome texts merge; the same text given again takes the new stage.
        (
            m.ColumnMapping(outcomes={"Panel": "interviewed", "Hold": "applied"}),
            {"stages": ["Hold=shortlisted"]},
            {"stages": ["Panel=interviewed", "Hold=shortlisted"]},
        ),
        # A ladder given replaces the saved ladder; saved outcome texts are kept.
        (
            m.ColumnMapping(stages=("applied", "appointed"), outcomes={"Hold": "applied"}),
            {"stages": ["applied", "interviewed", "appointed"]},
            {"stages": ["applied", "interviewed", "appointed", "Hold=applied"]},
        ),
        (
            m.ColumnMapping(sheet="Q1", rows_are="shortlisted", stratify="Post"),
            {"sheet": "Q2", "rows_are": None},
            {"sheet": "Q2", "rows_are": "shortlisted", "stratify": "Post"},
        ),
        (
            m.ColumnMapping(recode={"ethnicity": {"W1": "A", "W2": "B"}}),
            {"recode": {"ethnicity": {"W2": "C"}, "gender": {"X": "Not stated"}}},
            {"recode": {"ethnicity": {"W1": "A", "W2": "C"}, "gender": {"X": "Not stated"}}},
        ),
    ],
)
def test_options_given_win_over_the_saved_mapping(saved, given_options, expected):
    options = saved.overridden_by(m.from_options(**given_options)).audit_options()
    for key, value in expected.items():
        assert options[key] == value


def test_mapping_used_writes_in_what_was_found_in_a_workbook():
    frame = pd.DataFrame(
        {"Ethnic Origin": ["A", "N"] * 5, "Status": ["Appointed", "Not shortlisted"] * 5}
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as book:
        pd.DataFrame({"About": ["cover sheet"]}).to_excel(book, sheet_name="Notes", index=False)
        frame.to_excel(book, sheet_name="Q3 applications", index=False)
    funnel = read_funnel(buffer.getvalue(), name="q3.xlsx")
    used = m.mapping_used(funnel, m.ColumnMapping(outcomes={"Hold": "applied"}))
    assert used.sheet == "Q3 applications"
    assert dict(used.columns) == {"ethnicity": "Ethnic Origin", "stage": "Status"}
    assert used.rows_are == "applications"
    assert dict(used.outcomes) == {"Hold": "applied"}


def test_a_column_the_extract_lacks_is_blamed_on_the_mapping():
    data = b"Ethnic Origin,Status\nA,Appointed\nN,Not shortlisted\n"
    mapping = m.ColumnMapping(columns={"gender": "Sex"}, file=FILE)
    with pytest.raises(InputDataError) as err:
        read_funnel(data, name="q4.csv", columns=mapping.columns)
    explained = m.explain_missing_column(err.value, mapping, data, name="q4.csv")
    assert str(explained) == m.MSG_MAPPING_MISSING_COLUMN.format(
        file=FILE,
        key="columns.gender",
        column="Sex",
        extract="q4.csv",
        headers='"Ethnic Origin", "Status"',
        option="--column gender=",
    )


def test_other_failures_are_left_as_they_are():
    error = InputDataError("something else")
    mapping = m.ColumnMapping(columns={"ethnicity": "Ethnic Origin"}, file=FILE)
    data = b"Ethnic Origin,Status\nA,Appointed\n"
    assert m.explain_missing_column(error, mapping, data, name="x.csv") is error


def test_a_folder_is_not_a_mapping(tmp_path):
    with pytest.raises(InputDataError) as err:
        m.read_mapping(tmp_path)
    assert str(err.value).startswith(f"{tmp_path}: the mapping file cannot be read (")
