"""A figure card: the value in the reader's language, its date and publisher, and the full citation on demand.

A page's per-data view (ui.memo) formats its cards once (`figure_text`); the page draws them (`figure_card`).

Everything from the data is shown as plain text (st.text / st.caption of escaped Markdown), never as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from comparisons.i18n import gettext_for
from comparisons.i18n.formatting import fmt_period, fmt_span, fmt_value
from comparisons.i18n.labels import RELIABILITY
from ui.a11y import lang_key
from ui.context import gettext
from ui.context import lang as session_lang

_MD_SPECIAL = "\\`*_{}[]<>()#+-.!|$~"


def escape_md(text: object) -> str:
    """Text from the data, safe inside Markdown: no links, images, HTML or LaTeX from a name or quote."""
    s = "" if text is None or text != text else str(text)
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in s)


@dataclass(frozen=True)
class FigureCard:
    """A figure card's texts, formatted once in a page's per-data view (ui.memo) and drawn on every rerun.

    Formatting a card (babel, pandas lookups, the citation's lines) was about a third of a cached page's rerun
    time (benchmarks/pages.py, py-spy), so it happens where the page's other content is built."""

    label: str
    value: str  # the figure in the reader's language, or "not found"
    line: str  # under the value: period, publisher, other figures, and an optional derived line
    key: str
    fact_id: str | None = None  # None when no source gives the figure
    cite_head: str = ""  # Markdown: the source's title and link, and the quote
    cite_details: str = ""  # caption: publisher, dates, reliability, document, validity, notes, derivation
    missing_source: str = ""  # a warning instead of the citation when the cited source is not in the evidence
    quote_lang: str = ""  # the source's language (its title and quote), e.g. "nb"; "" when unknown


def _citation(fact: pd.Series, source: pd.Series | None, lang: str, derivation: str | None) -> tuple[str, str, str]:
    """The sources panel of one figure as (head, details, missing-source warning)."""
    _ = gettext_for(lang)
    if source is None:
        return "", "", _("Source {source_id} not found.").format(source_id=escape_md(fact["source_id"]))
    head = [f"**{escape_md(source['title'])}**"]
    if isinstance(source.get("url"), str) and source["url"].startswith(("http://", "https://")):
        head.append(f"[{escape_md(source['url'])}](<{source['url']}>)")
    text = "  \n".join(head)
    if isinstance(fact.get("quote"), str) and fact["quote"]:
        text += f"\n\n> {escape_md(fact['quote'])}"
    details = [
        " · ".join(
            [
                escape_md(source["publisher"]),
                _("published {date}").format(date=fmt_period(source["published"], lang)),
                _(RELIABILITY.get(str(source["reliability"]), str(source["reliability"]))),
            ]
        )
    ]
    if isinstance(source.get("document"), str) and source["document"]:
        details.append(_("Document: {name}").format(name=escape_md(source["document"])))
    details.append(
        _("Valid for {period}; figure {fact_id}.").format(
            period=fmt_span(fact["period_start"], fact["period_end"], lang), fact_id=escape_md(fact["fact_id"])
        )
    )
    if isinstance(fact.get("note"), str) and fact["note"]:
        details.append(escape_md(fact["note"]))
    if isinstance(fact.get("derived_from"), str) and fact["derived_from"]:
        details.append(_("Derived from: {ids}").format(ids=escape_md(fact["derived_from"])))
    if derivation:
        details.append(_("How the converted value was derived: {steps}").format(steps=derivation))
    return text, "  \n".join(details), ""


def figure_text(
    label: str,
    fact: pd.Series | None,
    source: pd.Series | None,
    lang: str,
    other_figures: int = 0,
    key: str = "",
    derived: str | None = None,
    derivation: str | None = None,
) -> FigureCard:
    """The card of one figure in `lang`: its value, validity and publisher, and its citation; "not found" when
    no source gives the figure (`fact` None).

    `derived` is an optional line shown under the caption, e.g. the value converted to another currency, and
    `derivation` says how it was derived (shown with the citation).
    """
    _ = gettext_for(lang)
    if fact is None:
        return FigureCard(label, _("not found"), _("No source in the evidence base gives this figure."), key)
    publisher = escape_md(source["publisher"]) if source is not None else "?"
    # Escaped: a date such as "28. mars 2019" at the start of a Markdown line would begin a numbered list.
    line = f"{escape_md(fmt_span(fact['period_start'], fact['period_end'], lang))} · {publisher}"
    if other_figures:
        line += " · " + _("{n} other figure(s) for this measure").format(n=other_figures)
    head, details, missing = _citation(fact, source, lang, derivation)
    quote_lang = str(source.get("language") or "") if source is not None else ""
    return FigureCard(
        label,
        fmt_value(fact["value"], fact["unit"], lang, fact["bound"]),
        f"{line}  \n{derived}" if derived else line,
        key or str(fact["fact_id"]),
        str(fact["fact_id"]),
        head,
        details,
        missing,
        quote_lang if is_language_code(quote_lang) else "",
    )


def is_language_code(code: str) -> bool:
    """A BCP 47 primary language subtag such as "nb" or "da" (sources.csv also has "data" for datasets)."""
    return len(code) in (2, 3) and code.isascii() and code.isalpha() and code.islower()


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
    if card.fact_id is None:
        return
    popover = st.popover(_("Source"), icon=":material/menu_book:", key=f"cite-{card.key}", on_change="rerun")
    with popover:
        if not popover.open:
            return
        if card.missing_source:
            st.warning(card.missing_source)
            return
        with in_language(card.quote_lang, f"quote-{card.key}"):
            st.markdown(card.cite_head)
        st.caption(card.cite_details)
