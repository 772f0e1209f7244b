"""The workflows: each service is the reader plus the engine, with nothing lost or added."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bias_audit import services
from bias_audit.io.extract import read_funnel
from bias_audit.io.source import NOTE_MISLABELLED
from bias_audit.report import suppression as sdc
from bias_audit.services.advert import NEEDS_ONE_INPUT
from bias_audit.text.advert import analyse_advert

ROOT = Path(__file__).resolve().parents[2]
PERSON_SPEC = ROOT / "example_data" / "adverts" / "band3_hcsw_person_spec.docx"
# 3 BME applicants appointed of 20, 30 White of 100: "3" must never be printed by default.
EXTRACT = (
    b"ethnicity,outcome\n"
    + b"White,appointed\n" * 30
    + b"White,rejected\n" * 70
    + b"Asian,appointed\n" * 3
    + b"Asian,rejected\n" * 17
)


def _json(audit) -> str:
    return json.dumps(audit.to_dict(), sort_keys=True, default=str)


def test_audit_extract_suppresses_by_default():
    audit = services.audit_extract(EXTRACT, name="trust.csv")
    assert audit.suppression is True
    bme = audit.transitions.query("attribute == 'ethnicity_wres' and group == 'BME'").iloc[0]
    assert bme["progressed"] in (sdc.SMALL_LABEL, sdc.SECONDARY_LABEL)
    assert bme["relative_likelihood"] is None


@pytest.mark.parametrize("suppression", [True, False])
def test_audit_extract_is_read_funnel_then_audit_recruitment(suppression):
    by_service = services.audit_extract(EXTRACT, name="t.csv", suppression=suppression)
    by_hand = services.audit_recruitment(
        read_funnel(EXTRACT, name="t.csv"), suppression=suppression
    )
    assert _json(by_service) == _json(by_hand)


def test_exact_counts_only_when_asked():
    audit = services.audit_extract(EXTRACT, name="t.csv", suppression=False)
    bme = audit.transitions.query("attribute == 'ethnicity_wres' and group == 'BME'").iloc[0]
    assert (bme["entered"], bme["progressed"]) == (20, 3)
    assert bme["relative_likelihood"] == pytest.approx((30 / 100) / (3 / 20))


@pytest.mark.parametrize(
    ("source", "text", "given"),
    [(None, None, "neither"), ("advert.txt", "Band 3", "both")],
)
def test_check_advert_needs_exactly_one_input(source, text, given):
    with pytest.raises(ValueError, match=re.escape(NEEDS_ONE_INPUT.format(given=given))):
        services.check_advert(source, text=text)


def test_check_advert_on_text_is_the_analyser():
    words = "We want a young, energetic team player. Band 3."
    report = services.check_advert(text=words, allow=["cliche-team-player"])
    expected = analyse_advert(words, source="pasted text", allow=("cliche-team-player",))
    assert report.to_dict() == expected.to_dict()


def test_check_advert_reads_a_file_and_hands_back_its_notes(tmp_path):
    disguised = tmp_path / "spec.txt"  # a Word file saved under a text name
    disguised.write_bytes(PERSON_SPEC.read_bytes())
    notes: list[str] = []
    report = services.check_advert(disguised, band=3, notes=notes)
    assert report.source == str(disguised)
    assert notes == [
        NOTE_MISLABELLED.format(file=str(disguised), found="a Word document", proper=".docx")
    ]
    assert report.findings, "the example person specification has findings"
