"""The method page: what every number means, which way each ratio points, and the limits."""

from __future__ import annotations

import streamlit as st

from bias_audit.report.style import lexicon_categories
from bias_audit.ui import components as ui

TITLE = "Method, in plain English"

SECTIONS: tuple[tuple[str, str], ...] = (
    (
        "Selection rate",
        "Of the people who reached a stage (for example, shortlisted), the share who went on "
        "to the next one (for example, appointed). Withdrawn applications and declined offers "
        "are counted and listed, but left out of the stage they left at, so that a candidate's "
        "own choice is not read as the panel's decision. (WRES indicator 2 and WDES metric 2 "
        "count them differently, as NHS England does: see below.)",
    ),
    (
        "WRES indicator 2",
        "NHS England's Workforce Race Equality Standard, indicator 2: *relative likelihood of "
        "White applicants being appointed from shortlisting across all posts compared to BME "
        "applicants*. It is the White rate ÷ the BME rate. **1.00 means equal chances; above "
        "1 means White shortlisted applicants are more likely to be appointed; below 1 means "
        "BME applicants are.** White means White British, White Irish and any other White "
        "background (NHS codes A, B, C); BME means codes D to S. People who did not state "
        "their ethnicity (Z, 99, blank) are left out and counted. *Appointed* means an offer "
        "made and accepted. Following NHS England's published data, the shortlisted count "
        "leaves out **only** shortlisted applicants who were offered a job and turned it "
        "down; people who withdrew or did not attend after shortlisting stay in it. Both "
        "left-out counts (declined offers, not stated) are shown. If the extract has no "
        "shortlisting stage, the indicator is *not computable* rather than worked out from "
        "another step. For a list of shortlisted people marked only appointed or not, say "
        "that each row is a shortlisted applicant; the figure is then computed, but declined "
        "offers cannot be told apart. Nationally the figure has been between about 1.45 and "
        "1.61 every year from 2016 to 2023 (1.59 in 2023).",
    ),
    (
        "WDES metric 2",
        "The Workforce Disability Equality Standard, metric 2: *relative likelihood of "
        "non-disabled applicants being appointed from shortlisting compared to Disabled "
        "applicants* — the non-disabled rate ÷ the Disabled rate, read the same way (above 1 "
        "favours non-disabled applicants). Under the Guaranteed Interview Scheme, Disabled "
        "applicants who meet the minimum criteria may be shortlisted more often by policy, so "
        "a favourable shortlisting figure is not by itself evidence of bias. Only a small "
        "share of applicants declare a disability; the declaration rate is shown beside the "
        "figure. Counted as for WRES indicator 2: only declined offers and not stated are "
        "left out.",
    ),
    (
        "What changed in this version",
        "WRES indicator 2 and WDES metric 2 now follow NHS England's definition. Earlier "
        "versions also took withdrawals and 'did not attend' out of the shortlisted count, "
        "as the funnel steps still do; on the example extract this moved WDES metric 2 from "
        "1.32, outside the 0.80–1.25 band, to 1.24, inside it. With suppression off, a "
        "sensitivity line shows the figure the old way where it differs; it is never "
        "published, because two ratios from almost the same counts could give away the "
        "small numbers between them. Published WRES and WDES figures come from the rounded "
        "counts that are shown. An extract without a shortlisting stage now gives 'not "
        "computable' instead of a ratio from interviewed to appointed. In the app you can "
        "now map unread outcomes to stages, pick the sheet of a workbook and say what each "
        "row is, and see the effect at once. An extract that only says appointed or not "
        "appointed is read as one comparison (considered → appointed, or shortlisted → "
        "appointed when the rows are shortlisted applicants), listed under the headlines "
        "and drawn in the forest plot. Where applications carry the Disability Confident "
        "guaranteed interview flag, the reports say how many of those applicants were "
        "interviewed and how many were not. Age band, religion or belief and sexual "
        "orientation are analysed when the extract has them. When more than 5% of rows "
        "cannot be read, the figures they affect say 'not computable until …' with the "
        "count and the fix instead of a number.",
    ),
    (
        "Relative likelihood and impact ratio: two directions",
        "**Relative likelihood** = the reference group's rate ÷ this group's rate (the WRES "
        "direction: above 1 means the reference group, e.g. White or non-disabled, does "
        "better). **Impact ratio** = this group's rate ÷ the highest group's rate (the US "
        "'four-fifths' direction: below 0.80 is flagged). Every ratio in the app and reports "
        "is labelled with its direction. When the reference group is also the group with the "
        "highest rate, a relative likelihood above 1.25 is the same finding as an impact ratio "
        "below 0.80; otherwise the two can differ.",
    ),
    (
        "Thresholds",
        "The app shades 0.80–1.25 as the band of no adverse impact, the four-fifths "
        "convention made symmetric; many NHS bodies read WRES figures this way, although the "
        "WRES itself sets no statutory threshold. A gap is **statistically significant** when "
        "Fisher's exact test gives p < 0.05 and the 95% confidence interval shown for the "
        "ratio excludes 1 (see below; the mid-P value and z are in the XLSX and CSV), and "
        "**practically significant** when it would survive one person's outcome being "
        "different (the one-person check). The shortfall says how "
        "many more selections would give parity. Read both: a large gap in a small group may "
        "not be significant, and a tiny gap in a huge group may be significant but not "
        "important.",
    ),
    (
        "Small numbers are suppressed",
        "Recruitment data is special-category personal data. By default, following the NHS "
        "Digital method, counts of 1–7 are shown as ≤7 and other counts are rounded to the "
        "nearest 5. Every rate, ratio, confidence interval and p-value is then worked out "
        "from the counts as shown, never from the exact ones, so no figure can be solved "
        "back to an exact count; p-values and intervals allow for the rounding (the least "
        "certain result any counts behind the shown ones could give), so rounding never "
        "creates a finding; none is shown for a comparison that involves a hidden count. "
        "Because a reader can add and subtract across stages, across the three views "
        "of ethnicity, ethnicity × gender and the totals, the tool checks all of them "
        "together: wherever a ≤7 could be narrowed, it hides one more count as * — a small "
        "or not-stated count first, a comparison group last — and each hidden row says why "
        "(a count of 1–7, or which small count its partner protects). Withdrawals are given "
        "as one total. With strata, each pooled test uses counts rounded to 5 and is "
        "withheld where a post has 1–7 people. Warnings print counts the same way, and a "
        "declaration rate to the nearest 5%. The cost: figures from small groups move a "
        "little (on the example data, shown ratios differ from the exact ones by 0.03 at "
        "the median and 0.36 at most; WRES indicator 2 reads 1.50 against 1.46 exact, WDES "
        "metric 2 reads 1.42 against 1.32 exact; 15 of 84 significance verdicts become more "
        "cautious). An analyst can switch "
        "suppression off for their own session; never publish unsuppressed tables.",
    ),
    (
        "Significant, not significant, or borderline",
        "A gap is called statistically significant only when Fisher's exact test gives "
        "p < 0.05 and the 95% interval shown excludes 1. When the two disagree (an interval "
        "of 0.99 to 2.07 with p = 0.049), the tool says the result is borderline and the "
        "evidence too weak to call the gap established, so a sentence never contradicts its "
        "own interval. When everyone in both groups progressed, or nobody in the comparison "
        "group did, the ratio or its interval is 'not computable' rather than a made-up "
        "number.",
    ),
    (
        "Ethnicity groups",
        "Three views of one column: the detailed NHS Data Dictionary categories; five broad "
        "groups (using the NHS 2001-based list, where code R 'Chinese' sits under Other — the "
        "Census 2021 list puts Chinese under Asian); and the WRES White / BME split. 'Not "
        "stated' is always shown, never dropped.",
    ),
    (
        "The advert checker",
        "Wording rules are kept as data, each with its source. Gender-coded words follow "
        "Gaucher, Friesen & Kay (2011, Journal of Personality and Social Psychology 101(1), "
        "109–128): the balance of masculine- and feminine-coded words gives the verdict. "
        "Reading age is the Flesch–Kincaid grade + 5; the NHS aims for a reading age of 9 to "
        "11, the target for Bands 1 to 4 (and when the band is not stated); from Band 5 the "
        "target is 11 to 14, as for NHS text with some medical information. Bands 2–3 "
        "healthcare support worker roles need no degree, and the national "
        "profiles accept equivalent experience, so demands without an equivalent route are "
        "flagged. Fluent English can be a lawful requirement; being a 'native speaker' is not "
        "needed.",
    ),
    (
        "Limits",
        "These are screening tools, not verdicts. A ratio across all posts can hide or create "
        "gaps when posts differ (Simpson's paradox): use the per-post view where you can. "
        "WRES figures can be distorted by bulk international recruitment campaigns. Missing "
        "or mis-coded monitoring data weakens every figure: check the data-quality warnings "
        "first. The advert checker flags words, not intent: read each suggestion and keep "
        "what your team has good reason for.",
    ),
    (
        "Sources",
        "NHS England, WRES indicators and WDES 2023 metrics and technical guidance; NHS "
        "Digital, disclosure control method for HES (September 2018); Uniform Guidelines on "
        "Employee Selection Procedures (1978), 29 CFR 1607.4(D); Gaucher, Friesen & Kay "
        "(2011); NHS digital service manual, content guidance on reading age; NHS Data "
        "Dictionary, Ethnic Category; ONS Census 2021 ethnic group classification.",
    ),
)


# --- the advert checker's categories (generated from lexicons/) ------------------------------

CATEGORIES_HEADING = "What the advert checker looks for"
CATEGORIES_INTRO = (
    "Every finding belongs to one category, named below with its default severity (a rule "
    "may set its own). Demands in a person specification (degree, qualifications, "
    "experience, driving licence, physical demands, English level) are judged again against "
    "the band, so their severity can differ. Colour in the highlights shows severity only."
)
CATEGORY_LINE = "- **{label}** (`{category}`): {severity} by default"
CATEGORY_LINE_POSITIVE = "- **{label}** (`{category}`): good practice found, never a finding"
POSITIVE_CATEGORIES = frozenset({"inclusion_signals"})


def categories_section() -> tuple[str, str]:
    """The heading and markdown list of every lexicon category with its default severity."""
    lines = [
        (CATEGORY_LINE_POSITIVE if info.category in POSITIVE_CATEGORIES else CATEGORY_LINE).format(
            label=info.label, category=info.category, severity=str(info.default_severity)
        )
        for info in lexicon_categories()
    ]
    return CATEGORIES_HEADING, CATEGORIES_INTRO + "\n\n" + "\n".join(lines)


def _with_categories(sections: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    after = next(
        (n + 1 for n, (heading, _) in enumerate(sections) if heading == "The advert checker"),
        len(sections),
    )
    return (*sections[:after], categories_section(), *sections[after:])


SECTIONS = _with_categories(SECTIONS)

# --- the local-population benchmark (the mapping generated from the shipped CSV) -------------

POPULATION_HEADING = "Local population (Census 2021)"
POPULATION_INTRO = (
    "With a local population chosen, each group's share at every stage (among the people "
    "who stated a group the Census counts) is divided by its share of that population: the "
    "**representation ratio**. **1.00 means as in the population; 1.9 nearly twice its "
    "share; 0.8 four-fifths of it.** The 95% interval is the Wilson interval of the stage "
    "share divided by the population share; a chi-square test asks whether the whole mix "
    "at a stage differs from the population's. An acute trust's population is its OHID "
    "catchment: each local authority's proportions weighted by the share of the trust's "
    "patients living there; several local authorities or England are pooled. **Ethnicity "
    "and disability cover residents of all ages, while applicants are of working age; the "
    "sex benchmark covers ages 16 to 64.** People who did not state a group are left out, and "
    "the declaration rate is shown beside every stage. With small numbers suppressed, the "
    "comparison uses the published counts: a stage with a hidden count has no figures. "
    "Census 2021 ethnic groups become NHS ethnic categories as in the table below (the "
    "shipped file `ethnicity_census19_to_nhs.csv`). Source: Office for National Statistics "
    "licensed under the Open Government Licence v.3.0; OHID acute trust catchments 2022."
)
POPULATION_TABLE_HEAD = "| Census 2021 group | NHS code | Five groups | WRES |\n|---|---|---|---|"


def population_section() -> tuple[str, str]:
    """The heading and body of the local-population method, the mapping read from the CSV."""
    from bias_audit.io.population import load_tables

    mapping = load_tables().mapping
    rows = [
        f"| {r.census2021_label} | {r.nhs_code} | {r.broad_group_5} | {r.wres_group} |"
        for r in mapping.itertuples()
    ]
    return POPULATION_HEADING, POPULATION_INTRO + "\n\n" + "\n".join([POPULATION_TABLE_HEAD, *rows])


def _with_population(sections: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    before = next(
        (n for n, (heading, _) in enumerate(sections) if heading == "Sources"), len(sections)
    )
    return (*sections[:before], population_section(), *sections[before:])


SECTIONS = _with_population(SECTIONS)


# --- the workforce audit: WRES / WDES, retention and progression ----------------------------


def _with_workforce(sections: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    from bias_audit.report.workforce_method import METHOD_SECTIONS

    before = next(
        (n for n, (heading, _) in enumerate(sections) if heading == "Sources"), len(sections)
    )
    return (*sections[:before], *METHOD_SECTIONS, *sections[before:])


SECTIONS = _with_workforce(SECTIONS)


def render() -> None:
    """Draw the page."""
    workshop = ui.workshop_mode.workshop_toggle()
    ui.inject_style(workshop=workshop)
    st.title(TITLE)
    for heading, body in SECTIONS:
        st.subheader(heading)
        st.markdown(body)
