"""The decision pack's charts: each a page model's chart (or a measure's) in the pack's language, with its
title, caption and the sources it rests on."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

import altair as alt

from comparisons.evidence.base import Evidence, facts_with_sources
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_period, fmt_span, fmt_value
from comparisons.outputs.chart_export import chart_png
from comparisons.outputs.exports import parse_ids
from comparisons.outputs.tables import (
    metric_labels,
)

if TYPE_CHECKING:  # the summit package imports this one's exports; its section is only handed in
    pass


@dataclass
class PackChart:
    title: str
    chart: alt.TopLevelMixin
    caption: str
    source_ids: tuple[str, ...]
    png: Future | None = None  # the picture, when its rendering was started early (see build_pack)

    def picture(self, lang: str) -> bytes:
        """The PNG for the brief: the one rendered early, or rendered now."""
        return self.png.result() if self.png is not None else chart_png(self.chart, lang)


# --- charts ---------------------------------------------------------------------------------------------------


def procurement_pack_chart(ev: Evidence, lang: str) -> PackChart | None:
    """Total public procurement per year of both countries, one point per source's figure: the Procurement page's
    chart with its default settings (money in the language's currency, each figure at its own year's rate)."""
    from comparisons.models import procurement

    _ = gettext_for(lang)
    view = procurement.build(ev, lang, procurement.default_settings(ev, lang)).view
    if view.chart_table.empty:
        return None
    chart = view.chart.chart.properties(height=320)
    # A point can rest on several sources (the figure and the rate that converted it): "ssb ecb".
    ids = tuple(dict.fromkeys(i for row in view.chart_sources for i in parse_ids(row)))
    return PackChart(_("Total public procurement over time"), chart, view.chart_caption, ids)


def partners_pack_chart(ev: Evidence, lang: str) -> PackChart | None:
    """LUP's partner count over time, every source's figure, as on the Partners page."""
    from comparisons.measures import partners as pt

    _ = gettext_for(lang)
    series = pt.count_series(facts_with_sources(ev))
    if series.empty:
        return None
    flag_text = {False: _("figure"), True: _("disagrees with a figure for a close date")}
    series["value_text"] = [
        fmt_value(v, u, lang, b) for v, u, b in zip(series["value"], series["unit"], series["bound"], strict=True)
    ]
    series["period_text"] = [
        fmt_span(s, e, lang) for s, e in zip(series["period_start"], series["period_end"], strict=True)
    ]
    series["as_of_text"] = [fmt_period(a, lang) for a in series["as_of"]]
    series["flag"] = series["conflict"].map(flag_text)
    label = metric_labels(ev, lang).get(pt.PARTNER_COUNT, pt.PARTNER_COUNT)
    titles = {
        "value": label,
        "date": _("Valid for (middle of the period)"),
        "period": _("Valid for"),
        "source": _("Source"),
        "publisher": _("Publisher"),
        "published": _("Published"),
        "flag": _("Status"),
    }
    title = _("LUP partners over time")
    chart = pt.count_chart(series, titles, flag_text)
    publishers = ", ".join(
        dict.fromkeys(f"{p} {str(a)[:4]}" for p, a in zip(series["publisher"], series["as_of"], strict=True))
    )
    caption = _(
        "Each point is one source's figure, placed at the middle of the period it is valid for; diamonds mark "
        "figures that differ from another figure for a close date. Sources: {sources}."
    ).format(sources=publishers)
    return PackChart(title, chart, caption, tuple(dict.fromkeys(series["source_id"].astype(str))))


PACK_CHARTS: tuple[Callable[[Evidence, str], PackChart | None], ...] = (procurement_pack_chart, partners_pack_chart)
