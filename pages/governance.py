"""Governance: LUP's owners and steering group over time, the owners in a chosen year, its milestones, and the
crosswalk from each LUP role to Danish candidates with the gaps marked."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from comparisons import governance as gv
from comparisons.formatting import fmt_period
from comparisons.labels import FIT, RELATION
from comparisons.palette import FIT_COLOURS
from ui import urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import chart_and_data_downloads, download_bar
from ui.figure import escape_md

YEAR_KEY = "gov_year"

_ = start_page()
lg = lang()
ev = require_evidence()
today = date.today()

st.title(_("Governance: who owns and steers LUP"))
st.caption(
    _(
        "Who founded, owned and steered LUP, year by year. Every role below comes from a source that names it, with "
        "the dates that source gives; where sources disagree, both are shown."
    )
)

gov = gv.governance_relations(ev["relations"])
succ = gv.successions(ev["relations"], ev["actors"], ev["sources"])
conflicts = gv.source_conflicts(gov, succ, today)
labels = gv.actor_labels(ev["actors"])
role_labels = {r: _(RELATION[r]) for r in gv.TIMELINE_ROLES}
end_unknown = _("end not known")

# --- Timeline ---------------------------------------------------------------------------------------------------
st.subheader(_("Owners and steering group over time"))
rows = gv.timeline(gov, ev["actors"], ev["sources"], today, lg, end_unknown)
rows["role"] = rows["relation"].map(role_labels)
titles = {
    "actor": _("Body"),
    "role": _("Role"),
    "from": _("From"),
    "to": _("To"),
    "source": _("Source"),
    "publisher": _("Publisher"),
    "published": _("Published"),
    "year": _("Year"),
    "took_over": _("Taken over by"),
    "date": _("Date"),
}
if rows.empty:
    st.info(_("No source in the evidence base names LUP's owners."))
else:
    chart = gv.timeline_chart(rows, succ, role_labels, titles, end_unknown)
    table = pd.DataFrame(
        {
            titles["actor"]: rows["actor"],
            titles["role"]: rows["role"],
            titles["from"]: rows["from_text"],
            titles["to"]: rows["to_text"],
            titles["source"]: rows["source_title"],
            titles["publisher"]: rows["publisher"],
            titles["published"]: [fmt_period(p, lg) for p in rows["source_published"]],
        }
    )
    handovers = "; ".join(
        _("{old} to {new} ({date})").format(
            old=s.predecessor_label, new=s.successor_label, date=fmt_period(s.start, lg)
        )
        for s in succ.itertuples()
    )
    publishers = gv.source_list(rows["publisher"], rows["source_published"])
    chart_with_table(
        chart,
        table,
        key="gov-timeline",
        caption=_(
            "Each bar runs from the start to the end a source gives for the role; a triangle marks a role whose end "
            "no source gives (drawn to today, end not known). Diamonds mark the founders. Dashed lines: a body's tasks "
            "taken over by another ({handovers}). Sources: {sources}."
        ).format(handovers=escape_md(handovers or "–"), sources=escape_md(publishers)),
    )
    chart_and_data_downloads(chart, table, rows["source_id"], _("Owners and steering group over time"), "gov-timeline")

# --- Owners as of a year ----------------------------------------------------------------------------------------
st.subheader(_("Owners in a chosen year"))
first_year, last_year = gv.year_range(gov, today)
urlstate.seed(YEAR_KEY, urlstate.int_parser(first_year, last_year), last_year)
if first_year < last_year:
    year = st.slider(_("As of year"), min_value=first_year, max_value=last_year, step=1, key=YEAR_KEY)
else:
    year = st.session_state[YEAR_KEY]
urlstate.publish(YEAR_KEY, year)

owners = gv.source_columns(gv.owners_as_of(gov, year), ev["sources"])
disputed = set(conflicts["relation_id"])
if owners.empty:
    st.info(_("No source names an owner of LUP in {year}.").format(year=year))
else:
    st.caption(
        _(
            "{bodies} bodies are named as founder, owner or steering-group member in {year}: one row per role and "
            "the source that names it. A role whose end no source gives is counted up to today."
        ).format(bodies=owners["subject"].nunique(), year=year)
    )
    owners_table = pd.DataFrame(
        {
            _("Body"): [labels.get(s, s) for s in owners["subject"]],
            _("Role"): owners["relation"].map(role_labels),
            _("From"): [fmt_period(s, lg) for s in owners["start"]],
            _("To"): [gv.end_text(e, lg, end_unknown) for e in owners["end"]],
            _("Sources disagree"): owners["relation_id"].isin(disputed),
            _("Source"): owners["source_title"],
            _("Publisher"): owners["publisher"],
            _("Published"): [fmt_period(p, lg) for p in owners["source_published"]],
        }
    )
    st.dataframe(
        owners_table,
        hide_index=True,
        width="stretch",
        key="gov-owners",
        column_config={_("Sources disagree"): st.column_config.CheckboxColumn(width="small")},
    )
    download_bar(owners_table, owners["source_id"], _("LUP's owners in {year}").format(year=year), "gov-owners")

with st.container(border=True):
    st.markdown("**" + escape_md(_("Where the sources disagree")) + "**")
    if conflicts.empty:
        st.caption(_("No relation in the evidence base is contradicted by another source."))
    else:
        reasons = {
            "rival_successors": _("Another source names a different successor of the same body in the same years"),
            "noted": _("The data notes that the sources differ"),
        }
        st.caption(
            _(
                "{n} relation(s) are contradicted by another source. Both versions are kept and shown; none is "
                "dropped or merged."
            ).format(n=conflicts["relation_id"].nunique())
        )
        details = gv.conflict_details(conflicts, gov, ev["actors"], ev["sources"])
        note_rows = pd.DataFrame(
            {
                _("Body"): details["actor"],
                _("Role"): details["relation"].map(role_labels),
                _("From"): [fmt_period(s, lg) for s in details["start"]],
                _("To"): [gv.end_text(e, lg, end_unknown) for e in details["end"]],
                _("Disagrees with"): [
                    ", ".join(f"{actor} ({role_labels.get(rel, rel)})" for actor, rel in others)
                    for others in details["others"]
                ],
                _("Source"): details["source_title"],
                _("Publisher"): details["publisher"],
                _("Why flagged"): ["; ".join(reasons.get(r, r) for r in rs) for rs in details["reasons"]],
                _("Note (English)"): details["note"],
            }
        )
        st.dataframe(note_rows, hide_index=True, width="stretch", key="gov-conflicts")
        download_bar(note_rows, details["source_id"], _("Where the sources disagree"), "gov-conflicts")

# --- Milestones -------------------------------------------------------------------------------------------------
st.subheader(_("Milestones"))
events = gv.milestones(ev["events"], ev["sources"], lg)
if events.empty:
    st.info(_("No milestones of LUP in the evidence base."))
else:
    milestone_table = pd.DataFrame(
        {
            _("Date"): [fmt_period(d, lg) for d in events["date"]],
            _("Milestone"): events["title"],
            _("Source"): events["source_title"],
            _("Publisher"): events["publisher"],
            _("Published"): [fmt_period(p, lg) for p in events["source_published"]],
        }
    )
    st.dataframe(milestone_table, hide_index=True, width="stretch", key="gov-milestones")
    download_bar(milestone_table, events["source_id"], _("Milestones"), "gov-milestones")

# --- Crosswalk --------------------------------------------------------------------------------------------------
st.subheader(_("LUP's roles and their Danish candidates"))
cross = gv.crosswalk(ev["counterparts"], ev["actors"], ev["sources"], lg)
if cross.empty:
    st.info(_("The crosswalk from LUP's roles to Danish candidates is not in the evidence base yet."))
else:
    gaps = gv.gap_count(cross)
    st.metric(_("Roles without a Danish counterpart"), _("{gaps} of {roles}").format(gaps=gaps, roles=len(cross)))
    if gaps:
        st.warning(
            _("Gaps (no Danish candidate, or none that fits): {roles}").format(
                roles=escape_md(", ".join(cross.loc[cross["gap"], "role"]))
            ),
            icon=":material/warning:",
        )
    fit_order = list(FIT_COLOURS)
    fit_text = {f: _(FIT[f]) for f in fit_order}
    fit_col, gap_col = _("Fit"), _("Gap")
    crosswalk_table = pd.DataFrame(
        {
            _("LUP role"): cross["role"],
            _("Norwegian holder(s)"): cross["norwegian_holders"],
            _("Danish candidates"): cross["danish_candidates"].where(cross["danish_candidates"] != "", _("none named")),
            fit_col: [[fit_text.get(f, f)] for f in cross["fit"]],
            gap_col: cross["gap"],
            _("Why"): cross["why"],
            _("Source"): cross["source_title"],
            _("Publisher"): cross["publisher"],
        }
    )
    st.dataframe(
        crosswalk_table,
        hide_index=True,
        width="stretch",
        key="gov-crosswalk",
        column_config={
            fit_col: st.column_config.MultiselectColumn(
                options=[fit_text[f] for f in fit_order], color=[FIT_COLOURS[f] for f in fit_order]
            ),
            gap_col: st.column_config.CheckboxColumn(width="small"),
        },
    )
    download_bar(crosswalk_table, cross["source_id"], _("LUP's roles and their Danish candidates"), "gov-crosswalk")
    st.caption(
        _("Fit: how well the best Danish candidate matches the Norwegian holder. Role and why in the chosen language.")
    )
