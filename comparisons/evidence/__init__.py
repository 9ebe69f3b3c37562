"""The evidence base: where the data lives, its schema (read from the Frictionless descriptors), loading and
checking the three packages, the quote parser, conflicts in the evidence, and safe saving and importing.

May import: pandas, frictionless, and `comparisons.i18n` (labels and formatting for conflict texts). Never
`measures`, `models`, `outputs` or streamlit.
"""
