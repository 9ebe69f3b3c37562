"""Downloads in a real browser: click the buttons under a table (Governance) and on the Export page, and read the
files Chromium receives (names, CSV text, the Nordic CSV's BOM, the workbook parsed with openpyxl, the pack).

Each download is built only when its button is clicked (a callable on the server), so this is the test that the
whole path works: popover, button, deferred build, file name and bytes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import docx
import openpyxl
import pytest

from comparisons.evidence.base import data_version
from comparisons.i18n import gettext_for
from comparisons.outputs.exports import FORMATS, UTF8_BOM, sheet_name
from tests.browser import assert_no_error, page_url, wait_for_app
from tests.helpers import DATA
from ui.downloads import slug
from ui.nav import PAGES

pytestmark = pytest.mark.browser

TABLET = 768
DAY = r"\d{4}-\d{2}-\d{2}"


def _index(url_path: str) -> int:
    return next(i for i, p in enumerate(PAGES) if p.url_path == url_path)


def _rows(package: str, resource: str) -> int:
    with open(DATA / package / f"{resource}.csv", encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _row in csv.DictReader(fh))


def _open(new_page, server, url_path: str, lang: str):
    page = new_page(width=TABLET)
    page.goto(page_url(server.base_url, _index(url_path), url_path, {"lang": lang}))
    wait_for_app(page)
    assert_no_error(page, server)
    return page


def _download(page, popover_key: str, fmt: str) -> tuple[str, bytes]:
    """Open the download popover (unless it is open) and click one format; the file's name and bytes."""
    button = page.locator(f".st-key-{popover_key}-{fmt} button:visible")
    if button.count() == 0:
        page.locator(f".st-key-{popover_key} button").first.click()
        button.first.wait_for(state="visible")
    with page.expect_download(timeout=60_000) as info:
        button.first.click()
    download = info.value
    assert download.failure() is None, download.failure()
    return download.suggested_filename, Path(download.path()).read_bytes()


def _name_pattern(title: str, lang: str, fmt: str) -> str:
    spec = FORMATS[fmt]
    return rf"{re.escape(slug(title))}-{lang}-{DAY}-{data_version(DATA)}{re.escape(spec.suffix)}\.{spec.extension}"


def _check_table_files(page, popover_key: str, title: str, lang: str, headers: list[str], rows: int) -> None:
    _ = gettext_for(lang)
    version = data_version(DATA)
    provenance = [_("Sources"), _("Source details"), _("Data as of"), _("Data version")]

    name, data = _download(page, popover_key, "csv")
    assert re.fullmatch(_name_pattern(title, lang, "csv"), name), name
    assert not data.startswith(UTF8_BOM)
    table = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert table[0] == headers + provenance
    assert len(table) - 1 == rows
    assert {r[-1] for r in table[1:]} == {version}
    assert all(r[-4] and r[-3] for r in table[1:])  # every row names its sources, with their details

    name, data = _download(page, popover_key, "nordic-csv")
    assert re.fullmatch(_name_pattern(title, lang, "nordic-csv"), name), name
    assert data.startswith(UTF8_BOM)
    nordic = list(csv.reader(io.StringIO(data[len(UTF8_BOM) :].decode("utf-8"), newline=""), delimiter=";"))
    assert nordic[0] == headers + provenance and len(nordic) - 1 == rows

    name, data = _download(page, popover_key, "xlsx")
    assert re.fullmatch(_name_pattern(title, lang, "xlsx"), name), name
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [sheet_name(title), sheet_name(_("Sources"), [sheet_name(title)])]
    sheet = book.worksheets[0]
    assert version in sheet["A1"].value
    assert [c.value for c in sheet[2]] == [*headers, _("Sources")]
    assert sheet.max_row - 2 == rows
    assert book.worksheets[1].max_row > 2  # the cited sources are listed


def test_downloads_under_the_governance_crosswalk_in_danish(new_page, server) -> None:
    _ = gettext_for("da")
    page = _open(new_page, server, "governance", "da")
    headers = [
        _("LUP role"),
        _("Held in Norway by"),
        _("Danish candidates"),
        _("Fit"),
        _("Gap"),
        _("Why"),
        _("Source"),
        _("Publisher"),
    ]
    _check_table_files(
        page,
        "dl-gov-crosswalk",
        _("LUP's roles and their Danish candidates"),
        "da",
        headers,
        _rows("denmark", "counterparts"),
    )
    assert_no_error(page, server)


def test_downloads_on_the_export_page_and_the_decision_pack(new_page, server) -> None:
    _ = gettext_for("nb")
    page = _open(new_page, server, "export", "nb")
    title = _("Population")
    page.locator('[data-testid="stExpander"] summary', has_text=title).first.click()
    from comparisons.outputs.tables import TABLES

    headers = [_(c.label) for c in TABLES["population"].columns]
    _check_table_files(page, "dl-exp-population", title, "nb", headers, _rows("reference", "population"))
    page.keyboard.press("Escape")

    page.locator(".st-key-exp-pack-build button").click()
    page.locator(".st-key-exp-pack-docx button").first.wait_for(state="visible", timeout=120_000)
    wait_for_app(page)
    assert_no_error(page, server)
    version = data_version(DATA)
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-exp-pack-xlsx button:visible").first.click()
    assert re.fullmatch(rf"lup-beslutningsgrunnlag-nb-{DAY}-{version}\.xlsx", info.value.suggested_filename)
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.sheetnames[0] == sheet_name(_("Key comparison")) and book.sheetnames[-1] == _("Sources")
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-exp-pack-docx button:visible").first.click()
    assert re.fullmatch(rf"lup-beslutningsgrunnlag-nb-{DAY}-{version}\.docx", info.value.suggested_filename)
    brief = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert _("Key comparison") in [p.text for p in brief.paragraphs]
    assert brief.core_properties.language == "nb-NO"
