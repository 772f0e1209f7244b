"""What the reader sees first: findings by severity then position, one per repeated phrase."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.text.advert import (
    analyse_advert,
    merge_repeats,
    order_findings,
    severity_counts,
)
from bias_audit.types import Finding, Severity


def make(rule, severity, start, text, *, explanation="why", occurrences=()):
    return Finding(
        rule,
        "age",
        severity,
        start,
        start + len(text),
        text,
        explanation,
        (),
        "src",
        occurrences=occurrences,
    )


def test_most_severe_first_then_by_position():
    findings = [
        make("c", Severity.LOW, 0, "rockstar"),
        make("b", Severity.MEDIUM, 30, "young"),
        make("a", Severity.HIGH, 50, "degree"),
        make("d", Severity.HIGH, 10, "native"),
    ]
    assert [(f.rule_id, f.start) for f in order_findings(findings)] == [
        ("d", 10),
        ("a", 50),
        ("b", 30),
        ("c", 0),
    ]


@pytest.mark.parametrize(
    ("texts", "expected_first", "expected_occurrences"),
    [
        # Same rule, same words in another case and spacing: one finding, first use kept.
        ([(40, "Fast  paced"), (5, "fast paced"), (90, "FAST PACED")], 5, ((40, 51), (90, 100))),
        ([(7, "young")], 7, ()),
    ],
)
def test_repeated_phrase_is_one_finding_with_its_other_uses(
    texts, expected_first, expected_occurrences
):
    merged = merge_repeats([make("r", Severity.LOW, start, text) for start, text in texts])
    assert len(merged) == 1
    assert merged[0].start == expected_first
    assert merged[0].occurrences == expected_occurrences
    assert merged[0].uses == len(texts)


@pytest.mark.parametrize(
    "other",
    [
        make("other-rule", Severity.LOW, 30, "young"),  # another rule
        make("r", Severity.HIGH, 30, "young"),  # judged more severe there
        make("r", Severity.LOW, 30, "young", explanation="listed as essential"),
        make("r", Severity.LOW, 30, "younger"),  # other words
    ],
)
def test_differently_judged_uses_stay_separate(other):
    assert len(merge_repeats([make("r", Severity.LOW, 0, "young"), other])) == 2


def test_occurrences_already_gathered_by_an_analyser_are_kept():
    first = make("r", Severity.LOW, 0, "NMC", occurrences=((50, 53),))
    second = make("r", Severity.LOW, 20, "NMC", occurrences=((80, 83),))
    (merged,) = merge_repeats([second, first])
    assert (merged.start, merged.occurrences) == (0, ((20, 23), (50, 53), (80, 83)))


def test_severity_counts_count_findings_not_uses():
    findings = order_findings(
        [
            make("r", Severity.LOW, 0, "young"),
            make("r", Severity.LOW, 10, "young"),
            make("h", Severity.HIGH, 20, "degree"),
        ]
    )
    assert severity_counts(findings) == {"high": 1, "medium": 0, "low": 1}


REPEATED = (
    "Band 3 healthcare support worker.\n"
    "We want a rockstar, a true rockstar.\n"
    "A degree is essential.\n"
    "You will be a Rockstar.\n"
)


def test_advert_report_merges_repeats_and_serialises_occurrences():
    report = analyse_advert(REPEATED)
    rockstar = [f for f in report.findings if f.text.lower() == "rockstar"]
    assert len(rockstar) == 1, [(f.rule_id, f.start) for f in rockstar]
    starts = [
        REPEATED.index("rockstar"),
        REPEATED.index("rockstar."),
        REPEATED.index("Rockstar"),
    ]
    assert rockstar[0].start == starts[0]
    assert rockstar[0].occurrences == tuple((s, s + 8) for s in starts[1:])
    data = json.loads(json.dumps(report.to_dict()))
    (as_json,) = [f for f in data["findings"] if f["text"].lower() == "rockstar"]
    assert as_json["occurrences"] == [{"start": s, "end": s + 8} for s in starts[1:]]
    severities = [Severity.parse(f["severity"]) for f in data["findings"]]
    assert severities == sorted(severities, reverse=True)
    assert data["severity_counts"] == {
        str(s): severities.count(s) for s in (Severity.HIGH, Severity.MEDIUM, Severity.LOW)
    }


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(list(Severity)),
            st.integers(0, 200),
            st.sampled_from(["young", "Young", "dynamic"]),
        ),
        max_size=12,
    )
)
def test_ordering_keeps_every_use_exactly_once(rows):
    findings = [make(rule, sev, start, text) for rule, sev, start, text in rows]
    ordered = order_findings(findings)
    expected = {(f.rule_id, f.text.lower(), f.severity, f.start, f.end) for f in findings}
    got = [
        (f.rule_id, f.text.lower(), f.severity, *span)
        for f in ordered
        for span in ((f.start, f.end), *f.occurrences)
    ]
    assert len(got) == len(set(got))  # every use listed once
    assert set(got) == expected  # and none lost
    keys = [(-f.severity, f.start) for f in ordered]
    assert keys == sorted(keys)
    assert sum(severity_counts(ordered).values()) == len(ordered)
