"""Credential balance and near-duplicates on the example portfolio (example_data/portfolio,
written by another engineer for the portfolio run): known answers."""

from __future__ import annotations

import pytest

from bias_audit.io.adverts import read_advert_file
from bias_audit.portfolio.credentials import credential_balance
from bias_audit.portfolio.duplicates import near_duplicates
from bias_audit.shipped import shipped_path

FOLDER = shipped_path("example_data") / "portfolio" / "descriptions"


@pytest.fixture(scope="module")
def documents():
    return {
        path.name: read_advert_file(str(path)).text
        for path in sorted(FOLDER.iterdir())
        if path.suffix in {".txt", ".docx"}
    }


def test_the_planted_near_copies_are_the_only_group(documents):
    assert len(documents) >= 12
    report = near_duplicates(documents)
    assert [set(g.members) for g in report.groups] == [
        {"hca_ward_7.txt", "hca_ward_9.txt", "hca_ward_12.txt"}
    ]


def test_ward_7_person_specification_hand_classified(documents):
    balance = credential_balance(documents["hca_ward_7.txt"], source="hca_ward_7.txt", band=2)
    kinds = [(c.text.split(",")[0], c.kind) for c in balance.criteria]
    assert kinds == [
        ("Care Certificate", "credential"),
        ("Good reading", "competence"),
        ("Kind", "value"),
        ("Able to work as part of a team and follow instructions", "competence"),
        ("Willing to work shifts", "value"),
    ]
    (care_certificate,) = balance.credentials
    assert care_certificate.route_accepted  # "or willing to complete it during your induction"
    assert balance.credential_share == pytest.approx(1 / 5)


def test_word_tables_give_their_essential_column(documents):
    balance = credential_balance(documents["assistant_practitioner_theatres.docx"], source="x")
    assert [c.kind for c in balance.criteria] == ["credential", "credential", "competence"]
    assert balance.criteria[0].rewording_id == "reword-degree"
