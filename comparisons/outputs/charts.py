"""Altair chart builders shared by the pages and the exports (pure: no streamlit).

Every chart gets its translated title and axes from the caller, the one country palette, tooltips that name source
and year, and number formats of the reader's language (d3 locale dicts below; d3 ships da-DK but no nb-NO).
`accessible_spec` gives a converted spec what a screen reader announces (WCAG 1.1.1): a description in the
reader's language, and field titles instead of column names in what each mark reads out.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

import altair as alt

from comparisons.outputs.palette import COUNTRY_COLOURS, MUTED_TEXT, TEXT

# d3-format and d3-time-format locales. Money is labelled with ISO codes elsewhere, so currency is left empty.
D3_NUMBER_LOCALES: dict[str, dict] = {
    "nb": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", ""]},
    "da": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", ""]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
}
D3_TIME_LOCALES: dict[str, dict] = {
    "nb": {
        "dateTime": "%A %e. %B %Y kl. %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn.", "man.", "tir.", "ons.", "tor.", "fre.", "lør."],
        "months": [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ],
        "shortMonths": ["jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des."],
    },
    "da": {
        "dateTime": "%A den %d %B %Y %X",
        "date": "%d-%m-%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        "months": [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ],
        "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    },
    "en": {
        "dateTime": "%a %e %b %Y %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    },
}


def country_colour(country_names: dict[str, str]) -> alt.Scale:
    """Colour scale over translated country names, in the one palette: {'NO': 'Norge', 'DK': 'Danmark'}."""
    return alt.Scale(domain=[country_names[c] for c in COUNTRY_COLOURS], range=list(COUNTRY_COLOURS.values()))


# Text colours of axes, legends and titles (Streamlit's chart theme draws labels in #808495, 3.7:1 on white).
# Axes and legends are hidden from screen readers: Vega describes them only in English ("X-axis titled ... for a
# linear scale"), while the chart's description and its data table say the same in the reader's language.
_GUIDE = {"labelColor": MUTED_TEXT, "titleColor": TEXT, "aria": False}


ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)  # localise gives back the kind of chart it was given


def localise(chart: ChartT, lang: str, width: int | str = "container") -> ChartT:
    """Apply the reader's number and time formats, a width that follows the page (tablets included), and text
    colours that meet WCAG contrast."""
    # fit-x: the width follows the page and the height grows with the title and legend (Streamlit's default "fit"
    # squeezes them into the chart's height, which clipped the What-if chart's title at the top). Legends sit below
    # the chart, where they fit the width of a tablet.
    sized = chart.properties(width=width)
    if width == "container":
        sized = sized.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return (
        sized.configure(
            locale={"number": D3_NUMBER_LOCALES[lang], "time": D3_TIME_LOCALES[lang]},
            font="DejaVu Sans, Helvetica, Arial, sans-serif",
        )
        .configure_view(stroke=None)
        .configure_axis(**_GUIDE)
        .configure_legend(**_GUIDE, orient="bottom", labelLimit=0)
        .configure_title(color=TEXT, subtitleColor=MUTED_TEXT)
    )


# Channels whose field a mark reads out; tooltip and description are lists or texts of their own.
_GUIDES = {"x": "axis", "y": "axis", "color": "legend", "fill": "legend", "stroke": "legend", "shape": "legend"}
_GUIDES |= {"size": "legend", "opacity": "legend", "strokeDash": "legend", "row": "header", "column": "header"}
_SKIP = {"tooltip", "description", "href", "detail", "order", "key"}


def _tooltip_titles(encoding: dict[str, Any]) -> dict[str, str]:
    tips = encoding.get("tooltip")
    tips = [tips] if isinstance(tips, dict) else tips or []
    return {t["field"]: t["title"] for t in tips if isinstance(t, dict) and t.get("field") and t.get("title")}


def _name_fields(node: Any, inherited: dict[str, str]) -> None:
    """Give every encoded field its title, from the tooltip of the same field where the channel has none; a
    title left out on purpose (None, so no axis title is drawn) moves to the axis or legend."""
    if isinstance(node, list):
        for item in node:
            _name_fields(item, inherited)
        return
    if not isinstance(node, dict):
        return
    encoding = node.get("encoding")
    titles = inherited
    if isinstance(encoding, dict):
        titles = {**inherited, **_tooltip_titles(encoding)}
        for channel, fdef in encoding.items():
            if channel in _SKIP or not isinstance(fdef, dict) or not fdef.get("field"):
                continue
            if fdef.get("title") is None and fdef["field"] in titles:
                guide = _GUIDES.get(channel)
                if "title" in fdef and guide and not (guide in fdef and fdef[guide] is None):
                    fdef[guide] = {**(fdef.get(guide) or {}), "title": None}
                fdef["title"] = titles[fdef["field"]]
    for key in ("layer", "concat", "hconcat", "vconcat", "spec"):
        if key in node:
            _name_fields(node[key], titles)


def unnamed_fields(spec: dict[str, Any]) -> list[str]:
    """The fields a mark would read out by their column name: encoded without a title (tests use this)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for channel, fdef in (node.get("encoding") or {}).items():
                if channel not in _SKIP and isinstance(fdef, dict) and fdef.get("field") and not fdef.get("title"):
                    found.append(f"{channel}:{fdef['field']}")
            for key in ("layer", "concat", "hconcat", "vconcat", "spec"):
                walk(node.get(key))

    walk(spec)
    return found


def accessible_spec(spec: dict[str, Any], description: str) -> dict[str, Any]:
    """A copy of a Vega-Lite spec with `description` (what a screen reader announces for the whole chart,
    instead of "Vega visualization") and field titles in what each mark announces. The data is shared."""
    out = {k: copy.deepcopy(v) for k, v in spec.items() if k not in ("datasets", "data")}
    out.update({k: spec[k] for k in ("datasets", "data") if k in spec})
    out["description"] = description
    _name_fields(out, {})
    return out
