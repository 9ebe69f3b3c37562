"""The outputs: table exports (CSV, Nordic CSV, XLSX, Parquet, JSON), the registry of exportable tables, chart
specs and their PNG/SVG rendering, the one palette, and the decision pack (XLSX + DOCX).

May import: `comparisons.evidence`, `comparisons.i18n`, `comparisons.measures` and `comparisons.models`. Never
streamlit.
"""
