"""The Export page, the download bars under every page's tables and charts, and the byte builders behind them.

AppTest cannot fetch a download, so `st.download_button` is wrapped (monkeypatch) to record what each button was
given: the tests check labels and file names on the page, that nothing is built before a click (the data is a
callable, `on_click="ignore"`), and then call the recorded callables themselves and read the bytes (CSV, Nordic
CSV, XLSX with openpyxl, Parquet, JSON, PNG/SVG, the pack's XLSX and DOCX). The plain helpers of ui/downloads.py
are tested on small frames with hand-computed expectations.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import docx
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
import streamlit
from streamlit.testing.v1.element_tree import DownloadButton

import comparisons.outputs.exports as ex
import comparisons.outputs.pack as pack_module
from comparisons.evidence.base import load_evidence
from comparisons.i18n import gettext_for
from comparisons.models.parts import sources_of_facts
from comparisons.outputs.tables import TABLES, export_table, fact_sources, machine_frame, registry_preview
from tests.helpers import (
    DATA,
    LANGS,
    all_text,
    download_popovers,
    open_all,
    open_details,
    open_downloads,
    open_page,
    openable_keys,
)
from ui import downloads as dl

PAGE = "export"
DAY = r"\d{4}-\d{2}-\d{2}"
NORDIC_LABEL = "CSV for Nordic Excel (semicolon, decimal comma)"


@pytest.fixture(scope="module")
def ev():
    return load_evidence(DATA)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Every st.download_button call of the page runs that follow, with its arguments (the button is still drawn)."""
    calls: list[dict] = []
    original = streamlit.download_button

    def record(label, data=None, file_name=None, mime=None, key=None, **kwargs):
        calls.append({"label": label, "data": data, "file_name": file_name, "mime": mime, "key": key, **kwargs})
        return original(label, data=data, file_name=file_name, mime=mime, key=key, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", record)
    return calls


@pytest.fixture
def no_bytes_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Formats written by comparisons.outputs.exports while the test runs (a page run must write none)."""
    written: list[str] = []
    original = ex.export_bytes

    def counting(table, fmt):
        written.append(fmt)
        return original(table, fmt)

    monkeypatch.setattr(ex, "export_bytes", counting)
    return written


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict]]:
    """Every decision pack the page builds: language, progress reports and the Pack. The pack cache starts empty."""
    dl.pack_slot.clear()
    made: list[dict] = []
    original = pack_module.build_pack

    def counting(ev, lang, as_of, progress=None, whatif_inputs=None):
        reports: list[tuple[float, str]] = []

        def report(fraction: float, message: str) -> None:
            reports.append((fraction, message))
            if progress is not None:
                progress(fraction, message)

        pack = original(ev, lang, as_of, progress=report, whatif_inputs=whatif_inputs)
        made.append({"lang": lang, "reports": reports, "pack": pack})
        return pack

    monkeypatch.setattr(pack_module, "build_pack", counting)
    yield made
    dl.pack_slot.clear()


def help_file(button: DownloadButton) -> str:
    """The file name a button's tooltip names ("Saves `name`")."""
    found = re.search(r"`([^`]+)`", button.help or "")
    assert found, f"no file name in the tooltip of {button.label!r}: {button.help!r}"
    return found.group(1)


def open_tables(at):
    """Open every table's expander on the Export page, as a reader clicking each would."""
    return open_all(at, "exp-open-")


def stem_pattern(title: str, lang: str, version: str, fmt: str) -> str:
    spec = ex.FORMATS[fmt]
    return rf"{re.escape(dl.slug(title))}-{lang}-{DAY}-{version}{re.escape(spec.suffix)}\.{spec.extension}"


def read_csv(data: bytes, sep: str = ",") -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))


# --- the Export page ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_export_page_lists_every_table_with_downloads_and_preview(
    lang: str,
    ev,
    recorded: list[dict],
    no_bytes_built: list[str],
) -> None:
    _ = gettext_for(lang)
    closed = open_page(PAGE, lang)
    assert not closed.exception and not closed.error
    # Closed, the tables are listed by title only: nothing inside is drawn (nor built).
    assert [e.label for e in closed.expander] == [_(spec.title) for spec in TABLES.values()]
    assert not closed.dataframe and not download_popovers(closed)
    assert openable_keys(closed, "exp-open-") == [f"exp-open-{name}" for name in TABLES]
    at = open_downloads(open_tables(closed))
    assert not at.exception and not at.error
    assert at.title[0].value == _("Export")
    titles = [_(spec.title) for spec in TABLES.values()]
    assert [e.label for e in at.expander] == titles
    if lang != "en":  # the registry's titles are translated in the catalogs
        assert titles[0] != "Key comparison" and _(NORDIC_LABEL) != NORDIC_LABEL
    for expander, (name, spec) in zip(at.expander, TABLES.items(), strict=True):
        buttons = expander.download_button
        assert [b.label for b in buttons] == [_(ex.FORMATS[f].label) for f in dl.TABLE_FORMATS], name
        for button, fmt in zip(buttons, dl.TABLE_FORMATS, strict=True):
            assert re.fullmatch(stem_pattern(_(spec.title), lang, ev.version, fmt), help_file(button)), help_file(
                button
            )
        (preview,) = expander.dataframe
        frame = machine_frame(name, ev, lang)
        assert len(preview.value) == len(frame), name
        assert list(preview.value.columns) == [_(c.label) for c in spec.columns] + [_("Sources")], name
    # The figures table shows each row's sources as text, in the reader's language's headers.
    facts = at.expander[list(TABLES).index("facts")].dataframe[0].value
    assert facts[_("Sources")].str.len().gt(0).all()
    # Nothing was built while drawing the page; every button builds on its click and does not rerun the page.
    assert no_bytes_built == []
    assert recorded and all(callable(c["data"]) and c["on_click"] == "ignore" for c in recorded)


def test_registry_downloads_deliver_the_registry_table(ev, recorded: list[dict]) -> None:
    """Calling the recorded callables gives the same files as comparisons.outputs.tables + exports, in Danish."""
    _ = gettext_for("da")
    at = open_downloads(open_tables(open_page(PAGE, "da")))
    assert not at.exception
    by_key = {c["key"]: c for c in recorded}
    csv_call = by_key["dl-exp-population-csv"]
    rows = read_csv(csv_call["data"]())
    expected = export_table("population", ev, "da", "2026-01-01")
    assert rows[0] == [expected.labels[c] for c in expected.columns] + [
        _("Sources"),
        _("Source details"),
        _("Data as of"),
        _("Data version"),
    ]
    assert len(rows) - 1 == len(expected.frame)
    assert {r[-1] for r in rows[1:]} == {ev.version}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", r[-2]) for r in rows[1:])
    nordic = by_key["dl-exp-population-nordic-csv"]["data"]()
    assert nordic[:3] == ex.UTF8_BOM and b";" in nordic.split(b"\r\n")[0]
    book = openpyxl.load_workbook(io.BytesIO(by_key["dl-exp-population-xlsx"]["data"]()))
    assert book.sheetnames == [_("Population"), _("Sources")]
    assert ev.version in book.worksheets[0]["A1"].value
    assert by_key["dl-exp-population-xlsx"]["file_name"].endswith(".xlsx")
    table = pq.read_table(io.BytesIO(by_key["dl-exp-population-parquet"]["data"]()))
    assert table.num_rows == len(expected.frame) and table.schema.metadata[b"lup.data_version"] == ev.version.encode()
    document = json.loads(by_key["dl-exp-population-json"]["data"]())
    assert document["metadata"]["language"] == "da" and len(document["records"]) == len(expected.frame)


@pytest.mark.parametrize("lang", LANGS)
def test_pack_button_builds_with_progress_then_offers_two_downloads(
    lang: str,
    ev,
    builds: list[dict],
    recorded: list[dict],
) -> None:
    _ = gettext_for(lang)
    at = open_page(PAGE, lang)
    assert not [b for b in at.download_button if b.key and b.key.startswith("exp-pack")]  # nothing before the click
    assert builds == []
    at.button(key="exp-pack-build").click().run()
    assert not at.exception and not at.error
    assert [b["lang"] for b in builds] == [lang]
    fractions = [f for f, _m in builds[0]["reports"]]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    pack = builds[0]["pack"]
    offered = [b for b in at.download_button if b.key and b.key.startswith("exp-pack")]
    assert [b.label for b in offered] == [_("Workbook (XLSX)"), _("Brief (DOCX)")]
    names = [help_file(b) for b in offered]
    assert names == [pack.xlsx_name, pack.docx_name]
    stem = {"nb": "lup-beslutningsgrunnlag", "da": "lup-beslutningsgrundlag", "en": "lup-decision-pack"}[lang]
    assert all(re.fullmatch(rf"{stem}-{lang}-{DAY}-{ev.version}\.(xlsx|docx)", n) for n in names)
    assert any(
        _("The decision pack is ready: data as of {as_of}, data version {version}.").format(
            as_of=pack.stamp.as_of, version=ev.version
        )
        == s.value
        for s in at.success
    )
    # The recorded buttons hand over exactly the pack's bytes, in the chosen language.
    calls = {c["key"]: c for c in recorded}
    xlsx, docx_bytes = calls["exp-pack-xlsx"]["data"](), calls["exp-pack-docx"]["data"]()
    assert xlsx == pack.xlsx and docx_bytes == pack.docx
    assert openpyxl.load_workbook(io.BytesIO(xlsx)).sheetnames[-1] == _("Sources")
    headings = [
        p.text
        for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    assert _("Key comparison") in headings
    # A rerun (any other widget) keeps offering the same pack without building it again.
    at.run()
    assert [b.key for b in at.download_button if b.key and b.key.startswith("exp-pack")] == [
        "exp-pack-xlsx",
        "exp-pack-docx",
    ]
    assert len(builds) == 1


def test_a_second_request_for_the_pack_is_served_from_the_cache(builds: list[dict]) -> None:
    first = open_page(PAGE, "da")
    first.button(key="exp-pack-build").click().run()
    assert len(builds) == 1
    second = open_page(PAGE, "da")  # another session, same data version and language
    second.button(key="exp-pack-build").click().run()
    assert not second.exception and len(builds) == 1
    names = {help_file(b) for b in second.download_button if b.key and b.key.startswith("exp-pack")}
    assert names == {builds[0]["pack"].xlsx_name, builds[0]["pack"].docx_name}
    other = open_page(PAGE, "nb")  # another language is another pack
    other.button(key="exp-pack-build").click().run()
    assert [b["lang"] for b in builds] == ["da", "nb"]


def test_language_round_trips_and_hostile_parameters_fall_back() -> None:
    at = open_page(PAGE, "da")
    value = at.query_params["lang"]
    lang = value[0] if isinstance(value, list) else value
    assert lang == "da"
    reopened = open_page(PAGE, lang)  # the link reopens the same view
    assert [e.label for e in reopened.expander] == [e.label for e in at.expander]
    assert next(e.label for e in at.expander) == gettext_for("da")("Key comparison")
    hostile = open_page(PAGE, "<script>alert(1)</script>")
    assert not hostile.exception and not hostile.error
    assert hostile.title[0].value == "Export"  # English, the default
    assert [e.label for e in hostile.expander] == [s.title for s in TABLES.values()]
    assert "<script>" not in all_text(hostile)
    value = hostile.query_params["lang"]
    assert (value[0] if isinstance(value, list) else value) == "en"  # the link now holds the language shown


def test_export_view_is_built_once_per_data_version_and_language() -> None:
    from comparisons.models.export import export_view

    ev = load_evidence(DATA, validate=False)
    export_view.clear()
    first = export_view(ev, "da")
    assert export_view(ev, "da") is first  # shared, not rebuilt
    assert [t.name for t in first.tables] == list(TABLES)
    assert export_view(ev, "nb") is not first  # another language is another entry
    ev.version = "another-version"  # what a saved edit does to the key
    assert export_view(ev, "da") is not first


# --- the download bars on the other pages ------------------------------------------------------------------------

# Per page: the names (English msgids) of the tables and charts that carry downloads, and the key of one table
# whose CSV is read back.
PAGE_DOWNLOADS: dict[str, tuple[tuple[str, ...], str]] = {
    "overview": (("Key comparison", "Milestones in Norway and Denmark"), "dl-ov-headlines-csv"),
    "governance": (
        ("Owners and steering group over time", "Milestones", "LUP's roles and their Danish candidates"),
        "dl-gov-crosswalk-csv",
    ),
    "partners": (("Partner counts over time", "Kinds of partners named in the sources"), "dl-par-counts-table-csv"),
    "procurement": (
        (
            "Total public procurement over time",
            "Every figure, original and converted",
            "Sub-totals: local government, regions, state",
        ),
        "dl-vol-totals-csv",
    ),
    "results": (("State grants by year", "Where sources disagree", "The evidence ledger"), "dl-res-ledger-csv"),
    "actors": (("The register", "Key figures of the actors shown", "Initiatives"), "dl-act-register-csv"),
    "sources": (("All sources",), "dl-src-table-csv"),
}
CHARTS = {
    "overview": "dl-ov-milestones",
    "governance": "dl-gov-timeline",
    "partners": "dl-par-counts",
    "procurement": "dl-procurement-volume",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", list(PAGE_DOWNLOADS))
def test_every_page_has_download_bars_that_build_on_click(
    page: str,
    lang: str,
    ev,
    recorded: list[dict],
    no_bytes_built: list[str],
) -> None:
    _ = gettext_for(lang)
    at = open_downloads(open_details(open_page(page, lang)))
    assert not at.exception and not at.error
    names, csv_key = PAGE_DOWNLOADS[page]
    files = [help_file(b) for b in at.download_button]
    for name in names:
        assert any(re.fullmatch(stem_pattern(_(name), lang, ev.version, "csv"), f) for f in files), (name, files)
        assert any(re.fullmatch(stem_pattern(_(name), lang, ev.version, "nordic-csv"), f) for f in files), name
    assert no_bytes_built == []
    assert all(callable(c["data"]) and c["on_click"] == "ignore" for c in recorded)
    # Each table's five buttons, in order, with the export engine's translated labels.
    table_buttons = [b for b in at.download_button if b.key and b.key.startswith(csv_key.removesuffix("-csv"))]
    assert [b.label for b in table_buttons] == [_(ex.FORMATS[f].label) for f in dl.TABLE_FORMATS]
    # The CSV, read back: the shown headers, then the sources and the stamp of every row.
    rows = read_csv(next(c for c in recorded if c["key"] == csv_key)["data"]())
    assert rows[0][-4:] == [_("Sources"), _("Source details"), _("Data as of"), _("Data version")]
    assert len(rows) > 1 and {r[-1] for r in rows[1:]} == {ev.version}
    cited = [r for r in rows[1:] if r[-4]]
    assert cited, "no row names a source"
    known = set(ev["sources"]["source_id"])
    assert all(set(r[-4].split()) <= known and r[-3] for r in cited)
    if page in CHARTS:
        chart = [b for b in at.download_button if b.key in (f"{CHARTS[page]}-png", f"{CHARTS[page]}-svg")]
        assert [b.label for b in chart] == [_("Picture (PNG)"), _("Vector graphic (SVG)")]
        assert help_file(chart[0]).endswith(".png") and f"-{lang}-" in help_file(chart[0])


@pytest.mark.parametrize("page", [*PAGE_DOWNLOADS, PAGE])
def test_download_popovers_draw_their_buttons_only_when_opened(
    page: str, recorded: list[dict], no_bytes_built: list[str]
) -> None:
    """A closed popover draws nothing inside (most of a page's elements otherwise); opening one reruns the page
    and draws that popover's buttons only; closing it again removes them."""
    at = open_details(open_page(page, "nb"))  # e.g. the Export page's popovers sit inside its tables' expanders
    keys = download_popovers(at)
    assert len(keys) >= 2, keys
    assert not at.download_button and recorded == []
    first = keys[0]
    at.session_state[first] = True
    at.run()
    assert not at.exception and not at.error
    drawn = [b.key for b in at.download_button]
    assert drawn and all(k and k.startswith(f"{first}-") for k in drawn), (first, drawn)
    assert download_popovers(at) == keys  # the page's popovers stay where they were
    assert no_bytes_built == []  # drawn, not built
    at.session_state[first] = False
    at.run()
    assert not at.download_button


def test_chart_downloads_are_pictures_in_the_readers_language(recorded: list[dict]) -> None:
    _ = gettext_for("da")
    at = open_downloads(open_page("overview", "da"))
    assert not at.exception
    calls = {c["key"]: c for c in recorded}
    png = calls["dl-ov-milestones-png"]["data"]()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    svg = calls["dl-ov-milestones-svg"]["data"]().decode("utf-8")
    assert svg.startswith("<svg") and _("Date") in svg and _("Milestones in Norway and Denmark") in svg
    assert calls["dl-ov-milestones-png"]["file_name"] == dl.chart_file_name(
        _("Milestones in Norway and Denmark"), "da", dl.now_stamp("x"), "png"
    )


# --- the plain helpers ---------------------------------------------------------------------------------------------

STAMP = ex.Stamp.of("2026-01-05T10:00:00Z", "abc123def456")
SOURCES = pd.DataFrame(
    {
        "source_id": ["s1", "s2"],
        "title": ["Årsrapport", "Statistik"],
        "publisher": ["LUP", "Danmarks Statistik"],
        "published": ["2020", "2021-03"],
        "url": ["https://a.example", None],
        "document": [None, "x.txt"],
        "reliability": ["primary", "secondary"],
    }
)


def shown_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Navn": ["Ærø", "=SUM(A1)"],
            "Værdi": [1234.5, -2.0],
            "Match": [["Delvis"], ["Stærk", "Ingen"]],
            "Hul": [True, False],
        }
    )


def test_row_sources_from_a_column_a_list_or_nothing() -> None:
    frame = pd.DataFrame({"a": [1, 2, 3], "src": ["s1 s2", None, "s2;s1"]})
    assert dl.row_sources(frame, "src") == [("s1", "s2"), (), ("s2", "s1")]
    assert dl.row_sources(frame, [("s1",), "s2, s1", float("nan")]) == [("s1",), ("s2", "s1"), ()]
    assert dl.row_sources(frame, pd.Series(["s1", "s1", "s1"], index=[7, 8, 9])) == [("s1",)] * 3
    assert dl.row_sources(frame, None) == [(), (), ()]
    with pytest.raises(ValueError, match="2 source entries for 3 rows"):
        dl.row_sources(frame, ["s1", "s2"])


def test_export_frame_makes_headers_unique_and_lists_text_without_touching_the_input() -> None:
    frame = pd.DataFrame([[1, 2, ["a", "b"]]], columns=["Kilde", "Kilde", "Match"], index=[5])
    out = dl.export_frame(frame)
    assert list(out.columns) == ["Kilde", "Kilde (2)", "Match"]
    assert out.loc[0, "Match"] == "a, b" and list(out.index) == [0]
    assert frame.iloc[0, 2] == ["a", "b"] and list(frame.columns) == ["Kilde", "Kilde", "Match"]


@pytest.mark.parametrize(
    "name,lang,fmt,expected",
    [
        ("Nøgletal og kilder", "da", "csv", "nogletal-og-kilder-da-2026-01-05-abc123def456.csv"),
        ("Nøgletal og kilder", "da", "nordic-csv", "nogletal-og-kilder-da-2026-01-05-abc123def456-nordic.csv"),
        ("Milepæler i Norge og Danmark", "nb", "xlsx", "milepaeler-i-norge-og-danmark-nb-2026-01-05-abc123def456.xlsx"),
        ("LUP's roles / ../etc", "en", "json", "lup-s-roles-etc-en-2026-01-05-abc123def456.json"),
        ("Årsrapport", "nb", "parquet", "aarsrapport-nb-2026-01-05-abc123def456.parquet"),
    ],
)
def test_file_names_are_safe_and_in_the_readers_language(name: str, lang: str, fmt: str, expected: str) -> None:
    assert dl.file_name(name, lang, STAMP, fmt) == expected


def test_chart_file_names() -> None:
    assert dl.chart_file_name("Milepæler i Norge", "nb", STAMP, "png") == "milepaeler-i-norge-nb-2026-01-05.png"
    assert dl.chart_file_name("Indkøb", "da", STAMP, "svg") == "indkob-da-2026-01-05.svg"


def test_now_stamp_is_utc_whole_seconds_with_the_data_version() -> None:
    stamp = dl.now_stamp("v1", datetime(2026, 1, 5, 10, 0, 0, 123456, tzinfo=UTC))
    assert stamp == ex.Stamp("2026-01-05T10:00:00Z", "v1")


def test_page_table_bytes_carry_sources_stamp_and_the_shown_headers() -> None:
    table = dl.page_table(shown_frame(), ["s1", "s2 s1"], SOURCES, "Nøgletal", "da", STAMP)
    rows = read_csv(dl.table_bytes(table, "csv"))
    _ = gettext_for("da")
    assert rows[0] == [
        "Navn",
        "Værdi",
        "Match",
        "Hul",
        _("Sources"),
        _("Source details"),
        _("Data as of"),
        _("Data version"),
    ]
    assert _("Sources") == "Kilder"  # the provenance headers are in the table's language
    assert rows[1][:4] == ["Ærø", "1234.5", "Delvis", "true"]
    assert rows[2][:4] == ["'=SUM(A1)", "-2", "Stærk, Ingen", "false"]  # formula text neutralised, numbers kept
    assert rows[1][-4:] == ["s1", "LUP: Årsrapport (2020) https://a.example", STAMP.as_of, STAMP.data_version]
    assert rows[2][-4] == "s2 s1"
    nordic = dl.table_bytes(table, "nordic-csv")
    assert nordic[:3] == ex.UTF8_BOM
    assert read_csv(nordic, ";")[1][:2] == ["Ærø", "1234,5"]
    book = openpyxl.load_workbook(io.BytesIO(dl.table_bytes(table, "xlsx")))
    assert book.sheetnames[0] == "Nøgletal"
    sheet = book.worksheets[0]
    assert STAMP.data_version in sheet["A1"].value and sheet["B3"].value == 1234.5 and sheet["A4"].value == "=SUM(A1)"
    assert sheet["A4"].data_type == "s" and sheet["A4"].quotePrefix  # text by Excel's quote prefix, no apostrophe
    listed = [r[0].value for r in book.worksheets[1].iter_rows(min_row=3)]
    assert listed == ["s1", "s2"]  # the cited sources, in order of first citation
    document = json.loads(dl.table_bytes(table, "json"))
    assert (
        document["records"][1]["source_ids"] == ["s2", "s1"] and document["metadata"]["data_version"] == "abc123def456"
    )
    assert pq.read_table(io.BytesIO(dl.table_bytes(table, "parquet"))).num_rows == 2


def test_registry_table_is_the_registry_export(ev) -> None:
    stamp = ex.Stamp.of("2026-01-05T10:00:00Z", ev.version)
    for fmt in ("csv", "nordic-csv", "json"):
        assert dl.table_bytes(dl.registry_table("counterparts", ev, "nb", stamp), fmt) == ex.export_bytes(
            export_table("counterparts", ev, "nb", stamp.as_of), fmt
        )


def test_registry_preview_translates_headers_and_lists_sources(ev) -> None:
    _ = gettext_for("da")
    preview = registry_preview("sources", ev, "da")
    assert list(preview.columns) == [_(c.label) for c in TABLES["sources"].columns] + [_("Sources")]
    assert (preview[_("Sources")] == preview[_("Source ID")]).all()  # a source cites itself
    assert "source_ids" not in preview.columns


def test_sources_of_facts_follow_derived_figures() -> None:
    lookup = {"F1": ("s1",), "F2": ("s2",), "D1": ("s3", "s1", "s2")}  # D1 is derived from F1 and F2
    assert sources_of_facts(lookup, ["D1", "F2 F1", "", None, "no-such-fact", ["F1", "F1"]]) == [
        ("s3", "s1", "s2"),
        ("s2", "s1"),
        (),
        (),
        (),
        ("s1",),
    ]


def test_fact_sources_of_the_shipped_data_name_the_sources_of_derived_figures(ev) -> None:
    facts = ev["facts"]
    own = dict(zip(facts["fact_id"], facts["source_id"], strict=True))
    derived = facts[facts["derived_from"].fillna("") != ""]
    assert len(derived), "the shipped data has derived figures"
    row = derived.iloc[0]
    expected = tuple(dict.fromkeys([row["source_id"]] + [own[f] for f in str(row["derived_from"]).split() if f in own]))
    assert sources_of_facts(fact_sources(ev), [row["fact_id"]]) == [expected]


def test_appsession_free_helpers_do_not_need_a_running_app() -> None:
    """The byte builders are callable from any thread without Streamlit (the download callables run there)."""
    import threading

    out: list[bytes] = []
    thread = threading.Thread(
        target=lambda: out.append(
            dl.table_bytes(dl.page_table(shown_frame(), ["s1", "s2"], SOURCES, "X", "en", STAMP), "csv")
        )
    )
    thread.start()
    thread.join()
    assert out and out[0].startswith(b"Navn,")


# --- the speed-ups keep behaviour ---------------------------------------------------------------------------------


def test_remembered_steps_are_keyed_by_content_not_identity() -> None:
    from comparisons.outputs.tables import remembered

    calls: list[int] = []

    def step(frame: pd.DataFrame) -> pd.DataFrame:
        calls.append(len(frame))
        return frame.assign(total=frame["v"].sum())

    frame = pd.DataFrame({"k": ["a", "b"], "v": [1.0, 2.0]})
    first = remembered("test-step", step, frame)
    again = remembered("test-step", step, frame.copy())  # another object, same content: remembered
    assert calls == [2] and again.equals(first)
    again.loc[0, "total"] = -1  # a caller changing its copy changes nothing for the next caller
    assert remembered("test-step", step, frame)["total"].tolist() == [3.0, 3.0]
    edited = frame.copy()
    edited.loc[1, "v"] = 5.0  # an edited evidence base is never served the old answer
    assert remembered("test-step", step, edited)["total"].tolist() == [6.0, 6.0] and calls == [2, 2]
    assert remembered("test-step", step, frame.astype({"v": "Float64"}))["total"].iloc[0] == 3.0
    assert len(calls) == 3  # another dtype is another content


def test_pack_is_the_same_with_pictures_rendered_on_the_worker_or_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_exports import tiny_evidence

    fast = pack_module.build_pack(tiny_evidence(), "da", "2025-03-05T10:00:00Z")
    monkeypatch.setattr(pack_module, "_render_later", lambda pool, chart, lang: None)  # each picture made in place
    inline = pack_module.build_pack(tiny_evidence(), "da", "2025-03-05T10:00:00Z")
    assert fast.xlsx == inline.xlsx and fast.docx == inline.docx
    assert len(docx.Document(io.BytesIO(fast.docx)).inline_shapes) == 3


def test_prepare_warms_up_without_changing_anything(ev) -> None:
    before = {name: frame.copy() for name, frame in ev.tables.items()}
    pack_module.prepare(ev)
    pack_module.prepare(ev)  # the second call is free
    assert all(before[name].equals(frame) for name, frame in ev.tables.items())
    assert pack_module._chart_renderer() is pack_module._chart_renderer()
