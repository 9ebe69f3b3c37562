"""The private Streamlit functions the app relies on, in one place, with the Streamlit version they were checked
against. tests/test_compat.py fails on any other version, so an upgrade is a deliberate step: check each use below
still does what its comment says, then raise CHECKED_VERSION.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit

CHECKED_VERSION = "1.67.0"


def convert_pandas_df_to_arrow_table(frame: pd.DataFrame) -> pa.Table:
    """Streamlit's own pandas -> Arrow conversion (streamlit.dataframe_util), as st.dataframe does it."""
    from streamlit.dataframe_util import convert_pandas_df_to_arrow_table as convert

    return convert(frame)


def altair_to_vega_lite_spec(chart: Any) -> dict[str, Any]:
    """What st.altair_chart sends for an Altair chart (its Arrow data transformer and theme handling)."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return _convert_altair_to_vega_lite_spec(chart)


def uses_pages_directory() -> bool | None:
    """Whether Streamlit's legacy pages/ routing is active for this process (PagesManager), None if unknown."""
    from streamlit.runtime.pages_manager import PagesManager

    return getattr(PagesManager, "uses_pages_directory", None)


def set_uses_pages_directory(value: bool) -> None:
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = value


def streamlit_version() -> str:
    return streamlit.__version__
