"""WCAG 2.1 AA in real Chromium: axe-core on every page in nb, da and en with expanders and pop-overs opened, the
page's language and title, heading order, chart names, quotes in another language, and visible focus.

axe-core 4.14.1 is vendored from the npm registry (tests/browser/vendor/, MPL-2.0). Violations from Streamlit itself
are listed in tests/browser/streamlit_known.py and checked against an empty Streamlit page in the same run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from comparisons.i18n import gettext_for
from tests.browser import LANGS, assert_no_error, page_url, wait_for_app
from tests.browser.conftest import Server, _start_server, _stop
from tests.browser.streamlit_known import KNOWN
from ui.a11y import document_title
from ui.nav import PAGES

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CASES = [
    pytest.param(i, spec.url_path, lang, id=f"{spec.url_path}-{lang}") for i, spec in enumerate(PAGES) for lang in LANGS
]


@pytest.fixture(scope="module")
def reference(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = _start_server(tmp_path_factory.mktemp("reference"), "tests/browser/reference_app.py")
    try:
        yield srv
    finally:
        _stop(srv.proc)


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now: rule, and each node's selector and
    a matcher for tests/browser/streamlit_known.py."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    found = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            known = [k for k in KNOWN if k.rule == violation["id"] and _matches(page, node["target"], k.selector)]
            found.append(
                {
                    "rule": violation["id"],
                    "target": node["target"],
                    "html": node["html"][:160],
                    "message": node.get("failureSummary", "")[:240],
                    "known": bool(known),
                }
            )
    return found


def _matches(page, target: list, selector: str) -> bool:
    if len(target) != 1 or not isinstance(target[0], str):  # inside an iframe or shadow root: not ours
        return False
    return page.evaluate(
        "([t, s]) => { const e = document.querySelector(t); return !!e && !!e.closest(s); }", [target[0], selector]
    )


def unknown(found: list[dict]) -> list[dict]:
    return [f for f in found if not f["known"]]


def open_expanders(page) -> None:
    for summary in page.locator('[data-testid="stExpander"] details:not([open]) > summary').all():
        if summary.is_visible():
            summary.click()
    wait_for_app(page, stable_polls=3)


def popover_buttons(page) -> list:
    """The first pop-over of each kind (keyed "cite-", "dl-", ... by the app): a citation, a download bar."""
    buttons = []
    seen = set()
    for container in page.locator('[data-testid="stMain"] [class*="st-key-"]:has(> [data-testid="stPopover"])').all():
        kind = next(c for c in (container.get_attribute("class") or "").split() if c.startswith("st-key-"))
        kind = kind.removeprefix("st-key-").split("-")[0]
        if kind not in seen:
            seen.add(kind)
            buttons.append(container.locator('[data-testid="stPopoverButton"]'))
    return buttons


def test_the_known_streamlit_violations_are_exactly_those_of_an_empty_streamlit_page(browser, reference) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.route(lambda url: not url.startswith(reference.base_url), lambda route: route.abort())  # no network
    try:
        page = context.new_page()
        page.goto(reference.base_url + "/")
        wait_for_app(page)
        found = run_axe(page)
    finally:
        context.close()
    listed = {(k.rule, k.selector) for k in KNOWN}
    shown = [f for f in found if not f["known"]]
    assert not shown, f"Streamlit's own violations not listed in tests/browser/streamlit_known.py: {shown}"
    for k in KNOWN:
        assert any(f["rule"] == k.rule and f["known"] for f in found), (
            f"{(k.rule, k.selector)} no longer shows on an empty Streamlit page: remove it from the list ({listed})"
        )


@pytest.mark.parametrize(("index", "url_path", "lang"), CASES)
def test_every_page_meets_wcag_21_aa_as_axe_core_checks_it(
    new_page, server, index: int, url_path: str, lang: str
) -> None:
    page = new_page(width=1440)
    page.goto(page_url(server.base_url, index, url_path, {"lang": lang}))
    wait_for_app(page)
    assert_no_error(page, server)
    _ = gettext_for(lang)

    # 3.1.1 and 2.4.2: the page's language, and a title of its own in that language.
    assert page.evaluate("() => document.documentElement.lang") == lang
    assert page.title() == document_title(_(PAGES[index].title))

    # Headings: one h1, and no level skipped (st.subheader is h3: a page must not go from h1 to h3).
    levels = page.evaluate(
        """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
             .filter(h => h.checkVisibility()).map(h => Number(h.tagName[1]))"""
    )
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    skipped = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert not skipped, f"heading levels skip on {url_path}: {levels}"

    # 1.1.1: every chart has a name of its own, never Vega's default.
    names = page.locator('[data-testid="stVegaLiteChart"]').evaluate_all(
        "es => es.map(e => e.getAttribute('aria-label'))"
    )
    assert all(n and n != "Vega visualization" for n in names), names

    # 2.4.7 and 4.1.2: the sidebar marks the page shown.
    current = page.locator('[data-testid="stSidebar"] a[aria-current="page"]')
    assert current.count() == 1 and _(PAGES[index].title) in current.inner_text()

    open_expanders(page)
    found = run_axe(page)
    for button in popover_buttons(page):
        button.click()
        wait_for_app(page, stable_polls=3)
        found += run_axe(page)
        page.keyboard.press("Escape")
    assert_no_error(page, server)
    assert not unknown(found), f"{url_path} ({lang}): {unknown(found)}"


def test_a_norwegian_quote_on_a_danish_page_is_marked_as_norwegian(new_page, server) -> None:
    """3.1.2: Norway's owners on the overview come from a Norwegian source, its quote in bokmål."""
    page = new_page(width=1440)
    page.goto(page_url(server.base_url, 0, PAGES[0].url_path, {"lang": "da"}))
    wait_for_app(page)
    page.locator('.st-key-cite-owners-NO [data-testid="stPopoverButton"]').first.click()
    wait_for_app(page, stable_polls=3)
    quote = page.locator('[data-testid="stPopoverBody"] blockquote').first
    assert quote.evaluate("q => q.closest('[lang]').getAttribute('lang')") == "nb"
    assert page.evaluate("() => document.documentElement.lang") == "da"


def test_a_sidebar_link_shows_keyboard_focus_with_an_outline(new_page, server) -> None:
    """2.4.7: Streamlit shows a focused page link as a grey pill like the current page; the app adds an outline."""
    page = new_page(width=1440)
    page.goto(page_url(server.base_url, 1, PAGES[1].url_path, {"lang": "en"}))
    wait_for_app(page)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.getAttribute('data-testid') === 'stPageLink-NavLink'"):
            break
    else:
        pytest.fail("no sidebar page link took keyboard focus within 30 tabs")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; }"
    )
    assert outline == ["solid", "2px"]
