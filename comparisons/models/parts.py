"""The pieces every page model is made of, and the one cache of page models.

- `Table`: a table as a page shows and downloads it: the frame (files are written from it: numbers as numbers, ids
  kept), the sources of its rows (a column name or one entry per row, see ui.downloads.row_sources), its download
  name, and optionally what the page shows (`shown`, made by `reader_frame`: numbers as text in the app's language,
  no ids, an em dash for a missing value).
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
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

import altair as alt
import pandas as pd

from comparisons.evidence.base import Evidence, sources_in
from comparisons.i18n.formatting import fmt_number
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
    shown: pd.DataFrame | None = None  # what a page draws, when it differs from what files get

    @property
    def view(self) -> pd.DataFrame:
        """The frame a reader sees on the page (and in the brief)."""
        return self.frame if self.shown is None else self.shown


# How a numeric column is written for a reader, whatever the browser's language (issue 19): Streamlit's
# "localized" number format follows the browser, so the page gets text in the app's language instead.
NUMBER_KINDS: dict[str, int] = {"money": 0, "rate": 4, "share": 1, "tenths": 1, "count": 0, "number": 2, "ratio": 2}
MISSING = "\u2014"  # an em dash: a value no source gives


def reader_cell(value: object, kind: str, lang: str) -> str:
    """One cell as a reader sees it: a number in `lang` with the kind's decimals (a year as it is), a missing
    value as an em dash, anything else as text."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return MISSING
    if kind == "year":
        try:
            return str(int(float(value)))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return str(value)
    if kind in NUMBER_KINDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt_number(float(value), lang, NUMBER_KINDS[kind])
    text = str(value).strip()
    return text if text and text.lower() not in ("none", "nan", "nat", "<na>") else MISSING


def reader_frame(
    frame: pd.DataFrame,
    lang: str,
    kinds: Mapping[str, str] | None = None,
    drop: Iterable[str] = (),
    ev: Evidence | None = None,
) -> pd.DataFrame:
    """`frame` as a page shows it: the columns in `drop` (ids: they stay in the files and the citations) left
    out, each column named in `kinds` written as that kind of number (see NUMBER_KINDS, "year", "text") in
    `lang`, every missing value an em dash, and, given the evidence, every fact or source id in a text named by
    its source's publisher and year (`cite_ids`)."""
    kinds = kinds or {}
    cite = (lambda text: cite_ids(text, ev, lang)) if ev is not None else (lambda text: text)
    dropped = set(drop)
    out = {}
    for column in frame.columns:
        if column in dropped:
            continue
        kind = kinds.get(column, "text")
        out[column] = [cite(reader_cell(v, kind, lang)) for v in frame[column].tolist()]
    return pd.DataFrame(out, index=frame.index, columns=[c for c in frame.columns if c not in dropped])


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


def _citations(ev: Evidence, lang: str | None) -> tuple[dict[str, str], re.Pattern[str] | None]:
    """id -> "publisher, year" for every fact and source, and a pattern that finds the ids (once per data version
    and language: the workbench's own publisher is named in the reader's language)."""
    key = (*evidence_key(ev), lang or "")
    if key not in _CITATIONS:
        _CITATIONS[key] = _build_citations(ev, lang)
    return _CITATIONS[key]


def _build_citations(ev: Evidence, lang: str | None) -> tuple[dict[str, str], re.Pattern[str] | None]:
    sources = sources_in(ev["sources"], lang).drop_duplicates(subset=["source_id"]).set_index("source_id")

    def name(source_id: object) -> str:
        if source_id not in sources.index:
            return ""
        row = sources.loc[source_id]
        year = str(row.get("published") or "")[:4]
        return f"{row['publisher']}, {year}" if year.isdigit() else str(row["publisher"])

    names = {str(s): name(s) for s in sources.index}
    for fact_id, source_id in zip(ev["facts"]["fact_id"].astype(str), ev["facts"]["source_id"], strict=True):
        names[fact_id] = name(source_id)
    names = {k: v for k, v in names.items() if v}
    if not names:
        return names, None
    words = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
    return names, re.compile(rf"(?<![\w/.-])(?:{words})(?![\w-])")


_CITATIONS: dict[tuple[str, str, str], tuple[dict[str, str], re.Pattern[str] | None]] = {}


def cite_ids(text: str, ev: Evidence, lang: str | None = None) -> str:
    """`text` with every fact or source id named as a reader would cite it: "(NO-RES-12, NO-DOC004-04)" becomes
    "(KS, 2019; COI – Center for Offentlig Innovation, 2020)". The ids stay in the citation pop-overs, on the
    Sources page and in the files."""
    if not text:
        return text
    names, pattern = _citations(ev, lang)
    if pattern is None:
        return text

    def group(match: re.Match[str]) -> str:
        ids = pattern.findall(match.group(1))
        return "(" + "; ".join(dict.fromkeys(names[i] for i in ids)) + ")"

    # A parenthesis holding only ids becomes one list of publishers and years, each named once.
    text = re.sub(rf"\(((?:\s*(?:{pattern.pattern})\s*[,;]?)+)\)", group, text)
    # "NO-VOL-01: 381 mia. NOK ÷ ..." at the start of a derivation: the publisher and year, then the working.
    return pattern.sub(lambda m: names[m.group(0)], text)


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
