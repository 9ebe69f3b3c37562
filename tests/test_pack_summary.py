"""The decision brief's summary page, its numbered notes, its charts' currency and the workbook's number formats
(issue 19, the pack). Built from the tiny evidence base of tests/test_exports.py."""

from __future__ import annotations

import io
import re

import altair as alt
import docx
import openpyxl
import pandas as pd
import pytest

from comparisons.i18n import gettext_for
from comparisons.models import overview
from comparisons.models import whatif as whatif_model
from comparisons.outputs.pack import Pack, build_pack
from comparisons.outputs.pack_charts import PACK_CHARTS
from comparisons.outputs.pack_summary import Notes
from comparisons.outputs.pack_whatif import whatif_section
from tests.test_exports import tiny_evidence

AS_OF = "2025-03-05T10:00:00Z"
LANGS = ("nb", "da", "en")


@pytest.fixture(scope="module")
def packs() -> dict[str, Pack]:
    return {lang: build_pack(tiny_evidence(), lang, AS_OF) for lang in LANGS}


def _blocks(data: bytes) -> list[tuple[str, str]]:
    """The brief's body in order: (style or 'table', text), a table's cells joined by ' | '."""
    doc = docx.Document(io.BytesIO(data))
    out: list[tuple[str, str]] = []
    paragraphs = {p._p: p for p in doc.paragraphs}
    tables = {t._tbl: t for t in doc.tables}
    for el in doc.element.body.iterchildren():
        if el in paragraphs:
            p = paragraphs[el]
            out.append((p.style.name if p.style is not None else "", p.text))
        elif el in tables:
            cells = [c.text for row in tables[el].rows for c in row.cells]
            out.append(("table", " | ".join(cells)))
    return out


def _until(blocks: list[tuple[str, str]], heading: str) -> list[tuple[str, str]]:
    """The blocks before the first heading `heading`."""
    for i, (style, text) in enumerate(blocks):
        if style.startswith("Heading") and text == heading:
            return blocks[:i]
    raise AssertionError(f"no heading {heading!r}")


@pytest.mark.parametrize("lang", LANGS)
def test_no_fact_or_source_id_in_the_prose_before_the_source_list(packs: dict[str, Pack], lang: str) -> None:
    ev = tiny_evidence()
    _ = gettext_for(lang)
    prose = "\n".join(t for _s, t in _until(_blocks(packs[lang].docx), _("Sources")))
    ids = [*ev["facts"]["fact_id"], *ev["sources"]["source_id"]]
    found = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(str(i))}(?![\w-])", prose)]
    assert not found, found
    # ... while the source list still names each source's id, for the curator, after its number
    sources = _blocks(packs[lang].docx)[len(_until(_blocks(packs[lang].docx), _("Sources"))) :]
    assert any(t.startswith("[1]\t") and t.endswith("[lup-2021]") for _s, t in sources)


@pytest.mark.parametrize("lang", LANGS)
def test_summary_opens_the_brief_with_the_models_numbers(packs: dict[str, Pack], lang: str) -> None:
    ev = tiny_evidence()
    _ = gettext_for(lang)
    blocks = _blocks(packs[lang].docx)
    summary = _until(blocks, _("Key comparison"))
    assert ("Heading 1", _("Summary")) in summary
    assert not any(style == "table" for style, _t in summary)  # before the tables and charts
    text = "\n".join(t for _s, t in summary)
    for lead in ("What Norway built.", "What Denmark has.", "The main gaps.", "What a Danish LUP could yield."):
        assert _(lead) in text
    # Every figure of the Overview page's model is in the summary, as the page writes it, with a note.
    cards = overview.build(ev, lang, overview.default_settings(ev, lang)).view.rows
    shown = [c for pair in cards for c in pair if c.fact_id]
    assert shown
    for card in shown:
        assert re.search(re.escape(card.value) + r" \([^)]*\)\xa0\[\d+(, \d+)*\]", text), card.value
    # The what-if range is the What-if page model's, with the default inputs.
    page = whatif_model.build(ev, lang, whatif_model.default_settings(ev, lang))
    assert page.results is not None
    metrics = dict(page.results.metrics)
    for label in ("Cumulative savings, low", "Cumulative savings, high", "Cumulative savings, central"):
        assert metrics[_(label)] in text, label
    assert metrics[_("Cumulative cost")] in text
    # The what-if's amounts share one note, after the sentence that gives them.
    yields = [t for _s, t in summary if t.startswith(_("What a Danish LUP could yield."))]
    assert yields and len(re.findall(r"\[\d+(?:, \d+)*\]", yields[0])) == 1


def test_notes_number_sources_in_list_order() -> None:
    notes = Notes.of(["b", "a", "b", "c"])
    assert notes.mark(["c", "a"]) == "[2, 3]" and notes.mark(["x"]) == "" and notes.mark(["b"]) == "[1]"


@pytest.mark.parametrize("lang,currency", [("da", "DKK"), ("nb", "NOK"), ("en", "EUR")])
def test_charts_are_in_the_pack_languages_currency(lang: str, currency: str) -> None:
    ev = tiny_evidence()
    procurement = PACK_CHARTS[0](ev, lang)
    assert procurement is not None
    axes = re.findall(r'"title": "([^"]*)"', procurement.chart.to_json())
    assert any(currency in a for a in axes), axes
    others = {"DKK", "NOK", "EUR"} - {currency}
    band = whatif_section(ev, lang).chart
    assert band is not None
    spec = band.chart.to_json()
    y_titles = re.findall(r'"title": "([^"]*(?:DKK|NOK|EUR)[^"]*)"', spec)
    assert y_titles and all(currency in t and not any(o in t for o in others) for t in y_titles), y_titles


def test_danish_whatif_chart_is_drawn_in_dkk_and_norwegian_converted() -> None:
    ev = tiny_evidence()
    da, nb = whatif_section(ev, "da"), whatif_section(ev, "nb")
    assert da.chart is not None and nb.chart is not None
    assert isinstance(da.chart.chart, alt.LayerChart) and isinstance(nb.chart.chart, alt.LayerChart)
    assert nb.inputs is not None
    frame_da, frame_nb = da.chart.chart.layer[0].data, nb.chart.chart.layer[0].data
    assert isinstance(frame_da, pd.DataFrame) and isinstance(frame_nb, pd.DataFrame)
    rate = nb.inputs.nok_per_dkk  # the scenario's own NOK per DKK, from the same ECB year
    # The same projection, drawn in millions of each language's currency.
    assert frame_nb["cum_savings_high"].iloc[-1] == pytest.approx(frame_da["cum_savings_high"].iloc[-1] * rate, 1e-3)


def test_workbook_number_formats_fit_each_column(packs: dict[str, Pack]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(packs["en"].xlsx))
    assumptions = {r[0].value: r[1] for r in book["Assumptions"].iter_rows(min_row=3)}
    assert assumptions["Annual public funding"].number_format == "#,##0"
    assert assumptions["Years"].number_format == "0"
    assert assumptions["Savings per krone, high"].number_format == "0.0000"
    assert assumptions["NOK per DKK"].number_format == "0.0000"
    figures = book["Figures"]  # the key comparison is side by side as text; the figures keep their numbers
    header = [c.value for c in figures[2]]
    value, unit = header.index("Value"), header.index("Unit")
    formats = {
        r[unit].value: r[value].number_format for r in figures.iter_rows(min_row=3) if r[value].value is not None
    }
    assert formats["count"] == "0"
    assert all(formats[u] == "#,##0" for u in ("NOK", "DKK", "EUR") if u in formats)
    key = book["Key comparison"]
    header = [c.value for c in key[2]]
    assert header[:5] == ["Measure", "Norway", "Denmark", "Comparable?", "Why not like for like"]
