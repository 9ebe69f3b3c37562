"""Numbers, money, percentages and dates written the way each language writes them, through babel.

Data stays numeric everywhere; these functions are used only at the edges (labels, captions, exports as text).
Where NOK and DKK meet, money is always written with its ISO code, since "kr" is ambiguous between the two.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from babel.dates import format_date, format_skeleton
from babel.numbers import (
    NumberFormatError,
    format_compact_decimal,
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)

LOCALES: dict[str, str] = {"nb": "nb_NO", "da": "da_DK", "en": "en_GB"}
MONEY_UNITS = ("NOK", "DKK", "EUR", "SEK")

# What a bound means in front of a figure, per language.
BOUND_PREFIX: dict[str, dict[str, str]] = {
    "nb": {"exact": "", "approx": "ca. ", "at_least": "over ", "at_most": "under "},
    "da": {"exact": "", "approx": "ca. ", "at_least": "over ", "at_most": "under "},
    "en": {"exact": "", "approx": "c. ", "at_least": "over ", "at_most": "under "},
}

UNIT_SUFFIX: dict[str, dict[str, str]] = {
    "nb": {"tonnes_co2": "tonn CO₂", "tonnes_co2e": "tonn CO₂e", "persons": "personer", "years": "år"},
    "da": {"tonnes_co2": "ton CO₂", "tonnes_co2e": "ton CO₂e", "persons": "personer", "years": "år"},
    "en": {"tonnes_co2": "tonnes CO₂", "tonnes_co2e": "tonnes CO₂e", "persons": "persons", "years": "years"},
}


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["en"])


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value != value


def fmt_number(value: float, lang: str, decimals: int = 2) -> str:
    """1234567.5 -> '1 234 567,5' (nb), '1.234.567,5' (da), '1,234,567.5' (en)."""
    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def fmt_compact(value: float, lang: str, digits: int = 1) -> str:
    """334000000 -> '334 mill.' (nb), '334 mio.' (da), '334M' (en); small numbers are written out in full."""
    if _missing(value):
        return "–"
    if abs(value) < 10_000:
        return fmt_number(value, lang, decimals=2 if abs(value) < 100 else 0)
    # babel writes 999 950 as '1000k' instead of rolling over to '1 mill.' (python-babel PR #1301): round to
    # the displayed precision first, so the scale is chosen on the rounded number.
    magnitude = 10 ** (math.floor(math.log10(abs(value))) // 3 * 3)
    rounded = round(value / magnitude, digits) * magnitude
    return format_compact_decimal(rounded, locale=locale_of(lang), fraction_digits=digits)


def fmt_money(value: float, currency: str, lang: str, compact: bool = True, digits: int = 1) -> str:
    """Money with its ISO code: '334 mill. NOK' (nb), '334 mio. NOK' (da), 'NOK 334M' (en)."""
    if _missing(value):
        return "–"
    amount = fmt_compact(value, lang, digits) if compact else fmt_number(value, lang, decimals=0)
    if lang == "en":
        return f"{currency}\u00a0{amount}"
    return f"{amount}\u00a0{currency}"


def fmt_percent(value: float | Decimal, lang: str) -> str:
    """A value stored in percent (25.8) -> '25,8 %' (nb, da) or '25.8%' (en); a Decimal keeps its exact digits."""
    if _missing(value):
        return "–"
    return format_percent(value / 100, locale=locale_of(lang), decimal_quantization=False)


def fmt_value(value: float, unit: str, lang: str, bound: str = "exact", compact: bool = True) -> str:
    """A fact's value in its unit, with its bound: 'over 400 mill. NOK', 'ca. 650 mrd. NOK', '35', '25,8 %'."""
    if _missing(value):
        return "–"
    if unit in MONEY_UNITS:
        text = fmt_money(value, unit, lang, compact=compact)
    elif unit == "percent":
        text = fmt_percent(value, lang)
    elif unit in ("year", "rank"):
        text = str(int(value)) if float(value).is_integer() else fmt_number(value, lang)
    else:
        text = fmt_compact(value, lang) if compact else fmt_number(value, lang)
        suffix = UNIT_SUFFIX.get(lang, UNIT_SUFFIX["en"]).get(unit)
        if suffix:
            text = f"{text}\u00a0{suffix}"
    prefix = BOUND_PREFIX.get(lang, BOUND_PREFIX["en"]).get(bound or "exact", "")
    return prefix + text


def fmt_period(text: str, lang: str) -> str:
    """'2020' -> '2020'; '2020-09' -> 'september 2020'; '2020-09-09' -> '9. september 2020' (nb)."""
    if not text or text != text:
        return "–"
    parts = str(text).split("-")
    try:
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return format_skeleton("yMMMM", date(int(parts[0]), int(parts[1]), 1), locale=locale_of(lang))
        return format_date(date(int(parts[0]), int(parts[1]), int(parts[2])), "long", locale=locale_of(lang))
    except (ValueError, TypeError):
        return str(text)


def fmt_span(start: str, end: str, lang: str) -> str:
    """A fact's validity: one date when start equals end, else 'start – end'."""
    if start == end or not end or end != end:
        return fmt_period(start, lang)
    return f"{fmt_period(start, lang)}\u2009–\u2009{fmt_period(end, lang)}"


# --- reading a number a reader typed --------------------------------------------------------------------------------

EMPTY, NOT_A_NUMBER, OUT_OF_RANGE = "empty", "not_a_number", "out_of_range"
# Spaces a reader may type between groups where the language groups with a space (nb: babel's no-break space).
_SPACES = " \u00a0\u202f"


@dataclass(frozen=True)
class Refused:
    """Why a typed number was not taken: EMPTY, NOT_A_NUMBER or OUT_OF_RANGE."""

    reason: str


def parse_number(text: str, lang: str, lo: float, hi: float, decimals: int) -> float | Refused:
    """A number typed by a reader, read the way `fmt_number` writes it in `lang`, or why it is refused.

    Accepted: digits with an optional sign (-, + or the minus sign −); the language's decimal mark (',' in nb and
    da, '.' in en); the language's group separator between groups of three digits, or none at all ('1.234.567' or
    '1234567' in da, '1,234,567' or '1234567' in en; in nb a space, a no-break space or a narrow no-break space:
    '1 234 567'); spaces around the number. Refused: anything else — units and words ('DKK', '8 mio.'), exponents,
    'NaN', groups of the wrong size, and the other languages' forms where they mean something else in this one
    ('9.15' on a Danish page). A number outside lo..hi is refused; one inside is rounded to `decimals` places.
    Never raises."""
    locale = locale_of(lang)
    group, mark = get_group_symbol(locale), get_decimal_symbol(locale)
    s = str(text).strip().replace("\u2212", "-")
    if group in _SPACES:
        s = re.sub(f"[{_SPACES}]", group, s)
    if not s:
        return Refused(EMPTY)
    if not re.fullmatch(f"[-+]?[0-9{re.escape(group + mark)}]*[0-9][0-9{re.escape(group + mark)}]*", s):
        return Refused(NOT_A_NUMBER)
    try:
        number = parse_decimal(s, locale=locale, strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        return Refused(NOT_A_NUMBER)
    if not number.is_finite():
        return Refused(NOT_A_NUMBER)
    if number < Decimal(str(lo)) or number > Decimal(str(hi)):
        return Refused(OUT_OF_RANGE)
    return float(number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)) + 0.0  # no "-0"


def count_en(n: int, noun: str, nouns: str | None = None) -> str:
    """ "1 problem", "2 problems": a count in the command line's English messages (never a hedged "problem(s)";
    the app's pages use ngettext)."""
    return f"{n} {noun if n == 1 else nouns or noun + 's'}"
