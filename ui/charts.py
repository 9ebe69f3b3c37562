"""Chart frame: a chart, and beside it its data as a table for those who read rather than look.

A chart reaches the page as a `ChartView`: the Altair chart as built (for the PNG/SVG downloads) and its localised
Vega-Lite spec, converted once. Converting an Altair chart validates it against the Vega-Lite JSON schema and
serialises its data, which cost 20-60 ms per chart per rerun (py-spy: altair, jsonschema, referencing), so pages
build their ChartViews inside their `ui.memo.per_data` function and only the drawing happens on each rerun.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st

from comparisons.outputs.charts import accessible_spec, localise
from ui.context import gettext
from ui.memo import arrow


@dataclass(frozen=True)
class ChartView:
    chart: alt.TopLevelMixin  # as built, before localisation: what comparisons.outputs.chart_export turns into files
    spec: dict[str, Any]  # localised Vega-Lite spec with its data as Arrow bytes, as st.altair_chart would send
    table: pa.Table | None = None  # the data behind the chart as shown under it, converted once (ui.memo.arrow)


def chart_view(chart: alt.TopLevelMixin, lang: str, table: pd.DataFrame | None = None) -> ChartView:
    """Localise and convert `chart` the way st.altair_chart does, and its data table, once."""
    # Streamlit's own conversion (its Arrow data transformer and theme handling), so the page gets exactly what
    # st.altair_chart would draw; tests/test_memo.py compares the two.
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return ChartView(
        chart=chart,
        spec=_convert_altair_to_vega_lite_spec(localise(chart, lang)),
        table=None if table is None else arrow(table),
    )


def chart_title(view: ChartView, title: str | None = None) -> str:
    """The chart's name for a screen reader: the title given, else the chart's own, else a plain "Chart"."""
    own = view.spec.get("title")
    own = own.get("text") if isinstance(own, dict) else own
    return title or (own if isinstance(own, str) and own else gettext()("Chart"))


def chart_description(view: ChartView, title: str | None = None, caption: str | None = None) -> str:
    """What a screen reader announces for a chart: its title, the caption under it, and where its data is."""
    _ = gettext()
    parts = [chart_title(view, title).rstrip(".") + "."]
    if caption:
        parts.append(caption.replace("\\", ""))  # the caption is escaped Markdown; the description is plain text
    if view.table is not None:
        parts.append(
            _("The data is in the table below, under “{label}”.").format(label=_("The data behind this chart"))
        )
    return " ".join(parts)


def draw_chart(view: ChartView, key: str, description: str | None = None) -> None:
    """Draw a converted chart, announced by `description` (default: its title) instead of "Vega visualization";
    Streamlit copies the spec before changing it, so the shared view stays intact."""
    spec = accessible_spec(view.spec, description or chart_description(view))
    st.vega_lite_chart(spec, width="stretch", key=f"chart-{key}")


def chart_with_table(view: ChartView, key: str, caption: str | None = None, title: str | None = None) -> None:
    """Draw a localised chart, an optional caption (source and year), and its data (`view.table`) in an expander.

    `title` names a chart that has no title of its own (the section heading above it), for screen readers."""
    _ = gettext()
    draw_chart(view, key, chart_description(view, title, caption))
    if caption:
        st.caption(caption)
    if view.table is not None:
        with st.expander(_("The data behind this chart")):
            st.dataframe(view.table, hide_index=True, width="stretch", key=f"table-{key}")
