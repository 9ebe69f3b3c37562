"""Read-only mode in a real browser: no page offers to change the data.

The read-only server (conftest's `server`, which pins LUP_EDITING=0) is visited page by page, and /curation is
opened directly by its URL; on none of them is there a data editor, a file uploader, a name field for the change
log, or a save, apply or reload button, also inside expanders and tabs. So that these checks cannot pass by
looking for the wrong thing, the same detector is first run against a second server with editing switched on,
where it must find every one of those controls on the curation page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from comparisons.i18n import gettext_for
from tests.browser import LANGS, SCREENSHOTS, error_texts, full_screenshot, page_url, wait_for_app
from tests.browser.conftest import Server, _start_server, _stop
from tests.helpers import copy_data
from ui.nav import EDITING_PAGES, PAGES

pytestmark = pytest.mark.browser

CURATION = EDITING_PAGES[0]
# Labels of the curation page's controls, in every language (an icon's ligature text precedes a button's label).
BUTTON_LABELS = {
    gettext_for(lang)(m) for lang in LANGS for m in ("Save", "Apply the import", "Reload the table from the file")
}
NAME_LABELS = {gettext_for(lang)("Your name (required)") for lang in LANGS}
TITLES = {gettext_for(lang)(CURATION.title) for lang in LANGS}

_CONTROLS_JS = """
([buttonLabels, nameLabels]) => {
  const main = document.querySelector('[data-testid="stMain"]') || document;
  const label = e => ((e.innerText || e.textContent || '').trim().split('\\n').pop() || '').trim();
  return {
    // st.data_editor and st.dataframe share a grid; only an editor's cells are not aria-readonly.
    editorCells: main.querySelectorAll('[data-testid="stDataFrame"] [aria-readonly="false"]').length,
    fileUploaders: document.querySelectorAll('[data-testid="stFileUploader"]').length,
    saveButtons: Array.from(document.querySelectorAll('button')).filter(b => buttonLabels.includes(label(b))).length,
    nameInputs: Array.from(document.querySelectorAll('[data-testid="stTextInput"]'))
      .filter(t => nameLabels.includes(label(t.querySelector('[data-testid="stWidgetLabel"]') || t))).length,
    curationLinks: Array.from(document.querySelectorAll('a'))
      .filter(a => /(^|\\/)curation(\\?|$)/.test(a.getAttribute('href') || '')).length,
  };
}
"""


def controls(page) -> dict[str, int]:
    return page.evaluate(_CONTROLS_JS, [sorted(BUTTON_LABELS), sorted(NAME_LABELS)])


def controls_anywhere(page) -> dict[str, int]:
    """The editing controls on the page as drawn, then with every expander opened and every tab shown."""
    found = controls(page)
    page.keyboard.press("Escape")  # a notice such as "Page not found" is a modal that makes the page inert
    page.evaluate(
        "() => document.querySelectorAll('[data-testid=\"stMain\"] details:not([open]) > summary')"
        ".forEach(s => s.click())"
    )
    wait_for_app(page, stable_polls=2)
    closed = page.locator('[data-testid="stMain"] details:not([open])').count()
    assert closed == 0, f"{closed} expander(s) did not open, so their content was not checked"
    tabs = page.locator('[data-testid="stMain"] [data-testid="stTab"]')
    for i in range(tabs.count()):
        tabs.nth(i).click(force=True)
        wait_for_app(page, stable_polls=2)
        found = {k: max(v, controls(page)[k]) for k, v in found.items()}
    wait_for_app(page, stable_polls=2)
    return {k: max(v, controls(page)[k]) for k, v in found.items()}


@pytest.fixture(scope="module")
def editing_server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A second server with editing on, on a private copy of the data (nothing is saved by these tests)."""
    root = copy_data(tmp_path_factory.mktemp("editing-data"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LUP_DATA_DIR", str(root))
        mp.setenv("LUP_EDITING", "1")
        # conftest's _start_server pins the variable named by ui.editing.ENV_VAR to "0" so the suite always sees the
        # read-only app; for this one server the pin is pointed at an unused name, so LUP_EDITING=1 gets through.
        mp.setattr("ui.editing.ENV_VAR", "LUP_EDITING_NOT_PINNED")
        srv = _start_server(tmp_path_factory.mktemp("streamlit-editing"))
    try:
        yield srv
    finally:
        _stop(srv.proc)


def test_the_detector_finds_every_editing_control_when_editing_is_on(browser, editing_server: Server) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.route(lambda url: not url.startswith(editing_server.base_url), lambda route: route.abort())
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{editing_server.base_url}/{CURATION.url_path}?lang=en")
        wait_for_app(page)
        assert not error_texts(page), f"{error_texts(page)}\n{editing_server.last_traceback()}"
        full_screenshot(page, SCREENSHOTS / "curation-editing-en-1280.png")
        found = controls_anywhere(page)
        assert found["editorCells"] > 0, found
        assert found["fileUploaders"] == 1, found
        assert found["saveButtons"] >= 1, found
        assert found["nameInputs"] == 1, found
        assert found["curationLinks"] >= 1, found
    finally:
        context.close()


READ_ONLY_CASES = [pytest.param(i, spec.url_path, id=spec.url_path) for i, spec in enumerate(PAGES)]
READ_ONLY_CASES.append(pytest.param(None, CURATION.url_path, id=f"{CURATION.url_path}-by-url"))


@pytest.mark.parametrize(("index", "url_path"), READ_ONLY_CASES)
def test_no_page_offers_editing_in_read_only_mode(new_page, server, index: int | None, url_path: str) -> None:
    page = new_page(width=1280)
    url = (
        page_url(server.base_url, index, url_path, {"lang": "en"})
        if index is not None
        else (f"{server.base_url}/{url_path}?lang=en")
    )
    page.goto(url)
    wait_for_app(page)
    shot = SCREENSHOTS / f"readonly-{url_path}-en-1280{'-by-url' if index is None else ''}.png"
    full_screenshot(page, shot)
    found = controls_anywhere(page)
    assert found == {"editorCells": 0, "fileUploaders": 0, "saveButtons": 0, "nameInputs": 0, "curationLinks": 0}, (
        f"{url} offers editing in read-only mode: {found}; see {shot}"
    )
    headings = [t.strip() for t in page.locator('[data-testid="stMain"] [data-testid="stHeading"]').all_inner_texts()]
    assert not TITLES & set(headings), headings
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert not any(t in sidebar for t in TITLES)
