"""Every page, in every language, at desktop and tablet width, in a real browser against a fresh server.

The page list is read from ui.nav.PAGES when the tests are collected, so a newly registered page is covered
without editing this file. Screenshots go to test-artifacts/screenshots/<page>-<lang>-<width>.png.

The first test of this module must stay first: it opens the first session after the server started.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from comparisons.i18n import gettext_for
from tests.browser import (
    AUTO_NAV_SELECTOR,
    LANGS,
    SCREENSHOTS,
    WIDTHS,
    assert_no_error,
    full_screenshot,
    page_url,
    scroll_overflow,
    seen,
    wait_for_app,
)
from ui.nav import PAGES

pytestmark = pytest.mark.browser

CASES = [
    pytest.param(i, spec.url_path, lang, width, id=f"{spec.url_path}-{lang}-{width}")
    for i, spec in enumerate(PAGES)
    for lang in LANGS
    for width in WIDTHS.values()
]


def _titles(lang: str) -> list[str]:
    _ = gettext_for(lang)
    return [_(p.title) for p in PAGES]


def _file_names() -> set[str]:
    """Labels Streamlit's auto-discovered navigation would show: the entry script and the pages/ file stems."""
    names = {"app"} | {Path(p.script).stem for p in PAGES}
    names |= {p.stem for p in (Path(__file__).resolve().parents[2] / "pages").glob("*.py")}
    return {n.lower() for n in names} | {n.replace("_", " ").lower() for n in names}


def _link_labels(page) -> list[str]:
    return [t.strip() for t in page.locator('[data-testid="stSidebar"] a').all_text_contents()]


def _assert_only_app_links(labels: list[str], lang: str, when: str) -> None:
    expected = _titles(lang)
    # An icon is a Material Symbols ligature, so its name is part of the link's text ("compare_arrowsOverview").
    icons = [p.icon.removeprefix(":material/").removesuffix(":") for p in PAGES]
    stripped = []
    for label in labels:
        for icon in icons:
            label = label.removeprefix(icon)
        stripped.append(label.strip())
    strays = [s for s in stripped if s not in expected]
    assert not strays, f"{when}: sidebar links other than the app's own pages: {strays} (expected {expected})"
    by_file_name = [s for s in stripped if s.lower() in _file_names() and s not in expected]
    assert not by_file_name, f"{when}: sidebar lists file names: {by_file_name}"


def test_first_load_after_server_start_shows_only_the_apps_links(new_page, server) -> None:
    """The first session after a start is when Streamlit may flash its pages/ list before st.navigation runs."""
    page = new_page(width=WIDTHS["desktop"])
    page.goto(page_url(server.base_url, 0, PAGES[0].url_path, {"lang": "en"}))
    wait_for_app(page)
    record = seen(page)
    assert record, "the sidebar observer did not run"
    assert record["firstSidebar"] is not None, "the sidebar never rendered"
    assert not record["autoNav"], f"the auto-discovered pages list appeared during the first load: {record['autoNav']}"
    _assert_only_app_links(record["firstSidebar"]["links"], "en", "first sidebar render")
    _assert_only_app_links(record["sidebarLinks"], "en", "any sidebar render during the first load")
    assert len(record["sidebarLinks"]) == len(PAGES), record["sidebarLinks"]
    assert page.locator(AUTO_NAV_SELECTOR).count() == 0


@pytest.mark.parametrize(("index", "url_path", "lang", "width"), CASES)
def test_page_renders(new_page, server, index: int, url_path: str, lang: str, width: int) -> None:
    page = new_page(width=width)
    page.goto(page_url(server.base_url, index, url_path, {"lang": lang}))
    wait_for_app(page)
    shot = SCREENSHOTS / f"{url_path}-{lang}-{width}.png"
    full_screenshot(page, shot)

    assert_no_error(page, server, f"on {url_path} ({lang}, {width}px; see {shot})")

    # The language came from the URL and is kept there.
    assert f"lang={lang}" in page.url, page.url
    # The app's own links: one per page, translated, the current page's link in bold, the language in every link.
    title = gettext_for(lang)(PAGES[index].title)
    links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
    assert links.count() == len(PAGES)
    labels = [t.strip() for t in links.locator('[data-testid="stMarkdownContainer"]').all_text_contents()]
    assert labels == _titles(lang)
    current = links.nth(index)
    weight = current.locator('[data-testid="stMarkdownContainer"] p').evaluate("e => getComputedStyle(e).fontWeight")
    assert labels[index] == title and int(weight) >= 600, (labels, weight)
    for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert f"lang={lang}" in href, href
    # The page drew a heading of its own.
    assert page.locator('[data-testid="stMainBlockContainer"] [data-testid="stHeading"]').count() >= 1

    # No auto-discovered pages list, neither now nor at any moment since the page was opened.
    assert page.locator(AUTO_NAV_SELECTOR).count() == 0
    record = seen(page)
    assert not record["autoNav"], f"the auto pages list appeared: {record['autoNav']}"
    _assert_only_app_links(_link_labels(page), lang, "settled sidebar")
    _assert_only_app_links(record["sidebarLinks"], lang, "any sidebar render")

    if width <= WIDTHS["tablet"]:
        for where, (scroll_width, client_width) in scroll_overflow(page).items():
            assert scroll_width <= client_width + 1, (
                f"{url_path} ({lang}) scrolls sideways at {width}px: {where} is {scroll_width}px wide in "
                f"{client_width}px; see {shot}"
            )
