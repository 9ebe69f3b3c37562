"""The Results and savings page's content for one data version and language: the ratios with their inputs, the state
grants by year, the conflicting figures side by side, and the evidence ledger (all of it, and per chosen measures)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from comparisons.evidence.base import Evidence, facts_with_sources, sources_in
from comparisons.i18n import gettext_for, pick
from comparisons.i18n.formatting import fmt_number, fmt_period, fmt_span, fmt_value
from comparisons.i18n.labels import BOUND, COUNTRY_NAMES, RELIABILITY
from comparisons.measures import results as rs
from comparisons.measures import savings as sv
from comparisons.measures.money import rate_table, render_derivation, render_step
from comparisons.models.figure import FigureCard, escape_md, figure_text, join_parts
from comparisons.models.parts import cite_ids, per_data, reader_frame, sources_of_facts
from comparisons.outputs import exports
from comparisons.outputs.tables import fact_sources


@dataclass(frozen=True)
class Ratio:
    label: str  # the metric's label (escaped Markdown)
    value: str  # as the reader writes it, or "not found"
    derivation: str  # in "How it is computed": the full working, sources named by publisher and year
    facts_used: str  # in "How it is computed": the ids of the facts it uses (a curator's reference)
    summary: str = ""  # caption: the sources it stands on, by publisher and year


@dataclass(frozen=True)
class ConflictGroup:
    heading: str
    definition: str | None  # caption, if the measure has a definition
    cards: list[FigureCard]  # each with the figure in another currency and how, if there is one
    shown_note: str | None = None  # caption when only the latest SHOWN_PER_GROUP figures have cards


# Cards per group of disagreeing figures (today's data has at most 5): a measure with hundreds of figures (100x the
# data) drew hundreds of cards on every rerun; the latest are shown, and the ledger below lists every figure.
SHOWN_PER_GROUP = 12


@dataclass(frozen=True)
class ResultsView:
    intro: str  # the note on the different start years of savings and grants
    ratios: list[Ratio]
    grants: pd.DataFrame | None  # None when no state grant is found
    grants_shown: pd.DataFrame | None  # the same as st.dataframe sends it (converted once, not on every rerun)
    grant_sources: list[tuple[str, ...]]
    conflicts: pd.DataFrame | None  # the download table of the conflicting figures; None when there are none
    conflict_sources: pd.Series | None
    groups: list[ConflictGroup]
    measures: list[str]  # the ledger's measures, in order of first appearance
    labels: dict[str, str]  # measure -> its label in the reader's language
    ledger: pd.DataFrame  # comparisons.measures.results.evidence_ledger: every results figure
    # The main claims, what a reader needs first after the ratios: the latest figure of each measure and country,
    # with how many other figures there are; the groups, the grants and the ledger are one click away.
    claims: list[FigureCard] = field(default_factory=list)
    claims_heading: str = ""
    more: str = ""  # the label of the expander that holds the full working (grants, disagreements, ledger)


@dataclass(frozen=True)
class LedgerView:
    table: pd.DataFrame
    shown: pd.DataFrame  # the table as st.dataframe sends it (converted once, not on every rerun)
    sources: pd.Series
    caption: str


def _url(value: object) -> str | None:
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None


@per_data
def results_view(ev: Evidence, lg: str) -> ResultsView:
    """Everything the page shows except the measure filter, for one data version and language (shared by all
    sessions)."""
    _ = gettext_for(lg)
    rates = rate_table(ev["exchange_rates"])
    metric_rows = ev["metrics"].set_index("metric_id")
    ledger = rs.evidence_ledger(facts_with_sources(ev, lg), ev["metrics"])
    first_grant = sv.first_grant_year(ev["facts"])
    savings_start = sv.savings_start_year(ev["facts"])
    labels = {m: pick(metric_rows.loc[m], "label", lg) for m in metric_rows.index}

    def label(metric: str) -> str:
        return labels.get(metric, metric)

    intro = _(
        "The savings figures are cumulative since the programme started in {start}, while state grants started in "
        "{first}. A ratio of the two sets the savings of every year against the grants of fewer years."
    ).format(start=savings_start or _("not found"), first=first_grant or _("not found"))
    intro += " " + _("Funding counted: {basis}").format(basis=_(sv.FUNDING_BASIS))

    # --- ratios
    ratios = []
    for _i, ratio in sv.savings_ratios(ev["facts"], rates).iterrows():
        value = ratio["ratio"]
        shown = _("not found") if pd.isna(value) else fmt_value(float(value), "", lg, ratio["bound"] or "exact")
        used = exports.parse_ids(ratio["fact_ids"])
        ratios.append(
            Ratio(
                escape_md(cite_ids(render_step(ratio["label_step"], _, lg), ev, lg)),  # "(KS, 2019)", not the fact id
                shown,
                escape_md(cite_ids(render_derivation(ratio["derivation_steps"], _, lg), ev, lg)),
                _("ref. {ids}").format(ids=escape_md(ratio["fact_ids"])),
                _("From {sources}.").format(
                    sources=escape_md("; ".join(dict.fromkeys(cite_ids(f, ev, lg) for f in used)))
                ),
            )
        )

    grants_table, grants_shown, grant_sources = None, None, []
    if first_grant is not None:
        last = int(ledger["year"].max()) if ledger["year"].notna().any() else first_grant
        grants = sv.state_grants_by_year(ev["facts"], first_grant, max(last, first_grant))
        grants_table = pd.DataFrame(
            {
                _("Year"): grants["year"],
                _("State grant"): grants["value"],
                _("Currency"): grants["currency"].fillna(""),
                _("Bound"): [_(BOUND.get(b, b)) if isinstance(b, str) else "" for b in grants["bound"]],
                _("Status"): [_(sv.GRANT_STATUS[s]) for s in grants["status"]],
                _("Facts used"): grants["fact_ids"],
                _("Other figures for the year"): grants["other_fact_ids"],
            }
        )
        grants_shown = reader_frame(
            grants_table,
            lg,
            {_("Year"): "year", _("State grant"): "money"},
            drop=(_("Facts used"), _("Other figures for the year")),
        )
        grant_sources = sources_of_facts(
            fact_sources(ev),
            [
                f"{a} {b}"
                for a, b in zip(grants["fact_ids"].fillna(""), grants["other_fact_ids"].fillna(""), strict=True)
            ],
        )

    # --- conflicts
    conflicts = rs.conflict_groups(ledger, rates)
    sources = sources_in(ev["sources"], lg).set_index("source_id")
    raw_facts = ev["facts"].set_index("fact_id")

    def fact_of(fact_id: str) -> pd.Series:
        row = raw_facts.loc[fact_id].copy()
        row["fact_id"] = fact_id
        return row

    conflict_table, conflict_sources = None, None
    if not conflicts.empty:
        conflict_table = pd.DataFrame(
            {
                _("Measure"): [label(str(m)) for m in conflicts["group"]],
                _("Country"): [_(COUNTRY_NAMES.get(c, c)) for c in conflicts["country"]],
                _("Figure as given"): [
                    fmt_value(float(v), u, lg, b)
                    for v, u, b in zip(conflicts["value"], conflicts["unit"], conflicts["bound"], strict=False)
                ],
                _("Value"): conflicts["value"].astype(float),
                _("Unit"): [_(rs.UNIT_LABELS[u]) if u in rs.UNIT_LABELS else str(u) for u in conflicts["unit"]],
                _("Period"): [
                    fmt_span(s, e, lg) for s, e in zip(conflicts["period_start"], conflicts["period_end"], strict=False)
                ],
                _("Published"): [fmt_period(a, lg) for a in conflicts["as_of"]],
                _("Publisher"): conflicts["publisher"].astype(str),
                _("Source"): conflicts["source_title"].astype(str),
                _("Figure"): conflicts["fact_id"].astype(str),
            }
        )
        conflict_sources = conflicts["source_id"]
    groups = []
    for key, group in conflicts.groupby("group_key", sort=False):
        group_metric = str(group["group"].iloc[0])
        country = str(group["country"].iloc[0])
        heading = _("{measure}, {country}: {n} figures").format(
            measure=escape_md(label(group_metric)), country=_(COUNTRY_NAMES.get(country, country)), n=len(group)
        )
        definition = pick(metric_rows.loc[group_metric], "definition", lg) if group_metric in metric_rows.index else ""
        cards = []
        shown_note = None
        if len(group) > SHOWN_PER_GROUP:
            shown_note = _(
                "Showing the latest {shown} of {n} figures; the evidence ledger below lists them all."
            ).format(shown=SHOWN_PER_GROUP, n=fmt_number(len(group), lg, decimals=0))
            group = group.tail(SHOWN_PER_GROUP)  # oldest first, so the latest are at the end
        for _i, row in group.iterrows():
            fact = fact_of(str(row["fact_id"]))
            source = sources.loc[fact["source_id"]] if fact["source_id"] in sources.index else None
            equivalent = None
            if not pd.isna(row["equivalent"]):
                equivalent = _("≈ {value} ({how})").format(
                    value=fmt_value(float(row["equivalent"]), row["equivalent_currency"], lg, row["bound"]),
                    how=escape_md(cite_ids(render_derivation(row["equivalent_derivation_steps"], _, lg), ev, lg)),
                )
            cards.append(
                figure_text(
                    escape_md(label(str(row["metric"]))),
                    fact,
                    source,
                    lg,
                    key=f"res-{key}-{row['fact_id']}",
                    derived=equivalent,
                )
            )
        groups.append(
            ConflictGroup(
                heading,
                _("Definition: {text}").format(text=escape_md(definition)) if definition else None,
                cards,
                shown_note,
            )
        )

    # --- main claims: the latest figure per measure and country (latest publication, then latest period)
    claims = []
    for (metric, country), figures in ledger.groupby(["metric", "country"], sort=False):
        latest = figures.sort_values(["as_of", "period_end"], na_position="first").iloc[-1]
        fact = fact_of(str(latest["fact_id"]))
        source = sources.loc[fact["source_id"]] if fact["source_id"] in sources.index else None
        claims.append(
            figure_text(
                join_parts(escape_md(label(str(metric))), _(COUNTRY_NAMES.get(country, country))),
                fact,
                source,
                lg,
                other_figures=len(figures) - 1,
                key=f"res-claim-{metric}-{country}",
            )
        )
    claims_heading = _("Main claims")
    more = _("Every figure: state grants by year, where sources disagree, and the evidence ledger")

    measures = list(dict.fromkeys(ledger["metric"].astype(str)))
    return ResultsView(
        intro,
        ratios,
        grants_table,
        grants_shown,
        grant_sources,
        conflict_table,
        conflict_sources,
        groups,
        measures,
        {m: label(m) for m in measures},
        ledger,
        claims,
        claims_heading,
        more,
    )


def _ledger_table(shown: pd.DataFrame, labels: dict[str, str], lg: str) -> pd.DataFrame:
    """The ledger as shown, for some of its rows (built from those rows, so the columns' dtypes are those of the
    rows shown)."""
    _ = gettext_for(lg)
    return pd.DataFrame(
        {
            _("Measure"): [labels.get(m, m) for m in shown["metric"]],
            _("Country"): [_(COUNTRY_NAMES.get(c, c)) for c in shown["country"]],
            _("Figure as given"): [
                fmt_value(float(v), u, lg, b)
                for v, u, b in zip(shown["value"], shown["unit"], shown["bound"], strict=False)
            ],
            _("Value"): shown["value"].astype(float),
            _("Unit"): [_(rs.UNIT_LABELS[u]) if u in rs.UNIT_LABELS else str(u) for u in shown["unit"]],
            _("Bound"): [_(BOUND.get(b, b)) for b in shown["bound"]],
            _("Period"): [fmt_span(s, e, lg) for s, e in zip(shown["period_start"], shown["period_end"], strict=False)],
            _("Published"): [fmt_period(a, lg) for a in shown["as_of"]],
            _("Publisher"): shown["publisher"].astype(str),
            _("Source"): shown["source_title"].astype(str),
            _("Reliability"): [_(RELIABILITY.get(r, r)) if isinstance(r, str) else "" for r in shown["reliability"]],
            _("Quote"): shown["quote"].fillna("").astype(str),
            _("Definition"): [pick(r, "definition", lg) for _i, r in shown.iterrows()],
            _("Note"): shown["note"].fillna("").astype(str),
            _("Link"): [_url(u) for u in shown["url"]],
            _("Figure"): shown["fact_id"].astype(str),
        }
    )


@per_data
def ledger_view(ev: Evidence, lg: str, chosen: tuple[str, ...]) -> LedgerView:
    """The ledger table of the chosen measures (every measure when none is chosen), its sources and caption."""
    _ = gettext_for(lg)
    view = results_view(ev, lg)
    ledger = view.ledger
    shown = ledger[ledger["metric"].isin(chosen)] if chosen else ledger
    caption = _(
        "{n} figures from {s} sources. Definitions are those of the measure (in English); each source's own caveats "
        "are in the note column."
    ).format(n=len(shown), s=shown["source_id"].nunique())
    table = _ledger_table(shown, view.labels, lg)
    reader = reader_frame(table, lg, {_("Value"): "number"}, drop=(_("Figure"),), ev=ev)
    reader[_("Link")] = table[_("Link")]  # a link column draws nothing for a missing address
    return LedgerView(table, reader, shown["source_id"], caption)


# --- the page model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    measures: tuple[str, ...] = ()  # the ledger's measures shown; empty: all


def default_settings(ev: Evidence, lg: str) -> Settings:
    return Settings()


@dataclass(frozen=True)
class ResultsPage:
    settings: Settings
    view: ResultsView
    ledger: LedgerView


def build(ev: Evidence, lg: str, settings: Settings) -> ResultsPage:
    return ResultsPage(settings, results_view(ev, lg), ledger_view(ev, lg, tuple(sorted(settings.measures))))
