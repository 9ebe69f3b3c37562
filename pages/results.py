"""Results and savings: the evidence ledger, conflicting figures side by side, and ratios with their inputs."""

from __future__ import annotations

import streamlit as st

from comparisons.models import results as model
from ui import lazy, urlstate
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import download_bar
from ui.figure import figure_cards
from ui.memo import dataframe

_ = start_page()
lg = lang()
ev = require_evidence()

st.title(_("Results and savings"))
st.caption(
    _(
        "Every figure on what the programme has achieved, as each source gives it: with its date, source, definition "
        "and reliability. Where sources disagree, the figures stand side by side; nothing is averaged."
    )
)

default = model.default_settings(ev, lg)
view = model.results_view(ev, lg)
st.info(view.intro, icon=":material/info:")

# --- ratios ----------------------------------------------------------------------------------------------------------
st.header(_("Savings per krone of public funding"))
if not view.ratios:
    st.caption(_("not found"))
for start in range(0, len(view.ratios), 2):
    cols = st.columns(2)
    for col_no, (col, ratio) in enumerate(zip(cols, view.ratios[start : start + 2], strict=False)):
        with col:
            st.metric(ratio.label, ratio.value, border=True)
            st.caption(ratio.summary)
            with lazy.popover(
                _("How it is computed"), f"res-how-{start}-{col_no}", icon=":material/calculate:"
            ) as open_:
                if open_:
                    st.caption(f"{ratio.derivation}  \n{ratio.facts_used}")

# --- main claims: the latest figure of each measure; the full working is one click away ------------------------
st.header(view.claims_heading)
figure_cards(view.claims)

urlstate.seed("res_metrics", urlstate.multi_parser(view.measures), list(default.measures))


def details() -> None:
    """Grants by year, where sources disagree, and the ledger: drawn only while the expander is open (ui.lazy)."""
    if view.grants is not None:
        st.subheader(_("State grants by year"))
        dataframe(
            view.grants_shown,
            hide_index=True,
            width="stretch",
            key="res-grants",
        )
        download_bar(view.grants, view.grant_sources, _("State grants by year"), "res-grants")
        st.caption(
            _(
                "Years marked “not found” have no grant figure in any source; they are left out of the ratios, not filled in."
            )
        )

    # --- conflicts -------------------------------------------------------------------------------------------------------
    st.header(_("Where sources disagree"))
    st.caption(
        _(
            "Figures for the same measure, oldest first, each with its date and source. Cumulative figures from different "
            "dates are snapshots, so growth is expected; figures for the same date that differ are real disagreements."
        )
    )
    if view.conflicts is None:
        st.caption(_("not found"))
    else:
        download_bar(view.conflicts, view.conflict_sources, _("Where sources disagree"), "res-conflicts")
    for group in view.groups:
        st.subheader(group.heading)
        if group.definition:
            st.caption(group.definition)
        if group.shown_note:
            st.caption(group.shown_note)
        figure_cards(group.cards)

    # --- the ledger ------------------------------------------------------------------------------------------------------
    st.header(_("The evidence ledger"))
    chosen = st.multiselect(
        _("Measures"),
        view.measures,
        key="res_metrics",
        format_func=lambda m: view.labels.get(m, m),
        placeholder=_("All measures"),
    )
    urlstate.publish("res_metrics", chosen)
    ledger = model.build(ev, lg, model.Settings(tuple(sorted(chosen)))).ledger
    dataframe(
        ledger.shown,
        hide_index=True,
        width="stretch",
        key="res-ledger",
        column_config={
            _("Link"): st.column_config.LinkColumn(display_text=_("open")),
            _("Quote"): st.column_config.TextColumn(width="large"),
        },
    )
    download_bar(ledger.table, ledger.sources, _("The evidence ledger"), "res-ledger")
    st.caption(ledger.caption)


# The ledger's choice survives while its widget is not drawn (Streamlit forgets the value of a widget it did not draw)
# and stays in the link.
with lazy.expander(
    view.more, "res-more", icon=":material/table_view:", expanded=bool(st.session_state.get("res_metrics"))
) as open_:
    if open_:
        details()
    else:
        st.session_state["res_metrics"] = list(st.session_state.get("res_metrics", []))
        urlstate.publish("res_metrics", st.session_state["res_metrics"])
