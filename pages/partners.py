"""Partners: LUP's partner counts over time (every source's figure, conflicts kept), the kinds of the partners the
sources name, regional coverage, and the Danish pool a Danish LUP could draw on."""

from __future__ import annotations

import streamlit as st

from comparisons.models import partners as model
from ui import urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import chart_and_data_downloads, chart_downloads, download_bar
from ui.figure import figure_cards, in_language
from ui.memo import dataframe

KINDS_KEY = "par_kinds"

_ = start_page()
lg = lang()
ev = require_evidence()
default = model.default_settings(ev, lg)
view = model.partners_view(ev, lg)

st.title(_("Partners: who takes part in LUP"))
st.caption(
    _(
        "Public bodies join LUP through partner agreements. Every figure below names its source and date; where "
        "sources disagree, all figures are shown."
    )
)

# --- Partner counts over time -----------------------------------------------------------------------------------
st.header(_("Partner counts over time"))
figure_cards([view.latest, view.first])

counts = view.counts
if counts is None:
    st.info(_("No source in the evidence base gives LUP's partner count."))
else:
    chart_with_table(counts.chart, key="par-counts", caption=counts.caption, title=_("Partner counts over time"))
    chart_downloads(counts.chart.chart, _("Partner counts over time"), "par-counts")
    dataframe(
        counts.table_shown,
        hide_index=True,
        width="stretch",
        key="par-counts-table",
        column_config={
            counts.value_column: st.column_config.NumberColumn(format="%d"),
            counts.conflict_column: st.column_config.CheckboxColumn(width="small"),
        },
    )
    download_bar(counts.table, counts.table_sources, _("Partner counts over time"), "par-counts-table")
    if counts.disagreements:
        st.warning(counts.disagreements, icon=":material/compare_arrows:")

# --- Partner kinds ----------------------------------------------------------------------------------------------
st.header(_("Kinds of partners named in the sources"))
st.info(view.named_note, icon=":material/info:")

kinds_present = view.kinds_present
kind_text = view.kind_text
urlstate.seed(KINDS_KEY, urlstate.multi_parser(kinds_present), list(default.kinds))
chosen = st.multiselect(_("Kinds of body"), kinds_present, format_func=lambda k: kind_text.get(k, k), key=KINDS_KEY)
urlstate.publish(KINDS_KEY, chosen)
kinds = model.build(ev, lg, model.Settings(tuple(sorted(chosen)))).kinds
if kinds.chart is None:
    st.caption(kinds.caption)
else:
    chart_with_table(
        kinds.chart, key="par-kinds", caption=kinds.caption, title=_("Kinds of partners named in the sources")
    )
    chart_and_data_downloads(
        kinds.chart.chart, kinds.table, kinds.sources, _("Kinds of partners named in the sources"), "par-kinds"
    )

# --- Regional coverage ------------------------------------------------------------------------------------------
st.header(_("Regional coverage"))
figure_cards([view.counties, view.county_partners, view.drivers])
if view.county_quote is not None:
    quote, cited = view.county_quote
    with in_language(view.county_partners.quote_lang, "county-quote"):
        st.markdown(quote)
    st.caption(cited)
if view.coverage:
    st.success(view.coverage, icon=":material/map:")

# --- The Danish pool --------------------------------------------------------------------------------------------
st.header(_("The Danish pool a Danish LUP could draw on"))
st.caption(
    _(
        "The public bodies in Denmark that could become partners of a Danish LUP, as the sources count them. "
        "Where no source gives a count, the card says so."
    )
)
figure_cards(view.dk_pool)
