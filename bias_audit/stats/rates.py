"""Entered, progressed and selection rate for every stage transition and group.

A transition is a pair of stages: each adjacent pair of ``Funnel.stages`` plus
shortlisted → appointed (the WRES indicator 2 / WDES metric 2 step). For a group:

- *entered* = applications that reached the "from" stage, minus those that withdrew or
  declined an offer before the decision that ends the transition (they are counted and
  reported as ``withdrawn``, not treated as rejections);
- *progressed* = applications that reached the "to" stage;
- *rate* = progressed ÷ entered.

Rates come from fairlearn's ``MetricFrame`` on the aggregated table (one row per group and
outcome, ``sample_weight`` = count); a plain pandas groupby gives the same numbers and is
used as the test oracle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from bias_audit.stats import schema
from bias_audit.stats.funnel import Funnel

INTERSECTION_SEPARATOR = " × "
EARLY_EXITS: tuple[str, ...] = (schema.LEFT_BY_WITHDREW, schema.LEFT_BY_DECLINED)
# Attribute views analysed by default, in report order; the intersection is built here.
REPORT_ATTRIBUTES: tuple[str, ...] = (
    schema.ETHNICITY_WRES,
    schema.ETHNICITY_GROUP,
    schema.ETHNICITY_DETAILED,
    schema.GENDER,
    schema.DISABILITY,
    schema.AGE_BAND,
    schema.RELIGION,
    schema.SEXUAL_ORIENTATION,
    schema.ETHNICITY_X_GENDER,
)
SHORTLISTED = "shortlisted"


@dataclass(frozen=True)
class Transition:
    """One step of the funnel, by stage index (``start`` < ``end``)."""

    start: int
    end: int
    from_stage: str
    to_stage: str

    @property
    def adjacent(self) -> bool:
        return self.end == self.start + 1


def shortlist_index(stages: tuple[str, ...]) -> int:
    """Index of the shortlisting stage: the one named "shortlisted", else the second stage."""
    lowered = [s.strip().lower() for s in stages]
    return lowered.index(SHORTLISTED) if SHORTLISTED in lowered else 1


def transitions(stages: tuple[str, ...]) -> tuple[Transition, ...]:
    """Every adjacent pair of stages, then shortlisted → last stage when not adjacent.

    Examples
    --------
    >>> [f"{t.from_stage}->{t.to_stage}" for t in transitions(("a", "shortlisted", "c", "d"))]
    ['a->shortlisted', 'shortlisted->c', 'c->d', 'shortlisted->d']
    """
    steps = [Transition(i, i + 1, stages[i], stages[i + 1]) for i in range(len(stages) - 1)]
    first = shortlist_index(stages)
    last = len(stages) - 1
    if last - first > 1:
        steps.append(Transition(first, last, stages[first], stages[last]))
    return tuple(steps)


def is_not_stated(group: str) -> bool:
    """True for "Not stated" and for intersections with a not-stated part."""
    return schema.NOT_STATED in str(group).split(INTERSECTION_SEPARATOR)


def with_intersection(counts: pd.DataFrame) -> pd.DataFrame:
    """Add the WRES ethnicity × gender column when both views are present."""
    if schema.ETHNICITY_WRES not in counts or schema.GENDER not in counts:
        return counts
    joined = (
        counts[schema.ETHNICITY_WRES].astype(str)
        + INTERSECTION_SEPARATOR
        + counts[schema.GENDER].astype(str)
    )
    return counts.assign(**{schema.ETHNICITY_X_GENDER: joined})


def report_attributes(funnel: Funnel) -> tuple[str, ...]:
    """The attribute views of ``funnel`` in report order, with the intersection if possible."""
    present = set(funnel.attributes)
    if {schema.ETHNICITY_WRES, schema.GENDER} <= present:
        present.add(schema.ETHNICITY_X_GENDER)
    return tuple(a for a in REPORT_ATTRIBUTES if a in present)


def stage_slots(counts: pd.DataFrame, stages: tuple[str, ...]) -> pd.DataFrame:
    """Add ``stage_index`` and ``early`` (left by withdrawing / declining before the end)."""
    index = pd.Categorical(counts[schema.FURTHEST_STAGE].astype(str), categories=stages).codes
    early = counts[schema.LEFT_BY].isin(EARLY_EXITS).to_numpy() & (index < len(stages) - 1)
    return counts.assign(stage_index=index.astype(np.int64), early=early)


def group_arrays(
    counts: pd.DataFrame, attribute: str, n_stages: int
) -> tuple[list[str], np.ndarray]:
    """Counts per group as an array ``[group, stage, early]`` (early: 0 = no, 1 = yes)."""
    summed = counts.groupby([attribute, "stage_index", "early"], observed=True, sort=False)[
        schema.COUNT
    ].sum()
    groups = sorted({str(g) for g in summed.index.get_level_values(0)})
    position = {g: i for i, g in enumerate(groups)}
    cube = np.zeros((len(groups), n_stages, 2), dtype=np.int64)
    for (group, stage, early), value in summed.items():
        cube[position[str(group)], int(stage), int(bool(early))] += int(value)
    return groups, cube


def transition_numbers(cube: np.ndarray, step: Transition) -> tuple[np.ndarray, ...]:
    """Entered, progressed and withdrawn per group for one transition of a count cube."""
    reached = cube[:, step.start :, :].sum(axis=(1, 2))
    withdrawn = cube[:, step.start : step.end, 1].sum(axis=1)
    progressed = cube[:, step.end :, :].sum(axis=(1, 2))
    return reached - withdrawn, progressed, withdrawn


def transition_counts(funnel: Funnel) -> pd.DataFrame:
    """Entered, progressed and withdrawn for every transition × attribute view × group.

    Parameters
    ----------
    funnel
        A validated funnel; strata (if any) are pooled here.

    Returns
    -------
    pandas.DataFrame
        Columns ``attribute``, ``from``, ``to``, ``step`` (transition number), ``group``,
        ``entered``, ``progressed``, ``withdrawn`` (withdrew or declined an offer; excluded
        from ``entered``).
    """
    counts = stage_slots(with_intersection(funnel.counts), funnel.stages)
    rows = []
    for attribute in report_attributes(funnel):
        groups, cube = group_arrays(counts, attribute, len(funnel.stages))
        for number, step in enumerate(transitions(funnel.stages)):
            entered, progressed, withdrawn = transition_numbers(cube, step)
            rows.append(
                pd.DataFrame(
                    {
                        "attribute": attribute,
                        "from": step.from_stage,
                        "to": step.to_stage,
                        "step": number,
                        "group": groups,
                        "entered": entered,
                        "progressed": progressed,
                        "withdrawn": withdrawn,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def stage_reached(funnel: Funnel) -> pd.DataFrame:
    """How many of each group reached each stage, for the funnel chart.

    Returns
    -------
    pandas.DataFrame
        Columns ``attribute``, ``group``, ``stage``, ``stage_index``, ``reached``, ``share``
        (reached ÷ the group's applications).
    """
    counts = stage_slots(with_intersection(funnel.counts), funnel.stages)
    rows = []
    for attribute in report_attributes(funnel):
        groups, cube = group_arrays(counts, attribute, len(funnel.stages))
        per_stage = cube.sum(axis=2)
        reached = np.flip(np.cumsum(np.flip(per_stage, axis=1), axis=1), axis=1)
        for i, stage in enumerate(funnel.stages):
            applied = reached[:, 0]
            share = np.divide(
                reached[:, i], applied, out=np.full(len(groups), np.nan), where=applied > 0
            )
            rows.append(
                pd.DataFrame(
                    {
                        "attribute": attribute,
                        "group": groups,
                        "stage": stage,
                        "stage_index": i,
                        "reached": reached[:, i],
                        "share": share,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def metricframe_rates(table: pd.DataFrame) -> pd.Series:
    """Selection rates through fairlearn ``MetricFrame`` on the aggregated table.

    One row per (cell, outcome) with the count as ``sample_weight``: identical to running
    ``MetricFrame`` on one row per application, and fast (fairlearn is slow on raw rows).

    Parameters
    ----------
    table
        ``transition_counts`` output (needs ``entered`` and ``progressed``).

    Returns
    -------
    pandas.Series
        Rate per row of ``table`` (same index); NaN where nobody entered.
    """
    from fairlearn.metrics import MetricFrame, selection_rate

    live = table[table["entered"] > 0]
    if live.empty:
        return pd.Series(np.nan, index=table.index, dtype=float)
    keys = live.index.to_numpy()
    outcome = np.concatenate([np.ones(len(live), np.int64), np.zeros(len(live), np.int64)])
    weight = np.concatenate(
        [live["progressed"].to_numpy(), (live["entered"] - live["progressed"]).to_numpy()]
    ).astype(float)
    frame = MetricFrame(
        metrics=selection_rate,
        y_true=outcome,
        y_pred=outcome,
        sensitive_features=pd.Series(np.concatenate([keys, keys]), name="row"),
        sample_params={"sample_weight": weight},
    )
    by_row = frame.by_group
    return pd.Series(by_row.reindex(table.index).to_numpy(dtype=float), index=table.index)


GUARANTEED_INTERVIEW_GROUP = "Applied under the guaranteed interview scheme"
NO_INTERVIEW_STAGE = "the extract has no interview or shortlisting stage"
NO_FLAGGED = "no application is flagged as under the scheme"
GUARANTEED_INTERVIEW_COLUMNS: tuple[str, ...] = (
    "group",
    "stage",
    "applicants",
    "reached",
    "not_reached",
    "withdrew_before",
    "share",
    "not_computable",
)


def interview_stage(stages: tuple[str, ...]) -> int | None:
    """Index of the interview stage: one named like "interviewed", else "shortlisted"
    (invited to interview), else ``None``.

    >>> interview_stage(("applied", "shortlisted", "interviewed", "appointed"))
    2
    >>> interview_stage(("considered", "appointed")) is None
    True
    """
    lowered = [s.strip().lower() for s in stages]
    for i, name in enumerate(lowered[1:], start=1):
        if name.startswith("interview"):
            return i
    return lowered.index(SHORTLISTED) if SHORTLISTED in lowered[1:] else None


def guaranteed_interview_table(funnel: Funnel) -> pd.DataFrame | None:
    """Disability Confident guaranteed interview scheme: of the applications flagged as
    under the scheme, how many reached interview, and how many did not.

    The scheme offers an interview to disabled applicants who meet the essential criteria
    (Disability Confident employer commitment), so everyone flagged would be expected to
    reach the interview stage; those who did not are counted (``not_reached``), with those
    who withdrew or declined before it (``withdrew_before``) shown separately.

    Returns
    -------
    pandas.DataFrame or None
        One row (``GUARANTEED_INTERVIEW_COLUMNS``), or ``None`` when the extract has no
        scheme column. ``share`` = reached ÷ applicants; ``not_computable`` says why the
        share is missing.
    """
    counts = funnel.counts
    if schema.GUARANTEED_INTERVIEW not in counts:
        return None
    stage = interview_stage(funnel.stages)
    flagged = counts[counts[schema.GUARANTEED_INTERVIEW].astype(str) == "Yes"]
    index = pd.Categorical(
        flagged[schema.FURTHEST_STAGE].astype(str), categories=funnel.stages
    ).codes
    amounts = flagged[schema.COUNT].to_numpy()
    applicants = int(amounts.sum())
    reason = ""
    if stage is None:
        reason = NO_INTERVIEW_STAGE
    elif applicants == 0:
        reason = NO_FLAGGED
    reached = 0 if stage is None else int(amounts[index >= stage].sum())
    early = flagged[schema.LEFT_BY].isin(EARLY_EXITS).to_numpy()
    withdrew = 0 if stage is None else int(amounts[(index < stage) & early].sum())
    row = {
        "group": GUARANTEED_INTERVIEW_GROUP,
        "stage": None if stage is None else funnel.stages[stage],
        "applicants": applicants,
        "reached": None if stage is None else reached,
        "not_reached": None if stage is None else applicants - reached,
        "withdrew_before": None if stage is None else withdrew,
        "share": reached / applicants if not reason else None,
        "not_computable": reason,
    }
    return pd.DataFrame([row], columns=list(GUARANTEED_INTERVIEW_COLUMNS))
