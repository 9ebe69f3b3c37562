"""Shared Streamlit pieces: URL state, language, data loading, figure cards, navigation."""
