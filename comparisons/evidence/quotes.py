"""Find the figures written in a quote, in the ways Norwegian, Danish and English texts write them.

The evidence rule is that every quote carries its figure. Sources write the same number in many ways:
"334 millioner", "36 million Euros", "over 400 millioner", "1,9 mia.", "10,55 mill. kr.", "500 000,-",
"5 550 203", "17.400", "elleve". `figures_in_text` returns every value a quote can be read as, each with the
precision it was written to, and `quote_carries` asks whether the stored value is one of them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Words that scale the number before them. Keys are lower-case, without a trailing full stop.
MULTIPLIERS: dict[str, float] = {
    **dict.fromkeys(["tusen", "tusind", "thousand", "thousands", "k"], 1e3),
    **dict.fromkeys(
        ["mill", "million", "millioner", "millionen", "millions", "mio", "mn", "m", "mnok", "mdkk", "meur"], 1e6
    ),
    **dict.fromkeys(
        ["mrd", "mia", "milliard", "milliarder", "miljard", "miljarder", "billion", "billions", "bn", "bill"], 1e9
    ),
}

# Cardinal number words in bokmål, nynorsk, Danish, Swedish and English. Ambiguous words ("en", "to", "ni")
# only matter when the stored value equals them, so reading them generously is safe.
NUMBER_WORDS: dict[str, int] = {
    **dict.fromkeys(["én", "ett", "eitt", "ein", "ei", "one", "en", "et"], 1),
    **dict.fromkeys(["to", "two", "två", "tvo"], 2),
    **dict.fromkeys(["tre", "three"], 3),
    **dict.fromkeys(["fire", "four", "fyra"], 4),
    **dict.fromkeys(["fem", "five"], 5),
    **dict.fromkeys(["seks", "six", "sex"], 6),
    **dict.fromkeys(["sju", "syv", "seven"], 7),
    **dict.fromkeys(["åtte", "otte", "åtta", "eight"], 8),
    **dict.fromkeys(["ni", "nine", "nio"], 9),
    **dict.fromkeys(["ti", "ten", "tio"], 10),
    **dict.fromkeys(["elleve", "elva", "eleven"], 11),
    **dict.fromkeys(["tolv", "twelve"], 12),
    **dict.fromkeys(["tretten", "tretton", "thirteen"], 13),
    **dict.fromkeys(["fjorten", "fjorton", "fourteen"], 14),
    **dict.fromkeys(["femten", "femton", "fifteen"], 15),
    **dict.fromkeys(["seksten", "sexton", "sixteen"], 16),
    **dict.fromkeys(["sytten", "sjutton", "seventeen"], 17),
    **dict.fromkeys(["atten", "arton", "eighteen"], 18),
    **dict.fromkeys(["nitten", "nitton", "nineteen"], 19),
    **dict.fromkeys(["tjue", "tyve", "tjugo", "twenty"], 20),
    **dict.fromkeys(["hundre", "hundrede", "hundra", "hundred"], 100),
}

_SPACES = " \u00a0\u202f\u2009"
# A number: digits, possibly grouped by spaces, dots, commas or apostrophes, possibly with decimals.
# ASCII digits only: superscripts and other scripts' digits are not figures here.
_NUMBER = re.compile(r"[0-9](?:[0-9.,'" + _SPACES + r"]*[0-9])?")
_WORD = re.compile(r"[^\W\d_]+\.?", re.UNICODE)


def _digits(s: str) -> bool:
    return bool(s) and all("0" <= c <= "9" for c in s)


# What may stand between a number and the multiplier that also applies to it ("8,6 og 11,2 mia.", "550–600 miljarder").
_CONNECTORS = {"og", "og/eller", "eller", "and", "or", "to", "til", "och", "-", "–", "—", "/", "mod", "against"}


@dataclass(frozen=True)
class Figure:
    """A value a piece of text can be read as, and half a unit of the last digit written (its rounding band)."""

    value: float
    tolerance: float


def _interpret_plain(token: str) -> list[tuple[float, float]]:
    """Readings of one digit group without spaces, e.g. '17.400' (17400 or 17.4), '10,55', '1,300'."""
    readings: list[tuple[float, float]] = []
    if _digits(token):
        return [(float(token), 0.5)]
    seps = [c for c in token if not _digits(c)]
    first_sep = seps[0]
    parts = re.split(r"[.,']", token)
    # Thousands grouping: one kind of separator, groups of exactly three digits after the first.
    if len(set(seps)) == 1 and all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
        readings.append((float("".join(parts)), 0.5))
    # Decimal: the last separator is the decimal mark, any earlier ones (of the other kind) group thousands.
    last = max(token.rfind("."), token.rfind(","))
    whole, frac = token[:last], token[last + 1 :]
    whole_digits = re.sub(r"[.,']", "", whole)
    other = [c for c in whole if not _digits(c)]
    if whole_digits and frac and (not other or all(c != token[last] for c in other)):
        readings.append((float(f"{whole_digits}.{frac}"), 0.5 * 10 ** -len(frac)))
    if not readings and first_sep:
        # Unusual grouping ("1,2,3"): read each digit run on its own.
        readings.extend((float(p), 0.5) for p in parts if _digits(p))
    return readings


def _interpret(token: str) -> list[tuple[float, float]]:
    """Readings of a number token that may contain spaces ('5 550 203', '9,33 9,60')."""
    pieces = [p for p in re.split(f"[{_SPACES}]+", token) if p]
    readings: list[tuple[float, float]] = []
    if len(pieces) > 1 and 1 <= len(pieces[0]) <= 3 and all(len(p) == 3 and _digits(p) for p in pieces[1:-1]):
        last = pieces[-1]
        joined_last = re.match(r"^([0-9]{3})([.,][0-9]+)?$", last)
        if _digits(pieces[0]) and joined_last:
            joined = "".join(pieces[:-1]) + joined_last.group(1)
            frac = (joined_last.group(2) or "")[1:]
            tol = 0.5 * 10 ** -len(frac) if frac else 0.5
            readings.append((float(joined + ("." + frac if frac else "")), tol))
    for piece in pieces:
        readings.extend(_interpret_plain(piece))
    return readings


def _tokens(text: str) -> list[tuple[str, str]]:
    """The text as ('num', '...') and ('word', '...') tokens, with dashes and slashes kept as words."""
    out: list[tuple[str, str]] = []
    pattern = re.compile(_NUMBER.pattern + r"|" + _WORD.pattern + r"|[-–—/%]")
    for match in pattern.finditer(text):
        s = match.group(0)
        if _digits(s[0]):
            out.append(("num", s.strip(_SPACES)))
        else:
            out.append(("word", s.lower()))
    return out


def _multiplier(word: str) -> float | None:
    return MULTIPLIERS.get(word.rstrip(".").lower())


def figures_in_text(text: str) -> list[Figure]:
    """Every value `text` can be read as: each number as written and, where a scale word follows, scaled."""
    tokens = _tokens(text or "")
    figures: list[Figure] = []
    for i, (kind, s) in enumerate(tokens):
        if kind == "num":
            base = _interpret(s)
        elif s.rstrip(".") in NUMBER_WORDS:
            base = [(float(NUMBER_WORDS[s.rstrip(".")]), 0.5)]
        else:
            continue
        scale = None
        # Look ahead past connectors and further numbers for a scale word ("11,2 og 13,1 milliarder").
        for kind2, s2 in tokens[i + 1 : i + 6]:
            if kind2 == "word" and (m := _multiplier(s2)) is not None:
                scale = m
                break
            if kind2 == "num" or s2 in _CONNECTORS:
                continue
            break
        # With a scale word only the scaled reading counts, so a value stored as 334 for "334 millioner"
        # (not in base units) is caught.
        factor = scale if scale is not None else 1.0
        figures.extend(Figure(value * factor, tol * factor) for value, tol in base)
    return figures


def quote_carries(quote: str, value: float) -> bool:
    """True when some reading of `quote` equals `value` within the precision the quote was written to."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    target = abs(float(value))
    return any(abs(f.value - target) <= f.tolerance + 1e-9 * max(1.0, target) for f in figures_in_text(quote))


def word_count(text: str) -> int:
    """Words as a reader counts them: runs separated by white space."""
    return len((text or "").split())
