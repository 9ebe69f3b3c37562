"""The one palette meets WCAG 2.1 AA contrast and stays colour-blind safe: the ratios are computed here.

Contrast: WCAG's relative luminance (comparisons.outputs.palette), checked against published pairs first.
Colour blindness: each colour is simulated for protanopia, deuteranopia and tritanopia (Machado, Oliveira and
Fernandes 2009, severity 1.0, in linear RGB) and the colours drawn together must stay apart in CIELAB.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import pytest

from comparisons.outputs import palette
from comparisons.outputs.palette import contrast_ratio

MARK_MIN = 3.0  # SC 1.4.11, graphical objects
TEXT_MIN = 4.5  # SC 1.4.3, normal text
# CIE76 distance below which two colours read as one under a simulated colour blindness (a just-noticeable
# difference is about 2.3; 10 keeps chart colours clearly apart at mark size).
CVD_MIN = 10.0

MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}


def _linear(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    c = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c)
    return r, g, b


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _simulate(colour: str, kind: str) -> tuple[float, float, float]:
    rgb = _linear(colour)
    m = MACHADO[kind]
    return tuple(min(1.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3)))) for i in range(3))  # type: ignore[return-value]


def cvd_distance(a: str, b: str, kind: str) -> float:
    return math.dist(_lab(_simulate(a, kind)), _lab(_simulate(b, kind)))


@pytest.mark.parametrize(
    ("fg", "bg", "expected"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#767676", "#FFFFFF", 4.54),
        ("#808495", "#FFFFFF", 3.72),
        ("#E69F00", "#FFFFFF", 2.25),
    ],
)
def test_the_contrast_ratio_matches_published_values(fg: str, bg: str, expected: float) -> None:
    """#767676 is the well-known lightest grey for text on white; #808495 and #E69F00 are the issue's figures."""
    assert contrast_ratio(fg, bg) == pytest.approx(expected, abs=0.01)
    assert contrast_ratio(bg, fg) == contrast_ratio(fg, bg)


MARKS = {
    **{f"country {k}": v for k, v in palette.COUNTRY_COLOURS.items()},
    **{f"status {k}": v for k, v in palette.STATUS_COLOURS.items()},
    **{f"fit {k}": v for k, v in palette.FIT_COLOURS.items()},
    **{f"role {k}": v for k, v in palette.ROLE_COLOURS.items()},
    "neutral": palette.NEUTRAL,
    "rule": palette.RULE,
    "lower": palette.LOWER_HIGHER[0],
    "higher": palette.LOWER_HIGHER[1],
    "focus": palette.FOCUS,
}


@pytest.mark.parametrize("name", sorted(MARKS))
def test_every_mark_colour_has_3_to_1_on_white(name: str) -> None:
    assert contrast_ratio(MARKS[name], palette.BACKGROUND) >= MARK_MIN, (name, MARKS[name])


@pytest.mark.parametrize("background", [palette.BACKGROUND, palette.SIDEBAR_BACKGROUND])
@pytest.mark.parametrize("name", ["TEXT", "MUTED_TEXT"])
def test_text_colours_have_4_5_to_1_on_both_backgrounds(name: str, background: str) -> None:
    assert contrast_ratio(getattr(palette, name), background) >= TEXT_MIN


def test_focus_outline_has_3_to_1_on_both_backgrounds() -> None:
    assert contrast_ratio(palette.FOCUS, palette.SIDEBAR_BACKGROUND) >= MARK_MIN


def test_the_band_fill_is_the_only_light_colour_and_its_edges_carry_it() -> None:
    """The what-if band's fill is below 3:1 by design; its edges are drawn in the Danish colour (>= 3:1)."""
    from comparisons.outputs import whatif_charts

    assert contrast_ratio(palette.BAND_FILL) < MARK_MIN
    source = re.sub(r"\s+", " ", Path(whatif_charts.__file__).read_text(encoding="utf-8"))
    assert 'mark_line(color=COUNTRY_COLOURS["DK"], strokeDash=[2, 2]' in source


def test_every_colour_in_the_palette_module_is_checked_here() -> None:
    """A colour added to the palette without a contrast check here fails (BAND_FILL is the known exception)."""
    source = Path(palette.__file__).read_text(encoding="utf-8")
    defined = {c.upper() for c in re.findall(r'"(#[0-9A-Fa-f]{6})"', source)}
    checked = {c.upper() for c in MARKS.values()} | {
        palette.TEXT.upper(),
        palette.MUTED_TEXT.upper(),
        palette.BACKGROUND.upper(),
        palette.SIDEBAR_BACKGROUND.upper(),
        palette.BAND_FILL.upper(),
    }
    assert defined <= checked, defined - checked


# Colours drawn together in one chart or table column, where a reader must tell them apart.
GROUPS = {
    "countries and secondary series": [*palette.COUNTRY_COLOURS.values(), palette.NEUTRAL],
    "Danish status": list(dict.fromkeys(palette.STATUS_COLOURS.values())),
    "fit": list(palette.FIT_COLOURS.values()),
    "governance roles": list(palette.ROLE_COLOURS.values()),
    "what-if lower / higher": list(palette.LOWER_HIGHER),
    "partner counts (figure / conflicting figure)": [palette.COUNTRY_COLOURS["NO"], palette.WARNING],
}


@pytest.mark.parametrize("kind", sorted(MACHADO))
@pytest.mark.parametrize("group", sorted(GROUPS))
def test_colours_drawn_together_stay_apart_under_colour_blindness(group: str, kind: str) -> None:
    for a, b in itertools.combinations(GROUPS[group], 2):
        assert cvd_distance(a, b, kind) >= CVD_MIN, (group, kind, a, b, round(cvd_distance(a, b, kind), 1))


def test_the_check_would_catch_the_okabe_ito_orange_beside_vermillion() -> None:
    """Guard on the guard: the old pair (#E69F00 lower, #D55E00 higher) is too close for protanopes."""
    assert cvd_distance("#B26F00", "#D55E00", "protanopia") < CVD_MIN


def test_the_app_style_rule_draws_captions_in_the_muted_text_colour() -> None:
    from ui.a11y import STYLE

    rule = re.search(r'div\[data-testid="stCaptionContainer"\] \{([^}]*)\}', STYLE)
    assert rule is not None
    assert f"color: {palette.MUTED_TEXT}" in rule.group(1)
    assert "opacity: 1" in rule.group(1)  # Streamlit fades the caption container itself to 60 %
    assert f"outline: 2px solid {palette.FOCUS}" in STYLE
