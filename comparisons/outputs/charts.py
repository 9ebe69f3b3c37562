"""Altair chart builders shared by the pages and the exports (pure: no streamlit).

Every chart gets its translated title and axes from the caller, the one country palette, tooltips that name source
and year, and number formats of the reader's language (d3 locale dicts below; d3 ships da-DK but no nb-NO).
"""

from __future__ import annotations

import altair as alt

from comparisons.outputs.palette import COUNTRY_COLOURS

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


def localise(chart: alt.TopLevelMixin, lang: str, width: int | str = "container") -> alt.TopLevelMixin:
    """Apply the reader's number and time formats, and a width that follows the page (tablets included)."""
    return (
        chart.properties(width=width)
        .configure(
            locale={"number": D3_NUMBER_LOCALES[lang], "time": D3_TIME_LOCALES[lang]},
            font="DejaVu Sans, Helvetica, Arial, sans-serif",
        )
        .configure_view(stroke=None)
    )
