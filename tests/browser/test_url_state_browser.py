"""The view lives in the URL: the language picked in the sidebar lands in ?lang=, a pasted link reopens the same
language in a new browser, and a hostile link falls back to the default view without an error or a script."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from comparisons.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, gettext_for
from tests.browser import WIDTHS, error_texts, page_url, seen, wait_for_app
from ui.nav import PAGES

pytestmark = pytest.mark.browser

# The first page, and the last one when there is more than one (a non-default page has its own path).
ENDS = sorted({0, len(PAGES) - 1})
END_PARAMS = [pytest.param(i, PAGES[i].url_path, id=PAGES[i].url_path) for i in ENDS]
HOSTILE = {"lang": "xx", "currency": "<script>alert(1)</script>", "year": "abc"}


def _picker(page):  # noqa: ANN001, ANN202
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input[role="combobox"]')


def _choose_language(page, lang: str) -> None:  # noqa: ANN001
    _picker(page).click()
    page.get_by_role("option", name=LANGUAGE_NAMES[lang], exact=True).click()
    page.wait_for_url(re.compile(rf"[?&]lang={lang}(&|$)"))
    wait_for_app(page)


def _assert_language(page, lang: str, index: int) -> None:  # noqa: ANN001
    assert _picker(page).input_value() == LANGUAGE_NAMES[lang]
    labels = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"]')
    assert [t.strip() for t in labels.all_text_contents()] == [gettext_for(lang)(p.title) for p in PAGES]
    for href in page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    ):
        assert f"lang={lang}" in href, href
    assert not error_texts(page)
    expected_path = "/" if index == 0 else f"/{PAGES[index].url_path}"
    assert urlparse(page.url).path == expected_path, page.url


@pytest.mark.parametrize(("index", "url_path"), END_PARAMS)
def test_language_picker_writes_url_and_link_reopens_it(new_page, server, index: int, url_path: str) -> None:  # noqa: ANN001
    # The browser says English, so any other language seen after a reload can only have come from the URL.
    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    page.goto(page_url(server.base_url, index, url_path))
    wait_for_app(page)
    assert re.search(r"[?&]lang=en(&|$)", page.url), f"the default language is not written to the URL: {page.url}"
    _assert_language(page, "en", index)

    for lang in ("da", "nb"):
        _choose_language(page, lang)
        assert re.search(rf"[?&]lang={lang}(&|$)", page.url), page.url
        _assert_language(page, lang, index)

        # The same link in a new browser context (no cookies, no session) opens the same language.
        again = new_page(width=WIDTHS["desktop"], locale="en-US")
        again.goto(page.url)
        wait_for_app(again)
        assert re.search(rf"[?&]lang={lang}(&|$)", again.url), again.url
        _assert_language(again, lang, index)
        again.context.close()


def test_page_link_keeps_language(new_page, server) -> None:  # noqa: ANN001
    if len(PAGES) < 2:
        pytest.skip("only one page is registered")
    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    page.goto(page_url(server.base_url, 0, PAGES[0].url_path, {"lang": "da"}))
    wait_for_app(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').nth(1).click()
    page.wait_for_url(re.compile(rf"/{re.escape(PAGES[1].url_path)}\?(.*&)?lang=da(&|$)"))
    wait_for_app(page)
    _assert_language(page, "da", 1)


@pytest.mark.parametrize(
    ("index", "url_path"), [pytest.param(i, p.url_path, id=p.url_path) for i, p in enumerate(PAGES)]
)
def test_hostile_url_shows_default_view(new_page, server, index: int, url_path: str) -> None:  # noqa: ANN001
    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    fired: list[str] = []
    page.on("dialog", lambda d: fired.append(d.message))
    page.goto(page_url(server.base_url, index, url_path, HOSTILE))
    wait_for_app(page)
    page.wait_for_timeout(300)  # a script injected into the page would have run by now

    assert not fired, f"a dialog fired: {fired}"
    assert not page.dialogs, f"a dialog fired: {page.dialogs}"  # type: ignore[attr-defined]
    assert not error_texts(page), error_texts(page)
    # The default view: the browser's language (English here), written back into the URL.
    assert DEFAULT_LANGUAGE == "en"
    _assert_language(page, "en", index)
    assert re.search(r"[?&]lang=en(&|$)", page.url), page.url
    # The raw values are never echoed anywhere on the page (the toast names parameters, not values).
    body = page.locator("body").inner_text()
    html = page.content()
    for raw in ("<script>alert(1)</script>", "alert(1)"):
        assert raw not in body, f"{raw!r} is echoed on the page"
    assert "<script>alert(1)</script>" not in html
    # A notice names the parameter that was not understood.
    page.wait_for_function("() => (window.__lupSeen || {toasts: []}).toasts.length > 0", timeout=5_000)
    toasts = seen(page)["toasts"]
    assert any("lang" in t for t in toasts), toasts
    for t in toasts:
        assert "alert(1)" not in t and "<script>" not in t, t
