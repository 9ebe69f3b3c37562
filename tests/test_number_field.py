"""The number fields (ui/number_field.py): numbers typed and shown in the app's language, whatever the browser's.

The parser (comparisons.i18n.formatting.parse_number) reads back what fmt_number writes, in every language, for
every value a field accepts, and never raises on any other text. On the What-if page, typing a value the
language's way updates the results; a refused value names the field and its range and changes nothing; a
language switch rewrites the field; − and + move it by its step; links made before the fields keep working.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import (
    EMPTY,
    NOT_A_NUMBER,
    OUT_OF_RANGE,
    Refused,
    fmt_number,
    parse_number,
)
from comparisons.measures.whatif import INPUT_LIMITS
from tests.helpers import LANGS, open_page

# The What-if's fields: (limits, decimals), as pages/whatif.py draws them.
FIELDS = {
    "funding": (INPUT_LIMITS["funding_dkk"], 0),
    "ratio": (INPUT_LIMITS["savings_central"], 2),
}
PAGE = "whatif"
SCENARIO = {"wi_funding": "5000000.0", "wi_years": "4", "wi_ramp": "1", "wi_low": "1.0", "wi_central": "1.5"}
SCENARIO |= {"wi_high": "6.0", "wi_basis": "budget", "wi_year": "2020"}


@st.composite
def field_values(draw: st.DrawFn) -> tuple[str, float]:
    """A field, and a value it accepts at its precision (the bounds included)."""
    name = draw(st.sampled_from(sorted(FIELDS)))
    (lo, hi), decimals = FIELDS[name]
    scale = 10**decimals
    steps = draw(st.integers(int(lo * scale), int(hi * scale)) | st.sampled_from([int(lo * scale), int(hi * scale)]))
    return name, steps / scale


@settings(max_examples=300, deadline=None)
@given(field_values(), st.sampled_from(LANGS))
def test_what_a_field_writes_it_reads_back(field: tuple[str, float], lang: str) -> None:
    name, value = field
    (lo, hi), decimals = FIELDS[name]
    written = fmt_number(value, lang, decimals)
    assert parse_number(written, lang, lo, hi, decimals) == value
    # As a reader types it: without groups, or (nb) with ordinary or narrow spaces between them.
    plain = written.replace({"nb": "\u00a0", "da": ".", "en": ","}[lang], "")
    assert parse_number(plain, lang, lo, hi, decimals) == value
    if lang == "nb":
        for space in (" ", "\u202f"):
            assert parse_number(written.replace("\u00a0", space), lang, lo, hi, decimals) == value


@settings(max_examples=500, deadline=None)
@given(
    st.text(max_size=40) | st.from_regex(r"\A[-+ ]?[0-9 .,\u00a0]{0,20}\Z"),
    st.sampled_from(LANGS),
    st.sampled_from(sorted(FIELDS)),
)
def test_any_text_is_a_number_in_range_or_a_refusal(text: str, lang: str, name: str) -> None:
    (lo, hi), decimals = FIELDS[name]
    read = parse_number(text, lang, lo, hi, decimals)
    if isinstance(read, Refused):
        assert read.reason in (EMPTY, NOT_A_NUMBER, OUT_OF_RANGE)
    else:
        assert isinstance(read, float) and lo <= read <= hi and round(read, decimals) == read


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("1.234.567", "da", 1234567.0),
        ("1234567,5", "da", 1234568.0),  # kept to the field's precision (whole kroner)
        ("1 234 567", "nb", 1234567.0),
        (" 1,234,567 ", "en", 1234567.0),
        ("9.15", "da", Refused(NOT_A_NUMBER)),  # a Danish page reads '.' as a group separator: not grouped in threes
        ("1,5", "en", Refused(NOT_A_NUMBER)),
        ("1.23.4", "da", Refused(NOT_A_NUMBER)),
        ("8 mio.", "da", Refused(NOT_A_NUMBER)),
        ("8000000 DKK", "en", Refused(NOT_A_NUMBER)),
        ("1e6", "en", Refused(NOT_A_NUMBER)),
        ("NaN", "en", Refused(NOT_A_NUMBER)),
        ("Infinity", "en", Refused(NOT_A_NUMBER)),
        ("", "nb", Refused(EMPTY)),
        ("   ", "da", Refused(EMPTY)),
        ("-1", "en", Refused(OUT_OF_RANGE)),
        ("\u22121", "nb", Refused(OUT_OF_RANGE)),  # the minus sign babel writes in nb
        ("10.000.000.001", "da", Refused(OUT_OF_RANGE)),
    ],
)
def test_what_the_funding_field_accepts(text: str, lang: str, expected: float | Refused) -> None:
    (lo, hi), decimals = FIELDS["funding"]
    assert parse_number(text, lang, lo, hi, decimals) == expected


def test_a_ratio_is_kept_to_two_decimals() -> None:
    (lo, hi), decimals = FIELDS["ratio"]
    assert parse_number("9,155", "da", lo, hi, decimals) == 9.16
    assert parse_number("1.000,00", "da", lo, hi, decimals) == 1000.0
    assert parse_number("1.000,01", "da", lo, hi, decimals) == Refused(OUT_OF_RANGE)


# --- on the What-if page -----------------------------------------------------------------------------------------

FUNDING = {"nb": "10\u00a0000\u00a0000", "da": "10.000.000", "en": "10,000,000"}
OLD = {"nb": "5\u00a0000\u00a0000", "da": "5.000.000", "en": "5,000,000"}
TOP = {"nb": "10\u00a0000\u00a0000\u00a0000", "da": "10.000.000.000", "en": "10,000,000,000"}


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", LANGS)
def test_a_value_typed_the_languages_way_updates_the_results(lang: str) -> None:
    _ = gettext_for(lang)
    at = open_page(PAGE, lang, SCENARIO)
    assert at.text_input(key="wi_funding_text").value == OLD[lang]
    assert at.text_input(key="wi_central_text").value == {"nb": "1,5", "da": "1,5", "en": "1.5"}[lang]
    before = metrics(at)[_("Cumulative cost")]
    at.text_input(key="wi_funding_text").input(FUNDING[lang]).run()
    assert not at.exception and not at.error
    assert at.text_input(key="wi_funding_text").value == FUNDING[lang]
    after = metrics(at)[_("Cumulative cost")]
    assert before == {"nb": "20\u00a0mill.\u00a0DKK", "da": "20\u00a0mio.\u00a0DKK", "en": "DKK\u00a020M"}[lang]
    assert after == {"nb": "40\u00a0mill.\u00a0DKK", "da": "40\u00a0mio.\u00a0DKK", "en": "DKK\u00a040M"}[lang]
    assert at.query_params["wi_funding"] in ("10000000.0", ["10000000.0"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("typed", "reason"),
    [("abc", NOT_A_NUMBER), ("", EMPTY), ("-5", OUT_OF_RANGE), ("99999999999", OUT_OF_RANGE), ("5 mio", NOT_A_NUMBER)],
)
def test_a_refused_value_names_the_field_and_range_and_changes_nothing(lang: str, typed: str, reason: str) -> None:
    _ = gettext_for(lang)
    at = open_page(PAGE, lang, SCENARIO)
    before, url = metrics(at), at.query_params["wi_funding"]
    at.text_input(key="wi_funding_text").input(typed).run()
    assert not at.exception
    (error,) = at.error
    message = error.value.replace("\\", "")  # as drawn: Markdown escapes removed
    assert _("Annual public funding (DKK)") in message
    assert f"{fmt_number(0, lang, 0)} " in message and TOP[lang] in message  # the accepted range
    assert OLD[lang] in message  # the value the page goes on using
    if reason == NOT_A_NUMBER:
        assert typed in message and {"nb": "1\u00a0234\u00a0567", "da": "1.234.567", "en": "1,234,567"}[lang] in message
    # Nothing else moved: the results, the URL, the value; the field keeps what was typed, to be corrected.
    assert metrics(at) == before and at.query_params["wi_funding"] == url and at.session_state["wi_funding"] == 5e6
    assert at.text_input(key="wi_funding_text").value == typed
    # Another input moved meanwhile still counts the last good funding; a good value clears the message.
    at.slider(key="wi_years").set_value(5).run()
    assert len(at.error) == 1 and at.session_state["wi_funding"] == 5e6
    at.text_input(key="wi_funding_text").input(FUNDING[lang]).run()
    assert not at.error and at.session_state["wi_funding"] == 1e7


def test_a_language_switch_rewrites_the_fields_and_keeps_their_values() -> None:
    at = open_page(PAGE, "da", SCENARIO)
    at.text_input(key="wi_funding_text").input("1.234.567").run()
    at.text_input(key="wi_low_text").input("1,25").run()
    for lang in ("nb", "en", "da"):
        at.sidebar.selectbox(key="lang_picker").set_value(lang).run()
        assert not at.exception and not at.error
        assert at.text_input(key="wi_funding_text").value == fmt_number(1234567, lang, 0)
        assert at.text_input(key="wi_low_text").value == {"nb": "1,25", "da": "1,25", "en": "1.25"}[lang]
        assert at.session_state["wi_funding"] == 1234567.0 and at.session_state["wi_low"] == 1.25


def test_minus_and_plus_move_a_field_by_its_step_within_its_range() -> None:
    at = open_page(PAGE, "da", SCENARIO | {"wi_low": "0.05"})
    at.button(key="wi_funding_up").click().run()
    assert at.text_input(key="wi_funding_text").value == "5.500.000"
    assert at.query_params["wi_funding"] in ("5500000.0", ["5500000.0"])
    at.button(key="wi_central_down").click().run()
    assert at.text_input(key="wi_central_text").value == "1,4"
    at.button(key="wi_low_down").click().run()  # 0,05 - 0,1: kept at the lower bound
    assert at.text_input(key="wi_low_text").value == "0" and at.session_state["wi_low"] == 0.0
    assert at.button(key="wi_low_down").disabled


@pytest.mark.parametrize("lang", LANGS)
def test_links_made_with_the_number_inputs_open_the_same_values(lang: str) -> None:
    # The URL parameters are what st.number_input's values were written as ("8000000.0", "1.49").
    at = open_page(PAGE, lang, SCENARIO | {"wi_funding": "8000000.0", "wi_low": "1.49"})
    assert not at.exception and not at.error
    assert at.text_input(key="wi_funding_text").value == fmt_number(8e6, lang, 0)
    assert at.text_input(key="wi_low_text").value == {"nb": "1,49", "da": "1,49", "en": "1.49"}[lang]
