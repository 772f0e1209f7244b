"""App sections for a portfolio's credential balance and near-duplicate groups.

Called by the portfolio page (``bias_audit/ui/portfolio_page.py``) and the before-and-after
page; every number and label comes from :mod:`bias_audit.portfolio.review_tables`, and all
document text goes into tables as data (never as markdown or HTML).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from bias_audit.portfolio.credentials import CredentialBalance
from bias_audit.portfolio.duplicates import DuplicateReport
from bias_audit.portfolio.review_tables import (
    BALANCE_CAPTION,
    BALANCE_HEADERS,
    BALANCE_TITLE,
    CREDENTIAL_HEADERS,
    CREDENTIALS_TITLE,
    DIFFERENCE_HEADERS,
    DUPLICATES_CAPTION,
    DUPLICATES_TITLE,
    GROUP_HEADERS,
    NO_CREDENTIALS,
    NO_DUPLICATES,
    balance_rows,
    bands_differ_note,
    credential_rows,
    difference_rows,
    group_rows,
)


def _table(headers: Sequence[str], rows: list[tuple[str, ...]], *, key: str) -> None:
    st.dataframe(pd.DataFrame(rows, columns=list(headers)), hide_index=True, key=key)


def render_credential_balance(
    balances: Sequence[CredentialBalance],
    *,
    by_band: Sequence[CredentialBalance] = (),
    key: str = "credential_balance",
    heading: bool = True,
) -> None:
    """Per-document (and per-band, when given) shares, then every credential with a wording.

    ``heading=False`` leaves out the section's own heading (for a page that draws it).
    """
    if heading:
        st.markdown(f"#### {BALANCE_TITLE}")
    st.caption(BALANCE_CAPTION)
    _table(BALANCE_HEADERS, balance_rows(balances), key=f"{key}_documents")
    if by_band:
        _table(BALANCE_HEADERS, balance_rows(by_band), key=f"{key}_bands")
    st.markdown(f"##### {CREDENTIALS_TITLE}")
    rows = credential_rows(balances)
    if rows:
        _table(CREDENTIAL_HEADERS, rows, key=f"{key}_credentials")
    else:
        st.info(NO_CREDENTIALS)


def render_duplicate_groups(
    report: DuplicateReport, *, key: str = "duplicates", heading: bool = True
) -> None:
    """The near-duplicate groups, then each group's differences member by member."""
    if heading:
        st.markdown(f"#### {DUPLICATES_TITLE}")
    if report.not_computable:
        st.info(report.not_computable)
        return
    st.caption(DUPLICATES_CAPTION.format(threshold=report.threshold))
    if not report.groups:
        st.info(NO_DUPLICATES)
        return
    _table(GROUP_HEADERS, group_rows(report), key=f"{key}_groups")
    for number, group in enumerate(report.groups, start=1):
        note = bands_differ_note(number, group)
        if note is not None:
            st.warning(note)
        with st.expander(f"Group {number}: {', '.join(group.members)}"):
            _table(DIFFERENCE_HEADERS, difference_rows(group), key=f"{key}_group_{number}")


# ------------------------------------------------------- sections of the portfolio page


def credential_section(review: object) -> None:
    """The portfolio page's credential-balance section (per document and per band), from
    the review the portfolio run holds (``Portfolio.review``)."""
    found = review.review  # type: ignore[attr-defined]
    render_credential_balance(
        found.balances, by_band=found.by_band, key="portfolio_credentials", heading=False
    )


def duplicates_section(review: object) -> None:
    """The portfolio page's near-duplicate section."""
    render_duplicate_groups(
        review.review.duplicates,  # type: ignore[attr-defined]
        key="portfolio_duplicates",
        heading=False,
    )
