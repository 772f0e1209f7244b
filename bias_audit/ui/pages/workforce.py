"""Streamlit page script: the Workforce page (st.navigation runs this file)."""

from bias_audit.ui.workforce_page import render

render()
