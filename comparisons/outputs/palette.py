"""The one palette: colours for Norway and Denmark used by every chart and export (Okabe–Ito, colour-blind safe)."""

from __future__ import annotations

COUNTRY_COLOURS: dict[str, str] = {
    "NO": "#0072B2",  # blue
    "DK": "#D55E00",  # vermillion
}
# Bands and secondary series (low/high, other sources) and status colours.
NEUTRAL = "#999999"
ACCENT = "#009E73"  # bluish green
WARNING = "#E69F00"  # orange
STATUS_COLOURS: dict[str, str] = {"present": ACCENT, "partial": WARNING, "missing": "#CC79A7", "none": "#CC79A7"}
FIT_COLOURS: dict[str, str] = {"strong": ACCENT, "partial": WARNING, "none": "#CC79A7"}
