"""The synthetic extract: seeded, the right shape, readable, and carrying its planted effects."""

from pathlib import Path

import numpy as np
import pytest

from bias_audit.io.extract import read_funnel
from bias_audit.stats import schema
from bias_audit.synthetic import (
    COLUMNS,
    EXAMPLE_APPLICATIONS,
    PLANTED_EFFECTS,
    _simulate,
    make_synthetic_counts,
    make_synthetic_extract,
    write_example_data,
    write_synthetic_extract,
)

N = 200_000


@pytest.fixture(scope="module")
def funnel(tmp_path_factory):
    path = tmp_path_factory.mktemp("synthetic") / "extract.csv"
    write_synthetic_extract(path, N, seed=7)
    return read_funnel(path)


def reach_rate(counts, attribute, group, start, end, stages):
    """Progression rate start -> end, with withdrawals/declines at `start`..`end` excluded."""
    rows = counts[counts[attribute] == group]
    position = rows[schema.FURTHEST_STAGE].map(stages.index).astype(int)
    entered = rows[position >= stages.index(start)]
    left_early = entered[
        entered[schema.LEFT_BY].isin([schema.LEFT_BY_WITHDREW, schema.LEFT_BY_DECLINED])
        & (entered[schema.FURTHEST_STAGE].map(stages.index).astype(int) < stages.index(end))
    ]
    n = entered[schema.COUNT].sum() - left_early[schema.COUNT].sum()
    k = entered[entered[schema.FURTHEST_STAGE].map(stages.index).astype(int) >= stages.index(end)][
        schema.COUNT
    ].sum()
    return k / n


def test_same_seed_same_extract_other_seed_differs():
    a = make_synthetic_extract(5000, seed=3)
    assert a.equals(make_synthetic_extract(5000, seed=3))
    assert not a.equals(make_synthetic_extract(5000, seed=4))
    assert tuple(a.columns) == COLUMNS
    assert a["Applicant ID"].is_unique


def test_reader_recovers_every_simulated_stage_exactly(funnel):
    truth = _simulate(N, 7)
    expected = np.bincount(truth.stage, minlength=5)
    got = funnel.counts.groupby(schema.FURTHEST_STAGE, observed=False)[schema.COUNT].sum()
    assert got.tolist() == expected.tolist()
    left = funnel.counts.groupby(schema.LEFT_BY)[schema.COUNT].sum()
    for index, name in enumerate(schema.LEFT_BY_VALUES):
        assert left.get(name, 0) == np.count_nonzero(truth.left_by == index)
    assert funnel.warnings == ()
    assert funnel.unplaced == {}


def test_extract_is_cp1252_with_en_dash(tmp_path):
    path = tmp_path / "x.csv"
    write_synthetic_extract(path, 3000, seed=1)
    raw = path.read_bytes()
    assert b"\x96" in raw  # en dash in cp1252
    raw.decode("cp1252")


@pytest.mark.parametrize(
    ("effect", "attribute", "group", "reference"),
    [
        ("shortlisting_bme_vs_white", schema.ETHNICITY_WRES, "BME", "White"),
        ("appointment_white_vs_bme", schema.ETHNICITY_WRES, "White", "BME"),
        ("appointment_non_disabled_vs_disabled", schema.DISABILITY, "Not disabled", "Disabled"),
        ("gender_parity", schema.GENDER, "Female", "Male"),
    ],
)
def test_planted_effects_are_in_the_data(funnel, effect, attribute, group, reference):
    planted = PLANTED_EFFECTS[effect]
    start, end = planted["transition"]
    stages = list(funnel.stages)
    ratio = reach_rate(funnel.counts, attribute, group, start, end, stages) / reach_rate(
        funnel.counts, attribute, reference, start, end, stages
    )
    assert ratio == pytest.approx(planted["ratio"], rel=0.08)


def test_memory_per_row_allows_ten_million_rows():
    """At under 40 bytes a row, ten million applications take under 400 MB."""
    frame = make_synthetic_extract(200_000)
    per_row = frame.memory_usage(deep=True).sum() / len(frame)
    assert per_row < 40


EXAMPLE = Path(__file__).resolve().parents[1] / "example_data"


def test_example_files_regenerate_byte_for_byte(tmp_path):
    write_example_data(tmp_path)
    for name in ("recruitment_extract.csv", "recruitment_counts.csv"):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


def test_example_extract_reads_cleanly_with_planted_effects():
    funnel = read_funnel(EXAMPLE / "recruitment_extract.csv")
    assert funnel.counts[schema.COUNT].sum() == EXAMPLE_APPLICATIONS
    assert (funnel.warnings, funnel.excluded, funnel.unplaced) == ((), {}, {})
    assert any("cp1252" in note for note in funnel.notes)
    stages = list(funnel.stages)
    white = reach_rate(
        funnel.counts, schema.ETHNICITY_WRES, "White", "shortlisted", "appointed", stages
    )
    bme = reach_rate(
        funnel.counts, schema.ETHNICITY_WRES, "BME", "shortlisted", "appointed", stages
    )
    assert white / bme == pytest.approx(1.50, abs=0.01)  # the figure in example_data/README.md


def test_example_counts_match_the_extract():
    rows = read_funnel(EXAMPLE / "recruitment_extract.csv")
    counts = read_funnel(EXAMPLE / "recruitment_counts.csv")
    assert counts.counts[schema.COUNT].sum() == EXAMPLE_APPLICATIONS

    def by_group_and_stage(funnel):
        table = funnel.counts.groupby(
            [schema.ETHNICITY_GROUP, schema.FURTHEST_STAGE], observed=True
        )[schema.COUNT].sum()
        return table.to_dict()

    assert by_group_and_stage(rows) == by_group_and_stage(counts)


def test_synthetic_counts_are_reached_counts():
    table = make_synthetic_counts(3000, seed=9)
    wide = table.pivot_table(
        index=["Ethnic Group", "Sex"], columns="Stage", values="Number of applicants", aggfunc="sum"
    )
    order = [s.capitalize() for s in schema.DEFAULT_STAGES]
    wide = wide[order].to_numpy()
    assert (wide[:, :-1] >= wide[:, 1:]).all()
    assert wide[:, 0].sum() == 3000


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
def test_fast_writer_matches_pandas_to_csv(tmp_path, encoding):
    path = tmp_path / "x.csv"
    write_synthetic_extract(path, 4000, seed=11, encoding=encoding, chunk_rows=1500)
    expected = tmp_path / "expected.csv"
    make_synthetic_extract(4000, seed=11).to_csv(
        expected, index=False, encoding=encoding, lineterminator="\r\n"
    )
    assert path.read_bytes() == expected.read_bytes()
