"""The Partners page's content for one data version and language (partner counts, regional coverage, the Danish
pool), and the named partners for one choice of kinds of body."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from comparisons.evidence.base import Evidence, facts_with_sources, sources_in
from comparisons.i18n import gettext_for, pick
from comparisons.i18n.formatting import fmt_number, fmt_period, fmt_span, fmt_value
from comparisons.i18n.labels import ACTOR_KIND, BOUND
from comparisons.measures import partners as pt
from comparisons.measures import register as reg
from comparisons.measures.governance import source_list
from comparisons.models.figure import FigureCard, escape_md, figure_text
from comparisons.models.parts import ChartView, chart_view, cite_ids, per_data

# Disagreeing pairs of partner counts listed by name; the rest are counted (at 100x the data, thousands of pairs
# made one warning of megabytes, re-sent on every rerun), and the table marks every figure that disagrees.
LISTED_PAIRS = 10


@dataclass(frozen=True)
class Counts:
    """Partner counts over time: the chart, its table, the full table and the disagreements (None when none)."""

    chart: ChartView
    chart_table: pd.DataFrame
    caption: str
    table: pd.DataFrame
    table_shown: pd.DataFrame  # converted once for st.dataframe (ui.memo.arrow)
    table_sources: pd.Series
    value_column: str
    conflict_column: str
    disagreements: str | None


@dataclass(frozen=True)
class PartnersView:
    latest: FigureCard
    first: FigureCard
    counts: Counts | None  # None when no source gives the partner count
    named_note: str  # how many partners the sources name, against the total
    kinds_present: list[str]
    kind_text: dict[str, str]
    counties: FigureCard
    county_partners: FigureCard
    drivers: FigureCard
    county_quote: tuple[str, str] | None  # (quote as Markdown, its citation caption)
    coverage: str | None  # the "every county council was a partner" line, when the figures show it
    dk_pool: tuple[FigureCard, FigureCard, FigureCard]  # municipalities, regions, state agencies


@dataclass(frozen=True)
class KindsView:
    """The named partners of the chosen kinds; `chart` is None when none is of those kinds."""

    chart: ChartView | None
    table: pd.DataFrame | None
    sources: pd.Series | None
    caption: str


def _sources(ev: Evidence, lg: str) -> pd.DataFrame:
    return sources_in(ev["sources"], lg).drop_duplicates("source_id").set_index("source_id")


@per_data
def partners_view(ev: Evidence, lg: str) -> PartnersView:
    """Everything the page shows except the named partners of the chosen kinds (shared by all sessions)."""
    _ = gettext_for(lg)
    facts = facts_with_sources(ev, lg)
    sources = _sources(ev, lg)
    metrics = ev["metrics"].drop_duplicates("metric_id").set_index("metric_id")

    def metric_label(metric: str) -> str:
        return pick(metrics.loc[metric], "label", lg) if metric in metrics.index else metric

    def source_of(fact: pd.Series | None) -> pd.Series | None:
        if fact is None or fact["source_id"] not in sources.index:
            return None
        return sources.loc[fact["source_id"]]

    card_facts: dict[str, pd.Series | None] = {}  # the figure of each card, by the card's key

    def card(label: str, metric: str, country: str, subject: str | None = None, key: str = "") -> FigureCard:
        fact, others = pt.latest_for_metric(facts, metric, country, subject)
        key = key or f"{country}-{metric}"
        card_facts[key] = fact
        return figure_text(escape_md(label), fact, source_of(fact), lg, others, key)  # a metric label is data

    # --- partner counts over time ---
    series = pt.count_series(facts)
    latest, others = pt.latest_for_metric(facts, pt.PARTNER_COUNT, "NO", pt.PROGRAMME)
    latest_card = figure_text(_("Partners, latest figure"), latest, source_of(latest), lg, others, "par-latest")
    first = None if series.empty else series.iloc[0]
    first_card = figure_text(
        _("Partners, earliest figure"), first, source_of(first), lg, max(len(series) - 1, 0), "par-first"
    )

    counts = None
    if not series.empty:
        flag_text = {False: _("figure"), True: _("disagrees with a figure for a close date")}
        series = pt.with_texts(series, lg, flag_text)
        titles = {
            "value": metric_label(pt.PARTNER_COUNT),
            "date": _("Valid for (middle of the period)"),
            "period": _("Valid for"),
            "source": _("Source"),
            "publisher": _("Publisher"),
            "published": _("Published"),
            "flag": _("Status"),
        }
        chart = pt.count_chart(series, titles, flag_text)
        chart_table = pd.DataFrame(
            {
                titles["value"]: series["value"],
                titles["period"]: series["period_text"],
                titles["publisher"]: series["publisher"],
                titles["published"]: series["as_of_text"],
            }
        )
        publishers = source_list(series["publisher"], series["as_of"])
        caption = _(
            "Each point is one source's figure, placed at the middle of the period it is valid for; a line shows "
            "periods longer than a day. Diamonds mark figures that differ from another figure for a close date. "
            "Sources: {sources}."
        ).format(sources=escape_md(publishers))
        counts_table = pd.DataFrame(
            {
                titles["value"]: series["value"],
                _("Bound"): series["bound"].map(lambda b: _(BOUND[b]) if b in BOUND else str(b)),
                titles["period"]: series["period_text"],
                titles["published"]: series["as_of_text"],
                titles["publisher"]: series["publisher"],
                _("Source title"): series["source_title"],
                _("Quote"): series["quote"],
                _("Disagrees with a close figure"): series["conflict"],
                _("Figure ID"): series["fact_id"],
            }
        )
        pairs = pt.close_disagreements(series)
        disagreements = None
        if not pairs.empty:
            by_id = series.set_index("fact_id")

            def describe(fact_id: str) -> str:
                row = by_id.loc[fact_id]
                return _("{value} ({publisher}, {period})").format(
                    value=row["value_text"], publisher=row["publisher"], period=row["period_text"]
                )

            lines = [
                "- " + escape_md(_("{a} against {b}").format(a=describe(p.fact_id), b=describe(p.other_fact_id)))
                for p in pairs.head(LISTED_PAIRS).itertuples()
            ]
            if len(pairs) > LISTED_PAIRS:
                lines.append(
                    escape_md(
                        _(
                            "Further pairs, not listed here: {count}. The table below marks every figure that disagrees "
                            "with a close one."
                        ).format(count=fmt_number(len(pairs) - LISTED_PAIRS, lg, decimals=0))
                    )
                )
            disagreements = (
                escape_md(
                    _(
                        "Sources give different partner counts for close dates. Both figures are kept; they may count "
                        "differently or one may be out of date:"
                    )
                )
                + "\n"
                + "\n".join(lines)
            )
        counts = Counts(
            chart_view(chart, lg, chart_table),
            chart_table,
            caption,
            counts_table,
            counts_table.drop(columns=[_("Figure ID")]),  # the id stays in the file and the citations
            series["source_id"],
            titles["value"],
            _("Disagrees with a close figure"),
            disagreements,
        )

    # --- partner kinds: the note above the filter, and the filter's options ---
    named = pt.named_partners(ev["relations"], reg.actors_in(ev["actors"], lg))
    total = None if latest is None else fmt_value(latest["value"], latest["unit"], lg, latest["bound"])
    if total and latest is not None:
        named_note = _(
            "Only the partners the sources name are listed: {named} of the {total} partners LUP had in {period}. "
            "The other partners are not named in the evidence base."
        ).format(named=len(named), total=total, period=fmt_span(latest["period_start"], latest["period_end"], lg))
    else:
        named_note = _("Only the partners the sources name are listed, not all of LUP's partners.")
    kinds_present = sorted(k for k in named["kind"].dropna().unique())
    kind_text = {k: _(ACTOR_KIND[k]) if k in ACTOR_KIND else k for k in kinds_present}

    # --- regional coverage ---
    counties = card(metric_label("counties_count"), "counties_count", "NO", key="par-counties")
    county_partners = card(
        metric_label("county_partners"), "county_partners", "NO", pt.PROGRAMME, key="par-county-partners"
    )
    drivers = card(
        metric_label("innovation_driver_regions"), "innovation_driver_regions", "NO", pt.PROGRAMME, key="par-drivers"
    )
    cp, cc = card_facts[county_partners.key], card_facts[counties.key]
    county_quote = None
    if cp is not None and isinstance(cp.get("quote"), str) and cp["quote"]:
        county_quote = (
            "> " + escape_md(cp["quote"]),
            _("{publisher}, {date}.").format(publisher=escape_md(cp["publisher"]), date=fmt_period(cp["as_of"], lg)),
        )
    coverage = None
    if cp is not None and cc is not None and pt.county_coverage(cp, cc) == "all":
        coverage = _(
            "In {period} every county council was a LUP partner: {partners} county partners against {counties} "
            "counties ({sources})."
        ).format(
            period=fmt_span(cp["period_start"], cp["period_end"], lg),
            partners=fmt_value(cp["value"], "count", lg),
            counties=fmt_value(cc["value"], "count", lg),
            sources=escape_md(cite_ids(f"({cp['fact_id']} {cc['fact_id']})", ev, lg).strip("()")),
        )

    # --- the Danish pool ---
    dk_pool = (
        card(metric_label("municipalities_count"), "municipalities_count", "DK", key="par-dk-municipalities"),
        card(metric_label("regions_count"), "regions_count", "DK", key="par-dk-regions"),
        card(_("State agencies"), pt.STATE_AGENCIES_METRIC, "DK", key="par-dk-agencies"),
    )
    return PartnersView(
        latest_card,
        first_card,
        counts,
        named_note,
        kinds_present,
        kind_text,
        counties,
        county_partners,
        drivers,
        county_quote,
        coverage,
        dk_pool,
    )


@per_data
def partners_kinds_view(ev: Evidence, lg: str, chosen: tuple[str, ...]) -> KindsView:
    """The named partners of the `chosen` kinds (a sorted tuple), as a chart and a table (shared by all sessions)."""
    _ = gettext_for(lg)
    kind_text = partners_view(ev, lg).kind_text
    sources = _sources(ev, lg)
    named = pt.named_partners(ev["relations"], reg.actors_in(ev["actors"], lg))
    shown = named[named["kind"].isin(chosen)]
    if shown.empty:
        return KindsView(None, None, None, _("No named partner of the chosen kinds."))
    counts = pt.kind_counts(shown)
    counts["kind_label"] = counts["kind"].map(lambda k: kind_text.get(k, k))
    kind_titles = {"count": _("Named partners"), "kind": _("Kind of body"), "names": _("Partners")}
    partner_table = pd.DataFrame(
        {
            _("Partner"): shown["name"],
            _("Kind of body"): shown["kind"].map(lambda k: kind_text.get(k, k)),
            _("Partner since"): [fmt_period(s, lg) if s else _("not found") for s in shown["start"].fillna("")],
            _("Source"): [sources["title"].get(s, s) for s in shown["source_id"]],
            _("Publisher"): [sources["publisher"].get(s, "") for s in shown["source_id"]],
            _("Published"): [fmt_period(sources["published"].get(s, ""), lg) for s in shown["source_id"]],
        }
    )
    shown_sources = sources.reindex(shown["source_id"])
    named_sources = source_list(shown_sources["publisher"], shown_sources["published"])
    caption = _("Named partners by kind of body (not all partners). Sources: {sources}.").format(
        sources=escape_md(named_sources)
    )
    return KindsView(
        chart_view(pt.kind_chart(counts, kind_titles), lg, partner_table), partner_table, shown["source_id"], caption
    )


# --- the page model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    kinds: tuple[str, ...]  # kinds of partner body shown (sorted)


def default_settings(ev: Evidence, lg: str) -> Settings:
    return Settings(kinds=tuple(sorted(partners_view(ev, lg).kinds_present)))


@dataclass(frozen=True)
class PartnersPage:
    settings: Settings
    view: PartnersView
    kinds: KindsView


def build(ev: Evidence, lg: str, settings: Settings) -> PartnersPage:
    return PartnersPage(settings, partners_view(ev, lg), partners_kinds_view(ev, lg, tuple(sorted(settings.kinds))))
