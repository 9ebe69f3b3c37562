"""The Overview's content for one data version, language and currency: the side-by-side cards and the milestones."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from comparisons.evidence.base import Evidence
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_money
from comparisons.i18n.labels import COUNTRY_NAMES, CURRENCIES, DEFAULT_CURRENCY
from comparisons.measures.headlines import HEADLINE_ROWS, headline_table, milestones, milestones_chart
from comparisons.measures.normalise import convert_one, figure_year, render_derivation
from comparisons.models.figure import FigureCard, escape_md, figure_text, join_parts
from comparisons.models.parts import ChartView, chart_view, per_data


@dataclass(frozen=True)
class OverviewView:
    country_names: dict[str, str]
    rows: list[tuple[FigureCard, FigureCard]]  # (Norway, Denmark) per headline row
    milestones: ChartView
    milestone_table: pd.DataFrame
    milestone_sources: pd.Series


@per_data
def overview_view(ev: Evidence, lg: str, currency: str) -> OverviewView:
    """Everything the page shows, for one data version, language and currency (shared by all sessions)."""
    _ = gettext_for(lg)
    facts = ev["facts"]
    by_id = facts.set_index("fact_id")
    sources = ev["sources"].set_index("source_id")
    actors = ev["actors"].set_index("actor_id")
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

    def card(row_key: str, label: str, country: str) -> FigureCard:
        cell = table[(table["row"] == row_key) & (table["country"] == country)].iloc[0]
        fact = fact_of(cell["fact_id"])
        if isinstance(cell["subject"], str) and cell["subject"] in short_names.index:
            label = join_parts(label, escape_md(short_names[cell["subject"]]))
        line, steps = converted(fact)
        return figure_text(
            label, fact, source_of(fact), lg, int(cell["other_figures"]), f"{row_key}-{country}", line, steps
        )

    country_names = {code: _(name) for code, name in COUNTRY_NAMES.items()}
    rows = [(card(row.key, _(row.label), "NO"), card(row.key, _(row.label), "DK")) for row in HEADLINE_ROWS]

    events = (
        milestones(ev["events"], lg)
        .merge(ev["sources"][["source_id", "publisher"]], on="source_id", how="left")
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
    return OverviewView(country_names, rows, chart_view(chart, lg, table_view), table_view, events["source_id"])


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
