"""The pieces every page model is made of, and the one cache of page models.

- `Table`: a table as a page shows and downloads it: the frame (files are written from it), the sources of its rows
  (a column name or one entry per row, see ui.downloads.row_sources) and its download name.
- `ChartView`: a chart as built (Altair, before localisation: what comparisons.outputs.chart_export turns into PNG
  and SVG), its language, and the data behind it as a table for those who read rather than look.
- `per_data`: a model function of (evidence, language, settings...) is built once per data root, data version and
  settings, and shared by every caller in the process: every Streamlit session, the warm-up, the pack and the
  command line. Rebuilding a page's content on every rerun cost 100-500 ms (benchmarks/pages.py), so this is the
  one place a page model is cached. A saved edit changes the data version, so the next call builds afresh; old
  entries fall out by least-recent use. The results are shared: callers treat them as read-only.

Renderers convert these pieces for their medium (ui.memo converts a table to Arrow and a chart to its Vega-Lite
spec once per object); nothing here knows about Streamlit.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

import altair as alt
import pandas as pd

from comparisons.evidence.base import Evidence
from comparisons.outputs import exports

P = ParamSpec("P")
R = TypeVar("R")

# Keys per model function: 3 languages x the page's settings (e.g. 17 years on Governance, ~140 sources on Sources).
MAX_ENTRIES = 512


@dataclass(frozen=True, eq=False)
class Table:
    frame: pd.DataFrame
    sources: exports.RowSources
    name: str = ""


@dataclass(frozen=True, eq=False)
class ChartView:
    chart: alt.TopLevelMixin
    lang: str
    table: pd.DataFrame | None = None


def chart_view(chart: alt.TopLevelMixin, lang: str, table: pd.DataFrame | None = None) -> ChartView:
    """A chart in `lang` with the table of its data (localised when rendered: ui.charts, chart_export)."""
    return ChartView(chart, lang, table)


def sources_of_facts(fact_sources: Mapping[str, tuple[str, ...]], fact_ids: Iterable[object]) -> list[tuple[str, ...]]:
    """Per row, the sources of the figures it names (ids separated by spaces, commas or semicolons, or a list),
    with comparisons.outputs.tables.fact_sources as the lookup: a derived figure brings the sources it was
    computed from."""
    out = []
    for value in fact_ids:
        ids = [s for f in exports.parse_ids(value) for s in fact_sources.get(f, ())]
        out.append(tuple(dict.fromkeys(ids)))
    return out


def evidence_key(ev: Evidence) -> tuple[str, str]:
    """An evidence base is identified by its root and data version (a hash of every data file), not by content."""
    return str(ev.root), ev.version


def _key(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
    parts: list[Hashable] = [evidence_key(a) if isinstance(a, Evidence) else a for a in args]
    parts += [(k, evidence_key(v) if isinstance(v, Evidence) else v) for k, v in sorted(kwargs.items())]
    return tuple(parts)


class PerData(Generic[P, R]):
    """`func` cached per (data root, data version, settings); see the module's docstring."""

    def __init__(self, func: Callable[P, R], max_entries: int = MAX_ENTRIES) -> None:
        functools.update_wrapper(self, func)
        self.func = func
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, R] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = _key(args, kwargs)
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
            building = self._building.setdefault(key, threading.Lock())
        # One build per key at a time: a second caller of the same key waits for the first instead of repeating it.
        with building:
            with self._lock:
                if key in self._entries:
                    return self._entries[key]
            value = self.func(*args, **kwargs)
            with self._lock:
                self._entries[key] = value
                self._building.pop(key, None)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def per_data(func: Callable[P, R]) -> PerData[P, R]:
    """Cache a model function per (data root, data version, settings), shared by every caller in the process."""
    cached = PerData(func)
    _REGISTERED.append(cached)
    return cached


_REGISTERED: list[PerData[Any, Any]] = []


def clear_all() -> None:
    """Forget every cached model (tests; a saved edit needs no call: the data version changes)."""
    for cached in _REGISTERED:
        cached.clear()
