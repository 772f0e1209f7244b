"""Streamlit page script: the job advert checker page (st.navigation runs this file)."""

from bias_audit.ui.advert_page import render

render()
