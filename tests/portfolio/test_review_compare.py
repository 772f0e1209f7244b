"""Before/after comparison (issue 13 point 6): service, matching, measures, CLI, renderers;
and the shared review tables."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bias_audit.cli import app
from bias_audit.portfolio.compare import (
    MSG_NOT_COMPUTABLE,
    REASON_NO_CRITERIA,
    render_html,
    render_text,
)
from bias_audit.portfolio.credentials import credential_balance
from bias_audit.portfolio.duplicates import near_duplicates
from bias_audit.portfolio.review_tables import review_text
from bias_audit.services import compare_adverts
from bias_audit.services.compare import MSG_ONE_INPUT_EACH

OLD = (
    "Healthcare Support Worker, Band 3\n"
    "We want a young, energetic person.\n"
    "Essential\n"
    "- NVQ Level 3 in Health and Social Care\n"
    "- Full UK driving licence\n"
    "- Kind and patient\n"
    "- Able to record observations\n"
)
NEW = (
    "Healthcare Support Worker, Band 3\n"
    "This paragraph is new and pushes everything down the page.\n"
    "We want a young, kind person.\n"
    "Essential\n"
    "- Able to show the knowledge and skills of a Level 3 care role, through a qualification "
    "or equivalent experience\n"
    "- Kind and patient\n"
    "- Able to record observations\n"
    "- Native English speaker\n"
)


@pytest.fixture(scope="module")
def comparison():
    return compare_adverts(old_text=OLD, new_text=NEW)


def test_findings_are_matched_by_rule_and_text_not_position(comparison):
    kept = {k.new.rule_id: k for k in comparison.kept}
    assert "age-young" in kept
    assert kept["age-young"].new.start > kept["age-young"].old.start  # it moved down
    removed = {f.rule_id for f in comparison.removed}
    assert {"age-energetic", "qualification-nvq-level", "driving-licence"} <= removed
    assert "age-young" not in removed
    assert any(f.text.lower().startswith("native english") for f in comparison.added)
    # nothing is in two lists
    keys = [(f.rule_id, f.text.lower()) for f in (*comparison.removed, *comparison.added)]
    assert len(keys) == len(set(keys))


def test_credential_share_change_hand_counted(comparison):
    # old: NVQ, licence = credential; kind = value; able to record = competence -> 2/4
    # new: rewording, able to record = competence; kind = value; "Native English speaker"
    # is none of the three (unclassified) -> 0/4
    assert comparison.credential_share.old == pytest.approx(0.5)
    assert comparison.credential_share.new == pytest.approx(0.0)
    assert comparison.credential_share.difference == pytest.approx(-0.5)
    assert dict(comparison.new_balance.counts) == {
        "credential": 0,
        "competence": 2,
        "value": 1,
        "unclassified": 1,
    }


def test_reading_age_and_gender_gauge_are_differences_of_the_two_checks(comparison):
    before = compare_adverts(old_text=OLD, new_text=OLD)
    assert before.reading_age.difference == 0 and not before.removed and not before.added
    assert comparison.reading_age.difference == pytest.approx(
        comparison.reading_age.new - comparison.reading_age.old
    )
    assert comparison.gender_verdict[0] in {
        "masculine",
        "neutral",
        "feminine",
        "strongly masculine",
        "strongly feminine",
    }
    data = comparison.to_dict()
    assert data["counts"] == {
        "removed": len(comparison.removed),
        "added": len(comparison.added),
        "kept": len(comparison.kept),
    }
    assert set(data["gender_coding"]) >= {"old", "new", "difference", "old_verdict", "new_verdict"}


def test_no_essential_criteria_makes_the_share_not_computable():
    result = compare_adverts(old_text="We are a friendly ward.", new_text=OLD)
    assert result.credential_share.difference is None
    assert result.credential_share.not_computable == MSG_NOT_COMPUTABLE.format(
        reason=REASON_NO_CRITERIA.format(which="the old version")
    )


@pytest.mark.parametrize(
    ("kwargs", "given"),
    [
        ({"old_text": "a"}, "neither"),
        ({"old": b"x", "old_text": "a", "new_text": "b"}, "both"),
    ],
)
def test_each_version_once(kwargs, given):
    with pytest.raises(ValueError) as err:
        compare_adverts(**kwargs)
    assert str(err.value) == MSG_ONE_INPUT_EACH.format(given=given)


def test_html_escapes_advert_text():
    result = compare_adverts(old_text=OLD, new_text=NEW + "<script>alert(1)</script> young\n")
    page = render_html(result)
    assert "<script>alert(1)" not in page and page.startswith("<!DOCTYPE html>")
    assert "<h2>Removed (" in page


def test_text_rendering_lists_the_three_groups(comparison):
    text = render_text(comparison)
    assert "Removed:" in text and "Added:" in text and "Kept:" in text
    assert "credential share: 50% -> 0% (-50 points)" in text


@pytest.fixture
def versions(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def test_cli_json_and_out(versions, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["compare", str(versions[0]), str(versions[1]), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old_source"].endswith("old.txt") and data["credential_share"]["new"] == 0.0
    out = tmp_path / "c.html"
    result = runner.invoke(
        app, ["compare", *map(str, versions), "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_missing_file_exits_2_with_a_message(versions, capsys):
    from bias_audit.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["compare", str(versions[0]), str(versions[0].parent / "missing.txt")])
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "missing.txt" in error and "Traceback" not in error


def test_review_text_for_the_portfolio_cli():
    balances = [credential_balance("Essential\n- NVQ 2\n- Kind", source="a.txt", band=2)]
    job = "Main duties\nWash and dress patients. Make beds. Record fluid charts.\n"
    text = review_text(
        balances, balances, near_duplicates({"a.txt": job, "b.txt": job + "Phone.\n"})
    )
    assert "Credential: 50% (1)" in text
    assert "Level 2 care role" in text
    assert "Documents: a.txt, b.txt" in text
    assert "Only in this document: Phone." in text


def test_both_versions_without_criteria_say_either_version():
    from bias_audit.portfolio.compare import EITHER_VERSION

    result = compare_adverts(old_text="We are a friendly ward.", new_text="We are a kind ward.")
    assert result.credential_share.not_computable == MSG_NOT_COMPUTABLE.format(
        reason=REASON_NO_CRITERIA.format(which=EITHER_VERSION)
    )
    assert result.to_dict()["credential_share"]["difference"] is None
