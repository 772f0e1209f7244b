"""bias-audit Streamlit app: page set-up and navigation only (the pages live in bias_audit/ui)."""

import streamlit as st

st.set_page_config(page_title="bias-audit", page_icon="⚖️", layout="wide")
st.navigation(
    [
        st.Page("bias_audit/ui/pages/advert_checker.py", title="Job advert checker", default=True),
        st.Page("bias_audit/ui/pages/recruitment_audit.py", title="Recruitment audit"),
        st.Page("bias_audit/ui/pages/method.py", title="Method"),
    ]
).run()
