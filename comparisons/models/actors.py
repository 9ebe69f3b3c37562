"""The Danish actors page's content: the filter options, summit and initiatives per data version and language, and
the register and key figures per chosen filters as a separate, smaller entry."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from comparisons.evidence.base import Evidence, facts_with_sources
from comparisons.i18n import gettext_for, pick
from comparisons.i18n.formatting import fmt_number, fmt_period
from comparisons.i18n.labels import ACTOR_KIND, RELATION
from comparisons.measures import register as reg
from comparisons.models.figure import escape_md
from comparisons.models.parts import MISSING, per_data, reader_frame


@dataclass(frozen=True)
class ActorsView:
    register: pd.DataFrame  # every Danish actor, unfiltered
    names: dict[str, str]
    kinds: list[str]
    roles: list[str]
    kind_labels: dict[str, str]
    role_labels: dict[str, str]
    summit_name: str
    summit_date: str
    summit_help: str
    danish_participants: int
    initiatives: pd.DataFrame
    initiatives_shown: pd.DataFrame
    initiatives_download: pd.DataFrame


# The columns each table shows (the pages' column_order); ids stay in the downloads and the citations.
REGISTER_COLUMNS = ("summit", "name", "name_en", "kind", "founded", "summary", "roles", "key_figures", "source", "url")
FIGURE_COLUMNS = ("actor", "metric", "figure", "period", "publisher", "source_title")
INITIATIVE_COLUMNS = ("name", "name_en", "kind", "owners", "dates", "summary", "publisher", "source_title", "url")


def _shown(frame: pd.DataFrame, columns: tuple[str, ...], lg: str, ev: Evidence | None = None) -> pd.DataFrame:
    """The columns a reader sees, text with an em dash for a missing value (a missing web address stays empty:
    a link column draws nothing for it), ids named by publisher and year."""
    keep = [c for c in columns if c in frame.columns]
    kinds = {c: "bool" for c in keep if frame[c].dtype == bool}
    shown = reader_frame(frame[keep], lg, kinds, ev=ev)
    for column in kinds:
        shown[column] = frame[column].to_numpy()
    if "url" in shown.columns:
        shown["url"] = shown["url"].replace(MISSING, "")
    return shown


@per_data
def actors_view(ev: Evidence, lg: str) -> ActorsView:
    """What does not depend on the filters: options, the summit, the initiatives (shared by all sessions)."""
    _ = gettext_for(lg)
    register = reg.danish_actors(reg.actors_in(ev["actors"], lg))
    relations = ev["relations"]
    names = reg.name_lookup(reg.actors_in(ev["actors"], lg), ev["events"], lg)
    kinds = reg.kind_options(register)
    roles = reg.relation_options(relations, register["actor_id"].astype(str))

    summit = ev["events"][ev["events"]["event_id"] == reg.SUMMIT_EVENT]
    if len(summit):
        event = summit.iloc[0]
        summit_name = pick(event, "title", lg)
        summit_date = fmt_period(str(event["date"]), lg)
    else:
        summit_name, summit_date = _("the Norwegian–Danish summit"), fmt_period("2020-09-09", lg)
    summit_help = _("Only the actors that took part in {event} on {date}.").format(
        event=escape_md(summit_name), date=summit_date
    )
    participants = reg.summit_participants(relations)
    danish_participants = sum(1 for a in register["actor_id"].astype(str) if a in participants)

    initiatives = reg.initiatives_table(ev["initiatives"], ev["sources"], names, lg, _)
    initiative_labels = {
        "name": _("Name"),
        "name_en": _("English name"),
        "kind": _("Kind"),
        "owners": _("Owners"),
        "dates": _("Start–end"),
        "summary": _("Summary"),
        "publisher": _("Publisher"),
        "source_title": _("Source"),
        "url": _("Website"),
    }
    return ActorsView(
        register=register,
        names=names,
        kinds=kinds,
        roles=roles,
        kind_labels={k: _(ACTOR_KIND[k]) if k in ACTOR_KIND else k for k in kinds},
        role_labels={r: _(RELATION[r]) if r in RELATION else r for r in roles},
        summit_name=summit_name,
        summit_date=summit_date,
        summit_help=summit_help,
        danish_participants=danish_participants,
        initiatives=initiatives,
        initiatives_shown=_shown(initiatives, INITIATIVE_COLUMNS, lg),
        initiatives_download=initiatives[list(initiative_labels)].rename(columns=initiative_labels),
    )


@dataclass(frozen=True)
class RegisterView:
    caption: str
    table: pd.DataFrame
    table_shown: pd.DataFrame  # converted once for st.dataframe (ui.memo.arrow)
    table_download: pd.DataFrame
    figures: pd.DataFrame
    figures_shown: pd.DataFrame
    figures_download: pd.DataFrame


@per_data
def register_view(
    ev: Evidence, lg: str, kinds: tuple[str, ...], roles: tuple[str, ...], summit_only: bool
) -> RegisterView:
    """The register and the key figures of the actors that pass the filters (kinds and roles as sorted tuples)."""
    _ = gettext_for(lg)
    base = actors_view(ev, lg)
    register, relations, names = base.register, ev["relations"], base.names
    shown = reg.filter_register(register, relations, kinds, roles, summit_only)
    figures = reg.key_figures(facts_with_sources(ev, lg), ev["metrics"], shown["actor_id"].astype(str), lg, names)
    table = reg.register_table(shown, relations, figures, names, lg, _, ev["sources"])
    caption = _(
        "{shown} of {total} Danish actors shown. {participants} Danish actors took part in {event} ({date}); "
        "they are ticked in the column “Summit 2020”."
    ).format(
        shown=fmt_number(len(table), lg, 0),
        total=fmt_number(len(register), lg, 0),
        participants=fmt_number(base.danish_participants, lg, 0),
        event=escape_md(base.summit_name),
        date=base.summit_date,
    )
    register_labels = {
        "summit": _("Summit 2020"),
        "name": _("Name"),
        "name_en": _("English name"),
        "kind": _("Kind"),
        "founded": _("Founded"),
        "summary": _("Summary"),
        "roles": _("Roles"),
        "key_figures": _("Key figures (year, publisher)"),
        "source": _("Source of the summary"),
        "url": _("Website"),
    }
    figure_labels = {
        "actor": _("Actor"),
        "metric": _("Measure"),
        "figure": _("Figure"),
        "value": _("Value"),
        "unit": _("Unit"),
        "period": _("Period"),
        "publisher": _("Publisher"),
        "source_title": _("Source"),
        "fact_id": _("Figure ID"),
    }
    return RegisterView(
        caption=caption,
        table=table,
        table_shown=_shown(table, REGISTER_COLUMNS, lg, ev),
        table_download=table[list(register_labels)].rename(columns=register_labels),
        figures=figures,
        figures_shown=_shown(figures, FIGURE_COLUMNS, lg),
        figures_download=figures[list(figure_labels)].rename(columns=figure_labels),
    )


# --- the page model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    kinds: tuple[str, ...] = ()  # actor kinds shown; empty: all
    roles: tuple[str, ...] = ()  # LUP roles a shown actor could take; empty: all
    summit_only: bool = False  # only the actors who took part in the 2020 summit


def default_settings(ev: Evidence, lg: str) -> Settings:
    return Settings()


@dataclass(frozen=True)
class ActorsPage:
    settings: Settings
    view: ActorsView
    register: RegisterView


def build(ev: Evidence, lg: str, settings: Settings) -> ActorsPage:
    register = register_view(
        ev, lg, tuple(sorted(settings.kinds)), tuple(sorted(settings.roles)), bool(settings.summit_only)
    )
    return ActorsPage(settings, actors_view(ev, lg), register)
