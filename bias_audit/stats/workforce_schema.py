"""Names shared by the staff-extract reader and the workforce statistics.

The staff reader (:mod:`bias_audit.io.workforce`) turns an ESR-style extract into one tidy
frame, one row per person, with these columns (a column is absent when the extract has no
evidence for it; the statistics then say which indicator is not computable and why):

- ``PERSON_ID``: string, unique per row (generated "row N" when the extract has none);
- the characteristic views, strings with "Not stated" made explicit, using the same
  category labels as the recruitment audit (:mod:`bias_audit.stats.schema`):
  ``ETHNICITY_WRES`` (White / BME / Not stated), ``ETHNICITY_GROUP``, ``GENDER``,
  ``DISABILITY`` (Disabled / Not disabled / Not stated), ``AGE_BAND``;
- ``BAND``: the pay band as a label ("Band 2" … "Band 7", "Band 8a" … "Band 9", "VSM",
  "Medical: Consultant", …, "Other / not stated"); ``CLINICAL``: "Clinical" /
  "Non-clinical" / "Not stated" (WRES 1 is reported separately for each);
- ``STAFF_GROUP``: the ESR staff group as given;
- ``START_DATE``, ``LEAVING_DATE`` (datetime64, NaT when still in post), ``LEAVING_REASON``;
- event columns, each a datetime64 (the date it happened, NaT when it did not) or, when the
  extract has only a yes/no, a nullable boolean: ``DISCIPLINARY`` (entered a formal
  disciplinary investigation), ``CAPABILITY`` (entered the formal capability process on
  performance), ``TRAINING`` (accessed non-mandatory training or CPD);
- ``BOARD``: "Voting" / "Executive" / "Voting and executive" / "" (not a board member);
- ``BAND_EARLIER``: the band at the start of the period (band history or a second extract),
  same labels as ``BAND``.
"""

from __future__ import annotations

from bias_audit.stats.schema import AGE_BAND, DISABILITY, ETHNICITY_GROUP, ETHNICITY_WRES, GENDER

PERSON_ID = "person_id"
BAND = "band"
CLINICAL = "clinical"
STAFF_GROUP = "staff_group"
START_DATE = "start_date"
LEAVING_DATE = "leaving_date"
LEAVING_REASON = "leaving_reason"
DISCIPLINARY = "disciplinary"
CAPABILITY = "capability"
TRAINING = "training"
BOARD = "board"
BAND_EARLIER = "band_earlier"

CHARACTERISTICS: tuple[str, ...] = (ETHNICITY_WRES, ETHNICITY_GROUP, GENDER, DISABILITY, AGE_BAND)
EVENTS: tuple[str, ...] = (DISCIPLINARY, CAPABILITY, TRAINING)
