"""The What-if page's content, in three layers so that moving an input rebuilds only what depends on it.

- `whatif_base(ev, lg)`: the conversion years, the first defaults' year and the transferability check (the Danish
  preconditions and the crosswalk's gaps) — none of it depends on the inputs.
- `whatif_defaults_view(ev, lg, year)`: the defaults for one conversion year, each caption with its citation, the
  table of figures behind them and the caveat.
- `whatif_results_view(ev, lg, inputs)`: the projection for one set of inputs (a frozen `WhatIfInputs`): metrics,
  the band and tornado charts with their tables, and the formulas with this scenario's numbers. One small entry per
  set of inputs; `ui.memo.MAX_ENTRIES` bounds how many are kept.

Plus `whatif_compare_view` (the saved scenarios side by side).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from comparisons.evidence.base import Evidence, facts_with_sources
from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_money, fmt_number, fmt_period, fmt_span, fmt_value
from comparisons.i18n.labels import STATUS
from comparisons.measures import register as reg
from comparisons.measures import savings as sv
from comparisons.measures import transfer, whatif
from comparisons.measures import whatif_defaults as wd
from comparisons.measures.money import render_derivation
from comparisons.models.figure import escape_md
from comparisons.models.parts import ChartView, chart_view, cite_ids, per_data, reader_frame
from comparisons.outputs import whatif_charts as wc
from comparisons.outputs.palette import STATUS_COLOURS

BOUNDS = ("low", "central", "high")


def _years_text(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in years)


def _cited(ev: Evidence, lg: str, fact_ids: Iterable[str]) -> str:
    """Facts named as a reader cites them: each source's publisher and year, once."""
    return "; ".join(dict.fromkeys(cite_ids(str(f), ev, lg) for f in fact_ids))


def _cite(ev: Evidence, lg: str, ids: Iterable[str]) -> str:
    """Facts as a caption cites them: each source's publisher and year, once, safe in Markdown (the ids stay in
    the provenance table's file and on the Sources page)."""
    return escape_md(_cited(ev, lg, ids))


@per_data
def _derived_defaults(ev: Evidence, year: int | None) -> wd.Defaults:
    """The defaults for one data version and conversion year (read-only, shared by sessions)."""
    return wd.derive_defaults(ev.tables, year)


# --- the part that does not depend on the inputs -----------------------------------------------------------------


@dataclass(frozen=True)
class GapView:
    markdown: str
    caption: str


@dataclass(frozen=True)
class TransferView:
    summary: str
    status_chart: ChartView
    status_table: pd.DataFrame
    status_caption: str
    gaps_heading: str
    gaps_empty: str | None  # the caption shown when every role has a Danish candidate
    gaps: tuple[GapView, ...]
    gaps_caption: str
    preconditions: pd.DataFrame
    # As drawn: the status as a coloured pill (a one-item list per row; options and colours in transfer.STATUS_ORDER),
    # converted once. A pandas Styler colouring the cells instead cost a third of the page's rerun (py-spy).
    preconditions_shown: pd.DataFrame
    status_column: str
    status_options: list[str]
    status_colours: list[str]
    evidence_column: str


@dataclass(frozen=True)
class WhatIfBase:
    error: str | None  # the evidence lacks what the what-if needs: the page says so and stops
    first_year: int | None
    year_options: list[int]
    transfer: TransferView | None


@per_data
def whatif_base(ev: Evidence, lg: str) -> WhatIfBase:
    """What the page shows whatever the inputs, for one data version and language (shared by all sessions)."""
    _ = gettext_for(lg)
    try:
        first = _derived_defaults(ev, None)
        year_options = wd.conversion_years(ev["exchange_rates"])
    except whatif.WhatIfInputError as exc:
        error = _("The evidence does not yet hold what the what-if needs: {problem}").format(
            problem=render_derivation(exc.steps, _, lg)
        )
        return WhatIfBase(error, None, [], None)
    return WhatIfBase(None, first.year, year_options, _transfer_view(ev, lg))


def _transfer_view(ev: Evidence, lg: str) -> TransferView:
    _ = gettext_for(lg)
    pre, counterparts = ev["preconditions"], ev["counterparts"]
    summary = transfer.transfer_summary(pre, counterparts)
    summary_text = _(
        "Of {total} conditions LUP relies on, Denmark has {present}, partly has {partial} and lacks {missing}. "
        "Roles in LUP without a Danish holder: {gaps} of {roles}."
    ).format(
        total=summary["preconditions"],
        present=summary["present"],
        partial=summary["partial"],
        missing=summary["missing"],
        roles=summary["roles"],
        gaps=summary["role_gaps"],
    )
    label_of = {code: _(text) for code, text in STATUS.items()}
    status_labels = {
        "title": _("Preconditions by Danish status"),
        "x": _("Preconditions"),
        "status": _("Status in Denmark"),
        "source": _("Source"),
        "note": _("The workbench's assessments of the Danish preconditions, each with its own source."),
    }
    counts = transfer.status_counts(pre)
    status_table = pd.DataFrame(
        {_("Status in Denmark"): counts["status"].map(label_of), _("Preconditions"): counts["count"]}
    )
    gaps = transfer.role_gaps(counterparts, reg.actors_in(ev["actors"], lg), ev["sources"], lg)
    gap_views = []
    for _i, gap in gaps.iterrows():
        source = gap["source_title"] if isinstance(gap["source_title"], str) else gap["source_id"]
        gap_views.append(
            GapView(
                "- **"
                + escape_md(gap["role"])
                + "** — "
                + _("in Norway: {names}").format(names=escape_md(gap["norwegian_holder"])),
                escape_md(gap["why"]) + " · " + escape_md(source),
            )
        )
    view = transfer.preconditions_view(pre, ev["sources"], lg)
    status_column = _("Status in Denmark")
    shown = pd.DataFrame(
        {
            status_column: view["status"].map(label_of),
            _("Precondition"): view["label"],
            _("Evidence"): view["evidence"],
            _("Source"): view["source_title"],
            _("Publisher"): view["publisher"],
            _("Figures"): view["fact_ids"],
        }
    )
    return TransferView(
        summary=summary_text,
        status_chart=chart_view(transfer.status_chart(counts, _, status_labels), lg, status_table),
        status_table=status_table,
        status_caption=_(
            "Source: the workbench's assessments of the Danish preconditions, each with its own source in the table "
            "below."
        ),
        gaps_heading="**" + _("LUP roles without a Danish holder") + "**",
        gaps_empty=_("Every role in the crosswalk has a Danish candidate.") if gaps.empty else None,
        gaps=tuple(gap_views),
        gaps_caption=_(
            "From the workbench's crosswalk of LUP's roles: roles whose fit is “none” or that name no Danish candidate."
        ),
        preconditions=shown,
        preconditions_shown=shown.drop(columns=[_("Figures")]).assign(
            **{status_column: [[s] for s in shown[status_column]]}
        ),
        status_column=status_column,
        status_options=[label_of[s] for s in transfer.STATUS_ORDER],
        status_colours=[STATUS_COLOURS[s] for s in transfer.STATUS_ORDER],
        evidence_column=_("Evidence"),
    )


# --- the defaults for one conversion year ------------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultsView:
    defaults: wd.Defaults  # read-only
    rate_caption: str
    horizon_caption: str
    ramp_caption: str
    basis_captions: dict[str, str]  # per scaling basis, where the evidence gives what its caption needs
    funding_caption: str  # where the funding input's default comes from
    ratio_labels: dict[str, str]  # per bound: the number input's label
    ratio_captions: dict[str, str]  # per bound: where the default comes from, in one sentence
    ratio_workings: dict[str, str]  # per bound: the whole working, sources and years left out included
    provenance: pd.DataFrame
    provenance_shown: pd.DataFrame  # converted once for st.dataframe (ui.memo.arrow)
    caveat: str


def _ratio_caption(ev: Evidence, lg: str, bound: str, derivation: wd.Derivation) -> tuple[str, str]:
    """Where a default savings-per-krone comes from: one short sentence for the page (the savings named by source
    and year) and the whole working (every source, the years left out, the funding counted) for its pop-over."""
    _ = gettext_for(lg)
    savings = fmt_value(derivation.numerator, derivation.numerator_unit, lg, derivation.numerator_bound)
    value = fmt_number(derivation.value, lg, 2)
    if bound == "high":
        text = _("Default {value} = the claim that {investment} invested gives {savings} of savings ({cite}).").format(
            value=value,
            investment=fmt_money(derivation.denominator, derivation.denominator_unit, lg),
            savings=savings,
            cite=_cite(ev, lg, derivation.fact_ids),
        )
        return text, text + " " + _("The same ratio is listed on Results and savings.")
    figures = {
        "value": value,
        "savings": savings,
        "savings_cite": _cite(ev, lg, derivation.numerator_ids),
        "grants": fmt_money(derivation.denominator, "NOK", lg),
        "years": _years_text(derivation.years),
    }
    short = _("Default {value} = {savings} cumulative savings ({savings_cite}) ÷ {grants} state grants {years}.")
    text = _(
        "Default {value} = {savings} cumulative savings since 2010 ({savings_cite}) ÷ {grants} state grants for "
        "{years} ({grants_cite})."
    ).format(**figures, grants_cite=_cite(ev, lg, derivation.denominator_ids))
    if derivation.missing_years:
        text += " " + _(
            "No grant figure for {years}: those years are left out, not estimated, which makes the ratio higher."
        ).format(years=_years_text(derivation.missing_years))
    return short.format(**figures), (
        text
        + " "
        + _("Funding counted: {basis}").format(basis=_(sv.FUNDING_BASIS))
        + " "
        + _("The same ratio is listed on Results and savings.")
    )


@per_data
def whatif_defaults_view(ev: Evidence, lg: str, year: int) -> DefaultsView:
    """The defaults for one conversion year, each with its citation (shared by all sessions)."""
    _ = gettext_for(lg)
    defaults = _derived_defaults(ev, year)
    rate_caption = _("{rate} NOK per DKK: ECB annual averages {year} (source {source}).").format(
        rate=fmt_number(defaults.nok_per_dkk, lg, 4),
        year=year,
        source=_cite(ev, lg, defaults.rate_sources),
    )
    horizon_caption = _(
        "Default {value}: the years from LUP's founding in {start} ({start_cite}) to its count of public bodies "
        "reached in {end} ({end_cite})."
    ).format(
        value=int(defaults.horizon.value),
        start=int(defaults.horizon.denominator),
        start_cite=_cite(ev, lg, defaults.horizon.denominator_ids),
        end=int(defaults.horizon.numerator),
        end_cite=_cite(ev, lg, defaults.horizon.numerator_ids),
    )
    ramp_caption = _(
        "Default {value}: an assumption of the workbench, not a figure from a source. Reach and savings grow in "
        "equal steps over the ramp-up."
    ).format(value=whatif.DEFAULT_RAMP_UP)

    basis_captions: dict[str, str] = {}
    proc_no, proc_dk = defaults.procurement_no, defaults.procurement_dk
    pop_no, pop_dk = defaults.population_no, defaults.population_dk
    if proc_no is not None and proc_dk is not None:
        basis_captions["procurement"] = _(
            "Denmark {dk} ({dk_period}, {dk_cite}) against Norway {no} ({no_period}, {no_cite}), figures nearest "
            "{year}."
        ).format(
            dk=fmt_value(proc_dk["value"], "DKK", lg, proc_dk["bound"]),
            dk_period=fmt_period(str(proc_dk["period_end"]), lg),
            dk_cite=_cite(ev, lg, [proc_dk["fact_id"]]),
            no=fmt_value(proc_no["value"], "NOK", lg, proc_no["bound"]),
            no_period=fmt_period(str(proc_no["period_end"]), lg),
            no_cite=_cite(ev, lg, [proc_no["fact_id"]]),
            year=year,
        )
    if pop_no is not None and pop_dk is not None:
        basis_captions["population"] = _(
            "Denmark {dk} ({dk_year}) against Norway {no} ({no_year}) inhabitants (source {source})."
        ).format(
            dk=fmt_number(pop_dk.value, lg, 0),
            dk_year=pop_dk.year,
            no=fmt_number(pop_no.value, lg, 0),
            no_year=pop_no.year,
            source=_cite(ev, lg, sorted({pop_dk.source_id, pop_no.source_id})),
        )
    basis_captions["budget"] = _("Denmark's funding in NOK against Norway's yearly state grant: the funding ratio.")

    funding_caption = _(
        "Default {default}: Norway's state grant {grant} for {grant_year} ({cite}) at {rate} NOK per DKK, rounded."
    ).format(
        default=fmt_money(defaults.funding.value, "DKK", lg),
        grant=fmt_money(defaults.funding.numerator, "NOK", lg),
        grant_year=_years_text(defaults.funding.years),
        cite=_cite(ev, lg, defaults.funding.numerator_ids),
        rate=fmt_number(defaults.nok_per_dkk, lg, 4),
    )
    ratio_labels = {
        "low": _("Savings per krone of funding: low"),
        "central": _("Savings per krone of funding: central"),
        "high": _("Savings per krone of funding: high"),
    }
    explained = {bound: _ratio_caption(ev, lg, bound, getattr(defaults, bound)) for bound in BOUNDS}
    ratio_captions = {bound: short for bound, (short, _working) in explained.items()}
    ratio_workings = {bound: working for bound, (_short, working) in explained.items()}

    fws = facts_with_sources(ev, lg).drop_duplicates("fact_id")
    prov = wd.provenance(defaults, fws)
    default_names = {
        "funding": _("Annual public funding"),
        "horizon": _("Horizon"),
        "low": _("Savings per krone: low"),
        "central": _("Savings per krone: central"),
        "high": _("Savings per krone: high"),
        "pace": _("Norway's public bodies reached per year"),
        "procurement_no": _("Procurement, Norway"),
        "procurement_dk": _("Procurement, Denmark"),
    }
    provenance = pd.DataFrame(
        {
            _("Default"): prov["default"].map(default_names),
            _("Figure"): prov["fact_id"],
            _("Value"): [
                fmt_value(v, u, lg, b) for v, u, b in zip(prov["value"], prov["unit"], prov["bound"], strict=True)
            ],
            _("Period"): [
                fmt_span(str(s), str(e), lg) for s, e in zip(prov["period_start"], prov["period_end"], strict=True)
            ],
            _("Publisher"): prov["publisher"],
            _("Source"): prov["source_title"],
        }
    )
    caveat = _(
        "**What the Norwegian evidence supports, and what it does not.** It supports that LUP and its partners report "
        "cumulative public savings ({low} around 2019, {central} in 2020) and that a speaker at a 2019 summit "
        "claimed that 10 million invested gives over 400 million. It does not support a forecast: no source gives the "
        "method behind the savings, none is audited, and none shows that the programme caused them. Savings are counted "
        "since 2010 while state grants began in 2016, partner contributions are not counted, and grant figures for "
        "{missing} are missing; all of this makes savings per krone too high rather than too low. The high bound is a "
        "claim made in a speech. Read the results as an illustration of scale under stated assumptions, and check the "
        "Danish preconditions below."
    ).format(
        low=fmt_value(defaults.low.numerator, defaults.low.numerator_unit, lg, defaults.low.numerator_bound),
        central=fmt_value(
            defaults.central.numerator, defaults.central.numerator_unit, lg, defaults.central.numerator_bound
        ),
        missing=_years_text(defaults.central.missing_years) or "–",
    )
    return DefaultsView(
        defaults=defaults,
        rate_caption=rate_caption,
        horizon_caption=horizon_caption,
        ramp_caption=ramp_caption,
        basis_captions=basis_captions,
        funding_caption=funding_caption,
        ratio_labels=ratio_labels,
        ratio_captions=ratio_captions,
        ratio_workings=ratio_workings,
        provenance=provenance,
        provenance_shown=provenance.drop(columns=[_("Figure")]),  # the id stays in the file and the citations
        caveat=caveat,
    )


def _reader(frame: pd.DataFrame, lg: str, tenths: Iterable[str] = ()) -> pd.DataFrame:
    """A results table as the page draws it: amounts in whole kroner and counts of bodies to a tenth, written in the
    app's language (Streamlit's own number formats follow the browser's); the numeric frame stays in `yearly` and
    `tornado_table` for the files."""
    one = set(tenths)
    kinds = {c: ("tenths" if c in one else "money") for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    kinds.update({c: "year" for c in frame.columns if c == gettext_for(lg)("Programme year")})
    return reader_frame(frame, lg, kinds)


# --- the projection for one set of inputs ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsView:
    error: str | None  # the inputs cannot be used: why (then nothing else is set)
    metrics: tuple[tuple[str, str], ...] = ()  # (label, value), alternately in the left and right column
    caption: str = ""
    band: ChartView | None = None
    yearly: pd.DataFrame | None = None
    band_caption: str = ""
    tornado: ChartView | None = None
    tornado_table: pd.DataFrame | None = None
    tornado_caption: str = ""
    formulas: str = ""


@per_data
def whatif_results_view(ev: Evidence, lg: str, inputs: whatif.WhatIfInputs) -> ResultsView:
    """The results for one set of inputs (its conversion year's calibration), shared by all sessions."""
    _ = gettext_for(lg)
    defaults = _derived_defaults(ev, inputs.year)
    calib = defaults.calibration
    try:
        projection = whatif.project(inputs, calib)
    except whatif.WhatIfInputError as exc:
        return ResultsView(
            _("These inputs cannot be used: {problem}").format(problem=render_derivation(exc.steps, _, lg))
        )
    result = whatif.outcome(inputs, calib)
    scale = whatif.scale_factor(inputs, calib)
    metrics = (
        (_("Public bodies reached by year {n}").format(n=inputs.years), fmt_number(result.bodies_reached, lg, 0)),
        (
            _("Break-even year"),
            str(result.break_even_year) if result.break_even_year is not None else _("not within the horizon"),
        ),
        (_("Cumulative savings, central"), fmt_money(result.savings_central, "DKK", lg)),
        (_("Cumulative cost"), fmt_money(result.cost, "DKK", lg)),
        (_("Cumulative savings, low"), fmt_money(result.savings_low, "DKK", lg)),
        (_("Cumulative savings, high"), fmt_money(result.savings_high, "DKK", lg)),
        (_("Cumulative net benefit, central"), fmt_money(result.net, "DKK", lg)),
    )
    ratio_ids = defaults.low.numerator_ids + defaults.central.numerator_ids + defaults.high.fact_ids
    caption = _(
        "Derived by the workbench from the inputs above; savings per krone from {ids}. Programme years 1 to {n}."
    ).format(ids=escape_md(_cited(ev, lg, ratio_ids)), n=inputs.years)

    note = _("Savings per krone from {ids}; conversion {year}").format(
        ids=_cited(ev, lg, defaults.central.fact_ids + defaults.high.fact_ids), year=inputs.year
    )
    band_labels = {
        "title": _("Cumulative savings and cost of a Danish LUP"),
        "x": _("Programme year"),
        "y": _("Million DKK, cumulative"),
        "band": _("Savings, low – high"),
        "central": _("Savings, central"),
        "cost": _("Cost"),
        "low": _("Savings, low"),
        "high": _("Savings, high"),
        "source": _("Source"),
        "series": _("Series"),
    }
    yearly = pd.DataFrame(
        {
            _("Programme year"): projection["year"],
            _("Public bodies reached"): projection["bodies_reached"].round(1),
            _("Savings, low"): projection["savings_low"].round(0),
            _("Savings, central"): projection["savings_central"].round(0),
            _("Savings, high"): projection["savings_high"].round(0),
            _("Cost"): projection["cost"].round(0),
            _("Net benefit, central"): projection["net"].round(0),
            _("Cumulative savings, central"): projection["cum_savings_central"].round(0),
            _("Cumulative cost"): projection["cum_cost"].round(0),
            _("Cumulative net benefit, central"): projection["cum_net"].round(0),
        }
    )

    def fmt_input(name: str, value: float) -> str:
        if name == "funding_dkk":
            return fmt_money(value, "DKK", lg)
        if name in ("years", "ramp_up"):
            return _("{n} years").format(n=int(value))
        if name == "nok_per_dkk":
            return fmt_number(value, lg, 4)
        return fmt_number(value, lg, 2)

    tornado_labels = {
        "title": _("What moves the cumulative net benefit most"),
        "x": _("Change in cumulative net benefit (million DKK)"),
        "low": _("Input lower (−20 % or low bound)"),
        "high": _("Input higher (+20 % or high bound)"),
        "input": _("Input"),
        "variant": _("Variant"),
        "value": _("Value"),
        "base": _("Base value"),
        "bodies": _("Change in public bodies reached"),
        "source": _("Source"),
    }
    tornado = wc.tornado_frame(whatif.sensitivity(inputs, calib), _, fmt_input, tornado_labels)
    tornado_table = tornado.rename(
        columns={
            "input": _("Input"),
            "variant": _("Variant"),
            "value": _("Value"),
            "base": _("Base value"),
            "change": _("Change in cumulative net benefit (DKK)"),
            "bodies_change": tornado_labels["bodies"],
        }
    )

    formulas = (
        _(
            "**Ramp-up**: in programme year t of a ramp-up of R years, reach and savings are t ÷ (R + 1) of their "
            "full level; from year R + 1 on, the full level."
        ),
        _("**Cost** each year = the annual public funding ({funding}).").format(
            funding=fmt_money(inputs.funding_dkk, "DKK", lg)
        ),
        _(
            "**Savings** each year = savings per krone (low, central or high) × annual funding × the ramp-up share. "
            "Savings per krone is a ratio, so it carries over from NOK to DKK."
        ),
        _("**Net benefit** = central savings − cost; savings, cost and net benefit are summed over the years."),
        _(
            "**Public bodies reached** each year = Norway's pace ({pace} a year: {bodies} bodies in {years} years) × "
            "the scale factor ({factor}) × the ramp-up share, summed over the years."
        ).format(
            pace=fmt_number(calib.pace_no, lg, 1),
            bodies=fmt_number(calib.bodies_reached_no, lg, 0),
            years=fmt_number(calib.years_no, lg, 0),
            factor=fmt_number(scale.factor, lg, 3),
        ),
        _(
            "**Scale factor** = the smaller of the basis ratio Denmark ÷ Norway ({basis_ratio}) and the funding ratio, "
            "Danish funding in NOK ÷ Norway's state grant of {grant} ({funding_ratio}): a programme cannot reach more "
            "bodies than its money serves at Norway's cost per body. On the equal-budget basis it is the funding ratio."
        ).format(
            basis_ratio=fmt_number(scale.basis_ratio, lg, 3),
            grant=fmt_money(calib.grant_no_nok, "NOK", lg),
            funding_ratio=fmt_number(scale.funding_ratio, lg, 3),
        ),
        _("**Break-even year** = the first year in which cumulative central savings reach cumulative cost."),
        _("**Conversion**: {rate} NOK per DKK, the {year} ECB annual averages through the euro.").format(
            rate=fmt_number(inputs.nok_per_dkk, lg, 4), year=inputs.year
        ),
    )
    return ResultsView(
        error=None,
        metrics=metrics,
        caption=caption,
        band=chart_view(
            wc.band_chart(projection, band_labels, note), lg, _reader(yearly, lg, (_("Public bodies reached"),))
        ),
        yearly=yearly,
        band_caption=_("Band: low to high savings per krone; line: central; dashed: cost. {note}.").format(note=note),
        tornado=chart_view(
            wc.tornado_chart(tornado, tornado_labels, note),
            lg,
            _reader(tornado_table, lg, (tornado_labels["bodies"],)),
        ),
        tornado_table=tornado_table,
        tornado_caption=_(
            "Each input moved alone by 20 % (whole years for the horizon and ramp-up; the low and high bounds for "
            "savings per krone), the others kept. The exchange rate changes only the public bodies reached."
        ),
        formulas="\n".join("- " + line for line in formulas),
    )


# --- saved scenarios ---------------------------------------------------------------------------------------------


@per_data
def whatif_compare_view(ev: Evidence, lg: str, scenarios: tuple[tuple[str, whatif.WhatIfInputs], ...]) -> pd.DataFrame:
    """The saved scenarios side by side as the page draws them (numbers written in `lg`), each with its outcome and
    the link that reopens it (in saved order)."""
    _ = gettext_for(lg)
    results = {
        label: (scenario, whatif.outcome(scenario, _derived_defaults(ev, scenario.year).calibration))
        for label, scenario in scenarios
    }
    compare = whatif.compare_scenarios(results, lg)
    compare["basis"] = compare["basis"].map(lambda b: _(whatif.BASIS_LABELS[b]))
    return reader_frame(compare, lg, COMPARE_KINDS)


# How each number of the saved-scenarios table is written (comparisons.models.parts.NUMBER_KINDS), in the app's
# language whatever the browser's.
COMPARE_KINDS: dict[str, str] = {
    "funding_dkk": "money",
    "years": "count",
    "ramp_up": "count",
    "savings_low": "ratio",
    "savings_central": "ratio",
    "savings_high": "ratio",
    "year": "year",
    "bodies_reached": "count",
    "cum_savings_low": "money",
    "cum_savings_central": "money",
    "cum_savings_high": "money",
    "cum_cost": "money",
    "cum_net": "money",
    "break_even_year": "year",
}


# --- the page model ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    inputs: whatif.WhatIfInputs | None  # None: the evidence lacks what the what-if needs (the page says why)


def default_settings(ev: Evidence, lg: str) -> Settings:
    base = whatif_base(ev, lg)
    if base.error is not None or base.first_year is None:
        return Settings(None)
    return Settings(whatif_defaults_view(ev, lg, base.first_year).defaults.inputs())


@dataclass(frozen=True)
class WhatIfPage:
    settings: Settings
    base: WhatIfBase
    defaults: DefaultsView | None
    results: ResultsView | None


def build(ev: Evidence, lg: str, settings: Settings) -> WhatIfPage:
    base = whatif_base(ev, lg)
    inputs = settings.inputs
    if base.error is not None or inputs is None:
        return WhatIfPage(settings, base, None, None)
    return WhatIfPage(
        settings,
        base,
        whatif_defaults_view(ev, lg, inputs.year),
        whatif_results_view(ev, lg, inputs),
    )
