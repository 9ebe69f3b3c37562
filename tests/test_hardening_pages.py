"""Issue 16, the pages: data cannot inject Markdown (links, images), a source without a web address gets no link,
and the curation page parses an upload once and asks for the encoding when it cannot be told.

Rendered through AppTest on a private copy of the data (LUP_DATA_DIR); the Markdown each element would draw is
rendered with markdown-it, and no image and no link to a host named by the data may come out."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import markdown_it
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.evidence import importer
from tests.helpers import REPO, TIMEOUT, copy_data, open_all, open_page
from tests.minimal_data import edit_csv

# A web address that breaks out of the citation's link, and a short name with an image and a link in it.
HOSTILE_URL = "https://x/>) ![b](http://host/p.png) [phish](http://evil/)"
HOSTILE_NAME = "![x](http://host/p.png) [y](http://evil/)"
PACKAGES = ("norway", "denmark", "reference")


def markdown_of(at: AppTest) -> list[str]:
    """Every text the page hands to Streamlit's Markdown renderer: Markdown, captions, alerts, headings, and the
    labels of metrics, widgets, expanders and popovers."""
    texts: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        texts += [str(e.value) for e in getattr(at, kind)]
    texts += [str(m.label) for m in at.metric]
    for kind in ("selectbox", "multiselect", "text_input", "number_input", "slider", "toggle", "radio"):
        texts += [str(w.label) for w in getattr(at, kind)]
    return texts


def injected(texts: list[str]) -> list[str]:
    """The texts that would draw an image, or a link to a host the data named."""
    md = markdown_it.MarkdownIt("commonmark")
    bad = []
    for text in texts:
        html = md.render(text)
        if "<img" in html or re.search(r'href="[^"]*(host|evil)', html):
            bad.append(text)
    return bad


@pytest.fixture
def hostile_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_data(tmp_path)

    def hostile_urls(rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["url"]:
                row["url"] = HOSTILE_URL

    def hostile_names(rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["short_name"]:
                row["short_name"] = HOSTILE_NAME

    for package in PACKAGES:
        edit_csv(root / package / "sources.csv", hostile_urls)
    for package in ("norway", "denmark"):
        edit_csv(root / package / "actors.csv", hostile_names)
    monkeypatch.setenv("LUP_DATA_DIR", str(root))
    return root


def test_the_overview_draws_no_image_or_link_from_names_and_urls(hostile_root: Path) -> None:
    """Before: an actor's short name with `![x](...)` rendered on the overview's metric labels, and a source URL
    such as `https://x/>) ![b](...)` broke out of the citation's link: images loaded from another host."""
    at = open_page("overview")
    assert not at.exception and not at.error, [e.value for e in at.error]
    labels = [m.label for m in at.metric]
    assert any("host/p" in label for label in labels)  # the short name is shown, as text
    at = open_all(at, "cite-")
    texts = markdown_of(at)
    assert any("phish" in t for t in texts)  # the citations are open, the address is shown
    assert injected(texts) == []


def test_the_sources_page_draws_no_image_or_link_from_a_url(hostile_root: Path) -> None:
    at = open_page("sources", params={"src_id": "doc-000"})
    assert not at.exception and not at.error
    assert at.selectbox(key="src_id").value == "doc-000"
    assert injected(markdown_of(at)) == []  # the address is not a plain web address: no link, and no line


def test_a_source_without_a_web_address_gets_no_link() -> None:
    """Before: the Sources page drew a link to "nan" for a source without a web address."""
    at = open_page("sources", params={"src_id": "doc-001"})
    assert not at.exception
    texts = markdown_of(at)
    assert not any("nan" in t.split() or "(nan)" in t or "<nan>" in t for t in texts), texts
    html = markdown_it.MarkdownIt("commonmark").render("\n\n".join(at.markdown.values))
    assert "href" not in html


def test_md_link_makes_links_only_of_plain_web_addresses() -> None:
    from comparisons.models.figure import md_link

    assert md_link("https://example.org/a?b=1") == r"[https\://example\.org/a?b=1](https://example.org/a?b=1)"
    for hostile in (HOSTILE_URL, "javascript:alert(1)", "https://x/a b", "https://x/(y)", "http://x/<z>", None):
        html = markdown_it.MarkdownIt("commonmark").render(md_link(hostile) or "")
        assert "href" not in html and "<img" not in html, hostile
    assert md_link(float("nan")) == ""


# --- the curation page ---------------------------------------------------------------------------------------------


@pytest.fixture
def editable_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_data(tmp_path)
    monkeypatch.setenv("LUP_DATA_DIR", str(root))
    monkeypatch.setenv("LUP_EDITING", "1")
    return root


def curation() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "en"
    at.run()
    return at.switch_page("pages/curation.py").run()


def polish_csv() -> bytes:
    row = {
        "actor_id": "lodz-miasto",
        "country": "DK",
        "name": "Łódź (miasto)",
        "name_en": "Łódź",
        "kind": "municipality",
        "summary_nb": "By.",
        "summary_da": "By.",
        "summary_en": "City.",
        "source_id": "doc-004",
    }
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(row), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(row)
    return buf.getvalue().encode("iso-8859-2")


def test_an_upload_is_parsed_once_not_on_every_rerun(editable_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the uploaded file was parsed again on every rerun (typing one letter of your name took 27 s)."""
    calls: list[str] = []
    real = importer.read_table

    def counting(data: bytes, filename: str, encoding: str | None = None) -> importer.ReadTable:
        calls.append(filename)
        return real(data, filename, encoding)

    monkeypatch.setattr(importer, "read_table", counting)
    at = curation()
    row = "actor_id;country;name;name_en;kind;summary_nb;summary_da;summary_en;source_id\n"
    row += "aeroe;DK;Ærø Kommune;Ærø;municipality;x;x;x;doc-004\n"
    at = at.file_uploader[0].upload("aeroe.csv", row.encode("utf-8"), "text/csv").run()
    assert not at.exception and calls == ["aeroe.csv"]
    for letters in ("a", "an", "ann", "anna"):
        at.text_input(key="cur_who").input(letters).run()
    assert not at.exception and calls == ["aeroe.csv"]


def test_the_curation_page_asks_for_the_encoding_with_a_preview(editable_root: Path) -> None:
    """Before: a Latin-2 file was read as Windows-1252 and 'Łódź' saved as '£ód¼'."""
    at = curation().file_uploader[0].upload("polish.csv", polish_csv(), "text/csv").run()
    assert not at.exception
    assert at.warning and "not UTF\\-8" in at.warning[0].value.replace("UTF-8", "UTF\\-8")
    preview = at.dataframe[-1].value
    shown = preview.astype(str).to_csv(index=False)
    assert "Łódź" in shown and "£ód¼" in shown
    choice = next(s for s in at.selectbox if s.label == "Encoding of the file")
    assert choice.value is None and not any(b.key and b.key.startswith("cur_apply_") for b in at.button)
    choice.set_value("iso-8859-2").run()
    assert not at.exception
    added = [df.value for df in at.dataframe if "actor_id" in df.value.columns and len(df.value) == 1]
    assert added and added[-1].loc[0, "name"] == "Łódź (miasto)"
    assert any(b.key and b.key.startswith("cur_apply_") for b in at.button)
