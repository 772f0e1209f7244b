"""Streamlit page script: the region comparison (st.navigation runs this file)."""

from bias_audit.ui.region_page import render

render()
