"""Results and savings: the evidence ledger, conflicting figures side by side, and ratios with their inputs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from comparisons import results as rs
from comparisons.evidence import facts_with_sources
from comparisons.formatting import fmt_period, fmt_span, fmt_value
from comparisons.i18n import pick
from comparisons.labels import BOUND, COUNTRY_NAMES, RELIABILITY
from comparisons.normalise import rate_table, render_derivation, render_step
from comparisons.tables import fact_sources
from ui import urlstate
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import download_bar, sources_of_facts
from ui.figure import escape_md, figure_card

_ = start_page()
lg = lang()
ev = require_evidence()

st.title(_("Results and savings"))
st.caption(
    _(
        "Every figure on what the programme has achieved, as each source gives it: with its date, source, definition "
        "and reliability. Where sources disagree, the figures stand side by side; nothing is averaged."
    )
)

rates = rate_table(ev["exchange_rates"])
metrics = ev["metrics"]
metric_rows = metrics.set_index("metric_id")
facts = facts_with_sources(ev)
ledger = rs.evidence_ledger(facts, metrics)
first_grant = rs.first_grant_year(ev["facts"])
savings_start = rs.savings_start_year(ev["facts"])


def _label(metric: str) -> str:
    return pick(metric_rows.loc[metric], "label", lg) if metric in metric_rows.index else metric


st.info(
    _(
        "The savings figures are cumulative since the programme started in {start}, while state grants started in "
        "{first}. A ratio of the two sets the savings of every year against the grants of fewer years."
    ).format(start=savings_start or _("not found"), first=first_grant or _("not found")),
    icon=":material/info:",
)

# --- ratios ----------------------------------------------------------------------------------------------------------
st.header(_("Savings per krone of public funding"))
ratios = rs.savings_ratios(ev["facts"], rates)
if ratios.empty:
    st.caption(_("not found"))
for start in range(0, len(ratios), 2):
    cols = st.columns(2)
    for col, (_i, ratio) in zip(cols, ratios.iloc[start : start + 2].iterrows(), strict=False):
        with col:
            value = ratio["ratio"]
            shown = _("not found") if pd.isna(value) else fmt_value(float(value), "", lg, ratio["bound"] or "exact")
            st.metric(escape_md(render_step(ratio["label_step"], _, lg)), shown, border=True)
            st.caption(escape_md(render_derivation(ratio["derivation_steps"], _, lg)))
            st.caption(_("Facts used: {ids}").format(ids=escape_md(ratio["fact_ids"])))

if first_grant is not None:
    last = int(ledger["year"].max()) if ledger["year"].notna().any() else first_grant
    grants = rs.state_grants_by_year(ev["facts"], first_grant, max(last, first_grant))
    st.subheader(_("State grants by year"))
    grants_table = pd.DataFrame(
        {
            _("Year"): grants["year"],
            _("State grant"): grants["value"],
            _("Currency"): grants["currency"].fillna(""),
            _("Bound"): [_(BOUND.get(b, b)) if isinstance(b, str) else "" for b in grants["bound"]],
            _("Status"): [_(rs.GRANT_STATUS[s]) for s in grants["status"]],
            _("Facts used"): grants["fact_ids"],
            _("Other figures for the year"): grants["other_fact_ids"],
        }
    )
    st.dataframe(
        grants_table,
        hide_index=True, width="stretch", key="res-grants",
        column_config={_("Year"): st.column_config.NumberColumn(format="%d"),
                       _("State grant"): st.column_config.NumberColumn(format="localized")},
    )
    download_bar(
        grants_table,
        sources_of_facts(fact_sources(ev), [f"{a} {b}" for a, b in zip(grants["fact_ids"].fillna(""),
                                                                        grants["other_fact_ids"].fillna(""), strict=True)]),
        _("State grants by year"),
        "res-grants",
    )
    st.caption(
        _("Years marked “not found” have no grant figure in any source; they are left out of the ratios, not filled in.")
    )

# --- conflicts -------------------------------------------------------------------------------------------------------
st.header(_("Where sources disagree"))
st.caption(
    _("Figures for the same measure, oldest first, each with its date and source. Cumulative figures from different "
      "dates are snapshots, so growth is expected; figures for the same date that differ are real disagreements.")
)
conflicts = rs.conflict_groups(ledger, rates)
sources = ev["sources"].set_index("source_id")
raw_facts = ev["facts"].set_index("fact_id")


def _fact(fact_id: str) -> pd.Series:
    row = raw_facts.loc[fact_id].copy()
    row["fact_id"] = fact_id
    return row


if conflicts.empty:
    st.caption(_("not found"))
else:
    download_bar(
        pd.DataFrame(
            {
                _("Measure"): [_label(str(m)) for m in conflicts["group"]],
                _("Country"): [_(COUNTRY_NAMES.get(c, c)) for c in conflicts["country"]],
                _("Figure as given"): [fmt_value(float(v), u, lg, b) for v, u, b in
                                       zip(conflicts["value"], conflicts["unit"], conflicts["bound"], strict=False)],
                _("Value"): conflicts["value"].astype(float),
                _("Unit"): [_(rs.UNIT_LABELS[u]) if u in rs.UNIT_LABELS else str(u) for u in conflicts["unit"]],
                _("Period"): [fmt_span(s, e, lg) for s, e in
                              zip(conflicts["period_start"], conflicts["period_end"], strict=False)],
                _("Published"): [fmt_period(a, lg) for a in conflicts["as_of"]],
                _("Publisher"): conflicts["publisher"].astype(str),
                _("Source"): conflicts["source_title"].astype(str),
                _("Figure"): conflicts["fact_id"].astype(str),
            }
        ),
        conflicts["source_id"],
        _("Where sources disagree"),
        "res-conflicts",
    )
for key, group in conflicts.groupby("group_key", sort=False):
    group_metric = str(group["group"].iloc[0])
    country = str(group["country"].iloc[0])
    st.subheader(
        _("{measure}, {country}: {n} figures").format(
            measure=escape_md(_label(group_metric)), country=_(COUNTRY_NAMES.get(country, country)), n=len(group)
        )
    )
    definition = pick(metric_rows.loc[group_metric], "definition", lg) if group_metric in metric_rows.index else ""
    if definition:
        st.caption(_("Definition: {text}").format(text=escape_md(definition)))
    rows = list(group.iterrows())
    for start in range(0, len(rows), 2):
        cols = st.columns(2)
        for col, (_i, row) in zip(cols, rows[start : start + 2], strict=False):
            fact = _fact(str(row["fact_id"]))
            source = sources.loc[fact["source_id"]] if fact["source_id"] in sources.index else None
            with col:
                figure_card(escape_md(_label(str(row["metric"]))), fact, source, key=f"res-{key}-{row['fact_id']}")
                if not pd.isna(row["equivalent"]):
                    st.caption(
                        _("≈ {value} ({how})").format(
                            value=fmt_value(float(row["equivalent"]), row["equivalent_currency"], lg, row["bound"]),
                            how=escape_md(render_derivation(row["equivalent_derivation_steps"], _, lg)),
                        )
                    )

# --- the ledger ------------------------------------------------------------------------------------------------------
st.header(_("The evidence ledger"))
available = list(dict.fromkeys(ledger["metric"].astype(str)))
urlstate.seed("res_metrics", urlstate.multi_parser(available), [])
chosen = st.multiselect(
    _("Measures"), available, key="res_metrics", format_func=_label, placeholder=_("All measures")
)
urlstate.publish("res_metrics", chosen)
shown = ledger[ledger["metric"].isin(chosen)] if chosen else ledger


def _url(value: object) -> str | None:
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None


table = pd.DataFrame(
    {
        _("Measure"): [_label(m) for m in shown["metric"]],
        _("Country"): [_(COUNTRY_NAMES.get(c, c)) for c in shown["country"]],
        _("Figure as given"): [fmt_value(float(v), u, lg, b) for v, u, b in zip(shown["value"], shown["unit"], shown["bound"], strict=False)],
        _("Value"): shown["value"].astype(float),
        _("Unit"): [_(rs.UNIT_LABELS[u]) if u in rs.UNIT_LABELS else str(u) for u in shown["unit"]],
        _("Bound"): [_(BOUND.get(b, b)) for b in shown["bound"]],
        _("Period"): [fmt_span(s, e, lg) for s, e in zip(shown["period_start"], shown["period_end"], strict=False)],
        _("Published"): [fmt_period(a, lg) for a in shown["as_of"]],
        _("Publisher"): shown["publisher"].astype(str),
        _("Source"): shown["source_title"].astype(str),
        _("Reliability"): [_(RELIABILITY.get(r, r)) if isinstance(r, str) else "" for r in shown["reliability"]],
        _("Quote"): shown["quote"].fillna("").astype(str),
        _("Definition"): [pick(r, "definition", lg) for _i, r in shown.iterrows()],
        _("Note"): shown["note"].fillna("").astype(str),
        _("Link"): [_url(u) for u in shown["url"]],
        _("Figure"): shown["fact_id"].astype(str),
    }
)
st.dataframe(
    table, hide_index=True, width="stretch", key="res-ledger",
    column_config={
        _("Value"): st.column_config.NumberColumn(format="localized"),
        _("Link"): st.column_config.LinkColumn(display_text=_("open")),
        _("Quote"): st.column_config.TextColumn(width="large"),
    },
)
download_bar(table, shown["source_id"], _("The evidence ledger"), "res-ledger")
st.caption(
    _("{n} figures from {s} sources. Definitions are those of the measure (in English); each source's own caveats "
      "are in the note column.").format(n=len(shown), s=shown["source_id"].nunique())
)
