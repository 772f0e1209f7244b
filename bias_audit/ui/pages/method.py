"""Streamlit page script: the method page (st.navigation runs this file)."""

from bias_audit.ui.method_page import render

render()
