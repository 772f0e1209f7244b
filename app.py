"""bias-audit Streamlit app: page set-up and navigation only (the pages live in bias_audit/ui).

The build copies this file into the installed package (``bias_audit/app/app.py``), so the
pages are named by their place in the imported package, not relative to this file.
"""

from importlib.resources import files

import streamlit as st

PAGES = files("bias_audit.ui.pages")

st.set_page_config(page_title="bias-audit", page_icon="⚖️", layout="wide")
st.navigation(
    [
        st.Page(PAGES / "advert_checker.py", title="Job advert checker", default=True),
        st.Page(PAGES / "compare.py", title="Before and after"),
        st.Page(PAGES / "portfolio.py", title="Job description portfolio"),
        st.Page(PAGES / "recruitment_audit.py", title="Recruitment audit"),
        st.Page(PAGES / "workforce.py", title="Workforce"),
        st.Page(PAGES / "region.py", title="Region"),
        st.Page(PAGES / "method.py", title="Method"),
    ]
).run()
