"""The decision pack: one XLSX workbook and one DOCX brief, in Norwegian, Danish or English.

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

import inspect
import io
import re
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from comparisons.evidence.base import Evidence, facts_with_sources
from comparisons.i18n import LANGUAGES, N_, gettext_for, pick
from comparisons.i18n.formatting import fmt_money, fmt_number, fmt_period, fmt_span, fmt_value, locale_of
from comparisons.i18n.labels import BOUND, COUNTRY_NAMES, STATUS
from comparisons.outputs.chart_export import chart_png, static_spec, warm_up
from comparisons.outputs.charts import country_colour
from comparisons.outputs.exports import ExportTable, Stamp, XlsxBook, is_missing, make_table, safe_filename
from comparisons.outputs.tables import (
    TABLES,
    export_table,
    fact_sources,
    label_of,
    metric_labels,
    records,
    text,
    unit_label,
)

if TYPE_CHECKING:  # the summit package imports this one's exports; its section is only handed in
    from comparisons.summit.results import SummitSection
if TYPE_CHECKING:  # for the hints only: python-docx and the what-if are imported where they are used
    from docx.document import Document as DocxDocument
    from docx.oxml.table import CT_Tc
    from docx.styles.style import ParagraphStyle
    from docx.table import _Row

    from comparisons.measures.whatif import Derivation, WhatIfInputs

Progress = Callable[[float, str], object]  # what it returns is ignored
DOC_LANG = {"nb": "nb-NO", "da": "da-DK", "en": "en-GB"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 cannot hold (Word would refuse the file): C0 controls except tab, LF and CR.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

GENERAL_ASSUMPTIONS: tuple[str, ...] = (
    N_(
        "Each headline figure is the latest one a source gives (latest validity, then latest publication); "
        "other figures for the same measure are kept and counted."
    ),
    N_(
        "Figures are in base units as the source gives them; money keeps its currency and ISO code and is not "
        "converted unless a chart or table says so."
    ),
    N_(
        "Conversions between currencies use the yearly mean of the ECB's daily euro reference rates for the "
        "figure's own year (NOK and DKK through the euro)."
    ),
    N_("Where sources disagree, every figure is kept with its date and listed under Conflicts; nothing is averaged."),
    N_("'not found' means that no source in the evidence base gives the figure; nothing is estimated in its place."),
)


@dataclass(frozen=True)
class Pack:
    xlsx: bytes
    docx: bytes
    xlsx_name: str
    docx_name: str
    lang: str
    stamp: Stamp
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass
class _Chart:
    title: str
    chart: alt.TopLevelMixin
    caption: str
    source_ids: tuple[str, ...]
    png: Future | None = None  # the picture, when its rendering was started early (see build_pack)

    def picture(self, lang: str) -> bytes:
        """The PNG for the brief: the one rendered early, or rendered now."""
        return self.png.result() if self.png is not None else chart_png(self.chart, lang)


@dataclass
class _WhatIf:
    available: bool
    message: str  # why the section is missing, or "" when it is there
    assumptions: pd.DataFrame | None = None  # machine frame with source_ids, see ASSUMPTION_LABELS
    outcomes: list[tuple[str, str]] = field(default_factory=list)
    chart: _Chart | None = None


def _noop(fraction: float, message: str) -> None:
    return None


def plain(value: object) -> str:
    """Text safe to put into a Word run: missing -> '', characters XML cannot hold removed."""
    return "" if is_missing(value) else _XML_BAD.sub("", str(value))


# --- charts ---------------------------------------------------------------------------------------------------


def procurement_pack_chart(ev: Evidence, lang: str) -> _Chart | None:
    """Total public procurement per year of both countries in billion EUR (each figure at its own year's rate),
    one point per source's figure, as on the Procurement page."""
    from comparisons.measures import normalise as nz

    _ = gettext_for(lang)
    totals = nz.procurement_totals(facts_with_sources(ev), ev["exchange_rates"], ev["population"], "EUR")
    plotted = totals.dropna(subset=["shown"])
    if plotted.empty:
        return None
    countries = {code: _(name) for code, name in COUNTRY_NAMES.items()}
    points = pd.DataFrame(
        {
            "country_name": plotted["country"].map(countries),
            "year": plotted["year"].astype(int),
            "y": plotted["shown"].astype(float),
            "bound_label": [_(BOUND.get(b, b)) for b in plotted["bound"]],
            "shown_text": [
                fmt_value(float(v), "EUR", lang, b if isinstance(b, str) else "exact")
                for v, b in zip(plotted["shown"], plotted["bound"], strict=True)
            ],
            "publisher": plotted["publisher"].astype(str),
            "fact_id": plotted["fact_id"].astype(str),
        }
    )
    title = _("Total public procurement per year, in EUR")
    tooltip = [
        ("country_name", _("Country")),
        ("shown_text", _("Value")),
        ("publisher", _("Publisher")),
        ("fact_id", _("Figure")),
    ]
    chart = nz.procurement_chart(
        points,
        country_colour(countries),
        {
            "x": _("Year"),
            "y": _("Billion {currency} per year").format(currency="EUR"),
            "country": _("Country"),
            "bound": _("Bound"),
        },
        tooltip,
        1e9,
    ).properties(height=320)
    ids = list(plotted["source_id"].astype(str))
    for rate_ids in plotted.get("rate_sources", pd.Series(dtype=str)):
        ids += str(rate_ids).split()
    publishers = ", ".join(dict.fromkeys(plotted["publisher"].astype(str)))
    caption = _(
        "{n} figures, {years}. Each point is one source's figure, converted at the ECB average rate of its own year. "
        "Sources: {sources}."
    ).format(n=len(points), years=f"{points['year'].min()}–{points['year'].max()}", sources=publishers)
    return _Chart(title, chart, caption, tuple(dict.fromkeys(i for i in ids if i)))


def partners_pack_chart(ev: Evidence, lang: str) -> _Chart | None:
    """LUP's partner count over time, every source's figure, as on the Partners page."""
    from comparisons.measures import partners as pt

    _ = gettext_for(lang)
    series = pt.count_series(facts_with_sources(ev))
    if series.empty:
        return None
    flag_text = {False: _("figure"), True: _("disagrees with a figure for a close date")}
    series["value_text"] = [
        fmt_value(v, u, lang, b) for v, u, b in zip(series["value"], series["unit"], series["bound"], strict=True)
    ]
    series["period_text"] = [
        fmt_span(s, e, lang) for s, e in zip(series["period_start"], series["period_end"], strict=True)
    ]
    series["as_of_text"] = [fmt_period(a, lang) for a in series["as_of"]]
    series["flag"] = series["conflict"].map(flag_text)
    label = metric_labels(ev, lang).get(pt.PARTNER_COUNT, pt.PARTNER_COUNT)
    titles = {
        "value": label,
        "date": _("Valid for (middle of the period)"),
        "period": _("Valid for"),
        "source": _("Source"),
        "publisher": _("Publisher"),
        "published": _("Published"),
        "flag": _("Status"),
    }
    title = _("LUP partners over time")
    chart = pt.count_chart(series, titles, flag_text)
    publishers = ", ".join(
        dict.fromkeys(f"{p} {str(a)[:4]}" for p, a in zip(series["publisher"], series["as_of"], strict=True))
    )
    caption = _(
        "Each point is one source's figure, placed at the middle of the period it is valid for; diamonds mark "
        "figures that differ from another figure for a close date. Sources: {sources}."
    ).format(sources=publishers)
    return _Chart(title, chart, caption, tuple(dict.fromkeys(series["source_id"].astype(str))))


PACK_CHARTS: tuple[Callable[[Evidence, str], _Chart | None], ...] = (procurement_pack_chart, partners_pack_chart)


# --- what-if --------------------------------------------------------------------------------------------------

ASSUMPTION_LABELS: dict[str, str] = {
    "assumption": N_("Assumption"),
    "value": N_("Value"),
    "unit": N_("Unit"),
    "basis": N_("How it was set"),
    "fact_ids": N_("Figures"),
}
ASSUMPTION_KINDS = {"assumption": "text", "value": "number", "unit": "text", "basis": "text", "fact_ids": "text"}


def _derivation_text(d: Derivation, lang: str, _: Callable[[str], str]) -> str:
    """'334.000.000 NOK ÷ 31.550.000 NOK', or 'from 2010 to 2020' for a span of years."""
    if d.numerator_unit == "year" and d.denominator_unit == "year":
        return _("from {start} to {end}").format(start=int(d.denominator), end=int(d.numerator))

    def amount(value: float, unit: str) -> str:
        decimals = 4 if abs(value) < 100 and not float(value).is_integer() else 0
        return f"{fmt_number(value, lang, decimals)} {unit_label(unit, _)}"

    text_ = _("{numerator} ÷ {denominator}").format(
        numerator=amount(d.numerator, d.numerator_unit), denominator=amount(d.denominator, d.denominator_unit)
    )
    if getattr(d, "missing_years", ()):
        text_ += "; " + _("years without a figure, left out: {years}").format(
            years=", ".join(str(y) for y in d.missing_years)
        )
    return text_


def whatif_section(ev: Evidence, lang: str, inputs: WhatIfInputs | None = None) -> _WhatIf:
    """The what-if's default (or given) inputs with their derivations, and its outcome at the horizon.
    When the evidence lacks a figure the model needs, the section says so instead."""
    from comparisons.measures import whatif as wi

    _ = gettext_for(lang)
    try:
        defaults = wi.derive_defaults(ev.tables)
        chosen = inputs if inputs is not None else defaults.inputs()
        calib = defaults.calibration
        if getattr(chosen, "year", defaults.year) != defaults.year:
            defaults = wi.derive_defaults(ev.tables, year=chosen.year)
            calib = defaults.calibration
        projection = wi.project(chosen, calib)
        result = wi.outcome(chosen, calib)
    except Exception as exc:  # noqa: BLE001 - any failure leaves the section out, with the reason, never the pack
        return _WhatIf(
            False, _("The what-if could not be computed from the evidence: {reason}").format(reason=str(exc))
        )
    sources = fact_sources(ev)

    def cite(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for i in ids for s in sources.get(i, ())))

    d = defaults.derivations()
    basis = _("Scaling basis") + ": " + _(wi.BASIS_LABELS.get(chosen.basis, chosen.basis))
    rows = [  # (assumption, value, unit, how it was set, fact ids, source ids)
        (
            _("Annual public funding"),
            chosen.funding_dkk,
            "DKK",
            _derivation_text(d["funding"], lang, _),
            d["funding"].fact_ids,
            cite(d["funding"].fact_ids) + tuple(defaults.rate_sources),
        ),
        (_("Years"), chosen.years, _("years"), _derivation_text(d["horizon"], lang, _), d["horizon"].fact_ids, None),
        (
            _("Ramp-up years"),
            chosen.ramp_up,
            _("years"),
            _("An assumption of the workbench, not a figure from a source."),
            (),
            None,
        ),
        (
            _("Savings per krone, low"),
            chosen.savings_low,
            "",
            _derivation_text(d["low"], lang, _),
            d["low"].fact_ids,
            None,
        ),
        (
            _("Savings per krone, central"),
            chosen.savings_central,
            "",
            _derivation_text(d["central"], lang, _),
            d["central"].fact_ids,
            None,
        ),
        (
            _("Savings per krone, high"),
            chosen.savings_high,
            "",
            _derivation_text(d["high"], lang, _),
            d["high"].fact_ids,
            None,
        ),
        (
            _("Norway's public bodies reached per year"),
            d["pace"].value,
            "",
            _derivation_text(d["pace"], lang, _),
            d["pace"].fact_ids,
            None,
        ),
        (basis, None, "", "", (), None),
        (
            _("NOK per DKK"),
            chosen.nok_per_dkk,
            "",
            _("ECB annual average rates, {year}").format(year=chosen.year),
            (),
            tuple(defaults.rate_sources),
        ),
    ]
    frame = pd.DataFrame.from_records(
        [
            {
                "assumption": a,
                "value": v,
                "unit": u,
                "basis": b,
                "fact_ids": " ".join(ids),
                "source_ids": tuple(dict.fromkeys(cite(ids) if src is None else src)),
            }
            for a, v, u, b, ids, src in rows
        ]
    )
    be = result.break_even_year
    outcomes = [
        (_("Public bodies reached"), fmt_number(result.bodies_reached, lang, 0)),
        (
            _("Cumulative savings (low – central – high)"),
            " – ".join(
                fmt_money(v, "DKK", lang) for v in (result.savings_low, result.savings_central, result.savings_high)
            ),
        ),
        (_("Cumulative public cost"), fmt_money(result.cost, "DKK", lang)),
        (_("Net benefit (central)"), fmt_money(result.net, "DKK", lang)),
        (_("Break-even year"), _("year {n}").format(n=be) if be is not None else _("not within the horizon")),
    ]
    chart = None
    try:
        labels = {
            "title": _("Cumulative savings and cost"),
            "x": _("Programme year"),
            "y": _("Million DKK"),
            "band": _("Savings, low to high"),
            "central": _("Savings, central"),
            "cost": _("Public cost"),
            "low": _("Savings, low"),
            "high": _("Savings, high"),
            "source": _("Source"),
            "series": _("Series"),
        }
        note = _("Ratios from figures {ids}").format(ids=" ".join(d["central"].fact_ids + d["high"].fact_ids))
        if "divisor" in inspect.signature(wi.band_chart).parameters:
            band = wi.band_chart(projection, labels, note, divisor=1_000_000.0)
        else:  # an older what-if module plots whole kroner
            band = wi.band_chart(projection, {**labels, "y": "DKK"}, note)
        ids = tuple(dict.fromkeys(s for ids in frame["source_ids"] for s in ids))
        chart = _Chart(labels["title"], band, note, ids)
    except Exception:  # noqa: BLE001 - the table and outcomes stand without the chart
        chart = None
    return _WhatIf(True, "", frame, outcomes, chart)


def assumptions_table(ev: Evidence, lang: str, stamp: Stamp, wi: _WhatIf) -> ExportTable:
    """General method assumptions, then the what-if inputs (or the sentence saying why there are none)."""
    _ = gettext_for(lang)
    rows = [
        {
            "assumption": _(a),
            "value": None,
            "unit": "",
            "basis": _("Method of the workbench"),
            "fact_ids": "",
            "source_ids": (),
        }
        for a in GENERAL_ASSUMPTIONS
    ]
    frame = pd.DataFrame.from_records(rows)
    if wi.available and wi.assumptions is not None:
        frame = pd.concat([frame, wi.assumptions], ignore_index=True)
    else:
        frame = pd.concat(
            [
                frame,
                pd.DataFrame.from_records(
                    [
                        {
                            "assumption": wi.message,
                            "value": None,
                            "unit": "",
                            "basis": "",
                            "fact_ids": "",
                            "source_ids": (),
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    return make_table(
        frame,
        ev["sources"],
        stamp,
        name="assumptions",
        title=_("Assumptions"),
        lang=lang,
        labels={k: _(v) for k, v in ASSUMPTION_LABELS.items()},
        kinds=ASSUMPTION_KINDS,
    )


# --- open questions -------------------------------------------------------------------------------------------


def open_questions(
    ev: Evidence, lang: str, headlines: pd.DataFrame | None = None, conflicts: pd.DataFrame | None = None
) -> list[str]:
    """What the evidence does not answer: headline figures no source gives, LUP roles without a Danish
    candidate, preconditions missing or partial in Denmark, and measures where sources disagree.
    `headlines` and `conflicts` are the registry's machine frames, when already built."""
    _ = gettext_for(lang)
    headlines = TABLES["headlines"].build(ev, lang) if headlines is None else headlines
    conflicts = TABLES["conflicts"].build(ev, lang) if conflicts is None else conflicts
    out: list[str] = []
    for h in records(headlines):
        if not text(h.get("fact_id")):
            out.append(
                _("{measure} ({country}): no source in the evidence base gives this figure.").format(
                    measure=text(h["measure"]), country=text(h["country"])
                )
            )
    for c in records(ev["counterparts"]):
        if text(c.get("fit")) == "none" or not text(c.get("danish_candidates")):
            out.append(_("No Danish body found for the LUP role “{role}”.").format(role=pick(c, "role", lang)))
    for p in records(ev["preconditions"]):
        status = text(p.get("status"))
        if status in ("missing", "partial"):
            out.append(_("{status} in Denmark: {label}").format(status=_(STATUS[status]), label=pick(p, "label", lang)))
    if not conflicts.empty:
        for (subject, metric), _group in conflicts.groupby(["subject", "metric"], sort=False):
            out.append(
                _("Sources disagree on {measure} for {subject}: which figure should the decision rest on?").format(
                    measure=metric, subject=subject
                )
            )
    return out


# --- the workbook ---------------------------------------------------------------------------------------------


def pack_tables(ev: Evidence, lang: str, stamp: Stamp) -> list[ExportTable]:
    """The comparison tables (one sheet each) and the conflicts, in registry order."""
    names = [n for n, spec in TABLES.items() if spec.comparison] + ["conflicts"]
    return [export_table(n, ev, lang, stamp.as_of) for n in names]


def _all_sources(ev: Evidence, tables: list[ExportTable], extra: tuple[str, ...] = ()) -> pd.DataFrame:
    ids = [i for t in tables for ids in t.row_sources for i in ids] + list(extra)
    return make_table(
        pd.DataFrame({"source_ids": [tuple(dict.fromkeys(ids))]}), ev["sources"], tables[0].stamp, name="sources"
    ).sources


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
    for table in [*tables, *(summit or [])]:
        book.add_table(table)
    book.add_table(assumptions)
    book.add_sources(
        _all_sources(ev, [*tables, assumptions], extra_sources),
        assumptions.about().replace(assumptions.title, _("Sources")),
    )
    return book.close()


# --- the brief ------------------------------------------------------------------------------------------------


def _set_language(doc: DocxDocument, lang: str) -> None:
    """Spell-checking language of the whole document (the default run properties of the styles part)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = OxmlElement("w:lang")
        rpr.append(lang_el)
    lang_el.set(qn("w:val"), DOC_LANG[lang])


def _repeat_header(row: _Row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _run(text: str, half_points: int, bold: bool = False, line_break: bool = False) -> object:
    """A `w:r` element as python-docx writes it (`<w:rPr>[<w:b/>]<w:sz/></w:rPr>` then the text, or a `<w:br/>`),
    made directly: the python-docx objects (Run, Font) cost more than the XML itself."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    if bold:
        rpr.append(OxmlElement("w:b"))
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(half_points))
    rpr.append(size)
    r.append(rpr)
    if line_break:
        r.append(OxmlElement("w:br"))
    elif text:
        r.text = text  # python-docx's own text writer: tabs, line ends and spaces as Word wants them
    return r


def _cell_paragraph(tc: CT_Tc, text_: str, header: bool) -> None:
    """The content of one cell, replacing what the cell held: an empty run (as `cell.text = ""` leaves), then the
    text at 9 pt; "figure\\ndetail" shows the figure in bold and each further line small (8 pt) below it."""
    from docx.oxml import OxmlElement

    keep = tc.tcPr  # the cell's properties (its width) stay; its paragraph is replaced
    for child in list(tc):
        if child is not keep:
            tc.remove(child)
    p = OxmlElement("w:p")
    p.append(_run("", 18))
    lines = text_.split("\n") if not header else [text_]
    p.append(_run(lines[0], 18, bold=header or len(lines) > 1))
    for line in lines[1:]:
        p.append(_run("", 18, line_break=True))
        p.append(_run(line, 16))
    tc.append(p)


def _table(doc: DocxDocument, headers: list[str], rows: list[list[str]], widths_cm: list[float] | None = None) -> None:
    """A table with a bold, repeated header row; a cell "figure\\ndetail" shows the figure in bold and the detail
    small below it. Text is 9 pt, details 8 pt."""
    from docx.shared import Cm

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header_row = table.rows[0]
    all_cells = [header_row.cells]
    for cell, head in zip(all_cells[0], headers, strict=True):
        _cell_paragraph(cell._tc, plain(head), header=True)
    _repeat_header(header_row)
    for values in rows:
        cells = table.add_row().cells
        all_cells.append(cells)
        for cell, value in zip(cells, values, strict=True):
            _cell_paragraph(cell._tc, plain(value), header=False)
    doc.add_paragraph()  # room between a table and what follows
    if widths_cm:
        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)
        for cells in all_cells:
            for cell, width in zip(cells, widths_cm, strict=True):
                cell.width = Cm(width)


def _para(doc: DocxDocument, value: str, style: ParagraphStyle | None = None, italic: bool = False) -> None:
    par = doc.add_paragraph(style=style)
    run = par.add_run(plain(value))
    run.italic = italic


def _key_comparison_rows(headlines: pd.DataFrame, lang: str) -> list[list[str]]:
    """Measure | Norway | Denmark: the figure in bold, below it period, publisher and figure id."""
    _ = gettext_for(lang)
    norway, denmark = (label_of(COUNTRY_NAMES, code, _) for code in ("NO", "DK"))
    rows: dict[str, dict[str, str]] = {}
    for h in records(headlines):
        detail = " · ".join(p for p in (text(h.get("period")), text(h.get("publisher")), text(h.get("fact_id"))) if p)
        cell = f"{text(h['figure'])}\n{detail}" if detail else text(h["figure"])
        rows.setdefault(text(h["measure"]), {})[text(h["country"])] = cell
    return [[measure, cells.get(norway, ""), cells.get(denmark, "")] for measure, cells in rows.items()]


def as_of_text(stamp: Stamp, lang: str) -> str:
    """The as-of moment as the reader writes it: '5. marts 2025, 10:00 UTC' (da), '5 March 2025' (en, a date)."""
    from babel.dates import format_date

    moment = stamp.moment()
    day = format_date(moment.date(), "long", locale=locale_of(lang))
    if len(stamp.as_of) <= 10:
        return day
    zone = " UTC" if stamp.as_of.endswith("Z") else ""
    return f"{day}, {moment:%H:%M}{zone}"


def _zip_deterministic(data: bytes) -> bytes:
    """The same document bytes for the same content: fixed timestamps, entries in their original order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def pack_docx(
    lang: str,
    stamp: Stamp,
    headlines: ExportTable,
    charts: list[_Chart],
    wi: _WhatIf,
    conflicts: ExportTable,
    questions: list[str],
    sources: pd.DataFrame,
    progress: Progress = _noop,
    notes: tuple[str, ...] = (),
    summit: SummitSection | None = None,
) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    _ = gettext_for(lang)
    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = doc.styles["Normal"]
    normal.font.name = "Liberation Sans"
    normal.font.size = Pt(10.5)
    _set_language(doc, lang)
    # Paragraph styles looked up once (a lookup by name searches the whole styles part every time).
    style = {name: doc.styles[name] for name in ("Title", "Heading 1", "Heading 2", "List Bullet", "List Number")}

    def heading(text_: str, level: int) -> None:  # as doc.add_heading(text_, level), with the style object
        doc.add_paragraph(text_, style["Title" if level == 0 else f"Heading {level}"])

    title = _("Norway's LUP and Denmark: decision brief")
    props = doc.core_properties
    props.title, props.author, props.language = title, "Nordic LUP workbench", DOC_LANG[lang]
    props.created = props.modified = stamp.moment()
    props.last_modified_by, props.revision = "Nordic LUP workbench", 1
    props.comments = f"data as of {stamp.as_of}; data version {stamp.data_version}"

    heading(title, 0)
    _para(
        doc,
        _("Data as of {as_of} · data version {version} · made with the Nordic LUP workbench").format(
            as_of=as_of_text(stamp, lang), version=stamp.data_version
        ),
        italic=True,
    )
    for note in notes:
        _para(doc, note, italic=True)
    _para(
        doc,
        _(
            "Every figure names its source and the period it is valid for. The workbook that comes with this "
            "brief holds the same tables with their sources, the conflicting figures and the assumptions."
        ),
    )

    progress(0.72, _("Writing the key comparison"))
    heading(_("Key comparison"), 1)
    _para(
        doc,
        _(
            "The latest figure a source gives for each measure. Money is in each country's own currency, "
            "with its ISO code."
        ),
    )
    countries = [label_of(COUNTRY_NAMES, code, _) for code in ("NO", "DK")]
    _table(doc, [_("Measure"), *countries], _key_comparison_rows(headlines.frame, lang), [6.0, 5.5, 5.5])

    progress(0.78, _("Placing the charts"))
    heading(_("Charts"), 1)
    if not charts:
        _para(doc, _("No chart: the evidence base holds no figures for them yet."))
    for chart in charts:
        heading(chart.title, 2)
        doc.add_picture(io.BytesIO(chart.picture(lang)), width=Cm(16.5))
        _para(doc, chart.caption, italic=True)

    progress(0.84, _("Writing the what-if"))
    heading(_("What-if: a Danish LUP"), 1)
    if not wi.available:
        _para(doc, wi.message)
    else:
        _para(
            doc,
            _(
                "A projection from Norwegian evidence to Danish scale, with the inputs below (defaults derived "
                "from the figures named). Savings per year = savings per krone × funding × ramp-up share; "
                "bodies reached scale with Denmark's size relative to Norway, capped by the funding ratio; "
                "break-even is the first year cumulative savings reach cumulative cost."
            ),
        )
        frame = wi.assumptions
        assert frame is not None  # an available section has its assumptions
        _table(
            doc,
            [_("Assumption"), _("Value"), _("How it was set"), _("Figures")],
            [
                [
                    text(r["assumption"]),
                    "" if is_missing(r["value"]) else f"{fmt_number(r['value'], lang, 2)} {text(r['unit'])}".strip(),
                    text(r["basis"]),
                    text(r["fact_ids"]),
                ]
                for r in frame.to_dict("records")
            ],
            [5.0, 3.0, 5.5, 3.5],
        )
        _table(doc, [_("Outcome at the horizon"), _("Value")], [[a, b] for a, b in wi.outcomes], [8.5, 8.5])
        if wi.chart is not None:
            try:
                doc.add_picture(io.BytesIO(wi.chart.picture(lang)), width=Cm(16.5))
                _para(doc, wi.chart.caption, italic=True)
            except Exception:  # noqa: BLE001 - the tables carry the what-if without its picture
                pass

    if summit is not None:
        summit.write_brief(
            heading, lambda value: _para(doc, value), lambda heads, rows, widths: _table(doc, heads, rows, widths)
        )

    progress(0.9, _("Listing conflicts and open questions"))
    heading(_("Conflicting figures"), 1)
    if conflicts.frame.empty:
        _para(doc, _("No two sources disagree on a figure."))
    else:
        _para(doc, _("Figures for the same measure and a close date that differ. All are kept; none is averaged."))
        f = conflicts.frame
        _table(
            doc,
            [_("Group"), _("Measure"), _("Figure"), _("Source")],
            [
                [
                    text(r["conflict_id"]),
                    f"{text(r['metric'])}\n{text(r['subject'])}",
                    f"{text(r['figure'])}\n{text(r['period'])}",
                    f"{text(r['publisher'])}\n{text(r['source_title'])} ({text(r['source_published'])})",
                ]
                for r in f.to_dict("records")
            ],
            [1.9, 4.6, 4.0, 6.5],
        )

    heading(_("Open questions"), 1)
    if not questions:
        _para(doc, _("None: the evidence base answers every question this brief asks."))
    for q in questions:
        _para(doc, q, style=style["List Bullet"])

    heading(_("Sources"), 1)
    for s in sources.to_dict("records"):
        published = fmt_period(text(s.get("published")), lang) if text(s.get("published")) else _("no date")
        where = text(s.get("url")) or text(s.get("document"))
        line = f"{text(s.get('publisher'))}: {text(s.get('title'))}. {published}."
        par = doc.add_paragraph(style=style["List Number"])
        par.add_run(plain(line))
        if where:
            par.add_run().add_break()
            small = par.add_run(plain(where))
            small.font.size = Pt(8.5)
        tag = par.add_run(plain(f" [{text(s.get('source_id'))}]"))
        tag.font.size = Pt(8.5)

    buf = io.BytesIO()
    doc.save(buf)
    return _zip_deterministic(buf.getvalue())


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


def _render_later(pool: ThreadPoolExecutor, chart: _Chart, lang: str) -> Future:
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
        notes.append(
            _(
                "Warning: the data had {count} problem(s) when this pack was made; "
                "`python -m comparisons validate` lists them."
            ).format(count=len(ev.problems))
        )
    # The charts come first: their pictures are rendered on a worker thread while the rest is built.
    pool = _chart_renderer()
    report(0.0, _("Drawing the charts"))
    charts: list[_Chart] = []
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
    questions = open_questions(ev, lang, headlines.frame, conflicts.frame)
    sources = _all_sources(ev, [headlines, conflicts, assumptions], chart_ids)
    report(0.7, _("Writing the brief"))
    docx_bytes = pack_docx(
        lang, stamp, headlines, charts, wi, conflicts, questions, sources, report, tuple(notes), summit
    )
    report(1.0, _("Done"))
    stem = f"lup-decision-pack-{lang}-{stamp.day}-{stamp.data_version}"
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
