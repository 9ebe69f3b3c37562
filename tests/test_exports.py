"""Table exports (comparisons/outputs/exports.py), chart exports (chart_export.py) and the table registry (tables.py).

Golden files live in tests/golden/. They are built from a small frame made here (never from the shipped data,
which others edit), in each language, with a fixed stamp and a fixed translator (so merging the catalogs does not
change them). CSV, Nordic CSV and JSON are compared byte for byte; XLSX and Parquet are compared after parsing
(openpyxl, pyarrow), since their zip and page bytes depend on library versions. To rewrite the golden files after
a deliberate change: `UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_exports.py -p no:xdist`, then read
the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import altair as alt
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from comparisons.evidence.base import Evidence
from comparisons.evidence.package import empty_frame
from comparisons.evidence.schema import shipped_resource
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_value
from comparisons.outputs import exports as ex
from comparisons.outputs.chart_export import chart_bytes, chart_filename, chart_png, chart_svg, static_spec

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
STAMP = ex.Stamp.of("2025-03-05T10:00:00Z", "abc123def456")
LANGS = ("nb", "da", "en")

# The translations the golden files were made with (a snapshot, so that catalog merges cannot move them).
FIXED_TRANSLATIONS: dict[str, dict[str, str]] = {
    "nb": {
        "Sources": "Kilder",
        "Source details": "Kildeopplysninger",
        "Data as of": "Data per",
        "Data version": "Dataversjon",
        "Source ID": "Kilde-ID",
        "Title": "Tittel",
        "Publisher": "Utgiver",
        "Published": "Publisert",
        "URL": "URL",
        "Document": "Dokument",
        "Reliability": "Pålitelighet",
        "Primary source": "Primærkilde",
        "Secondary source": "Sekundærkilde",
        "Nordic LUP workbench · {title} · data as of {as_of} · data version {version}": "Nordic LUP workbench · {title} · data per {as_of} · dataversjon {version}",
    },
    "da": {
        "Sources": "Kilder",
        "Source details": "Kildeoplysninger",
        "Data as of": "Data pr.",
        "Data version": "Dataversion",
        "Source ID": "Kilde-ID",
        "Title": "Titel",
        "Publisher": "Udgiver",
        "Published": "Udgivet",
        "URL": "URL",
        "Document": "Dokument",
        "Reliability": "Pålidelighed",
        "Primary source": "Primærkilde",
        "Secondary source": "Sekundærkilde",
        "Nordic LUP workbench · {title} · data as of {as_of} · data version {version}": "Nordic LUP workbench · {title} · data pr. {as_of} · dataversion {version}",
    },
    "en": {},
}
HEADERS = {
    "nb": {"name": "Navn", "figure": "Tall", "value": "Verdi", "count": "Antall", "year": "År", "partial": "Delvis"},
    "da": {"name": "Navn", "figure": "Tal", "value": "Værdi", "count": "Antal", "year": "År", "partial": "Delvis"},
    "en": {
        "name": "Name",
        "figure": "Figure",
        "value": "Value",
        "count": "Count",
        "year": "Year",
        "partial": "Partial",
    },
}
TITLES = {"nb": "Prøvetabell", "da": "Prøvetabel", "en": "Sample table"}


@pytest.fixture
def fixed_translations(monkeypatch: pytest.MonkeyPatch) -> None:
    def gettext_for(lang: str):
        table = FIXED_TRANSLATIONS[lang]
        return lambda msgid: table.get(msgid, msgid)

    monkeypatch.setattr(ex, "gettext_for", gettext_for)


def sample_sources() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": ["lup-a", "dk-b", "unused-c"],
            "title": ["Leverandørutviklingsprogrammet – årsrapport", "Indkøb i kommunerne, 2022", "Not cited"],
            "publisher": ["LUP", "KL – Kommunernes Landsforening", "Nobody"],
            "published": ["2020-09", "2022-03-01", "2019"],
            "url": ["https://innovativeanskaffelser.no/om/", None, "https://example.org"],
            "document": [None, "004_kl.txt", None],
            "reliability": ["primary", "secondary", "primary"],
            "note": ["not exported", None, None],
        }
    ).astype("string")


def sample_frame(lang: str) -> pd.DataFrame:
    """Text with æøå, quotes, separators and a line break; numbers (negative, decimal, large, missing); years;
    booleans; figures formatted as text in the language; each row's sources (one unknown: 'ghost')."""
    return pd.DataFrame(
        {
            "name": [
                "Leverandørutviklingsprogrammet",
                'Quote "with" comma, and; semicolon',
                "Line\nbreak",
                "Ærø Kommune",
            ],
            "figure": [
                fmt_value(334e6, "NOK", lang),
                fmt_value(19.6e6, "DKK", lang, "approx"),
                fmt_value(25.8, "percent", lang),
                fmt_value(1234567.891, "count", lang, compact=False),
            ],
            "value": [334000000.0, 19600000.0, 25.8, -2.5],
            "count": pd.array([35, None, 7, 0], dtype="Int64"),
            "year": pd.array([2010, 2021, None, 2024], dtype="Int64"),
            "partial": pd.array([True, False, None, True], dtype="boolean"),
            "source_ids": ["lup-a", "dk-b lup-a", "", "ghost"],
        }
    )


def sample_table(lang: str) -> ex.ExportTable:
    return ex.make_table(
        sample_frame(lang),
        sample_sources(),
        STAMP,
        name="sample",
        title=TITLES[lang],
        lang=lang,
        labels=HEADERS[lang],
        kinds={"year": "year", "count": "integer"},
    )


def _golden_bytes(name: str, data: bytes) -> bytes:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1 to create it"
    return path.read_bytes()


# --- golden files ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt,ext", [("csv", "csv"), ("nordic-csv", "nordic.csv"), ("json", "json")])
def test_text_formats_match_golden_files_byte_for_byte(fixed_translations: None, lang: str, fmt: str, ext: str) -> None:
    data = ex.export_bytes(sample_table(lang), fmt)
    assert data == _golden_bytes(f"sample-{lang}.{ext}", data)


def _xlsx_snapshot(data: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(data))
    snap: dict = {"sheets": book.sheetnames}
    for ws in book.worksheets:
        snap[ws.title] = {
            "cells": [[(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows()],
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "widths": {k: round(v.width, 2) for k, v in sorted(ws.column_dimensions.items()) if v.width},
            "hyperlinks": len(ws._hyperlinks),
        }
    return snap


@pytest.mark.parametrize("lang", LANGS)
def test_xlsx_matches_golden_file_when_parsed(fixed_translations: None, lang: str) -> None:
    data = ex.to_xlsx(sample_table(lang))
    assert _xlsx_snapshot(data) == _xlsx_snapshot(_golden_bytes(f"sample-{lang}.xlsx", data))


@pytest.mark.parametrize("lang", LANGS)
def test_parquet_matches_golden_file_when_parsed(fixed_translations: None, lang: str) -> None:
    data = ex.to_parquet(sample_table(lang))
    made, golden = (
        pq.read_table(io.BytesIO(data)),
        pq.read_table(io.BytesIO(_golden_bytes(f"sample-{lang}.parquet", data))),
    )
    assert made.equals(golden)
    strip = lambda m: {k: v for k, v in (m or {}).items() if k != b"pandas"}  # noqa: E731 - pandas' own bookkeeping
    assert strip(made.schema.metadata) == strip(golden.schema.metadata)
    assert [f.metadata for f in made.schema] == [f.metadata for f in golden.schema]


# --- what the golden files say, checked by hand -----------------------------------------------------------------


def test_plain_csv_is_utf8_comma_dot_decimal_crlf_without_bom(fixed_translations: None) -> None:
    data = ex.to_csv(sample_table("nb"))
    assert not data.startswith(ex.UTF8_BOM)
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "Navn,Tall,Verdi,Antall,År,Delvis,Kilder,Kildeopplysninger,Data per,Dataversjon"
    # nb writes figures with a no-break space as group separator and 'mill.'; numbers stay plain with a dot.
    assert lines[1].startswith("Leverandørutviklingsprogrammet,334\xa0mill.\xa0NOK,334000000,35,2010,true,lup-a,")
    assert ",-2.5,0,2024,true,ghost,ghost,2025-03-05T10:00:00Z,abc123def456" in text
    assert '"Quote ""with"" comma, and; semicolon"' in text
    assert '"Line\nbreak"' in text  # an embedded line break is quoted, not a new record
    frame = pd.read_csv(io.BytesIO(data), keep_default_na=False, dtype={"Antall": "string"})
    assert frame["Verdi"].tolist() == [334000000.0, 19600000.0, 25.8, -2.5]
    assert frame["Kilder"].tolist() == ["lup-a", "dk-b lup-a", "", "ghost"]


@pytest.mark.parametrize(
    "lang,figure",
    [("nb", "ca. 19,6\xa0mill.\xa0DKK"), ("da", "ca. 19,6\xa0mio.\xa0DKK"), ("en", "c. DKK\xa019.6M")],
)
def test_nordic_csv_has_bom_semicolon_decimal_comma_and_language_formats(
    fixed_translations: None, lang: str, figure: str
) -> None:
    data = ex.to_nordic_csv(sample_table(lang))
    assert data[:3] == b"\xef\xbb\xbf"  # the BOM, as bytes
    text = data[3:].decode("utf-8")
    assert text.splitlines()[0].count(";") == 9
    assert f";{figure};19600000;" in text
    assert ";-2,5;0;2024;true;" in text and ";25,8;7;;" in text
    frame = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", keep_default_na=False)
    assert frame.iloc[:, 2].tolist() == [334000000.0, 19600000.0, 25.8, -2.5]
    assert frame.columns[0] == HEADERS[lang]["name"]  # the BOM is not glued to the first header


def test_nordic_number_text_in_danish_and_norwegian(fixed_translations: None) -> None:
    nb = ex.to_nordic_csv(sample_table("nb")).decode("utf-8-sig")
    da = ex.to_nordic_csv(sample_table("da")).decode("utf-8-sig")
    assert ";1\xa0234\xa0567,89;" in nb and ";1.234.567,89;" in da  # text figures follow the language
    assert ";25,8\xa0%;" in nb and ";25,8\xa0%;" in da


def test_json_records_carry_sources_stamp_and_labels(fixed_translations: None) -> None:
    doc = json.loads(ex.to_json(sample_table("da")))
    meta = doc["metadata"]
    assert (meta["as_of"], meta["data_version"], meta["language"]) == ("2025-03-05T10:00:00Z", "abc123def456", "da")
    assert [c["label"] for c in meta["columns"]][:3] == ["Navn", "Tal", "Værdi"]
    assert [s["source_id"] for s in meta["sources"]] == ["lup-a", "dk-b", "ghost"]  # order of first citation
    assert meta["sources"][2]["title"] is None  # an unknown id is kept, not dropped
    assert doc["records"][1]["source_ids"] == ["dk-b", "lup-a"]
    assert doc["records"][3]["value"] == -2.5 and doc["records"][0]["value"] == 334000000
    assert doc["records"][2]["year"] is None and doc["records"][1]["partial"] is False


def test_xlsx_about_line_frozen_header_number_formats_and_sources_sheet(fixed_translations: None) -> None:
    book = openpyxl.load_workbook(io.BytesIO(ex.to_xlsx(sample_table("nb"))))
    assert book.sheetnames == ["Prøvetabell", "Kilder"]
    ws = book["Prøvetabell"]
    assert (
        ws["A1"].value
        == "Nordic LUP workbench · Prøvetabell · data per 2025-03-05T10:00:00Z · dataversjon abc123def456"
    )
    assert [c.value for c in ws[2]] == ["Navn", "Tall", "Verdi", "Antall", "År", "Delvis", "Kilder"]
    assert ws.freeze_panes == "A3"
    assert ws["C3"].value == 334000000 and ws["C3"].data_type == "n" and ws["C3"].number_format == "#,##0.0"
    assert ws["C6"].value == -2.5
    assert ws["D3"].number_format == "#,##0" and ws["E3"].number_format == "0"  # years without grouping
    assert ws["F3"].value is True
    assert ws.column_dimensions["A"].width > 20
    src = book["Kilder"]
    assert [c.value for c in src[2]] == [
        "Kilde-ID",
        "Tittel",
        "Utgiver",
        "Publisert",
        "URL",
        "Dokument",
        "Pålitelighet",
    ]
    assert [r[0].value for r in src.iter_rows(min_row=3)] == ["lup-a", "dk-b", "ghost"]
    assert src["G3"].value == "Primærkilde"


def test_parquet_metadata_carries_sources_stamp_and_labels(fixed_translations: None) -> None:
    table = pq.read_table(io.BytesIO(ex.to_parquet(sample_table("nb"))))
    meta = table.schema.metadata
    assert meta[b"lup.as_of"] == b"2025-03-05T10:00:00Z" and meta[b"lup.data_version"] == b"abc123def456"
    assert [s["source_id"] for s in json.loads(meta[b"lup.sources"])] == ["lup-a", "dk-b", "ghost"]
    value = table.schema.field("value")
    assert value.metadata[b"label"] == b"Verdi"
    assert json.loads(value.metadata[b"sources"]) == ["lup-a", "dk-b", "ghost"]
    assert json.loads(table.schema.field("count").metadata[b"sources"]) == ["lup-a", "ghost"]  # rows with a value
    assert table.column("source_ids").to_pylist()[1] == ["dk-b", "lup-a"]
    assert table.column("value").to_pylist() == [334000000.0, 19600000.0, 25.8, -2.5]


@pytest.mark.parametrize("fmt", list(ex.FORMATS))
def test_exports_are_deterministic(fmt: str) -> None:
    assert ex.export_bytes(sample_table("da"), fmt) == ex.export_bytes(sample_table("da"), fmt)


def test_about_line_changes_with_the_stamp() -> None:
    other = ex.make_table(sample_frame("en"), sample_sources(), ex.Stamp.of("2026-01-02", "ffff"), name="sample")
    assert "2026-01-02" in ex.to_csv(other).decode() and "ffff" in other.about()


def test_without_source_ids_every_given_source_is_carried() -> None:
    table = ex.make_table(sample_frame("en").drop(columns="source_ids"), sample_sources(), STAMP, name="x")
    assert table.sources["source_id"].tolist() == ["lup-a", "dk-b", "unused-c"]
    assert all(ids == () for ids in table.row_sources)


# --- formula injection ----------------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(A1)", "+1+1", "-1+2", "\tTAB", "\rCR", "=cmd|' /C calc'!A0"]


def hostile_table(lang: str = "en") -> ex.ExportTable:
    frame = pd.DataFrame(
        {
            "text": HOSTILE,
            "number": [-2.5, -1.0, 3.0, 0.5, 1e9, -7.25, 0.0],
            "url": ["https://example.com/a"] * len(HOSTILE),
            "source_ids": ["s1"] * len(HOSTILE),
        }
    )
    sources = pd.DataFrame({"source_id": ["s1"], "title": ["=1+1"], "publisher": ["@evil"], "published": ["2020"]})
    return ex.make_table(frame, sources, STAMP, name="hostile", lang=lang)


@pytest.mark.parametrize("fmt,sep,decimal", [("csv", ",", "."), ("nordic-csv", ";", ",")])
def test_formula_text_exports_as_plain_text_in_csv(fmt: str, sep: str, decimal: str) -> None:
    data = ex.export_bytes(hostile_table(), fmt)
    frame = pd.read_csv(io.BytesIO(data), sep=sep, decimal=decimal, encoding="utf-8-sig", keep_default_na=False)
    assert frame["text"].tolist() == ["'" + h for h in HOSTILE]
    assert frame["number"].tolist() == [-2.5, -1.0, 3.0, 0.5, 1e9, -7.25, 0.0]  # numbers are not touched
    assert frame["Source details"].iloc[0] == "'@evil: =1+1 (2020)"
    for line in data.decode("utf-8-sig").split("\r\n")[1:]:
        for cell in re.split(f'{sep}(?=(?:[^"]*"[^"]*")*[^"]*$)', line):
            assert not cell.lstrip('"').startswith(("=", "+", "@")), cell


def test_formula_text_exports_as_plain_text_in_xlsx() -> None:
    data = ex.to_xlsx(hostile_table())
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any("<f>" in s or "<hyperlink" in s for s in sheets)
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book.worksheets[0]
    texts = [ws.cell(row=r, column=1) for r in range(3, 3 + len(HOSTILE))]
    # xlsx stores a carriage return as _x000D_ (Excel shows it as one; openpyxl leaves it escaped). The text is the
    # data as it is, kept as text by Excel's quote prefix: no apostrophe in the cell (it showed in every reader).
    assert [c.value.replace("_x000D_", "\r") for c in texts] == HOSTILE
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)
    assert [ws.cell(row=r, column=2).value for r in range(3, 3 + len(HOSTILE))] == [-2.5, -1, 3, 0.5, 1e9, -7.25, 0]
    assert ws.cell(row=3, column=3).value == "https://example.com/a" and not ws._hyperlinks  # a URL stays text
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)
    frame = pd.read_excel(io.BytesIO(data), header=1)
    assert [t.replace("_x000D_", "\r") for t in frame["text"]] == HOSTILE
    assert frame["number"].tolist() == [-2.5, -1.0, 3.0, 0.5, 1e9, -7.25, 0.0]


def test_xlsx_writer_itself_never_makes_formulas_or_links() -> None:
    """The second guard: even a string written without the apostrophe stays text in our workbooks."""
    book = ex.XlsxBook(STAMP, "t", "en")
    assert book.book.strings_to_formulas is False and book.book.strings_to_urls is False
    ws = book.book.add_worksheet("raw")
    ws.write(0, 0, "=1+1")
    ws.write(0, 1, "https://example.com")
    data = book.close()
    cells = openpyxl.load_workbook(io.BytesIO(data))["raw"]
    assert (cells["A1"].value, cells["A1"].data_type) == ("=1+1", "s") and not cells._hyperlinks


def test_json_and_parquet_keep_text_exactly() -> None:
    table = hostile_table()
    assert [r["text"] for r in json.loads(ex.to_json(table))["records"]] == HOSTILE
    assert pq.read_table(io.BytesIO(ex.to_parquet(table))).column("text").to_pylist() == HOSTILE


def test_sanitising_is_by_kind_not_by_first_character() -> None:
    assert ex.cell_text(-2.5, "number") == "-2.5" and ex.cell_text(-2.5, "number", ",") == "-2,5"
    assert ex.cell_text("-2.5", "text") == "'-2.5"
    assert ex.cell_text("plain", "text") == "plain" and ex.cell_text(None, "text") == ""
    assert ex.number_text(334000000.0) == "334000000" and ex.number_text(0.1) == "0.1"


# --- names, stamps, formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\fakta æøå.csv", "fakta-aeoaa.csv"),
        ("...", "export"),
        ("", "export"),
        ("Tal for Ærø/Ålborg <b>.xlsx", "Aalborg-b-.xlsx"),
        (".hidden", "hidden"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert ex.safe_filename(name) == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_safe_filename_never_leaves_the_folder(name: str) -> None:
    out = ex.safe_filename(name)
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,120}", out)
    assert not out.startswith(".") and ".." not in out and out not in (".", "..")


def test_export_filename() -> None:
    table = sample_table("da")
    assert ex.export_filename(table, "nordic-csv") == "sample-da-2025-03-05-abc123def456-nordic.csv"
    assert ex.export_filename(table, "parquet") == "sample-da-2025-03-05-abc123def456.parquet"


def test_stamp_normalises_times() -> None:
    from datetime import date, datetime, timedelta, timezone

    oslo = timezone(timedelta(hours=1))
    assert ex.Stamp.of(datetime(2025, 3, 5, 11, 0, tzinfo=oslo), "v").as_of == "2025-03-05T10:00:00Z"
    assert ex.Stamp.of(date(2025, 3, 5), "v").as_of == "2025-03-05"
    assert ex.Stamp.of("2025-03-05T10:00:00+00:00", "v").as_of == "2025-03-05T10:00:00Z"
    with pytest.raises(ValueError):
        ex.Stamp.of("yesterday", "v")


def test_bad_format_and_kind_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        ex.export_bytes(sample_table("en"), "xls")
    with pytest.raises(ValueError, match="column kind"):
        ex.make_table(sample_frame("en"), sample_sources(), STAMP, name="x", kinds={"value": "currency"})


def test_sheet_names_are_valid_and_unique() -> None:
    first = ex.sheet_name("Roles: LUP / Denmark [draft]*?")
    assert first == "Roles- LUP - Denmark -draft---" and len(first) <= 31
    long = "x" * 40
    assert ex.sheet_name(long, [long[:31]]) == "x" * 27 + " (2)"


def test_number_formats() -> None:
    assert ex.xlsx_number_format(pd.Series([2010, 2020]), "year") == "0"
    assert ex.xlsx_number_format(pd.Series([1.0, 334e6, None]), "number") == "#,##0"
    assert ex.xlsx_number_format(pd.Series([25.8, 1.25]), "number") == "#,##0.00"
    assert ex.xlsx_number_format(pd.Series([11.587483]), "number") == "#,##0.0000"


# --- charts ---------------------------------------------------------------------------------------------------


def sample_chart() -> alt.Chart:
    data = pd.DataFrame({"country": ["Norge", "Danmark"], "value": [1234567.5, 2345678.25]})
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(x="country:N", y=alt.Y("value:Q", title="Verdi", axis=alt.Axis(format=",.1f")))
        .properties(width="container", title="Prøve æøå")
    )


@pytest.mark.parametrize("lang,label", [("nb", "1\xa0000\xa0000,0"), ("da", "1.000.000,0"), ("en", "1,000,000.0")])
def test_chart_svg_formats_numbers_per_language(lang: str, label: str) -> None:
    svg = chart_svg(sample_chart(), lang).decode("utf-8")
    labels = re.findall(r">([^<>]*\d[^<>]*)<", svg)
    assert label in labels
    assert "Prøve æøå" in svg


def test_chart_png_is_a_png_of_the_given_width() -> None:
    png = chart_png(sample_chart(), "da", width=400, scale=1, ppi=72)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert 400 <= width <= 520  # the plot is 400 px wide; axes and title add a margin
    sharp = chart_png(sample_chart(), "da", width=400)  # default: twice the pixels, for print
    assert int.from_bytes(sharp[16:20], "big") == 2 * width


def test_static_spec_fixes_container_width_and_sets_locale() -> None:
    spec = static_spec(alt.layer(sample_chart(), sample_chart()).properties(width="container"), "nb", 500)
    assert "container" not in json.dumps(spec)
    assert spec["config"]["locale"]["number"]["thousands"] == "\xa0"


def test_chart_export_never_fetches_remote_data() -> None:
    spec = {
        "data": {"url": "https://example.invalid/x.csv"},
        "mark": "point",
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    with pytest.raises(ValueError, match="not allowed"):
        chart_svg(spec, "en")


def test_chart_format_and_name_checks() -> None:
    with pytest.raises(ValueError):
        chart_bytes(sample_chart(), "en", "gif")
    with pytest.raises(ValueError):
        chart_svg(sample_chart(), "sv")
    assert chart_filename("../procurement volume", "da", "svg", "2025-03-05") == "procurement-volume-da-2025-03-05.svg"


# --- the registry, on a tiny evidence base built here -----------------------------------------------------------


def _frame(package: str, resource: str, rows: list[dict]) -> pd.DataFrame:
    empty = empty_frame(shipped_resource(package, resource))
    frame = pd.DataFrame.from_records(rows, columns=[c for c in empty.columns if c != "_row"])
    for col in frame.columns:
        frame[col] = frame[col].astype(empty[col].dtype)
    return frame.assign(package=package, _row=pd.array(range(2, len(frame) + 2), dtype="Int64"))


def _fact(
    fact_id: str,
    country: str,
    subject: str,
    metric: str,
    value: float,
    unit: str,
    start: str,
    end: str,
    source: str,
    bound: str = "exact",
    quote: str = "",
    note: str = "",
    derived: str = "",
) -> dict:
    return {
        "fact_id": fact_id,
        "country": country,
        "subject": subject,
        "metric": metric,
        "value": value,
        "bound": bound,
        "unit": unit,
        "period_start": start,
        "period_end": end,
        "as_of": end,
        "source_id": source,
        "quote": quote,
        "quote_check": "auto",
        "note": note,
        "derived_from": derived,
    }


def tiny_evidence() -> Evidence:
    """A small, fixed evidence base: headline figures, a conflict, procurement volumes in two currencies, rates,
    population, everything the what-if needs, a Danish gap, and hostile text in a source and a fact."""
    src = lambda sid, title, publisher, published, url="", doc="", rel="primary": {  # noqa: E731
        "source_id": sid,
        "title": title,
        "publisher": publisher,
        "url": url or None,
        "document": doc or None,
        "published": published,
        "published_inferred": False,
        "language": "nb",
        "kind": "article",
        "reliability": rel,
        "note": None,
    }
    sources = [
        src("lup-2020", "LUP i tall 2020", "LUP", "2020-09", "https://innovativeanskaffelser.no/tall"),
        src("lup-2021", "LUP i tall 2021", "LUP", "2021-03", "https://innovativeanskaffelser.no/tall21"),
        src("summit", "Toppmøtet 2019", "KS", "2019", doc="002_summit.txt"),
        src("ssb", "Offentlige innkjøp", "SSB", "2018", "https://ssb.no/x", rel="secondary"),
        src("dst", "Offentlige indkøb", "Danmarks Statistik", "2018", "https://dst.dk/x"),
        src("evil", '=HYPERLINK("http://x","y")', "<script>alert(1)</script> & Co\x07", "2021", "https://evil.example"),
        src("ecb", "ECB reference rates", "ECB", "2024", "https://ecb.europa.eu"),
        src("wb", "Population", "World Bank", "2024", "https://worldbank.org"),
    ]
    facts = [
        _fact("NO-1", "NO", "lup", "partner_count", 30, "count", "2020-09", "2020-09", "lup-2020", quote="30 partnere"),
        _fact("NO-2", "NO", "lup", "partner_count", 29, "count", "2021-03", "2021-03", "lup-2021", quote="29 partnere"),
        _fact("NO-3", "NO", "lup", "bodies_reached", 150, "count", "2010", "2017", "lup-2020"),
        _fact("NO-4", "NO", "lup", "cumulative_savings", 330e6, "NOK", "2010", "2017", "lup-2020"),
        _fact("NO-5", "NO", "lup", "state_grant", 5e6, "NOK", "2016", "2016", "lup-2020"),
        _fact("NO-6", "NO", "lup", "state_grant", 6e6, "NOK", "2017", "2017", "lup-2020"),
        _fact("NO-7", "NO", "lup", "savings_claim", 400e6, "NOK", "2010", "2019", "summit", bound="at_least"),
        _fact("NO-8", "NO", "lup", "investment_claim", 10e6, "NOK", "2010", "2019", "summit"),
        _fact("NO-9", "NO", "lup", "founded_year", 2010, "year", "2010", "2010", "summit"),
        _fact("NO-10", "NO", "no-public-sector", "procurement_volume", 500e9, "NOK", "2017", "2017", "ssb"),
        _fact(
            "NO-11",
            "NO",
            "no-local-government",
            "procurement_volume_local",
            250e9,
            "NOK",
            "2017",
            "2017",
            "evil",
            quote="@SUM(A1) <b>bold</b> \x07bell",
        ),
        _fact("DK-1", "DK", "dk-public-sector", "procurement_volume", 380e9, "DKK", "2017", "2017", "dst"),
        _fact("DK-2", "DK", "co-pi", "annual_funding", 19.6e6, "DKK", "2022", "2022", "dst", bound="approx"),
    ]

    def metric(mid, topic, q, en, nb, da):
        return {
            "metric_id": mid,
            "topic": topic,
            "quantity": q,
            "label_en": en,
            "label_nb": nb,
            "label_da": da,
            "definition_en": en,
        }

    metrics = [
        metric("partner_count", "partners", "count", "Partners", "Partnere", "Partnere"),
        metric("bodies_reached", "reach", "count", "Bodies reached", "Virksomheter nådd", "Organisationer nået"),
        metric("cumulative_savings", "results", "money", "Savings", "Besparelser", "Besparelser"),
        metric("state_grant", "funding", "money", "State grant", "Statstilskudd", "Statstilskud"),
        metric("savings_claim", "results", "money", "Savings claim", "Påstått besparelse", "Påstået besparelse"),
        metric("investment_claim", "results", "money", "Investment", "Investering", "Investering"),
        metric("founded_year", "governance", "year", "Founded", "Etablert", "Etableret"),
        metric("procurement_volume", "procurement", "money", "Procurement", "Innkjøp", "Indkøb"),
        metric("procurement_volume_local", "procurement", "money", "Local", "Kommunale innkjøp", "Kommunale indkøb"),
        metric("annual_funding", "funding", "money", "Funding", "Finansiering", "Finansiering"),
    ]

    def actor(aid, country, name, kind):
        return {
            "actor_id": aid,
            "country": country,
            "name": name,
            "name_en": name,
            "short_name": name,
            "kind": kind,
            "summary_en": f"{name} in English",
            "summary_nb": f"{name} på norsk",
            "summary_da": None,
            "source_id": "summit",
        }

    actors = [
        actor("lup", "NO", "LUP", "programme"),
        actor("ks", "NO", "KS", "municipal_association"),
        actor("co-pi", "DK", "CO-PI", "innovation_centre"),
        actor("kl", "DK", "KL", "municipal_association"),
    ]
    rates = [
        {
            "year": y,
            "base": "EUR",
            "quote": q,
            "rate": r,
            "days": 255,
            "partial": False,
            "method": "ecb_annual_mean",
            "source_id": "ecb",
        }
        for y, q, r in [(2016, "NOK", 9.29), (2016, "DKK", 7.445), (2017, "NOK", 9.327), (2017, "DKK", 7.4386)]
    ]
    population = [
        {"country": c, "date": "2017", "kind": "midyear", "value": v, "source_id": "wb", "quote": str(v)}
        for c, v in [("NO", 5276968), ("DK", 5764980)]
    ]
    counterparts = [
        {
            "role_id": "owner-municipal",
            "role_nb": "Eier (kommunesektoren)",
            "role_da": "Ejer (kommunerne)",
            "role_en": "Owner (municipal sector)",
            "norwegian_holder": "ks",
            "danish_candidates": "kl",
            "fit": "strong",
            "why_en": "Both speak for the municipalities.",
            "why_nb": None,
            "why_da": None,
            "source_id": "summit",
        },
        {
            "role_id": "paying-partners",
            "role_nb": "Betalende partnere",
            "role_da": "Betalende partnere",
            "role_en": "Paying partners",
            "norwegian_holder": "lup",
            "danish_candidates": None,
            "fit": "none",
            "why_en": "No such scheme.",
            "why_nb": None,
            "why_da": None,
            "source_id": "summit",
        },
    ]
    preconditions = [
        {
            "precondition_id": "equal-ownership",
            "label_nb": "Likeverdig eierskap",
            "label_da": "Ligeværdigt ejerskab",
            "label_en": "Equal ownership",
            "status": "missing",
            "evidence_en": "No joint owner.",
            "evidence_nb": None,
            "evidence_da": None,
            "fact_ids": "NO-9",
            "source_id": "summit",
        },
    ]
    relations = [
        {
            "relation_id": "r1",
            "subject": "ks",
            "relation": "owner",
            "object": "lup",
            "start": "2010",
            "end": None,
            "source_id": "summit",
            "note": None,
        }
    ]
    events = [
        {
            "event_id": "e1",
            "country": "NO",
            "date": "2010",
            "subject": "lup",
            "title_nb": "LUP startet",
            "title_da": "LUP startede",
            "title_en": "LUP started",
            "source_id": "summit",
            "note": None,
        }
    ]
    initiatives = [
        {
            "initiative_id": "i1",
            "name": "Partnerskab",
            "name_en": "Partnership",
            "kind": "partnership",
            "owner": "co-pi kl",
            "start": "2019",
            "end": None,
            "summary_nb": None,
            "summary_da": "Et partnerskab",
            "summary_en": "A partnership",
            "url": "https://co-pi.dk",
            "source_id": "dst",
        }
    ]
    tables = {
        "sources": _frame("norway", "sources", sources),
        "facts": _frame("norway", "facts", facts),
        "actors": _frame("norway", "actors", actors),
        "relations": _frame("norway", "relations", relations),
        "events": _frame("norway", "events", events),
        "counterparts": _frame("denmark", "counterparts", counterparts),
        "preconditions": _frame("denmark", "preconditions", preconditions),
        "initiatives": _frame("denmark", "initiatives", initiatives),
        "metrics": _frame("reference", "metrics", metrics),
        "exchange_rates": _frame("reference", "exchange_rates", rates),
        "population": _frame("reference", "population", population),
    }
    return Evidence(root=Path("tiny"), tables=tables, problems=[], version="tiny0version")


@pytest.mark.parametrize("lang", LANGS)
def test_every_registry_table_builds_with_its_columns_and_row_sources(lang: str) -> None:
    from comparisons.outputs.tables import TABLES, export_table, machine_frame

    ev = tiny_evidence()
    for name, spec in TABLES.items():
        frame = machine_frame(name, ev, lang)
        assert list(frame.columns) == [c.key for c in spec.columns] + ["source_ids"], name
        assert len(frame) > 0, name
        table = export_table(name, ev, lang, "2025-03-05")
        cited = {i for ids in table.row_sources for i in ids}
        assert cited and cited <= set(table.sources["source_id"]), name
        for fmt in ex.FORMATS:
            assert ex.export_bytes(table, fmt), (name, fmt)


def test_registry_rows_and_sources_by_hand() -> None:
    from comparisons.outputs.tables import machine_frame

    ev = tiny_evidence()
    facts = machine_frame("facts", ev, "da").set_index("fact_id")
    assert facts.loc["DK-2", "figure"] == "ca. 19.600.000\xa0DKK"  # exact figure in Danish, with its bound
    assert facts.loc["DK-2", "source_ids"] == ("dst",)
    heads = machine_frame("headlines", ev, "nb")
    # rows are looked up by measure, not position, so adding a headline row does not shift them
    partners = gettext_for("nb")("Partners (public bodies with partner agreements)")
    heads = heads[heads["measure"] == partners].reset_index(drop=True)
    assert heads.iloc[0]["figure"] == "29"  # Norway's partners: the latest of 30 (2020-09) and 29 (2021-03)
    assert heads.iloc[0]["other_figures"] == 1 and heads.iloc[0]["source_ids"] == ("lup-2021",)
    assert heads.iloc[1]["figure"] == gettext_for("nb")("not found")  # Denmark: no source gives it
    assert pd.isna(heads.iloc[1]["fact_id"]) and heads.iloc[1]["source_ids"] == ()
    pre = machine_frame("preconditions", ev, "en")
    assert pre.iloc[0]["source_ids"] == ("summit",)  # own source, and that of NO-9 (also summit)
    conflicts = machine_frame("conflicts", ev, "en")
    assert set(conflicts["fact_id"]) == {"NO-1", "NO-2"}
    counterparts = machine_frame("counterparts", ev, "en")
    assert counterparts["danish_candidates"].tolist() == ["KL", "none"]
    actors = machine_frame("actors", ev, "da")
    assert actors.set_index("actor_id").loc["lup", "summary"] == "LUP in English"  # no Danish text: English


def test_registry_headers_go_through_the_translator(monkeypatch: pytest.MonkeyPatch) -> None:
    import comparisons.outputs.tables as tables_module

    monkeypatch.setattr(tables_module, "gettext_for", lambda lang: lambda msgid: f"<{lang}>{msgid}")
    frame = tables_module.translated_frame("facts", tiny_evidence(), "nb")
    assert all(c.startswith("<nb>") for c in frame.columns if c != "source_ids")
    table = tables_module.export_table("sources", tiny_evidence(), "da", "2025-03-05")
    assert table.title == "<da>Sources" and table.labels["publisher"] == "<da>Publisher"
