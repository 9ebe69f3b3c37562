"""A figure card drawn: the metric, its caption, and the full citation on demand (comparisons.models.figure
formats the texts once, in the page's model)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from comparisons.models.figure import FigureCard
from ui import lazy
from ui.a11y import lang_key
from ui.context import gettext
from ui.context import lang as session_lang


def in_language(quote_lang: str, key: str) -> st.delta_generator.DeltaGenerator:
    """A container for text in `quote_lang`: marked with that `lang` (WCAG 3.1.2) when it is not the page's."""
    if quote_lang and quote_lang != session_lang():
        return st.container(key=lang_key(quote_lang, key))
    return st.container()


def figure_card(card: FigureCard) -> None:
    """Draw a card: the metric, its caption, and a "Source" popover whose citation is drawn only when opened
    (as the download popovers, ui.downloads: a page shows up to a dozen cards)."""
    _ = gettext()
    st.metric(card.label, card.value, border=True)
    st.caption(card.line)
    if card.fact_id is None and not card.cite_head:  # nothing to cite: "not found" without a counterpart
        return
    with lazy.popover(_("Source"), f"cite-{card.key}", icon=":material/menu_book:") as open_:
        if not open_:
            return
        if card.missing_source:
            st.warning(card.missing_source)
            return
        with in_language(card.quote_lang, f"quote-{card.key}"):
            st.markdown(card.cite_head)
        st.caption(card.cite_details)


def figure_cards(cards: Sequence[FigureCard]) -> None:
    """Cards two to a row, in order (a row's two cards side by side, so their figures line up)."""
    for start in range(0, len(cards), 2):
        for col, card in zip(st.columns(2), cards[start : start + 2], strict=False):
            with col:
                figure_card(card)
