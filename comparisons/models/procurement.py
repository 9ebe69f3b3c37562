"""The Procurement volumes page's content: what depends only on the data version and language (the controls'
options, the latest figure of each country, the shares of the total), and what depends on the chosen currency,
exchange-rate year and normalisation (conversions, the chart and the tables)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from comparisons.evidence.base import Evidence, facts_with_sources, sources_in
from comparisons.i18n import gettext_for, pick
from comparisons.i18n.formatting import fmt_span, fmt_value
from comparisons.i18n.labels import BOUND, COUNTRY_NAMES, CURRENCIES, DEFAULT_CURRENCY, RELIABILITY
from comparisons.measures import money as nz
from comparisons.measures import procurement as pv
from comparisons.measures.headlines import facts_for
from comparisons.models.figure import FigureCard, figure_text
from comparisons.models.parts import ChartView, Table, chart_view, per_data, reader_frame, sources_of_facts
from comparisons.outputs.charts import country_colour
from comparisons.outputs.tables import fact_sources


@dataclass(frozen=True)
class ProcurementBase:
    """What does not depend on the currency, rate year or normalisation."""

    basis_options: list[str]
    basis_labels: dict[str, str]
    norm_labels: dict[str, str]
    cards: list[tuple[str, FigureCard]]  # (country, its latest total) in pv.TOTAL_SUBJECTS order
    shares: Table | None  # None when the evidence has no sub-totals


@dataclass(frozen=True)
class CardNote:
    """Under a country's card: its latest figure converted (or per inhabitant), and how it was derived."""

    caption: str
    derivation: str


@dataclass(frozen=True)
class ProcurementView:
    """What the chosen currency, rate year and normalisation change."""

    notes: dict[str, CardNote]  # by country; absent when nothing is converted
    chart: ChartView
    chart_table: pd.DataFrame
    chart_caption: str
    chart_sources: list[str]
    partial_rate: bool  # some figure is converted at a rate averaged over part of a year
    columns: tuple[tuple[str, str], ...]  # (column, format kind) of the figure tables; see pages/procurement.py
    totals: Table
    subtotals: Table | None  # None when the evidence has no sub-totals


def _rates(ev: Evidence) -> pd.DataFrame:
    return nz.rate_table(ev["exchange_rates"])


@per_data
def procurement_base(ev: Evidence, lg: str) -> ProcurementBase:
    """The controls' options and labels, each country's latest total and the shares of the total (shared)."""
    _ = gettext_for(lg)
    rates = _rates(ev)
    years = nz.rate_years(rates, CURRENCIES)
    partial_years = set(rates.loc[rates["partial"], "year"])
    basis_options = [pv.EACH_YEAR] + [str(y) for y in reversed(years)]

    def basis_label(option: str) -> str:
        if option == pv.EACH_YEAR:
            return _("Each figure's own year")
        if int(option) in partial_years:
            return _("{year} average (part of the year)").format(year=option)
        return _("{year} average").format(year=option)

    countries = {code: _(name) for code, name in COUNTRY_NAMES.items()}
    sources = sources_in(ev["sources"], lg).set_index("source_id")
    cards = []
    for country, subject in pv.TOTAL_SUBJECTS.items():
        found = facts_for(ev["facts"], subject, pv.TOTAL_METRIC)  # latest first
        fact = None if found.empty else found.iloc[0]
        source = sources.loc[fact["source_id"]] if fact is not None and fact["source_id"] in sources.index else None
        label = _("Public procurement per year: {country}").format(country=countries[country])
        cards.append((country, figure_text(label, fact, source, lg, max(len(found) - 1, 0), f"vol-{country}")))

    # A share compares each sub-total's original value with each total of its year: the currency, rate year and
    # normalisation of the view do not change it (nor the sub-totals' order), so any of them gives the same rows.
    facts = facts_with_sources(ev, lg)
    subtotals = pv.procurement_subtotals(facts, rates, ev["population"], "EUR", None, "absolute")
    shares = None
    if not subtotals.empty:
        subjects = set(pv.TOTAL_SUBJECTS.values())
        totals_all = facts[(facts["metric"] == pv.TOTAL_METRIC) & facts["subject"].isin(subjects)]
        found = pv.shares_of_total(subtotals, totals_all, rates)
        share_table = pd.DataFrame(
            {
                _("Figure"): found["fact_id"].astype(str),
                _("Total figure"): found["total_fact_id"].fillna("").astype(str),
                _("Year"): found["year"],
                _("Share (%)"): found["share"],
                _("Bound"): [_(BOUND.get(b, b)) if isinstance(b, str) else "" for b in found["bound"]],
                _("How it was derived"): [nz.render_derivation(s, _, lg) for s in found["derivation_steps"]],
            }
        )
        share_figures = [
            f"{a} {b}"
            for a, b in zip(found["fact_id"].astype(str), found["total_fact_id"].fillna("").astype(str), strict=True)
        ]
        shares = Table(
            share_table,
            sources_of_facts(fact_sources(ev), share_figures),
            shown=reader_frame(
                share_table,
                lg,
                {_("Year"): "year", _("Share (%)"): "share"},
                drop=(_("Figure"), _("Total figure")),
                ev=ev,
            ),
        )

    norm_labels = {"absolute": _("Total"), "per_inhabitant": _("Per inhabitant")}
    return ProcurementBase(basis_options, {o: basis_label(o) for o in basis_options}, norm_labels, cards, shares)


@per_data
def procurement_view(ev: Evidence, lg: str, currency: str, rate_year: int | None, norm: str) -> ProcurementView:
    """Conversions, chart and tables for one currency, rate year (None: each figure's own) and normalisation."""
    _ = gettext_for(lg)
    rates = _rates(ev)
    population = ev["population"]
    facts = facts_with_sources(ev, lg)
    totals = pv.procurement_totals(facts, rates, population, currency, rate_year, norm)
    subtotals = pv.procurement_subtotals(facts, rates, population, currency, rate_year, norm)
    countries = {code: _(name) for code, name in COUNTRY_NAMES.items()}
    per_inh = norm == "per_inhabitant"

    def shown_text(value: float | None, bound: object) -> str:
        if value is None or pd.isna(value):
            return _("not found")
        b = bound if isinstance(bound, str) else "exact"
        return fmt_value(float(value), currency, lg, b, compact=not per_inh)

    # --- under each country's latest figure: the figure converted, and how ---
    notes = {}
    for country, card in procurement_base(ev, lg).cards:
        if card.fact_id is None:
            continue
        row = totals[totals["fact_id"] == card.fact_id]
        if not row.empty and (per_inh or row.iloc[0]["unit"] != currency):
            r = row.iloc[0]
            template = _("= {value} per inhabitant") if per_inh else _("= {value}")
            notes[country] = CardNote(
                template.format(value=shown_text(r["shown"], r["bound"])),
                nz.render_derivation(r["derivation_steps"], _, lg),
            )

    # --- the chart ---
    plotted = totals.dropna(subset=["shown"])
    scale = 1.0 if per_inh else 1e9
    y_title = (
        _("{currency} per inhabitant per year").format(currency=currency)
        if per_inh
        else _("Billion {currency} per year").format(currency=currency)
    )
    points = pd.DataFrame(
        {
            "country_name": plotted["country"].map(countries),
            "year": plotted["year"].astype(int),
            "y": plotted["shown"].astype(float),
            "bound_label": [_(BOUND.get(b, b)) for b in plotted["bound"]],
            "shown_text": [shown_text(v, b) for v, b in zip(plotted["shown"], plotted["bound"], strict=False)],
            "original_text": [
                fmt_value(float(v), u, lg, b)
                for v, u, b in zip(plotted["value"], plotted["unit"], plotted["bound"], strict=False)
            ],
            "period": [
                fmt_span(s, e, lg) for s, e in zip(plotted["period_start"], plotted["period_end"], strict=False)
            ],
            "publisher": plotted["publisher"].astype(str),
            "source_title": plotted["source_title"].astype(str),
            "fact_id": plotted["fact_id"].astype(str),
        }
    )
    tooltip = [
        ("country_name", _("Country")),
        ("shown_text", _("Value")),
        ("original_text", _("As the source gives it")),
        ("period", _("Period")),
        ("bound_label", _("Bound")),
        ("publisher", _("Publisher")),
        ("source_title", _("Source")),
        ("fact_id", _("Figure")),
    ]
    chart = pv.procurement_chart(
        points,
        country_colour(countries),
        {"x": _("Year"), "y": y_title, "country": _("Country"), "bound": _("Bound")},
        tooltip,
        scale,
    )
    chart_table = pd.DataFrame(
        {
            _("Country"): points["country_name"],
            _("Year"): points["year"],
            y_title: points["y"] / scale,
            _("Bound"): points["bound_label"],
            _("Publisher"): points["publisher"],
            _("Source"): points["source_title"],
            _("Figure"): points["fact_id"],
        }
    )
    years_shown = f"{points['year'].min()}–{points['year'].max()}" if len(points) else "–"
    chart_caption = _(
        "{n} figures from {sources} sources, {years}. Each point is one source's figure for one year; hover for the "
        "source. Shapes show whether the source gives an exact, approximate, minimum or maximum figure."
    ).format(n=len(points), sources=plotted["source_id"].nunique(), years=years_shown)

    def row_sources(frame: pd.DataFrame) -> list[str]:
        """Each figure's source, with the rate's source when converted and the population's when per inhabitant."""
        parts = [frame["source_id"]]
        parts.append(frame["rate_sources"].where(frame["unit"].astype(str) != currency))
        if per_inh:
            parts.append(frame["population_source"])
        return [" ".join(str(v) for v in row if isinstance(v, str)) for row in zip(*parts, strict=True)]

    partial = bool(totals["rate_partial"].fillna(False).any() or subtotals["rate_partial"].fillna(False).any())

    # --- tables ---
    def table(frame: pd.DataFrame) -> pd.DataFrame:
        """Original and converted values side by side, numeric, with the derivation in the reader's language."""
        return pd.DataFrame(
            {
                _("Figure"): frame["fact_id"].astype(str),
                _("Country"): frame["country"].map(countries),
                _("Period"): [
                    fmt_span(s, e, lg) for s, e in zip(frame["period_start"], frame["period_end"], strict=False)
                ],
                _("Bound"): [_(BOUND.get(b, b)) for b in frame["bound"]],
                _("Original value"): frame["value"].astype(float),
                _("Original currency"): frame["unit"].astype(str),
                _("Converted ({currency})").format(currency=currency): frame["converted"],
                _("Per inhabitant ({currency})").format(currency=currency): frame["per_inhabitant"],
                _("Rate year"): frame["rate_year"],
                _("Rate ({currency} per unit)").format(currency=currency): frame["rate"],
                _("Population"): frame["population"],
                _("Publisher"): frame["publisher"].astype(str),
                _("Source"): frame["source_title"].astype(str),
                _("Reliability"): [
                    _(RELIABILITY.get(r, r)) if isinstance(r, str) else "" for r in frame["reliability"]
                ],
                _("How it was derived"): [nz.render_derivation(s, _, lg) for s in frame["derivation_steps"]],
            }
        )

    # Numbers are written in the app's language in the model (Streamlit's own formats follow the browser's).
    kinds = {
        _("Original value"): "money",
        _("Converted ({currency})").format(currency=currency): "money",
        _("Per inhabitant ({currency})").format(currency=currency): "money",
        _("Rate ({currency} per unit)").format(currency=currency): "rate",
        _("Rate year"): "year",
        _("Population"): "count",
    }
    columns = ((_("How it was derived"), "text"),)

    def reader(frame: pd.DataFrame) -> pd.DataFrame:
        return reader_frame(frame, lg, kinds, drop=(_("Figure"),), ev=ev)

    sub = None
    if not subtotals.empty:
        sub_table = table(subtotals)
        labels = ev["metrics"].set_index("metric_id")
        sub_table.insert(
            1, _("Measure"), [pick(labels.loc[m], "label", lg) if m in labels.index else m for m in subtotals["metric"]]
        )
        sub = Table(sub_table, row_sources(subtotals), shown=reader(sub_table))
    return ProcurementView(
        notes,
        chart_view(chart, lg, reader_frame(chart_table, lg, {_("Year"): "year", y_title: "number"}, (_("Figure"),))),
        chart_table,
        chart_caption,
        row_sources(plotted),
        partial,
        columns,
        Table(table(totals), row_sources(totals), shown=reader(table(totals))),
        sub,
    )


# --- the page model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    currency: str
    rate_basis: str  # pv.EACH_YEAR (each figure at its own year's rate) or a year, as text
    norm: str  # one of pv.NORMALISATIONS

    @property
    def rate_year(self) -> int | None:
        return None if self.rate_basis == pv.EACH_YEAR else int(self.rate_basis)


def default_settings(ev: Evidence, lg: str) -> Settings:
    return Settings(currency=DEFAULT_CURRENCY.get(lg, "EUR"), rate_basis=pv.EACH_YEAR, norm="absolute")


@dataclass(frozen=True)
class ProcurementPage:
    settings: Settings
    base: ProcurementBase
    view: ProcurementView


def build(ev: Evidence, lg: str, settings: Settings) -> ProcurementPage:
    view = procurement_view(ev, lg, settings.currency, settings.rate_year, settings.norm)
    return ProcurementPage(settings, procurement_base(ev, lg), view)
