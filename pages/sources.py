"""Sources: every source in the evidence base, everything that cites a chosen source, and where sources disagree
(figures and relations side by side with their dates and sources, never averaged)."""

from __future__ import annotations

import streamlit as st

from comparisons.models import sources as model
from comparisons.models.sources import ConflictGroup
from ui import lazy, urlstate
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import download_bar
from ui.memo import dataframe

SOURCE_KEY = "src_id"

_ = start_page()
lg = lang()
ev = require_evidence()

st.title(_("Sources"))
st.caption(
    _(
        "Every publication the workbench cites, what each one supports, and the places where sources disagree. "
        "Dates marked “inferred” are not printed in the source; the source's note says how they were found."
    )
)

default = model.default_settings(ev, lg)
view = model.sources_view(ev, lg)
sources = view.sources

col_a, col_b = st.columns(2)
col_a.metric(_("Sources"), view.n_sources, border=True)
col_b.metric(_("Groups of figures or roles that disagree"), view.n_conflicts, border=True)

st.header(_("All sources"))
dataframe(
    view.sources_table,
    hide_index=True,
    width="stretch",
    key="src-table",
    column_order=[
        "title",
        "publisher",
        "published",
        "kind",
        "reliability",
        "language",
        "url",
        "document",
        "facts",
        "links",
        "source_id",
    ],
    column_config={
        "title": st.column_config.TextColumn(_("Title"), pinned=True, width="large"),
        "publisher": st.column_config.TextColumn(_("Publisher")),
        "published": st.column_config.TextColumn(_("Published")),
        "kind": st.column_config.TextColumn(_("Kind")),
        "reliability": st.column_config.TextColumn(_("Reliability")),
        "language": st.column_config.TextColumn(_("Language")),
        "url": st.column_config.LinkColumn(_("Web address")),
        "document": st.column_config.TextColumn(_("Document")),
        "facts": st.column_config.NumberColumn(_("Figures citing it"), format="%d"),
        "links": st.column_config.NumberColumn(_("Relations and events citing it"), format="%d"),
        "source_id": st.column_config.TextColumn(_("Source ID")),
    },
)
download_bar(view.sources_download, sources["source_id"], _("All sources"), "src-table")

# ---- What cites one source
st.header(_("What cites a source"))
ids = view.ids
if not ids:
    st.info(_("No sources are recorded yet."))
    st.stop()
urlstate.seed(SOURCE_KEY, urlstate.choice_parser(ids), default.source_id)
if st.session_state[SOURCE_KEY] not in ids:
    st.session_state[SOURCE_KEY] = default.source_id
chosen = st.selectbox(_("Source"), ids, format_func=lambda i: view.labels.get(i, i), key=SOURCE_KEY)
urlstate.publish(SOURCE_KEY, chosen)

chosen_view = model.build(ev, lg, model.Settings(chosen)).source
assert chosen_view is not None  # there are sources (the page stopped above otherwise)
st.markdown(chosen_view.title)
st.caption(chosen_view.caption)
if chosen_view.url:
    st.markdown(chosen_view.url)
if chosen_view.document:
    st.caption(chosen_view.document)

cited = chosen_view.cited
st.markdown("**" + _("Figures citing this source") + "**")
if cited.empty:
    st.info(_("No figure cites this source."))
else:
    dataframe(
        chosen_view.cited_table,
        hide_index=True,
        width="stretch",
        key="src-facts",
        column_order=["subject", "metric", "figure", "period", "quote", "conflict", "fact_id", "note"],
        column_config={
            "subject": st.column_config.TextColumn(_("About")),
            "metric": st.column_config.TextColumn(_("Measure")),
            "figure": st.column_config.TextColumn(_("Figure")),
            "period": st.column_config.TextColumn(_("Period")),
            "quote": st.column_config.TextColumn(_("Quote"), width="large"),
            "conflict": st.column_config.TextColumn(
                _("Disagreement"), help=_("The group below in which another source gives a different figure.")
            ),
            "fact_id": st.column_config.TextColumn(_("Figure ID")),
            "note": st.column_config.TextColumn(_("Note")),
        },
    )
    download_bar(chosen_view.cited_download, [chosen] * len(cited), chosen_view.cited_name, "src-facts")

links = chosen_view.links
st.markdown("**" + _("Relations and events citing this source") + "**")
if links.empty:
    st.info(_("No relation or event cites this source."))
else:
    dataframe(
        chosen_view.links_table,
        hide_index=True,
        width="stretch",
        key="src-links",
        column_order=["record", "who", "what", "when", "note", "id"],
        column_config={
            "record": st.column_config.TextColumn(_("Record")),
            "who": st.column_config.TextColumn(_("Who")),
            "what": st.column_config.TextColumn(_("What")),
            "when": st.column_config.TextColumn(_("When")),
            "note": st.column_config.TextColumn(_("Note")),
            "id": st.column_config.TextColumn(_("ID")),
        },
    )

# ---- Conflicts
st.header(_("Where sources disagree"))
st.caption(
    _(
        "Figures for the same subject and measure whose periods overlap or end less than a year apart, but whose "
        "values or units differ; and roles that two bodies cannot both have held at the same time. Each group is "
        "shown side by side with dates and sources: nothing is averaged or dropped, and nothing is converted."
    )
)
FIGURE_COLUMNS = {
    "fact_id": st.column_config.TextColumn(_("Figure ID")),
    "figure": st.column_config.TextColumn(_("Figure")),
    "period": st.column_config.TextColumn(_("Period")),
    "as_of": st.column_config.TextColumn(_("Published")),
    "publisher": st.column_config.TextColumn(_("Publisher")),
    "source_title": st.column_config.TextColumn(_("Source")),
    "reliability": st.column_config.TextColumn(_("Reliability")),
    "note": st.column_config.TextColumn(_("Note"), width="large"),
}
if not view.fact_groups:
    st.info(_("No figures disagree."))


def disagreement(group: ConflictGroup, columns: dict) -> None:
    """One group of disagreeing records as an expander (heading and kind in its label) whose table is drawn only
    while it is open: the page lists ~20 groups, and drawing all their tables on every rerun was most of its
    rerun time (benchmarks/pages.py)."""
    with lazy.expander(f"{group.heading} · {group.caption}", f"src-open-{group.conflict_id}") as open_:
        if not open_:
            return
        st.dataframe(
            group.table,
            hide_index=True,
            width="stretch",
            key=f"src-conflict-{group.conflict_id}",
            column_order=list(columns),
            column_config=columns,
        )


for group in view.fact_groups:
    disagreement(group, FIGURE_COLUMNS)

ROLE_COLUMNS = {
    "holder": st.column_config.TextColumn(_("Held by")),
    "start": st.column_config.TextColumn(_("From")),
    "end": st.column_config.TextColumn(_("To")),
    "publisher": st.column_config.TextColumn(_("Publisher")),
    "source_title": st.column_config.TextColumn(_("Source")),
    "note": st.column_config.TextColumn(_("Note"), width="large"),
    "relation_id": st.column_config.TextColumn(_("ID")),
}
for group in view.role_groups:
    disagreement(group, ROLE_COLUMNS)
