"""The decision pack's Word brief: python-docx, with table cells written as XML directly (see comparisons.outputs.pack)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd

from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_number, fmt_period, locale_of
from comparisons.i18n.labels import COUNTRY_NAMES
from comparisons.outputs.exports import ExportTable, Stamp, is_missing
from comparisons.outputs.pack_summary import Notes, Summary
from comparisons.outputs.tables import (
    label_of,
    records,
    text,
)

if TYPE_CHECKING:  # the summit package imports this one's exports; its section is only handed in
    from docx.document import Document as DocxDocument
    from docx.oxml.table import CT_Tc
    from docx.styles.style import ParagraphStyle
    from docx.table import _Row

    from comparisons.outputs.pack_charts import PackChart
    from comparisons.outputs.pack_whatif import WhatIfSection
    from comparisons.summit.results import SummitSection

Progress = Callable[[float, str], object]  # what it returns is ignored

DOC_LANG = {"nb": "nb-NO", "da": "da-DK", "en": "en-GB"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Characters XML 1.0 cannot hold (Word would refuse the file): C0 controls except tab, LF and CR.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _noop(fraction: float, message: str) -> None:
    return None


def plain(value: object) -> str:
    """Text safe to put into a Word run: missing -> '', characters XML cannot hold removed."""
    return "" if is_missing(value) else _XML_BAD.sub("", str(value))


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


def _key_comparison_rows(headlines: ExportTable, lang: str, notes: Notes) -> list[list[str]]:
    """Measure | Norway | Denmark: the figure in bold, below it period, publisher and the note of its source."""
    _ = gettext_for(lang)
    norway, denmark = (label_of(COUNTRY_NAMES, code, _) for code in ("NO", "DK"))
    rows: dict[str, dict[str, str]] = {}
    for h, ids in zip(records(headlines.frame), headlines.row_sources, strict=True):
        mark = notes.mark(ids)  # a figure's source, or the source of what is known in its place
        detail = " · ".join(p for p in (text(h.get("period")), text(h.get("publisher")), mark) if p)
        cell = f"{text(h['figure'])}\n{detail}" if detail else text(h["figure"])
        rows.setdefault(text(h["measure"]), {})[text(h["country"])] = cell
    return [[measure, cells.get(norway, ""), cells.get(denmark, "")] for measure, cells in rows.items()]


def _cited(caption: str, mark: str) -> str:
    return f"{caption} {mark}" if mark else caption


def _write_summary(doc: DocxDocument, summary: Summary, notes: Notes, style: dict[str, ParagraphStyle]) -> None:
    """The one-page summary: a heading, then per part a bold lead and its sentences (or bullet points)."""
    doc.add_paragraph(summary.heading, style["Heading 1"])
    for part in summary.parts:
        lines = [line.render(notes) for line in part.lines]
        if part.bullets:
            lead = doc.add_paragraph()
            lead.add_run(plain(part.lead)).bold = True
            if part.intro is not None:
                lead.add_run(" " + plain(part.intro.render(notes)))
            for line in lines:
                doc.add_paragraph(plain(line), style["List Bullet"])
        else:
            par = doc.add_paragraph()
            par.add_run(plain(part.lead)).bold = True
            par.add_run(" " + plain(" ".join(lines)))


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
    charts: list[PackChart],
    wi: WhatIfSection,
    conflicts: ExportTable,
    questions: list[str],
    sources: pd.DataFrame,
    progress: Progress = _noop,
    notes: tuple[str, ...] = (),
    summit: SummitSection | None = None,
    summary: Summary | None = None,
) -> bytes:
    """The brief. Figures cite the numbered source list (`sources`, in its order) as notes such as "[3]"; no fact
    or source id appears before that list."""
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
    notes_ = Notes.of(str(i) for i in sources["source_id"])
    if summary is not None:
        _write_summary(doc, summary, notes_, style)
        doc.add_page_break()  # the summary is the first page; the evidence follows
    _para(
        doc,
        _(
            "Every figure names the period it is valid for and carries a note such as [1] that points to the "
            "numbered list of sources at the end. The workbook that comes with this brief holds the same tables "
            "with their sources, the conflicting figures and the assumptions."
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
    _table(doc, [_("Measure"), *countries], _key_comparison_rows(headlines, lang, notes_), [6.0, 5.5, 5.5])

    progress(0.78, _("Placing the charts"))
    heading(_("Charts"), 1)
    if not charts:
        _para(doc, _("No chart: the evidence base holds no figures for them yet."))
    for chart in charts:
        heading(chart.title, 2)
        doc.add_picture(io.BytesIO(chart.picture(lang)), width=Cm(16.5))
        _para(doc, _cited(chart.caption, notes_.mark(chart.source_ids)), italic=True)

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
            [_("Assumption"), _("Value"), _("How it was set"), _("Sources")],
            [
                [
                    text(r["assumption"]),
                    "" if is_missing(r["value"]) else f"{fmt_number(r['value'], lang, 2)} {text(r['unit'])}".strip(),
                    text(r["basis"]),
                    notes_.mark(r["source_ids"]),
                ]
                for r in frame.to_dict("records")
            ],
            [5.0, 3.0, 6.5, 2.5],
        )
        _table(doc, [_("Outcome at the horizon"), _("Value")], [[a, b] for a, b in wi.outcomes], [8.5, 8.5])
        if wi.chart is not None:
            try:
                doc.add_picture(io.BytesIO(wi.chart.picture(lang)), width=Cm(16.5))
                _para(doc, _cited(wi.chart.caption, notes_.mark(wi.chart.source_ids)), italic=True)
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
                    f"{text(r['publisher'])}\n{text(r['source_title'])} ({text(r['source_published'])}) {notes_.mark(ids)}",
                ]
                for r, ids in zip(f.to_dict("records"), conflicts.row_sources, strict=True)
            ],
            [1.9, 4.6, 4.0, 6.5],
        )

    heading(_("Open questions"), 1)
    if not questions:
        _para(doc, _("None: the evidence base answers every question this brief asks."))
    for q in questions:
        _para(doc, q, style=style["List Bullet"])

    heading(_("Sources"), 1)
    for number, s in enumerate(sources.to_dict("records"), start=1):
        published = fmt_period(text(s.get("published")), lang) if text(s.get("published")) else _("no date")
        where = text(s.get("url")) or text(s.get("document"))
        line = f"{text(s.get('publisher'))}: {text(s.get('title'))}. {published}."
        # Numbered by hand, not by a Word list: the number is the one the notes cite, whatever lists came before.
        par = doc.add_paragraph()
        par.paragraph_format.left_indent = Cm(0.9)
        par.paragraph_format.first_line_indent = Cm(-0.9)
        par.add_run(f"[{number}]\t")
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
