"""The requirements matrix: cells, the band's usual status, outliers and what they add."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.portfolio.documents import DEMAND_KINDS, parse_document
from bias_audit.portfolio.matrix import band_matrices, usual_status
from bias_audit.portfolio.results import MSG_DIFFERENT, build_portfolio

SPEC = {
    "plain": "Essential\n- Kind and patient\n",
    "licence": "Essential\n- Kind and patient\n- Full UK driving licence\n",
    "degree": "Essential\n- Kind and patient\n- A degree in nursing\n",
    "gcse_route": "Essential\n- GCSE English or equivalent\n- Kind and patient\n",
    "nvq_desirable": "Essential\n- Kind and patient\nDesirable\n- NVQ Level 2 in care\n",
}


def doc(name: str, kind: str, band: int | None = 2):
    return parse_document(f"Job title: {name}\n{SPEC[kind]}", name=name, band=band)


@pytest.mark.parametrize(
    ("statuses", "usual"),
    [
        (["essential"], "essential"),
        (["essential", "absent"], "absent"),  # a tie goes to the less demanding
        (["essential", "essential", "absent"], "essential"),
        (["route accepted", "desirable", "route accepted"], "route accepted"),
        (["unmarked", "desirable"], "desirable"),
    ],
)
def test_usual_status(statuses, usual):
    assert usual_status(statuses) == usual


def test_cells_hold_status_and_words():
    (matrix,) = band_matrices(
        [doc("a", "licence"), doc("b", "gcse_route"), doc("c", "nvq_desirable")]
    )
    assert matrix.cell("a", "driving_licence").status == "essential"
    assert matrix.cell("a", "driving_licence").texts == ("driving licence",)
    assert matrix.cell("b", "gcse").status == "route accepted"
    assert matrix.cell("c", "qualification_level").status == "desirable"
    assert matrix.cell("c", "degree").status == "absent" and matrix.cell("c", "degree").texts == ()
    frame = matrix.frame()
    assert list(frame["Document"]) == ["a", "b", "c"]
    assert list(frame["Driving licence"]) == ["essential", "absent", "absent"]


def test_outlier_is_named_with_what_it_adds():
    review = build_portfolio([doc("a", "plain"), doc("b", "plain"), doc("c", "degree")])
    (flag,) = review.flags_of("different essentials")
    assert (flag.document, flag.demands, flag.texts) == ("c", ("degree",), ("A degree in",))
    assert flag.message == MSG_DIFFERENT.format(
        document="c",
        adds="degree ('A degree in')",
        band="Band 2",
        first="degree",
        usual="absent",
        sharing=2,
        total=3,
    )


def test_a_band_of_one_and_the_unstated_band_are_never_outliers():
    review = build_portfolio(
        [doc("a", "degree", band=3), doc("b", "licence", None), doc("c", "plain", None)]
    )
    assert review.flags_of("different essentials") == ()
    assert [m.label for m in review.matrices] == ["Band 3", "Band not stated"]


def test_two_documents_that_differ_name_the_more_demanding():
    review = build_portfolio([doc("a", "plain"), doc("b", "licence")])
    assert [f.document for f in review.flags_of("different essentials")] == ["b"]


@settings(max_examples=30, deadline=None)
@given(st.permutations(["a", "b", "c", "d", "e"]))
def test_document_order_changes_no_status_or_outlier(order):
    kinds = {"a": "plain", "b": "plain", "c": "licence", "d": "degree", "e": "plain"}
    documents = {name: doc(name, kind) for name, kind in kinds.items()}
    (matrix,) = band_matrices([documents[n] for n in order])
    assert matrix.usual == tuple("absent" for _ in DEMAND_KINDS)
    assert {o.document for o in matrix.outliers} == {"c", "d"}
    assert list(matrix.documents) == list(order)
