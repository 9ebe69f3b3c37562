"""Charts as PNG and SVG files (vl-convert-python), with the reader's number and date formats.

Why: the decision pack and the Export page hand charts to Word and slides, where a picture must read the same way
as the page did. The caller gives a chart whose titles and labels are already translated; this module fixes its
size (a width of "container" means nothing outside a browser), sets the d3 number and time locales of the language
(comparisons.outputs.charts: d3 ships da-DK but no nb-NO number locale, so each language is given as an explicit dict), a
white background, and converts offline: `allowed_base_urls=[]` so a spec can never fetch anything. Conversion is
slow (hundreds of milliseconds), so results are cached by spec, language, format and size; and the first
conversion in a process also starts vl-convert's JavaScript engine (about half a second), which `warm_up` does
ahead of time so that a reader's first chart or decision pack does not wait for it.
"""

from __future__ import annotations

import copy
import json
import threading
from functools import lru_cache
from typing import Any

import altair as alt

from comparisons.i18n import LANGUAGES
from comparisons.outputs.charts import D3_NUMBER_LOCALES, D3_TIME_LOCALES
from comparisons.outputs.exports import safe_filename

DEFAULT_WIDTH = 640
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
CHART_FORMATS: dict[str, tuple[str, str]] = {"png": ("png", "image/png"), "svg": ("svg", "image/svg+xml")}


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")


def _fix_widths(node: Any, width: int) -> None:
    """Replace every width "container" (here or in layered/concatenated sub-charts) by a number of pixels."""
    if isinstance(node, dict):
        if node.get("width") == "container":
            node["width"] = width
        for key, value in node.items():
            if key not in ("data", "datasets"):
                _fix_widths(value, width)
    elif isinstance(node, list):
        for item in node:
            _fix_widths(item, width)


def static_spec(chart: alt.TopLevelMixin | dict, lang: str, width: int = DEFAULT_WIDTH) -> dict:
    """The Vega-Lite spec of `chart`, ready for a file: fixed width, locale of `lang`, font, white background."""
    _check_lang(lang)
    spec = copy.deepcopy(chart) if isinstance(chart, dict) else chart.to_dict()
    _fix_widths(spec, width)
    if "width" not in spec and not any(k in spec for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        spec["width"] = width
    config = spec.setdefault("config", {})
    config["locale"] = {"number": D3_NUMBER_LOCALES[lang], "time": D3_TIME_LOCALES[lang]}
    config.setdefault("font", FONT)
    config.setdefault("background", "white")
    config.setdefault("view", {}).setdefault("stroke", None)
    return spec


@lru_cache(maxsize=64)
def _convert(spec_json: str, lang: str, fmt: str, scale: float, ppi: float) -> bytes:
    import vl_convert as vlc

    spec = json.loads(spec_json)
    common: dict[str, Any] = {  # each value has its own type in vl-convert's signature
        "format_locale": D3_NUMBER_LOCALES[lang],
        "time_format_locale": D3_TIME_LOCALES[lang],
        "allowed_base_urls": [],
    }
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=scale, ppi=ppi, **common)
    return vlc.vegalite_to_svg(spec, **common).encode("utf-8")


_WARM = threading.Lock()
_warmed = False
_WARM_SPEC = {
    "data": {"values": [{"x": 1}]},
    "mark": "point",
    "encoding": {"x": {"field": "x", "type": "quantitative"}},
}


def warm_up() -> bool:
    """Start vl-convert's engine with one tiny conversion, once per process (later calls return at once).
    Returns True when the engine is ready; False when the conversion failed (the real one will say why)."""
    global _warmed
    if _warmed:
        return True
    with _WARM:
        if not _warmed:
            try:
                import vl_convert as vlc

                vlc.vegalite_to_png(_WARM_SPEC, allowed_base_urls=[])
                _warmed = True
            except Exception:  # noqa: BLE001 - a warm-up never fails anything; the real conversion reports errors
                return False
    return True


def chart_png(
    chart: alt.TopLevelMixin | dict, lang: str, width: int = DEFAULT_WIDTH, scale: float = 1.0, ppi: float = 144
) -> bytes:
    """PNG bytes. Pixels = chart size x scale x ppi / 72: the defaults give a 640-pixel-wide chart 1 280 pixels
    wide, sharp in Word at 16 cm."""
    spec = static_spec(chart, lang, width)
    return _convert(json.dumps(spec, sort_keys=True, ensure_ascii=False), lang, "png", float(scale), float(ppi))


def chart_svg(chart: alt.TopLevelMixin | dict, lang: str, width: int = DEFAULT_WIDTH) -> bytes:
    """SVG bytes (UTF-8): text stays text, so labels can be read and searched."""
    spec = static_spec(chart, lang, width)
    return _convert(json.dumps(spec, sort_keys=True, ensure_ascii=False), lang, "svg", 1.0, 72.0)


def chart_bytes(chart: alt.TopLevelMixin | dict, lang: str, fmt: str, width: int = DEFAULT_WIDTH) -> bytes:
    if fmt not in CHART_FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}; expected one of {', '.join(CHART_FORMATS)}")
    return chart_png(chart, lang, width) if fmt == "png" else chart_svg(chart, lang, width)


def chart_filename(name: str, lang: str, fmt: str, day: str = "") -> str:
    """'procurement-volume-da-2025-03-05.png': safe characters only."""
    stem = "-".join(p for p in (name, lang, day) if p)
    return safe_filename(f"{stem}.{CHART_FORMATS[fmt][0]}")
