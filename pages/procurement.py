"""Procurement volumes: both countries' public purchasing over time, in one currency, absolute or per inhabitant."""

from __future__ import annotations

import streamlit as st

from comparisons.i18n.labels import CURRENCIES
from comparisons.measures import procurement as pv
from comparisons.models import procurement as model
from comparisons.models.figure import escape_md
from ui import lazy, urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import chart_and_data_downloads, download_bar
from ui.figure import figure_card
from ui.memo import dataframe

_ = start_page()
lg = lang()
ev = require_evidence()
default = model.default_settings(ev, lg)
base = model.procurement_base(ev, lg)


st.title(_("Procurement volumes"))
st.caption(
    _(
        "What the public sector of each country buys in a year, as the sources give it. Every figure is a point with "
        "its source; where sources disagree, all of them are shown. Conversions and per-inhabitant values say how "
        "they were derived."
    )
)

urlstate.seed("vol_currency", urlstate.choice_parser(CURRENCIES), default.currency)
urlstate.seed("vol_rate_year", urlstate.choice_parser(base.basis_options), default.rate_basis)
urlstate.seed("vol_norm", urlstate.choice_parser(pv.NORMALISATIONS), default.norm)

col_a, col_b = st.columns(2)
with col_a:
    currency = st.segmented_control(_("Currency"), CURRENCIES, key="vol_currency", required=True, width="stretch")
    norm = st.segmented_control(
        _("Show"),
        pv.NORMALISATIONS,
        key="vol_norm",
        format_func=lambda o: base.norm_labels[o],
        required=True,
        width="stretch",
    )
with col_b:
    basis = st.selectbox(
        _("Exchange rate"),
        base.basis_options,
        key="vol_rate_year",
        format_func=lambda o: base.basis_labels[o],
        help=_("Annual average of the ECB's daily euro reference rates; NOK and DKK are converted through the euro."),
    )
# Required controls cannot be cleared; the fallbacks only guard against an emptied session value.
currency = currency or default.currency
norm = norm or default.norm
urlstate.publish("vol_currency", currency)
urlstate.publish("vol_norm", norm)
urlstate.publish("vol_rate_year", basis)
page = model.build(ev, lg, model.Settings(currency, basis, norm))
view = page.view

# --- latest figure of each country, with its conversion --------------------------------------------------------------
for col, (country, card) in zip(st.columns(2), base.cards, strict=False):
    with col:
        figure_card(card)
        note = view.notes.get(country)
        if note is not None:
            st.caption(note.caption)
            with lazy.popover(_("How it was derived"), f"how-{country}", icon=":material/calculate:") as open_:
                if open_:
                    st.text(note.derivation)

# --- the chart -------------------------------------------------------------------------------------------------------
st.header(_("Total public procurement over time"))
chart_with_table(view.chart, "procurement-volume", view.chart_caption, title=_("Total public procurement over time"))
chart_and_data_downloads(
    view.chart.chart,
    view.chart_table,
    view.chart_sources,
    _("Total public procurement over time"),
    "procurement-volume",
)

st.info(
    _(
        "Definitions differ between sources: some figures include VAT and some do not; some cover only purchases "
        "from private suppliers, some leave out self-owning institutions or public companies; some are round "
        "figures in speeches. Read the points as orders of magnitude, not as one series."
    ),
    icon=":material/info:",
)
if view.partial_rate:
    st.warning(_("Some figures are converted at a rate averaged over part of a year only; see the derivation."))

# --- tables ----------------------------------------------------------------------------------------------------------
COLUMN_FORMATS = {
    "money": st.column_config.NumberColumn(format="compact"),
    "localized": st.column_config.NumberColumn(format="localized"),
    "rate": st.column_config.NumberColumn(format="%.4f"),
    "year": st.column_config.NumberColumn(format="%d"),
    "text": st.column_config.TextColumn(width="large"),
}
money_columns = {column: COLUMN_FORMATS[kind] for column, kind in view.columns}

st.header(_("Every figure, original and converted"))
dataframe(view.totals, hide_index=True, width="stretch", column_config=money_columns, key="vol-totals")
download_bar(view.totals.frame, view.totals.sources, _("Every figure, original and converted"), "vol-totals")

st.header(_("Sub-totals: local government, regions, state"))
if view.subtotals is None or base.shares is None:
    st.caption(_("not found"))
else:
    dataframe(view.subtotals, hide_index=True, width="stretch", column_config=money_columns, key="vol-subtotals")
    download_bar(
        view.subtotals.frame, view.subtotals.sources, _("Sub-totals: local government, regions, state"), "vol-subtotals"
    )
    st.markdown("**" + escape_md(_("Sub-totals as a share of the same country's total in the same year")) + "**")
    dataframe(
        base.shares,
        hide_index=True,
        width="stretch",
        key="vol-shares",
        column_config={
            _("How it was derived"): st.column_config.TextColumn(width="large"),
        },
    )
    download_bar(
        base.shares.frame,
        base.shares.sources,
        _("Sub-totals as a share of the same country's total in the same year"),
        "vol-shares",
    )
    st.caption(
        _(
            "Where several sources give a total for the same year, the share is shown against each of them, never "
            "against an average. A sub-total without a total for its year has no share."
        )
    )
