"""The atoms' fast grouping is pandas' group-by, row for row (order, values, counts)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from bias_audit.stats.workforce_cells import group_sizes

TEXT = st.sampled_from(["", "White", "BME", "Not stated", None])


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(TEXT, st.booleans(), TEXT, st.sampled_from(["b", "a", "c"])),
        min_size=1,
        max_size=60,
    )
)
def test_group_sizes_is_groupby(rows):
    frame = pd.DataFrame(rows, columns=["group", "flag", "plain", "band"])
    frame["group"] = pd.Categorical(frame["group"], categories=["White", "BME", "Not stated", ""])
    frame["band"] = pd.Categorical(frame["band"], categories=["c", "b", "a"])
    dims = list(frame.columns)
    expected = frame.groupby(dims, dropna=False, observed=True).size().rename("count")
    got = group_sizes(frame, dims)
    assert got["count"].tolist() == expected.tolist()
    for i, column in enumerate(dims):
        left = got[column].astype(object).where(got[column].notna(), None).tolist()
        level = expected.index.get_level_values(i)
        right = pd.Series(level).astype(object).where(pd.Series(level).notna(), None).tolist()
        assert left == right, column


def test_many_columns_do_not_overflow():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({f"c{i}": rng.integers(0, 50, 500).astype(str) for i in range(14)})
    dims = list(frame.columns)
    expected = frame.groupby(dims, dropna=False, observed=True).size()
    got = group_sizes(frame, dims)
    assert got["count"].tolist() == expected.tolist()
    assert got[dims].apply(tuple, axis=1).tolist() == list(expected.index)
