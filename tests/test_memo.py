"""Page content cached per data version (ui.memo) must be exactly what the page drew before caching, must be
shared rather than rebuilt, and must never be changed by drawing it."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import all_text, open_page
from ui.nav import PAGES


def _altair_vs_cached() -> None:
    import altair as alt
    import pandas as pd
    import streamlit as st

    from comparisons.models.parts import chart_view
    from comparisons.outputs.charts import localise
    from ui.charts import draw_chart

    frame = pd.DataFrame({"year": ["2019", "2020", "2021"], "value": [1.5, 2.25, 1000.0], "who": ["a", "b", "c"]})
    chart = alt.Chart(frame, title="t").mark_bar().encode(x="year:O", y="value:Q", tooltip=["who:N"])
    st.altair_chart(localise(chart, "da"), width="stretch", key="chart-direct")
    draw_chart(chart_view(chart, "da"), "cached")


def test_a_cached_chart_view_draws_exactly_what_st_altair_chart_draws() -> None:
    at = AppTest.from_function(_altair_vs_cached).run()
    assert not at.exception
    charts = [element.proto for element in at.get("vega_lite_chart")]
    assert len(charts) == 2
    direct, cached = charts
    # The cached view is what st.altair_chart sends, plus what a screen reader needs (comparisons.outputs.charts).
    from comparisons.outputs.charts import accessible_spec

    cached_spec = json.loads(cached.spec)
    assert cached_spec["description"] == "t."
    assert cached_spec == accessible_spec(json.loads(direct.spec), "t.")
    assert '"decimal": ","' in cached.spec  # Danish number locale applied
    assert [(d.name, d.data.data) for d in direct.datasets] == [(d.name, d.data.data) for d in cached.datasets]
    assert len(cached.datasets) == 1 and cached.datasets[0].data.data  # the data travels as Arrow bytes


def _frame_vs_arrow() -> None:
    import pandas as pd
    import streamlit as st

    from ui.memo import arrow

    frame = pd.DataFrame(
        {
            "Navn": ["Ærø", None],
            "Tal": [1.5, None],
            "Liste": [["a"], ["b", "c"]],
            "Dato": pd.to_datetime(["2020-01-01", None]),
        },
        index=[7, 9],
    )
    st.dataframe(frame, hide_index=True, key="direct")
    st.dataframe(arrow(frame), hide_index=True, key="converted")


def test_a_table_converted_once_sends_what_the_frame_would() -> None:
    at = AppTest.from_function(_frame_vs_arrow).run()
    assert not at.exception
    direct, converted = (element.proto for element in at.dataframe)
    assert direct.arrow_data.data == converted.arrow_data.data  # the same Arrow bytes, index included
    assert direct.arrow_data.data


def _text(at: AppTest) -> str:
    """The page's text with the download captions' as-of time (now, to the second) blanked out."""
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "<as of>", all_text(at))


def _frames(at: AppTest) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe]


@pytest.mark.parametrize("url_path", [p.url_path for p in PAGES])
def test_drawing_a_page_twice_from_the_shared_cache_shows_the_same(url_path: str) -> None:
    """The second session is served from the per-data-version cache; if the first run had changed a cached frame
    in place (a column added, a value rewritten), the second would differ."""
    first = open_page(url_path, "da")
    second = open_page(url_path, "da")
    assert not first.exception and not second.exception
    assert _text(first) == _text(second)
    a, b = _frames(first), _frames(second)
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        pd.testing.assert_frame_equal(x, y)


def test_views_are_built_once_per_data_version_language_and_setting() -> None:
    from comparisons.evidence.base import load_evidence
    from comparisons.models.overview import overview_view

    ev = load_evidence()
    overview_view.clear()
    first = overview_view(ev, "nb", "NOK")
    assert overview_view(ev, "nb", "NOK") is first  # shared, not rebuilt
    assert overview_view(ev, "en", "NOK") is not first  # another language is another entry
    assert overview_view(ev, "nb", "EUR") is not first
    ev.version = "another-version"  # what a saved edit does to the key
    assert overview_view(ev, "nb", "NOK") is not first
