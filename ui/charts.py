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
from comparisons.outputs.charts import accessible_spec, localise
from ui import compat, lazy
from ui.context import gettext
from ui.memo import converted, dataframe


def vega_spec(view: ChartView) -> Any:
    """The localised spec st.altair_chart would send for this chart, converted once (tests/test_memo.py)."""
    return converted("vega", view, lambda: compat.altair_to_vega_lite_spec(localise(view.chart, view.lang)))


def chart_title(view: ChartView, title: str | None = None) -> str:
    """The chart's name for a screen reader: the title given, else the chart's own, else a plain "Chart"."""
    own = vega_spec(view).get("title")
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
    """Draw a converted chart, announced by `description` (default: its title) instead of "Vega visualization".
    The announced spec is made once per chart and description (copying and walking the spec on every rerun was
    work a cache should hold); Streamlit copies the spec before changing it, so the shared one stays intact."""
    text = description or chart_description(view)
    spec = converted(f"a11y:{text}", view, lambda: accessible_spec(vega_spec(view), text))
    st.vega_lite_chart(spec, width="stretch", key=f"chart-{key}")


def chart_with_table(view: ChartView, key: str, caption: str | None = None, title: str | None = None) -> None:
    """Draw a localised chart, an optional caption (source and year), and its data (`view.table`) in an expander.

    `title` names a chart that has no title of its own (the section heading above it), for screen readers."""
    _ = gettext()
    draw_chart(view, key, chart_description(view, title, caption))
    if caption:
        st.caption(caption)
    if view.table is not None:
        with lazy.expander(_("The data behind this chart"), f"data-{key}") as open_:
            if open_:
                dataframe(view.table, hide_index=True, width="stretch", key=f"table-{key}")
