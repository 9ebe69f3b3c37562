"""Download buttons under tables and charts: every table in five formats, every chart as PNG and SVG.

Why this shape:
- Every figure keeps its evidence after it leaves the app: a table is written by comparisons.outputs.exports with the
  sources of its rows, the moment the data was taken ("as of", UTC) and the data version of the evidence base.
- Nothing is built until it is clicked: `st.download_button` gets a callable, which Streamlit runs on the click
  (on a server thread, not in the page script), and `on_click="ignore"` keeps a download from rerunning the page.
  The callables call pure code only (comparisons.*), never Streamlit.
- Compact at 768 px: one small "Download" popover per table (and one per chart) holds the format buttons; each
  button's tooltip names the file it saves.
- Drawn when opened: a popover's buttons exist only while it is open (`on_change="rerun"`, `.open`). A page has up
  to a dozen of these popovers; drawing their 70-odd buttons on every rerun was most of a cached page's rerun time
  (benchmarks/pages.py, py-spy). Opening one reruns the page, which is cheap now that pages are cached (ui.memo).
- File names are made from the name the reader sees, in the reader's language, by comparisons.outputs.exports'
  safe-name function: "noegletal-da-2026-01-05-1a2b3c4d5e6f-nordic.csv".

The helpers above the Streamlit part (`row_sources`, `export_frame`, `page_table`, `file_name`, `table_bytes`,
`registry_table`, `chart_file_bytes`) are plain functions, unit-tested
without a running app. The decision pack's cache (one slot per data root, data version and language, shared by
every session) and its background preparation are at the end.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

import altair as alt
import pandas as pd
import streamlit as st

from comparisons.evidence.base import Evidence, sources_in
from comparisons.i18n import N_, gettext_for
from comparisons.outputs import chart_export, exports
from comparisons.outputs.exports import RowSources
from comparisons.outputs.pack import Pack, prepare
from comparisons.outputs.tables import export_table, spec_of
from ui import lazy
from ui.context import gettext, lang
from ui.data import evidence

# The five table formats, in the order of the buttons (keys of comparisons.outputs.exports.FORMATS).
TABLE_FORMATS: tuple[str, ...] = ("csv", "nordic-csv", "xlsx", "parquet", "json")
CHART_FORMATS: tuple[str, ...] = ("png", "svg")
CHART_LABELS: dict[str, str] = {"png": N_("Picture (PNG)"), "svg": N_("Vector graphic (SVG)")}
ICONS: dict[str, str] = {
    "csv": ":material/csv:",
    "nordic-csv": ":material/csv:",
    "xlsx": ":material/table_view:",
    "parquet": ":material/dataset:",
    "json": ":material/data_object:",
    "png": ":material/image:",
    "svg": ":material/draw:",
}


# --- plain helpers (no Streamlit) -----------------------------------------------------------------------------


def now_stamp(version: str, moment: datetime | None = None) -> exports.Stamp:
    """The as-of stamp of a download: now (UTC, whole seconds) and the data version."""
    moment = moment or datetime.now(UTC)
    return exports.Stamp.of(moment.replace(microsecond=0), version)


def row_sources(frame: pd.DataFrame, sources: RowSources) -> list[tuple[str, ...]]:
    """The source ids of each row of `frame`.

    `sources` is the name of a column of `frame` that holds them, or one item per row (a string of ids separated
    by spaces, commas or semicolons, or a list/tuple of ids; missing values mean no source), or None (no row
    names a source). A list of the wrong length is refused rather than silently misaligned.
    """
    if sources is None:
        return [() for _ in range(len(frame))]
    if isinstance(sources, str):
        values: list[object] = list(frame[sources])
    else:
        values = list(sources.tolist() if isinstance(sources, pd.Series) else sources)
    if len(values) != len(frame):
        raise ValueError(f"{len(values)} source entries for {len(frame)} rows")
    return [exports.parse_ids(v) for v in values]


def check_sources(frame: pd.DataFrame, sources: RowSources) -> None:
    """What `row_sources` refuses, checked without reading every row (a page draws its download bars on every
    rerun; the ids are read on the click): a missing column, or a list of the wrong length."""
    if sources is None:
        return
    if isinstance(sources, str):
        if sources not in frame.columns:
            raise KeyError(sources)
        return
    if len(sources) != len(frame):  # type: ignore[arg-type]
        raise ValueError(f"{len(sources)} source entries for {len(frame)} rows")  # type: ignore[arg-type]


def _cell_text(value: object) -> object:
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value)
    return value


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The shown table made fit for comparisons.outputs.exports: unique text headers, list cells (a multiselect column)
    written as "a, b", the index dropped. The caller's frame is not changed."""
    data = frame.reset_index(drop=True).copy()
    headers: list[str] = []
    for column in data.columns:
        label, n = str(column), 2
        while label in headers:
            label, n = f"{column} ({n})", n + 1
        headers.append(label)
    data.columns = headers
    for column in data.columns:
        if data[column].dtype == object and data[column].map(lambda v: isinstance(v, (list, tuple, set))).any():
            data[column] = data[column].map(_cell_text)
    return data


def slug(name: str) -> str:
    """The file-name stem of a name the reader sees: 'Nøgletal og kilder' -> 'nogletal-og-kilder'."""
    return exports.safe_filename(re.sub(r"[/\\.]+", "-", str(name).lower()), default="table")


def file_name(name: str, lang_: str, stamp: exports.Stamp, fmt: str) -> str:
    """'milepaele-da-2026-01-05-1a2b3c4d5e6f.csv'; the Nordic CSV ends in '-nordic.csv'."""
    spec = exports.FORMATS[fmt]
    stem = f"{slug(name)}-{lang_}-{stamp.day}-{stamp.data_version}{spec.suffix}"
    return exports.safe_filename(f"{stem}.{spec.extension}")


def chart_file_name(name: str, lang_: str, stamp: exports.Stamp, fmt: str) -> str:
    """'procurement-volumes-en-2026-01-05.png': the chart's name, language and day."""
    return chart_export.chart_filename(slug(name), lang_, fmt, stamp.day)


def page_table(
    frame: pd.DataFrame,
    sources: RowSources,
    all_sources: pd.DataFrame,
    name: str,
    lang_: str,
    stamp: exports.Stamp,
    kinds: Mapping[str, str] | None = None,
) -> exports.ExportTable:
    """A table as a page shows it (headers in the reader's language), with the sources of its rows, ready for
    comparisons.outputs.exports. `all_sources` is the evidence's sources table (details of each cited source)."""
    data = export_frame(frame)
    data[exports.SOURCE_IDS] = row_sources(frame, sources)
    return exports.make_table(data, all_sources, stamp, name=slug(name), title=str(name), lang=lang_, kinds=kinds)


def table_bytes(table: exports.ExportTable, fmt: str) -> bytes:
    return exports.export_bytes(table, fmt)


def registry_table(name: str, ev: Evidence, lang_: str, stamp: exports.Stamp) -> exports.ExportTable:
    """A table of the comparisons.outputs.tables registry (machine column names, kinds, row sources), stamped."""
    return export_table(name, ev, lang_, stamp.as_of)


def chart_file_bytes(chart: alt.TopLevelMixin | dict, lang_: str, fmt: str) -> bytes:
    return chart_export.chart_bytes(chart, lang_, fmt)


def _later(build: Callable[[], exports.ExportTable], fmt: str) -> Callable[[], bytes]:
    """The bytes of one format, built only when called (on the click)."""
    return lambda: exports.export_bytes(build(), fmt)


def deferred(data: bytes) -> Callable[[], bytes]:
    """Bytes already made, as a download button's callable `data` (Streamlit calls it on the click)."""
    return lambda: data


# --- Streamlit ------------------------------------------------------------------------------------------------

_warm_lock = threading.Lock()
_warm_started = False


def _warm_chart_engine() -> None:
    """Start vl-convert's engine in the background once per process, so the first PNG or SVG is quick."""
    global _warm_started
    with _warm_lock:
        if _warm_started:
            return
        _warm_started = True
    threading.Thread(target=chart_export.warm_up, name="lup-chart-warm-up", daemon=True).start()


def _buttons(builders: Iterable[tuple[str, str, Callable[[], bytes], str, str]], key: str) -> None:
    """One full-width download button per (format, label, bytes callable, file name, mime)."""
    _ = gettext()
    for fmt, label, data, name, mime in builders:
        st.download_button(
            label,
            data=data,
            file_name=name,
            mime=mime,
            key=f"{key}-{fmt}",
            help=_("Saves {file}").format(file=f"`{name}`"),
            on_click="ignore",
            icon=ICONS.get(fmt),
            width="stretch",
        )


@contextmanager
def download_popover(label: str, key: str) -> Iterator[bool]:
    """A "Download" popover that tells whether it is open; its contents are drawn only then (see the top)."""
    with lazy.popover(label, key, icon=":material/download:") as open_:
        yield open_


def _table_popover(
    build: Callable[[], exports.ExportTable], name: str, key: str, label: str | None, version: str, stamp: exports.Stamp
) -> None:
    _ = gettext()
    lg = lang()
    with download_popover(label or _("Download"), f"dl-{key}") as open_:
        if not open_:
            return
        st.caption(
            _(
                "Each file lists the sources of its rows, the time the data was taken ({as_of}) and the data "
                "version ({version})."
            ).format(as_of=stamp.as_of, version=version)
        )
        _buttons(
            (
                (
                    fmt,
                    _(exports.FORMATS[fmt].label),
                    _later(build, fmt),
                    file_name(name, lg, stamp, fmt),
                    exports.FORMATS[fmt].mime,
                )
                for fmt in TABLE_FORMATS
            ),
            f"dl-{key}",
        )


def download_bar(
    frame: pd.DataFrame,
    sources: RowSources,
    name: str,
    key: str,
    *,
    kinds: Mapping[str, str] | None = None,
    label: str | None = None,
) -> None:
    """A "Download" popover with CSV, Nordic CSV (Excel), XLSX, Parquet and JSON of a table shown on a page.

    `frame` is the table as shown (headers in the reader's language); `sources` names each row's sources (see
    `row_sources`); `name` is the table's name in the reader's language (sheet title and file names); `key` must
    be unique on the page. The files are built when a button is clicked, never before.
    """
    ev = evidence()
    stamp = now_stamp(ev.version)
    lg = lang()
    check_sources(frame, sources)  # now, so a misaligned table fails on the page, not on the click

    # The frame is kept, not copied: pages draw frames from the shared per-data caches (ui.memo), which nobody
    # changes, and the files are written from a copy on the click (export_frame). The sources in the reader's
    # language are made then too: on every run they were 40 % of a page's time (py-spy).
    def build() -> exports.ExportTable:
        return page_table(frame, sources, sources_in(ev["sources"], lg), name, lg, stamp, kinds)

    _table_popover(build, name, key, label, ev.version, stamp)


def registry_download_bar(table: str, key: str, *, ev: Evidence | None = None, label: str | None = None) -> None:
    """The download popover of a table of the comparisons.outputs.tables registry (the same table as the Export page,
    the decision pack and `python -m comparisons export` give), in the reader's language."""
    ev = ev or evidence()
    stamp = now_stamp(ev.version)
    lg = lang()
    title = gettext_for(lg)(spec_of(table).title)

    def build() -> exports.ExportTable:
        return registry_table(table, ev, lg, stamp)

    _table_popover(build, title, key, label, ev.version, stamp)


def chart_downloads(chart: alt.TopLevelMixin | dict, name: str, key: str, *, label: str | None = None) -> None:
    """A "Download chart" popover with the chart as PNG and SVG, in the reader's language (number and date
    formats, fixed width, white background: comparisons.outputs.chart_export). Pass the chart as built, before
    ui.charts localises it for the page. Rendered only when clicked."""
    _ = gettext()
    lg = lang()
    _warm_chart_engine()
    with download_popover(label or _("Download chart"), f"dl-{key}") as open_:
        if not open_:
            return
        stamp = now_stamp(evidence().version)
        st.caption(_("The chart as a picture, with the numbers and dates written the way this language writes them."))
        _buttons(
            (
                (
                    fmt,
                    _(CHART_LABELS[fmt]),
                    functools.partial(chart_file_bytes, chart, lg, fmt),
                    chart_file_name(name, lg, stamp, fmt),
                    chart_export.CHART_FORMATS[fmt][1],
                )
                for fmt in CHART_FORMATS
            ),
            f"dl-{key}",
        )


def chart_and_data_downloads(
    chart: alt.TopLevelMixin | dict, table: pd.DataFrame, sources: RowSources, name: str, key: str
) -> None:
    """Under a chart: "Download chart" (PNG, SVG) and "Download data" (the chart's table in five formats), side
    by side."""
    _ = gettext()
    with st.container(horizontal=True, gap="small"):
        chart_downloads(chart, name, key)
        download_bar(table, sources, name, f"{key}-data", label=_("Download data"))


# --- the decision pack ----------------------------------------------------------------------------------------


class PackSlot:
    """The decision pack of one (data root, data version, language): built once, then shared by every session."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pack: Pack | None = None

    def get(self) -> Pack | None:
        with self.lock:
            return self.pack

    def put(self, pack: Pack) -> None:
        with self.lock:
            self.pack = pack


@st.cache_resource(show_spinner=False, max_entries=6)
def pack_slot(root: str, version: str, language: str) -> PackSlot:
    """The slot for one (data root, data version, language); at most six are kept (about 0.3 MB each)."""
    del root, version, language  # the cache key
    return PackSlot()


@st.cache_resource(show_spinner=False, max_entries=4)
def prepare_pack_in_background(root: str, version: str, _ev: Evidence) -> threading.Thread:
    """Do on a background thread, once per data version and server process, what makes a first pack slow
    (comparisons.outputs.pack.prepare: the Word and Excel writers, the chart engine, Altair's validator and the chart and
    what-if code paths), so that the first pack a reader asks for does not wait for it."""
    del root, version  # the cache key
    thread = threading.Thread(target=prepare, args=(_ev,), name="lup-pack-prepare", daemon=True)
    thread.start()
    return thread
