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
from typing import ParamSpec, TypeVar

import streamlit as st

from comparisons.evidence import Evidence

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
