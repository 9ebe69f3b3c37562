"""Chart frame: a model's chart, and beside it its data as a table for those who read rather than look.

A chart reaches the page as a `comparisons.models.parts.ChartView`: the Altair chart as built (for the PNG/SVG
downloads), its language and its data table. Its localised Vega-Lite spec is converted once per chart object
(ui.memo): converting an Altair chart validates it against the Vega-Lite JSON schema and serialises its data, which
cost 20-60 ms per chart per rerun (py-spy: altair, jsonschema, referencing).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from comparisons.models.parts import ChartView
from comparisons.outputs.charts import localise
from ui import compat
from ui.context import gettext
from ui.memo import converted, dataframe


def vega_spec(view: ChartView) -> Any:
    """The localised spec st.altair_chart would send for this chart, converted once (tests/test_memo.py)."""
    return converted("vega", view, lambda: compat.altair_to_vega_lite_spec(localise(view.chart, view.lang)))


def draw_chart(view: ChartView, key: str) -> None:
    """Draw a chart; Streamlit copies the spec before changing it, so the shared spec stays intact."""
    st.vega_lite_chart(vega_spec(view), width="stretch", key=f"chart-{key}")


def chart_with_table(view: ChartView, key: str, caption: str | None = None) -> None:
    """Draw a localised chart, an optional caption (source and year), and its data (`view.table`) in an expander."""
    _ = gettext()
    draw_chart(view, key)
    if caption:
        st.caption(caption)
    if view.table is not None:
        with st.expander(_("The data behind this chart")):
            dataframe(view.table, hide_index=True, width="stretch", key=f"table-{key}")
