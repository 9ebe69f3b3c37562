"""Numbers are written in the app's language, whatever the browser's (issue 19): 1 234,5 on a Norwegian page,
1.234,5 on a Danish one, 1,234.5 on an English one. Streamlit's own number formats follow the browser's locale,
so the models hand tables over as text, and the number inputs are text fields written and read the app's way
(ui/number_field.py).

The expected forms are spelled out here, independently of comparisons.i18n.formatting."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_number
from comparisons.models.parts import MISSING
from tests.helpers import LANGS, open_details, open_page

SAMPLE = {"nb": "1\u00a0234,5", "da": "1.234,5", "en": "1,234.5"}
# A number of at least a thousand, grouped in threes, with an optional fraction.
GROUPED = {
    "nb": re.compile(r"^-?\d{1,3}(?:\u00a0\d{3})+(?:,\d+)?$"),
    "da": re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$"),
    "en": re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"),
}
# A number below a thousand with a fraction.
FRACTION = {
    "nb": re.compile(r"^-?\d{1,3},\d+$"),
    "da": re.compile(r"^-?\d{1,3},\d+$"),
    "en": re.compile(r"^-?\d{1,3}\.\d+$"),
}


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a {column!r} column"
    return found[0]


def numbers_in(frame: pd.DataFrame, column: str) -> list[str]:
    """The column's cells, each of which must be text (a number left to Streamlit would follow the browser)."""
    cells = frame[column].tolist()
    assert all(isinstance(c, str) for c in cells), f"{column!r} has cells that are not text: {cells[:5]}"
    return [c for c in cells if c != MISSING]


@pytest.mark.parametrize("lang", LANGS)
def test_the_app_writes_a_number_the_languages_way(lang: str) -> None:
    assert fmt_number(1234.5, lang, 1) == SAMPLE[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_procurement_tables_write_numbers_in_the_apps_language(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_page("procurement", lang)
    assert not at.exception
    currency = {"nb": "NOK", "da": "DKK", "en": "EUR"}[lang]
    table = table_with(at, _("Original value"))
    # Amounts in billions: every one grouped in threes the language's way.
    for column in (_("Original value"), _("Converted ({currency})").format(currency=currency)):
        cells = numbers_in(table, column)
        assert cells and all(GROUPED[lang].match(c) for c in cells), (column, cells[:5])
    # Exchange rates: up to four decimals after the language's decimal mark ("1" for a figure already in the
    # currency; trailing zeros are dropped).
    rates = numbers_in(table, _("Rate ({currency} per unit)").format(currency=currency))
    assert rates and all(c == "1" or FRACTION[lang].match(c) for c in rates), rates[:5]
    assert any(FRACTION[lang].match(c) and len(re.split(r"[.,]", c)[-1]) == 4 for c in rates), rates[:5]


@pytest.mark.parametrize("lang", LANGS)
def test_whatif_tables_and_inputs_write_numbers_in_the_apps_language(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_details(open_page("whatif", lang))
    assert not at.exception
    yearly = table_with(at, _("Programme year"))
    savings = numbers_in(yearly, _("Savings, central"))
    assert savings and all(GROUPED[lang].match(c) for c in savings), savings
    reached = numbers_in(yearly, _("Public bodies reached"))
    assert any(FRACTION[lang].match(c) for c in reached), reached

    # Number inputs: written the app's way, and read back the way they are written.
    funding = {"nb": "1\u00a0234\u00a0567", "da": "1.234.567", "en": "1,234,567"}[lang]
    low = {"nb": "123,45", "da": "123,45", "en": "123.45"}[lang]
    at.text_input(key="wi_high_text").input("400").run()
    at.text_input(key="wi_central_text").input("200").run()
    at.text_input(key="wi_funding_text").input(funding).run()
    at.text_input(key="wi_low_text").input(low).run()
    assert not at.exception and not at.error
    assert at.text_input(key="wi_funding_text").value == funding
    assert at.text_input(key="wi_low_text").value == low
    assert (at.session_state["wi_funding"], at.session_state["wi_low"]) == (1234567.0, 123.45)
    assert (at.query_params["wi_funding"], at.query_params["wi_low"]) == ("1234567.0", "123.45")
    # Typed without groups, the field writes it back with them.
    at.text_input(key="wi_funding_text").input("7654321").run()
    assert (
        at.text_input(key="wi_funding_text").value
        == {"nb": "7\u00a0654\u00a0321", "da": "7.654.321", "en": "7,654,321"}[lang]
    )
    # The value typed is not repeated in a caption any more: the field says it.
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert not any(c.startswith(("7", "DKK\u00a07", "123")) for c in captions), captions


@pytest.mark.parametrize("lang", LANGS)
def test_saved_scenarios_write_numbers_in_the_apps_language(lang: str) -> None:
    """The saved-scenarios table used Streamlit's "localized" number format, which follows the browser."""
    at = open_page("whatif", lang)
    at.button(key="wi_save").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "funding_dkk" in d.value.columns)
    funding = numbers_in(table, "funding_dkk")
    assert funding and all(GROUPED[lang].match(c) for c in funding), funding
    ratios = numbers_in(table, "savings_central")
    assert ratios and all(FRACTION[lang].match(c) for c in ratios), ratios
    assert numbers_in(table, "year")[0].isdigit()  # a year is written without a group separator
