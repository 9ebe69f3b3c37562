"""The one palette: every colour a chart, a table or an export draws with, and the text colours of the app.

Hues from Okabe–Ito (colour-blind safe), darkened where the original falls below WCAG 2.1's 3:1 for graphics on
white (SC 1.4.11): orange #E69F00 (2.25:1) became ochre, sky blue and the light grey went, reddish purple moved to
Paul Tol's darker #AA3377. Text colours meet 4.5:1 (SC 1.4.3) on the app's backgrounds. tests/test_palette.py
computes every ratio and checks that the colours drawn together stay apart under simulated colour blindness.
"""

from __future__ import annotations

# Backgrounds the app draws on: the page, and Streamlit's sidebar and widget background (its light theme).
BACKGROUND = "#FFFFFF"
SIDEBAR_BACKGROUND = "#F8F8F7"

# Marks (>= 3:1 on white).
COUNTRY_COLOURS: dict[str, str] = {
    "NO": "#0072B2",  # blue, 5.2:1
    "DK": "#D55E00",  # vermillion, 3.9:1
}
NEUTRAL = "#767676"  # grey, 4.5:1: secondary series (cost, other sources)
ACCENT = "#009E73"  # bluish green, 3.4:1
WARNING = "#B26F00"  # ochre (Okabe-Ito orange darkened), 4.1:1
PURPLE = "#AA3377"  # reddish purple (Paul Tol), 6.1:1
STATUS_COLOURS: dict[str, str] = {"present": ACCENT, "partial": WARNING, "missing": PURPLE, "none": PURPLE}
FIT_COLOURS: dict[str, str] = {"strong": ACCENT, "partial": WARNING, "none": PURPLE}
# Governance roles; the chart also gives each role its own marker shape, so colour never carries it alone.
ROLE_COLOURS: dict[str, str] = {
    "founder": ACCENT,
    "owner": COUNTRY_COLOURS["NO"],
    "steering_group": WARNING,
    "collaborator": NEUTRAL,
}
# The what-if sensitivity bars: an input moved down, and up.
LOWER_HIGHER: tuple[str, str] = (PURPLE, COUNTRY_COLOURS["DK"])
# The low-high band's fill is decoration: the band's edges are drawn as lines in the Danish colour.
BAND_FILL = "#F5C9A9"
RULE = "#666666"  # reference lines (a succession on the governance timeline), 5.7:1

# Text (>= 4.5:1 on both backgrounds).
TEXT = "#2F2D2B"  # Streamlit's light-theme text colour
MUTED_TEXT = "#5C5B59"  # captions, chart axis and legend labels (Streamlit's own 60 % grey is 3.8:1)
FOCUS = "#1F5F8B"  # the theme's primary colour: focus outlines (>= 3:1 against both backgrounds)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a #RRGGBB colour."""
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str = BACKGROUND) -> float:
    """WCAG 2.1 contrast ratio of two #RRGGBB colours, 1.0 to 21.0."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
