"""Page models converted for Streamlit once per object, not on every rerun.

Page models (comparisons.models) are built once per data version, language and settings and shared by every session
(comparisons.models.parts.per_data). What Streamlit needs from them is converted here, once per model object:

- a table's Arrow form: st.dataframe converts a pandas frame to Arrow each time it is called, which was a third of a
  cached page's rerun (benchmarks/pages.py, py-spy: pyarrow.pandas_compat); handed an Arrow table, it only
  serialises it;
- a chart's localised Vega-Lite spec (ui.charts), which cost 20-60 ms per chart per rerun (Altair's schema check).

The converted forms are held while the model object lives (keyed by its id, dropped when it is collected), and are
shared like the models: read-only.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd
import pyarrow as pa
import streamlit as st

from comparisons.models.parts import Table
from ui.compat import convert_pandas_df_to_arrow_table

T = TypeVar("T")

_converted: dict[tuple[str, int], Any] = {}
_lock = threading.Lock()


def converted(kind: str, obj: object, convert: Callable[[], T]) -> T:
    """`convert()` for `obj`, computed once while `obj` lives (a second caller may compute it again: harmless)."""
    key = (kind, id(obj))
    found = _converted.get(key)
    if found is None:
        found = convert()
        with _lock:
            if key not in _converted:
                _converted[key] = found
                weakref.finalize(obj, _converted.pop, key, None)
    return found


def arrow(frame: pd.DataFrame) -> pa.Table:
    """`frame` as st.dataframe sends it (Streamlit's own converter, so the page shows exactly what it showed from
    the frame), converted once per frame."""
    return converted("arrow", frame, lambda: convert_pandas_df_to_arrow_table(frame))


def dataframe(data: pd.DataFrame | Table | None, **kwargs: Any) -> None:
    """st.dataframe of a model's table, converted once."""
    frame = data.view if isinstance(data, Table) else data
    st.dataframe(None if frame is None else arrow(frame), **kwargs)
