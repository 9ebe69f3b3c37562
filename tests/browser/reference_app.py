"""An empty Streamlit page, served with the app's settings: the baseline for Streamlit's own accessibility
violations (tests/browser/test_a11y_browser.py)."""

import streamlit as st

st.title("Reference")
st.write("An empty page.")
