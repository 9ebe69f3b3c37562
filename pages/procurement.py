"""Procurement volumes: both countries' public purchasing over time, in one currency, absolute or per inhabitant."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from comparisons import normalise as nz
from comparisons.charts import country_colour
from comparisons.evidence import facts_with_sources
from comparisons.formatting import fmt_span, fmt_value
from comparisons.headlines import facts_for
from comparisons.i18n import pick
from comparisons.labels import BOUND, COUNTRY_NAMES, CURRENCIES, DEFAULT_CURRENCY, RELIABILITY
from comparisons.tables import fact_sources
from ui import urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import chart_and_data_downloads, download_bar, sources_of_facts
from ui.figure import escape_md, figure_card

_ = start_page()
lg = lang()
ev = require_evidence()


st.title(_("Procurement volumes"))
st.caption(
    _(
        "What the public sector of each country buys in a year, as the sources give it. Every figure is a point with "
        "its source; where sources disagree, all of them are shown. Conversions and per-inhabitant values say how "
        "they were derived."
    )
)

rates = nz.rate_table(ev["exchange_rates"])
population = ev["population"]
years = nz.rate_years(rates, CURRENCIES)
partial_years = set(rates.loc[rates["partial"], "year"])
basis_options = [nz.EACH_YEAR] + [str(y) for y in reversed(years)]

urlstate.seed("vol_currency", urlstate.choice_parser(CURRENCIES), DEFAULT_CURRENCY.get(lg, "EUR"))
urlstate.seed("vol_rate_year", urlstate.choice_parser(basis_options), nz.EACH_YEAR)
urlstate.seed("vol_norm", urlstate.choice_parser(nz.NORMALISATIONS), "absolute")


def _basis_label(option: str) -> str:
    if option == nz.EACH_YEAR:
        return _("Each figure's own year")
    if int(option) in partial_years:
        return _("{year} average (part of the year)").format(year=option)
    return _("{year} average").format(year=option)


NORM_LABELS = {"absolute": _("Total"), "per_inhabitant": _("Per inhabitant")}

col_a, col_b = st.columns(2)
with col_a:
    currency = st.segmented_control(_("Currency"), CURRENCIES, key="vol_currency", required=True, width="stretch")
    norm = st.segmented_control(
        _("Show"), nz.NORMALISATIONS, key="vol_norm", format_func=lambda o: NORM_LABELS[o], required=True,
        width="stretch",
    )
with col_b:
    basis = st.selectbox(
        _("Exchange rate"), basis_options, key="vol_rate_year", format_func=_basis_label,
        help=_("Annual average of the ECB's daily euro reference rates; NOK and DKK are converted through the euro."),
    )
# Required controls cannot be cleared; the fallbacks only guard against an emptied session value.
currency = currency or DEFAULT_CURRENCY.get(lg, "EUR")
norm = norm or "absolute"
urlstate.publish("vol_currency", currency)
urlstate.publish("vol_norm", norm)
urlstate.publish("vol_rate_year", basis)
rate_year = None if basis == nz.EACH_YEAR else int(basis)

facts = facts_with_sources(ev)
totals = nz.procurement_totals(facts, rates, population, currency, rate_year, norm)
subtotals = nz.procurement_subtotals(facts, rates, population, currency, rate_year, norm)

countries = {code: _(name) for code, name in COUNTRY_NAMES.items()}
per_inh = norm == "per_inhabitant"


def _shown_text(value: object, bound: object) -> str:
    if value is None or pd.isna(value):
        return _("not found")
    b = bound if isinstance(bound, str) else "exact"
    return fmt_value(float(value), currency, lg, b, compact=not per_inh)


# --- latest figure of each country, with its conversion --------------------------------------------------------------
sources = ev["sources"].set_index("source_id")
cards = st.columns(2)
for col, (country, subject) in zip(cards, nz.TOTAL_SUBJECTS.items(), strict=False):
    found = facts_for(ev["facts"], subject, nz.TOTAL_METRIC)  # latest first
    fact = None if found.empty else found.iloc[0]
    with col:
        source = sources.loc[fact["source_id"]] if fact is not None and fact["source_id"] in sources.index else None
        figure_card(_("Public procurement per year: {country}").format(country=countries[country]), fact, source,
                    other_figures=max(len(found) - 1, 0), key=f"vol-{country}")
        if fact is not None:
            row = totals[totals["fact_id"] == fact["fact_id"]]
            if not row.empty and (per_inh or row.iloc[0]["unit"] != currency):
                r = row.iloc[0]
                template = _("= {value} per inhabitant") if per_inh else _("= {value}")
                st.caption(template.format(value=_shown_text(r["shown"], r["bound"])))
                with st.popover(_("How it was derived"), icon=":material/calculate:", key=f"how-{country}"):
                    st.text(nz.render_derivation(r["derivation_steps"], _, lg))

# --- the chart -------------------------------------------------------------------------------------------------------
st.subheader(_("Total public procurement over time"))
plotted = totals.dropna(subset=["shown"])
scale = 1.0 if per_inh else 1e9
y_title = (
    _("{currency} per inhabitant per year").format(currency=currency)
    if per_inh
    else _("Billion {currency} per year").format(currency=currency)
)
points = pd.DataFrame(
    {
        "country_name": plotted["country"].map(countries),
        "year": plotted["year"].astype(int),
        "y": plotted["shown"].astype(float),
        "bound_label": [_(BOUND.get(b, b)) for b in plotted["bound"]],
        "shown_text": [_shown_text(v, b) for v, b in zip(plotted["shown"], plotted["bound"], strict=False)],
        "original_text": [fmt_value(float(v), u, lg, b) for v, u, b in zip(plotted["value"], plotted["unit"], plotted["bound"], strict=False)],
        "period": [fmt_span(s, e, lg) for s, e in zip(plotted["period_start"], plotted["period_end"], strict=False)],
        "publisher": plotted["publisher"].astype(str),
        "source_title": plotted["source_title"].astype(str),
        "fact_id": plotted["fact_id"].astype(str),
    }
)
tooltip = [
    ("country_name", _("Country")), ("shown_text", _("Value")), ("original_text", _("As the source gives it")),
    ("period", _("Period")), ("bound_label", _("Bound")), ("publisher", _("Publisher")),
    ("source_title", _("Source")), ("fact_id", _("Figure")),
]
chart = nz.procurement_chart(
    points, country_colour(countries),
    {"x": _("Year"), "y": y_title, "country": _("Country"), "bound": _("Bound")}, tooltip, scale,
)
chart_table = pd.DataFrame(
    {
        _("Country"): points["country_name"],
        _("Year"): points["year"],
        y_title: points["y"] / scale,
        _("Bound"): points["bound_label"],
        _("Publisher"): points["publisher"],
        _("Source"): points["source_title"],
        _("Figure"): points["fact_id"],
    }
)
years_shown = f"{points['year'].min()}–{points['year'].max()}" if len(points) else "–"
chart_with_table(
    chart, chart_table, "procurement-volume",
    _("{n} figures from {sources} sources, {years}. Each point is one source's figure for one year; hover for the "
      "source. Shapes show whether the source gives an exact, approximate, minimum or maximum figure.").format(
        n=len(points), sources=plotted["source_id"].nunique(), years=years_shown
    ),
)


def _row_sources(frame: pd.DataFrame) -> list[str]:
    """Each figure's source, with the rate's source when it was converted and the population's when per inhabitant."""
    parts = [frame["source_id"]]
    parts.append(frame["rate_sources"].where(frame["unit"].astype(str) != currency))
    if per_inh:
        parts.append(frame["population_source"])
    return [" ".join(str(v) for v in row if isinstance(v, str)) for row in zip(*parts, strict=True)]


chart_and_data_downloads(chart, chart_table, _row_sources(plotted), _("Total public procurement over time"),
                         "procurement-volume")

st.info(
    _(
        "Definitions differ between sources: some figures include VAT and some do not; some cover only purchases "
        "from private suppliers, some leave out self-owning institutions or public companies; some are round "
        "figures in speeches. Read the points as orders of magnitude, not as one series."
    ),
    icon=":material/info:",
)
if totals["rate_partial"].fillna(False).any() or subtotals["rate_partial"].fillna(False).any():
    st.warning(_("Some figures are converted at a rate averaged over part of a year only; see the derivation."))


# --- tables ----------------------------------------------------------------------------------------------------------
def _table(frame: pd.DataFrame) -> pd.DataFrame:
    """Original and converted values side by side, numeric, with the derivation in the reader's language."""
    return pd.DataFrame(
        {
            _("Figure"): frame["fact_id"].astype(str),
            _("Country"): frame["country"].map(countries),
            _("Period"): [fmt_span(s, e, lg) for s, e in zip(frame["period_start"], frame["period_end"], strict=False)],
            _("Bound"): [_(BOUND.get(b, b)) for b in frame["bound"]],
            _("Original value"): frame["value"].astype(float),
            _("Original currency"): frame["unit"].astype(str),
            _("Converted ({currency})").format(currency=currency): frame["converted"],
            _("Per inhabitant ({currency})").format(currency=currency): frame["per_inhabitant"],
            _("Rate year"): frame["rate_year"],
            _("Rate ({currency} per unit)").format(currency=currency): frame["rate"],
            _("Population"): frame["population"],
            _("Publisher"): frame["publisher"].astype(str),
            _("Source"): frame["source_title"].astype(str),
            _("Reliability"): [_(RELIABILITY.get(r, r)) if isinstance(r, str) else "" for r in frame["reliability"]],
            _("How it was derived"): [nz.render_derivation(s, _, lg) for s in frame["derivation_steps"]],
        }
    )


MONEY_FORMAT = st.column_config.NumberColumn(format="compact")
money_columns = {
    _("Original value"): MONEY_FORMAT,
    _("Converted ({currency})").format(currency=currency): MONEY_FORMAT,
    _("Per inhabitant ({currency})").format(currency=currency): st.column_config.NumberColumn(format="localized"),
    _("Rate ({currency} per unit)").format(currency=currency): st.column_config.NumberColumn(format="%.4f"),
    _("Rate year"): st.column_config.NumberColumn(format="%d"),
    _("Population"): st.column_config.NumberColumn(format="localized"),
    _("How it was derived"): st.column_config.TextColumn(width="large"),
}

st.subheader(_("Every figure, original and converted"))
totals_table = _table(totals)
st.dataframe(totals_table, hide_index=True, width="stretch", column_config=money_columns, key="vol-totals")
download_bar(totals_table, _row_sources(totals), _("Every figure, original and converted"), "vol-totals")

st.subheader(_("Sub-totals: local government, regions, state"))
if subtotals.empty:
    st.caption(_("not found"))
else:
    sub_table = _table(subtotals)
    labels = ev["metrics"].set_index("metric_id")
    sub_table.insert(1, _("Measure"), [pick(labels.loc[m], "label", lg) if m in labels.index else m for m in subtotals["metric"]])
    st.dataframe(sub_table, hide_index=True, width="stretch", column_config=money_columns, key="vol-subtotals")
    download_bar(sub_table, _row_sources(subtotals), _("Sub-totals: local government, regions, state"), "vol-subtotals")
    totals_all = facts[(facts["metric"] == nz.TOTAL_METRIC) & facts["subject"].isin(set(nz.TOTAL_SUBJECTS.values()))]
    shares = nz.shares_of_total(subtotals, totals_all, rates)
    st.markdown("**" + escape_md(_("Sub-totals as a share of the same country's total in the same year")) + "**")
    share_table = pd.DataFrame(
        {
            _("Figure"): shares["fact_id"].astype(str),
            _("Total figure"): shares["total_fact_id"].fillna("").astype(str),
            _("Year"): shares["year"],
            _("Share (%)"): shares["share"],
            _("Bound"): [_(BOUND.get(b, b)) if isinstance(b, str) else "" for b in shares["bound"]],
            _("How it was derived"): [nz.render_derivation(s, _, lg) for s in shares["derivation_steps"]],
        }
    )
    st.dataframe(
        share_table, hide_index=True, width="stretch", key="vol-shares",
        column_config={_("Share (%)"): st.column_config.NumberColumn(format="%.1f"),
                       _("Year"): st.column_config.NumberColumn(format="%d"),
                       _("How it was derived"): st.column_config.TextColumn(width="large")},
    )
    share_figures = [f"{a} {b}" for a, b in zip(shares["fact_id"].astype(str), shares["total_fact_id"].fillna("").astype(str),
                                                 strict=True)]
    download_bar(share_table, sources_of_facts(fact_sources(ev), share_figures),
                 _("Sub-totals as a share of the same country's total in the same year"), "vol-shares")
    st.caption(
        _("Where several sources give a total for the same year, the share is shown against each of them, never "
          "against an average. A sub-total without a total for its year has no share.")
    )
