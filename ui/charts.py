"""Chart frame: a chart, and beside it its data as a table for those who read rather than look."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from comparisons.charts import localise
from ui.context import gettext, lang


def chart_with_table(chart: alt.TopLevelMixin, table: pd.DataFrame, key: str, caption: str | None = None) -> None:
    """Draw a localised chart, an optional caption (source and year), and its data in an expander."""
    _ = gettext()
    st.altair_chart(localise(chart, lang()), width="stretch", key=f"chart-{key}")
    if caption:
        st.caption(caption)
    with st.expander(_("The data behind this chart")):
        st.dataframe(table, hide_index=True, width="stretch", key=f"table-{key}")
