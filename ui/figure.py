"""A figure card: the value in the reader's language, its date and publisher, and the full citation on demand.

Everything from the data is shown as plain text (st.text / st.caption of escaped Markdown), never as HTML.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from comparisons.formatting import fmt_period, fmt_span, fmt_value
from comparisons.labels import RELIABILITY
from ui.context import gettext, lang

_MD_SPECIAL = "\\`*_{}[]<>()#+-.!|$~"


def escape_md(text: object) -> str:
    """Text from the data, safe inside Markdown: no links, images, HTML or LaTeX from a name or quote."""
    s = "" if text is None or text != text else str(text)
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in s)


def citation(fact: pd.Series, source: pd.Series | None, derivation: str | None = None) -> None:
    """The sources panel for one figure: source, dates, quote, reliability, caveats.

    Two elements (the source and quote; then the details as a caption) rather than one per line: a page shows a
    dozen of these panels, and every element costs the rerun time (benchmarks/pages.py, py-spy)."""
    _ = gettext()
    lg = lang()
    if source is None:
        st.warning(_("Source {source_id} not found.").format(source_id=escape_md(fact["source_id"])))
        return
    head = [f"**{escape_md(source['title'])}**"]
    if isinstance(source.get("url"), str) and source["url"].startswith(("http://", "https://")):
        head.append(f"[{escape_md(source['url'])}](<{source['url']}>)")
    text = "  \n".join(head)
    if isinstance(fact.get("quote"), str) and fact["quote"]:
        text += f"\n\n> {escape_md(fact['quote'])}"
    st.markdown(text)
    details = [
        " · ".join(
            [
                escape_md(source["publisher"]),
                _("published {date}").format(date=fmt_period(source["published"], lg)),
                _(RELIABILITY.get(str(source["reliability"]), str(source["reliability"]))),
            ]
        )
    ]
    if isinstance(source.get("document"), str) and source["document"]:
        details.append(_("Document: {name}").format(name=escape_md(source["document"])))
    details.append(
        _("Valid for {period}; figure {fact_id}.").format(
            period=fmt_span(fact["period_start"], fact["period_end"], lg), fact_id=escape_md(fact["fact_id"])
        )
    )
    if isinstance(fact.get("note"), str) and fact["note"]:
        details.append(escape_md(fact["note"]))
    if isinstance(fact.get("derived_from"), str) and fact["derived_from"]:
        details.append(_("Derived from: {ids}").format(ids=escape_md(fact["derived_from"])))
    if derivation:
        details.append(_("How the converted value was derived: {steps}").format(steps=derivation))
    st.caption("  \n".join(details))


def figure_card(
    label: str,
    fact: pd.Series | None,
    source: pd.Series | None,
    other_figures: int = 0,
    key: str = "",
    derived: str | None = None,
    derivation: str | None = None,
) -> None:
    """A metric with its value, validity and publisher; 'not found' when no source gives the figure.

    `derived` is an optional line shown under the caption, e.g. the value converted to another currency, and
    `derivation` says how it was derived (shown with the citation).
    """
    _ = gettext()
    lg = lang()
    if fact is None:
        st.metric(label, _("not found"), border=True)
        st.caption(_("No source in the evidence base gives this figure."))
        return
    st.metric(label, fmt_value(fact["value"], fact["unit"], lg, fact["bound"]), border=True)
    publisher = escape_md(source["publisher"]) if source is not None else "?"
    line = f"{fmt_span(fact['period_start'], fact['period_end'], lg)} · {publisher}"
    if other_figures:
        line += " · " + _("{n} other figure(s) for this measure").format(n=other_figures)
    st.caption(f"{line}  \n{derived}" if derived else line)
    with st.popover(_("Source"), icon=":material/menu_book:", key=f"cite-{key or fact['fact_id']}"):
        citation(fact, source, derivation)
