"""Names shared by the extract readers and the statistics: stages, attributes, columns.

The tidy count table inside a :class:`~bias_audit.stats.funnel.Funnel` has one row per
cell of (stratum, attribute values, furthest stage, how the application left) and these
columns:

- ``STRATUM`` (optional, only when the user asked to stratify): post / staff group / year;
- one column per attribute view in ``ATTRIBUTE_VIEWS`` (strings, "Not stated" made explicit);
- ``FURTHEST_STAGE``: the furthest stage the application reached (an ordered categorical
  over ``Funnel.stages``);
- ``LEFT_BY``: how the application left its furthest stage, one of ``LEFT_BY_VALUES``;
- ``COUNT``: number of applications in the cell (int64 ≥ 0).
"""

from __future__ import annotations

DEFAULT_STAGES: tuple[str, ...] = ("applied", "shortlisted", "interviewed", "offered", "appointed")

# Attribute views derived from the extract. Ethnicity has three views of one column.
ETHNICITY_DETAILED = "ethnicity"
ETHNICITY_GROUP = "ethnicity_group"  # five high-level groups (NHS 2001-based mapping)
ETHNICITY_WRES = "ethnicity_wres"  # White / BME / Not stated
GENDER = "gender"
DISABILITY = "disability"
AGE_BAND = "age_band"
RELIGION = "religion"
SEXUAL_ORIENTATION = "sexual_orientation"
ETHNICITY_X_GENDER = "ethnicity_wres_x_gender"  # intersection, built by the statistics
ATTRIBUTE_VIEWS: tuple[str, ...] = (
    ETHNICITY_DETAILED,
    ETHNICITY_GROUP,
    ETHNICITY_WRES,
    GENDER,
    DISABILITY,
    AGE_BAND,
    RELIGION,
    SEXUAL_ORIENTATION,
)
# The views each source column (role) feeds, intersection included: a problem with the
# column makes all of them not computable.
VIEWS_OF_ROLE: dict[str, tuple[str, ...]] = {
    "ethnicity": (ETHNICITY_DETAILED, ETHNICITY_GROUP, ETHNICITY_WRES, ETHNICITY_X_GENDER),
    GENDER: (GENDER, ETHNICITY_X_GENDER),
    DISABILITY: (DISABILITY,),
    AGE_BAND: (AGE_BAND,),
    RELIGION: (RELIGION,),
    SEXUAL_ORIENTATION: (SEXUAL_ORIENTATION,),
}

# Not an attribute view: the Disability Confident guaranteed interview scheme flag
# ("Yes" / "No" / "Not stated"), a column of the count table when the extract has one.
GUARANTEED_INTERVIEW = "guaranteed_interview"

NOT_STATED = "Not stated"

WHITE = "White"
BME = "BME"
DISABLED = "Disabled"
NON_DISABLED = "Not disabled"

STRATUM = "stratum"
FURTHEST_STAGE = "furthest_stage"
LEFT_BY = "left_by"
COUNT = "count"

# How an application left the stage it reached furthest.
LEFT_BY_NOT_PROGRESSED = "not_progressed"  # rejected / unsuccessful at the next step
LEFT_BY_WITHDREW = "withdrew"  # candidate withdrew before the next decision
LEFT_BY_DECLINED = "declined_offer"  # offer made but declined (not an appointment for WRES)
LEFT_BY_COMPLETED = "completed"  # reached the last stage
LEFT_BY_VALUES: tuple[str, ...] = (
    LEFT_BY_NOT_PROGRESSED,
    LEFT_BY_WITHDREW,
    LEFT_BY_DECLINED,
    LEFT_BY_COMPLETED,
)
