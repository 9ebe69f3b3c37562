"""Governance: LUP's owners and steering group over time, the owners in a chosen year, its milestones, and the
crosswalk from each LUP role to Danish candidates with the gaps marked."""

from __future__ import annotations

import streamlit as st

from comparisons.models import governance as model
from comparisons.models.figure import escape_md
from ui import lazy, urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import chart_and_data_downloads, download_bar
from ui.memo import dataframe

YEAR_KEY = "gov_year"

_ = start_page()
lg = lang()
ev = require_evidence()
default = model.default_settings(ev, lg)

st.title(_("Governance: who owns and steers LUP"))
st.caption(
    _(
        "Who founded, owned and steered LUP, year by year. Every role below comes from a source that names it, with "
        "the dates that source gives; where sources disagree, both are shown."
    )
)

view = model.governance_view(ev, lg, default.today)

# --- Timeline ---------------------------------------------------------------------------------------------------
st.header(_("Owners and steering group over time"))
if view.timeline is None:
    st.info(_("No source in the evidence base names LUP's owners."))
else:
    tl = view.timeline
    chart_with_table(tl.chart, key="gov-timeline", caption=tl.caption, title=_("Owners and steering group over time"))
    chart_and_data_downloads(
        tl.chart.chart, tl.table, tl.sources, _("Owners and steering group over time"), "gov-timeline"
    )

# --- Owners as of a year ----------------------------------------------------------------------------------------
st.header(_("Owners in a chosen year"))
first_year, last_year = view.first_year, view.last_year
urlstate.seed(YEAR_KEY, urlstate.int_parser(first_year, last_year), default.year)
if first_year < last_year:
    year = st.slider(_("As of year"), min_value=first_year, max_value=last_year, step=1, key=YEAR_KEY)
else:
    year = st.session_state[YEAR_KEY]
urlstate.publish(YEAR_KEY, year)

owners = model.build(ev, lg, model.Settings(int(year), default.today)).owners
if owners.table is None:
    st.info(owners.empty)
else:
    st.caption(owners.caption)
    dataframe(
        owners.table,
        hide_index=True,
        width="stretch",
        key="gov-owners",
        column_config={owners.disagree_col: st.column_config.CheckboxColumn(width="small")},
    )
    download_bar(owners.table.frame, owners.table.sources, owners.table.name, "gov-owners")

with st.container(border=True):
    st.markdown("**" + escape_md(_("Where the sources disagree")) + "**")
    conflicts = view.conflicts
    st.caption(conflicts.caption)
    if conflicts.table is not None:
        dataframe(conflicts.table, hide_index=True, width="stretch", key="gov-conflicts")
        download_bar(conflicts.table.frame, conflicts.table.sources, conflicts.table.name, "gov-conflicts")

# --- Milestones -------------------------------------------------------------------------------------------------
st.header(_("Milestones"))
if view.milestones is None:
    st.info(_("No milestones of LUP in the evidence base."))
else:
    ms = view.milestones
    dataframe(ms, hide_index=True, width="stretch", key="gov-milestones")
    download_bar(ms.frame, ms.sources, ms.name, "gov-milestones")

# --- Crosswalk --------------------------------------------------------------------------------------------------
st.header(_("LUP's roles and their Danish candidates"))
if view.crosswalk is None:
    st.info(_("The crosswalk from LUP's roles to Danish candidates is not in the evidence base yet."))
else:
    cw = view.crosswalk
    st.metric(_("Roles without a Danish counterpart"), cw.metric)
    if cw.warning:
        st.warning(cw.warning, icon=":material/warning:")
    dataframe(
        cw.table,
        hide_index=True,
        width="stretch",
        key="gov-crosswalk",
        column_order=[c for c in cw.table.frame.columns if c != cw.why_col],  # the reasons follow, whole
        column_config={
            cw.fit_col: st.column_config.MultiselectColumn(options=cw.fit_options, color=cw.fit_colours),
            cw.gap_col: st.column_config.CheckboxColumn(width="small"),
        },
    )
    if cw.why_lines:
        with lazy.expander(cw.why_heading, "gov-why", icon=":material/notes:") as open_:
            if open_:
                st.markdown("\n".join(f"- {line}" for line in cw.why_lines))
    download_bar(cw.table.frame, cw.table.sources, cw.table.name, "gov-crosswalk")
    st.caption(
        _("Fit: how well the best Danish candidate matches the Norwegian holder. Role and why in the chosen language.")
    )
