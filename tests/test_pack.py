"""The decision pack (comparisons/outputs/pack.py) and the `export` and `pack` commands.

The pack is built from the tiny evidence base of tests/test_exports.py (fixed, so expectations can be worked out by
hand); the command-line tests use the shipped data but only check structure and exit codes.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest

from comparisons.cli import main
from comparisons.i18n import gettext_for
from comparisons.measures.headlines import HEADLINE_ROWS
from comparisons.outputs import exports as ex
from comparisons.outputs.pack import Pack, build_pack, plain, whatif_section, write_pack
from comparisons.outputs.tables import TABLES
from tests.test_exports import tiny_evidence

AS_OF = "2025-03-05T10:00:00Z"
LANGS = ("nb", "da", "en")


def _recorder(reports: list[tuple[float, str]]) -> Callable[[float, str], None]:
    return lambda fraction, message: reports.append((fraction, message))


@pytest.fixture(scope="module")
def packs() -> dict[str, tuple[Pack, list[tuple[float, str]]]]:
    """One pack per language, with the progress reports made while building it."""
    built = {}
    for lang in LANGS:
        reports: list[tuple[float, str]] = []
        built[lang] = (build_pack(tiny_evidence(), lang, AS_OF, progress=_recorder(reports)), reports)
    return built


def _brief_text(data: bytes) -> str:
    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


# --- the workbook ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_workbook_has_a_sheet_per_comparison_and_sources_assumptions_conflicts(packs: dict, lang: str) -> None:
    pack, _reports = packs[lang]
    _ = gettext_for(lang)
    book = openpyxl.load_workbook(io.BytesIO(pack.xlsx))
    titles = [_(s.title) for s in TABLES.values() if s.comparison] + [
        _("Conflicting figures"),
        _("Assumptions"),
        _("Sources"),
    ]
    expected: list[str] = []
    for title in titles:
        expected.append(ex.sheet_name(title, expected))
    assert book.sheetnames == expected
    for ws in book.worksheets:
        assert "2025-03-05T10:00:00Z" in ws["A1"].value and "tiny0version" in ws["A1"].value, ws.title
        assert ws.freeze_panes == "A3", ws.title
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row), ws.title  # no live formula anywhere
        assert not ws._hyperlinks, ws.title


def test_workbook_sources_conflicts_and_assumptions_by_hand(packs: dict) -> None:
    from comparisons.measures import whatif_defaults as wd

    pack, _reports = packs["en"]
    book = openpyxl.load_workbook(io.BytesIO(pack.xlsx))
    sources = {r[0].value: [c.value for c in r] for r in book["Sources"].iter_rows(min_row=3)}
    # headline figures (lup-2021: the latest partner count), procurement (ssb, dst), rates behind the chart and
    # the what-if (ecb), the summit claim behind the high ratio; the hostile source is listed as plain text.
    assert {"lup-2021", "ssb", "dst", "ecb", "summit", "evil"} <= set(sources)
    assert sources["evil"][1] == '=HYPERLINK("http://x","y")'  # text, kept so by Excel's quote prefix (issue 16)
    evil_title = next(r[1] for r in book["Sources"].iter_rows(min_row=3) if r[0].value == "evil")
    assert evil_title.data_type == "s" and evil_title.quotePrefix
    conflicts = book["Conflicting figures"]
    header = [c.value for c in conflicts[2]]
    fact_ids = {r[header.index("Figure ID")].value for r in conflicts.iter_rows(min_row=3)}
    assert fact_ids == {"NO-1", "NO-2"}
    assumptions = {r[0].value: r for r in book["Assumptions"].iter_rows(min_row=3)}
    defaults = wd.derive_defaults(tiny_evidence().tables)
    funding = assumptions["Annual public funding"]
    assert funding[1].value == defaults.funding.value and funding[1].data_type == "n"
    # NOK 6 000 000 (2017 grant) at 9.327 / 7.4386 NOK per DKK is DKK 4 785 000, rounded to 100 000
    assert funding[1].value == 4_800_000
    assert funding[4].value == "NO-6" and "lup-2020" in funding[5].value and "ecb" in funding[5].value
    assert assumptions["Savings per krone, high"][1].value == pytest.approx(40.0)  # 400 MNOK / 10 MNOK


# --- the brief ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,as_of,volume",
    [
        ("nb", "5. mars 2025", "500\xa0mrd.\xa0NOK"),
        ("da", "5. marts 2025", "500\xa0mia.\xa0NOK"),
        ("en", "5 March 2025", "NOK\xa0500B"),
    ],
)
def test_brief_sections_figures_and_formats(packs: dict, lang: str, as_of: str, volume: str) -> None:
    pack, _reports = packs[lang]
    _ = gettext_for(lang)
    doc = docx.Document(io.BytesIO(pack.docx))
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith(("Heading", "Title"))]
    for heading in (
        "Key comparison",
        "Charts",
        "What-if: a Danish LUP",
        "Conflicting figures",
        "Open questions",
        "Sources",
    ):
        assert _(heading) in headings
    assert any(as_of in p.text and "tiny0version" in p.text for p in doc.paragraphs[:4])
    key = doc.tables[0]
    assert len(key.rows) == len(HEADLINE_ROWS) + 1
    # rows are found by their measure, so adding a headline row does not shift them
    by_measure = {row.cells[0].text: [c.text for c in row.cells] for row in key.rows[1:]}
    partners = by_measure[_("Partners (public bodies with partner agreements)")]
    assert partners[1].startswith("29\n") and "NO-2" not in partners[1]  # the latest figure, with its note
    assert re.search(r"\[\d+(, \d+)*\]$", partners[1])
    assert partners[2] == _("not found")
    volume_row = by_measure[_("Public procurement per year")]
    assert volume_row[1].startswith(volume)
    assert doc.core_properties.language == {"nb": "nb-NO", "da": "da-DK", "en": "en-GB"}[lang]


def test_brief_has_chart_pictures(packs: dict) -> None:
    pack, _reports = packs["da"]
    doc = docx.Document(io.BytesIO(pack.docx))
    assert len(doc.inline_shapes) == 3  # procurement, partners, what-if band
    with zipfile.ZipFile(io.BytesIO(pack.docx)) as zf:
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
        assert media and all(zf.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in media)


def test_brief_whatif_open_questions_and_sources(packs: dict) -> None:
    pack, _reports = packs["en"]
    text = _brief_text(pack.docx)
    assert "Annual public funding" in text and "4.800.000" not in text and "4,800,000 DKK" in text
    assert "Break-even year" in text
    assert (
        "Partners (public bodies with partner agreements) (Denmark): no source in the evidence base gives this figure."
        in text
    )
    assert "No Danish body found for the LUP role “Paying partners”." in text
    assert "Missing in Denmark: Equal ownership" in text
    assert "Sources disagree on Partners for LUP" in text
    assert "Danmarks Statistik: Offentlige indkøb. 2018." in text


def test_brief_puts_data_in_as_plain_text(packs: dict) -> None:
    pack, _reports = packs["en"]
    text = _brief_text(pack.docx)
    assert "<script>alert(1)</script> & Co" in text  # shown literally, never interpreted
    assert "\x07" not in text
    with zipfile.ZipFile(io.BytesIO(pack.docx)) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in body and "<script>" not in body
    assert "HYPERLINK" not in body.replace('=HYPERLINK("http://x","y")', "")  # no field code, only the text


def test_plain_drops_what_xml_cannot_hold() -> None:
    assert plain("a\x00b\x07c\td\ne\ufffe") == "abc\td\ne"
    assert plain(None) == "" and plain(float("nan")) == ""


def test_progress_runs_from_zero_to_one(packs: dict) -> None:
    _pack, reports = packs["nb"]
    fractions = [f for f, _m in reports]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(isinstance(m, str) and m for _f, m in reports)


def test_pack_is_deterministic_and_named_safely(packs: dict) -> None:
    pack, _reports = packs["da"]
    again = build_pack(tiny_evidence(), "da", AS_OF)
    assert again.xlsx == pack.xlsx and again.docx == pack.docx
    assert pack.docx_name == "lup-beslutningsgrundlag-da-2025-03-05-tiny0version.docx"
    assert pack.xlsx_name == "lup-beslutningsgrundlag-da-2025-03-05-tiny0version.xlsx"
    assert packs["nb"][0].docx_name.startswith("lup-beslutningsgrunnlag-nb-")
    assert packs["en"][0].docx_name.startswith("lup-decision-pack-en-")


def test_whatif_that_cannot_be_computed_says_why() -> None:
    ev = tiny_evidence()
    facts = ev.tables["facts"]
    ev.tables["facts"] = facts[facts["metric"] != "cumulative_savings"].reset_index(drop=True)
    section = whatif_section(ev, "en")
    assert not section.available
    assert section.message.startswith("The what-if could not be computed from the evidence:")
    assert "cumulative savings" in section.message.lower() or "cumulative_savings" in section.message


def test_pack_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        build_pack(tiny_evidence(), "sv", AS_OF)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_both_files_to_pdf(packs: dict, tmp_path: Path) -> None:
    pack, _reports = packs["da"]
    written = write_pack(pack, tmp_path / "pack")
    for path in written:
        out = tmp_path / path.suffix.lstrip(".")
        result = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(path),
            ],
            capture_output=True,
            timeout=240,
            check=False,
        )
        pdf = out / (path.stem + ".pdf")
        assert pdf.exists(), result.stderr.decode(errors="replace")
        assert pdf.read_bytes()[:5] == b"%PDF-"
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, timeout=60, check=True
            ).stdout.decode()
            needle = "Norges LUP og Danmark" if path.suffix == ".docx" else "Hovedsammenligning"
            assert needle in text or gettext_for("da")("Norway's LUP and Denmark: decision brief")[:10] in text
        if shutil.which("pdftoppm") and path.suffix == ".docx":
            subprocess.run(
                ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(out / "page")],
                timeout=60,
                check=True,
            )
            pages = list(out.glob("page*.png"))
            assert pages and pages[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- the command line -----------------------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_export_list_names_every_table() -> None:
    code, out, _err = run("export", "--list")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == list(TABLES)


def test_cli_export_writes_each_format(tmp_path: Path) -> None:
    for fmt in ex.FORMATS:
        target = tmp_path / f"population.{fmt}"
        code, out, err = run(
            "export",
            "--table",
            "population",
            "--format",
            fmt,
            "--lang",
            "da",
            "--out",
            str(target),
            "--as-of",
            "2025-03-05",
        )
        assert code == 0, err
        assert target.exists() and target.stat().st_size > 0 and f"wrote {target}" in out
    assert (tmp_path / "population.nordic-csv").read_bytes()[:3] == ex.UTF8_BOM
    book = openpyxl.load_workbook(tmp_path / "population.xlsx")
    assert "2025-03-05" in book.worksheets[0]["A1"].value


def test_cli_export_into_a_folder_picks_a_safe_name(tmp_path: Path) -> None:
    code, _out, err = run(
        "export",
        "--table",
        "exchange_rates",
        "--format",
        "json",
        "--out",
        str(tmp_path),
        "--as-of",
        "2025-03-05T10:00:00Z",
    )
    assert code == 0, err
    (written,) = list(tmp_path.iterdir())
    assert written.name.startswith("exchange_rates-en-2025-03-05-") and written.suffix == ".json"


@pytest.mark.parametrize(
    "argv,message",
    [
        (["export", "--table", "nope", "--out", "x.csv"], "unknown table 'nope'"),
        (["export", "--table", "facts", "--format", "xls", "--out", "x"], "invalid choice: 'xls'"),
        (["export", "--table", "facts", "--lang", "sv", "--out", "x"], "invalid choice: 'sv'"),
        (["export", "--table", "facts"], "needs --table NAME and --out PATH"),
        (["export", "--table", "facts", "--out", "/no/such/folder/x.csv"], "does not exist"),
        (["export", "--table", "facts", "--out", "x.csv", "--as-of", "yesterday"], "ISO 8601"),
        (["pack", "--lang", "xx", "--out", "d"], "invalid choice: 'xx'"),
    ],
)
def test_cli_bad_values_exit_2_with_a_clear_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _out, err = run(*argv)
    assert code == 2
    assert message in err + capsys.readouterr().err  # argparse writes its own errors to sys.stderr
    assert not any(tmp_path.iterdir())  # nothing written


def test_cli_pack_refuses_a_file_as_folder(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    code, _out, err = run("pack", "--lang", "da", "--out", str(target))
    assert code == 2 and "is not a folder" in err


def test_cli_pack_writes_workbook_and_brief(tmp_path: Path) -> None:
    code, _out, err = run("pack", "--lang", "da", "--out", str(tmp_path / "pack"), "--as-of", "2025-03-05")
    assert code == 0, err
    files = sorted((tmp_path / "pack").iterdir())
    assert [f.suffix for f in files] == [".docx", ".xlsx"]
    assert "100% " in err  # progress on stderr
    assert openpyxl.load_workbook(files[1]).sheetnames[-1] == gettext_for("da")("Sources")
    assert gettext_for("da")("Key comparison") in [p.text for p in docx.Document(str(files[0])).paragraphs]


@pytest.mark.parametrize("lang", LANGS)
def test_main_sheet_is_norway_and_denmark_side_by_side_with_marks(packs: dict, lang: str) -> None:
    pack, _reports = packs[lang]
    _ = gettext_for(lang)
    book = openpyxl.load_workbook(io.BytesIO(pack.xlsx))
    ws = book[ex.sheet_name(_("Key comparison"))]
    header = [c.value for c in ws[2]]
    assert header[:5] == [_("Measure"), _("Norway"), _("Denmark"), _("Comparable?"), _("Why not like for like")]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    measures = [r[0] for r in rows]
    assert measures == [_(row.label) for row in HEADLINE_ROWS]  # one row per measure, not per country
    marks = {_("comparable"), _("not like-for-like"), _("cannot be compared")}
    assert all(r[3] in marks for r in rows)
    # a measure only one country has a figure for says which side is missing
    partners = rows[measures.index(_("Partners (public bodies with partner agreements)"))]
    assert partners[2] == _("not found") and partners[3] == _("cannot be compared")
    assert partners[4] == _("no Danish figure")
