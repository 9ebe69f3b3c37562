"""The What-if's number fields in a real browser whose language is not the app's: what the input box shows is written
the app's way (1.234.567 on a Danish page in an English browser, 1,234,567 on an English page in a German one),
and a value typed there the app's way is taken.

The forms are spelled out here, independently of comparisons.i18n.formatting.
"""

from __future__ import annotations

import pytest

from comparisons.i18n import gettext_for
from tests.browser import WIDTHS, assert_no_error, page_url, wait_for_app
from ui.nav import PAGES

pytestmark = pytest.mark.browser

INDEX = next(i for i, p in enumerate(PAGES) if p.url_path == "whatif")
PARAMS = {"wi_funding": "1234567.0", "wi_low": "1.25", "wi_central": "2.5", "wi_high": "40.0", "wi_year": "2020"}
FUNDING = "Annual public funding (DKK)"
LOW = "Savings per krone of funding: low"
SHOWN = {
    # app language: (funding, low)
    "da": ("1.234.567", "1,25"),
    "nb": ("1\u00a0234\u00a0567", "1,25"),
    "en": ("1,234,567", "1.25"),
}


def _field(page, lang: str, label: str):
    return page.get_by_label(gettext_for(lang)(label), exact=True)


@pytest.mark.parametrize(
    ("lang", "browser_locale"), [("da", "en-US"), ("nb", "en-US"), ("en", "de-DE"), ("en", "da-DK")]
)
def test_number_fields_show_the_apps_format_not_the_browsers(new_page, server, lang: str, browser_locale: str) -> None:
    page = new_page(width=WIDTHS["desktop"], locale=browser_locale)
    assert page.evaluate("navigator.language") == browser_locale
    page.goto(page_url(server.base_url, INDEX, PAGES[INDEX].url_path, {"lang": lang, **PARAMS}))
    wait_for_app(page)
    assert_no_error(page, server)
    funding, low = SHOWN[lang]
    assert _field(page, lang, FUNDING).input_value() == funding
    assert _field(page, lang, LOW).input_value() == low


def test_a_value_typed_the_apps_way_is_taken(new_page, server) -> None:
    page = new_page(width=WIDTHS["desktop"], locale="en-US")
    page.goto(page_url(server.base_url, INDEX, PAGES[INDEX].url_path, {"lang": "da", **PARAMS}))
    wait_for_app(page)
    field = _field(page, "da", FUNDING)
    field.fill("2000000")
    field.press("Enter")
    page.wait_for_function("() => window.location.href.includes('wi_funding=2000000.0')", polling=100)
    wait_for_app(page)
    assert field.input_value() == "2.000.000"  # written back with the Danish groups
    # A value the Danish page cannot read is refused with a message; the link keeps the last good value.
    field.fill("2,000,000.5")
    field.press("Enter")
    wait_for_app(page)
    alert = page.locator('[data-testid="stAlertContentError"]')
    assert alert.count() == 1 and gettext_for("da")(FUNDING) in alert.inner_text()
    assert "wi_funding=2000000.0" in page.url
