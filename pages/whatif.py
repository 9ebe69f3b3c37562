"""What-if: a Danish LUP — a transparent projection from Norwegian evidence to Danish scale, beside the check of
whether the conditions behind Norway's results exist in Denmark.

Thin: the widgets (all in the URL), then comparisons.whatif for the model, defaults, charts and scenario table, and
comparisons.transfer for the preconditions and the crosswalk's gaps.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from comparisons import transfer, whatif
from comparisons.evidence import facts_with_sources
from comparisons.formatting import fmt_money, fmt_number, fmt_period, fmt_span, fmt_value
from comparisons.labels import STATUS
from comparisons.normalise import render_derivation
from ui import urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.figure import escape_md

_ = start_page()
lg = lang()
ev = require_evidence()
SAVED = "wi_saved"  # session state: {scenario name: WhatIfInputs}

st.title(_("What-if: a Danish LUP"))
st.caption(
    _(
        "A projection from Norwegian evidence to Danish scale, not a forecast. Every default below is taken from named "
        "figures; change any input and the results, the charts and the link follow."
    )
)

fws = facts_with_sources(ev).drop_duplicates("fact_id").set_index("fact_id")


def cite(ids: tuple[str, ...] | list[str]) -> str:
    """'NO-RES-08 (Title); …' — fact ids with their source titles, safe in Markdown."""
    parts = []
    for fid in ids:
        title = fws["source_title"].get(fid) if fid in fws.index else None
        parts.append(escape_md(fid) + (f" ({escape_md(title)})" if isinstance(title, str) and title else ""))
    return "; ".join(parts)


def years_text(years: tuple[int, ...]) -> str:
    return ", ".join(str(y) for y in years)


@st.cache_resource(show_spinner=False, max_entries=32)
def derived_defaults(_ev: object, version: str, root: str, year: int | None) -> whatif.Defaults:
    """The defaults for one data version and conversion year, computed once (read-only, shared by sessions)."""
    del version, root  # part of the cache key only
    return whatif.derive_defaults(_ev.tables, year)  # type: ignore[attr-defined]


def defaults_for(year: int | None) -> whatif.Defaults:
    return derived_defaults(ev, ev.version, str(ev.root), year)


def error_text(exc: whatif.WhatIfInputError) -> str:
    return render_derivation(exc.steps, _, lg)


def ratio_caption(bound: str, derivation: whatif.Derivation) -> str:
    """Where a default savings-per-krone comes from, in words, with fact ids and source titles."""
    savings = fmt_value(derivation.numerator, derivation.numerator_unit, lg, derivation.numerator_bound)
    if bound == "high":
        return _("Default {value} = the claim that {investment} invested gives {savings} of savings ({cite}).").format(
            value=fmt_number(derivation.value, lg, 2),
            investment=fmt_money(derivation.denominator, derivation.denominator_unit, lg),
            savings=savings,
            cite=cite(derivation.fact_ids),
        )
    text = _(
        "Default {value} = {savings} cumulative savings since 2010 ({savings_cite}) ÷ {grants} state grants for "
        "{years} ({grants_cite})."
    ).format(
        value=fmt_number(derivation.value, lg, 2),
        savings=savings,
        savings_cite=cite(derivation.numerator_ids),
        grants=fmt_money(derivation.denominator, "NOK", lg),
        years=years_text(derivation.years),
        grants_cite=cite(derivation.denominator_ids),
    )
    if derivation.missing_years:
        text += " " + _(
            "No grant figure for {years}: those years are left out, not estimated, which makes the ratio higher."
        ).format(years=years_text(derivation.missing_years))
    return text


try:
    first = defaults_for(None)
    year_options = whatif.conversion_years(ev["exchange_rates"])
except whatif.WhatIfInputError as exc:
    st.error(_("The evidence does not yet hold what the what-if needs: {problem}").format(problem=error_text(exc)))
    st.stop()

# --- inputs (each seeded from the URL, each default with its citation) --------------------------------------------
st.subheader(_("Inputs"))
left, right = st.columns(2)

with left:
    urlstate.seed("wi_year", urlstate.choice_parser(year_options), first.year)
    year = st.selectbox(
        _("Conversion year (exchange rate and figures nearest to it)"), year_options, key="wi_year",
        help=_("NOK per DKK is the ECB annual average of that year, through the euro."),
    )
    urlstate.publish("wi_year", year)
    defaults = first if year == first.year else defaults_for(year)
    st.caption(
        _("{rate} NOK per DKK: ECB annual averages {year} (source {source}).").format(
            rate=fmt_number(defaults.nok_per_dkk, lg, 4), year=year,
            source=escape_md(", ".join(defaults.rate_sources)),
        )
    )

    urlstate.seed("wi_funding", urlstate.float_parser(0.0, whatif.MAX_FUNDING_DKK), defaults.funding.value)
    funding = st.number_input(
        _("Annual public funding (DKK)"), min_value=0.0, max_value=whatif.MAX_FUNDING_DKK, step=500_000.0,
        format="%.0f", key="wi_funding",
    )
    urlstate.publish("wi_funding", funding)
    st.caption(
        _(
            "{amount}. Default {default}: Norway's state grant {grant} for {grant_year} ({cite}) at {rate} NOK per "
            "DKK, rounded."
        ).format(
            amount=fmt_money(funding, "DKK", lg, compact=False),
            default=fmt_money(defaults.funding.value, "DKK", lg),
            grant=fmt_money(defaults.funding.numerator, "NOK", lg),
            grant_year=years_text(defaults.funding.years),
            cite=cite(defaults.funding.numerator_ids),
            rate=fmt_number(defaults.nok_per_dkk, lg, 4),
        )
    )

    urlstate.seed("wi_years", urlstate.int_parser(whatif.MIN_YEARS, whatif.MAX_YEARS), int(defaults.horizon.value))
    years = st.slider(_("Horizon (years)"), whatif.MIN_YEARS, whatif.MAX_YEARS, key="wi_years")
    urlstate.publish("wi_years", years)
    st.caption(
        _(
            "Default {value}: the years from LUP's founding in {start} ({start_cite}) to its count of public bodies "
            "reached in {end} ({end_cite})."
        ).format(
            value=int(defaults.horizon.value), start=int(defaults.horizon.denominator),
            start_cite=cite(defaults.horizon.denominator_ids), end=int(defaults.horizon.numerator),
            end_cite=cite(defaults.horizon.numerator_ids),
        )
    )

    urlstate.seed("wi_ramp", urlstate.int_parser(0, whatif.MAX_YEARS), min(defaults.ramp_up, years))
    ramp_up = st.slider(_("Ramp-up (years)"), 0, whatif.MAX_YEARS, key="wi_ramp")
    urlstate.publish("wi_ramp", ramp_up)
    st.caption(
        _(
            "Default {value}: an assumption of the workbench, not a figure from a source. Reach and savings grow in "
            "equal steps over the ramp-up."
        ).format(value=whatif.DEFAULT_RAMP_UP)
    )

    urlstate.seed("wi_basis", urlstate.choice_parser(whatif.BASES), "procurement")
    basis = st.selectbox(
        _("Scaling basis for public bodies reached"), whatif.BASES, key="wi_basis",
        format_func=lambda b: _(whatif.BASIS_LABELS[b]),
    )
    urlstate.publish("wi_basis", basis)
    proc_no, proc_dk = defaults.procurement_no, defaults.procurement_dk
    pop_no, pop_dk = defaults.population_no, defaults.population_dk
    if basis == "procurement" and proc_no is not None and proc_dk is not None:
        st.caption(
            _(
                "Denmark {dk} ({dk_period}, {dk_cite}) against Norway {no} ({no_period}, {no_cite}), figures nearest "
                "{year}."
            ).format(
                dk=fmt_value(proc_dk["value"], "DKK", lg, proc_dk["bound"]),
                dk_period=fmt_period(str(proc_dk["period_end"]), lg),
                dk_cite=cite([proc_dk["fact_id"]]),
                no=fmt_value(proc_no["value"], "NOK", lg, proc_no["bound"]),
                no_period=fmt_period(str(proc_no["period_end"]), lg),
                no_cite=cite([proc_no["fact_id"]]),
                year=year,
            )
        )
    elif basis == "population" and pop_no is not None and pop_dk is not None:
        st.caption(
            _("Denmark {dk} ({dk_year}) against Norway {no} ({no_year}) inhabitants (source {source}).").format(
                dk=fmt_number(pop_dk.value, lg, 0), dk_year=pop_dk.year,
                no=fmt_number(pop_no.value, lg, 0), no_year=pop_no.year,
                source=escape_md(", ".join(sorted({pop_dk.source_id, pop_no.source_id}))),
            )
        )
    elif basis == "budget":
        st.caption(_("Denmark's funding in NOK against Norway's yearly state grant: the funding ratio."))

with right:
    ratios: dict[str, float] = {}
    for key, bound, label in (
        ("wi_low", "low", _("Savings per krone of funding: low")),
        ("wi_central", "central", _("Savings per krone of funding: central")),
        ("wi_high", "high", _("Savings per krone of funding: high")),
    ):
        derivation = getattr(defaults, bound)
        urlstate.seed(key, urlstate.float_parser(0.0, whatif.MAX_RATIO), derivation.value)
        ratios[bound] = st.number_input(label, min_value=0.0, max_value=whatif.MAX_RATIO, step=0.1, format="%.2f", key=key)
        urlstate.publish(key, ratios[bound])
        st.caption(ratio_caption(bound, derivation))

inputs = whatif.WhatIfInputs(
    funding_dkk=float(funding), years=int(years), ramp_up=int(ramp_up), savings_low=float(ratios["low"]),
    savings_central=float(ratios["central"]), savings_high=float(ratios["high"]), basis=basis, year=int(year),
    nok_per_dkk=defaults.nok_per_dkk,
)
calib = defaults.calibration

with st.expander(_("The figures behind the defaults")):
    prov = whatif.provenance(defaults, fws.reset_index())
    default_names = {
        "funding": _("Annual public funding"), "horizon": _("Horizon"), "low": _("Savings per krone: low"),
        "central": _("Savings per krone: central"), "high": _("Savings per krone: high"),
        "pace": _("Norway's public bodies reached per year"), "procurement_no": _("Procurement, Norway"),
        "procurement_dk": _("Procurement, Denmark"),
    }
    st.dataframe(
        pd.DataFrame(
            {
                _("Default"): prov["default"].map(default_names),
                _("Figure"): prov["fact_id"],
                _("Value"): [fmt_value(v, u, lg, b) for v, u, b in zip(prov["value"], prov["unit"], prov["bound"], strict=True)],
                _("Period"): [fmt_span(str(s), str(e), lg) for s, e in zip(prov["period_start"], prov["period_end"], strict=True)],
                _("Publisher"): prov["publisher"],
                _("Source"): prov["source_title"],
            }
        ),
        hide_index=True, width="stretch", key="wi-provenance",
    )

# --- results ------------------------------------------------------------------------------------------------------
st.subheader(_("Results"))
try:
    projection = whatif.project(inputs, calib)
except whatif.WhatIfInputError as exc:
    projection = None
    st.error(_("These inputs cannot be used: {problem}").format(problem=error_text(exc)))

if projection is not None:
    result = whatif.outcome(inputs, calib)
    scale = whatif.scale_factor(inputs, calib)
    c1, c2 = st.columns(2)
    c1.metric(
        _("Public bodies reached by year {n}").format(n=inputs.years), fmt_number(result.bodies_reached, lg, 0),
        border=True,
    )
    c2.metric(
        _("Break-even year"),
        str(result.break_even_year) if result.break_even_year is not None else _("not within the horizon"),
        border=True,
    )
    c1.metric(_("Cumulative savings, central"), fmt_money(result.savings_central, "DKK", lg), border=True)
    c2.metric(_("Cumulative cost"), fmt_money(result.cost, "DKK", lg), border=True)
    c1.metric(_("Cumulative savings, low"), fmt_money(result.savings_low, "DKK", lg), border=True)
    c2.metric(_("Cumulative savings, high"), fmt_money(result.savings_high, "DKK", lg), border=True)
    c1.metric(_("Cumulative net benefit, central"), fmt_money(result.net, "DKK", lg), border=True)
    ratio_ids = defaults.low.numerator_ids + defaults.central.numerator_ids + defaults.high.fact_ids
    st.caption(
        _("Derived by the workbench from the inputs above; savings per krone from {ids}. Programme years 1 to {n}.").format(
            ids=escape_md(", ".join(ratio_ids)), n=inputs.years
        )
    )

    note = _("Savings per krone from {ids}; conversion {year}").format(
        ids=", ".join(defaults.central.fact_ids + defaults.high.fact_ids), year=inputs.year
    )
    band_labels = {
        "title": _("Cumulative savings and cost of a Danish LUP"), "x": _("Programme year"),
        "y": _("Million DKK, cumulative"), "band": _("Savings, low – high"), "central": _("Savings, central"),
        "cost": _("Cost"), "low": _("Savings, low"), "high": _("Savings, high"), "source": _("Source"),
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
    chart_with_table(
        whatif.band_chart(projection, band_labels, note), yearly, key="wi-band",
        caption=_("Band: low to high savings per krone; line: central; dashed: cost. {note}.").format(note=note),
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
        "low": _("Input lower (−20 % or low bound)"), "high": _("Input higher (+20 % or high bound)"),
        "input": _("Input"), "variant": _("Variant"), "value": _("Value"), "base": _("Base value"),
        "bodies": _("Change in public bodies reached"), "source": _("Source"),
    }
    tornado = whatif.tornado_frame(whatif.sensitivity(inputs, calib), _, fmt_input, tornado_labels)
    chart_with_table(
        whatif.tornado_chart(tornado, tornado_labels, note),
        tornado.rename(
            columns={
                "input": _("Input"), "variant": _("Variant"), "value": _("Value"), "base": _("Base value"),
                "change": _("Change in cumulative net benefit (DKK)"), "bodies_change": tornado_labels["bodies"],
            }
        ),
        key="wi-tornado",
        caption=_(
            "Each input moved alone by 20 % (whole years for the horizon and ramp-up; the low and high bounds for "
            "savings per krone), the others kept. The exchange rate changes only the public bodies reached."
        ),
    )

    st.subheader(_("How it is computed"))
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
            pace=fmt_number(calib.pace_no, lg, 1), bodies=fmt_number(calib.bodies_reached_no, lg, 0),
            years=fmt_number(calib.years_no, lg, 0), factor=fmt_number(scale.factor, lg, 3),
        ),
        _(
            "**Scale factor** = the smaller of the basis ratio Denmark ÷ Norway ({basis_ratio}) and the funding ratio, "
            "Danish funding in NOK ÷ Norway's state grant of {grant} ({funding_ratio}): a programme cannot reach more "
            "bodies than its money serves at Norway's cost per body. On the equal-budget basis it is the funding ratio."
        ).format(
            basis_ratio=fmt_number(scale.basis_ratio, lg, 3), grant=fmt_money(calib.grant_no_nok, "NOK", lg),
            funding_ratio=fmt_number(scale.funding_ratio, lg, 3),
        ),
        _("**Break-even year** = the first year in which cumulative central savings reach cumulative cost."),
        _("**Conversion**: {rate} NOK per DKK, the {year} ECB annual averages through the euro.").format(
            rate=fmt_number(inputs.nok_per_dkk, lg, 4), year=inputs.year
        ),
    )
    st.markdown("\n".join("- " + line for line in formulas))

st.warning(
    _(
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
        central=fmt_value(defaults.central.numerator, defaults.central.numerator_unit, lg, defaults.central.numerator_bound),
        missing=years_text(defaults.central.missing_years) or "–",
    )
)

# --- saved scenarios (in this session; each with the link that reopens it) ----------------------------------------
st.subheader(_("Saved scenarios"))
saved: dict[str, whatif.WhatIfInputs] = st.session_state.setdefault(SAVED, {})
name_col, button_col = st.columns(2)
with name_col:
    name = st.text_input(
        _("Scenario name"), key="wi_name", max_chars=60, placeholder=_("Scenario {n}").format(n=len(saved) + 1)
    )
with button_col:
    if st.button(_("Save this scenario"), key="wi_save", disabled=projection is None, icon=":material/bookmark_add:"):
        label = name.strip() or _("Scenario {n}").format(n=len(saved) + 1)
        saved[label] = inputs
        st.toast(_("Saved: {name}").format(name=escape_md(label)))
    if saved and st.button(_("Forget saved scenarios"), key="wi_clear", icon=":material/delete:"):
        saved.clear()

if saved:
    by_year: dict[int, whatif.Defaults] = {defaults.year: defaults}
    results = {}
    for label, scenario in saved.items():
        if scenario.year not in by_year:
            by_year[scenario.year] = defaults_for(scenario.year)
        results[label] = (scenario, whatif.outcome(scenario, by_year[scenario.year].calibration))
    compare = whatif.compare_scenarios(results, lg)
    compare["basis"] = compare["basis"].map(lambda b: _(whatif.BASIS_LABELS[b]))
    number = st.column_config.NumberColumn
    st.dataframe(
        compare,
        hide_index=True,
        width="stretch",
        key="wi-compare",
        column_config={
            "scenario": st.column_config.TextColumn(_("Scenario")),
            "funding_dkk": number(_("Annual funding (DKK)"), format="localized"),
            "years": number(_("Horizon (years)")),
            "ramp_up": number(_("Ramp-up (years)")),
            "savings_low": number(_("Savings per krone: low"), format="localized"),
            "savings_central": number(_("Savings per krone: central"), format="localized"),
            "savings_high": number(_("Savings per krone: high"), format="localized"),
            "basis": st.column_config.TextColumn(_("Scaling basis")),
            "year": number(_("Conversion year"), format="%d"),
            "bodies_reached": number(_("Public bodies reached"), format="%.0f"),
            "cum_savings_low": number(_("Cumulative savings, low (DKK)"), format="localized"),
            "cum_savings_central": number(_("Cumulative savings, central (DKK)"), format="localized"),
            "cum_savings_high": number(_("Cumulative savings, high (DKK)"), format="localized"),
            "cum_cost": number(_("Cumulative cost (DKK)"), format="localized"),
            "cum_net": number(_("Cumulative net benefit, central (DKK)"), format="localized"),
            "break_even_year": number(_("Break-even year"), format="%d"),
            "link": st.column_config.LinkColumn(_("Link (query string)")),
        },
    )
    st.caption(_("Each link reopens its scenario on this page; add it to the app's address to share it."))
else:
    st.caption(_("Save the current inputs under a name; saved scenarios are compared side by side here."))

# --- transferability: Denmark's preconditions and the crosswalk's gaps --------------------------------------------
st.subheader(_("Can the Norwegian results carry over? The Danish preconditions"))
pre, counterparts = ev["preconditions"], ev["counterparts"]
summary = transfer.transfer_summary(pre, counterparts)
st.markdown(
    _(
        "Of {total} conditions LUP relies on, Denmark has {present}, partly has {partial} and lacks {missing}. "
        "Roles in LUP without a Danish holder: {gaps} of {roles}."
    ).format(
        total=summary["preconditions"], present=summary["present"], partial=summary["partial"],
        missing=summary["missing"], roles=summary["roles"], gaps=summary["role_gaps"],
    )
)
label_of = {code: _(text) for code, text in STATUS.items()}
chart_col, gap_col = st.columns(2)
with chart_col:
    status_labels = {
        "title": _("Preconditions by Danish status"), "x": _("Preconditions"), "status": _("Status in Denmark"),
        "source": _("Source"), "note": "data/denmark/preconditions.csv",
    }
    counts = transfer.status_counts(pre)
    chart_with_table(
        transfer.status_chart(counts, _, status_labels),
        pd.DataFrame({_("Status in Denmark"): counts["status"].map(label_of), _("Preconditions"): counts["count"]}),
        key="wi-status",
        caption=_("Source: the assessments in data/denmark/preconditions.csv, each with its own source in the table below."),
    )
with gap_col:
    gaps = transfer.role_gaps(counterparts, ev["actors"], ev["sources"], lg)
    st.markdown("**" + _("LUP roles without a Danish holder") + "**")
    if gaps.empty:
        st.caption(_("Every role in the crosswalk has a Danish candidate."))
    for _i, gap in gaps.iterrows():
        st.markdown(
            "- **" + escape_md(gap["role"]) + "** — "
            + _("in Norway: {names}").format(names=escape_md(gap["norwegian_holder"]))
        )
        source = gap["source_title"] if isinstance(gap["source_title"], str) else gap["source_id"]
        st.caption(escape_md(gap["why"]) + " · " + escape_md(source))
    st.caption(
        _(
            "From the role crosswalk (data/denmark/counterparts.csv): roles whose fit is “none” or that name no "
            "Danish candidate."
        )
    )

view = transfer.preconditions_view(pre, ev["sources"], lg)
shown = pd.DataFrame(
    {
        _("Status in Denmark"): view["status"].map(label_of),
        _("Precondition"): view["label"],
        _("Evidence"): view["evidence"],
        _("Source"): view["source_title"],
        _("Publisher"): view["publisher"],
        _("Figures"): view["fact_ids"],
    }
)
styled = shown.style.map(
    transfer.status_cell_style({v: k for k, v in label_of.items()}), subset=[_("Status in Denmark")]
)
st.dataframe(
    styled, hide_index=True, width="stretch", key="wi-preconditions",
    column_config={_("Evidence"): st.column_config.TextColumn(width="large")},
)
