"""Danish actors and initiatives: the register, filterable by kind and role, with the 2020 summit's participants
marked; each actor's roles and key figures with their sources; and the Danish initiatives."""

from __future__ import annotations

import streamlit as st

from comparisons import register as reg
from comparisons.evidence import facts_with_sources
from comparisons.formatting import fmt_number, fmt_period
from comparisons.i18n import pick
from comparisons.labels import ACTOR_KIND, RELATION
from ui import urlstate
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import download_bar
from ui.figure import escape_md

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

register = reg.danish_actors(ev["actors"])
relations = ev["relations"]
names = reg.name_lookup(ev["actors"], ev["events"], lg)
kinds = reg.kind_options(register)
roles = reg.relation_options(relations, register["actor_id"].astype(str))

# URL state first (a value the options no longer hold is dropped rather than breaking the widget).
urlstate.seed(KIND_KEY, urlstate.multi_parser(kinds), [])
urlstate.seed(ROLE_KEY, urlstate.multi_parser(roles), [])
urlstate.seed(SUMMIT_KEY, lambda raw: _BOOL.get(raw.strip().lower()), False)
st.session_state[KIND_KEY] = [k for k in st.session_state[KIND_KEY] if k in kinds]
st.session_state[ROLE_KEY] = [r for r in st.session_state[ROLE_KEY] if r in roles]

col_kind, col_role = st.columns(2)
with col_kind:
    chosen_kinds = st.multiselect(
        _("Kind of actor"),
        kinds,
        format_func=lambda k: _(ACTOR_KIND[k]) if k in ACTOR_KIND else k,
        key=KIND_KEY,
        placeholder=_("All kinds"),
    )
with col_role:
    chosen_roles = st.multiselect(
        _("Role held"),
        roles,
        format_func=lambda r: _(RELATION[r]) if r in RELATION else r,
        key=ROLE_KEY,
        placeholder=_("Any role"),
        help=_("Actors that hold at least one of these roles towards any organisation, programme or event."),
    )

summit = ev["events"][ev["events"]["event_id"] == reg.SUMMIT_EVENT]
if len(summit):
    event = summit.iloc[0]
    summit_name = pick(event, "title", lg)
    summit_date = fmt_period(str(event["date"]), lg)
else:
    summit_name, summit_date = _("the Norwegian–Danish summit"), fmt_period("2020-09-09", lg)
summit_only = st.toggle(
    _("Summit participants only"),
    key=SUMMIT_KEY,
    help=_("Only the actors that took part in {event} on {date}.").format(event=escape_md(summit_name), date=summit_date),
)
urlstate.publish(KIND_KEY, chosen_kinds)
urlstate.publish(ROLE_KEY, chosen_roles)
urlstate.publish(SUMMIT_KEY, "true" if summit_only else "false")

shown = reg.filter_register(register, relations, chosen_kinds, chosen_roles, summit_only)
figures = reg.key_figures(facts_with_sources(ev), ev["metrics"], shown["actor_id"].astype(str), lg, names)
table = reg.register_table(shown, relations, figures, names, lg, _, ev["sources"])
participants = reg.summit_participants(relations)
danish_participants = sum(1 for a in register["actor_id"].astype(str) if a in participants)

st.subheader(_("The register"))
st.caption(
    _(
        "{shown} of {total} Danish actors shown. {participants} Danish actors took part in {event} ({date}); "
        "they are ticked in the column “Summit 2020”."
    ).format(
        shown=fmt_number(len(table), lg, 0),
        total=fmt_number(len(register), lg, 0),
        participants=fmt_number(danish_participants, lg, 0),
        event=escape_md(summit_name),
        date=summit_date,
    )
)
if table.empty:
    st.info(_("No actor matches these filters."))
else:
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key="act-register",
        column_order=["summit", "name", "name_en", "kind", "founded", "summary", "roles", "key_figures", "source", "url"],
        column_config={
            "summit": st.column_config.CheckboxColumn(_("Summit 2020"), help=_("Took part in the summit of 9 September 2020")),
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
    register_labels = {
        "summit": _("Summit 2020"), "name": _("Name"), "name_en": _("English name"), "kind": _("Kind"),
        "founded": _("Founded"), "summary": _("Summary"), "roles": _("Roles"),
        "key_figures": _("Key figures (year, publisher)"), "source": _("Source of the summary"), "url": _("Website"),
    }
    download_bar(table[list(register_labels)].rename(columns=register_labels), table["source_id"],
                 _("The register"), "act-register")

st.subheader(_("Key figures of the actors shown"))
if figures.empty:
    st.info(_("No source in the evidence base gives a figure for the actors shown."))
else:
    st.caption(_("Every figure whose subject is one of the actors above, latest first, with its period and source."))
    st.dataframe(
        figures,
        hide_index=True,
        width="stretch",
        key="act-figures",
        column_order=["actor", "metric", "figure", "period", "publisher", "source_title", "fact_id"],
        column_config={
            "actor": st.column_config.TextColumn(_("Actor"), pinned=True),
            "metric": st.column_config.TextColumn(_("Measure")),
            "figure": st.column_config.TextColumn(_("Figure")),
            "period": st.column_config.TextColumn(_("Period")),
            "publisher": st.column_config.TextColumn(_("Publisher")),
            "source_title": st.column_config.TextColumn(_("Source")),
            "fact_id": st.column_config.TextColumn(_("Figure ID")),
        },
    )
    figure_labels = {
        "actor": _("Actor"), "metric": _("Measure"), "figure": _("Figure"), "value": _("Value"), "unit": _("Unit"),
        "period": _("Period"), "publisher": _("Publisher"), "source_title": _("Source"), "fact_id": _("Figure ID"),
    }
    download_bar(figures[list(figure_labels)].rename(columns=figure_labels), figures["source_id"],
                 _("Key figures of the actors shown"), "act-figures")

st.subheader(_("Initiatives"))
initiatives = reg.initiatives_table(ev["initiatives"], ev["sources"], names, lg, _)
if initiatives.empty:
    st.info(_("No initiatives are recorded yet."))
else:
    st.caption(_("Danish programmes and partnerships in innovative public procurement (not filtered)."))
    st.dataframe(
        initiatives,
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
    initiative_labels = {
        "name": _("Name"), "name_en": _("English name"), "kind": _("Kind"), "owners": _("Owners"),
        "dates": _("Start–end"), "summary": _("Summary"), "publisher": _("Publisher"), "source_title": _("Source"),
        "url": _("Website"),
    }
    download_bar(initiatives[list(initiative_labels)].rename(columns=initiative_labels), initiatives["source_id"],
                 _("Initiatives"), "act-initiatives")
