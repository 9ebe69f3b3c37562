"""What-if: a Danish LUP — a transparent projection from Norwegian evidence to Danish scale, beside the check of
whether the conditions behind Norway's results exist in Denmark.

Thin: the widgets (all in the URL), then comparisons.models.whatif for everything shown (built once per data version,
language and inputs, and shared): the defaults with their citations, the results, the charts, the saved scenarios
and the transferability check.
"""

from __future__ import annotations

import streamlit as st

from comparisons.measures import whatif
from comparisons.models import whatif as model
from comparisons.models.figure import escape_md
from comparisons.models.whatif import BOUNDS, whatif_compare_view, whatif_defaults_view
from ui import lazy, urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.memo import dataframe
from ui.number_field import number_field

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

default = model.default_settings(ev, lg)
base = model.whatif_base(ev, lg)
if base.error is not None or default.inputs is None:
    st.error(base.error)
    st.stop()

# --- inputs (each seeded from the URL, each default with its citation) --------------------------------------------
st.header(_("Inputs"))
left, right = st.columns(2)

with left:
    urlstate.seed("wi_year", urlstate.choice_parser(base.year_options), default.inputs.year)
    year = st.selectbox(
        _("Conversion year (exchange rate and figures nearest to it)"),
        base.year_options,
        key="wi_year",
        help=_("NOK per DKK is the ECB annual average of that year, through the euro."),
    )
    urlstate.publish("wi_year", year)
    dview = whatif_defaults_view(ev, lg, int(year))
    defaults = dview.defaults
    st.caption(dview.rate_caption)

    funding = number_field(
        _("Annual public funding (DKK)"),
        "wi_funding",
        limits=whatif.INPUT_LIMITS["funding_dkk"],
        default=defaults.funding.value,
        step=500_000.0,
        decimals=0,
    )
    st.caption(dview.funding_caption)

    urlstate.seed("wi_years", urlstate.int_parser(whatif.MIN_YEARS, whatif.MAX_YEARS), int(defaults.horizon.value))
    years = st.slider(_("Horizon (years)"), whatif.MIN_YEARS, whatif.MAX_YEARS, key="wi_years")
    urlstate.publish("wi_years", years)
    st.caption(dview.horizon_caption)

    urlstate.seed("wi_ramp", urlstate.int_parser(0, whatif.MAX_YEARS), min(defaults.ramp_up, years))
    ramp_up = st.slider(_("Ramp-up (years)"), 0, whatif.MAX_YEARS, key="wi_ramp")
    urlstate.publish("wi_ramp", ramp_up)
    st.caption(dview.ramp_caption)

    urlstate.seed("wi_basis", urlstate.choice_parser(whatif.BASES), default.inputs.basis)
    basis = st.selectbox(
        _("Scaling basis for public bodies reached"),
        whatif.BASES,
        key="wi_basis",
        format_func=lambda b: _(whatif.BASIS_LABELS[b]),
    )
    urlstate.publish("wi_basis", basis)
    if basis in dview.basis_captions:
        st.caption(dview.basis_captions[basis])

with right:
    ratios: dict[str, float] = {}
    for bound in BOUNDS:
        ratios[bound] = number_field(
            dview.ratio_labels[bound],
            f"wi_{bound}",
            limits=whatif.INPUT_LIMITS[f"savings_{bound}"],
            default=getattr(defaults, bound).value,
            step=0.1,
            decimals=2,
        )
        st.caption(dview.ratio_captions[bound])
        with lazy.popover(_("How it is computed"), f"wi-how-{bound}", icon=":material/calculate:") as open_:
            if open_:
                st.caption(dview.ratio_workings[bound])

inputs = whatif.WhatIfInputs(
    funding_dkk=float(funding),
    years=int(years),
    ramp_up=int(ramp_up),
    savings_low=float(ratios["low"]),
    savings_central=float(ratios["central"]),
    savings_high=float(ratios["high"]),
    basis=basis,
    year=int(year),
    nok_per_dkk=defaults.nok_per_dkk,
)

with lazy.expander(_("The figures behind the defaults"), "wi-behind") as open_:
    if open_:
        dataframe(dview.provenance_shown, hide_index=True, width="stretch", key="wi-provenance")

# --- results ------------------------------------------------------------------------------------------------------
st.header(_("Results"))
page = model.build(ev, lg, model.Settings(inputs))
results = page.results
assert results is not None  # model.build leaves it out only when the page stopped above
if results.error is not None:
    st.error(results.error)
else:
    assert results.band is not None and results.tornado is not None  # set whenever there is no error
    columns = st.columns(2)
    for i, (label, value) in enumerate(results.metrics):
        columns[i % 2].metric(label, value, border=True)
    st.caption(results.caption)
    chart_with_table(results.band, key="wi-band", caption=results.band_caption)
    chart_with_table(results.tornado, key="wi-tornado", caption=results.tornado_caption)
    st.header(_("How it is computed"))
    st.markdown(results.formulas)

st.warning(dview.caveat)

# --- saved scenarios (in this session; each with the link that reopens it) ----------------------------------------
st.header(_("Saved scenarios"))
saved: dict[str, whatif.WhatIfInputs] = st.session_state.setdefault(SAVED, {})
name_col, button_col = st.columns(2)
with name_col:
    name = st.text_input(
        _("Scenario name"), key="wi_name", max_chars=60, placeholder=_("Scenario {n}").format(n=len(saved) + 1)
    )
with button_col:
    if st.button(
        _("Save this scenario"), key="wi_save", disabled=results.error is not None, icon=":material/bookmark_add:"
    ):
        label = name.strip() or _("Scenario {n}").format(n=len(saved) + 1)
        saved[label] = inputs
        st.toast(_("Saved: {name}").format(name=escape_md(label)))
    if saved and st.button(_("Forget saved scenarios"), key="wi_clear", icon=":material/delete:"):
        saved.clear()

if saved:
    text = st.column_config.TextColumn  # numbers come written in the app's language (whatif_compare_view)
    dataframe(
        whatif_compare_view(ev, lg, tuple(saved.items())),
        hide_index=True,
        width="stretch",
        key="wi-compare",
        column_config={
            "scenario": text(_("Scenario")),
            "funding_dkk": text(_("Annual funding (DKK)")),
            "years": text(_("Horizon (years)")),
            "ramp_up": text(_("Ramp-up (years)")),
            "savings_low": text(_("Savings per krone: low")),
            "savings_central": text(_("Savings per krone: central")),
            "savings_high": text(_("Savings per krone: high")),
            "basis": text(_("Scaling basis")),
            "year": text(_("Conversion year")),
            "bodies_reached": text(_("Public bodies reached")),
            "cum_savings_low": text(_("Cumulative savings, low (DKK)")),
            "cum_savings_central": text(_("Cumulative savings, central (DKK)")),
            "cum_savings_high": text(_("Cumulative savings, high (DKK)")),
            "cum_cost": text(_("Cumulative cost (DKK)")),
            "cum_net": text(_("Cumulative net benefit, central (DKK)")),
            "break_even_year": text(_("Break-even year")),
            "link": st.column_config.LinkColumn(_("Link (query string)")),
        },
    )
    st.caption(_("Each link reopens its scenario on this page; add it to the app's address to share it."))
else:
    st.caption(_("Save the current inputs under a name; saved scenarios are compared side by side here."))

# --- transferability: Denmark's preconditions and the crosswalk's gaps --------------------------------------------
tv = base.transfer
assert tv is not None  # set whenever the base has no error (the page stopped above otherwise)
st.header(_("Can the Norwegian results carry over? The Danish preconditions"))
st.markdown(tv.summary)
chart_col, gap_col = st.columns(2)
with chart_col:
    chart_with_table(tv.status_chart, key="wi-status", caption=tv.status_caption)
with gap_col:
    st.markdown(tv.gaps_heading)
    if tv.gaps_empty is not None:
        st.caption(tv.gaps_empty)
    for gap in tv.gaps:
        st.markdown(gap.markdown)
        st.caption(gap.caption)
    st.caption(tv.gaps_caption)

dataframe(
    tv.preconditions_shown,
    hide_index=True,
    width="stretch",
    key="wi-preconditions",
    column_config={
        tv.status_column: st.column_config.MultiselectColumn(options=tv.status_options, color=tv.status_colours),
        tv.evidence_column: st.column_config.TextColumn(width="large"),
    },
)
