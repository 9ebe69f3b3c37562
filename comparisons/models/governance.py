"""The Governance page's content: the timeline, conflicts, milestones and crosswalk per data version, language and
day (open-ended roles are drawn to today), and the owners in a chosen year as a separate, smaller entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from comparisons.evidence.base import Evidence
from comparisons.i18n import gettext_for, ngettext_for
from comparisons.i18n.formatting import fmt_period
from comparisons.i18n.labels import FIT, RELATION
from comparisons.measures import governance as gv
from comparisons.measures import register as reg
from comparisons.models.figure import escape_md
from comparisons.models.parts import ChartView, Table, chart_view, per_data, reader_frame
from comparisons.outputs.palette import FIT_COLOURS


@dataclass(frozen=True)
class Relations:
    gov: pd.DataFrame
    succ: pd.DataFrame
    conflicts: pd.DataFrame


@per_data
def _relations(ev: Evidence, today: date) -> Relations:
    """LUP's governance relations, successions and the relations other sources contradict (language-free)."""
    gov = gv.governance_relations(ev["relations"])
    succ = gv.successions(ev["relations"], ev["actors"], ev["sources"])
    return Relations(gov, succ, gv.source_conflicts(gov, succ, today))


def _role_labels(lg: str) -> dict[str, str]:
    _ = gettext_for(lg)
    return {r: _(RELATION[r]) for r in gv.TIMELINE_ROLES}


@dataclass(frozen=True)
class Timeline:
    chart: ChartView
    table: pd.DataFrame
    sources: pd.Series
    caption: str


@dataclass(frozen=True)
class Conflicts:
    caption: str
    table: Table | None  # None when no relation is contradicted (the caption says so)


@dataclass(frozen=True)
class Crosswalk:
    metric: str
    warning: str | None  # the gaps, when there are any
    table: Table
    fit_col: str
    gap_col: str
    fit_options: list[str]
    fit_colours: list[str]
    # The reasons' column is long text that a grid cell cuts ("Begrundelse"): the page lists the reasons role by role
    # under the table instead (Markdown lines), and the downloads keep the column.
    why_col: str = ""
    why_heading: str = ""
    why_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class GovernanceView:
    timeline: Timeline | None  # None when no source names LUP's owners
    first_year: int
    last_year: int
    conflicts: Conflicts
    milestones: Table | None
    crosswalk: Crosswalk | None


@per_data
def governance_view(ev: Evidence, lg: str, today: date) -> GovernanceView:
    """Everything on the page except the owners in a chosen year (shared by all sessions)."""
    _ = gettext_for(lg)
    rel = _relations(ev, today)
    gov, succ, conflicts = rel.gov, rel.succ, rel.conflicts
    role_labels = _role_labels(lg)
    end_unknown = _("end not known")
    until_at_least = _("until at least {end}")

    # --- Timeline ---
    rows = gv.timeline(gov, reg.actors_in(ev["actors"], lg), ev["sources"], today, lg, end_unknown, until_at_least)
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
    timeline = None
    if not rows.empty:
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
        caption = _(
            "Each bar runs from the start to the end a source gives for the role; a triangle marks a role whose end "
            "no source gives (drawn to today, or to the last date a source names it: until at least then, end not "
            "known). Diamonds mark the founders. Dashed lines: a body's tasks taken over by another ({handovers}). "
            "Sources: {sources}."
        ).format(handovers=escape_md(handovers or "–"), sources=escape_md(publishers))
        timeline = Timeline(chart_view(chart, lg, table), table, rows["source_id"], caption)

    first_year, last_year = gv.year_range(gov, today)

    # --- Where the sources disagree ---
    if conflicts.empty:
        disagree = Conflicts(_("No relation in the evidence base is contradicted by another source."), None)
    else:
        reasons = {
            "rival_successors": _("Another source names a different successor of the same body in the same years"),
            "noted": _("The data notes that the sources differ"),
        }
        n_contradicted = int(conflicts["relation_id"].nunique())
        ngettext = ngettext_for(lg)  # by this name, so the catalog extractor finds the plural forms
        caption = ngettext(
            "{n} relation is contradicted by another source. Both versions are kept and shown; none is "
            "dropped or merged.",
            "{n} relations are contradicted by another source. Both versions are kept and shown; none is "
            "dropped or merged.",
            n_contradicted,
        ).format(n=n_contradicted)
        details = gv.conflict_details(conflicts, gov, reg.actors_in(ev["actors"], lg), ev["sources"])
        note_rows = pd.DataFrame(
            {
                _("Body"): details["actor"],
                _("Role"): details["relation"].map(role_labels),
                _("From"): [fmt_period(s, lg) for s in details["start"]],
                _("To"): [
                    gv.end_text(e, lg, end_unknown, gov.set_index("relation_id").at[r, "end_bound"], until_at_least)
                    for e, r in zip(details["end"], details["relation_id"], strict=True)
                ],
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
        disagree = Conflicts(
            caption,
            Table(note_rows, details["source_id"], _("Where the sources disagree"), reader_frame(note_rows, lg, ev=ev)),
        )

    # --- Milestones ---
    events = gv.milestones(ev["events"], ev["sources"], lg)
    milestones = None
    if not events.empty:
        milestone_table = pd.DataFrame(
            {
                _("Date"): [fmt_period(d, lg) for d in events["date"]],
                _("Milestone"): events["title"],
                _("Source"): events["source_title"],
                _("Publisher"): events["publisher"],
                _("Published"): [fmt_period(p, lg) for p in events["source_published"]],
            }
        )
        milestones = Table(milestone_table, events["source_id"], _("Milestones"))

    # --- Crosswalk ---
    cross = gv.crosswalk(ev["counterparts"], reg.actors_in(ev["actors"], lg), ev["sources"], lg)
    crosswalk = None
    if not cross.empty:
        gaps = gv.gap_count(cross)
        warning = None
        if gaps:
            warning = _("Gaps (no Danish candidate, or none that fits): {roles}").format(
                roles=escape_md(", ".join(cross.loc[cross["gap"], "role"]))
            )
        fit_order = list(FIT_COLOURS)
        fit_text = {f: _(FIT[f]) for f in fit_order}
        fit_col, gap_col, why_col = _("Fit"), _("Gap"), _("Why")
        crosswalk_table = pd.DataFrame(
            {
                _("LUP role"): cross["role"],
                _("Held in Norway by"): cross["norwegian_holders"],
                _("Danish candidates"): cross["danish_candidates"].where(
                    cross["danish_candidates"] != "", _("none named")
                ),
                fit_col: [[fit_text.get(f, f)] for f in cross["fit"]],
                gap_col: cross["gap"],
                why_col: cross["why"],
                _("Source"): cross["source_title"],
                _("Publisher"): cross["publisher"],
            }
        )
        crosswalk = Crosswalk(
            metric=_("{gaps} of {roles}").format(gaps=gaps, roles=len(cross)),
            warning=warning,
            table=Table(crosswalk_table, cross["source_id"], _("LUP's roles and their Danish candidates")),
            fit_col=fit_col,
            gap_col=gap_col,
            fit_options=[fit_text[f] for f in fit_order],
            fit_colours=[FIT_COLOURS[f] for f in fit_order],
            why_col=why_col,
            why_heading=_("Why, role by role"),
            why_lines=tuple(
                f"**{escape_md(role)}**: {escape_md(why)}"
                for role, why in zip(cross["role"], cross["why"], strict=True)
                if isinstance(why, str) and why.strip()
            ),
        )

    return GovernanceView(timeline, first_year, last_year, disagree, milestones, crosswalk)


@dataclass(frozen=True)
class OwnersView:
    caption: str | None  # None when no source names an owner in the year
    empty: str
    table: Table | None
    disagree_col: str


@per_data
def owners_view(ev: Evidence, lg: str, year: int, today: date) -> OwnersView:
    """LUP's founders, owners and steering-group members in `year`, one row per role and source."""
    _ = gettext_for(lg)
    rel = _relations(ev, today)
    role_labels = _role_labels(lg)
    end_unknown = _("end not known")
    until_at_least = _("until at least {end}")
    labels = gv.actor_labels(reg.actors_in(ev["actors"], lg))
    owners = gv.source_columns(gv.owners_as_of(rel.gov, year), ev["sources"])
    disputed = set(rel.conflicts["relation_id"])
    disagree_col = _("Sources disagree")
    empty = _("No source names an owner of LUP in {year}.").format(year=year)
    if owners.empty:
        return OwnersView(None, empty, None, disagree_col)
    caption = _(
        "{bodies} bodies are named as founder, owner or steering-group member in {year}: one row per role and "
        "the source that names it. A role whose end no source gives is counted up to today; one a source names "
        "only until a date is counted up to that date."
    ).format(bodies=owners["subject"].nunique(), year=year)
    owners_table = pd.DataFrame(
        {
            _("Body"): [labels.get(s, s) for s in owners["subject"]],
            _("Role"): owners["relation"].map(role_labels),
            _("From"): [fmt_period(s, lg) for s in owners["start"]],
            _("To"): [
                gv.end_text(e, lg, end_unknown, b, until_at_least)
                for e, b in zip(owners["end"], owners["end_bound"], strict=True)
            ],
            _("Last named by"): gv.last_named_by(owners, ev["sources"]),
            disagree_col: owners["relation_id"].isin(disputed),
            _("Source"): owners["source_title"],
            _("Publisher"): owners["publisher"],
            _("Published"): [fmt_period(p, lg) for p in owners["source_published"]],
        }
    )
    name = _("LUP's owners in {year}").format(year=year)
    return OwnersView(caption, empty, Table(owners_table, owners["source_id"], name), disagree_col)


# --- the page model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    year: int  # owners as of this year
    today: date  # open-ended roles run to this day


def default_settings(ev: Evidence, lg: str) -> Settings:
    today = date.today()
    return Settings(year=governance_view(ev, lg, today).last_year, today=today)


@dataclass(frozen=True)
class GovernancePage:
    settings: Settings
    view: GovernanceView
    owners: OwnersView


def build(ev: Evidence, lg: str, settings: Settings) -> GovernancePage:
    view = governance_view(ev, lg, settings.today)
    year = min(max(settings.year, view.first_year), view.last_year)
    return GovernancePage(settings, view, owners_view(ev, lg, year, settings.today))
