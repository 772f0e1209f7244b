"""Invariants of the portfolio review (Hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.portfolio.credentials import KINDS, credential_balance
from bias_audit.portfolio.duplicates import near_duplicates

LINES = [
    "NVQ Level 3 in Health and Social Care",
    "Able to record observations",
    "Kind and patient",
    "Two years' experience in care",
    "Full UK driving licence",
    "Band 3",
    "Willing to work shifts",
    "Good communication skills",
]
JOBS = [
    "Main duties\nWash and dress patients. Make beds. Record fluid charts. Help at meals.",
    "Main duties\nMove patients in wheelchairs. Deliver post and specimens. Collect waste.",
    "Main duties\nType clinic letters. Book appointments. Answer the phone to GPs.",
    "Main duties\nClean wards and toilets. Serve meals and drinks. Store chemicals safely.",
]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=8))
def test_shares_sum_to_one_and_count_every_criterion(lines):
    balance = credential_balance("Essential\n" + "\n".join(f"- {x}" for x in lines))
    assert sum(balance.counts.values()) == len(lines) == len(balance.criteria)
    assert abs(sum(balance.shares[k] for k in KINDS) - 1) < 1e-9


@settings(max_examples=20, deadline=None)
@given(st.permutations(range(6)))
def test_groups_do_not_depend_on_the_order_of_documents(order):
    documents = {f"job{i}": JOBS[i] for i in range(4)}
    documents["copy0"] = JOBS[0] + " Restock linen."
    documents["copy1"] = JOBS[1] + " Porter lodge."
    names = list(documents)
    shuffled = {names[i]: documents[names[i]] for i in order}
    groups = {frozenset(g.members) for g in near_duplicates(shuffled).groups}
    assert groups == {frozenset({"job0", "copy0"}), frozenset({"job1", "copy1"})}
