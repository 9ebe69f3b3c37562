"""The measures: each figure the workbench computes from the evidence (money normalised to one currency and per
inhabitant, procurement shares, owners in a year, partner counts, savings per krone, the what-if projection),
each defined once here and used by every page model and output.

May import: `comparisons.evidence`, `comparisons.i18n`, and `comparisons.outputs.palette`/`charts` for chart
specs. Never `models` or streamlit.
"""
