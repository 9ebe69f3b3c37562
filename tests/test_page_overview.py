"""Overview page in every language: the side-by-side figures, conversions, milestones and URL state."""

from __future__ import annotations

import pytest

from tests.helpers import LANGS, all_text, open_details, open_page

NBSP = "\u00a0"
TITLES = {
    "nb": "Norges LUP og Danmark side om side",
    "da": "Norges LUP og Danmark side om side",
    "en": "Norway's LUP and Denmark, side by side",
}
NOT_FOUND = {"nb": "ikke funnet", "da": "ikke fundet", "en": "not found"}
# the latest Danish yearly procurement figure in the data: over DKK 450 bn (DI, 2025)
VOLUME_DK = {"nb": f"over 450{NBSP}mrd.{NBSP}DKK", "da": f"over 450{NBSP}mia.{NBSP}DKK", "en": f"over DKK{NBSP}450B"}


@pytest.mark.parametrize("lang", LANGS)
def test_overview_in_every_language(lang: str) -> None:
    at = open_page("overview", lang)
    assert not at.exception
    assert at.title[0].value == TITLES[lang]
    values = [m.value for m in at.metric]
    assert "35" in values  # partners in 2025
    assert "234" in values  # public bodies reached
    assert VOLUME_DK[lang] in values
    assert values.count(NOT_FOUND[lang]) >= 3  # Denmark has no partner, reach or savings figure
    labels = [m.label for m in at.metric]
    # the short names are data, escaped in the Markdown label (issue 16): "CO-PI" is drawn from "CO\\-PI"
    assert any(label.endswith("· LUP") for label in labels) and any(label.endswith("· CO\\-PI") for label in labels)
    # every figure shown carries its date and publisher in the caption beneath
    text = all_text(at)
    assert "Anbud365" in text and "2025" in text


def _converted(at) -> list[str]:
    """The "≈ amount" lines under the cards (a card's caption holds its date line, then this line)."""
    return [line for c in at.caption for line in c.value.split("  \n") if line.startswith("≈")]


@pytest.mark.parametrize(
    ("lang", "currency", "expected"), [("nb", "NOK", "NOK"), ("da", "DKK", "DKK"), ("en", "EUR", "EUR")]
)
def test_money_is_also_shown_in_the_readers_currency(lang: str, currency: str, expected: str) -> None:
    at = open_page("overview", lang)
    assert at.query_params["ov_currency"] == [currency] or at.query_params["ov_currency"] == currency
    converted = _converted(at)
    assert converted and all(expected in c for c in converted)


def test_currency_round_trips_through_the_url() -> None:
    at = open_page("overview", "da", {"ov_currency": "EUR"})
    converted = _converted(at)
    assert converted and all("EUR" in c for c in converted)
    # part-year 2025 rates are flagged
    assert any("kun en del af året" in c or "part of the year" in c for c in converted)


def test_hostile_currency_falls_back_with_a_notice() -> None:
    at = open_page("overview", "en", {"ov_currency": "<script>alert(1)</script>"})
    assert not at.exception
    assert at.toast and "ov_currency" in at.toast[0].value
    assert "<script>" not in all_text(at)
    assert all("EUR" in c for c in _converted(at))


@pytest.mark.parametrize("lang", LANGS)
def test_milestones_table_lists_both_countries(lang: str) -> None:
    at = open_details(open_page("overview", lang))
    table = at.dataframe[-1].value
    assert len(table) >= 30
    countries = set(table.iloc[:, 1])
    assert len(countries) == 2


MARKS = {
    "nb": ("sammenlignbare", "ikke like for like", "kan ikke sammenlignes"),
    "da": ("sammenlignelige", "ikke sammenlignelige", "kan ikke sammenlignes"),
    "en": ("comparable", "not like-for-like", "cannot be compared"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_overview_is_a_decision_brief(lang: str) -> None:
    at = open_page("overview", lang)
    assert not at.exception
    # the EU benchmark, where both countries are measured on one yardstick, leads; Norway's score is not invented
    assert at.metric[0].value == NOT_FOUND[lang]
    assert at.metric[1].value.startswith("25,8" if lang != "en" else "25.8")
    captions = [c.value.replace("\\", "") for c in at.caption]  # the texts are escaped Markdown
    # each pair carries its comparability mark, visibly, with the reason when it is not like for like
    marks = [c for c in captions if any(m in c for m in MARKS[lang]) and c.startswith(":material/")]
    assert len(marks) == len(at.metric) // 2
    assert any("2025" in m and "2023" in m for m in marks)  # owners: 2025 vs 2023
    # owners by name, not only a count
    text = all_text(at)
    owners = ("Innovation Norway", "Danish Regions") if lang == "en" else ("Innovasjon Norge", "Danske Regioner")
    assert all(name in text for name in owners)
    # where Denmark has no figure: what is missing, and the nearest Danish body
    assert any("CO-PI" in c for c in captions)
