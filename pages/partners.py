"""Partners: LUP's partner counts over time (every source's figure, conflicts kept), the kinds of the partners the
sources name, regional coverage, and the Danish pool a Danish LUP could draw on."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from comparisons import partners as pt
from comparisons.evidence import facts_with_sources
from comparisons.formatting import fmt_period, fmt_span, fmt_value
from comparisons.governance import source_list
from comparisons.i18n import pick
from comparisons.labels import ACTOR_KIND, BOUND
from ui import urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import chart_and_data_downloads, chart_downloads, download_bar
from ui.figure import escape_md, figure_card

KINDS_KEY = "par_kinds"

_ = start_page()
lg = lang()
ev = require_evidence()
facts = facts_with_sources(ev)
sources = ev["sources"].drop_duplicates("source_id").set_index("source_id")
metrics = ev["metrics"].drop_duplicates("metric_id").set_index("metric_id")


def metric_label(metric: str) -> str:
    return pick(metrics.loc[metric], "label", lg) if metric in metrics.index else metric


def source_of(fact: pd.Series | None) -> pd.Series | None:
    if fact is None or fact["source_id"] not in sources.index:
        return None
    return sources.loc[fact["source_id"]]


def card(label: str, metric: str, country: str, subject: str | None = None, key: str = "") -> pd.Series | None:
    fact, others = pt.latest_for_metric(facts, metric, country, subject)
    figure_card(label, fact, source_of(fact), others, key=key or f"{country}-{metric}")
    return fact


st.title(_("Partners: who takes part in LUP"))
st.caption(
    _(
        "Public bodies join LUP through partner agreements. Every figure below names its source and date; where "
        "sources disagree, all figures are shown."
    )
)

# --- Partner counts over time -----------------------------------------------------------------------------------
st.subheader(_("Partner counts over time"))
series = pt.count_series(facts)
latest, _others = pt.latest_for_metric(facts, pt.PARTNER_COUNT, "NO", pt.PROGRAMME)
col_latest, col_first = st.columns(2)
with col_latest:
    figure_card(_("Partners, latest figure"), latest, source_of(latest), _others, key="par-latest")
with col_first:
    first = None if series.empty else series.iloc[0]
    figure_card(_("Partners, earliest figure"), first, source_of(first), max(len(series) - 1, 0), key="par-first")

if series.empty:
    st.info(_("No source in the evidence base gives LUP's partner count."))
else:
    flag_text = {False: _("figure"), True: _("disagrees with a figure for a close date")}
    series = pt.with_texts(series, lg, flag_text)
    titles = {
        "value": metric_label(pt.PARTNER_COUNT),
        "date": _("Valid for (middle of the period)"),
        "period": _("Valid for"),
        "source": _("Source"),
        "publisher": _("Publisher"),
        "published": _("Published"),
        "flag": _("Status"),
    }
    chart = pt.count_chart(series, titles, flag_text)
    chart_table = pd.DataFrame(
        {
            titles["value"]: series["value"],
            titles["period"]: series["period_text"],
            titles["publisher"]: series["publisher"],
            titles["published"]: series["as_of_text"],
        }
    )
    publishers = source_list(series["publisher"], series["as_of"])
    chart_with_table(
        chart,
        chart_table,
        key="par-counts",
        caption=_(
            "Each point is one source's figure, placed at the middle of the period it is valid for; a line shows "
            "periods longer than a day. Diamonds mark figures that differ from another figure for a close date. "
            "Sources: {sources}."
        ).format(sources=escape_md(publishers)),
    )
    chart_downloads(chart, _("Partner counts over time"), "par-counts")
    counts_table = pd.DataFrame(
        {
            titles["value"]: series["value"],
            _("Bound"): series["bound"].map(lambda b: _(BOUND[b]) if b in BOUND else str(b)),
            titles["period"]: series["period_text"],
            titles["published"]: series["as_of_text"],
            titles["publisher"]: series["publisher"],
            _("Source title"): series["source_title"],
            _("Quote"): series["quote"],
            _("Disagrees with a close figure"): series["conflict"],
            _("Figure ID"): series["fact_id"],
        }
    )
    st.dataframe(
        counts_table,
        hide_index=True,
        width="stretch",
        key="par-counts-table",
        column_config={
            titles["value"]: st.column_config.NumberColumn(format="%d"),
            _("Disagrees with a close figure"): st.column_config.CheckboxColumn(width="small"),
        },
    )
    download_bar(counts_table, series["source_id"], _("Partner counts over time"), "par-counts-table")
    pairs = pt.close_disagreements(series)
    if not pairs.empty:
        by_id = series.set_index("fact_id")

        def describe(fact_id: str) -> str:
            row = by_id.loc[fact_id]
            return _("{value} ({publisher}, {period})").format(
                value=row["value_text"], publisher=row["publisher"], period=row["period_text"]
            )

        lines = [
            "- " + escape_md(_("{a} against {b}").format(a=describe(p.fact_id), b=describe(p.other_fact_id)))
            for p in pairs.itertuples()
        ]
        st.warning(
            escape_md(
                _(
                    "Sources give different partner counts for close dates. Both figures are kept; they may count "
                    "differently or one may be out of date:"
                )
            )
            + "\n"
            + "\n".join(lines),
            icon=":material/compare_arrows:",
        )

# --- Partner kinds ----------------------------------------------------------------------------------------------
st.subheader(_("Kinds of partners named in the sources"))
named = pt.named_partners(ev["relations"], ev["actors"])
total = None if latest is None else fmt_value(latest["value"], latest["unit"], lg, latest["bound"])
if total:
    st.info(
        _(
            "Only the partners the sources name are listed: {named} of the {total} partners LUP had in {period}. "
            "The other partners are not named in the evidence base."
        ).format(named=len(named), total=total, period=fmt_span(latest["period_start"], latest["period_end"], lg)),
        icon=":material/info:",
    )
else:
    st.info(_("Only the partners the sources name are listed, not all of LUP's partners."), icon=":material/info:")

kinds_present = sorted(k for k in named["kind"].dropna().unique())
kind_text = {k: _(ACTOR_KIND[k]) if k in ACTOR_KIND else k for k in kinds_present}
urlstate.seed(KINDS_KEY, urlstate.multi_parser(kinds_present), kinds_present)
chosen = st.multiselect(
    _("Kinds of body"), kinds_present, format_func=lambda k: kind_text.get(k, k), key=KINDS_KEY
)
urlstate.publish(KINDS_KEY, chosen)
shown = named[named["kind"].isin(chosen)]
counts = pt.kind_counts(shown)
if shown.empty:
    st.caption(_("No named partner of the chosen kinds."))
else:
    counts["kind_label"] = counts["kind"].map(lambda k: kind_text.get(k, k))
    kind_titles = {"count": _("Named partners"), "kind": _("Kind of body"), "names": _("Partners")}
    partner_table = pd.DataFrame(
        {
            _("Partner"): shown["name"],
            _("Kind of body"): shown["kind"].map(lambda k: kind_text.get(k, k)),
            _("Partner since"): [fmt_period(s, lg) if s else _("not found") for s in shown["start"].fillna("")],
            _("Source"): [sources["title"].get(s, s) for s in shown["source_id"]],
            _("Publisher"): [sources["publisher"].get(s, "") for s in shown["source_id"]],
            _("Published"): [fmt_period(sources["published"].get(s, ""), lg) for s in shown["source_id"]],
        }
    )
    shown_sources = sources.reindex(shown["source_id"])
    named_sources = source_list(shown_sources["publisher"], shown_sources["published"])
    kind_chart = pt.kind_chart(counts, kind_titles)
    chart_with_table(
        kind_chart,
        partner_table,
        key="par-kinds",
        caption=_("Named partners by kind of body (not all partners). Sources: {sources}.").format(
            sources=escape_md(named_sources)
        ),
    )
    chart_and_data_downloads(kind_chart, partner_table, shown["source_id"], _("Kinds of partners named in the sources"),
                             "par-kinds")

# --- Regional coverage ------------------------------------------------------------------------------------------
st.subheader(_("Regional coverage"))
col_a, col_b = st.columns(2)
with col_a:
    counties = card(metric_label("counties_count"), "counties_count", "NO", key="par-counties")
with col_b:
    county_partners = card(
        metric_label("county_partners"), "county_partners", "NO", pt.PROGRAMME, key="par-county-partners"
    )
col_c, _col_d = st.columns(2)
with col_c:
    card(metric_label("innovation_driver_regions"), "innovation_driver_regions", "NO", pt.PROGRAMME, key="par-drivers")
if county_partners is not None and isinstance(county_partners.get("quote"), str) and county_partners["quote"]:
    st.markdown(
        "> " + escape_md(county_partners["quote"])
    )
    st.caption(
        _("{publisher}, {date}; figure {fact_id}.").format(
            publisher=escape_md(county_partners["publisher"]),
            date=fmt_period(county_partners["as_of"], lg),
            fact_id=escape_md(county_partners["fact_id"]),
        )
    )
coverage = pt.county_coverage(county_partners, counties)
if coverage == "all":
    st.success(
        _(
            "In {period} every county council was a LUP partner: {partners} county partners against {counties} "
            "counties (figures {partner_fact} and {county_fact})."
        ).format(
            period=fmt_span(county_partners["period_start"], county_partners["period_end"], lg),
            partners=fmt_value(county_partners["value"], "count", lg),
            counties=fmt_value(counties["value"], "count", lg),
            partner_fact=escape_md(county_partners["fact_id"]),
            county_fact=escape_md(counties["fact_id"]),
        ),
        icon=":material/map:",
    )

# --- The Danish pool --------------------------------------------------------------------------------------------
st.subheader(_("The Danish pool a Danish LUP could draw on"))
st.caption(
    _(
        "The public bodies in Denmark that could become partners of a Danish LUP, as the sources count them. "
        "Where no source gives a count, the card says so."
    )
)
col_m, col_r = st.columns(2)
with col_m:
    card(metric_label("municipalities_count"), "municipalities_count", "DK", key="par-dk-municipalities")
with col_r:
    card(metric_label("regions_count"), "regions_count", "DK", key="par-dk-regions")
col_s, _col_t = st.columns(2)
with col_s:
    card(_("State agencies"), pt.STATE_AGENCIES_METRIC, "DK", key="par-dk-agencies")
