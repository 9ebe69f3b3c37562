"""The empty Streamlit page the benchmarks compare every page with: one st.write, nothing else."""

import streamlit as st

st.write("Empty page")
