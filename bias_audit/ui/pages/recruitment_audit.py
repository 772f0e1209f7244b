"""Streamlit page script: the recruitment audit page (st.navigation runs this file)."""

from bias_audit.ui.recruitment_page import render

render()
