"""The lexicon loader refuses broken files, and every shipped entry passes its own examples."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from bias_audit import lexicon as lx
from bias_audit import lexicon_schema
from bias_audit.errors import LexiconError, OptionError
from bias_audit.lexicon import load_lexicon
from bias_audit.text.matching import CATEGORIES_NOT_A_LIST, match_categories
from bias_audit.text.pipeline import get_pipeline
from bias_audit.text.rule_check import example_problems
from bias_audit.text.wording import WORDING_CATEGORIES
from bias_audit.types import Severity

SHIPPED = load_lexicon()

VALID = """\
category: demo
title: Demo rules
sources:
  paper: "Author, A. (2020). A paper. Journal 1(2), 3-4."
default_severity: medium
entries:
  - id: demo-native
    patterns: [native speaker, "compet*", {lemma: young team}, [{LOWER: rock}, {LOWER: star}],
               [{IS_UPPER: true, _: {is_english_word: false}}]]
    explanation: Says why.
    suggestions: [fluent]
    source: paper
    examples:
      match: [Native speaker wanted.]
      no_match: [Fluent speaker wanted.]
"""


def write(folder: Path, text: str, name: str = "demo.yml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load_error(folder: Path) -> str:
    with pytest.raises(LexiconError) as caught:
        load_lexicon(folder)
    return str(caught.value)


def test_valid_file_loads_with_defaults_and_resolved_source(tmp_path):
    write(tmp_path, VALID)
    loaded = load_lexicon(tmp_path)
    (entry,) = loaded.entries
    assert loaded.categories == ("demo",)
    assert loaded.titles == {"demo": "Demo rules"}
    assert entry.severity is Severity.MEDIUM
    assert entry.source == "Author, A. (2020). A paper. Journal 1(2), 3-4."
    assert [p.kind for p in entry.patterns] == ["phrase", "prefix", "lemma", "tokens", "tokens"]
    assert entry.patterns[1].text == "compet"


def test_version_is_a_content_hash_and_loading_is_cached(tmp_path):
    path = write(tmp_path, VALID)
    first = load_lexicon(tmp_path)
    assert load_lexicon(tmp_path) is first
    path.write_text(VALID.replace("Says why.", "Says why, differently."), encoding="utf-8")
    second = load_lexicon(tmp_path, rescan=True)
    assert second.version != first.version
    assert second.entries[0].explanation == "Says why, differently."


def test_an_edited_file_is_seen_once_the_rescan_interval_has_passed(tmp_path, monkeypatch):
    path = write(tmp_path, VALID)
    monkeypatch.setattr(lx, "LEXICON_RESCAN_SECONDS", 3600.0)
    first = load_lexicon(tmp_path)
    path.write_text(VALID.replace("Says why.", "Says why, again."), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert load_lexicon(tmp_path) is first  # scanned less than an hour ago: not looked at
    monkeypatch.setattr(lx, "LEXICON_RESCAN_SECONDS", 0.0)
    assert load_lexicon(tmp_path).entries[0].explanation == "Says why, again."


def test_empty_or_missing_folder_is_refused(tmp_path):
    assert load_error(tmp_path) == lx.NO_LEXICON_FILES.format(directory=tmp_path.resolve())
    missing = tmp_path / "nowhere"
    assert load_error(missing) == lx.NO_LEXICON_FILES.format(directory=missing.resolve())


def _file(tmp_path: Path) -> str:
    return str(tmp_path.resolve() / "demo.yml")


ENTRY = "entry 'demo-native'"
ENTRY_KEYS = ", ".join(lexicon_schema.ENTRY_KEYS_REQUIRED + lexicon_schema.ENTRY_KEYS_OPTIONAL)
ROCK = "[{LOWER: rock}, {LOWER: star}]"

# (case id, replace this, with this, message constant, its fields besides file and where)
BROKEN = [
    (
        "unknown-file-key",
        "title: Demo rules",
        "title: Demo rules\ncolour: red",
        lexicon_schema.UNKNOWN_KEYS,
        {
            "where": "the file",
            "keys": "colour",
            "allowed": ", ".join(
                lexicon_schema.FILE_KEYS_REQUIRED + lexicon_schema.FILE_KEYS_OPTIONAL
            ),
        },
    ),
    (
        "unknown-entry-key",
        "    suggestions: [fluent]",
        "    sugestions: [fluent]",
        lexicon_schema.UNKNOWN_KEYS,
        {"keys": "sugestions", "allowed": ENTRY_KEYS},
    ),
    (
        "unknown-examples-key",
        "      no_match: [Fluent speaker wanted.]",
        "      no_match: [x]\n      maybe: [y]",
        lexicon_schema.UNKNOWN_KEYS,
        {"where": f"{ENTRY} examples", "keys": "maybe", "allowed": "match, no_match"},
    ),
    (
        "missing-key",
        "    explanation: Says why.\n",
        "",
        lexicon_schema.MISSING_KEYS,
        {"keys": "explanation"},
    ),
    (
        "category-not-stem",
        "category: demo",
        "category: other",
        lexicon_schema.CATEGORY_MISMATCH,
        {"category": "other", "stem": "demo"},
    ),
    (
        "empty-citation",
        '  paper: "Author, A. (2020). A paper. Journal 1(2), 3-4."',
        '  paper: ""',
        lexicon_schema.EMPTY_CITATION,
        {"key": "paper"},
    ),
    (
        "unknown-default-severity",
        "default_severity: medium",
        "default_severity: severe",
        lexicon_schema.UNKNOWN_SEVERITY,
        {"where": "the file", "value": "severe"},
    ),
    (
        "unknown-entry-severity",
        "    source: paper",
        "    source: paper\n    severity: critical",
        lexicon_schema.UNKNOWN_SEVERITY,
        {"value": "critical"},
    ),
    (
        "unresolved-source",
        "    source: paper",
        "    source: [paper, book]",
        lexicon_schema.UNRESOLVED_SOURCE,
        {"key": "book", "known": "paper"},
    ),
    (
        "empty-match-examples",
        "      match: [Native speaker wanted.]",
        "      match: []",
        lexicon_schema.EMPTY_EXAMPLES,
        {"kind": "match"},
    ),
    (
        "empty-no-match-examples",
        "      no_match: [Fluent speaker wanted.]",
        "      no_match: []",
        lexicon_schema.EMPTY_EXAMPLES,
        {"kind": "no_match"},
    ),
    (
        "same-phrase-twice",
        "native speaker, ",
        "native speaker, native speaker, ",
        lexicon_schema.DUPLICATE_PHRASE,
        {"phrase": "native speaker", "other": ENTRY},
    ),
    (
        "prefix-too-short",
        '"compet*"',
        '"co*"',
        lexicon_schema.SHORT_PREFIX,
        {"pattern": "co*", "minimum": lexicon_schema.MIN_PREFIX_LENGTH},
    ),
    (
        "unknown-pattern-form",
        "{lemma: young team}",
        "{stem: young}",
        lexicon_schema.BAD_PATTERN_FORM,
        {"pattern": {"stem": "young"}},
    ),
    (
        "spacy-rejects-pattern",
        ROCK,
        "[{LOWR: rock}]",
        lexicon_schema.INVALID_SPACY_PATTERN,
        {"pattern": '[{"LOWR": "rock"}]'},
    ),
    (
        "attribute-pipeline-never-sets",
        ROCK,
        "[{POS: NOUN}, {DEP: nsubj}]",
        lexicon_schema.UNSUPPORTED_ATTRIBUTE,
        {"pattern": '[{"POS": "NOUN"}, {"DEP": "nsubj"}]', "attributes": "DEP, POS"},
    ),
    (
        "extension-pipeline-never-sets",
        ROCK,
        "[{LOWER: rock, _: {is_famous: true}}]",
        lexicon_schema.UNSUPPORTED_ATTRIBUTE,
        {"pattern": '[{"LOWER": "rock", "_": {"is_famous": true}}]', "attributes": "_.is_famous"},
    ),
    (
        "extension-with-operator",
        ROCK,
        "[{LOWER: rock, OP: '?'}, {_: {is_english_word: true}}]",
        lexicon_schema.EXTENSION_WITH_OPERATOR,
        {"pattern": '[{"LOWER": "rock", "OP": "?"}, {"_": {"is_english_word": true}}]'},
    ),
    ("invalid-yaml", "title: Demo rules", "title: [Demo: rules", lexicon_schema.INVALID_YAML, {}),
    (
        "suggestions-not-a-list",
        "    suggestions: [fluent]",
        "    suggestions: fluent",
        lexicon_schema.WRONG_TYPE,
        {"key": "suggestions", "expected": "a list of phrases"},
    ),
    (
        "flag-not-boolean",
        "    source: paper",
        "    source: paper\n    acronym: sometimes",
        lexicon_schema.WRONG_TYPE,
        {"key": "acronym", "expected": "true or false"},
    ),
    (
        "list-flag-not-boolean",
        "    source: paper",
        "    source: paper\n    common_words_in_lists_only: 1",
        lexicon_schema.WRONG_TYPE,
        {"key": "common_words_in_lists_only", "expected": "true or false"},
    ),
    (
        "kind-outside-requirement-categories",
        "    source: paper",
        "    source: paper\n    kind: degree",
        lexicon_schema.FIELD_NOT_FOR_CATEGORY,
        {"key": "kind", "categories": ", ".join(lexicon_schema.REQUIREMENT_CATEGORIES)},
    ),
    (
        "signal-outside-inclusion-signals",
        "    source: paper",
        "    source: paper\n    signal: salary",
        lexicon_schema.FIELD_NOT_FOR_CATEGORY,
        {"key": "signal", "categories": "inclusion_signals"},
    ),
    (
        "context-not-a-list",
        "    source: paper",
        "    source: paper\n    context: nhs",
        lexicon_schema.BAD_CONTEXT,
        {},
    ),
    (
        "context-empty",
        "    source: paper",
        "    source: paper\n    context: []",
        lexicon_schema.BAD_CONTEXT,
        {},
    ),
    (
        "context-not-text",
        "    source: paper",
        "    source: paper\n    context: [1]",
        lexicon_schema.BAD_CONTEXT,
        {},
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "constant", "fields"),
    [pytest.param(*row[1:], id=row[0]) for row in BROKEN],
)
def test_broken_files_are_refused_with_a_named_message(tmp_path, old, new, constant, fields):
    assert old in VALID
    write(tmp_path, VALID.replace(old, new, 1))
    message = load_error(tmp_path)
    values = {"file": _file(tmp_path), "where": ENTRY, **fields}
    if "{detail}" in constant:  # the detail is the YAML or spaCy library's own explanation
        head, tail = constant.split("{detail}")
        assert message.startswith(head.format(**values)) and message.endswith(tail)
        assert len(message) > len(head.format(**values)) + len(tail)
    else:
        assert message == constant.format(**values)


# (category, the entry's extra line, message constant, its fields besides file and where)
CATEGORY_FIELD_CASES = [
    (
        "inclusion_signals",
        "",
        lexicon_schema.MISSING_CATEGORY_FIELD,
        {"key": "signal", "allowed": ", ".join(lexicon_schema.INCLUSION_SIGNALS)},
    ),
    (
        "inclusion_signals",
        "    signal: pay\n",
        lexicon_schema.UNKNOWN_FIELD_VALUE,
        {"key": "signal", "value": "pay", "allowed": ", ".join(lexicon_schema.INCLUSION_SIGNALS)},
    ),
    (
        "driving_licence",
        "",
        lexicon_schema.MISSING_CATEGORY_FIELD,
        {"key": "kind", "allowed": ", ".join(lexicon_schema.REQUIREMENT_KINDS)},
    ),
    (
        "qualification_degree",
        "    kind: phd\n",
        lexicon_schema.UNKNOWN_FIELD_VALUE,
        {"key": "kind", "value": "phd", "allowed": ", ".join(lexicon_schema.REQUIREMENT_KINDS)},
    ),
]


@pytest.mark.parametrize(("category", "line", "constant", "fields"), CATEGORY_FIELD_CASES)
def test_kind_and_signal_are_required_and_known_where_they_apply(
    tmp_path, category, line, constant, fields
):
    text = VALID.replace("category: demo", f"category: {category}")
    write(
        tmp_path,
        text.replace("    source: paper\n", "    source: paper\n" + line, 1),
        name=f"{category}.yml",
    )
    message = load_error(tmp_path)
    file = str(tmp_path.resolve() / f"{category}.yml")
    assert message == constant.format(file=file, where=ENTRY, category=category, **fields)


def test_kind_and_signal_are_loaded_onto_the_entry(tmp_path):
    for category, line in (
        ("language_level", "kind: language"),
        ("inclusion_signals", "signal: welcome"),
    ):
        text = VALID.replace("category: demo", f"category: {category}")
        text = text.replace("demo-native", f"{category}-native")
        write(
            tmp_path,
            text.replace("    source: paper\n", f"    source: paper\n    {line}\n", 1),
            name=f"{category}.yml",
        )
    kinds = {(e.category, e.kind, e.signal) for e in load_lexicon(tmp_path).entries}
    assert kinds == {("language_level", "language", None), ("inclusion_signals", None, "welcome")}


def test_every_shipped_requirement_and_inclusion_entry_names_its_kind_or_signal():
    for entry in SHIPPED.entries:
        if entry.category in lexicon_schema.REQUIREMENT_CATEGORIES:
            assert entry.kind in lexicon_schema.REQUIREMENT_KINDS and entry.signal is None
        elif entry.category == lexicon_schema.INCLUSION_CATEGORY:
            assert entry.signal in lexicon_schema.INCLUSION_SIGNALS and entry.kind is None
        else:
            assert entry.kind is None and entry.signal is None


def test_empty_patterns_message(tmp_path):
    start = VALID.index("    patterns:")
    end = VALID.index("    explanation:")
    write(tmp_path, VALID[:start] + "    patterns: []\n" + VALID[end:])
    assert load_error(tmp_path) == lexicon_schema.EMPTY_PATTERNS.format(
        file=_file(tmp_path), where="entry 'demo-native'"
    )


def test_not_a_mapping(tmp_path):
    write(tmp_path, "- just\n- a list\n")
    assert load_error(tmp_path) == lexicon_schema.NOT_A_MAPPING.format(
        file=_file(tmp_path), where="the file"
    )


def test_duplicate_ids_across_files_are_refused(tmp_path):
    write(tmp_path, VALID)
    write(tmp_path, VALID.replace("category: demo", "category: other"), name="other.yml")
    message = load_error(tmp_path)
    assert message == lexicon_schema.DUPLICATE_ID.format(
        file=str(tmp_path.resolve() / "other.yml"), rule_id="demo-native", other=_file(tmp_path)
    )


def test_same_phrase_in_two_categories_is_allowed(tmp_path):
    write(tmp_path, VALID)
    write(
        tmp_path,
        VALID.replace("category: demo", "category: other").replace("demo-native", "other-native"),
        name="other.yml",
    )
    assert load_lexicon(tmp_path).categories == ("demo", "other")


def test_shipped_lexicon_covers_the_design_categories():
    assert set(WORDING_CATEGORIES) <= set(SHIPPED.categories)
    for entry in SHIPPED.entries:
        assert entry.explanation and entry.source and entry.examples.match
        assert entry.id.strip() == entry.id


def test_every_gaucher_word_is_covered():
    """All 42 masculine and 40 feminine entries of Gaucher et al. (2011), Appendix A."""
    masculine = [
        "active",
        "adventurous",
        "aggressive",
        "ambitious",
        "analytical",
        "assertive",
        "athletic",
        "autonomous",
        "boastful",
        "challenging",
        "competitive",
        "confident",
        "courageous",
        "decide",
        "decisive",
        "decision",
        "determined",
        "dominant",
        "domination",
        "forceful",
        "greedy",
        "headstrong",
        "hierarchical",
        "hostile",
        "impulsive",
        "independent",
        "individual",
        "intellectual",
        "lead",
        "logic",
        "masculine",
        "objective",
        "opinion",
        "outspoken",
        "persist",
        "principled",
        "reckless",
        "stubborn",
        "superior",
        "self-confident",
        "self-sufficient",
        "self-reliant",
    ]
    feminine = [
        "affectionate",
        "child",
        "cheerful",
        "committed",
        "communal",
        "compassionate",
        "connect",
        "considerate",
        "cooperative",
        "dependable",
        "emotional",
        "empathy",
        "feminine",
        "flatterable",
        "gentle",
        "honest",
        "interpersonal",
        "interdependent",
        "kind",
        "kinship",
        "loyal",
        "modesty",
        "nag",
        "nurturing",
        "pleasant",
        "polite",
        "quiet",
        "responsive",
        "sensitive",
        "submissive",
        "supportive",
        "sympathetic",
        "tender",
        "together",
        "trust",
        "understanding",
        "warm",
        "whiny",
        "yielding",
    ]
    nlp = get_pipeline()
    for category, words in (("gender_masculine", masculine), ("gender_feminine", feminine)):
        for word in words:
            found = match_categories(nlp(f"We want {word} people."), SHIPPED, categories=[category])
            assert [f.text for f in found] == [word], (category, word)


ENTRIES = [pytest.param(entry, id=entry.id) for entry in SHIPPED.entries]


@pytest.mark.parametrize("entry", ENTRIES)
def test_entry_examples(entry):
    """The same check `bias-audit lexicon check` runs (each message names the sentence)."""
    assert example_problems(entry, SHIPPED, file=f"{entry.category}.yml") == []


# --- the matching engine, on a small fixture lexicon ---------------------------------------

ENGINE = """\
category: {category}
title: Engine fixture
sources:
  s: "Fixture source."
default_severity: low
entries:
  - id: {category}-long
    patterns: [very long phrase]
    severity: high
    explanation: Long.
    suggestions: [x]
    source: s
    examples: {{match: [a very long phrase], no_match: [b]}}
  - id: {category}-short
    patterns: [long, {{lemma: run}}, "self-confiden*", {{orth: NHS}}]
    unless:
      - [{{LOWER: do}}, {{LOWER: not}}, {{LOWER: stop}}, {{LOWER: running}}]
    skip_headings: true
    explanation: Short.
    suggestions: [y]
    source: s
    examples: {{match: [long], no_match: [b]}}
  - id: {category}-shout
    patterns: [[{{SHAPE: XXXX, _: {{is_english_word: false}}}}]]
    explanation: Shout.
    suggestions: [z]
    source: s
    examples: {{match: [QZXW], no_match: [HAVE]}}
  - id: {category}-first-in
    patterns: [[{{LOWER: {{IN: [aged, age]}}}}, {{LIKE_NUM: true}}]]
    explanation: Age.
    suggestions: [w]
    source: s
    examples: {{match: [aged 20], no_match: [age is fine]}}
"""


@pytest.fixture(scope="module")
def engine_lexicon(tmp_path_factory):
    folder = tmp_path_factory.mktemp("engine")
    for category in ("alpha", "beta"):
        (folder / f"{category}.yml").write_text(ENGINE.format(category=category))
    return load_lexicon(folder)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("A very long phrase here.", [("alpha-long", "very long phrase")]),  # longest wins
        ("So long.", [("alpha-short", "long")]),
        ("She ran and runs.", [("alpha-short", "ran"), ("alpha-short", "runs")]),  # lemma
        ("Self-Confidently!", [("alpha-short", "Self-Confidently")]),  # hyphenated prefix
        ("the NHS, not the nhs.", [("alpha-short", "NHS")]),  # orth is case-sensitive
        ("Do not stop running now.", []),  # a 4-token exception reaching 3 tokens back
        ("Keep running now.", [("alpha-short", "running")]),
        ("Long\nKeep it so long.", [("alpha-short", "long")]),  # heading line skipped
        ("QZXW and HAVE and NHSX.", [("alpha-shout", "QZXW"), ("alpha-shout", "NHSX")]),
        ("Aged 20 or age 30.", [("alpha-first-in", "Aged 20"), ("alpha-first-in", "age 30")]),
        ("  \n\n  very long phrase", [("alpha-long", "very long phrase")]),
    ],
)
def test_engine_patterns_exceptions_and_overlaps(engine_lexicon, text, found):
    findings = match_categories(get_pipeline()(text), engine_lexicon, categories=["alpha"])
    assert [(f.rule_id, f.text) for f in findings] == found
    assert all(text[f.start : f.end] == f.text for f in findings)


def test_engine_resolves_overlaps_per_category_only(engine_lexicon):
    text = "A very long phrase."
    findings = match_categories(get_pipeline()(text), engine_lexicon, categories=["alpha", "beta"])
    assert [(f.rule_id, f.start) for f in findings] == [("alpha-long", 2), ("beta-long", 2)]
    assert [f.severity for f in findings] == [Severity.HIGH, Severity.HIGH]


def test_engine_sorts_by_start_then_severity(engine_lexicon):
    text = "long; very long phrase; QZXW."
    findings = match_categories(get_pipeline()(text), engine_lexicon, categories=["alpha"])
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert [f.rule_id for f in findings] == ["alpha-short", "alpha-long", "alpha-shout"]


def test_unknown_categories_match_nothing(engine_lexicon):
    assert match_categories(get_pipeline()("long"), engine_lexicon, categories=["gamma"]) == []


def test_a_single_category_string_is_refused(engine_lexicon):
    with pytest.raises(OptionError) as caught:
        match_categories(get_pipeline()("long"), engine_lexicon, categories="alpha")
    assert str(caught.value) == CATEGORIES_NOT_A_LIST.format(value="alpha")


def test_context_limits_an_entry_to_texts_that_mention_it(tmp_path):
    write(
        tmp_path,
        VALID.replace("    source: paper", "    source: paper\n    context: [care home]", 1),
    )
    loaded = load_lexicon(tmp_path)
    assert loaded.entries[0].context == ("care home",)
    nlp = get_pipeline()
    found = [
        f.text
        for text in ("Native speaker wanted.", "Native speaker wanted for our Care\nHome.")
        for f in match_categories(nlp(text), loaded, categories=["demo"])
    ]
    assert found == ["Native speaker"]  # only the second text mentions a care home


# --- false-alarm patterns reported in issue 8 (real NHS adverts) -----------------------------

ISSUE_8_CASES = [
    # (text, category, rule ids expected in that category)
    ("Previous applicants need not apply.", "age", []),
    ("People with mental health issues need not apply.", "age", []),
    (
        "People with mental health issues need not apply.",
        "health_screening",
        ["health-free-from-conditions"],
    ),
    (
        "No history of mental illness or back problems.",
        "health_screening",
        ["health-no-history-of"],
    ),
    (
        "Occupational health questionnaire before interview.",
        "health_screening",
        ["health-questionnaire-before-offer"],
    ),
    ("Offers are subject to occupational health clearance.", "health_screening", []),
    ("Please contact Sarah Young on the number below.", "age", []),
    ("Young & Co Care Homes are recruiting support workers.", "age", []),
    ("Candidates must be over 25.", "age", ["age-limit"]),
    ("Max 15 years' experience.", "age", ["age-limit"]),
    ("Recent grads welcome.", "age", ["age-recent-graduate"]),
    ("A seasoned professional.", "age", ["age-seasoned-veteran"]),
    ("A fast-paced, dynamic working environment.", "age", []),
    ("Fluent English essential.", "nationality_race_religion", []),
    ("You must have the right to work in the UK.", "nationality_race_religion", []),
    (
        "Near-native German essential.",
        "nationality_race_religion",
        ["nationality-native-english-speaker"],
    ),
    ("Speak English without an accent.", "nationality_race_religion", ["nationality-accent"]),
    (
        "Raised in an English-speaking country.",
        "nationality_race_religion",
        ["nationality-upbringing"],
    ),
    ("You will sit, stand and walk for 8 hours.", "disability", ["disability-physical-demands"]),
    ("Take your career to the next level.", "cliche", ["cliche-career-hype"]),
    (
        "A forward thinking team with a solution-focused mindset.",
        "cliche",
        ["cliche-career-hype", "cliche-career-hype"],
    ),
    (
        "You will cover baywatch on the organic wards.",
        "jargon",
        ["jargon-ward-slang", "jargon-ward-slang"],
    ),
    ("No alternative interview date.", "process_barriers", ["process-no-alternative-date"]),
    ("There will be no remote interview.", "process_barriers", ["process-no-remote-interview"]),
    (
        "We welcome applicants of any sexual preference.",
        "sexual_orientation",
        ["gendered-lgbtq-outdated"],
    ),
    ("We welcome applicants of any sexual preference.", "gendered_terms", []),
]


@pytest.mark.parametrize(("text", "category", "rule_ids"), ISSUE_8_CASES)
def test_issue_8_patterns(text, category, rule_ids):
    found = match_categories(get_pipeline()(text), SHIPPED, categories=[category])
    assert [f.rule_id for f in found] == rule_ids


def test_new_categories_are_wording_categories_and_health_screening_is_high():
    assert {"health_screening", "sexual_orientation", "process_barriers"} <= set(WORDING_CATEGORIES)
    health = SHIPPED.in_categories(["health_screening"])
    assert health and all(entry.severity is Severity.HIGH for entry in health)


def test_lexicon_module_imports_nothing_from_the_text_package():
    """lexicon.py sits below text/ (DESIGN.md): text/ imports it, never the other way."""
    import ast

    tree = ast.parse(Path(lx.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.startswith("bias_audit.text")]
