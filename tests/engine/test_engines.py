"""The out-of-core engine gives the very audit the in-memory reader gives, row for row.

Each real-shape extract (tests/engine/engine_cases.py) is counted by pandas and by DuckDB
and everything the statistics receive compared, and the example's whole audit JSON too;
hand-counted figures pin what both must say; bad input gives
the same words from both.
"""

from __future__ import annotations

import json
import tempfile

import pytest
from engine_cases import CASES, ID_SPELLINGS, audit_json, funnel_json, ids_csv, write_case
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bias_audit import cli
from bias_audit.cli import app
from bias_audit.engine import tally
from bias_audit.engine.choice import MSG_ENGINE
from bias_audit.engine.tally import count_empty_lines
from bias_audit.errors import InputDataError, OptionError
from bias_audit.io import extract
from bias_audit.io.extract import read_funnel
from bias_audit.io.parquet import MSG_BAD_PARQUET
from bias_audit.io.source import MSG_MISLABELLED, MSG_TOO_BIG


@pytest.mark.parametrize("case", sorted(CASES))
def test_duckdb_counts_what_pandas_counts(case, tmp_path):
    """The counting step, whose result is all the statistics see, is identical row for row."""
    path, options = write_case(case, tmp_path)
    assert funnel_json(path, "duckdb", **options) == funnel_json(path, "pandas", **options)


def test_duckdb_gives_the_same_audit_as_pandas(tmp_path):
    """And the whole audit JSON on the example extract (statistics, disclosure control)."""
    path, options = write_case("example_extract", tmp_path)
    assert audit_json(path, "duckdb", **options) == audit_json(path, "pandas", **options)


def test_hand_counted_blank_lines_total_row_and_repeated_ids(tmp_path):
    path, _ = write_case("trac_cp1252", tmp_path)
    funnel = read_funnel(path, engine="duckdb")
    # 3 blank lines inside the data and 1 at the end; one ";Total;;;" row; 400 rows over
    # 390 ids: 10 repeats.
    assert funnel.excluded["blank rows"] == 4
    assert funnel.excluded["total or subtotal rows"] == 1
    assert any(w.startswith("10 rows repeat an id") for w in funnel.warnings)
    assert (
        int(funnel.counts["count"].sum())
        + sum(
            n
            for k, n in funnel.excluded.items()
            if k not in ("blank rows", "total or subtotal rows")
        )
        == 400
    )


def test_dates_are_folded_but_read_as_reached(tmp_path):
    path, _ = write_case("stage_dates", tmp_path)
    funnel = read_funnel(path, engine="duckdb")
    by_stage = funnel.counts.groupby("furthest_stage", observed=True)["count"].sum().to_dict()
    # i odd: shortlisted (300); i % 4 == 1: interviewed (150); i % 8 == 1: offered (75);
    # i % 16 == 1: appointed (38). Furthest: 300-150, 150-75, 75-38, 38; the rest applied.
    assert by_stage == {"applied": 300, "shortlisted": 150, "interviewed": 75, "offered": 37,
                        "appointed": 38}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "header_row", "expected"),
    [
        (b"A,B\nx,y\n", 0, 0),
        (b"A,B\n\nx,y\n\n\n", 0, 3),
        (b"T\r\n\r\nA,B\r\nx,y\r\n\r\nz,w\r\n", 2, 1),
        (b"A,B\rx,y\r\r\rz,w", 0, 2),
        (b"A,B\n,\n  \nx,y", 0, 0),
    ],
)
def test_empty_lines_counted_like_pandas_blank_rows(tmp_path, text, header_row, expected):
    path = tmp_path / "x.csv"
    path.write_bytes(text)
    assert count_empty_lines(str(path), header_row) == expected
    # With the rows the engine read (the non-empty lines), the quick count agrees.
    rows = len([line for line in text.splitlines()[header_row + 1 :] if line])
    assert count_empty_lines(str(path), header_row, rows=rows) == expected


@pytest.mark.parametrize("block", [2, 3, 5, 7, 1 << 20])
def test_empty_lines_across_block_boundaries(tmp_path, monkeypatch, block):
    path = tmp_path / "x.csv"
    path.write_bytes(b"A,B\n" + b"x,y\n\n" * 50 + b"\r\n\r\n" + b"z\r\r\r")
    monkeypatch.setattr(tally, "SCAN_BLOCK_BYTES", block)
    # 50 "\n\n", then "\n\r\n\r\n" (2 empty lines), then "\r\r\r" (2)
    assert count_empty_lines(str(path), 0) == 54


def test_parquet_that_is_not_says_so_in_both_engines(tmp_path):
    path = tmp_path / "extract.parquet"
    path.write_bytes(b"Ethnicity,Outcome\nA,Appointed\n")
    messages = set()
    for engine in ("pandas", "duckdb"):
        with pytest.raises(InputDataError) as caught:
            read_funnel(path, engine=engine)
        messages.add(str(caught.value))
    assert messages == {
        MSG_MISLABELLED.format(
            file="extract.parquet",
            suffix=".parquet",
            expected="a Parquet file",
            why="it is plain text",
            save_as='an .xlsx workbook or "CSV UTF-8"',
        )
    }


def test_damaged_parquet_is_refused_clearly(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 64)
    for engine in ("pandas", "duckdb"):
        with pytest.raises(InputDataError, match=r"^broken\.parquet: the Parquet file could not"):
            read_funnel(path, engine=engine)
    assert MSG_BAD_PARQUET.startswith("{file}: the Parquet file could not be read")


def test_missing_column_same_message_in_both_engines(tmp_path):
    path, _ = write_case("parquet_typed", tmp_path)
    messages = set()
    for engine in ("pandas", "duckdb"):
        with pytest.raises(InputDataError) as caught:
            read_funnel(path, engine=engine, columns={"ethnicity": "Ethnicity Code"})
        messages.add(str(caught.value))
    assert len(messages) == 1 and '"Ethnicity Code"' in messages.pop()


def test_over_the_memory_limit_goes_out_of_core_not_refused(tmp_path, monkeypatch):
    path, _ = write_case("stage_dates", tmp_path)
    limit = path.stat().st_size // 2
    monkeypatch.setattr(extract, "DEFAULT_MAX_BYTES", limit)  # the in-memory limit
    funnel = read_funnel(path)  # auto: DuckDB takes it
    assert int(funnel.counts["count"].sum()) == 600
    too_big = MSG_TOO_BIG.split("{size}")[0].format(file="dates.csv")
    with pytest.raises(InputDataError) as caught:
        read_funnel(path, engine="pandas")
    assert str(caught.value).startswith(too_big)
    # A limit the user gives holds for every engine.
    with pytest.raises(InputDataError) as caught:
        read_funnel(path, engine="duckdb", max_bytes=limit)
    assert str(caught.value).startswith(too_big)


def test_unknown_engine_is_an_option_error():
    with pytest.raises(OptionError) as caught:
        read_funnel(b"a,b\n", engine="polars")
    assert str(caught.value) == MSG_ENGINE.format(
        value="polars", choices="auto, pandas, duckdb, spark"
    )


def test_cli_engine_option(tmp_path, capsys):
    path, _ = write_case("trac_cp1252", tmp_path)
    runner = CliRunner()
    outputs = [
        runner.invoke(app, ["recruitment", str(path), "--format", "json", "--engine", engine])
        for engine in ("pandas", "duckdb")
    ]
    assert [o.exit_code for o in outputs] == [0, 0]
    assert json.loads(outputs[0].stdout) == json.loads(outputs[1].stdout)
    with pytest.raises(SystemExit) as stopped:
        cli.main(["recruitment", str(path), "--engine", "polars"])
    assert stopped.value.code == 2
    assert "--engine 'polars': use one of auto, pandas, duckdb, spark." in capsys.readouterr().err


def test_cp1252_further_down_than_the_encoding_sample(tmp_path, monkeypatch):
    monkeypatch.setattr(extract, "ENCODING_SAMPLE_BYTES", 200)
    lines = ["Ethnic Origin,Sex,Application Status"]
    lines += ["A White - British,Female,Not shortlisted", "N,Male,Appointed"] * 40
    lines += ["H,Female,Appointed – started"]  # an en dash in cp1252, after 3 KB
    path = tmp_path / "late.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    funnel = read_funnel(path, engine="duckdb")
    assert "Read as CSV text in cp1252, separator comma." in funnel.notes
    assert audit_json(path, "duckdb") == audit_json(path, "pandas")


def test_rival_ethnicity_column_chosen_on_weighted_combinations(tmp_path):
    path, options = write_case("appointed_flag", tmp_path)
    funnel = read_funnel(path, engine="duckdb", **options)
    # "Ethnicity" holds only "British" (not a code): the code column is read instead.
    assert funnel.notes[1].startswith(
        'ethnicity: used "Ethnic Origin Code" rather than "Ethnicity" because more of its'
    )


def test_engine_leaves_no_temporary_files_even_on_error(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    path, _ = write_case("trac_cp1252", tmp_path)  # re-encoded into a UTF-8 copy
    read_funnel(path, engine="duckdb")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        "Ethnic Origin,Application Status\nA,Appointed – started\nN,No,extra\n".encode("cp1252")
    )
    with pytest.raises(InputDataError) as caught:
        read_funnel(bad, engine="duckdb")
    assert str(caught.value).startswith("bad.csv: the CSV could not be read: ")
    assert list(scratch.iterdir()) == []


def _ids_extract(path, ids):
    path.write_bytes(ids_csv(ids))
    return str(path)


# No blank or total row, so DuckDB counts the ids in the combinations' own scan (a second
# grouping set). A1 ×3, B2 ×2, C3, D4 ×2, E5: 9 rows over 5 distinct ids, 4 repeats.
REPEATING_IDS = ["A1", "A1", "B2", "A1", "B2", "C3", "D4", "D4", "E5"]


@pytest.mark.parametrize("engine", ["duckdb", "pandas"])
def test_repeated_ids_counted_in_the_combinations_scan(engine, tmp_path):
    funnel = read_funnel(_ids_extract(tmp_path / "ids.csv", REPEATING_IDS), engine=engine)
    assert any(w.startswith("4 rows repeat an id") for w in funnel.warnings), funnel.warnings
    assert int(funnel.counts["count"].sum()) == 9


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_blank_ids_are_not_repeats(tmp_path, engine):
    # Two empty ids and one of spaces are not ids: still 4 repeats over 12 rows.
    path = _ids_extract(tmp_path / "ids.csv", [*REPEATING_IDS, "", "   ", ""])
    funnel = read_funnel(path, engine=engine)
    assert any(w.startswith("4 rows repeat an id") for w in funnel.warnings), funnel.warnings
    assert int(funnel.counts["count"].sum()) == 12


def _repeats(funnel) -> int:
    found = [w for w in funnel.warnings if " rows repeat an id" in w]
    return int(found[0].split(" rows repeat")[0]) if found else 0


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_ids_in_every_spelling_counted_alike(tmp_path, engine):
    path = _ids_extract(tmp_path / "ids.csv", ID_SPELLINGS)
    funnel = read_funnel(path, engine=engine)
    assert _repeats(funnel) == 6
    assert int(funnel.counts["count"].sum()) == len(ID_SPELLINGS)


# Parquet ids are read on their own: whole numbers spanning under ID_BITMAP_SPAN values are
# marked in one bit string, wider ones grouped in buckets, others (floats, text) as text.
@pytest.mark.parametrize(
    ("ids", "repeats"),
    [
        ([3, 3, 64, 127, 127, None, -1, -1], 3),  # one bit string from -1 to 127
        ([3, 3, 2**40, 2**40, -(2**50), 5, None, 5], 3),  # too wide: buckets
        ([1.0, 1.0, 2.5, None], 1),
        (["7", "007", "7", " ", "\u00a0", None, "A1", "A1"], 2),  # blanks are not ids
    ],
)
def test_typed_parquet_ids_counted_alike(tmp_path, ids, repeats):
    import pandas as pd

    whole = isinstance(ids[0], int)
    frame = pd.DataFrame(
        {
            "Applicant ID": pd.array(ids, dtype="Int64" if whole else None),
            "Ethnic Origin": ["A White - British", "H Indian"] * (len(ids) // 2),
            "Application Status": ["Appointed", "Not shortlisted"] * (len(ids) // 2),
        }
    )
    path = tmp_path / "ids.parquet"
    frame.to_parquet(path, index=False)
    counted = {engine: _repeats(read_funnel(path, engine=engine)) for engine in ENGINES}
    assert counted == dict.fromkeys(ENGINES, repeats)


def test_parquet_bit_string_span_is_where_the_buckets_take_over(tmp_path, monkeypatch):
    """Ids spanning exactly the bit string's limit go to buckets; one fewer, the bit string;
    both count alike (2 repeats of 4 ids)."""
    import pandas as pd

    ids = [10, 10 + 40, 10, 10 + 40, 17, 23]
    frame = pd.DataFrame(
        {
            "Applicant ID": pd.array(ids, dtype="Int64"),
            "Ethnic Origin": ["A White - British", "H Indian"] * 3,
            "Application Status": ["Appointed", "Not shortlisted"] * 3,
        }
    )
    path = tmp_path / "ids.parquet"
    frame.to_parquet(path, index=False)
    queries = []
    original = tally.EngineCount._run

    def spy(self, query):
        queries.append(query)
        return original(self, query)

    monkeypatch.setattr(tally.EngineCount, "_run", spy)
    for span, bit_string in ((41, True), (40, False)):
        monkeypatch.setattr(tally, "ID_BITMAP_SPAN", span)
        queries.clear()
        assert _repeats(read_funnel(path, engine="duckdb")) == 2
        assert any("bitstring_agg" in q for q in queries) is bit_string


# Pieces that build near-dates: digits of every length the patterns count, every separator
# and some that are not, letters, white space and a non-ASCII digit.
FOLD_PIECES = ["", "0", "1", "12", "123", "2024", "12345", "x", "a1", " ", "\t", "/", "-", ".",
               ",", ":", "\u0663"]  # fmt: skip


@given(
    values=st.lists(
        st.one_of(
            st.lists(st.sampled_from(FOLD_PIECES), max_size=8).map("".join),
            st.sampled_from(
                [
                    "12/03/2024",
                    "2024-03-12",
                    "1/2/3",
                    " 12.03.24",
                    "12/0a/2024",
                    "123/4/5",
                    "12345-6-7",
                    "1a/03/2024",
                    "12,03,2024",
                    "",
                ]
            ),
        ),
        max_size=60,
    )
)
@settings(max_examples=40, deadline=None)
def test_duckdb_date_fold_is_the_regular_expressions_own(values):
    """The glob shortcuts fold exactly the values DATE_LIKE alone folds (Spark's way)."""
    _assert_folds_alike(values)


# Each shape the globs take, with every one of its first ten characters in turn made a
# letter, a separator, a digit, a space or a comma: each a date or a near miss.
NEAR_DATES = [
    date[:i] + other + date[i + 1 :]
    for date in ("12/03/2024", "2024-03-12", "01.3.24")
    for i in range(len(date))
    for other in "x/5 ,"
]


def test_duckdb_date_fold_on_every_near_miss():
    assert len(NEAR_DATES) == 5 * (10 + 10 + 7)
    _assert_folds_alike(NEAR_DATES)


def _assert_folds_alike(values):
    import ibis
    import pandas as pd

    column = pd.Series([*values, None], dtype=object)
    table = ibis.memtable(pd.DataFrame({"v": column}), schema={"v": "string"})
    fast = tally._flag_text(table.v, "duckdb")
    plain = tally._flag_text(table.v, "spark")
    found = ibis.duckdb.connect().execute(table.select(fast=fast, plain=plain))
    assert found["fast"].fillna("<null>").tolist() == found["plain"].fillna("<null>").tolist()


ENGINES = ("pandas", "duckdb")


@given(
    lines=st.lists(st.sampled_from(["a,b", "", "x", "1,2,3"]), min_size=0, max_size=30),
    end=st.sampled_from(["\n", "\r\n", "\r"]),
    last_end=st.booleans(),
    block=st.sampled_from([1, 2, 3, 16, 1 << 20]),
)
@settings(max_examples=60, deadline=None)
def test_line_ends_counted_like_python(lines, end, last_end, block):
    body = end.join(lines) + (end if last_end and lines else "")
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/x.csv"
        with open(path, "wb") as out:
            out.write(("A,B" + end + body).encode())
        original = tally.SCAN_BLOCK_BYTES
        tally.SCAN_BLOCK_BYTES = block
        try:
            counted = tally._lines_below(path, len("A,B" + end) - 1)
        finally:
            tally.SCAN_BLOCK_BYTES = original
    assert counted == len(body.splitlines())


def test_white_space_list_is_pythons_own():
    assert set(tally.WHITE_SPACE) == {n for n in range(0x110000) if chr(n).isspace()}
