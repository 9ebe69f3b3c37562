"""Loading the evidence base once per data version, shared by all sessions.

The frames are held in `st.cache_resource`, not copied per session: pages treat them as read-only (any change
goes through a copy). The cache key includes the files' modification times, so a saved edit is picked up.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import streamlit as st

from comparisons import i18n
from comparisons.evidence.base import Evidence, load_evidence
from comparisons.evidence.paths import PACKAGES
from ui.context import data_root, gettext, lang


def _stamp(root: Path) -> tuple[tuple[str, int], ...]:
    files = []
    for package in PACKAGES:
        folder = root / package
        if folder.is_dir():
            files += [(f"{package}/{p.name}", p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()]
    return tuple(files)


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(root: str, stamp: tuple[tuple[str, int], ...]) -> Evidence:
    del stamp  # part of the cache key only
    return load_evidence(Path(root))


# A page asks for the evidence several times per run (each download bar does), and every rerun of every session
# would stat each data file. A stamp is therefore reused for a moment: a file changed behind the app's back is
# picked up within STAMP_SECONDS; the app's own saves call clear_cache(), which takes effect at once.
STAMP_SECONDS = 2.0
_stamps: dict[str, tuple[float, tuple[tuple[str, int], ...]]] = {}


def _recent_stamp(root: Path) -> tuple[tuple[str, int], ...]:
    now = time.monotonic()
    taken = _stamps.get(str(root))
    if taken is None or now - taken[0] > STAMP_SECONDS:
        taken = (now, _stamp(root))
        _stamps[str(root)] = taken
    return taken[1]


# The evidence last returned per root, with the stamp it was loaded for: while the stamp is the same, it is returned
# without asking `_load`, whose key (every file name and time) Streamlit hashes in Python on each call (3 ms).
_held: dict[str, tuple[tuple[tuple[str, int], ...], Evidence]] = {}


def evidence() -> Evidence:
    root = data_root()
    stamp = _recent_stamp(root)
    held = _held.get(str(root))
    if held is not None and held[0] == stamp:
        return held[1]
    ev = _load(str(root), stamp)
    _held[str(root)] = (stamp, ev)
    return ev


def require_evidence() -> Evidence:
    """The evidence base, or a clear message listing every problem (and the page stops) when it is broken."""
    _ = gettext()
    try:
        ev = evidence()
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        st.error(_("The data could not be loaded: {error}").format(error=type(exc).__name__))
        st.stop()
    if not ev.ok:
        ngettext = i18n.ngettext_for(lang())  # by this name, so the catalog extractor finds the plural forms
        st.error(
            ngettext(
                "The data has {count} problem, so no figures are shown until it is fixed. "
                "The problem names its file, row and column; `python -m comparisons validate` lists the same.",
                "The data has {count} problems, so no figures are shown until it is fixed. "
                "Each problem names its file, row and column; `python -m comparisons validate` lists the same.",
                len(ev.problems),
            ).format(count=len(ev.problems))
        )
        table = pd.DataFrame(
            {
                _("File"): [p.file for p in ev.problems],
                _("Row"): [p.row for p in ev.problems],
                _("Column"): [p.column or "" for p in ev.problems],
                _("Problem"): [p.text(lang()) for p in ev.problems],
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
        st.stop()
    return ev


def clear_cache() -> None:
    """Forget the loaded evidence base after a save, so every page in every session reads the new data."""
    _stamps.clear()
    _held.clear()
    _load.clear()
