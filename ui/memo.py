"""What a page builds from the evidence, built once per data version, language and view settings, and shared.

A page's tables, texts and chart specs depend only on the evidence base (its data version), the reader's language
and the page's own settings (a year, a currency, a chosen source). Rebuilding them on every rerun made every click
cost 100-500 ms of pandas and Altair work (benchmarks/pages.py, py-spy). A page therefore puts that work in one
function of (ev, lang, settings...) decorated with `per_data`, and draws what it returns.

The results live in `st.cache_resource`: one copy per key for every session (memory does not grow per reader).
They are shared, so a page must treat them as read-only; `tests/test_memo.py` renders every page twice and checks
that nothing drawn changed. A saved edit changes the data version, so the next run builds afresh; old entries
fall out by least-recent use (`max_entries`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

import pandas as pd
import pyarrow as pa
import streamlit as st

from comparisons.evidence.base import Evidence

P = ParamSpec("P")
R = TypeVar("R")

# Keys per page: 3 languages x the page's settings (e.g. 17 years on Governance, ~140 sources on Sources).
MAX_ENTRIES = 512


def evidence_key(ev: Evidence) -> tuple[str, str]:
    """An evidence base is identified by its root and data version (a hash of every data file), not by content."""
    return str(ev.root), ev.version


def per_data(func: Callable[P, R]) -> Callable[P, R]:
    """Cache `func(ev, *settings)` per (data root, data version, settings), shared by all sessions."""
    return st.cache_resource(show_spinner=False, max_entries=MAX_ENTRIES, hash_funcs={Evidence: evidence_key})(func)


def arrow(frame: pd.DataFrame) -> pa.Table:
    """A table for st.dataframe, converted to Arrow once in a view instead of on every rerun.

    st.dataframe converts a pandas frame to Arrow each time it is called; that conversion was a third of a cached
    page's rerun time (benchmarks/pages.py, py-spy: pyarrow.pandas_compat). Handed an Arrow table, it only
    serialises it. Streamlit's own converter, so the page shows exactly what it showed from the frame."""
    from streamlit.dataframe_util import convert_pandas_df_to_arrow_table

    return convert_pandas_df_to_arrow_table(frame)


@dataclass(frozen=True)
class ShownTable:
    """A table as a page draws and downloads it: the frame (the files are written from it), the sources of its
    rows (ui.downloads.row_sources), its download name, and the frame converted once for st.dataframe (`shown`)."""

    frame: pd.DataFrame
    sources: object
    name: str = ""
    shown: pa.Table = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shown", arrow(self.frame))  # frozen: set once, here
