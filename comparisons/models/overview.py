"""The Overview's content for one data version, language and currency: the side-by-side cards and the milestones."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from comparisons.evidence.base import Evidence, sources_in
from comparisons.i18n import gettext_for, pick
from comparisons.i18n.formatting import fmt_money
from comparisons.i18n.labels import COUNTRY_NAMES, CURRENCIES, DEFAULT_CURRENCY, FIT
from comparisons.measures import register as reg
from comparisons.measures.comparability import Mark
from comparisons.measures.headlines import (
    HEADLINE_ROWS,
    PROGRAMME,
    HeadlineRow,
    headline_table,
    known_answer,
    milestones,
    milestones_chart,
    owners_named,
    row_mark,
)
from comparisons.measures.money import convert_one, figure_year, render_derivation
from comparisons.models.figure import FigureCard, escape_md, figure_text, join_parts, source_citation
from comparisons.models.parts import ChartView, chart_view, per_data


@dataclass(frozen=True)
class OverviewView:
    country_names: dict[str, str]
    rows: list[tuple[FigureCard, FigureCard]]  # (Norway, Denmark) per headline row
    marks: list[Mark]  # per row: can the pair be compared like for like (comparisons.measures.comparability)
    mark_texts: list[str]  # per row, shown under the pair: "not like-for-like: 2020 vs 2025"
    milestones: ChartView
    milestone_table: pd.DataFrame
    milestone_sources: pd.Series


@per_data
def overview_view(ev: Evidence, lg: str, currency: str) -> OverviewView:
    """Everything the page shows, for one data version, language and currency (shared by all sessions)."""
    _ = gettext_for(lg)
    facts = ev["facts"]
    by_id = facts.set_index("fact_id")
    sources = (
        sources_in(ev["sources"], lg).drop_duplicates("source_id").set_index("source_id")
    )  # may be in both packages
    actors = reg.actors_in(ev["actors"], lg).set_index("actor_id")  # short names in the reader's language
    short_names = actors["short_name"].fillna(actors["name"])
    table = headline_table(facts)

    def fact_of(fact_id: object) -> pd.Series | None:
        if fact_id is None or fact_id != fact_id:
            return None
        row = by_id.loc[fact_id].copy()
        row["fact_id"] = fact_id
        return row

    def source_of(fact: pd.Series | None) -> pd.Series | None:
        if fact is None or fact["source_id"] not in sources.index:
            return None
        return sources.loc[fact["source_id"]]

    def converted(fact: pd.Series | None) -> tuple[str | None, str | None]:
        """The figure in the chosen currency at its own year's average rate, and how it was derived."""
        if fact is None or fact["unit"] not in CURRENCIES or fact["unit"] == currency:
            return None, None
        year = figure_year(fact["period_end"], fact["period_start"], fact["as_of"])
        conv = convert_one(
            fact["fact_id"], float(fact["value"]), fact["unit"], currency, year, ev["exchange_rates"], fact["bound"]
        )
        if conv.value is None:
            return None, None
        template = (
            _("≈ {amount} at the {year} average rate (part of the year only)")
            if conv.partial
            else _("≈ {amount} at the {year} average rate")
        )
        line = template.format(amount=fmt_money(conv.value, currency, lg), year=conv.rate_year)
        return line, render_derivation(conv.steps, _, lg)

    def name_of(actor_id: str) -> str:
        """A body's own name where short enough to read in a line, else its short name (KS, NHO)."""
        if actor_id not in actors.index:
            return actor_id
        own = actors.at[actor_id, "name_en" if lg == "en" else "name"]
        short = actors.at[actor_id, "short_name"]
        return str(own) if len(str(own)) <= 30 or short != short else str(short)

    counterparts = ev["counterparts"].set_index("role_id")

    def nearest(role: str | None) -> str:
        """ "Nearest in Denmark: CO-PI (partial fit)", or that none was found, from counterparts.csv."""
        if role is None or role not in counterparts.index:
            return ""
        found = counterparts.at[role, "danish_candidates"]
        ids = str(found).split() if isinstance(found, str) else []  # an empty cell is NA
        if not ids:
            return _("No Danish counterpart found.")
        fit = str(counterparts.at[role, "fit"])
        return _("Nearest in Denmark: {names} ({fit})").format(
            names=", ".join(escape_md(name_of(i)) for i in ids), fit=_(FIT[fit]).lower() if fit in FIT else fit
        )

    def cited(card: FigureCard, source_id: object, why: str = "") -> FigureCard:
        """`card` with the citation of a source that is not a figure's (a counterpart's, a role's, an event's)."""
        if not isinstance(source_id, str) or source_id not in sources.index:
            return card
        head, details = source_citation(sources.loc[source_id], lg, why)
        quote_lang = str(sources.at[source_id, "language"] or "")
        return replace(
            card, cite_head=head, cite_details=details, quote_lang=quote_lang if len(quote_lang) == 2 else ""
        )

    def card(row: HeadlineRow, country: str) -> FigureCard:
        label = _(row.label)
        cell = table[(table["row"] == row.key) & (table["country"] == country)].iloc[0]
        fact = fact_of(cell["fact_id"])
        subject = cell["subject"]
        if isinstance(subject, str) and subject in short_names.index and str(short_names[subject]).strip():
            label = join_parts(label, escape_md(short_names[subject]))
        line, steps = converted(fact)
        if fact is not None and fact["metric"] == "owner_count":  # owners by name, not only a count
            year = figure_year(fact["period_end"], fact["period_start"], fact["as_of"])
            names = [escape_md(name_of(i)) for i in owners_named(ev["relations"], str(fact["subject"]), year)]
            line = ", ".join(names) or None
        result = figure_text(
            label, fact, source_of(fact), lg, int(cell["other_figures"]), f"{row.key}-{country}", line, steps
        )
        gap = row.gap_no if country == "NO" else row.gap_dk
        known = known_answer(ev, row, lg) if country == "NO" and fact is None else None
        if known is not None and known.holders:  # who holds LUP's role, in place of a figure
            if PROGRAMME in short_names.index:
                result = replace(result, label=join_parts(label, escape_md(short_names[PROGRAMME])))
            holders = ", ".join(escape_md(name_of(i)) for i in known.holders)
            when = join_parts(str(known.year or ""), escape_md(sources.at[known.source_id, "publisher"]))
            return cited(replace(result, value=holders, line=when), known.source_id)
        if fact is None:
            parts = [_(gap) if gap else result.line, nearest(row.role) if country == "DK" else ""]
            if known is not None:  # what is known instead of the figure (a category), dated and cited
                parts.append(
                    _("Known: {what} ({publisher}, {year})").format(
                        what=escape_md(known.text),
                        publisher=escape_md(sources.at[known.source_id, "publisher"]),
                        year=known.year or "?",
                    )
                )
            result = replace(result, line="  \n".join(p for p in parts if p))
            if known is not None:
                result = cited(result, known.source_id, escape_md(known.text))
            elif country == "DK" and row.role in counterparts.index:  # the nearest counterpart, with its source
                why = pick(counterparts.loc[row.role], "why", lg)
                result = cited(result, counterparts.at[row.role, "source_id"], escape_md(why))
        return result

    def facts_of(row: HeadlineRow) -> tuple[pd.Series | None, pd.Series | None]:
        cells = table[table["row"] == row.key].set_index("country")["fact_id"]
        return fact_of(cells.get("NO")), fact_of(cells.get("DK"))

    country_names = {code: _(name) for code, name in COUNTRY_NAMES.items()}
    rows = [(card(row, "NO"), card(row, "DK")) for row in HEADLINE_ROWS]
    marks = [row_mark(ev, row, *facts_of(row)) for row in HEADLINE_ROWS]

    events = (
        milestones(ev["events"], lg)
        .merge(sources_in(ev["sources"], lg)[["source_id", "publisher"]], on="source_id", how="left")
        .sort_values("date")
    )
    chart = milestones_chart(
        events,
        country_names,
        {
            "title": _("Milestones in Norway and Denmark"),
            "date": _("Date"),
            "event": _("Milestone"),
            "source": _("Source"),
            "country": _("Country"),
        },
    )
    table_view = pd.DataFrame(
        {
            _("Date"): events["date_text"],
            _("Country"): events["country"].map(country_names),
            _("Milestone"): events["title"],
            _("Source"): events["publisher"],
        }
    )
    return OverviewView(
        country_names,
        rows,
        marks,
        [escape_md(m.text(lg)) for m in marks],
        chart_view(chart, lg, table_view),
        table_view,
        events["source_id"],
    )


# --- the page model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    currency: str  # money is also shown converted to this currency


def default_settings(ev: Evidence, lg: str) -> Settings:
    return Settings(currency=DEFAULT_CURRENCY.get(lg, "EUR"))


@dataclass(frozen=True)
class OverviewPage:
    settings: Settings
    view: OverviewView


def build(ev: Evidence, lg: str, settings: Settings) -> OverviewPage:
    return OverviewPage(settings, overview_view(ev, lg, settings.currency))
