"""Sources: every source in the evidence base, everything that cites a chosen source, and where sources disagree
(figures and relations side by side with their dates and sources, never averaged)."""

from __future__ import annotations

import streamlit as st

from comparisons import conflicts as cf
from comparisons import register as reg
from comparisons.evidence import facts_with_sources
from comparisons.formatting import fmt_number
from comparisons.labels import RELATION
from ui import urlstate
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import download_bar
from ui.figure import escape_md

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

sources = reg.sources_table(ev.tables, lg, _)
names = reg.name_lookup(ev["actors"], ev["events"], lg)
facts = facts_with_sources(ev)
fact_groups = cf.fact_conflicts(facts)
relation_groups = cf.relation_conflicts(ev["relations"])

col_a, col_b = st.columns(2)
col_a.metric(_("Sources"), fmt_number(len(sources), lg, 0), border=True)
col_b.metric(
    _("Groups of figures or roles that disagree"),
    fmt_number(fact_groups["conflict_id"].nunique() + relation_groups["conflict_id"].nunique(), lg, 0),
    border=True,
)

st.subheader(_("All sources"))
st.dataframe(
    sources,
    hide_index=True,
    width="stretch",
    key="src-table",
    column_order=["title", "publisher", "published", "kind", "reliability", "language", "url", "document", "facts",
                  "links", "source_id"],
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
SOURCE_LABELS = {
    "title": _("Title"), "publisher": _("Publisher"), "published": _("Published"), "kind": _("Kind"),
    "reliability": _("Reliability"), "language": _("Language"), "url": _("Web address"), "document": _("Document"),
    "facts": _("Figures citing it"), "links": _("Relations and events citing it"), "source_id": _("Source ID"),
}
download_bar(sources[list(SOURCE_LABELS)].rename(columns=SOURCE_LABELS), sources["source_id"], _("All sources"), "src-table")

# ---- What cites one source
st.subheader(_("What cites a source"))
ids = sources["source_id"].tolist()
if not ids:
    st.info(_("No sources are recorded yet."))
    st.stop()
label = {
    row.source_id: " · ".join(x for x in (row.publisher, row.title, row.published) if x)
    for row in sources.itertuples()
}
urlstate.seed(SOURCE_KEY, urlstate.choice_parser(ids), ids[0])
if st.session_state[SOURCE_KEY] not in ids:
    st.session_state[SOURCE_KEY] = ids[0]
chosen = st.selectbox(_("Source"), ids, format_func=lambda i: label.get(i, i), key=SOURCE_KEY)
urlstate.publish(SOURCE_KEY, chosen)

source = sources[sources["source_id"] == chosen].iloc[0]
st.markdown(f"**{escape_md(source['title'])}**")
st.caption(
    " · ".join(
        [escape_md(source["publisher"]), _("published {date}").format(date=escape_md(source["published"])), source["kind"],
         source["reliability"], source["language"]]
    )
)
if source["url"]:
    st.markdown(f"[{escape_md(source['url'])}](<{source['url']}>)")
if source["document"]:
    st.caption(_("Document: {name}").format(name=escape_md(source["document"])))

cited = reg.facts_citing(facts, ev["metrics"], chosen, names, lg)
conflict_of = dict(zip(fact_groups["fact_id"].astype(str), fact_groups["conflict_id"], strict=False))
cited["conflict"] = cited["fact_id"].map(conflict_of).fillna("")
st.markdown("**" + _("Figures citing this source") + "**")
if cited.empty:
    st.info(_("No figure cites this source."))
else:
    st.dataframe(
        cited,
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
    cited_labels = {
        "subject": _("About"), "metric": _("Measure"), "figure": _("Figure"), "value": _("Value"), "unit": _("Unit"),
        "period": _("Period"), "quote": _("Quote"), "conflict": _("Disagreement"), "fact_id": _("Figure ID"),
        "note": _("Note"),
    }
    download_bar(cited[list(cited_labels)].rename(columns=cited_labels), [chosen] * len(cited),
                 _("Figures citing {source}").format(source=chosen), "src-facts")

links = reg.links_citing(ev["relations"], ev["events"], chosen, names, lg, _)
st.markdown("**" + _("Relations and events citing this source") + "**")
if links.empty:
    st.info(_("No relation or event cites this source."))
else:
    st.dataframe(
        links,
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
st.subheader(_("Where sources disagree"))
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
if fact_groups.empty:
    st.info(_("No figures disagree."))
else:
    headings = cf.conflict_headings(fact_groups, ev["metrics"], names, lg)
    view = cf.fact_conflict_view(fact_groups, lg, _)
    for head in headings.itertuples():
        with st.container(border=True):
            st.markdown(f"**{escape_md(head.conflict_id)} · {escape_md(head.subject)} · {escape_md(head.metric)}**")
            st.caption(
                _(cf.FACT_CONFLICT_KINDS[head.kind])
                + " · "
                + _("{n} figures").format(n=fmt_number(head.size, lg, 0))
            )
            st.dataframe(
                view[view["conflict_id"] == head.conflict_id],
                hide_index=True,
                width="stretch",
                key=f"src-conflict-{head.conflict_id}",
                column_order=list(FIGURE_COLUMNS),
                column_config=FIGURE_COLUMNS,
            )

if not relation_groups.empty:
    role_view = cf.relation_conflict_view(relation_groups, ev["sources"], names, lg)
    for conflict_id, group in relation_groups.groupby("conflict_id", sort=False):
        first = group.iloc[0]
        relation, obj = str(first["relation"]), str(first["object"])
        with st.container(border=True):
            st.markdown(
                f"**{escape_md(conflict_id)} · {escape_md(names.get(obj, obj))} · "
                f"{escape_md(_(RELATION[relation]) if relation in RELATION else relation)}**"
            )
            st.caption(_(cf.RELATION_CONFLICT_KINDS[str(first["conflict_kind"])]))
            st.dataframe(
                role_view[role_view["conflict_id"] == conflict_id],
                hide_index=True,
                width="stretch",
                key=f"src-conflict-{conflict_id}",
                column_order=["holder", "start", "end", "publisher", "source_title", "note", "relation_id"],
                column_config={
                    "holder": st.column_config.TextColumn(_("Held by")),
                    "start": st.column_config.TextColumn(_("From")),
                    "end": st.column_config.TextColumn(_("To")),
                    "publisher": st.column_config.TextColumn(_("Publisher")),
                    "source_title": st.column_config.TextColumn(_("Source")),
                    "note": st.column_config.TextColumn(_("Note"), width="large"),
                    "relation_id": st.column_config.TextColumn(_("ID")),
                },
            )
