"""Plain-English sentences and a readable text table for a recruitment audit.

Every ratio names its direction: "White shortlisted applicants were 1.50 times as likely to
be appointed as BME shortlisted applicants" — never a bare number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bias_audit.report.population import population_text
from bias_audit.stats import schema
from bias_audit.stats.rates import is_not_stated
from bias_audit.stats.significance import ALPHA, BORDERLINE, significance_verdict
from bias_audit.stats.significance import SIGNIFICANT as VERDICT_SIGNIFICANT

if TYPE_CHECKING:
    from bias_audit.stats.results import RecruitmentAudit

SMALL_NUMBER = 8  # fewer progressions than this: "treat with caution"
SENTENCE_PART_NOT_COMPUTABLE = "{group} ({from_stage} → {to}): not computable {reason}."
# The views whose clear, significant gaps lead a report.
HEADLINE_VIEWS = (schema.ETHNICITY_WRES, schema.GENDER, schema.DISABILITY)

ATTRIBUTE_LABELS = {
    "ethnicity_wres": "Ethnicity (WRES: White / BME)",
    "ethnicity_group": "Ethnicity (five groups)",
    "ethnicity": "Ethnicity (detailed)",
    "gender": "Gender",
    "disability": "Disability",
    "age_band": "Age band",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
    "ethnicity_wres_x_gender": "Ethnicity × gender",
}
STAGE_NOUNS = {
    "shortlisted": "shortlistings",
    "interviewed": "interviews",
    "offered": "offers",
    "appointed": "appointments",
}

SENTENCE_RATIO = (
    "{reference} {who} were {ratio} times as likely to {verb} as {group} {who} (95% CI "
    "{ci}); {significance}"
)
SENTENCE_REFERENCE = "{group} {who} are the comparison group: {rate} went on to {verb_plain}."
SENTENCE_NOT_STATED = (
    "{group} {who}: {rate} went on to {verb_plain}; not compared, because the group is not stated."
)
# Why a figure is hidden when the row does not say (the audit gives each row its own reason:
# a count of 1–7, or a partner hidden so that such a count cannot be worked out).
HIDDEN_BECAUSE = "disclosure control: a count of 1–7, or a count hidden with one"
SENTENCE_SUPPRESSED = "{group} {who}: not shown ({because}), so no rate or ratio is given."
SENTENCE_NOT_COMPUTABLE = "{group} {who}: ratio not computable — {reason}."
SIGNIFICANT = "statistically significant (p {p})"
NOT_SIGNIFICANT = "not statistically significant (p {p})"
BORDERLINE_LOW_P = (
    "borderline: p {p} is below 0.05 but the interval includes 1, so the evidence is too weak "
    "to call the gap established"
)
BORDERLINE_HIGH_P = (
    "borderline: the interval excludes 1 but p {p} is 0.05 or above, so the evidence is too "
    "weak to call the gap established"
)
CAUTION_SMALL = "fewer than {n} {group} {noun}, so treat with caution"
FOUR_FIFTHS_FLAG = "{group}'s rate is below four-fifths of the highest group's ({ir})"
ONE_PERSON_FAIL = "but one person's different outcome would remove that flag"
CI_NOT_COMPUTABLE = "not computable"
INDICATOR_SENTENCE = (
    "{name}: {reference} shortlisted applicants were {ratio} times as likely to be appointed "
    "as {focal} shortlisted applicants (95% CI {ci}); {significance}{caution}. "
    "({direction}; {excluded} not stated excluded.)"
)
INDICATOR_NOT_COMPUTABLE = "{name}: not computable — {reason}."
INDICATOR_DECLINED = " {declined} shortlisted applicants who turned down an offer were left out."
# Published mode, when the total of declined offers is under 8 (not published as a count).
INDICATOR_DECLINED_UNCOUNTED = " Shortlisted applicants who turned down an offer were left out."
INDICATOR_SENSITIVITY = (
    " Sensitivity (analyst view only): with the {withdrawals} withdrawals after shortlisting "
    "also left out, as the funnel steps do, the ratio would be {ratio} (95% CI {ci})."
)
INDICATOR_SUPPRESSED = "{name}: not shown ({because}), so no ratio is given."


GUARANTEED_INTERVIEW_HEADING = "Disability Confident guaranteed interview"
GUARANTEED_INTERVIEW_SENTENCE = (
    "Of the {applicants} applicants who asked for a guaranteed interview under Disability "
    "Confident, {reached} {verb}; {not_reached} {verb_not}.{withdrew}"
)
GUARANTEED_INTERVIEW_WITHDREW = (
    " {withdrew} of those not {verb_short} withdrew or declined before that stage."
)
GUARANTEED_INTERVIEW_NOT_COMPUTABLE = (
    "Of the {applicants} applicants who asked for a guaranteed interview under Disability "
    "Confident, how many were interviewed is not computable: {reason}."
)
GUARANTEED_INTERVIEW_NONE = (
    "No application in the extract is flagged as asking for a guaranteed interview under "
    "Disability Confident."
)


def _count(value: object) -> str:
    """A published count as text: a number, or its label ("≤7", "*")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def guaranteed_interview_sentence(table: Any) -> str | None:
    """One plain sentence for the Disability Confident guaranteed interview table.

    ``table`` is ``RecruitmentAudit.guaranteed_interview`` (one row) or ``None``; counts
    arrive published ("≤7", "*", rounded) or exact, and are printed as given. ``None`` when
    the extract has no scheme flag.

    >>> import pandas as pd
    >>> row = {"stage": "interviewed", "applicants": 20, "reached": 10, "not_reached": 10,
    ...        "withdrew_before": "≤7", "share": 0.5, "not_computable": ""}
    >>> print(guaranteed_interview_sentence(pd.DataFrame([row])))  # doctest: +NORMALIZE_WHITESPACE
    Of the 20 applicants who asked for a guaranteed interview under Disability Confident,
    10 were interviewed; 10 were not. ≤7 of those not interviewed withdrew or declined
    before that stage.
    """
    if table is None or len(table) == 0:
        return None
    row = table.iloc[0]
    applicants = row["applicants"]
    if applicants == 0:
        return GUARANTEED_INTERVIEW_NONE
    if row["reached"] is None or row["not_computable"]:
        return GUARANTEED_INTERVIEW_NOT_COMPUTABLE.format(
            applicants=_count(applicants), reason=row["not_computable"]
        )
    interviewed = str(row["stage"]).lower().startswith("interview")
    verb_short = "interviewed" if interviewed else f"{row['stage']} (invited to interview)"
    withdrew = row["withdrew_before"]
    extra = ""
    if withdrew not in (0, None):
        extra = GUARANTEED_INTERVIEW_WITHDREW.format(
            withdrew=_count(withdrew), verb_short="interviewed" if interviewed else row["stage"]
        )
    return GUARANTEED_INTERVIEW_SENTENCE.format(
        applicants=_count(applicants),
        reached=_count(row["reached"]),
        verb=f"were {verb_short}",
        not_reached=_count(row["not_reached"]),
        verb_not="were not",
        withdrew=extra,
    )


ONE_STEP_HEADING = "The one comparison"
ONE_STEP_LEAD = (
    "One comparison: the extract only says whether each {row} was appointed, so each group "
    "is compared once, {from_stage} → {to_stage}:"
)
ONE_STEP_ROWS = {"applications": "application", "shortlisted": "shortlisted applicant"}
ONE_STEP_VIEWS = ("ethnicity_wres", "gender", "disability")
# With the rows declared shortlisted, the two indicators are already the ethnicity and
# disability comparisons of the one step.
ONE_STEP_VIEWS_SHORTLISTED = ("gender",)


def one_step_sentences(audit: RecruitmentAudit) -> list[str]:
    """For a one-step extract (two stages: appointed or not), the lead sentence and the
    one comparison per main view, significant or not; empty for a funnel.

    These take the place of the "clear gaps" list (:func:`headline_gaps` leaves them out,
    and each says whether it is significant); views the two indicators already cover
    (rows declared shortlisted) are left to them.
    """
    if len(audit.stages) != 2:
        return []
    rows_are = getattr(audit.funnel, "rows_are", "applications")
    views = ONE_STEP_VIEWS_SHORTLISTED if rows_are == "shortlisted" else ONE_STEP_VIEWS
    frame = audit.transitions
    # A long "not computable until …" reason is said once: not again when an indicator
    # sentence above already gives it.
    said = " ".join(headline_sentences(audit)[:2])
    found = []
    for view in views:
        block = frame[frame["attribute"] == view]
        for row in block.to_dict("records"):
            if row["group"] == row["reference"] or row["reference"] is None:
                continue
            if is_not_stated(row["group"]):
                continue
            reason = row.get("not_computable")
            fields = {"group": row["group"], "from_stage": row["from"], "to": row["to"]}
            if reason and row["sentence"] == SENTENCE_PART_NOT_COMPUTABLE.format(
                **fields, reason=reason
            ):
                if reason in said:
                    found.append(ROW_NOT_COMPUTABLE_SEE_ABOVE.format(**fields))
                    continue
                said += " " + reason
            found.append(row["sentence"])
    lead = ONE_STEP_LEAD.format(
        row=ONE_STEP_ROWS.get(rows_are, "row"),
        from_stage=audit.stages[0],
        to_stage=audit.stages[1],
    )
    return [lead, *found]


def headline_sentences(audit: RecruitmentAudit) -> list[str]:
    """The sentences to lead a report with: the two indicators, then clear gaps (outside
    the band and statistically significant) in the headline views."""
    sentences = [
        indicator_sentence(audit.wres_indicator_2),
        indicator_sentence(audit.wdes_metric_2),
    ]
    frame = audit.transitions
    flagged = frame[
        frame["outside_band"].astype(bool)
        & (frame["significance"] == "significant")
        & frame["attribute"].isin(list(HEADLINE_VIEWS))
    ]
    sentences.extend(flagged["sentence"].tolist())
    return sentences


def headline_gaps(audit: RecruitmentAudit) -> list[str]:
    """The headline sentences after the two indicators (clear, significant gaps), less
    those the one-step list already gives."""
    one_step = set(one_step_sentences(audit)[1:])
    return [s for s in headline_sentences(audit)[2:] if s not in one_step]


def _who(from_stage: str, index: int) -> str:
    """Who a row is about: "applicants" at the first step, unless the rows were declared
    shortlisted applicants (a one-step extract starting at "shortlisted").

    >>> _who("applied", 0), _who("shortlisted", 0), _who("interviewed", 2)
    ('applicants', 'shortlisted applicants', 'interviewed applicants')
    """
    if index == 0 and from_stage.strip().lower() != "shortlisted":
        return "applicants"
    return f"{from_stage} applicants"


def _verb(to_stage: str) -> str:
    return f"be {to_stage}" if to_stage.endswith("ed") else f"reach the {to_stage} stage"


def _noun(to_stage: str) -> str:
    return STAGE_NOUNS.get(to_stage.lower(), f"people reaching {to_stage}")


def format_p(p: float | None) -> str:
    """p to 2 decimals (4 below 0.1), "< 0.001" below that.

    >>> format_p(0.73), format_p(0.04951), format_p(0.00001)
    ('0.73', '0.0495', '< 0.001')
    """
    if p is None:
        return "n/a"
    if p < 0.001:
        return "< 0.001"
    return f"{p:.2f}" if p >= 0.1 else f"{p:.4f}"


def _p_phrase(p: float | None, *, bound: bool = False) -> str:
    """ "= 0.73" or "< 0.001", to follow a "p"; a published p is a bound.

    A published p allows for the rounding of the shown counts: the largest p any counts
    that round to them give. "p ≤ 1.00" says the rounded figures cannot rule out chance,
    where "p = 1.00" would read as the groups being alike.

    >>> _p_phrase(0.73), _p_phrase(1.0, bound=True), _p_phrase(0.0004, bound=True)
    ('= 0.73', '≤ 1.00, allowing for rounding', '< 0.001, allowing for rounding')
    """
    shown = format_p(p)
    if bound and p is not None:
        return f"{shown if shown.startswith('<') else f'≤ {shown}'}, allowing for rounding"
    return shown if shown.startswith("<") else f"= {shown}"


def format_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def format_rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _ci(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return CI_NOT_COMPUTABLE
    return f"{low:.2f} to {high:.2f}"


def _significance(
    p: float | None, low: float | None = None, high: float | None = None, *, bound: bool = False
) -> str:
    """One story: the verdict agrees with the interval printed beside it (see
    :func:`bias_audit.stats.significance.significance_verdict`); ``bound``: p is published,
    allowing for rounding (:func:`_p_phrase`)."""
    if p is None:
        return NOT_SIGNIFICANT.format(p="not computable")
    verdict = significance_verdict(p, low, high, alpha=ALPHA)
    if verdict == BORDERLINE:
        template = BORDERLINE_LOW_P if p < ALPHA else BORDERLINE_HIGH_P
    else:
        template = SIGNIFICANT if verdict == VERDICT_SIGNIFICANT else NOT_SIGNIFICANT
    phrase = _p_phrase(p, bound=bound)
    if bound and template in (BORDERLINE_LOW_P, BORDERLINE_HIGH_P):
        phrase += ","  # "borderline: p ≤ 0.049, allowing for rounding, is below 0.05 …"
    return template.format(p=phrase)


def row_sentence(row: Mapping[str, Any], *, stage_index: int) -> str:
    """One plain-English sentence for a row of ``RecruitmentAudit.transitions``.

    Examples
    --------
    >>> row = {"group": "BME", "reference": "White", "from": "shortlisted",
    ...        "to": "appointed", "entered": 50, "progressed": 21, "rate": 0.42,
    ...        "reference_progressed": 48, "relative_likelihood": 1.4286, "ci_low": 0.985,
    ...        "ci_high": 2.072, "p_value": 0.0495, "impact_ratio": 0.7,
    ...        "one_person_check": "pass", "suppressed": False, "not_computable": ""}
    >>> print(row_sentence(row, stage_index=1))  # doctest: +NORMALIZE_WHITESPACE
    White shortlisted applicants were 1.43 times as likely to be appointed as BME
    shortlisted applicants (95% CI 0.98 to 2.07); borderline: p = 0.0495 is below 0.05 but
    the interval includes 1, so the evidence is too weak to call the gap established;
    BME's rate is below four-fifths of the highest group's (0.70).
    """
    who = _who(row["from"], stage_index)
    group = row["group"]
    to_stage = row["to"]
    fields = {"group": group, "who": who, "verb_plain": _verb(to_stage), "rate": ""}
    if row.get("suppressed") and row.get("rate") is None:
        because = row.get("not_computable") or HIDDEN_BECAUSE
        return SENTENCE_SUPPRESSED.format(**fields, because=because)
    fields["rate"] = format_rate(row.get("rate"))
    if row.get("reference") is None or is_not_stated(group):
        return SENTENCE_NOT_STATED.format(**fields)
    if group == row["reference"]:
        return SENTENCE_REFERENCE.format(**fields)
    if row.get("relative_likelihood") is None:
        reason = row.get("not_computable") or "numbers hidden by disclosure control"
        return SENTENCE_NOT_COMPUTABLE.format(group=group, who=who, reason=reason)
    sentence = SENTENCE_RATIO.format(
        reference=row["reference"],
        who=who,
        ratio=format_ratio(row["relative_likelihood"]),
        verb=_verb(to_stage),
        group=group,
        ci=_ci(row.get("ci_low"), row.get("ci_high")),
        significance=_significance(
            row.get("p_value"),
            row.get("ci_low"),
            row.get("ci_high"),
            bound=bool(row.get("p_allows_for_rounding")),
        ),
    )
    extras = []
    smallest = min(
        (row.get("progressed"), group),
        (row.get("reference_progressed"), row["reference"]),
        key=lambda pair: pair[0] if isinstance(pair[0], int) else SMALL_NUMBER,
    )
    if isinstance(smallest[0], int) and smallest[0] < SMALL_NUMBER:
        extras.append(CAUTION_SMALL.format(n=SMALL_NUMBER, group=smallest[1], noun=_noun(to_stage)))
    ratio = row.get("impact_ratio")
    if ratio is not None and ratio < row.get("four_fifths", 0.8):
        flag = FOUR_FIFTHS_FLAG.format(group=group, ir=format_ratio(ratio))
        if row.get("one_person_check") == "fail":
            flag = f"{flag}, {ONE_PERSON_FAIL}"
        extras.append(flag)
    return "; ".join([sentence, *extras]) + "."


def indicator_sentence(indicator: Mapping[str, Any]) -> str:
    """The headline sentence for WRES indicator 2 or WDES metric 2."""
    name = indicator["name"]
    caveat = f" {indicator['caveat']}" if indicator.get("caveat") else ""
    if indicator.get("suppressed"):
        because = indicator.get("reason") or HIDDEN_BECAUSE
        return INDICATOR_SUPPRESSED.format(name=name, because=because) + caveat
    if indicator.get("value") is None:
        reason = indicator.get("reason", "")
        return INDICATOR_NOT_COMPUTABLE.format(name=name, reason=reason) + caveat
    focal = indicator["focal"]
    appointed = indicator[focal]["appointed"]
    caution = ""
    if isinstance(appointed, int) and appointed < SMALL_NUMBER:
        caution = "; " + CAUTION_SMALL.format(n=SMALL_NUMBER, group=focal, noun="appointments")
    return INDICATOR_SENTENCE.format(
        name=name,
        reference=indicator["reference"],
        focal=focal,
        ratio=format_ratio(indicator["value"]),
        ci=_ci(indicator.get("ci_low"), indicator.get("ci_high")),
        significance=_significance(
            indicator.get("p_value"),
            indicator.get("ci_low"),
            indicator.get("ci_high"),
            bound=bool(indicator.get("p_allows_for_rounding")),
        ),
        caution=caution,
        direction=indicator["direction"],
        excluded=indicator["not_stated_excluded"],
    ) + _indicator_extras(indicator)


def _indicator_extras(indicator: Mapping[str, Any]) -> str:
    """Declined offers left out, the declared-shortlisted caveat, the analyst's sensitivity."""
    extras = ""
    declined = indicator.get("declined_offers_excluded")
    if declined is not None and declined != 0:
        extras += INDICATOR_DECLINED.format(declined=declined)
    elif declined is None and "declined_offers_excluded" in indicator:
        extras += INDICATOR_DECLINED_UNCOUNTED
    if indicator.get("caveat"):
        extras += " " + str(indicator["caveat"])
    sensitivity = indicator.get("sensitivity")
    if sensitivity:
        extras += INDICATOR_SENSITIVITY.format(
            withdrawals=sensitivity["withdrawals_removed"],
            ratio=format_ratio(sensitivity["value"]),
            ci=_ci(sensitivity.get("ci_low"), sensitivity.get("ci_high")),
        )
    return extras


TABLE_COLUMNS = (
    ("group", "Group", 34),
    ("entered", "Entered", 8),
    ("progressed", "Progressed", 10),
    ("rate", "Rate", 6),
    ("relative_likelihood", "RL", 6),
    ("impact_ratio", "IR", 6),
    ("p_value", "p", 8),
)
TABLE_HEADING = "{attribute}: {from_stage} → {to_stage} (compared with {reference})"
TABLE_KEY = (
    "RL = relative likelihood = reference group's rate ÷ this group's rate (above 1: the "
    "reference group is more likely to progress). IR = impact ratio = this group's rate ÷ "
    "the highest group's rate (below 0.80 is flagged, four-fifths convention). p = Fisher's "
    "exact test, two-sided."
)


TABLE_KEY_ROUNDED = (
    "With small numbers protected, p is worked out from the shown counts and is the largest "
    'any counts that round to them give, so it is shown as a bound: "≤ 1.00" means the '
    "shown figures cannot rule out chance, not that the groups are alike."
)


def _cell(key: str, row: Mapping[str, Any]) -> str:
    value = row[key]
    if value is None:
        return "–"
    if key == "rate":
        return format_rate(value)
    if key in ("relative_likelihood", "impact_ratio"):
        return format_ratio(value)
    if key == "p_value":
        shown = format_p(value)
        bound = row.get("p_allows_for_rounding") and not shown.startswith("<")
        return f"≤ {shown}" if bound else shown
    return str(value)


def text_report(audit: RecruitmentAudit) -> str:
    """The whole audit as readable text: headlines, warnings, then one table per step."""
    lines = [f"Recruitment audit: {audit.funnel.source}", ""]
    lines.extend(f"* {s}" for s in headline_sentences(audit)[:2])
    lines.extend(f"* {s}" for s in headline_gaps(audit))
    one_step = one_step_sentences(audit)
    if one_step:
        lines.append(f"* {one_step[0]}")
        lines.extend(f"  - {s}" for s in one_step[1:])
    lines.append("")
    if audit.notes:
        lines.extend(audit.notes)
        lines.append("")
    if audit.warnings:
        lines.append("Data-quality warnings:")
        lines.extend(f"  - {w}" for w in audit.warnings)
        lines.append("")
    scheme = guaranteed_interview_sentence(audit.guaranteed_interview)
    if scheme is not None:
        lines.append(f"{GUARANTEED_INTERVIEW_HEADING}:")
        lines.append(f"  {scheme}")
        lines.append("")
    section = population_text(audit.population)
    if section:
        lines.extend(section)
        lines.append("")
    lines.append(TABLE_KEY + (f" {TABLE_KEY_ROUNDED}" if audit.suppression else ""))
    explained: set[str] = set()  # views whose "not computable" reason is already printed
    for (attribute, _, from_stage, to_stage), block in audit.transitions.groupby(
        ["attribute", "step", "from", "to"], sort=False
    ):
        reference = block["reference"].iloc[0]
        lines.append("")
        lines.append(
            TABLE_HEADING.format(
                attribute=ATTRIBUTE_LABELS.get(attribute, attribute),
                from_stage=from_stage,
                to_stage=to_stage,
                reference=reference if reference is not None else "no reference",
            )
        )
        lines.append("  ".join(title.ljust(width) for _, title, width in TABLE_COLUMNS))
        for row in block.to_dict("records"):
            lines.append(
                "  ".join(
                    _cell(key, row).ljust(width)[: max(width, 1) + 20]
                    for key, _, width in TABLE_COLUMNS
                )
            )
        lines.extend(_row_sentences(block.to_dict("records"), str(attribute), explained))
    return "\n".join(lines) + "\n"


VIEW_NOT_COMPUTABLE = "  Every comparison in this view is not computable {reason}."
ROW_NOT_COMPUTABLE_SEE_ABOVE = "{group} ({from_stage} → {to}): not computable (see above)."


def _row_sentences(rows: list[dict[str, Any]], attribute: str, explained: set[str]) -> list[str]:
    """The sentences under one table. A view made not computable by unread rows gives the
    same long reason (count and fix) for every row: it is printed once per view, where the
    view's first table is, and each row then says "not computable (see above)". The JSON
    keeps the full sentence on every row."""
    lines = []
    for row in rows:
        if row["group"] == row["reference"]:
            continue
        reason = row.get("not_computable")
        fields = {"group": row["group"], "from_stage": row["from"], "to": row["to"]}
        if reason and row["sentence"] == SENTENCE_PART_NOT_COMPUTABLE.format(
            **fields, reason=reason
        ):
            if attribute not in explained:
                explained.add(attribute)
                lines.append(VIEW_NOT_COMPUTABLE.format(reason=reason))
            lines.append("  " + ROW_NOT_COMPUTABLE_SEE_ABOVE.format(**fields))
            continue
        lines.append(f"  {row['sentence']}")
    return lines
