"""The Workforce page's headline cards: one line each, hand-made inputs."""

from __future__ import annotations

import pytest

from bias_audit.report import workforce_flow_text as words

WRES_3 = {
    "name": "WRES indicator 3",
    "value": 1.71,
    "ratio": "BME ÷ White",
    "direction": "BME rate ÷ White rate: above 1 means BME staff are more likely to enter the "
    "formal disciplinary process",
    "significance": "not significant",
    "BME": {"rate": 0.012},
    "White": {"rate": 0.007},
    "official": False,
}
WDES_3 = {
    "name": "WDES metric 3",
    "value": 4.01,
    "ratio": "Disabled ÷ Not disabled",
    "direction": "Disabled rate ÷ non-disabled rate: above 1 means Disabled staff are more "
    "likely to enter the formal capability process",
    "significance": "significant",
    "Disabled": {"rate": 0.04},
    "Not disabled": {"rate": 0.01},
}


@pytest.mark.parametrize(
    ("result", "value", "takeaway"),
    [
        (
            WRES_3,
            "1.71",
            "BME staff were 1.71 times as likely as White staff to enter the "
            "formal disciplinary process (1.2% vs 0.7%; not significant). One year of data: not "
            "the official two-year figure.",
        ),
        (
            WDES_3,
            "4.01",
            "Disabled staff were 4.01 times as likely as non-disabled staff to "
            "enter the formal capability process (4.0% vs 1.0%; significant).",
        ),
        (
            {
                "name": "WRES indicator 4",
                "value": None,
                "reason": "the extract has no training column",
            },
            "–",
            "Not computable: the extract has no training column",
        ),
    ],
)
def test_ratio_cards(result, value, takeaway):
    card = words.ratio_card(result)
    assert (card.label, card.value, card.takeaway) == (result["name"], value, takeaway)


def test_board_and_profile_cards():
    board = words.board_card(
        {
            "name": "WRES indicator 9",
            "value": -10.1,
            "focal": "BME",
            "parts": {"all": {"share": 2 / 14}},
            "workforce_share": 0.243,
        }
    )
    assert board.value == "-10.1 pp"
    assert board.takeaway == (
        "BME people are 14.3% of the board against 24.3% of the workforce (-10.1 points)."
    )
    voting = words.board_card(
        {
            "name": "WRES indicator 9",
            "value": -7.8,
            "focal": "BME",
            "parts": {
                "voting": {"share": 2 / 12, "difference_pp": -7.8},
                "all": {"share": 2 / 14, "difference_pp": -10.1},
            },
            "workforce_share": 0.244,
        }
    )
    assert voting.takeaway == (
        "BME people are 16.7% of the board's voting members against 24.4% of the workforce "
        "(-7.8 points)."
    )
    profile = words.profile_card(
        {
            "name": "WRES indicator 1",
            "value": 0.244,
            "focal": "BME",
            "bands": [
                {"clinical": "Clinical", "band": "Band 5", "difference_pp": 3.1},
                {"clinical": "Non-clinical", "band": "Band 8b", "difference_pp": -22.5},
                {"clinical": "Clinical", "band": "All bands", "difference_pp": -30.0},
            ],
        }
    )
    assert profile.takeaway == (
        "BME staff are 24.4% of the workforce. They are least "
        "represented in non-clinical Band 8b (-22.5 points)."
    )


def test_headline_cards_in_order_with_flow():
    audit = {
        "wres_indicator_3": WRES_3,
        "wdes_metric_3": WDES_3,
        "retention": {"reason": "no start dates", "definition": "d"},
        "progression": {"reason": "no earlier band", "definition": "d", "direction": ""},
    }
    cards = words.headline_cards(audit)
    assert [c.label for c in cards] == [
        "WRES indicator 3",
        "WDES metric 3",
        "Retention of new support staff",
        "Progression of support staff",
    ]
    assert cards[2].takeaway == "Retention could not be measured: no start dates"
    assert cards[3].value == "–"


def test_flow_text_lines_from_the_published_sections():
    from flow_staff import EXTRACT_DATE, synthetic_staff

    from bias_audit.report.workforce_flow import workforce_flow

    flow = workforce_flow(synthetic_staff(600, seed=4), extract_date=EXTRACT_DATE)
    lines = words.flow_text_lines(flow.retention, flow.progression)
    assert lines[0].endswith(flow.retention["takeaway"])
    assert any(line.startswith("Progression (") for line in lines)
    assert sum(line.startswith("  ethnicity_wres ") for line in lines) == 3
    assert words.flow_text_lines(None, {"reason": "x"})[-1] == ("Progression: not computable: x")
