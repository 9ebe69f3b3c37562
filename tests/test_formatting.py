"""Numbers, money and dates in each language's own way (babel)."""

from __future__ import annotations

import pytest

from comparisons.i18n.formatting import fmt_compact, fmt_money, fmt_number, fmt_percent, fmt_period, fmt_span, fmt_value

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("nb", f"1{NBSP}234{NBSP}567,5"), ("da", "1.234.567,5"), ("en", "1,234,567.5")],
)
def test_number(lang: str, expected: str) -> None:
    assert fmt_number(1234567.5, lang, decimals=1) == expected


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("nb", 740e9, f"740{NBSP}mrd.{NBSP}NOK"),
        ("da", 740e9, f"740{NBSP}mia.{NBSP}NOK"),
        ("en", 740e9, f"NOK{NBSP}740B"),
        ("nb", 334e6, f"334{NBSP}mill.{NBSP}NOK"),
        ("da", 334e6, f"334{NBSP}mio.{NBSP}NOK"),
        ("da", 19.6e6, f"19,6{NBSP}mio.{NBSP}NOK"),
    ],
)
def test_money_uses_iso_codes_and_local_scale_words(lang: str, value: float, expected: str) -> None:
    assert fmt_money(value, "NOK", lang) == expected


@pytest.mark.parametrize("lang", ["nb", "da", "en"])
def test_compact_rolls_over_at_the_boundary(lang: str) -> None:
    # babel alone writes 999 950 as "1000k"; the workbench rounds first
    text = fmt_compact(999_950, lang)
    assert "1000" not in text.replace(NBSP, "").replace(" ", "")
    assert text.startswith("1")


def test_value_with_bound_and_units() -> None:
    assert fmt_value(400e6, "NOK", "nb", "at_least") == f"over 400{NBSP}mill.{NBSP}NOK"
    assert fmt_value(650e9, "DKK", "da", "approx") == f"ca. 650{NBSP}mia.{NBSP}DKK"
    assert fmt_value(25.8, "percent", "da") == f"25,8{NBSP}%"
    assert fmt_value(25.8, "percent", "en") == "25.8%"
    assert fmt_value(2010, "year", "nb") == "2010"
    assert fmt_value(35, "count", "en") == "35"
    assert fmt_value(2895, "tonnes_co2e", "en") == f"2,895{NBSP}tonnes CO₂e"
    assert fmt_value(float("nan"), "count", "en") == "–"


def test_periods() -> None:
    assert fmt_period("2020", "nb") == "2020"
    assert fmt_period("2020-09", "da") == "september 2020"
    assert fmt_period("2020-09-09", "nb") == "9. september 2020"
    assert fmt_period("2020-09-09", "en") == "9 September 2020"
    assert fmt_span("2010", "2020-09", "en") == "2010\u2009–\u2009September 2020"
    assert fmt_period("garbage", "en") == "garbage"


def test_percent_in_each_language() -> None:
    assert fmt_percent(50, "nb") == f"50{NBSP}%"
