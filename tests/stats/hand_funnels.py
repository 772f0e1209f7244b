"""Tiny, hand-countable funnels built directly (no extract reader involved)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from bias_audit.stats import schema
from bias_audit.stats.funnel import Funnel

STAGES = schema.DEFAULT_STAGES


def make_funnel(
    rows: Iterable[tuple],
    *,
    attributes: tuple[str, ...] = (schema.ETHNICITY_WRES, schema.GENDER, schema.DISABILITY),
    stages: tuple[str, ...] = STAGES,
    stratum: bool = False,
    source: str = "hand-made.csv",
) -> Funnel:
    """Rows are (*attribute values, [stratum,] furthest stage, left_by, count)."""
    columns = [*attributes]
    if stratum:
        columns.append(schema.STRATUM)
    columns += [schema.FURTHEST_STAGE, schema.LEFT_BY, schema.COUNT]
    counts = pd.DataFrame(list(rows), columns=columns)
    counts[schema.FURTHEST_STAGE] = pd.Categorical(
        counts[schema.FURTHEST_STAGE], categories=stages, ordered=True
    )
    counts[schema.COUNT] = counts[schema.COUNT].astype("int64")
    return Funnel(
        stages=stages,
        counts=counts,
        attributes=attributes,
        stratified_by="post" if stratum else None,
        source=source,
    )


def two_stage_rows(per_group: dict[tuple, tuple[int, int]]) -> list[tuple]:
    """(group values) -> (entered, progressed) for an applied → appointed funnel."""
    rows = []
    for values, (entered, progressed) in per_group.items():
        rows.append((*values, "appointed", schema.LEFT_BY_COMPLETED, progressed))
        rows.append((*values, "applied", schema.LEFT_BY_NOT_PROGRESSED, entered - progressed))
    return rows
