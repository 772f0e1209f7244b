"""Streamlit page script: the job description portfolio page (st.navigation runs this file)."""

from bias_audit.ui.portfolio_page import render

render()
