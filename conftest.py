"""Collection rules for the whole repository (pytest reads this before anything else)."""

# The Streamlit page scripts call render() when imported; st.navigation runs them, and the
# AppTest and browser tests cover them; --doctest-modules must not import them (no examples).
collect_ignore = ["bias_audit/ui/pages", "app.py"]
