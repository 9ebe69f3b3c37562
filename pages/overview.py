"""Overview: Norway's LUP and the Danish landscape side by side, each figure with its date and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from comparisons.formatting import fmt_money
from comparisons.headlines import HEADLINE_ROWS, headline_table, milestones, milestones_chart
from comparisons.labels import COUNTRY_NAMES, CURRENCIES, DEFAULT_CURRENCY
from comparisons.normalise import convert_one, figure_year, render_derivation
from ui import urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import chart_and_data_downloads, registry_download_bar
from ui.figure import figure_card

_ = start_page()
ev = require_evidence()
lg = lang()

st.title(_("Norway's LUP and Denmark, side by side"))
st.caption(
    _(
        "Norway has run a national programme for supplier development (LUP) since 2010. Denmark has no LUP, but many "
        "actors and initiatives. Each figure below is the latest one a source gives; open “Source” for the citation."
    )
)

urlstate.seed("ov_currency", urlstate.choice_parser(CURRENCIES), DEFAULT_CURRENCY.get(lg, "EUR"))
currency = st.segmented_control(_("Money also shown in"), CURRENCIES, key="ov_currency") or DEFAULT_CURRENCY[lg]
urlstate.publish("ov_currency", currency)

facts = ev["facts"]
by_id = facts.set_index("fact_id")
sources = ev["sources"].set_index("source_id")
short_names = ev["actors"].set_index("actor_id")["short_name"].fillna(ev["actors"].set_index("actor_id")["name"])
table = headline_table(facts)


def _fact(fact_id: object) -> pd.Series | None:
    if fact_id is None or fact_id != fact_id:
        return None
    row = by_id.loc[fact_id].copy()
    row["fact_id"] = fact_id
    return row


def _source(fact: pd.Series | None) -> pd.Series | None:
    if fact is None or fact["source_id"] not in sources.index:
        return None
    return sources.loc[fact["source_id"]]


def _converted(fact: pd.Series | None) -> tuple[str | None, str | None]:
    """The figure in the chosen currency at its own year's average rate, and how it was derived."""
    if fact is None or fact["unit"] not in CURRENCIES or fact["unit"] == currency:
        return None, None
    year = figure_year(fact["period_end"], fact["period_start"], fact["as_of"])
    conv = convert_one(fact["fact_id"], float(fact["value"]), fact["unit"], currency, year, ev["exchange_rates"], fact["bound"])
    if conv.value is None:
        return None, None
    template = _("≈ {amount} at the {year} average rate (part of the year only)") if conv.partial else _(
        "≈ {amount} at the {year} average rate"
    )
    line = template.format(amount=fmt_money(conv.value, currency, lg), year=conv.rate_year)
    return line, render_derivation(conv.steps, _, lg)


country_names = {code: _(name) for code, name in COUNTRY_NAMES.items()}
head_no, head_dk = st.columns(2)
head_no.subheader(country_names["NO"])
head_dk.subheader(country_names["DK"])
for row in HEADLINE_ROWS:
    col_no, col_dk = st.columns(2)
    for col, country in ((col_no, "NO"), (col_dk, "DK")):
        cell = table[(table["row"] == row.key) & (table["country"] == country)].iloc[0]
        fact = _fact(cell["fact_id"])
        label = _(row.label)
        if isinstance(cell["subject"], str) and cell["subject"] in short_names.index:
            label = f"{label} · {short_names[cell['subject']]}"
        line, steps = _converted(fact)
        with col:
            figure_card(label, fact, _source(fact), int(cell["other_figures"]), key=f"{row.key}-{country}",
                        derived=line, derivation=steps)
registry_download_bar("headlines", "ov-headlines", ev=ev, label=_("Download the side-by-side"))

st.subheader(_("What changed over time"))
events = milestones(ev["events"], lg).merge(
    ev["sources"][["source_id", "publisher"]], on="source_id", how="left"
).sort_values("date")
chart = milestones_chart(
    events, country_names, {"title": _("Milestones in Norway and Denmark"), "date": _("Date"), "event": _("Milestone"),
                            "source": _("Source")}
)
table_view = pd.DataFrame(
    {
        _("Date"): events["date_text"],
        _("Country"): events["country"].map(country_names),
        _("Milestone"): events["title"],
        _("Source"): events["publisher"],
    }
)
chart_with_table(chart, table_view, key="milestones", caption=_("Hover a dot for the milestone and its source."))
chart_and_data_downloads(chart, table_view, events["source_id"], _("Milestones in Norway and Denmark"), "ov-milestones")
