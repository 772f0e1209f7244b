"""Progression of support staff (issue 12 point 4): moves, rates and the funnel statistics."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.errors import InputDataError
from bias_audit.stats import progression as pg
from bias_audit.stats.significance import compare

ACS = "Additional Clinical Services"
NMR = "Nursing and Midwifery Registered"


def frame(rows):
    return pd.DataFrame(
        rows, columns=["ethnicity_wres", "band_earlier", "band", "staff_group", "leaving_date"]
    )


def planted():
    rows = []
    # White: 20 in Band 2, 10 moved to Band 3; BME: 20 in Band 2, 4 moved to Band 3.
    rows += [("White", "Band 2", "Band 3" if i < 10 else "Band 2", ACS, None) for i in range(20)]
    rows += [("BME", "Band 2", "Band 3" if i < 4 else "Band 2", ACS, None) for i in range(20)]
    # Band 3 → registered: White 10 of whom 3 now Band 5 N&M registered, 1 a nursing associate.
    rows += [("White", "Band 3", "Band 5", NMR, None)] * 3
    rows += [("White", "Band 3", "Band 4", NMR, None)]
    rows += [("White", "Band 3", "Band 3", ACS, None)] * 6
    # BME Band 3: 10, one now Band 4 in ACS (a band move, not a nursing associate).
    rows += [("BME", "Band 3", "Band 4", ACS, None)] + [("BME", "Band 3", "Band 3", ACS, None)] * 9
    # Left out, counted: no earlier band, left, a medical grade, another staff group.
    rows += [("BME", None, "Band 2", ACS, None), ("White", "Band 2", "Band 3", ACS, "2025-06-01")]
    rows += [("White", "Band 2", "Medical: Consultant", ACS, None)]
    rows += [("White", "Band 2", "Band 3", "Administrative and Clerical", None)]
    return frame(rows)


def lookup(table, move, group):
    row = table[
        (table["move"] == move)
        & (table["group"] == group)
        & (table["attribute"] == "ethnicity_wres")
    ]
    return row.iloc[0]


def test_moves_counted_by_hand():
    result = pg.progression(planted())
    t = result.table
    assert result.people == 60
    assert result.excluded == {
        pg.EXCLUDED_NO_EARLIER: 1,
        pg.EXCLUDED_LEFT: 1,
        pg.EXCLUDED_BAND_NOT_AFC: 1,
    }
    band2 = pg.MOVES[0].name
    assert (lookup(t, band2, "White")[["entered", "progressed"]].tolist()) == [20, 10]
    assert (lookup(t, band2, "BME")[["entered", "progressed"]].tolist()) == [20, 4]
    band3 = pg.MOVES[1].name
    assert lookup(t, band3, "White")[["entered", "progressed"]].tolist() == [10, 4]
    assert lookup(t, band3, "BME")[["entered", "progressed"]].tolist() == [10, 1]
    associate, registered = pg.MOVES[2].name, pg.MOVES[3].name
    # Bands 1–3 at the start: 30 White, 30 BME; one White now a Band 4 nursing associate.
    assert lookup(t, associate, "White")[["entered", "progressed"]].tolist() == [30, 1]
    assert lookup(t, associate, "BME")[["entered", "progressed"]].tolist() == [30, 0]
    assert lookup(t, registered, "White")[["entered", "progressed"]].tolist() == [30, 3]


def test_statistics_are_the_funnel_statistics():
    table = pg.with_statistics(pg.progression(planted()).table)
    bme = lookup(table, pg.MOVES[0].name, "BME")
    expected = compare(4, 20, 10, 20)
    # WRES direction: White rate ÷ BME rate = 0.5 / 0.2.
    assert bme["relative_likelihood"] == pytest.approx(2.5)
    assert bme["relative_likelihood"] == pytest.approx(expected.relative_likelihood)
    assert (bme["p_value"], bme["mid_p"]) == pytest.approx((expected.p_value, expected.mid_p))
    assert (bme["ci_low"], bme["ci_high"]) == pytest.approx((expected.ci_low, expected.ci_high))
    assert bme["impact_ratio"] == pytest.approx(0.4)
    assert lookup(table, pg.MOVES[0].name, "White")["relative_likelihood"] == 1.0
    nobody = lookup(table, pg.MOVES[2].name, "BME")
    assert (
        nobody["relative_likelihood"] is None
        and "nobody in BME progressed" in nobody["not_computable"]
    )


def test_earlier_staff_group_decides_scope_when_given():
    rows = planted()
    rows[pg.STAFF_GROUP_EARLIER] = ACS
    rows.loc[rows.index[:5], pg.STAFF_GROUP_EARLIER] = "Estates and Ancillary"
    # Five people were in Estates and Ancillary at the start; the Administrative and
    # Clerical person now was in a support role then, so is followed.
    assert pg.progression(rows).people == 56


def test_refusals():
    with pytest.raises(InputDataError) as caught:
        pg.progression(planted().drop(columns="band_earlier"), source="esr.csv")
    assert str(caught.value) == pg.NO_EARLIER_BAND.format(source="esr.csv")
    with pytest.raises(InputDataError, match="no progression to measure"):
        pg.progression(planted(), staff_groups=["Healthcare Scientists"], registered_groups=())


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["White", "BME", "Not stated"]),
            st.sampled_from(["Band 1", "Band 2", "Band 3", "Band 4"]),
            st.sampled_from(["Band 2", "Band 3", "Band 4", "Band 5"]),
            st.sampled_from([ACS, NMR]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_rates_and_order(rows):
    staff = frame([(*r, None) for r in rows])
    table = pg.progression(staff).table
    assert ((table["progressed"] >= 0) & (table["progressed"] <= table["entered"])).all()
    assert all(r is None or 0 <= r <= 1 for r in table["rate"])
    again = pg.progression(staff.iloc[::-1]).table
    pd.testing.assert_frame_equal(table, again)
