"""`bias-audit recruitment --save-mapping / --mapping`: next quarter's extract needs no
options; options given win; a bad mapping file stops with exit 2 and a message naming it."""

from __future__ import annotations

import json
import tomllib

import pytest

from bias_audit import cli
from bias_audit.commands import recruitment as cmd
from bias_audit.io import mapping as m

# A system with headers the tool does not guess and one outcome text it does not know.
HEADER = "Cand No,Heritage,Sex,Status,Vacancy\n"
PEOPLE = [("A", "Female"), ("N", "Male"), ("H", "Female"), ("J", "Male")]
OUTCOMES = [("Appointed", 6), ("Panel 2", 5), ("Not shortlisted", 9), ("Withdrawn", 1)]


def extract(tmp_path, name="q1.csv", tweak=""):
    rows, number = [], 0
    for code, sex in PEOPLE:
        for outcome, n in OUTCOMES:
            for i in range(n + (len(tweak) if code == "N" else 0)):
                number += 1
                rows.append(f"{number},{code},{sex},{outcome},V{i % 2}")
    path = tmp_path / name
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        cli.main(list(args))
        code = 0
    except SystemExit as stop:
        code = stop.code or 0
    out, err = capsys.readouterr()
    return code, out, err


FIRST_TIME = (
    "--column",
    "ethnicity=Heritage",
    "--column",
    "id=Cand No",
    "--stages",
    "Panel 2=interviewed",
    "--stratify",
    "Vacancy",
)


def test_saved_mapping_reads_next_quarter_with_no_options(tmp_path, capsys):
    q1, saved = extract(tmp_path), tmp_path / "trac.toml"
    code, first, err = run(
        capsys,
        "recruitment",
        str(q1),
        "--format",
        "json",
        *FIRST_TIME,
        "--save-mapping",
        str(saved),
    )
    assert code == 0, err
    assert cmd.MSG_MAPPING_SAVED.format(path=saved) in err
    written = tomllib.loads(saved.read_text(encoding="utf-8"))
    # The auto-detected choices are written in too (Sex, Status), with what was given.
    assert written["columns"] == {
        "ethnicity": "Heritage",
        "id": "Cand No",
        "gender": "Sex",
        "stage": "Status",
    }
    assert written["outcomes"] == {"Panel 2": "interviewed"}
    assert written["stratify"] == "Vacancy" and written["rows_are"] == "applications"

    code, again, err = run(
        capsys, "recruitment", str(q1), "--format", "json", "--mapping", str(saved)
    )
    assert code == 0, err
    before, after = json.loads(first), json.loads(again)
    # Same audit; only the account of how each column was chosen differs.
    assert {k: v for k, v in before.items() if k != "reading"} == {
        k: v for k, v in after.items() if k != "reading"
    }
    pairs = {c["role"]: c["column"] for c in after["reading"]["columns"]}
    assert pairs == {c["role"]: c["column"] for c in before["reading"]["columns"]}
    assert f"ethnicity: Heritage (mapping {saved})" in err


def test_options_given_override_the_mapping(tmp_path, capsys):
    q1, saved = extract(tmp_path), tmp_path / "trac.toml"
    saved.write_bytes(
        m.to_toml(
            m.ColumnMapping(
                columns={"ethnicity": "Heritage", "gender": ""},  # gender switched off
                outcomes={"Panel 2": "interviewed"},
            )
        )
    )
    code, out, err = run(
        capsys, "recruitment", str(q1), "--format", "json", "--mapping", str(saved)
    )
    assert code == 0, err
    assert "gender" not in {b["attribute"] for b in json.loads(out)["transitions"]}
    # --column gender=Sex wins over the mapping's "switched off"; the outcome given wins too.
    code, out, err = run(
        capsys,
        "recruitment",
        str(q1),
        "--format",
        "json",
        "--mapping",
        str(saved),
        "--column",
        "gender=Sex",
        "--stages",
        "Panel 2=shortlisted",
        "--no-suppression",
    )
    assert code == 0, err
    data = json.loads(out)
    assert "gender" in {b["attribute"] for b in data["transitions"]}
    assert "gender: Sex (--column)" in err and f"ethnicity: Heritage (mapping {saved})" in err
    # "Panel 2" (5 of 21 per group) now stops at shortlisting: nobody in it was interviewed.
    interviewed = next(
        b
        for b in data["transitions"]
        if b["attribute"] == "ethnicity_wres" and b["to"] == "interviewed"
    )
    white = next(g for g in interviewed["groups"] if g["group"] == "White")
    assert white["entered"] == 6 + 5  # appointed and Panel 2 reached shortlisting
    assert white["progressed"] == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '[columns]\nethnicity = "Heritage"\ncolour = "x"\n',
            m.MSG_MAPPING_UNKNOWN_ROLE.format(
                file="{file}",
                role="colour",
                roles=", ".join(m.cols.ROLES),
                stages="applied, shortlisted, interviewed, offered, appointed",
            ),
        ),
        (
            "sheet = 1\n",
            m.MSG_MAPPING_WRONG_TYPE.format(
                file="{file}",
                key="sheet",
                expected="text",
                found="a number",
                example='sheet = "Applications"',
            ),
        ),
        (
            'colmns = {ethnicity = "Heritage"}\n',
            m.MSG_MAPPING_UNKNOWN_KEY.format(
                file="{file}", key="colmns", known=", ".join(f'"{k}"' for k in m.KEYS)
            ),
        ),
        (
            '[columns]\nethnicity = "Ethnic Origin"\n',
            m.MSG_MAPPING_MISSING_COLUMN.format(
                file="{file}",
                key="columns.ethnicity",
                column="Ethnic Origin",
                extract="q1.csv",
                headers='"Cand No", "Heritage", "Sex", "Status", "Vacancy"',
                option="--column ethnicity=",
            ),
        ),
    ],
)
def test_a_bad_mapping_stops_with_exit_2_and_names_file_and_key(tmp_path, capsys, content, message):
    q1, saved = extract(tmp_path), tmp_path / "bad.toml"
    saved.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "recruitment", str(q1), "--mapping", str(saved))
    assert code == 2 and out == ""
    assert err == f"bias-audit: error: {message.replace('{file}', str(saved))}\n"


def test_a_missing_column_given_on_the_command_line_is_not_blamed_on_the_mapping(tmp_path, capsys):
    q1, saved = extract(tmp_path), tmp_path / "trac.toml"
    saved.write_bytes(m.to_toml(m.ColumnMapping(columns={"ethnicity": "Heritage"})))
    code, _, err = run(
        capsys, "recruitment", str(q1), "--mapping", str(saved), "--column", "gender=Gender"
    )
    assert code == 2
    assert '--column gender="Gender": there is no column with that header' in err
    assert str(saved) not in err


def test_missing_mapping_file_exit_2(tmp_path, capsys):
    q1 = extract(tmp_path)
    code, _, err = run(capsys, "recruitment", str(q1), "--mapping", str(tmp_path / "no.toml"))
    assert code == 2
    assert (
        err
        == "bias-audit: error: " + m.MSG_MAPPING_MISSING.format(file=tmp_path / "no.toml") + "\n"
    )
