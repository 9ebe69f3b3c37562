"""The quote parser: every written form of a figure that the sources use is understood."""

from __future__ import annotations

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from comparisons.evidence.quotes import figures_in_text, quote_carries, word_count


@pytest.mark.parametrize(
    ("quote", "value"),
    [
        ("ble etablert i 2010 av KS og NHO", 2010),
        ("i alt 334 millioner norske kroner i offentlige besparelser", 334e6),
        ("36 million Euros in public savings", 36e6),
        ("gir offentlige besparelser på over 400 millioner kroner", 400e6),
        ("har fonden i 2022 bevilliget i alt 1,9 milliarder kroner", 1.9e9),
        ("Det svarer til 20,6 mia. kr.", 20.6e9),
        ("bevilge 10,55 mill. kr. over", 10.55e6),
        ("samt 500 000,- fra Kommunal- og moderniseringsdepartementet", 500_000),
        ("I alt 5 550 203", 5_550_203),
        ("I alt 5\u00a0550\u00a0203", 5_550_203),
        ("Dermed vokser DI's medlemstal til 17.400 medlemsvirksomheder.", 17_400),
        ("1. januar 2020 var befolkningen 5.822.763 personer", 5_822_763),
        ("Pt. er Norge inndelt i elleve fylker", 11),
        ("fordelt med fire mio. kr. fra kommunerne, to mio. kr. fra regionerne", 4e6),
        ("fordelt med fire mio. kr. fra kommunerne, to mio. kr. fra regionerne", 2e6),
        ("8,6 milliarder kroner mod 11,2 og 13,1 milliarder kroner", 11.2e9),
        ("uppskattat värde av 550–600 miljarder kronor", 550e9),
        ("Staten købte i 2016 ind for knap 37 mia. kr.", 37e9),
        ("Med en samlet score på 25,8 pct. ligger vi under", 25.8),
        ("2,824 tonnes", 2824),
        ("Gennem årene har 1.300 offentlige organisationer købt ind", 1300),
        ("10 millioner investert", 10e6),
    ],
)
def test_written_forms_are_understood(quote: str, value: float) -> None:
    assert quote_carries(quote, value)


@pytest.mark.parametrize(
    ("quote", "value"),
    [
        ("i alt 334 millioner norske kroner", 334),  # not in base units
        ("i alt 334 millioner norske kroner", 335e6),
        ("1 av 4 kommuner", 25),  # a ratio: needs manual review
        ("ingen tall her", 0),
        ("bevilge 10,55 mill. kr.", 10.5e6),  # written to two decimals
        ("", 1),
    ],
)
def test_figures_not_in_the_quote_are_rejected(quote: str, value: float) -> None:
    assert not quote_carries(quote, value)


def test_precision_follows_the_digits_written() -> None:
    # "1,9 mia." covers 1.85-1.95 bn, not 2 bn
    assert quote_carries("1,9 mia. kr.", 1.94e9)
    assert not quote_carries("1,9 mia. kr.", 2.0e9)


def test_word_count() -> None:
    assert word_count("  ett  to\ttre\n") == 3


LOCALES = ("nb_NO", "nn_NO", "da_DK", "en_GB", "sv_SE")
SCALES = {
    "": 1,
    " millioner": 1e6,
    " mill.": 1e6,
    " mio.": 1e6,
    " million": 1e6,
    " mrd.": 1e9,
    " mia.": 1e9,
    " milliarder": 1e9,
    " billion": 1e9,
}


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=10**10),
    decimals=st.integers(min_value=0, max_value=2),
    locale=st.sampled_from(LOCALES),
    scale=st.sampled_from(sorted(SCALES)),
    before=st.sampled_from(["", "over ", "ca. ", "knap ", "about "]),
    after=st.sampled_from(["", " kroner", " kr.", " NOK", " i året."]),
)
def test_babel_formatted_numbers_are_found(
    n: int, decimals: int, locale: str, scale: str, before: str, after: str
) -> None:
    """Any number babel writes in a Nordic or English locale, with any scale word, is read back."""
    value = n / 10**decimals
    written = format_decimal(value, format="#,##0" + ("." + "0" * decimals if decimals else ""), locale=locale)
    quote = f"Det offentlige køber {before}{written}{scale}{after}"
    assert quote_carries(quote, value * SCALES[scale])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    for figure in figures_in_text(text):
        assert figure.tolerance >= 0
