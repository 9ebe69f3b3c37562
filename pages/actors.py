"""Danish actors and initiatives: the register, filterable by kind and role, with the 2020 summit's participants
marked; each actor's roles and key figures with their sources; and the Danish initiatives."""

from __future__ import annotations

import streamlit as st

from comparisons.models import actors as model
from ui import urlstate
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import download_bar
from ui.memo import dataframe

KIND_KEY, ROLE_KEY, SUMMIT_KEY = "act_kind", "act_role", "act_summit"
_BOOL = {"true": True, "false": False}

_ = start_page()
lg = lang()
ev = require_evidence()

st.title(_("Danish actors and initiatives"))
st.caption(
    _(
        "Denmark has no LUP, but many bodies that could carry one. The register lists each Danish actor with the "
        "roles it holds, its key figures and their sources; the initiatives below are Danish programmes and "
        "partnerships in innovative public procurement."
    )
)

default = model.default_settings(ev, lg)
view = model.actors_view(ev, lg)
kinds, roles = view.kinds, view.roles

# URL state first (a value the options no longer hold is dropped rather than breaking the widget).
urlstate.seed(KIND_KEY, urlstate.multi_parser(kinds), list(default.kinds))
urlstate.seed(ROLE_KEY, urlstate.multi_parser(roles), list(default.roles))
urlstate.seed(SUMMIT_KEY, lambda raw: _BOOL.get(raw.strip().lower()), default.summit_only)
st.session_state[KIND_KEY] = [k for k in st.session_state[KIND_KEY] if k in kinds]
st.session_state[ROLE_KEY] = [r for r in st.session_state[ROLE_KEY] if r in roles]

col_kind, col_role = st.columns(2)
with col_kind:
    chosen_kinds = st.multiselect(
        _("Kind of actor"),
        kinds,
        format_func=lambda k: view.kind_labels.get(k, k),
        key=KIND_KEY,
        placeholder=_("All kinds"),
    )
with col_role:
    chosen_roles = st.multiselect(
        _("Role held"),
        roles,
        format_func=lambda r: view.role_labels.get(r, r),
        key=ROLE_KEY,
        placeholder=_("Any role"),
        help=_("Actors that hold at least one of these roles towards any organisation, programme or event."),
    )

summit_only = st.toggle(
    _("Summit participants only"),
    key=SUMMIT_KEY,
    help=view.summit_help,
)
urlstate.publish(KIND_KEY, chosen_kinds)
urlstate.publish(ROLE_KEY, chosen_roles)
urlstate.publish(SUMMIT_KEY, "true" if summit_only else "false")

filtered = model.build(ev, lg, model.Settings(tuple(chosen_kinds), tuple(chosen_roles), bool(summit_only))).register
table, figures = filtered.table, filtered.figures

st.header(_("The register"))
st.caption(filtered.caption)
if table.empty:
    st.info(_("No actor matches these filters."))
else:
    dataframe(
        filtered.table_shown,
        hide_index=True,
        width="stretch",
        key="act-register",
        column_order=[
            "summit",
            "name",
            "name_en",
            "kind",
            "founded",
            "summary",
            "roles",
            "key_figures",
            "source",
            "url",
        ],
        column_config={
            "summit": st.column_config.CheckboxColumn(
                _("Summit 2020"), help=_("Took part in the summit of 9 September 2020")
            ),
            "name": st.column_config.TextColumn(_("Name"), pinned=True),
            "name_en": st.column_config.TextColumn(_("English name")),
            "kind": st.column_config.TextColumn(_("Kind")),
            "founded": st.column_config.TextColumn(_("Founded")),
            "summary": st.column_config.TextColumn(_("Summary"), width="large"),
            "roles": st.column_config.TextColumn(_("Roles"), width="large"),
            "key_figures": st.column_config.TextColumn(_("Key figures (year, publisher)"), width="large"),
            "source": st.column_config.TextColumn(_("Source of the summary")),
            "url": st.column_config.LinkColumn(_("Website")),
        },
    )
    download_bar(filtered.table_download, table["source_id"], _("The register"), "act-register")

st.header(_("Key figures of the actors shown"))
if figures.empty:
    st.info(_("No source in the evidence base gives a figure for the actors shown."))
else:
    st.caption(_("Every figure whose subject is one of the actors above, latest first, with its period and source."))
    dataframe(
        filtered.figures_shown,
        hide_index=True,
        width="stretch",
        key="act-figures",
        column_order=["actor", "metric", "figure", "period", "publisher", "source_title"],
        column_config={
            "actor": st.column_config.TextColumn(_("Actor"), pinned=True),
            "metric": st.column_config.TextColumn(_("Measure")),
            "figure": st.column_config.TextColumn(_("Figure")),
            "period": st.column_config.TextColumn(_("Period")),
            "publisher": st.column_config.TextColumn(_("Publisher")),
            "source_title": st.column_config.TextColumn(_("Source")),
        },
    )
    download_bar(filtered.figures_download, figures["source_id"], _("Key figures of the actors shown"), "act-figures")

st.header(_("Initiatives"))
initiatives = view.initiatives
if initiatives.empty:
    st.info(_("No initiatives are recorded yet."))
else:
    st.caption(_("Danish programmes and partnerships in innovative public procurement (not filtered)."))
    dataframe(
        view.initiatives_shown,
        hide_index=True,
        width="stretch",
        key="act-initiatives",
        column_order=["name", "name_en", "kind", "owners", "dates", "summary", "publisher", "source_title", "url"],
        column_config={
            "name": st.column_config.TextColumn(_("Name"), pinned=True),
            "name_en": st.column_config.TextColumn(_("English name")),
            "kind": st.column_config.TextColumn(_("Kind")),
            "owners": st.column_config.TextColumn(_("Owners")),
            "dates": st.column_config.TextColumn(_("Start–end")),
            "summary": st.column_config.TextColumn(_("Summary"), width="large"),
            "publisher": st.column_config.TextColumn(_("Publisher")),
            "source_title": st.column_config.TextColumn(_("Source")),
            "url": st.column_config.LinkColumn(_("Website")),
        },
    )
    download_bar(view.initiatives_download, initiatives["source_id"], _("Initiatives"), "act-initiatives")
