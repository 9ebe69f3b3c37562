"""The view lives in the URL: the language picked in the sidebar lands in ?lang=, a pasted link reopens the same
language in a new browser, and a hostile link falls back to the default view without an error or a script.

The first test here opens the first session after this module's server started, on purpose: that session is the
one Streamlit routes differently (streamlit#8388), so a language switch there must work like any other.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from comparisons.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, gettext_for
from tests.browser import WIDTHS, assert_no_error, page_url, seen, wait_for_app
from ui.nav import PAGES

pytestmark = pytest.mark.browser

# The first page, and the last one when there is more than one (a non-default page has its own path).
ENDS = sorted({0, len(PAGES) - 1})
END_PARAMS = [pytest.param(i, PAGES[i].url_path, id=PAGES[i].url_path) for i in ENDS]
HOSTILE = {"lang": "xx", "currency": "<script>alert(1)</script>", "year": "abc"}
PAYLOAD = "<script>alert(1)</script>"


def _picker(page):
    """The language selectbox: the sidebar combobox whose label names "Language" (pages may add their own)."""
    return page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=re.compile("Language"))


def _choose_language(page, lang: str) -> None:
    _picker(page).click()
    page.get_by_role("option", name=LANGUAGE_NAMES[lang], exact=True).click()
    _wait_for_location(page, rf"[?&]lang={lang}(&|$)")
    wait_for_app(page)


def _wait_for_location(page, pattern: str, timeout_ms: int = 30_000) -> None:
    """Wait for the address bar to match. Streamlit changes it with history.replaceState/pushState, which is not a
    navigation that Playwright's wait_for_url reliably reports, so poll location.href instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(
            "pattern => new RegExp(pattern).test(window.location.href)", arg=pattern, polling=100, timeout=timeout_ms
        )
    except PlaywrightTimeoutError:
        raise AssertionError(f"the address never matched {pattern!r}; it is {page.url}") from None


def _assert_language(page, server, lang: str, index: int) -> None:
    assert _picker(page).input_value() == LANGUAGE_NAMES[lang]
    labels = page.locator(
        '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"]'
    )
    assert [t.strip() for t in labels.all_text_contents()] == [gettext_for(lang)(p.title) for p in PAGES]
    for href in page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    ):
        assert f"lang={lang}" in href, href
    assert_no_error(page, server)
    expected_path = "/" if index == 0 else f"/{PAGES[index].url_path}"
    assert urlparse(page.url).path == expected_path, page.url


def test_first_session_after_start_keeps_the_chosen_language(new_page, server) -> None:
    """Must stay the first test of this module: the first visitor after a server (re)start opens the default page
    and picks a language. That session is routed through Streamlit's pages/ handling first (streamlit#8388); the
    choice must stick like in any later session."""
    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    page.goto(page_url(server.base_url, 0, PAGES[0].url_path))
    wait_for_app(page)
    try:
        _choose_language(page, "da")
    except AssertionError as exc:
        raise AssertionError(
            f"first session after a server start: picking Dansk did not stick ({exc}); the picker shows "
            f"{_picker(page).input_value()!r}. Later sessions are covered by the tests below."
        ) from None
    _assert_language(page, server, "da", 0)


@pytest.mark.parametrize(("index", "url_path"), END_PARAMS)
def test_language_picker_writes_url_and_link_reopens_it(new_page, server, index: int, url_path: str) -> None:
    # The browser says English, so any other language seen after a reload can only have come from the URL.
    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    page.goto(page_url(server.base_url, index, url_path))
    wait_for_app(page)
    assert re.search(r"[?&]lang=en(&|$)", page.url), f"the default language is not written to the URL: {page.url}"
    _assert_language(page, server, "en", index)

    for lang in ("da", "nb"):
        _choose_language(page, lang)
        assert re.search(rf"[?&]lang={lang}(&|$)", page.url), page.url
        _assert_language(page, server, lang, index)

        # The same link in a new browser context (no cookies, no session) opens the same language.
        again = new_page(width=WIDTHS["desktop"], locale="en-US")
        again.goto(page.url)
        wait_for_app(again)
        assert re.search(rf"[?&]lang={lang}(&|$)", again.url), again.url
        _assert_language(again, server, lang, index)
        again.context.close()


def test_page_link_keeps_language(new_page, server) -> None:
    if len(PAGES) < 2:
        pytest.skip("only one page is registered")
    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    page.goto(page_url(server.base_url, 0, PAGES[0].url_path, {"lang": "da"}))
    wait_for_app(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').nth(1).click()
    _wait_for_location(page, rf"/{re.escape(PAGES[1].url_path)}\?(.*&)?lang=da(&|$)")
    wait_for_app(page)
    _assert_language(page, server, "da", 1)


ALL_PAGES = [pytest.param(i, p.url_path, id=p.url_path) for i, p in enumerate(PAGES)]


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query, keep_blank_values=True)


def _assert_hostile_link_harmless(page, server) -> None:
    """No dialog, no error, English (the browser's language) in the URL, and no raw value shown anywhere."""
    page.wait_for_timeout(300)  # a script injected into the page would have run by now
    assert not page.dialogs, f"a dialog fired: {page.dialogs}"
    assert_no_error(page, server, "for a hostile link")
    assert re.search(r"[?&]lang=en(&|$)", page.url), page.url
    body = page.locator("body").inner_text()
    for raw in (PAYLOAD, "alert(1)"):
        assert raw not in body, f"{raw!r} is echoed on the page"
    assert PAYLOAD not in page.content()
    assert (
        page.locator("script:not([src])").evaluate_all("els => els.filter(e => e.text.includes('alert(1)')).length")
        == 0
    )
    # A notice names the parameters that were not understood, never their values.
    page.wait_for_function("() => (window.__lupSeen || {toasts: []}).toasts.length > 0", timeout=5_000)
    toasts = seen(page)["toasts"]
    assert any("lang" in t for t in toasts), toasts
    for t in toasts:
        assert "alert(1)" not in t and "<script>" not in t, t


@pytest.mark.parametrize(("index", "url_path"), ALL_PAGES)
def test_hostile_url_shows_default_view(new_page, server, index: int, url_path: str) -> None:
    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    page.goto(page_url(server.base_url, index, url_path, HOSTILE))
    wait_for_app(page)
    _assert_hostile_link_harmless(page, server)
    assert DEFAULT_LANGUAGE == "en"
    _assert_language(page, server, "en", index)


@pytest.mark.parametrize(("index", "url_path"), ALL_PAGES)
def test_hostile_value_for_every_url_key_falls_back(new_page, server, index: int, url_path: str) -> None:
    """Every parameter the page writes into its URL, given a script instead of a value, shows that key's default."""
    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    page.goto(page_url(server.base_url, index, url_path, {"lang": "en"}))
    wait_for_app(page)
    defaults = _query(page.url)
    hostile = {key: ("xx" if key == "lang" else PAYLOAD) for key in defaults}
    page.context.close()

    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    page.goto(f"{page_url(server.base_url, index, url_path)}?{urlencode(hostile)}")
    wait_for_app(page)
    _assert_hostile_link_harmless(page, server)
    _assert_language(page, server, "en", index)
    shown = _query(page.url)
    kept = {key: shown.get(key) for key in defaults if shown.get(key) != defaults[key]}
    assert not kept, f"keys not back at their defaults {defaults}: {kept}"
