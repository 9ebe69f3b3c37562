"""The decision pack's charts: each a page model's chart (or a measure's) in the pack's language, with its
title, caption and the sources it rests on."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

import altair as alt

from comparisons.evidence.base import Evidence
from comparisons.i18n import gettext_for
from comparisons.outputs.chart_export import chart_png
from comparisons.outputs.exports import parse_ids


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
    """LUP's partner count over time, every source's figure: the Partners page's chart and caption."""
    from comparisons.models import partners
    from comparisons.outputs.brief import plain

    _ = gettext_for(lang)
    counts = partners.partners_view(ev, lang).counts
    if counts is None:
        return None
    return PackChart(
        _("LUP partners over time"),
        counts.chart.chart,
        plain(counts.caption),  # the page's caption is Markdown; the note's is plain text
        tuple(dict.fromkeys(counts.table_sources.astype(str))),
    )


PACK_CHARTS: tuple[Callable[[Evidence, str], PackChart | None], ...] = (procurement_pack_chart, partners_pack_chart)
