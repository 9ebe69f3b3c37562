"""Overview: Norway's LUP and the Danish landscape side by side, each figure with its date and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from comparisons.headlines import HEADLINE_ROWS, headline_table
from ui.context import gettext
from ui.data import require_evidence
from ui.figure import figure_card

_ = gettext()
ev = require_evidence()

st.title(_("Norway's LUP and Denmark, side by side"))
st.caption(
    _(
        "Norway has run a national programme for supplier development (LUP) since 2010. Denmark has no LUP, but many "
        "actors and initiatives. Each figure below is the latest one a source gives; open “Source” for the citation."
    )
)

facts = ev["facts"]
by_id = facts.set_index("fact_id")
sources = ev["sources"].set_index("source_id")
table = headline_table(facts)


def _fact(fact_id: object) -> pd.Series | None:
    if fact_id is None or fact_id != fact_id:
        return None
    row = by_id.loc[fact_id].copy()
    row["fact_id"] = fact_id
    return row


def _source(fact: pd.Series | None) -> pd.Series | None:
    if fact is None or fact["source_id"] not in sources.index:
        return None
    return sources.loc[fact["source_id"]]


head_no, head_dk = st.columns(2)
head_no.subheader(_("Norway"))
head_dk.subheader(_("Denmark"))
for row in HEADLINE_ROWS:
    col_no, col_dk = st.columns(2)
    for col, country in ((col_no, "NO"), (col_dk, "DK")):
        cell = table[(table["row"] == row.key) & (table["country"] == country)].iloc[0]
        fact = _fact(cell["fact_id"])
        with col:
            figure_card(_(row.label), fact, _source(fact), int(cell["other_figures"]), key=f"{row.key}-{country}")
