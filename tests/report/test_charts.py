"""Chart builders: titles, takeaways computed from the data, band shading, legible fonts."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.report import advert_charts as ac
from bias_audit.report import charts as ch
from bias_audit.report import recruitment_charts as rc
from bias_audit.report.style import FONT_SIZE, OKABE_ITO


def transitions(rows):
    """A transitions table in the audit's documented shape (only the columns charts read)."""
    cols = [
        "attribute",
        "from",
        "to",
        "reference",
        "group",
        "relative_likelihood",
        "ci_low",
        "ci_high",
        "suppressed",
    ]
    return pd.DataFrame(rows, columns=cols)


WRES = ("ethnicity_wres", "shortlisted", "appointed", "White")
DIS = ("disability", "shortlisted", "appointed", "Not disabled")


def test_forest_shades_band_and_names_furthest_ratio():
    frame = transitions(
        [
            (*WRES, "White", 1.0, math.nan, math.nan, False),
            (*WRES, "BME", 1.6, 1.2, 2.1, False),
            (*DIS, "Disabled", 1.1, 0.8, 1.5, False),
            (*DIS, "Not disabled", 1.0, math.nan, math.nan, False),
        ]
    )
    chart = rc.forest_chart(frame, attributes=("ethnicity_wres", "disability"))
    assert chart.title == "Relative likelihood of progressing: shortlisted → appointed"
    assert chart.takeaway == rc.FOREST_SOME_OUTSIDE.format(
        n_out=1, n=2, low=0.8, high=1.25, label="Ethnicity (WRES): BME vs White", value=1.6
    )
    (trace,) = chart.figure.data
    assert list(trace.x) == [1.6, 1.1]
    # error bars are distances from the point: 2.1-1.6 up, 1.6-1.2 down
    assert trace.error_x.array == pytest.approx((0.5, 0.4))
    assert trace.error_x.arrayminus == pytest.approx((0.4, 0.3))
    # outside the band: a different colour AND a different symbol (not colour alone)
    assert list(trace.marker.symbol) == ["diamond", "circle"]
    band = [s for s in chart.figure.layout.shapes if s.type == "rect"]
    assert (band[0].x0, band[0].x1) == (0.8, 1.25)
    assert chart.figure.layout.font.size == FONT_SIZE


def test_forest_all_inside_and_skips_suppressed_and_not_computable():
    frame = transitions(
        [
            (*WRES, "BME", 1.1, 0.9, 1.3, False),
            (*WRES, "Mixed", math.nan, math.nan, math.nan, False),  # not computable
            (*WRES, "Other", 3.0, 1.0, 9.0, True),  # suppressed: never shown
        ]
    )
    chart = rc.forest_chart(frame, attributes=("ethnicity_wres",))
    assert chart.takeaway == rc.FOREST_ALL_INSIDE.format(n=1, low=0.8, high=1.25)
    assert list(chart.figure.data[0].y) == ["Ethnicity (WRES): BME vs White"]


def test_forest_leaves_out_ratios_a_log_axis_cannot_show():
    # Reference group with nobody progressing gives a ratio of 0; it stays in the tables only.
    frame = transitions(
        [
            (*WRES, "BME", 0.0, 0.0, 0.0, False),
            (*DIS, "Disabled", 1.4, 1.1, 1.8, False),
        ]
    )
    chart = rc.forest_chart(frame, attributes=("ethnicity_wres", "disability"))
    assert list(chart.figure.data[0].y) == ["Disability: Disabled vs Not disabled"]
    assert chart.takeaway == rc.FOREST_SOME_OUTSIDE.format(
        n_out=1, n=1, low=0.8, high=1.25, label="Disability: Disabled vs Not disabled", value=1.4
    )


def test_forest_with_nothing_to_show():
    chart = rc.forest_chart(transitions([(*WRES, "BME", None, None, None, True)]))
    assert chart.takeaway == rc.FOREST_NONE
    assert chart.figure.data == ()


@pytest.mark.parametrize(
    ("shares", "best", "worst"),
    [
        ({"White": [1, 0.5, 0.2], "BME": [1, 0.4, 0.1]}, ("White", 0.2), ("BME", 0.1)),
        ({"A": [1, 0.3, 0.05], "B": [1, 0.2, 0.15], "C": [1, 0.6, None]}, ("B", 0.15), ("A", 0.05)),
    ],
)
def test_funnel_takeaway_compares_last_stage(shares, best, worst):
    stages = ["applied", "shortlisted", "appointed"]
    frame = pd.DataFrame(
        [(g, s, v) for g, vals in shares.items() for s, v in zip(stages, vals, strict=True)],
        columns=["group", "stage", "share"],
    )
    chart = rc.funnel_chart(frame, attribute="ethnicity_wres")
    assert chart.title == "Share of applicants reaching each stage, by Ethnicity (WRES)"
    assert chart.takeaway == rc.FUNNEL_TAKEAWAY.format(
        best=best[0], best_rate=best[1], worst=worst[0], worst_rate=worst[1]
    )
    assert len(chart.figure.data) == len(shares)
    assert {t.line.color for t in chart.figure.data} <= set(OKABE_ITO)


def test_heatmap_grid_and_takeaway():
    cells = pd.DataFrame(
        [
            ("White", "Female", 0.30),
            ("White", "Male", 0.25),
            ("BME", "Female", 0.20),
            ("BME", "Male", None),  # suppressed
        ],
        columns=["ethnicity", "gender", "rate"],
    )
    chart = rc.heatmap_chart(cells, from_stage="shortlisted", to_stage="appointed")
    assert (
        chart.takeaway
        == rc.HEATMAP_TAKEAWAY.format(
            best="White × Female", best_rate=0.30, worst="BME × Female", worst_rate=0.20
        )
        + rc.HEATMAP_BLANK_HIDDEN
    )
    (trace,) = chart.figure.data
    assert list(trace.y) == ["White", "BME"]
    assert list(trace.x) == ["Female", "Male"]
    assert math.isnan(trace.z[1][1])


def _coding(n_masc: int, n_fem: int, words: int):
    """A GenderCoding as gender_coding builds it, from counts and the words considered."""
    from bias_audit.text.wording import (
        MIN_WORDS_CONSIDERED,
        GenderCoding,
        gender_score,
        gender_verdict,
    )

    return GenderCoding(
        verdict=gender_verdict(n_masc, n_fem, words_considered=words),
        masculine=["m"] * n_masc,
        feminine=["f"] * n_fem,
        explanation="",
        words_considered=words,
        score=gender_score(n_masc, n_fem, words_considered=words),
        enough_text=words >= MIN_WORDS_CONSIDERED,
    )


_ZONES = ["strongly masculine", "masculine", "neutral", "feminine", "strongly feminine"]

# (masculine, feminine, words considered) -> verdict, by hand: score = (f - m) per 100 words
# (texts under 100 words count as 100); 1 or more either way leans, 4 or more is strong.
GAUGE_TABLE = [
    (0, 0, 50, 0.0, "neutral"),
    (1, 0, 50, -1.0, "masculine"),  # exactly on the lean cut point
    (4, 0, 100, -4.0, "strongly masculine"),  # exactly on the strong cut point
    (4, 0, 400, -1.0, "masculine"),  # the same words in a longer text lean only
    (4, 0, 401, -400 / 401, "neutral"),  # just under the lean cut point
    (9, 1, 200, -4.0, "strongly masculine"),
    (2, 3, 80, 1.0, "feminine"),
    (0, 5, 100, 5.0, "strongly feminine"),
    (0, 5, 125, 4.0, "strongly feminine"),
    (0, 5, 126, 500 / 126, "feminine"),
    (1, 1, 300, 0.0, "neutral"),
    (0, 20, 100, 20.0, "strongly feminine"),  # beyond the default axis: the axis grows
]


@pytest.mark.parametrize(("n_masc", "n_fem", "words", "score", "verdict"), GAUGE_TABLE)
def test_gender_gauge_needle_and_zone_agree_with_the_verdict(n_masc, n_fem, words, score, verdict):
    coding = _coding(n_masc, n_fem, words)
    assert coding.verdict == verdict
    chart = ac.gender_gauge(coding)
    assert not chart.empty
    gauge = chart.figure.data[0].gauge
    assert chart.figure.data[0].value == pytest.approx(score)
    assert gauge.threshold.value == pytest.approx(score)
    low, high = gauge.axis.range
    assert low <= score <= high
    # zones holding the needle; on a cut point the zone further from neutral is the verdict's
    holding = [
        (zone, step.range)
        for zone, step in zip(_ZONES, gauge.steps, strict=True)
        if step.range[0] <= score <= step.range[1]
    ]
    zone = max(holding, key=lambda item: abs(item[1][0] + item[1][1]))[0]
    assert zone == verdict
    assert chart.takeaway == ac.GENDER_TAKEAWAY.format(
        verdict=verdict,
        score=score,
        n_masc=n_masc,
        n_fem=n_fem,
        words=words,
        reference=100,
        masculine=f"m ({n_masc})" if n_masc > 1 else ("m" if n_masc else "none"),
        feminine=f"f ({n_fem})" if n_fem > 1 else ("f" if n_fem else "none"),
    )
    score_text, verdict_text = (a.text for a in chart.figure.layout.annotations)
    assert score_text == f"<b>{score:+.1f}</b>".replace("-", "−")
    assert verdict_text == f"<b>{verdict}</b>"


@pytest.mark.parametrize(("n_masc", "n_fem", "words"), [(3, 0, 19), (0, 0, 0), (0, 6, 5)])
def test_gender_gauge_says_too_little_text_instead_of_a_verdict(n_masc, n_fem, words):
    chart = ac.gender_gauge(_coding(n_masc, n_fem, words))
    assert chart.empty
    assert chart.takeaway == ac.GENDER_TOO_LITTLE.format(words=words, minimum=20)
    assert "too little text to judge" in chart.figure.layout.annotations[0].text
    assert not chart.figure.data  # no needle, no zones


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (10.4, ac.READING_TAKEAWAY.format(age=10.4, target="9–11", verdict=ac.READING_OK)),
        # Shown as "11", so it must not be called over a 9–11 target (as the text report says).
        (11.4, ac.READING_TAKEAWAY.format(age=11.4, target="9–11", verdict=ac.READING_OK)),
        (11.6, ac.READING_TAKEAWAY.format(age=11.6, target="9–11", verdict=ac.READING_HIGH)),
        (15.0, ac.READING_TAKEAWAY.format(age=15.0, target="9–11", verdict=ac.READING_HIGH)),
        (None, ac.READING_UNKNOWN),
    ],
)
def test_reading_gauge_against_target(age, expected):
    chart = ac.reading_age_gauge(age, (9, 11))
    assert chart.takeaway == expected
    assert chart.figure.data[0].gauge.threshold.value == 11


@pytest.mark.parametrize(("age", "drawn"), [(11.4, 11), (11.6, 12), (8.2, 8), (15.0, 15)])
def test_reading_gauge_needle_is_on_the_side_of_the_line_its_verdict_says(age, drawn):
    chart = ac.reading_age_gauge(age, (9, 11))
    assert chart.figure.data[0].value == drawn
    within = chart.figure.data[0].value <= chart.figure.data[0].gauge.threshold.value
    assert within == (ac.READING_OK in chart.takeaway)


def test_every_chart_has_title_in_figure():
    chart = ac.reading_age_gauge(12, (9, 11))
    assert chart.figure.layout.title.text == chart.title == ac.READING_TITLE


def test_not_stated_is_drawn_but_never_named_in_takeaways():
    stages = ["applied", "appointed"]
    frame = pd.DataFrame(
        [
            ("White", "applied", 1.0),
            ("White", "appointed", 0.3),
            ("BME", "applied", 1.0),
            ("BME", "appointed", 0.2),
            ("Not stated", "applied", 1.0),
            ("Not stated", "appointed", 0.05),
        ],
        columns=["group", "stage", "share"],
    )
    chart = rc.funnel_chart(frame, attribute="ethnicity_wres")
    assert len(chart.figure.data) == 3
    assert chart.takeaway == rc.FUNNEL_TAKEAWAY.format(
        best="White", best_rate=0.3, worst="BME", worst_rate=0.2
    ) + rc.FUNNEL_NOT_COMPARED.format(groups="Not stated", is_are="is")
    cells = pd.DataFrame(
        [("White", "Male", 0.5), ("BME", "Male", 0.4), ("Not stated", "Male", 0.0)],
        columns=["ethnicity", "gender", "rate"],
    )
    heat = rc.heatmap_chart(cells, from_stage=stages[0], to_stage=stages[1])
    # The Not stated cell (0%) is lower than the lowest named: the caption says it is there.
    assert heat.takeaway == rc.HEATMAP_TAKEAWAY.format(
        best="White × Male", best_rate=0.5, worst="BME × Male", worst_rate=0.4
    ) + rc.HEATMAP_NOT_STATED_ONE.format(low=0.0)


def test_fully_suppressed_charts_are_marked_empty_and_not_drawn():
    from bias_audit.report.html_report import chart_html

    frame = pd.DataFrame(
        [("White", "applied", None), ("BME", "applied", None)],
        columns=["group", "stage", "share"],
    )
    funnel = rc.funnel_chart(frame, attribute="ethnicity_wres")
    assert funnel.empty and funnel.takeaway == rc.FUNNEL_NONE
    assert "plotly-graph-div" not in chart_html(funnel)
    assert rc.FUNNEL_NONE in chart_html(funnel)
    forest = rc.forest_chart(transitions([]))
    assert forest.empty
    drawn = ac.reading_age_gauge(10, (9, 11))
    assert not drawn.empty and "plotly-graph-div" in chart_html(drawn)


# --- issue 10: ticks a reader can name, captions that agree with what is drawn --------------


@pytest.mark.parametrize(
    ("ci_low", "value", "ci_high", "ticks"),
    [
        # a wide interval: plotly's own log ticks read "4 5 6 7 8 9 1 2 3" here
        (0.3, 1.6, 6.0, (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)),
        (0.9, 1.1, 1.2, (0.8, 1.0, 1.25)),  # narrow: the band edges are the ends
        (0.6, 1.4, 1.9, (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0)),
        (0.05, 2.0, 30.0, (0.01, 0.1, 1.0, 10.0, 100.0)),
        (0.0005, 2.0, 3000.0, (0.0001, 0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0)),
    ],
)
def test_forest_log_axis_has_named_ticks(ci_low, value, ci_high, ticks):
    frame = transitions([(*WRES, "BME", value, ci_low, ci_high, False)])
    chart = rc.forest_chart(frame, attributes=("ethnicity_wres",))
    axis = chart.figure.layout.xaxis
    assert axis.type == "log" and axis.tickmode == "array"
    assert tuple(axis.tickvals) == pytest.approx(ticks)
    assert list(axis.ticktext) == [f"{t:g}" for t in ticks]
    low, high = axis.range  # log10 units: the whole interval and the band are on the axis
    assert low <= math.log10(min(ci_low, 0.8)) and math.log10(max(ci_high, 1.25)) <= high


@settings(max_examples=50, deadline=None)
@given(
    low=st.floats(1e-4, 50.0),
    ratio=st.floats(1.0, 1e4),
)
def test_log_ticks_cover_the_range_and_include_one(low, ratio):
    high = low * ratio
    ticks = ch.log_ticks(low, high)
    assert 1.0 in ticks
    assert ticks[0] <= min(low, 1.0) and max(high, 1.0) <= ticks[-1]
    assert list(ticks) == sorted(set(ticks))
    assert len(ticks) >= 2


def _shares(rows):
    return pd.DataFrame(rows, columns=["group", "stage", "share"])


def test_funnel_with_all_last_shares_equal_says_so():
    frame = _shares(
        [
            ("BME", "applied", 1.0),
            ("BME", "appointed", 1.0),
            ("White", "applied", 1.0),
            ("White", "appointed", 1.0),
        ]
    )
    chart = rc.funnel_chart(frame, attribute="ethnicity_wres")
    assert chart.takeaway == rc.FUNNEL_EQUAL.format(n=2, rate=1.0)
    assert "largest" not in chart.takeaway


@pytest.mark.parametrize(
    ("suppression", "why"), [(True, rc.WHY_HIDDEN), (False, rc.WHY_NOT_COMPUTABLE)]
)
def test_funnel_partly_drawn_describes_what_is_drawn(suppression, why):
    frame = _shares(
        [
            ("White", "applied", 1.0),
            ("White", "appointed", 0.2),
            ("BME", "applied", 1.0),
            ("BME", "appointed", None),
        ]
    )
    chart = rc.funnel_chart(frame, attribute="ethnicity_wres", suppression=suppression)
    assert not chart.empty
    assert chart.takeaway != rc.FUNNEL_NONE
    assert chart.takeaway == rc.FUNNEL_ONE.format(
        shown="White", rate=0.2, missing="BME", has_have="has", why=why
    )
    assert ("hidden" in chart.takeaway) == suppression
    assert chart.table.to_dict("records") == [
        {"Ethnicity (WRES)": "White", "applied": "100%", "appointed": "20%"},
        {
            "Ethnicity (WRES)": "BME",
            "applied": "100%",
            "appointed": "hidden" if suppression else "not shown",
        },
    ]


def test_funnel_with_no_last_stage_share_still_describes_the_lines():
    frame = _shares(
        [
            ("White", "applied", 1.0),
            ("White", "appointed", None),
            ("BME", "applied", 1.0),
            ("BME", "appointed", None),
        ]
    )
    chart = rc.funnel_chart(frame, attribute="ethnicity_wres")
    assert not chart.empty
    assert chart.takeaway == rc.FUNNEL_NO_LAST.format(why=rc.WHY_HIDDEN)


def _cells(rows):
    return pd.DataFrame(rows, columns=["ethnicity", "gender", "rate", "suppressed"])


# As the example extract gives it at shortlisted → appointed with suppression off: a Not
# stated × Male cell of 0% below every named rate, and a Non-binary column with one rate.
EXAMPLE_OFF = [
    ("White", "Female", 0.378, False),
    ("BME", "Female", 0.278, False),
    ("White", "Male", 0.428, False),
    ("BME", "Male", 0.235, False),
    ("White", "Non-binary", 0.5, False),
    ("BME", "Non-binary", None, False),  # nobody
    ("Not stated", "Female", 0.342, False),
    ("Not stated", "Male", 0.0, False),
    ("Not stated", "Not stated", None, False),  # nobody
]


def test_heatmap_caption_agrees_with_every_cell_drawn_without_suppression():
    chart = rc.heatmap_chart(
        _cells(EXAMPLE_OFF), from_stage="shortlisted", to_stage="appointed", suppression=False
    )
    (trace,) = chart.figure.data
    # the Not stated column has no rate in any cell: it is left out, and said so
    assert list(trace.x) == ["Female", "Male", "Non-binary"]
    assert list(trace.y) == ["White", "BME", "Not stated"]
    drawn = [z for row in trace.z for z in row if not math.isnan(z)]
    stated = [0.378, 0.278, 0.428, 0.235, 0.5]
    assert chart.takeaway == (
        rc.HEATMAP_TAKEAWAY.format(
            best="White × Non-binary", best_rate=max(stated), worst="BME × Male", worst_rate=0.235
        )
        + rc.HEATMAP_NOT_STATED.format(low=0.0, high=0.342)
        + rc.HEATMAP_BLANK_NOBODY
        + rc.HEATMAP_LEFT_OUT.format(why=rc.HEATMAP_WHY_NOBODY, what="gender Not stated")
    )
    # every rate drawn lies inside the range the caption names, stated or not
    assert min(drawn) == 0.0 and "0%" in chart.takeaway
    assert max(drawn) == 0.5 and "50%" in chart.takeaway
    assert "hidden" not in chart.takeaway  # suppression is off: nothing is hidden


def test_heatmap_drops_empty_categories_and_says_cells_are_hidden_with_suppression():
    # As the example extract gives it with suppression on: Non-binary and Not stated
    # columns have no rate in any cell (hidden, or nobody).
    cells = _cells(
        [
            ("White", "Female", 0.375, False),
            ("BME", "Female", 0.283, False),
            ("White", "Male", 0.419, False),
            ("BME", "Male", None, True),
            ("White", "Non-binary", None, True),
            ("BME", "Non-binary", None, False),
            ("Not stated", "Female", None, True),
            ("Not stated", "Male", None, True),
            ("White", "Not stated", None, True),
            ("BME", "Not stated", None, True),
            ("Not stated", "Non-binary", None, True),
            ("Not stated", "Not stated", None, False),
        ]
    )
    chart = rc.heatmap_chart(cells, from_stage="shortlisted", to_stage="appointed")
    (trace,) = chart.figure.data
    assert list(trace.x) == ["Female", "Male"]
    assert list(trace.y) == ["White", "BME"]
    assert chart.takeaway == (
        rc.HEATMAP_TAKEAWAY.format(
            best="White × Male", best_rate=0.419, worst="BME × Female", worst_rate=0.283
        )
        + rc.HEATMAP_BLANK_HIDDEN
        + rc.HEATMAP_LEFT_OUT.format(
            why=rc.HEATMAP_WHY_HIDDEN,
            what="ethnicity Not stated; gender Non-binary and Not stated",
        )
    )
    assert chart.table.to_dict("records") == [
        {"Ethnicity": "White", "Female": "38%", "Male": "42%"},
        {"Ethnicity": "BME", "Female": "28%", "Male": "hidden"},
    ]


def test_heatmap_with_equal_rates_says_they_are_equal():
    cells = _cells([("White", "Male", 1.0, False), ("BME", "Male", 1.0, False)])
    chart = rc.heatmap_chart(cells, from_stage="a", to_stage="b", suppression=False)
    assert chart.takeaway == rc.HEATMAP_EQUAL.format(n=2, rate=1.0)


@pytest.mark.parametrize(
    ("chart", "texts"),
    [
        (ac.reading_age_gauge(12.2, (9, 11)), ["<b>12 years</b>"]),
        (ac.reading_age_gauge(None, (9, 11)), [f"<b>{ac.READING_NUMBER_UNKNOWN}</b>"]),
        (ac.gender_gauge(_coding(2, 0, 100)), ["<b>−2.0</b>", "<b>masculine</b>"]),
    ],
)
def test_gauge_numbers_are_written_under_the_dial_not_inside_it(chart, texts):
    # At 1280 px a gauge has half the page: a 40 px number inside the arc's hole overlapped
    # the arc. The number is now an annotation hung from the bottom of the plot area.
    (gauge,) = chart.figure.data
    assert "number" not in gauge.mode  # nothing is drawn inside the arc's hole
    notes = chart.figure.layout.annotations
    assert [a.text for a in notes] == texts
    bottom = 8  # the gap above the first line
    for note in notes:
        assert note.yref == "paper" and note.y == 0 and note.yanchor == "top"
        assert -note.yshift >= bottom  # each line starts below the one above it
        bottom = -note.yshift + note.font.size + 8
    assert chart.figure.layout.margin.b >= bottom  # and all of them fit in the margin
    assert notes[0].font.size == ac.GAUGE_NUMBER_SIZE


def test_reading_gauge_data_table():
    chart = ac.reading_age_gauge(12.2, (9, 11))
    assert chart.table.to_dict("records") == [
        {"Reading age (years)": "12", "Target for this band": "9–11", "Within the target": "no"}
    ]


def test_every_drawn_chart_carries_a_data_table():
    frame = transitions([(*WRES, "BME", 1.6, 1.2, 2.1, False)])
    forest = rc.forest_chart(frame, attributes=("ethnicity_wres",))
    assert forest.table.to_dict("records") == [
        {
            "Comparison": "Ethnicity (WRES): BME vs White",
            "Relative likelihood": "1.60",
            "95% confidence interval": "1.20 to 2.10",
            "Inside the 0.80–1.25 band": "no",
        }
    ]
    gender = ac.gender_gauge(_coding(2, 0, 100))
    assert gender.table.iloc[0]["Verdict"] == "masculine"
    assert gender.table.iloc[0]["Masculine-coded words"] == "m (2)"
