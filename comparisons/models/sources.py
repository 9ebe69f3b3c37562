"""The Sources page's content: the sources table and where sources disagree, per data version and language
(`sources_view`), and what cites one chosen source (`source_view`), per data version, language and source."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from comparisons.evidence import conflicts as cf
from comparisons.evidence.base import Evidence, facts_with_sources, sources_in
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_number
from comparisons.i18n.labels import RELATION
from comparisons.measures import register as reg
from comparisons.models.figure import escape_md, md_link
from comparisons.models.parts import per_data


@dataclass(frozen=True)
class ConflictGroup:
    conflict_id: str
    heading: str  # Markdown, data escaped
    caption: str
    table: pd.DataFrame  # for st.dataframe


@dataclass(frozen=True)
class SourcesView:
    sources: pd.DataFrame  # reg.sources_table: one row per source
    sources_table: pd.DataFrame  # the same, for st.dataframe
    sources_download: pd.DataFrame  # the same, columns in the reader's language
    n_sources: str
    n_conflicts: str
    ids: list[str]
    labels: dict[str, str]  # source_id -> "publisher · title · published"
    fact_groups: list[ConflictGroup]  # empty: "No figures disagree."
    role_groups: list[ConflictGroup]


@dataclass(frozen=True)
class SourceView:
    title: str  # Markdown
    caption: str
    url: str | None  # Markdown link
    document: str | None
    cited: pd.DataFrame
    cited_table: pd.DataFrame  # for st.dataframe
    cited_download: pd.DataFrame
    cited_name: str
    links: pd.DataFrame
    links_table: pd.DataFrame  # for st.dataframe


@per_data
def _names(ev: Evidence, lg: str) -> dict[str, str]:
    return reg.name_lookup(reg.actors_in(ev["actors"], lg), ev["events"], lg)


@per_data
def _facts(ev: Evidence, lg: str | None = None) -> pd.DataFrame:
    return facts_with_sources(ev, lg)


@per_data
def _fact_groups(ev: Evidence, lg: str | None = None) -> pd.DataFrame:
    """The figures that disagree, one row per figure with its conflict group (the page's costliest step)."""
    return cf.fact_conflicts(_facts(ev, lg))


@per_data
def _conflict_of(ev: Evidence) -> dict[str, str]:
    """fact_id -> the conflict group it belongs to."""
    groups = _fact_groups(ev)
    return dict(zip(groups["fact_id"].astype(str), groups["conflict_id"], strict=False))


@per_data
def sources_view(ev: Evidence, lg: str) -> SourcesView:
    """Everything on the page that does not depend on the chosen source (shared by all sessions)."""
    _ = gettext_for(lg)
    sources = reg.sources_table({**ev.tables, "sources": sources_in(ev["sources"], lg)}, lg, _)
    names = _names(ev, lg)
    fact_groups = _fact_groups(ev, lg)
    relation_groups = cf.relation_conflicts(ev["relations"])

    labels_of = {
        "title": _("Title"),
        "publisher": _("Publisher"),
        "published": _("Published"),
        "kind": _("Kind"),
        "reliability": _("Reliability"),
        "language": _("Language"),
        "url": _("Web address"),
        "document": _("Document"),
        "facts": _("Figures citing it"),
        "links": _("Relations and events citing it"),
        "source_id": _("Source ID"),
    }
    labels = {
        row.source_id: " · ".join(x for x in (row.publisher, row.title, row.published) if x)
        for row in sources.itertuples()
    }

    facts_out: list[ConflictGroup] = []
    if not fact_groups.empty:
        headings = cf.conflict_headings(fact_groups, ev["metrics"], names, lg)
        view = cf.fact_conflict_view(fact_groups, lg, _)
        for head in headings.itertuples():
            facts_out.append(
                ConflictGroup(
                    head.conflict_id,
                    f"**{escape_md(head.conflict_id)} · {escape_md(head.subject)} · {escape_md(head.metric)}**",
                    _(cf.FACT_CONFLICT_KINDS[head.kind])
                    + " · "
                    + _("{n} figures").format(n=fmt_number(head.size, lg, 0)),
                    view[view["conflict_id"] == head.conflict_id],
                )
            )

    roles_out: list[ConflictGroup] = []
    if not relation_groups.empty:
        role_view = cf.relation_conflict_view(relation_groups, ev["sources"], names, lg)
        for conflict_id, group in relation_groups.groupby("conflict_id", sort=False):
            first = group.iloc[0]
            relation, obj = str(first["relation"]), str(first["object"])
            roles_out.append(
                ConflictGroup(
                    str(conflict_id),
                    f"**{escape_md(conflict_id)} · {escape_md(names.get(obj, obj))} · "
                    f"{escape_md(_(RELATION[relation]) if relation in RELATION else relation)}**",
                    _(cf.RELATION_CONFLICT_KINDS[str(first["conflict_kind"])]),
                    role_view[role_view["conflict_id"] == conflict_id],
                )
            )

    return SourcesView(
        sources=sources,
        sources_table=sources,
        sources_download=sources[list(labels_of)].rename(columns=labels_of),
        n_sources=fmt_number(len(sources), lg, 0),
        n_conflicts=fmt_number(fact_groups["conflict_id"].nunique() + relation_groups["conflict_id"].nunique(), lg, 0),
        ids=sources["source_id"].tolist(),
        labels=labels,
        fact_groups=facts_out,
        role_groups=roles_out,
    )


@per_data
def source_view(ev: Evidence, lg: str, source_id: str) -> SourceView:
    """What the page shows about one source: its citation and every figure, relation and event citing it."""
    _ = gettext_for(lg)
    sources = sources_view(ev, lg).sources
    source = sources[sources["source_id"] == source_id].iloc[0]
    names = _names(ev, lg)
    cited = reg.facts_citing(_facts(ev, lg), ev["metrics"], source_id, names, lg)
    cited["conflict"] = cited["fact_id"].map(_conflict_of(ev)).fillna("")
    links = reg.links_citing(ev["relations"], ev["events"], source_id, names, lg, _)
    cited_labels = {
        "subject": _("About"),
        "metric": _("Measure"),
        "figure": _("Figure"),
        "value": _("Value"),
        "unit": _("Unit"),
        "period": _("Period"),
        "quote": _("Quote"),
        "conflict": _("Disagreement"),
        "fact_id": _("Figure ID"),
        "note": _("Note"),
    }
    return SourceView(
        title=f"**{escape_md(source['title'])}**",
        caption=" · ".join(
            [
                escape_md(source["publisher"]),
                _("published {date}").format(date=escape_md(source["published"])),
                source["kind"],
                source["reliability"],
                source["language"],
            ]
        ),
        url=md_link(source["url"]) or None,  # None (no line) for a source without a web address
        document=_("Document: {name}").format(name=escape_md(source["document"])) if source["document"] else None,
        cited=cited,
        cited_table=cited,
        cited_download=cited[list(cited_labels)].rename(columns=cited_labels),
        cited_name=_("Figures citing {source}").format(source=source_id),
        links=links,
        links_table=links,
    )


# --- the page model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    source_id: str | None  # the source whose citing figures are listed; None: no source is recorded


def default_settings(ev: Evidence, lg: str) -> Settings:
    ids = sources_view(ev, lg).ids
    return Settings(source_id=ids[0] if ids else None)


@dataclass(frozen=True)
class SourcesPage:
    settings: Settings
    view: SourcesView
    source: SourceView | None


def build(ev: Evidence, lg: str, settings: Settings) -> SourcesPage:
    view = sources_view(ev, lg)
    chosen = settings.source_id if settings.source_id in view.ids else (view.ids[0] if view.ids else None)
    return SourcesPage(settings, view, None if chosen is None else source_view(ev, lg, chosen))
