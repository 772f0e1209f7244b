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
    BALANCE_HEADERS,
    CREDENTIAL_HEADERS,
    DIFFERENCE_HEADERS,
    GROUP_HEADERS,
    balance_rows,
    credential_rows,
    difference_rows,
    group_rows,
)

BALANCE_TITLE = "Competence or credential? Essential criteria by kind"
BALANCE_CAPTION = (
    "Credential: a qualification, registration, licence or length of experience. Competence: "
    "something a person can show they can do. Value: an attitude or behaviour. The rules are "
    "in data/criteria_kinds.yml; agreement with hand labels is in docs/portfolio-review.md."
)
CREDENTIALS_TITLE = "Credentials, with a competence-based wording to consider"
NO_CREDENTIALS = "No essential criterion is a credential only."
DUPLICATES_TITLE = "Near-duplicates: candidates for one description per band"
DUPLICATES_CAPTION = (
    "Documents whose duties and requirements are at least {threshold} similar (TF-IDF cosine; "
    "shared boilerplate left out). Different bands for the same job are worth a look too."
)
NO_DUPLICATES = "No two documents describe the same job."
BANDS_DIFFER = "Group {number}: the same job is described at different bands ({bands})."


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
        if group.bands_differ:
            bands = ", ".join(str(b) for b in group.bands if b is not None)
            st.warning(BANDS_DIFFER.format(number=number, bands=bands))
        with st.expander(f"Group {number}: {', '.join(group.members)}"):
            _table(DIFFERENCE_HEADERS, difference_rows(group), key=f"{key}_group_{number}")


# ------------------------------------------------------- sections of the portfolio page


def _documents_key(review: object) -> tuple[tuple[str, str, int | None], ...]:
    return tuple((d.name, d.text, d.band) for d in review.documents)  # type: ignore[attr-defined]


@st.cache_data(scope="session", max_entries=4, show_spinner="Classifying criteria…")
def _review(documents: tuple[tuple[str, str, int | None], ...]) -> object:
    from types import SimpleNamespace

    from bias_audit.portfolio.review import review_documents

    return review_documents(SimpleNamespace(name=n, text=t, band=b) for n, t, b in documents)


def credential_section(review: object) -> None:
    """The portfolio page's credential-balance section (per document and per band)."""
    found = _review(_documents_key(review))
    render_credential_balance(
        found.balances, by_band=found.by_band, key="portfolio_credentials", heading=False
    )


def duplicates_section(review: object) -> None:
    """The portfolio page's near-duplicate section."""
    render_duplicate_groups(
        _review(_documents_key(review)).duplicates, key="portfolio_duplicates", heading=False
    )
