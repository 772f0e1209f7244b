"""The Method page's workforce sections: each WRES / WDES definition and its direction.

Plain-English text for the app's Method page (``bias_audit/ui/method_page.py`` appends
:data:`METHOD_SECTIONS` to its own, one ``(heading, markdown)`` pair each), built from the
same definitions and direction sentences the statistics print, so the page and the report
cannot drift apart. docs/workforce.md says the same at more length.
"""

from __future__ import annotations

from bias_audit.report.workforce_flow import (
    PROGRESSION_DEFINITION,
    PROGRESSION_DIRECTION,
    RETENTION_DEFINITION,
)
from bias_audit.stats import retention as rt
from bias_audit.stats import workforce_indicators as wi

PERIODS = (
    "The *current year* is the twelve months up to the extract date, the *previous year* the "
    "twelve months before. A person counts in a year if employed at any time in it, and "
    "*in post* if they had not left by the extract date. People with no recorded ethnicity "
    "(or disability status) are left out of both groups of a ratio and counted beside it."
)
ROLLING = (
    " Defined on a **two-year rolling average**: entries in both years ÷ staff employed in "
    "both years (a person employed in both years counts in each). With one year of data the "
    "figure is that year's, and is marked *not the official figure*."
)
CLINICAL = (
    "Clinical and non-clinical follow the WRES technical guidance's split of ESR staff "
    "groups: Administrative and Clerical and Estates and Ancillary are non-clinical; every "
    "other staff group (medical and dental included, by grade) is clinical."
)
STATISTICS = (
    "Ratios carry a 95% Katz interval and Fisher's exact p, as the recruitment tables do; a "
    "ratio with nobody counted in a group is *not computable*, with the reason. Both rates "
    "are shown beside every ratio. With disclosure control on, every figure is worked out "
    "from the published (rounded) counts. On a board of 10–20 members a group of 1–7 is "
    "hidden, so WRES 9 and WDES 10 are often withheld in published reports."
)


def _ratio(kind: wi.Kind) -> str:
    text = f"{kind.definition} **{kind.direction[0].upper()}{kind.direction[1:]}.**"
    return text + (ROLLING if kind.rolling else "")


METHOD_SECTIONS: tuple[tuple[str, str], ...] = (
    ("Workforce audit: the years", PERIODS),
    (
        "WRES indicator 1",
        f"{wi.WRES_1_DEFINITION} {wi.WRES_1_DIRECTION[0].upper()}{wi.WRES_1_DIRECTION[1:]}. "
        f"{CLINICAL}",
    ),
    ("WRES indicator 3", _ratio(wi.WRES_3) + " The direction is the reverse of WRES 2."),
    ("WRES indicator 4", _ratio(wi.WRES_4)),
    (
        "WRES indicator 9",
        "BME share of the board's voting members minus the BME share of the overall "
        "workforce, in percentage points (and the same for all, non-voting, executive and "
        "non-executive members): **below 0 means the board is less diverse than the "
        "workforce.**",
    ),
    (
        "WDES metric 1",
        f"{wi.WDES_1_DEFINITION} {wi.WDES_1_DIRECTION[0].upper()}{wi.WDES_1_DIRECTION[1:]}.",
    ),
    ("WDES metric 3", _ratio(wi.WDES_3)),
    (
        "WDES metric 10",
        "Disabled share of the board's voting members minus the Disabled share of the "
        "overall workforce, in percentage points (and the same for all, non-voting, "
        "executive and non-executive members): **below 0 means Disabled people are a "
        "smaller share of the board than of the workforce.**",
    ),
    (
        "Retention of new support staff",
        f"{RETENTION_DEFINITION} By default the cohort is everyone who started in the two "
        "years to the extract date in Bands 1–4 of Additional Clinical Services (healthcare "
        "support roles); the period and roles can be chosen. Time in post runs to the "
        "leaving date, or to the extract date for people still in post. "
        f"{rt.CURVE_NOTE.format(n=rt.MIN_AT_RISK)} With disclosure control on, each estimate "
        "is published as the number of starters it says had left, rounded like any count.",
    ),
    (
        "Progression",
        f"{PROGRESSION_DEFINITION} Moves: Band 2 to Band 3 or above, Band 3 to Band 4 or "
        "above, into a nursing associate post (Band 4, Nursing and Midwifery Registered) and "
        f"into a registered post (Band 5 or above). Relative likelihood = "
        f"{PROGRESSION_DIRECTION}.",
    ),
    ("Workforce audit: intervals, tests and small numbers", STATISTICS),
)
