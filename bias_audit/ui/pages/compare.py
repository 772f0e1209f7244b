"""Streamlit page script: the before-and-after page (st.navigation runs this file)."""

from bias_audit.ui.compare_page import render

render()
