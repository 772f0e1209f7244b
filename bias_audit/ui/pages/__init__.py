"""Page scripts run by ``st.navigation`` in ``app.py``; each only calls its page's render."""
