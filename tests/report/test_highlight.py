"""highlight_html: escaping, severity marks (never colour alone), hover text and the list."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bias_audit.report.highlight import (
    NO_FINDINGS,
    SUGGESTION_PREFIX,
    findings_list_html,
    highlight_html,
    legend_html,
)
from bias_audit.report.style import SEVERITY_MARKS, severity_mark
from bias_audit.types import Finding, Severity


def finding(text: str, phrase: str, severity: Severity = Severity.HIGH, **kw) -> Finding:
    start = text.index(phrase)
    return Finding(
        rule_id=kw.get("rule_id", "test.rule"),
        category=kw.get("category", "gender_masculine"),
        severity=severity,
        start=start,
        end=start + len(phrase),
        text=phrase,
        explanation=kw.get("explanation", "May deter some applicants."),
        suggestions=kw.get("suggestions", ("caring",)),
        source="test",
    )


def visible_text(fragment: str) -> str:
    """What a browser shows: tags and icon markers removed, entities decoded."""
    no_icons = re.sub(r'<span class="ba-icon"[^>]*>.*?</span>', "", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", no_icons))


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    'Tom & Jerry\'s "quoted" > text',
    "</mark><b>break out</b>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_is_escaped_in_text_and_tooltip(text):
    f = Finding("r", "age", Severity.LOW, 0, len(text), text, text, (text,), "s")
    out = highlight_html(text, [f])
    assert "<script" not in out
    assert "<img" not in out
    assert "<b>" not in out
    assert html.escape(text) in out


def test_each_severity_has_colour_icon_label_and_underline():
    text = "We want a dynamic, energetic, rockstar ninja."
    findings = [
        finding(text, "dynamic", Severity.LOW),
        finding(text, "energetic", Severity.MEDIUM),
        finding(text, "rockstar", Severity.HIGH),
    ]
    out = highlight_html(text, findings)
    for f in findings:
        mark = severity_mark(f.severity)
        assert f'<mark class="ba-{f.severity}" data-severity="{mark.label}"' in out
        assert f"{mark.icon}" in out
        assert f"{mark.icon} {mark.label}</span>" in out  # the list badge says it in words
    icons = {m.icon for m in SEVERITY_MARKS.values()}
    underlines = {m.underline for m in SEVERITY_MARKS.values()}
    assert len(icons) == len(underlines) == len(SEVERITY_MARKS) == 3


def test_tooltip_and_list_carry_explanation_and_suggestion():
    text = "Must be a native English speaker."
    f = finding(
        text,
        "native English speaker",
        explanation="Excludes people who learnt English later.",
        suggestions=("fluent in English", "able to communicate clearly"),
        category="nationality_race_religion",
    )
    out = highlight_html(text, [f])
    expected_title = html.escape(
        "High — Nationality, race, religion or language: "
        "Excludes people who learnt English later.\n"
        f"{SUGGESTION_PREFIX}fluent in English; able to communicate clearly"
    )
    assert f'title="{expected_title}"' in out
    listed = findings_list_html([f])
    assert "Excludes people who learnt English later." in listed
    assert "fluent in English; able to communicate clearly" in listed
    assert listed in out


def test_overlap_marked_with_most_severe_and_both_explained():
    text = "a young and energetic team"
    young = finding(text, "young and energetic", Severity.HIGH, explanation="Age-coded.")
    energetic = finding(text, "energetic", Severity.LOW, explanation="Masculine-coded.")
    out = highlight_html(text, [energetic, young], with_list=False)
    # "energetic" is covered by both: most severe class, both explanations in its title
    piece = re.search(r'<mark class="ba-(\w+)"[^>]*title="([^"]*)">energetic', out)
    assert piece is not None
    assert piece.group(1) == "high"
    assert "Age-coded." in piece.group(2) and "Masculine-coded." in piece.group(2)
    assert visible_text(out) == text


def test_no_findings_message_and_plain_text():
    assert highlight_html("Plain.", []) == (
        f'<div class="ba-advert">Plain.</div><p class="ba-muted">{NO_FINDINGS}</p>'
    )


def test_list_numbers_follow_position():
    text = "second first"
    late = finding(text, "first")
    early = finding(text, "second")
    listed = findings_list_html([late, early])
    assert listed.index("second") < listed.index("first")
    assert '<li value="1">' in listed and '<li value="2">' in listed


def test_legend_lists_every_severity_in_words():
    legend = legend_html()
    for mark in SEVERITY_MARKS.values():
        assert f"{mark.icon} {mark.label}" in legend


@st.composite
def text_and_findings(draw):
    text = draw(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60))
    spans = draw(
        st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=6)
    )
    findings = []
    for a, b in spans:
        lo, hi = sorted((a, b))
        if lo == hi:
            continue
        sev = draw(st.sampled_from(list(Severity)))
        findings.append(Finding("r", "cliche", sev, lo, hi, text[lo:hi], "why", (), "s"))
    return text, findings


@given(text_and_findings())
def test_visible_text_is_exactly_the_input(case):
    text, findings = case
    out = highlight_html(text, findings, with_list=False)
    assert visible_text(out) == text
    assert out.count("<mark") <= 2 * len(findings) + 1


def test_list_and_marks_are_numbered_most_severe_first():
    text = "a rockstar who is young"
    low = finding(text, "rockstar", Severity.LOW)
    high = finding(text, "young", Severity.HIGH)
    listed = findings_list_html([low, high])
    assert listed.index("young") < listed.index("rockstar")
    out = highlight_html(text, [low, high], with_list=False)
    # The marker after "young" is number 1, the one after "rockstar" number 2.
    assert re.search(r'rockstar<span class="ba-icon"[^>]*>[^<0-9]*2</span>', out)
    assert re.search(r'young<span class="ba-icon"[^>]*>[^<0-9]*1</span>', out)


def test_every_use_of_a_repeated_phrase_is_highlighted_and_counted():
    text = "Be dynamic. A dynamic team. So dynamic."
    starts = [m.start() for m in re.finditer("dynamic", text)]
    repeated = Finding(
        "age-dynamic",
        "age",
        Severity.LOW,
        starts[0],
        starts[0] + 7,
        "dynamic",
        "Age-coded.",
        (),
        "s",
        occurrences=tuple((s, s + 7) for s in starts[1:]),
    )
    out = highlight_html(text, [repeated])
    assert out.count('<mark class="ba-low"') == 3
    assert len(re.findall(r'dynamic<span class="ba-icon"[^>]*>[^<0-9]*1</span>', out)) == 3
    assert html.escape("Used 3 times in this text; every use is highlighted.") in out
    assert "(Age, used 3 times)" in out
    assert visible_text(highlight_html(text, [repeated], with_list=False)) == text
