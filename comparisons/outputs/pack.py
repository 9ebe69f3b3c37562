"""The decision pack: one XLSX workbook and one DOCX brief, in Norwegian, Danish or English.

This module builds the pack and writes the workbook (`pack_xlsx`, whose first sheet is the key comparison); the
pieces live beside it: the charts in pack_charts, the what-if, assumptions and open questions in pack_whatif, the
Word brief in pack_docx.

Why: COI/CO-PI staff prepare decision material from the workbench and need it in Excel and Word, with every figure
traceable. The workbook holds a sheet per comparison table (comparisons.outputs.tables, `comparison=True`), the figures
that disagree (Conflicts), the assumptions (Assumptions) and every source cited (Sources), each sheet stamped with
the as-of time and data version. The brief holds the key comparison, charts (PNG from comparisons.outputs.chart_export),
the what-if with its assumptions (when comparisons.measures.whatif is present), the conflicts, open questions (figures no
source gives, roles without a Danish counterpart, missing preconditions) and the sources with their dates.

Text from the data goes into Word only as plain text runs (python-docx escapes it; characters XML cannot hold
are dropped), never as markup. `progress(fraction, message)` reports each step, so a page can show a bar.

Speed (the bytes are the same as when each step ran in turn, python-docx object by object):
- the charts' specs are made first and their PNGs rendered on one worker thread (vl-convert releases the GIL)
  while the tables, the what-if and the workbook are built on the calling thread;
- Word styles are looked up once per document, not once per paragraph (python-docx searches the styles part by
  name on every lookup), and table cells are written as XML elements directly (Run and Font objects cost more
  than the XML they make);
- `prepare(ev)` does, ahead of time and on any thread, what makes a process's first pack slow (imports, the
  chart engine, Altair's validator), and comparisons.outputs.tables remembers the language-independent steps by content.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from comparisons.evidence.base import Evidence, sources_in
from comparisons.i18n import LANGUAGES, gettext_for, ngettext_for
from comparisons.i18n.labels import COUNTRY_NAMES
from comparisons.outputs.chart_export import chart_png, static_spec, warm_up
from comparisons.outputs.exports import ExportTable, Stamp, XlsxBook, make_table, safe_filename
from comparisons.outputs.pack_charts import PACK_CHARTS, PackChart
from comparisons.outputs.pack_docx import Progress, _noop, pack_docx, plain
from comparisons.outputs.pack_summary import build_summary
from comparisons.outputs.pack_whatif import assumptions_table, question_groups, whatif_section
from comparisons.outputs.tables import (
    TABLES,
    export_table,
    label_of,
    records,
    text,
)

__all__ = ["Pack", "build_pack", "plain", "prepare", "whatif_section", "write_pack"]

if TYPE_CHECKING:  # the summit package imports this one's exports; its section is only handed in
    from comparisons.measures.whatif import WhatIfInputs
    from comparisons.summit.results import SummitSection


@dataclass(frozen=True)
class Pack:
    xlsx: bytes
    docx: bytes
    xlsx_name: str
    docx_name: str
    lang: str
    stamp: Stamp
    notes: tuple[str, ...] = field(default_factory=tuple)


# --- the workbook ---------------------------------------------------------------------------------------------


def pack_tables(ev: Evidence, lang: str, stamp: Stamp) -> list[ExportTable]:
    """The comparison tables (one sheet each) and the conflicts, in registry order."""
    names = [n for n, spec in TABLES.items() if spec.comparison] + ["conflicts"]
    return [export_table(n, ev, lang, stamp.as_of) for n in names]


def _all_sources(ev: Evidence, tables: list[ExportTable], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    ids = [i for t in tables for ids in t.row_sources for i in ids] + list(extra)
    return make_table(
        pd.DataFrame({"source_ids": [tuple(dict.fromkeys(ids))]}),
        sources_in(ev["sources"], tables[0].lang),
        tables[0].stamp,
        name="sources",
    ).sources


def side_by_side(headlines: ExportTable) -> ExportTable:
    """The main sheet: measure | Norway | Denmark | comparable? | note, one row per measure (the `headlines`
    table has one row per measure and country); each cell is the figure with its period and publisher."""
    _ = gettext_for(headlines.lang)
    norway, denmark = (label_of(COUNTRY_NAMES, code, _) for code in ("NO", "DK"))
    rows: dict[str, dict[str, object]] = {}
    for h, ids in zip(records(headlines.frame), headlines.row_sources, strict=True):
        row = rows.setdefault(
            text(h["measure"]),
            {
                "measure": text(h["measure"]),
                "comparable": text(h.get("comparable")),
                "comparability_note": text(h.get("comparability_note")),
                "source_ids": (),
            },
        )
        detail = " · ".join(p for p in (text(h.get("period")), text(h.get("publisher"))) if p)
        row["NO" if text(h["country"]) == norway else "DK"] = (
            f"{text(h['figure'])} ({detail})" if detail else text(h["figure"])
        )
        row["source_ids"] = (*row["source_ids"], *ids)  # type: ignore[misc]
    columns = ["measure", "NO", "DK", "comparable", "comparability_note", "source_ids"]
    frame = pd.DataFrame([{c: r.get(c, "") for c in columns} for r in rows.values()], columns=columns)
    return make_table(
        frame,
        headlines.sources,
        headlines.stamp,
        name=headlines.name,
        title=headlines.title,
        lang=headlines.lang,
        labels={
            "measure": headlines.labels.get("measure", _("Measure")),
            "NO": norway,
            "DK": denmark,
            "comparable": headlines.labels.get("comparable", _("Comparable?")),
            "comparability_note": headlines.labels.get("comparability_note", _("Why not like for like")),
        },
        kinds=dict.fromkeys(columns[:-1], "text"),
    )


def pack_xlsx(
    ev: Evidence,
    lang: str,
    stamp: Stamp,
    tables: list[ExportTable],
    assumptions: ExportTable,
    extra_sources: tuple[str, ...] = (),
    summit: list[ExportTable] | None = None,
) -> bytes:
    _ = gettext_for(lang)
    book = XlsxBook(stamp, _("Decision pack"), lang)
    main = [side_by_side(t) if t.name == "headlines" else t for t in tables]  # Norway | Denmark side by side
    for table in [*main, *(summit or [])]:
        book.add_table(table)
    book.add_table(assumptions)
    book.add_sources(
        _all_sources(ev, [*tables, assumptions], extra_sources),
        assumptions.about().replace(assumptions.title, _("Sources")),
    )
    return book.close()


# --- the whole pack -------------------------------------------------------------------------------------------


_renderer: ThreadPoolExecutor | None = None
_renderer_lock = threading.Lock()
_prepared: set[tuple[int, str]] = set()


def _chart_renderer() -> ThreadPoolExecutor:
    """The one worker thread that renders chart pictures for every pack of this process (started once: a new
    thread per pack cost a thread start, which on a loaded machine waits for the GIL)."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack-charts")
        return _renderer


def prepare(ev: Evidence | None = None) -> None:
    """Do ahead of time what makes a process's first pack slow, so a reader's first pack does not wait for it:
    load the Word and Excel writers and the modules behind the charts and the what-if, start the chart engine,
    and (given the evidence) run the charts and the what-if once without rendering them, which loads Altair's
    schema validator and the pandas code paths they use. Safe from a background thread; the work for one
    evidence base is done once."""
    import docx  # noqa: F401
    import xlsxwriter  # noqa: F401

    from comparisons.measures import partners, whatif  # noqa: F401

    _chart_renderer()
    warm_up()
    if ev is None:
        return
    key = (id(ev), ev.version)
    with _renderer_lock:
        if key in _prepared:
            return
        _prepared.add(key)
    try:
        charts = [build(ev, "en") for build in PACK_CHARTS] + [whatif_section(ev, "en").chart]
        for chart in charts:
            if chart is not None:
                static_spec(chart.chart, "en")
    except Exception:  # noqa: BLE001 - a warm-up never fails anything; the pack reports its own errors
        pass


def _render_later(pool: ThreadPoolExecutor, chart: PackChart, lang: str) -> Future:
    """Start rendering the chart's PNG on `pool`. The Vega-Lite spec is made here, on the calling thread (Altair
    is not meant to be used from several threads); only the conversion runs on the worker. An error surfaces
    where the picture is used, as it would have without the worker."""
    try:
        spec = static_spec(chart.chart, lang)
    except Exception as exc:  # noqa: BLE001 - raised again where the picture is placed
        failed: Future = Future()
        failed.set_exception(exc)
        return failed
    return pool.submit(chart_png, spec, lang)


def build_pack(
    ev: Evidence,
    lang: str,
    as_of: datetime | date | str,
    progress: Progress | None = None,
    whatif_inputs: WhatIfInputs | None = None,
    summit: SummitSection | None = None,
) -> Pack:
    """Build the workbook and the brief. `whatif_inputs` (a comparisons.measures.whatif.WhatIfInputs) replaces the
    default scenario, so the page can pack the scenario the reader chose. `summit` (a
    comparisons.summit.results.SummitSection) adds "What the summit said": two sheets and a section of the brief."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    report = progress or _noop
    _ = gettext_for(lang)
    stamp = Stamp.of(as_of, ev.version)
    notes: list[str] = []
    if ev.problems:
        ngettext = ngettext_for(lang)  # by this name, so the catalog extractor finds the plural forms
        notes.append(
            ngettext(
                "Warning: the data had {count} problem when this pack was made; "
                "`python -m comparisons validate` lists it.",
                "Warning: the data had {count} problems when this pack was made; "
                "`python -m comparisons validate` lists them.",
                len(ev.problems),
            ).format(count=len(ev.problems))
        )
    # The charts come first: their pictures are rendered on a worker thread while the rest is built.
    pool = _chart_renderer()
    report(0.0, _("Drawing the charts"))
    charts: list[PackChart] = []
    for build in PACK_CHARTS:
        try:
            chart = build(ev, lang)
        except Exception as exc:  # noqa: BLE001 - a chart that cannot be drawn is named, the pack still comes
            notes.append(
                _("A chart could not be drawn ({name}: {error}).").format(name=build.__name__, error=type(exc).__name__)
            )
            continue
        if chart is not None:
            chart.png = _render_later(pool, chart, lang)
            charts.append(chart)
    report(0.15, _("Collecting the tables"))
    tables = pack_tables(ev, lang, stamp)
    report(0.35, _("Working out the what-if"))
    wi = whatif_section(ev, lang, whatif_inputs)
    if wi.chart is not None:
        wi.chart.png = _render_later(pool, wi.chart, lang)
    assumptions = assumptions_table(ev, lang, stamp, wi)
    chart_ids = tuple(i for c in charts for i in c.source_ids)
    if wi.chart is not None:
        chart_ids += wi.chart.source_ids
    report(0.55, _("Writing the workbook"))
    summit_tables = summit.tables(stamp) if summit is not None else None
    xlsx = pack_xlsx(ev, lang, stamp, tables, assumptions, chart_ids, summit_tables)
    conflicts = next(t for t in tables if t.name == "conflicts")
    headlines = next(t for t in tables if t.name == "headlines")
    figures, gaps, disagreements = question_groups(ev, lang, headlines.frame, conflicts.frame)
    questions = figures + gaps + disagreements  # as open_questions lists them
    report(0.65, _("Writing the summary"))
    try:
        # The summary names the disagreements first: they are the questions a decision must settle.
        summary = build_summary(ev, lang, wi, disagreements + figures, gaps)
    except Exception as exc:  # noqa: BLE001 - the brief stands without its summary, which is named as missing
        summary = None
        notes.append(_("The summary could not be written ({error}).").format(error=type(exc).__name__))
    summary_ids = summary.source_ids if summary is not None else ()
    sources = _all_sources(ev, [headlines, conflicts, assumptions], chart_ids + summary_ids)
    report(0.7, _("Writing the brief"))
    docx_bytes = pack_docx(
        lang, stamp, headlines, charts, wi, conflicts, questions, sources, report, tuple(notes), summit, summary
    )
    report(1.0, _("Done"))
    # The file names in the pack's language (transliterated to ASCII by safe_filename).
    name = _("lup-decision-pack")
    stem = f"{name}-{lang}-{stamp.day}-{stamp.data_version}"
    if summit is not None:
        stem += f"-{summit.event.code.lower()}"
    return Pack(
        xlsx, docx_bytes, safe_filename(stem + ".xlsx"), safe_filename(stem + ".docx"), lang, stamp, tuple(notes)
    )


def write_pack(pack: Pack, folder: Path) -> list[Path]:
    """Write both files into `folder` (created if missing); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / pack.xlsx_name, folder / pack.docx_name]
    paths[0].write_bytes(pack.xlsx)
    paths[1].write_bytes(pack.docx)
    return paths
