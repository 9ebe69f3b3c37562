"""Expanders and popovers whose contents are drawn only while they are open.

Streamlit sends every element of a closed expander or popover on every rerun. Under many readers that is what a
page run costs: about 60 % of a cached page's server time is Streamlit's own work per element, 30 % sending them
(benchmarks/pages.py and load.py with py-spy), and our computing is the rest. So a container a reader opens only
now and then reruns the page when it is opened or closed (`on_change="rerun"`) and draws its contents only while it
is open (`.open`). A widget inside keeps its value in session state while the container is closed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st


@contextmanager
def expander(label: str, key: str, *, icon: str | None = None, expanded: bool = False) -> Iterator[bool]:
    """`with lazy.expander(label, key) as open_: if open_: ...draw...`. `expanded` opens it on a session's first
    run (a link that chose what is inside)."""
    box = st.expander(label, expanded=expanded, icon=icon, key=key, on_change="rerun")
    with box:
        yield bool(box.open)


@contextmanager
def popover(label: str, key: str, *, icon: str | None = None) -> Iterator[bool]:
    """`with lazy.popover(label, key) as open_: if open_: ...draw...`."""
    box = st.popover(label, icon=icon, key=key, on_change="rerun")
    with box:
        yield bool(box.open)
