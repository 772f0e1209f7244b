"""`bias-audit advert`: formats, exit statuses, stdin, many files, allow lists."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bias_audit import config
from bias_audit.cli import app, main
from bias_audit.config import find_allow_config
from bias_audit.errors import OptionError
from bias_audit.io import source

runner = CliRunner()

POOR = (
    "Healthcare Support Worker, Band 2\n"
    "Help patients to wash and dress on the ward.\n"
    "Essential\n"
    "- A degree in health or social care\n"
    "- Full UK driving licence\n"
)
CLEAN = "Band 2 care job.\nYou help people to wash.\nWe give full training.\n"


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no allow-list file above tmp_path's own
    (tmp_path / "pyproject.toml").write_text("[tool.bias-audit]\nallow = []\n")
    poor = tmp_path / "poor.txt"
    poor.write_text(POOR, encoding="utf-8")
    clean = tmp_path / "clean.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    return poor, clean


def test_text_output_shows_each_finding_in_its_sentence_with_a_suggestion(files):
    poor, _ = files
    result = runner.invoke(app, ["advert", str(poor)])
    assert result.exit_code == 0, result.output
    assert f"{poor} — band 2 (found in text)" in result.output
    assert "HIGH   line 4: degree-required (qualification_degree)" in result.output
    assert "- [[A degree in]] health or social care" in result.output
    assert "- Full UK [[driving licence]]" in result.output
    assert "or the ability to travel between sites" in result.output
    assert "Inclusion signals:" in result.output


def test_text_output_says_an_unstated_band_once(tmp_path, files):
    plain = tmp_path / "no_band.txt"
    plain.write_text("Care assistant. You help patients.\n", encoding="utf-8")
    result = runner.invoke(app, ["advert", str(plain)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{plain} — band not stated\n")


def test_json_output_follows_the_contract(files):
    poor, clean = files
    result = runner.invoke(app, ["advert", str(poor), str(clean), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [item["source"] for item in data] == [str(poor), str(clean)]
    first = data[0]
    assert first["band"] == 2
    assert {"findings", "gender_coding", "readability"} <= set(first)
    assert {"verdict", "masculine", "feminine"} <= set(first["gender_coding"])
    severities = {f["rule_id"]: f["severity"] for f in first["findings"]}
    assert severities["degree-required"] == "high"
    assert severities["driving-licence"] == "medium"


REPEATS = (
    "Band 3 support worker\n"
    "We want a rockstar, a true rockstar.\n"
    "A degree is essential.\n"
    "Be our rockstar.\n"
)


def test_most_severe_first_and_a_repeated_phrase_said_once(tmp_path):
    path = tmp_path / "repeats.txt"
    path.write_text(REPEATS, encoding="utf-8")
    result = runner.invoke(app, ["advert", str(path)])
    assert result.exit_code == 0, result.output
    out = result.output
    counts = json.loads(runner.invoke(app, ["advert", str(path), "--format", "json"]).stdout)[0][
        "severity_counts"
    ]
    total = sum(counts.values())
    assert (
        f"{total} findings: {counts['high']} high, {counts['medium']} medium, "
        f"{counts['low']} low. Most severe first." in out
    )
    assert out.index("HIGH   line 3: degree-required") < out.index("MEDIUM line 2:")
    assert "cliche-job-title-hype (cliche) — used 3 times (also on lines 2, 4)" in out
    assert out.count("cliche-job-title-hype") == 1
    data = json.loads(runner.invoke(app, ["advert", str(path), "--format", "json"]).stdout)[0]
    (rockstar,) = [f for f in data["findings"] if f["rule_id"] == "cliche-job-title-hype"]
    second = REPEATS.index("rockstar.")
    third = REPEATS.index("rockstar.\n", second + 1)
    assert rockstar["occurrences"] == [
        {"start": second, "end": second + 8},
        {"start": third, "end": third + 8},
    ]
    assert data["findings"][0]["severity"] == "high"
    assert data["severity_counts"]["high"] == 1
    assert sum(data["severity_counts"].values()) == len(data["findings"])


def test_readability_is_scored_on_prose_and_says_what_was_left_out(files):
    poor, _ = files
    # POOR: the title is a heading, "Essential" a heading, two bullets are fragments;
    # the one prose sentence is "Help patients to wash and dress on the ward."
    result = runner.invoke(app, ["advert", str(poor)])
    assert (
        "Scored on 1 prose sentence(s); left out: 2 heading(s), 2 list item(s) that are not "
        "sentences." in " ".join(result.output.split())
    )
    data = json.loads(runner.invoke(app, ["advert", str(poor), "--format", "json"]).stdout)[0]
    (used,) = data["readability"]["sentences_used"]
    assert POOR[used["start"] : used["end"]] == "Help patients to wash and dress on the ward."
    assert used["words"] == 9
    assert data["readability"]["lines_left_out"] == {
        "metadata": 0,
        "heading": 2,
        "list_fragment": 2,
    }


@pytest.mark.parametrize(
    ("which", "fail_on", "status"),
    [
        (0, None, 0),
        (0, "none", 0),
        (0, "high", 1),
        (0, "medium", 1),
        (0, "low", 1),
        (1, "low", 0),
    ],
)
def test_exit_status_follows_fail_on(files, which, fail_on, status):
    args = ["advert", str(files[which])]
    if fail_on is not None:
        args += ["--fail-on", fail_on]
    result = runner.invoke(app, args)
    assert result.exit_code == status, result.output


def test_allow_option_and_config_file_silence_findings(files, tmp_path):
    poor, _ = files
    result = runner.invoke(
        app, ["advert", str(poor), "--allow", "degree-required", "--fail-on", "high"]
    )
    assert result.exit_code == 0, result.output
    assert "1 silenced by the allow list" in result.output
    (tmp_path / ".bias-audit.toml").write_text('allow = ["degree-required"]\n')
    result = runner.invoke(app, ["advert", str(poor), "--fail-on", "high"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["advert", str(poor), "--fail-on", "medium", "--allow", "driving licence"]
    )
    assert result.exit_code == 0, result.output


def test_dash_reads_standard_input(files):
    result = runner.invoke(app, ["advert", "-", "--format", "json"], input=POOR)
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    assert report["source"] == "stdin"
    assert report["band"] == 2


def test_out_writes_the_report_to_a_file(files, tmp_path):
    poor, _ = files
    target = tmp_path / "report.json"
    result = runner.invoke(app, ["advert", str(poor), "--format", "json", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))[0]["band"] == 2


def test_html_format_gives_a_self_contained_page(files):
    poor, _ = files
    result = runner.invoke(app, ["advert", str(poor), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "<html" in result.stdout.lower()
    assert "driving licence" in result.stdout


def test_unusable_input_exits_2_with_one_clear_message(files, tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    with pytest.raises(SystemExit) as stopped:
        main(["advert", str(missing)])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err == f"bias-audit: error: {source.MSG_NOT_FOUND.format(file=missing)}\n"


def test_empty_file_exits_2(files, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(SystemExit) as stopped:
        main(["advert", str(empty)])
    assert stopped.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_band_out_of_range_is_a_usage_error(files):
    poor, _ = files
    result = runner.invoke(app, ["advert", str(poor), "--band", "12"])
    assert result.exit_code == 2


# ------------------------------------------------------------------------- allow-list config


def test_nearest_config_wins_and_bias_audit_toml_beats_pyproject(tmp_path):
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    (tmp_path / ".bias-audit.toml").write_text('allow = ["outer"]\n')
    (tmp_path / "a" / "pyproject.toml").write_text('[tool.bias-audit]\nallow = ["middle"]\n')
    assert find_allow_config(inner).allow == ("middle",)
    (tmp_path / "a" / ".bias-audit.toml").write_text('allow = [" own "]\n')
    found = find_allow_config(inner)
    assert found.allow == ("own",)
    assert found.path == tmp_path / "a" / ".bias-audit.toml"


def test_pyproject_without_the_table_is_passed_over(tmp_path):
    (tmp_path / ".bias-audit.toml").write_text('allow = ["trust-wide"]\n')
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_allow_config(project).allow == ("trust-wide",)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (".bias-audit.toml", "allow = [", config.MSG_BAD_TOML),
        (".bias-audit.toml", 'allow = "degree-required"', config.MSG_BAD_ALLOW),
        ("pyproject.toml", "[tool]\nbias-audit = 3\n", config.MSG_BAD_TABLE),
        ("pyproject.toml", "[tool.bias-audit]\nallow = [1]\n", config.MSG_BAD_ALLOW),
    ],
)
def test_broken_config_names_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(OptionError) as caught:
        find_allow_config(tmp_path)
    assert str(caught.value).startswith(message.split("{reason}")[0].format(path=path))


def test_the_allow_example_in_the_message_silences_what_it_names():
    from bias_audit.text.advert import analyse_advert

    example = config.MSG_BAD_ALLOW.split("allow = ")[1].rstrip(".")
    allow = json.loads(example)
    report = analyse_advert("An energetic team in a fast-paced ward.", allow=allow)
    assert {f.rule_id for f in report.allowed} >= {"age-energetic"}
    assert {f.text for f in report.allowed} >= {"fast-paced"}
    assert not report.findings


def test_word_person_spec_through_the_command_line(files):
    spec = Path(__file__).resolve().parents[1] / "example_data/adverts/band3_hcsw_person_spec.docx"
    result = runner.invoke(app, ["advert", str(spec), "--format", "json", "--fail-on", "high"])
    assert result.exit_code == 1, result.output
    (report,) = json.loads(result.stdout)
    assert report["band"] == 3
    assert [(r["kind"], r["section"]) for r in report["requirements"]][:3] == [
        ("gcse", "essential"),
        ("qualification_level", "essential"),
        ("degree", "essential"),
    ]
