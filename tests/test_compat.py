"""The private Streamlit calls (ui/compat.py) were checked against one Streamlit version: an upgrade fails here
until each use is checked again and CHECKED_VERSION raised."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit

from ui import compat


def test_streamlit_is_the_version_the_private_calls_were_checked_against() -> None:
    assert streamlit.__version__ == compat.CHECKED_VERSION, (
        f"Streamlit {streamlit.__version__}: check ui/compat.py's private calls, then raise CHECKED_VERSION"
    )


def test_each_private_call_still_does_what_the_app_relies_on() -> None:
    frame = pd.DataFrame({"a": [1.5, None], "b": ["x", "y"]})
    table = compat.convert_pandas_df_to_arrow_table(frame)
    assert isinstance(table, pa.Table) and table.column_names[-2:] == ["a", "b"] and table.num_rows == 2
    chart = alt.Chart(frame).mark_point().encode(x="a:Q", y="b:N")
    spec = compat.altair_to_vega_lite_spec(chart)
    assert "mark" in str(spec)
    assert compat.uses_pages_directory() in (True, False, None)
