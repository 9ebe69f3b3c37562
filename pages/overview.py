"""Overview: Norway's LUP and the Danish landscape side by side, each figure with its date and source."""

from __future__ import annotations

import streamlit as st

from comparisons.i18n.labels import CURRENCIES
from comparisons.models import overview as model
from ui import urlstate
from ui.charts import chart_with_table
from ui.context import lang, start_page
from ui.data import require_evidence
from ui.downloads import chart_and_data_downloads, registry_download_bar
from ui.figure import figure_card

_ = start_page()
ev = require_evidence()
lg = lang()

st.title(_("Norway's LUP and Denmark, side by side"))
st.caption(
    _(
        "Norway has run a national programme for supplier development (LUP) since 2010. Denmark has no LUP, but many "
        "actors and initiatives. Each figure below is the latest one a source gives; open “Source” for the citation."
    )
)

default = model.default_settings(ev, lg)
urlstate.seed("ov_currency", urlstate.choice_parser(CURRENCIES), default.currency)
currency = st.segmented_control(_("Money also shown in"), CURRENCIES, key="ov_currency") or default.currency
urlstate.publish("ov_currency", currency)

view = model.build(ev, lg, model.Settings(currency)).view
head_no, head_dk = st.columns(2)
head_no.header(view.country_names["NO"])
head_dk.header(view.country_names["DK"])
for pair, mark, mark_text in zip(view.rows, view.marks, view.mark_texts, strict=True):
    for col, c in zip(st.columns(2), pair, strict=True):
        with col:
            figure_card(c)
    # The comparability mark of the pair, visible (not in a pop-up): a reader must see when it is not like for like.
    icon = {True: ":material/check_circle:", False: ":material/warning:", None: ":material/remove:"}[mark.comparable]
    st.caption(f"{icon} {mark_text}")
registry_download_bar("headlines", "ov-headlines", ev=ev, label=_("Download the side-by-side"))

st.header(_("What changed over time"))
chart_with_table(view.milestones, key="milestones", caption=_("Hover a dot for the milestone and its source."))
chart_and_data_downloads(
    view.milestones.chart,
    view.milestone_table,
    view.milestone_sources,
    _("Milestones in Norway and Denmark"),
    "ov-milestones",
)
